//! Compare: the six algorithms side by side on the same seeded stream. Every run takes the same
//! configuration but its algorithm; arrivals come from their own generators, so all six see
//! exactly the same first attempts (retries differ, as each limiter refuses differently). Run it
//! in slices with [`Comparison::work`].

use serde::Serialize;

use super::choices::Algorithm;
use super::config::Config;
use super::lab::RateLimitLab;
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
    /// Its label, e.g. `"Token bucket"`.
    pub label: &'static str,
    /// Simulated time reached (s).
    pub now_s: f64,
    /// Requests the clients wanted to send (first attempts; equal in every row).
    pub requests: u64,
    /// Attempts, retries included.
    pub attempts: u64,
    /// Admitted.
    pub admitted: u64,
    /// Refusals (429s).
    pub refused: u64,
    /// Queued by the leaky bucket.
    pub delayed: u64,
    /// The most admitted in any span of one window, per key.
    pub worst_window: u64,
    /// `worst_window / limit`.
    pub over_limit: f64,
    /// Jain's index over the well-behaved clients' admitted rates.
    pub fairness: f64,
    /// The abuser's share of the admitted requests.
    pub abuser_share: f64,
    /// 99th percentile delay of admitted requests (ms); `None` before any.
    pub delay_p99_ms: Option<f64>,
    /// Retries sent.
    pub retries: u64,
}

/// A running comparison. See the module docs.
#[derive(Clone, Debug)]
pub struct Comparison {
    labs: Vec<RateLimitLab>,
    until: SimTime,
}

impl Comparison {
    /// `config` under each of the six algorithms ([`Algorithm::LIMITERS`]), to run for `secs`
    /// simulated seconds (0 < secs <= [`MAX_COMPARE_SECS`]). Fails if `config` or any of its
    /// variants is invalid (a sliding log too large for the limit, say).
    pub fn new(config: Config, secs: f64) -> Result<Self, ConfigError> {
        if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
            return Err(ConfigError::new(
                "compare",
                format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
            ));
        }
        config.validate()?;
        let labs = Algorithm::LIMITERS
            .iter()
            .map(|&algorithm| {
                RateLimitLab::new(Config {
                    algorithm,
                    ..config.clone()
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            labs,
            until: from_secs(secs),
        })
    }

    /// Runs up to about `budget` attempts in total, shared among the runs not yet at the end;
    /// returns true when every run has reached the end. [`RateLimitLab::REQUESTS_PER_FRAME`] is a
    /// good budget per animation frame. The result does not depend on the slices.
    pub fn work(&mut self, budget: u64) -> bool {
        let until = self.until;
        let unfinished = self.labs.iter().filter(|l| l.now() < until).count();
        if unfinished == 0 {
            return true;
        }
        let share = (budget / unfinished as u64).max(1);
        for lab in self.labs.iter_mut().filter(|l| l.now() < until) {
            lab.work_until(until, share);
        }
        self.is_done()
    }

    /// Runs the whole comparison at once.
    pub fn run_to_end(&mut self) {
        while !self.work(u64::MAX / 8) {}
    }

    /// Whether every run has reached the end.
    pub fn is_done(&self) -> bool {
        self.labs.iter().all(|l| l.now() >= self.until)
    }

    /// Share of the simulated time done, over all runs (0..=1).
    pub fn progress(&self) -> f64 {
        let end = self.until.max(1) as f64;
        let done: f64 = self.labs.iter().map(|l| l.now().min(self.until) as f64 / end).sum();
        (done / self.labs.len().max(1) as f64).clamp(0.0, 1.0)
    }

    /// The end of the run (µs).
    pub fn until(&self) -> SimTime {
        self.until
    }

    /// The six runs, in [`Algorithm::LIMITERS`] order (for full snapshots).
    pub fn labs(&self) -> &[RateLimitLab] {
        &self.labs
    }

    /// One row per algorithm, in [`Algorithm::LIMITERS`] order.
    pub fn rows(&self) -> Vec<CompareRow> {
        self.labs
            .iter()
            .map(|lab| {
                let t = lab.stats.total();
                let h = lab.headline();
                let algorithm = lab.config().algorithm;
                CompareRow {
                    algorithm,
                    label: algorithm.label(),
                    now_s: to_secs(lab.now()),
                    requests: t.requests,
                    attempts: t.attempts,
                    admitted: t.admitted,
                    refused: t.refused,
                    delayed: t.delayed,
                    worst_window: h.worst_window,
                    over_limit: h.over_limit,
                    fairness: h.fairness,
                    abuser_share: h.abuser_share,
                    delay_p99_ms: h.delay_p99_ms,
                    retries: t.retries,
                }
            })
            .collect()
    }
}
