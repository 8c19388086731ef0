//! What the lab counts: reads and their violations, writes, lag and latency.

use crate::engine::{Histogram, TimeSeries};

/// Points kept by each chart series.
pub const SERIES_CAPACITY: usize = 512;

/// The lab's counters and distributions.
#[derive(Clone, Debug)]
pub(super) struct Stats {
    pub reads: u64,
    pub stale_reads: u64,
    pub ryw_violations: u64,
    pub monotonic_violations: u64,
    pub primary_reads: u64,
    pub writes_acked: u64,
    pub refused_writes: u64,
    pub lost_writes: u64,
    pub failovers: u64,
    pub fallbacks: u64,
    /// Delay between a write and its apply on a replica, in ms.
    pub lag_ms: Histogram,
    /// Time from a write to its acknowledgement, in ms.
    pub write_latency_ms: Histogram,
    /// Worst running replica's last replication lag (ms), sampled.
    pub lag_series: TimeSeries,
    /// Worst running replica's distance behind the primary (writes), sampled.
    pub behind_series: TimeSeries,
}

impl Stats {
    pub fn new() -> Self {
        let series = || TimeSeries::new(SERIES_CAPACITY).unwrap_or_default();
        Self {
            reads: 0,
            stale_reads: 0,
            ryw_violations: 0,
            monotonic_violations: 0,
            primary_reads: 0,
            writes_acked: 0,
            refused_writes: 0,
            lost_writes: 0,
            failovers: 0,
            fallbacks: 0,
            lag_ms: Histogram::new(),
            write_latency_ms: Histogram::new(),
            lag_series: series(),
            behind_series: series(),
        }
    }
}

/// `part / whole`, 0 when `whole` is 0.
pub(super) fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
