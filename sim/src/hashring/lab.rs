//! The hash ring lab model: the membership, the placement being computed, and the last two finished
//! placements (to count keys moved and draw what changed hands).
//!
//! Every change (config, add, remove, reweight) starts a new placement job; the UI runs it with
//! [`HashRingLab::work`] once per animation frame until [`HashRingLab::is_ready`], showing
//! [`HashRingLab::snapshot`] (which keeps describing the last finished placement meanwhile, with
//! `ready: false` and the progress). Tests and small cases can call [`HashRingLab::compute_all`].
//!
//! "Keys moved" always compares the new placement with the last *finished* one. If a second change
//! arrives before the first finishes, the comparison spans both (the ideal is computed for both
//! together, so it stays consistent), and `last_change` names the latest one.

use std::sync::Arc;

use super::cache_build::CacheEffectBuilder;
use super::cache_effect::{CacheEffect, CacheEffectConfig};
use super::config::Config;
use super::membership::{Member, Membership, NodeId, MAX_RING_POINTS};
use super::placement::{Assignment, Placement, PlacementSpec, Progress};
use super::snapshot::{Change, Snapshot};
use super::strategy::Strategy;
use super::view::{self, SnapshotBuilder};
use crate::params::Params;
use crate::ConfigError;

/// Boundaries merged per work unit when finding changed arcs (a merge step is a few nanoseconds).
const ARC_STEPS_PER_UNIT: usize = 8;

/// The computation under way: placing keys, then building the snapshot in a few slices.
#[derive(Clone, Debug)]
enum Job {
    Placing(Box<Placement>),
    /// The builder, and the placement's total work (progress stays just short of it).
    Snapshotting(Box<SnapshotBuilder>, u64),
}

/// The hash ring lab. See the module docs.
#[derive(Clone, Debug)]
pub struct HashRingLab {
    config: Config,
    membership: Membership,
    job: Option<Job>,
    /// Whether the running job may be compared with `current` (same keys).
    job_comparable: bool,
    pending_change: Option<Change>,
    current: Option<Assignment>,
    /// The placement before `current`, when comparable (its ring is dropped once drawn).
    previous: Option<Assignment>,
    snapshot: Snapshot,
}

impl Default for HashRingLab {
    fn default() -> Self {
        Self::fresh(Config::default())
    }
}

impl HashRingLab {
    /// A good per-frame budget for [`HashRingLab::work`]: about 3 ms natively, so comfortably inside
    /// a 16 ms frame in wasm.
    pub const WORK_PER_FRAME: usize = 50_000;

