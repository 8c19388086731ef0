//! The benchmark workloads: each model's hot path, driven through `scalelab-sim`'s public API.
//!
//! One registry ([`names`], [`build`]) is shared by the native runner (criterion, `bench/native`)
//! and the wasm runner (`bench/wasm`, timed in headless Chromium), so both time exactly the same
//! code on exactly the same inputs. A workload is prepared by [`Workload::setup`] (not timed) and
//! timed around [`Workload::run`], which reports how many elements (lookups, requests, events) it
//! processed and a checksum of the results, so the work cannot be optimised away and native and
//! wasm can be checked to agree.
//!
//! Sizes are fixed here (see the constants) and every input is seeded: runs are deterministic.

mod autoscaling;
mod cache;
mod engine;
mod journey;
mod labs;
mod loadbalancing;
mod queues;
mod ratelimit;
mod ring;
mod sharding;

pub use cache::{new_store, replay, zipf_stream, CACHE_ALPHA, CACHE_CAPACITY, CACHE_KEYS, CACHE_SEED, STREAM_LEN};
pub use ring::{build_ring, RING_BUILDS, RING_LOOKUPS, RING_NODES, RING_POINTS};

/// What one timed run processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Elements processed (lookups, requests or events: see [`Spec::unit`]).
    pub elements: u64,
    /// A digest of the results (equal on every run, and on native and wasm).
    pub checksum: u64,
}

/// A workload's description.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Unique name, `<group>/<variant>`, e.g. `ring/jump`.
    pub name: &'static str,
    /// What an element is: `lookups`, `requests` or `events`.
    pub unit: &'static str,
    /// One line saying what is timed.
    pub what: &'static str,
}

/// A prepared workload.
pub trait Workload {
    /// Puts the workload in its starting state (fresh model, empty cache...). Not timed.
    fn setup(&mut self);
    /// The timed part. Call [`Workload::setup`] before each run.
    fn run(&mut self) -> Outcome;
}

/// Every workload name, in report order.
pub fn names() -> Vec<&'static str> {
    let mut all = Vec::new();
    all.extend(ring::NAMES);
    all.extend(cache::NAMES);
    all.extend(engine::NAMES);
    all.extend(labs::NAMES);
    all.extend(loadbalancing::NAMES);
    all.extend(ratelimit::NAMES);
    all.extend(queues::NAMES);
    all.extend(sharding::NAMES);
    all.extend(autoscaling::NAMES);
    all.extend(journey::NAMES);
    all
}

/// Builds the workload `name` (see [`names`]); `None` for an unknown name.
pub fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    ring::build(name)
        .or_else(|| cache::build(name))
        .or_else(|| engine::build(name))
        .or_else(|| labs::build(name))
        .or_else(|| loadbalancing::build(name))
        .or_else(|| ratelimit::build(name))
        .or_else(|| queues::build(name))
        .or_else(|| sharding::build(name))
        .or_else(|| autoscaling::build(name))
        .or_else(|| journey::build(name))
}

/// FNV-1a over 64-bit words: the checksum of a run.
pub(crate) fn fnv(hash: u64, word: u64) -> u64 {
    (hash ^ word).wrapping_mul(0x0000_0100_0000_01b3)
}

/// FNV-1a's offset basis.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_builds_and_repeats_its_checksum() {
        for name in names() {
            let (spec, mut w) = build(name).expect(name);
            assert_eq!(spec.name, name);
            w.setup();
            let a = w.run();
            w.setup();
            let b = w.run();
            assert_eq!(a, b, "{name}");
            assert!(a.elements > 0, "{name}");
        }
        assert!(build("nope").is_none());
    }
}
