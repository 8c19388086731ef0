//! The pending-event queue: earliest time first, and equal times in insertion order (FIFO).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::time::SimTime;

/// One queued event with its ordering key `(at, seq)`.
#[derive(Debug, Clone)]
struct Entry<E> {
    at: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the smallest `(at, seq)` first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// A priority queue of events keyed by simulated time.
///
/// Events pop in increasing time; events with equal time pop in the order they were pushed. The
/// order depends only on the sequence of pushes, never on addresses or hashing, so it is
/// deterministic. Push and pop are `O(log n)`.
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }

    /// Queues `event` to happen at time `at` (microseconds). Any time is accepted, including times
    /// earlier than events already popped; the queue itself has no notion of "now".
    pub fn push(&mut self, at: SimTime, event: E) {
        let seq = self.next_seq;
        // 2^64 pushes cannot happen in practice; wrapping keeps this panic-free regardless.
        self.next_seq = self.next_seq.wrapping_add(1);
        self.heap.push(Entry { at, seq, event });
    }

    /// Removes and returns the earliest event with its time, or `None` when empty.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|entry| (entry.at, entry.event))
    }

    /// The time of the earliest event, without removing it.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|entry| entry.at)
    }

    /// The number of queued events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is queued.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Drops every queued event (and restarts the insertion counter).
    pub fn clear(&mut self) {
        self.heap.clear();
        self.next_seq = 0;
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.push(30, "c");
        q.push(10, "a1");
        q.push(20, "b");
        q.push(10, "a2");
        q.push(10, "a3");
        assert_eq!(q.len(), 5);
        assert_eq!(q.peek_time(), Some(10));
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(10, "a1"), (10, "a2"), (10, "a3"), (20, "b"), (30, "c")]);
        assert!(q.is_empty());
        assert_eq!(q.pop(), None);
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn clear_empties() {
        let mut q = EventQueue::default();
        q.push(1, ());
        q.clear();
        assert!(q.is_empty());
        assert_eq!(q.len(), 0);
    }
}
