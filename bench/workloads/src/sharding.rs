//! The sharding lab: the defaults on the simulation clock, scatter-gather over 64 shards, and a
//! resharding placement job.
//!
//! Everything runs in frame-sized slices ([`ShardingLab::WORK_PER_FRAME`]) as a page drives it,
//! so the cost per operation (and per key placed) is what is timed. The resharding variant times
//! the job that counts the keys one added shard moves (a million keys, old and new layout each),
//! the work behind every add, remove and split; ten million keys take ten times as long.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::sharding::{Config, ShardingLab};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

/// Simulated seconds per run of the defaults (4,000 ops/s: about 480,000 operations).
const DEFAULT_SECS: f64 = 120.0;
/// Simulated seconds per run of the scatter-gather variant (20,000 ops/s: 200,000 operations,
/// a fifth of them visiting all 64 shards).
const GLOBAL_SECS: f64 = 10.0;
/// Keys of the resharding variant.
const RESHARD_KEYS: u32 = 1_000_000;

pub(crate) const NAMES: [&str; 3] = [
    "sharding/default",
    "sharding/global-64-shards",
    "sharding/reshard-1m-keys",
];

enum Kind {
    /// Operations up to `secs` simulated seconds.
    Run { secs: f64 },
    /// The placement job of one added shard.
    Reshard,
}

struct LabRun {
    config: Config,
    kind: Kind,
    lab: Option<Box<ShardingLab>>,
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (what, unit, config, kind) = match name {
        "sharding/default" => (
            "sharding lab, defaults (hash, 8 shards, 1,000,000 keys, 4,000 ops/s): 120 simulated s in frame slices",
            "operations",
            Config::default(),
            Kind::Run { secs: DEFAULT_SECS },
        ),
        "sharding/global-64-shards" => (
            "sharding lab, 64 shards, 20,000 ops/s, 20% global queries (scatter-gather): 10 simulated s",
            "operations",
            Config {
                shards: 64,
                keys: 100_000,
                rate: 20_000.0,
                global_share: 0.2,
                shard_capacity: 10_000.0,
                ..Config::default()
            },
            Kind::Run { secs: GLOBAL_SECS },
        ),
        _ => (
            "sharding lab, 1,000,000 keys on 63 shards (1,024 logical): the placement job of a 64th, in frame slices",
            "keys",
            Config {
                shards: 63,
                logical_shards: 1_024,
                keys: RESHARD_KEYS,
                ..Config::default()
            },
            Kind::Reshard,
        ),
    };
    Some((
        Spec { name, unit, what },
        Box::new(LabRun {
            config,
            kind,
            lab: None,
        }),
    ))
}

impl Workload for LabRun {
    fn setup(&mut self) {
        self.lab = ShardingLab::new(self.config.clone()).ok().map(|mut lab| {
            // The first placement (and the popularity table) is not timed.
            lab.finish_work();
            Box::new(lab)
        });
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let elements = match self.kind {
            Kind::Run { secs } => {
                let until = from_secs(secs);
                while !lab.work_until(until, ShardingLab::WORK_PER_FRAME) {}
                lab.operations()
            }
            Kind::Reshard => {
                if lab.add_shard().is_err() {
                    return Outcome {
                        elements: 0,
                        checksum: 0,
                    };
                }
                while lab.busy() {
                    lab.work(ShardingLab::WORK_PER_FRAME);
                }
                u64::from(RESHARD_KEYS)
            }
        };
        let s = lab.snapshot();
        let mut checksum = FNV_OFFSET;
        let moved = s.last_change.as_ref().map_or(0, |c| c.keys_moved);
        for word in [s.ops, s.throttled, moved, lab.workload_fingerprint()] {
            checksum = fnv(checksum, word);
        }
        for shard in &s.shards {
            checksum = fnv(checksum, shard.ops ^ shard.keys.rotate_left(32));
        }
        Outcome { elements, checksum }
    }
}
