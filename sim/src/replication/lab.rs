//! The replication lab: one primary, its replicas, the client sessions and the clock.

use std::collections::VecDeque;

use super::commit::CommitMode;
use super::config::Config;
use super::replica::Replica;
use super::routing::Routing;
use super::session::{EventKind, Session, SessionEvent};
use super::stats::Stats;
use crate::engine::time::{from_millis, from_secs, to_millis, to_secs};
use crate::engine::{Exponential, LogNormal, Scheduler, SimRng, SimTime};
use crate::ConfigError;

/// Session events kept for the space-time diagram (the most recent ones).
pub const RECENT_EVENTS: usize = 256;
/// Writes waiting for replica confirmations at most; further writes are refused.
pub const MAX_PENDING: usize = 10_000;
/// Time between two chart samples, in ms.
pub const SAMPLE_MS: f64 = 100.0;

/// What happens on the clock.
#[derive(Clone, Debug)]
pub(super) enum Event {
    Write,
    Read,
    Received {
        replica: u32,
        pos: u64,
        epoch: u64,
    },
    Applied {
        replica: u32,
        pos: u64,
        written_at: SimTime,
        epoch: u64,
    },
    SemiTimeout {
        pos: u64,
        epoch: u64,
    },
    Sample,
}

/// A write waiting for replica confirmations.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    pub pos: u64,
    pub session: u32,
    pub start: SimTime,
}

/// The replication lag lab. Build with [`ReplicationLab::new`], advance with
/// [`ReplicationLab::step_until`], read with [`ReplicationLab::snapshot`].
#[derive(Clone, Debug)]
pub struct ReplicationLab {
    pub(super) config: Config,
    pub(super) sched: Scheduler<Event>,
    arrivals: SimRng,
    delays: SimRng,
    routes: SimRng,
    delay: Option<LogNormal>,
    write_gap: Option<Exponential>,
    read_gap: Option<Exponential>,
    pub(super) primary_id: u32,
    pub(super) head: u64,
    pub(super) committed: u64,
    pub(super) replicas: Vec<Replica>,
    pub(super) sessions: Vec<Session>,
    pub(super) pending: VecDeque<Pending>,
    pub(super) epoch: u64,
    pub(super) fallback: bool,
    pub(super) stats: Stats,
    pub(super) events: VecDeque<SessionEvent>,
}

/// Mean gap between Poisson arrivals at `rate` per second, in seconds; `None` for no arrivals.
fn gap(rate: f64) -> Option<Exponential> {
    if rate > 0.0 {
        Exponential::new(1.0 / rate).ok()
    } else {
        None
    }
}

