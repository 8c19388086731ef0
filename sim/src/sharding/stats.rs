//! What the lab counts: per operation type (single-key, range, global, transaction) operations,
//! throttled ones, shards touched and latency (restarted by `reset_stats`), rates over the last
//! second and the chart series (which carry on). Memory is bounded whatever the run length.

use serde::Serialize;

use super::shard::SERIES_POINTS;
use crate::engine::time::{to_secs, MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Histogram, SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// How often a point is added to the chart series: every 500 ms of simulated time.
pub const SAMPLE_INTERVAL: SimTime = 500 * MICROS_PER_MILLI;

/// The operation types the latency is kept for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpType {
    /// A single-key read or write (an insert included).
    #[default]
    Single,
    /// A range scan.
    Range,
    /// A global query (scatter-gather).
    Global,
    /// A two-key transaction.
    Txn,
}

impl OpType {
    /// The four, in the order of every per-type list.
    pub const ALL: [OpType; 4] = [OpType::Single, OpType::Range, OpType::Global, OpType::Txn];

    /// Its index in those lists.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One operation type's counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct OpStats {
    /// Operations (throttled included).
    pub(super) ops: u64,
    /// Operations refused because a shard they needed throttled them.
    pub(super) throttled: u64,
    /// Shards touched, summed over the operations.
    pub(super) touched: u64,
    /// Operations that touched more than one shard.
    pub(super) multi: u64,
    /// Latency of the completed operations, ms.
    pub(super) latency_ms: Histogram,
    /// The same, since the last chart point.
    interval_ms: Histogram,
}

/// The chart series (each at most [`SERIES_POINTS`] points).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Charts {
    pub(super) ops_per_s: TimeSeries,
    pub(super) throttled_per_s: TimeSeries,
    /// p99 latency per operation type over each interval (no point when none completed).
    pub(super) p99_ms: [TimeSeries; 4],
}

/// Everything counted. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stats {
    /// When the counters (re)started (µs).
    pub(super) since: SimTime,
    pub(super) by_type: [OpStats; 4],
    /// Operations that chose a key by popularity, and those that chose the most popular one.
    pub(super) key_ops: u64,
    pub(super) hot_key_ops: u64,
    /// Visits served in the client's own region, and in another.
    pub(super) local_visits: u64,
    pub(super) remote_visits: u64,
    ops_rate: WindowedRate,
    throttled_rate: WindowedRate,
    pub(super) charts: Charts,
}

fn series() -> Result<TimeSeries, ConfigError> {
    TimeSeries::new(SERIES_POINTS)
}

impl Stats {
    pub(super) fn new() -> Result<Self, ConfigError> {
        Ok(Self {
            since: 0,
            by_type: Default::default(),
            key_ops: 0,
            hot_key_ops: 0,
            local_visits: 0,
            remote_visits: 0,
            ops_rate: WindowedRate::new(MICROS_PER_SEC, 10)?,
            throttled_rate: WindowedRate::new(MICROS_PER_SEC, 10)?,
            charts: Charts {
                ops_per_s: series()?,
                throttled_per_s: series()?,
                p99_ms: [series()?, series()?, series()?, series()?],
            },
        })
    }

    /// Restarts the counters and latencies at `now` (the rates and charts carry on).
    pub(super) fn restart(&mut self, now: SimTime) {
        self.since = now;
        for t in &mut self.by_type {
            let interval = std::mem::take(&mut t.interval_ms);
            *t = OpStats {
                interval_ms: interval,
                ..OpStats::default()
            };
        }
        self.key_ops = 0;
        self.hot_key_ops = 0;
        self.local_visits = 0;
        self.remote_visits = 0;
    }

    /// Counts one operation of `kind` at `now` that touched `touched` shards and took
    /// `latency_ms` (`None`: throttled).
    pub(super) fn record(&mut self, kind: OpType, now: SimTime, touched: usize, latency_ms: Option<f64>) {
        self.ops_rate.inc(now);
        let Some(t) = self.by_type.get_mut(kind.index()) else {
            return;
        };
        t.ops += 1;
        t.touched += touched as u64;
        if touched > 1 {
            t.multi += 1;
        }
        match latency_ms {
            Some(ms) => {
                t.latency_ms.record(ms);
                t.interval_ms.record(ms);
            }
            None => {
                t.throttled += 1;
                self.throttled_rate.inc(now);
            }
        }
    }

    /// Operations per second over the last second.
    pub(super) fn ops_per_sec(&self, now: SimTime) -> f64 {
        self.ops_rate.per_sec(now)
    }

    /// Throttled operations per second over the last second.
    pub(super) fn throttled_per_sec(&self, now: SimTime) -> f64 {
        self.throttled_rate.per_sec(now)
    }

    /// Adds a point to each chart at `now` and starts the next interval.
    pub(super) fn sample(&mut self, now: SimTime) {
        let t = to_secs(now);
        self.charts.ops_per_s.push(t, self.ops_rate.per_sec(now));
        self.charts.throttled_per_s.push(t, self.throttled_rate.per_sec(now));
        for (stats, series) in self.by_type.iter_mut().zip(self.charts.p99_ms.iter_mut()) {
            if stats.interval_ms.count() > 0 {
                series.push(t, stats.interval_ms.percentile(99.0));
                stats.interval_ms.clear();
            }
        }
    }

    /// Sums over the operation types: operations, throttled, shards touched, multi-shard.
    pub(super) fn totals(&self) -> (u64, u64, u64, u64) {
        self.by_type.iter().fold((0, 0, 0, 0), |(o, th, to, m), t| {
            (o + t.ops, th + t.throttled, to + t.touched, m + t.multi)
        })
    }
}
