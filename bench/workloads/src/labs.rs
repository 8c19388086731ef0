//! Whole lab runs on the simulation clock: the circuit breaker and replication models.

use scalelab_sim::breaker::{BreakerLab, Config as BreakerConfig};
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::replication::{Config as ReplicationConfig, ReplicationLab};

use crate::{Outcome, Spec, Workload};

/// Simulated seconds per run.
const RUN_SECS: f64 = 60.0;

pub(crate) const NAMES: [&str; 2] = ["breaker/run", "replication/run"];

enum LabRun {
    Breaker(Option<Box<BreakerLab>>),
    Replication(Option<Box<ReplicationLab>>),
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (what, w) = match name {
        "breaker/run" => (
            "breaker lab, defaults but 10,000 clients/s: 60 s with a 30 s outage (consecutive policy)",
            LabRun::Breaker(None),
        ),
        _ => (
            "replication lab, defaults but 1,000 writes/s and 10,000 reads/s: 60 s, 3 async replicas",
            LabRun::Replication(None),
        ),
    };
    Some((
        Spec {
            name,
            unit: "requests",
            what,
        },
        Box::new(w),
    ))
}

impl Workload for LabRun {
    fn setup(&mut self) {
        match self {
            LabRun::Breaker(lab) => {
                let config = BreakerConfig {
                    rate: 10_000.0,
                    ..BreakerConfig::default()
                };
                *lab = BreakerLab::new(config).ok().map(Box::new);
            }
            LabRun::Replication(lab) => {
                let config = ReplicationConfig {
                    write_rate: 1_000.0,
                    read_rate: 10_000.0,
                    ..ReplicationConfig::default()
                };
                *lab = ReplicationLab::new(config).ok().map(Box::new);
            }
        }
    }

    fn run(&mut self) -> Outcome {
        let until = from_secs(RUN_SECS);
        match self {
            LabRun::Breaker(Some(lab)) => {
                lab.step_until(until);
                let s = lab.snapshot();
                Outcome {
                    elements: s.requests,
                    checksum: lab.workload_fingerprint() ^ s.finished,
                }
            }
            LabRun::Replication(Some(lab)) => {
                lab.step_until(until);
                let s = lab.snapshot();
                Outcome {
                    elements: s.reads + s.topology.head + s.refused_writes,
                    checksum: s.reads ^ (s.writes_acked << 20) ^ (s.ryw_violations << 40),
                }
            }
            _ => Outcome {
                elements: 0,
                checksum: 0,
            },
        }
    }
}
