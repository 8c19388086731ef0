//! The plain data the UI renders for the sharding lab. Everything is already computed; the UI only
//! draws and formats it. Times are simulated seconds, latencies milliseconds, rates per second,
//! sizes MB (1 MB = 1,000 keys). Counters (operations, throttled, latencies, shares, imbalance,
//! fan-out) count from the start or the last
//! [`ShardingLab::reset_stats`](super::ShardingLab::reset_stats); rates are over the last second;
//! the charts and the event log carry on.

use serde::Serialize;

use super::shard::ShardStatus;
use super::stats::OpType;
use super::strategy::Strategy;

/// Everything the sharding page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time now, s.
    pub now_s: f64,
    /// Simulated seconds the counters cover.
    pub measured_s: f64,
    /// The strategy in use.
    pub strategy: Strategy,
    /// A placement job is pending (the clock waits for it): see
    /// [`ShardingLab::work_until`](super::ShardingLab::work_until).
    pub busy: bool,
    /// How far it has got, 0..=1 (1 when not busy).
    pub job_progress: f64,
    /// What it is doing, e.g. "placing 10000000 keys" (empty when not busy).
    pub job: String,
    /// The shards, in join order (a leaving shard last).
    pub shards: Vec<ShardView>,
    /// The regional mix.
    pub regions: Vec<RegionView>,
    /// The keyspace as owner runs, in id order, for a strip: at most
    /// [`STRIP_SEGMENTS`](super::STRIP_SEGMENTS) runs covering ids `0..keyspace_ids`.
    pub keyspace: Vec<KeyRun>,
    /// Ids in use (the starting keys plus the inserted ones): the strip's extent.
    pub keyspace_ids: u64,
    /// Keys in the dataset now (inserted ones included).
    pub keys: u64,
    /// Their size, MB.
    pub data_mb: f64,
    /// Units of the layout: logical shards (`hash`, `range` with `logical_shards`), directory
    /// entries or key ranges (`range`); 0 for the others.
    pub units: u32,
    /// The migration under way, if any.
    pub migration: MigrationView,
    /// Per operation type, in [`OpType::ALL`] order.
    pub latency: Vec<OpLatency>,
    /// The chart series.
    pub charts: ChartsView,
    /// The most popular key.
    pub hot_key: HotKey,
    /// The last change (add, remove, split) and what it moved.
    pub last_change: Option<ChangeView>,
    /// The latest lab events, oldest first (at most [`EVENTS_KEPT`](super::EVENTS_KEPT)).
    pub events: Vec<LabEvent>,
    /// Operations per second over the last second.
    pub ops_per_s: f64,
    /// Throttled operations per second over the last second.
    pub throttled_per_s: f64,
    /// Operations counted (throttled included).
    pub ops: u64,

    /// `metric-imbalance`: the busiest shard's visits / the mean over the shards.
    pub imbalance: f64,
    /// `metric-hottest-share`: the busiest shard's share of all visits.
    pub hottest_share: f64,
    /// The busiest shard's id (none before any visit).
    pub hottest_shard: Option<u32>,
    /// Operations refused by a throttling shard.
    pub throttled: u64,
    /// `metric-throttled`: throttled operations / operations.
    pub throttled_share: f64,
    /// `metric-keys-moved`: share of the keys the last change moved (0 before any).
    pub keys_moved: f64,
    /// `metric-migration-progress`: 0..=1, 1 when no migration runs.
    pub migration_progress: f64,
    /// `metric-fanout`: mean shards touched per operation.
    pub fanout: f64,
    /// `metric-single-p99-ms`: single-key operations' p99 latency.
    pub single_p99_ms: Option<f64>,
    /// `metric-range-p99-ms`.
    pub range_p99_ms: Option<f64>,
    /// `metric-global-p99-ms`.
    pub global_p99_ms: Option<f64>,
    /// Transactions' p99 latency.
    pub txn_p99_ms: Option<f64>,
    /// `metric-cross-shard-share`: share of operations that touched more than one shard.
    pub cross_shard_share: f64,
    /// Share of transactions that needed a two-phase commit (two shards).
    pub txn_cross_share: f64,
    /// Share of shard visits served in the client's own region.
    pub local_share: f64,

    /// Theory: a global query's p99 from the shard latency alone, F⁻¹(0.99^(1/N)) (no queueing).
    pub predicted_global_p99_ms: f64,
    /// Theory: the shards one range scan touches: `range`: R/W + 1 with W = ids / shards (equal
    /// ranges, one per shard); the others: N.
    pub predicted_range_shards: f64,
    /// Ids one range scan covers.
    pub range_scan_ids: u64,
}

