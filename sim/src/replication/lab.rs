//! The replication lab: one primary, its replicas, the client sessions and the clock.
//! Writes are in `writes.rs`, reads in `reads.rs`, faults in `faults.rs`, live settings in
//! `live.rs`.

use std::collections::{BTreeMap, VecDeque};

use super::config::Config;
use super::faults::Incident;
use super::replica::Replica;
use super::session::{ReadRequest, Session, SessionEvent};
use super::stats::{Charts, Stats};
use crate::engine::time::{from_millis, from_secs, to_millis, to_secs};
use crate::engine::{Exponential, LogNormal, Scheduler, SimRng, SimTime};
use crate::ConfigError;

/// Session events kept for the space-time diagram (the most recent ones of the tracked sessions).
pub const RECENT_EVENTS: usize = 256;
/// Writes waiting for their commit at most; further writes are refused.
pub const MAX_PENDING: usize = 10_000;
/// Reads waiting for a session token at most; further reads go to the primary at once.
pub const MAX_WAITING: usize = 10_000;
/// Time between two chart samples, in ms.
pub const SAMPLE_MS: f64 = 100.0;
/// Write times the primary remembers (for the lag of replicas far behind, the oldest one).
const WRITE_TIMES: usize = 16_384;

/// What happens on the clock.
#[derive(Clone, Debug)]
pub(super) enum Event {
    Write,
    Read,
    LocalCommit {
        pos: u64,
        epoch: u64,
    },
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
    ReadTimeout {
        key: WaitKey,
    },
    Sample,
}

/// A read waiting for a session token: `(replica id, token, sequence number)`.
pub(super) type WaitKey = (u32, u64, u64);

/// A write waiting for its commit.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    pub pos: u64,
    pub session: u32,
    pub start: SimTime,
    /// The primary has committed it to its own log.
    pub local_done: bool,
    /// It waits for replica confirmations (semi-sync before a fallback, sync).
    pub waits: bool,
}

/// The replication lag lab. Build with [`ReplicationLab::new`], advance with
/// [`ReplicationLab::step_until`], read with [`ReplicationLab::snapshot`].
#[derive(Clone, Debug)]
pub struct ReplicationLab {
    pub(super) config: Config,
    pub(super) sched: Scheduler<Event>,
    pub(super) arrivals: SimRng,
    pub(super) delays: SimRng,
    pub(super) routes: SimRng,
    pub(super) service: SimRng,
    pub(super) delay: Option<LogNormal>,
    pub(super) read_time: Option<LogNormal>,
    pub(super) commit_time: Option<LogNormal>,
    write_gap: Option<Exponential>,
    read_gap: Option<Exponential>,
    /// Whether the next write / read arrival is on the clock.
    armed: (bool, bool),
    pub(super) primary_id: u32,
    /// Ids of the primaries that failed, oldest first (at most one per replica: each failover
    /// promotes one).
    pub(super) failed_primaries: Vec<u32>,
    pub(super) head: u64,
    pub(super) committed: u64,
    /// When the primary's last local commit finishes (commits finish in log order), in µs.
    pub(super) last_local_commit: SimTime,
    /// Write times of the newest positions, the last one being `head`'s.
    pub(super) write_times: VecDeque<SimTime>,
    pub(super) replicas: Vec<Replica>,
    pub(super) sessions: Vec<Session>,
    pub(super) pending: VecDeque<Pending>,
    pub(super) waiting: BTreeMap<WaitKey, ReadRequest>,
    pub(super) wait_seq: u64,
    pub(super) epoch: u64,
    pub(super) fallback: bool,
    pub(super) stats: Stats,
    pub(super) charts: Charts,
    pub(super) events: VecDeque<SessionEvent>,
    pub(super) incidents: VecDeque<Incident>,
    /// Acknowledged writes lost at the last failover, and in all failovers.
    pub(super) lost: (u64, u64),
    pub(super) failovers: u64,
    /// Arrivals so far and a hash of their times, sessions and kinds: equal for two labs that
    /// saw the same workload.
    pub(super) workload: (u64, u64),
}

/// Mean gap between Poisson arrivals at `rate` per second, in seconds; `None` for no arrivals.
fn gap(rate: f64) -> Option<Exponential> {
    if rate > 0.0 {
        Exponential::new(1.0 / rate).ok()
    } else {
        None
    }
}

/// A log-normal time with mean `mean_ms` and standard deviation `sd_ms`; `None` for zero.
fn time_dist(mean_ms: f64, sd_ms: f64) -> Result<Option<LogNormal>, ConfigError> {
    if mean_ms > 0.0 {
        Ok(Some(LogNormal::from_mean_sd(mean_ms, sd_ms.min(mean_ms * 1_000.0))?))
    } else {
        Ok(None)
    }
}

