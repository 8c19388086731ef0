//! The replication page's controller: the core lab in signals and the verbs the controls call.
//!
//! The page renders the core's [`Snapshot`] and [`Topology`] only; it computes no model results.
//! The frame loop advances the lab within a per-frame event budget tuned to the machine's speed,
//! so the page never freezes whatever the rates or the speed.

use crate::components::lesson_player::param_subject;
use crate::components::pacing::{FrameBudget, Pacer, Staged};
use crate::components::transport::parse_seed;
use crate::components::url_state;
use crate::format;
use crate::kit::{LabAction, LabController};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};
use scalelab_sim::params::Params;
use scalelab_sim::replication::{Applied, Config, ReplicationLab, Snapshot, Topology};

/// Simulated seconds the transport's Step button advances.
pub const STEP_SECS: f64 = 0.1;
/// Simulated seconds the lesson's `warm_up` and `fast_forward` actions run.
pub const WARM_UP_SECS: f64 = 10.0;
/// Delay factor of the slow-replica fault.
pub const SLOW_FACTOR: f64 = 10.0;

/// The adaptive per-frame event budget: start and bounds.
const START_BUDGET: f64 = 20_000.0;
const MIN_BUDGET: f64 = 2_000.0;
const MAX_BUDGET: f64 = 400_000.0;

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

/// What to do once a fast-forward reaches its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFastForward {
    /// Just pause.
    Pause,
    /// Restart the counters, so the totals describe the settled run.
    RestartCounters,
}

/// The signals behind the replication page. `Copy`, so closures can capture it freely.
#[derive(Clone, Copy)]
pub struct ReplState {
    /// The core lab (tracked readers see config changes; the frame loop updates it untracked).
    pub lab: RwSignal<ReplicationLab>,
    /// The latest published snapshot.
    pub snap: RwSignal<Snapshot>,
    /// What the space-time diagram (`late[0]`) and the charts (`late[1]`) draw: `snap`, one
    /// and two frames later while playing.
    pub staged: Staged<Snapshot>,
    /// The primary and replicas, published every frame (writes in flight move).
    pub topo: RwSignal<Topology>,
    /// Simulated time (µs), published every frame.
    pub clock: RwSignal<SimTime>,
    /// Event budget, fast-forward (the URL's `until` or a lesson action) and throttling.
    pub pacer: Pacer,
    /// What to do when the fast-forward ends.
    after: StoredValue<AfterFastForward>,
    /// What the last fault or action did, in words.
    pub message: RwSignal<Option<String>>,
}

