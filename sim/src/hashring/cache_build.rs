//! Builds a [`CacheEffect`] in slices a page can spread over animation frames.
//!
//! Setting up the cache-effect simulation walks every key several times: finding which nodes own
//! keys, mapping each key's owners to cache indices (and choosing the keys that pre-warm each
//! cache), warming the caches, and the Zipf popularity table (one `pow` per key). At a million
//! keys that is 100-200 ms natively, several times that in wasm: a visibly frozen page after every
//! node change. [`CacheEffectBuilder::work`] does it a budget of work units at a time, the same
//! kind of unit as [`super::HashRingLab::work`] (about the cost of placing a key with modulo), so the
//! page's per-frame budget bounds each slice. Slicing never changes the result: the finished
//! simulation is exactly the one [`CacheEffect::new`] builds.

use std::sync::Arc;

use super::cache_effect::{CacheEffect, CacheEffectConfig};
use super::lru::LruCaches;
use super::membership::NodeId;
use crate::engine::Exponential;
use crate::engine::{Zipf, ZipfBuilder};
use crate::ConfigError;

// Work units per eight items of each pass, measured natively in release builds so that a unit is
// 10-20 ns, like a modulo placement unit.

/// Scanning owners: two reads, a compare, two flags set.
const SCAN_UNITS_PER_8: u64 = 2;
/// Mapping owners to cache indices: two table lookups, a push or two.
const MAP_UNITS_PER_8: u64 = 11;
/// Warming a cache: one LRU access (a few scattered memory writes).
const WARM_UNITS_PER_8: u64 = 12;
/// A popularity step: summing one weight, one `libm::pow` (or nothing with no skew), or
/// normalising a few dozen entries.
const WEIGHT_UNITS_PER_8: u64 = 56;
/// A popularity step with no skew (`zipf_alpha` 0: every weight is 1).
const FLAT_WEIGHT_UNITS_PER_8: u64 = 4;

/// Node ids below this are tracked in tables indexed by id (node ids count up from 0, one per
/// node ever added); larger ones in small sorted sets.
const DIRECT_IDS: usize = 1 << 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Which nodes own keys before and after, and how many keys moved.
    Scan,
    /// Cache index of every key's owners; the keys that pre-warm each cache.
    Map,
    /// Pre-warming the caches, most popular keys last.
    Warm,
    /// The popularity table (skipped when reused).
    Table,
    Done,
}

#[derive(Clone, Debug)]
enum Table {
    Building(ZipfBuilder),
    Ready(Arc<Zipf>),
}

/// A [`CacheEffect`] being set up. See the module docs.
#[derive(Clone, Debug)]
pub struct CacheEffectBuilder {
    config: CacheEffectConfig,
    seed: u64,
    gaps: Exponential,
    before: Arc<Vec<NodeId>>,
    after: Arc<Vec<NodeId>>,
    phase: Phase,
    /// Work units done so far.
    units: u64,
    /// Keys scanned, then keys mapped (by key index).
    next: usize,
    /// While scanning, flags per node id below [`DIRECT_IDS`]: bit 0 owns a key before the
    /// change, bit 1 owns a key before or after it.
    seen: Vec<u8>,
    /// Distinct owners before the change, sorted (while scanning: only ids from `DIRECT_IDS` up).
    ids_before: Vec<NodeId>,
    /// Distinct owners before or after the change, sorted: cache `i` is node `ids[i]` (while
    /// scanning: only ids from `DIRECT_IDS` up).
    ids: Vec<NodeId>,
    /// While mapping, the cache of node `id` by id (ids below [`DIRECT_IDS`]).
    dense: Vec<u32>,
    moved: usize,
    capacity: usize,
    before_idx: Vec<u32>,
    after_idx: Vec<u32>,
    /// Entries each cache has been given for pre-warming.
    filled: Vec<usize>,
    /// `(cache, key)` pre-warm accesses in key order (run from the last).
    chosen: Vec<(u32, u32)>,
    /// Pre-warm accesses still to run: `chosen[..warm_left]`.
    warm_left: usize,
    caches: Option<LruCaches>,
    table: Table,
}

