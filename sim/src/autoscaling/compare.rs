//! Compare: two autoscalers (or two settings) side by side on the same traffic. Both runs take
//! the first configuration's seed and traffic settings, so they see exactly the same requests;
//! run it in slices with [`Comparison::work`].

use serde::Serialize;

use super::choices::{Autoscaler, ScaleMetric};
use super::config::Config;
use super::lab::AutoscalingLab;
use crate::engine::time::{from_secs, to_secs};
use crate::engine::PairedRuns;
use crate::ConfigError;

/// Longest comparison, simulated seconds (a week).
pub const MAX_COMPARE_SECS: f64 = 604_800.0;

/// One run's results so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// The autoscaler.
    pub autoscaler: Autoscaler,
    /// Its metric.
    pub metric: ScaleMetric,
    /// Its target.
    pub target: f64,
    /// Simulated time reached, s.
    pub now_s: f64,
    /// Dollars spent.
    pub cost: f64,
    /// Seconds violating the SLO.
    pub slo_violation_s: u64,
    /// Changes of the instance count.
    pub scale_events: u64,
    /// Instances started (each paid the startup).
    pub cold_starts: u64,
    /// Requests (equal in both rows).
    pub requests: f64,
    /// Failed requests.
    pub errors: f64,
    /// Highest p99 of a second, ms.
    pub worst_p99_ms: f64,
    /// Most instances at once.
    pub peak_replicas: u32,
}

/// A running comparison of two configurations.
#[derive(Clone, Debug)]
pub struct Comparison {
    runs: PairedRuns<AutoscalingLab>,
}

/// `config` with the traffic (shape, rates, spike, noise, seed) of `of`.
fn same_traffic(config: &Config, of: &Config) -> Config {
    Config {
        traffic: of.traffic,
        base_rps: of.base_rps,
        peak_rps: of.peak_rps,
        spike_at_s: of.spike_at_s,
        spike_s: of.spike_s,
        noise: of.noise,
        seed: of.seed,
        slo_ms: of.slo_ms,
        ..config.clone()
    }
}

impl Comparison {
    /// `a` against `b` (which takes `a`'s traffic, noise, seed and SLO) for `secs` simulated
    /// seconds (0 < secs <= [`MAX_COMPARE_SECS`]).
    pub fn new(a: &Config, b: &Config, secs: f64) -> Result<Self, ConfigError> {
        if !(secs > 0.0 && secs <= MAX_COMPARE_SECS) {
            return Err(ConfigError::new(
                "compare",
                format!("run for more than 0 and at most {MAX_COMPARE_SECS} simulated seconds"),
            ));
        }
        Ok(Self {
            runs: PairedRuns::new(
                AutoscalingLab::new(a.clone())?,
                AutoscalingLab::new(same_traffic(b, a))?,
                from_secs(secs),
            ),
        })
    }

    /// `config` with `autoscaler` = `a`, against it with `b`.
    pub fn autoscalers(config: &Config, a: Autoscaler, b: Autoscaler, secs: f64) -> Result<Self, ConfigError> {
        let with = |autoscaler| Config {
            autoscaler,
            ..config.clone()
        };
        Self::new(&with(a), &with(b), secs)
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
    pub fn labs(&self) -> &[AutoscalingLab; 2] {
        self.runs.labs()
    }

    /// One row per run, `a` first.
    pub fn rows(&self) -> [CompareRow; 2] {
        self.runs.labs().each_ref().map(|lab| {
            let s = lab.snapshot_totals();
            let c = lab.config();
            CompareRow {
                autoscaler: c.autoscaler,
                metric: c.metric,
                target: c.target,
                now_s: to_secs(lab.now()),
                cost: s.cost,
                slo_violation_s: s.slo_violation_s,
                scale_events: s.scale_events,
                cold_starts: s.cold_starts,
                requests: s.requests,
                errors: s.errors,
                worst_p99_ms: s.worst_p99_ms,
                peak_replicas: s.peak_replicas,
            }
        })
    }
}

/// The running totals of a lab without its charts (cheap to take often).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// Dollars spent.
    pub cost: f64,
    /// Seconds violating the SLO.
    pub slo_violation_s: u64,
    /// Changes of the instance count made by the autoscaler.
    pub scale_events: u64,
    /// Instances started.
    pub cold_starts: u64,
    /// Requests.
    pub requests: f64,
    /// Failed requests.
    pub errors: f64,
    /// Highest p99 of a second, ms.
    pub worst_p99_ms: f64,
    /// Most instances at once.
    pub peak_replicas: u32,
}

impl AutoscalingLab {
    /// The running totals (what [`Comparison`] rows hold), without the snapshot's lines.
    pub fn snapshot_totals(&self) -> Totals {
        let s = self.stats();
        Totals {
            cost: s.cost,
            slo_violation_s: s.slo_violation_s,
            scale_events: s.scale_events,
            cold_starts: self.cold_starts(),
            requests: s.requests,
            errors: s.errors,
            worst_p99_ms: s.worst_p99_ms,
            peak_replicas: s.peak_replicas,
        }
    }
}