impl ReplState {
    /// A lab for `config` (validated by the caller; the defaults if it is refused anyway).
    fn build(config: Config) -> Self {
        let lab = ReplicationLab::new(config)
            .or_else(|_| ReplicationLab::new(Config::default()))
            .expect("the default replication config is valid");
        Self {
            snap: RwSignal::new(lab.snapshot()),
            staged: Staged::new(&lab.snapshot()),
            topo: RwSignal::new(lab.topology()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            pacer: Pacer::new(FrameBudget::new(START_BUDGET, MIN_BUDGET, MAX_BUDGET)),
            after: StoredValue::new(AfterFastForward::Pause),
            message: RwSignal::new(None),
        }
    }

    /// The config (tracked).
    pub fn config(&self) -> Config {
        self.lab.with(|l| l.config().clone())
    }

    /// Sets one parameter from raw text through the core's validated setter; on error nothing
    /// changes. A change restarts the counters (replicas and sessions restart the run).
    fn set_param_raw(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(Applied::Live);
        self.lab.update(|l| {
            result = l.set_param(key, raw);
            if result.is_ok() {
                l.reset_stats();
            }
        });
        match result.map_err(|e| e.message)? {
            Applied::Live => self.message.set(None),
            Applied::Restarted => self.say("The run restarted from time zero with the new topology.".into()),
        }
        self.publish_all();
        Ok(())
    }

    /// Sets the seed from raw text (the run restarts from time zero).
    fn set_seed_raw(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let mut config = self.lab.with_untracked(|l| l.config().clone());
        config.seed = seed;
        let mut result = Ok(Applied::Live);
        self.lab.update(|l| result = l.set_config(config));
        result.map_err(|e| e.message)?;
        self.publish_all();
        Ok(())
    }

    /// Replaces the lab with a fresh one for `config` (a lesson preset), keeping the seed.
    fn load_config(&self, mut config: Config) {
        config.seed = self.lab.with_untracked(|l| l.config().seed);
        if let Ok(lab) = ReplicationLab::new(config) {
            self.lab.set(lab);
        }
        self.pacer.stop();
        self.message.set(None);
        self.publish_all();
    }

    /// Restarts the run from time zero with the same settings and seed.
    fn restart(&self) {
        let config = self.lab.with_untracked(|l| l.config().clone());
        self.load_config(config);
    }

    /// Fast-forwards `secs` of simulated time from now across frames, then does `after`.
    pub fn fast_forward(&self, secs: f64, after: AfterFastForward) {
        let now = self.lab.with_untracked(ReplicationLab::now);
        self.fast_forward_until(now.saturating_add(from_secs(secs)), after);
    }

    /// Fast-forwards to simulated time `until` across frames, then does `after`.
    pub fn fast_forward_until(&self, until: SimTime, after: AfterFastForward) {
        self.after.set_value(after);
        self.pacer
            .fast_forward(self.lab.with_untracked(ReplicationLab::now), until);
    }

    /// Whether the frame loop must run for a fast-forward (tracked).
    fn is_busy(&self) -> bool {
        self.pacer.busy()
    }

    /// Events per simulated second of the current config (at least 1).
    fn rate(&self) -> f64 {
        self.lab.with_untracked(|l| events_per_sec(l.config())).max(1.0)
    }

    /// One animation frame: advances the lab by `advance_secs` of simulated time (or towards the
    /// fast-forward target), within the event budget. Returns true when a fast-forward ended.
    fn run_frame(&self, advance_secs: f64) -> bool {
        let now = self.lab.with_untracked(ReplicationLab::now);
        let Some(slice) = self.pacer.plan(now, self.rate(), advance_secs) else {
            return false;
        };
        self.lab.update_untracked(|l| l.step_until(slice.target));
        let publish = self.pacer.finish(slice);
        if slice.finished && self.after.get_value() == AfterFastForward::RestartCounters {
            self.lab.update_untracked(ReplicationLab::reset_stats);
        }
        // The clock moves with the snapshots (every 100 ms of wall time); only the writes in
        // flight move every frame.
        if publish {
            self.publish_numbers();
            self.staged.start();
        } else {
            self.staged.advance(self.snap);
            if !self.pacer.busy_untracked() && !platform::prefers_reduced_motion() {
                self.topo.set(self.lab.with_untracked(ReplicationLab::topology));
            }
        }
        slice.finished
    }

    /// Advances by one step (bounded by four frames' budget).
    fn step_once(&self) {
        let now = self.lab.with_untracked(ReplicationLab::now);
        let target = now.saturating_add(from_secs(STEP_SECS).min(self.pacer.span(4.0, self.rate())));
        self.lab.update_untracked(|l| l.step_until(target));
        self.publish_all();
    }

    /// Publishes the snapshot (numbers, sessions and charts), the topology and the clock now.
    fn publish_all(&self) {
        self.publish_numbers();
        self.staged.all(self.snap);
    }

    /// Publishes the snapshot for the numbers and topology, the topology and the clock.
    fn publish_numbers(&self) {
        self.pacer.published();
        let snap = self.lab.with_untracked(ReplicationLab::snapshot);
        self.topo.set(snap.topology.clone());
        self.snap.set(snap);
        self.clock.set(self.lab.with_untracked(ReplicationLab::now));
    }

    // --- Faults and actions. Each says what it did in `message`. ---

    /// The primary fails now; the most up-to-date replica takes over.
    pub fn fail_primary(&self) {
        let mut outcome = None;
        self.lab.update_untracked(|l| outcome = l.fail_primary());
        self.say(match outcome {
            Some(f) => format!(
                "The primary (node {}) failed. Replica {} had received the most and became the primary. {} acknowledged write{} it never received {} lost.",
                f.old_primary,
                f.new_primary,
                format::number(f.lost_writes as f64, 0),
                if f.lost_writes == 1 { "" } else { "s" },
                if f.lost_writes == 1 { "is" } else { "are" },
            ),
            None => "No running replica can take over: the primary stays.".into(),
        });
    }

    /// Stops the last running replica.
    pub fn stop_replica(&self) {
        let mut stopped = None;
        self.lab.update_untracked(|l| stopped = l.stop_replica());
        self.say(match stopped {
            Some(id) => format!("Replica {id} stopped: it receives nothing and answers no reads."),
            None => "Every replica is already stopped.".into(),
        });
    }

    /// Slows the last running replica ten-fold, or makes it normal again if it is slow.
    pub fn slow_replica(&self) {
        let mut done = None;
        self.lab.update_untracked(|l| {
            let slow = l
                .topology()
                .replicas
                .iter()
                .rev()
                .find(|r| !r.stopped)
                .map(|r| r.slow > 1.0);
            let factor = if slow == Some(true) { 1.0 } else { SLOW_FACTOR };
            done = l.slow_replica(factor).map(|id| (id, factor));
        });
        self.say(match done {
            Some((id, f)) if f > 1.0 => format!(
                "Replica {id} is now {} times slower to receive writes.",
                format::number(f, 0)
            ),
            Some((id, _)) => format!("Replica {id} is back to normal speed."),
            None => "No running replica to slow down.".into(),
        });
    }

    /// Restarts every stopped replica; each catches up.
    pub fn restart_replicas(&self) {
        let mut ids = Vec::new();
        self.lab.update_untracked(|l| ids = l.restart_replicas());
        self.say(if ids.is_empty() {
            "No replica is stopped.".into()
        } else {
            let list: Vec<String> = ids.iter().map(u32::to_string).collect();
            format!("Replica {} restarted and catches up.", list.join(", "))
        });
    }

    /// Restarts the totals from now.
    pub fn restart_counters(&self) {
        self.lab.update_untracked(ReplicationLab::reset_stats);
        self.say("Counters restarted: totals and percentiles count from now.".into());
    }

    fn say(&self, message: String) {
        self.message.set(Some(message));
        self.publish_all();
    }
}

impl LabController for ReplState {
    type Setup = Config;
    type Action = ReplAction;
    const STEP_SECS: f64 = STEP_SECS;

