//! The database behind the cache: a version per key, a random latency per query, and an optional
//! limit on concurrent queries (extra queries wait in a FIFO queue, so overload shows as queueing).
//!
//! **Latency.** Each query's service time is log-normal with mean `db_latency_ms` and standard
//! deviation half of it (so most queries take 0.5x to 1.6x the mean, and a few take several
//! times it), or exactly 0 when the mean is 0. Waiting for a free connection comes on top.
//!
//! **Versions.** Every key starts at version 0. A write that commits gives the key its next
//! version. A read returns the version committed when the query *starts* executing (after any
//! wait), so a read that overlaps a write may return the older value: the classic cache-aside
//! race.

use std::collections::VecDeque;

use crate::engine::time::MICROS_PER_MILLI;
use crate::engine::{LogNormal, SimRng, SimTime};
use crate::ConfigError;

/// Most queries allowed to wait for a connection; beyond that the database rejects queries at
/// once (the request fails), which keeps memory bounded under any overload.
pub const MAX_DB_QUEUE: usize = 100_000;

/// Per-key versions: what the database has committed, and the newest version anyone has been told
/// is written (the database's, or a write-behind cache's acknowledgement, which runs ahead).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Versions {
    committed: Vec<u32>,
    latest: Vec<u32>,
}

impl Versions {
    fn new(keys: usize) -> Self {
        Self {
            committed: vec![0; keys],
            latest: vec![0; keys],
        }
    }

    /// The version the database holds for `key`.
    pub(crate) fn committed(&self, key: u32) -> u32 {
        self.committed.get(key as usize).copied().unwrap_or(0)
    }

    /// The newest version of `key` committed or acknowledged: a read returning less is stale.
    pub(crate) fn latest(&self, key: u32) -> u32 {
        self.latest.get(key as usize).copied().unwrap_or(0)
    }

    /// Issues the next version of `key` (one above the latest) and records it as the latest.
    pub(crate) fn next_version(&mut self, key: u32) -> u32 {
        match self.latest.get_mut(key as usize) {
            Some(v) => {
                *v = v.saturating_add(1);
                *v
            }
            None => 0,
        }
    }

    /// Forgets acknowledged versions of `key` the database never got (a crash lost them): the
    /// latest version falls back to the committed one.
    pub(crate) fn roll_back(&mut self, key: u32) {
        let committed = self.committed(key);
        if let Some(l) = self.latest.get_mut(key as usize) {
            *l = committed;
        }
    }

    /// Records that the database committed `version` of `key` (never going backwards).
    pub(crate) fn commit(&mut self, key: u32, version: u32) {
        if let Some(c) = self.committed.get_mut(key as usize) {
            *c = (*c).max(version);
        }
        if let Some(l) = self.latest.get_mut(key as usize) {
            *l = (*l).max(version);
        }
    }
}

/// What to do with the cache once a write commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AfterWrite {
    /// Delete the cache entry (cache-aside, read-through, refresh-ahead).
    Invalidate,
    /// Store the new value in the cache (write-through).
    UpdateCache,
    /// Nothing: the cache already has it (a write-behind flush).
    Nothing,
}

/// A query's purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Query {
    /// A read for in-flight load `load`.
    Read { load: u32 },
    /// A write. `version` is `None` when the version is issued at commit (writes the client waits
    /// for), or the version already acknowledged (write-behind flushes). `client_arrived` is when
    /// the waiting client's request arrived, if one waits.
    Write {
        version: Option<u32>,
        after: AfterWrite,
        client_arrived: Option<SimTime>,
    },
}

/// One query sent to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DbOp {
    pub(crate) key: u32,
    pub(crate) query: Query,
    pub(crate) submitted_at: SimTime,
    /// For reads: the committed version when the query started executing.
    pub(crate) read_version: u32,
}

/// What happened to a submitted query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Submitted {
    /// Executing; finishes at `done_at`.
    Started { op: u32, done_at: SimTime },
    /// Waiting for a connection.
    Queued,
    /// Refused: the wait queue is full.
    Rejected,
}

/// The database model. See the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Database {
    pub(crate) versions: Versions,
    latency: Option<LogNormal>,
    rng: SimRng,
    /// Most queries executing at once; 0 = unlimited.
    concurrency: u32,
    in_service: u32,
    waiting: VecDeque<u32>,
    ops: Vec<DbOp>,
    free: Vec<u32>,
    /// Most queries outstanding (executing + waiting) at once since the last reset.
    peak: u64,
    /// The same since the last chart sample.
    interval_peak: u64,
}

fn latency_for(mean_ms: f64) -> Result<Option<LogNormal>, ConfigError> {
    if !mean_ms.is_finite() || mean_ms < 0.0 {
        return Err(ConfigError::new("db_latency_ms", "must be a non-negative number"));
    }
    if mean_ms == 0.0 {
        return Ok(None);
    }
    let mean_us = mean_ms * MICROS_PER_MILLI as f64;
    LogNormal::from_mean_sd(mean_us, mean_us / 2.0)
        .map(Some)
        .map_err(|e| ConfigError::new("db_latency_ms", e.message))
}

impl Database {
    pub(crate) fn new(keys: usize, latency_ms: f64, concurrency: u32, rng: SimRng) -> Result<Self, ConfigError> {
        Ok(Self {
            versions: Versions::new(keys),
            latency: latency_for(latency_ms)?,
            rng,
            concurrency,
            in_service: 0,
            waiting: VecDeque::new(),
            ops: Vec::new(),
            free: Vec::new(),
            peak: 0,
            interval_peak: 0,
        })
    }

