//! One balancer's own routing state: its round robin cursor, its smooth weighted round robin
//! scores and its peak EWMA latency averages (what it learns from its own responses).

use super::wrr::SmoothWrr;
use crate::engine::time::MICROS_PER_SEC;
use crate::engine::SimTime;

/// Peak EWMA's time constant: 10 s (Finagle's and Linkerd's default), in µs.
pub const PEAK_EWMA_TAU: SimTime = 10 * MICROS_PER_SEC;

/// A peak EWMA latency average for one server (Finagle's `PeakEwma`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct PeakEwma {
    /// The average, in ms (0 before the first response: an unknown server looks fastest).
    cost_ms: f64,
    /// When it was last updated (µs).
    stamp: SimTime,
}

impl PeakEwma {
    fn decay(&self, now: SimTime) -> f64 {
        let dt = now.saturating_sub(self.stamp) as f64;
        libm::exp(-dt / PEAK_EWMA_TAU as f64)
    }

    /// Reads the average at `now`, first decaying it toward 0 for the time since its last update
    /// (as Finagle's `getCost` does: a server that gets no responses is tried again eventually).
    pub(super) fn read(&mut self, now: SimTime) -> f64 {
        self.cost_ms *= self.decay(now);
        self.stamp = self.stamp.max(now);
        self.cost_ms
    }

    /// A response took `latency_ms`: a slower one than the average replaces it at once (the
    /// peak), a faster one pulls it down with weight `1 - exp(-Δt / τ)`.
    pub(super) fn observe(&mut self, latency_ms: f64, now: SimTime) {
        let w = self.decay(now);
        self.cost_ms = if latency_ms > self.cost_ms {
            latency_ms
        } else {
            self.cost_ms * w + latency_ms * (1.0 - w)
        };
        self.stamp = self.stamp.max(now);
    }
}

/// One balancer.
#[derive(Clone, Debug)]
pub(super) struct Balancer {
    /// Requests it received since the counters restarted.
    pub(super) sent: u64,
    /// Round robin: the membership position to try next.
    pub(super) cursor: usize,
    /// Smooth weighted round robin's scores.
    pub(super) wrr: SmoothWrr,
    /// Peak EWMA: each slot's latency average as this balancer saw it.
    pub(super) ewma: Vec<PeakEwma>,
}

impl Balancer {
    /// A balancer knowing `slots` servers.
    pub(super) fn new(slots: usize) -> Self {
        Self {
            sent: 0,
            cursor: 0,
            wrr: SmoothWrr::new(slots),
            ewma: vec![PeakEwma::default(); slots],
        }
    }

    /// Adds a slot (or resets a reused one).
    pub(super) fn reset_slot(&mut self, slot: usize) {
        self.wrr.reset_slot(slot);
        if self.ewma.len() <= slot {
            self.ewma.resize(slot + 1, PeakEwma::default());
        }
        if let Some(e) = self.ewma.get_mut(slot) {
            *e = PeakEwma::default();
        }
    }

    /// Forgets the algorithms' state (a new algorithm starts fresh).
    pub(super) fn reset_routing(&mut self) {
        self.cursor = 0;
        self.wrr.reset();
        self.ewma.iter_mut().for_each(|e| *e = PeakEwma::default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_ewma_jumps_up_and_decays() {
        let mut e = PeakEwma::default();
        e.observe(100.0, 0);
        assert_eq!(e.read(0), 100.0);
        e.observe(10.0, 1_000);
        assert!(e.read(1_000) > 99.0);
        let later = e.read(10 * MICROS_PER_SEC + 1_000);
        assert!((later / 100.0 - libm::exp(-1.0)).abs() < 0.01, "{later}");
        e.observe(500.0, 11 * MICROS_PER_SEC);
        assert_eq!(e.read(11 * MICROS_PER_SEC), 500.0);
    }
}
