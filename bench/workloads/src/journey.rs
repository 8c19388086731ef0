//! The scaling journey on the simulation clock: a level's hour with one box (level 1, the
//! defaults), with the architecture that wins level 3 (a million users, autoscaled servers, cache,
//! four shards, a queue, a traffic spike), and with the one that wins level 4 (ten million users
//! in three active-active regions, the US region failing).
//!
//! Elements are simulated seconds (the lab is a per-second flow model: each second routes every
//! region's request classes through the stations, computes the percentiles and the utilisations,
//! and runs the breaker, the autoscaler and the faults). The runs are stepped in frame-sized
//! slices ([`JourneyLab::SECONDS_PER_FRAME`]) as a page fast-forwarding does.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::journey::{Config, JourneyLab, LEVEL_S};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

pub(crate) const NAMES: [&str; 3] = [
    "journey/level-1-one-box",
    "journey/level-3-winner",
    "journey/level-4-winner",
];

struct LabRun {
    config: Config,
    lab: Option<Box<JourneyLab>>,
}

fn with(stage: &str, pairs: &[(&str, &str)]) -> Config {
    let mut config = Config::default();
    let _ = config.set_field("stage", stage);
    for (key, raw) in pairs {
        let _ = config.set_field(key, raw);
    }
    config
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (what, config) = match name {
        "journey/level-1-one-box" => (
            "journey lab, level 1 with one small server (1,000 users, the third party hangs): a simulated hour",
            with("1", &[]),
        ),
        "journey/level-3-winner" => (
            "journey lab, level 3 with its winning architecture (1,000,000 users, autoscaled servers, 4 shards, a queue, a spike): a simulated hour",
            with(
                "3",
                &[
                    ("app_servers", "280"),
                    ("autoscale", "true"),
                    ("pool", "5"),
                    ("db_max_connections", "4000"),
                    ("cache_gb", "16"),
                    ("replicas", "2"),
                    ("shards", "4"),
                    ("queue", "true"),
                    ("workers", "110"),
                ],
            ),
        ),
        _ => (
            "journey lab, level 4 with its winning architecture (10,000,000 users, three active-active regions, the US failing): a simulated hour",
            with(
                "4",
                &[
                    ("regions", "active-active"),
                    ("app_servers", "1500"),
                    ("autoscale", "true"),
                    ("pool", "5"),
                    ("db_max_connections", "20000"),
                    ("cache_gb", "48"),
                    ("replicas", "2"),
                    ("shards", "12"),
                    ("queue", "true"),
                    ("workers", "600"),
                ],
            ),
        ),
    };
    Some((
        Spec {
            name,
            unit: "sim-seconds",
            what,
        },
        Box::new(LabRun { config, lab: None }),
    ))
}

impl Workload for LabRun {
    fn setup(&mut self) {
        self.lab = JourneyLab::new(self.config.clone()).ok().map(Box::new);
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let until = from_secs(LEVEL_S as f64);
        while !lab.work_until(until, JourneyLab::SECONDS_PER_FRAME) {}
        let s = lab.snapshot();
        let mut checksum = FNV_OFFSET;
        for word in [
            s.spent.to_bits(),
            s.error_rate_total.to_bits(),
            s.cost_per_month.to_bits(),
            s.max_throughput.to_bits(),
            u64::from(s.stage_passed()),
            u64::from(s.app_servers),
        ] {
            checksum = fnv(checksum, word);
        }
        Outcome {
            elements: lab.seconds_done(),
            checksum,
        }
    }
}
