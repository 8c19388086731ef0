//! Events per second over a sliding window of simulated time ("database reads per second").

use crate::engine::time::{SimTime, MICROS_PER_SEC};
use crate::ConfigError;

/// Largest number of buckets accepted.
const MAX_BUCKETS: usize = 100_000;

/// Counts events in a sliding window of simulated time and reports them as a rate per second.
///
/// The window is a ring of `buckets` per-bucket counts, each `window / buckets` microseconds wide
/// (rounded down; the effective window is `buckets` times that). Memory is 8 bytes per bucket.
/// Events older than the window behind the newest event added so far are dropped (they still count
/// in [`WindowedRate::total`]). Reading the rate does not change anything. Typical use: a 1 s
/// window in 10 buckets of 100 ms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowedRate {
    /// Width of one bucket in microseconds (`>= 1`).
    bucket_width: SimTime,
    /// Per-bucket counts; absolute bucket `b` lives at `b % len`.
    counts: Vec<u64>,
    /// Absolute index (`time / bucket_width`) of the newest bucket.
    head: u64,
    /// Every event ever added, window or not.
    total: u64,
}

impl WindowedRate {
    /// A rate over the last `window` microseconds (at least `buckets`), split into `buckets`
    /// buckets (`1..=100_000`). More buckets make the window slide more smoothly.
    pub fn new(window: SimTime, buckets: usize) -> Result<Self, ConfigError> {
        if !(1..=MAX_BUCKETS).contains(&buckets) {
            return Err(ConfigError::new(
                "buckets",
                format!("must be between 1 and {MAX_BUCKETS}"),
            ));
        }
        if window < buckets as u64 {
            return Err(ConfigError::new(
                "window",
                "must be at least one microsecond per bucket",
            ));
        }
        Ok(Self {
            bucket_width: window / buckets as u64,
            counts: vec![0; buckets],
            head: 0,
            total: 0,
        })
    }

    /// The effective window length in microseconds (`buckets * bucket width`).
    pub fn window(&self) -> SimTime {
        self.bucket_width * self.counts.len() as u64
    }

    /// Records `n` events at time `now` (microseconds).
    pub fn add(&mut self, now: SimTime, n: u64) {
        self.total = self.total.saturating_add(n);
        let bucket = now / self.bucket_width;
        self.advance(bucket);
        // Too old for the ring: it no longer counts towards the window.
        if bucket.saturating_add(self.counts.len() as u64) <= self.head {
            return;
        }
        let slot = (bucket % self.counts.len() as u64) as usize;
        self.counts[slot] = self.counts[slot].saturating_add(n);
    }

    /// Records one event at time `now`.
    pub fn inc(&mut self, now: SimTime) {
        self.add(now, 1);
    }

    /// Every event ever recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Events per second over the window ending at `now`: the events in the window's buckets
    /// divided by the simulated time those buckets cover up to `now` (at least one bucket width,
    /// so the first instants of a run are not inflated, and the time before the run started is not
    /// counted as idle). Does not change the counter.
    pub fn per_sec(&self, now: SimTime) -> f64 {
        let len = self.counts.len() as u64;
        let newest = now / self.bucket_width;
        // Absolute buckets inside the window ending at `now`.
        let oldest = newest.saturating_add(1).saturating_sub(len);
        let mut events = 0u64;
        for offset in 0..len.min(self.head.saturating_add(1)) {
            let bucket = self.head - offset;
            if (oldest..=newest).contains(&bucket) {
                let slot = (bucket % len) as usize;
                events = events.saturating_add(self.counts[slot]);
            }
        }
        let covered = now
            .saturating_sub(oldest.saturating_mul(self.bucket_width))
            .max(self.bucket_width);
        events as f64 * MICROS_PER_SEC as f64 / covered as f64
    }

    /// Forgets all events (window and total).
    pub fn clear(&mut self) {
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.head = 0;
        self.total = 0;
    }

    /// Moves the newest bucket forward to `bucket`, zeroing the buckets that leave the window.
    fn advance(&mut self, bucket: u64) {
        if bucket <= self.head {
            return;
        }
        let len = self.counts.len() as u64;
        let steps = bucket - self.head;
        if steps >= len {
            self.counts.iter_mut().for_each(|c| *c = 0);
        } else {
            for b in self.head + 1..=bucket {
                self.counts[(b % len) as usize] = 0;
            }
        }
        self.head = bucket;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert!(WindowedRate::new(1_000_000, 0).is_err());
        assert!(WindowedRate::new(5, 10).is_err());
        assert!(WindowedRate::new(1_000_000, MAX_BUCKETS + 1).is_err());
        assert_eq!(WindowedRate::new(1_000_001, 10).unwrap().window(), 1_000_000);
    }

    #[test]
    fn steady_rate_is_reported() {
        // 1 s window in 10 buckets; one event every 10 ms = 100 per second.
        let mut r = WindowedRate::new(MICROS_PER_SEC, 10).unwrap();
        let mut t = 0;
        while t < 5 * MICROS_PER_SEC {
            r.inc(t);
            t += 10_000;
        }
        let rate = r.per_sec(t);
        assert!((rate - 100.0).abs() < 2.0, "{rate}");
        assert_eq!(r.total(), 500);
        // Early in the run the rate is already right, not diluted by the empty window.
        let mut early = WindowedRate::new(MICROS_PER_SEC, 10).unwrap();
        for k in 0..30 {
            early.inc(k * 10_000);
        }
        let rate = early.per_sec(300_000);
        assert!((rate - 100.0).abs() < 1e-9, "{rate}");
    }

    #[test]
    fn old_events_leave_the_window() {
        let mut r = WindowedRate::new(MICROS_PER_SEC, 10).unwrap();
        r.add(0, 1_000);
        // Reading does not need (or change) anything but the query time.
        assert_eq!(r.per_sec(2_000_000), 0.0);
        assert!(r.per_sec(500_000) > 0.0);
        assert_eq!(r.per_sec(1_000_000), 0.0);
        // Once a later event moves the window on, events added far in the past do not count.
        r.add(1_500_000, 1);
        r.add(0, 5);
        let rate = r.per_sec(1_500_000);
        assert!((rate - 1.0 / 0.9).abs() < 1e-9, "{rate}");
        assert_eq!(r.total(), 1_006);
        r.clear();
        assert_eq!(r.total(), 0);
        assert_eq!(r.per_sec(u64::MAX), 0.0);
    }
}
