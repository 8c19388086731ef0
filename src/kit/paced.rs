//! Paced labs: the controller shared by every lab whose model runs on a simulated clock and is
//! stepped within a per-frame work budget (cache, replication, circuit breaker).
//!
//! A lab implements [`PacedLab`] for its core model (what differs: its config, budget, actions,
//! metrics and the odd hook), and its controller is `PacedRun<Model>`: the model in signals, the
//! published snapshot (in [`Staged`] stages), the clock, the [`Pacer`] and the last action's
//! message. `PacedRun` implements [`LabController`] once for all of them.

use super::action::LabAction;
use super::controller::LabController;
use super::rewind::{Change, Tape};
use crate::components::lesson_player::param_subject;
use crate::components::pacing::{FastForwardProgress, FrameBudget, Pacer, Staged, ThrottledNote};
use crate::components::transport::parse_seed;
use crate::components::{ParamAccess, Timeline};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;

/// What a paced lab's core model offers its controller. Implemented in the lab's `state.rs`.
pub trait PacedLab: Sized + Send + Sync + 'static {
    /// The model's config (validated `Params`, with a seed).
    type Config: Params + Clone + Send + Sync + 'static;
    /// What the views draw.
    type Snapshot: Clone + Send + Sync + 'static;
    /// What moves on every frame between snapshots (replication's writes in flight); `()` for
    /// labs where nothing does.
    type FrameView: Clone + Send + Sync + 'static;
    /// The lab's own actions.
    type Action: LabAction;

    /// Simulated seconds the Step button advances.
    const STEP_SECS: f64;
    /// The per-frame work budget in the model's units (requests, events, calls): start, least,
    /// most.
    const BUDGET: (f64, f64, f64);
    /// The panels a prediction can hide (`panel:<id>`; the page wraps each in `<Reveal id=...>`).
    /// Default: none.
    const PANELS: &'static [&'static str] = &[];
    /// The speeds the transport offers (see [`LabController::SPEEDS`]).
    const SPEEDS: crate::components::transport::Speeds = crate::components::transport::SPEEDS;
    /// The speed a run starts at.
    const DEFAULT_SPEED: f64 = 1.0;
    /// Whether [`PacedLab::frame_view`] changes between snapshots (then it is published every
    /// frame while playing, unless the learner prefers reduced motion).
    const MOVES_EVERY_FRAME: bool = false;

    /// What the Step button's tooltip says it advances.
    fn step_label() -> String {
        format!("{} s", Self::STEP_SECS)
    }
    /// The defaults, with `seed`.
    fn base(seed: u64) -> Self::Config;
    /// Stores one URL or preset value (`None`: not a key of the lab).
    fn set(config: &mut Self::Config, key: &str, raw: &str) -> Option<Result<(), ConfigError>> {
        Self::Config::spec(key).map(|_| config.set_str(key, raw))
    }
    /// The config's URL pairs.
    fn url_pairs(config: &Self::Config) -> Vec<(&'static str, String)> {
        crate::components::url_state::params_of(config)
    }
    /// A model for `config`.
    fn build(config: Self::Config) -> Result<Self, ConfigError>;
    /// The model's config.
    fn config(&self) -> &Self::Config;
    /// A config's seed.
    fn seed_of(config: &Self::Config) -> u64;
    /// Sets a config's seed.
    fn set_seed(config: &mut Self::Config, seed: u64);
    /// Simulated time now.
    fn now(&self) -> SimTime;
    /// Runs the model to `t`.
    fn step_until(&mut self, t: SimTime);
    /// The model's snapshot.
    fn snapshot(&self) -> Self::Snapshot;
    /// What moves every frame (see [`PacedLab::MOVES_EVERY_FRAME`]).
    fn frame_view(&self) -> Self::FrameView;
    /// Restarts the totals from now.
    fn reset_stats(&mut self);
    /// Work units per simulated second (sizes a frame's slice of time).
    fn work_per_sec(&self) -> f64;
    /// Changes one setting live through the model's validated setter; `Ok(Some(message))` when
    /// the change did more than its name says (e.g. restarted the run).
    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError>;
    /// Whether changing `key` drops a fast-forward under way (a script's end moved).
    fn stops_fast_forward(_key: &str) -> bool {
        false
    }
    /// Where one Step from `now` goes, given the budget-bounded default `by` (a script may stop
    /// at its next call instead).
    fn step_target(&self, now: SimTime, by: SimTime) -> SimTime {
        now.saturating_add(by)
    }
    /// Whether the model has work of its own before its clock can move (the sharding lab's
    /// placement job after a layout change): the clock waits, controls pressed meanwhile are
    /// queued, and [`PacedLab::do_work`] runs on every frame, playing or not. Default: never.
    fn has_work(&self) -> bool {
        false
    }
    /// Does one frame's share of that work (within the model's own per-frame budget).
    fn do_work(&mut self) {}
    /// A metric card's value by name, for goals and facts.
    fn metric(snapshot: &Self::Snapshot, name: &str) -> Option<f64>;
    /// Performs one of the lab's own actions (which may fast-forward and say what they did).
    fn act(run: &PacedRun<Self>, action: Self::Action);
}

