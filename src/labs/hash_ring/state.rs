//! The page's controller: the core models in signals and the verbs the controls call.
//!
//! Two labs run side by side on the same keys and membership changes: the learner's strategy
//! (`primary`) and the comparison strategy (`compare`). After each membership change, once both
//! placements are ready, the cost simulations replay traffic through per-node caches around the
//! change on the simulation clock. The UI renders snapshots only; it computes no model results.

use crate::components::lesson_player::param_subject;
use crate::components::transport::parse_seed;
use crate::components::url_state;
use crate::kit::{LabAction, LabController};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::engine::time::{from_secs, to_secs, SimTime};
use scalelab_sim::hashring::{
    CacheEffect, CacheEffectBuilder, CacheEffectConfig, CacheEffectSnapshot, Config, HashRingLab, Snapshot, Strategy,
};
use scalelab_sim::params::Params;

/// Simulated seconds the transport's Step button advances.
pub const STEP_SECS: f64 = 0.5;

/// The hash ring lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingAction {
    /// A server joins (both strategies).
    AddNode,
    /// The most recently added server leaves.
    RemoveLast,
    /// Server `id` leaves (the node table's buttons; no lesson name).
    RemoveNode(u32),
}

impl LabAction for RingAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("add_node", RingAction::AddNode),
        ("remove_last", RingAction::RemoveLast),
    ];
}
/// Most simulated seconds one animation frame may advance while fast-forwarding to `until`.
pub const FAST_FORWARD_SECS_PER_FRAME: f64 = 20.0;

/// The signals behind the hash ring page. `Copy`, so closures can capture it freely.
#[derive(Clone, Copy)]
pub struct RingState {
    /// The learner's lab.
    pub primary: RwSignal<HashRingLab>,
    /// The comparison lab (same everything but the strategy).
    pub compare: RwSignal<HashRingLab>,
    /// The primary lab's latest snapshot.
    pub snap: RwSignal<Snapshot>,
    /// The comparison lab's latest snapshot.
    pub compare_snap: RwSignal<Snapshot>,
    /// Parameters of the cost (cache-effect) simulation.
    pub cost_config: RwSignal<CacheEffectConfig>,
    /// Cost simulations for the last change: primary then comparison (`None` before a change).
    cost: StoredValue<Option<(CacheEffect, CacheEffect)>>,
    /// Snapshots of the cost simulations.
    pub cost_snap: RwSignal<Option<(CacheEffectSnapshot, CacheEffectSnapshot)>>,
    /// Whether the cost simulations must be rebuilt once both placements are ready.
    cost_stale: RwSignal<bool>,
    /// The cost simulations being rebuilt, a slice per frame (`None` when not started).
    cost_build: StoredValue<Option<CostBuild>>,
    /// Simulated time of the cost simulations.
    pub clock: RwSignal<SimTime>,
    /// Fast-forward target (from the URL's `until`), if any.
    pub until: RwSignal<Option<SimTime>>,
    /// Message about the last refused action (e.g. removing the only node).
    pub action_error: RwSignal<Option<String>>,
    /// Work units per frame, tuned to the machine's speed, for each kind of [`Work`].
    work_budget: StoredValue<[usize; 3]>,
    /// The node count the settings asked for (the setup, or the `nodes` control), before the
    /// servers added or removed since: what Reset goes back to.
    configured_nodes: StoredValue<u32>,
}

/// The kinds of work a frame does, each with its own adaptive budget: a work unit of one takes
/// several times as long as one of another (a rendezvous key scores every node, a modulo key is a
/// division), so one shared budget tuned on one would overrun a frame on the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Work {
    /// The primary lab's placement.
    Primary = 0,
    /// The comparison lab's placement.
    Compare = 1,
    /// Setting up the cost simulations.
    Cost = 2,
}

/// Wall milliseconds of work to aim for in one animation frame.
const WORK_MS_PER_FRAME: f64 = 8.0;
/// Bounds of the adaptive per-frame work budget (work units, see `HashRingLab::work`).
const MIN_BUDGET: usize = 5_000;
const MAX_BUDGET: usize = 2_000_000;

/// The comparison strategy a primary strategy is compared with by default.
pub fn default_compare(primary: Strategy) -> Strategy {
    if primary == Strategy::Modulo {
        Strategy::Ring
    } else {
        Strategy::Modulo
    }
}

