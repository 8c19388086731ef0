//! The numbers the capacity page shows, from the core's plan and simulation snapshot.

use crate::components::Metric;
use scalelab_sim::capacity::{Plan, SimSnapshot};

/// The plan's key figures, then the simulation's p99.
pub fn metrics(p: &Plan, sim: Option<&SimSnapshot>) -> Vec<Metric> {
    let unstable = "unstable";
    let dollars = |name, label, value: f64, hint| {
        let mut m = Metric::number(name, label, value, 2, hint);
        m.display = format!("{}/h", scalelab_sim::capacity::format::dollars(value));
        m
    };
    let cost = dollars(
        "cost-per-hour",
        "Cost of the servers running",
        p.cost_per_hour,
        "The servers running, on 4-CPU servers, per hour.",
    );
    let cost_large = p.cost_options.iter().find(|o| o.size.key == "large").map(|o| {
        dollars(
            "cost-large-per-hour",
            "Plan on 48-CPU servers",
            o.cost_per_hour,
            "The same sizing rule on the big size, per hour.",
        )
    });
    let mut metrics = vec![
        Metric::number(
            "concurrency",
            "Requests in flight",
            p.concurrency,
            0,
            "Little's law: rate \u{00d7} latency.",
        ),
        Metric::number(
            "servers-base",
            "Servers (base)",
            p.servers_base as f64,
            0,
            "In-flight requests / per-server concurrency, rounded up.",
        ),
        Metric::number(
            "servers-with-headroom",
            "With headroom",
            p.servers_with_headroom as f64,
            0,
            "Spare capacity for spikes.",
        ),
        Metric::number(
            "servers",
            "Servers (plan)",
            p.servers as f64,
            0,
            "After headroom and redundancy: what the plan buys.",
        ),
        Metric::number(
            "fleet",
            "Servers running",
            p.fleet as f64,
            0,
            "What the queueing figures, the simulation and the cost use.",
        ),
        Metric::percent(
            "utilization",
            "Utilisation",
            p.utilization,
            1,
            "Busy request slots / slots of the servers running.",
        ),
        Metric::maybe(
            "wait-probability",
            "Chance to wait",
            p.wait_probability,
            4,
            unstable,
            "Erlang C: all servers busy on arrival.",
        ),
        Metric::maybe(
            "mean-wait-ms",
            "Mean wait (ms)",
            p.mean_wait_ms,
            4,
            unstable,
            "Time in queue before service.",
        ),
        Metric::maybe(
            "p99-ms",
            "p99 response (ms)",
            p.p99_ms,
            4,
            unstable,
            "99th percentile of wait plus service: 4.6\u{00d7} the service time even with no queue.",
        ),
        Metric::number(
            "db-reads-per-s",
            "DB reads/s",
            p.db_reads_per_s,
            1,
            "Reads that miss the cache.",
        ),
        Metric::number(
            "read-replicas",
            "Read replicas",
            p.read_replicas as f64,
            0,
            "Database reads / reads one replica serves, rounded up.",
        ),
        cost,
        Metric::maybe(
            "usl-peak-n",
            "USL peak (servers)",
            p.usl_peak_n,
            1,
            "none",
            "Where adding servers stops adding throughput.",
        ),
        Metric::maybe(
            "sim-p99-ms",
            "Simulated p99 (ms)",
            sim.and_then(|s| s.p99_ms),
            4,
            "not yet",
            "Measured by the M/M/c simulation.",
        ),
    ];
    if let Some(m) = cost_large {
        let at = metrics
            .iter()
            .position(|m| m.name == "cost-per-hour")
            .map_or(metrics.len(), |i| i + 1);
        metrics.insert(at, m);
    }
    metrics
}
