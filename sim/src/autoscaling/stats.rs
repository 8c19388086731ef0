//! Accounting: what each second did, the running totals (cost, SLO seconds violated, scale
//! events, cold starts) and the bounded histories the charts draw.

use serde::Serialize;

use crate::engine::TimeSeries;

/// Points kept per chart series (each halves itself when full, so a week fits).
pub const SERIES_POINTS: usize = 512;

/// One simulated second, as the accounting sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Second {
    /// The second (its start), simulated seconds.
    pub at_s: u64,
    /// The traffic shape's rate (plus hand spikes), before noise, requests per second.
    pub expected_rps: f64,
    /// Requests that arrived.
    pub arrivals: f64,
    /// Requests completed.
    pub served: f64,
    /// Requests that failed (timed out, throttled).
    pub errors: f64,
    /// Busy share of the ready capacity (request slots in use), 0..=1.
    pub busy: f64,
    /// CPU utilisation of the ready instances, 0..=1: `busy × cpu_share / 100` (what the `cpu`
    /// metric reads).
    pub utilization: f64,
    /// p99 response time, ms.
    pub p99_ms: f64,
    /// Requests waiting at the end of the second.
    pub waiting: f64,
    /// Instances (ready and starting; serverless: warm).
    pub replicas: u32,
    /// Ready instances.
    pub ready: u32,
    /// What the autoscaler last wished for (serverless: the concurrency).
    pub desired: u32,
    /// Requests per second the ready instances can serve.
    pub capacity_rps: f64,
    /// Cost of the second, dollars.
    pub cost: f64,
    /// Instances started cold in the second.
    pub cold_starts: u32,
}

impl Second {
    /// Errors over requests finished in the second (0 when none finished).
    pub fn error_rate(&self) -> f64 {
        let finished = self.served + self.errors;
        if finished > 0.0 {
            self.errors / finished
        } else {
            0.0
        }
    }

    /// Whether the second violates the SLO: p99 over `slo_ms`, or 1% or more errors.
    pub fn violates(&self, slo_ms: f64) -> bool {
        self.p99_ms > slo_ms || self.error_rate() >= 0.01
    }
}

/// The charts' histories, one [`TimeSeries`] each, x in simulated seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Histories {
    /// Arriving requests per second.
    pub demand_rps: TimeSeries,
    /// What the ready instances can serve, requests per second.
    pub capacity_rps: TimeSeries,
    /// Instances (ready and starting).
    pub replicas: TimeSeries,
    /// Ready instances.
    pub ready: TimeSeries,
    /// The autoscaler's wish.
    pub desired: TimeSeries,
    /// CPU utilisation, percent.
    pub utilization: TimeSeries,
    /// p99, ms.
    pub p99_ms: TimeSeries,
    /// Error rate, 0..=1.
    pub error_rate: TimeSeries,
    /// Cost so far, dollars.
    pub cost: TimeSeries,
    /// The same minute yesterday, requests per second (what the predictive scaler forecasts
    /// from; empty on the first day).
    pub yesterday_rps: TimeSeries,
}

impl Default for Histories {
    fn default() -> Self {
        let s = || TimeSeries::new(SERIES_POINTS).unwrap_or_default();
        Self {
            demand_rps: s(),
            capacity_rps: s(),
            replicas: s(),
            ready: s(),
            desired: s(),
            utilization: s(),
            p99_ms: s(),
            error_rate: s(),
            cost: s(),
            yesterday_rps: s(),
        }
    }
}

/// Running totals and histories.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// The last second simulated.
    pub last: Second,
    /// Requests that arrived.
    pub requests: f64,
    /// Requests that failed.
    pub errors: f64,
    /// Dollars spent.
    pub cost: f64,
    /// Seconds violating the SLO.
    pub slo_violation_s: u64,
    /// Changes of the instance count made by the autoscaler.
    pub scale_events: u64,
    /// Serverless cold starts (the servers' starts are counted by their fleet).
    pub cold_starts: u64,
    /// Most instances at once.
    pub peak_replicas: u32,
    /// Highest p99 of a second, ms.
    pub worst_p99_ms: f64,
    /// The histories.
    pub histories: Histories,
}

impl Stats {
    /// Adds one second (`yesterday_rps`: the rate of the same minute a day earlier, if seen).
    pub fn record(&mut self, s: Second, slo_ms: f64, yesterday_rps: Option<f64>) {
        self.requests += s.arrivals;
        self.errors += s.errors;
        self.cost += s.cost;
        if s.violates(slo_ms) {
            self.slo_violation_s += 1;
        }
        self.cold_starts += u64::from(s.cold_starts);
        self.peak_replicas = self.peak_replicas.max(s.replicas);
        self.worst_p99_ms = self.worst_p99_ms.max(s.p99_ms);
        let t = s.at_s as f64 + 1.0;
        let h = &mut self.histories;
        h.demand_rps.push(t, s.arrivals);
        h.capacity_rps.push(t, s.capacity_rps);
        h.replicas.push(t, f64::from(s.replicas));
        h.ready.push(t, f64::from(s.ready));
        h.desired.push(t, f64::from(s.desired));
        h.utilization.push(t, s.utilization * 100.0);
        h.p99_ms.push(t, s.p99_ms);
        h.error_rate.push(t, s.error_rate());
        h.cost.push(t, self.cost);
        if let Some(rps) = yesterday_rps {
            h.yesterday_rps.push(t, rps);
        }
        self.last = s;
    }
}
