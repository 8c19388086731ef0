//! The circuit breaker state machine: CLOSED, OPEN, HALF_OPEN, plus FORCED_OPEN and DISABLED by
//! hand. Pure: it is told the time and the calls, and never reads a clock.
//!
//! - Closed: every call is permitted and recorded. `consecutive` opens on the
//!   `failure_threshold`-th failure in a row (a success resets the count); the window policies open
//!   once the window holds at least `min_calls` calls and the failure rate or the slow-call rate
//!   reaches its threshold.
//! - Open: every call is rejected. When `wait` has passed since it opened, it goes half-open, at
//!   that exact instant, whether or not a call comes (resilience4j's
//!   `automaticTransitionFromOpenToHalfOpenEnabled`).
//! - Half-open: exactly `trial_calls()` calls are permitted and the next are rejected; once all of
//!   them are recorded their rates decide: open again (the wait restarts) or closed (fresh window).
//!   Results of calls permitted before this half-open period are ignored.
//! - Results arriving while open, forced open or disabled are not recorded.

use std::collections::VecDeque;

use super::metrics::{BreakerMetrics, Metrics};
use super::outcome::{Call, CallKind};
use super::policy::Policy;
use super::settings::BreakerSettings;
use super::state::State;
use super::strip::{Strip, StripCall};
use super::totals::Totals;
use super::transition::{calls, duration, percent, History, StateMark, Transition};
use crate::engine::SimTime;

/// Permission for one call, handed out by [`Breaker::try_acquire`] and given back with the call's
/// result to [`Breaker::record`]. It remembers which state period let the call through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permit {
    generation: u64,
}

/// A circuit breaker. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct Breaker {
    settings: BreakerSettings,
    state: State,
    /// When the current state was entered (µs).
    since: SimTime,
    /// The latest time the breaker was told (µs); it never goes back.
    now: SimTime,
    /// Bumped at every state change, so permits from an earlier period are recognised.
    generation: u64,
    metrics: Metrics,
    strip: Strip,
    history: History,
    rejected: u64,
    permitted: u64,
}