    /// A lab for `config` (validated), with nodes `0..config.nodes` of weight 1. Its first placement
    /// starts at once; run it with [`HashRingLab::work`] or [`HashRingLab::compute_all`].
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self::fresh(config))
    }

    fn fresh(config: Config) -> Self {
        let membership = Membership::with_nodes(config.nodes as usize);
        let mut lab = Self {
            config,
            membership,
            job: None,
            job_comparable: false,
            pending_change: None,
            current: None,
            previous: None,
            snapshot: Snapshot::default(),
        };
        lab.start_job(None, false);
        lab
    }

    /// The current configuration (`nodes` follows adds and removes).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The nodes, in bucket order.
    pub fn members(&self) -> &[Member] {
        self.membership.members()
    }

    /// Applies a new configuration and recomputes. A change of `nodes` adds nodes with new ids or
    /// removes the last ones, like pressing add/remove; a change of `keys` starts afresh (nothing to
    /// compare); a change of `seed` only redraws the key sample. Parameters the strategy ignores
    /// (`vnodes` for modulo/jump/rendezvous, `epsilon` except for bounded) are stored without
    /// recomputing. On error nothing changes.
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        let old = self.config.clone();
        let mut membership = self.membership.clone();
        let target = config.nodes as usize;
        while membership.len() < target {
            membership.add()?;
        }
        while membership.len() > target {
            let last = membership
                .last()
                .ok_or_else(|| ConfigError::new("nodes", "no node to remove"))?;
            membership.remove(last, false)?;
        }
        check_points(&membership, config.vnodes)?;

        let mut fields = Vec::new();
        if config.strategy != old.strategy {
            fields.push("strategy".to_string());
        }
        if config.nodes != old.nodes {
            fields.push("nodes".to_string());
        }
        if config.vnodes != old.vnodes && config.strategy.uses_ring() {
            fields.push("vnodes".to_string());
        }
        if config.epsilon != old.epsilon && config.strategy == Strategy::Bounded {
            fields.push("epsilon".to_string());
        }
        let keys_changed = config.keys != old.keys;
        let seed_changed = config.seed != old.seed;
        self.config = config;
        self.membership = membership;
        if keys_changed {
            self.start_job(None, false);
        } else if !fields.is_empty() {
            self.start_job(Some(Change::Reconfigured { fields }), true);
        } else {
            self.snapshot.vnodes = self.config.vnodes;
            self.snapshot.epsilon = self.config.epsilon;
            if seed_changed {
                if let Some(current) = &self.current {
                    self.snapshot.sample_keys = view::sample_keys(self.config.seed, current, self.previous.as_ref());
                }
            }
        }
        Ok(())
    }

    /// Sets one parameter from its raw string (URL or text field), validated; on error nothing
    /// changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Adds a node with the next id and weight 1, and returns its id.
    pub fn add_node(&mut self) -> Result<NodeId, ConfigError> {
        let mut membership = self.membership.clone();
        let id = membership.add()?;
        check_points(&membership, self.config.vnodes)?;
        self.commit_membership(membership, Change::Added { id });
        Ok(id)
    }

    /// Removes node `id`. Jump hash can only remove the last bucket (the most recently added node
    /// still present); the last remaining node cannot be removed.
    pub fn remove_node(&mut self, id: NodeId) -> Result<(), ConfigError> {
        let mut membership = self.membership.clone();
        membership.remove(id, self.config.strategy.removes_last_only())?;
        self.commit_membership(membership, Change::Removed { id });
        Ok(())
    }

    /// Removes the most recently added node still present (allowed for every strategy), and
    /// returns its id.
    pub fn remove_last_added(&mut self) -> Result<NodeId, ConfigError> {
        let id = self
            .membership
            .last()
            .ok_or_else(|| ConfigError::new("nodes", "no node to remove"))?;
        self.remove_node(id)?;
        Ok(id)
    }

    /// Sets node `id`'s weight (0.1..=10; ring and bounded give it `round(vnodes * weight)` points,
    /// rendezvous weights its score, modulo and jump ignore it).
    pub fn set_weight(&mut self, id: NodeId, weight: f64) -> Result<(), ConfigError> {
        let mut membership = self.membership.clone();
        membership.set_weight(id, weight)?;
        check_points(&membership, self.config.vnodes)?;
        self.commit_membership(membership, Change::Reweighted { id, weight });
        Ok(())
    }

    fn commit_membership(&mut self, membership: Membership, change: Change) {
        self.membership = membership;
        self.config.nodes = self.membership.len() as u32;
        self.start_job(Some(change), true);
    }

    fn start_job(&mut self, change: Option<Change>, comparable: bool) {
        let comparable = comparable && (self.job.is_none() || self.job_comparable);
        let spec = PlacementSpec {
            strategy: self.config.strategy,
            members: self.membership.members().to_vec(),
            vnodes: self.config.vnodes,
            epsilon: self.config.epsilon,
            keys: self.config.keys as usize,
        };
        let known = self.current.as_ref().map(|c| c.key_hashes.clone());
        self.job = Some(Job::Placing(Box::new(Placement::new(spec, known))));
        self.job_comparable = comparable;
        self.pending_change = change;
    }

    /// Runs the pending placement for up to `budget` work units (a unit is about one string hash;
    /// [`HashRingLab::WORK_PER_FRAME`] fits a frame) and reports its progress. Once every key is
    /// placed, a few more calls build the snapshot (arc shares, changed arcs within the budget, then
    /// the rest: a few milliseconds each at a million keys and points; progress stays one unit
    /// short meanwhile) and the lab becomes ready. Does nothing when ready.
    pub fn work(&mut self, budget: usize) -> Progress {
        match self.job.take() {
            None => {}
            Some(Job::Placing(mut placement)) => {
                if placement.is_done() {
                    let total = placement.progress().total;
                    let previous = if self.job_comparable { self.current.take() } else { None };
                    let mut builder = SnapshotBuilder::new(
                        self.config.seed,
                        placement.finish(),
                        previous,
                        self.pending_change.take(),
                    );
                    builder.step(budget);
                    self.job = Some(Job::Snapshotting(Box::new(builder), total));
                } else {
                    placement.advance(budget);
                    self.job = Some(Job::Placing(placement));
                }
            }
            Some(Job::Snapshotting(mut builder, total)) => {
                if builder.step(budget.saturating_mul(ARC_STEPS_PER_UNIT)) {
                    let (snapshot, current, previous) = builder.finish();
                    self.snapshot = snapshot;
                    self.current = Some(current);
                    self.previous = previous.map(|mut p| {
                        p.ring = None;
                        p
                    });
                } else {
                    self.job = Some(Job::Snapshotting(builder, total));
                }
            }
        }
        self.progress()
    }

    /// Runs the pending placement to the end (may take a while for huge configurations).
    pub fn compute_all(&mut self) {
        while !self.is_ready() {
            self.work(usize::MAX);
        }
    }

    /// Whether the snapshot describes the current configuration and membership.
    pub fn is_ready(&self) -> bool {
        self.job.is_none()
    }

    /// Progress of the pending placement (done when ready).
    pub fn progress(&self) -> Progress {
        match &self.job {
            Some(Job::Placing(placement)) => placement.progress(),
            // Building the snapshot: everything is placed, only the last slices remain.
            Some(Job::Snapshotting(_, total)) => Progress {
                done: total.saturating_sub(1),
                total: *total,
            },
            None => Progress { done: 1, total: 1 },
        }
    }

    /// Everything the UI draws. While a placement is pending it still describes the last finished
    /// one, with `ready: false` and the progress.
    pub fn snapshot(&self) -> Snapshot {
        let mut snapshot = self.snapshot.clone();
        snapshot.ready = self.is_ready();
        snapshot.progress = self.progress();
        snapshot
    }

    /// The owner of every key in the last finished placement (by key index), if any.
    pub fn owners(&self) -> Option<&[NodeId]> {
        self.current.as_ref().map(|c| c.owners.as_slice())
    }

    /// The owner of every key before the last change (by key index), if comparable.
    pub fn previous_owners(&self) -> Option<&[NodeId]> {
        self.previous.as_ref().map(|p| p.owners.as_slice())
    }

    /// The last finished placement, if any.
    pub fn assignment(&self) -> Option<&Assignment> {
        self.current.as_ref()
    }

    /// A cache-effect simulation of the last change: every node is an LRU cache in front of a
    /// database, requests follow Zipf popularity, and at `cache.change_at_s` ownership switches from
    /// the placement before the change to the current one. An error until a change (with the same
    /// keys) has been computed, or for invalid `cache` values. Built at once: at a million keys
    /// that takes well over a frame, so the page uses [`HashRingLab::cache_effect_builder`].
    pub fn cache_effect(&self, cache: CacheEffectConfig) -> Result<CacheEffect, ConfigError> {
        Ok(self.cache_effect_builder(cache)?.finish())
    }

    /// The same simulation as [`HashRingLab::cache_effect`], to build in slices with
    /// [`CacheEffectBuilder::work`] (it shares the two placements' owners, so later changes to the
    /// lab do not affect it).
    pub fn cache_effect_builder(&self, cache: CacheEffectConfig) -> Result<CacheEffectBuilder, ConfigError> {
        let (Some(before), Some(after)) = (self.previous.as_ref(), self.current.as_ref()) else {
            return Err(ConfigError::new(
                "nodes",
                "add or remove a node first: there is no change to replay",
            ));
        };
        CacheEffectBuilder::new(
            cache,
            Arc::clone(&before.owners),
            Arc::clone(&after.owners),
            self.config.seed,
        )
    }

    /// Whether [`HashRingLab::remove_node`] would accept removing `id` (nothing changes).
    pub fn check_remove_node(&self, id: NodeId) -> Result<(), ConfigError> {
        let mut membership = self.membership.clone();
        membership.remove(id, self.config.strategy.removes_last_only())
    }

    /// Whether [`HashRingLab::set_weight`] would accept `weight` for node `id` (nothing changes).
    pub fn check_set_weight(&self, id: NodeId, weight: f64) -> Result<(), ConfigError> {
        let mut membership = self.membership.clone();
        membership.set_weight(id, weight)?;
        check_points(&membership, self.config.vnodes)
    }
}

fn check_points(membership: &Membership, vnodes: u32) -> Result<(), ConfigError> {
    if membership.total_points(vnodes) > MAX_RING_POINTS {
        return Err(ConfigError::new(
            "vnodes",
            format!("the ring would hold more than {MAX_RING_POINTS} points: lower vnodes or weights"),
        ));
    }
    Ok(())
}
