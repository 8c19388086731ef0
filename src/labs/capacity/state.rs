//! The capacity page's controller: the core lab (plan + verification simulation) in signals.

use crate::components::pacing::PUBLISH_EVERY_MS;
use crate::components::transport::parse_seed;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::capacity::{CapacityLab, Config, Plan, SimSnapshot, PRESETS};
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};

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
    /// When the last snapshot was published (wall ms): while playing, at most every
    /// [`PUBLISH_EVERY_MS`], as the other labs do.
    last_publish_ms: StoredValue<f64>,
}

impl CapState {
    /// A lab for a validated config and seed.
    pub fn new(config: Config, seed: u64) -> Self {
        let lab = CapacityLab::new(config, seed)
            .or_else(|_| CapacityLab::new(Config::default(), seed))
            .expect("the default capacity config is valid");
        Self {
            sim: RwSignal::new(lab.sim_snapshot()),
            clock: RwSignal::new(lab.now()),
            lab: RwSignal::new(lab),
            until: RwSignal::new(None),
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
    pub fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.lab.update(|l| result = l.set_param(key, raw));
        result.map_err(|e| e.message)?;
        self.publish();
        Ok(())
    }

    /// Loads a named preset on top of the defaults.
    pub fn load_preset(&self, key: &str) -> Result<(), String> {
        let preset = PRESETS.iter().find(|p| p.key == key).ok_or("unknown preset")?;
        let config = preset.config().map_err(|e| e.message)?;
        self.load(config);
        Ok(())
    }

    /// Replaces the config (e.g. a lesson preset) keeping the seed; restarts the simulation.
    pub fn load(&self, config: Config) {
        let seed = self.seed();
        if let Ok(lab) = CapacityLab::new(config, seed) {
            self.lab.set(lab);
            self.publish();
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.lab.with_untracked(CapacityLab::seed)
    }

    /// The seed, tracked.
    pub fn seed_tracked(&self) -> u64 {
        self.lab.with(CapacityLab::seed)
    }

    /// Sets the seed from raw text (restarts the simulation).
    pub fn set_seed(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        let config = self.lab.with_untracked(|l| l.config().clone());
        if let Ok(lab) = CapacityLab::new(config, seed) {
            self.lab.set(lab);
            self.publish();
        }
        Ok(())
    }

    /// Restarts the verification simulation from time zero.
    pub fn reset(&self) {
        self.lab.update(CapacityLab::reset);
        self.publish();
    }

    /// Whether the frame loop must run for the fast-forward.
    pub fn busy(&self) -> bool {
        self.until.get().is_some()
    }

    /// One animation frame: advance by `advance_secs` of simulated time (or towards `until`).
    pub fn frame(&self, advance_secs: f64) {
        let now = self.lab.with_untracked(CapacityLab::now);
        match self.until.get_untracked() {
            Some(until) => {
                let mut reached = false;
                self.lab
                    .update_untracked(|l| reached = l.step_until_budget(until, FAST_FORWARD_EVENTS_PER_FRAME));
                if reached {
                    self.until.set(None);
                }
            }
            None if advance_secs > 0.0 => {
                let target = now.saturating_add(from_secs(advance_secs));
                self.lab.update_untracked(|l| {
                    l.step_until_budget(target, EVENTS_PER_FRAME);
                });
                // Snapshots (and the charts they redraw) at the pace of the other labs, not
                // every frame.
                if platform::now_ms() - self.last_publish_ms.get_value() < PUBLISH_EVERY_MS {
                    return;
                }
            }
            None => return,
        }
        self.publish();
    }

    /// Advances by one step (within the per-frame event budget).
    pub fn step(&self) {
        let target = self
            .lab
            .with_untracked(CapacityLab::now)
            .saturating_add(from_secs(STEP_SECS));
        self.lab.update_untracked(|l| {
            l.step_until_budget(target, EVENTS_PER_FRAME * 4);
        });
        self.publish();
    }

    /// Publishes the simulation's snapshot and the clock now.
    pub fn publish(&self) {
        self.last_publish_ms.set_value(platform::now_ms());
        self.sim.set(self.lab.with_untracked(CapacityLab::sim_snapshot));
        self.clock.set(self.lab.with_untracked(CapacityLab::now));
    }

    /// Lab time in seconds (tracked).
    pub fn clock_secs(&self) -> f64 {
        to_secs(self.clock.get())
    }
}
