//! What the running system counts: the caller's client requests and their results, rates over the
//! last second, the latency histogram and the chart series. Everything has bounded memory.

use super::dependency::Phase;
use crate::engine::time::{MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{Histogram, SimTime, TimeSeries, WindowedRate};
use crate::ConfigError;

/// Width of the window behind every "per second" rate: 1 s of simulated time.
pub const RATE_WINDOW: SimTime = MICROS_PER_SEC;
/// Buckets in that window (it slides in steps of 100 ms).
const RATE_BUCKETS: usize = 10;
/// How often a point is added to the chart series: every 250 ms of simulated time.
pub const SAMPLE_INTERVAL: SimTime = 250 * MICROS_PER_MILLI;

/// What a client request got from the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClientResult {
    /// The dependency answered in time.
    Ok,
    /// The breaker rejected the call and the fallback answered (a degraded success).
    Degraded,
    /// The dependency call failed (timed out).
    Failed,
    /// The breaker rejected the call and there is no fallback: an error at once.
    ShortCircuited,
    /// Every thread of the caller was busy: turned away at once.
    PoolFull,
}

impl ClientResult {
    fn is_success(self) -> bool {
        matches!(self, ClientResult::Ok | ClientResult::Degraded)
    }
}

/// Counts since the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) requests: u64,
    pub(crate) ok: u64,
    pub(crate) degraded: u64,
    pub(crate) failed: u64,
    pub(crate) short_circuited: u64,
    pub(crate) pool_full: u64,
    /// Requests that arrived during the outage.
    pub(crate) outage_requests: u64,
    /// Of those, finished so far.
    pub(crate) outage_finished: u64,
    /// Of those, answered successfully (fallback included).
    pub(crate) outage_successes: u64,
    /// Requests that arrived after the outage ended, finished so far.
    pub(crate) after_finished: u64,
    /// Of those, answered by the dependency itself (fallback answers not counted): whether the
    /// caller really recovered.
    pub(crate) after_ok: u64,
}

impl Tally {
    /// Requests answered so far.
    pub(crate) fn finished(&self) -> u64 {
        self.ok + self.degraded + self.failed + self.short_circuited + self.pool_full
    }
}

/// Rates over the last [`RATE_WINDOW`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Recent {
    pub(crate) successes: WindowedRate,
    pub(crate) failures: WindowedRate,
    /// Calls rejected by the breaker (clients', the learner's and the script's).
    pub(crate) rejections: WindowedRate,
}

/// The chart series (each at most 512 points, halving its resolution as the run grows).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Charts {
    pub(crate) successes_per_s: TimeSeries,
    pub(crate) failures_per_s: TimeSeries,
    pub(crate) rejections_per_s: TimeSeries,
    pub(crate) pool_busy: TimeSeries,
    /// Mean latency (ms) of the client requests answered in each interval; no point for an
    /// interval without answers.
    pub(crate) latency_ms: TimeSeries,
}

/// Latency of the client requests answered since the last chart point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct IntervalLatency {
    sum_ms: f64,
    answers: u64,
}

/// Everything counted. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Stats {
    pub(crate) tally: Tally,
    /// Latency seen by the caller's clients, in ms (0 for calls turned away at once).
    pub(crate) latency_ms: Histogram,
    pub(crate) recent: Recent,
    pub(crate) charts: Charts,
    interval: IntervalLatency,
    /// Requests that arrived before this time (µs) are not counted in the tally and the histogram
    /// (they were in flight when the counters restarted).
    counted_from: SimTime,
}

impl Stats {
    pub(crate) fn new() -> Result<Self, ConfigError> {
        let rate = || WindowedRate::new(RATE_WINDOW, RATE_BUCKETS);
        Ok(Self {
            tally: Tally::default(),
            latency_ms: Histogram::new(),
            recent: Recent {
                successes: rate()?,
                failures: rate()?,
                rejections: rate()?,
            },
            charts: Charts::default(),
            interval: IntervalLatency::default(),
            counted_from: 0,
        })
    }

    /// Restarts the tally and the latency histogram at `now` (charts and recent rates carry on);
    /// requests already in flight will not be counted when they finish.
    pub(crate) fn restart(&mut self, now: SimTime) {
        self.tally = Tally::default();
        self.latency_ms.clear();
        self.counted_from = now;
    }

    /// A client request arrived at the caller, in the dependency's `phase`.
    pub(crate) fn arrived(&mut self, phase: Phase) {
        self.tally.requests += 1;
        self.tally.outage_requests += u64::from(phase == Phase::Outage);
    }

    /// A client request that arrived at `arrived`, in the dependency's `phase` then, was answered
    /// at `now` with `result`.
    pub(crate) fn finished(&mut self, now: SimTime, arrived: SimTime, phase: Phase, result: ClientResult) {
        let latency_ms = now.saturating_sub(arrived) as f64 / MICROS_PER_MILLI as f64;
        if result.is_success() {
            self.recent.successes.inc(now);
        } else {
            self.recent.failures.inc(now);
        }
        self.interval.sum_ms += latency_ms;
        self.interval.answers += 1;
        if arrived < self.counted_from {
            return;
        }
        let t = &mut self.tally;
        match result {
            ClientResult::Ok => t.ok += 1,
            ClientResult::Degraded => t.degraded += 1,
            ClientResult::Failed => t.failed += 1,
            ClientResult::ShortCircuited => t.short_circuited += 1,
            ClientResult::PoolFull => t.pool_full += 1,
        }
        match phase {
            Phase::Outage => {
                t.outage_finished += 1;
                t.outage_successes += u64::from(result.is_success());
            }
            Phase::Recovered => {
                t.after_finished += 1;
                t.after_ok += u64::from(result == ClientResult::Ok);
            }
            Phase::Healthy => {}
        }
        self.latency_ms.record(latency_ms);
    }

    /// Adds a point to each chart at `now`; `pool_peak` is the most calls in flight since the last
    /// point.
    pub(crate) fn sample(&mut self, now: SimTime, pool_peak: u32) {
        let t = now as f64 / MICROS_PER_SEC as f64;
        let charts = &mut self.charts;
        charts.successes_per_s.push(t, self.recent.successes.per_sec(now));
        charts.failures_per_s.push(t, self.recent.failures.per_sec(now));
        charts.rejections_per_s.push(t, self.recent.rejections.per_sec(now));
        charts.pool_busy.push(t, f64::from(pool_peak));
        let interval = std::mem::take(&mut self.interval);
        if interval.answers > 0 {
            charts.latency_ms.push(t, interval.sum_ms / interval.answers as f64);
        }
    }
}
