//! Compare: two architectures side by side on the same traffic. The second takes the first's
//! stage, traffic keys and seed, so both see exactly the same users second by second (and, in a
//! level, the same fault at the same time); run it in slices with [`Comparison::work`].

use serde::Serialize;

use super::config::Config;
use super::lab::JourneyLab;
use crate::engine::time::{from_secs, to_secs};
use crate::engine::PairedRuns;
use crate::ConfigError;

/// Longest comparison, simulated seconds (a day).
pub const MAX_COMPARE_SECS: f64 = 86_400.0;

/// One run's results so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// Its configuration.
    pub config: Config,
    /// Simulated time reached, s.
    pub now_s: f64,
    /// Requests made (equal in both rows).
    pub requests: f64,
    /// Failed share of them.
    pub error_rate: f64,
    /// Per user region (US, EU, Asia): share of the successful requests slower than the SLO.
    pub slow_share: [f64; 3],
    /// Dollars spent.
    pub spent: f64,
    /// The spend as a monthly rate, dollars.
    pub cost_per_month: f64,
    /// The bottleneck's name at the end so far (`none` without one).
    pub bottleneck: &'static str,
    /// `1 / D_max` now, requests per second.
    pub max_throughput: f64,
    /// Whether the level was won (`None` in the sandbox or before its hour is over).
    pub passed: Option<bool>,
}

/// A running comparison of two architectures.
#[derive(Clone, Debug)]
pub struct Comparison {
    runs: PairedRuns<JourneyLab>,
}

/// `config`'s architecture with the traffic (stage, traffic keys, seed) of `of`.
pub fn same_traffic(config: &Config, of: &Config) -> Config {
    Config {
        stage: of.stage,
        users: of.users,
        read_ratio: of.read_ratio,
        static_share: of.static_share,
        slow_share: of.slow_share,
        region_mix: of.region_mix.clone(),
        seed: of.seed,
        ..config.clone()
    }
}

impl Comparison {
    /// `a` against `b` (which takes `a`'s traffic and seed) for `secs` simulated seconds
    /// (0 < secs <= [`MAX_COMPARE_SECS`]).
    pub fn new(a: &Config, b: &Config, secs: f64) -> Result<Self, ConfigError> {
        if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
            return Err(ConfigError::new(
                "compare",
                format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
            ));
        }
        let first = JourneyLab::new(a.clone())?;
        let second = first.restarted(same_traffic(b, a))?;
        Ok(Self {
            runs: PairedRuns::new(first, second, from_secs(secs)),
        })
    }

    /// Runs both a little further (`budget` simulated seconds in all); true once both are done.
    pub fn work(&mut self, budget: u64) -> bool {
        self.runs.work(budget)
    }

    /// Runs the whole comparison at once.
    pub fn run_to_end(&mut self) {
        self.runs.run_to_end();
    }

    /// Whether both runs have reached the end.
    pub fn is_done(&self) -> bool {
        self.runs.is_done()
    }

    /// Share of the simulated time done, 0..=1.
    pub fn progress(&self) -> f64 {
        self.runs.progress()
    }

    /// The two runs (for full snapshots).
    pub fn labs(&self) -> &[JourneyLab; 2] {
        self.runs.labs()
    }

    /// One row per run, `a` first.
    pub fn rows(&self) -> [CompareRow; 2] {
        self.runs.labs().each_ref().map(|lab| {
            let stats = lab.stats();
            let overall = stats.overall();
            let secs = lab.seconds_done();
            let usages = lab.usages();
            CompareRow {
                config: lab.config().clone(),
                now_s: to_secs(lab.now()),
                requests: overall.requests,
                error_rate: overall.error_rate(),
                slow_share: stats.regions.map(|r| r.slow_share()),
                spent: stats.spent,
                cost_per_month: if secs > 0 {
                    stats.spent / secs as f64 * super::prices::SECONDS_PER_MONTH
                } else {
                    lab.second().cost_per_month
                },
                bottleneck: super::components::bottleneck(&usages).map_or("none", |u| u.component.as_str()),
                max_throughput: lab.max_throughput(),
                passed: lab.verdict().map(|v| v.passed),
            }
        })
    }
}