impl ReplicationLab {
    /// A lab at time 0 with every replica at position 0. Rejects an invalid config.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut root = SimRng::new(config.seed);
        let delay = if config.lag_ms > 0.0 {
            let sd = config.jitter_ms.min(config.lag_ms * 1_000.0);
            Some(LogNormal::from_mean_sd(config.lag_ms, sd)?)
        } else {
            None
        };
        let n = config.replicas;
        let replicas: Vec<Replica> = (1..=n)
            .map(|id| Replica::new(id, if id == n { config.slow_factor } else { 1.0 }))
            .collect();
        let sessions = (0..config.sessions)
            .map(|i| Session {
                sticky: replicas.get(i as usize % replicas.len().max(1)).map(|r| r.id),
                ..Session::default()
            })
            .collect();
        let mut lab = Self {
            arrivals: root.fork(1),
            delays: root.fork(2),
            routes: root.fork(3),
            delay,
            write_gap: gap(config.write_rate),
            read_gap: gap(config.read_rate),
            sched: Scheduler::new(),
            primary_id: 0,
            head: 0,
            committed: 0,
            replicas,
            sessions,
            pending: VecDeque::new(),
            epoch: 0,
            fallback: false,
            stats: Stats::new(),
            events: VecDeque::new(),
            config,
        };
        lab.schedule_arrival(Event::Write);
        lab.schedule_arrival(Event::Read);
        lab.sched.schedule_at(0, Event::Sample);
        Ok(lab)
    }

    /// The config the lab runs.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Current simulated time, in µs.
    pub fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// Runs every event up to and including time `t` (µs). Calls can be sliced: running to `a`
    /// then to `b` equals running to `b`.
    pub fn step_until(&mut self, t: SimTime) {
        while let Some(event) = self.sched.next_before(t) {
            self.handle(event);
        }
    }

    fn schedule_arrival(&mut self, event: Event) {
        let dist = match event {
            Event::Write => self.write_gap,
            _ => self.read_gap,
        };
        if let Some(d) = dist {
            let dt = from_secs(d.sample(&mut self.arrivals)).max(1);
            self.sched.schedule_in(dt, event);
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Write => {
                self.schedule_arrival(Event::Write);
                self.on_write();
            }
            Event::Read => {
                self.schedule_arrival(Event::Read);
                self.on_read();
            }
            Event::Received { replica, pos, epoch } => self.on_received(replica, pos, epoch),
            Event::Applied {
                replica,
                pos,
                written_at,
                epoch,
            } => self.on_applied(replica, pos, written_at, epoch),
            Event::SemiTimeout { pos, epoch } => self.on_semi_timeout(pos, epoch),
            Event::Sample => self.on_sample(),
        }
    }

    fn pick_session(&mut self) -> u32 {
        self.arrivals.below(self.sessions.len() as u64) as u32
    }

    /// Confirmations a waiting write needs: `acks`, capped at the replicas there are.
    pub(super) fn needed_acks(&self) -> usize {
        (self.config.acks as usize).min(self.replicas.len())
    }

    fn on_write(&mut self) {
        let session = self.pick_session();
        if self.pending.len() >= MAX_PENDING {
            self.stats.refused_writes += 1;
            return;
        }
        self.head += 1;
        let pos = self.head;
        let now = self.now();
        for i in 0..self.replicas.len() {
            if !self.replicas[i].stopped {
                self.ship(i, pos, now);
            }
        }
        let waits = match self.config.commit {
            CommitMode::Async => false,
            CommitMode::SemiSync => !self.fallback,
            CommitMode::Sync => true,
        };
        if !waits || self.needed_acks() == 0 {
            self.ack(pos, session, now);
            return;
        }
        self.pending.push_back(Pending {
            pos,
            session,
            start: now,
        });
        if self.config.commit == CommitMode::SemiSync {
            let at = now.saturating_add(from_millis(self.config.semi_sync_timeout_ms));
            self.sched
                .schedule_at(at, Event::SemiTimeout { pos, epoch: self.epoch });
        }
    }

    /// Sends position `pos` (written at `written_at`) to replica `index`: it arrives after one
    /// delay sample (in order) and is applied at the replica's apply rate.
    pub(super) fn ship(&mut self, index: usize, pos: u64, written_at: SimTime) {
        let now = self.now();
        let delay_ms = match self.delay {
            Some(d) => d.sample(&mut self.delays),
            None => 0.0,
        };
        let service = from_secs(1.0 / self.config.apply_rate);
        let epoch = self.epoch;
        let Some(r) = self.replicas.get_mut(index) else {
            return;
        };
        let receipt = now.saturating_add(from_millis(delay_ms * r.slow)).max(r.last_receipt);
        let apply = receipt.max(r.last_apply).saturating_add(service);
        r.last_receipt = receipt;
        r.last_apply = apply;
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

    fn on_received(&mut self, id: u32, pos: u64, epoch: u64) {
        let Some(r) = self.replica_mut(id, epoch) else {
            return;
        };
        r.received = r.received.max(pos);
        let received = r.received;
        if self.config.commit == CommitMode::SemiSync {
            if self.fallback && received >= self.head {
                // A replica caught up: the primary waits for receipts again.
                self.fallback = false;
            }
            self.try_ack();
        }
    }

    fn on_applied(&mut self, id: u32, pos: u64, written_at: SimTime, epoch: u64) {
        let now = self.now();
        let Some(r) = self.replica_mut(id, epoch) else {
            return;
        };
        r.received = r.received.max(pos);
        r.applied = r.applied.max(pos);
        let lag = to_millis(now.saturating_sub(written_at));
        r.last_lag_ms = lag;
        self.stats.lag_ms.record(lag);
        if self.config.commit == CommitMode::Sync {
            self.try_ack();
        }
    }

    /// Acknowledges the waiting writes that have their confirmations, oldest first.
    fn try_ack(&mut self) {
        let need = self.needed_acks();
        let sync = self.config.commit == CommitMode::Sync;
        while let Some(front) = self.pending.front() {
            let pos = front.pos;
            let confirmed = self
                .replicas
                .iter()
                .filter(|r| if sync { r.applied >= pos } else { r.received >= pos })
                .count();
            if confirmed < need {
                break;
            }
            if let Some(p) = self.pending.pop_front() {
                self.ack(p.pos, p.session, p.start);
            }
        }
    }

    fn on_semi_timeout(&mut self, pos: u64, epoch: u64) {
        let still_waiting = self.pending.front().is_some_and(|p| p.pos <= pos);
        if epoch != self.epoch || self.fallback || !still_waiting {
            return;
        }
        self.fallback = true;
        self.stats.fallbacks += 1;
        while let Some(p) = self.pending.pop_front() {
            self.ack(p.pos, p.session, p.start);
        }
    }

    /// The write at `pos` is acknowledged to its session.
    fn ack(&mut self, pos: u64, session: u32, start: SimTime) {
        let now = self.now();
        self.committed = self.committed.max(pos);
        if let Some(s) = self.sessions.get_mut(session as usize) {
            s.last_write = s.last_write.max(pos);
            s.last_write_at = Some(now);
        }
        self.stats.writes_acked += 1;
        self.stats.write_latency_ms.record(to_millis(now.saturating_sub(start)));
        let event = SessionEvent {
            t_s: to_secs(now),
            session,
            kind: EventKind::Write,
            node: self.primary_id,
            position: pos,
            stale: false,
            ryw_violation: false,
            monotonic_violation: false,
        };
        self.remember(event);
    }

    fn remember(&mut self, event: SessionEvent) {
        if self.events.len() >= RECENT_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    fn random_replica(&mut self) -> Option<usize> {
        let running: Vec<usize> = (0..self.replicas.len())
            .filter(|&i| !self.replicas[i].stopped)
            .collect();
        if running.is_empty() {
            return None;
        }
        running.get(self.routes.below(running.len() as u64) as usize).copied()
    }

    /// The replica (index) that answers a read of `session`, `None` for the primary.
    fn route(&mut self, session: usize) -> Option<usize> {
        let now = self.now();
        let s = self.sessions.get(session).cloned().unwrap_or_default();
        match self.config.routing {
            Routing::Replica => self.random_replica(),
            Routing::Primary => None,
            Routing::PrimaryAfterWrite => {
                let window = from_millis(self.config.window_ms);
                match s.last_write_at {
                    Some(at) if now.saturating_sub(at) < window => None,
                    _ => self.random_replica(),
                }
            }
            Routing::Sticky => {
                let current = s
                    .sticky
                    .and_then(|id| self.replicas.iter().position(|r| r.id == id && !r.stopped));
                if current.is_some() {
                    return current;
                }
                let pick = self.random_replica();
                if let (Some(i), Some(state)) = (pick, self.sessions.get_mut(session)) {
                    state.sticky = Some(self.replicas[i].id);
                }
                pick
            }
            Routing::SessionToken => {
                let token = s.last_write.max(s.last_read);
                self.random_replica().filter(|&i| self.replicas[i].applied >= token)
            }
        }
    }

    fn on_read(&mut self) {
        let session = self.pick_session();
        let node = self.route(session as usize);
        let (node_id, position) = match node.and_then(|i| self.replicas.get(i)) {
            Some(r) => (r.id, r.applied),
            None => (self.primary_id, self.head),
        };
        let Some(s) = self.sessions.get_mut(session as usize) else {
            return;
        };
        let stale = position < self.committed;
        let ryw = position < s.last_write;
        let monotonic = position < s.last_read;
        s.last_read = s.last_read.max(position);
        let st = &mut self.stats;
        st.reads += 1;
        st.stale_reads += u64::from(stale);
        st.ryw_violations += u64::from(ryw);
        st.monotonic_violations += u64::from(monotonic);
        st.primary_reads += u64::from(node.is_none());
        let event = SessionEvent {
            t_s: to_secs(self.now()),
            session,
            kind: EventKind::Read,
            node: node_id,
            position,
            stale,
            ryw_violation: ryw,
            monotonic_violation: monotonic,
        };
        self.remember(event);
    }

    fn on_sample(&mut self) {
        let t = to_secs(self.now());
        let running = self.replicas.iter().filter(|r| !r.stopped);
        let lag = running.clone().map(|r| r.last_lag_ms).fold(0.0, f64::max);
        let behind = running.map(|r| self.head.saturating_sub(r.applied)).max().unwrap_or(0);
        self.stats.lag_series.push(t, lag);
        self.stats.behind_series.push(t, behind as f64);
        self.sched.schedule_in(from_millis(SAMPLE_MS), Event::Sample);
    }
}
