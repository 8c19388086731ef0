//! The queues lab on the simulation clock: the defaults, 100,000 messages per simulated second,
//! and a backlog growing towards ten million.
//!
//! The big variants are the stated scale, stepped in frame-sized slices as a page does:
//! 100,000 msg/s through 8 partitions and consumers (each message published, delivered and
//! acknowledged: the per-message cost is what is timed), the same with failures, retries and a
//! visibility timeout shorter than some work (redeliveries and duplicates), and nobody consuming
//! (the cost of growing the backlog). Elements are the lab's work items (requests, reads,
//! completions, timers).

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::queues::{Backoff, Config, Processing, QueuesLab};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

/// Simulated seconds per run of the defaults (20 req/s: 72,000 messages).
const DEFAULT_SECS: f64 = 3_600.0;
/// Simulated seconds per run at 100,000 messages per second (200,000 messages).
const BIG_SECS: f64 = 2.0;

pub(crate) const NAMES: [&str; 4] = [
    "queues/default",
    "queues/100k-msgs",
    "queues/100k-msgs-retries",
    "queues/100k-backlog",
];

struct LabRun {
    config: Config,
    secs: f64,
    lab: Option<Box<QueuesLab>>,
}

/// 100,000 msg/s, 10 ms of exponential work, 8 consumers of 256 slots (capacity 204,800/s).
fn big() -> Config {
    Config {
        rate: 100_000.0,
        slow_ms: 10.0,
        processing: Processing::Exponential,
        partitions: 8,
        consumers: 8,
        concurrency: 256,
        ..Config::default()
    }
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (what, config, secs) = match name {
        "queues/default" => (
            "queues lab, defaults (20 req/s, 4 partitions, 4 consumers of 16, 2 s of work): 3,600 simulated s",
            Config::default(),
            DEFAULT_SECS,
        ),
        "queues/100k-msgs" => (
            "queues lab, 100,000 msg/s through 8 partitions and 8 consumers of 256: 2 simulated s in frame slices",
            big(),
            BIG_SECS,
        ),
        "queues/100k-msgs-retries" => (
            "queues lab, 100,000 msg/s, 10% failures and 1% poison retried with jitter, 40 ms of work of which 8% runs past a 100 ms visibility timeout: 2 simulated s",
            Config {
                failure_rate: 0.1,
                poison_rate: 0.01,
                backoff: Backoff::ExponentialJitter,
                slow_ms: 40.0,
                concurrency: 1_000,
                visibility_s: 0.1,
                ..big()
            },
            BIG_SECS,
        ),
        _ => (
            "queues lab, 100,000 msg/s into 32 partitions with no consumer (the backlog grows by 200,000): 2 simulated s",
            Config {
                consumers: 0,
                partitions: 32,
                ..big()
            },
            BIG_SECS,
        ),
    };
    let w = LabRun {
        config,
        secs,
        lab: None,
    };
    Some((
        Spec {
            name,
            unit: "events",
            what,
        },
        Box::new(w),
    ))
}

impl Workload for LabRun {
    fn setup(&mut self) {
        self.lab = QueuesLab::new(self.config.clone()).ok().map(Box::new);
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let until = from_secs(self.secs);
        while !lab.work_until(until, QueuesLab::WORK_PER_FRAME) {}
        let s = lab.snapshot();
        let mut checksum = FNV_OFFSET;
        for word in [
            s.published,
            s.deliveries,
            s.completed,
            s.duplicates,
            s.dead_lettered,
            s.out_of_order,
            s.backlog,
        ] {
            checksum = fnv(checksum, word);
        }
        Outcome {
            elements: lab.work_done(),
            checksum,
        }
    }
}
