//! The capacity lab's parameters, readable and writable by URL key through [`Params`].

use serde::{Deserialize, Serialize};

use super::redundancy::Redundancy;
use super::specs::SPECS;
use crate::params::{expect_choice, expect_number, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Parameters of the capacity calculator. Every number is validated against its [`ParamSpec`]
/// (see [`Config::specs`]); the simulation's seed is not here (the app passes it to
/// [`CapacityLab::new`](super::CapacityLab::new)).
///
/// Defaults are the seeds' example: 100,000 requests/s at peak, 200 ms per request, 10,000
/// concurrent requests per server, 50% headroom, a doubled fleet: 2, 3, then 6 servers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Peak requests per second (0.001..=1e10 req/s), used when `dau` is 0. Default 100,000.
    pub rps: f64,
    /// Daily active users (0..=1e10, whole). When above 0, the peak rate is
    /// `dau × requests_per_user / 86,400 × peak_factor` and `rps` is ignored. Default 0.
    pub dau: u64,
    /// Requests one active user makes per day (0.01..=10,000). Default 20.
    pub requests_per_user: f64,
    /// Peak-to-average ratio of traffic over the day (1..=100). Default 3.
    pub peak_factor: f64,
    /// Time one request spends in a server, in milliseconds (0.01..=600,000): `W` in Little's law,
    /// and the mean time a request holds one slot in the queueing model unless `service_ms` is set.
    /// Default 200 ms.
    pub latency_ms: f64,
    /// Concurrent requests one small (4-CPU) server holds (1..=1,000,000, whole): its slots in the
    /// queueing model, which runs `servers × concurrency` slots. Default 10,000.
    pub concurrency: u32,
    /// Extra capacity on top of the minimum, in percent (0..=900). Default 50%.
    pub headroom_pct: f64,
    /// Spare servers for failures. Default `double` (a second zone).
    pub redundancy: Redundancy,
    /// Mean time one request holds one slot of a server in the queueing model, in milliseconds
    /// (0..=600,000). 0, the default, uses `latency_ms`: a request keeps its slot for as long as it
    /// takes (200 ms with the defaults), so each server completes `concurrency / latency` requests
    /// per second when full (50,000 req/s with the defaults), the capacity the sizing rule assumes.
    pub service_ms: f64,
    /// Servers the queueing model and the simulation run (0..=10,000, whole). 0, the default, uses
    /// the computed fleet (after headroom and redundancy).
    pub servers: u32,
    /// Target mode: highest acceptable utilisation at peak, as a fraction (0.01..=0.99).
    /// Default 0.7.
    pub target_utilization: f64,
    /// Target mode: the p99 response time (wait plus service) to meet, in milliseconds
    /// (0..=600,000); 0 turns the p99 target off. Default 1,000 ms (the service time alone has a
    /// p99 of `ln(100) × 200 ms ≈ 921 ms` with the defaults).
    pub target_p99_ms: f64,
    /// Fraction of requests that are reads (0..=1); the rest are writes. Default 0.9.
    pub read_ratio: f64,
    /// Fraction of reads the cache answers (0..=1). Default 0.9.
    pub hit_ratio: f64,
    /// Reads per second one database read replica serves (1..=10,000,000 reads/s). Default 5,000.
    pub replica_read_capacity: f64,
    /// Hourly price of a 4 CPU / 16 GB server, in dollars (0..=10,000). Default $0.19.
    pub price_small_per_hour: f64,
    /// Hourly price of a 16 CPU / 64 GB server, in dollars (0..=10,000). Default $0.77.
    pub price_medium_per_hour: f64,
    /// Hourly price of a 48 CPU / 192 GB server, in dollars (0..=10,000). Default $2.30.
    pub price_large_per_hour: f64,
    /// Universal Scalability Law contention `σ`, the serialised share of work (0..=1). Default 0.05.
    pub sigma: f64,
    /// Universal Scalability Law coherency `κ`, the pairwise agreement cost (0..=1). Default 0.001.
    pub kappa: f64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            rps: 100_000.0,
            dau: 0,
            requests_per_user: 20.0,
            peak_factor: 3.0,
            latency_ms: 200.0,
            concurrency: 10_000,
            headroom_pct: 50.0,
            redundancy: Redundancy::Double,
            service_ms: 0.0,
            servers: 0,
            target_utilization: 0.7,
            target_p99_ms: 1_000.0,
            read_ratio: 0.9,
            hit_ratio: 0.9,
            replica_read_capacity: 5_000.0,
            price_small_per_hour: 0.19,
            price_medium_per_hour: 0.77,
            price_large_per_hour: 2.30,
            sigma: 0.05,
            kappa: 0.001,
        }
    }
}

