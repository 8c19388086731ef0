//! The rate limiting lab's parameters, and what follows from them: the numbers each limiter
//! instance enforces.
//!
//! **One limit, six algorithms.** The limit is `limit` requests per `window_s`, per key (each
//! client with `scope` = `client`, everyone together with `global`). The window algorithms
//! (`fixed_window`, `sliding_window`, `sliding_log`) count exactly that. The bucket algorithms
//! have a rate and a size instead; unless set, they follow the limit:
//!
//! - rate `r` = `rate_per_s`, or `limit / window_s` when it is 0 (the default): the same long-run
//!   average as the windows;
//! - burst `b` = `burst`, or `limit` when it is 0 (the default): a full bucket lets one window's
//!   worth through at once, as a fresh window does;
//! - the leaky bucket drains at `r` and holds `queue` waiting requests, or `b` when it is 0.
//!
//! GCRA uses the same `r` and `b` (emission interval T = 1 / r, tolerance τ = (b − 1) T), so it
//! admits exactly what the token bucket admits. With the defaults (limit 100 per 10 s) that is the
//! seeds' bucket: 100 tokens refilled at 10 per second. Note what "the same limit" allows: in any
//! span of one window a token bucket lets through up to `b + r × window` = 2 × limit (a full bucket
//! plus a window's refill), a fixed window up to 2 × limit across a boundary, the sliding log
//! exactly `limit`, the leaky bucket `r × window` (+1).
//!
//! **Instances.** With `sync` = `local` every instance enforces all of the above. With `split`
//! instance `i` of `n` gets `limit / n`, `burst / n` and `queue / n` (the remainder going to the
//! first instances, so the shares add up; each at least 1) and the rate `r / n`. With `shared`
//! and `sync_ms` = 0 there is one state (the store) and every decision waits `store_ms`. With
//! `shared` and `sync_ms` > 0 the store holds the authoritative state and every instance decides
//! on its own copy of it, refreshed every `sync_ms` by a sync that takes `store_ms` (see
//! `sync.rs`): all of the above, enforced by each copy, plus what the others admitted since
//! the copy was made.

use serde::{Deserialize, Serialize};

use super::choices::{Algorithm, Burstiness, Retry, Scope, SyncMode};
use super::limiter::LimitParams;
use super::specs::SPECS;
use crate::engine::time::{from_millis, from_secs};
use crate::engine::SimTime;
use crate::params::{expect_choice, expect_number, format_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Most requests the lab stores per request (sliding log timestamps, leaky bucket queue places)
/// over all keys and instances: one million (8 MB of log at most). A configuration that could
/// need more is rejected.
pub const MAX_STORED: u64 = 1_000_000;

/// Parameters of the rate limiting lab. The URL keys are the field names (plus `seed`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The algorithm (`token_bucket`, `leaky_bucket`, `fixed_window`, `sliding_log`,
    /// `sliding_window`, `gcra`, or `none` for no limiter). Default `token_bucket`.
    pub algorithm: Algorithm,
    /// Requests allowed per window, per key (1..=100,000). Default 100.
    pub limit: u32,
    /// The window, in seconds (0.1..=3,600): what the window algorithms count over, the bucket
    /// algorithms' default rate (`limit / window_s`), and the span of the worst window. Default 10.
    pub window_s: f64,
    /// Token bucket and GCRA: the bucket size, requests (0..=100,000; 0 = `limit`). Default 0.
    pub burst: u32,
    /// Token bucket, GCRA, leaky bucket: refill / emission / drain rate, requests per second
    /// (0..=1,000,000; 0 = `limit / window_s`). Default 0.
    pub rate_per_s: f64,
    /// Leaky bucket: requests that can wait in the queue (0..=100,000; 0 = the burst). Default 0.
    pub queue: u32,
    /// One limit per client (`client`) or one for everyone (`global`). Default `client`.
    pub scope: Scope,
    /// Limiter instances behind a round-robin load balancer (1..=16). Default 1.
    pub instances: u32,
    /// How instances share the limit: `local` (each allows the full limit), `split` (each allows
    /// `limit / instances`) or `shared` (one store). Default `local`.
    pub sync: SyncMode,
    /// Shared store: the round trip to the store, in ms (0..=1,000): added to every decision with
    /// `sync_ms` = 0, the time a sync takes otherwise. Default 2.
    pub store_ms: f64,
    /// Shared store: how often each instance syncs with the store, in ms (0..=60,000). 0: never
    /// decides locally, every decision asks the store (exact). More: each instance decides on its
    /// own copy of the store's state (no round trip per decision), pushes what it admitted and
    /// pulls the merged state every `sync_ms`; between syncs the instances together can admit
    /// more than the limit. Default 0.
    pub sync_ms: f64,
    /// Clients (2..=20); the last one is the abuser. Default 5.
    pub clients: u32,
    /// Each well-behaved client's rate, requests per second, Poisson arrivals (0..=100,000).
    /// Default 5.
    pub client_rps: f64,
    /// The abuser's rate, requests per second (0..=1,000,000). Default 100.
    pub abuser_rps: f64,
    /// What the abuser does: `poisson` (random arrivals), `periodic_bursts` (one burst of
    /// `abuser_rps × window_s` per window, centred on its boundary) or `flood` (evenly spaced).
    /// Default `poisson`.
    pub burstiness: Burstiness,
    /// What clients do when refused: `none` (give up), `immediate` (send again as soon as the 429
    /// is back) or `backoff` (wait for Retry-After with exponential backoff and jitter). Default
    /// `none`.
    pub retry: Retry,
    /// Seed of every random draw (arrivals, retry jitter). Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            algorithm: Algorithm::TokenBucket,
            limit: 100,
            window_s: 10.0,
            burst: 0,
            rate_per_s: 0.0,
            queue: 0,
            scope: Scope::Client,
            instances: 1,
            sync: SyncMode::Local,
            store_ms: 2.0,
            sync_ms: 0.0,
            clients: 5,
            client_rps: 5.0,
            abuser_rps: 100.0,
            burstiness: Burstiness::Poisson,
            retry: Retry::None,
            seed: 1,
        }
    }
}