/// The methods of a [`PacedLab`] impl that every core model (`CacheLab`, `ReplicationLab`,
/// `BreakerLab`) provides under the same names, for a `Config` with a `seed` field and
/// `Default`: `base`, `build` (`new`), `config`, `seed_of`, `set_seed`, `now`, `step_until`,
/// `snapshot`, `reset_stats`. Use it inside the impl: `core_model_methods!(CacheLab);`.
/// A model whose totals describe the whole run from time 0 (nothing to restart) says why:
/// `core_model_methods!(AutoscalingLab, counters_never_restart: "Nothing: ...");`.
macro_rules! core_model_methods {
    ($model:ty) => {
        core_model_methods!(@run $model);

        fn reset_stats(&mut self) {
            <$model>::reset_stats(self);
        }
    };
    ($model:ty, counters_never_restart: $why:literal) => {
        core_model_methods!(@run $model);

        #[doc = $why]
        fn reset_stats(&mut self) {}
    };
    (@run $model:ty) => {
        fn base(seed: u64) -> Self::Config {
            Self::Config {
                seed,
                ..Default::default()
            }
        }

        fn build(config: Self::Config) -> Result<Self, scalelab_sim::ConfigError> {
            <$model>::new(config)
        }

        fn config(&self) -> &Self::Config {
            <$model>::config(self)
        }

        fn seed_of(config: &Self::Config) -> u64 {
            config.seed
        }

        fn set_seed(config: &mut Self::Config, seed: u64) {
            config.seed = seed;
        }

        fn now(&self) -> scalelab_sim::engine::time::SimTime {
            <$model>::now(self)
        }

        fn step_until(&mut self, t: scalelab_sim::engine::time::SimTime) {
            <$model>::step_until(self, t);
        }

        fn snapshot(&self) -> Self::Snapshot {
            <$model>::snapshot(self)
        }
    };
}
pub(crate) use core_model_methods;

/// What to do once a fast-forward reaches its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFastForward {
    /// Just pause.
    Pause,
    /// Restart the counters, so the totals describe the settled run.
    RestartCounters,
}

/// The controller of a paced lab: its model in signals and the verbs the controls call. `Copy`.
pub struct PacedRun<M: PacedLab> {
    /// The core model (tracked readers see config changes; the frame loop updates it untracked).
    pub lab: RwSignal<M>,
    /// The latest published snapshot (numbers, first-stage views).
    pub snap: RwSignal<M::Snapshot>,
    /// What the later views draw: `snap`, one (`late[0]`) and two (`late[1]`) frames later while
    /// playing, so one frame does not pay for every view a snapshot changes.
    pub staged: Staged<M::Snapshot>,
    /// What moves every frame (see [`PacedLab::MOVES_EVERY_FRAME`]).
    pub view: RwSignal<M::FrameView>,
    /// Simulated time (µs), published with the snapshots.
    pub clock: RwSignal<SimTime>,
    /// Work budget, fast-forward (the URL's `until` or an action) and throttling.
    pub pacer: Pacer,
    /// What to do when the fast-forward ends.
    after: StoredValue<AfterFastForward>,
    /// What the last action did, in words.
    pub message: RwSignal<Option<String>>,
    /// The run's inputs since its start, to rebuild any earlier moment (tracked: the timeline's
    /// markers, the URL's `inputs`).
    pub tape: RwSignal<Tape>,
    /// The config the run started from: the tape replays from it.
    start_config: StoredValue<M::Config>,
    /// The action under way, so [`PacedRun::apply`] records it.
    acting: StoredValue<Option<M::Action>>,
    /// Whether an input from the tape is being applied (it is not recorded again).
    replaying: StoredValue<bool>,
}

