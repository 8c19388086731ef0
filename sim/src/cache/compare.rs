//! Compare: the same seeded request stream through 2 to 5 variants (strategies, eviction
//! policies, protections or any other configurations), side by side.
//!
//! Every variant gets the first variant's seed, and the request stream draws from its own
//! generator, so all variants see exactly the same requests (their `stream_fingerprint`s agree)
//! as long as they share `keys`, `alpha`, `rate` and `read_ratio`. Runs are sliced: call
//! [`Comparison::work`] once per frame until [`Comparison::is_done`].

use serde::Serialize;

use super::config::Config;
use super::eviction::Eviction;
use super::model::CacheLab;
use super::protection::Protection;
use super::snapshot::Snapshot;
use super::strategy::Strategy;
use crate::ConfigError;

/// Fewest variants in a comparison.
pub const MIN_VARIANTS: usize = 2;
/// Most variants in a comparison.
pub const MAX_VARIANTS: usize = 5;
/// Most requests (warm-up plus measured) per variant.
pub const MAX_REQUESTS: u64 = 100_000_000;

/// How far a comparison has got, in requests over all variants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CompareProgress {
    /// Requests run so far.
    pub done: u64,
    /// Requests in the whole comparison.
    pub total: u64,
}

impl CompareProgress {
    /// The finished fraction in `[0, 1]`.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done.min(self.total) as f64 / self.total as f64
        }
    }
}

/// One variant's results (over the measured requests, after the warm-up).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// The variant's name, e.g. `"LRU (least recently used)"`.
    pub label: String,
    /// Strategy.
    pub strategy: Strategy,
    /// Eviction policy.
    pub eviction: Eviction,
    /// Protection.
    pub protection: Protection,
    /// Cache capacity.
    pub capacity: u64,
    /// Measured requests.
    pub requests: u64,
    /// Hit ratio.
    pub hit_ratio: f64,
    /// Theory's hit ratio, where it applies (see [`Snapshot::theory_hit_ratio`]).
    pub theory_hit_ratio: Option<f64>,
    /// Database reads.
    pub db_reads: u64,
    /// Database writes.
    pub db_writes: u64,
    /// Database reads per simulated second, averaged over the measured period.
    pub db_reads_per_s: f64,
    /// Database writes per simulated second, averaged over the measured period.
    pub db_writes_per_s: f64,
    /// Median latency (ms).
    pub latency_p50_ms: f64,
    /// 99th percentile latency (ms).
    pub latency_p99_ms: f64,
    /// Stale reads.
    pub stale_reads: u64,
    /// Writes lost.
    pub lost_writes: u64,
    /// Peak database concurrency.
    pub db_peak_concurrency: u64,
    /// Fingerprint of the request sequence (equal across variants of one comparison).
    pub stream_fingerprint: u64,
}

/// A running comparison. See the module docs.
#[derive(Clone, Debug)]
pub struct Comparison {
    labels: Vec<String>,
    labs: Vec<CacheLab>,
    warmup: u64,
    requests: u64,
}

impl Comparison {
    /// A comparison of `variants` (`(label, config)`, 2 to 5), each running `warmup` requests that
    /// are not counted and then `requests` measured ones (together at most 100 million). Every
    /// variant takes the first one's seed.
    pub fn new(variants: Vec<(String, Config)>, warmup: u64, requests: u64) -> Result<Self, ConfigError> {
        if !(MIN_VARIANTS..=MAX_VARIANTS).contains(&variants.len()) {
            return Err(ConfigError::new(
                "variants",
                format!("must be between {MIN_VARIANTS} and {MAX_VARIANTS}"),
            ));
        }
        if requests == 0 || warmup.saturating_add(requests) > MAX_REQUESTS {
            return Err(ConfigError::new(
                "requests",
                format!("must be between 1 and {MAX_REQUESTS} including the warm-up"),
            ));
        }
        let seed = variants.first().map_or(1, |(_, c)| c.seed);
        let mut labels = Vec::with_capacity(variants.len());
        let mut labs = Vec::with_capacity(variants.len());
        for (label, config) in variants {
            labs.push(CacheLab::new(Config { seed, ..config })?);
            labels.push(label);
        }
        Ok(Self {
            labels,
            labs,
            warmup,
            requests,
        })
    }

