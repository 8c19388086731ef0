//! The queues page's controller: the core lab as a [`PacedRun`] (the kit's controller for labs on
//! a simulated clock) and what is this lab's own: its budget, its actions (crash a consumer, stop
//! and start them, a burst, add or remove a consumer, poison messages, redrive the dead-letter
//! queue, restart the counters, runs of fixed length) and its metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The frame loop
//! advances the lab within a per-frame work budget tuned to the machine's speed, so 100,000
//! messages per simulated second never freeze the page.

use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::engine::time::to_secs;
use scalelab_sim::queues::{
    Config, LabEventKind, QueuesLab, Snapshot, BURST_FACTOR, BURST_SECS, CRASH_RESTART, REBALANCE_PAUSE,
};
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances (one chart point).
pub const STEP_SECS: f64 = 0.5;
/// Simulated seconds the lesson's `fast_forward` action runs.
pub const FAST_FORWARD_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `run_30s` action runs.
pub const RUN_30_SECS: f64 = 30.0;
/// Simulated seconds the lesson's `run_60s` action runs.
pub const RUN_60_SECS: f64 = 60.0;
/// Simulated seconds the lesson's `warm_up` action runs before the counters restart.
pub const WARM_UP_SECS: f64 = 30.0;
/// Poison messages one press publishes.
pub const POISON_COUNT: u32 = 10;

/// The queues page's controller.
pub type QState = PacedRun<QueuesLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QAction {
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// Runs 30 simulated seconds, then pauses.
    Run30,
    /// Runs 60 simulated seconds, then pauses.
    Run60,
    /// Runs 30 simulated seconds, then restarts the counters (a settled run).
    WarmUp,
    /// Crashes a busy consumer of the first group.
    CrashConsumer,
    /// Every consumer stops taking messages.
    StopConsumers,
    /// Consumers take messages again.
    StartConsumers,
    /// Ten times the traffic for ten seconds.
    Burst,
    /// One more consumer per group (a rebalance).
    AddConsumer,
    /// One consumer fewer per group (a rebalance).
    RemoveConsumer,
    /// Publishes [`POISON_COUNT`] poison messages.
    Poison,
    /// Sends the dead-letter queue back to its partitions.
    Redrive,
    /// Counters restart from now.
    RestartCounters,
}

impl LabAction for QAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("fast_forward", QAction::FastForward),
        ("run_30s", QAction::Run30),
        ("run_60s", QAction::Run60),
        ("warm_up", QAction::WarmUp),
        ("crash_consumer", QAction::CrashConsumer),
        ("stop_consumers", QAction::StopConsumers),
        ("start_consumers", QAction::StartConsumers),
        ("burst", QAction::Burst),
        ("add_consumer", QAction::AddConsumer),
        ("remove_consumer", QAction::RemoveConsumer),
        ("poison", QAction::Poison),
        ("redrive_dlq", QAction::Redrive),
        ("restart_counters", QAction::RestartCounters),
    ];
}

/// The settings whose change restarts the run from time 0 (see [`QueuesLab::set_config`]).
const RESTART_KEYS: &[&str] = &["delivery", "partitions", "groups", "keys"];

/// What a change of `key` did beyond its name, in words (`None`: nothing more).
fn change_note(key: &str) -> Option<String> {
    if RESTART_KEYS.contains(&key) {
        Some("The run restarted from time 0: this setting changes where every message goes.".into())
    } else if key == "consumers" {
        Some(format!(
            "Every group rebalances: consumers stop taking messages for {} s while partitions are reassigned.",
            to_secs(REBALANCE_PAUSE)
        ))
    } else {
        None
    }
}

/// "1 message" / "3 messages".
fn messages(n: u64) -> String {
    format!(
        "{} message{}",
        format::number(n as f64, 0),
        if n == 1 { "" } else { "s" }
    )
}

/// Deliveries the latest crash lost (from the event log).
fn lost_in_last_crash(lab: &QueuesLab) -> u32 {
    lab.snapshot()
        .events
        .iter()
        .rev()
        .find_map(|e| match e.kind {
            LabEventKind::Crashed { lost, .. } => Some(lost),
            _ => None,
        })
        .unwrap_or(0)
}

