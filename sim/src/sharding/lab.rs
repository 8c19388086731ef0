//! The sharding lab model: a dataset on shards, a workload on the simulation clock, resharding
//! while it serves.
//!
//! **Driving it.** A change of layout (the start, `add_shard`, `remove_shard`, `split_hot_range`,
//! a restart by `set_param`) first runs a placement job (see `job.rs`): at 10,000,000 keys that is
//! about a second of work, so it is sliced. A page calls, once per animation frame,
//! [`ShardingLab::work_until`]`(target, `[`ShardingLab::WORK_PER_FRAME`]`)`: while a job is pending
//! ([`ShardingLab::busy`]) that spends the budget on it and the clock waits (the snapshot says
//! `busy` with `job_progress`); then it runs operations up to `target` within the budget and
//! returns true once the clock is there. [`ShardingLab::step_until`] does the same without a budget
//! (tests, small datasets). Nothing depends on how the work is sliced.
//!
//! **Operations** (see `workload.rs` for the stream and `ops.rs` for how each is served): each is
//! split into visits to the shards it needs; a shard is an M/M/1 queue with a 100 ms limit on the
//! wait (see `shard.rs`), plus a log-normal latency, plus a cross-region round trip when the shard
//! sits in another region than the client.
//!
//! **Resharding** (see `reshard.rs`, `migration.rs`): the keys that move are copied at
//! `migration_mb_s` over simulated time while the shards serve; until a key is copied its old
//! shard serves it. One change at a time: the actions refuse while a job or a migration runs.
//!
//! Randomness: one seed, forked into the workload (arrivals, kinds, keys) and the service draws,
//! so runs that differ only in the strategy see exactly the same operations
//! ([`ShardingLab::workload_fingerprint`]).

use std::collections::VecDeque;
use std::sync::Arc;

use super::config::Config;
use super::job::{Job, NewLayout};
use super::keyspace::{Key, Keyspace};
use super::layout::{Layout, Loc, Slot};
use super::load_map::LoadMap;
use super::migration::Migration;
use super::popularity::Popularity;
use super::regions::Region;
use super::shard::{Shard, ShardStatus};
use super::snapshot::LabEvent;
use super::stats::{Stats, SAMPLE_INTERVAL};
use super::strategy::Strategy;
use super::workload::{Workload, RANGE_SCAN_SHARE};
use crate::engine::time::to_secs;
use crate::engine::{EventQueue, Exponential, LogNormal, SimRng, SimTime};
use crate::ConfigError;

/// Sub-stream numbers forked from the seed.
const STREAM_WORKLOAD: u64 = 1;
const STREAM_SERVICE: u64 = 2;

/// Standard deviation of a shard's latency over its mean (log-normal).
pub const LATENCY_CV: f64 = 0.5;
/// Round trip between two regions, ms (New York–London, REFERENCES.md "Capacity across a whole
/// system").
pub const CROSS_REGION_MS: f64 = 75.0;
/// A directory lookup's round trip, ms, paid once per operation.
pub const DIRECTORY_MS: f64 = 1.0;
/// Lab events kept.
pub const EVENTS_KEPT: usize = 32;
/// Most keys monotonic writes insert; later inserts overwrite the newest key.
pub const MAX_INSERTED: u64 = 10_000_000;
/// Work units of one operation, plus [`VISIT_UNITS`] per shard it visits (a unit is about the time
/// a job takes to place one key, ~50 ns natively).
pub const OP_UNITS: u64 = 6;
/// Work units of one visit to a shard.
pub const VISIT_UNITS: u64 = 2;

/// A scheduled happening (arrivals are not queued: the workload knows its next one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Event {
    /// A chart point.
    Sample,
    /// The migration's copy ends (stale unless `generation` is current).
    MigrationEnd { generation: u64 },
}

/// What the pending job is for.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Pending {
    pub(super) text: String,
    pub(super) units_moved: u32,
    pub(super) leaving: Option<Slot>,
    pub(super) expected_share: Option<f64>,
    /// A change of a running layout (false: the start).
    pub(super) change: bool,
}

