//! The circuit breaker page's controller: the core lab as a [`PacedRun`] (the kit's controller
//! for labs on a simulated clock) and what is the breaker lab's own: the script (its own URL key
//! and stepping), calls sent by hand, manual actions and metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame budget of simulated calls tuned to the machine's speed, so
//! the page never freezes whatever the rate or the speed.

use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use leptos::prelude::*;
use scalelab_sim::breaker::{BreakerLab, CallKind, Config, Outcome, SendReport, Snapshot};
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};
use scalelab_sim::ConfigError;

/// Simulated seconds the Step button advances without a script (one chart interval).
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `fast_forward` action runs.
pub const FAST_FORWARD_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `through_outage` action runs past the end of the outage.
pub const AFTER_OUTAGE_SECS: f64 = 10.0;

/// The circuit breaker page's controller.
pub type BreakerState = PacedRun<BreakerLab>;

/// The breaker lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerAction {
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// Runs to the script's last call.
    PlayScript,
    /// Runs to 10 s after the outage ends.
    ThroughOutage,
    /// The caller's counters restart from now.
    RestartCounters,
    /// The breaker is forced open by hand.
    ForceOpen,
    /// The breaker is switched off by hand.
    Disable,
    /// The breaker goes back to its home state.
    ResetBreaker,
    /// The learner sends one call with this outcome.
    Send(Outcome),
}

impl LabAction for BreakerAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("fast_forward", BreakerAction::FastForward),
        ("play_script", BreakerAction::PlayScript),
        ("through_outage", BreakerAction::ThroughOutage),
        ("restart_counters", BreakerAction::RestartCounters),
        ("force_open", BreakerAction::ForceOpen),
        ("disable", BreakerAction::Disable),
        ("reset_breaker", BreakerAction::ResetBreaker),
        ("send_success", BreakerAction::Send(Outcome::Success)),
        ("send_failure", BreakerAction::Send(Outcome::Failure)),
        ("send_slow", BreakerAction::Send(Outcome::Slow)),
    ];
}

/// Calls per simulated second a config makes the lab handle: client requests, or scripted calls.
fn calls_per_sec(config: &Config) -> f64 {
    if config.outcomes.is_empty() {
        config.rate.max(1.0)
    } else {
        1_000.0 / f64::from(config.gap_ms.max(1))
    }
}

impl PacedLab for BreakerLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = BreakerAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In calls (client requests or scripted calls).
    const BUDGET: (f64, f64, f64) = (20_000.0, 2_000.0, 300_000.0);

    core_model_methods!(BreakerLab);

    fn step_label() -> String {
        format!("{STEP_SECS} s (or up to the next scripted call)")
    }

    /// Every URL key of the lab, the script (`outcomes`) included.
    fn set(config: &mut Config, key: &str, raw: &str) -> Option<Result<(), ConfigError>> {
        Config::KEYS.contains(&key).then(|| config.set_field(key, raw))
    }

    fn url_pairs(config: &Config) -> Vec<(&'static str, String)> {
        url_pairs(config)
    }

    fn frame_view(&self) {}

    fn work_per_sec(&self) -> f64 {
        calls_per_sec(self.config())
    }

    /// The script field included (`set_field`).
    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        BreakerLab::set_param(self, key, raw).map(|()| None)
    }

    /// A new script (or its pace) moves its end: a fast-forward to the old end stops.
    fn stops_fast_forward(key: &str) -> bool {
        key == "outcomes" || key == "gap_ms"
    }

    /// While a script plays, a step goes to its next call.
    fn step_target(&self, now: SimTime, by: SimTime) -> SimTime {
        self.next_script_call().unwrap_or_else(|| now.saturating_add(by))
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &BreakerState, action: BreakerAction) {
        match action {
            BreakerAction::FastForward => run.fast_forward(FAST_FORWARD_SECS, AfterFastForward::Pause),
            BreakerAction::PlayScript => {
                if let Some(end) = run.lab.with_untracked(BreakerLab::script_end) {
                    run.fast_forward_until(end.max(1), AfterFastForward::Pause);
                }
            }
            BreakerAction::ThroughOutage => {
                let end = run.lab.with_untracked(|l| l.config().outage_end_s);
                run.fast_forward_until(from_secs(end + AFTER_OUTAGE_SECS), AfterFastForward::Pause);
            }
            BreakerAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Caller's counters restarted: requests, success ratios, latency and the pool peak count from now."
                    .into()
            }),
            BreakerAction::ForceOpen => run.apply(|l| {
                l.force_open();
                "Forced open by hand: every call is rejected until you reset the breaker.".into()
            }),
            BreakerAction::Disable => run.apply(|l| {
                l.disable();
                "Disabled by hand: every call goes through and nothing is counted until you reset the breaker.".into()
            }),
            BreakerAction::ResetBreaker => run.apply(|l| {
                l.reset_breaker();
                "Breaker reset: back to its home state with a fresh window.".into()
            }),
            BreakerAction::Send(outcome) => run.apply(|l| {
                let report = l.send(outcome);
                describe_send(&report, to_secs(l.now()))
            }),
        }
    }
}

/// The URL pairs of a config: every key in [`Config::KEYS`] order, `outcomes` only when set.
pub fn url_pairs(config: &Config) -> Vec<(&'static str, String)> {
    Config::KEYS
        .iter()
        .filter_map(|&key| config.field(key).map(|v| (key, v)))
        .filter(|(key, v)| *key != "outcomes" || !v.is_empty())
        .collect()
}

/// One sentence about a call the learner sent.
pub fn describe_send(report: &SendReport, at_s: f64) -> String {
    let what = match report.outcome {
        Outcome::Success => "Success",
        Outcome::Failure => "Failure",
        Outcome::Slow => "Slow call",
        Outcome::SlowFailure => "Slow failure",
    };
    let mut text = match report.kind {
        None => format!(
            "{what} sent at {}: rejected, the breaker is {}.",
            format::sim_clock(at_s),
            report.state.label()
        ),
        Some(kind) => format!(
            "{what} sent at {}: let through and counted as {}.",
            format::sim_clock(at_s),
            match kind {
                CallKind::Success => "a success",
                CallKind::Failure => "a failure",
                CallKind::Slow => "a slow call",
                CallKind::SlowFailure => "a slow failure",
            }
        ),
    };
    for t in &report.transitions {
        text.push_str(&format!(" {} \u{2192} {}: {}.", t.from.label(), t.to.label(), t.reason));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::breaker::State;

    #[test]
    fn a_send_is_described_with_its_transition() {
        let mut lab = BreakerLab::new(Config {
            rate: 0.0,
            failure_threshold: 1,
            ..Config::default()
        })
        .unwrap();
        let opened = describe_send(&lab.send(Outcome::Failure), 0.0);
        assert!(opened.contains("counted as a failure"), "{opened}");
        assert!(opened.contains("CLOSED \u{2192} OPEN: 1 failure in a row"), "{opened}");
        let rejected = lab.send(Outcome::Success);
        assert_eq!(rejected.state, State::Open);
        assert!(describe_send(&rejected, 1.0).contains("rejected, the breaker is OPEN"));
        assert_eq!(calls_per_sec(&Config::default()), 100.0);
        let scripted = Config {
            outcomes: "SF".into(),
            gap_ms: 250,
            ..Config::default()
        };
        assert_eq!(calls_per_sec(&scripted), 4.0);
    }
}
