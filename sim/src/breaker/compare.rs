//! Compare: two to four runs on the same seed side by side, e.g. with and without a breaker, or
//! two settings. Every variant takes the first one's seed, and arrivals and request fates come
//! from their own generators, so variants that share `rate` and the outage see exactly the same
//! requests (their `workload_fingerprint`s agree). Step them together with
//! [`Comparison::step_until`], in slices.

use serde::Serialize;

use super::config::Config;
use super::lab::BreakerLab;
use super::policy::Policy;
use crate::engine::time::to_secs;
use crate::engine::SimTime;
use crate::ConfigError;

/// Fewest variants in a comparison.
pub const MIN_VARIANTS: usize = 2;
/// Most variants in a comparison.
pub const MAX_VARIANTS: usize = 4;

/// One variant's results so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// The variant's name, e.g. `"No breaker"`.
    pub label: String,
    /// Its policy.
    pub policy: Policy,
    /// Whether it answers rejected calls with a fallback.
    pub fallback: bool,
    /// Simulated time reached (s).
    pub now_s: f64,
    /// Client requests that arrived.
    pub requests: u64,
    /// Share of answered requests that succeeded (fallback included); -1 before the first.
    pub caller_success_ratio: f64,
    /// The same, for requests that arrived during the outage; -1 before the first.
    pub outage_success_ratio: f64,
    /// Calls rejected by the breaker.
    pub rejected: u64,
    /// Requests turned away because the pool was full.
    pub pool_full: u64,
    /// Most threads busy at once.
    pub pool_peak: u32,
    /// Mean share of the pool busy during the outage; -1 before it starts.
    pub outage_pool_usage: f64,
    /// Median client latency (ms).
    pub latency_p50_ms: f64,
    /// 99th percentile client latency (ms).
    pub latency_p99_ms: f64,
    /// State changes of the breaker.
    pub transitions: u64,
    /// Fingerprint of the arrivals (equal across variants on the same workload).
    pub workload_fingerprint: u64,
}

/// A running comparison. See the module docs.
#[derive(Clone, Debug)]
pub struct Comparison {
    labels: Vec<String>,
    labs: Vec<BreakerLab>,
}

impl Comparison {
    /// A comparison of `variants` (`(label, config)`, 2 to 4), all on the first one's seed.
    pub fn new(variants: Vec<(String, Config)>) -> Result<Self, ConfigError> {
        if !(MIN_VARIANTS..=MAX_VARIANTS).contains(&variants.len()) {
            return Err(ConfigError::new(
                "variants",
                format!("must be between {MIN_VARIANTS} and {MAX_VARIANTS}"),
            ));
        }
        let seed = variants.first().map_or(1, |(_, c)| c.seed);
        let mut labels = Vec::with_capacity(variants.len());
        let mut labs = Vec::with_capacity(variants.len());
        for (label, config) in variants {
            labs.push(BreakerLab::new(Config { seed, ..config })?);
            labels.push(label);
        }
        Ok(Self { labels, labs })
    }

    /// `base` with its breaker against the same system without one (`policy` = `disabled`). If
    /// `base` has no breaker, the first variant uses the `consecutive` policy.
    pub fn with_and_without(base: &Config) -> Result<Self, ConfigError> {
        let policy = match base.policy {
            Policy::Disabled => Policy::Consecutive,
            other => other,
        };
        Self::new(vec![
            (
                format!("Breaker: {}", policy.label()),
                Config { policy, ..base.clone() },
            ),
            (
                Policy::Disabled.label().to_string(),
                Config {
                    policy: Policy::Disabled,
                    ..base.clone()
                },
            ),
        ])
    }

    /// Advances every variant to `until` (µs).
    pub fn step_until(&mut self, until: SimTime) {
        for lab in &mut self.labs {
            lab.step_until(until);
        }
    }

    /// Simulated time reached (µs; every variant is at the same time).
    pub fn now(&self) -> SimTime {
        self.labs.first().map_or(0, BreakerLab::now)
    }

    /// The variants' labs (for full snapshots).
    pub fn labs(&self) -> &[BreakerLab] {
        &self.labs
    }

    /// One row per variant, in the order given.
    pub fn rows(&self) -> Vec<CompareRow> {
        self.labels
            .iter()
            .zip(&self.labs)
            .map(|(label, lab)| {
                let s = lab.snapshot();
                CompareRow {
                    label: label.clone(),
                    policy: s.policy,
                    fallback: s.fallback,
                    now_s: to_secs(lab.now()),
                    requests: s.requests,
                    caller_success_ratio: s.caller_success_ratio,
                    outage_success_ratio: s.outage_success_ratio,
                    rejected: s.rejected,
                    pool_full: s.pool_full,
                    pool_peak: s.pool_peak,
                    outage_pool_usage: s.outage_pool_usage,
                    latency_p50_ms: s.latency_p50_ms,
                    latency_p99_ms: s.latency_p99_ms,
                    transitions: s.transitions,
                    workload_fingerprint: lab.workload_fingerprint(),
                }
            })
            .collect()
    }
}