/// The last change, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ChangeRecord {
    pub(super) at: SimTime,
    pub(super) text: String,
    pub(super) keys_moved: u64,
    pub(super) keys: u64,
    pub(super) units_moved: u32,
    pub(super) units: u32,
    pub(super) expected_share: Option<f64>,
    pub(super) duration: Option<SimTime>,
}

/// The sharding lab. See the module docs.
#[derive(Clone, Debug)]
pub struct ShardingLab {
    pub(super) config: Config,
    pub(super) now: SimTime,
    pub(super) regions: Vec<Region>,
    pub(super) keyspace: Keyspace,
    pub(super) popularity: Option<Arc<Popularity>>,
    /// The layout in force (`None` until the first job ends).
    pub(super) layout: Option<Layout>,
    pub(super) job: Option<Box<Job>>,
    pub(super) pending: Option<Pending>,
    pub(super) migration: Option<Migration>,
    migration_generation: u64,
    /// Shard slots (a slot is reused once its shard has left).
    pub(super) shards: Vec<Shard>,
    /// Member slots in join order (a leaving shard is no longer here).
    pub(super) order: Vec<Slot>,
    pub(super) next_id: u32,
    /// Ids in use: the starting keys plus the inserted ones.
    pub(super) ids: u64,
    pub(super) range_len: u64,
    pub(super) workload: Workload,
    pub(super) service_rng: SimRng,
    pub(super) unit_exp: Exponential,
    pub(super) latency: LogNormal,
    queue: EventQueue<Event>,
    pub(super) stats: Stats,
    pub(super) loads: LoadMap,
    pub(super) last_change: Option<ChangeRecord>,
    pub(super) events: VecDeque<LabEvent>,
    /// Work units done since the start (jobs, operations, visits).
    work: u64,
    /// Reused buffers for the shards an operation touches.
    pub(super) touched: Vec<Slot>,
    pub(super) touched_old: Vec<Slot>,
}

impl ShardingLab {
    /// Work units per animation frame the lab handles comfortably: about 2–3 ms natively. A unit
    /// is one key placed by a job (~50 ns); an operation costs [`OP_UNITS`] plus [`VISIT_UNITS`] per
    /// shard it visits (the default workload about 8.5, so some 4,700 operations a frame).
    pub const WORK_PER_FRAME: u64 = 40_000;

