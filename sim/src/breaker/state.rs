//! The breaker's states.

use serde::{Deserialize, Serialize};

/// Where the breaker is. Serialises to `closed`, `open`, `half_open`, `forced_open` or `disabled`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Calls pass and their outcomes are recorded; too many failures (or slow calls) open it.
    #[default]
    Closed,
    /// Every call is rejected at once until `wait_ms` has passed; then it goes half-open.
    Open,
    /// A limited number of trial calls pass; their outcomes decide between closed and open.
    HalfOpen,
    /// Opened by hand: every call is rejected until the breaker is reset.
    ForcedOpen,
    /// Switched off: every call passes, nothing is recorded, it never opens. Policy `disabled` (no
    /// breaker) keeps it here.
    Disabled,
}

impl State {
    /// Every state, in the order the state diagram lists them.
    pub const ALL: [State; 5] = [
        State::Closed,
        State::Open,
        State::HalfOpen,
        State::ForcedOpen,
        State::Disabled,
    ];

    /// The serialised name, e.g. `"half_open"`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::Open => "open",
            State::HalfOpen => "half_open",
            State::ForcedOpen => "forced_open",
            State::Disabled => "disabled",
        }
    }

    /// The human label, e.g. `"HALF_OPEN"` (the names the literature uses).
    pub fn label(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Open => "OPEN",
            State::HalfOpen => "HALF_OPEN",
            State::ForcedOpen => "FORCED_OPEN",
            State::Disabled => "DISABLED",
        }
    }
}
