//! The workload's two choices: how request costs are distributed, and where sessions live.

use serde::{Deserialize, Serialize};

use crate::engine::{Exponential, LogNormal, SimRng};
use crate::ConfigError;

/// How the cost of a request (its service time on a server of speed 1) is distributed; the mean
/// is `mean_ms`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Every request costs exactly `mean_ms`.
    Constant,
    /// Exponential (coefficient of variation 1): the M/M/1 assumption.
    #[default]
    Exponential,
    /// Log-normal with coefficient of variation `variability`: most requests are cheap, a few are
    /// very expensive.
    HeavyTail,
}

impl CostKind {
    /// Every kind, in the order the controls list them.
    pub const ALL: [CostKind; 3] = [CostKind::Constant, CostKind::Exponential, CostKind::HeavyTail];

    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("constant", "Constant"),
        ("exponential", "Exponential"),
        ("heavy_tail", "Heavy tail (log-normal)"),
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            CostKind::Constant => "constant",
            CostKind::Exponential => "exponential",
            CostKind::HeavyTail => "heavy_tail",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<CostKind> {
        CostKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// Where a client's session lives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sessions {
    /// No sessions: any server can serve any request.
    #[default]
    None,
    /// In the memory of the server that served the client: a request routed to another server
    /// loses it (a new one starts there), and killing a server loses every session it holds.
    Local,
    /// In an external store: nothing is lost, every request pays `store_ms` more latency.
    Shared,
}

impl Sessions {
    /// Every mode, in the order the controls list them.
    pub const ALL: [Sessions; 3] = [Sessions::None, Sessions::Local, Sessions::Shared];

    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("none", "No sessions"),
        ("local", "In the server's memory"),
        ("shared", "In a shared store"),
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Sessions::None => "none",
            Sessions::Local => "local",
            Sessions::Shared => "shared",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Sessions> {
        Sessions::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Draws request costs (ms at speed 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum CostSampler {
    Constant(f64),
    Exponential(Exponential),
    HeavyTail(LogNormal),
}

impl CostSampler {
    /// The sampler for `kind` with mean `mean_ms` and, for the heavy tail, coefficient of variation
    /// `variability`.
    pub(super) fn new(kind: CostKind, mean_ms: f64, variability: f64) -> Result<Self, ConfigError> {
        Ok(match kind {
            CostKind::Constant => CostSampler::Constant(mean_ms),
            CostKind::Exponential => CostSampler::Exponential(Exponential::new(mean_ms)?),
            CostKind::HeavyTail => CostSampler::HeavyTail(LogNormal::from_mean_sd(mean_ms, variability * mean_ms)?),
        })
    }

    /// One cost in ms: no generator output for `Constant`, one for `Exponential`, two for
    /// `HeavyTail`.
    pub(super) fn sample(&self, rng: &mut SimRng) -> f64 {
        match self {
            CostSampler::Constant(ms) => *ms,
            CostSampler::Exponential(d) => d.sample(rng),
            CostSampler::HeavyTail(d) => d.sample(rng),
        }
    }
}
