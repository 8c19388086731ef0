//! Serving one operation: which shards it needs, its visits, its latency.
//!
//! - **Single-key** read or write: one visit to the key's shard. The salted hottest key: a write
//!   goes to one sub-key (the workload's draw), a read visits every sub-key's shard and waits for
//!   the slowest. An insert takes the next id and goes to its shard under the new layout.
//! - **Range scan** of ids `a..a+R`: with `range` the shards of the ranges it overlaps; with the
//!   hash-based layouts every shard that holds keys (for R up to 64 ids, the shards of those ids).
//! - **Global query**: every shard, scatter-gather.
//! - **Transaction** on two keys: one visit when both sit on one shard; otherwise a two-phase
//!   commit: a prepare visit to each, then a commit visit to each (both queued at once), the
//!   latency being the slowest prepare plus the slowest commit.
//!
//! A visit's latency is its wait and service in the shard's queue, plus a log-normal shard latency,
//! plus [`CROSS_REGION_MS`](super::CROSS_REGION_MS) when the shard sits in another region than the
//! client; `directory` adds [`DIRECTORY_MS`](super::DIRECTORY_MS) per operation. An operation
//! with a throttled visit is throttled (its other visits still cost their shards).

use super::keyspace::Key;
use super::lab::{ShardingLab, CROSS_REGION_MS, DIRECTORY_MS, MAX_INSERTED};
use super::layout::Slot;
use super::stats::OpType;
use super::strategy::Strategy;
use super::workload::{Op, OpKind};
use crate::engine::SimTime;

/// Range scans of at most this many ids on a hash-based layout visit exactly the shards of their
/// ids; longer ones every shard that holds keys.
const ENUMERATED_SCAN: u64 = 64;

impl ShardingLab {
    /// Serves `op`; returns the visits it made.
    pub(super) fn serve(&mut self, op: Op) -> u64 {
        let extra = if self.config.strategy == Strategy::Directory {
            DIRECTORY_MS
        } else {
            0.0
        };
        let (kind, visits, latency) = match op.kind {
            OpKind::Read | OpKind::Write => {
                let (visits, latency) = self.single(op);
                (OpType::Single, visits, latency)
            }
            OpKind::Insert => {
                let (visits, latency) = self.insert(op);
                (OpType::Single, visits, latency)
            }
            OpKind::Range => {
                self.range_shards(op.a);
                let (visits, latency) = self.scatter(op.at, op.region);
                (OpType::Range, visits, latency)
            }
            OpKind::Global => {
                self.touched.clear();
                let leaving = self.migration.as_ref().and_then(|m| m.leaving);
                self.touched.extend(self.order.iter().copied().chain(leaving));
                let (visits, latency) = self.scatter(op.at, op.region);
                (OpType::Global, visits, latency)
            }
            OpKind::Txn => {
                let (visits, latency) = self.txn(op);
                (OpType::Txn, visits, latency)
            }
        };
        self.stats.record(kind, self.now, visits, latency.map(|ms| ms + extra));
        visits as u64
    }

    /// The key of popularity rank `rank` (its `sub`-th sub-key when it is the salted hottest key).
    fn key_of(&self, rank: u64, sub: Option<u32>) -> Key {
        let id = self.keyspace.id_of_rank(rank);
        let salt = self.config.salt;
        match sub {
            Some(j) if rank == 0 && salt > 1 => {
                let mut key = self.keyspace.key(self.keyspace.sub_key(id, j, salt));
                key.region = self.keyspace.key(id).region;
                key
            }
            _ => self.keyspace.key(id),
        }
    }

    /// Counts a key-chosen operation on rank `rank` at key `key` (unit `unit`).
    fn count_key(&mut self, rank: u64, key: &Key, unit: u32) {
        self.stats.key_ops += 1;
        if rank == 0 {
            self.stats.hot_key_ops += 1;
        }
        self.loads.record(key.id, unit);
    }

    fn single(&mut self, op: Op) -> (usize, Option<f64>) {
        let salted = op.a == 0 && self.config.salt > 1;
        if salted && op.kind == OpKind::Read {
            // Read every sub-key, wait for the slowest.
            self.touched.clear();
            let region = self.keyspace.key(self.keyspace.id_of_rank(0)).region;
            for j in 0..self.config.salt {
                let key = self.key_of(0, Some(j));
                let loc = self.locate(&key);
                if j == 0 {
                    self.count_key(0, &key, loc.unit);
                }
                if !self.touched.contains(&loc.slot) {
                    self.touched.push(loc.slot);
                }
            }
            return self.scatter(op.at, region);
        }
        let sub = (op.kind == OpKind::Write).then_some(op.sub);
        let key = self.key_of(op.a, sub);
        let loc = self.locate(&key);
        self.count_key(op.a, &key, loc.unit);
        (1, self.visit(loc.slot, op.at, key.region))
    }

