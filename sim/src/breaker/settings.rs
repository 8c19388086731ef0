//! The breaker's own settings, in simulation units, taken from the lab's [`Config`].

use super::config::Config;
use super::policy::Policy;
use crate::engine::time::MICROS_PER_MILLI;
use crate::engine::SimTime;

/// Largest window (calls or seconds) and minimum number of calls a breaker accepts; larger
/// settings count as this.
pub const MAX_WINDOW: u32 = 10_000;

/// Everything a [`Breaker`](super::Breaker) needs to know. Out-of-range values are tolerated
/// (sizes below 1 count as 1, windows above [`MAX_WINDOW`] as [`MAX_WINDOW`]), so a breaker never
/// panics whatever it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerSettings {
    /// When a closed breaker opens.
    pub policy: Policy,
    /// `consecutive`: failures in a row that open it.
    pub failure_threshold: u32,
    /// Window policies: failure rate (percent) that opens it.
    pub failure_rate: u32,
    /// Window size: calls (`count_window`) or seconds (`time_window`).
    pub window: u32,
    /// Window policies: calls recorded before any decision (capped at the window for
    /// `count_window`).
    pub min_calls: u32,
    /// Time spent open before going half-open (µs).
    pub wait: SimTime,
    /// Window policies: trial calls permitted when half-open (`consecutive` always permits one).
    pub half_open_calls: u32,
    /// A call is slow when it lasts strictly longer than this (µs).
    pub slow_threshold: SimTime,
    /// Window policies: slow-call rate (percent) that opens it.
    pub slow_rate: u32,
}

impl BreakerSettings {
    /// The breaker settings of `config`.
    pub fn from_config(config: &Config) -> Self {
        Self {
            policy: config.policy,
            failure_threshold: config.failure_threshold,
            failure_rate: config.failure_rate,
            window: config.window,
            min_calls: config.min_calls,
            wait: u64::from(config.wait_ms) * MICROS_PER_MILLI,
            half_open_calls: config.half_open_calls,
            slow_threshold: u64::from(config.slow_ms) * MICROS_PER_MILLI,
            slow_rate: config.slow_rate,
        }
    }

    /// Calls a window must hold before the breaker decides: `min_calls`, capped at the window size
    /// for `count_window` (as resilience4j does), at least 1.
    pub fn min_calls_needed(&self) -> u64 {
        let min = u64::from(self.min_calls.max(1));
        match self.policy {
            Policy::CountWindow => min.min(u64::from(self.window_size())),
            _ => min,
        }
    }

    /// The window size used: `window` within `1..=MAX_WINDOW`.
    pub fn window_size(&self) -> u32 {
        self.window.clamp(1, MAX_WINDOW)
    }

    /// Trial calls permitted when half-open: 1 for `consecutive`, `half_open_calls` otherwise.
    pub fn trial_calls(&self) -> u32 {
        match self.policy {
            Policy::Consecutive => 1,
            _ => self.half_open_calls.max(1),
        }
    }
}

impl Default for BreakerSettings {
    fn default() -> Self {
        Self::from_config(&Config::default())
    }
}
