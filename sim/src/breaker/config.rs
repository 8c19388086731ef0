//! The circuit breaker lab's parameters.

use serde::{Deserialize, Serialize};

use super::policy::Policy;
use super::script::parse_outcomes;
use super::specs::SPECS;
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Parameters of the circuit breaker lab. The URL keys are the field names.
///
/// Two fields are not among the [`Params`] specs and the app handles their keys specially:
/// `outcomes` is a text (the params layer has no text kind; set it with [`Config::set_outcomes`],
/// or with [`Config::set_field`], which takes every key) and `seed` (as in every lab).
///
/// Defaults follow resilience4j where it has one (window 100, minimum 100 calls, failure rate 50%,
/// slow-call rate 100%, 10 trial calls), except two shortened for teaching: the wait in open is
/// 5 s (Hystrix's sleep window; resilience4j waits 60 s) and the slow-call threshold 500 ms
/// (resilience4j: 60 s). The consecutive threshold is 5.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// When the breaker opens (`consecutive`, `count_window`, `time_window`, or `disabled` for no
    /// breaker). Default `consecutive`.
    pub policy: Policy,
    /// `consecutive`: failures in a row that open the breaker (1..=1,000). Default 5.
    pub failure_threshold: u32,
    /// Window policies: failure rate that opens the breaker, in percent (1..=100). Default 50.
    pub failure_rate: u32,
    /// Window size (1..=10,000): the last N **calls** for `count_window`, the last N **seconds**
    /// for `time_window`. Default 100.
    pub window: u32,
    /// Window policies: calls the window must hold before any decision (1..=10,000), capped at the
    /// window size for `count_window`. Default 100.
    pub min_calls: u32,
    /// Time the breaker stays open before letting trial calls through, in ms (1..=600,000).
    /// Default 5,000.
    pub wait_ms: u32,
    /// Window policies: trial calls permitted when half-open (1..=1,000); `consecutive` always
    /// tries one. Default 10.
    pub half_open_calls: u32,
    /// A call is slow when it takes strictly longer than this, in ms (1..=60,000). Default 500.
    pub slow_ms: u32,
    /// Window policies: slow-call rate that opens the breaker, in percent (1..=100). Default 100.
    pub slow_rate: u32,
    /// A scripted sequence of calls, one letter each: `S` success, `F` failure, `L` slow success
    /// (at most 10,000). When not empty it replaces the clients: the run plays the script from
    /// time 0, one call every `gap_ms`, and the caller's clients send nothing. Default empty.
    pub outcomes: String,
    /// Time between two scripted calls, in ms (1..=60,000). Default 1,000.
    pub gap_ms: u32,
    /// Probability that a call to the dependency fails during the outage (0..=1); a failing call
    /// hangs until `timeout_ms`. Outside the outage the dependency never fails. Default 1.
    pub dep_failure: f64,
    /// Mean latency of the dependency's calls that do not fail during the outage, in ms
    /// (1..=60,000; log-normal, spread half the mean). The healthy latency is 50 ms, so the default
    /// keeps the outage a pure failure; a larger value makes the outage slow (calls past
    /// `timeout_ms` fail at the timeout). Default 50.
    pub dep_latency_ms: u32,
    /// When the outage starts, in simulated seconds (0..=3,600). Default 10.
    pub outage_start_s: f64,
    /// When the dependency recovers, in simulated seconds (0..=3,600); at or before the start
    /// means no outage. Default 40.
    pub outage_end_s: f64,
    /// The caller's timeout on a dependency call, in ms (1..=60,000); a longer call fails at the
    /// timeout. Default 1,000.
    pub timeout_ms: u32,
    /// Calls the caller can have in flight at once: its pool of threads (1..=1,000). Default 20.
    pub pool: u32,
    /// Requests per second from the caller's own clients, Poisson arrivals (0..=10,000; 0 = no
    /// clients, only the learner's calls). Ignored while a script is set. Default 100.
    pub rate: f64,
    /// When the breaker rejects a client's call, answer with a degraded response (counted as a
    /// success) instead of an error. Default true.
    pub fallback: bool,
    /// Seed of every random draw (arrivals, dependency failures and latencies). Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            policy: Policy::Consecutive,
            failure_threshold: 5,
            failure_rate: 50,
            window: 100,
            min_calls: 100,
            wait_ms: 5_000,
            half_open_calls: 10,
            slow_ms: 500,
            slow_rate: 100,
            outcomes: String::new(),
            gap_ms: 1_000,
            dep_failure: 1.0,
            dep_latency_ms: 50,
            outage_start_s: 10.0,
            outage_end_s: 40.0,
            timeout_ms: 1_000,
            pool: 20,
            rate: 100.0,
            fallback: true,
            seed: 1,
        }
    }
}

