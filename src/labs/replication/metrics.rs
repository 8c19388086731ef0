//! The numbers the replication page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::replication::Snapshot;

/// Shown for a figure that has no value yet.
const NOTHING_YET: &str = "\u{2014}";

/// Every metric name, in panel order (lesson goals may use any of them).
pub const NAMES: &[&str] = &[
    "stale-read-ratio",
    "ryw-violations",
    "monotonic-violations",
    "replication-lag-p99-ms",
    "write-latency-p50-ms",
    "write-latency-p99-ms",
    "primary-read-share",
    "lost-writes",
    "read-latency-p99-ms",
    "reads",
    "writes-acked",
];

/// The metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let reads = s.reads > 0;
    let writes = s.writes_acked > 0;
    let share = |name, label, v: f64, hint| {
        if reads {
            Metric::percent(name, label, v, 1, hint)
        } else {
            Metric::maybe(name, label, None, 1, NOTHING_YET, hint)
        }
    };
    let ms = |name, label, v: f64, has: bool, hint| Metric::maybe(name, label, has.then_some(v), 1, NOTHING_YET, hint);
    let count = |name, label, v: u64, hint| Metric::number(name, label, v as f64, 0, hint);
    vec![
        share(
            "stale-read-ratio",
            "Stale reads",
            s.stale_read_ratio,
            "Reads that returned something older than the newest acknowledged write.",
        ),
        count(
            "ryw-violations",
            "Read-your-writes violations",
            s.ryw_violations,
            "Reads that did not see the session's own acknowledged write.",
        ),
        count(
            "monotonic-violations",
            "Monotonic-read violations",
            s.monotonic_violations,
            "Reads older than something the same session had already read: time went backwards.",
        ),
        ms(
            "replication-lag-p99-ms",
            "Replication lag p99 (ms)",
            s.replication_lag_p99_ms,
            s.replication_lag_p99_ms > 0.0 || writes,
            "From a write on the primary to its apply on a replica; one in a hundred takes longer.",
        ),
        ms(
            "write-latency-p50-ms",
            "Write latency p50 (ms)",
            s.write_latency_p50_ms,
            writes,
            "Half of the writes are acknowledged faster than this.",
        ),
        ms(
            "write-latency-p99-ms",
            "Write latency p99 (ms)",
            s.write_latency_p99_ms,
            writes,
            "One write in a hundred waits longer than this for its acknowledgement.",
        ),
        share(
            "primary-read-share",
            "Reads on the primary",
            s.primary_read_share,
            "The primary's share of the reads: the load the read fixes put back on it.",
        ),
        count(
            "lost-writes",
            "Lost writes (last failover)",
            s.lost_writes,
            "Acknowledged writes the promoted replica never received, lost at the last failover.",
        ),
        ms(
            "read-latency-p99-ms",
            "Read latency p99 (ms)",
            s.read_latency_p99_ms,
            reads,
            "One read in a hundred takes longer, waits for a session token included.",
        ),
        count(
            "reads",
            "Reads measured",
            s.reads,
            "Reads counted since the counters last restarted.",
        ),
        count(
            "writes-acked",
            "Writes acknowledged",
            s.writes_acked,
            "Writes acknowledged since the counters last restarted.",
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
    fn every_name_is_shown_and_an_empty_run_shows_no_nan() {
        let m = metrics(&Snapshot::default());
        let names: Vec<&str> = m.iter().map(|m| m.name).collect();
        assert_eq!(names, NAMES);
        assert!(m.iter().all(|m| !m.display.contains("NaN")));
        assert_eq!(metric_value(&Snapshot::default(), "stale-read-ratio"), None);
        assert_eq!(metric_value(&Snapshot::default(), "lost-writes"), Some(0.0));
    }
}
