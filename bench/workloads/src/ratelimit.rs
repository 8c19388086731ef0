//! The rate limiting lab on the simulation clock: the defaults, and one million requests per
//! simulated second.
//!
//! The big variant is the lab's stated ceiling: the abuser at 1,000,000 req/s against a token
//! bucket (nearly all refused), stepped in frame-sized slices as a page does, so the cost per
//! request decision is what is timed. A sliding log variant times the one algorithm whose work per
//! request is not constant.

use scalelab_sim::engine::time::from_secs;
use scalelab_sim::ratelimit::{Algorithm, Config, RateLimitLab, Retry};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

/// Simulated seconds per run of the defaults (about 125 requests/s: 450,000 requests).
const DEFAULT_SECS: f64 = 3_600.0;
/// Simulated seconds per run at one million requests per second (2,000,000 requests).
const BIG_SECS: f64 = 2.0;

pub(crate) const NAMES: [&str; 3] = [
    "ratelimit/default",
    "ratelimit/1m-rps",
    "ratelimit/1m-rps-sliding-log-retries",
];

struct LabRun {
    config: Config,
    secs: f64,
    lab: Option<Box<RateLimitLab>>,
}

/// The defaults with the abuser at one million requests per second.
fn big(algorithm: Algorithm, retry: Retry) -> Config {
    Config {
        algorithm,
        retry,
        abuser_rps: 1_000_000.0,
        ..Config::default()
    }
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let (what, config, secs) = match name {
        "ratelimit/default" => (
            "rate limiting lab, defaults (token bucket, 4 clients at 5 req/s, abuser at 100 req/s): 3,600 simulated s",
            Config::default(),
            DEFAULT_SECS,
        ),
        "ratelimit/1m-rps" => (
            "rate limiting lab, abuser at 1,000,000 req/s against a token bucket: 2 simulated s in frame slices",
            big(Algorithm::TokenBucket, Retry::None),
            BIG_SECS,
        ),
        _ => (
            "rate limiting lab, abuser at 1,000,000 req/s against a sliding log, retries at once: 2 simulated s",
            big(Algorithm::SlidingLog, Retry::Immediate),
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
        self.lab = RateLimitLab::new(self.config.clone()).ok().map(Box::new);
    }

    fn run(&mut self) -> Outcome {
        let Some(lab) = self.lab.as_mut() else {
            return Outcome {
                elements: 0,
                checksum: 0,
            };
        };
        let until = from_secs(self.secs);
        while !lab.work_until(until, RateLimitLab::REQUESTS_PER_FRAME) {}
        let s = lab.snapshot();
        let t = s.totals;
        let mut checksum = FNV_OFFSET;
        for word in [t.requests, t.attempts, t.admitted, t.refused, t.retries, s.worst_window] {
            checksum = fnv(checksum, word);
        }
        Outcome {
            elements: lab.work_done(),
            checksum,
        }
    }
}
