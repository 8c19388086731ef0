//! Calls as the breaker sees them: what the learner sends, what a finished call was, and how the
//! breaker classified it.

use serde::{Deserialize, Serialize};

use crate::engine::time::MICROS_PER_MILLI;
use crate::engine::SimTime;

/// What a call the learner sends (or a letter of the `outcomes` script) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// `S`: a fast success.
    Success,
    /// `F`: a fast failure.
    Failure,
    /// `L`: a slow success: it lasts `slow_ms` + 1 ms, just over the slow-call threshold.
    Slow,
    /// `X`: a slow failure, like a timeout: it fails after `slow_ms` + 1 ms.
    SlowFailure,
}

impl Outcome {
    /// Every outcome, in button order.
    pub const ALL: [Outcome; 4] = [Outcome::Success, Outcome::Failure, Outcome::Slow, Outcome::SlowFailure];

    /// The script letter: `S`, `F`, `L` or `X` (the window strip's letters).
    pub fn letter(self) -> char {
        match self {
            Outcome::Success => 'S',
            Outcome::Failure => 'F',
            Outcome::Slow => 'L',
            Outcome::SlowFailure => 'X',
        }
    }

    /// The outcome of a script letter, in either case; `None` for anything else.
    pub fn from_letter(letter: char) -> Option<Outcome> {
        let letter = letter.to_ascii_uppercase();
        Outcome::ALL.into_iter().find(|o| o.letter() == letter)
    }

    /// The finished call this outcome stands for, given the slow-call threshold (µs): successes and
    /// failures take no time, a slow call lasts the threshold plus 1 ms.
    pub fn call(self, slow_threshold: SimTime) -> Call {
        match self {
            Outcome::Success => Call {
                failed: false,
                duration: 0,
            },
            Outcome::Failure => Call {
                failed: true,
                duration: 0,
            },
            Outcome::Slow => Call {
                failed: false,
                duration: slow_threshold.saturating_add(MICROS_PER_MILLI),
            },
            Outcome::SlowFailure => Call {
                failed: true,
                duration: slow_threshold.saturating_add(MICROS_PER_MILLI),
            },
        }
    }
}

/// A finished call: whether it failed and how long it took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    /// Whether the call failed (an error or a timeout).
    pub failed: bool,
    /// How long it took, in µs.
    pub duration: SimTime,
}

/// How the breaker classified a recorded call (the colours of the window strip).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// Succeeded within the slow-call threshold.
    Success,
    /// Failed within the slow-call threshold.
    Failure,
    /// Succeeded, but took strictly longer than the slow-call threshold.
    Slow,
    /// Failed and took strictly longer than the slow-call threshold (e.g. a timeout).
    SlowFailure,
}

impl CallKind {
    /// Classifies `call`: slow when its duration is **strictly** greater than `slow_threshold`
    /// (µs), as in resilience4j; a call lasting exactly the threshold is not slow.
    pub fn classify(call: Call, slow_threshold: SimTime) -> CallKind {
        match (call.failed, call.duration > slow_threshold) {
            (false, false) => CallKind::Success,
            (true, false) => CallKind::Failure,
            (false, true) => CallKind::Slow,
            (true, true) => CallKind::SlowFailure,
        }
    }

    /// Whether the call failed.
    pub fn is_failure(self) -> bool {
        matches!(self, CallKind::Failure | CallKind::SlowFailure)
    }

    /// Whether the call was slow.
    pub fn is_slow(self) -> bool {
        matches!(self, CallKind::Slow | CallKind::SlowFailure)
    }
}
