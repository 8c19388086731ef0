//! The load balancing lab's parameters.

use serde::{Deserialize, Serialize};

use super::algorithm::Algorithm;
use super::specs::SPECS;
use super::speeds::{format_speeds, parse_speeds};
use super::workload::{CostKind, Sessions};
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Parameters of the load balancing lab. The URL keys are the field names.
///
/// Two fields are not among the [`Params`] specs and the app handles their keys specially:
/// `speeds` is a text (set it with [`Config::set_speeds`], or with [`Config::set_field`], which
/// takes every key) and `seed` (as in every lab).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// How each balancer picks a server. Default `round_robin`.
    pub algorithm: Algorithm,
    /// Servers in the fleet (1..=1,000). Default 4.
    pub servers: u32,
    /// Relative speeds of the servers, comma-separated, in membership order (each 0.1..=10, at most
    /// 1,000 values); server `i` gets the `i`-th value, or 1 when the list is shorter. A server of
    /// speed 2 serves a request in half the time. Also the weights of weighted round robin.
    /// Stored in its canonical form (trailing 1s dropped). Default empty: every server speed 1.
    pub speeds: String,
    /// Requests a server serves at once (1..=64). Default 1.
    pub workers: u32,
    /// Requests that may wait at one server beyond those in service (0..=10,000); one more is
    /// dropped. Default 100.
    pub queue_limit: u32,
    /// Requests per second from all clients together, Poisson arrivals (0.1..=200,000). Default 30.
    pub rate: f64,
    /// How request costs are distributed: `constant`, `exponential` or `heavy_tail` (log-normal).
    /// Default `exponential`.
    pub cost: CostKind,
    /// Mean cost of a request: its service time on a server of speed 1, in ms (0.1..=10,000).
    /// Default 100.
    pub mean_ms: f64,
    /// `heavy_tail` only: the cost's coefficient of variation, standard deviation / mean
    /// (0.1..=10). Default 2.
    pub variability: f64,
    /// Balancers sharing the traffic; each request goes to one chosen uniformly at random (1..=8).
    /// Default 1.
    pub balancers: u32,
    /// How often each balancer reads the servers' load (requests in flight on each), in ms
    /// (0..=10,000; every balancer reads the same report at the same moments). Between refreshes a balancer
    /// routes on the numbers of its last read, not even counting what it sent since (load
    /// reports from a metrics system). 0: every balancer always sees the true load. Default 0.
    pub refresh_ms: u32,
    /// Distinct clients; each request comes from one chosen uniformly at random (1..=100,000).
    /// Default 1,000.
    pub clients: u32,
    /// Where sessions live: `none`, `local` (the serving server's memory) or `shared` (a store).
    /// Default `none`.
    pub sessions: Sessions,
    /// `shared` sessions: extra latency of every request for the store, in ms (0..=1,000).
    /// Default 2.
    pub store_ms: u32,
    /// Time between two health checks, in ms (100..=60,000); checks run at multiples of it from
    /// time 0. Default 2,000.
    pub check_interval_ms: u32,
    /// Failed checks in a row that mark a server down (1..=10). Default 3.
    pub unhealthy_after: u32,
    /// Passed checks in a row that mark a server marked down up again (1..=10). Default 2.
    pub healthy_after: u32,
    /// Static mode ("balls into bins") when not 0: this many requests (up to 10,000,000) placed on
    /// the servers by the algorithm, evenly over the first simulated second, none ever finishing.
    /// Default 0: the running system.
    pub static_requests: u32,
    /// Seed of every random draw (arrivals, clients, costs, balancers, random choices). Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            algorithm: Algorithm::RoundRobin,
            servers: 4,
            speeds: String::new(),
            workers: 1,
            queue_limit: 100,
            rate: 30.0,
            cost: CostKind::Exponential,
            mean_ms: 100.0,
            variability: 2.0,
            balancers: 1,
            refresh_ms: 0,
            clients: 1_000,
            sessions: Sessions::None,
            store_ms: 2,
            check_interval_ms: 2_000,
            unhealthy_after: 3,
            healthy_after: 2,
            static_requests: 0,
            seed: 1,
        }
    }
}

impl Config {
    /// Every URL key of the lab except `seed`: the [`Params`] specs plus `speeds`.
    pub const KEYS: [&'static str; 18] = [
        "algorithm",
        "servers",
        "speeds",
        "workers",
        "queue_limit",
        "rate",
        "cost",
        "mean_ms",
        "variability",
        "balancers",
        "refresh_ms",
        "clients",
        "sessions",
        "store_ms",
        "check_interval_ms",
        "unhealthy_after",
        "healthy_after",
        "static_requests",
    ];

