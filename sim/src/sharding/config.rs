//! The sharding lab's parameters.

use serde::{Deserialize, Serialize};

use super::regions::{format_regions, parse_regions, Region};
use super::specs::SPECS;
use super::strategy::Strategy;
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Directory entries when `logical_shards` is 0.
pub const DEFAULT_DIRECTORY_ENTRIES: u32 = 1_024;

/// Parameters of the sharding lab. The URL keys are the field names.
///
/// Two fields are not among the [`Params`] specs and the app handles their keys specially:
/// `regions` is a text (set it with [`Config::set_regions`], or with [`Config::set_field`], which
/// takes every key) and `seed` (as in every lab).
///
/// Two cross-field rules hold on every write: `logical_shards` is 0 or at least `shards`, and
/// `range_share + global_share + txn_share` is at most 1 (the rest are single-key operations).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// How keys are placed: `hash`, `range`, `geo`, `directory` or `consistent`. Default `hash`.
    pub strategy: Strategy,
    /// Physical shards at the start (1..=64). Default 8.
    pub shards: u32,
    /// Logical shards (0..=4,096; 0 or at least `shards`): `hash` and `range` place keys on this
    /// many logical shards spread over the physical ones and moved whole; `directory` has this
    /// many entries (1,024 when 0); `geo` and `consistent` ignore it. 0: no logical layer.
    /// Default 0.
    pub logical_shards: u32,
    /// Consistent hashing: virtual nodes per shard (1..=1,000). Default 100.
    pub vnodes: u32,
    /// Keys (users) in the dataset, ids `0..keys`, 1 KB each (1..=10,000,000). Default 1,000,000.
    pub keys: u32,
    /// Zipf exponent of key popularity (0..=3; 0 uniform). The most popular keys' ids are spread
    /// over the keyspace. Default 0.8.
    pub alpha: f64,
    /// 1: every write inserts a new key with the next id (monotonic ids, timestamps); 0: writes
    /// update existing keys chosen by popularity. Default 0.
    pub monotonic: u32,
    /// Share of single-key operations that are reads (0..=1). Default 0.8.
    pub read_ratio: f64,
    /// Share of all operations that scan 2% of the keyspace from a random key (0..=1). Default
    /// 0.02.
    pub range_share: f64,
    /// Share of all operations that need every shard, scatter-gather (0..=1). Default 0.01.
    pub global_share: f64,
    /// Share of all operations that write two keys atomically (two-phase commit when they sit on
    /// two shards) (0..=1). Default 0.02.
    pub txn_share: f64,
    /// Operations per second from all clients together, Poisson arrivals (1..=1,000,000). Default
    /// 4,000.
    pub rate: f64,
    /// Operations per second one shard serves (1..=1,000,000): service times are exponential with
    /// mean 1 / capacity; requests queue beyond it and are throttled after waiting 100 ms.
    /// Default 1,000.
    pub shard_capacity: f64,
    /// Mean shard latency besides queueing, in ms (0.1..=1,000; log-normal with a standard
    /// deviation of half the mean). Default 5.
    pub shard_latency_ms: f64,
    /// Resharding copy bandwidth, MB/s (1..=10,000; 1 MB = 1,000 keys). Default 50.
    pub migration_mb_s: f64,
    /// Sub-keys the hottest key is split into (1..=64; 1 = off): writes go to one of them at
    /// random, reads read all of them. Default 1.
    pub salt: u32,
    /// The regional mix of the keys, `name:weight` items (see [`super::regions`]). Default `us:1`.
    pub regions: String,
    /// Seed of every random draw. Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            strategy: Strategy::Hash,
            shards: 8,
            logical_shards: 0,
            vnodes: 100,
            keys: 1_000_000,
            alpha: 0.8,
            monotonic: 0,
            read_ratio: 0.8,
            range_share: 0.02,
            global_share: 0.01,
            txn_share: 0.02,
            rate: 4_000.0,
            shard_capacity: 1_000.0,
            shard_latency_ms: 5.0,
            migration_mb_s: 50.0,
            salt: 1,
            regions: "us:1".into(),
            seed: 1,
        }
    }
}

impl Config {
    /// Every URL key of the lab except `seed`: the [`Params`] specs plus `regions`.
    pub const KEYS: [&'static str; 17] = [
        "strategy",
        "shards",
        "logical_shards",
        "vnodes",
        "keys",
        "alpha",
        "monotonic",
        "read_ratio",
        "range_share",
        "global_share",
        "txn_share",
        "rate",
        "shard_capacity",
        "shard_latency_ms",
        "migration_mb_s",
        "salt",
        "regions",
    ];