    fn base(seed: u64) -> Config {
        Config {
            seed,
            ..Config::default()
        }
    }

    fn set(setup: &mut Config, key: &str, raw: &str) -> Option<Result<(), scalelab_sim::ConfigError>> {
        Config::spec(key).map(|_| setup.set_str(key, raw))
    }

    fn new(setup: Config) -> Self {
        Self::build(setup)
    }

    fn load(&self, setup: Config) {
        self.load_config(setup);
    }

    fn reset(&self) {
        self.restart();
    }

    fn seed(&self) -> u64 {
        self.lab.with(|l| l.config().seed)
    }

    fn set_seed(&self, raw: &str) -> Result<(), String> {
        self.set_seed_raw(raw)
    }

    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        url_state::params_of(&self.config())
    }

    /// Busy while fast-forwarding.
    fn busy(&self) -> bool {
        self.is_busy()
    }

    fn frame(&self, advance_secs: f64) -> bool {
        self.run_frame(advance_secs)
    }

    fn step(&self) {
        self.step_once();
    }

    fn fast_forward_to(&self, until_secs: f64) {
        self.fast_forward_until(from_secs(until_secs), AfterFastForward::Pause);
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

    fn act(&self, action: ReplAction) {
        match action {
            ReplAction::WarmUp => self.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
            ReplAction::FastForward => self.fast_forward(WARM_UP_SECS, AfterFastForward::Pause),
            ReplAction::FailPrimary => self.fail_primary(),
            ReplAction::StopReplica => self.stop_replica(),
            ReplAction::SlowReplica => self.slow_replica(),
            ReplAction::RestartReplicas => self.restart_replicas(),
            ReplAction::RestartCounters => self.restart_counters(),
        }
    }

    /// `metric:<name>` from the metric cards, `param:<key>` from the config (a choice by its
    /// option index).
    fn lookup(&self, subject: &str) -> Option<f64> {
        if let Some(name) = subject.strip_prefix("metric:") {
            return self.snap.with(|s| super::metrics::metric_value(s, name));
        }
        self.lab.with(|l| param_subject(l.config(), subject))
    }
}
