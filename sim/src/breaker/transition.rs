//! The breaker's history: every state change with its cause, kept with bounded memory.

use std::collections::VecDeque;

use serde::Serialize;

use super::state::State;
use crate::engine::time::to_secs;
use crate::engine::SimTime;
use crate::params::format_number;

/// Most transitions kept in the log (the count goes on).
pub const TRANSITIONS_KEPT: usize = 100;
/// Most points kept in the state timeline.
pub const TIMELINE_KEPT: usize = 512;

/// One state change and why it happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transition {
    /// The state left.
    pub from: State,
    /// The state entered.
    pub to: State,
    /// When, in simulated seconds.
    pub at_s: f64,
    /// The cause, e.g. `"failure rate 50% >= 50% over 100 calls"`.
    pub reason: String,
}

/// A point of the state timeline: from `at_s` on, the breaker was in `state`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StateMark {
    /// When, in simulated seconds.
    pub at_s: f64,
    /// The state entered.
    pub state: State,
}

/// The transition log, the state timeline and the count of transitions.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct History {
    log: VecDeque<Transition>,
    timeline: VecDeque<StateMark>,
    count: u64,
}

impl History {
    /// A history starting in `state` at time 0.
    pub(crate) fn new(state: State) -> Self {
        let mut timeline = VecDeque::new();
        timeline.push_back(StateMark { at_s: 0.0, state });
        Self {
            log: VecDeque::new(),
            timeline,
            count: 0,
        }
    }

    /// Records a change from `from` to `to` at `at` (µs).
    pub(crate) fn push(&mut self, from: State, to: State, at: SimTime, reason: String) {
        let at_s = to_secs(at);
        if self.log.len() >= TRANSITIONS_KEPT {
            self.log.pop_front();
        }
        self.log.push_back(Transition { from, to, at_s, reason });
        if self.timeline.len() >= TIMELINE_KEPT {
            self.timeline.pop_front();
        }
        self.timeline.push_back(StateMark { at_s, state: to });
        self.count = self.count.saturating_add(1);
    }

    /// The latest transitions, oldest first (at most [`TRANSITIONS_KEPT`]).
    pub(crate) fn log(&self) -> &VecDeque<Transition> {
        &self.log
    }

    /// The state timeline, oldest first (at most [`TIMELINE_KEPT`] points).
    pub(crate) fn timeline(&self) -> &VecDeque<StateMark> {
        &self.timeline
    }

    /// Transitions since the start.
    pub(crate) fn count(&self) -> u64 {
        self.count
    }
}

/// A percentage for a reason text: at most one decimal, no trailing zero (`50`, `33.3`).
pub(crate) fn percent(value: f64) -> String {
    format!("{}%", format_number(libm::round(value * 10.0) / 10.0))
}

/// A duration for a reason text: `750 ms`, `5 s`, `1.5 s`.
pub(crate) fn duration(us: SimTime) -> String {
    if us < 1_000_000 {
        format!("{} ms", format_number(libm::round(us as f64 / 100.0) / 10.0))
    } else {
        format!("{} s", format_number(libm::round(us as f64 / 100_000.0) / 10.0))
    }
}

/// "1 call", "10 calls".
pub(crate) fn calls(n: u64) -> String {
    if n == 1 {
        "1 call".to_string()
    } else {
        format!("{n} calls")
    }
}