/// Inserts `id` into the sorted set `set` (a handful of nodes) unless it is already there.
fn insert_sorted(set: &mut Vec<NodeId>, id: NodeId) {
    if let Err(at) = set.binary_search(&id) {
        set.insert(at, id);
    }
}

impl CacheEffectBuilder {
    /// Starts setting up the simulation of a change over `before.len()` keys: `before[k]` and
    /// `after[k]` are key `k`'s owner before and after it (same length, at least one key; shared,
    /// not copied). Every error [`CacheEffect::new`] can report is reported here.
    pub fn new(
        config: CacheEffectConfig,
        before: Arc<Vec<NodeId>>,
        after: Arc<Vec<NodeId>>,
        seed: u64,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        if before.is_empty() || before.len() != after.len() {
            return Err(ConfigError::new(
                "keys",
                "needs the same keys before and after the change",
            ));
        }
        let table = Table::Building(ZipfBuilder::new(before.len(), config.zipf_alpha)?);
        let gaps = Exponential::new(1e6 / config.request_rate)?;
        Ok(Self {
            config,
            seed,
            gaps,
            before,
            after,
            phase: Phase::Scan,
            units: 0,
            next: 0,
            seen: Vec::new(),
            ids_before: Vec::new(),
            ids: Vec::new(),
            dense: Vec::new(),
            moved: 0,
            capacity: 0,
            before_idx: Vec::new(),
            after_idx: Vec::new(),
            filled: Vec::new(),
            chosen: Vec::new(),
            warm_left: 0,
            caches: None,
            table,
        })
    }

    /// Number of keys.
    pub fn keys(&self) -> usize {
        self.before.len()
    }

    /// Work units done so far (each [`CacheEffectBuilder::work`] call adds at most its budget, or
    /// a few units when the budget is smaller than one item).
    pub fn units_done(&self) -> u64 {
        self.units
    }

    /// Whether everything is ready ([`CacheEffectBuilder::finish`] is then cheap).
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Takes the popularity table of `done` instead of building one, when it covers the same keys
    /// with the same skew (the table depends on nothing else, so the result is unchanged). Returns
    /// whether it was taken.
    pub fn reuse_popularity(&mut self, done: &CacheEffect) -> bool {
        let table = done.popularity();
        let fits = table.n() == self.keys() && table.alpha().to_bits() == self.config.zipf_alpha.to_bits();
        if fits && matches!(self.table, Table::Building(_)) {
            self.table = Table::Ready(Arc::clone(table));
        }
        fits
    }

    /// Does up to `budget` work units (at least one item while unfinished) and returns whether the
    /// simulation is ready to [`CacheEffectBuilder::finish`].
    pub fn work(&mut self, budget: usize) -> bool {
        let mut left = u64::try_from(budget.max(1)).unwrap_or(u64::MAX);
        while left > 0 && self.phase != Phase::Done {
            let used = match self.phase {
                Phase::Scan => self.scan(left),
                Phase::Map => self.map(left),
                Phase::Warm => self.warm(left),
                Phase::Table => self.build_table(left),
                Phase::Done => 0,
            };
            self.units = self.units.saturating_add(used);
            left = left.saturating_sub(used.max(1));
        }
        self.is_done()
    }

    /// Items of a pass costing `units_per_8` units per eight that fit in `left` units (at least
    /// one), capped at `remaining`, and what they cost.
    fn items(left: u64, units_per_8: u64, remaining: usize) -> (usize, u64) {
        let fit = usize::try_from(left.saturating_mul(8) / units_per_8.max(1))
            .unwrap_or(usize::MAX)
            .max(1);
        let items = fit.min(remaining);
        (items, (items as u64 * units_per_8).div_ceil(8))
    }

