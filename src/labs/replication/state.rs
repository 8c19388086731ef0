//! The replication page's controller: the core lab as a [`PacedRun`] (the kit's controller for
//! labs on a simulated clock) and what is the replication lab's own: its budget, the topology
//! that moves every frame, its faults and metrics.
//!
//! The page renders the core's [`Snapshot`] and [`Topology`] only; it computes no model results.
//! The frame loop advances the lab within a per-frame event budget tuned to the machine's speed,
//! so the page never freezes whatever the rates or the speed.

use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::replication::{Applied, Config, ReplicationLab, Snapshot, Topology};
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances.
pub const STEP_SECS: f64 = 0.1;
/// Simulated seconds the lesson's `warm_up` and `fast_forward` actions run.
pub const WARM_UP_SECS: f64 = 10.0;
/// Delay factor of the slow-replica fault.
pub const SLOW_FACTOR: f64 = 10.0;

/// The replication page's controller (`view` is the topology, writes in flight moving).
pub type ReplState = PacedRun<ReplicationLab>;

/// Rough events per simulated second for `c` (arrivals, commits, receipts, applies, samples):
/// only used to size a frame's slice of simulated time.
pub fn events_per_sec(c: &Config) -> f64 {
    c.write_rate * (2.0 + 2.0 * f64::from(c.replicas)) + c.read_rate * 1.5 + 10.0
}

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplAction {
    /// Runs 10 simulated seconds, then restarts the counters.
    WarmUp,
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// The primary fails and the most advanced replica takes over.
    FailPrimary,
    /// A replica stops applying the log.
    StopReplica,
    /// A replica applies the log ten times slower.
    SlowReplica,
    /// Stopped and slow replicas recover.
    RestartReplicas,
    /// Totals restart from now.
    RestartCounters,
}

impl LabAction for ReplAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("warm_up", ReplAction::WarmUp),
        ("fast_forward", ReplAction::FastForward),
        ("fail_primary", ReplAction::FailPrimary),
        ("stop_replica", ReplAction::StopReplica),
        ("slow_replica", ReplAction::SlowReplica),
        ("restart_replicas", ReplAction::RestartReplicas),
        ("restart_counters", ReplAction::RestartCounters),
    ];
}

/// The primary fails now; the most up-to-date replica takes over.
fn fail_primary(l: &mut ReplicationLab) -> String {
    match l.fail_primary() {
        Some(f) => format!(
            "The primary (node {}) failed. Replica {} had received the most and became the primary. {} acknowledged write{} it never received {} lost.",
            f.old_primary,
            f.new_primary,
            format::number(f.lost_writes as f64, 0),
            if f.lost_writes == 1 { "" } else { "s" },
            if f.lost_writes == 1 { "is" } else { "are" },
        ),
        None => "No running replica can take over: the primary stays.".into(),
    }
}

/// Stops the last running replica.
fn stop_replica(l: &mut ReplicationLab) -> String {
    match l.stop_replica() {
        Some(id) => format!("Replica {id} stopped: it receives nothing and answers no reads."),
        None => "Every replica is already stopped.".into(),
    }
}

/// Slows the last running replica ten-fold, or makes it normal again if it is slow.
fn slow_replica(l: &mut ReplicationLab) -> String {
    let slow = l
        .topology()
        .replicas
        .iter()
        .rev()
        .find(|r| !r.stopped)
        .map(|r| r.slow > 1.0);
    let factor = if slow == Some(true) { 1.0 } else { SLOW_FACTOR };
    match l.slow_replica(factor) {
        Some(id) if factor > 1.0 => format!(
            "Replica {id} is now {} times slower to receive writes.",
            format::number(factor, 0)
        ),
        Some(id) => format!("Replica {id} is back to normal speed."),
        None => "No running replica to slow down.".into(),
    }
}

/// Restarts every stopped replica; each catches up.
fn restart_replicas(l: &mut ReplicationLab) -> String {
    let ids = l.restart_replicas();
    if ids.is_empty() {
        "No replica is stopped.".into()
    } else {
        let list: Vec<String> = ids.iter().map(u32::to_string).collect();
        format!("Replica {} restarted and catches up.", list.join(", "))
    }
}

impl PacedLab for ReplicationLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = Topology;
    type Action = ReplAction;
    const STEP_SECS: f64 = STEP_SECS;
    const BUDGET: (f64, f64, f64) = (20_000.0, 2_000.0, 400_000.0);
    const MOVES_EVERY_FRAME: bool = true;

    core_model_methods!(ReplicationLab);

    /// The primary, the replicas and the writes in flight.
    fn frame_view(&self) -> Topology {
        self.topology()
    }

    fn work_per_sec(&self) -> f64 {
        events_per_sec(self.config())
    }

    /// Replicas and sessions restart the run (and say so).
    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        Ok(match ReplicationLab::set_param(self, key, raw)? {
            Applied::Live => None,
            Applied::Restarted => Some("The run restarted from time zero with the new topology.".into()),
        })
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &ReplState, action: ReplAction) {
        match action {
            ReplAction::WarmUp => run.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
            ReplAction::FastForward => run.fast_forward(WARM_UP_SECS, AfterFastForward::Pause),
            ReplAction::FailPrimary => run.apply(fail_primary),
            ReplAction::StopReplica => run.apply(stop_replica),
            ReplAction::SlowReplica => run.apply(slow_replica),
            ReplAction::RestartReplicas => run.apply(restart_replicas),
            ReplAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Counters restarted: totals and percentiles count from now.".into()
            }),
        }
    }
}
