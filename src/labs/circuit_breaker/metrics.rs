//! The numbers the circuit breaker page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use crate::format;
use scalelab_sim::breaker::{Policy, Snapshot, State};

/// Shown for a figure that has no value yet.
const NOTHING_YET: &str = "\u{2014}";

/// A snapshot ratio (-1 = no data yet) as a percentage card with an empty `data-value` when
/// there is no data.
fn ratio(name: &'static str, label: &'static str, value: f64, hint: &'static str) -> Metric {
    if value.is_finite() && value >= 0.0 {
        Metric::percent(name, label, value, 1, hint)
    } else {
        Metric::maybe(name, label, None, 0, NOTHING_YET, hint)
    }
}

/// A breaker rate in percent, -1 while undecided (kept as the raw value, as the issue asks), with
/// why it is undecided in words.
fn breaker_rate(name: &'static str, label: &'static str, percent: f64, s: &Snapshot, hint: &'static str) -> Metric {
    let display = if percent >= 0.0 {
        format!("{}%", format::number(percent, 1))
    } else if !s.policy.is_rate_based() {
        "n/a".to_string()
    } else if s.min_calls > 0 {
        format!("{NOTHING_YET} ({}/{})", s.window_calls, s.min_calls)
    } else {
        NOTHING_YET.to_string()
    };
    Metric {
        name,
        label,
        value: if percent >= 0.0 { percent } else { -1.0 },
        display,
        hint,
        text: None,
    }
}

/// The metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let has_answers = s.finished > 0;
    vec![
        breaker_rate(
            "failure-rate",
            "Failure rate",
            s.failure_rate,
            s,
            "Failed calls in the breaker's window (or trial calls), in percent. Until the window holds the minimum number of calls: \u{2014} (calls/minimum), -1 in the data.",
        ),
        breaker_rate(
            "slow-call-rate",
            "Slow-call rate",
            s.slow_rate,
            s,
            "Calls slower than the slow-call threshold in the window, in percent; -1 until the minimum number of calls.",
        ),
        Metric {
            name: "consecutive-failures",
            label: "Failures in a row",
            value: f64::from(s.consecutive_failures),
            display: if s.policy == Policy::Consecutive {
                format::number(f64::from(s.consecutive_failures), 0)
            } else {
                "n/a".to_string()
            },
            hint: "Consecutive policy: failures since the last success; the threshold opens the breaker.",
            text: None,
        },
        Metric::number(
            "window-calls",
            "Calls in the window",
            s.window_calls as f64,
            0,
            "Calls the breaker counts now: its window when closed, its trial calls when half-open.",
        ),
        Metric::number(
            "rejected",
            "Rejected by the breaker",
            s.rejected as f64,
            0,
            "Calls the breaker refused at once since the start (clients', scripted and yours).",
        ),
        Metric::number(
            "transitions",
            "State changes",
            s.transitions as f64,
            0,
            "Transitions since the start (the log lists the latest with their causes).",
        ),
        ratio(
            "caller-success-ratio",
            "Caller success",
            s.caller_success_ratio,
            "Share of the caller's client requests answered successfully (fallback answers count).",
        ),
        ratio(
            "outage-success-ratio",
            "Success in the outage",
            s.outage_success_ratio,
            "The same for the requests that arrived while the dependency was down.",
        ),
        ratio(
            "after-outage-success-ratio",
            "Real successes after",
            s.after_outage_success_ratio,
            "Requests arriving after the outage that the dependency itself answered (fallback answers do not count): did the caller really recover?",
        ),
        Metric {
            name: "pool-peak",
            label: "Pool peak",
            value: f64::from(s.pool_peak),
            display: format!("{} / {}", s.pool_peak, s.pool),
            hint: "Most of the caller's threads busy at once. At the pool size, new clients are turned away.",
            text: None,
        },
        ratio(
            "outage-pool-usage",
            "Pool busy in the outage",
            s.outage_pool_usage,
            "Mean share of the caller's threads busy while the dependency was down.",
        ),
        Metric::number(
            "pool-full",
            "Turned away",
            s.pool_full as f64,
            0,
            "Client requests refused because every thread was busy: the cascade.",
        ),
        Metric::maybe(
            "latency-p99-ms",
            "Caller p99 (ms)",
            has_answers.then_some(s.latency_p99_ms),
            0,
            NOTHING_YET,
            "One client request in a hundred waits longer than this.",
        ),
        Metric::number(
            "requests",
            "Client requests",
            s.requests as f64,
            0,
            "Requests that reached the caller since the counters last restarted.",
        ),
        Metric::number(
            "outage-requests",
            "Requests in the outage",
            s.outage_requests as f64,
            0,
            "Of those, how many arrived while the dependency was down.",
        ),
    ]
}

/// Subject lookup for lesson goals: `metric:<name>` from [`metrics`] (undecided rates and missing
/// ratios have no value), and `metric:state`, the state's index in [`State::ALL`].
pub fn metric_value(s: &Snapshot, name: &str) -> Option<f64> {
    if name == "state" {
        return State::ALL.iter().position(|st| *st == s.state).map(|i| i as f64);
    }
    metrics(s)
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
        .filter(|v| v.is_finite() && *v >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::breaker::{BreakerLab, Config, Outcome};

    fn card(s: &Snapshot, name: &str) -> Metric {
        metrics(s).into_iter().find(|m| m.name == name).expect("metric exists")
    }

    #[test]
    fn failure_rate_is_minus_one_below_the_minimum_and_a_percent_after() {
        let mut lab = BreakerLab::new(Config {
            policy: Policy::CountWindow,
            window: 4,
            min_calls: 4,
            rate: 0.0,
            ..Config::default()
        })
        .unwrap();
        lab.send(Outcome::Failure);
        let early = card(&lab.snapshot(), "failure-rate");
        assert_eq!(early.value, -1.0);
        assert_eq!(early.display, "\u{2014} (1/4)");
        for _ in 0..3 {
            lab.send(Outcome::Success);
        }
        let decided = card(&lab.snapshot(), "failure-rate");
        assert_eq!((decided.value, decided.display.as_str()), (25.0, "25%"));
        assert_eq!(metric_value(&lab.snapshot(), "failure-rate"), Some(25.0));
    }

    #[test]
    fn an_empty_run_shows_no_nan() {
        let s = BreakerLab::new(Config::default()).unwrap().snapshot();
        let m = metrics(&s);
        assert!(m.iter().all(|m| !m.display.contains("NaN")));
        assert_eq!(card(&s, "failure-rate").display, "n/a");
        assert_eq!(card(&s, "caller-success-ratio").display, NOTHING_YET);
        assert_eq!(metric_value(&s, "caller-success-ratio"), None);
        assert_eq!(card(&s, "pool-peak").display, "0 / 20");
    }
}