impl RingState {
    /// Builds both labs from a validated config.
    fn build(config: Config, cost_config: CacheEffectConfig) -> Self {
        let config_nodes = config.nodes;
        let mut compare_config = config.clone();
        compare_config.strategy = default_compare(config.strategy);
        let primary = HashRingLab::new(config).unwrap_or_default();
        let compare = HashRingLab::new(compare_config).unwrap_or_default();
        Self {
            snap: RwSignal::new(primary.snapshot()),
            compare_snap: RwSignal::new(compare.snapshot()),
            primary: RwSignal::new(primary),
            compare: RwSignal::new(compare),
            cost_config: RwSignal::new(cost_config),
            cost: StoredValue::new(None),
            cost_snap: RwSignal::new(None),
            cost_stale: RwSignal::new(false),
            cost_build: StoredValue::new(None),
            clock: RwSignal::new(0),
            until: RwSignal::new(None),
            action_error: RwSignal::new(None),
            work_budget: StoredValue::new([HashRingLab::WORK_PER_FRAME; 3]),
            configured_nodes: StoredValue::new(config_nodes),
        }
    }

    /// The per-frame budget for `work`.
    fn budget(&self, work: Work) -> usize {
        self.work_budget
            .with_value(|b| b.get(work as usize).copied())
            .unwrap_or(MIN_BUDGET)
    }

    /// Adjusts `work`'s per-frame budget after a slice that did `used` work units in `elapsed_ms`
    /// of wall time: smaller when it was slow, larger when it was quick and the budget was what
    /// limited it (a slice with little left to do says nothing about the machine's speed).
    fn tune_budget(&self, work: Work, elapsed_ms: f64, used: u64) {
        self.work_budget.update_value(|budgets| {
            let Some(b) = budgets.get_mut(work as usize) else {
                return;
            };
            let scaled = if elapsed_ms > WORK_MS_PER_FRAME * 1.5 {
                *b * 2 / 3
            } else if elapsed_ms < WORK_MS_PER_FRAME / 2.0 && used.saturating_mul(2) >= *b as u64 {
                b.saturating_mul(3) / 2
            } else {
                *b
            };
            *b = scaled.clamp(MIN_BUDGET, MAX_BUDGET);
        });
    }

    /// The primary lab's config.
    pub fn config(&self) -> Config {
        self.primary.with(|l| l.config().clone())
    }

    /// Sets one parameter from raw text on both labs (the strategy only on the primary).
    pub fn set_ring_param(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.primary.update(|l| result = l.set_param(key, raw));
        result.map_err(|e| e.message)?;
        if key != "strategy" {
            self.compare.update(|l| {
                let _ = l.set_param(key, raw);
            });
        }
        if key == "nodes" {
            self.configured_nodes
                .set_value(self.primary.with_untracked(|l| l.config().nodes));
        }
        self.invalidate_cost();
        self.refresh_snapshots();
        Ok(())
    }

    /// Sets a cost-simulation parameter from raw text.
    pub fn set_cost_param(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut config = self.cost_config.get_untracked();
        config.set_str(key, raw).map_err(|e| e.message)?;
        self.cost_config.set(config);
        self.cost_build.set_value(None);
        self.cost_stale.set(self.cost_snap.with_untracked(Option::is_some));
        Ok(())
    }

    /// Chooses the comparison strategy.
    pub fn set_compare_strategy(&self, raw: &str) -> Result<(), String> {
        let mut result = Ok(());
        self.compare.update(|l| result = l.set_param("strategy", raw));
        result.map_err(|e| e.message)?;
        self.invalidate_cost();
        self.refresh_snapshots();
        Ok(())
    }

    /// Sets the seed on both labs (sample keys and cost simulation).
    fn set_seed_raw(&self, raw: &str) -> Result<(), String> {
        let seed = parse_seed(raw)?;
        for lab in [self.primary, self.compare] {
            lab.update(|l| {
                let mut c = l.config().clone();
                c.seed = seed;
                let _ = l.set_config(c);
            });
        }
        self.cost_build.set_value(None);
        self.cost_stale.set(self.cost_snap.with_untracked(Option::is_some));
        self.refresh_snapshots();
        Ok(())
    }

