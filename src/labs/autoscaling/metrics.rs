//! The numbers the autoscaling page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::autoscaling::Snapshot;

/// The metrics panel for a snapshot: the ten, then a few totals.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    vec![
        Metric::number(
            "replicas",
            "Replicas",
            f64::from(s.replicas),
            0,
            "Instances running or starting now (serverless: warm instances). Each one is billed.",
        ),
        Metric::number(
            "ready-replicas",
            "Ready",
            f64::from(s.ready_replicas),
            0,
            "Instances serving now: the others are still booting and warming up.",
        ),
        Metric::number(
            "desired-replicas",
            "Desired",
            f64::from(s.desired_replicas),
            0,
            "What the autoscaler's rule asked for at its last decision, before windows and rate limits.",
        ),
        Metric::number(
            "utilization",
            "CPU utilisation (%)",
            s.utilization,
            0,
            "How busy the ready instances' CPUs were in the last second: what the cpu metric reads.",
        ),
        Metric::number(
            "busy",
            "Busy (%)",
            s.busy,
            0,
            "Share of the ready instances' capacity in use in the last second (100% = full). Equal to the CPU unless requests wait on I/O.",
        ),
        Metric::number(
            "p99-ms",
            "p99 (ms)",
            s.p99_ms,
            0,
            "One request in a hundred took longer than this in the last second, queueing included.",
        ),
        Metric::percent(
            "error-rate",
            "Errors",
            s.error_rate,
            2,
            "Share of the last second's requests that timed out (waited more than 10 s) or were refused.",
        ),
        Metric::number(
            "cost",
            "Cost so far ($)",
            s.cost,
            2,
            "Instance-hours billed since midnight of day 1 (serverless: busy request-seconds).",
        ),
        Metric::number(
            "slo-violation-s",
            "SLO missed (s)",
            s.slo_violation_s as f64,
            0,
            "Seconds whose p99 was over the SLO or with 1% or more errors, since the start.",
        ),
        Metric::number(
            "scale-events",
            "Scale events",
            s.scale_events as f64,
            0,
            "Times the autoscaler changed the number of instances.",
        ),
        Metric::number(
            "cold-starts",
            "Cold starts",
            s.cold_starts as f64,
            0,
            "Instances started after the first moment, each serving nothing until its startup delay passed.",
        ),
        Metric::number(
            "demand-rps",
            "Traffic (req/s)",
            s.demand_rps,
            0,
            "Requests arriving in the last second.",
        ),
        Metric::number(
            "requests",
            "Requests so far",
            s.requests,
            0,
            "Requests that arrived since the start of the run.",
        ),
        Metric::number(
            "worst-p99-ms",
            "Worst p99 (ms)",
            s.worst_p99_ms,
            0,
            "The highest p99 of any second so far.",
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
    use scalelab_sim::autoscaling::{AutoscalingLab, METRICS};

    #[test]
    fn the_cards_are_the_cores_metrics_and_show_no_nan() {
        let mut lab = AutoscalingLab::new(Default::default()).expect("defaults");
        lab.step_until(scalelab_sim::engine::time::from_secs(120.0));
        let s = lab.snapshot();
        for m in metrics(&s) {
            assert!(!m.display.contains("NaN"), "{}: {}", m.name, m.display);
        }
        for name in METRICS {
            let card = name.replace('_', "-");
            assert_eq!(metric_value(&s, &card), s.metric(name), "{name}");
        }
    }
}