    /// Checks every field against its spec, the two cross-field rules and the regions.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, self.get(spec.key)) {
                spec.check_number(v)?;
            }
        }
        check_logical(self.logical_shards, self.shards, "logical_shards")?;
        check_shares(self.range_share + self.global_share + self.txn_share, "range_share")?;
        parse_regions(&self.regions)?;
        Ok(())
    }

    /// Sets the regions from their text (see [`super::regions`]); on error nothing changes.
    pub fn set_regions(&mut self, raw: &str) -> Result<(), ConfigError> {
        self.regions = format_regions(&parse_regions(raw)?);
        Ok(())
    }

    /// The parsed regions (one region named `us` if the text is somehow invalid).
    pub fn region_list(&self) -> Vec<Region> {
        parse_regions(&self.regions).unwrap_or_else(|_| {
            vec![Region {
                name: "us".into(),
                weight: 1.0,
                share: 1.0,
            }]
        })
    }

    /// Sets any URL key from its raw text: `regions` through [`Config::set_regions`], the others
    /// through [`Params::set_str`]. On error nothing changes.
    pub fn set_field(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        if key == "regions" {
            self.set_regions(raw)
        } else {
            self.set_str(key, raw)
        }
    }

    /// The URL text of any key (`regions` included), `None` for an unknown key.
    pub fn field(&self, key: &str) -> Option<String> {
        if key == "regions" {
            Some(self.regions.clone())
        } else {
            self.get(key).map(|v| v.to_query())
        }
    }

    /// Share of operations that touch one key: `1 - range_share - global_share - txn_share`.
    pub fn single_share(&self) -> f64 {
        (1.0 - self.range_share - self.global_share - self.txn_share).max(0.0)
    }

    /// Entries of the lookup table for `directory`, logical shards for `hash` and `range`
    /// (0: none), 0 for the others.
    pub fn units(&self) -> u32 {
        match self.strategy {
            super::Strategy::Directory if self.logical_shards == 0 => DEFAULT_DIRECTORY_ENTRIES.max(self.shards),
            s if s.uses_logical() => self.logical_shards,
            _ => 0,
        }
    }
}

fn check_logical(logical: u32, shards: u32, key: &str) -> Result<(), ConfigError> {
    if logical != 0 && logical < shards {
        return Err(ConfigError::new(
            key,
            format!("logical_shards must be 0 or at least the number of shards ({shards})"),
        ));
    }
    Ok(())
}

fn check_shares(sum: f64, key: &str) -> Result<(), ConfigError> {
    if sum > 1.0 + 1e-9 {
        return Err(ConfigError::new(
            key,
            "range_share + global_share + txn_share must be at most 1",
        ));
    }
    Ok(())
}

fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    let spec: &ParamSpec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
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
            "strategy" => Some(ParamValue::Choice(self.strategy.as_str().to_string())),
            "shards" => number(f64::from(self.shards)),
            "logical_shards" => number(f64::from(self.logical_shards)),
            "vnodes" => number(f64::from(self.vnodes)),
            "keys" => number(f64::from(self.keys)),
            "alpha" => number(self.alpha),
            "monotonic" => number(f64::from(self.monotonic)),
            "read_ratio" => number(self.read_ratio),
            "range_share" => number(self.range_share),
            "global_share" => number(self.global_share),
            "txn_share" => number(self.txn_share),
            "rate" => number(self.rate),
            "shard_capacity" => number(self.shard_capacity),
            "shard_latency_ms" => number(self.shard_latency_ms),
            "migration_mb_s" => number(self.migration_mb_s),
            "salt" => number(f64::from(self.salt)),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        match key {
            "strategy" => {
                self.strategy = Strategy::parse(expect_choice(key, value)?).ok_or_else(|| {
                    let names: Vec<&str> = Strategy::OPTIONS.iter().map(|(v, _)| *v).collect();
                    ConfigError::new(key, format!("must be one of {}", names.join(", ")))
                })?;
            }
            "shards" => {
                let shards = whole(key, value)?;
                check_logical(self.logical_shards, shards, key)?;
                self.shards = shards;
            }
            "logical_shards" => {
                let logical = whole(key, value)?;
                check_logical(logical, self.shards, key)?;
                self.logical_shards = logical;
            }
            "vnodes" => self.vnodes = whole(key, value)?,
            "keys" => self.keys = whole(key, value)?,
            "alpha" => self.alpha = checked(key, value)?,
            "monotonic" => self.monotonic = whole(key, value)?,
            "read_ratio" => self.read_ratio = checked(key, value)?,
            "range_share" | "global_share" | "txn_share" => {
                let v = checked(key, value)?;
                let others = match key {
                    "range_share" => self.global_share + self.txn_share,
                    "global_share" => self.range_share + self.txn_share,
                    _ => self.range_share + self.global_share,
                };
                check_shares(v + others, key)?;
                match key {
                    "range_share" => self.range_share = v,
                    "global_share" => self.global_share = v,
                    _ => self.txn_share = v,
                }
            }
            "rate" => self.rate = checked(key, value)?,
            "shard_capacity" => self.shard_capacity = checked(key, value)?,
            "shard_latency_ms" => self.shard_latency_ms = checked(key, value)?,
            "migration_mb_s" => self.migration_mb_s = checked(key, value)?,
            "salt" => self.salt = whole(key, value)?,
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
            regions: "us:50,eu:30,asia:20".into(),
            ..Config::default()
        };
        c.validate().unwrap();
        for key in Config::KEYS {
            let text = c.field(key).expect("every key has a value");
            let mut d = Config::default();
            d.set_field(key, &text).unwrap();
            assert_eq!(d.field(key), c.field(key), "{key}");
        }
    }

    #[test]
    fn keys_are_the_specs_plus_regions() {
        let mut from_specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        from_specs.push("regions");
        from_specs.sort_unstable();
        let mut keys = Config::KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(keys, from_specs);
    }

    #[test]
    fn cross_field_rules_hold_on_every_write() {
        let mut c = Config::default();
        assert!(c.set_str("logical_shards", "4").is_err());
        c.set_str("logical_shards", "1024").unwrap();
        assert!(c.set_str("shards", "64").is_ok());
        assert!(c.set_str("logical_shards", "32").is_err());
        c.set_str("range_share", "0.5").unwrap();
        assert!(c.set_str("global_share", "0.6").is_err());
        assert_eq!(c.global_share, 0.01);
        assert!(c.set_str("monotonic", "2").is_err());
        assert_eq!(c.single_share(), 1.0 - 0.5 - 0.01 - 0.02);
    }
}
