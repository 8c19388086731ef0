//! The journey's parameters (the URL keys are the field names, plus `seed`), with validation of
//! every write, and the traffic they select: a level's own, or the sandbox's traffic keys.

use serde::{Deserialize, Serialize};

use super::choices::{Regions, ServerSize, Sessions};
use super::mix::{self, parse_mix};
use super::specs::SPECS;
use super::stages::{stage, Stage, Traffic};
use crate::params::{checked_count, checked_number, parse_choice, validate_numbers, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// The architecture and the traffic. See the module docs of [`super`] for the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The level, 0..=4: 1 to 4 are the levels (their traffic, fault and budget; the traffic keys
    /// below are ignored), 0 the sandbox (the traffic keys apply, no fault, no budget). Default 1.
    pub stage: u32,
    /// App servers per region (1..=2,000); with `autoscale`, the fewest kept. Two or more sit
    /// behind a load balancer. Default 1.
    pub app_servers: u32,
    /// Size of each app server: `small`, `medium`, `large`. Default `small`.
    pub server_size: ServerSize,
    /// Where sessions live: `stateless` or `local`. Default `stateless`.
    pub sessions: Sessions,
    /// Static files from a CDN edge (true) or from the app servers (false). Default false.
    pub cdn: bool,
    /// Cache per region, GB (0..=64; 0 = no cache). Default 0.
    pub cache_gb: f64,
    /// Read replicas per shard (0..=20). Default 0.
    pub replicas: u32,
    /// Database primaries (1..=64; 1 = not sharded). Default 1.
    pub shards: u32,
    /// Slow tasks through a queue to workers (true) or done inside the request (false). Default
    /// false.
    pub queue: bool,
    /// Queue workers per region (0..=1,000), each with 50 tasks at a time. Default 2.
    pub workers: u32,
    /// The HPA scales the app servers (true) or their number is fixed (false). Default false.
    pub autoscale: bool,
    /// A circuit breaker on the third-party call. Default false.
    pub breaker: bool,
    /// Deployment: `single`, `active-passive` or `active-active`. Default `single`.
    pub regions: Regions,
    /// Database connections each app server holds (1..=200). Default 10 (HikariCP's
    /// `maximumPoolSize`).
    pub pool: u32,
    /// Connections a database node accepts (10..=20,000). Default 100 (PostgreSQL's
    /// `max_connections`).
    pub db_max_connections: u32,
    /// Sandbox: users online at once (1..=10,000,000). Default 1,000.
    pub users: f64,
    /// Sandbox: share of the dynamic requests that only read (0..=1). Default 0.9.
    pub read_ratio: f64,
    /// Sandbox: share of all requests for static files (0..=0.95). Default 0.5.
    pub static_share: f64,
    /// Sandbox: share of the dynamic requests that also send an email (0..=0.5). Default 0.01.
    pub slow_share: f64,
    /// Sandbox: where the users are, `name:weight` items of `us`, `eu`, `asia` (see
    /// [`super::mix`]). Default `us:100`.
    pub region_mix: String,
    /// Seed of the traffic's noise. Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            stage: 1,
            app_servers: 1,
            server_size: ServerSize::Small,
            sessions: Sessions::Stateless,
            cdn: false,
            cache_gb: 0.0,
            replicas: 0,
            shards: 1,
            queue: false,
            workers: 2,
            autoscale: false,
            breaker: false,
            regions: Regions::Single,
            pool: 10,
            db_max_connections: 100,
            users: 1_000.0,
            read_ratio: 0.9,
            static_share: 0.5,
            slow_share: 0.01,
            region_mix: "us:100".into(),
            seed: 1,
        }
    }
}

impl Config {
    /// Every URL key except `seed`: the [`Params`] specs, then `region_mix`.
    pub const KEYS: [&'static str; 20] = [
        "stage",
        "app_servers",
        "server_size",
        "sessions",
        "cdn",
        "cache_gb",
        "replicas",
        "shards",
        "queue",
        "workers",
        "autoscale",
        "breaker",
        "regions",
        "pool",
        "db_max_connections",
        "users",
        "read_ratio",
        "static_share",
        "slow_share",
        "region_mix",
    ];

    /// The architecture keys (what a comparison varies; the rest is traffic).
    pub const ARCHITECTURE_KEYS: [&'static str; 14] = [
        "app_servers",
        "server_size",
        "sessions",
        "cdn",
        "cache_gb",
        "replicas",
        "shards",
        "queue",
        "workers",
        "autoscale",
        "breaker",
        "regions",
        "pool",
        "db_max_connections",
    ];

