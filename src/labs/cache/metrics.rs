//! The numbers the cache page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::cache::Snapshot;

/// Shown for a figure that has no value yet (no reads, no finished request).
const NOTHING_YET: &str = "\u{2014}";

/// A fraction shown as a percentage, or `missing` (empty `data-value`) when undefined.
fn maybe_percent(
    name: &'static str,
    label: &'static str,
    value: Option<f64>,
    decimals: usize,
    missing: &str,
    hint: &'static str,
) -> Metric {
    match value.filter(|v| v.is_finite()) {
        Some(v) => Metric::percent(name, label, v, decimals, hint),
        None => Metric::maybe(name, label, None, decimals, missing, hint),
    }
}

/// The metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let has_reads = s.reads > 0;
    let has_latency = s.latency_histogram.iter().any(|b| b.count > 0);
    let latency = |v: f64| has_latency.then_some(v);
    vec![
        maybe_percent(
            "hit-ratio",
            "Hit ratio",
            has_reads.then_some(s.hit_ratio),
            1,
            NOTHING_YET,
            "Reads answered by the cache, since the last restart of the counters.",
        ),
        maybe_percent(
            "theory-hit-ratio",
            "Theory (Che / LFU)",
            s.theory_hit_ratio,
            1,
            "n/a",
            "The formula's hit ratio for this policy: needs reads only and no TTL, and LRU, LFU, FIFO or random.",
        ),
        Metric::number(
            "db-reads-per-s",
            "DB reads/s",
            s.db_reads_per_s,
            0,
            "Database queries for reads over the last second: the misses.",
        ),
        Metric::number(
            "db-writes-per-s",
            "DB writes/s",
            s.db_writes_per_s,
            0,
            "Database writes over the last second.",
        ),
        Metric::maybe(
            "latency-p50-ms",
            "Latency p50 (ms)",
            latency(s.latency_p50_ms),
            2,
            NOTHING_YET,
            "Half of all requests (reads and writes) finish faster than this.",
        ),
        Metric::maybe(
            "latency-p99-ms",
            "Latency p99 (ms)",
            latency(s.latency_p99_ms),
            2,
            NOTHING_YET,
            "One request in a hundred is slower than this.",
        ),
        Metric::number(
            "stale-reads",
            "Stale reads",
            s.stale_reads as f64,
            0,
            "Reads that returned an older value than the newest one written.",
        ),
        maybe_percent(
            "stale-read-ratio",
            "Stale share",
            has_reads.then_some(s.stale_read_ratio),
            2,
            NOTHING_YET,
            "Stale reads as a share of all reads.",
        ),
        Metric::number(
            "lost-writes",
            "Lost writes",
            s.lost_writes as f64,
            0,
            "Acknowledged writes that never reached the database (write-behind crash).",
        ),
        Metric::number(
            "db-peak-concurrency",
            "DB peak in flight",
            s.db_peak_concurrency as f64,
            0,
            "Most database queries outstanding at once: the height of a stampede.",
        ),
        Metric::number(
            "write-queue",
            "Write queue",
            s.write_queue as f64,
            0,
            "Keys with a write waiting for the database now (write-behind).",
        ),
        Metric::number(
            "hot-key-db-reads",
            "Hot key DB reads",
            s.hot_key_db_reads as f64,
            0,
            "Database reads of key 0 since it last expired by hand.",
        ),
        Metric::number(
            "lock-waits",
            "Lock waits",
            s.lock_waits as f64,
            0,
            "Misses that waited for another request's load instead of querying (lock).",
        ),
        Metric::number(
            "requests",
            "Requests measured",
            s.requests as f64,
            0,
            "Reads and writes counted since the last restart of the counters.",
        ),
    ]
}

/// Subject lookup for lesson goals: `metric:<name>` from [`metrics`].
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

    #[test]
    fn an_empty_snapshot_shows_no_nan() {
        let m = metrics(&Snapshot::default());
        assert!(m.iter().all(|m| !m.display.contains("NaN")));
        let hit = m.iter().find(|m| m.name == "hit-ratio").map(|m| m.display.clone());
        assert_eq!(hit.as_deref(), Some(NOTHING_YET));
        let theory = m
            .iter()
            .find(|m| m.name == "theory-hit-ratio")
            .map(|m| m.display.clone());
        assert_eq!(theory.as_deref(), Some("n/a"));
        assert_eq!(metric_value(&Snapshot::default(), "hit-ratio"), None);
    }
}
