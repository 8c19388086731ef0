//! resilience4j's time-based sliding window: the calls of the last N seconds, aggregated in one
//! bucket per epoch second.

use super::outcome::CallKind;
use super::totals::Totals;
use crate::engine::time::MICROS_PER_SEC;
use crate::engine::SimTime;

/// The calls recorded in the last `seconds` epoch seconds: a ring of per-second totals, as in
/// resilience4j's `SlidingTimeWindowMetrics`. A call at time `t` falls in second `floor(t / 1 s)`;
/// the window holds the current second and the `seconds - 1` before it, so a call is forgotten
/// between `seconds - 1` and `seconds` seconds after it was recorded. O(1) amortised per call,
/// memory 24 bytes per second of window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    buckets: Vec<Totals>,
    /// The epoch second of the newest bucket.
    head: u64,
    totals: Totals,
}

impl TimeWindow {
    /// An empty window of `seconds` seconds (at least 1).
    pub fn new(seconds: usize) -> Self {
        Self {
            buckets: vec![Totals::default(); seconds.max(1)],
            head: 0,
            totals: Totals::default(),
        }
    }

    /// Moves the window so that it ends in the second holding `now` (µs), forgetting the seconds that
    /// leave it. Never moves backwards.
    pub fn advance(&mut self, now: SimTime) {
        let epoch = now / MICROS_PER_SEC;
        if epoch <= self.head {
            return;
        }
        let len = self.buckets.len() as u64;
        let steps = (epoch - self.head).min(len);
        for step in 1..=steps {
            let index = ((self.head + step) % len) as usize;
            if let Some(bucket) = self.buckets.get_mut(index) {
                self.totals.remove_all(*bucket);
                *bucket = Totals::default();
            }
        }
        self.head = epoch;
    }

    /// Records a call at `now` (µs), moving the window first.
    pub fn record(&mut self, now: SimTime, kind: CallKind) {
        self.advance(now);
        let index = (self.head % self.buckets.len() as u64) as usize;
        if let Some(bucket) = self.buckets.get_mut(index) {
            bucket.add(kind);
            self.totals.add(kind);
        }
    }

    /// The totals of the calls in the window (as of the last advance).
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// When the window starts (µs): the beginning of its oldest second.
    pub fn start(&self) -> SimTime {
        let oldest = (self.head + 1).saturating_sub(self.buckets.len() as u64);
        oldest.saturating_mul(MICROS_PER_SEC)
    }
}
