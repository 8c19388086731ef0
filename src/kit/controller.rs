//! The lab contract: what every lab's controller offers the kit.
//!
//! A controller is a `Copy` struct of signals around the lab's core model (see a lab's
//! `state.rs`). The kit's [`super::Driver`] and [`super::use_lab`] do everything around it that is
//! the same for every lab: boot from the URL and saved step, follow the state in the URL, the
//! transport, fast-forward, the frame loop, the action queue and the lesson wiring. The native
//! lesson test drives the same controller through the same driver, so what it checks is what a
//! learner's page does.

use super::action::LabAction;
use scalelab_sim::ConfigError;

/// A lab's controller. Methods documented "tracked" are read in reactive contexts (URL, views);
/// the others are called from event handlers and the frame loop.
pub trait LabController: Copy + Send + Sync + 'static {
    /// Everything a URL or a lesson preset can set, usually the core's `Config` (a lab with a
    /// second config, such as the hash ring's cost simulation, pairs them).
    type Setup: Clone + Send + Sync + 'static;
    /// The lab's own actions (the transport's are the kit's).
    type Action: LabAction;

    /// Simulated seconds the transport's Step button advances.
    const STEP_SECS: f64;

    /// The panels a prediction can hide (`panel:<id>` in a lesson; the page wraps each in
    /// `<Reveal id=...>`). Default: none.
    const PANELS: &'static [&'static str] = &[];

    /// The speeds the transport offers (simulated seconds per wall second, labels). Default: from
    /// slow motion to 100×.
    const SPEEDS: crate::components::transport::Speeds = crate::components::transport::SPEEDS;

    /// The speed a run starts at (one of [`LabController::SPEEDS`]). Default: real time.
    const DEFAULT_SPEED: f64 = 1.0;

    /// What the Step button's tooltip says it advances (default: [`LabController::STEP_SECS`]).
    fn step_label() -> String {
        format!("{} s", Self::STEP_SECS)
    }

    /// The setup a run starts from before any preset or URL value: the defaults, with `seed`.
    fn base(seed: u64) -> Self::Setup;

    /// Stores one raw URL or preset value through the model's validated setter: `None` for a key
    /// the lab does not know, `Some(Err)` for a refused value (nothing changes then).
    fn set(setup: &mut Self::Setup, key: &str, raw: &str) -> Option<Result<(), ConfigError>>;

    /// A controller running `setup` (already validated value by value; the defaults if the whole
    /// is refused).
    fn new(setup: Self::Setup) -> Self;

    /// Replaces the run with a fresh one for `setup` (entering a lesson step). The seed in `setup`
    /// is the controller's current one (the kit builds it from [`LabController::seed`]).
    fn load(&self, setup: Self::Setup);

    /// Restarts the run from time zero with the same settings and seed.
    fn reset(&self);

    /// The seed (tracked).
    fn seed(&self) -> u64;

    /// Sets the seed from raw text (the run restarts); the message says why a value is refused.
    fn set_seed(&self, raw: &str) -> Result<(), String>;

    /// The lab's values as URL pairs, in a stable order (tracked).
    fn url_pairs(&self) -> Vec<(&'static str, String)>;

    /// Whether the lab has work of its own to finish before it can take an action: a placement
    /// being computed, a fast-forward (tracked). The frame loop runs while it is.
    fn busy(&self) -> bool;

    /// [`LabController::busy`] without tracking.
    fn busy_untracked(&self) -> bool {
        leptos::prelude::untrack(|| self.busy())
    }

    /// One animation frame: does pending work within the frame's budget and advances the clock by
    /// `advance_secs` (0 while paused) or towards the fast-forward's target. Returns true when a
    /// fast-forward ended on this frame (the transport then pauses).
    fn frame(&self, advance_secs: f64) -> bool;

    /// Advances by the transport's one step ([`LabController::STEP_SECS`]).
    fn step(&self);

    /// Starts a fast-forward to simulated second `until_secs` (the URL's `until`), done over the
    /// next frames.
    fn fast_forward_to(&self, until_secs: f64);

    /// Publishes the model's state to the views now (labs that publish at a pace; default: no-op).
    fn publish(&self) {}

    /// Simulated seconds on the clock (tracked).
    fn clock_secs(&self) -> f64;

    /// Changes one setting live, as a control does, through the model's validated setter; the
    /// message says why a value is refused (nothing changes then).
    fn set_param(&self, key: &str, raw: &str) -> Result<(), String>;

    /// Performs one of the lab's own actions.
    fn act(&self, action: Self::Action);

    /// Whether the lab runs on a simulated clock and has a timeline to rewind (its inputs are
    /// recorded and travel in the URL's `inputs`). Default: no.
    const TIMELINE: bool = false;

    /// Loads a link's inputs to replay as the clock reaches them (those due at time zero now).
    /// Default: nothing (a lab without a timeline).
    fn load_tape(&self, _tape: super::rewind::Tape) {}

    /// The run's recorded inputs as the URL's `inputs` value, `None` without any (tracked).
    fn inputs_query(&self) -> Option<String> {
        None
    }

    /// A goal or fact subject: `metric:<name>` (a metric card's name, from the latest snapshot)
    /// or `param:<key>` (a setting: a number, a toggle as 0/1, a choice as its option index).
    /// Tracked, so a goal follows it live.
    fn lookup(&self, subject: &str) -> Option<f64>;
}