/// Instance `index`'s share of `total` split `parts` ways: the remainder goes to the first
/// instances, so the shares add up to `total`; at least 1.
fn share(total: u64, index: usize, parts: usize) -> u64 {
    let parts = parts.max(1) as u64;
    let index = index as u64;
    (total / parts + u64::from(index < total % parts)).max(1)
}

impl Config {
    /// Every URL key of the lab except `seed`, in the order of the controls.
    pub const KEYS: [&'static str; 16] = [
        "algorithm",
        "limit",
        "window_s",
        "burst",
        "rate_per_s",
        "queue",
        "scope",
        "instances",
        "sync",
        "store_ms",
        "sync_ms",
        "clients",
        "client_rps",
        "abuser_rps",
        "burstiness",
        "retry",
    ];

    /// Checks every field against its spec, and the memory the configuration could need.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, self.get(spec.key)) {
                spec.check_number(v)?;
            }
        }
        self.check_storage()
    }

    /// Rejects a sliding log or leaky bucket that could store more than [`MAX_STORED`] requests.
    fn check_storage(&self) -> Result<(), ConfigError> {
        let (key, what) = match self.algorithm {
            Algorithm::SlidingLog => ("limit", "the sliding log keeps one timestamp per admitted request:"),
            Algorithm::LeakyBucket => ("queue", "the leaky bucket keeps every waiting request:"),
            _ => return Ok(()),
        };
        if self.stored_capacity() > MAX_STORED {
            let sync = if self.synced() {
                " (or a sync interval of 0)"
            } else {
                ""
            };
            return Err(ConfigError::new(
                key,
                format!(
                    "is too large here: {what} {} over every client and instance, more than {}; lower it or use fewer clients or instances{sync}",
                    format_number(self.stored_capacity() as f64),
                    format_number(MAX_STORED as f64)
                ),
            ));
        }
        Ok(())
    }

    /// The most requests the limiters could store at once: sliding log timestamps (the limit of
    /// every key on every instance) or leaky bucket places (the queues); 0 for other algorithms.
    ///
    /// A store synced every `sync_ms` keeps more logs: the store's and every instance's copy and
    /// the copy a sync is bringing (2n + 1 logs per key for n instances), each of up to n × limit
    /// timestamps (what n instances can admit in one window; see `sync.rs`).
    pub fn stored_capacity(&self) -> u64 {
        let per_instance = |i: usize| {
            let p = self.instance_params(i);
            match self.algorithm {
                Algorithm::SlidingLog => p.limit,
                Algorithm::LeakyBucket => p.queue,
                _ => 0,
            }
        };
        let sum: u64 = (0..self.state_instances()).map(per_instance).sum();
        let copies = if self.synced() && self.algorithm == Algorithm::SlidingLog {
            2 * self.instances.max(1) as u64 + 1
        } else {
            1
        };
        sum.saturating_mul(copies).saturating_mul(self.keys() as u64)
    }

    /// The window, µs (at least 1).
    pub fn window(&self) -> SimTime {
        from_secs(self.window_s).max(1)
    }

    /// The limit as a rate: `limit / window_s` requests per second, per key.
    pub fn limit_per_s(&self) -> f64 {
        f64::from(self.limit) / self.window_s.max(1e-6)
    }

    /// The bucket algorithms' rate: `rate_per_s`, or `limit / window_s` when 0.
    pub fn effective_rate_per_s(&self) -> f64 {
        if self.rate_per_s > 0.0 {
            self.rate_per_s
        } else {
            self.limit_per_s()
        }
    }

    /// The bucket size: `burst`, or `limit` when 0.
    pub fn effective_burst(&self) -> u64 {
        u64::from(if self.burst > 0 { self.burst } else { self.limit }).max(1)
    }

    /// The leaky bucket's queue size: `queue`, or the burst when 0.
    pub fn effective_queue(&self) -> u64 {
        if self.queue > 0 {
            u64::from(self.queue)
        } else {
            self.effective_burst()
        }
    }

    /// Limit keys: one per client (`client` scope) or 1 (`global`).
    pub fn keys(&self) -> usize {
        match self.scope {
            Scope::Client => self.clients as usize,
            Scope::Global => 1,
        }
    }

    /// Sets of limiter state the instances decide on: one per instance, or 1 with a shared store
    /// asked on every decision (with a sync interval, one copy per instance; the store's own
    /// state is kept besides).
    pub fn state_instances(&self) -> usize {
        match self.sync {
            SyncMode::Shared if !self.synced() => 1,
            _ => self.instances.max(1) as usize,
        }
    }

    /// Whether the instances decide on copies of a shared store synced every `sync_ms` (> 0).
    pub fn synced(&self) -> bool {
        self.sync == SyncMode::Shared && self.sync_ms > 0.0
    }

    /// The sync interval, µs (at least 1): `sync_ms` with a synced shared store, else 0.
    pub fn sync_interval(&self) -> SimTime {
        if self.synced() {
            from_millis(self.sync_ms).max(1)
        } else {
            0
        }
    }

    /// How long a sync takes (µs): the store round trip with a synced shared store, else 0.
    pub fn sync_round_trip(&self) -> SimTime {
        if self.synced() {
            from_millis(self.store_ms)
        } else {
            0
        }
    }

    /// What the limiters of state set `instance` enforce (see the module docs).
    pub fn instance_params(&self, instance: usize) -> LimitParams {
        let limit = u64::from(self.limit);
        let (burst, queue, rate) = (
            self.effective_burst(),
            self.effective_queue(),
            self.effective_rate_per_s(),
        );
        let window = self.window();
        match self.sync {
            SyncMode::Split => {
                let n = self.instances.max(1) as usize;
                LimitParams {
                    limit: share(limit, instance, n),
                    window,
                    burst: share(burst, instance, n),
                    rate_per_s: rate / n as f64,
                    queue: share(queue, instance, n),
                }
            }
            _ => LimitParams {
                limit,
                window,
                burst,
                rate_per_s: rate,
                queue,
            },
        }
    }

    /// The abuser's client index (the last client).
    pub fn abuser(&self) -> usize {
        (self.clients as usize).saturating_sub(1)
    }

    /// The store round trip every decision waits for: `store_ms` with `shared` and no sync
    /// interval, else 0 (µs; instances that sync decide locally).
    pub fn store_latency(&self) -> SimTime {
        match self.sync {
            SyncMode::Shared if !self.synced() => from_millis(self.store_ms),
            _ => 0,
        }
    }

    /// Requests per second the clients want to send (before retries and floods by hand).
    pub fn demand_per_s(&self) -> f64 {
        self.client_rps * f64::from(self.clients.saturating_sub(1)) + self.abuser_rps
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

/// Parses a choice value with `parse`, or lists the options.
fn choice<T>(
    key: &str,
    value: &ParamValue,
    parse: fn(&str) -> Option<T>,
    options: &[(&str, &str)],
) -> Result<T, ConfigError> {
    let raw = expect_choice(key, value)?;
    parse(raw).ok_or_else(|| {
        let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
        ConfigError::new(key, format!("must be one of {}", names.join(", ")))
    })
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        let choice = |s: &str| Some(ParamValue::Choice(s.to_string()));
        match key {
            "algorithm" => choice(self.algorithm.as_str()),
            "limit" => number(f64::from(self.limit)),
            "window_s" => number(self.window_s),
            "burst" => number(f64::from(self.burst)),
            "rate_per_s" => number(self.rate_per_s),
            "queue" => number(f64::from(self.queue)),
            "scope" => choice(self.scope.as_str()),
            "instances" => number(f64::from(self.instances)),
            "sync" => choice(self.sync.as_str()),
            "store_ms" => number(self.store_ms),
            "sync_ms" => number(self.sync_ms),
            "clients" => number(f64::from(self.clients)),
            "client_rps" => number(self.client_rps),
            "abuser_rps" => number(self.abuser_rps),
            "burstiness" => choice(self.burstiness.as_str()),
            "retry" => choice(self.retry.as_str()),
            _ => None,
        }
    }

    /// Validates and stores one value; a value that would make the configuration need more than
    /// [`MAX_STORED`] stored requests is rejected too. On error nothing changes.
    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        let mut next = self.clone();
        match key {
            "algorithm" => next.algorithm = choice(key, value, Algorithm::parse, Algorithm::OPTIONS)?,
            "limit" => next.limit = whole(key, value)?,
            "window_s" => next.window_s = checked(key, value)?,
            "burst" => next.burst = whole(key, value)?,
            "rate_per_s" => next.rate_per_s = checked(key, value)?,
            "queue" => next.queue = whole(key, value)?,
            "scope" => next.scope = choice(key, value, Scope::parse, Scope::OPTIONS)?,
            "instances" => next.instances = whole(key, value)?,
            "sync" => next.sync = choice(key, value, SyncMode::parse, SyncMode::OPTIONS)?,
            "store_ms" => next.store_ms = checked(key, value)?,
            "sync_ms" => next.sync_ms = checked(key, value)?,
            "clients" => next.clients = whole(key, value)?,
            "client_rps" => next.client_rps = checked(key, value)?,
            "abuser_rps" => next.abuser_rps = checked(key, value)?,
            "burstiness" => next.burstiness = choice(key, value, Burstiness::parse, Burstiness::OPTIONS)?,
            "retry" => next.retry = choice(key, value, Retry::parse, Retry::OPTIONS)?,
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        next.check_storage()?;
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
            let v = c.get(key).expect("every key has a value");
            let mut d = Config::default();
            d.set(key, &v).unwrap();
            assert_eq!(d, c, "{key}");
            let mut e = Config::default();
            e.set_str(key, &v.to_query()).unwrap();
            assert_eq!(e, c, "{key}");
        }
    }

    #[test]
    fn keys_are_the_specs() {
        let specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        assert_eq!(specs, Config::KEYS.to_vec());
    }

    #[test]
    fn the_defaults_are_the_seeds_bucket() {
        let c = Config::default();
        assert_eq!(c.effective_burst(), 100);
        assert_eq!(c.effective_rate_per_s(), 10.0);
        assert_eq!(c.effective_queue(), 100);
        assert_eq!(c.instance_params(0).interval_ns(), 100_000_000);
    }

    #[test]
    fn split_shares_add_up() {
        let c = Config {
            sync: SyncMode::Split,
            instances: 3,
            ..Config::default()
        };
        let limits: Vec<u64> = (0..3).map(|i| c.instance_params(i).limit).collect();
        assert_eq!(limits, vec![34, 33, 33]);
        assert!((c.instance_params(2).rate() - 10.0 / 3.0).abs() < 1e-12);
        let tiny = Config { limit: 2, ..c.clone() };
        assert_eq!(tiny.instance_params(2).limit, 1, "every instance admits something");
    }

    #[test]
    fn storage_is_capped() {
        let mut c = Config {
            limit: 100_000,
            clients: 20,
            ..Config::default()
        };
        let before = c.clone();
        let err = c.set_str("algorithm", "sliding_log").unwrap_err();
        assert_eq!(err.field, "limit");
        assert_eq!(c, before);
        c.set_str("algorithm", "leaky_bucket").unwrap_err();
        c.set_str("queue", "10").unwrap();
        c.set_str("algorithm", "leaky_bucket").unwrap();
        assert_eq!(c.stored_capacity(), 200);
    }
}
