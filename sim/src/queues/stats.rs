//! What the lab counts: tallies, latency histograms and the time-average backlog (restarted by
//! `reset_stats`), rates over the last second and the chart series (which carry on). Memory is
//! bounded whatever the run length: fixed histograms, 512-point series.

use crate::engine::time::{to_secs, MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Histogram, SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// Width of the window behind every "per second" rate: 1 s of simulated time.
pub const RATE_WINDOW: SimTime = MICROS_PER_SEC;
/// Buckets in that window (it slides in steps of 100 ms).
const RATE_BUCKETS: usize = 10;
/// How often a point is added to the chart series: every 500 ms of simulated time.
pub const SAMPLE_INTERVAL: SimTime = 500 * MICROS_PER_MILLI;
/// Points kept per chart series.
const SERIES_POINTS: usize = 512;

/// Counts since the counters restarted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    /// Requests that arrived.
    pub(super) requests: u64,
    /// Requests answered successfully (sync: the slow work succeeded; async: published).
    pub(super) responded: u64,
    /// Publishes refused (backlog full, or blocked longer than the timeout).
    pub(super) refused: u64,
    /// Requests that had to wait for room (`block`).
    pub(super) blocked: u64,
    /// Sync requests whose slow work failed every attempt (an error for the user).
    pub(super) failed_requests: u64,
    /// Messages published (one per request not refused, plus poison messages by hand).
    pub(super) published: u64,
    /// Of those, poison messages.
    pub(super) poison_published: u64,
    /// Deliveries (sync: attempts of the slow work).
    pub(super) deliveries: u64,
    /// Deliveries after a message's first (sync: retries inline).
    pub(super) redeliveries: u64,
    /// Messages whose work was done (first successful completion, per group).
    pub(super) completed: u64,
    /// Work done again for a message already done (not idempotent).
    pub(super) duplicates: u64,
    /// Repeated messages an idempotent consumer recognised and skipped.
    pub(super) absorbed: u64,
    /// Deliveries that failed.
    pub(super) failures: u64,
    /// Deliveries not acknowledged within the visibility timeout.
    pub(super) timeouts: u64,
    /// Messages moved to the dead-letter queue.
    pub(super) dead_lettered: u64,
    /// Messages done after a later one of the same key (unkeyed: of the whole stream).
    pub(super) out_of_order: u64,
    /// Reads of the read model.
    pub(super) reads: u64,
    /// Of those, stale: a write had not reached the read model yet.
    pub(super) stale_reads: u64,
    /// Deliveries lost in a crash (delivered again after their timeout).
    pub(super) lost_in_crash: u64,
    /// Work attempts whose processing ran past the visibility timeout.
    pub(super) slow_deliveries: u64,
}

/// The chart series.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Charts {
    pub(super) backlog: TimeSeries,
    pub(super) lag_s: TimeSeries,
    pub(super) arrival_per_s: TimeSeries,
    pub(super) service_per_s: TimeSeries,
    pub(super) response_p99_ms: TimeSeries,
    pub(super) completion_p99_ms: TimeSeries,
    pub(super) in_flight: TimeSeries,
    pub(super) dlq: TimeSeries,
}

/// Rates over the last [`RATE_WINDOW`].
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Recent {
    /// Requests.
    pub(super) requests: WindowedRate,
    /// Messages published.
    pub(super) published: WindowedRate,
    /// Work done (first completions; sync: requests answered).
    pub(super) completed: WindowedRate,
    /// Deliveries, redeliveries included.
    pub(super) deliveries: WindowedRate,
}

/// Everything counted. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stats {
    /// When the counters (re)started (µs).
    pub(super) since: SimTime,
    pub(super) tally: Tally,
    /// What the user waits, ms.
    pub(super) response_ms: Histogram,
    /// Request to work done, ms.
    pub(super) completion_ms: Histogram,
    /// Time a message waited for its first delivery, ms.
    pub(super) wait_ms: Histogram,
    /// Longest time since the latest write seen by a stale read (µs).
    pub(super) stale_age_max: SimTime,
    /// Messages waiting (summed over groups) × µs, since `since`.
    backlog_area: u128,
    /// When `backlog_area` was last brought up to date, and the backlog since then.
    area_at: SimTime,
    area_backlog: u64,
    /// Most messages waiting at once since `since`.
    pub(super) peak_backlog: u64,
    /// The current chart interval's latencies (for its p99).
    window_response_ms: Histogram,
    window_completion_ms: Histogram,
    pub(super) recent: Recent,
    pub(super) charts: Charts,
}

fn rate() -> Result<WindowedRate, ConfigError> {
    WindowedRate::new(RATE_WINDOW, RATE_BUCKETS)
}

