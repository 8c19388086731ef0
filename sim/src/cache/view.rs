//! Builds the [`Snapshot`] the UI renders from the lab's state.

use super::model::{CacheLab, HOT_KEY};
use super::snapshot::{CachedKey, Flow, LatencyBin, Snapshot, HOTTEST_LISTED};
use super::store::NEVER;
use crate::engine::time::to_secs;
use crate::engine::Histogram;

/// Edges of the latency histogram's bins in ms (1-2-5 steps); the last bin is open-ended.
const LATENCY_EDGES_MS: [f64; 17] = [
    0.0, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0,
];

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
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

impl CacheLab {
    /// Everything the page shows, as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.now;
        let config = &self.config;
        let tally = &self.stats.tally;
        let latency = &self.stats.latency_ms;
        let recent = &self.stats.recent;
        let charts = &self.stats.charts;
        let theory_applies = config.read_ratio >= 1.0 && config.ttl_s == 0.0;
        let hottest = self
            .store
            .hottest(HOTTEST_LISTED)
            .into_iter()
            .map(|e| CachedKey {
                key: e.key,
                hits: e.hits,
                version: e.version,
                stale: e.version < self.db.versions.latest(e.key),
                dirty: self.write_queue.queued_version(e.key).is_some(),
                expires_in_s: (e.expires_at != NEVER).then(|| to_secs(e.expires_at.saturating_sub(now))),
            })
            .collect();
        let db_reads_per_s = recent.db_reads.per_sec(now);
        let db_writes_per_s = recent.db_writes.per_sec(now);
        let flow = Flow {
            reads_loaded_by: config.strategy.reads_loaded_by(),
            writes_sent_by: config.strategy.writes_sent_by(),
            requests_per_s: recent.requests.per_sec(now),
            hits_per_s: recent.hits.per_sec(now),
            misses_per_s: recent.misses.per_sec(now),
            db_reads_per_s,
            db_writes_per_s,
            requests_in_flight: self.loads.waiting() + self.writes_in_flight,
            loads_in_flight: self.loads.in_flight(),
            waiting_on_loads: self.loads.waiting(),
            db_in_flight: self.db.in_service(),
            db_queued: self.db.queued(),
            write_queue: self.write_queue.len(),
        };
        Snapshot {
            now_s: to_secs(now),
            measured_s: to_secs(now.saturating_sub(self.stats.since)),
            strategy: config.strategy,
            eviction: config.eviction,
            protection: config.protection,
            capacity: u64::from(config.capacity),
            keys: u64::from(config.keys),
            cached: self.store.len() as u64,
            requests: tally.requests,
            reads: tally.reads,
            writes: tally.writes,
            hits: tally.hits,
            misses: tally.misses,
            hit_ratio: ratio(tally.hits, tally.reads),
            recent_hit_ratio: recent.hit_ratio(now),
            theory_hit_ratio: if theory_applies { self.theory_read_only } else { None },
            theory_hit_ratio_read_only: self.theory_read_only,
            db_reads: tally.db_reads,
            db_writes: tally.db_writes,
            db_reads_per_s,
            db_writes_per_s,
            latency_p50_ms: latency.percentile(50.0),
            latency_p99_ms: latency.percentile(99.0),
            latency_mean_ms: latency.mean(),
            latency_max_ms: latency.max(),
            stale_reads: tally.stale_reads,
            stale_read_ratio: ratio(tally.stale_reads, tally.reads),
            lost_writes: tally.lost_writes,
            write_queue: self.write_queue.len(),
            coalesced_writes: self.write_queue.coalesced().saturating_sub(tally.coalesced_before),
            db_peak_concurrency: self.db.peak(),
            db_in_flight: self.db.in_service(),
            db_queued: self.db.queued(),
            evictions: self.store.evictions().saturating_sub(tally.evictions_before),
            expirations: tally.expirations,
            early_refreshes: tally.early_refreshes,
            refreshes: tally.refreshes,
            lock_waits: tally.lock_waits,
            failed_requests: tally.failed,
            hot_key: HOT_KEY,
            hot_key_db_reads: tally.hot_key_db_reads,
            hit_ratio_series: charts.hit_ratio.points().to_vec(),
            db_reads_series: charts.db_reads_per_s.points().to_vec(),
            db_writes_series: charts.db_writes_per_s.points().to_vec(),
            db_concurrency_series: charts.db_concurrency.points().to_vec(),
            latency_histogram: latency_bins(latency),
            hottest,
            flow,
            events: self.events.iter().cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_every_value() {
        let mut h = Histogram::new();
        for v in [0.0, 0.05, 1.0, 1.5, 19.9, 20.0, 50_000.0] {
            h.record(v);
        }
        let bins = latency_bins(&h);
        assert_eq!(bins.len(), 17);
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 7);
        let count_at = |lower: f64| bins.iter().find(|b| b.lower_ms == lower).map_or(0, |b| b.count);
        assert_eq!(count_at(0.0), 2);
        assert_eq!(count_at(1.0), 2);
        assert_eq!(count_at(10.0), 1);
        assert_eq!(count_at(20.0), 1);
        assert_eq!(count_at(10_000.0), 1);
        assert_eq!(bins.last().and_then(|b| b.upper_ms), None);
    }
}
