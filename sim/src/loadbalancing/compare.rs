//! Compare: the same workload under several algorithms side by side. Every variant takes the same
//! config and seed, and the request stream has a generator of its own, so every algorithm sees
//! exactly the same requests (their `workload_fingerprint`s agree). Run it in slices with
//! [`Comparison::work`]: even 7 algorithms × 1,000 servers × 100,000 req/s never block a frame.

use serde::Serialize;

use super::algorithm::Algorithm;
use super::config::Config;
use super::lab::LoadBalancingLab;
use super::stream::STATIC_SPAN;
use super::workload::Sessions;
use crate::engine::time::{from_secs, to_secs};
use crate::engine::SimTime;
use crate::ConfigError;

/// Longest comparison run, in simulated seconds.
pub const MAX_COMPARE_SECS: f64 = 600.0;

/// One algorithm's results so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Median latency of the completed requests (ms); `None` before the first.
    pub p50_ms: Option<f64>,
    /// 99th percentile latency (ms).
    pub p99_ms: Option<f64>,
    /// Mean latency (ms).
    pub mean_ms: Option<f64>,
    /// Most requests waiting at one server at any moment.
    pub max_queue: u32,
    /// Requests dropped (queue full).
    pub dropped: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Busiest server's served (static mode: placed) requests / the mean.
    pub imbalance: f64,
    /// The supermarket model's mean latency (ms) for `random` and `power_of_two` when it applies
    /// (plus `store_ms` with shared sessions); `None` otherwise.
    pub predicted_mean_ms: Option<f64>,
    /// Static mode: requests on the most loaded server (0 otherwise).
    pub max_load: u64,
    /// Static mode: requests placed per server (0 otherwise).
    pub mean_load: f64,
    /// Requests that arrived.
    pub arrived: u64,
    /// Requests completed.
    pub completed: u64,
    /// Digest of the requests seen (equal across the rows of one comparison).
    pub workload_fingerprint: u64,
}

/// A running comparison. See the module docs.
#[derive(Clone, Debug)]
pub struct Comparison {
    labs: Vec<LoadBalancingLab>,
    done: Vec<bool>,
    until: SimTime,
}

impl Comparison {
    /// `config` under each of `algorithms` (1 to 7, no repeats), run for `secs` simulated seconds
    /// (0 < secs <= [`MAX_COMPARE_SECS`]; in static mode `secs` is ignored: every request is placed
    /// within the first second).
    pub fn new(config: Config, algorithms: &[Algorithm], secs: f64) -> Result<Self, ConfigError> {
        if algorithms.is_empty() || algorithms.len() > Algorithm::ALL.len() {
            return Err(ConfigError::new(
                "algorithms",
                format!("compare between 1 and {} algorithms", Algorithm::ALL.len()),
            ));
        }
        if algorithms.iter().enumerate().any(|(i, a)| algorithms[..i].contains(a)) {
            return Err(ConfigError::new("algorithms", "lists an algorithm twice"));
        }
        let until = if config.is_static() {
            STATIC_SPAN
        } else {
            if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
                return Err(ConfigError::new(
                    "secs",
                    format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
                ));
            }
            from_secs(secs)
        };
        let labs = algorithms
            .iter()
            .map(|&algorithm| {
                LoadBalancingLab::new(Config {
                    algorithm,
                    ..config.clone()
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            done: vec![false; labs.len()],
            labs,
            until,
        })
    }

    /// Runs up to `budget` arrivals in total, shared evenly among the unfinished algorithms
    /// ([`LoadBalancingLab::REQUESTS_PER_FRAME`] is a good budget per animation frame). Returns
    /// true when every algorithm has reached the end. The results do not depend on the slices.
    pub fn work(&mut self, budget: u64) -> bool {
        let unfinished = self.done.iter().filter(|d| !**d).count();
        if unfinished == 0 {
            return true;
        }
        let share = (budget / unfinished as u64).max(1);
        for (lab, done) in self.labs.iter_mut().zip(self.done.iter_mut()) {
            if *done {
                continue;
            }
            if lab.advance(self.until, share) < share {
                lab.step_until(self.until);
                *done = true;
            }
        }
        self.is_done()
    }

    /// Runs the whole comparison at once.
    pub fn run_to_end(&mut self) {
        while !self.work(1_000_000) {}
    }

    /// Whether every algorithm has reached the end.
    pub fn is_done(&self) -> bool {
        self.done.iter().all(|d| *d)
    }

    /// Share of the run done, 0..=1.
    pub fn progress(&self) -> f64 {
        if self.labs.is_empty() {
            return 1.0;
        }
        let end = to_secs(self.until).max(1e-9);
        let sum: f64 = self
            .labs
            .iter()
            .zip(&self.done)
            .map(|(lab, &done)| if done { 1.0 } else { (to_secs(lab.now()) / end).min(1.0) })
            .sum();
        sum / self.labs.len() as f64
    }

    /// The end of the run (µs).
    pub fn until(&self) -> SimTime {
        self.until
    }

    /// The algorithms' labs, in the order given (for full snapshots).
    pub fn labs(&self) -> &[LoadBalancingLab] {
        &self.labs
    }

    /// One row per algorithm, in the order given.
    pub fn rows(&self) -> Vec<CompareRow> {
        self.labs.iter().map(row).collect()
    }
}

fn row(lab: &LoadBalancingLab) -> CompareRow {
    let s = lab.snapshot();
    let config = lab.config();
    let store_ms = if config.sessions == Sessions::Shared {
        f64::from(config.store_ms)
    } else {
        0.0
    };
    let choices = match s.algorithm {
        Algorithm::Random => Some(1),
        Algorithm::PowerOfTwo => Some(2),
        _ => None,
    };
    let predicted_mean_ms = s
        .supermarket
        .as_ref()
        .filter(|m| m.applies)
        .zip(choices)
        .and_then(|(m, d)| m.predicted_ms(d))
        .map(|ms| ms + store_ms);
    CompareRow {
        algorithm: s.algorithm,
        p50_ms: s.p50_ms,
        p99_ms: s.p99_ms,
        mean_ms: s.mean_ms,
        max_queue: s.max_queue,
        dropped: s.dropped,
        errors: s.errors,
        imbalance: s.imbalance,
        predicted_mean_ms,
        max_load: s.max_load,
        mean_load: s.mean_load,
        arrived: s.arrived,
        completed: s.completed,
        workload_fingerprint: lab.workload_fingerprint(),
    }
}