    /// Checks every field against its spec, and the speeds.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, self.get(spec.key)) {
                spec.check_number(v)?;
            }
        }
        parse_speeds(&self.speeds)?;
        Ok(())
    }

    /// Sets the speeds from their text (see [`Config::speeds`]); on error nothing changes.
    pub fn set_speeds(&mut self, raw: &str) -> Result<(), ConfigError> {
        self.speeds = format_speeds(&parse_speeds(raw)?);
        Ok(())
    }

    /// The speeds as the URL holds them: empty when every server has speed 1.
    pub fn speeds_query(&self) -> String {
        parse_speeds(&self.speeds).map_or_else(|_| self.speeds.clone(), |s| format_speeds(&s))
    }

    /// The parsed speeds (possibly shorter than `servers`: the others have speed 1).
    pub fn speed_list(&self) -> Result<Vec<f64>, ConfigError> {
        parse_speeds(&self.speeds)
    }

    /// Whether the config runs in static mode (balls into bins).
    pub fn is_static(&self) -> bool {
        self.static_requests > 0
    }

    /// Sets any URL key from its raw text: `speeds` through [`Config::set_speeds`], the others
    /// through [`Params::set_str`]. On error nothing changes.
    pub fn set_field(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        if key == "speeds" {
            self.set_speeds(raw)
        } else {
            self.set_str(key, raw)
        }
    }

    /// The URL text of any key (`speeds` included), `None` for an unknown key.
    pub fn field(&self, key: &str) -> Option<String> {
        if key == "speeds" {
            Some(self.speeds_query())
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
        let choice = |v: &str| Some(ParamValue::Choice(v.to_string()));
        match key {
            "algorithm" => choice(self.algorithm.as_str()),
            "servers" => number(f64::from(self.servers)),
            "workers" => number(f64::from(self.workers)),
            "queue_limit" => number(f64::from(self.queue_limit)),
            "rate" => number(self.rate),
            "cost" => choice(self.cost.as_str()),
            "mean_ms" => number(self.mean_ms),
            "variability" => number(self.variability),
            "balancers" => number(f64::from(self.balancers)),
            "refresh_ms" => number(f64::from(self.refresh_ms)),
            "clients" => number(f64::from(self.clients)),
            "sessions" => choice(self.sessions.as_str()),
            "store_ms" => number(f64::from(self.store_ms)),
            "check_interval_ms" => number(f64::from(self.check_interval_ms)),
            "unhealthy_after" => number(f64::from(self.unhealthy_after)),
            "healthy_after" => number(f64::from(self.healthy_after)),
            "static_requests" => number(f64::from(self.static_requests)),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        match key {
            "algorithm" => {
                self.algorithm = Algorithm::parse(expect_choice(key, value)?)
                    .ok_or_else(|| choice_error(key, Algorithm::OPTIONS))?;
            }
            "cost" => {
                self.cost =
                    CostKind::parse(expect_choice(key, value)?).ok_or_else(|| choice_error(key, CostKind::OPTIONS))?;
            }
            "sessions" => {
                self.sessions =
                    Sessions::parse(expect_choice(key, value)?).ok_or_else(|| choice_error(key, Sessions::OPTIONS))?;
            }
            "servers" => self.servers = whole(key, value)?,
            "workers" => self.workers = whole(key, value)?,
            "queue_limit" => self.queue_limit = whole(key, value)?,
            "rate" => self.rate = checked(key, value)?,
            "mean_ms" => self.mean_ms = checked(key, value)?,
            "variability" => self.variability = checked(key, value)?,
            "balancers" => self.balancers = whole(key, value)?,
            "refresh_ms" => self.refresh_ms = whole(key, value)?,
            "clients" => self.clients = whole(key, value)?,
            "store_ms" => self.store_ms = whole(key, value)?,
            "check_interval_ms" => self.check_interval_ms = whole(key, value)?,
            "unhealthy_after" => self.unhealthy_after = whole(key, value)?,
            "healthy_after" => self.healthy_after = whole(key, value)?,
            "static_requests" => self.static_requests = whole(key, value)?,
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
        let c = Config {
            speeds: "2,0.5".into(),
            ..Config::default()
        };
        c.validate().unwrap();
        for spec in Config::specs() {
            let v = c.get(spec.key).expect("every spec has a value");
            let mut d = c.clone();
            d.set(spec.key, &v).unwrap();
            assert_eq!(d, c, "{}", spec.key);
        }
        for key in Config::KEYS {
            let text = c.field(key).expect("every key has a value");
            let mut d = Config::default();
            d.set_field(key, &text).unwrap();
            assert_eq!(d.field(key), c.field(key), "{key}");
        }
    }

    #[test]
    fn keys_are_the_specs_plus_speeds() {
        let mut from_specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        from_specs.push("speeds");
        from_specs.sort_unstable();
        let mut keys = Config::KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(keys, from_specs);
    }

    #[test]
    fn rejected_values_leave_the_config_unchanged() {
        let mut c = Config::default();
        for (key, raw) in [
            ("servers", "0"),
            ("servers", "1001"),
            ("rate", "NaN"),
            ("rate", "1e300"),
            ("rate", ""),
            ("algorithm", "fastest"),
            ("speeds", "1,NaN"),
            ("speeds", "garbage"),
            ("nope", "1"),
        ] {
            assert!(c.set_field(key, raw).is_err(), "{key}={raw}");
            assert_eq!(c, Config::default(), "{key}={raw}");
        }
        c.set_speeds(" 3 ,1, 1 ").unwrap();
        assert_eq!(c.speeds, "3");
        assert_eq!(c.speeds_query(), "3");
        c.set_speeds("1,1").unwrap();
        assert_eq!(c.speeds_query(), "");
    }
}
