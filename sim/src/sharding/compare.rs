//! Compare: the strategies side by side on the same seeded workload. Every run takes the same
//! configuration but its strategy, and the operations come from a generator of their own, so all
//! see exactly the same operations (their `workload_fingerprint`s agree). Each run serves `secs`
//! simulated seconds, is measured, then adds one shard to count the keys that would move. The
//! popularity table is built once and shared. Run it in slices with [`Comparison::work`].

use std::sync::Arc;

use serde::Serialize;

use super::config::Config;
use super::lab::ShardingLab;
use super::popularity::{Popularity, PopularityBuilder};
use super::strategy::Strategy;
use crate::engine::time::{from_secs, to_secs};
use crate::engine::SimTime;
use crate::ConfigError;

/// Longest comparison run, in simulated seconds.
pub const MAX_COMPARE_SECS: f64 = 600.0;

/// One strategy's results.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CompareRow {
    /// The strategy.
    pub strategy: Strategy,
    /// Its label, e.g. `"Range"`.
    pub label: &'static str,
    /// Simulated time reached, s.
    pub now_s: f64,
    /// Operations served (throttled included).
    pub ops: u64,
    /// Busiest shard's visits / the mean.
    pub imbalance: f64,
    /// Busiest shard's share of the visits.
    pub hottest_share: f64,
    /// Throttled operations / operations.
    pub throttled_share: f64,
    /// Mean shards per operation.
    pub fanout: f64,
    /// Single-key operations' p99 latency, ms.
    pub single_p99_ms: Option<f64>,
    /// Range scans' p99 latency, ms.
    pub range_p99_ms: Option<f64>,
    /// Global queries' p99 latency, ms.
    pub global_p99_ms: Option<f64>,
    /// Transactions' p99 latency, ms.
    pub txn_p99_ms: Option<f64>,
    /// Share of operations that touched more than one shard.
    pub cross_shard_share: f64,
    /// Share of the keys one added shard moves (`None` until known, or when adding is refused).
    pub keys_moved_by_add: Option<f64>,
    /// Why adding a shard was refused (empty otherwise).
    pub note: String,
    /// Digest of the operations seen (equal across the rows).
    pub workload_fingerprint: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    Running,
    Adding,
    Done,
}

#[derive(Clone, Debug)]
struct Run {
    lab: ShardingLab,
    stage: Stage,
    row: CompareRow,
}

/// A running comparison. See the module docs.
#[derive(Clone, Debug)]
pub struct Comparison {
    config: Config,
    strategies: Vec<Strategy>,
    popularity: Option<PopularityBuilder>,
    runs: Vec<Run>,
    until: SimTime,
}