    fn insert(&mut self, op: Op) -> (usize, Option<f64>) {
        let fresh = self.ids < self.keyspace.keys.saturating_add(MAX_INSERTED);
        let id = if fresh { self.ids } else { self.ids.saturating_sub(1) };
        if fresh {
            self.ids += 1;
        }
        let key = self.keyspace.key(id);
        let loc = match &self.layout {
            Some(layout) => layout.locate(&key),
            None => return (0, None),
        };
        if fresh {
            if let Some(s) = self.shards.get_mut(usize::from(loc.slot)) {
                s.inserted += 1;
            }
        }
        self.loads.record(id, loc.unit);
        (1, self.visit(loc.slot, op.at, key.region))
    }

    /// Fills `touched` with the shards a scan of ids `from..from + range_len` needs.
    fn range_shards(&mut self, from: u64) {
        let to = from.saturating_add(self.range_len);
        let mut touched = std::mem::take(&mut self.touched);
        let mut old = std::mem::take(&mut self.touched_old);
        touched.clear();
        old.clear();
        let ordered = self
            .layout
            .as_ref()
            .is_some_and(|l| l.range_owners(from, to, &mut touched));
        if !ordered {
            if self.range_len <= ENUMERATED_SCAN {
                for id in from..to {
                    let slot = self.locate(&self.keyspace.key(id)).slot;
                    if !touched.contains(&slot) {
                        touched.push(slot);
                    }
                }
            } else {
                self.holding_shards(&mut touched);
            }
        } else if self.migration_progress() < 1.0 {
            // Keys in flight are still on the old ranges' shards.
            if let Some(m) = &self.migration {
                m.old.range_owners(from, to, &mut old);
            }
            for s in &old {
                if !touched.contains(s) {
                    touched.push(*s);
                }
            }
        }
        self.touched = touched;
        self.touched_old = old;
    }

    /// Every shard that holds keys (under the layout, or the old one while migrating).
    fn holding_shards(&self, into: &mut Vec<Slot>) {
        let leaving = self.migration.as_ref().and_then(|m| m.leaving);
        for slot in self.order.iter().copied().chain(leaving) {
            let holds = self.layout.as_ref().is_some_and(|l| l.holds(slot))
                || self.migration.as_ref().is_some_and(|m| m.old.holds(slot));
            if holds && !into.contains(&slot) {
                into.push(slot);
            }
        }
    }

    /// Visits every shard in `touched` at once; the latency is the slowest's.
    fn scatter(&mut self, at: f64, region: u8) -> (usize, Option<f64>) {
        let touched = std::mem::take(&mut self.touched);
        let mut slowest = Some(0.0f64);
        for &slot in &touched {
            let v = self.visit(slot, at, region);
            slowest = match (slowest, v) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        let n = touched.len();
        self.touched = touched;
        (n, slowest)
    }

    fn txn(&mut self, op: Op) -> (usize, Option<f64>) {
        let first = self.key_of(op.a, Some(op.sub));
        let second = self.key_of(op.b, Some(op.sub));
        let (la, lb) = (self.locate(&first), self.locate(&second));
        self.count_key(op.a, &first, la.unit);
        self.count_key(op.b, &second, lb.unit);
        if la.slot == lb.slot {
            return (1, self.visit(la.slot, op.at, first.region));
        }
        // Two-phase commit: prepare on both, then commit on both.
        let pa = self.visit(la.slot, op.at, first.region);
        let pb = self.visit(lb.slot, op.at, first.region);
        let ca = self.visit(la.slot, op.at, first.region);
        let cb = self.visit(lb.slot, op.at, first.region);
        let latency = match (pa, pb, ca, cb) {
            (Some(pa), Some(pb), Some(ca), Some(cb)) => Some(pa.max(pb) + ca.max(cb)),
            _ => None,
        };
        (2, latency)
    }

    /// One visit to `slot` at `at` µs from a client in `region`: its latency in ms, or `None`
    /// when throttled.
    fn visit(&mut self, slot: Slot, at: f64, region: u8) -> Option<f64> {
        let capacity = self.effective_capacity(slot);
        let now: SimTime = self.now;
        let e = self.unit_exp.sample(&mut self.service_rng);
        let shard = self.shards.get_mut(usize::from(slot))?;
        let queued = shard.visit(at, now, 1e6 / capacity, e)?;
        let remote = shard.region != region;
        let base = self.latency.sample(&mut self.service_rng);
        if remote {
            self.stats.remote_visits += 1;
        } else {
            self.stats.local_visits += 1;
        }
        Some(queued + base + if remote { CROSS_REGION_MS } else { 0.0 })
    }

    /// What `slot` serves now, ops/s: its capacity less a migration's copy work (at least a tenth
    /// of it).
    pub(super) fn effective_capacity(&self, slot: Slot) -> f64 {
        let capacity = self.config.shard_capacity;
        let copy = self
            .migration
            .as_ref()
            .map_or(0.0, |m| m.copy_ops_per_s(slot, self.config.migration_mb_s));
        (capacity - copy).max(capacity * 0.1)
    }
}