    /// A lab for `config` (validated) at time 0. Its first placement job is pending: run it with
    /// [`ShardingLab::work_until`] (sliced) or [`ShardingLab::step_until`]. Cheap: O(shards +
    /// logical shards).
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        Self::build(config, None)
    }

    /// A lab reusing an already built popularity table (it must have `config.keys` ranks of
    /// exponent `config.alpha`, or it is ignored).
    pub(super) fn build(config: Config, popularity: Option<Arc<Popularity>>) -> Result<Self, ConfigError> {
        config.validate()?;
        let popularity =
            popularity.filter(|p| p.zipf().n() as u64 == u64::from(config.keys) && p.zipf().alpha() == config.alpha);
        let regions = config.region_list();
        let shares: Vec<f64> = regions.iter().map(|r| r.share).collect();
        let keyspace = Keyspace::new(u64::from(config.keys), &shares, config.seed);
        let mut root = SimRng::new(config.seed);
        let workload = Workload::new(root.fork(STREAM_WORKLOAD), config.rate)?;
        let service_rng = root.fork(STREAM_SERVICE);
        let latency = shard_latency(config.shard_latency_ms)?;
        let n = config.shards.max(1) as usize;
        let geo = config.strategy == Strategy::Geo;
        let shards = (0..n)
            .map(|i| {
                let region = if geo { (i % regions.len().max(1)) as u8 } else { 0 };
                Shard::new(i as u32, region, ShardStatus::Active)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let order: Vec<Slot> = (0..n).map(super::shard::slot).collect();
        let keys = u64::from(config.keys);
        let mut lab = Self {
            now: 0,
            keyspace,
            popularity,
            layout: None,
            job: None,
            pending: None,
            migration: None,
            migration_generation: 0,
            shards,
            order,
            next_id: n as u32,
            ids: keys,
            range_len: ((keys as f64 * RANGE_SCAN_SHARE).round() as u64).max(1),
            workload,
            service_rng,
            unit_exp: Exponential::new(1.0)?,
            latency,
            queue: EventQueue::new(),
            stats: Stats::new()?,
            loads: LoadMap::new(keys, 0),
            last_change: None,
            events: VecDeque::with_capacity(EVENTS_KEPT),
            work: 0,
            touched: Vec::new(),
            touched_old: Vec::new(),
            regions,
            config,
        };
        let first = lab.initial_layout();
        lab.start_job(
            first,
            None,
            Pending {
                text: String::new(),
                units_moved: 0,
                leaving: None,
                expected_share: None,
                change: false,
            },
        );
        lab.queue.push(SAMPLE_INTERVAL, Event::Sample);
        Ok(lab)
    }

    /// The layout the run starts with.
    fn initial_layout(&self) -> NewLayout<'static> {
        let c = &self.config;
        let units = c.units() as usize;
        let keys = u64::from(c.keys);
        match c.strategy {
            Strategy::Hash if units > 0 => NewLayout::Ready(Layout::table(units, &self.order)),
            Strategy::Hash => NewLayout::Ready(Layout::modulo(self.order.clone())),
            Strategy::Directory => NewLayout::Ready(Layout::table(units, &self.order)),
            Strategy::Range => NewLayout::Ready(Layout::ranges(units.max(self.order.len()), keys, &self.order)),
            Strategy::Geo => NewLayout::Ready(Layout::geo(&self.order, self.regions.len())),
            Strategy::Consistent => NewLayout::Ring {
                order: self.order.clone(),
                ids: &[],
                vnodes: c.vnodes,
            },
        }
    }

    /// Starts a placement job for `layout` (from `old` when resharding).
    pub(super) fn start_job(&mut self, layout: NewLayout, old: Option<Layout>, pending: Pending) {
        let ids: Vec<u32> = self.shards.iter().map(|s| s.id).collect();
        let layout = match layout {
            NewLayout::Ring { order, vnodes, .. } => NewLayout::Ring {
                order,
                ids: &ids,
                vnodes,
            },
            ready => ready,
        };
        let job = Job::new(
            self.keyspace.clone(),
            self.ids,
            self.shards.len(),
            layout,
            old,
            self.popularity.clone(),
            self.config.alpha,
        );
        self.job = Some(Box::new(job));
        self.pending = Some(pending);
    }

    /// The current configuration (`shards` follows adds and removes).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Simulated time now (µs).
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whether a placement job is pending (the clock waits for it).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The pending job's progress, 0..=1 (1 when none).
    pub fn job_progress(&self) -> f64 {
        self.job.as_ref().map_or(1.0, |j| j.progress().fraction())
    }

    /// Runs the pending job for up to `budget` work units; returns the units done (0 when none is
    /// pending). Once it ends the new layout is in force (and its migration starts).
    pub fn work(&mut self, budget: u64) -> u64 {
        let Some(job) = self.job.as_mut() else {
            return 0;
        };
        let used = job.advance(budget);
        self.work = self.work.saturating_add(used);
        if job.is_done() {
            if let Some(job) = self.job.take() {
                if let Some(done) = job.finish() {
                    self.apply_job(done);
                }
            }
        }
        used
    }

    /// Runs the pending job to its end (may take a while for ten million keys).
    pub fn finish_work(&mut self) {
        while self.busy() {
            self.work(u64::MAX);
        }
    }

    /// Finishes any pending job, then runs every operation and event up to and including `until`
    /// (µs) and sets the clock there (never backwards). Pages use [`ShardingLab::work_until`].
    pub fn step_until(&mut self, until: SimTime) {
        self.finish_work();
        self.work_until(until, u64::MAX);
    }

    /// The page's per-frame call: spends about `budget` work units ([`ShardingLab::WORK_PER_FRAME`]
    /// fits a frame), first on a pending job (the clock waits meanwhile), then on operations up
    /// to `until`; returns true once the clock has reached `until`. An operation is never split,
    /// so the result does not depend on the slices.
    pub fn work_until(&mut self, until: SimTime, budget: u64) -> bool {
        let mut left = budget.max(1);
        if self.busy() {
            left = left.saturating_sub(self.work(left));
            if self.busy() {
                return false;
            }
        }
        if self.layout.is_none() {
            return false;
        }
        loop {
            let arrival = self.workload.peek();
            let event_at = self.queue.peek_time().filter(|&t| t <= until);
            if let Some(at) = event_at.filter(|&t| t as f64 <= arrival) {
                if let Some((_, event)) = self.queue.pop() {
                    self.now = self.now.max(at);
                    self.handle(event);
                }
                continue;
            }
            if arrival > until as f64 {
                break;
            }
            if left == 0 {
                return false;
            }
            let Some(popularity) = self.popularity.clone() else {
                break;
            };
            let op = self
                .workload
                .take(&self.config, &popularity, &self.keyspace, self.ids, self.range_len);
            self.now = self.now.max(op.at as SimTime);
            let units = OP_UNITS.saturating_add(VISIT_UNITS.saturating_mul(self.serve(op)));
            self.work = self.work.saturating_add(units);
            left = left.saturating_sub(units);
        }
        self.now = self.now.max(until);
        true
    }

    /// Work units done since the start (keys placed by jobs, operations and their visits).
    pub fn work_done(&self) -> u64 {
        self.work
    }

    /// Work units to expect per simulated second from now: the rate times ([`OP_UNITS`] +
    /// [`VISIT_UNITS`] × the mean shards an operation touched so far, or an estimate). What a page
    /// multiplies by simulated seconds to size a frame's slice.
    pub fn work_per_sec(&self) -> f64 {
        let (ops, _, touched, _) = self.stats.totals();
        let fanout = if ops > 0 {
            touched as f64 / ops as f64
        } else {
            let n = self.order.len() as f64;
            let c = &self.config;
            c.single_share() + 2.0 * c.txn_share + n * (c.range_share + c.global_share)
        };
        self.config.rate * (OP_UNITS as f64 + VISIT_UNITS as f64 * fanout)
    }

    /// Operations issued since the start.
    pub fn operations(&self) -> u64 {
        self.workload.issued()
    }

    /// A digest of the operations so far (arrival times, kinds, keys): equal digests mean the same
    /// operations (runs on one seed that differ only in the strategy agree).
    pub fn workload_fingerprint(&self) -> u64 {
        self.workload.fingerprint()
    }

    /// Restarts the counters (operations, throttled, latencies, shares) from now. The charts, the
    /// event log and the load the splits read (counted since the layout last changed) carry on.
    pub fn reset_stats(&mut self) {
        self.stats.restart(self.now);
        for s in &mut self.shards {
            s.restart();
        }
    }

    /// Applies a new configuration, live where possible; `Ok(Some(message))` when the run
    /// restarted. On error nothing changes.
    ///
    /// - `strategy`, `shards`, `keys`, `alpha`, `regions`, `seed`, `logical_shards` (hash, range,
    ///   directory) or `vnodes` (consistent) changed: the run restarts from time 0 with a fresh
    ///   layout (the popularity table is kept when `keys` and `alpha` are).
    /// - `rate`: the next arrival is drawn afresh at the new rate.
    /// - `migration_mb_s`: a migration under way goes on at the new bandwidth.
    /// - the others (`monotonic`, `read_ratio`, the shares, `shard_capacity`, `shard_latency_ms`,
    ///   `salt`) apply from the next operation.
    pub fn set_config(&mut self, config: Config) -> Result<Option<String>, ConfigError> {
        config.validate()?;
        let old = &self.config;
        let s = config.strategy;
        let restart = config.strategy != old.strategy
            || config.shards != old.shards
            || config.keys != old.keys
            || config.alpha != old.alpha
            || config.regions != old.regions
            || config.seed != old.seed
            || (config.logical_shards != old.logical_shards && s.uses_logical())
            || (config.vnodes != old.vnodes && s.uses_vnodes());
        if restart {
            let popularity = self.popularity.clone();
            *self = Self::build(config, popularity)?;
            return Ok(Some("the run restarted with a fresh layout".into()));
        }
        let latency = shard_latency(config.shard_latency_ms)?;
        let now = self.now;
        if config.rate != old.rate {
            self.workload.set_rate(now as f64, config.rate);
        }
        if config.migration_mb_s != old.migration_mb_s {
            if let Some(m) = self.migration.as_mut() {
                m.rate_changed(now, old.migration_mb_s);
            }
        }
        self.latency = latency;
        let bandwidth_changed = config.migration_mb_s != self.config.migration_mb_s;
        self.config = config;
        if bandwidth_changed {
            self.schedule_migration_end();
        }
        Ok(None)
    }

    /// Sets one parameter from its raw text (URL or text field; `regions` included), validated;
    /// on error nothing changes. See [`ShardingLab::set_config`] for what each key does.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        let mut config = self.config.clone();
        config.set_field(key, raw)?;
        self.set_config(config)
    }

    /// Sets the salt of the hottest key (1..=64 sub-keys; 1 = off) at once: the same as
    /// `set_param("salt", ..)`, with a message for the page.
    pub fn set_salt(&mut self, salt: u32) -> Result<String, ConfigError> {
        self.set_param("salt", &salt.to_string())?;
        Ok(if salt <= 1 {
            "the hottest key is one key again".into()
        } else {
            format!("the hottest key is split into {salt} sub-keys: writes pick one, reads read all")
        })
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Sample => {
                let now = self.now;
                self.stats.sample(now);
                let t = to_secs(now);
                for &slot in self
                    .order
                    .iter()
                    .chain(self.migration.as_ref().and_then(|m| m.leaving.as_ref()))
                {
                    if let Some(s) = self.shards.get_mut(usize::from(slot)) {
                        let rate = s.per_sec(now);
                        s.series.push(t, rate);
                    }
                }
                self.queue.push(now.saturating_add(SAMPLE_INTERVAL), Event::Sample);
            }
            Event::MigrationEnd { generation } => {
                if generation == self.migration_generation {
                    self.end_migration();
                }
            }
        }
    }

    /// (Re)schedules the end of the migration under way at the current bandwidth.
    pub(super) fn schedule_migration_end(&mut self) {
        self.migration_generation = self.migration_generation.wrapping_add(1);
        if let Some(m) = &self.migration {
            let at = m.end(self.config.migration_mb_s).max(self.now);
            let generation = self.migration_generation;
            self.queue.push(at, Event::MigrationEnd { generation });
        }
    }

    /// The migration's copied share now (1 when none runs).
    pub(super) fn migration_progress(&self) -> f64 {
        self.migration
            .as_ref()
            .map_or(1.0, |m| m.progress(self.now, self.config.migration_mb_s))
    }

    /// Where `key` is served now: its shard under the layout, or its old shard while in flight.
    pub(super) fn locate(&self, key: &Key) -> Loc {
        let Some(layout) = &self.layout else {
            return Loc { slot: 0, unit: 0 };
        };
        let loc = layout.locate(key);
        if let Some(m) = &self.migration {
            let p = m.progress(self.now, self.config.migration_mb_s);
            if m.in_flight(key, p) {
                let old = m.old.locate(key);
                if old.slot != loc.slot {
                    return Loc {
                        slot: old.slot,
                        unit: loc.unit,
                    };
                }
            }
        }
        loc
    }

    /// Adds a line to the event log.
    pub(super) fn log(&mut self, text: String) {
        if self.events.len() >= EVENTS_KEPT {
            self.events.pop_front();
        }
        self.events.push_back(LabEvent {
            at_s: to_secs(self.now),
            text,
        });
    }
}

/// The shards' latency distribution for a mean of `ms`.
fn shard_latency(ms: f64) -> Result<LogNormal, ConfigError> {
    LogNormal::from_mean_sd(ms, ms * LATENCY_CV).map_err(|e| ConfigError::new("shard_latency_ms", e.message))
}
