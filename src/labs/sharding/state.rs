//! The sharding page's controller: the core lab as a [`PacedRun`] (the kit's controller for labs
//! on a simulated clock) and what is this lab's own: the `regions` text key, the placement job
//! that runs before the clock moves, resharding and salting, and its metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. A layout change
//! (a new strategy, an added shard) places every key again in slices of
//! [`ShardingLab::WORK_PER_FRAME`] (10,000,000 keys take a few seconds without freezing the page);
//! then the frame loop runs the operations within a per-frame budget tuned to the machine.

use crate::components::url_state::params_of;
use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::engine::time::to_secs;
use scalelab_sim::params::Params;
use scalelab_sim::sharding::{Config, ShardingLab, Snapshot};
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances (one chart sample).
pub const STEP_SECS: f64 = 0.5;
/// Simulated seconds the lesson's `fast_forward` action runs.
pub const FAST_FORWARD_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `run_30s` action runs (long enough for a default migration).
pub const LONG_RUN_SECS: f64 = 30.0;
/// Sub-keys the "Salt the hot key" button splits the hottest key into.
pub const SALT_KEYS: u32 = 8;
/// The URL key of the regional mix (a text such as `us:50,eu:30,ap:20`).
pub const REGIONS: &str = "regions";

/// The sharding page's controller.
pub type ShardState = PacedRun<ShardingLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardAction {
    /// Runs 10 simulated seconds, then pauses.
    FastForward,
    /// Runs 30 simulated seconds, then pauses.
    LongRun,
    /// A shard joins; the keys that move to it are copied at the migration bandwidth.
    AddShard,
    /// The last shard leaves once its keys are copied away.
    RemoveShard,
    /// The hottest key range is split in two, its upper half moving to the least loaded shard
    /// (range; a directory moves its hottest entry).
    SplitHotRange,
    /// The hottest key is split into [`SALT_KEYS`] sub-keys (or joined again when salted).
    SaltHotKey,
    /// Totals and percentiles restart from now.
    RestartCounters,
}

impl LabAction for ShardAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("fast_forward", ShardAction::FastForward),
        ("run_30s", ShardAction::LongRun),
        ("add_shard", ShardAction::AddShard),
        ("remove_shard", ShardAction::RemoveShard),
        ("split_hot_range", ShardAction::SplitHotRange),
        ("salt_hot_key", ShardAction::SaltHotKey),
        ("restart_counters", ShardAction::RestartCounters),
    ];
}

/// A change's message with the simulated time it happened: "At 0:12: …".
fn at(lab: &ShardingLab, text: &str) -> String {
    format!("At {}: {text}.", format::sim_clock(to_secs(lab.now())))
}

impl PacedLab for ShardingLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = ShardAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In work units: [`ShardingLab::WORK_PER_FRAME`] fits a frame; an operation costs about 8.5.
    const BUDGET: (f64, f64, f64) = (ShardingLab::WORK_PER_FRAME as f64, 4_000.0, 400_000.0);
    const PANELS: &'static [&'static str] = &["shards", "keyspace", "charts", "compare"];

    core_model_methods!(ShardingLab);

    /// Every URL key of the lab, the regions included.
    fn set(config: &mut Config, key: &str, raw: &str) -> Option<Result<(), ConfigError>> {
        (key == REGIONS || Config::spec(key).is_some()).then(|| config.set_field(key, raw))
    }

    /// The parameters, then the regions when there are several.
    fn url_pairs(config: &Config) -> Vec<(&'static str, String)> {
        let mut pairs = params_of(config);
        if config.region_list().len() > 1 {
            pairs.push((REGIONS, config.regions.clone()));
        }
        pairs
    }

    fn frame_view(&self) {}

    /// Work units per simulated second (operations and the shards they visit).
    fn work_per_sec(&self) -> f64 {
        ShardingLab::work_per_sec(self)
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        ShardingLab::set_param(self, key, raw).map(|restarted| {
            restarted.map(|_| "The run restarted from time 0: every key is placed again under the new layout.".into())
        })
    }

    /// Busy while a placement job is pending: the clock waits for it.
    fn has_work(&self) -> bool {
        self.busy()
    }

    fn do_work(&mut self) {
        self.work(ShardingLab::WORK_PER_FRAME);
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &ShardState, action: ShardAction) {
        let change = |f: fn(&mut ShardingLab) -> Result<String, ConfigError>| {
            run.apply(|l| match f(l) {
                Ok(text) => at(l, &text),
                Err(e) => format!("Not now: {}.", e.message),
            })
        };
        match action {
            ShardAction::FastForward => run.fast_forward(FAST_FORWARD_SECS, AfterFastForward::Pause),
            ShardAction::LongRun => run.fast_forward(LONG_RUN_SECS, AfterFastForward::Pause),
            ShardAction::AddShard => change(ShardingLab::add_shard),
            ShardAction::RemoveShard => change(ShardingLab::remove_shard),
            ShardAction::SplitHotRange => change(ShardingLab::split_hot_range),
            // Like every setting changed, salting restarts the counters.
            ShardAction::SaltHotKey => change(|l| {
                let salt = if l.config().salt > 1 { 1 } else { SALT_KEYS };
                let text = l.set_salt(salt)?;
                l.reset_stats();
                Ok(format!("{text}; counters restarted"))
            }),
            ShardAction::RestartCounters => run.apply(|l| {
                l.reset_stats();
                "Counters restarted: shares, percentiles and totals count from now.".into()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::LabController;

    #[test]
    fn the_url_round_trips_every_key_and_refuses_hostile_values() {
        let mut config = Config::default();
        for (key, raw) in [
            ("strategy", "range"),
            ("shards", "4"),
            ("logical_shards", "64"),
            ("monotonic", "1"),
            ("salt", "4"),
            (REGIONS, "us:50,eu:30,ap:20"),
        ] {
            assert_eq!(
                ShardState::set(&mut config, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        let pairs = <ShardingLab as PacedLab>::url_pairs(&config);
        assert_eq!(pairs.len(), Config::KEYS.len());
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(
                ShardState::set(&mut back, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        back.seed = config.seed;
        assert_eq!(back, config);
        let before = back.clone();
        for (key, raw) in [
            ("shards", "0"),
            ("alpha", "NaN"),
            ("strategy", "<script>"),
            ("keys", "1e99"),
            (REGIONS, "us:-1"),
            ("logical_shards", "2"),
        ] {
            assert_eq!(
                ShardState::set(&mut back, key, raw).map(|r| r.is_err()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, before, "a refused value changes nothing");
        assert!(ShardState::set(&mut back, "bogus", "1").is_none());
    }
}
