//! The cache itself: up to `capacity` entries over dense keys, with an eviction policy.

use serde::Serialize;

use super::eviction::{Eviction, Policy};
use crate::engine::{SimRng, SimTime};

const NO_SLOT: u32 = u32::MAX;

/// An expiry time meaning "never expires" (TTL 0).
pub const NEVER: SimTime = SimTime::MAX;

/// One cached value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The key (`0..keys`; key 0 is the most popular).
    pub key: u32,
    /// Version of the value held (the database starts every key at version 0).
    pub version: u32,
    /// When the entry expires (µs of simulated time), [`NEVER`] without a TTL.
    pub expires_at: SimTime,
    /// How long the last load of this value took (µs): XFetch's `delta`.
    pub recompute_us: SimTime,
    /// Read hits served by this entry since it was stored.
    pub hits: u64,
}

/// What [`CacheStore::put`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PutOutcome {
    /// Whether the value is now cached (false when the policy refused it or capacity is 0).
    pub stored: bool,
    /// The key evicted to make room, if any.
    pub evicted: Option<u32>,
}

/// A cache of at most `capacity` entries for keys `0..keys`.
///
/// Keys map to slots through a plain array (4 bytes per key); entries live in a slab of at most
/// `capacity` slots reused through a free list. The eviction policy sees slots only. Every
/// operation is O(1), or O(log n) with LFU. Out-of-range keys are ignored (misses).
#[derive(Clone, Debug)]
pub struct CacheStore {
    eviction: Eviction,
    capacity: usize,
    entries: Vec<Entry>,
    free: Vec<u32>,
    slot_of_key: Vec<u32>,
    len: usize,
    policy: Policy,
    evictions: u64,
}

impl CacheStore {
    /// An empty cache of `capacity` entries for keys `0..keys`, evicting with `eviction`. `rng`
    /// drives random eviction only (give it its own stream).
    /// A capacity above `keys` is treated as `keys` (nothing more could be stored).
    pub fn new(eviction: Eviction, capacity: usize, keys: usize, rng: SimRng) -> Self {
        let capacity = capacity.min(keys);
        Self {
            eviction,
            capacity,
            entries: Vec::new(),
            free: Vec::new(),
            slot_of_key: vec![NO_SLOT; keys],
            len: 0,
            policy: Policy::new(eviction, capacity, keys, rng),
            evictions: 0,
        }
    }

    /// The eviction policy.
    pub fn eviction(&self) -> Eviction {
        self.eviction
    }

    /// The most entries the cache holds (at most the number of keys).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of keys the cache can address.
    pub fn keys(&self) -> usize {
        self.slot_of_key.len()
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries evicted to make room so far.
    pub fn evictions(&self) -> u64 {
        self.evictions
    }

    fn slot(&self, key: u32) -> Option<u32> {
        self.slot_of_key.get(key as usize).copied().filter(|&s| s != NO_SLOT)
    }

    /// The entry for `key`, if cached (expired or not: expiry is the caller's business).
    pub fn get(&self, key: u32) -> Option<&Entry> {
        self.slot(key).and_then(|s| self.entries.get(s as usize))
    }

    /// Tells the policy a read of `key` arrived (before hit or miss is known; LFU counts it).
    pub fn record_request(&mut self, key: u32) {
        let slot = self.slot(key);
        self.policy.record_access(key, slot);
    }

    /// Registers a read hit on `key`: the policy's hit update and the entry's hit count. Returns
    /// whether `key` was cached.
    pub fn touch(&mut self, key: u32) -> bool {
        let Some(slot) = self.slot(key) else {
            return false;
        };
        self.policy.on_hit(slot);
        if let Some(e) = self.entries.get_mut(slot as usize) {
            e.hits += 1;
        }
        true
    }

    /// Stores `entry` (its `hits` are ignored). An existing entry for the key is updated in place
    /// (keeping its hit count and eviction rank); otherwise the policy may refuse a newcomer (LFU)
    /// or evict one entry to make room.
    pub fn put(&mut self, entry: Entry) -> PutOutcome {
        let key = entry.key;
        if key as usize >= self.slot_of_key.len() || self.capacity == 0 {
            return PutOutcome {
                stored: false,
                evicted: None,
            };
        }
        if let Some(slot) = self.slot(key) {
            if let Some(e) = self.entries.get_mut(slot as usize) {
                let hits = e.hits;
                *e = Entry { hits, ..entry };
            }
            return PutOutcome {
                stored: true,
                evicted: None,
            };
        }
        let mut evicted = None;
        if self.len >= self.capacity {
            if !self.policy.admits(key) {
                return PutOutcome {
                    stored: false,
                    evicted: None,
                };
            }
            let Some(victim) = self.policy.pick_victim() else {
                return PutOutcome {
                    stored: false,
                    evicted: None,
                };
            };
            evicted = self.release(victim);
            self.evictions += 1;
        }
        let fresh = Entry { hits: 0, ..entry };
        let slot = match self.free.pop() {
            Some(s) => {
                if let Some(e) = self.entries.get_mut(s as usize) {
                    *e = fresh;
                }
                s
            }
            None => {
                self.entries.push(fresh);
                (self.entries.len() - 1) as u32
            }
        };
        if let Some(s) = self.slot_of_key.get_mut(key as usize) {
            *s = slot;
        }
        self.len += 1;
        self.policy.on_insert(slot, key);
        PutOutcome { stored: true, evicted }
    }

    /// Sets the expiry of `key`'s entry (if cached). Returns whether it was cached.
    pub fn set_expiry(&mut self, key: u32, expires_at: SimTime) -> bool {
        let Some(slot) = self.slot(key) else {
            return false;
        };
        if let Some(e) = self.entries.get_mut(slot as usize) {
            e.expires_at = expires_at;
        }
        true
    }

    /// Frees `slot` (already forgotten by the policy) and returns the key it held.
    fn release(&mut self, slot: u32) -> Option<u32> {
        let key = self.entries.get(slot as usize)?.key;
        if let Some(s) = self.slot_of_key.get_mut(key as usize) {
            *s = NO_SLOT;
        }
        self.free.push(slot);
        self.len = self.len.saturating_sub(1);
        Some(key)
    }

    /// Deletes `key`'s entry (invalidation, expiry). Returns whether it was cached.
    pub fn remove(&mut self, key: u32) -> bool {
        let Some(slot) = self.slot(key) else {
            return false;
        };
        self.policy.on_remove(slot);
        self.release(slot);
        true
    }

    /// Empties the cache (a crash or a flush); LFU's counts and S3-FIFO's ghosts go too.
    pub fn clear(&mut self) {
        for e in &self.entries {
            if let Some(s) = self.slot_of_key.get_mut(e.key as usize) {
                *s = NO_SLOT;
            }
        }
        self.entries.clear();
        self.free.clear();
        self.len = 0;
        self.policy.clear();
    }

    /// One read of `key` as in the textbook model (instant fill, no TTL): returns `true` on a hit;
    /// on a miss stores the key (version 0, never expiring) and returns `false`.
    pub fn access(&mut self, key: u32) -> bool {
        self.record_request(key);
        if self.touch(key) {
            return true;
        }
        self.put(Entry {
            key,
            version: 0,
            expires_at: NEVER,
            recompute_us: 0,
            hits: 0,
        });
        false
    }

    /// The cached entries, in slot order (deterministic, but not meaningful).
    pub fn entries(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|&(slot, e)| self.slot_of_key.get(e.key as usize) == Some(&(slot as u32)))
            .map(|(_, e)| e)
    }

