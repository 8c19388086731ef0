//! What the page shows: a plain-data [`Snapshot`] of the lab, built by
//! [`AutoscalingLab::snapshot`], with [`Snapshot::metric`] for the metric names.

use serde::Serialize;

use super::choices::{Autoscaler, ScaleMetric};
use super::decision::Decision;
use super::lab::AutoscalingLab;
use super::traffic::HandSpike;
use crate::engine::time::to_secs;

/// The metric names (`data-testid="metric-<name>"` with `-` for `_`), in panel order.
pub const METRICS: [&str; 10] = [
    "replicas",
    "ready_replicas",
    "desired_replicas",
    "utilization",
    "p99_ms",
    "error_rate",
    "cost",
    "slo_violation_s",
    "scale_events",
    "cold_starts",
];

/// Decisions a snapshot carries (the newest).
pub const DECISIONS_SHOWN: usize = 50;

/// A chart's line: `(simulated seconds, value)` points.
pub type Line = Vec<(f64, f64)>;

/// The charts' lines.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Lines {
    /// Arriving requests per second.
    pub demand_rps: Line,
    /// What the ready instances can serve, requests per second.
    pub capacity_rps: Line,
    /// Instances (ready and starting; serverless: warm).
    pub replicas: Line,
    /// Ready instances.
    pub ready: Line,
    /// The autoscaler's wish.
    pub desired: Line,
    /// CPU utilisation, percent.
    pub utilization: Line,
    /// p99, ms.
    pub p99_ms: Line,
    /// Error rate, 0..=1.
    pub error_rate: Line,
    /// Cost so far, dollars.
    pub cost: Line,
    /// The same minute yesterday, requests per second (empty on the first day).
    pub yesterday_rps: Line,
}

/// The lab at one moment. Values "now" are those of the last whole second simulated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// The clock, simulated seconds.
    pub now_s: f64,
    /// The autoscaler.
    pub autoscaler: Autoscaler,
    /// The metric it scales on.
    pub metric: ScaleMetric,
    /// Instances now, ready and starting (serverless: the pool, warm and starting).
    pub replicas: u32,
    /// Ready instances.
    pub ready_replicas: u32,
    /// Instances starting (boot plus warm-up).
    pub starting_replicas: u32,
    /// What the autoscaler last wished for, before stabilization and rate limits, within
    /// `[min, max]` (serverless: the concurrency needed).
    pub desired_replicas: u32,
    /// Requests per second arriving.
    pub demand_rps: f64,
    /// The shape's rate, before noise.
    pub expected_rps: f64,
    /// Requests per second the ready instances can serve.
    pub capacity_rps: f64,
    /// CPU utilisation of the ready instances, percent (0..=100).
    pub utilization: f64,
    /// Busy share of the ready instances' capacity, percent (0..=100): the CPU utilisation
    /// divided by the CPU share of a request.
    pub busy: f64,
    /// p99 response time, ms.
    pub p99_ms: f64,
    /// Failed share of the requests finished, 0..=1.
    pub error_rate: f64,
    /// Requests waiting.
    pub waiting: f64,
    /// The metric value the autoscaler saw at its last decision, in its unit.
    pub last_metric: Option<f64>,
    /// Dollars spent so far.
    pub cost: f64,
    /// Seconds that violated the SLO so far.
    pub slo_violation_s: u64,
    /// Changes of the instance count made by the autoscaler.
    pub scale_events: u64,
    /// Instances started since the start (each paid the startup delay).
    pub cold_starts: u64,
    /// Requests so far.
    pub requests: f64,
    /// Failed requests so far.
    pub errors: f64,
    /// Most instances at once.
    pub peak_replicas: u32,
    /// Highest p99 of a second, ms.
    pub worst_p99_ms: f64,
    /// The newest decisions, oldest first (at most [`DECISIONS_SHOWN`]).
    pub decisions: Vec<Decision>,
    /// Decisions made since the start.
    pub decisions_made: u64,
    /// Hand spikes pending or running.
    pub spikes: Vec<HandSpike>,
    /// The charts.
    pub lines: Lines,
}

impl Snapshot {
    /// The value of one of [`METRICS`] (the names; `-` works as well as `_`); `None` for
    /// an unknown name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        let key = name.replace('-', "_");
        Some(match key.as_str() {
            "replicas" => f64::from(self.replicas),
            "ready_replicas" => f64::from(self.ready_replicas),
            "desired_replicas" => f64::from(self.desired_replicas),
            "utilization" => self.utilization,
            "p99_ms" => self.p99_ms,
            "error_rate" => self.error_rate,
            "cost" => self.cost,
            "slo_violation_s" => self.slo_violation_s as f64,
            "scale_events" => self.scale_events as f64,
            "cold_starts" => self.cold_starts as f64,
            _ => return None,
        })
    }
}

impl AutoscalingLab {
    /// The snapshot the page renders.
    pub fn snapshot(&self) -> Snapshot {
        let stats = self.stats();
        let last = stats.last;
        let h = &stats.histories;
        let line = |s: &crate::engine::TimeSeries| s.points().to_vec();
        let skip = self.decisions().len().saturating_sub(DECISIONS_SHOWN);
        let (replicas, ready, starting) = if self.config().autoscaler == Autoscaler::Serverless {
            let (pool, starting) = self.serverless_pool();
            (pool, pool - starting, starting)
        } else {
            let f = self.fleet();
            (f.size(), f.ready(), f.starting())
        };
        Snapshot {
            now_s: to_secs(self.now()),
            autoscaler: self.config().autoscaler,
            metric: self.config().metric,
            replicas,
            ready_replicas: ready,
            starting_replicas: starting,
            desired_replicas: self.desired(),
            demand_rps: last.arrivals,
            expected_rps: last.expected_rps,
            capacity_rps: last.capacity_rps,
            utilization: last.utilization * 100.0,
            busy: last.busy * 100.0,
            p99_ms: last.p99_ms,
            error_rate: last.error_rate(),
            waiting: last.waiting,
            last_metric: self.last_metric(),
            cost: stats.cost,
            slo_violation_s: stats.slo_violation_s,
            scale_events: stats.scale_events,
            cold_starts: self.cold_starts(),
            requests: stats.requests,
            errors: stats.errors,
            peak_replicas: stats.peak_replicas,
            worst_p99_ms: stats.worst_p99_ms,
            decisions: self.decisions().skip(skip).copied().collect(),
            decisions_made: self.decisions_made(),
            spikes: self.spikes().copied().collect(),
            lines: Lines {
                demand_rps: line(&h.demand_rps),
                capacity_rps: line(&h.capacity_rps),
                replicas: line(&h.replicas),
                ready: line(&h.ready),
                desired: line(&h.desired),
                utilization: line(&h.utilization),
                p99_ms: line(&h.p99_ms),
                error_rate: line(&h.error_rate),
                cost: line(&h.cost),
                yesterday_rps: line(&h.yesterday_rps),
            },
        }
    }
}