/// One shard's row (and bar).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ShardView {
    /// Its stable id.
    pub id: u32,
    /// Its region (index into [`Snapshot::regions`]).
    pub region: u32,
    /// Active, joining (keys being copied to it) or leaving.
    pub status: ShardStatus,
    /// Visits (sub-requests) per second over the last second, throttled ones included.
    pub ops_per_s: f64,
    /// What it can serve now, ops/s: the capacity less the copy work of a migration.
    pub capacity: f64,
    /// Copy operations per second a migration puts on it.
    pub copy_ops_per_s: f64,
    /// `ops_per_s / capacity`.
    pub utilization: f64,
    /// Visits waiting or in service now (estimated from the queued work).
    pub queue: f64,
    /// Throttled visits per second over the last second.
    pub throttled_per_s: f64,
    /// Visits since the counters restarted (throttled ones included).
    pub ops: u64,
    /// Throttled visits since the counters restarted.
    pub throttled: u64,
    /// Its share of all visits since the counters restarted.
    pub share: f64,
    /// Keys it holds now (during a migration: the copied share moved over).
    pub keys: u64,
    /// Their size, MB.
    pub data_mb: f64,
    /// Share of key-chosen operations its keys draw, from popularity (before salting).
    pub expected_share: f64,
    /// Units (logical shards, entries, ranges) it holds.
    pub units: u32,
    /// Lit: at or above 90% of its capacity, or throttling.
    pub hot: bool,
    /// The M/M/1 mean time in the queue and in service at its current load, ms (capacity
    /// module); `None` at or beyond capacity.
    pub mm1_response_ms: Option<f64>,
}

/// One region of the mix.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RegionView {
    /// Its name, e.g. `"eu"`.
    pub name: String,
    /// Its share of the keys.
    pub share: f64,
    /// The shards that serve it (`geo`), or all of them in the first region (the others).
    pub shards: Vec<u32>,
}

/// A run of consecutive ids on one shard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KeyRun {
    /// First id of the run.
    pub start: u64,
    /// One past its last id.
    pub end: u64,
    /// The shard that serves them now (a key in flight: its old shard).
    pub shard: u32,
    /// In flight: moving to another shard, not copied yet.
    pub moving: bool,
}

/// The migration under way.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MigrationView {
    /// Whether one runs.
    pub active: bool,
    /// Copied share, 0..=1 (1 when none runs).
    pub progress: f64,
    /// Keys that move.
    pub keys_moving: u64,
    /// Keys not copied yet (served by their old shard).
    pub keys_in_flight: u64,
    /// Data to copy, MB.
    pub mb_total: f64,
    /// Data copied so far, MB.
    pub mb_copied: f64,
    /// When it started, s.
    pub started_s: f64,
    /// When it ends at the current bandwidth, s.
    pub ends_s: f64,
    /// The shard that leaves when it ends.
    pub leaving: Option<u32>,
}

/// One operation type's numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OpLatency {
    /// The operation type.
    pub op: OpType,
    /// Operations (throttled included).
    pub ops: u64,
    /// Operations throttled.
    pub throttled: u64,
    /// Median latency of the completed ones, ms (`None` before the first).
    pub p50_ms: Option<f64>,
    /// 99th percentile latency, ms.
    pub p99_ms: Option<f64>,
    /// Mean latency, ms.
    pub mean_ms: Option<f64>,
    /// Mean shards touched.
    pub mean_shards: f64,
    /// Share that touched more than one shard.
    pub multi_share: f64,
}

/// A chart line: `(simulated s, value)` points.
pub type Series = Vec<(f64, f64)>;

/// The chart series (bounded: each at most 256 points).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChartsView {
    /// Operations per second (over the last second, every 500 ms).
    pub ops_per_s: Series,
    /// Throttled operations per second.
    pub throttled_per_s: Series,
    /// p99 latency per operation type ([`OpType::ALL`] order), per 500 ms.
    pub p99_ms: Vec<Series>,
    /// Visits per second of each shard, in [`Snapshot::shards`] order.
    pub shard_ops_per_s: Vec<ShardSeries>,
}

/// One shard's visits per second over time.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ShardSeries {
    /// The shard's id.
    pub id: u32,
    /// Its visits per second.
    pub points: Series,
}

/// The most popular key and where it lives.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HotKey {
    /// Its id.
    pub id: u64,
    /// Its share of key-chosen operations, from popularity (Zipf rank 0).
    pub share: f64,
    /// The share of key-chosen operations that chose it, measured.
    pub observed_share: f64,
    /// Its shard (the first sub-key's when salted).
    pub shard: u32,
    /// Sub-keys (1: not salted).
    pub salt: u32,
    /// The distinct shards its sub-keys live on.
    pub shards: Vec<u32>,
}

/// The last change.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChangeView {
    /// When, s.
    pub at_s: f64,
    /// What it did.
    pub text: String,
    /// Keys it moved.
    pub keys_moved: u64,
    /// Their share of the keys.
    pub share: f64,
    /// Units it moved whole (logical shards, entries, ranges; 0 for the other layouts).
    pub units_moved: u32,
    /// Units of the new layout.
    pub units: u32,
    /// Data it moved, MB.
    pub mb: f64,
    /// Theory for an added shard: N/(N+1) for `hash` % N, 1/(N+1) for the consistent placements.
    pub expected_share: Option<f64>,
    /// How long the copy took, s (once done).
    pub duration_s: Option<f64>,
}

/// A line of the event log.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LabEvent {
    /// When, s.
    pub at_s: f64,
    /// What happened.
    pub text: String,
}
