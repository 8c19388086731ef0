//! The queues lab's parameters, and what follows from them: the slow work's distribution and the
//! retry schedule.
//!
//! **The request.** Every request does `fast_ms` of fast work. With `delivery` = `sync` it then
//! does the slow work itself (a draw of `processing` with mean `slow_ms`), retrying a failure
//! inline with the backoff, and answers: the seeds' 100 ms + 2,000 ms = 2,100 ms. With `async` it
//! publishes a message, which takes [`PUBLISH_MS`] (the broker's acknowledgement), and answers:
//! 100 ms + 5 ms = 105 ms; a consumer does the slow work later.
//!
//! **Retries.** A delivery that fails (chance `failure_rate`, always for a poison message) or is
//! not acknowledged within `visibility_s` is delivered again, after the backoff for a failure (at
//! once after a timeout), until the message has been received `max_receives` times; then it goes
//! to the dead-letter queue. The `n`-th retry (`attempt` = n − 1, so 0 for the first) waits:
//!
//! | `backoff` | wait |
//! |---|---|
//! | `none` | 0 |
//! | `fixed` | [`BACKOFF_BASE`] (1 s) |
//! | `exponential` | `min(cap, base × 2^attempt)`: 1, 2, 4, ... s, at most [`BACKOFF_CAP`] (60 s) |
//! | `exponential_jitter` | `random(0, min(cap, base × 2^attempt))` (full jitter) |

use serde::{Deserialize, Serialize};

use super::choices::{Backoff, Delivery, OnFull, Processing, Shape};
use super::specs::{IDEMPOTENT_OPTIONS, SPECS};
use crate::engine::time::{from_millis, from_secs, MICROS_PER_SEC};
use crate::engine::{Exponential, LogNormal, SimRng, SimTime};
use crate::params::{expect_choice, expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// Time to publish a message (the broker's acknowledgement), ms: the seeds' 5 ms.
pub const PUBLISH_MS: f64 = 5.0;
/// The backoff's base: the wait before the first retry with `fixed`, `exponential` and the top
/// of the first jitter range (1 s).
pub const BACKOFF_BASE: SimTime = MICROS_PER_SEC;
/// The longest backoff (60 s).
pub const BACKOFF_CAP: SimTime = 60 * MICROS_PER_SEC;

/// Parameters of the queues lab. The URL keys are the field names (plus `seed`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Where the slow work runs: `sync` (inline) or `async` (queued). Default `async`.
    pub delivery: Delivery,
    /// Requests per second (0..=100,000), Poisson arrivals. Default 20.
    pub rate: f64,
    /// How the rate changes over time: `steady`, `bursts` or `daily`. Default `steady`.
    pub shape: Shape,
    /// Fast work per request, ms (0..=10,000). Default 100.
    pub fast_ms: f64,
    /// Mean slow work per message, ms (0..=600,000). Default 2,000.
    pub slow_ms: f64,
    /// Distribution of the slow work's duration: `constant`, `exponential` or `lognormal`.
    /// Default `constant`.
    pub processing: Processing,
    /// Partitions (1..=32). Default 4.
    pub partitions: u32,
    /// Consumers per group (0..=64). Default 4.
    pub consumers: u32,
    /// Messages one consumer processes at once (1..=1,000). Default 16.
    pub concurrency: u32,
    /// Consumer groups (1..=4): 1 is a work queue, more a topic each group subscribes to.
    /// Default 1.
    pub groups: u32,
    /// Visibility timeout, s (0.1..=43,200). Default 30 (SQS's).
    pub visibility_s: f64,
    /// Chance a delivery fails (0..=1). Default 0.
    pub failure_rate: f64,
    /// Share of messages that always fail (0..=1). Default 0.
    pub poison_rate: f64,
    /// Retry backoff: `none`, `fixed`, `exponential`, `exponential_jitter`. Default
    /// `exponential_jitter`.
    pub backoff: Backoff,
    /// Deliveries before a failing message moves to the dead-letter queue (1..=100). Default 4.
    pub max_receives: u32,
    /// Whether consumers skip the effect of a message they already processed (URL 0 or 1).
    /// Default false.
    pub idempotent: bool,
    /// Most messages waiting in a group before producers are refused or blocked
    /// (0..=100,000,000; 0 = unbounded). Default 0.
    pub max_backlog: u64,
    /// What producers do when the backlog is full: `refuse` or `block`. Default `refuse`.
    pub on_full: OnFull,
    /// How long after a write the read model shows it, ms (0..=600,000). Default 500.
    pub projection_lag_ms: f64,
    /// Distinct message keys (0..=100,000; 0 = unkeyed, round robin). Default 100.
    pub keys: u32,
    /// Seed of every random draw. Default 1.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            delivery: Delivery::Async,
            rate: 20.0,
            shape: Shape::Steady,
            fast_ms: 100.0,
            slow_ms: 2_000.0,
            processing: Processing::Constant,
            partitions: 4,
            consumers: 4,
            concurrency: 16,
            groups: 1,
            visibility_s: 30.0,
            failure_rate: 0.0,
            poison_rate: 0.0,
            backoff: Backoff::ExponentialJitter,
            max_receives: 4,
            idempotent: false,
            max_backlog: 0,
            on_full: OnFull::Refuse,
            projection_lag_ms: 500.0,
            keys: 100,
            seed: 1,
        }
    }
}

