//! The plain data the UI renders for the circuit breaker lab. Everything is already computed; the
//! UI only draws and formats it. Times are simulated seconds, latencies milliseconds, rates per
//! second, failure and slow-call rates percentages, ratios fractions in `[0, 1]`. "No data yet" is
//! -1 for a rate or ratio. The caller's counters (requests and results, their ratios, latency
//! figures, the pool's peak and outage usage) count from the start or from the last
//! [`BreakerLab::reset_stats`](super::BreakerLab::reset_stats); the breaker's counts (rejected,
//! permitted, transitions) and the charts always count from the start.

use serde::Serialize;

use super::dependency::Phase;
use super::policy::Policy;
use super::state::State;
use super::strip::StripCall;
use super::transition::{StateMark, Transition};

/// Everything the circuit breaker page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time now, in seconds.
    pub now_s: f64,
    /// The policy in force.
    pub policy: Policy,
    /// The breaker's state: `closed`, `open`, `half_open`, `forced_open` or `disabled`.
    pub state: State,
    /// When the current state was entered (s).
    pub state_since_s: f64,
    /// When an open breaker goes half-open (s); `None` unless open.
    pub open_until_s: Option<f64>,
    /// Failure rate of the current window (or of the trial calls after going half-open), in
    /// percent; -1 while the window holds fewer than `min_calls` calls, and always for the
    /// `consecutive` and `disabled` policies (they have no rate).
    pub failure_rate: f64,
    /// Slow-call rate, in percent; -1 under the same conditions as `failure_rate`.
    pub slow_rate: f64,
    /// Calls in the current window (or trial calls recorded).
    pub window_calls: u64,
    /// Of which failed.
    pub window_failures: u64,
    /// Of which slow.
    pub window_slow: u64,
    /// Calls the window needs before the rates count (0 when there is no rate).
    pub min_calls: u64,
    /// `consecutive`: failures in a row so far.
    pub consecutive_failures: u32,
    /// Half-open: trial calls let through so far.
    pub trial_permitted: u32,
    /// Trial calls a half-open breaker lets through (1 for `consecutive`).
    pub trial_limit: u32,
    /// The latest calls in the current window, oldest first (at most 100): the strip.
    pub window_strip: Vec<StripCall>,
    /// Calls rejected by the breaker since the start (clients', scripted and the learner's).
    pub rejected: u64,
    /// Calls the breaker let through since the start.
    pub permitted: u64,
    /// State changes since the start.
    pub transitions: u64,
    /// The latest state changes with their causes, oldest first (at most 100).
    pub transition_log: Vec<Transition>,
    /// The state over time, for a strip: from each `at_s` on, `state` (at most 512 points).
    pub state_timeline: Vec<StateMark>,
    /// Calls the learner sent by hand.
    pub learner_calls: u64,
    /// Calls in the script (0 without one).
    pub script_calls: u64,
    /// Script calls played so far.
    pub script_played: u64,
    /// The dependency's phase now.
    pub phase: Phase,
    /// When the outage starts and ends (s); `None` without an outage.
    pub outage_s: Option<(f64, f64)>,
    /// Whether rejected calls get the fallback's degraded response.
    pub fallback: bool,
    /// Client requests that arrived at the caller.
    pub requests: u64,
    /// Client requests answered so far (the rest are in flight).
    pub finished: u64,
    /// Answered by the dependency in time.
    pub ok: u64,
    /// Rejected by the breaker and answered by the fallback (a degraded success).
    pub degraded: u64,
    /// The dependency call failed (timed out).
    pub failed: u64,
    /// Rejected by the breaker without fallback: an error at once.
    pub short_circuited: u64,
    /// Turned away because every thread of the caller was busy: the cascade.
    pub pool_full: u64,
    /// Share of answered client requests that succeeded (fallback included); -1 before the first.
    pub caller_success_ratio: f64,
    /// Client requests that arrived during the outage.
    pub outage_requests: u64,
    /// Share of those (answered so far) that succeeded; -1 before the first.
    pub outage_success_ratio: f64,
    /// Share of the requests that arrived after the outage (answered so far) that the dependency
    /// itself answered, fallback answers not counted: whether the caller really recovered; -1
    /// before the first.
    pub after_outage_success_ratio: f64,
    /// Threads in the caller's pool.
    pub pool: u32,
    /// Threads busy now.
    pub pool_busy: u32,
    /// Most threads busy at once since the start (or the last restart of the counters).
    pub pool_peak: u32,
    /// Mean share of the pool busy during the outage so far; -1 before it starts.
    pub outage_pool_usage: f64,
    /// Median latency of the client requests (ms).
    pub latency_p50_ms: f64,
    /// 99th percentile latency (ms).
    pub latency_p99_ms: f64,
    /// Mean latency (ms).
    pub latency_mean_ms: f64,
    /// Largest latency (ms).
    pub latency_max_ms: f64,
    /// Client latency histogram in fixed bins (1-2-5 steps from 1 ms to 60 s).
    pub latency_histogram: Vec<LatencyBin>,
    /// Client requests answered successfully per second (fallback included), over time.
    pub successes_series: Vec<(f64, f64)>,
    /// Client requests that failed per second (timeouts, breaker errors, pool full), over time.
    pub failures_series: Vec<(f64, f64)>,
    /// Calls rejected by the breaker per second, over time.
    pub rejections_series: Vec<(f64, f64)>,
    /// Most threads busy in each chart interval, over time.
    pub pool_series: Vec<(f64, f64)>,
    /// Mean latency (ms) of the client requests answered in each chart interval, over time
    /// (instant answers count as 0 ms; no point for an interval without answers).
    pub latency_series: Vec<(f64, f64)>,
}

/// One bar of the latency histogram: requests with `lower_ms <= latency < upper_ms`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatencyBin {
    /// Lower bound (ms, inclusive).
    pub lower_ms: f64,
    /// Upper bound (ms, exclusive); `None` for the last, open-ended bin.
    pub upper_ms: Option<f64>,
    /// Requests in the bin.
    pub count: u64,
}
