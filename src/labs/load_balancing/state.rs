//! The load balancing page's controller: the core lab as a [`PacedRun`] (the kit's controller for
//! labs on a simulated clock) and what is this lab's own: the `speeds` list (a text, not a
//! [`Params`] spec), the faults and fleet changes, and its metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame request budget tuned to the machine's speed, so the page
//! never freezes at 1,000 servers and 100,000 requests per second.

use crate::components::url_state::params_of;
use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::loadbalancing::{Config, LoadBalancingLab, Snapshot};
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances.
pub const STEP_SECS: f64 = 0.25;
/// Simulated seconds the lesson's `fast_forward` action runs.
pub const FAST_FORWARD_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `run_30s` action runs (heavy tails need a longer look).
pub const LONG_RUN_SECS: f64 = 30.0;
/// Simulated seconds the lesson's `warm_up` action runs before the counters restart.
pub const WARM_UP_SECS: f64 = 5.0;
/// The URL key of the per-server speeds (a comma-separated list).
pub const SPEEDS: &str = "speeds";

/// The load balancing page's controller.
pub type LbState = PacedRun<LoadBalancingLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LbAction {
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// Runs 30 simulated seconds, then pauses.
    LongRun,
    /// Runs 5 simulated seconds, then restarts the counters (queues past their start).
    WarmUp,
    /// The first alive server dies: its requests fail, and so do those sent to it until the
    /// health checks mark it down.
    KillServer,
    /// The first alive server that is not slow becomes ten times slower (it still passes checks).
    SlowServer,
    /// Dead servers restart (marked up after passing checks); slow ones recover.
    HealServers,
    /// A server of speed 1 joins the fleet.
    AddServer,
    /// The last server leaves the fleet (what it holds finishes).
    RemoveServer,
    /// Totals restart from now.
    RestartCounters,
}

impl LabAction for LbAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("fast_forward", LbAction::FastForward),
        ("run_30s", LbAction::LongRun),
        ("warm_up", LbAction::WarmUp),
        ("kill_server", LbAction::KillServer),
        ("slow_server", LbAction::SlowServer),
        ("heal_servers", LbAction::HealServers),
        ("add_server", LbAction::AddServer),
        ("remove_server", LbAction::RemoveServer),
        ("restart_counters", LbAction::RestartCounters),
    ];
}

impl PacedLab for LoadBalancingLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = LbAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In requests.
    const BUDGET: (f64, f64, f64) = (20_000.0, 1_000.0, 300_000.0);
    const PANELS: &'static [&'static str] = &["fleet", "servers", "charts", "compare"];

    core_model_methods!(LoadBalancingLab);

    /// Every URL key of the lab, the speeds list included.
    fn set(config: &mut Config, key: &str, raw: &str) -> Option<Result<(), ConfigError>> {
        if key == SPEEDS {
            return Some(config.set_speeds(raw));
        }
        Config::spec(key).map(|_| config.set_str(key, raw))
    }

    /// The parameters, then the speeds when they are not all 1.
    fn url_pairs(config: &Config) -> Vec<(&'static str, String)> {
        let mut pairs = params_of(config);
        let speeds = config.speeds_query();
        if !speeds.is_empty() {
            pairs.push((SPEEDS, speeds));
        }
        pairs
    }

    fn frame_view(&self) {}

    /// Requests per simulated second (static mode: its requests, placed over the first second).
    fn work_per_sec(&self) -> f64 {
        let c = self.config();
        if c.static_requests > 0 {
            c.static_requests as f64
        } else {
            c.rate
        }
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        if key == SPEEDS {
            return self.set_speeds(raw).map(|()| None);
        }
        LoadBalancingLab::set_param(self, key, raw).map(|()| None)
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &LbState, action: LbAction) {
        match action {
            LbAction::FastForward => run.fast_forward(FAST_FORWARD_SECS, AfterFastForward::Pause),
            LbAction::LongRun => run.fast_forward(LONG_RUN_SECS, AfterFastForward::Pause),
            LbAction::WarmUp => run.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
            LbAction::KillServer => run.apply(|l| match l.kill_server() {
                Some(i) => format!(
                    "Server {i} died at {}. Requests sent to it fail until the health checks mark it down.",
                    format::sim_clock(now_s(l))
                ),
                None => "Every server is already dead.".into(),
            }),
            LbAction::SlowServer => run.apply(|l| match l.slow_server() {
                Some(i) => format!(
                    "Server {i} is ten times slower from {}. It still answers health checks.",
                    format::sim_clock(now_s(l))
                ),
                None => "No alive server is left to slow down.".into(),
            }),
            LbAction::HealServers => run.apply(|l| match l.heal_servers() {
                0 => "Every server is already healthy.".into(),
                n => format!(
                    "{n} server{} healed: slow ones are back to speed, dead ones restart empty and take traffic once they pass the health checks.",
                    if n == 1 { "" } else { "s" }
                ),
            }),
            LbAction::AddServer => run.apply(|l| match l.add_server() {
                Some(i) => format!("Server {i} joined the fleet (speed 1)."),
                None => "The fleet is at its largest.".into(),
            }),
            LbAction::RemoveServer => run.apply(|l| match l.remove_server() {
                Some(i) => format!("Server {i} left the fleet; the requests it held finish."),
                None => "The last server stays: a fleet needs one.".into(),
            }),
            LbAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Counters restarted: percentiles, shares and totals count from now.".into()
            }),
        }
    }
}

/// Simulated seconds now.
fn now_s(lab: &LoadBalancingLab) -> f64 {
    scalelab_sim::engine::time::to_secs(lab.now())
}