    /// `base` with each of `strategies`.
    pub fn strategies(base: &Config, strategies: &[Strategy], warmup: u64, requests: u64) -> Result<Self, ConfigError> {
        let variants = strategies
            .iter()
            .map(|&strategy| {
                (
                    strategy.label().to_string(),
                    Config {
                        strategy,
                        ..base.clone()
                    },
                )
            })
            .collect();
        Self::new(variants, warmup, requests)
    }

    /// `base` with each of `evictions`.
    pub fn evictions(base: &Config, evictions: &[Eviction], warmup: u64, requests: u64) -> Result<Self, ConfigError> {
        let variants = evictions
            .iter()
            .map(|&eviction| {
                (
                    eviction.label().to_string(),
                    Config {
                        eviction,
                        ..base.clone()
                    },
                )
            })
            .collect();
        Self::new(variants, warmup, requests)
    }

    /// `base` with each of `protections`.
    pub fn protections(
        base: &Config,
        protections: &[Protection],
        warmup: u64,
        requests: u64,
    ) -> Result<Self, ConfigError> {
        let variants = protections
            .iter()
            .map(|&protection| {
                (
                    protection.label().to_string(),
                    Config {
                        protection,
                        ..base.clone()
                    },
                )
            })
            .collect();
        Self::new(variants, warmup, requests)
    }

    /// Runs up to `budget` requests in total (shared evenly among unfinished variants) and returns
    /// the progress. [`CacheLab::REQUESTS_PER_FRAME`] is a good budget per animation frame.
    pub fn work(&mut self, budget: u64) -> CompareProgress {
        let unfinished = self
            .labs
            .iter()
            .filter(|l| l.requests_issued() < self.total_per_variant())
            .count();
        let share = (budget / unfinished.max(1) as u64).max(1);
        let (warmup, total) = (self.warmup, self.total_per_variant());
        for lab in &mut self.labs {
            let mut left = share;
            while left > 0 && lab.requests_issued() < total {
                let issued = lab.requests_issued();
                let milestone = if issued < warmup { warmup } else { total };
                let step = left.min(milestone - issued);
                let ran = lab.run_requests(step);
                left = left.saturating_sub(step);
                if lab.requests_issued() == warmup && issued < warmup {
                    lab.reset_stats();
                }
                if ran < step {
                    break;
                }
            }
        }
        self.progress()
    }

    /// Runs the whole comparison at once.
    pub fn run_to_end(&mut self) {
        while !self.is_done() {
            let before = self.progress().done;
            self.work(1_000_000);
            if self.progress().done == before {
                break;
            }
        }
    }

    fn total_per_variant(&self) -> u64 {
        self.warmup + self.requests
    }

    /// Progress over all variants.
    pub fn progress(&self) -> CompareProgress {
        CompareProgress {
            done: self
                .labs
                .iter()
                .map(|l| l.requests_issued().min(self.total_per_variant()))
                .sum(),
            total: self.total_per_variant() * self.labs.len() as u64,
        }
    }

    /// Whether every variant has run all its requests.
    pub fn is_done(&self) -> bool {
        let p = self.progress();
        p.done >= p.total
    }

    /// The variants' labs (for full snapshots).
    pub fn labs(&self) -> &[CacheLab] {
        &self.labs
    }

    /// One row per variant, in the order given.
    pub fn rows(&self) -> Vec<CompareRow> {
        self.labels
            .iter()
            .zip(&self.labs)
            .map(|(label, lab)| row(label, lab, &lab.snapshot()))
            .collect()
    }
}

fn row(label: &str, lab: &CacheLab, s: &Snapshot) -> CompareRow {
    let per_s = |n: u64| {
        if s.measured_s > 0.0 {
            n as f64 / s.measured_s
        } else {
            0.0
        }
    };
    CompareRow {
        label: label.to_string(),
        strategy: s.strategy,
        eviction: s.eviction,
        protection: s.protection,
        capacity: s.capacity,
        requests: s.requests,
        hit_ratio: s.hit_ratio,
        theory_hit_ratio: s.theory_hit_ratio,
        db_reads: s.db_reads,
        db_writes: s.db_writes,
        db_reads_per_s: per_s(s.db_reads),
        db_writes_per_s: per_s(s.db_writes),
        latency_p50_ms: s.latency_p50_ms,
        latency_p99_ms: s.latency_p99_ms,
        stale_reads: s.stale_reads,
        lost_writes: s.lost_writes,
        db_peak_concurrency: s.db_peak_concurrency,
        stream_fingerprint: lab.stream_fingerprint(),
    }
}
