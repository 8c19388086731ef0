//! What the lab counts: reads and their violations, writes, lag and latency, and the charts.

use crate::engine::{Histogram, TimeSeries};

/// Points kept by each chart series.
pub const SERIES_CAPACITY: usize = 512;

/// How a read was answered (the read-latency distribution's classes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ReadClass {
    /// A replica answered at once.
    Replica = 0,
    /// A replica answered after the read waited for it to reach the session token.
    Waited = 1,
    /// The primary answered (routed there, or after a token wait timed out).
    Primary = 2,
}

/// Counters and distributions that restart with [`Stats::restart`].
#[derive(Clone, Debug, Default)]
pub(super) struct Stats {
    pub reads: u64,
    pub stale_reads: u64,
    pub ryw_violations: u64,
    pub monotonic_violations: u64,
    pub primary_reads: u64,
    /// Reads that waited for a session token (answered by the replica or, after the wait, by the
    /// primary).
    pub waited_reads: u64,
    /// Reads whose token wait ran out, so the primary answered.
    pub token_timeouts: u64,
    pub writes_acked: u64,
    pub refused_writes: u64,
    pub fallbacks: u64,
    /// Delay between a write and its apply on a replica, in ms.
    pub lag_ms: Histogram,
    /// Time from a write to its acknowledgement, in ms: `[acknowledged without waiting for a
    /// replica, waited for replicas]`.
    pub write_latency_ms: [Histogram; 2],
    /// Time from sending a read to its answer, in ms, by [`ReadClass`].
    pub read_latency_ms: [Histogram; 3],
}

impl Stats {
    /// Every counter back to zero.
    pub fn restart(&mut self) {
        *self = Self::default();
    }

    /// Every write latency in one histogram.
    pub fn all_writes(&self) -> Histogram {
        merged(&self.write_latency_ms)
    }

    /// Every read latency in one histogram.
    pub fn all_reads(&self) -> Histogram {
        merged(&self.read_latency_ms)
    }
}

fn merged(parts: &[Histogram]) -> Histogram {
    let mut all = Histogram::new();
    for h in parts {
        all.merge(h);
    }
    all
}

/// The lab's history for the charts (kept when the counters restart).
#[derive(Clone, Debug)]
pub(super) struct Charts {
    /// Worst running replica's lag now (ms), sampled.
    pub lag: TimeSeries,
    /// Worst running replica's distance behind the primary (writes), sampled.
    pub behind: TimeSeries,
    /// Each replica's lag now (ms), sampled, by replica id.
    pub replica_lag: Vec<(u32, TimeSeries)>,
}

impl Charts {
    pub fn new() -> Self {
        Self {
            lag: series(),
            behind: series(),
            replica_lag: Vec::new(),
        }
    }

    /// Records replica `id`'s lag at `t` seconds.
    pub fn push_replica(&mut self, id: u32, t: f64, lag_ms: f64) {
        match self.replica_lag.iter_mut().find(|(i, _)| *i == id) {
            Some((_, s)) => s.push(t, lag_ms),
            None => {
                let mut s = series();
                s.push(t, lag_ms);
                self.replica_lag.push((id, s));
            }
        }
    }
}

fn series() -> TimeSeries {
    TimeSeries::new(SERIES_CAPACITY).unwrap_or_default()
}

/// `part / whole`, 0 when `whole` is 0.
pub(super) fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
