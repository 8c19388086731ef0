//! The cache lab's parameters.

use serde::{Deserialize, Serialize};

use super::eviction::Eviction;
use super::protection::Protection;
use super::strategy::Strategy;
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Parameters of the cache lab. `seed` is handled by the app separately and is not among the
/// [`Params`] specs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Caching strategy. Default `cache_aside`.
    pub strategy: Strategy,
    /// Eviction policy. Default `lru`.
    pub eviction: Eviction,
    /// Entries the cache holds (1..=1,000,000). Default 1,000.
    pub capacity: u32,
    /// Distinct keys requested (1..=1,000,000); key 0 is the most popular. Default 10,000.
    pub keys: u32,
    /// Zipf exponent of key popularity (0..=2; 0 is uniform). Default 0.9.
    pub alpha: f64,
    /// Fraction of requests that are reads (0..=1). Default 0.9.
    pub read_ratio: f64,
    /// Requests per second, Poisson arrivals (1..=100,000 req/s). Default 1,000.
    pub rate: f64,
    /// Time to live of a cached value in seconds (0..=3,600; 0 = never expires). Default 60.
    pub ttl_s: f64,
    /// Mean database query time in milliseconds (0..=2,000; log-normal, sd half the mean).
    /// Default 20.
    pub db_latency_ms: f64,
    /// Most queries the database runs at once (0..=1,000; 0 = unlimited); more wait in a queue.
    /// Default 0.
    pub db_concurrency: u32,
    /// Time of one cache round trip in milliseconds (0..=100): a hit's latency. Default 1.
    pub cache_latency_ms: f64,
    /// Write-behind: how often queued writes are flushed to the database, in milliseconds
    /// (10..=60,000). Default 1,000.
    pub flush_ms: f64,
    /// Refresh-ahead: the window before expiry, as a fraction of the TTL (0..=1), in which a hit
    /// reloads the value in the background. Default 0.2.
    pub refresh_window: f64,
    /// Stampede protection. Default `none`.
    pub protection: Protection,
    /// XFetch's beta (0.5..=5): larger recomputes earlier. Default 1.
    pub beta: f64,
    /// Seed of every random choice (requests, latencies, random eviction, XFetch). Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            strategy: Strategy::CacheAside,
            eviction: Eviction::Lru,
            capacity: 1_000,
            keys: 10_000,
            alpha: 0.9,
            read_ratio: 0.9,
            rate: 1_000.0,
            ttl_s: 60.0,
            db_latency_ms: 20.0,
            db_concurrency: 0,
            cache_latency_ms: 1.0,
            flush_ms: 1_000.0,
            refresh_window: 0.2,
            protection: Protection::None,
            beta: 1.0,
            seed: 1,
        }
    }
}

const fn number(min: f64, max: f64, step: f64, integer: bool, log_scale: bool) -> ParamKind {
    ParamKind::Number {
        min,
        max,
        step,
        integer,
        log_scale,
    }
}

const SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "strategy",
        label: "Strategy",
        unit: "",
        hint: "Who reads and writes the database, and when a write counts as done.",
        kind: ParamKind::Choice {
            options: Strategy::OPTIONS,
        },
    },
    ParamSpec {
        key: "eviction",
        label: "Eviction policy",
        unit: "",
        hint: "Which entry leaves when the cache is full.",
        kind: ParamKind::Choice {
            options: Eviction::OPTIONS,
        },
    },
    ParamSpec {
        key: "capacity",
        label: "Cache capacity",
        unit: "entries",
        hint: "How many values fit in the cache. Changing it restarts the cache empty.",
        kind: number(1.0, 1_000_000.0, 1.0, true, true),
    },
    ParamSpec {
        key: "keys",
        label: "Keys",
        unit: "keys",
        hint: "How many distinct keys the clients ask for. Changing it restarts the run.",
        kind: number(1.0, 1_000_000.0, 1.0, true, true),
    },
    ParamSpec {
        key: "alpha",
        label: "Popularity skew (Zipf alpha)",
        unit: "",
        hint: "0: every key equally popular; around 1: a few hot keys get most requests.",
        kind: number(0.0, 2.0, 0.05, false, false),
    },
    ParamSpec {
        key: "read_ratio",
        label: "Reads",
        unit: "of requests",
        hint: "Fraction of requests that are reads; the rest are writes.",
        kind: number(0.0, 1.0, 0.01, false, false),
    },
    ParamSpec {
        key: "rate",
        label: "Request rate",
        unit: "req/s",
        hint: "Requests per second from all clients (random, Poisson arrivals).",
        kind: number(1.0, 100_000.0, 1.0, false, true),
    },
    ParamSpec {
        key: "ttl_s",
        label: "TTL",
        unit: "s",
        hint: "How long a cached value lives before it must be reloaded; 0 means forever.",
        kind: number(0.0, 3_600.0, 1.0, false, false),
    },
    ParamSpec {
        key: "db_latency_ms",
        label: "Database latency",
        unit: "ms",
        hint: "Mean time of one database query (log-normal, spread half the mean).",
        kind: number(0.0, 2_000.0, 1.0, false, false),
    },
    ParamSpec {
        key: "db_concurrency",
        label: "Database connections",
        unit: "",
        hint: "Most queries the database runs at once; extra queries wait. 0 means unlimited.",
        kind: number(0.0, 1_000.0, 1.0, true, false),
    },
    ParamSpec {
        key: "cache_latency_ms",
        label: "Cache latency",
        unit: "ms",
        hint: "Time of one round trip to the cache: what a hit costs.",
        kind: number(0.0, 100.0, 0.1, false, false),
    },
    ParamSpec {
        key: "flush_ms",
        label: "Write-behind flush interval",
        unit: "ms",
        hint: "Write-behind only: how often queued writes go to the database.",
        kind: number(10.0, 60_000.0, 10.0, false, true),
    },
    ParamSpec {
        key: "refresh_window",
        label: "Refresh window",
        unit: "of TTL",
        hint: "Refresh-ahead only: a read this close to expiry (as a fraction of the TTL) reloads in the background.",
        kind: number(0.0, 1.0, 0.05, false, false),
    },
    ParamSpec {
        key: "protection",
        label: "Stampede protection",
        unit: "",
        hint: "What stops many simultaneous misses on one hot key from all hitting the database.",
        kind: ParamKind::Choice {
            options: Protection::OPTIONS,
        },
    },
    ParamSpec {
        key: "beta",
        label: "XFetch beta",
        unit: "",
        hint: "XFetch only: larger values recompute earlier before expiry (1 is the usual choice).",
        kind: number(0.5, 5.0, 0.1, false, false),
    },
];

