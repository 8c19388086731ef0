//! The worst window: the most requests admitted in any span of one window length, measured
//! exactly over the admission times.
//!
//! Admissions arrive in time order; the tracker keeps the times of those within the last window
//! (a ring) and, after each one, the count of admissions in `(t − window, t]`. The largest such
//! count is the most admitted in any half-open span of one window length. Memory is 8 bytes per
//! admission inside one window, capped at `cap` (past the cap the oldest times are dropped and the
//! result becomes a lower bound, flagged by [`WorstWindow::exact`]).

use std::collections::VecDeque;

use crate::engine::SimTime;

/// Admission times reserved up front per tracker, so that ordinary runs never grow the ring after
/// their first windows.
const RESERVED: usize = 1_024;

/// The most admitted in any span of one window. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct WorstWindow {
    window: SimTime,
    cap: usize,
    times: VecDeque<SimTime>,
    worst: u64,
    /// The end of the worst span found (the admission that completed it).
    worst_at: Option<SimTime>,
    exact: bool,
}

impl WorstWindow {
    /// A tracker over spans of `window` µs keeping at most `cap` times (both at least 1).
    pub fn new(window: SimTime, cap: usize) -> Self {
        let cap = cap.max(1);
        Self {
            window: window.max(1),
            cap,
            times: VecDeque::with_capacity(cap.min(RESERVED)),
            worst: 0,
            worst_at: None,
            exact: true,
        }
    }

    /// Records one admission at `t` (µs; not earlier than the previous one).
    pub fn record(&mut self, t: SimTime) {
        while self
            .times
            .front()
            .is_some_and(|&old| old.saturating_add(self.window) <= t)
        {
            self.times.pop_front();
        }
        if self.times.len() >= self.cap {
            self.times.pop_front();
            self.exact = false;
        }
        self.times.push_back(t);
        let count = self.times.len() as u64;
        if count > self.worst {
            self.worst = count;
            self.worst_at = Some(t);
        }
    }

    /// The most admitted in any span of one window so far.
    pub fn worst(&self) -> u64 {
        self.worst
    }

    /// When (µs) the worst span ended, if anything was admitted.
    pub fn worst_at(&self) -> Option<SimTime> {
        self.worst_at
    }

    /// Admitted in `(now − window, now]`.
    pub fn current(&self, now: SimTime) -> u64 {
        self.times
            .iter()
            .rev()
            .take_while(|&&t| t.saturating_add(self.window) > now)
            .count() as u64
    }

    /// Whether [`WorstWindow::worst`] is exact (the cap was never reached).
    pub fn exact(&self) -> bool {
        self.exact
    }

    /// Forgets everything (the window and cap stay).
    pub fn clear(&mut self) {
        self.times.clear();
        self.worst = 0;
        self.worst_at = None;
        self.exact = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_half_open_spans() {
        let mut w = WorstWindow::new(10, 100);
        for t in [0, 1, 2, 10, 11, 12, 13] {
            w.record(t);
        }
        // (3, 13] holds 10..=13: 4; (0, 10] would hold 1, 2, 10: 3.
        assert_eq!(w.worst(), 4);
        assert_eq!(w.worst_at(), Some(13));
        assert_eq!(w.current(13), 4);
        assert_eq!(w.current(21), 2);
        assert!(w.exact());
    }

    #[test]
    fn agrees_with_brute_force() {
        let mut rng = crate::engine::SimRng::new(5);
        let mut t = 0;
        let mut times = Vec::new();
        let mut w = WorstWindow::new(1_000, 10_000);
        for _ in 0..3_000 {
            t += rng.below(120);
            times.push(t);
            w.record(t);
        }
        let brute = times
            .iter()
            .map(|&end| times.iter().filter(|&&x| x <= end && x + 1_000 > end).count() as u64)
            .max()
            .unwrap_or(0);
        assert_eq!(w.worst(), brute);
    }

    #[test]
    fn the_cap_makes_it_a_lower_bound() {
        let mut w = WorstWindow::new(1_000, 5);
        for _ in 0..10 {
            w.record(7);
        }
        assert_eq!(w.worst(), 5);
        assert!(!w.exact());
        w.clear();
        assert_eq!(w.worst(), 0);
        assert!(w.exact());
    }
}
