//! The placement job: assigns every key to a node, in slices a UI can spread over animation frames.
//!
//! A job runs up to three phases, each resumable after any number of work units:
//! 1. hash the keys `key-0 .. key-(keys-1)` once (skipped when the caller already has them);
//! 2. build the ring (ring and bounded only, see [`RingBuilder`]);
//! 3. place the keys in key index order with the chosen strategy.
//!
//! [`Placement::advance`] takes a budget of work units (about one string hash, ~50 ns natively,
//! each; a ring lookup costs two, a bounded one three, a rendezvous key one per 25 nodes), so a
//! fixed budget per frame takes about the same time for every strategy.
//! Slicing never changes the result: `advance(1)` a million times gives what one
//! `advance(usize::MAX)` gives.

use std::sync::Arc;

use super::bounded::{capacities, BoundedLoads};
use super::hash::{key_hash, node_hash, point_hash};
use super::jump::jump_bucket;
use super::membership::{points_for, Member, NodeId};
use super::rendezvous::Rendezvous;
use super::ring::{Ring, RingMember};
use super::ring_builder::RingBuilder;
use super::strategy::Strategy;

pub use super::progress::Progress;

/// Rendezvous scores per work unit (a score is one multiply-xorshift mix, far cheaper than a hash).
pub const SCORES_PER_UNIT: u64 = 25;

/// The owner recorded for a key no node could take (only possible with no nodes at all).
pub const NO_OWNER: NodeId = NodeId::MAX;

/// Everything that decides where keys go.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementSpec {
    /// The placement strategy.
    pub strategy: Strategy,
    /// The nodes, in bucket order (modulo and jump number buckets by this order).
    pub members: Vec<Member>,
    /// Virtual points per unit weight (ring and bounded).
    pub vnodes: u32,
    /// Load-bound slack `eps` (bounded only).
    pub epsilon: f64,
    /// Number of keys, named `key-0 .. key-(keys-1)`.
    pub keys: usize,
}

/// A finished placement: who owns every key, and the structures that decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// What was placed.
    pub spec: PlacementSpec,
    /// The hash of every key, by key index (shared, never recomputed while `keys` stays the same).
    pub key_hashes: Arc<Vec<u64>>,
    /// The owner of every key, by key index ([`NO_OWNER`] only when there are no nodes); shared,
    /// so a simulation of the change can hold it across frames without copying it.
    pub owners: Arc<Vec<NodeId>>,
    /// Keys per member, in member order.
    pub loads: Vec<u64>,
    /// The ring (ring and bounded strategies).
    pub ring: Option<Ring>,
    /// Per-member capacities (bounded strategy).
    pub capacities: Option<Vec<u64>>,
    /// Mean points a key walked past its first choice (bounded strategy; 0 otherwise).
    pub mean_walk: f64,
}

type PointHashFn = fn(NodeId, u32) -> u64;

/// The modulo strategy's bucket for a key: `key_hash % buckets`, or `None` when there are no
/// buckets. Placement uses it for every key; it is public so benchmarks can time the lookup alone.
pub fn modulo_bucket(key_hash: u64, buckets: u32) -> Option<u32> {
    (buckets > 0).then(|| (key_hash % u64::from(buckets)) as u32)
}

#[derive(Clone, Debug)]
enum Placer {
    Modulo,
    Jump,
    Rendezvous(Rendezvous),
    Ring(Ring),
    Bounded(Ring, BoundedLoads),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    HashKeys,
    BuildRing,
    Assign,
    Done,
}

/// An incremental placement of all keys. See the module docs.
#[derive(Clone, Debug)]
pub struct Placement {
    spec: PlacementSpec,
    phase: Phase,
    /// Hashes computed so far (phase 1), then moved into `key_hashes`.
    hashing: Vec<u64>,
    key_hashes: Arc<Vec<u64>>,
    builder: Option<Box<RingBuilder<PointHashFn>>>,
    placer: Option<Placer>,
    owners: Vec<NodeId>,
    loads: Vec<u64>,
    progress: Progress,
}

fn ring_members(spec: &PlacementSpec) -> Vec<RingMember> {
    spec.members
        .iter()
        .map(|m| RingMember {
            id: m.id,
            points: points_for(spec.vnodes, m.weight),
        })
        .collect()
}