fn series() -> Result<TimeSeries, ConfigError> {
    TimeSeries::new(SERIES_POINTS)
}

impl Stats {
    pub(super) fn new() -> Result<Self, ConfigError> {
        Ok(Self {
            since: 0,
            tally: Tally::default(),
            response_ms: Histogram::new(),
            completion_ms: Histogram::new(),
            wait_ms: Histogram::new(),
            stale_age_max: 0,
            backlog_area: 0,
            area_at: 0,
            area_backlog: 0,
            peak_backlog: 0,
            window_response_ms: Histogram::new(),
            window_completion_ms: Histogram::new(),
            recent: Recent {
                requests: rate()?,
                published: rate()?,
                completed: rate()?,
                deliveries: rate()?,
            },
            charts: Charts {
                backlog: series()?,
                lag_s: series()?,
                arrival_per_s: series()?,
                service_per_s: series()?,
                response_p99_ms: series()?,
                completion_p99_ms: series()?,
                in_flight: series()?,
                dlq: series()?,
            },
        })
    }

    /// Restarts the tallies, histograms and the backlog average at `now` (`backlog` waiting).
    pub(super) fn restart(&mut self, now: SimTime, backlog: u64) {
        self.since = now;
        self.tally = Tally::default();
        self.response_ms.clear();
        self.completion_ms.clear();
        self.wait_ms.clear();
        self.stale_age_max = 0;
        self.backlog_area = 0;
        self.area_at = now;
        self.area_backlog = backlog;
        self.peak_backlog = backlog;
    }

    /// The backlog is `backlog` from `now` on (call whenever it may have changed).
    pub(super) fn backlog(&mut self, now: SimTime, backlog: u64) {
        if backlog == self.area_backlog {
            return;
        }
        let span = now.saturating_sub(self.area_at);
        self.backlog_area = self
            .backlog_area
            .saturating_add(u128::from(self.area_backlog) * u128::from(span));
        self.area_at = now.max(self.area_at);
        self.area_backlog = backlog;
        self.peak_backlog = self.peak_backlog.max(backlog);
    }

    /// The time-average backlog since the counters restarted, up to `now`.
    pub(super) fn mean_backlog(&self, now: SimTime) -> f64 {
        let span = now.saturating_sub(self.since);
        if span == 0 {
            return self.area_backlog as f64;
        }
        let tail = u128::from(self.area_backlog) * u128::from(now.saturating_sub(self.area_at));
        self.backlog_area.saturating_add(tail) as f64 / span as f64
    }

    /// A user waited `response` µs.
    pub(super) fn response(&mut self, response: SimTime) {
        let ms = response as f64 / MICROS_PER_MILLI as f64;
        self.response_ms.record(ms);
        self.window_response_ms.record(ms);
    }

    /// A request's work was done `completion` µs after it arrived, at `now`.
    pub(super) fn completion(&mut self, now: SimTime, completion: SimTime) {
        let ms = completion as f64 / MICROS_PER_MILLI as f64;
        self.completion_ms.record(ms);
        self.window_completion_ms.record(ms);
        self.tally.completed += 1;
        self.recent.completed.inc(now);
    }

    /// Adds a point to each chart at `now`.
    pub(super) fn sample(&mut self, now: SimTime, state: SampleState) {
        let t = to_secs(now);
        let c = &mut self.charts;
        c.backlog.push(t, state.backlog as f64);
        c.lag_s.push(t, state.lag_s);
        c.arrival_per_s.push(t, self.recent.requests.per_sec(now));
        c.service_per_s.push(t, self.recent.completed.per_sec(now));
        if self.window_response_ms.count() > 0 {
            c.response_p99_ms.push(t, self.window_response_ms.percentile(99.0));
        }
        if self.window_completion_ms.count() > 0 {
            c.completion_p99_ms.push(t, self.window_completion_ms.percentile(99.0));
        }
        c.in_flight.push(t, state.in_flight as f64);
        c.dlq.push(t, state.dlq as f64);
        self.window_response_ms.clear();
        self.window_completion_ms.clear();
    }
}

/// The state the charts sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct SampleState {
    pub(super) backlog: u64,
    pub(super) lag_s: f64,
    pub(super) in_flight: u64,
    pub(super) dlq: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_backlog_is_the_time_average() {
        let mut s = Stats::new().unwrap();
        s.restart(0, 0);
        s.backlog(MICROS_PER_SEC, 10);
        s.backlog(3 * MICROS_PER_SEC, 4);
        // 0 for 1 s, 10 for 2 s, 4 for 1 s: 24 / 4.
        assert!((s.mean_backlog(4 * MICROS_PER_SEC) - 6.0).abs() < 1e-12);
        assert_eq!(s.peak_backlog, 10);
    }
}
