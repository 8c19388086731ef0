//! What moving keys costs: per-node caches go cold for the keys that changed owner.
//!
//! Every node is an LRU cache (see [`LruCaches`]) in front of one database. A steady Poisson stream
//! of requests (`request_rate` per second) asks for keys with Zipf popularity (`zipf_alpha`; key
//! `key-0` is the hottest). A request goes to the key's owner; a miss reads the database and fills
//! the owner's cache. At `change_at_s` ownership switches from the placement before a membership
//! change to the placement after it: every moved key is cold at its new node, so the hit ratio dips
//! and database reads spike, then recover as the caches refill.
//!
//! Caches start warm: before `t = 0` each node is filled with its most popular keys (up to its
//! capacity), close to the steady state of LRU under a Zipf stream, so the chart shows the change
//! rather than a cold start. Time is integer microseconds on the simulation clock.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::cache_build::CacheEffectBuilder;
use super::lru::LruCaches;
use super::membership::NodeId;
use crate::engine::time::{from_millis, from_secs, to_secs};
use crate::engine::Zipf;
use crate::engine::{Exponential, Scheduler, SimRng, SimTime, TimeSeries};
use crate::params::{expect_number, ParamKind, ParamSpec, ParamValue, Params};
use crate::ConfigError;

/// After the change, the hit ratio counts as recovered once a time-series bucket is within this
/// much (absolute) of the steady hit ratio before the change.
pub const RECOVERY_TOLERANCE: f64 = 0.02;

/// Parameters of the cache-effect simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheEffectConfig {
    /// Requests per second across the cluster (req/s, 1..=200,000). Default 5,000.
    pub request_rate: f64,
    /// Zipf exponent of key popularity (0..=2; 0 is uniform). Default 0.9.
    pub zipf_alpha: f64,
    /// Each node's cache capacity as a fraction of an even share of the keys,
    /// `ceil(cache_fraction * keys / nodes)` entries (0..=1). Default 0.5.
    pub cache_fraction: f64,
    /// When ownership switches to the new placement (simulated seconds, 0..=3600). Default 10.
    pub change_at_s: f64,
    /// Width of one point of the time series (simulated milliseconds, 10..=60,000). Default 250.
    pub bucket_ms: f64,
}

impl Default for CacheEffectConfig {
    fn default() -> Self {
        Self {
            request_rate: 5_000.0,
            zipf_alpha: 0.9,
            cache_fraction: 0.5,
            change_at_s: 10.0,
            bucket_ms: 250.0,
        }
    }
}

const SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "request_rate",
        label: "Request rate",
        unit: "req/s",
        hint: "Requests per second across all nodes.",
        kind: ParamKind::Number {
            min: 1.0,
            max: 200_000.0,
            step: 1.0,
            integer: false,
            log_scale: true,
        },
    },
    ParamSpec {
        key: "zipf_alpha",
        label: "Popularity skew (Zipf alpha)",
        unit: "",
        hint: "0 means every key is equally popular; around 1 a few hot keys get most requests.",
        kind: ParamKind::Number {
            min: 0.0,
            max: 2.0,
            step: 0.05,
            integer: false,
            log_scale: false,
        },
    },
    ParamSpec {
        key: "cache_fraction",
        label: "Cache size per node",
        unit: "of its keys",
        hint: "How many keys each node's cache holds, as a fraction of an even share of all keys.",
        kind: ParamKind::Number {
            min: 0.0,
            max: 1.0,
            step: 0.01,
            integer: false,
            log_scale: false,
        },
    },
    ParamSpec {
        key: "change_at_s",
        label: "Change at",
        unit: "s",
        hint: "Simulated time at which the new placement takes over.",
        kind: ParamKind::Number {
            min: 0.0,
            max: 3_600.0,
            step: 1.0,
            integer: false,
            log_scale: false,
        },
    },
    ParamSpec {
        key: "bucket_ms",
        label: "Chart resolution",
        unit: "ms",
        hint: "Width of one point of the hit ratio and database load charts.",
        kind: ParamKind::Number {
            min: 10.0,
            max: 60_000.0,
            step: 10.0,
            integer: false,
            log_scale: true,
        },
    },
];

impl CacheEffectConfig {
    /// Checks every field against its spec.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for spec in SPECS {
            if let Some(ParamValue::Number(v)) = self.get(spec.key) {
                spec.check_number(v)?;
            }
        }
        Ok(())
    }
}

