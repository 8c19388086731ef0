//! Eviction policies: which cached entry makes room for a new one.
//!
//! Every policy works on dense cache *slots* `0..capacity` (the store maps keys to slots with a
//! plain array, no hash map) and costs O(1) or O(log n) per operation:
//!
//! | policy | file | per op | idea |
//! |---|---|---|---|
//! | LRU | `lru.rs` | O(1) | evict the least recently used |
//! | LFU | `lfu.rs` | O(log n) | perfect LFU: evict the least frequently requested (counts kept per key) |
//! | FIFO | `fifo.rs` | O(1) | evict the oldest insertion |
//! | random | `random.rs` | O(1) | evict a uniformly random entry |
//! | SIEVE | `sieve.rs` | O(1) amortised | FIFO with a visited bit and a moving hand |
//! | S3-FIFO | `s3fifo.rs` | O(1) amortised | small + main FIFO queues and a ghost queue of keys |

mod fifo;
mod lfu;
mod list;
mod lru;
mod random;
mod s3fifo;
mod sieve;

use serde::{Deserialize, Serialize};

use crate::engine::SimRng;
use fifo::Fifo;
use lfu::Lfu;
use lru::Lru;
use random::RandomPolicy;
use s3fifo::S3Fifo;
use sieve::Sieve;

/// Which eviction policy the cache uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eviction {
    /// Least recently used.
    #[default]
    Lru,
    /// Perfect least frequently used (request counts kept for every key over the run).
    Lfu,
    /// First in, first out.
    Fifo,
    /// Uniformly random victim.
    Random,
    /// SIEVE (Zhang et al., 2024).
    Sieve,
    /// S3-FIFO (Yang et al., 2023).
    S3fifo,
}

impl Eviction {
    /// Every policy, in the order the controls list them.
    pub const ALL: [Eviction; 6] = [
        Eviction::Lru,
        Eviction::Lfu,
        Eviction::Fifo,
        Eviction::Random,
        Eviction::Sieve,
        Eviction::S3fifo,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("lru", "LRU (least recently used)"),
        ("lfu", "LFU (least frequently used)"),
        ("fifo", "FIFO (first in, first out)"),
        ("random", "Random"),
        ("sieve", "SIEVE"),
        ("s3fifo", "S3-FIFO"),
    ];

    /// The URL value, e.g. `"lru"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Eviction::Lru => "lru",
            Eviction::Lfu => "lfu",
            Eviction::Fifo => "fifo",
            Eviction::Random => "random",
            Eviction::Sieve => "sieve",
            Eviction::S3fifo => "s3fifo",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(value, _)| *value == self.as_str())
            .map_or("", |(_, label)| label)
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Eviction> {
        Eviction::ALL.into_iter().find(|e| e.as_str() == value)
    }

    /// Whether [`crate::cache::theory`] has a formula for this policy (LRU, FIFO, random, LFU).
    pub fn has_theory(self) -> bool {
        matches!(self, Eviction::Lru | Eviction::Lfu | Eviction::Fifo | Eviction::Random)
    }
}

/// One eviction policy's state, dispatched by kind.
#[derive(Clone, Debug)]
pub(crate) enum Policy {
    Lru(Lru),
    Lfu(Lfu),
    Fifo(Fifo),
    Random(RandomPolicy),
    Sieve(Sieve),
    S3Fifo(S3Fifo),
}

impl Policy {
    /// A policy of kind `eviction` for `capacity` slots and keys `0..keys`; `rng` is used by random
    /// eviction only.
    pub(crate) fn new(eviction: Eviction, capacity: usize, keys: usize, rng: SimRng) -> Self {
        match eviction {
            Eviction::Lru => Policy::Lru(Lru::new(capacity)),
            Eviction::Lfu => Policy::Lfu(Lfu::new(capacity, keys)),
            Eviction::Fifo => Policy::Fifo(Fifo::new(capacity)),
            Eviction::Random => Policy::Random(RandomPolicy::new(capacity, rng)),
            Eviction::Sieve => Policy::Sieve(Sieve::new(capacity)),
            Eviction::S3fifo => Policy::S3Fifo(S3Fifo::new(capacity, keys)),
        }
    }

    /// Notes one read request of `key` (cached in `slot`, if it is), hit or miss.
    pub(crate) fn record_access(&mut self, key: u32, slot: Option<u32>) {
        if let Policy::Lfu(p) = self {
            p.record_access(key, slot);
        }
    }

    /// Notes a hit on `slot`.
    pub(crate) fn on_hit(&mut self, slot: u32) {
        match self {
            Policy::Lru(p) => p.on_hit(slot),
            Policy::Sieve(p) => p.on_hit(slot),
            Policy::S3Fifo(p) => p.on_hit(slot),
            Policy::Lfu(_) | Policy::Fifo(_) | Policy::Random(_) => {}
        }
    }

    /// Whether a full cache should store `key` at all (only LFU ever refuses).
    pub(crate) fn admits(&self, key: u32) -> bool {
        match self {
            Policy::Lfu(p) => p.admits(key),
            _ => true,
        }
    }

    /// Notes that `key` now lives in `slot`.
    pub(crate) fn on_insert(&mut self, slot: u32, key: u32) {
        match self {
            Policy::Lru(p) => p.on_insert(slot),
            Policy::Lfu(p) => p.on_insert(slot, key),
            Policy::Fifo(p) => p.on_insert(slot),
            Policy::Random(p) => p.on_insert(slot),
            Policy::Sieve(p) => p.on_insert(slot),
            Policy::S3Fifo(p) => p.on_insert(slot, key),
        }
    }

    /// Notes that `slot` was emptied by something other than eviction (invalidation, expiry).
    pub(crate) fn on_remove(&mut self, slot: u32) {
        match self {
            Policy::Lru(p) => p.on_remove(slot),
            Policy::Lfu(p) => p.on_remove(slot),
            Policy::Fifo(p) => p.on_remove(slot),
            Policy::Random(p) => p.on_remove(slot),
            Policy::Sieve(p) => p.on_remove(slot),
            Policy::S3Fifo(p) => p.on_remove(slot),
        }
    }

    /// Chooses the slot to evict and forgets it; `None` when nothing is cached.
    pub(crate) fn pick_victim(&mut self) -> Option<u32> {
        match self {
            Policy::Lru(p) => p.pick_victim(),
            Policy::Lfu(p) => p.pick_victim(),
            Policy::Fifo(p) => p.pick_victim(),
            Policy::Random(p) => p.pick_victim(),
            Policy::Sieve(p) => p.pick_victim(),
            Policy::S3Fifo(p) => p.pick_victim(),
        }
    }

    /// Forgets every entry (and LFU's counts, S3-FIFO's ghosts).
    pub(crate) fn clear(&mut self) {
        match self {
            Policy::Lru(p) => p.clear(),
            Policy::Lfu(p) => p.clear(),
            Policy::Fifo(p) => p.clear(),
            Policy::Random(p) => p.clear(),
            Policy::Sieve(p) => p.clear(),
            Policy::S3Fifo(p) => p.clear(),
        }
    }
}
