//! The hash ring lab's parameters.

use serde::{Deserialize, Serialize};

use super::membership::MAX_NODES;
use super::strategy::Strategy;
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Parameters of the hash ring lab. `seed` is handled by the app separately and is not among the
/// [`Params`] specs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Placement strategy. Default `ring`.
    pub strategy: Strategy,
    /// Number of nodes (1..=1000). Default 5.
    pub nodes: u32,
    /// Virtual points per node of weight 1 (1..=1000), ring and bounded only. Default 100.
    pub vnodes: u32,
    /// Number of keys `key-0 .. key-(keys-1)` (1..=1,000,000). Default 10,000.
    pub keys: u32,
    /// Load-bound slack `eps` (0..=2): with bounded loads no node takes more than
    /// `ceil((1 + eps) * keys / nodes)` keys. Default 0.25.
    pub epsilon: f64,
    /// Seed for the sample of keys drawn and for the cache-effect simulation. Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            strategy: Strategy::Ring,
            nodes: 5,
            vnodes: 100,
            keys: 10_000,
            epsilon: 0.25,
            seed: 1,
        }
    }
}

const SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "strategy",
        label: "Placement strategy",
        unit: "",
        hint: "How a key's node is chosen: hash % N, the ring, jump hash, rendezvous, or the ring with bounded loads.",
        kind: ParamKind::Choice {
            options: Strategy::OPTIONS,
        },
    },
    ParamSpec {
        key: "nodes",
        label: "Nodes",
        unit: "",
        hint: "How many servers share the keys.",
        kind: ParamKind::Number {
            min: 1.0,
            max: MAX_NODES as f64,
            step: 1.0,
            integer: true,
            log_scale: false,
        },
    },
    ParamSpec {
        key: "vnodes",
        label: "Virtual nodes per node",
        unit: "",
        hint: "Points each node puts on the ring: more points, smoother balance. Ring and bounded only.",
        kind: ParamKind::Number {
            min: 1.0,
            max: 1000.0,
            step: 1.0,
            integer: true,
            log_scale: true,
        },
    },
    ParamSpec {
        key: "keys",
        label: "Keys",
        unit: "keys",
        hint: "How many keys (key-0, key-1, ...) are placed; every statistic counts all of them.",
        kind: ParamKind::Number {
            min: 1.0,
            max: 1_000_000.0,
            step: 1.0,
            integer: true,
            log_scale: true,
        },
    },
    ParamSpec {
        key: "epsilon",
        label: "Load bound slack (epsilon)",
        unit: "",
        hint: "Bounded loads only: no node takes more than (1 + epsilon) times the average number of keys.",
        kind: ParamKind::Number {
            min: 0.0,
            max: 2.0,
            step: 0.05,
            integer: false,
            log_scale: false,
        },
    },
];

impl Config {
    /// Checks every numeric field against its spec (the strategy is valid by construction).
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (key, value) in [
            ("nodes", f64::from(self.nodes)),
            ("vnodes", f64::from(self.vnodes)),
            ("keys", f64::from(self.keys)),
            ("epsilon", self.epsilon),
        ] {
            if let Some(spec) = Self::spec(key) {
                spec.check_number(value)?;
            }
        }
        Ok(())
    }
}

fn whole(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    let spec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
    let v = spec.check_number(expect_number(key, value)?)?;
    Ok(v as u32)
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        match key {
            "strategy" => Some(ParamValue::Choice(self.strategy.as_str().to_string())),
            "nodes" => Some(ParamValue::Number(f64::from(self.nodes))),
            "vnodes" => Some(ParamValue::Number(f64::from(self.vnodes))),
            "keys" => Some(ParamValue::Number(f64::from(self.keys))),
            "epsilon" => Some(ParamValue::Number(self.epsilon)),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        match key {
            "strategy" => {
                let raw = expect_choice(key, value)?;
                self.strategy = Strategy::parse(raw)
                    .ok_or_else(|| ConfigError::new(key, "must be one of modulo, ring, jump, rendezvous, bounded"))?;
            }
            "nodes" => self.nodes = whole(key, value)?,
            "vnodes" => self.vnodes = whole(key, value)?,
            "keys" => self.keys = whole(key, value)?,
            "epsilon" => {
                let spec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
                self.epsilon = spec.check_number(expect_number(key, value)?)?;
            }
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        Ok(())
    }
}
