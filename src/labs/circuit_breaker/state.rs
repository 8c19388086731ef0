//! The circuit breaker page's controller: the core lab in signals and the verbs the controls call.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame budget of simulated calls tuned to the machine's speed, so
//! the page never freezes whatever the rate or the speed.

use crate::components::lesson_player::param_subject;
use crate::components::pacing::{FrameBudget, Pacer};
use crate::components::transport::parse_seed;
use crate::format;
use crate::kit::{LabAction, LabController};
use leptos::prelude::*;
use scalelab_sim::breaker::{BreakerLab, CallKind, Config, Outcome, SendReport, Snapshot};
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};

/// Simulated seconds the Step button advances without a script (one chart interval).
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `fast_forward` action runs.
pub const FAST_FORWARD_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `through_outage` action runs past the end of the outage.
pub const AFTER_OUTAGE_SECS: f64 = 10.0;

/// The adaptive per-frame budget, in calls (client requests or scripted calls): start, min, max.
const BUDGET: (f64, f64, f64) = (20_000.0, 2_000.0, 300_000.0);

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

/// The signals behind the circuit breaker page. `Copy`, so closures can capture it freely.
#[derive(Clone, Copy)]
pub struct BreakerState {
    /// The core lab (tracked readers see config changes; the frame loop updates it untracked).
    pub lab: RwSignal<BreakerLab>,
    /// The latest published snapshot.
    pub snap: RwSignal<Snapshot>,
    /// Simulated time (µs), published every frame.
    pub clock: RwSignal<SimTime>,
    /// Frame budget, fast-forward (the URL's `until` or a lesson action) and throttling.
    pub pacer: Pacer,
    /// What the last call or action did, in words.
    pub message: RwSignal<Option<String>>,
}

/// Calls per simulated second a config makes the lab handle: client requests, or scripted calls.
fn calls_per_sec(config: &Config) -> f64 {
    if config.outcomes.is_empty() {
        config.rate.max(1.0)
    } else {
        1_000.0 / f64::from(config.gap_ms.max(1))
    }
}

