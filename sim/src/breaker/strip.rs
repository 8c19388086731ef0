//! The window strip: the most recent recorded calls, for the coloured strip under the diagram.

use std::collections::VecDeque;

use serde::Serialize;

use super::outcome::CallKind;
use crate::engine::time::to_secs;
use crate::engine::SimTime;

/// Most calls a strip shows.
pub const STRIP_MAX: usize = 100;

/// One recorded call in the strip.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StripCall {
    /// When it was recorded, in simulated seconds.
    pub at_s: f64,
    /// How the breaker classified it.
    pub kind: CallKind,
}

/// The last calls recorded in the breaker's current metrics (at most `capacity`, itself at most
/// [`STRIP_MAX`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Strip {
    capacity: usize,
    calls: VecDeque<(SimTime, CallKind)>,
}

impl Strip {
    /// An empty strip of at most `capacity` calls (1 to [`STRIP_MAX`]).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.clamp(1, STRIP_MAX),
            calls: VecDeque::new(),
        }
    }

    /// Adds a call; the oldest leaves when full.
    pub(crate) fn push(&mut self, at: SimTime, kind: CallKind) {
        if self.calls.len() >= self.capacity {
            self.calls.pop_front();
        }
        self.calls.push_back((at, kind));
    }

    /// Drops the calls recorded before `start` (µs).
    pub(crate) fn forget_before(&mut self, start: SimTime) {
        while self.calls.front().is_some_and(|&(at, _)| at < start) {
            self.calls.pop_front();
        }
    }

    /// The calls, oldest first.
    pub(crate) fn calls(&self) -> Vec<StripCall> {
        self.calls
            .iter()
            .map(|&(at, kind)| StripCall {
                at_s: to_secs(at),
                kind,
            })
            .collect()
    }
}
