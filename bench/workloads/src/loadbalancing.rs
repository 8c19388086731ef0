//! The load balancing lab on the simulation clock: the default fleet, and a big one.
//!
//! The big variant is the lab's stated ceiling (1,000 servers, 100,000 requests per simulated
//! second, mean cost 8 ms so each server runs at 0.8): per-request work must stay small there for
//! a frame budget to hold.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::loadbalancing::{Algorithm, Config, LoadBalancingLab};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

/// Simulated seconds per run of the default fleet (30 req/s: 108,000 requests).
const DEFAULT_SECS: f64 = 3_600.0;
/// Simulated seconds per run of the big fleet (100,000 req/s: about 200,000 requests).
const BIG_SECS: f64 = 2.0;

pub(crate) const NAMES: [&str; 3] = [
    "loadbalancing/default",
    "loadbalancing/1000-servers",
    "loadbalancing/1000-servers-least-conn",
];

struct LabRun {
    config: Config,
    secs: f64,
    lab: Option<Box<LoadBalancingLab>>,
}

/// 1,000 servers at 100,000 req/s, each at load 0.8.
fn big(algorithm: Algorithm) -> Config {
    Config {
        algorithm,
        servers: 1_000,
        rate: 100_000.0,
        mean_ms: 8.0,
        ..Config::default()
    }
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (what, config, secs) = match name {
        "loadbalancing/default" => (
            "load balancing lab, defaults (4 servers, 30 req/s, round robin): 3,600 simulated s",
            Config::default(),
            DEFAULT_SECS,
        ),
        "loadbalancing/1000-servers" => (
            "load balancing lab, 1,000 servers at 100,000 req/s (load 0.8), round robin: 2 simulated s",
            big(Algorithm::RoundRobin),
            BIG_SECS,
        ),
        _ => (
            "load balancing lab, 1,000 servers at 100,000 req/s (load 0.8), least connections: 2 simulated s",
            big(Algorithm::LeastConnections),
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
            unit: "requests",
            what,
        },
        Box::new(w),
    ))
}

impl Workload for LabRun {
    fn setup(&mut self) {
        self.lab = LoadBalancingLab::new(self.config.clone()).ok().map(Box::new);
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        lab.step_until(from_secs(self.secs));
        let s = lab.snapshot();
        let checksum = fnv(
            fnv(fnv(FNV_OFFSET, lab.workload_fingerprint()), s.completed),
            s.max_queue.into(),
        );
        Outcome {
            elements: s.arrived,
            checksum,
        }
    }
}