/// Draws the slow work's duration (µs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum WorkTime {
    /// Always this long (no draw).
    Constant(SimTime),
    /// Exponential, mean in µs (one draw).
    Exponential(Exponential),
    /// Log-normal, in µs (two draws).
    Lognormal(LogNormal),
}

impl WorkTime {
    /// One duration (µs).
    pub(super) fn sample(&self, rng: &mut SimRng) -> SimTime {
        let us = match self {
            WorkTime::Constant(t) => return *t,
            WorkTime::Exponential(d) => d.sample(rng),
            WorkTime::Lognormal(d) => d.sample(rng),
        };
        // Samples are finite and non-negative; `as` saturates.
        libm::round(us) as SimTime
    }
}

impl Config {
    /// Every URL key of the lab except `seed`, in the order of the controls.
    pub const KEYS: [&'static str; 20] = [
        "delivery",
        "rate",
        "shape",
        "fast_ms",
        "slow_ms",
        "processing",
        "partitions",
        "consumers",
        "concurrency",
        "groups",
        "visibility_s",
        "failure_rate",
        "poison_rate",
        "backoff",
        "max_receives",
        "idempotent",
        "max_backlog",
        "on_full",
        "projection_lag_ms",
        "keys",
    ];

    /// Checks every numeric field against its spec.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, self.get(spec.key)) {
                spec.check_number(v)?;
            }
        }
        Ok(())
    }

    /// The fast work (µs).
    pub fn fast(&self) -> SimTime {
        from_millis(self.fast_ms)
    }

    /// What the user waits for a queued request that is not blocked: `fast_ms` + [`PUBLISH_MS`]
    /// (µs).
    pub fn async_response(&self) -> SimTime {
        from_millis(self.fast_ms + PUBLISH_MS)
    }

    /// The visibility timeout (µs, at least 1).
    pub fn visibility(&self) -> SimTime {
        from_secs(self.visibility_s).max(1)
    }

    /// The read model's lag (µs).
    pub fn projection_lag(&self) -> SimTime {
        from_millis(self.projection_lag_ms)
    }

    /// Messages one consumer completes per second at full concurrency: `concurrency × 1000 /
    /// slow_ms` (infinite for `slow_ms` = 0).
    pub fn consumer_capacity_per_s(&self) -> f64 {
        f64::from(self.concurrency) * 1_000.0 / self.slow_ms
    }

    /// The sampler of the slow work's duration.
    pub(super) fn work_time(&self) -> Result<WorkTime, ConfigError> {
        let mean_us = self.slow_ms * 1_000.0;
        Ok(match self.processing {
            Processing::Constant => WorkTime::Constant(from_millis(self.slow_ms)),
            Processing::Exponential => WorkTime::Exponential(Exponential::new(mean_us)?),
            Processing::Lognormal if mean_us > 0.0 => WorkTime::Lognormal(LogNormal::from_mean_sd(mean_us, mean_us)?),
            Processing::Lognormal => WorkTime::Constant(0),
        })
    }

    /// The wait before the retry that follows the `attempt`-th failed delivery (`attempt` = 1 for
    /// the first failure, so `base × 2^(attempt − 1)`; see the module docs). Draws from `rng`
    /// only with `exponential_jitter` (one output).
    pub fn backoff_delay(&self, attempt: u32, rng: &mut SimRng) -> SimTime {
        let doubled = || {
            let shift = attempt.saturating_sub(1).min(32);
            BACKOFF_BASE.saturating_mul(1u64 << shift).min(BACKOFF_CAP)
        };
        match self.backoff {
            Backoff::None => 0,
            Backoff::Fixed => BACKOFF_BASE,
            Backoff::Exponential => doubled(),
            Backoff::ExponentialJitter => rng.below(doubled().saturating_add(1)),
        }
    }
}

fn checked(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    let spec: &ParamSpec = Config::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
    spec.check_number(expect_number(key, value)?)
}

