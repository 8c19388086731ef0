//! The numbers the load balancing page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::loadbalancing::Snapshot;

/// Shown for a figure that has no value yet (nothing served).
const NOTHING_YET: &str = "\u{2014}";

/// The metrics panel for a snapshot. Static mode (balls into bins) has its own few numbers.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    if s.static_mode {
        return static_metrics(s);
    }
    let served = s.completed > 0;
    vec![
        Metric::maybe(
            "p50-ms",
            "Latency p50 (ms)",
            s.p50_ms,
            1,
            NOTHING_YET,
            "Half of the answered requests took less than this, waiting included, since the counters restarted.",
        ),
        Metric::maybe(
            "p99-ms",
            "Latency p99 (ms)",
            s.p99_ms,
            1,
            NOTHING_YET,
            "One answered request in a hundred took longer than this: the tail a busy or slow server makes.",
        ),
        Metric::number(
            "throughput",
            "Throughput (req/s)",
            s.throughput,
            0,
            "Requests answered in the last simulated second.",
        ),
        Metric::percent(
            "utilization",
            "Utilisation",
            s.utilization,
            1,
            "Share of the fleet's worker time spent serving, since the counters restarted.",
        ),
        Metric::maybe(
            "imbalance",
            "Imbalance",
            served.then_some(s.imbalance),
            2,
            NOTHING_YET,
            "The busiest server's answered requests over the mean per server: 1.00 is perfectly even.",
        ),
        Metric::number(
            "max-queue",
            "Longest queue",
            f64::from(s.max_queue),
            0,
            "Most requests waiting at one server at any moment since the counters restarted.",
        ),
        Metric::number(
            "dropped",
            "Dropped",
            s.dropped as f64,
            0,
            "Requests refused because the chosen server's queue was full.",
        ),
        Metric::number(
            "errors",
            "Errors",
            s.errors as f64,
            0,
            "Requests that failed: sent to a dead server before the health checks marked it down, lost when it died, or with no server up.",
        ),
        Metric::number(
            "sessions-lost",
            "Sessions lost",
            s.sessions_lost as f64,
            0,
            "Local sessions: logins lost because a client landed on another server or its server died.",
        ),
        Metric::number(
            "answered",
            "Answered",
            s.completed as f64,
            0,
            "Requests answered since the counters restarted.",
        ),
        Metric::maybe(
            "mean-ms",
            "Latency mean (ms)",
            s.mean_ms,
            1,
            NOTHING_YET,
            "The average answered request, waiting included.",
        ),
        Metric::maybe(
            "detection-s",
            "Dead server detected after (s)",
            s.last_detection_s,
            1,
            NOTHING_YET,
            "From the last server's death to the health checks marking it down: the window in which requests to it fail.",
        ),
    ]
}

/// Static mode: requests placed with no departures (balls into bins).
fn static_metrics(s: &Snapshot) -> Vec<Metric> {
    vec![
        Metric::number(
            "max-load",
            "Most loaded server",
            s.max_load as f64,
            0,
            "Requests placed on the busiest server.",
        ),
        Metric::number(
            "mean-load",
            "Mean per server",
            s.mean_load,
            1,
            "Requests placed so far over the number of servers.",
        ),
        Metric::number(
            "placed",
            "Requests placed",
            s.placed as f64,
            0,
            "Placed so far, none ever leaves.",
        ),
        Metric::maybe(
            "imbalance",
            "Imbalance",
            (s.placed > 0).then_some(s.imbalance),
            2,
            NOTHING_YET,
            "The most loaded server over the mean.",
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

    #[test]
    fn an_empty_snapshot_shows_no_nan() {
        let fresh = scalelab_sim::loadbalancing::LoadBalancingLab::new(Default::default())
            .expect("default config")
            .snapshot();
        for m in metrics(&fresh) {
            assert!(!m.display.contains("NaN"), "{}: {}", m.name, m.display);
        }
        assert_eq!(metric_value(&fresh, "p99-ms"), None);
    }
}