impl BreakerState {
    /// A lab for `config` (validated by the caller; the defaults if it is refused anyway).
    fn build(config: Config) -> Self {
        let lab = BreakerLab::new(config)
            .or_else(|_| BreakerLab::new(Config::default()))
            .expect("the default breaker config is valid");
        Self {
            snap: RwSignal::new(lab.snapshot()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            pacer: Pacer::new(FrameBudget::new(BUDGET.0, BUDGET.1, BUDGET.2)),
            message: RwSignal::new(None),
        }
    }

    /// The config (tracked).
    pub fn config(&self) -> Config {
        self.lab.with(|l| l.config().clone())
    }

    /// Sets one parameter (`outcomes` included) from raw text through the core's validated
    /// setter; on error nothing changes. A change restarts the caller's counters, so they
    /// describe the new settings.
    fn set_param_raw(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.lab.update(|l| {
            result = l.set_param(key, raw);
            if result.is_ok() {
                l.reset_stats();
            }
        });
        result.map_err(|e| e.message)?;
        if key == "outcomes" || key == "gap_ms" {
            self.pacer.stop();
        }
        self.publish_all();
        Ok(())
    }

    /// Sets the seed from raw text (the run restarts from time zero).
    fn set_seed_raw(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let mut config = self.lab.with_untracked(|l| l.config().clone());
        config.seed = seed;
        let mut result = Ok(());
        self.lab.update(|l| result = l.set_config(config));
        result.map_err(|e| e.message)?;
        self.pacer.stop();
        self.publish_all();
        Ok(())
    }

    /// Replaces the lab with a fresh one for `config` (a lesson preset), keeping the seed.
    fn load_config(&self, mut config: Config) {
        config.seed = self.lab.with_untracked(|l| l.config().seed);
        if let Ok(lab) = BreakerLab::new(config) {
            self.lab.set(lab);
        }
        self.pacer.stop();
        self.message.set(None);
        self.publish_all();
    }

    /// Restarts the run from time zero with the same settings and seed (a script plays again).
    fn replay(&self) {
        self.pacer.stop();
        self.message.set(None);
        self.lab.update(BreakerLab::replay_script);
        self.publish_all();
    }

    /// Fast-forwards `secs` of simulated time from now across frames, then pauses.
    pub fn fast_forward(&self, secs: f64) {
        let now = self.lab.with_untracked(BreakerLab::now);
        self.fast_forward_until(now.saturating_add(from_secs(secs)));
    }

    /// Fast-forwards to simulated time `until` across frames (nothing if it is not ahead).
    pub fn fast_forward_until(&self, until: SimTime) {
        let now = self.lab.with_untracked(BreakerLab::now);
        if until > now {
            self.pacer.fast_forward(now, until);
        }
    }

    /// Fast-forwards to the last call of the script (the state then is the script's outcome).
    pub fn play_script(&self) {
        if let Some(end) = self.lab.with_untracked(BreakerLab::script_end) {
            self.fast_forward_until(end.max(1));
        }
    }

    /// Fast-forwards to a little after the end of the outage.
    pub fn through_outage(&self) {
        let end = self.lab.with_untracked(|l| l.config().outage_end_s);
        self.fast_forward_until(from_secs(end + AFTER_OUTAGE_SECS));
    }

    /// One animation frame: advances the lab by `advance_secs` of simulated time (or towards the
    /// fast-forward target) within the budget. Returns true when a fast-forward ended.
    fn run_frame(&self, advance_secs: f64) -> bool {
        let (now, per_sec) = self.lab.with_untracked(|l| (l.now(), calls_per_sec(l.config())));
        let Some(slice) = self.pacer.plan(now, per_sec, advance_secs) else {
            return false;
        };
        self.lab.update_untracked(|l| l.step_until(slice.target));
        // The clock moves with the snapshots (every 100 ms of wall time), not every frame.
        if self.pacer.finish(slice) {
            self.publish_all();
        }
        slice.finished
    }

    /// Advances by one step: to the next scripted call while a script plays, else [`STEP_SECS`]
    /// (bounded by four frames' budget).
    fn step_once(&self) {
        let (now, next_call, per_sec) = self
            .lab
            .with_untracked(|l| (l.now(), l.next_script_call(), calls_per_sec(l.config())));
        let target =
            next_call.unwrap_or_else(|| now.saturating_add(from_secs(STEP_SECS).min(self.pacer.span(4.0, per_sec))));
        self.lab.update_untracked(|l| l.step_until(target));
        self.publish_all();
    }

    /// Publishes the snapshot and the clock now.
    fn publish_all(&self) {
        self.pacer.published();
        self.snap.set(self.lab.with_untracked(BreakerLab::snapshot));
        self.clock.set(self.lab.with_untracked(BreakerLab::now));
    }

    // --- Calls and manual actions. Each says what it did in `message`. ---

    /// The learner sends one call with `outcome` now.
    pub fn send(&self, outcome: Outcome) {
        let mut report = None;
        self.lab.update_untracked(|l| report = Some(l.send(outcome)));
        if let Some(report) = report {
            let at = self.lab.with_untracked(|l| to_secs(l.now()));
            self.say(describe_send(&report, at));
        }
    }

    /// Opens the breaker by hand.
    pub fn force_open(&self) {
        self.lab.update_untracked(BreakerLab::force_open);
        self.say("Forced open by hand: every call is rejected until you reset the breaker.".into());
    }

    /// Switches the breaker off by hand.
    pub fn disable(&self) {
        self.lab.update_untracked(BreakerLab::disable);
        self.say(
            "Disabled by hand: every call goes through and nothing is counted until you reset the breaker.".into(),
        );
    }

    /// Back to the home state with fresh counters.
    pub fn reset_breaker(&self) {
        self.lab.update_untracked(BreakerLab::reset_breaker);
        self.say("Breaker reset: back to its home state with a fresh window.".into());
    }

    /// Restarts the caller's counters from now.
    pub fn restart_counters(&self) {
        self.lab.update_untracked(BreakerLab::reset_stats);
        self.say(
            "Caller's counters restarted: requests, success ratios, latency and the pool peak count from now.".into(),
        );
    }

    fn say(&self, message: String) {
        self.message.set(Some(message));
        self.publish_all();
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

impl LabController for BreakerState {
    type Setup = Config;
    type Action = BreakerAction;
    const STEP_SECS: f64 = STEP_SECS;

    fn step_label() -> String {
        format!("{STEP_SECS} s (or up to the next scripted call)")
    }

    fn base(seed: u64) -> Config {
        Config {
            seed,
            ..Config::default()
        }
    }

    /// Every URL key of the lab, the script (`outcomes`) included.
    fn set(setup: &mut Config, key: &str, raw: &str) -> Option<Result<(), scalelab_sim::ConfigError>> {
        Config::KEYS.contains(&key).then(|| setup.set_field(key, raw))
    }

    fn new(setup: Config) -> Self {
        Self::build(setup)
    }

    fn load(&self, setup: Config) {
        self.load_config(setup);
    }

    /// A script plays again from its first call.
    fn reset(&self) {
        self.replay();
    }

    fn seed(&self) -> u64 {
        self.lab.with(|l| l.config().seed)
    }

    fn set_seed(&self, raw: &str) -> Result<(), String> {
        self.set_seed_raw(raw)
    }

    /// Every key in [`Config::KEYS`] order, `outcomes` only when set.
    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        url_pairs(&self.config())
    }

    /// Busy while fast-forwarding (the URL's `until`, a script playing, through an outage).
    fn busy(&self) -> bool {
        self.pacer.busy()
    }

    fn frame(&self, advance_secs: f64) -> bool {
        self.run_frame(advance_secs)
    }

    fn step(&self) {
        self.step_once();
    }

    fn fast_forward_to(&self, until_secs: f64) {
        self.fast_forward_until(from_secs(until_secs));
    }

    fn publish(&self) {
        self.publish_all();
    }

    fn clock_secs(&self) -> f64 {
        to_secs(self.clock.get())
    }

    fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        self.set_param_raw(key, raw)
    }

    fn act(&self, action: BreakerAction) {
        match action {
            BreakerAction::FastForward => self.fast_forward(FAST_FORWARD_SECS),
            BreakerAction::PlayScript => self.play_script(),
            BreakerAction::ThroughOutage => self.through_outage(),
            BreakerAction::RestartCounters => self.restart_counters(),
            BreakerAction::ForceOpen => self.force_open(),
            BreakerAction::Disable => self.disable(),
            BreakerAction::ResetBreaker => self.reset_breaker(),
            BreakerAction::Send(outcome) => self.send(outcome),
        }
    }

    /// `metric:<name>` from the metric cards, `param:<key>` from the config (a choice by its
    /// option index, a toggle as 0/1).
    fn lookup(&self, subject: &str) -> Option<f64> {
        if let Some(name) = subject.strip_prefix("metric:") {
            return self.snap.with(|s| super::metrics::metric_value(s, name));
        }
        self.lab.with(|l| param_subject(l.config(), subject))
    }
}