    /// The `n` cached entries with the most hits (ties: lower key first), most hits first.
    /// One pass over the entries, O(len * n) at worst (a few ms for a million entries).
    pub fn hottest(&self, n: usize) -> Vec<Entry> {
        let mut top: Vec<Entry> = Vec::with_capacity(n + 1);
        if n == 0 {
            return top;
        }
        let better = |a: &Entry, b: &Entry| (a.hits, std::cmp::Reverse(a.key)) > (b.hits, std::cmp::Reverse(b.key));
        for e in self.entries() {
            if top.len() == n && top.last().is_some_and(|last| !better(e, last)) {
                continue;
            }
            let at = top.iter().position(|t| better(e, t)).unwrap_or(top.len());
            top.insert(at, *e);
            top.truncate(n);
        }
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: u32, version: u32) -> Entry {
        Entry {
            key,
            version,
            expires_at: NEVER,
            recompute_us: 0,
            hits: 0,
        }
    }

    #[test]
    fn put_get_update_remove_and_evict() {
        let mut c = CacheStore::new(Eviction::Lru, 2, 10, SimRng::new(1));
        assert!(c.put(entry(1, 0)).stored);
        assert!(c.put(entry(2, 0)).stored);
        assert!(c.touch(1));
        let out = c.put(entry(3, 0));
        assert_eq!(out.evicted, Some(2));
        assert_eq!(c.len(), 2);
        c.put(entry(1, 7));
        assert_eq!(c.get(1).map(|e| (e.version, e.hits)), Some((7, 1)));
        assert!(c.remove(1));
        assert!(!c.remove(1));
        assert_eq!(c.len(), 1);
        assert!(!c.put(entry(99, 0)).stored);
        c.clear();
        assert!(c.is_empty() && c.get(3).is_none());
        assert_eq!(c.evictions(), 1);
    }

    #[test]
    fn zero_capacity_caches_nothing() {
        let mut c = CacheStore::new(Eviction::Sieve, 0, 4, SimRng::new(1));
        assert!(!c.access(1));
        assert!(!c.access(1));
        assert!(c.is_empty());
    }

    #[test]
    fn hottest_orders_by_hits_then_key() {
        let mut c = CacheStore::new(Eviction::Fifo, 5, 10, SimRng::new(1));
        for k in 0..5 {
            c.access(k);
        }
        for (k, n) in [(3, 5), (1, 2), (4, 2)] {
            for _ in 0..n {
                c.access(k);
            }
        }
        let keys: Vec<u32> = c.hottest(3).iter().map(|e| e.key).collect();
        assert_eq!(keys, vec![3, 1, 4]);
    }
}
