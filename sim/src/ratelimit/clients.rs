//! What each client does about refusals: its retries in flight (`immediate`), or its pause and
//! the requests it holds back meanwhile (`backoff`), and whether it counts as throttled.
//!
//! **`immediate`.** A refused request is sent again [`RETRY_GAP`] after the 429, up to
//! [`MAX_RETRIES`] times; at most [`RETRY_SLOTS`] retries in flight per client.
//!
//! **`backoff`** (honouring Retry-After). A 429 makes the client pause: it sends nothing to the API
//! until `max(Retry-After, base) + jitter`, with `base` = [`BACKOFF_BASE`] × 2^(n − 1) for its n-th
//! 429 in a row (capped at [`BACKOFF_CAP`]; an admission resets n) and the jitter uniform in
//! `[0, base)`. The refused request and the requests it makes meanwhile wait in the client (at
//! most [`RETRY_SLOTS`]; more are given up), and when the pause ends it sends them one after the
//! other, oldest first, until one is refused again. So the load it puts on the limiter stays near
//! what the limiter admits, whatever it wants to send.
//!
//! Either way a request is abandoned instead of sent again once it is [`CLIENT_TIMEOUT`] old.

use std::collections::VecDeque;

use crate::engine::time::{MICROS_PER_MILLI, MICROS_PER_SEC};
use crate::engine::{SimRng, SimTime};

/// Most retries of one request (then its client gives up).
pub const MAX_RETRIES: u8 = 5;
/// `immediate`: a refused request is sent again this long after the 429 (the client's turnaround),
/// µs: 10 ms.
pub const RETRY_GAP: SimTime = 10 * MICROS_PER_MILLI;
/// `backoff`: the first pause's base, µs: 100 ms (then 200 ms, 400 ms...).
pub const BACKOFF_BASE: SimTime = 100 * MICROS_PER_MILLI;
/// The largest backoff base, µs: 10 s.
pub const BACKOFF_CAP: SimTime = 10 * MICROS_PER_SEC;
/// Requests one client can have waiting for a retry at once (retries in flight, or requests held
/// during a pause); beyond them refused or new requests are given up.
pub const RETRY_SLOTS: usize = 100;
/// A client abandons a request it has wanted for this long without getting it through, instead of
/// sending it again (its timeout), µs: 10 s.
pub const CLIENT_TIMEOUT: SimTime = 10 * MICROS_PER_SEC;
/// A throttled client counts as recovered after this long without a refusal, µs: 1 s.
pub(super) const RECOVERY: SimTime = MICROS_PER_SEC;

/// A request waiting in its client: when it was first wanted, and the retries it has had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Held {
    pub(super) first_at: SimTime,
    pub(super) retries: u8,
}

/// One client's state. See the module docs.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct ClientState {
    /// `immediate`: retries in flight.
    pub(super) in_flight: usize,
    /// `backoff`: sends nothing before this time (µs).
    pub(super) paused_until: Option<SimTime>,
    /// `backoff`: 429s in a row.
    pub(super) streak: u32,
    /// `backoff`: requests waiting for the pause to end, oldest first.
    pub(super) held: VecDeque<Held>,
    /// When it was last refused, while it counts as throttled.
    pub(super) last_refused: Option<SimTime>,
}

impl ClientState {
    /// Whether the client is pausing at `now`.
    pub(super) fn paused(&self, now: SimTime) -> bool {
        self.paused_until.is_some_and(|until| until > now)
    }

    /// Requests waiting in the client (retries in flight or held).
    pub(super) fn waiting(&self) -> usize {
        self.in_flight + self.held.len()
    }

    /// Holds `request` until the pause ends (at the back, or at the front for the one just
    /// refused); false if the client has no room (the request is given up).
    pub(super) fn hold(&mut self, request: Held, front: bool) -> bool {
        if self.held.len() >= RETRY_SLOTS {
            return false;
        }
        if front {
            self.held.push_front(request);
        } else {
            self.held.push_back(request);
        }
        true
    }

    /// A 429 with `retry_after` (µs) at `now`: the pause starts; returns when it ends.
    pub(super) fn pause(&mut self, now: SimTime, retry_after: SimTime, rng: &mut SimRng) -> SimTime {
        self.streak = self.streak.saturating_add(1);
        let doublings = self.streak.saturating_sub(1).min(20);
        let base = BACKOFF_BASE.saturating_mul(1 << doublings).min(BACKOFF_CAP);
        let jitter = (rng.next_f64() * base as f64) as SimTime;
        let until = now.saturating_add(retry_after.max(base)).saturating_add(jitter);
        self.paused_until = Some(until);
        until
    }

    /// An admission: the streak of 429s ends.
    pub(super) fn admitted(&mut self) {
        self.streak = 0;
    }

    /// Marks a refusal at `now`; true if the client was not throttled before.
    pub(super) fn refused(&mut self, now: SimTime) -> bool {
        self.last_refused.replace(now).is_none()
    }

    /// Ends the throttled state after [`RECOVERY`] without refusals; true if it ended now.
    pub(super) fn recover(&mut self, now: SimTime) -> bool {
        let recovered = self.last_refused.is_some_and(|at| now.saturating_sub(at) >= RECOVERY);
        if recovered {
            self.last_refused = None;
        }
        recovered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_with_the_streak_and_honour_retry_after() {
        let mut c = ClientState::default();
        let mut rng = SimRng::new(1);
        let first = c.pause(0, 5_000, &mut rng);
        assert!((BACKOFF_BASE..2 * BACKOFF_BASE).contains(&first), "{first}");
        let second = c.pause(0, 5_000, &mut rng);
        assert!((2 * BACKOFF_BASE..4 * BACKOFF_BASE).contains(&second), "{second}");
        c.admitted();
        let long = c.pause(0, 3 * MICROS_PER_SEC, &mut rng);
        assert!(
            (3 * MICROS_PER_SEC..3 * MICROS_PER_SEC + BACKOFF_BASE).contains(&long),
            "{long}"
        );
        assert!(c.paused(long - 1));
        assert!(!c.paused(long));
        for _ in 0..40 {
            c.pause(0, 0, &mut rng);
        }
        assert!(c.paused_until.unwrap_or(0) < 2 * BACKOFF_CAP);
    }

    #[test]
    fn holds_a_bounded_number() {
        let mut c = ClientState::default();
        for k in 0..RETRY_SLOTS {
            assert!(c.hold(
                Held {
                    first_at: k as SimTime,
                    retries: 0
                },
                false
            ));
        }
        assert!(!c.hold(
            Held {
                first_at: 0,
                retries: 1
            },
            true
        ));
        assert_eq!(c.waiting(), RETRY_SLOTS);
        assert!(c.refused(5));
        assert!(!c.refused(6));
        assert!(!c.recover(6 + RECOVERY - 1));
        assert!(c.recover(6 + RECOVERY));
    }
}