    /// Adds a node to both labs.
    pub fn add_node(&self) {
        let mut result = Ok(0);
        self.primary.update(|l| result = l.add_node());
        match result {
            Ok(_) => {
                self.compare.update(|l| {
                    let _ = l.add_node();
                });
                self.after_membership_change();
            }
            Err(e) => self.action_error.set(Some(e.message)),
        }
    }

    /// Removes the most recently added node from both labs.
    pub fn remove_last(&self) {
        let mut result = Ok(0);
        self.primary.update(|l| result = l.remove_last_added());
        match result {
            Ok(id) => {
                self.compare.update(|l| {
                    let _ = l.remove_node(id);
                });
                self.after_membership_change();
            }
            Err(e) => self.action_error.set(Some(e.message)),
        }
    }

    /// Removes node `id` from both labs. Refused (with a message) when either strategy can't.
    pub fn remove_node(&self, id: u32) {
        // Checked on both before either changes (cloning the labs instead would copy every key's
        // owner, megabytes at a million keys).
        let allowed = self
            .primary
            .with_untracked(|a| a.check_remove_node(id))
            .and_then(|_| self.compare.with_untracked(|b| b.check_remove_node(id)));
        match allowed {
            Ok(()) => {
                for lab in [self.primary, self.compare] {
                    lab.update(|l| {
                        let _ = l.remove_node(id);
                    });
                }
                self.after_membership_change();
            }
            Err(e) => self.action_error.set(Some(e.message)),
        }
    }

    /// Sets node `id`'s weight on both labs.
    pub fn set_weight(&self, id: u32, weight: f64) -> Result<(), String> {
        self.primary
            .with_untracked(|a| a.check_set_weight(id, weight))
            .and_then(|_| self.compare.with_untracked(|b| b.check_set_weight(id, weight)))
            .map_err(|e| e.message)?;
        for lab in [self.primary, self.compare] {
            lab.update(|l| {
                let _ = l.set_weight(id, weight);
            });
        }
        self.after_membership_change();
        Ok(())
    }

    fn after_membership_change(&self) {
        self.action_error.set(None);
        self.cost_build.set_value(None);
        self.cost_stale.set(true);
        self.refresh_snapshots();
    }

    /// Publishes both labs' snapshots now, so a pending computation shows at once (`ready: false`).
    fn refresh_snapshots(&self) {
        self.snap.set(self.primary.with_untracked(HashRingLab::snapshot));
        self.compare_snap
            .set(self.compare.with_untracked(HashRingLab::snapshot));
    }

    fn invalidate_cost(&self) {
        self.action_error.set(None);
        self.cost.set_value(None);
        self.cost_build.set_value(None);
        self.cost_snap.set(None);
        self.cost_stale.set(false);
        self.clock.set(0);
    }

    /// One animation frame: computes pending placements within a budget, then rebuilds stale cost
    /// simulations within a budget, and once both are done advances the clock by `advance_secs`
    /// (or towards `until`). Returns whether the fast-forward to `until` ended.
    fn run_frame(&self, advance_secs: f64) -> bool {
        // Placement work: the primary first, then the comparison, within an adaptive budget that
        // aims at WORK_MS_PER_FRAME of wall time (presentation pacing only; results never depend
        // on how the work is sliced).
        let started = platform::now_ms();
        let mut placed = false;
        for (lab, snap, work) in [
            (self.primary, self.snap, Work::Primary),
            (self.compare, self.compare_snap, Work::Compare),
        ] {
            if !lab.with_untracked(HashRingLab::is_ready) {
                placed = true;
                let budget = self.budget(work);
                let mut s = None;
                let mut used = 0;
                lab.update_untracked(|l| {
                    let before = l.progress().done;
                    used = l.work(budget).done.saturating_sub(before);
                    s = Some(l.snapshot());
                });
                if let Some(s) = s {
                    snap.set(s);
                }
                self.tune_budget(work, platform::now_ms() - started, used);
                break;
            }
        }
        let ready =
            self.primary.with_untracked(HashRingLab::is_ready) && self.compare.with_untracked(HashRingLab::is_ready);
        if !ready {
            return false;
        }
        if self.cost_stale.get_untracked() {
            // One slice of work per frame: the cost simulations start on the next frame.
            if placed || !self.build_cost() {
                return false;
            }
        }
        let mut ended = false;
        let target = match self.until.get_untracked() {
            Some(until) => {
                let next = self
                    .clock
                    .get_untracked()
                    .saturating_add(from_secs(FAST_FORWARD_SECS_PER_FRAME))
                    .min(until);
                if next >= until {
                    self.until.set(None);
                    ended = true;
                }
                next
            }
            None if advance_secs > 0.0 => self.clock.get_untracked().saturating_add(from_secs(advance_secs)),
            None => return false,
        };
        self.advance_to(target);
        ended
    }

