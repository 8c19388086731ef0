//! One replica's state: the log positions it received and applied, and the writes on their way.

use std::collections::VecDeque;

use crate::engine::SimTime;

/// Writes in flight shown per replica in the topology view (spread evenly over those kept).
pub const IN_FLIGHT_SHOWN: usize = 16;
/// Writes in flight remembered per replica (the newest ones).
const IN_FLIGHT_KEPT: usize = 256;

/// A write on its way to a replica.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct InFlight {
    pub pos: u64,
    pub sent: SimTime,
    pub arrives: SimTime,
}

/// A replica of the primary's log.
#[derive(Clone, Debug, PartialEq)]
pub struct Replica {
    /// Stable identity shown in the UI (the first primary is 0, replicas 1..=5).
    pub id: u32,
    /// Highest log position shipped to it.
    pub shipped: u64,
    /// Highest log position received (in its relay log).
    pub received: u64,
    /// Highest log position applied, hence visible to reads.
    pub applied: u64,
    /// Stopped replicas receive nothing and serve no reads.
    pub stopped: bool,
    /// Factor on this replica's replication delay (1: normal).
    pub slow: f64,
    /// Reads it answered since the counters last restarted.
    pub reads: u64,
    /// Time the last shipped write reaches it (keeps the stream in order), in µs.
    pub(crate) last_receipt: SimTime,
    /// Time it finishes applying the last shipped write, in µs.
    pub(crate) last_apply: SimTime,
    /// Delay between a write and its apply here, for the last applied write, in ms.
    pub last_lag_ms: f64,
    /// The newest writes on their way here, oldest first (at most 256).
    pub(super) in_flight: VecDeque<InFlight>,
}

impl Replica {
    /// A fresh, running replica at position 0.
    pub fn new(id: u32, slow: f64) -> Self {
        Self {
            id,
            shipped: 0,
            received: 0,
            applied: 0,
            stopped: false,
            slow,
            reads: 0,
            last_receipt: 0,
            last_apply: 0,
            last_lag_ms: 0.0,
            in_flight: VecDeque::new(),
        }
    }

    /// Remembers a write sent now, to arrive at `arrives` (keeps the newest few).
    pub(super) fn send(&mut self, write: InFlight) {
        self.shipped = self.shipped.max(write.pos);
        if self.in_flight.len() >= IN_FLIGHT_KEPT {
            self.in_flight.pop_front();
        }
        self.in_flight.push_back(write);
    }

    /// Forgets the writes in flight up to what it received.
    pub(super) fn landed(&mut self) {
        while self.in_flight.front().is_some_and(|w| w.pos <= self.received) {
            self.in_flight.pop_front();
        }
    }

    /// Up to [`IN_FLIGHT_SHOWN`] of the remembered writes in flight, spread evenly from the
    /// oldest to the newest.
    pub(super) fn in_flight_sample(&self) -> impl Iterator<Item = &InFlight> {
        let n = self.in_flight.len();
        let shown = n.min(IN_FLIGHT_SHOWN);
        (0..shown).filter_map(move |k| {
            let index = if shown <= 1 { n - 1 } else { k * (n - 1) / (shown - 1) };
            self.in_flight.get(index)
        })
    }

    /// Writes shipped but not received yet.
    pub fn in_flight_count(&self) -> u64 {
        if self.stopped {
            0
        } else {
            self.shipped.saturating_sub(self.received)
        }
    }
}
