//! The numbers the queues page shows, taken from the core's snapshot (formatting only): the
//! issue's twelve cards first (`metric-response-p99-ms` … `metric-refused`), then what the lesson
//! needs beside them (Little's law's two sides, absorbed duplicates, the stale-read window).

use crate::components::Metric;
use scalelab_sim::queues::Snapshot;

/// Shown for a figure that has no value yet (nothing answered or done).
const NOTHING_YET: &str = "\u{2014}";

/// The metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    vec![
        Metric::maybe(
            "response-p99-ms",
            "Response p99 (ms)",
            s.response_p99_ms,
            0,
            NOTHING_YET,
            "What the user waits: one request in a hundred took longer than this to get its answer.",
        ),
        Metric::maybe(
            "completion-p99-ms",
            "Completion p99 (ms)",
            s.completion_p99_ms,
            0,
            NOTHING_YET,
            "From the request to its slow work done (queued: waiting in the broker included).",
        ),
        Metric::number(
            "backlog",
            "Backlog",
            s.backlog as f64,
            0,
            "Messages waiting now over every group (those waiting out a retry backoff included, those being processed not).",
        ),
        Metric::number(
            "lag-s",
            "Lag (s)",
            s.lag_s,
            1,
            "Age of the oldest message still waiting: how far behind the consumers are.",
        ),
        Metric::number(
            "throughput",
            "Throughput (/s)",
            s.throughput,
            1,
            "Slow work done per second over the last simulated second.",
        ),
        Metric::number(
            "idle-consumers",
            "Idle consumers",
            f64::from(s.idle_consumers),
            0,
            "Consumers with no partition to read: a group never uses more consumers than partitions.",
        ),
        Metric::number(
            "duplicates",
            "Duplicates",
            s.duplicates as f64,
            0,
            "Work done again for a message already done: a repeated effect (an email sent twice).",
        ),
        Metric::number(
            "dlq",
            "Dead letters",
            s.dlq as f64,
            0,
            "Messages in the dead-letter queue now: they failed every one of their max receives.",
        ),
        Metric::number(
            "redeliveries",
            "Redeliveries",
            s.redeliveries as f64,
            0,
            "Deliveries after a message's first: retries of failures, visibility timeouts, crashes.",
        ),
        Metric::number(
            "out-of-order",
            "Out of order",
            s.out_of_order as f64,
            0,
            "Messages done after a later message of the same key.",
        ),
        Metric::number(
            "stale-reads",
            "Stale reads",
            s.stale_reads as f64,
            0,
            "Reads of the event-fed read model that missed a write it had not applied yet.",
        ),
        Metric::number(
            "refused",
            "Refused",
            s.refused as f64,
            0,
            "Publishes the broker refused because the backlog was full (or a producer blocked too long).",
        ),
        Metric::number(
            "arrival-per-s",
            "Arrivals (/s)",
            s.arrival_per_s,
            1,
            "Requests per second over the last simulated second.",
        ),
        Metric::number(
            "capacity-per-s",
            "Capacity (/s)",
            s.theory.capacity_per_s,
            1,
            "Messages per second the consumers with partitions can do at full concurrency: c \u{00d7} \u{03bc}.",
        ),
        Metric::number(
            "in-flight",
            "In progress",
            s.in_flight as f64,
            0,
            "Deliveries being processed now.",
        ),
        Metric::number(
            "mean-backlog",
            "Mean backlog",
            s.mean_backlog,
            2,
            "Messages waiting, averaged over time since the counters restarted.",
        ),
        Metric::maybe(
            "littles-law-backlog",
            "Rate \u{00d7} wait",
            s.littles_law_backlog,
            2,
            NOTHING_YET,
            "Little's law: messages published per second times their mean wait for a consumer. Equals the mean backlog in a steady state.",
        ),
        Metric::maybe(
            "wait-mean-ms",
            "Mean wait (ms)",
            s.wait_mean_ms,
            0,
            NOTHING_YET,
            "How long a message waited in the broker for its first delivery, on average.",
        ),
        Metric::number(
            "peak-backlog",
            "Peak backlog",
            s.peak_backlog as f64,
            0,
            "The most messages waiting at once since the counters restarted.",
        ),
        Metric::number(
            "published",
            "Published",
            s.published as f64,
            0,
            "Messages the producers published since the counters restarted (one per queued request).",
        ),
        Metric::number(
            "completed",
            "Done",
            s.completed as f64,
            0,
            "Messages whose work was done (once per group).",
        ),
        Metric::number(
            "duplicates-absorbed",
            "Duplicates skipped",
            s.duplicates_absorbed as f64,
            0,
            "Repeated messages idempotent consumers recognised and skipped: no repeated effect.",
        ),
        Metric::percent(
            "stale-read-ratio",
            "Stale reads (%)",
            s.stale_read_ratio,
            1,
            "Share of the read model's reads that missed a write it had not applied yet.",
        ),
        Metric::number(
            "stale-window-ms",
            "Stale window (ms)",
            s.stale_window_ms,
            0,
            "The oldest write a stale read missed: reads can be this far behind the writes.",
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
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::queues::{Config, QueuesLab, METRICS};

    #[test]
    fn an_empty_snapshot_shows_no_nan() {
        let fresh = QueuesLab::new(Config::default()).expect("defaults").snapshot();
        for m in metrics(&fresh) {
            assert!(!m.display.contains("NaN"), "{}: {}", m.name, m.display);
        }
        assert_eq!(metric_value(&fresh, "response-p99-ms"), None);
        assert_eq!(metric_value(&fresh, "backlog"), Some(0.0));
    }

    #[test]
    fn the_cards_carry_the_issues_names_and_the_cores_numbers() {
        let mut lab = QueuesLab::new(Config::default()).expect("defaults");
        lab.step_until(from_secs(20.0));
        let s = lab.snapshot();
        let names: Vec<&str> = metrics(&s).iter().map(|m| m.name).collect();
        assert_eq!(
            &names[..METRICS.len()],
            &METRICS[..],
            "the issue's cards first, in its order"
        );
        for name in METRICS {
            assert_eq!(metric_value(&s, name), s.metric(name), "{name}");
        }
    }
}
