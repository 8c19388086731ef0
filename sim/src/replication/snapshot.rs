//! The plain-data view of the lab the UI renders as it is.

use serde::{Deserialize, Serialize};

use super::lab::ReplicationLab;
use super::session::SessionEvent;
use super::stats::ratio;
use crate::engine::time::to_secs;

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
}

/// Everything the replication lab shows at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Simulated time, in seconds.
    pub t_s: f64,
    /// Id of the current primary.
    pub primary_id: u32,
    /// The primary's newest log position.
    pub head: u64,
    /// Newest acknowledged (committed) position.
    pub committed: u64,
    /// The replicas, in order (the promoted one leaves the list).
    pub replicas: Vec<ReplicaView>,
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
    /// Share of reads the primary answered (0..=1).
    pub primary_read_share: f64,
    /// Acknowledged writes lost in failovers.
    pub lost_writes: u64,
    /// Writes acknowledged.
    pub writes_acked: u64,
    /// Writes refused because too many were waiting for confirmations.
    pub refused_writes: u64,
    /// Writes waiting for confirmations now.
    pub pending_writes: u64,
    /// Failovers so far.
    pub failovers: u64,
    /// Semi-sync: the primary has fallen back to async.
    pub semi_sync_fallback: bool,
    /// Semi-sync: times it fell back.
    pub fallbacks: u64,
    /// `(s, ms)`: worst running replica's last replication lag, sampled every 100 ms (bounded).
    pub lag_series: Vec<(f64, f64)>,
    /// `(s, writes)`: worst running replica's distance behind the primary (bounded).
    pub behind_series: Vec<(f64, f64)>,
    /// Most recent session events, oldest first (bounded).
    pub events: Vec<SessionEvent>,
}

impl ReplicationLab {
    /// The current state as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let st = &self.stats;
        Snapshot {
            t_s: to_secs(self.now()),
            primary_id: self.primary_id,
            head: self.head,
            committed: self.committed,
            replicas: self
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
                })
                .collect(),
            reads: st.reads,
            stale_read_ratio: ratio(st.stale_reads, st.reads),
            ryw_violations: st.ryw_violations,
            monotonic_violations: st.monotonic_violations,
            replication_lag_p99_ms: st.lag_ms.percentile(99.0),
            write_latency_p50_ms: st.write_latency_ms.percentile(50.0),
            write_latency_p99_ms: st.write_latency_ms.percentile(99.0),
            primary_read_share: ratio(st.primary_reads, st.reads),
            lost_writes: st.lost_writes,
            writes_acked: st.writes_acked,
            refused_writes: st.refused_writes,
            pending_writes: self.pending.len() as u64,
            failovers: st.failovers,
            semi_sync_fallback: self.fallback,
            fallbacks: st.fallbacks,
            lag_series: st.lag_series.points().to_vec(),
            behind_series: st.behind_series.points().to_vec(),
            events: self.events.iter().cloned().collect(),
        }
    }
}