/// What crashing did.
fn crash(lab: &mut QueuesLab) -> String {
    let Some(c) = lab.crash_consumer(None) else {
        return "No consumer is up to crash.".into();
    };
    let lost = u64::from(lost_in_last_crash(lab));
    format!(
        "Consumer {c} crashed at {}, losing the {} it was processing: they come back when their visibility timeout ({} s) runs out. It restarts in {} s; its partitions wait.",
        format::sim_clock(to_secs(lab.now())),
        messages(lost),
        format::number(lab.config().visibility_s, 1),
        to_secs(CRASH_RESTART)
    )
}

impl PacedLab for QueuesLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = QAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In items (requests, reads, completions, timers).
    const BUDGET: (f64, f64, f64) = (QueuesLab::WORK_PER_FRAME as f64, 1_000.0, 200_000.0);
    const PANELS: &'static [&'static str] = &["broker", "order", "charts", "compare"];

    core_model_methods!(QueuesLab);

    fn frame_view(&self) {}

    /// Items per simulated second: requests, reads and a completion per group for each message.
    fn work_per_sec(&self) -> f64 {
        self.work_per_s()
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        QueuesLab::set_param(self, key, raw).map(|()| change_note(key))
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &QState, action: QAction) {
        match action {
            QAction::FastForward => run.fast_forward(FAST_FORWARD_SECS, AfterFastForward::Pause),
            QAction::Run30 => run.fast_forward(RUN_30_SECS, AfterFastForward::Pause),
            QAction::Run60 => run.fast_forward(RUN_60_SECS, AfterFastForward::Pause),
            QAction::WarmUp => run.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
            QAction::CrashConsumer => run.apply(crash),
            QAction::StopConsumers => run.apply(|l| {
                if l.consumers_stopped() {
                    return "The consumers are already stopped.".into();
                }
                l.stop_consumers();
                "Every consumer stopped taking messages (those in progress finish). The backlog now grows at the arrival rate.".into()
            }),
            QAction::StartConsumers => run.apply(|l| {
                if !l.consumers_stopped() {
                    return "The consumers are already running.".into();
                }
                l.start_consumers();
                "The consumers take messages again: the backlog drains at capacity minus the arrival rate.".into()
            }),
            QAction::Burst => run.apply(|l| {
                l.burst_now();
                format!(
                    "A burst: {} times the traffic for {} simulated seconds.",
                    format::number(BURST_FACTOR, 0),
                    format::number(BURST_SECS, 0)
                )
            }),
            QAction::AddConsumer => run.apply(|l| match l.add_consumer() {
                Ok(n) => format!(
                    "{n} consumer{} per group now; the groups rebalance for {} s.",
                    if n == 1 { "" } else { "s" },
                    to_secs(REBALANCE_PAUSE)
                ),
                Err(e) => format!("No consumer added: consumers {}.", e.message),
            }),
            QAction::RemoveConsumer => run.apply(|l| match l.remove_consumer() {
                Ok(n) => format!(
                    "{n} consumer{} per group now; the last one finishes its messages and the groups rebalance for {} s.",
                    if n == 1 { "" } else { "s" },
                    to_secs(REBALANCE_PAUSE)
                ),
                Err(e) => format!("No consumer removed: consumers {}.", e.message),
            }),
            QAction::Poison => run.apply(|l| match l.poison_now(POISON_COUNT) {
                0 => "Inline (sync) work has no queue to poison.".into(),
                n => format!(
                    "{n} poison messages published: each fails every delivery and moves to the dead-letter queue after {} receives.",
                    l.config().max_receives
                ),
            }),
            QAction::Redrive => run.apply(|l| match l.redrive_dlq() {
                0 => "The dead-letter queue is empty.".into(),
                n => format!(
                    "{} moved from the dead-letter queue back to their partitions.",
                    messages(n)
                ),
            }),
            QAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Counters restarted: percentiles and totals count from now; the backlog stays.".into()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;

    #[test]
    fn a_crash_says_what_it_lost() {
        let mut lab = QueuesLab::new(Config::default()).expect("defaults");
        lab.step_until(from_secs(10.0));
        let text = crash(&mut lab);
        assert!(text.starts_with("Consumer 0 crashed"), "{text}");
        assert!(text.contains("visibility timeout (30 s)"), "{text}");
    }

    #[test]
    fn changes_that_restart_something_say_so() {
        assert!(change_note("partitions").is_some_and(|t| t.contains("time 0")));
        assert!(change_note("consumers").is_some_and(|t| t.contains("rebalance")));
        assert_eq!(change_note("rate"), None);
        assert_eq!(messages(1), "1 message");
        assert_eq!(messages(1200), "1,200 messages");
    }
}