    /// Checks every field against its spec and the region mix.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate_numbers(self)?;
        parse_mix(&self.region_mix)?;
        Ok(())
    }

    /// The level being played; `None` in the sandbox.
    pub fn level(&self) -> Option<&'static Stage> {
        stage(self.stage)
    }

    /// The traffic of the run: the level's, or in the sandbox the traffic keys (an unreadable
    /// mix counts as all users in the US).
    pub fn traffic(&self) -> Traffic {
        match self.level() {
            Some(s) => s.traffic,
            None => Traffic {
                users: self.users,
                shares: parse_mix(&self.region_mix).unwrap_or([1.0, 0.0, 0.0]),
                read_ratio: self.read_ratio,
                static_share: self.static_share,
                slow_share: self.slow_share,
            },
        }
    }

    /// Sets the region mix from its text; on error nothing changes.
    pub fn set_region_mix(&mut self, raw: &str) -> Result<(), ConfigError> {
        self.region_mix = mix::canonical(raw)?;
        Ok(())
    }

    /// Sets any URL key from its raw text: `region_mix` through [`Config::set_region_mix`], the
    /// others through [`Params::set_str`]. On error nothing changes.
    pub fn set_field(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        if key == mix::KEY {
            self.set_region_mix(raw)
        } else {
            self.set_str(key, raw)
        }
    }

    /// The URL text of any key (`region_mix` included); `None` for an unknown key.
    pub fn field(&self, key: &str) -> Option<String> {
        if key == mix::KEY {
            Some(self.region_mix.clone())
        } else {
            self.get(key).map(|v| v.to_query())
        }
    }
}

fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    checked_number::<Config>(key, value)
}

fn whole(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    checked_count::<Config>(key, value)
}

fn toggle(key: &str, value: &ParamValue) -> Result<bool, ConfigError> {
    match value {
        ParamValue::Toggle(b) => Ok(*b),
        _ => Err(ConfigError::new(key, "must be true or false")),
    }
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        let count = |v: u32| Some(ParamValue::Number(f64::from(v)));
        let choice = |s: &str| Some(ParamValue::Choice(s.to_string()));
        let on = |b: bool| Some(ParamValue::Toggle(b));
        match key {
            "stage" => count(self.stage),
            "app_servers" => count(self.app_servers),
            "server_size" => choice(self.server_size.as_str()),
            "sessions" => choice(self.sessions.as_str()),
            "cdn" => on(self.cdn),
            "cache_gb" => number(self.cache_gb),
            "replicas" => count(self.replicas),
            "shards" => count(self.shards),
            "queue" => on(self.queue),
            "workers" => count(self.workers),
            "autoscale" => on(self.autoscale),
            "breaker" => on(self.breaker),
            "regions" => choice(self.regions.as_str()),
            "pool" => count(self.pool),
            "db_max_connections" => count(self.db_max_connections),
            "users" => number(self.users),
            "read_ratio" => number(self.read_ratio),
            "static_share" => number(self.static_share),
            "slow_share" => number(self.slow_share),
            _ => None,
        }
    }

    /// Validates and stores one value. On error nothing changes.
    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        let mut next = self.clone();
        match key {
            "stage" => next.stage = whole(key, value)?,
            "app_servers" => next.app_servers = whole(key, value)?,
            "server_size" => next.server_size = parse_choice(key, value, ServerSize::parse, ServerSize::OPTIONS)?,
            "sessions" => next.sessions = parse_choice(key, value, Sessions::parse, Sessions::OPTIONS)?,
            "cdn" => next.cdn = toggle(key, value)?,
            "cache_gb" => next.cache_gb = checked(key, value)?,
            "replicas" => next.replicas = whole(key, value)?,
            "shards" => next.shards = whole(key, value)?,
            "queue" => next.queue = toggle(key, value)?,
            "workers" => next.workers = whole(key, value)?,
            "autoscale" => next.autoscale = toggle(key, value)?,
            "breaker" => next.breaker = toggle(key, value)?,
            "regions" => next.regions = parse_choice(key, value, Regions::parse, Regions::OPTIONS)?,
            "pool" => next.pool = whole(key, value)?,
            "db_max_connections" => next.db_max_connections = whole(key, value)?,
            "users" => next.users = checked(key, value)?,
            "read_ratio" => next.read_ratio = checked(key, value)?,
            "static_share" => next.static_share = checked(key, value)?,
            "slow_share" => next.slow_share = checked(key, value)?,
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        *self = next;
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
        for key in Config::KEYS {
            let raw = c.field(key).expect("every key has a value");
            let mut d = Config::default();
            d.set_field(key, &raw).unwrap();
            assert_eq!(d, c, "{key}");
        }
    }

    #[test]
    fn keys_are_the_specs_then_the_mix() {
        let specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        assert_eq!(specs, Config::KEYS[..Config::KEYS.len() - 1].to_vec());
        for key in Config::ARCHITECTURE_KEYS {
            assert!(Config::KEYS.contains(&key), "{key}");
        }
    }
}
