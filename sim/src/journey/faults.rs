//! The four faults (the page's buttons `fail-region`, `fail-primary`, `spike`,
//! `fail-third-party`), when each is on, and the event log.
//!
//! Every fault lasts [`FAULT_S`]. What it does and what mitigates it:
//!
//! | fault | effect | mitigation |
//! |---|---|---|
//! | `fail-region` | the US region is down: its users fail until traffic moves | `active-active`: after [`ACTIVE_FAILOVER_S`](super::ACTIVE_FAILOVER_S) they go to the nearest other region |
//! | `fail-primary` | the primary database (of shard 1 in the US) stops: its writes fail, and its reads without replicas | replicas: one is promoted after [`PRIMARY_FAILOVER_S`](super::PRIMARY_FAILOVER_S) |
//! | `spike` | users ×[`SPIKE_FACTOR`], reached over [`SPIKE_RAMP_S`] | autoscaling adds app servers |
//! | `fail-third-party` | the third-party API hangs: each call waits [`THIRD_PARTY_TIMEOUT_S`](super::THIRD_PARTY_TIMEOUT_S) and fails, holding a thread | the circuit breaker fails fast and answers with a fallback |

use std::collections::VecDeque;

use serde::Serialize;

/// How long a fault lasts, simulated seconds (10 minutes).
pub const FAULT_S: u64 = 600;
/// The spike's peak: users times this.
pub const SPIKE_FACTOR: f64 = 2.5;
/// The spike climbs linearly to its peak over this many seconds, then holds until it ends.
pub const SPIKE_RAMP_S: u64 = 300;
/// Events kept in the log (the oldest are forgotten).
pub const EVENTS_KEPT: usize = 100;

/// A fault the learner (or a level) can cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// The US region goes down.
    RegionDown,
    /// The primary database of the first shard (in the US) fails.
    PrimaryDown,
    /// A traffic spike.
    Spike,
    /// The third-party API hangs.
    ThirdPartyDown,
}

impl Fault {
    /// Every fault, in button order.
    pub const ALL: [Fault; 4] = [
        Fault::RegionDown,
        Fault::PrimaryDown,
        Fault::Spike,
        Fault::ThirdPartyDown,
    ];

    /// The action's name (the button's `data-testid`): `fail-region`, `fail-primary`, `spike`,
    /// `fail-third-party`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::RegionDown => "fail-region",
            Fault::PrimaryDown => "fail-primary",
            Fault::Spike => "spike",
            Fault::ThirdPartyDown => "fail-third-party",
        }
    }

    /// A short description.
    pub fn label(self) -> &'static str {
        match self {
            Fault::RegionDown => "The US region fails",
            Fault::PrimaryDown => "The primary database fails",
            Fault::Spike => "A traffic spike",
            Fault::ThirdPartyDown => "The third-party API hangs",
        }
    }

    /// The fault named `name` (an action name); `None` for anything else.
    pub fn parse(name: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.as_str() == name)
    }

    fn index(self) -> usize {
        match self {
            Fault::RegionDown => 0,
            Fault::PrimaryDown => 1,
            Fault::Spike => 2,
            Fault::ThirdPartyDown => 3,
        }
    }
}

/// When each fault is on: `[from, until)` in whole simulated seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    windows: [Option<(u64, u64)>; 4],
}

impl Faults {
    /// Starts `fault` at `at_s` for [`FAULT_S`]; one already on is extended to [`FAULT_S`]
    /// from `at_s`. Returns false when it was already on.
    pub fn start(&mut self, fault: Fault, at_s: u64) -> bool {
        let was_on = self.is_on(fault, at_s);
        let from = match self.windows[fault.index()] {
            Some((from, _)) if was_on => from,
            _ => at_s,
        };
        self.windows[fault.index()] = Some((from, at_s.saturating_add(FAULT_S)));
        !was_on
    }

    /// Whether `fault` is on during second `t`.
    pub fn is_on(&self, fault: Fault, t: u64) -> bool {
        matches!(self.windows[fault.index()], Some((from, until)) if from <= t && t < until)
    }

