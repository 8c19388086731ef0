//! How far an incremental computation has got, in abstract work units.

use serde::Serialize;

/// Progress of a sliced computation. One work unit is roughly one hash evaluation (hashing a key or
/// a point, placing a key with modulo/jump/ring, one rendezvous score), so a fixed budget per
/// animation frame takes a roughly fixed time whatever the strategy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Work units finished so far.
    pub done: u64,
    /// Work units in the whole computation (fixed when it starts).
    pub total: u64,
}

impl Progress {
    /// Whether everything is finished.
    pub fn is_done(&self) -> bool {
        self.done >= self.total
    }

    /// The finished fraction in `[0, 1]` (1 for an empty computation).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done.min(self.total)) as f64 / self.total as f64
        }
    }
}
