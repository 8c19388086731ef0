//! Faults the learner injects (stop, restart or slow a replica, fail the primary) and the
//! incident log that records them with the semi-sync fallbacks.

use serde::{Deserialize, Serialize};

use super::lab::ReplicationLab;
use crate::engine::time::to_secs;

/// Largest factor [`ReplicationLab::slow_replica`] accepts.
pub const MAX_SLOW_FACTOR: f64 = 100.0;
/// Incidents kept (the most recent ones).
pub const MAX_INCIDENTS: usize = 32;

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

/// Something that happened to the topology.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// A replica was stopped.
    ReplicaStopped {
        /// Its id.
        replica: u32,
    },
    /// A stopped replica was restarted and catches up.
    ReplicaRestarted {
        /// Its id.
        replica: u32,
    },
    /// A replica's delay factor changed.
    ReplicaSlowed {
        /// Its id.
        replica: u32,
        /// The new factor (1: normal again).
        factor: f64,
    },
    /// The primary failed and a replica took over.
    Failover(Failover),
    /// Semi-sync: a write waited past the timeout; the primary acknowledges without replicas.
    SemiSyncFallback,
    /// Semi-sync: a replica caught up; the primary waits for receipts again.
    SemiSyncResumed {
        /// The replica that caught up.
        replica: u32,
    },
}

/// One entry of the incident log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// When, in simulated seconds.
    pub t_s: f64,
    /// What.
    pub kind: IncidentKind,
}

impl ReplicationLab {
    pub(super) fn incident(&mut self, kind: IncidentKind) {
        if self.incidents.len() >= MAX_INCIDENTS {
            self.incidents.pop_front();
        }
        self.incidents.push_back(Incident {
            t_s: to_secs(self.now()),
            kind,
        });
    }

    /// Stops the last running replica (it receives nothing and serves no reads; reads waiting
    /// for it time out to the primary). Returns its id, `None` when every replica is stopped.
    pub fn stop_replica(&mut self) -> Option<u32> {
        let r = self.replicas.iter_mut().rev().find(|r| !r.stopped)?;
        r.stopped = true;
        r.in_flight.clear();
        let id = r.id;
        self.incident(IncidentKind::ReplicaStopped { replica: id });
        Some(id)
    }

    /// Restarts every stopped replica: each one is sent everything it missed at once, receives
    /// it after one replication delay and applies it at its apply rate. Returns their ids.
    pub fn restart_replicas(&mut self) -> Vec<u32> {
        let now = self.now();
        let head = self.head;
        let written = self.write_time(head);
        let mut restarted = Vec::new();
        for i in 0..self.replicas.len() {
            let r = &mut self.replicas[i];
            if !r.stopped {
                continue;
            }
            r.stopped = false;
            r.last_receipt = now;
            r.last_apply = now;
            // What it had received but not applied was dropped with the stop: send it again.
            r.received = r.applied;
            let missing = head.saturating_sub(r.applied);
            restarted.push(r.id);
            if missing > 0 {
                self.ship(i, head, missing, written);
            }
        }
        for &id in &restarted {
            self.incident(IncidentKind::ReplicaRestarted { replica: id });
        }
        restarted
    }

    /// Multiplies the last running replica's replication delay by `factor` (clamped to
    /// `1..=100`; NaN counts as 1) for the writes shipped from now on. Returns its id.
    pub fn slow_replica(&mut self, factor: f64) -> Option<u32> {
        let factor = if factor.is_nan() {
            1.0
        } else {
            factor.clamp(1.0, MAX_SLOW_FACTOR)
        };
        let last = self.replicas.len().checked_sub(1)?;
        let index = (0..=last)
            .rev()
            .find(|&i| self.replicas.get(i).is_some_and(|r| !r.stopped))?;
        let r = self.replicas.get_mut(index)?;
        r.slow = factor;
        let id = r.id;
        if index == last {
            // The config's slow factor is the last replica's: keep them one.
            self.config.slow_factor = factor;
        }
        self.incident(IncidentKind::ReplicaSlowed { replica: id, factor });
        Some(id)
    }

    /// Fails the primary: promotes the running replica that received the most (lowest id on a
    /// tie), which first applies all it received. Acknowledged writes beyond that position are
    /// lost (counted); writes still waiting for their commit are dropped unacknowledged, and
    /// reads waiting for a session token go to the new primary. Sessions continue from the new
    /// primary's history (a lost write counts in the lost writes, not as a read violation). The
    /// other replicas follow the new primary. `None` (nothing happens) when no replica runs.
    pub fn fail_primary(&mut self) -> Option<Failover> {
        let index = (0..self.replicas.len())
            .filter(|&i| !self.replicas[i].stopped)
            .max_by_key(|&i| (self.replicas[i].received, std::cmp::Reverse(i)))?;
        let promoted = self.replicas.remove(index);
        let position = promoted.received;
        let lost = self.committed.saturating_sub(position);
        let old_primary = self.primary_id;
        self.failed_primaries.push(old_primary);
        self.primary_id = promoted.id;
        let dropped = self.head.saturating_sub(position) as usize;
        self.write_times
            .truncate(self.write_times.len().saturating_sub(dropped));
        self.head = position;
        self.committed = self.committed.min(position);
        self.pending.clear();
        self.fallback = false;
        self.epoch += 1;
        self.last_local_commit = self.now();
        self.lost = (lost, self.lost.1 + lost);
        self.failovers += 1;
        for s in self.sessions.iter_mut() {
            s.last_write = s.last_write.min(position);
            s.last_read = s.last_read.min(position);
        }
        self.release_waiting();
        let now = self.now();
        let written = self.write_time(position);
        for i in 0..self.replicas.len() {
            let r = &mut self.replicas[i];
            r.last_receipt = now;
            r.last_apply = now;
            r.in_flight.clear();
            // Anything it received from the old primary beyond the new head is discarded; what it
            // had not applied yet comes again from the new primary.
            r.applied = r.applied.min(position);
            r.received = r.applied;
            r.shipped = r.applied;
            let missing = position - r.applied;
            if !r.stopped && missing > 0 {
                self.ship(i, position, missing, written);
            }
        }
        let failover = Failover {
            new_primary: promoted.id,
            old_primary,
            lost_writes: lost,
        };
        self.incident(IncidentKind::Failover(failover.clone()));
        Some(failover)
    }
}