impl Config {
    /// Checks every numeric field against its spec (the choices are valid by construction).
    pub fn validate(&self) -> Result<(), ConfigError> {
        for key in [
            "capacity",
            "keys",
            "alpha",
            "read_ratio",
            "rate",
            "ttl_s",
            "db_latency_ms",
            "db_concurrency",
            "cache_latency_ms",
            "flush_ms",
            "refresh_window",
            "beta",
        ] {
            if let (Some(spec), Some(ParamValue::Number(v))) = (Self::spec(key), self.get(key)) {
                spec.check_number(v)?;
            }
        }
        Ok(())
    }
}

fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    let spec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
    spec.check_number(expect_number(key, value)?)
}

fn choice<T>(key: &str, value: &ParamValue, parse: fn(&str) -> Option<T>) -> Result<T, ConfigError> {
    let raw = expect_choice(key, value)?;
    parse(raw).ok_or_else(|| {
        let names: Vec<&str> = Config::spec(key)
            .map(|s| match s.kind {
                ParamKind::Choice { options } => options.iter().map(|(v, _)| *v).collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        ConfigError::new(key, format!("must be one of {}", names.join(", ")))
    })
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        match key {
            "strategy" => Some(ParamValue::Choice(self.strategy.as_str().to_string())),
            "eviction" => Some(ParamValue::Choice(self.eviction.as_str().to_string())),
            "protection" => Some(ParamValue::Choice(self.protection.as_str().to_string())),
            "capacity" => number(f64::from(self.capacity)),
            "keys" => number(f64::from(self.keys)),
            "alpha" => number(self.alpha),
            "read_ratio" => number(self.read_ratio),
            "rate" => number(self.rate),
            "ttl_s" => number(self.ttl_s),
            "db_latency_ms" => number(self.db_latency_ms),
            "db_concurrency" => number(f64::from(self.db_concurrency)),
            "cache_latency_ms" => number(self.cache_latency_ms),
            "flush_ms" => number(self.flush_ms),
            "refresh_window" => number(self.refresh_window),
            "beta" => number(self.beta),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        match key {
            "strategy" => self.strategy = choice(key, value, Strategy::parse)?,
            "eviction" => self.eviction = choice(key, value, Eviction::parse)?,
            "protection" => self.protection = choice(key, value, Protection::parse)?,
            "capacity" => self.capacity = checked(key, value)? as u32,
            "keys" => self.keys = checked(key, value)? as u32,
            "alpha" => self.alpha = checked(key, value)?,
            "read_ratio" => self.read_ratio = checked(key, value)?,
            "rate" => self.rate = checked(key, value)?,
            "ttl_s" => self.ttl_s = checked(key, value)?,
            "db_latency_ms" => self.db_latency_ms = checked(key, value)?,
            "db_concurrency" => self.db_concurrency = checked(key, value)? as u32,
            "cache_latency_ms" => self.cache_latency_ms = checked(key, value)?,
            "flush_ms" => self.flush_ms = checked(key, value)?,
            "refresh_window" => self.refresh_window = checked(key, value)?,
            "beta" => self.beta = checked(key, value)?,
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let c = Config::default();
        c.validate().unwrap();
        for spec in Config::specs() {
            let v = c.get(spec.key).expect("every spec has a value");
            let mut d = Config::default();
            d.set(spec.key, &v).unwrap();
            assert_eq!(d, c, "{}", spec.key);
        }
    }
}
