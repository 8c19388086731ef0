//! The replication lab's parameters.

use serde::{Deserialize, Serialize};

use super::commit::CommitMode;
use super::routing::Routing;
use super::specs::SPECS;
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Parameters of the replication lag lab. The URL keys are the field names (`seed` as in every
/// lab, handled by the app).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Replicas copying the primary (1..=5). Default 3.
    pub replicas: u32,
    /// When a write is acknowledged (`async`, `semi_sync`, `sync`). Default `async`.
    pub commit: CommitMode,
    /// Semi-sync and sync: replicas whose receipt (semi-sync) or apply (sync) a write waits for
    /// (1..=5), capped at the number of replicas. Default 1 (MySQL's `wait_for_replica_count`).
    pub acks: u32,
    /// Mean replication delay from primary to replica, in ms (0..=10,000). Default 100.
    pub lag_ms: f64,
    /// Standard deviation of the replication delay, in ms (0..=10,000; log-normal). Default 30.
    pub jitter_ms: f64,
    /// Writes per second from all sessions, Poisson (0..=10,000). Default 20.
    pub write_rate: f64,
    /// Reads per second from all sessions, Poisson (0..=10,000). Default 200.
    pub read_rate: f64,
    /// Which node answers a read. Default `replica`.
    pub routing: Routing,
    /// `primary_after_write`: how long reads go to the primary after a session's last write, in
    /// ms (0..=60,000). Default 1,000.
    pub window_ms: f64,
    /// Writes one replica applies per second (1..=100,000). Default 1,000.
    pub apply_rate: f64,
    /// Factor on the last replica's delay, 1 meaning not slow (1..=100). Default 1.
    pub slow_factor: f64,
    /// Client sessions (1..=1,000). Default 20.
    pub sessions: u32,
    /// Semi-sync: wait for receipts before falling back to async, in ms (1..=60,000). Default
    /// 10,000 (MySQL's `rpl_semi_sync_source_timeout`).
    pub semi_sync_timeout_ms: f64,
    /// `session_token`: longest a read waits for its replica to apply the session's token
    /// before it goes to the primary, in ms (0..=10,000; 0: it never waits). Default 250.
    pub token_wait_ms: f64,
    /// Mean time a node takes to answer a read, in ms (0..=1,000; log-normal, standard
    /// deviation half the mean). Default 1.
    pub read_ms: f64,
    /// Mean time the primary takes to commit a write locally (its log flush) before any
    /// acknowledgement, in ms (0..=1,000; log-normal, standard deviation half the mean;
    /// commits finish in log order). Default 2.
    pub local_commit_ms: f64,
    /// Seed of every random draw. Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            replicas: 3,
            commit: CommitMode::Async,
            acks: 1,
            lag_ms: 100.0,
            jitter_ms: 30.0,
            write_rate: 20.0,
            read_rate: 200.0,
            routing: Routing::Replica,
            window_ms: 1_000.0,
            apply_rate: 1_000.0,
            slow_factor: 1.0,
            sessions: 20,
            semi_sync_timeout_ms: 10_000.0,
            token_wait_ms: 250.0,
            read_ms: 1.0,
            local_commit_ms: 2.0,
            seed: 1,
        }
    }
}

impl Config {
    /// Checks every number against its spec.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, self.get(spec.key)) {
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

fn whole(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    // The specs of whole-number keys have integer ranges within u32.
    Ok(checked(key, value)? as u32)
}

fn choice_error(key: &str, options: &[(&str, &str)]) -> ConfigError {
    let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
    ConfigError::new(key, format!("must be one of {}", names.join(", ")))
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        match key {
            "replicas" => number(f64::from(self.replicas)),
            "commit" => Some(ParamValue::Choice(self.commit.as_str().to_string())),
            "acks" => number(f64::from(self.acks)),
            "lag_ms" => number(self.lag_ms),
            "jitter_ms" => number(self.jitter_ms),
            "write_rate" => number(self.write_rate),
            "read_rate" => number(self.read_rate),
            "routing" => Some(ParamValue::Choice(self.routing.as_str().to_string())),
            "window_ms" => number(self.window_ms),
            "apply_rate" => number(self.apply_rate),
            "slow_factor" => number(self.slow_factor),
            "sessions" => number(f64::from(self.sessions)),
            "semi_sync_timeout_ms" => number(self.semi_sync_timeout_ms),
            "token_wait_ms" => number(self.token_wait_ms),
            "read_ms" => number(self.read_ms),
            "local_commit_ms" => number(self.local_commit_ms),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        match key {
            "replicas" => self.replicas = whole(key, value)?,
            "commit" => {
                self.commit = CommitMode::parse(expect_choice(key, value)?)
                    .ok_or_else(|| choice_error(key, CommitMode::OPTIONS))?
            }
            "acks" => self.acks = whole(key, value)?,
            "lag_ms" => self.lag_ms = checked(key, value)?,
            "jitter_ms" => self.jitter_ms = checked(key, value)?,
            "write_rate" => self.write_rate = checked(key, value)?,
            "read_rate" => self.read_rate = checked(key, value)?,
            "routing" => {
                self.routing =
                    Routing::parse(expect_choice(key, value)?).ok_or_else(|| choice_error(key, Routing::OPTIONS))?
            }
            "window_ms" => self.window_ms = checked(key, value)?,
            "apply_rate" => self.apply_rate = checked(key, value)?,
            "slow_factor" => self.slow_factor = checked(key, value)?,
            "sessions" => self.sessions = whole(key, value)?,
            "semi_sync_timeout_ms" => self.semi_sync_timeout_ms = checked(key, value)?,
            "token_wait_ms" => self.token_wait_ms = checked(key, value)?,
            "read_ms" => self.read_ms = checked(key, value)?,
            "local_commit_ms" => self.local_commit_ms = checked(key, value)?,
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
            let mut e = Config::default();
            e.set_str(spec.key, &v.to_query()).unwrap();
            assert_eq!(e, c, "{}", spec.key);
        }
    }

    #[test]
    fn hostile_values_are_rejected_and_change_nothing() {
        let mut c = Config::default();
        for (key, raw) in [
            ("replicas", "0"),
            ("replicas", "6"),
            ("acks", "2.5"),
            ("lag_ms", "NaN"),
            ("write_rate", "-1"),
            ("commit", "quorum"),
            ("routing", "<b>"),
            ("nope", "1"),
        ] {
            assert!(c.set_str(key, raw).is_err(), "{key}={raw}");
        }
        assert_eq!(c, Config::default());
    }
}
