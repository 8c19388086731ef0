//! Builds the [`Snapshot`] the UI renders from the lab's state.

use super::lab::BreakerLab;
use super::snapshot::{LatencyBin, Snapshot};
use crate::engine::time::to_secs;
use crate::engine::Histogram;

/// Edges of the latency histogram's bins in ms (1-2-5 steps); the last bin is open-ended.
const LATENCY_EDGES_MS: [f64; 16] = [
    0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0, 60_000.0,
];

/// `part / whole`, or -1 without data.
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        -1.0
    } else {
        part as f64 / whole as f64
    }
}

/// The latency histogram re-binned into [`LATENCY_EDGES_MS`].
fn latency_bins(histogram: &Histogram) -> Vec<LatencyBin> {
    histogram
        .rebin(&LATENCY_EDGES_MS)
        .into_iter()
        .map(|b| LatencyBin {
            lower_ms: b.lower,
            upper_ms: b.upper,
            count: b.count,
        })
        .collect()
}

impl BreakerLab {
    /// Everything the page shows, as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.now();
        let breaker = &self.breaker;
        let metrics = breaker.metrics();
        let tally = &self.stats.tally;
        let latency = &self.stats.latency_ms;
        let charts = &self.stats.charts;
        let outage = self.dependency.outage();
        Snapshot {
            now_s: to_secs(now),
            policy: breaker.policy(),
            state: breaker.state(),
            state_since_s: to_secs(breaker.since()),
            open_until_s: breaker.open_until().map(to_secs),
            failure_rate: metrics.failure_rate,
            slow_rate: metrics.slow_rate,
            window_calls: metrics.calls,
            window_failures: metrics.failures,
            window_slow: metrics.slow,
            min_calls: metrics.min_calls,
            consecutive_failures: metrics.consecutive_failures,
            trial_permitted: metrics.trial_permitted,
            trial_limit: metrics.trial_limit,
            window_strip: breaker.strip(),
            rejected: breaker.rejected(),
            permitted: breaker.permitted(),
            transitions: breaker.transition_count(),
            transition_log: breaker.transitions().iter().cloned().collect(),
            state_timeline: breaker.timeline().iter().copied().collect(),
            learner_calls: self.learner_calls,
            script_calls: self.script.len() as u64,
            script_played: self.script_played,
            phase: self.dependency.phase(now),
            outage_s: outage.map(|(start, end)| (to_secs(start), to_secs(end))),
            fallback: self.config.fallback,
            requests: tally.requests,
            finished: tally.finished(),
            ok: tally.ok,
            degraded: tally.degraded,
            failed: tally.failed,
            short_circuited: tally.short_circuited,
            pool_full: tally.pool_full,
            caller_success_ratio: ratio(tally.ok + tally.degraded, tally.finished()),
            outage_requests: tally.outage_requests,
            outage_success_ratio: ratio(tally.outage_successes, tally.outage_finished),
            after_outage_success_ratio: ratio(tally.after_ok, tally.after_finished),
            pool: self.pool.size(),
            pool_busy: self.pool.busy(),
            pool_peak: self.pool.peak(),
            outage_pool_usage: self.pool.outage_usage(outage).unwrap_or(-1.0),
            latency_p50_ms: latency.percentile(50.0),
            latency_p99_ms: latency.percentile(99.0),
            latency_mean_ms: latency.mean(),
            latency_max_ms: latency.max(),
            latency_histogram: latency_bins(latency),
            successes_series: charts.successes_per_s.points().to_vec(),
            failures_series: charts.failures_per_s.points().to_vec(),
            rejections_series: charts.rejections_per_s.points().to_vec(),
            pool_series: charts.pool_busy.points().to_vec(),
            latency_series: charts.latency_ms.points().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_every_value() {
        let mut h = Histogram::new();
        for v in [0.0, 0.5, 1.0, 49.9, 50.0, 1_000.0, 100_000.0] {
            h.record(v);
        }
        let bins = latency_bins(&h);
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 7);
        let count_at = |lower: f64| bins.iter().find(|b| b.lower_ms == lower).map_or(0, |b| b.count);
        assert_eq!(count_at(0.0), 2);
        assert_eq!(count_at(1.0), 1);
        assert_eq!(count_at(20.0), 1);
        assert_eq!(count_at(50.0), 1);
        assert_eq!(count_at(1_000.0), 1);
        assert_eq!(count_at(60_000.0), 1);
        assert_eq!(bins.last().and_then(|b| b.upper_ms), None);
    }
}
