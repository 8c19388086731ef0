//! Compare: two to four settings side by side on the same seed (`sync` against `async`, two
//! consumer counts, two retry policies...). Every run takes its own configuration with the first
//! one's seed; requests come from a generator of their own, so every run sees exactly the same
//! requests. Run it in slices with [`Comparison::work`].

use serde::Serialize;

use super::choices::{Backoff, Delivery};
use super::config::Config;
use super::lab::QueuesLab;
use crate::engine::time::{from_secs, to_secs};
use crate::engine::SimTime;
use crate::ConfigError;

/// Longest comparison run, in simulated seconds.
pub const MAX_COMPARE_SECS: f64 = 1_200.0;
/// Most settings compared at once.
pub const MAX_COMPARED: usize = 4;

/// One setting's results so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// Where the slow work runs.
    pub delivery: Delivery,
    /// Consumers per group.
    pub consumers: u32,
    /// Concurrency per consumer.
    pub concurrency: u32,
    /// Retry backoff.
    pub backoff: Backoff,
    /// Deliveries before the dead-letter queue.
    pub max_receives: u32,
    /// Simulated time reached (s).
    pub now_s: f64,
    /// Requests (equal in every row).
    pub requests: u64,
    /// p99 of what the user waits (ms).
    pub response_p99_ms: Option<f64>,
    /// p99 from request to work done (ms).
    pub completion_p99_ms: Option<f64>,
    /// Messages done.
    pub completed: u64,
    /// Messages waiting at the end.
    pub backlog: u64,
    /// Most messages waiting at once.
    pub peak_backlog: u64,
    /// Age of the oldest waiting message at the end (s).
    pub lag_s: f64,
    /// Deliveries, redeliveries included.
    pub deliveries: u64,
    /// Redeliveries.
    pub redeliveries: u64,
    /// Repeated effects.
    pub duplicates: u64,
    /// Messages moved to the dead-letter queue.
    pub dead_lettered: u64,
    /// Messages done out of order.
    pub out_of_order: u64,
    /// Publishes refused.
    pub refused: u64,
    /// Sync requests that failed.
    pub failed_requests: u64,
}

/// A running comparison. See the module docs.
#[derive(Clone, Debug)]
pub struct Comparison {
    labs: Vec<QueuesLab>,
    until: SimTime,
}

impl Comparison {
    /// `configs` (2 to [`MAX_COMPARED`]; every one gets the first one's seed) side by side for
    /// `secs` simulated seconds (0 < secs <= [`MAX_COMPARE_SECS`]).
    pub fn new(configs: &[Config], secs: f64) -> Result<Self, ConfigError> {
        if !(2..=MAX_COMPARED).contains(&configs.len()) {
            return Err(ConfigError::new(
                "compare",
                format!("compare between 2 and {MAX_COMPARED} settings"),
            ));
        }
        if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
            return Err(ConfigError::new(
                "compare",
                format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
            ));
        }
        let seed = configs.first().map_or(1, |c| c.seed);
        let labs = configs
            .iter()
            .map(|c| QueuesLab::new(Config { seed, ..c.clone() }))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            labs,
            until: from_secs(secs),
        })
    }

    /// `config` with `delivery` = `sync` and `async`, in that order.
    pub fn sync_against_async(config: &Config, secs: f64) -> Result<Self, ConfigError> {
        let with = |delivery| Config {
            delivery,
            ..config.clone()
        };
        Self::new(&[with(Delivery::Sync), with(Delivery::Async)], secs)
    }

    /// Runs up to about `budget` items in total, shared among the runs not yet at the end;
    /// returns true when every run has reached it. [`QueuesLab::WORK_PER_FRAME`] is a good budget
    /// per animation frame. The result does not depend on the slices.
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

    /// The runs, in the order given (for full snapshots).
    pub fn labs(&self) -> &[QueuesLab] {
        &self.labs
    }

    /// One row per setting, in the order given.
    pub fn rows(&self) -> Vec<CompareRow> {
        self.labs
            .iter()
            .map(|lab| {
                let s = lab.snapshot();
                let c = lab.config();
                CompareRow {
                    delivery: c.delivery,
                    consumers: c.consumers,
                    concurrency: c.concurrency,
                    backoff: c.backoff,
                    max_receives: c.max_receives,
                    now_s: to_secs(lab.now()),
                    requests: s.requests,
                    response_p99_ms: s.response_p99_ms,
                    completion_p99_ms: s.completion_p99_ms,
                    completed: s.completed,
                    backlog: s.backlog,
                    peak_backlog: s.peak_backlog,
                    lag_s: s.lag_s,
                    deliveries: s.deliveries,
                    redeliveries: s.redeliveries,
                    duplicates: s.duplicates,
                    dead_lettered: s.dead_lettered,
                    out_of_order: s.out_of_order,
                    refused: s.refused,
                    failed_requests: s.failed_requests,
                }
            })
            .collect()
    }
}
