//! resilience4j's count-based sliding window: the outcomes of the last N calls.

use std::collections::VecDeque;

use super::outcome::CallKind;
use super::totals::Totals;

/// The last `size` recorded calls and their totals. O(1) per call, `size` bytes of memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountWindow {
    size: usize,
    calls: VecDeque<CallKind>,
    totals: Totals,
}

impl CountWindow {
    /// An empty window of the last `size` calls (at least 1).
    pub fn new(size: usize) -> Self {
        let size = size.max(1);
        Self {
            size,
            calls: VecDeque::with_capacity(size.min(1 << 16)),
            totals: Totals::default(),
        }
    }

    /// Records one call; the oldest leaves once the window is full.
    pub fn record(&mut self, kind: CallKind) {
        if self.calls.len() >= self.size {
            if let Some(oldest) = self.calls.pop_front() {
                self.totals.remove(oldest);
            }
        }
        self.calls.push_back(kind);
        self.totals.add(kind);
    }

    /// The totals of the calls in the window.
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// The window's size in calls.
    pub fn size(&self) -> usize {
        self.size
    }
}