impl Breaker {
    /// A breaker at time 0 in its policy's home state (closed, or disabled for `disabled`).
    pub fn new(settings: BreakerSettings) -> Self {
        let state = settings.policy.home_state();
        let metrics = Metrics::closed(&settings);
        let strip = Strip::new(metrics.strip_capacity(&settings));
        Self {
            settings,
            state,
            since: 0,
            now: 0,
            generation: 0,
            metrics,
            strip,
            history: History::new(state),
            rejected: 0,
            permitted: 0,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &BreakerSettings {
        &self.settings
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// When the current state was entered (µs).
    pub fn since(&self) -> SimTime {
        self.since
    }

    /// When an open breaker goes half-open (µs); `None` in other states.
    pub fn open_until(&self) -> Option<SimTime> {
        (self.state == State::Open).then(|| self.since.saturating_add(self.settings.wait))
    }

    /// Tells the breaker the time is `now` (µs; earlier times count as the latest seen): an open
    /// breaker whose wait is over goes half-open (the transition is dated at the end of the wait),
    /// and a time window forgets the seconds that left it.
    pub fn tick(&mut self, now: SimTime) {
        self.now = self.now.max(now);
        if self.state == State::Open {
            let expiry = self.since.saturating_add(self.settings.wait);
            if self.now >= expiry {
                let reason = format!(
                    "waited {} in OPEN: {} permitted",
                    duration(self.settings.wait),
                    trial_calls(u64::from(self.settings.trial_calls()))
                );
                self.enter(State::HalfOpen, expiry, reason);
            }
        }
        if self.state == State::Closed {
            if let Metrics::Time(window) = &mut self.metrics {
                window.advance(self.now);
                self.strip.forget_before(window.start());
            }
        }
    }

    /// Asks to make a call at `now`: a permit, or `None` if the breaker rejects it (open, forced
    /// open, or half-open with every trial call already let through). Rejections are counted.
    pub fn try_acquire(&mut self, now: SimTime) -> Option<Permit> {
        self.tick(now);
        let permitted = match self.state {
            State::Closed | State::Disabled => true,
            State::Open | State::ForcedOpen => false,
            State::HalfOpen => match &mut self.metrics {
                Metrics::Trial { limit, permitted, .. } if *permitted < *limit => {
                    *permitted += 1;
                    true
                }
                _ => false,
            },
        };
        if permitted {
            self.permitted = self.permitted.saturating_add(1);
            Some(Permit {
                generation: self.generation,
            })
        } else {
            self.rejected = self.rejected.saturating_add(1);
            None
        }
    }

    /// Records the result of a permitted call at `now` and returns how it was classified. It counts
    /// when closed, and when half-open if the permit is from this half-open period; otherwise it
    /// is ignored (see the module docs).
    pub fn record(&mut self, now: SimTime, permit: Permit, call: Call) -> CallKind {
        self.tick(now);
        let kind = CallKind::classify(call, self.settings.slow_threshold);
        match self.state {
            State::Closed => self.record_closed(kind),
            State::HalfOpen if permit.generation == self.generation => self.record_trial(kind),
            _ => {}
        }
        kind
    }

    /// A call that finishes at once: [`Breaker::try_acquire`] then [`Breaker::record`]. `None` if
    /// it was rejected.
    pub fn call(&mut self, now: SimTime, call: Call) -> Option<CallKind> {
        let permit = self.try_acquire(now)?;
        Some(self.record(now, permit, call))
    }

    fn record_closed(&mut self, kind: CallKind) {
        let now = self.now;
        self.strip.push(now, kind);
        let threshold = self.settings.failure_threshold.max(1);
        let opened = match &mut self.metrics {
            Metrics::Consecutive { failures } => {
                if kind.is_failure() {
                    *failures = failures.saturating_add(1);
                    (*failures >= threshold).then(|| {
                        let noun = if *failures == 1 { "failure" } else { "failures" };
                        format!("{failures} {noun} in a row (threshold {threshold})")
                    })
                } else {
                    *failures = 0;
                    None
                }
            }
            Metrics::Count(_) | Metrics::Time(_) => {
                self.metrics.record_in_window(now, kind);
                let totals = self.metrics.totals();
                if totals.calls >= self.settings.min_calls_needed() {
                    self.rates_exceeded(totals, calls(totals.calls))
                } else {
                    None
                }
            }
            Metrics::Trial { .. } | Metrics::Nothing => None,
        };
        if let Some(reason) = opened {
            self.enter(State::Open, now, reason);
        }
    }

    fn record_trial(&mut self, kind: CallKind) {
        let now = self.now;
        let Metrics::Trial { limit, totals, .. } = &mut self.metrics else {
            return;
        };
        totals.add(kind);
        let (limit, totals) = (u64::from(*limit), *totals);
        self.strip.push(now, kind);
        if totals.calls < limit {
            return;
        }
        let (to, reason) = if self.settings.policy.is_rate_based() {
            match self.rates_exceeded(totals, trial_calls(totals.calls)) {
                Some(reason) => (State::Open, reason),
                None => (
                    State::Closed,
                    format!(
                        "failure rate {} < {} and slow-call rate {} < {} over {}",
                        percent(totals.failure_rate()),
                        percent(f64::from(self.settings.failure_rate)),
                        percent(totals.slow_rate()),
                        percent(f64::from(self.settings.slow_rate)),
                        trial_calls(totals.calls)
                    ),
                ),
            }
        } else if totals.failures > 0 {
            (State::Open, "the trial call failed".to_string())
        } else {
            (State::Closed, "the trial call succeeded".to_string())
        };
        self.enter(to, now, reason);
    }

    /// Why `totals` open the breaker, if they do: `"failure rate 50% >= 50% over 100 calls"`.
    fn rates_exceeded(&self, totals: Totals, over: String) -> Option<String> {
        let s = &self.settings;
        if totals.failure_rate_reaches(s.failure_rate) {
            Some(format!(
                "failure rate {} >= {} over {over}",
                percent(totals.failure_rate()),
                percent(f64::from(s.failure_rate))
            ))
        } else if totals.slow_rate_reaches(s.slow_rate) {
            Some(format!(
                "slow-call rate {} >= {} over {over}",
                percent(totals.slow_rate()),
                percent(f64::from(s.slow_rate))
            ))
        } else {
            None
        }
    }

    /// Opens the breaker by hand at `now`: every call is rejected until [`Breaker::reset`].
    pub fn force_open(&mut self, now: SimTime) {
        self.tick(now);
        self.enter(State::ForcedOpen, self.now, "forced open by hand".to_string());
    }

    /// Switches the breaker off by hand at `now`: every call passes, nothing is recorded, until
    /// [`Breaker::reset`].
    pub fn disable(&mut self, now: SimTime) {
        self.tick(now);
        self.enter(State::Disabled, self.now, "disabled by hand".to_string());
    }

    /// Back to the home state with fresh counters, at `now` (resilience4j's `reset`). The
    /// transition log and the rejection count are kept.
    pub fn reset(&mut self, now: SimTime) {
        self.tick(now);
        self.enter(self.settings.policy.home_state(), self.now, "reset by hand".to_string());
    }

    /// New settings at `now`: the breaker restarts in its home state with fresh counters (the
    /// transition log and the rejection count are kept).
    pub fn reconfigure(&mut self, settings: BreakerSettings, now: SimTime) {
        self.tick(now);
        self.settings = settings;
        self.enter(settings.policy.home_state(), self.now, "settings changed".to_string());
    }

    /// Moves to `to` at `at`, logging the change if the state differs, and sets up the counters
    /// of the new state (fresh window when closed, fresh trial when half-open, kept when opened).
    fn enter(&mut self, to: State, at: SimTime, reason: String) {
        let from = self.state;
        if from != to {
            self.history.push(from, to, at, reason);
        }
        self.state = to;
        self.since = at;
        self.generation = self.generation.wrapping_add(1);
        let fresh = match to {
            State::Closed => Some(Metrics::closed(&self.settings)),
            State::HalfOpen => Some(Metrics::half_open(&self.settings)),
            State::Disabled => Some(Metrics::Nothing),
            State::Open | State::ForcedOpen => None,
        };
        if let Some(metrics) = fresh {
            self.strip = Strip::new(metrics.strip_capacity(&self.settings));
            self.metrics = metrics;
        }
    }

    /// The counters of the current state (rates, window totals, consecutive failures, trial).
    pub fn metrics(&self) -> BreakerMetrics {
        BreakerMetrics::of(&self.metrics, &self.settings)
    }

    /// The window strip: the latest calls recorded in the current counters, oldest first.
    pub fn strip(&self) -> Vec<StripCall> {
        self.strip.calls()
    }

    /// The latest transitions, oldest first (bounded).
    pub fn transitions(&self) -> &VecDeque<Transition> {
        self.history.log()
    }

    /// The state timeline, oldest first (bounded).
    pub fn timeline(&self) -> &VecDeque<StateMark> {
        self.history.timeline()
    }

    /// State changes since the start.
    pub fn transition_count(&self) -> u64 {
        self.history.count()
    }

    /// Calls rejected since the start.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Calls permitted since the start.
    pub fn permitted(&self) -> u64 {
        self.permitted
    }

    /// The policy in force.
    pub fn policy(&self) -> Policy {
        self.settings.policy
    }
}

/// "1 trial call", "10 trial calls".
fn trial_calls(n: u64) -> String {
    if n == 1 {
        "1 trial call".to_string()
    } else {
        format!("{n} trial calls")
    }
}