impl ReplicationLab {
    /// A lab at time 0 with every replica at position 0. Rejects an invalid config.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut root = SimRng::new(config.seed);
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
            service: root.fork(4),
            delay: None,
            read_time: None,
            commit_time: None,
            write_gap: None,
            read_gap: None,
            armed: (false, false),
            sched: Scheduler::new(),
            primary_id: 0,
            failed_primaries: Vec::new(),
            head: 0,
            committed: 0,
            last_local_commit: 0,
            // Bounded histories are allocated whole up front: memory is flat from the start.
            write_times: VecDeque::with_capacity(WRITE_TIMES),
            replicas,
            sessions,
            pending: VecDeque::new(),
            waiting: BTreeMap::new(),
            wait_seq: 0,
            epoch: 0,
            fallback: false,
            stats: Stats::default(),
            charts: Charts::new(),
            events: VecDeque::with_capacity(RECENT_EVENTS),
            incidents: VecDeque::with_capacity(super::faults::MAX_INCIDENTS),
            lost: (0, 0),
            failovers: 0,
            workload: (0, 0),
            config,
        };
        lab.rebuild_distributions()?;
        lab.arm_arrivals();
        lab.sched.schedule_at(0, Event::Sample);
        Ok(lab)
    }

    /// Rebuilds the delay, time and arrival distributions from the config.
    pub(super) fn rebuild_distributions(&mut self) -> Result<(), ConfigError> {
        let c = &self.config;
        self.delay = time_dist(c.lag_ms, c.jitter_ms)?;
        self.read_time = time_dist(c.read_ms, c.read_ms / 2.0)?;
        self.commit_time = time_dist(c.local_commit_ms, c.local_commit_ms / 2.0)?;
        self.write_gap = gap(c.write_rate);
        self.read_gap = gap(c.read_rate);
        Ok(())
    }

    /// Puts the next write and read arrivals on the clock if they are not there yet.
    pub(super) fn arm_arrivals(&mut self) {
        if !self.armed.0 {
            self.schedule_arrival(Event::Write);
        }
        if !self.armed.1 {
            self.schedule_arrival(Event::Read);
        }
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
        let (dist, is_write) = match event {
            Event::Write => (self.write_gap, true),
            _ => (self.read_gap, false),
        };
        let scheduled = match dist {
            Some(d) => {
                let dt = from_secs(d.sample(&mut self.arrivals)).max(1);
                self.sched.schedule_in(dt, event);
                true
            }
            None => false,
        };
        if is_write {
            self.armed.0 = scheduled;
        } else {
            self.armed.1 = scheduled;
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
            Event::LocalCommit { pos, epoch } => self.on_local_commit(pos, epoch),
            Event::Received { replica, pos, epoch } => self.on_received(replica, pos, epoch),
            Event::Applied {
                replica,
                pos,
                written_at,
                epoch,
            } => self.on_applied(replica, pos, written_at, epoch),
            Event::SemiTimeout { pos, epoch } => self.on_semi_timeout(pos, epoch),
            Event::ReadTimeout { key } => self.on_read_timeout(key),
            Event::Sample => self.on_sample(),
        }
    }

    /// A session for the next arrival, and the arrival mixed into the workload fingerprint.
    pub(super) fn pick_session(&mut self, kind: u64) -> u32 {
        let session = self.arrivals.below(self.sessions.len() as u64) as u32;
        let mix = self.now() ^ (u64::from(session) << 44) ^ (kind << 62);
        let (count, hash) = self.workload;
        self.workload = (count + 1, (hash ^ mix).wrapping_mul(0x0000_0100_0000_01b3));
        session
    }

    /// Remembers that position `head` was written now.
    pub(super) fn remember_write_time(&mut self, now: SimTime) {
        if self.write_times.len() >= WRITE_TIMES {
            self.write_times.pop_front();
        }
        self.write_times.push_back(now);
    }

    /// When position `pos` (at most `head`) was written; the oldest remembered time for older
    /// positions, now for positions not written yet.
    pub(super) fn write_time(&self, pos: u64) -> SimTime {
        let len = self.write_times.len() as u64;
        if pos > self.head || len == 0 {
            return self.now();
        }
        let first = self.head + 1 - len;
        let index = pos.saturating_sub(first) as usize;
        self.write_times.get(index).copied().unwrap_or_else(|| self.now())
    }

    /// A replica's lag now: how long ago the oldest write it has not applied was written, in ms
    /// (0 when it is up to date).
    pub(super) fn lag_now_ms(&self, r: &Replica) -> f64 {
        if r.applied >= self.head {
            0.0
        } else {
            to_millis(self.now().saturating_sub(self.write_time(r.applied + 1)))
        }
    }

    /// Keeps `event` for the space-time diagram (bounded).
    pub(super) fn remember(&mut self, event: SessionEvent) {
        if self.events.len() >= RECENT_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    fn on_sample(&mut self) {
        let t = to_secs(self.now());
        let mut worst_lag = 0.0_f64;
        let mut worst_behind = 0u64;
        for i in 0..self.replicas.len() {
            let r = &self.replicas[i];
            let lag = self.lag_now_ms(r);
            let (id, stopped, behind) = (r.id, r.stopped, self.head.saturating_sub(r.applied));
            self.charts.push_replica(id, t, lag);
            if !stopped {
                worst_lag = worst_lag.max(lag);
                worst_behind = worst_behind.max(behind);
            }
        }
        self.charts.lag.push(t, worst_lag);
        self.charts.behind.push(t, worst_behind as f64);
        self.sched.schedule_in(from_millis(SAMPLE_MS), Event::Sample);
    }
}
