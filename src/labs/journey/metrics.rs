//! The numbers the journey page shows, taken from the core's snapshot (formatting only).

use crate::components::Metric;
use scalelab_sim::journey::Snapshot;

/// A region's p99 card: "no users" (and an empty `data-value`) where nobody lives.
fn region_p99(s: &Snapshot, i: usize, name: &'static str, label: &'static str, hint: &'static str) -> Metric {
    let value = s.regions.get(i).filter(|r| r.share > 0.0).map(|r| r.p99_ms);
    Metric::maybe(name, label, value, 0, "no users", hint)
}

/// The verdict's text.
fn verdict(s: &Snapshot) -> String {
    match &s.level {
        None => "sandbox".into(),
        Some(l) => match l.passed {
            None => "playing".into(),
            Some(true) => "won".into(),
            Some(false) => "lost".into(),
        },
    }
}

/// The metrics panel for a snapshot: the eleven, then a few more.
pub fn metrics(s: &Snapshot) -> Vec<Metric> {
    let bottleneck = s.bottleneck.as_ref();
    vec![
        Metric::number(
            "users",
            "Users online",
            s.users,
            0,
            "Users online now, every region (a spike multiplies them). Each sends a request every 10 s.",
        ),
        Metric::number(
            "p99-ms",
            "p99, worst region (ms)",
            s.p99_ms,
            0,
            "One successful request in a hundred took longer than this in the last second, in the slowest region with users: network round trip included.",
        ),
        region_p99(s, 0, "p99-us-ms", "p99 US (ms)", "p99 of the US users' requests in the last second."),
        region_p99(s, 1, "p99-eu-ms", "p99 EU (ms)", "p99 of the European users' requests in the last second."),
        region_p99(s, 2, "p99-asia-ms", "p99 Asia (ms)", "p99 of the Asian users' requests in the last second."),
        Metric::percent(
            "error-rate",
            "Errors",
            s.error_rate,
            2,
            "Share of the last second's requests that failed: timed out, refused for a connection or a thread, or sent to a region that is down.",
        ),
        Metric::number(
            "cost-per-month",
            "Cost per month ($)",
            s.cost_per_month,
            0,
            "What the architecture as it runs now would cost for a month: servers, cache, databases, CDN, queue.",
        ),
        Metric::text(
            "bottleneck",
            "Bottleneck",
            bottleneck.map_or(-1.0, |b| b.component.index() as f64),
            bottleneck.map_or("none", |b| b.name),
            bottleneck.map_or_else(|| "none".to_string(), |b| b.label.to_string()),
            "The component with the highest utilisation: the first to saturate, and what limits the whole system.",
        ),
        Metric::percent(
            "bottleneck-utilization",
            "Bottleneck utilisation",
            bottleneck.map_or(0.0, |b| b.utilization),
            0,
            "U = X \u{00d7} D of the bottleneck: throughput times its service demand per request. Over 100% it is offered more than it can do.",
        ),
        Metric::number(
            "max-throughput",
            "Max throughput (req/s)",
            s.max_throughput,
            0,
            "1 / D_max: the most requests a second this architecture can ever serve, set by the bottleneck's demand, whatever is added elsewhere.",
        ),
        Metric {
            display: verdict(s),
            ..Metric::number(
                "stage-passed",
                "Level",
                f64::from(u8::from(s.stage_passed())),
                0,
                "1 once the level's hour ended with p99 under 200 ms in every region, under 1% errors and within the budget; 0 until then or when lost.",
            )
        },
        Metric::number(
            "throughput",
            "Traffic (req/s)",
            s.throughput,
            0,
            "Requests arriving in the last second, every region.",
        ),
        Metric::percent(
            "hit-ratio",
            "Cache hit ratio",
            s.hit_ratio,
            1,
            "Share of the reads the cache answers (0 without a cache).",
        ),
        Metric::number(
            "db-reads-per-s",
            "DB reads (/s)",
            s.db_reads_per_s,
            0,
            "Database reads a second: cache misses and, without a cache, session lookups.",
        ),
        Metric::number(
            "db-writes-per-s",
            "DB writes (/s)",
            s.db_writes_per_s,
            0,
            "Database writes a second, every shard and region.",
        ),
        Metric::number(
            "connections",
            "DB connections asked",
            s.connections,
            0,
            "App servers \u{00d7} pool: the connections they ask of each database node. Past the limit, queries are refused.",
        ),
        Metric::number(
            "app-servers",
            "App servers",
            f64::from(s.app_servers),
            0,
            "App servers running or starting, every region.",
        ),
        Metric::percent(
            "error-rate-total",
            "Errors so far",
            s.error_rate_total,
            2,
            "Share of every request since the start that failed (a level allows under 1%).",
        ),
        Metric::number(
            "replication-lag-ms",
            "Cross-region lag (ms)",
            s.replication_lag_ms,
            0,
            "How far another region's copy of the data is behind (0 in a single region).",
        ),
        Metric::number(
            "queue-backlog",
            "Queue backlog",
            s.queue_backlog,
            0,
            "Slow tasks (emails) waiting for a worker.",
        ),
        Metric::number(
            "sessions-lost",
            "Users logged out",
            s.sessions_lost,
            0,
            "Users whose session was on a server that went away (local sessions only).",
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
    use scalelab_sim::journey::{Component, Config, JourneyLab};

    #[test]
    fn the_cards_are_the_cores_metrics_and_show_no_nan() {
        let config = Config {
            stage: 0,
            region_mix: "us:60,eu:25,asia:15".into(),
            ..Config::default()
        };
        let mut lab = JourneyLab::new(config).expect("valid");
        lab.step_until(scalelab_sim::engine::time::from_secs(60.0));
        let s = lab.snapshot();
        for m in metrics(&s) {
            assert!(
                !m.display.contains("NaN") && !m.display.contains("inf"),
                "{}: {}",
                m.name,
                m.display
            );
            if let Some(core) = s.metric(m.name) {
                assert_eq!(metric_value(&s, m.name), Some(core), "{}", m.name);
            }
        }
        let card = metrics(&s)
            .into_iter()
            .find(|m| m.name == "bottleneck")
            .expect("a card");
        assert_eq!(card.text, s.metric_text("bottleneck"));
        assert_eq!(
            Component::AppServers.index(),
            2,
            "goals read metric:bottleneck as this index"
        );
    }
}