impl Params for CacheEffectConfig {
    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    fn get(&self, key: &str) -> Option<ParamValue> {
        let v = match key {
            "request_rate" => self.request_rate,
            "zipf_alpha" => self.zipf_alpha,
            "cache_fraction" => self.cache_fraction,
            "change_at_s" => self.change_at_s,
            "bucket_ms" => self.bucket_ms,
            _ => return None,
        };
        Some(ParamValue::Number(v))
    }

    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError> {
        let spec = Self::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
        let v = spec.check_number(expect_number(key, value)?)?;
        match key {
            "request_rate" => self.request_rate = v,
            "zipf_alpha" => self.zipf_alpha = v,
            "cache_fraction" => self.cache_fraction = v,
            "change_at_s" => self.change_at_s = v,
            "bucket_ms" => self.bucket_ms = v,
            _ => return Err(ConfigError::new(key, "is not a parameter of this lab")),
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    Request,
    BucketEnd,
    Change,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    requests: u64,
    hits: u64,
}

/// What the cache-effect charts and numbers show.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CacheEffectSnapshot {
    /// Simulated time now (s).
    pub now_s: f64,
    /// Whether the change has happened.
    pub changed: bool,
    /// When it happens (s).
    pub change_at_s: f64,
    /// Fraction of keys whose owner differs after the change.
    pub keys_moved: f64,
    /// Cache entries per node.
    pub capacity_per_node: u64,
    /// Requests served so far.
    pub requests: u64,
    /// Cache hits so far.
    pub hits: u64,
    /// Database reads (cache misses) so far.
    pub db_reads: u64,
    /// `(time s, hit ratio)` per bucket; bounded length.
    pub hit_ratio: Vec<(f64, f64)>,
    /// `(time s, database reads per second)` per bucket; bounded length.
    pub db_reads_per_s: Vec<(f64, f64)>,
    /// Hit ratio over everything before the change (once it has happened).
    pub steady_hit_ratio: Option<f64>,
    /// Lowest bucket hit ratio after the change.
    pub dip_hit_ratio: Option<f64>,
    /// Highest bucket database reads per second after the change.
    pub peak_db_reads_per_s: Option<f64>,
    /// Seconds from the change until a bucket's hit ratio is back within [`RECOVERY_TOLERANCE`] of
    /// the steady hit ratio.
    pub recovery_s: Option<f64>,
}

/// The cache-effect simulation of one membership change. Drive it with
/// [`CacheEffect::step_until`]. Built at once by [`CacheEffect::new`], or in slices by a
/// [`CacheEffectBuilder`] (same result).
#[derive(Clone, Debug)]
pub struct CacheEffect {
    config: CacheEffectConfig,
    /// Owner cache index per key, before and after the change.
    before: Vec<u32>,
    after: Vec<u32>,
    keys_moved: f64,
    caches: LruCaches,
    /// Zipf popularity of the keys (shared by simulations over the same keys and skew).
    popularity: Arc<Zipf>,
    gaps: Exponential,
    arrivals_rng: SimRng,
    keys_rng: SimRng,
    sched: Scheduler<Event>,
    change_at: SimTime,
    bucket: SimTime,
    changed: bool,
    total: Tally,
    in_bucket: Tally,
    before_change: Tally,
    hit_ratio: TimeSeries,
    db_reads_per_s: TimeSeries,
    dip_hit_ratio: Option<f64>,
    peak_db_reads_per_s: Option<f64>,
    recovered_at: Option<SimTime>,
}

impl CacheEffect {
    /// A simulation over `before.len()` keys: `before[k]` and `after[k]` are key `k`'s owner before
    /// and after the change (same length, at least one key). The node count for cache sizing is the
    /// number of distinct owners before. `seed` drives arrivals and key choices. Builds everything
    /// at once: at a million keys that is far more than an animation frame, so the page uses a
    /// [`CacheEffectBuilder`] instead.
    pub fn new(config: CacheEffectConfig, before: &[NodeId], after: &[NodeId], seed: u64) -> Result<Self, ConfigError> {
        let builder = CacheEffectBuilder::new(config, Arc::new(before.to_vec()), Arc::new(after.to_vec()), seed)?;
        Ok(builder.finish())
    }

