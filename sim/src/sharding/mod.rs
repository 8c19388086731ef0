//! Sharding: a dataset partitioned over shards, a workload on it, and resharding while it serves.
//!
//! Keys (users, 1 KB each) have a Zipf popularity and a region; writes update them or insert new
//! monotonic ids. Five strategies place them ([`Strategy`]): `hash` (`hash % N`), `range` (equal
//! ranges, the hottest split on demand), `geo` (shards per region), `directory` (a lookup table
//! with a latency of its own) and `consistent` (the hash ring with virtual nodes); `hash` and
//! `range` can add a layer of logical shards moved whole. Each shard is a queue with a capacity:
//! beyond it requests wait, then are throttled. Operations are single-key reads and writes, range
//! scans, global scatter-gather queries and two-key transactions (two-phase commit across
//! shards). Adding or removing a shard, or splitting the hottest range, copies the keys that move
//! at a migration bandwidth over simulated time, loading the shards involved; keys in flight are
//! served by their old shard. Salting splits the hottest key into sub-keys.
//!
//! **How a page drives it.** Once per animation frame:
//! `lab.work_until(target, ShardingLab::WORK_PER_FRAME)` (size `target` with
//! [`ShardingLab::work_per_sec`]). After a change ([`ShardingLab::new`], `add_shard`,
//! `remove_shard`, `split_hot_range`, a restarting `set_param`) the lab is [`ShardingLab::busy`]
//! with a placement job: `work_until` spends the frame on it and the clock waits, the snapshot
//! saying `busy` and `job_progress` (10,000,000 keys take about 250 frames). Then the clock runs
//! and the migration, if any, copies over simulated time (`migration_progress`). The actions
//! return what they did in words, or refuse (with a message) while a job or a migration runs.
//! [`Comparison::work`] slices a comparison the same way.
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys, validation), `specs.rs` (the control table),
//!   [`regions`] (the `regions` text), [`strategy`].
//! - `keyspace.rs` (ids, the popularity bijection, hashes via the hash ring's [`key_hash`](crate::hashring::hash::key_hash),
//!   regions per key), `layout.rs` (each strategy's lookup: the hash ring's `modulo_bucket`,
//!   [`jump_bucket`](crate::hashring::jump::jump_bucket) and [`Ring`](crate::hashring::Ring)),
//!   `reshard.rs` (add, remove, split plans), `job.rs` (the sliced placement job: the engine's
//!   [`ZipfBuilder`](crate::engine::ZipfBuilder), the hash ring's `RingBuilder`, the key scan),
//!   `migration.rs` (the copy over time, keys in flight).
//! - `workload.rs` (the operation stream), `shard.rs` (a shard's queue and counters), `ops.rs`
//!   (serving an operation), `load_map.rs` (load per unit and keyspace slice), `stats.rs`.
//! - [`lab`] ([`ShardingLab`]: clock, stepping, settings), `changes.rs` (the actions, applying a
//!   job, ending a migration), `strip.rs` (the keyspace strip), `view.rs` → [`snapshot`]
//!   ([`Snapshot`]).
//! - [`theory`] (N/(N+1), 1/(N+1), R/W + 1, F⁻¹(0.99^(1/N))), [`compare`] ([`Comparison`]).
//!
//! Invariants: deterministic (one seed, forked into the workload and the service draws; integer
//! µs clock; equal times in insertion order; no hash-map iteration), no panics on any input,
//! memory bounded whatever the run length: nothing per key but the Zipf table (8 bytes a key,
//! shared by a comparison's runs), inserted keys only counted, fixed-size load map, histograms,
//! charts (256 points each) and event log.

pub mod compare;
pub mod config;
pub mod lab;
pub mod regions;
pub mod snapshot;
pub mod strategy;
pub mod theory;

mod changes;
mod job;
mod keyspace;
mod layout;
mod load_map;
mod migration;
mod ops;
mod popularity;
mod reshard;
mod shard;
mod specs;
mod stats;
mod strip;
mod view;
mod workload;

pub use compare::{CompareRow, Comparison, MAX_COMPARE_SECS};
pub use config::{Config, DEFAULT_DIRECTORY_ENTRIES};
pub use lab::{
    ShardingLab, CROSS_REGION_MS, DIRECTORY_MS, EVENTS_KEPT, LATENCY_CV, MAX_INSERTED, OP_UNITS, VISIT_UNITS,
};
pub use load_map::ACCESS_BINS;
pub use migration::{COPY_OP_BYTES, KEY_BYTES};
pub use popularity::Popularity;
pub use regions::{format_regions, parse_regions, Region, MAX_REGIONS};
pub use reshard::MAX_RANGES;
pub use shard::{ShardStatus, MAX_WAIT_MS, SERIES_POINTS};
pub use snapshot::{
    ChangeView, ChartsView, HotKey, KeyRun, LabEvent, MigrationView, OpLatency, RegionView, Series, ShardSeries,
    ShardView, Snapshot,
};
pub use specs::{MAX_KEYS, MAX_LOGICAL, MAX_RATE, MAX_SALT, MAX_SHARDS, MAX_VNODES};
pub use stats::{OpType, SAMPLE_INTERVAL};
pub use strategy::Strategy;
pub use strip::STRIP_SEGMENTS;
pub use view::HOT_UTILIZATION;
pub use workload::RANGE_SCAN_SHARE;
