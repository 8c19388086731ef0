//! Writes: the primary logs a write, commits it locally, ships it to every running replica, and
//! acknowledges it when the commit mode allows (after the local commit; with semi-sync also after
//! `acks` receipts, with sync after `acks` applies).

use super::commit::CommitMode;
use super::faults::IncidentKind;
use super::lab::{Event, Pending, ReplicationLab, MAX_PENDING};
use super::replica::{InFlight, Replica};
use super::session::{EventKind, SessionEvent, TRACKED_SESSIONS};
use crate::engine::time::{from_millis, from_secs, to_millis, to_secs};
use crate::engine::SimTime;

impl ReplicationLab {
    /// Confirmations a waiting write needs: `acks`, capped at the replicas there are.
    pub(super) fn needed_acks(&self) -> usize {
        (self.config.acks as usize).min(self.replicas.len())
    }

    pub(super) fn on_write(&mut self) {
        let session = self.pick_session(0);
        if self.pending.len() >= MAX_PENDING {
            self.stats.refused_writes += 1;
            return;
        }
        self.head += 1;
        let pos = self.head;
        let now = self.now();
        self.remember_write_time(now);
        for i in 0..self.replicas.len() {
            if !self.replicas[i].stopped {
                self.ship(i, pos, 1, now);
            }
        }
        let waits = match self.config.commit {
            CommitMode::Async => false,
            CommitMode::SemiSync => !self.fallback,
            CommitMode::Sync => true,
        } && self.needed_acks() > 0;
        let local_ms = match self.commit_time {
            Some(d) => d.sample(&mut self.service),
            None => 0.0,
        };
        let local_at = now.saturating_add(from_millis(local_ms)).max(self.last_local_commit);
        self.last_local_commit = local_at;
        self.pending.push_back(Pending {
            pos,
            session,
            start: now,
            local_done: false,
            waits,
        });
        let epoch = self.epoch;
        self.sched.schedule_at(local_at, Event::LocalCommit { pos, epoch });
        if waits && self.config.commit == CommitMode::SemiSync {
            let at = now.saturating_add(from_millis(self.config.semi_sync_timeout_ms));
            self.sched.schedule_at(at, Event::SemiTimeout { pos, epoch });
        }
    }

    /// Sends positions up to `pos` (`count` writes, the last one written at `written_at`) to
    /// replica `index`: they arrive after one delay sample, in order, and are applied at the
    /// replica's apply rate.
    pub(super) fn ship(&mut self, index: usize, pos: u64, count: u64, written_at: SimTime) {
        let now = self.now();
        let delay_ms = match self.delay {
            Some(d) => d.sample(&mut self.delays),
            None => 0.0,
        };
        let service = from_secs(count.max(1) as f64 / self.config.apply_rate);
        let epoch = self.epoch;
        let Some(r) = self.replicas.get_mut(index) else {
            return;
        };
        let receipt = now.saturating_add(from_millis(delay_ms * r.slow)).max(r.last_receipt);
        let apply = receipt.max(r.last_apply).saturating_add(service);
        r.last_receipt = receipt;
        r.last_apply = apply;
        r.send(InFlight {
            pos,
            sent: now,
            arrives: receipt,
        });
        let replica = r.id;
        self.sched.schedule_at(receipt, Event::Received { replica, pos, epoch });
        self.sched.schedule_at(
            apply,
            Event::Applied {
                replica,
                pos,
                written_at,
                epoch,
            },
        );
    }

    fn replica_mut(&mut self, id: u32, epoch: u64) -> Option<&mut Replica> {
        if epoch != self.epoch {
            return None;
        }
        self.replicas.iter_mut().find(|r| r.id == id && !r.stopped)
    }

    pub(super) fn on_local_commit(&mut self, pos: u64, epoch: u64) {
        if epoch != self.epoch {
            return;
        }
        // Pending positions are increasing: find this one by bisection.
        if let Ok(i) = self.pending.binary_search_by_key(&pos, |p| p.pos) {
            if let Some(p) = self.pending.get_mut(i) {
                p.local_done = true;
            }
        }
        self.try_ack();
    }

    pub(super) fn on_received(&mut self, id: u32, pos: u64, epoch: u64) {
        let Some(r) = self.replica_mut(id, epoch) else {
            return;
        };
        r.received = r.received.max(pos);
        r.landed();
        let received = r.received;
        if self.config.commit == CommitMode::SemiSync {
            if self.fallback && received >= self.head {
                // A replica caught up: the primary waits for receipts again.
                self.fallback = false;
                self.incident(IncidentKind::SemiSyncResumed { replica: id });
            }
            self.try_ack();
        }
    }

    pub(super) fn on_applied(&mut self, id: u32, pos: u64, written_at: SimTime, epoch: u64) {
        let now = self.now();
        let Some(r) = self.replica_mut(id, epoch) else {
            return;
        };
        r.received = r.received.max(pos);
        r.applied = r.applied.max(pos);
        r.landed();
        let lag = to_millis(now.saturating_sub(written_at));
        r.last_lag_ms = lag;
        self.stats.lag_ms.record(lag);
        self.wake_waiting(id);
        if self.config.commit == CommitMode::Sync {
            self.try_ack();
        }
    }

    /// Acknowledges the pending writes that may be, oldest first (the log commits in order).
    pub(super) fn try_ack(&mut self) {
        let need = self.needed_acks();
        let sync = self.config.commit == CommitMode::Sync;
        while let Some(front) = self.pending.front() {
            if !front.local_done {
                break;
            }
            if front.waits {
                let pos = front.pos;
                let confirmed = self
                    .replicas
                    .iter()
                    .filter(|r| if sync { r.applied >= pos } else { r.received >= pos })
                    .count();
                if confirmed < need {
                    break;
                }
            }
            if let Some(p) = self.pending.pop_front() {
                self.ack(p);
            }
        }
    }

    pub(super) fn on_semi_timeout(&mut self, pos: u64, epoch: u64) {
        let still_waiting = self.pending.iter().take_while(|p| p.pos <= pos).any(|p| p.waits);
        if epoch != self.epoch || self.config.commit != CommitMode::SemiSync || self.fallback || !still_waiting {
            return;
        }
        self.fallback = true;
        self.stats.fallbacks += 1;
        self.incident(IncidentKind::SemiSyncFallback);
        for p in self.pending.iter_mut() {
            p.waits = false;
        }
        self.try_ack();
    }

    /// The write is acknowledged to its session.
    fn ack(&mut self, p: Pending) {
        let now = self.now();
        self.committed = self.committed.max(p.pos);
        if let Some(s) = self.sessions.get_mut(p.session as usize) {
            s.last_write = s.last_write.max(p.pos);
            s.last_write_at = Some(now);
        }
        let latency = to_millis(now.saturating_sub(p.start));
        self.stats.writes_acked += 1;
        self.stats.write_latency_ms[usize::from(p.waits)].record(latency);
        if p.session < TRACKED_SESSIONS {
            self.remember(SessionEvent {
                t_s: to_secs(now),
                session: p.session,
                kind: EventKind::Write,
                node: self.primary_id,
                by_primary: true,
                position: p.pos,
                own_write: p.pos,
                seen: 0,
                latency_ms: latency,
                waited: p.waits,
                stale: false,
                ryw_violation: false,
                monotonic_violation: false,
            });
        }
    }
}
