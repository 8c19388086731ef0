//! The capacity page's controller: the core lab (plan + verification simulation) in signals.

use crate::components::lesson_player::param_subject;
use crate::components::pacing::PUBLISH_EVERY_MS;
use crate::components::transport::parse_seed;
use crate::components::url_state;
use crate::kit::{LabController, NoAction};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::capacity::{CapacityLab, Config, Plan, SimSnapshot, PRESETS};
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};
use scalelab_sim::params::Params;

/// Simulated seconds the Step button advances.
pub const STEP_SECS: f64 = 0.1;
/// Most simulation events one animation frame may run (keeps a frame well under 16 ms).
pub const EVENTS_PER_FRAME: u64 = 60_000;
/// Events per frame while fast-forwarding to the URL's `until`.
pub const FAST_FORWARD_EVENTS_PER_FRAME: u64 = 150_000;

/// The signals behind the capacity page. `Copy`.
#[derive(Clone, Copy)]
pub struct CapState {
    /// The core lab: config, plan and simulation.
    pub lab: RwSignal<CapacityLab>,
    /// The simulation's latest snapshot.
    pub sim: RwSignal<Option<SimSnapshot>>,
    /// Lab time (µs), published after each frame.
    pub clock: RwSignal<SimTime>,
    /// Fast-forward target from the URL's `until`.
    pub until: RwSignal<Option<SimTime>>,
    /// Whether the last frame hit its event budget before reaching the chosen speed.
    pub throttled: RwSignal<bool>,
    /// When the last snapshot was published (wall ms): while playing, at most every
    /// [`PUBLISH_EVERY_MS`], as the other labs do.
    last_publish_ms: StoredValue<f64>,
}

impl CapState {
    /// A lab for a validated config and seed.
    fn build(config: Config, seed: u64) -> Self {
        let lab = CapacityLab::new(config, seed)
            .or_else(|_| CapacityLab::new(Config::default(), seed))
            .expect("the default capacity config is valid");
        Self {
            sim: RwSignal::new(lab.sim_snapshot()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            until: RwSignal::new(None),
            throttled: RwSignal::new(false),
            last_publish_ms: StoredValue::new(f64::NEG_INFINITY),
        }
    }

    /// The current plan (tracked).
    pub fn plan<T>(&self, f: impl FnOnce(&Plan) -> T) -> T {
        self.lab.with(|l| f(l.plan()))
    }

    /// The config (tracked).
    pub fn config(&self) -> Config {
        self.lab.with(|l| l.config().clone())
    }

    /// Sets one parameter from raw text; on error nothing changes.
    fn set_param_raw(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.lab.update(|l| result = l.set_param(key, raw));
        result.map_err(|e| e.message)?;
        self.publish_all();
        Ok(())
    }

    /// Loads a named preset on top of the defaults.
    pub fn load_preset(&self, key: &str) -> Result<(), String> {
        let preset = PRESETS.iter().find(|p| p.key == key).ok_or("unknown preset")?;
        let config = preset.config().map_err(|e| e.message)?;
        self.load_config(config);
        Ok(())
    }

    /// Replaces the config (e.g. a lesson preset) keeping the seed; restarts the simulation.
    fn load_config(&self, config: Config) {
        let seed = self.lab.with_untracked(CapacityLab::seed);
        if let Ok(lab) = CapacityLab::new(config, seed) {
            self.lab.set(lab);
            self.publish_all();
        }
    }

    /// Sets the seed from raw text (restarts the simulation).
    fn set_seed_raw(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let config = self.lab.with_untracked(|l| l.config().clone());
        if let Ok(lab) = CapacityLab::new(config, seed) {
            self.lab.set(lab);
            self.publish_all();
        }
        Ok(())
    }

    /// Restarts the verification simulation from time zero.
    fn restart(&self) {
        self.lab.update(CapacityLab::reset);
        self.publish_all();
    }

    /// One animation frame: advance by `advance_secs` of simulated time (or towards `until`).
    /// Returns whether the fast-forward to `until` ended.
    fn run_frame(&self, advance_secs: f64) -> bool {
        let now = self.lab.with_untracked(CapacityLab::now);
        let mut reached = false;
        match self.until.get_untracked() {
            Some(until) => {
                self.lab
                    .update_untracked(|l| reached = l.step_until_budget(until, FAST_FORWARD_EVENTS_PER_FRAME));
                if reached {
                    self.until.set(None);
                }
            }
            None if advance_secs > 0.0 => {
                let target = now.saturating_add(from_secs(advance_secs));
                let mut kept_up = true;
                self.lab.update_untracked(|l| {
                    kept_up = l.step_until_budget(target, EVENTS_PER_FRAME);
                });
                if self.throttled.get_untracked() == kept_up {
                    self.throttled.set(!kept_up);
                }
                // Snapshots (and the charts they redraw) at the pace of the other labs, not
                // every frame.
                if platform::now_ms() - self.last_publish_ms.get_value() < PUBLISH_EVERY_MS {
                    return false;
                }
            }
            None => return false,
        }
        self.publish_all();
        reached
    }

    /// Advances by one step (within the per-frame event budget).
    fn step_once(&self) {
        let target = self
            .lab
            .with_untracked(CapacityLab::now)
            .saturating_add(from_secs(STEP_SECS));
        self.lab.update_untracked(|l| {
            l.step_until_budget(target, EVENTS_PER_FRAME * 4);
        });
        self.publish_all();
    }

    /// Publishes the simulation's snapshot and the clock now.
    fn publish_all(&self) {
        self.last_publish_ms.set_value(platform::now_ms());
        self.sim.set(self.lab.with_untracked(CapacityLab::sim_snapshot));
        self.clock.set(self.lab.with_untracked(CapacityLab::now));
    }
}

impl LabController for CapState {
    /// The config and the simulation's seed (the config has none of its own).
    type Setup = (Config, u64);
    type Action = NoAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// The worked calculation, the latency curve and the targets (they show answers a lesson
    /// asks for).
    const PANELS: &'static [&'static str] = &["worked", "curve", "target"];

