//! The numbers the capacity page shows, from the core's plan and simulation snapshot.

use crate::components::Metric;
use crate::format;
use scalelab_sim::capacity::{Plan, SimSnapshot};

/// The plan's key figures, then the simulation's p99.
pub fn metrics(p: &Plan, sim: Option<&SimSnapshot>) -> Vec<Metric> {
    let unstable = "unstable";
    let mut cost = Metric::number(
        "cost-per-hour",
        "Cost",
        p.cost_per_hour,
        2,
        "The fleet on small servers, per hour.",
    );
    cost.display = format!("${}/h", format::number(p.cost_per_hour, 2));
    vec![
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
            "Servers",
            p.servers as f64,
            0,
            "After redundancy: the fleet to run.",
        ),
        Metric::percent(
            "utilization",
            "Utilisation",
            p.utilization,
            1,
            "Offered load / fleet capacity.",
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
            "99th percentile of wait plus service.",
        ),
        Metric::number(
            "db-reads-per-s",
            "DB reads/s",
            p.db_reads_per_s,
            1,
            "Reads that miss the cache.",
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
    ]
}