    /// Advances the cost simulations (if any) and the clock to `t`.
    pub fn advance_to(&self, t: SimTime) {
        let mut snaps = None;
        self.cost.update_value(|c| {
            if let Some((a, b)) = c {
                a.step_until(t);
                b.step_until(t);
                snaps = Some((a.snapshot(), b.snapshot()));
            }
        });
        if snaps.is_some() {
            self.cost_snap.set(snaps);
        }
        self.clock.set(t);
    }

    /// One frame's slice of setting up the cost simulations (the primary's, then the
    /// comparison's) within the adaptive work budget: at a million keys that is a few hundred
    /// milliseconds, far too much for one frame. Returns whether they are ready (or there is no
    /// change to replay); the clock then restarts at 0.
    fn build_cost(&self) -> bool {
        if self.cost_build.with_value(Option::is_none) && !self.start_cost_build() {
            return true;
        }
        let started = platform::now_ms();
        let budget = self.budget(Work::Cost);
        let mut built = None;
        let mut used = 0;
        self.cost_build.update_value(|build| {
            let before = build.as_ref().map_or(0, CostBuild::units_done);
            *build = match build.take().map(|b| b.work(budget)) {
                Some(Ok(both)) => {
                    built = Some(both);
                    None
                }
                Some(Err(pending)) => {
                    used = pending.units_done().saturating_sub(before);
                    Some(pending)
                }
                None => None,
            };
        });
        self.tune_budget(Work::Cost, platform::now_ms() - started, used);
        let Some((a, b)) = built else {
            return false;
        };
        self.cost_stale.set(false);
        self.cost_snap.set(Some((a.snapshot(), b.snapshot())));
        self.cost.set_value(Some((a, b)));
        self.clock.set(0);
        true
    }

    /// Starts setting up both cost simulations; false (and no simulation) when there is no change
    /// to replay.
    fn start_cost_build(&self) -> bool {
        let config = self.cost_config.get_untracked();
        let builders = self
            .primary
            .with_untracked(|a| a.cache_effect_builder(config.clone()))
            .and_then(|a| {
                self.compare
                    .with_untracked(|b| b.cache_effect_builder(config.clone()))
                    .map(|b| (a, b))
            });
        match builders {
            Ok((mut a, b)) => {
                // The last simulations' popularity table fits if the keys and skew are unchanged.
                self.cost.with_value(|cost| {
                    if let Some((old, _)) = cost {
                        a.reuse_popularity(old);
                    }
                });
                self.cost_build
                    .set_value(Some(CostBuild::Primary(Box::new(a), Box::new(b))));
                true
            }
            Err(_) => {
                self.cost_stale.set(false);
                self.cost.set_value(None);
                self.cost_snap.set(None);
                self.clock.set(0);
                false
            }
        }
    }
}

/// The two cost simulations being set up over several frames: the primary's first, then the
/// comparison's, which reuses the primary's popularity table (same keys, same skew).
enum CostBuild {
    /// The primary's simulation is being set up; the comparison's waits.
    Primary(Box<CacheEffectBuilder>, Box<CacheEffectBuilder>),
    /// The primary's is ready; the comparison's is being set up.
    Compare(Box<CacheEffect>, Box<CacheEffectBuilder>),
}

impl CostBuild {
    /// Work units done by the simulation being set up (restarts at the comparison's).
    fn units_done(&self) -> u64 {
        match self {
            CostBuild::Primary(a, _) => a.units_done(),
            CostBuild::Compare(_, b) => b.units_done(),
        }
    }

    /// Does up to `budget` work units of the simulation being set up: both simulations once
    /// ready, else what is left to do.
    fn work(self, budget: usize) -> Result<(CacheEffect, CacheEffect), Self> {
        match self {
            CostBuild::Primary(mut a, mut b) => {
                if !a.work(budget) {
                    return Err(CostBuild::Primary(a, b));
                }
                let a = (*a).finish();
                b.reuse_popularity(&a);
                Err(CostBuild::Compare(Box::new(a), b))
            }
            CostBuild::Compare(a, mut b) => {
                if !b.work(budget) {
                    return Err(CostBuild::Compare(a, b));
                }
                Ok((*a, (*b).finish()))
            }
        }
    }
}