    /// Assembles a simulation from the parts a [`CacheEffectBuilder`] prepared: dense cache indices
    /// of every key's owner before and after, warm caches and the popularity table.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn assemble(
        config: CacheEffectConfig,
        before: Vec<u32>,
        after: Vec<u32>,
        keys_moved: f64,
        caches: LruCaches,
        popularity: Arc<Zipf>,
        gaps: Exponential,
        seed: u64,
    ) -> Self {
        let mut rng = SimRng::new(seed);
        let arrivals_rng = rng.fork(1);
        let keys_rng = rng.fork(2);
        let change_at = from_secs(config.change_at_s);
        let bucket = from_millis(config.bucket_ms).max(1);
        let mut sched = Scheduler::new();
        sched.schedule_at(change_at, Event::Change);
        sched.schedule_at(bucket, Event::BucketEnd);
        sched.schedule_at(0, Event::Request);
        Self {
            config,
            before,
            after,
            keys_moved,
            caches,
            popularity,
            gaps,
            arrivals_rng,
            keys_rng,
            sched,
            change_at,
            bucket,
            changed: false,
            total: Tally::default(),
            in_bucket: Tally::default(),
            before_change: Tally::default(),
            hit_ratio: TimeSeries::default(),
            db_reads_per_s: TimeSeries::default(),
            dip_hit_ratio: None,
            peak_db_reads_per_s: None,
            recovered_at: None,
        }
    }

    /// The popularity table, for a builder over the same keys and skew to reuse.
    pub(super) fn popularity(&self) -> &Arc<Zipf> {
        &self.popularity
    }

    /// The parameters.
    pub fn config(&self) -> &CacheEffectConfig {
        &self.config
    }

    /// Simulated time now (µs).
    pub fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// Runs every event up to and including simulated time `until` (µs).
    pub fn step_until(&mut self, until: SimTime) {
        while let Some(event) = self.sched.next_before(until) {
            match event {
                Event::Request => self.request(),
                Event::BucketEnd => self.bucket_end(),
                Event::Change => {
                    self.changed = true;
                    self.before_change = self.total;
                }
            }
        }
    }

    fn request(&mut self) {
        let key = self.popularity.sample(&mut self.keys_rng);
        let owners = if self.changed { &self.after } else { &self.before };
        let owner = owners.get(key).copied().unwrap_or(0) as usize;
        let hit = self.caches.access(owner, key);
        for tally in [&mut self.total, &mut self.in_bucket] {
            tally.requests += 1;
            tally.hits += u64::from(hit);
        }
        let gap = libm::round(self.gaps.sample(&mut self.arrivals_rng)) as SimTime;
        self.sched.schedule_in(gap, Event::Request);
    }

    fn bucket_end(&mut self) {
        let now = self.sched.now();
        let t = to_secs(now);
        let Tally { requests, hits } = std::mem::take(&mut self.in_bucket);
        let reads_per_s = (requests - hits) as f64 / to_secs(self.bucket);
        self.db_reads_per_s.push(t, reads_per_s);
        if requests > 0 {
            let ratio = hits as f64 / requests as f64;
            self.hit_ratio.push(t, ratio);
            // Only buckets that start at or after the change describe what happened after it: the
            // bucket that ends exactly at the change (or straddles it) is left out.
            let after_change = self.changed && now.saturating_sub(self.bucket) >= self.change_at;
            if after_change {
                self.dip_hit_ratio = Some(self.dip_hit_ratio.map_or(ratio, |d| d.min(ratio)));
                if self.recovered_at.is_none()
                    && self.steady_hit_ratio().is_some_and(|s| ratio >= s - RECOVERY_TOLERANCE)
                {
                    self.recovered_at = Some(now);
                }
            }
        }
        if self.changed && now.saturating_sub(self.bucket) >= self.change_at {
            self.peak_db_reads_per_s = Some(self.peak_db_reads_per_s.map_or(reads_per_s, |p| p.max(reads_per_s)));
        }
        self.sched.schedule_in(self.bucket, Event::BucketEnd);
    }

    fn steady_hit_ratio(&self) -> Option<f64> {
        let Tally { requests, hits } = self.before_change;
        (self.changed && requests > 0).then(|| hits as f64 / requests as f64)
    }

    /// The numbers and series for the charts.
    pub fn snapshot(&self) -> CacheEffectSnapshot {
        CacheEffectSnapshot {
            now_s: to_secs(self.now()),
            changed: self.changed,
            change_at_s: to_secs(self.change_at),
            keys_moved: self.keys_moved,
            capacity_per_node: self.caches.capacity() as u64,
            requests: self.total.requests,
            hits: self.total.hits,
            db_reads: self.total.requests - self.total.hits,
            hit_ratio: self.hit_ratio.points().to_vec(),
            db_reads_per_s: self.db_reads_per_s.points().to_vec(),
            steady_hit_ratio: self.steady_hit_ratio(),
            dip_hit_ratio: self.dip_hit_ratio,
            peak_db_reads_per_s: self.peak_db_reads_per_s,
            recovery_s: self.recovered_at.map(|t| to_secs(t.saturating_sub(self.change_at))),
        }
    }
}