impl Config {
    /// Checks every number against its spec. [`plan`](super::plan) calls this first, so a config
    /// built by hand with NaN, infinite or out-of-range values is rejected, never computed with.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let Some(ParamValue::Number(v)) = self.get(spec.key) {
                spec.check_number(v)?;
            }
        }
        Ok(())
    }

    /// The servers the user asked the queueing model to run, or `None` for "use the computed fleet".
    pub fn servers_override(&self) -> Option<u32> {
        (self.servers > 0).then_some(self.servers)
    }

    /// The service time the user gave, or `None` for "use the latency per request".
    pub fn service_ms_override(&self) -> Option<f64> {
        (self.service_ms > 0.0).then_some(self.service_ms)
    }

    /// Whether the peak rate comes from daily active users (`dau > 0`) rather than `rps`.
    pub fn uses_users(&self) -> bool {
        self.dau > 0
    }
}

/// Checks a number for `key` against its spec.
fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    let spec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
    spec.check_number(expect_number(key, value)?)
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = match key {
            "redundancy" => return Some(ParamValue::Choice(self.redundancy.as_str().to_string())),
            "rps" => self.rps,
            "dau" => self.dau as f64,
            "requests_per_user" => self.requests_per_user,
            "peak_factor" => self.peak_factor,
            "latency_ms" => self.latency_ms,
            "concurrency" => f64::from(self.concurrency),
            "headroom_pct" => self.headroom_pct,
            "service_ms" => self.service_ms,
            "servers" => f64::from(self.servers),
            "target_utilization" => self.target_utilization,
            "target_p99_ms" => self.target_p99_ms,
            "read_ratio" => self.read_ratio,
            "hit_ratio" => self.hit_ratio,
            "replica_read_capacity" => self.replica_read_capacity,
            "price_small_per_hour" => self.price_small_per_hour,
            "price_medium_per_hour" => self.price_medium_per_hour,
            "price_large_per_hour" => self.price_large_per_hour,
            "sigma" => self.sigma,
            "kappa" => self.kappa,
            _ => return None,
        };
        Some(ParamValue::Number(number))
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        if key == "redundancy" {
            let raw = expect_choice(key, value)?;
            self.redundancy = Redundancy::parse(raw)
                .ok_or_else(|| ConfigError::new(key, "must be one of none, n_plus_1, n_plus_2, double"))?;
            return Ok(());
        }
        // Validated against the spec first: whole-number fields are integral and in range, so the
        // casts below are exact.
        let v = checked(key, value)?;
        match key {
            "rps" => self.rps = v,
            "dau" => self.dau = v as u64,
            "requests_per_user" => self.requests_per_user = v,
            "peak_factor" => self.peak_factor = v,
            "latency_ms" => self.latency_ms = v,
            "concurrency" => self.concurrency = v as u32,
            "headroom_pct" => self.headroom_pct = v,
            "service_ms" => self.service_ms = v,
            "servers" => self.servers = v as u32,
            "target_utilization" => self.target_utilization = v,
            "target_p99_ms" => self.target_p99_ms = v,
            "read_ratio" => self.read_ratio = v,
            "hit_ratio" => self.hit_ratio = v,
            "replica_read_capacity" => self.replica_read_capacity = v,
            "price_small_per_hour" => self.price_small_per_hour = v,
            "price_medium_per_hour" => self.price_medium_per_hour = v,
            "price_large_per_hour" => self.price_large_per_hour = v,
            "sigma" => self.sigma = v,
            "kappa" => self.kappa = v,
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_round_trips_and_defaults_are_valid() {
        let config = Config::default();
        assert_eq!(config.validate(), Ok(()));
        for spec in Config::specs() {
            let value = config.get(spec.key).expect("every spec has a value");
            let mut copy = config.clone();
            copy.set_str(spec.key, &value.to_query()).expect("defaults parse back");
            assert_eq!(copy, config, "{}", spec.key);
        }
        assert_eq!(config.get("seed"), None);
    }

    #[test]
    fn hand_built_nonsense_is_rejected() {
        let config = Config {
            latency_ms: f64::NAN,
            ..Config::default()
        };
        assert_eq!(config.validate().unwrap_err().field, "latency_ms");
        let config = Config {
            concurrency: 0,
            ..Config::default()
        };
        assert_eq!(config.validate().unwrap_err().field, "concurrency");
    }
}
