//! What a run counts: totals per user region (requests, failures, requests slower than the SLO),
//! the money spent, and the charts' bounded histories.

use serde::Serialize;

use crate::engine::TimeSeries;

/// Points per chart line (an hour at one point per [`SAMPLE_S`]; longer runs halve themselves).
pub const CHART_POINTS: usize = 360;
/// The charts take a point every this many simulated seconds.
pub const SAMPLE_S: u64 = 10;

/// Totals of one user region since the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct RegionTotals {
    /// Requests made.
    pub requests: f64,
    /// Requests that failed.
    pub errors: f64,
    /// Requests that succeeded slower than the SLO.
    pub slow: f64,
}

impl RegionTotals {
    /// Share of the successful requests slower than the SLO (0 without any).
    pub fn slow_share(&self) -> f64 {
        let ok = self.requests - self.errors;
        if ok > 0.0 {
            (self.slow / ok).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Share of the requests that failed (0 without any).
    pub fn error_rate(&self) -> f64 {
        if self.requests > 0.0 {
            (self.errors / self.requests).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The charts' lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Histories {
    /// p99 per user region (US, EU, Asia), ms.
    pub p99_ms: [TimeSeries; 3],
    /// Error rate, 0..=1.
    pub error_rate: TimeSeries,
    /// Requests per second arriving.
    pub throughput: TimeSeries,
    /// The bottleneck's utilisation.
    pub bottleneck: TimeSeries,
    /// Cost per month at the current architecture, dollars.
    pub cost_per_month: TimeSeries,
    /// App servers (all regions, ready and starting).
    pub app_servers: TimeSeries,
}

fn series() -> TimeSeries {
    TimeSeries::new(CHART_POINTS).unwrap_or_default()
}

impl Default for Histories {
    fn default() -> Self {
        Self {
            p99_ms: [series(), series(), series()],
            error_rate: series(),
            throughput: series(),
            bottleneck: series(),
            cost_per_month: series(),
            app_servers: series(),
        }
    }
}

/// Everything counted since the start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Per user region (US, EU, Asia).
    pub regions: [RegionTotals; 3],
    /// Dollars spent.
    pub spent: f64,
    /// Users logged out (local sessions on servers that went away).
    pub sessions_lost: f64,
    /// Writes acknowledged and lost in failovers.
    pub writes_lost: f64,
    /// The charts.
    pub histories: Histories,
}

impl Stats {
    /// Every region together.
    pub fn overall(&self) -> RegionTotals {
        let mut t = RegionTotals::default();
        for r in &self.regions {
            t.requests += r.requests;
            t.errors += r.errors;
            t.slow += r.slow;
        }
        t
    }
}