    fn base(seed: u64) -> Self::Setup {
        (Config::default(), seed)
    }

    fn set(setup: &mut Self::Setup, key: &str, raw: &str) -> Option<Result<(), scalelab_sim::ConfigError>> {
        Config::spec(key).map(|_| setup.0.set_str(key, raw))
    }

    fn new(setup: Self::Setup) -> Self {
        Self::build(setup.0, setup.1)
    }

    /// The plan's inputs change; the seed stays.
    fn load(&self, setup: Self::Setup) {
        self.load_config(setup.0);
    }

    fn reset(&self) {
        self.restart();
    }

    fn seed(&self) -> u64 {
        self.lab.with(CapacityLab::seed)
    }

    fn set_seed(&self, raw: &str) -> Result<(), String> {
        self.set_seed_raw(raw)
    }

    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        url_state::params_of(&self.config())
    }

    /// Busy while running the simulation to the link's `until`.
    fn busy(&self) -> bool {
        self.until.get().is_some()
    }

    fn frame(&self, advance_secs: f64) -> bool {
        self.run_frame(advance_secs)
    }

    fn step(&self) {
        self.step_once();
    }

    fn fast_forward_to(&self, until_secs: f64) {
        self.until.set(Some(from_secs(until_secs)));
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

    fn act(&self, action: NoAction) {
        match action {}
    }

    /// `metric:<name>` from the plan's metric cards (and the simulation's), `param:<key>` from
    /// the config.
    fn lookup(&self, subject: &str) -> Option<f64> {
        if let Some(name) = subject.strip_prefix("metric:") {
            let sim = self.sim.get();
            return self
                .plan(|p| super::metrics::metrics(p, sim.as_ref()))
                .into_iter()
                .find(|m| m.name == name)
                .map(|m| m.value)
                .filter(|v| v.is_finite());
        }
        self.lab.with(|l| param_subject(l.config(), subject))
    }
}
