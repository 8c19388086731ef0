//! What the lab counts: per-client tallies, the delay histogram and the worst windows (restarted
//! by `reset_stats`), rates over the last second and the chart series (which carry on). Memory is
//! bounded whatever the run length.

use super::worst::WorstWindow;
use crate::engine::time::{MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Histogram, SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// Width of the window behind every "per second" rate: 1 s of simulated time.
pub const RATE_WINDOW: SimTime = MICROS_PER_SEC;
/// Buckets in that window (it slides in steps of 100 ms).
const RATE_BUCKETS: usize = 10;
/// How often a point is added to the chart series: every 250 ms of simulated time.
pub const SAMPLE_INTERVAL: SimTime = 250 * MICROS_PER_MILLI;
/// Admission times the worst-window trackers keep, over all keys: 262,144 (2 MB at most).
pub const WORST_KEPT: usize = 1 << 18;

/// One client's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) requests: u64,
    pub(super) attempts: u64,
    pub(super) admitted: u64,
    pub(super) refused: u64,
    pub(super) delayed: u64,
    pub(super) retries: u64,
    pub(super) given_up: u64,
}

/// The chart series (each at most 512 points, halving its resolution as the run grows).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Charts {
    pub(super) admitted_per_s: TimeSeries,
    pub(super) refused_per_s: TimeSeries,
    pub(super) offered_per_s: TimeSeries,
}

/// A [`WindowedRate`] fed in batches: the requests of one of its buckets are added in one call
/// when the next bucket starts (or on [`BatchedRate::flush`]), at the time of the first of them,
/// so they land in the same bucket as one call each would put them, at a fraction of the cost (no
/// division per request). Read it only after a flush.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct BatchedRate {
    rate: WindowedRate,
    pending: u64,
    /// Time of the first pending request, and the end of its bucket.
    pending_at: SimTime,
    bucket_end: SimTime,
}

impl BatchedRate {
    fn new() -> Result<Self, ConfigError> {
        Ok(Self {
            rate: WindowedRate::new(RATE_WINDOW, RATE_BUCKETS)?,
            pending: 0,
            pending_at: 0,
            bucket_end: 0,
        })
    }

    /// Counts one request at `now` (not earlier than the previous one).
    pub(super) fn inc(&mut self, now: SimTime) {
        if now >= self.bucket_end {
            self.flush();
            let width = RATE_WINDOW / RATE_BUCKETS as SimTime;
            self.bucket_end = (now / width).saturating_add(1).saturating_mul(width);
            self.pending_at = now;
        }
        self.pending += 1;
    }

    /// Adds the pending requests to the rate.
    pub(super) fn flush(&mut self) {
        if self.pending > 0 {
            self.rate.add(self.pending_at, self.pending);
            self.pending = 0;
        }
    }

    /// Requests per second over the last second at `now` (as of the last flush).
    pub(super) fn per_sec(&self, now: SimTime) -> f64 {
        self.rate.per_sec(now)
    }
}

/// Rates over the last [`RATE_WINDOW`].
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Recent {
    pub(super) admitted: BatchedRate,
    pub(super) refused: BatchedRate,
    pub(super) offered: BatchedRate,
    /// Admitted per client.
    pub(super) client_admitted: Vec<BatchedRate>,
}

impl Recent {
    /// Adds every pending count to its rate: call before reading them.
    pub(super) fn flush(&mut self) {
        self.admitted.flush();
        self.refused.flush();
        self.offered.flush();
        self.client_admitted.iter_mut().for_each(BatchedRate::flush);
    }
}

fn rate() -> Result<BatchedRate, ConfigError> {
    BatchedRate::new()
}

/// Everything counted. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stats {
    /// When the counters (re)started (µs).
    pub(super) since: SimTime,
    pub(super) clients: Vec<Tally>,
    /// Delay of admitted requests, first attempt to admission (ms).
    pub(super) delay_ms: Histogram,
    /// One tracker per limit key.
    pub(super) worst: Vec<WorstWindow>,
    pub(super) recent: Recent,
    pub(super) charts: Charts,
}