fn whole(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    // The specs of these whole-number keys have integer ranges within u32.
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

fn parse_flag(raw: &str) -> Option<bool> {
    match raw {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
    }
}

impl Params for Config {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let number = |v: f64| Some(ParamValue::Number(v));
        let choice = |s: &str| Some(ParamValue::Choice(s.to_string()));
        match key {
            "delivery" => choice(self.delivery.as_str()),
            "rate" => number(self.rate),
            "shape" => choice(self.shape.as_str()),
            "fast_ms" => number(self.fast_ms),
            "slow_ms" => number(self.slow_ms),
            "processing" => choice(self.processing.as_str()),
            "partitions" => number(f64::from(self.partitions)),
            "consumers" => number(f64::from(self.consumers)),
            "concurrency" => number(f64::from(self.concurrency)),
            "groups" => number(f64::from(self.groups)),
            "visibility_s" => number(self.visibility_s),
            "failure_rate" => number(self.failure_rate),
            "poison_rate" => number(self.poison_rate),
            "backoff" => choice(self.backoff.as_str()),
            "max_receives" => number(f64::from(self.max_receives)),
            "idempotent" => choice(if self.idempotent { "1" } else { "0" }),
            "max_backlog" => number(self.max_backlog as f64),
            "on_full" => choice(self.on_full.as_str()),
            "projection_lag_ms" => number(self.projection_lag_ms),
            "keys" => number(f64::from(self.keys)),
            _ => None,
        }
    }

    /// Validates and stores one value. On error nothing changes.
    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        let mut next = self.clone();
        match key {
            "delivery" => next.delivery = choice(key, value, Delivery::parse, Delivery::OPTIONS)?,
            "rate" => next.rate = checked(key, value)?,
            "shape" => next.shape = choice(key, value, Shape::parse, Shape::OPTIONS)?,
            "fast_ms" => next.fast_ms = checked(key, value)?,
            "slow_ms" => next.slow_ms = checked(key, value)?,
            "processing" => next.processing = choice(key, value, Processing::parse, Processing::OPTIONS)?,
            "partitions" => next.partitions = whole(key, value)?,
            "consumers" => next.consumers = whole(key, value)?,
            "concurrency" => next.concurrency = whole(key, value)?,
            "groups" => next.groups = whole(key, value)?,
            "visibility_s" => next.visibility_s = checked(key, value)?,
            "failure_rate" => next.failure_rate = checked(key, value)?,
            "poison_rate" => next.poison_rate = checked(key, value)?,
            "backoff" => next.backoff = choice(key, value, Backoff::parse, Backoff::OPTIONS)?,
            "max_receives" => next.max_receives = whole(key, value)?,
            "idempotent" => next.idempotent = choice(key, value, parse_flag, IDEMPOTENT_OPTIONS)?,
            // The spec's range (0..=1e8, whole) fits u64 exactly.
            "max_backlog" => next.max_backlog = checked(key, value)? as u64,
            "on_full" => next.on_full = choice(key, value, OnFull::parse, OnFull::OPTIONS)?,
            "projection_lag_ms" => next.projection_lag_ms = checked(key, value)?,
            "keys" => next.keys = whole(key, value)?,
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
            let v = c.get(key).expect("every key has a value");
            let mut d = Config::default();
            d.set(key, &v).unwrap();
            assert_eq!(d, c, "{key}");
            let mut e = Config::default();
            e.set_str(key, &v.to_query()).unwrap();
            assert_eq!(e, c, "{key}");
        }
        assert_eq!(c.get("idempotent").unwrap().to_query(), "0");
    }

    #[test]
    fn keys_are_the_specs() {
        let specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        assert_eq!(specs, Config::KEYS.to_vec());
    }

    #[test]
    fn backoff_schedules() {
        let mut rng = SimRng::new(1);
        let mut c = Config {
            backoff: Backoff::Exponential,
            ..Config::default()
        };
        let waits: Vec<SimTime> = (1..=8).map(|a| c.backoff_delay(a, &mut rng) / MICROS_PER_SEC).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(c.backoff_delay(u32::MAX, &mut rng), BACKOFF_CAP);
        c.backoff = Backoff::Fixed;
        assert_eq!(c.backoff_delay(5, &mut rng), BACKOFF_BASE);
        c.backoff = Backoff::None;
        assert_eq!(c.backoff_delay(5, &mut rng), 0);
        c.backoff = Backoff::ExponentialJitter;
        for attempt in 1..10 {
            let top = BACKOFF_BASE.saturating_mul(1 << (attempt - 1)).min(BACKOFF_CAP);
            assert!(c.backoff_delay(attempt, &mut rng) <= top);
        }
    }

    #[test]
    fn idempotent_is_zero_or_one() {
        let mut c = Config::default();
        c.set_str("idempotent", "1").unwrap();
        assert!(c.idempotent);
        assert!(c.set_str("idempotent", "true").is_err());
        assert!(c.set_str("idempotent", "2").is_err());
        assert!(c.idempotent);
    }
}
