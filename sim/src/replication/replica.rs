//! One replica's state: the log positions it received and applied.

use crate::engine::SimTime;

/// A replica of the primary's log.
#[derive(Clone, Debug, PartialEq)]
pub struct Replica {
    /// Stable identity shown in the UI (the first primary is 0, replicas 1..=5).
    pub id: u32,
    /// Highest log position received (in its relay log).
    pub received: u64,
    /// Highest log position applied, hence visible to reads.
    pub applied: u64,
    /// Stopped replicas receive nothing and serve no reads.
    pub stopped: bool,
    /// Factor on this replica's replication delay (1: normal).
    pub slow: f64,
    /// Time the last shipped write reaches it (keeps the stream in order), in µs.
    pub(crate) last_receipt: SimTime,
    /// Time it finishes applying the last shipped write, in µs.
    pub(crate) last_apply: SimTime,
    /// Delay between a write and its apply here, for the last applied write, in ms.
    pub last_lag_ms: f64,
}

impl Replica {
    /// A fresh, running replica at position 0.
    pub fn new(id: u32, slow: f64) -> Self {
        Self {
            id,
            received: 0,
            applied: 0,
            stopped: false,
            slow,
            last_receipt: 0,
            last_apply: 0,
            last_lag_ms: 0.0,
        }
    }
}
