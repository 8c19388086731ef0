//! The plain-data views of the lab the UI renders as they are: [`Topology`] (cheap, for every
//! animation frame) and [`Snapshot`] (everything, a few times a second).

use serde::{Deserialize, Serialize};

use super::commit::CommitMode;
use super::faults::Incident;
use super::lab::ReplicationLab;
use super::session::SessionEvent;
use super::stats::ratio;
use crate::engine::time::to_secs;
use crate::engine::Histogram;

/// Edges of the latency distributions' bins, in ms (1-2-5 steps); the last bin is open-ended.
pub const LATENCY_EDGES_MS: [f64; 16] = [
    0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0,
];

/// One replica as the UI shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicaView {
    /// Replica id.
    pub id: u32,
    /// Highest log position received.
    pub received: u64,
    /// Highest log position applied (visible to reads).
    pub applied: u64,
    /// Writes behind the primary's head.
    pub behind: u64,
    /// Stopped by a fault.
    pub stopped: bool,
    /// Factor on its replication delay (1: normal).
    pub slow: f64,
    /// Replication lag of its last applied write, in ms.
    pub last_lag_ms: f64,
    /// Lag now: how long ago the oldest write it has not applied was written, in ms (0: up to
    /// date).
    pub lag_now_ms: f64,
    /// Writes on their way to it.
    pub in_flight: u64,
    /// Progress (0..=1) of writes on their way to it, oldest first: at most
    /// [`IN_FLIGHT_SHOWN`](super::replica::IN_FLIGHT_SHOWN), spread over the 256 newest.
    pub in_flight_progress: Vec<f64>,
    /// Reads it answered since the counters last restarted.
    pub reads: u64,
    /// Reads waiting for it to reach their session token.
    pub waiting_reads: u64,
}

/// The primary and its replicas at one instant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Topology {
    /// Simulated time, in seconds.
    pub t_s: f64,
    /// Id of the current primary.
    pub primary_id: u32,
    /// Ids of the primaries that failed (out of service for good), oldest first.
    pub failed_primaries: Vec<u32>,
    /// The primary's newest log position.
    pub head: u64,
    /// Newest acknowledged (committed) position.
    pub committed: u64,
    /// The commit mode.
    pub commit: CommitMode,
    /// Semi-sync: the primary has fallen back to async.
    pub semi_sync_fallback: bool,
    /// Writes waiting for their commit now.
    pub pending_writes: u64,
    /// Reads the primary answered since the counters last restarted.
    pub primary_reads: u64,
    /// The replicas, in order (a promoted one leaves the list).
    pub replicas: Vec<ReplicaView>,
}

/// A bin of a latency distribution, with a count per class (reads: replica at once, replica
/// after a token wait, primary; writes: acknowledged without replica confirmations, after them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyBin {
    /// Lower edge, in ms.
    pub lower_ms: f64,
    /// Upper edge, in ms (`None`: open-ended).
    pub upper_ms: Option<f64>,
    /// Count per class.
    pub counts: [u64; 3],
}

/// Everything the replication lab shows at one instant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The primary, the replicas and the writes in flight.
    pub topology: Topology,
    /// Reads answered.
    pub reads: u64,
    /// Share of reads older than the newest committed write (0..=1).
    pub stale_read_ratio: f64,
    /// Reads that missed the session's own acknowledged write.
    pub ryw_violations: u64,
    /// Reads older than an earlier read of the same session.
    pub monotonic_violations: u64,
    /// 99th percentile of the write-to-apply delay on replicas, in ms.
    pub replication_lag_p99_ms: f64,
    /// Median time from a write to its acknowledgement, in ms.
    pub write_latency_p50_ms: f64,
    /// 99th percentile of the time from a write to its acknowledgement, in ms.
    pub write_latency_p99_ms: f64,
    /// Median time from sending a read to its answer, in ms.
    pub read_latency_p50_ms: f64,
    /// 99th percentile of the time from sending a read to its answer, in ms.
    pub read_latency_p99_ms: f64,
    /// Share of reads the primary answered (0..=1).
    pub primary_read_share: f64,
    /// Reads that waited for a session token.
    pub waited_reads: u64,
    /// Reads whose token wait ran out, so the primary answered.
    pub token_timeouts: u64,
    /// Acknowledged writes lost at the last failover.
    pub lost_writes: u64,
    /// Acknowledged writes lost in all failovers.
    pub lost_writes_total: u64,
    /// Writes acknowledged.
    pub writes_acked: u64,
    /// Writes refused because too many were waiting for their commit.
    pub refused_writes: u64,
    /// Failovers so far.
    pub failovers: u64,
    /// Semi-sync: times it fell back.
    pub fallbacks: u64,
    /// Reads by latency bin (counts: replica at once, replica after a token wait, primary).
    pub read_latency_bins: Vec<LatencyBin>,
    /// Writes by latency bin (counts: without replica confirmations, after them, unused).
    pub write_latency_bins: Vec<LatencyBin>,
    /// `(s, ms)`: worst running replica's lag now, sampled every 100 ms (bounded).
    pub lag_series: Vec<(f64, f64)>,
    /// `(s, writes)`: worst running replica's distance behind the primary (bounded).
    pub behind_series: Vec<(f64, f64)>,
    /// Each replica's lag now `(s, ms)`, by replica id (bounded).
    pub replica_lag_series: Vec<(u32, Vec<(f64, f64)>)>,
    /// Most recent events of the tracked sessions, oldest first (bounded).
    pub events: Vec<SessionEvent>,
    /// Most recent incidents (faults, failovers, semi-sync fallbacks), oldest first (bounded).
    pub incidents: Vec<Incident>,
    /// Arrivals (writes and reads sent) so far.
    pub arrivals: u64,
    /// A fingerprint of the arrivals (times, sessions, kinds): equal for two runs that saw the
    /// same workload.
    pub workload_fingerprint: u64,
}