    fn scan(&mut self, left: u64) -> u64 {
        let keys = self.keys();
        let (count, cost) = Self::items(left, SCAN_UNITS_PER_8, keys - self.next);
        let end = self.next + count;
        let (before, after) = (
            self.before.get(self.next..end).unwrap_or(&[]),
            self.after.get(self.next..end).unwrap_or(&[]),
        );
        for (&b, &a) in before.iter().zip(after) {
            self.moved += usize::from(a != b);
            // Flags per id: bit 0 owns a key before, bit 1 owns a key before or after.
            for (id, flags) in [(b, 0b11), (a, 0b10)] {
                match self.seen.get_mut(id as usize) {
                    Some(seen) => *seen |= flags,
                    None if (id as usize) < DIRECT_IDS => {
                        self.seen.resize(id as usize + 1, 0);
                        if let Some(seen) = self.seen.get_mut(id as usize) {
                            *seen = flags;
                        }
                    }
                    None => {
                        if flags & 1 != 0 {
                            insert_sorted(&mut self.ids_before, id);
                        }
                        insert_sorted(&mut self.ids, id);
                    }
                }
            }
        }
        self.next = end;
        if self.next >= keys {
            self.start_map();
        }
        cost
    }

    fn start_map(&mut self) {
        // Ids seen through the flags come first in the sorted sets: they are below DIRECT_IDS and
        // every id kept in the sets is not.
        let flagged = |bit: u8| {
            self.seen
                .iter()
                .enumerate()
                .filter(move |(_, &f)| f & bit != 0)
                .map(|(id, _)| id as NodeId)
        };
        let ids_before: Vec<NodeId> = flagged(0b01).chain(self.ids_before.iter().copied()).collect();
        let ids: Vec<NodeId> = flagged(0b10).chain(self.ids.iter().copied()).collect();
        self.dense = vec![u32::MAX; self.seen.len()];
        for (i, &id) in ids.iter().enumerate() {
            if let Some(d) = self.dense.get_mut(id as usize) {
                *d = i as u32;
            }
        }
        self.seen = Vec::new();
        self.ids_before = ids_before;
        self.ids = ids;
        let keys = self.keys();
        let share = keys as f64 / self.ids_before.len().max(1) as f64;
        self.capacity = libm::ceil(self.config.cache_fraction * share).max(0.0) as usize;
        let caches = self.ids.len();
        let warm = keys.min(self.ids_before.len().saturating_mul(self.capacity));
        self.caches = Some(LruCaches::with_room(
            caches,
            self.capacity,
            keys,
            keys.min(caches.saturating_mul(self.capacity)),
        ));
        self.filled = vec![0; caches];
        self.before_idx = Vec::with_capacity(keys);
        self.after_idx = Vec::with_capacity(keys);
        self.chosen = Vec::with_capacity(warm);
        self.next = 0;
        self.phase = Phase::Map;
    }

    fn map(&mut self, left: u64) -> u64 {
        let keys = self.keys();
        let (count, cost) = Self::items(left, MAP_UNITS_PER_8, keys - self.next);
        let start = self.next;
        let end = start + count;
        let (ids, dense) = (&self.ids, &self.dense);
        // The cache of node `id`: its rank among the owners (sorted ids), looked up directly for
        // small ids. Every owner is in `ids`, so the fallback 0 is never used.
        let index = |&id: &NodeId| match dense.get(id as usize) {
            Some(&d) => d,
            None => ids.binary_search(&id).map_or(0, |i| i as u32),
        };
        let before = self.before.get(start..end).unwrap_or(&[]);
        let after = self.after.get(start..end).unwrap_or(&[]);
        for (key, (b, a)) in (start..end).zip(before.iter().zip(after)) {
            let (b, a) = (index(b), index(a));
            self.before_idx.push(b);
            self.after_idx.push(a);
            if let Some(f) = self.filled.get_mut(b as usize) {
                if *f < self.capacity {
                    *f += 1;
                    self.chosen.push((b, key as u32));
                }
            }
        }
        if let Some(caches) = self.caches.as_mut() {
            caches.extend_keys(count);
        }
        self.next = end;
        if self.next >= keys {
            self.filled = Vec::new();
            self.dense = Vec::new();
            self.warm_left = self.chosen.len();
            self.phase = Phase::Warm;
        }
        cost
    }

