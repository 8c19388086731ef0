//! One shard: a single-server queue in front of a database, with its counters.
//!
//! Requests reach a shard as sub-requests of operations ("visits"). The shard serves one at a
//! time, FIFO, each taking an exponential time of mean `1 / capacity` (an M/M/1 queue under
//! Poisson load, so the capacity module's [`mm1_mean_response`](crate::capacity::mm1::mm1_mean_response)
//! predicts it). It is simulated by Lindley's recursion (each visit starts when the previous one
//! ends), so no event per visit is queued. A visit that would wait more than [`MAX_WAIT_MS`] is
//! throttled at once instead, as a per-partition limit refuses requests beyond its rate; so
//! under overload the queue stays about 100 ms long and the excess is refused.

use serde::Serialize;

use super::layout::Slot;
use crate::engine::time::MICROS_PER_SEC;
use crate::engine::{SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// Longest a visit may wait in a shard's queue, ms; a visit that would wait longer is throttled.
pub const MAX_WAIT_MS: f64 = 100.0;
/// Points kept per chart series (each halves its resolution when full).
pub const SERIES_POINTS: usize = 256;
/// Buckets of the one-second windows behind the per-second rates.
const RATE_BUCKETS: usize = 10;

/// Where a shard is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShardStatus {
    /// Serving its keys.
    #[default]
    Active,
    /// Added; keys are being copied to it.
    Joining,
    /// Being removed; it serves its keys until they are copied away, then leaves.
    Leaving,
}

/// One shard. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Shard {
    /// Stable id, never reused (the page's `shard <id>`).
    pub(super) id: u32,
    /// The region it sits in.
    pub(super) region: u8,
    pub(super) status: ShardStatus,
    /// Whether the slot holds a shard (false once its shard has left: the slot is free).
    pub(super) in_use: bool,
    /// When the queue empties, µs (Lindley's recursion).
    free_at: f64,
    /// Visits and throttled visits since the counters restarted.
    pub(super) visits: u64,
    pub(super) throttled: u64,
    visit_rate: WindowedRate,
    throttle_rate: WindowedRate,
    /// Visits per second over time.
    pub(super) series: TimeSeries,
    /// Keys before the change under way (or now, when none) and after it.
    pub(super) keys_old: u64,
    pub(super) keys_new: u64,
    /// Keys inserted since the layout was counted.
    pub(super) inserted: u64,
    /// Share of key-chosen operations its keys draw (from popularity).
    pub(super) mass: f64,
}

impl Shard {
    /// A fresh, empty shard.
    pub(super) fn new(id: u32, region: u8, status: ShardStatus) -> Result<Self, ConfigError> {
        Ok(Self {
            id,
            region,
            status,
            in_use: true,
            free_at: 0.0,
            visits: 0,
            throttled: 0,
            visit_rate: WindowedRate::new(MICROS_PER_SEC, RATE_BUCKETS)?,
            throttle_rate: WindowedRate::new(MICROS_PER_SEC, RATE_BUCKETS)?,
            series: TimeSeries::new(SERIES_POINTS)?,
            keys_old: 0,
            keys_new: 0,
            inserted: 0,
            mass: 0.0,
        })
    }

    /// A visit arriving at `at` µs (`now` is its whole-µs time), served in `unit_exp` ×
    /// `service_us` µs (`unit_exp` a unit exponential draw): its time in the shard (wait plus
    /// service) in ms, or `None` when throttled.
    pub(super) fn visit(&mut self, at: f64, now: SimTime, service_us: f64, unit_exp: f64) -> Option<f64> {
        self.visits += 1;
        self.visit_rate.inc(now);
        let wait = (self.free_at - at).max(0.0);
        if wait > MAX_WAIT_MS * 1_000.0 {
            self.throttled += 1;
            self.throttle_rate.inc(now);
            return None;
        }
        let service = unit_exp * service_us;
        self.free_at = at + wait + service;
        Some((wait + service) / 1_000.0)
    }

    /// Visits per second over the last second.
    pub(super) fn per_sec(&self, now: SimTime) -> f64 {
        self.visit_rate.per_sec(now)
    }

    /// Throttled visits per second over the last second.
    pub(super) fn throttled_per_sec(&self, now: SimTime) -> f64 {
        self.throttle_rate.per_sec(now)
    }

    /// Visits waiting or in service at `now`, estimated from the work queued (`service_us` per
    /// visit on average).
    pub(super) fn backlog(&self, now: SimTime, service_us: f64) -> f64 {
        ((self.free_at - now as f64).max(0.0) / service_us.max(f64::MIN_POSITIVE)).max(0.0)
    }

    /// Restarts the counters.
    pub(super) fn restart(&mut self) {
        self.visits = 0;
        self.throttled = 0;
    }

    /// Keys held at migration progress `p` (0..=1), inserted ones included.
    pub(super) fn keys_at(&self, p: f64) -> u64 {
        let old = self.keys_old as f64;
        let new = self.keys_new as f64;
        (old + (new - old) * p).round().max(0.0) as u64 + self.inserted
    }
}

/// The slot of shard `index` in a table (shards never number more than `u16::MAX`).
pub(super) fn slot(index: usize) -> Slot {
    Slot::try_from(index).unwrap_or(Slot::MAX)
}