impl Config {
    /// Every URL key of the lab except `seed`: the [`Params`] specs plus `outcomes`.
    pub const KEYS: [&'static str; 19] = [
        "policy",
        "failure_threshold",
        "failure_rate",
        "window",
        "min_calls",
        "wait_ms",
        "half_open_calls",
        "slow_ms",
        "slow_rate",
        "outcomes",
        "gap_ms",
        "dep_failure",
        "dep_latency_ms",
        "outage_start_s",
        "outage_end_s",
        "timeout_ms",
        "pool",
        "rate",
        "fallback",
    ];

    /// Checks every field against its spec, and the script.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, self.get(spec.key)) {
                spec.check_number(v)?;
            }
        }
        parse_outcomes(&self.outcomes)?;
        Ok(())
    }

    /// Sets the script from its text (see [`Config::outcomes`]); on error nothing changes. Stored
    /// in its canonical form: upper case, without surrounding whitespace.
    pub fn set_outcomes(&mut self, raw: &str) -> Result<(), ConfigError> {
        self.outcomes = super::script::format_outcomes(&parse_outcomes(raw)?);
        Ok(())
    }

    /// Sets any URL key from its raw text: `outcomes` through [`Config::set_outcomes`], the others
    /// through [`Params::set_str`]. On error nothing changes.
    pub fn set_field(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        if key == "outcomes" {
            self.set_outcomes(raw)
        } else {
            self.set_str(key, raw)
        }
    }

    /// The URL text of any key (`outcomes` included), `None` for an unknown key.
    pub fn field(&self, key: &str) -> Option<String> {
        if key == "outcomes" {
            Some(self.outcomes.clone())
        } else {
            self.get(key).map(|v| v.to_query())
        }
    }
}

fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    let spec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
    spec.check_number(expect_number(key, value)?)
}

fn whole(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    // The specs of whole-number keys have integer ranges within u32.
    Ok(checked(key, value)? as u32)
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        match key {
            "policy" => Some(ParamValue::Choice(self.policy.as_str().to_string())),
            "failure_threshold" => number(f64::from(self.failure_threshold)),
            "failure_rate" => number(f64::from(self.failure_rate)),
            "window" => number(f64::from(self.window)),
            "min_calls" => number(f64::from(self.min_calls)),
            "wait_ms" => number(f64::from(self.wait_ms)),
            "half_open_calls" => number(f64::from(self.half_open_calls)),
            "slow_ms" => number(f64::from(self.slow_ms)),
            "slow_rate" => number(f64::from(self.slow_rate)),
            "gap_ms" => number(f64::from(self.gap_ms)),
            "dep_failure" => number(self.dep_failure),
            "dep_latency_ms" => number(f64::from(self.dep_latency_ms)),
            "outage_start_s" => number(self.outage_start_s),
            "outage_end_s" => number(self.outage_end_s),
            "timeout_ms" => number(f64::from(self.timeout_ms)),
            "pool" => number(f64::from(self.pool)),
            "rate" => number(self.rate),
            "fallback" => Some(ParamValue::Toggle(self.fallback)),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        match key {
            "policy" => {
                let raw = expect_choice(key, value)?;
                self.policy = Policy::parse(raw).ok_or_else(|| {
                    let names: Vec<&str> = Policy::OPTIONS.iter().map(|(v, _)| *v).collect();
                    ConfigError::new(key, format!("must be one of {}", names.join(", ")))
                })?;
            }
            "failure_threshold" => self.failure_threshold = whole(key, value)?,
            "failure_rate" => self.failure_rate = whole(key, value)?,
            "window" => self.window = whole(key, value)?,
            "min_calls" => self.min_calls = whole(key, value)?,
            "wait_ms" => self.wait_ms = whole(key, value)?,
            "half_open_calls" => self.half_open_calls = whole(key, value)?,
            "slow_ms" => self.slow_ms = whole(key, value)?,
            "slow_rate" => self.slow_rate = whole(key, value)?,
            "gap_ms" => self.gap_ms = whole(key, value)?,
            "dep_failure" => self.dep_failure = checked(key, value)?,
            "dep_latency_ms" => self.dep_latency_ms = whole(key, value)?,
            "outage_start_s" => self.outage_start_s = checked(key, value)?,
            "outage_end_s" => self.outage_end_s = checked(key, value)?,
            "timeout_ms" => self.timeout_ms = whole(key, value)?,
            "pool" => self.pool = whole(key, value)?,
            "rate" => self.rate = checked(key, value)?,
            "fallback" => match value {
                ParamValue::Toggle(on) => self.fallback = *on,
                _ => return Err(ConfigError::new(key, "must be true or false")),
            },
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
        for key in Config::KEYS {
            let text = c.field(key).expect("every key has a value");
            let mut d = Config::default();
            d.set_field(key, &text).unwrap();
            assert_eq!(d, c, "{key}");
        }
    }

    #[test]
    fn keys_are_the_specs_plus_outcomes() {
        let mut from_specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        from_specs.push("outcomes");
        from_specs.sort_unstable();
        let mut keys = Config::KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(keys, from_specs);
    }
}