    fn warm(&mut self, left: u64) -> u64 {
        let (count, cost) = Self::items(left, WARM_UNITS_PER_8, self.warm_left);
        let start = self.warm_left - count;
        if let Some(caches) = self.caches.as_mut() {
            for &(owner, key) in self.chosen.get(start..self.warm_left).unwrap_or(&[]).iter().rev() {
                caches.access(owner as usize, key as usize);
            }
        }
        self.warm_left = start;
        if self.warm_left == 0 {
            self.chosen = Vec::new();
            self.phase = Phase::Table;
        }
        cost
    }

    fn build_table(&mut self, left: u64) -> u64 {
        let per_8 = self.weight_units_per_8();
        let Table::Building(builder) = &mut self.table else {
            self.phase = Phase::Done;
            return 0;
        };
        let (steps, _) = Self::items(left, per_8, usize::MAX);
        let used = builder.advance(steps);
        if builder.is_done() {
            self.phase = Phase::Done;
        }
        (used as u64 * per_8).div_ceil(8)
    }

    fn weight_units_per_8(&self) -> u64 {
        if self.config.zipf_alpha == 0.0 {
            FLAT_WEIGHT_UNITS_PER_8
        } else {
            WEIGHT_UNITS_PER_8
        }
    }

    /// The simulation; an unfinished build is first run to completion.
    pub fn finish(mut self) -> CacheEffect {
        while !self.work(usize::MAX) {}
        let keys = self.keys();
        let popularity = match self.table {
            Table::Ready(table) => table,
            Table::Building(builder) => Arc::new(builder.finish()),
        };
        let caches = self
            .caches
            .unwrap_or_else(|| LruCaches::new(self.ids.len(), self.capacity, keys));
        CacheEffect::assemble(
            self.config,
            self.before_idx,
            self.after_idx,
            self.moved as f64 / keys as f64,
            caches,
            popularity,
            self.gaps,
            self.seed,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(keys: usize, ids: &[NodeId], salt: usize) -> Vec<NodeId> {
        (0..keys).map(|k| ids[(k * 7 + salt + k / 3) % ids.len()]).collect()
    }

    fn run(mut sim: CacheEffect) -> super::super::CacheEffectSnapshot {
        sim.step_until(12_000_000);
        sim.snapshot()
    }

    #[test]
    fn any_slicing_and_any_node_ids_give_the_same_simulation() {
        let config = CacheEffectConfig {
            request_rate: 2_000.0,
            ..CacheEffectConfig::default()
        };
        // Small ids go through the tables, huge ones through the sorted sets; renaming nodes while
        // keeping their order changes nothing.
        let small = [0, 1, 2, 3, 4];
        let mixed = [3, 9, 70_000, 1 << 20, NodeId::MAX - 1];
        let (before, after) = (owners(3_000, &small[..4], 0), owners(3_000, &small, 1));
        let rename = |o: &[NodeId]| o.iter().map(|&id| mixed[id as usize]).collect::<Vec<_>>();
        let whole = run(CacheEffect::new(config.clone(), &before, &after, 5).unwrap());
        let renamed = run(CacheEffect::new(config.clone(), &rename(&before), &rename(&after), 5).unwrap());
        assert_eq!(whole, renamed);
        for budget in [1, 3, 1_000] {
            let mut builder =
                CacheEffectBuilder::new(config.clone(), Arc::new(rename(&before)), Arc::new(rename(&after)), 5)
                    .unwrap();
            let mut calls = 0;
            while !builder.work(budget) {
                calls += 1;
            }
            assert!(calls as u64 >= builder.units_done() / (budget as u64 + 7));
            assert_eq!(run(builder.finish()), whole, "budget {budget}");
        }
    }

    #[test]
    fn refuses_what_cache_effect_refuses() {
        let config = CacheEffectConfig::default();
        let one = Arc::new(vec![1]);
        assert!(CacheEffectBuilder::new(config.clone(), Arc::new(Vec::new()), Arc::new(Vec::new()), 1).is_err());
        assert!(CacheEffectBuilder::new(config.clone(), one.clone(), Arc::new(vec![1, 2]), 1).is_err());
        let bad = CacheEffectConfig {
            zipf_alpha: 7.0,
            ..config
        };
        assert!(CacheEffectBuilder::new(bad, one.clone(), one, 1).is_err());
    }
}
