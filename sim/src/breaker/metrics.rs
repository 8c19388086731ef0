//! What the breaker counts in its current state, as resilience4j does: a fresh window when it
//! closes, fresh trial tallies when it goes half-open, and whatever it held when it opened.

use serde::Serialize;

use super::count_window::CountWindow;
use super::outcome::CallKind;
use super::policy::Policy;
use super::settings::BreakerSettings;
use super::strip::STRIP_MAX;
use super::time_window::TimeWindow;
use super::totals::Totals;
use crate::engine::SimTime;

/// The breaker's counters in its current state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Metrics {
    /// Nothing is recorded (disabled).
    Nothing,
    /// `consecutive`: failures in a row so far.
    Consecutive {
        /// Failures since the last success.
        failures: u32,
    },
    /// `count_window`: the last N calls.
    Count(CountWindow),
    /// `time_window`: the last N seconds.
    Time(TimeWindow),
    /// Half-open: the trial calls.
    Trial {
        /// Trial calls permitted in this half-open period.
        limit: u32,
        /// Permits handed out so far.
        permitted: u32,
        /// Outcomes of the trial calls recorded so far.
        totals: Totals,
    },
}

impl Metrics {
    /// Fresh counters for a closed breaker with `settings`.
    pub(crate) fn closed(settings: &BreakerSettings) -> Self {
        match settings.policy {
            Policy::Consecutive => Metrics::Consecutive { failures: 0 },
            Policy::CountWindow => Metrics::Count(CountWindow::new(settings.window_size() as usize)),
            Policy::TimeWindow => Metrics::Time(TimeWindow::new(settings.window_size() as usize)),
            Policy::Disabled => Metrics::Nothing,
        }
    }

    /// Fresh trial tallies for a half-open breaker with `settings`.
    pub(crate) fn half_open(settings: &BreakerSettings) -> Self {
        Metrics::Trial {
            limit: settings.trial_calls(),
            permitted: 0,
            totals: Totals::default(),
        }
    }

    /// How many calls the strip shows for these counters: the window (count), the trial calls
    /// (half-open), twice the threshold (consecutive, 10 to 100), else [`STRIP_MAX`].
    pub(crate) fn strip_capacity(&self, settings: &BreakerSettings) -> usize {
        match self {
            Metrics::Count(window) => window.size().min(STRIP_MAX),
            Metrics::Trial { limit, .. } => (*limit as usize).min(STRIP_MAX),
            Metrics::Consecutive { .. } => (settings.failure_threshold as usize)
                .saturating_mul(2)
                .clamp(10, STRIP_MAX),
            Metrics::Time(_) | Metrics::Nothing => STRIP_MAX,
        }
    }

    /// Records a call into a window (count or time); other counters are updated by the breaker.
    pub(crate) fn record_in_window(&mut self, now: SimTime, kind: CallKind) {
        match self {
            Metrics::Count(window) => window.record(kind),
            Metrics::Time(window) => window.record(now, kind),
            _ => {}
        }
    }

    /// The totals these counters hold (zero for `consecutive` and disabled).
    pub(crate) fn totals(&self) -> Totals {
        match self {
            Metrics::Count(window) => window.totals(),
            Metrics::Time(window) => window.totals(),
            Metrics::Trial { totals, .. } => *totals,
            Metrics::Consecutive { .. } | Metrics::Nothing => Totals::default(),
        }
    }
}

/// The breaker's counters as the UI shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct BreakerMetrics {
    /// Failure rate of the current window or trial, in percent; -1 while fewer than `min_calls`
    /// calls are recorded, and always -1 for `consecutive` and `disabled` (they have no rate).
    pub failure_rate: f64,
    /// Slow-call rate, in percent; -1 under the same conditions.
    pub slow_rate: f64,
    /// Calls in the current window (or trial calls recorded, when half-open or opened by a trial).
    pub calls: u64,
    /// Of which failed.
    pub failures: u64,
    /// Of which slow.
    pub slow: u64,
    /// Calls needed before the rates count (`min_calls` capped at the window for `count_window`;
    /// the trial size when half-open; 0 for `consecutive` and `disabled`).
    pub min_calls: u64,
    /// `consecutive`: failures in a row so far (the count that opens it at `failure_threshold`).
    pub consecutive_failures: u32,
    /// Half-open: trial calls let through so far.
    pub trial_permitted: u32,
    /// Half-open: trial calls permitted in all (1 for `consecutive`).
    pub trial_limit: u32,
}

impl BreakerMetrics {
    /// The view of `metrics` under `settings`.
    pub(crate) fn of(metrics: &Metrics, settings: &BreakerSettings) -> Self {
        let totals = metrics.totals();
        let rate_based = settings.policy.is_rate_based();
        let min_calls = match metrics {
            Metrics::Count(_) | Metrics::Time(_) => settings.min_calls_needed(),
            Metrics::Trial { limit, .. } if rate_based => u64::from(*limit),
            _ => 0,
        };
        let decided = rate_based && min_calls > 0 && totals.calls >= min_calls;
        let (trial_permitted, trial_limit) = match metrics {
            Metrics::Trial { limit, permitted, .. } => (*permitted, *limit),
            _ => (0, settings.trial_calls()),
        };
        Self {
            failure_rate: if decided { totals.failure_rate() } else { -1.0 },
            slow_rate: if decided { totals.slow_rate() } else { -1.0 },
            calls: totals.calls,
            failures: totals.failures,
            slow: totals.slow,
            min_calls,
            consecutive_failures: match metrics {
                Metrics::Consecutive { failures } => *failures,
                _ => 0,
            },
            trial_permitted,
            trial_limit,
        }
    }
}
