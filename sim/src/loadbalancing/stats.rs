//! What the running system counts: requests and their fates since reset, latency, the per-second
//! charts. Everything has bounded memory.

use crate::engine::time::{to_secs, MICROS_PER_SEC};
use crate::engine::{Histogram, SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// Width of a chart point: one simulated second.
pub const SAMPLE_INTERVAL: SimTime = MICROS_PER_SEC;
/// Buckets of the throughput window (it slides in steps of 100 ms).
const RATE_BUCKETS: usize = 10;
/// Points kept per chart series (allocated whole at the start, so memory stays flat).
const SERIES_POINTS: usize = 512;

/// Counts since the counters restarted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) arrived: u64,
    pub(super) completed: u64,
    pub(super) dropped: u64,
    pub(super) errors: u64,
    pub(super) sessions_lost: u64,
    pub(super) max_queue: u32,
}

/// Everything counted.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stats {
    pub(super) tally: Tally,
    /// Latency of the completed requests since reset (ms).
    pub(super) latency_ms: Histogram,
    /// Latency of the requests completed in the current chart second (ms).
    window_ms: Histogram,
    window_errors: u64,
    window_drops: u64,
    /// Completions over the last second.
    pub(super) throughput: WindowedRate,
    pub(super) p50_series: TimeSeries,
    pub(super) p99_series: TimeSeries,
    pub(super) errors_series: TimeSeries,
    pub(super) drops_series: TimeSeries,
    /// Requests that arrived before this time are not counted (they were in flight when the
    /// counters restarted).
    pub(super) counted_from: SimTime,
}

impl Stats {
    pub(super) fn new() -> Result<Self, ConfigError> {
        Ok(Self {
            tally: Tally::default(),
            latency_ms: Histogram::new(),
            window_ms: Histogram::new(),
            window_errors: 0,
            window_drops: 0,
            throughput: WindowedRate::new(SAMPLE_INTERVAL, RATE_BUCKETS)?,
            p50_series: TimeSeries::new(SERIES_POINTS)?,
            p99_series: TimeSeries::new(SERIES_POINTS)?,
            errors_series: TimeSeries::new(SERIES_POINTS)?,
            drops_series: TimeSeries::new(SERIES_POINTS)?,
            counted_from: 0,
        })
    }

    fn counts(&self, arrived: SimTime) -> bool {
        arrived >= self.counted_from
    }

    /// Restarts the tally and the latency histogram at `now`; `waiting_now` is the longest queue
    /// at that moment (the new `max_queue`).
    pub(super) fn restart(&mut self, now: SimTime, waiting_now: u32) {
        self.tally = Tally {
            max_queue: waiting_now,
            ..Tally::default()
        };
        self.latency_ms.clear();
        self.counted_from = now;
    }

    pub(super) fn arrived(&mut self) {
        self.tally.arrived += 1;
    }

    /// A request that arrived at `arrived` completed at `now` after `latency_ms`. Returns whether
    /// it counts since reset.
    pub(super) fn completed(&mut self, now: SimTime, arrived: SimTime, latency_ms: f64) -> bool {
        self.throughput.inc(now);
        self.window_ms.record(latency_ms);
        if !self.counts(arrived) {
            return false;
        }
        self.tally.completed += 1;
        self.latency_ms.record(latency_ms);
        true
    }

    pub(super) fn dropped(&mut self, arrived: SimTime) {
        self.window_drops += 1;
        if self.counts(arrived) {
            self.tally.dropped += 1;
        }
    }

    pub(super) fn failed(&mut self, arrived: SimTime) {
        self.window_errors += 1;
        if self.counts(arrived) {
            self.tally.errors += 1;
        }
    }

    pub(super) fn sessions_lost(&mut self, n: u64) {
        self.tally.sessions_lost = self.tally.sessions_lost.saturating_add(n);
    }

    pub(super) fn queue_length(&mut self, waiting: usize) {
        let waiting = u32::try_from(waiting).unwrap_or(u32::MAX);
        self.tally.max_queue = self.tally.max_queue.max(waiting);
    }

    /// Closes the chart second ending at `now`.
    pub(super) fn sample(&mut self, now: SimTime) {
        let t = to_secs(now);
        if self.window_ms.count() > 0 {
            self.p50_series.push(t, self.window_ms.percentile(50.0));
            self.p99_series.push(t, self.window_ms.percentile(99.0));
        }
        self.errors_series.push(t, self.window_errors as f64);
        self.drops_series.push(t, self.window_drops as f64);
        self.window_ms.clear();
        self.window_errors = 0;
        self.window_drops = 0;
    }
}

/// Bins of the snapshot's latency histogram.
pub(super) const HISTOGRAM_BINS: usize = 24;

/// The latency histogram in [`HISTOGRAM_BINS`] log-spaced bins from the smallest to the largest
/// latency seen (at least a decade wide): `(from_ms, to_ms, count)`.
pub(super) fn log_bins(h: &Histogram) -> Vec<(f64, f64, u64)> {
    if h.count() == 0 {
        return Vec::new();
    }
    let low = h.min().max(0.01);
    let high = (h.max() * 1.000_001).max(low * 10.0);
    let ratio = libm::pow(high / low, 1.0 / HISTOGRAM_BINS as f64);
    let mut edges = Vec::with_capacity(HISTOGRAM_BINS + 1);
    edges.push(0.0);
    let mut edge = low;
    for _ in 1..HISTOGRAM_BINS {
        edge *= ratio;
        edges.push(edge);
    }
    let upper = |i: usize| edges.get(i + 1).copied().unwrap_or(high);
    h.rebin(&edges)
        .into_iter()
        .enumerate()
        .map(|(i, bin)| {
            let from = if i == 0 { 0.0 } else { bin.lower };
            (from, upper(i), bin.count)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_bins_cover_every_completion() {
        let mut h = Histogram::new();
        assert!(log_bins(&h).is_empty());
        for v in [0.5, 1.0, 3.0, 10.0, 99.0, 250.0] {
            h.record(v);
        }
        let bins = log_bins(&h);
        assert_eq!(bins.len(), HISTOGRAM_BINS);
        assert_eq!(bins.iter().map(|b| b.2).sum::<u64>(), 6);
        assert!(bins.windows(2).all(|w| w[0].1 == w[1].0 && w[0].0 < w[0].1));
        assert!(bins.last().unwrap().1 >= 250.0);
    }
}
