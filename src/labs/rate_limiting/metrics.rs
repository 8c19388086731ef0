//! The numbers the rate limiting page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::ratelimit::Snapshot;

/// Shown for a figure that has no value yet (nothing admitted).
const NOTHING_YET: &str = "\u{2014}";

/// The most admitted in one window: exact, or a lower bound past the core's ring (shown "≥").
fn worst_window(s: &Snapshot) -> Metric {
    let mut m = Metric::number(
        "worst-window",
        "Worst window",
        s.worst_window as f64,
        0,
        "The most requests one limit key (a client, or everyone in global scope) got through in any span of one window, since the counters or the limiter restarted.",
    );
    if !s.worst_window_exact {
        m.display = format!("\u{2265} {}", m.display);
    }
    m
}

/// The abuser's share of the admitted requests, as a percentage ("—" before any).
fn abuser_share(s: &Snapshot) -> Metric {
    const HINT: &str = "Per cent of the admitted requests that were the abusive client's.";
    if s.totals.admitted > 0 {
        Metric::percent("abuser-share", "Abuser's share", s.abuser_share, 1, HINT)
    } else {
        Metric::maybe("abuser-share", "Abuser's share", None, 1, NOTHING_YET, HINT)
    }
}

/// The metrics panel for a snapshot.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let t = &s.totals;
    let admitted = t.admitted > 0;
    vec![
        Metric::number(
            "admitted-per-s",
            "Admitted (req/s)",
            s.admitted_per_s,
            1,
            "Requests the limiter let through in the last simulated second (the leaky bucket: as they leave its queue).",
        ),
        Metric::number(
            "refused-per-s",
            "Refused (req/s)",
            s.refused_per_s,
            1,
            "429 answers in the last simulated second.",
        ),
        Metric::number(
            "offered-per-s",
            "Sent (req/s)",
            s.offered_per_s,
            1,
            "Requests that reached the limiter in the last simulated second, retries included.",
        ),
        worst_window(s),
        Metric::number(
            "over-limit",
            "Worst window \u{00f7} limit",
            s.over_limit,
            2,
            "How many times the limit got through in that worst window: 1.00 is the limit held exactly.",
        ),
        Metric::maybe(
            "fairness",
            "Fairness (Jain)",
            admitted.then_some(s.fairness),
            3,
            NOTHING_YET,
            "Jain's index over the well-behaved clients' admitted requests: 1 when they all got the same, down to 1 / n when one got everything.",
        ),
        abuser_share(s),
        Metric::maybe(
            "delay-p99-ms",
            "Delay p99 (ms)",
            s.delay_p99_ms,
            1,
            NOTHING_YET,
            "One admitted request in a hundred waited longer than this from its first attempt: leaky bucket queueing, store round trips, retries.",
        ),
        Metric::number(
            "retries",
            "Retries",
            s.retries as f64,
            0,
            "Refused requests sent again by their clients.",
        ),
        Metric::maybe(
            "amplification",
            "Attempts per request",
            (t.requests > 0).then_some(s.amplification),
            2,
            NOTHING_YET,
            "Requests sent, retries included, per request the clients wanted to make: above 1, retries multiply the load; below 1, clients held back.",
        ),
        Metric::number(
            "admitted",
            "Admitted",
            t.admitted as f64,
            0,
            "Requests let through since the counters restarted.",
        ),
        Metric::number(
            "refused",
            "Refused",
            t.refused as f64,
            0,
            "429 answers since the counters restarted (a request refused three times counts three).",
        ),
        Metric::number(
            "others-refused",
            "Refused, well-behaved",
            t.others_refused as f64,
            0,
            "429 answers to the well-behaved clients (all but the abuser) since the counters restarted: the collateral damage.",
        ),
        Metric::number(
            "given-up",
            "Given up",
            t.given_up as f64,
            0,
            "Requests their clients abandoned: refused with no retry left, or waiting too long.",
        ),
        Metric::number(
            "queued",
            "Waiting in queues",
            t.queued_now as f64,
            0,
            "Leaky bucket: requests waiting in its queues now.",
        ),
        Metric::number(
            "log-entries",
            "Log entries stored",
            s.log_entries as f64,
            0,
            "Sliding log: timestamps kept now over every client and instance, 8 bytes each: the log's memory.",
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
    use scalelab_sim::ratelimit::RateLimitLab;

    #[test]
    fn an_empty_snapshot_shows_no_nan() {
        let fresh = RateLimitLab::new(Default::default()).expect("defaults").snapshot();
        for m in metrics(&fresh) {
            assert!(!m.display.contains("NaN"), "{}: {}", m.name, m.display);
        }
        assert_eq!(metric_value(&fresh, "delay-p99-ms"), None);
        assert_eq!(metric_value(&fresh, "abuser-share"), None);
        assert_eq!(metric_value(&fresh, "worst-window"), Some(0.0));
    }

    #[test]
    fn the_cards_carry_the_snapshots_numbers() {
        let mut lab = RateLimitLab::new(Default::default()).expect("defaults");
        lab.step_until(from_secs(20.0));
        let s = lab.snapshot();
        assert_eq!(metric_value(&s, "worst-window"), Some(s.worst_window as f64));
        assert_eq!(metric_value(&s, "abuser-share"), Some(s.abuser_share));
        let share = metrics(&s)
            .into_iter()
            .find(|m| m.name == "abuser-share")
            .expect("card");
        assert!(share.display.ends_with('%'), "{}", share.display);
        let names: Vec<&str> = metrics(&s).iter().map(|m| m.name).collect();
        for name in [
            "admitted-per-s",
            "refused-per-s",
            "worst-window",
            "over-limit",
            "fairness",
            "abuser-share",
            "delay-p99-ms",
            "retries",
        ] {
            assert!(names.contains(&name), "{name}");
        }
    }
}
