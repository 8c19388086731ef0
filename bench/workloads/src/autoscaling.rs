//! The autoscaling lab on the simulation clock: the defaults over a day, the scale (a
//! simulated week at one-second resolution with 1,000 replicas), and a day of the HPA and of
//! serverless following a daily wave up to 1,000 replicas.
//!
//! Elements are simulated seconds (the lab is a per-second flow model: each second is one tick of
//! traffic, serving through the M/M/c queue, accounting, and every 15 s a decision). The runs are
//! stepped in frame-sized slices ([`AutoscalingLab::SECONDS_PER_FRAME`]) as a page fast-forwarding
//! does.

use scalelab_sim::autoscaling::{Autoscaler, AutoscalingLab, Config, Traffic, DAY_S};
use scalelab_sim::engine::time::from_secs;

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

pub(crate) const NAMES: [&str; 4] = [
    "autoscaling/default-day",
    "autoscaling/week-1000-replicas",
    "autoscaling/day-daily-hpa-to-1000",
    "autoscaling/day-serverless",
];

struct LabRun {
    config: Config,
    secs: u64,
    lab: Option<Box<AutoscalingLab>>,
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let week = 7 * DAY_S;
    let (what, config, secs) = match name {
        "autoscaling/default-day" => (
            "autoscaling lab, defaults (HPA on CPU, daily wave 200-1,000 req/s, 5% noise): one simulated day",
            Config::default(),
            DAY_S,
        ),
        "autoscaling/week-1000-replicas" => (
            "autoscaling lab, 1,000 replicas at 70,000 req/s with 5% noise (an Erlang C over 1,000 servers per new load): a simulated week",
            Config {
                traffic: Traffic::Steady,
                base_rps: 70_000.0,
                min_replicas: 1_000,
                max_replicas: 1_000,
                ..Config::default()
            },
            week,
        ),
        "autoscaling/day-daily-hpa-to-1000" => (
            "autoscaling lab, HPA over a daily wave 5,000-70,000 req/s (70 to 1,000 replicas): one simulated day",
            Config {
                base_rps: 5_000.0,
                peak_rps: 70_000.0,
                max_replicas: 1_000,
                ..Config::default()
            },
            DAY_S,
        ),
        _ => (
            "autoscaling lab, serverless over a daily wave 5,000-70,000 req/s (up to 700 concurrent): one simulated day",
            Config {
                autoscaler: Autoscaler::Serverless,
                base_rps: 5_000.0,
                peak_rps: 70_000.0,
                min_replicas: 0,
                max_replicas: 1_000,
                startup_s: 1,
                ..Config::default()
            },
            DAY_S,
        ),
    };
    Some((
        Spec {
            name,
            unit: "sim-seconds",
            what,
        },
        Box::new(LabRun {
            config,
            secs,
            lab: None,
        }),
    ))
}

impl Workload for LabRun {
    fn setup(&mut self) {
        self.lab = AutoscalingLab::new(self.config.clone()).ok().map(Box::new);
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let until = from_secs(self.secs as f64);
        while !lab.work_until(until, AutoscalingLab::SECONDS_PER_FRAME) {}
        let s = lab.snapshot_totals();
        let mut checksum = FNV_OFFSET;
        for word in [
            s.cost.to_bits(),
            s.slo_violation_s,
            s.scale_events,
            s.cold_starts,
            s.requests.to_bits(),
            s.errors.to_bits(),
        ] {
            checksum = fnv(checksum, word);
        }
        Outcome {
            elements: lab.seconds_done(),
            checksum,
        }
    }
}
