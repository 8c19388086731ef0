//! Faults the learner injects: stop or slow a replica, fail the primary.

use serde::{Deserialize, Serialize};

use super::lab::ReplicationLab;

/// Largest factor [`ReplicationLab::slow_replica`] accepts.
pub const MAX_SLOW_FACTOR: f64 = 100.0;

/// What a failover did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failover {
    /// Id of the replica promoted to primary.
    pub new_primary: u32,
    /// Id of the failed primary.
    pub old_primary: u32,
    /// Acknowledged writes the new primary never received, now lost.
    pub lost_writes: u64,
}

impl ReplicationLab {
    /// Stops the last running replica (it receives nothing and serves no reads). Returns its id,
    /// `None` when every replica is already stopped.
    pub fn stop_replica(&mut self) -> Option<u32> {
        let r = self.replicas.iter_mut().rev().find(|r| !r.stopped)?;
        r.stopped = true;
        Some(r.id)
    }

    /// Multiplies the last running replica's replication delay by `factor` (clamped to
    /// `1..=100`; NaN counts as 1) for the writes shipped from now on. Returns its id.
    pub fn slow_replica(&mut self, factor: f64) -> Option<u32> {
        let factor = if factor.is_nan() {
            1.0
        } else {
            factor.clamp(1.0, MAX_SLOW_FACTOR)
        };
        let r = self.replicas.iter_mut().rev().find(|r| !r.stopped)?;
        r.slow = factor;
        Some(r.id)
    }

    /// Fails the primary: promotes the running replica that received the most (lowest id on a
    /// tie), which first applies all it received. Acknowledged writes beyond that position are
    /// lost (counted); writes still waiting for confirmations are dropped unacknowledged. The
    /// other replicas follow the new primary. `None` (nothing happens) when no replica runs.
    pub fn fail_primary(&mut self) -> Option<Failover> {
        let index = (0..self.replicas.len())
            .filter(|&i| !self.replicas[i].stopped)
            .max_by_key(|&i| (self.replicas[i].received, std::cmp::Reverse(i)))?;
        let promoted = self.replicas.remove(index);
        let position = promoted.received;
        let lost = self.committed.saturating_sub(position);
        let old_primary = self.primary_id;
        self.primary_id = promoted.id;
        self.head = position;
        self.committed = self.committed.min(position);
        self.pending.clear();
        self.fallback = false;
        self.epoch += 1;
        self.stats.lost_writes += lost;
        self.stats.failovers += 1;
        let now = self.now();
        for i in 0..self.replicas.len() {
            let r = &mut self.replicas[i];
            r.last_receipt = now;
            r.last_apply = now;
            if !r.stopped && r.applied < position {
                self.ship(i, position, now);
            }
        }
        Some(Failover {
            new_primary: promoted.id,
            old_primary,
            lost_writes: lost,
        })
    }
}