/// `histograms` (one per class) re-binned into [`LATENCY_EDGES_MS`].
fn bins(histograms: &[Histogram]) -> Vec<LatencyBin> {
    let mut out: Vec<LatencyBin> = LATENCY_EDGES_MS
        .iter()
        .enumerate()
        .map(|(i, &lower_ms)| LatencyBin {
            lower_ms,
            upper_ms: LATENCY_EDGES_MS.get(i + 1).copied(),
            counts: [0; 3],
        })
        .collect();
    for (class, h) in histograms.iter().enumerate().take(3) {
        for (bin, coarse) in out.iter_mut().zip(h.rebin(&LATENCY_EDGES_MS)) {
            bin.counts[class] = coarse.count;
        }
    }
    out
}

impl ReplicationLab {
    /// The primary and replicas now (cheap: for every animation frame).
    pub fn topology(&self) -> Topology {
        let now = self.now();
        let replicas = self
            .replicas
            .iter()
            .map(|r| ReplicaView {
                id: r.id,
                received: r.received,
                applied: r.applied,
                behind: self.head.saturating_sub(r.applied),
                stopped: r.stopped,
                slow: r.slow,
                last_lag_ms: r.last_lag_ms,
                lag_now_ms: self.lag_now_ms(r),
                in_flight: r.in_flight_count(),
                in_flight_progress: r
                    .in_flight_sample()
                    .map(|w| {
                        let span = w.arrives.saturating_sub(w.sent).max(1);
                        (now.saturating_sub(w.sent) as f64 / span as f64).clamp(0.0, 1.0)
                    })
                    .collect(),
                reads: r.reads,
                waiting_reads: self.waiting.range((r.id, 0, 0)..=(r.id, u64::MAX, u64::MAX)).count() as u64,
            })
            .collect();
        Topology {
            t_s: to_secs(now),
            primary_id: self.primary_id,
            failed_primaries: self.failed_primaries.clone(),
            head: self.head,
            committed: self.committed,
            commit: self.config.commit,
            semi_sync_fallback: self.fallback,
            pending_writes: self.pending.len() as u64,
            primary_reads: self.stats.primary_reads,
            replicas,
        }
    }

    /// The current state as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let st = &self.stats;
        let writes = st.all_writes();
        let reads = st.all_reads();
        Snapshot {
            topology: self.topology(),
            reads: st.reads,
            stale_read_ratio: ratio(st.stale_reads, st.reads),
            ryw_violations: st.ryw_violations,
            monotonic_violations: st.monotonic_violations,
            replication_lag_p99_ms: st.lag_ms.percentile(99.0),
            write_latency_p50_ms: writes.percentile(50.0),
            write_latency_p99_ms: writes.percentile(99.0),
            read_latency_p50_ms: reads.percentile(50.0),
            read_latency_p99_ms: reads.percentile(99.0),
            primary_read_share: ratio(st.primary_reads, st.reads),
            waited_reads: st.waited_reads,
            token_timeouts: st.token_timeouts,
            lost_writes: self.lost.0,
            lost_writes_total: self.lost.1,
            writes_acked: st.writes_acked,
            refused_writes: st.refused_writes,
            failovers: self.failovers,
            fallbacks: st.fallbacks,
            read_latency_bins: bins(&st.read_latency_ms),
            write_latency_bins: bins(&st.write_latency_ms),
            lag_series: self.charts.lag.points().to_vec(),
            behind_series: self.charts.behind.points().to_vec(),
            replica_lag_series: self
                .charts
                .replica_lag
                .iter()
                .map(|(id, s)| (*id, s.points().to_vec()))
                .collect(),
            events: self.events.iter().cloned().collect(),
            incidents: self.incidents.iter().cloned().collect(),
            arrivals: self.workload.0,
            workload_fingerprint: self.workload.1,
        }
    }
}