    /// When `fault` started and ends, if it has been started.
    pub fn window(&self, fault: Fault) -> Option<(u64, u64)> {
        self.windows[fault.index()]
    }

    /// Seconds `fault` has been on at second `t` (0 when off).
    pub fn on_for(&self, fault: Fault, t: u64) -> u64 {
        match self.windows[fault.index()] {
            Some((from, until)) if from <= t && t < until => t - from,
            _ => 0,
        }
    }

    /// The users' multiplier at second `t`: 1, or during a spike a straight line from 1 to
    /// [`SPIKE_FACTOR`] over [`SPIKE_RAMP_S`], then the peak until it ends.
    pub fn spike_factor(&self, t: u64) -> f64 {
        if !self.is_on(Fault::Spike, t) {
            return 1.0;
        }
        let along = (self.on_for(Fault::Spike, t) as f64 + 1.0) / SPIKE_RAMP_S as f64;
        1.0 + (SPIKE_FACTOR - 1.0) * along.min(1.0)
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A fault started.
    FaultStarted,
    /// A fault ended.
    FaultEnded,
    /// Traffic moved to another region, or a replica became the primary.
    Failover,
    /// Writes acknowledged but not yet replicated were lost in a failover.
    WritesLost,
    /// Users were logged out (local sessions on a server that went away).
    SessionsLost,
    /// The circuit breaker opened.
    BreakerOpened,
    /// The circuit breaker closed again.
    BreakerClosed,
    /// The autoscaler changed the number of app servers.
    Scaled,
    /// The database refused connections (app servers × pool over its limit).
    ConnectionsRefused,
    /// The level's hour ended.
    LevelEnded,
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// When, simulated seconds.
    pub at_s: f64,
    /// What.
    pub kind: EventKind,
    /// A sentence for the learner.
    pub text: String,
}

/// The latest [`EVENTS_KEPT`] events, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLog {
    events: VecDeque<Event>,
    total: u64,
}

impl Default for EventLog {
    fn default() -> Self {
        Self {
            events: VecDeque::with_capacity(EVENTS_KEPT),
            total: 0,
        }
    }
}

impl EventLog {
    /// Adds an event, forgetting the oldest beyond [`EVENTS_KEPT`].
    pub fn push(&mut self, at_s: u64, kind: EventKind, text: String) {
        if self.events.len() >= EVENTS_KEPT {
            self.events.pop_front();
        }
        self.events.push_back(Event {
            at_s: at_s as f64,
            kind,
            text,
        });
        self.total = self.total.saturating_add(1);
    }

    /// The events kept, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> + ExactSizeIterator {
        self.events.iter()
    }

    /// Events logged since the start (including those forgotten).
    pub fn total(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_the_spike_ramp() {
        let mut f = Faults::default();
        assert!(f.start(Fault::Spike, 100));
        assert!(!f.is_on(Fault::Spike, 99));
        assert!(f.is_on(Fault::Spike, 100) && f.is_on(Fault::Spike, 699) && !f.is_on(Fault::Spike, 700));
        assert!((f.spike_factor(100) - (1.0 + 1.5 / 300.0)).abs() < 1e-12);
        assert!((f.spike_factor(399) - SPIKE_FACTOR).abs() < 1e-12);
        assert_eq!(f.spike_factor(700), 1.0);
        // Started again while on: extended from then, same start.
        assert!(!f.start(Fault::Spike, 500));
        assert_eq!(f.window(Fault::Spike), Some((100, 1_100)));
        assert_eq!(Fault::parse("fail-third-party"), Some(Fault::ThirdPartyDown));
        assert_eq!(Fault::parse("nope"), None);
    }

    #[test]
    fn the_log_keeps_the_latest() {
        let mut log = EventLog::default();
        for i in 0..(EVENTS_KEPT as u64 + 5) {
            log.push(i, EventKind::Scaled, format!("{i}"));
        }
        assert_eq!(log.iter().len(), EVENTS_KEPT);
        assert_eq!(log.total(), EVENTS_KEPT as u64 + 5);
        assert_eq!(log.iter().next().map(|e| e.at_s), Some(5.0));
    }
}
