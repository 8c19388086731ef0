//! The sharding lab's parameter table: key, label, unit, hint and allowed range of every control.
//! `regions` (a text) and `seed` are not here: see [`Config`](super::Config).

use super::strategy::Strategy;
use crate::params::{number_spec as number, ParamKind, ParamSpec};

/// Most physical shards.
pub const MAX_SHARDS: u32 = 64;
/// Most logical shards (and directory entries).
pub const MAX_LOGICAL: u32 = 4_096;
/// Most keys in the dataset.
pub const MAX_KEYS: u32 = 10_000_000;
/// Most virtual nodes per shard on the consistent-hashing ring.
pub const MAX_VNODES: u32 = 1_000;
/// Most sub-keys the hottest key can be salted into.
pub const MAX_SALT: u32 = 64;
/// Most operations per second.
pub const MAX_RATE: f64 = 1_000_000.0;

/// Every parameter with a control, in the order the controls show them.
pub(super) const SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "strategy",
        label: "Sharding strategy",
        unit: "",
        hint: "How a key's shard is chosen (changing it restarts the run).",
        kind: ParamKind::Choice {
            options: Strategy::OPTIONS,
        },
    },
    number(
        "shards",
        "Shards",
        "shards",
        "Physical shards (databases) at the start (changing it restarts the run; use add and remove to reshard live).",
        1.0,
        MAX_SHARDS as f64,
        1.0,
        true,
        false,
    ),
    number(
        "logical_shards",
        "Logical shards",
        "logical shards",
        "Hash and range: this many logical shards spread over the physical ones and moved whole; directory: its number of entries (1,024 when 0). 0: none. At least the number of shards.",
        0.0,
        MAX_LOGICAL as f64,
        1.0,
        true,
        false,
    ),
    number(
        "vnodes",
        "Virtual nodes per shard",
        "vnodes",
        "Consistent hashing: points each shard puts on the ring; more points, a more even split.",
        1.0,
        MAX_VNODES as f64,
        1.0,
        true,
        true,
    ),
    number(
        "keys",
        "Keys",
        "keys",
        "Keys (users) in the dataset, 1 KB each (changing it restarts the run).",
        1.0,
        MAX_KEYS as f64,
        1.0,
        true,
        true,
    ),
    number(
        "alpha",
        "Popularity skew (Zipf exponent)",
        "",
        "How unevenly operations pick keys: 0 uniform, 1 a few celebrities take a large share (changing it restarts the run).",
        0.0,
        3.0,
        0.01,
        false,
        false,
    ),
    number(
        "monotonic",
        "Monotonic writes",
        "",
        "1: each write inserts a new key with the next id (auto-increment ids, timestamps); 0: writes update existing keys.",
        0.0,
        1.0,
        1.0,
        true,
        false,
    ),
    number(
        "read_ratio",
        "Reads",
        "of single-key ops",
        "Share of single-key operations that are reads; the rest are writes.",
        0.0,
        1.0,
        0.01,
        false,
        false,
    ),
    number(
        "range_share",
        "Range scans",
        "of operations",
        "Share of operations that scan a key range (2% of the keyspace).",
        0.0,
        1.0,
        0.001,
        false,
        false,
    ),
    number(
        "global_share",
        "Global queries",
        "of operations",
        "Share of operations that need every shard (scatter-gather): they wait for the slowest.",
        0.0,
        1.0,
        0.001,
        false,
        false,
    ),
    number(
        "txn_share",
        "Transactions",
        "of operations",
        "Share of operations that write two keys atomically; on two shards they need a two-phase commit.",
        0.0,
        1.0,
        0.001,
        false,
        false,
    ),
    number(
        "rate",
        "Operation rate",
        "ops/s",
        "Operations per second from all clients together (random, Poisson arrivals).",
        1.0,
        MAX_RATE,
        1.0,
        false,
        true,
    ),
    number(
        "shard_capacity",
        "Shard capacity",
        "ops/s",
        "Operations per second one shard serves; beyond it requests queue, then are throttled.",
        1.0,
        1_000_000.0,
        1.0,
        false,
        true,
    ),
    number(
        "shard_latency_ms",
        "Shard latency",
        "ms",
        "Mean time a shard takes to answer besides queueing (log-normal, standard deviation half the mean).",
        0.1,
        1_000.0,
        0.1,
        false,
        true,
    ),
    number(
        "migration_mb_s",
        "Migration bandwidth",
        "MB/s",
        "How fast resharding copies keys to their new shard; the copy loads both shards.",
        1.0,
        10_000.0,
        1.0,
        false,
        true,
    ),
    number(
        "salt",
        "Salt the hottest key",
        "sub-keys",
        "Split the most popular key into this many sub-keys: writes go to one at random, reads read them all. 1: off.",
        1.0,
        MAX_SALT as f64,
        1.0,
        true,
        false,
    ),
];