    pub(crate) fn set_latency(&mut self, latency_ms: f64) -> Result<(), ConfigError> {
        self.latency = latency_for(latency_ms)?;
        Ok(())
    }

    /// Changes the connection limit; returns the queries that can start now.
    pub(crate) fn set_concurrency(&mut self, concurrency: u32, now: SimTime) -> Vec<(u32, SimTime)> {
        self.concurrency = concurrency;
        let mut started = Vec::new();
        while self.has_free_connection() {
            let Some(op) = self.waiting.pop_front() else {
                break;
            };
            started.push((op, self.start(op, now)));
        }
        started
    }

    fn has_free_connection(&self) -> bool {
        self.concurrency == 0 || self.in_service < self.concurrency
    }

    /// Queries executing now.
    pub(crate) fn in_service(&self) -> u64 {
        u64::from(self.in_service)
    }

    /// Queries waiting for a connection now.
    pub(crate) fn queued(&self) -> u64 {
        self.waiting.len() as u64
    }

    /// Most queries outstanding at once since [`Database::reset_peak`].
    pub(crate) fn peak(&self) -> u64 {
        self.peak
    }

    pub(crate) fn reset_peak(&mut self) {
        self.peak = self.in_service() + self.queued();
    }

    /// The most queries outstanding at once since the last call (for the chart), then restarts.
    pub(crate) fn take_interval_peak(&mut self) -> u64 {
        let p = self.interval_peak;
        self.interval_peak = self.in_service() + self.queued();
        p
    }

    /// The query `op`, if it is outstanding.
    #[cfg(test)]
    pub(crate) fn op(&self, op: u32) -> Option<&DbOp> {
        self.ops.get(op as usize)
    }

    /// Sends a query for `key` at `now`.
    pub(crate) fn submit(&mut self, key: u32, query: Query, now: SimTime) -> Submitted {
        let busy = !self.has_free_connection();
        if busy && self.waiting.len() >= MAX_DB_QUEUE {
            return Submitted::Rejected;
        }
        let record = DbOp {
            key,
            query,
            submitted_at: now,
            read_version: 0,
        };
        let op = match self.free.pop() {
            Some(id) => {
                if let Some(slot) = self.ops.get_mut(id as usize) {
                    *slot = record;
                }
                id
            }
            None => {
                self.ops.push(record);
                (self.ops.len() - 1) as u32
            }
        };
        let result = if busy {
            self.waiting.push_back(op);
            Submitted::Queued
        } else {
            Submitted::Started {
                op,
                done_at: self.start(op, now),
            }
        };
        let outstanding = self.in_service() + self.queued();
        self.peak = self.peak.max(outstanding);
        self.interval_peak = self.interval_peak.max(outstanding);
        result
    }

    /// Starts executing `op`: takes a connection, snapshots the version for reads, draws the
    /// service time. Returns when it finishes.
    fn start(&mut self, op: u32, now: SimTime) -> SimTime {
        self.in_service += 1;
        let committed = self.ops.get(op as usize).map(|o| self.versions.committed(o.key));
        if let (Some(o), Some(v)) = (self.ops.get_mut(op as usize), committed) {
            o.read_version = v;
        }
        let service = match &self.latency {
            Some(d) => libm::round(d.sample(&mut self.rng)).max(0.0) as SimTime,
            None => 0,
        };
        now.saturating_add(service)
    }

    /// Ends query `op` at `now`: frees its connection, starts the next waiting query if any.
    /// Returns the finished query and the one started `(op, done_at)`.
    pub(crate) fn finish(&mut self, op: u32, now: SimTime) -> (Option<DbOp>, Option<(u32, SimTime)>) {
        let done = self.ops.get(op as usize).copied();
        if done.is_some() {
            self.free.push(op);
            self.in_service = self.in_service.saturating_sub(1);
        }
        let mut next = None;
        if self.has_free_connection() {
            if let Some(waiting) = self.waiting.pop_front() {
                next = Some((waiting, self.start(waiting, now)));
            }
        }
        (done, next)
    }

    /// Slots allocated for queries (memory check).
    pub(crate) fn allocated_ops(&self) -> usize {
        self.ops.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(load: u32) -> Query {
        Query::Read { load }
    }

    #[test]
    fn concurrency_limit_queues_in_order() {
        let mut db = Database::new(4, 10.0, 1, SimRng::new(1)).unwrap();
        let Submitted::Started { op: a, done_at } = db.submit(0, read(0), 0) else {
            panic!("first query starts");
        };
        assert!(done_at > 0);
        assert_eq!(db.submit(1, read(1), 0), Submitted::Queued);
        assert_eq!(db.submit(2, read(2), 0), Submitted::Queued);
        assert_eq!(db.peak(), 3);
        let (done, next) = db.finish(a, done_at);
        assert_eq!(done.map(|d| d.key), Some(0));
        let (b, _) = next.expect("next starts");
        assert_eq!(db.op(b).map(|o| o.key), Some(1));
        assert_eq!(db.queued(), 1);
        let started = db.set_concurrency(0, done_at);
        assert_eq!(started.len(), 1);
        assert_eq!(db.in_service(), 2);
    }

    #[test]
    fn versions_and_latency_validation() {
        let mut v = Versions::new(2);
        assert_eq!(v.next_version(1), 1);
        assert_eq!(v.latest(1), 1);
        assert_eq!(v.committed(1), 0);
        v.commit(1, 1);
        v.commit(1, 0);
        assert_eq!(v.committed(1), 1);
        assert_eq!(v.next_version(9), 0);
        assert!(latency_for(f64::NAN).is_err());
        assert!(latency_for(-1.0).is_err());
        assert!(latency_for(0.0).unwrap().is_none());
    }
}
