//! The simple driver lab models loop on: a clock plus the event queue.

use super::queue::EventQueue;
use super::time::SimTime;

/// Simulated clock plus pending events: the core of every discrete-event lab model.
///
/// Time only moves forward, and only when events are taken out. A model's `step_until(t)` is:
///
/// ```
/// # use scalelab_sim::engine::Scheduler;
/// # let mut sched: Scheduler<u32> = Scheduler::new();
/// # let t = 1_000;
/// while let Some(event) = sched.next_before(t) {
///     // handle `event` at `sched.now()`, possibly scheduling more events
///     # let _ = event;
/// }
/// assert_eq!(sched.now(), t);
/// ```
#[derive(Debug, Clone)]
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E> Scheduler<E> {
    /// A scheduler at time 0 with no pending events.
    pub fn new() -> Self {
        Self {
            now: 0,
            queue: EventQueue::new(),
        }
    }

    /// The current simulated time in microseconds: the time of the event last returned by
    /// [`Scheduler::next_before`], or the `until` of the last call that returned `None`.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at absolute time `at` (microseconds). A time in the past is clamped to
    /// [`Scheduler::now`], so the event runs next among those at the current time (after the ones
    /// already queued for now).
    pub fn schedule_at(&mut self, at: SimTime, event: E) {
        self.queue.push(at.max(self.now), event);
    }

    /// Schedules `event` `delay` microseconds from now (saturating at `SimTime::MAX`).
    pub fn schedule_in(&mut self, delay: SimTime, event: E) {
        self.queue.push(self.now.saturating_add(delay), event);
    }

    /// Takes the next event due at or before `until`, advancing [`Scheduler::now`] to its time.
    /// When no event is due by `until`, moves the clock to `until` and returns `None`. The clock
    /// never goes backwards: an `until` earlier than `now` leaves it where it is.
    pub fn next_before(&mut self, until: SimTime) -> Option<E> {
        match self.queue.peek_time() {
            Some(at) if at <= until => {
                let (at, event) = self.queue.pop()?;
                self.now = self.now.max(at);
                Some(event)
            }
            _ => {
                self.now = self.now.max(until);
                None
            }
        }
    }

    /// The time of the next pending event, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// The number of pending events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Drops every pending event; the clock stays where it is.
    pub fn clear(&mut self) {
        self.queue.clear();
    }
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_events_in_order_and_stops_at_until() {
        let mut s = Scheduler::new();
        s.schedule_at(50, 'b');
        s.schedule_in(10, 'a');
        s.schedule_at(200, 'c');
        assert_eq!(s.pending(), 3);
        assert_eq!(s.next_before(100), Some('a'));
        assert_eq!(s.now(), 10);
        assert_eq!(s.next_before(100), Some('b'));
        assert_eq!(s.now(), 50);
        assert_eq!(s.next_before(100), None);
        assert_eq!(s.now(), 100);
        assert_eq!(s.pending(), 1);
        assert_eq!(s.next_time(), Some(200));
        // An event exactly at `until` is included.
        assert_eq!(s.next_before(200), Some('c'));
        assert_eq!(s.now(), 200);
    }

    #[test]
    fn past_times_are_clamped_and_clock_never_goes_back() {
        let mut s = Scheduler::new();
        assert_eq!(s.next_before(1_000), None::<u8>);
        s.schedule_at(5, 1);
        assert_eq!(s.next_time(), Some(1_000));
        assert_eq!(s.next_before(10), None);
        assert_eq!(s.now(), 1_000);
        assert_eq!(s.next_before(1_000), Some(1));
        s.schedule_in(u64::MAX, 2);
        assert_eq!(s.next_time(), Some(u64::MAX));
    }
}
