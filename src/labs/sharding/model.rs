//! The "Model and assumptions" panel of the sharding lab.

use leptos::prelude::*;

/// What the sharding model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/sharding.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "The dataset is a set of keys (users) of 1 KB each, ids 0 up to the number of keys. Their popularity "
                    "follows a Zipf law with the chosen exponent (0: all equal), the most popular ids spread over the "
                    "keyspace. With monotonic writes every write inserts a new key with the next id, as new user ids or "
                    "timestamps do; otherwise writes update existing keys chosen by popularity."
                </li>
                <li>
                    "Strategies: hash (the key's hash modulo the number of shards, or onto logical shards moved whole); "
                    "range (equal id ranges, the hottest one split on demand); geographic (each region's users on that "
                    "region's shards); directory (a lookup table consulted on every request, 1 ms); consistent hashing "
                    "(a ring with virtual nodes per shard). The hashes are the hash ring lab's."
                </li>
                <li>
                    "Each shard is one queue with a capacity in operations per second (exponential service), plus a "
                    "log-normal latency of the chosen mean (standard deviation half of it). A request that would wait "
                    "more than 100 ms is throttled, as a per-partition limit refuses it. Users outside the shards' region "
                    "pay a 75 ms round trip."
                </li>
                <li>
                    "Operations: a single-key read or write visits one shard; a range scan covers 2% of the ids from a "
                    "random key and visits every shard holding part of it; a global query visits every shard and waits "
                    "for the slowest (scatter-gather); a two-key transaction on two shards runs a two-phase commit: a "
                    "prepare on both, then a commit on both."
                </li>
                <li>
                    "Resharding copies the keys that move at the migration bandwidth (1 MB = 1,000 keys), as copy work on "
                    "the shards involved; until a key is copied its old shard serves it. Salting splits the hottest key "
                    "into sub-keys on different shards: a write goes to one, a read reads them all."
                </li>
                <li>
                    "Results the tests reproduce: adding a shard to N moves N/(N+1) of the keys under hash modulo N and "
                    "about 1/(N+1) with consistent hashing, exactly the reassigned logical shards with a logical layer; "
                    "the Zipf head's share (exponent 1, 1,000,000 keys: about 6.95%); monotonic writes all land on the last "
                    "range; a range scan touches about R/W + 1 range shards and all N hash shards; a global query's p99 "
                    "follows the per-shard quantile 0.99^(1/N); a migration lasts the data moved over the bandwidth."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine, and every strategy in "
                    "a comparison sees the very same operations."
                </li>
            </ul>
        </details>
    }
}