impl Stats {
    /// Counters for `clients` clients and `keys` limit keys over `window` µs windows.
    pub(super) fn new(clients: usize, keys: usize, window: SimTime) -> Result<Self, ConfigError> {
        Ok(Self {
            since: 0,
            clients: vec![Tally::default(); clients],
            delay_ms: Histogram::new(),
            worst: worst_trackers(keys, window),
            recent: Recent {
                admitted: rate()?,
                refused: rate()?,
                offered: rate()?,
                client_admitted: (0..clients).map(|_| rate()).collect::<Result<_, _>>()?,
            },
            charts: Charts::default(),
        })
    }

    /// Restarts the tallies, the delay histogram and the worst windows at `now`.
    pub(super) fn restart(&mut self, now: SimTime) {
        self.since = now;
        self.clients.iter_mut().for_each(|t| *t = Tally::default());
        self.delay_ms.clear();
        self.worst.iter_mut().for_each(WorstWindow::clear);
    }

    /// New worst-window trackers for `keys` keys over `window` µs (a limiter restart).
    pub(super) fn restart_worst(&mut self, keys: usize, window: SimTime) {
        self.worst = worst_trackers(keys, window);
    }

    /// Records a delay of `delay` µs.
    pub(super) fn delay(&mut self, delay: SimTime) {
        self.delay_ms.record(delay as f64 / MICROS_PER_MILLI as f64);
    }

    /// Adds a point to each chart at `now`.
    pub(super) fn sample(&mut self, now: SimTime) {
        self.recent.flush();
        let t = now as f64 / MICROS_PER_SEC as f64;
        self.charts.admitted_per_s.push(t, self.recent.admitted.per_sec(now));
        self.charts.refused_per_s.push(t, self.recent.refused.per_sec(now));
        self.charts.offered_per_s.push(t, self.recent.offered.per_sec(now));
    }

    /// The sum of every client's tally.
    pub(super) fn total(&self) -> Tally {
        self.clients.iter().fold(Tally::default(), |a, t| Tally {
            requests: a.requests + t.requests,
            attempts: a.attempts + t.attempts,
            admitted: a.admitted + t.admitted,
            refused: a.refused + t.refused,
            delayed: a.delayed + t.delayed,
            retries: a.retries + t.retries,
            given_up: a.given_up + t.given_up,
        })
    }
}

fn worst_trackers(keys: usize, window: SimTime) -> Vec<WorstWindow> {
    let cap = WORST_KEPT / keys.max(1);
    (0..keys).map(|_| WorstWindow::new(window, cap)).collect()
}

/// Jain's fairness index of `values`: `(Σx)² / (n Σx²)`; 1 when all are zero (or none).
pub fn jain(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = values.clone().count() as f64;
    let sum: f64 = values.clone().sum();
    let squares: f64 = values.map(|x| x * x).sum();
    if squares > 0.0 {
        sum * sum / (n * squares)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_land_where_single_adds_would() {
        let mut batched = BatchedRate::new().unwrap();
        let mut single = WindowedRate::new(RATE_WINDOW, RATE_BUCKETS).unwrap();
        let mut rng = crate::engine::SimRng::new(2);
        let mut t = 0;
        for k in 0..20_000 {
            t += rng.below(700);
            batched.inc(t);
            single.inc(t);
            if k % 997 == 0 {
                batched.flush();
                assert_eq!(batched.per_sec(t), single.per_sec(t));
                assert_eq!(batched.per_sec(t + 400_000), single.per_sec(t + 400_000));
            }
        }
    }

    #[test]
    fn jain_index() {
        assert_eq!(jain([1.0, 1.0, 1.0].into_iter()), 1.0);
        assert_eq!(jain([4.0, 0.0, 0.0, 0.0].into_iter()), 0.25);
        assert_eq!(jain([0.0, 0.0].into_iter()), 1.0);
        assert_eq!(jain(std::iter::empty()), 1.0);
        assert!((jain([1.0, 2.0].into_iter()) - 0.9).abs() < 1e-12);
    }
}
