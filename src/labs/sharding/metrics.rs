//! The numbers the sharding page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::sharding::Snapshot;

/// Shown for a figure that has no value yet (no operation of that kind completed).
const NOTHING_YET: &str = "\u{2014}";

/// The metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let served = s.ops > 0;
    vec![
        Metric::maybe(
            "imbalance",
            "Imbalance",
            served.then_some(s.imbalance),
            2,
            NOTHING_YET,
            "The busiest shard's requests over the mean per shard: 1.00 is perfectly even.",
        ),
        Metric::percent(
            "hottest-share",
            "Hottest shard's share",
            s.hottest_share,
            1,
            "Share of all shard requests that went to the busiest shard.",
        ),
        Metric::percent(
            "throttled",
            "Throttled",
            s.throttled_share,
            2,
            "Share of operations refused because a shard they needed was over its capacity.",
        ),
        Metric::number(
            "fanout",
            "Shards per operation",
            s.fanout,
            2,
            "Mean shards one operation touches: 1 for a single key, all of them for a global query.",
        ),
        Metric::maybe(
            "single-p99-ms",
            "Single-key p99 (ms)",
            s.single_p99_ms,
            1,
            NOTHING_YET,
            "One read or write of one key in a hundred took longer than this, queueing included.",
        ),
        Metric::maybe(
            "range-p99-ms",
            "Range scan p99 (ms)",
            s.range_p99_ms,
            1,
            NOTHING_YET,
            "Range scans wait for every shard their range touches.",
        ),
        Metric::maybe(
            "global-p99-ms",
            "Global query p99 (ms)",
            s.global_p99_ms,
            1,
            NOTHING_YET,
            "Scatter-gather: a global query waits for the slowest of all shards.",
        ),
        Metric::percent(
            "cross-shard-share",
            "Cross-shard operations",
            s.cross_shard_share,
            1,
            "Share of operations that touched more than one shard (range scans, global queries, two-shard transactions).",
        ),
        Metric::percent(
            "keys-moved",
            "Keys moved by the last change",
            s.keys_moved,
            1,
            "Share of all keys the last added or removed shard (or split range) moved to another shard.",
        ),
        Metric::percent(
            "migration-progress",
            "Migration copied",
            s.migration_progress,
            0,
            "How much of the data the last change moves has been copied (100% when none is moving).",
        ),
        Metric::number(
            "operations",
            "Operations",
            s.ops as f64,
            0,
            "Operations issued since the counters restarted, throttled ones included.",
        ),
        Metric::number(
            "ops-per-s",
            "Operations (per s)",
            s.ops_per_s,
            0,
            "Operations issued in the last simulated second.",
        ),
        Metric::percent(
            "hot-key-share",
            "Hottest key's share",
            s.hot_key.share,
            2,
            "Share of single-key operations that pick the most popular key (Zipf rank 1).",
        ),
        Metric::maybe(
            "txn-p99-ms",
            "Transaction p99 (ms)",
            s.txn_p99_ms,
            1,
            NOTHING_YET,
            "Two-key transactions: a two-phase commit when the keys sit on two shards.",
        ),
        Metric::percent(
            "local-share",
            "Served in region",
            s.local_share,
            1,
            "Share of shard requests served in the client's own region.",
        ),
    ]
}

/// A metric card's value by name, for goals and facts.
pub fn metric_value(s: &Snapshot, name: &str) -> Option<f64> {
    metrics(s)
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
        .filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::sharding::ShardingLab;

    #[test]
    fn a_fresh_lab_shows_no_nan() {
        let fresh = ShardingLab::new(Default::default()).expect("default config").snapshot();
        for m in metrics(&fresh) {
            assert!(!m.display.contains("NaN"), "{}: {}", m.name, m.display);
        }
        assert_eq!(metric_value(&fresh, "single-p99-ms"), None);
        assert_eq!(metric_value(&fresh, "migration-progress"), Some(1.0));
    }
}