impl Comparison {
    /// `config` under each of `strategies` (1 to 5, no repeats), each run for `secs` simulated
    /// seconds (0 < secs <= [`MAX_COMPARE_SECS`]) and then given one more shard.
    pub fn new(config: Config, strategies: &[Strategy], secs: f64) -> Result<Self, ConfigError> {
        if strategies.is_empty() || strategies.len() > Strategy::ALL.len() {
            return Err(ConfigError::new(
                "strategies",
                format!("compare between 1 and {} strategies", Strategy::ALL.len()),
            ));
        }
        if strategies
            .iter()
            .enumerate()
            .any(|(i, s)| strategies.iter().take(i).any(|t| t == s))
        {
            return Err(ConfigError::new("strategies", "lists a strategy twice"));
        }
        if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
            return Err(ConfigError::new(
                "secs",
                format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
            ));
        }
        for &strategy in strategies {
            Config {
                strategy,
                ..config.clone()
            }
            .validate()?;
        }
        let popularity = PopularityBuilder::new(config.keys as usize, config.alpha)?;
        Ok(Self {
            config,
            strategies: strategies.to_vec(),
            popularity: Some(popularity),
            runs: Vec::new(),
            until: from_secs(secs),
        })
    }

    /// Does up to about `budget` work units ([`ShardingLab::WORK_PER_FRAME`] is a good budget per
    /// animation frame), shared among the unfinished runs; returns true when every run is done.
    /// The results do not depend on the slices.
    pub fn work(&mut self, budget: u64) -> bool {
        if let Some(builder) = self.popularity.as_mut() {
            builder.advance(budget);
            if builder.is_done() {
                if let Some(popularity) = self.popularity.take().and_then(PopularityBuilder::finish) {
                    self.start_runs(&popularity);
                }
            }
            return self.is_done();
        }
        let unfinished = self.runs.iter().filter(|r| r.stage != Stage::Done).count();
        if unfinished == 0 {
            return true;
        }
        let share = (budget / unfinished as u64).max(1);
        let until = self.until;
        for run in self.runs.iter_mut().filter(|r| r.stage != Stage::Done) {
            run.step(until, share);
        }
        self.is_done()
    }

    fn start_runs(&mut self, popularity: &Arc<Popularity>) {
        self.runs = self
            .strategies
            .iter()
            .filter_map(|&strategy| {
                let config = Config {
                    strategy,
                    ..self.config.clone()
                };
                ShardingLab::build(config, Some(Arc::clone(popularity))).ok()
            })
            .map(|lab| Run {
                row: CompareRow {
                    strategy: lab.config().strategy,
                    label: lab.config().strategy.label(),
                    ..CompareRow::default()
                },
                lab,
                stage: Stage::Running,
            })
            .collect();
    }

    /// Runs the whole comparison at once.
    pub fn run_to_end(&mut self) {
        while !self.work(u64::MAX / 8) {}
    }

    /// Whether every run is done.
    pub fn is_done(&self) -> bool {
        self.popularity.is_none() && self.runs.iter().all(|r| r.stage == Stage::Done)
    }

    /// Share of the work done, 0..=1 (the popularity table counts for the first tenth).
    pub fn progress(&self) -> f64 {
        if let Some(b) = &self.popularity {
            return 0.1 * (b.done() as f64 / b.total().max(1) as f64).min(1.0);
        }
        let end = self.until.max(1) as f64;
        let sum: f64 = self
            .runs
            .iter()
            .map(|r| match r.stage {
                Stage::Running => 0.8 * (r.lab.now().min(self.until) as f64 / end),
                Stage::Adding => 0.8 + 0.2 * r.lab.job_progress(),
                Stage::Done => 1.0,
            })
            .sum();
        (0.1 + 0.9 * sum / self.runs.len().max(1) as f64).clamp(0.0, 1.0)
    }

    /// The end of each run's measured part (µs).
    pub fn until(&self) -> SimTime {
        self.until
    }

    /// The runs' labs, in the order given (after the popularity table is built).
    pub fn labs(&self) -> impl Iterator<Item = &ShardingLab> {
        self.runs.iter().map(|r| &r.lab)
    }

    /// One row per strategy, in the order given (empty until the popularity table is built).
    pub fn rows(&self) -> Vec<CompareRow> {
        self.runs
            .iter()
            .map(|r| match r.stage {
                Stage::Running => measure(&r.lab, r.row.clone()),
                _ => r.row.clone(),
            })
            .collect()
    }
}

impl Run {
    fn step(&mut self, until: SimTime, budget: u64) {
        match self.stage {
            Stage::Running => {
                if self.lab.work_until(until, budget) {
                    self.row = measure(&self.lab, self.row.clone());
                    match self.lab.add_shard() {
                        Ok(_) => self.stage = Stage::Adding,
                        Err(e) => {
                            self.row.note = e.message;
                            self.stage = Stage::Done;
                        }
                    }
                }
            }
            Stage::Adding => {
                self.lab.work(budget);
                if !self.lab.busy() {
                    self.row.keys_moved_by_add = Some(self.lab.snapshot().keys_moved);
                    self.stage = Stage::Done;
                }
            }
            Stage::Done => {}
        }
    }
}

fn measure(lab: &ShardingLab, row: CompareRow) -> CompareRow {
    let s = lab.snapshot();
    CompareRow {
        now_s: to_secs(lab.now()),
        ops: s.ops,
        imbalance: s.imbalance,
        hottest_share: s.hottest_share,
        throttled_share: s.throttled_share,
        fanout: s.fanout,
        single_p99_ms: s.single_p99_ms,
        range_p99_ms: s.range_p99_ms,
        global_p99_ms: s.global_p99_ms,
        txn_p99_ms: s.txn_p99_ms,
        cross_shard_share: s.cross_shard_share,
        workload_fingerprint: lab.workload_fingerprint(),
        ..row
    }
}