impl RingState {
    /// Replaces both labs with fresh ones for `config` (a lesson preset or a reset of membership);
    /// the comparison keeps its strategy unless it equals the new primary strategy.
    fn load_config(&self, config: Config) {
        self.configured_nodes.set_value(config.nodes);
        let mut compare_strategy = self.compare.with_untracked(|l| l.config().strategy);
        if compare_strategy == config.strategy {
            compare_strategy = default_compare(config.strategy);
        }
        let mut compare_config = config.clone();
        compare_config.strategy = compare_strategy;
        let (Ok(primary), Ok(compare)) = (HashRingLab::new(config), HashRingLab::new(compare_config)) else {
            return;
        };
        self.snap.set(primary.snapshot());
        self.compare_snap.set(compare.snapshot());
        self.primary.set(primary);
        self.compare.set(compare);
        self.invalidate_cost();
    }
}

impl LabController for RingState {
    type Setup = (Config, CacheEffectConfig);
    type Action = RingAction;
    const STEP_SECS: f64 = STEP_SECS;

    fn base(seed: u64) -> Self::Setup {
        (
            Config {
                seed,
                ..Config::default()
            },
            CacheEffectConfig::default(),
        )
    }

    /// A key goes to the ring's config or the cost simulation's, whichever knows it.
    fn set(setup: &mut Self::Setup, key: &str, raw: &str) -> Option<Result<(), scalelab_sim::ConfigError>> {
        if Config::spec(key).is_some() {
            Some(setup.0.set_str(key, raw))
        } else if CacheEffectConfig::spec(key).is_some() {
            Some(setup.1.set_str(key, raw))
        } else {
            None
        }
    }

    fn new(setup: Self::Setup) -> Self {
        Self::build(setup.0, setup.1)
    }

    fn load(&self, setup: Self::Setup) {
        self.cost_config.set(setup.1);
        self.load_config(setup.0);
    }

    /// The settings as they are, with the node count they asked for: servers added or removed
    /// since are undone, "keys moved" and the cost replay start over.
    fn reset(&self) {
        let mut config = self.primary.with_untracked(|l| l.config().clone());
        config.nodes = self.configured_nodes.get_value();
        self.load_config(config);
        self.clock.set(0);
    }

    fn seed(&self) -> u64 {
        self.primary.with(|l| l.config().seed)
    }