impl Placement {
    /// Starts a job. Pass the key hashes from an earlier assignment when `spec.keys` is unchanged to
    /// skip hashing them again (they are ignored if their length differs).
    pub fn new(spec: PlacementSpec, known_hashes: Option<Arc<Vec<u64>>>) -> Self {
        let keys = spec.keys;
        let known = known_hashes.filter(|h| h.len() == keys);
        let hash_work = if known.is_some() { 0 } else { keys as u64 };
        let builder = spec
            .strategy
            .uses_ring()
            .then(|| Box::new(RingBuilder::new(ring_members(&spec), point_hash as PointHashFn)));
        let build_work = builder.as_ref().map_or(0, |b| b.progress().total);
        let total = hash_work + build_work + keys as u64 * Self::work_per_key(&spec);
        let mut job = Self {
            phase: Phase::HashKeys,
            hashing: if known.is_some() {
                Vec::new()
            } else {
                Vec::with_capacity(keys)
            },
            key_hashes: known.unwrap_or_default(),
            builder,
            placer: None,
            owners: Vec::new(),
            loads: vec![0; spec.members.len()],
            spec,
            progress: Progress { done: 0, total },
        };
        if hash_work == 0 {
            job.end_hashing();
        }
        job
    }

    /// Runs a whole placement at once (fine for small cases and tests).
    pub fn compute_all(spec: PlacementSpec) -> Assignment {
        let mut job = Placement::new(spec, None);
        while !job.advance(usize::MAX).is_done() {}
        job.finish()
    }

    /// Work units to place one key: one for modulo and jump (about a string hash), two for ring (a
    /// lookup misses the cache), three for bounded (plus the walk past full nodes), and for
    /// rendezvous one per [`SCORES_PER_UNIT`] nodes (one cheap score per node).
    fn work_per_key(spec: &PlacementSpec) -> u64 {
        match spec.strategy {
            Strategy::Rendezvous => (spec.members.len() as u64).div_ceil(SCORES_PER_UNIT).max(1),
            Strategy::Ring => 2,
            Strategy::Bounded => 3,
            Strategy::Modulo | Strategy::Jump => 1,
        }
    }

