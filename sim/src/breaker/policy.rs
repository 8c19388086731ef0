//! The breaker policies the lab offers: when a closed breaker opens.

use serde::{Deserialize, Serialize};

use super::state::State;

/// When a closed breaker opens.
///
/// | policy | opens when | half-open trial |
/// |---|---|---|
/// | `consecutive` | `failure_threshold` failures in a row (a success resets the count) | one call |
/// | `count_window` | failure rate or slow-call rate over the last `window` **calls** reaches its threshold | `half_open_calls` calls |
/// | `time_window` | the same over the last `window` **seconds** | `half_open_calls` calls |
/// | `disabled` | never: there is no breaker, every call goes through | none |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Fowler's breaker (the seeds' version): a count of failures in a row.
    #[default]
    Consecutive,
    /// resilience4j's count-based sliding window.
    CountWindow,
    /// resilience4j's time-based sliding window (one bucket per second).
    TimeWindow,
    /// No breaker: the caller calls the dependency whatever happens.
    Disabled,
}

impl Policy {
    /// Every policy, in the order the controls list them.
    pub const ALL: [Policy; 4] = [
        Policy::Consecutive,
        Policy::CountWindow,
        Policy::TimeWindow,
        Policy::Disabled,
    ];

    /// `(value, label)` pairs for a select control; `value` is what the URL holds.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("consecutive", "Consecutive failures"),
        ("count_window", "Failure rate, last N calls"),
        ("time_window", "Failure rate, last N seconds"),
        ("disabled", "No breaker"),
    ];

    /// The URL value, e.g. `"count_window"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Consecutive => "consecutive",
            Policy::CountWindow => "count_window",
            Policy::TimeWindow => "time_window",
            Policy::Disabled => "disabled",
        }
    }

    /// The human label, e.g. `"Failure rate, last N calls"`.
    pub fn label(self) -> &'static str {
        Self::OPTIONS
            .iter()
            .find(|(value, _)| *value == self.as_str())
            .map_or("", |(_, label)| label)
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// The state a fresh (or reset) breaker starts in: `Disabled` for `disabled`, `Closed` otherwise.
    pub fn home_state(self) -> State {
        match self {
            Policy::Disabled => State::Disabled,
            _ => State::Closed,
        }
    }

    /// Whether the policy decides on failure and slow-call rates (the two window policies).
    pub fn is_rate_based(self) -> bool {
        matches!(self, Policy::CountWindow | Policy::TimeWindow)
    }
}
