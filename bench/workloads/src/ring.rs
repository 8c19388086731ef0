//! Hash ring lookups per strategy, and building the ring.
//!
//! Every lookup starts from the key's name: `key-<i>` is hashed (xxh3, from a stack buffer) and
//! the strategy picks a node, as the lab does. The ring has [`RING_NODES`] equal nodes with
//! [`RING_POINTS`] points each: ketama's 160 (40 hashes x 4 points), as npm `hashring` builds it.

use scalelab_sim::hashring::bounded::{capacities, BoundedLoads};
use scalelab_sim::hashring::hash::{key_hash, node_hash, point_hash};
use scalelab_sim::hashring::jump::jump_bucket;
use scalelab_sim::hashring::placement::modulo_bucket;
use scalelab_sim::hashring::rendezvous::Rendezvous;
use scalelab_sim::hashring::{Ring, RingMember};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

/// Nodes on the ring.
pub const RING_NODES: u32 = 10;
/// Points per node (ketama: 40 hashes x 4 points).
pub const RING_POINTS: u32 = 160;
/// Keys looked up per run: `key-0 .. key-99999`.
pub const RING_LOOKUPS: u64 = 100_000;
/// Rings built per run of `ring/build` (one build is far below the browser timer's 0.1 ms).
pub const RING_BUILDS: u64 = 100;
/// Bounded loads' slack (the lab's default).
const EPSILON: f64 = 0.25;

pub(crate) const NAMES: [&str; 6] = [
    "ring/build",
    "ring/ring",
    "ring/modulo",
    "ring/jump",
    "ring/rendezvous",
    "ring/bounded",
];

fn members() -> Vec<RingMember> {
    (0..RING_NODES)
        .map(|id| RingMember {
            id,
            points: RING_POINTS,
        })
        .collect()
}

/// The ring every ring workload uses (and the wasm runner compares with `hashring`).
pub fn build_ring() -> Ring {
    Ring::build(members(), point_hash)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Build,
    Ring,
    Modulo,
    Jump,
    Rendezvous,
    Bounded,
}

struct RingWorkload {
    kind: Kind,
    ring: Ring,
    rendezvous: Rendezvous,
    bounded: Option<BoundedLoads>,
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let (kind, unit, what) = match name {
        "ring/build" => (
            Kind::Build,
            "points",
            "build the ring 100 times: hash 10 x 160 points, sort, index",
        ),
        "ring/ring" => (
            Kind::Ring,
            "lookups",
            "consistent hash ring: hash key, first point clockwise",
        ),
        "ring/modulo" => (Kind::Modulo, "lookups", "hash key, hash % N"),
        "ring/jump" => (Kind::Jump, "lookups", "hash key, jump consistent hash"),
        "ring/rendezvous" => (Kind::Rendezvous, "lookups", "hash key, highest of 10 rendezvous scores"),
        "ring/bounded" => (
            Kind::Bounded,
            "lookups",
            "hash key, place on the ring with bounded loads (eps 0.25)",
        ),
        _ => return None,
    };
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let ring = build_ring();
    let rendezvous = Rendezvous::new((0..RING_NODES).map(node_hash).collect(), &[]);
    let w = RingWorkload {
        kind,
        ring,
        rendezvous,
        bounded: None,
    };
    Some((Spec { name, unit, what }, Box::new(w)))
}

impl Workload for RingWorkload {
    fn setup(&mut self) {
        if self.kind == Kind::Bounded {
            let weights = vec![1.0; RING_NODES as usize];
            self.bounded = Some(BoundedLoads::new(
                &self.ring,
                capacities(RING_LOOKUPS, &weights, EPSILON),
            ));
        }
    }

    fn run(&mut self) -> Outcome {
        let nodes = RING_NODES;
        let mut sum = FNV_OFFSET;
        let lookup = |i: u64| -> u32 {
            let h = key_hash(i);
            let picked = match self.kind {
                Kind::Build => None,
                Kind::Ring => self.ring.owner(h),
                Kind::Modulo => modulo_bucket(h, nodes),
                Kind::Jump => jump_bucket(h, nodes),
                Kind::Rendezvous => self.rendezvous.pick(h).map(|m| m as u32),
                Kind::Bounded => None,
            };
            picked.unwrap_or(u32::MAX)
        };
        match self.kind {
            Kind::Build => {
                let mut points = 0;
                for _ in 0..RING_BUILDS {
                    let ring = build_ring();
                    points += ring.len() as u64;
                    for p in ring.points().step_by(97) {
                        sum = fnv(sum, p.position);
                    }
                }
                Outcome {
                    elements: points,
                    checksum: sum,
                }
            }
            Kind::Bounded => {
                let ring = &self.ring;
                let Some(bounded) = self.bounded.as_mut() else {
                    return Outcome {
                        elements: 0,
                        checksum: 0,
                    };
                };
                for i in 0..RING_LOOKUPS {
                    let m = bounded.place(ring, key_hash(i)).map_or(u64::MAX, |m| m as u64);
                    sum = fnv(sum, m);
                }
                Outcome {
                    elements: RING_LOOKUPS,
                    checksum: sum,
                }
            }
            _ => {
                for i in 0..RING_LOOKUPS {
                    sum = fnv(sum, u64::from(lookup(i)));
                }
                Outcome {
                    elements: RING_LOOKUPS,
                    checksum: sum,
                }
            }
        }
    }
}