impl<M: PacedLab> Clone for PacedRun<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M: PacedLab> Copy for PacedRun<M> {}

impl<M: PacedLab> PacedRun<M> {
    /// A run of `config` (the defaults if it is refused; a lab's defaults are always valid).
    fn start(config: M::Config) -> Self {
        let seed = M::seed_of(&config);
        let lab = match M::build(config).or_else(|_| M::build(M::base(seed))) {
            Ok(lab) => lab,
            Err(e) => panic!("the default config is valid: {}", e.message),
        };
        let (start, min, max) = M::BUDGET;
        let start_config = lab.config().clone();
        Self {
            snap: RwSignal::new(lab.snapshot()),
            staged: Staged::new(&lab.snapshot()),
            view: RwSignal::new(lab.frame_view()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            pacer: Pacer::new(FrameBudget::new(start, min, max)),
            after: StoredValue::new(AfterFastForward::Pause),
            message: RwSignal::new(None),
            tape: RwSignal::new(Tape::default()),
            start_config: StoredValue::new(start_config),
            acting: StoredValue::new(None),
            replaying: StoredValue::new(false),
        }
    }

    /// The config (tracked).
    pub fn config(&self) -> M::Config {
        self.lab.with(|l| l.config().clone())
    }

    /// Replaces the model with a fresh one for `config`, keeping the current seed.
    fn reload(&self, mut config: M::Config) {
        M::set_seed(&mut config, self.lab.with_untracked(|l| M::seed_of(l.config())));
        if let Ok(lab) = M::build(config) {
            self.lab.set(lab);
        }
        self.pacer.stop();
        self.message.set(None);
        self.begin_tape();
        self.publish_all();
    }

    /// A new run starts here: its config is what the tape replays from, and the tape is empty.
    fn begin_tape(&self) {
        self.start_config
            .set_value(self.lab.with_untracked(|l| l.config().clone()));
        self.tape.set(Tape::default());
    }

    /// Records an input made now. A setting changed at time zero before anything else happened
    /// is part of the start instead.
    fn record(&self, change: Change) {
        if self.replaying.get_value() {
            return;
        }
        let now = self.lab.with_untracked(M::now);
        let at_start = now == 0 && self.tape.with_untracked(|t| t.applied() == 0);
        if at_start && matches!(change, Change::Set(..)) {
            self.begin_tape();
        } else {
            self.tape.update(|t| t.record(now, change));
        }
    }

    /// Applies the inputs on the tape that are due now, in order, while the model has no work
    /// of its own (an input that gives it work, such as a new shard, makes the next wait, as
    /// the learner's press waited).
    fn apply_due(&self) {
        while !self.lab.with_untracked(M::has_work) {
            let now = self.lab.with_untracked(M::now);
            let Some(change) = self.tape.with_untracked(|t| t.due(now).cloned()) else {
                break;
            };
            self.tape.update(Tape::advance);
            self.replaying.set_value(true);
            match change {
                Change::Set(key, value) => {
                    let _ = LabController::set_param(self, &key, &value);
                }
                Change::Act(name) => {
                    if let Some(&(_, action)) = M::Action::NAMES.iter().find(|(n, _)| *n == name) {
                        LabController::act(self, action);
                    }
                }
                Change::RestartCounters => self.lab.update_untracked(M::reset_stats),
            }
            self.replaying.set_value(false);
        }
    }

    /// `target` cut at the next input still to apply, so it is applied at its own time.
    fn before_next_input(&self, target: SimTime) -> SimTime {
        self.tape
            .with_untracked(Tape::next_at)
            .map_or(target, |next| target.min(next))
    }

    /// Whether a message said now would describe a replayed input in the middle of a rebuild
    /// (it is not shown: the rewind says what happens).
    fn quiet(&self) -> bool {
        self.replaying.get_value() && self.pacer.busy_untracked()
    }

    /// The timeline's end, in simulated seconds: the furthest the run reached (tracked).
    pub fn end_secs(&self) -> f64 {
        to_secs(self.tape.with(Tape::end).max(self.clock.get()))
    }

    /// The run's inputs as labelled timeline markers (tracked).
    pub fn markers(&self) -> Vec<super::rewind::Marker> {
        self.tape.with(|t| {
            super::rewind::markers(t, |change| {
                super::rewind::describe(change, |key| {
                    <M::Config as Params>::spec(key).map(|s| (s.label, s.unit))
                })
            })
        })
    }

    /// Shows the run at simulated second `secs` (clamped to the timeline: from 0 to the run's
    /// furthest time). Back in time, the run is rebuilt from its start config and seed, and its
    /// inputs are replayed across frames as a fast-forward; forward, it fast-forwards, applying
    /// the inputs still ahead. An input made afterwards branches the run.
    pub fn rewind_to(&self, secs: f64) {
        if !secs.is_finite() || self.lab.with_untracked(M::has_work) {
            return;
        }
        let now = self.lab.with_untracked(M::now);
        let end = self.tape.with_untracked(Tape::end).max(now);
        let target = from_secs(secs.max(0.0)).min(end);
        self.pacer.stop();
        self.after.set_value(AfterFastForward::Pause);
        if target < now {
            let Ok(lab) = M::build(self.start_config.get_value()) else {
                return;
            };
            self.lab.set(lab);
            self.tape.update(|t| t.rewind(now));
            let inputs = self.tape.with_untracked(|t| t.inputs().len());
            self.message.set(Some(format!(
                "Back to {}: the run replays from time 0 with the same seed{}.",
                crate::format::sim_clock(to_secs(target)),
                match inputs {
                    0 => String::new(),
                    1 => " and its one input".into(),
                    n => format!(" and its {n} inputs"),
                }
            )));
            self.apply_due();
        }
        let now = self.lab.with_untracked(M::now);
        if target > now {
            self.pacer.fast_forward(now, target);
            self.tape.update_untracked(|t| t.aim = Some(target));
        }
        self.publish_all();
    }

    /// Fast-forwards `secs` of simulated time from now across frames, then does `after`.
    pub fn fast_forward(&self, secs: f64, after: AfterFastForward) {
        let now = self.lab.with_untracked(M::now);
        self.fast_forward_until(now.saturating_add(from_secs(secs)), after);
    }

    /// Fast-forwards to simulated time `until` across frames (nothing if it is not ahead), then
    /// does `after`.
    pub fn fast_forward_until(&self, until: SimTime, after: AfterFastForward) {
        let now = self.lab.with_untracked(M::now);
        if until > now && !self.replaying.get_value() {
            self.after.set_value(after);
            self.pacer.fast_forward(now, until);
        }
    }

    /// Changes the model with `f` (an action: readers of its config, such as the controls and the
    /// URL, see any change it made), then says `message` and publishes.
    pub fn apply(&self, f: impl FnOnce(&mut M) -> String) {
        let mut message = String::new();
        self.lab.update(|l| message = f(l));
        if let Some(action) = self.acting.get_value() {
            if let Some(&(name, _)) = M::Action::NAMES.iter().find(|(_, a)| *a == action) {
                self.record(Change::Act(name));
            }
        }
        if !self.quiet() {
            self.message.set(Some(message));
        }
        self.publish_all();
    }

    /// Publishes the snapshot to every stage, the moving view and the clock now.
    pub fn publish_all(&self) {
        self.publish_first();
        self.staged.all(self.snap);
    }

    /// Publishes the snapshot for the numbers, the moving view and the clock.
    fn publish_first(&self) {
        self.pacer.published();
        self.lab.with_untracked(|l| {
            self.view.set(l.frame_view());
            self.snap.set(l.snapshot());
            self.clock.set(l.now());
        });
    }

    /// The parameter controls' access: values and validated writes through this run, and the
    /// settings that matter for the current config (`applies`; the others are greyed out).
    pub fn param_access(&self, applies: fn(&str, &M::Config) -> bool) -> ParamAccess {
        let run = *self;
        ParamAccess::new(
            move |key| run.lab.with(|l| l.config().get(key)),
            move |key, raw| run.set_param(key, raw),
            move |key| run.lab.with(|l| applies(key, l.config())),
        )
    }

    /// Work units per simulated second now (at least 1).
    fn rate(&self) -> f64 {
        self.lab.with_untracked(M::work_per_sec).max(1.0)
    }
}

impl<M: PacedLab> LabController for PacedRun<M> {
    type Setup = M::Config;
    type Action = M::Action;
    const STEP_SECS: f64 = M::STEP_SECS;
    const PANELS: &'static [&'static str] = M::PANELS;
    const SPEEDS: crate::components::transport::Speeds = M::SPEEDS;
    const DEFAULT_SPEED: f64 = M::DEFAULT_SPEED;

