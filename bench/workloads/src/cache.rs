//! Cache workloads per eviction policy: the policy alone on a Zipf key stream, and the whole cache
//! lab simulation (stream, cache, database, events, statistics).

use scalelab_sim::cache::{CacheLab, CacheStore, Config, Eviction};
use scalelab_sim::engine::{SimRng, Zipf};

use crate::{Outcome, Spec, Workload};

/// Keys in the stream (the cache lab's default).
pub const CACHE_KEYS: usize = 10_000;
/// Cache capacity in entries (the cache lab's default).
pub const CACHE_CAPACITY: usize = 1_000;
/// Zipf exponent (the cache lab's default).
pub const CACHE_ALPHA: f64 = 0.9;
/// Seed of the key stream.
pub const CACHE_SEED: u64 = 1;
/// Requests in the key stream replayed by the policy workloads.
pub const STREAM_LEN: usize = 1_000_000;
/// Requests per run of the full simulation workloads.
const SIM_REQUESTS: u64 = 200_000;

pub(crate) const NAMES: [&str; 12] = [
    "cache.policy/lru",
    "cache.policy/lfu",
    "cache.policy/fifo",
    "cache.policy/random",
    "cache.policy/sieve",
    "cache.policy/s3fifo",
    "cache.sim/lru",
    "cache.sim/lfu",
    "cache.sim/fifo",
    "cache.sim/random",
    "cache.sim/sieve",
    "cache.sim/s3fifo",
];

/// `len` keys drawn with the core's Zipf sampler over `keys` ranks (key 0 hottest) from
/// `SimRng::new(seed)`: the stream the policy workloads replay, and the one the browser runner
/// hands to JavaScript's `lru-cache`.
pub fn zipf_stream(len: usize, keys: usize, alpha: f64, seed: u64) -> Vec<u32> {
    let Ok(zipf) = Zipf::new(keys, alpha) else {
        return Vec::new();
    };
    let mut rng = SimRng::new(seed);
    (0..len).map(|_| zipf.sample(&mut rng) as u32).collect()
}

/// The policy alone: `CacheStore::access` (hit, or miss and insert) for every key of the stream.
struct PolicyReplay {
    eviction: Eviction,
    stream: Vec<u32>,
    store: Option<CacheStore>,
}

/// The whole cache lab (cache-aside, defaults) running `SIM_REQUESTS` requests.
struct LabRun {
    eviction: Eviction,
    lab: Option<CacheLab>,
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (group, policy) = name.split_once('/')?;
    let eviction = Eviction::parse(policy)?;
    if group == "cache.policy" {
        let spec = Spec {
            name,
            unit: "requests",
            what: "cache access (hit, or miss + insert + evict) on a Zipf(0.9) stream, 10k keys, 1k entries",
        };
        let stream = zipf_stream(STREAM_LEN, CACHE_KEYS, CACHE_ALPHA, CACHE_SEED);
        let w = PolicyReplay {
            eviction,
            stream,
            store: None,
        };
        Some((spec, Box::new(w)))
    } else {
        let spec = Spec {
            name,
            unit: "requests",
            what: "cache lab run: arrivals, cache, database, events, stats (lab defaults)",
        };
        Some((spec, Box::new(LabRun { eviction, lab: None })))
    }
}

/// A fresh, empty cache for the policy workloads (public so the browser runner's LRU is the same).
pub fn new_store(eviction: Eviction) -> CacheStore {
    CacheStore::new(eviction, CACHE_CAPACITY, CACHE_KEYS, SimRng::new(CACHE_SEED + 1))
}

/// Replays `stream` through `store`; returns the hits.
pub fn replay(store: &mut CacheStore, stream: &[u32]) -> u64 {
    let mut hits = 0u64;
    for &key in stream {
        hits += u64::from(store.access(key));
    }
    hits
}

impl Workload for PolicyReplay {
    fn setup(&mut self) {
        self.store = Some(new_store(self.eviction));
    }

    fn run(&mut self) -> Outcome {
        let Some(store) = self.store.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let hits = replay(store, &self.stream);
        Outcome {
            elements: self.stream.len() as u64,
            checksum: hits,
        }
    }
}

impl Workload for LabRun {
    fn setup(&mut self) {
        let config = Config {
            eviction: self.eviction,
            ..Config::default()
        };
        self.lab = CacheLab::new(config).ok();
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let done = lab.run_requests(SIM_REQUESTS);
        Outcome {
            elements: done,
            checksum: lab.now() ^ lab.stream_fingerprint(),
        }
    }
}