    /// What is being placed.
    pub fn spec(&self) -> &PlacementSpec {
        &self.spec
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Whether every key has been placed.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Does up to `budget` work units (at least one while unfinished) and reports progress.
    pub fn advance(&mut self, budget: usize) -> Progress {
        let mut left = budget.max(1) as u64;
        while left > 0 && self.phase != Phase::Done {
            let used = match self.phase {
                Phase::HashKeys => self.hash_some(left),
                Phase::BuildRing => self.build_some(left),
                Phase::Assign => self.assign_some(left),
                Phase::Done => 0,
            };
            self.progress.done += used;
            left = left.saturating_sub(used.max(1));
        }
        if self.phase == Phase::Done {
            self.progress.done = self.progress.total;
        }
        self.progress
    }

    fn hash_some(&mut self, budget: u64) -> u64 {
        let start = self.hashing.len();
        let end = self
            .spec
            .keys
            .min(start.saturating_add(usize::try_from(budget).unwrap_or(usize::MAX)));
        self.hashing.extend((start..end).map(|i| key_hash(i as u64)));
        if self.hashing.len() >= self.spec.keys {
            self.key_hashes = Arc::new(std::mem::take(&mut self.hashing));
            self.end_hashing();
        }
        (end - start) as u64
    }

    fn end_hashing(&mut self) {
        self.owners = Vec::with_capacity(self.spec.keys);
        match self.spec.strategy {
            Strategy::Modulo => self.start_assign(Placer::Modulo),
            Strategy::Jump => self.start_assign(Placer::Jump),
            Strategy::Rendezvous => {
                let hashes = self.spec.members.iter().map(|m| node_hash(m.id)).collect();
                let weights: Vec<f64> = self.spec.members.iter().map(|m| m.weight).collect();
                self.start_assign(Placer::Rendezvous(Rendezvous::new(hashes, &weights)));
            }
            Strategy::Ring | Strategy::Bounded => {
                self.phase = Phase::BuildRing;
            }
        }
    }

    fn start_assign(&mut self, placer: Placer) {
        self.placer = Some(placer);
        self.phase = Phase::Assign;
    }

    fn build_some(&mut self, budget: u64) -> u64 {
        let Some(builder) = self.builder.as_mut() else {
            self.start_assign(Placer::Ring(Ring::build(Vec::new(), point_hash)));
            return 0;
        };
        let before = builder.progress().done;
        let after = builder.advance(usize::try_from(budget).unwrap_or(usize::MAX)).done;
        if builder.is_done() {
            if let Some(builder) = self.builder.take() {
                let ring = builder.finish();
                let placer = if self.spec.strategy == Strategy::Bounded {
                    let weights: Vec<f64> = self.spec.members.iter().map(|m| m.weight).collect();
                    let caps = capacities(self.spec.keys as u64, &weights, self.spec.epsilon);
                    let bounded = BoundedLoads::new(&ring, caps);
                    Placer::Bounded(ring, bounded)
                } else {
                    Placer::Ring(ring)
                };
                self.start_assign(placer);
            }
        }
        after.saturating_sub(before)
    }

    fn assign_some(&mut self, budget: u64) -> u64 {
        let per_key = Self::work_per_key(&self.spec);
        let start = self.owners.len();
        let count = usize::try_from((budget / per_key).max(1)).unwrap_or(usize::MAX);
        let end = self.spec.keys.min(start.saturating_add(count));
        let n = self.spec.members.len();
        let hashes = self.key_hashes.get(start..end).unwrap_or(&[]);
        // Pass 1: pure lookups (independent of each other, so the CPU overlaps their cache misses).
        let as_index = |m: Option<usize>| m.map_or(u32::MAX, |m| m as u32);
        let members: Vec<u32> = match self.placer.as_mut() {
            Some(Placer::Modulo) => {
                let buckets = u32::try_from(n).unwrap_or(u32::MAX);
                hashes
                    .iter()
                    .map(|&h| modulo_bucket(h, buckets).unwrap_or(u32::MAX))
                    .collect()
            }
            Some(Placer::Jump) => {
                let buckets = u32::try_from(n).unwrap_or(u32::MAX);
                hashes
                    .iter()
                    .map(|&h| jump_bucket(h, buckets).unwrap_or(u32::MAX))
                    .collect()
            }
            Some(Placer::Rendezvous(r)) => hashes.iter().map(|&h| as_index(r.pick(h))).collect(),
            Some(Placer::Ring(ring)) => hashes
                .iter()
                .map(|&h| as_index(ring.point_index(h).and_then(|i| ring.member_at(i))))
                .collect(),
            Some(Placer::Bounded(ring, bounded)) => hashes.iter().map(|&h| as_index(bounded.place(ring, h))).collect(),
            None => Vec::new(),
        };
        // Pass 2: owners and loads.
        for m in members {
            let owner = match self.spec.members.get(m as usize) {
                Some(member) => {
                    if let Some(load) = self.loads.get_mut(m as usize) {
                        *load += 1;
                    }
                    member.id
                }
                None => NO_OWNER,
            };
            self.owners.push(owner);
        }
        if self.owners.len() < end {
            // No placer (cannot happen): record the keys as unowned so the job still ends.
            self.owners.resize(end, NO_OWNER);
        }
        if self.owners.len() >= self.spec.keys {
            self.phase = Phase::Done;
        }
        (end - start) as u64 * per_key
    }

    /// The finished assignment; an unfinished job is first run to completion.
    pub fn finish(mut self) -> Assignment {
        while self.phase != Phase::Done {
            self.advance(usize::MAX);
        }
        let (ring, capacities, mean_walk) = match self.placer {
            Some(Placer::Ring(ring)) => (Some(ring), None, 0.0),
            Some(Placer::Bounded(ring, bounded)) => {
                (Some(ring), Some(bounded.capacities().to_vec()), bounded.mean_walk())
            }
            _ => (None, None, 0.0),
        };
        Assignment {
            spec: self.spec,
            key_hashes: self.key_hashes,
            owners: Arc::new(self.owners),
            loads: self.loads,
            ring,
            capacities,
            mean_walk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulo_bucket_is_hash_mod_n() {
        assert_eq!(modulo_bucket(10, 3), Some(1));
        assert_eq!(modulo_bucket(u64::MAX, 7), Some((u64::MAX % 7) as u32));
        assert_eq!(modulo_bucket(5, 0), None);
        let done = Placement::compute_all(spec(Strategy::Modulo));
        for (i, &h) in done.key_hashes.iter().enumerate() {
            let bucket = modulo_bucket(h, done.spec.members.len() as u32).unwrap_or(u32::MAX);
            assert_eq!(
                done.owners.get(i),
                done.spec.members.get(bucket as usize).map(|m| &m.id)
            );
        }
    }

    fn spec(strategy: Strategy) -> PlacementSpec {
        PlacementSpec {
            strategy,
            members: (0..7)
                .map(|id| Member {
                    id,
                    weight: 1.0 + f64::from(id % 2),
                })
                .collect(),
            vnodes: 10,
            epsilon: 0.1,
            keys: 2_000,
        }
    }

    #[test]
    fn slicing_never_changes_the_result() {
        for strategy in Strategy::ALL {
            let whole = Placement::compute_all(spec(strategy));
            let mut job = Placement::new(spec(strategy), None);
            let mut calls = 0;
            while !job.advance(37).is_done() {
                calls += 1;
            }
            assert!(calls > 10, "{strategy:?}");
            let sliced = job.finish();
            assert_eq!(whole, sliced, "{strategy:?}");
            assert_eq!(whole.loads.iter().sum::<u64>(), 2_000);
            let reused = Placement::new(spec(strategy), Some(whole.key_hashes.clone()));
            assert_eq!(reused.finish().owners, whole.owners);
        }
    }
}