    fn step_label() -> String {
        M::step_label()
    }

    fn base(seed: u64) -> M::Config {
        M::base(seed)
    }

    fn set(setup: &mut M::Config, key: &str, raw: &str) -> Option<Result<(), ConfigError>> {
        M::set(setup, key, raw)
    }

    fn new(setup: M::Config) -> Self {
        Self::start(setup)
    }

    fn load(&self, setup: M::Config) {
        self.reload(setup);
    }

    /// The run restarts from time zero with the same settings and seed (a script plays again).
    fn reset(&self) {
        self.reload(self.lab.with_untracked(|l| l.config().clone()));
    }

    fn seed(&self) -> u64 {
        self.lab.with(|l| M::seed_of(l.config()))
    }

    /// The run restarts from time zero with the new seed.
    fn set_seed(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let mut config = self.lab.with_untracked(|l| l.config().clone());
        M::set_seed(&mut config, seed);
        let lab = M::build(config).map_err(|e| e.message)?;
        self.lab.set(lab);
        self.pacer.stop();
        self.begin_tape();
        self.publish_all();
        Ok(())
    }

    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        self.lab.with(|l| M::url_pairs(l.config()))
    }

    /// Busy while fast-forwarding or while the model has work of its own.
    fn busy(&self) -> bool {
        self.pacer.busy() || self.lab.with(M::has_work)
    }

    /// Steps the model within the frame's budget; the clock and numbers move with the snapshots
    /// (every 100 ms of wall time), the later stages follow on the next frames, and only what
    /// [`PacedLab::MOVES_EVERY_FRAME`] moves in between.
    fn frame(&self, advance_secs: f64) -> bool {
        if self.lab.with_untracked(M::has_work) {
            self.lab.update_untracked(M::do_work);
            // Its progress shows on every frame; once it is done the views catch up at once.
            if self.lab.with_untracked(M::has_work) {
                self.publish_first();
            } else {
                self.publish_all();
            }
            return false;
        }
        self.apply_due();
        if self.lab.with_untracked(M::has_work) {
            self.publish_all();
            return false;
        }
        let now = self.lab.with_untracked(M::now);
        let Some(mut slice) = self.pacer.plan(now, self.rate(), advance_secs) else {
            return false;
        };
        let cut = self.before_next_input(slice.target);
        if cut < slice.target {
            slice.target = cut;
            slice.finished = false;
        }
        self.lab.update_untracked(|l| l.step_until(slice.target));
        self.apply_due();
        let publish = self.pacer.finish(slice);
        if slice.finished {
            self.tape.update_untracked(|t| t.aim = None);
        }
        if slice.finished && self.after.get_value() == AfterFastForward::RestartCounters {
            self.lab.update_untracked(M::reset_stats);
            self.record(Change::RestartCounters);
        }
        if publish {
            self.publish_first();
            self.staged.start();
        } else {
            self.staged.advance(self.snap);
            if M::MOVES_EVERY_FRAME && !self.pacer.busy_untracked() && !platform::prefers_reduced_motion() {
                self.view.set(self.lab.with_untracked(M::frame_view));
            }
        }
        slice.finished
    }

    /// One step (bounded by four frames' budget, or to the lab's own stop).
    fn step(&self) {
        if self.lab.with_untracked(M::has_work) {
            return;
        }
        self.apply_due();
        let by = from_secs(M::STEP_SECS).min(self.pacer.span(4.0, self.rate()));
        let target = self.lab.with_untracked(|l| l.step_target(l.now(), by));
        let target = self.before_next_input(target);
        if !self.lab.with_untracked(M::has_work) {
            self.lab.update_untracked(|l| l.step_until(target));
            self.apply_due();
        }
        self.publish_all();
    }

    /// A link's moment: like a rewind's, a setting changed on the way lands there.
    fn fast_forward_to(&self, until_secs: f64) {
        let until = from_secs(until_secs);
        self.fast_forward_until(until, AfterFastForward::Pause);
        if self.pacer.busy_untracked() {
            self.tape.update_untracked(|t| t.aim = Some(until));
        }
    }

    fn publish(&self) {
        self.publish_all();
    }

    fn clock_secs(&self) -> f64 {
        to_secs(self.clock.get())
    }

    /// A change restarts the counters, so the totals describe the new settings; a refused value
    /// changes nothing.
    /// The change is recorded on the tape (one that restarts the run starts a new tape).
    /// While a rewind replays the run, the change is checked, then kept for the moment the
    /// rewind goes to (the learner is there), and applied when the replay gets there.
    fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        let before = self.lab.with_untracked(M::now);
        let aim = self.tape.with_untracked(|t| t.aim).filter(|&aim| aim > before);
        if let Some(aim) = aim.filter(|_| !self.replaying.get_value() && self.pacer.busy_untracked()) {
            let mut check = self.lab.with_untracked(|l| l.config().clone());
            if let Some(Err(e)) = M::set(&mut check, key, raw) {
                return Err(e.message);
            }
            self.tape
                .update(|t| t.record_ahead(aim, Change::Set(key.to_string(), raw.to_string())));
            return Ok(());
        }
        let mut result = Ok(None);
        self.lab.update(|l| {
            result = l.set_param(key, raw);
            if result.is_ok() {
                l.reset_stats();
            }
        });
        let message = result.map_err(|e| e.message)?;
        if self.lab.with_untracked(M::now) < before && !self.replaying.get_value() {
            self.begin_tape();
        } else {
            self.record(Change::Set(key.to_string(), raw.to_string()));
        }
        if M::stops_fast_forward(key) && !self.replaying.get_value() {
            self.pacer.stop();
        }
        if !self.quiet() {
            self.message.set(message);
        }
        self.publish_all();
        Ok(())
    }

    /// An action that changes the model is recorded on the tape; one that only moves the clock
    /// (a fast-forward) is not: replaying the run moves it anyway.
    fn act(&self, action: M::Action) {
        self.acting.set_value(Some(action));
        M::act(self, action);
        self.acting.set_value(None);
    }

    const TIMELINE: bool = true;

    fn load_tape(&self, tape: Tape) {
        self.tape.set(tape);
        self.apply_due();
        self.publish_all();
    }

    fn inputs_query(&self) -> Option<String> {
        let now = self.url_pairs();
        self.tape
            .with(|t| t.encode(&self.start_config.with_value(|c| M::url_pairs(c)), &now))
    }

    /// `metric:<name>` from the metric cards, `param:<key>` from the config (a choice by its
    /// option index, a toggle as 0/1).
    fn lookup(&self, subject: &str) -> Option<f64> {
        if let Some(name) = subject.strip_prefix("metric:") {
            return self.snap.with(|s| M::metric(s, name));
        }
        self.lab.with(|l| param_subject(l.config(), subject))
    }
}

/// A paced lab's run panel: [`super::LabTransport`], the fast-forward's progress, the note shown
/// while the device cannot keep up with the chosen speed, then the lab's own buttons (children).
#[component]
pub fn RunPanel<M: PacedLab>(
    /// The booted lab.
    kit: super::Kit<PacedRun<M>>,
    /// What goes under the transport (fault buttons, a phase line).
    children: Children,
) -> impl IntoView {
    let run = kit.lab();
    let playing = kit.driver.transport.playing;
    view! {
        <section class="panel" aria-labelledby="run-title">
            <h2 id="run-title" class="visually-hidden">"Run"</h2>
            <super::LabTransport kit=kit/>
            <Timeline
                clock=Signal::derive(move || to_secs(run.clock.get()))
                end=Signal::derive(move || run.end_secs())
                markers=Signal::derive(move || run.markers())
                on_seek=Callback::new(move |t: f64| {
                    playing.set(false);
                    run.rewind_to(t);
                })
            />
            <FastForwardProgress pacer=run.pacer clock=run.clock/>
            <ThrottledNote pacer=run.pacer playing=kit.driver.transport.playing/>
            {children()}
        </section>
    }
}
