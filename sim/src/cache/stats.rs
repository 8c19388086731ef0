//! What the lab counts while it runs: totals since the last reset, rates over the last second,
//! the latency histogram and the chart series. Everything has bounded memory.

use crate::engine::time::{MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Histogram, SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// Width of the window behind every "per second" rate: 1 s of simulated time.
pub const RATE_WINDOW: SimTime = MICROS_PER_SEC;
/// Buckets in that window (it slides in steps of 100 ms).
const RATE_BUCKETS: usize = 10;
/// How often a point is added to the chart series: every 250 ms of simulated time.
pub const SAMPLE_INTERVAL: SimTime = 250 * MICROS_PER_MILLI;

/// Counts since the last reset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) requests: u64,
    pub(crate) reads: u64,
    pub(crate) writes: u64,
    pub(crate) hits: u64,
    pub(crate) misses: u64,
    pub(crate) stale_reads: u64,
    pub(crate) lost_writes: u64,
    pub(crate) db_reads: u64,
    pub(crate) db_writes: u64,
    pub(crate) failed: u64,
    pub(crate) expirations: u64,
    pub(crate) early_refreshes: u64,
    pub(crate) refreshes: u64,
    pub(crate) lock_waits: u64,
    pub(crate) writes_acked: u64,
    pub(crate) evictions_before: u64,
    pub(crate) coalesced_before: u64,
    pub(crate) hot_key_db_reads: u64,
}

/// Rates over the last [`RATE_WINDOW`].
#[derive(Clone, Debug)]
pub(crate) struct Recent {
    pub(crate) requests: WindowedRate,
    pub(crate) hits: WindowedRate,
    pub(crate) misses: WindowedRate,
    pub(crate) db_reads: WindowedRate,
    pub(crate) db_writes: WindowedRate,
}

impl Recent {
    fn new() -> Result<Self, ConfigError> {
        let rate = || WindowedRate::new(RATE_WINDOW, RATE_BUCKETS);
        Ok(Self {
            requests: rate()?,
            hits: rate()?,
            misses: rate()?,
            db_reads: rate()?,
            db_writes: rate()?,
        })
    }

    /// The hit ratio of the reads in the window ending at `now`, if there were any.
    pub(crate) fn hit_ratio(&self, now: SimTime) -> Option<f64> {
        let hits = self.hits.per_sec(now);
        let reads = hits + self.misses.per_sec(now);
        (reads > 0.0).then(|| hits / reads)
    }
}

/// The chart series (each at most 512 points, halving its resolution as the run grows).
#[derive(Clone, Debug, Default)]
pub(crate) struct Charts {
    pub(crate) hit_ratio: TimeSeries,
    pub(crate) db_reads_per_s: TimeSeries,
    pub(crate) db_writes_per_s: TimeSeries,
    pub(crate) db_concurrency: TimeSeries,
}

/// Everything counted. See the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Stats {
    pub(crate) tally: Tally,
    /// Latency of every finished request, in milliseconds.
    pub(crate) latency_ms: Histogram,
    /// When the counts were last reset.
    pub(crate) since: SimTime,
    pub(crate) recent: Recent,
    pub(crate) charts: Charts,
}

impl Stats {
    pub(crate) fn new() -> Result<Self, ConfigError> {
        Ok(Self {
            tally: Tally::default(),
            latency_ms: Histogram::new(),
            since: 0,
            recent: Recent::new()?,
            charts: Charts::default(),
        })
    }

    /// Records a finished request's latency (µs).
    pub(crate) fn record_latency(&mut self, latency_us: SimTime) {
        self.latency_ms.record(latency_us as f64 / MICROS_PER_MILLI as f64);
    }

    /// Forgets the totals and the histogram (the rates and the charts go on).
    pub(crate) fn reset(&mut self, now: SimTime, evictions: u64, coalesced: u64) {
        self.tally = Tally {
            evictions_before: evictions,
            coalesced_before: coalesced,
            ..Tally::default()
        };
        self.latency_ms.clear();
        self.since = now;
    }
}