    fn set_seed(&self, raw: &str) -> Result<(), String> {
        self.set_seed_raw(raw)
    }

    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = url_state::params_of(&self.config());
        pairs.extend(self.cost_config.with(url_state::params_of));
        pairs
    }

    /// Busy while a placement is computed, the cost simulations wait to be rebuilt, or the clock
    /// fast-forwards.
    fn busy(&self) -> bool {
        !self.primary.with(HashRingLab::is_ready)
            || !self.compare.with(HashRingLab::is_ready)
            || self.cost_stale.get()
            || self.until.get().is_some()
    }

    fn frame(&self, advance_secs: f64) -> bool {
        self.run_frame(advance_secs)
    }

    fn step(&self) {
        let t = self.clock.get_untracked().saturating_add(from_secs(STEP_SECS));
        self.advance_to(t);
    }

    fn fast_forward_to(&self, until_secs: f64) {
        self.until.set(Some(from_secs(until_secs)));
    }

    fn clock_secs(&self) -> f64 {
        to_secs(self.clock.get())
    }

    /// A key of the ring's config or of the cost simulation's.
    fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        if CacheEffectConfig::spec(key).is_some() {
            self.set_cost_param(key, raw)
        } else {
            self.set_ring_param(key, raw)
        }
    }

    fn act(&self, action: RingAction) {
        match action {
            RingAction::AddNode => self.add_node(),
            RingAction::RemoveLast => self.remove_last(),
            RingAction::RemoveNode(id) => self.remove_node(id),
        }
    }

    /// `metric:<name>` from the metric cards (`metric:cost-<name>` from the cost table, see
    /// `cost::cost_value`), `param:<key>` from the ring's config (a choice by
    /// its option index, e.g. `param:strategy` is 1 for `ring`).
    fn lookup(&self, subject: &str) -> Option<f64> {
        if let Some(name) = subject.strip_prefix("metric:") {
            if let Some(cost) = name.strip_prefix("cost-") {
                return self
                    .cost_snap
                    .with(|c| c.as_ref().and_then(|(a, b)| super::cost::cost_value(a, b, cost)));
            }
            return self.snap.with(|s| super::metrics::metric_value(s, name));
        }
        self.primary.with(|l| param_subject(l.config(), subject))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs frames with the per-frame budget held at `budget` work units (natively the adaptive
    /// budget sees every frame as instant and would grow) until the lab is free. Returns how many
    /// frames set up the cost simulations (both placements ready, the simulations stale).
    fn cost_frames_at(state: &RingState, budget: usize) -> usize {
        let mut frames = 0;
        for _ in 0..100_000 {
            if !state.busy() {
                return frames;
            }
            let placed = state.primary.with_untracked(HashRingLab::is_ready)
                && state.compare.with_untracked(HashRingLab::is_ready);
            if placed && state.cost_stale.get_untracked() {
                frames += 1;
            }
            state.work_budget.set_value([budget; 3]);
            state.run_frame(0.0);
        }
        panic!("the lab did not settle");
    }

    fn expected_cost(state: &RingState) -> Option<(CacheEffectSnapshot, CacheEffectSnapshot)> {
        let config = state.cost_config.get_untracked();
        let a = state.primary.with_untracked(|l| l.cache_effect(config.clone())).ok()?;
        let b = state.compare.with_untracked(|l| l.cache_effect(config.clone())).ok()?;
        Some((a.snapshot(), b.snapshot()))
    }

    /// The issue: at a million keys each node change froze the page for a second or two, because
    /// the frame after the placements rebuilt both cost simulations at once (a `pow` per key for
    /// the popularity table, several other passes over every key). Now each frame does one
    /// budgeted slice, so the set-up takes about as many frames as its work units over the budget
    /// (it took one frame before), and the numbers are the same as built at once.
    #[test]
    fn a_node_change_sets_the_cost_replay_up_in_budgeted_slices() {
        let keys = 100_000;
        let mut setup = RingState::base(1);
        for (key, raw) in [("keys", "100000"), ("strategy", "jump"), ("nodes", "10")] {
            assert!(matches!(RingState::set(&mut setup, key, raw), Some(Ok(()))));
        }
        let state = RingState::new(setup);
        assert_eq!(
            cost_frames_at(&state, MAX_BUDGET),
            0,
            "nothing to replay before a change"
        );
        state.add_node();
        // Every key costs the set-up at least two work units per simulation.
        let frames = cost_frames_at(&state, MIN_BUDGET);
        assert!(frames >= 2 * 2 * keys / MIN_BUDGET, "set up in {frames} frames");
        assert!(state.cost_snap.with_untracked(Option::is_some));
        assert_eq!(state.cost_snap.get_untracked(), expected_cost(&state));
        // The next change reuses the popularity table: fewer frames, the same numbers.
        state.remove_last();
        let again = cost_frames_at(&state, MIN_BUDGET);
        assert!(
            again >= 2 * keys / MIN_BUDGET && again < frames,
            "{again} vs {frames} frames"
        );
        assert_eq!(state.cost_snap.get_untracked(), expected_cost(&state));
    }

    #[test]
    fn a_refused_removal_changes_neither_lab() {
        let mut setup = RingState::base(1);
        assert!(matches!(RingState::set(&mut setup, "strategy", "jump"), Some(Ok(()))));
        let state = RingState::new(setup);
        cost_frames_at(&state, MAX_BUDGET);
        // Jump hash only removes the last bucket: node 0 cannot leave, and the comparison keeps it.
        state.remove_node(0);
        assert!(state.action_error.get_untracked().is_some());
        assert!(state.set_weight(0, 100.0).is_err());
        for lab in [state.primary, state.compare] {
            assert_eq!(lab.with_untracked(|l| l.members().len()), 5);
            assert!(lab.with_untracked(|l| l.members().iter().all(|m| m.weight == 1.0)));
        }
        state.remove_node(4);
        assert_eq!(state.compare.with_untracked(|l| l.members().len()), 4);
    }
}
