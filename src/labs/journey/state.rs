//! The journey page's controller: the core lab as a [`PacedRun`] (the kit's controller for labs
//! on a simulated clock) and what is this lab's own: the `region_mix` text key (like the sharding
//! lab's `regions`), speeds of minutes per second (a level lasts a simulated hour), its actions
//! (the four faults, runs of ten minutes or a level's hour) and its metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The model advances
//! in whole simulated seconds, each O(regions × request classes) whatever the traffic.

use crate::components::transport::Speeds;
use crate::components::url_state::params_of;
use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use leptos::prelude::*;
use scalelab_sim::engine::time::to_secs;
use scalelab_sim::journey::Config;
use scalelab_sim::journey::{Fault, JourneyLab, Snapshot, LEVEL_S};
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;

/// The region mix's URL key (a text field, not a `ParamSpec`).
pub const REGION_MIX: &str = "region_mix";
/// Simulated seconds the transport's Step button advances.
pub const STEP_SECS: f64 = 10.0;
/// Simulated seconds the lesson's `run_10min` action runs.
pub const TEN_MINUTES: f64 = 600.0;

/// Speeds of a lab whose levels last an hour: from real time to 15 minutes a second.
pub const SPEEDS: Speeds = &[
    (1.0, "1\u{00d7} (real time)"),
    (10.0, "10\u{00d7}"),
    (60.0, "1 min per second"),
    (300.0, "5 min per second"),
    (900.0, "15 min per second"),
];

/// The journey page's controller.
pub type JState = PacedRun<JourneyLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JAction {
    /// Runs 10 simulated minutes, then pauses.
    RunTenMinutes,
    /// Runs to the end of the level's hour (an hour in the sandbox), then pauses.
    RunHour,
    /// A fault starts now.
    Fault(Fault),
}

impl LabAction for JAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("run_10min", JAction::RunTenMinutes),
        ("run_hour", JAction::RunHour),
        ("fail_region", JAction::Fault(Fault::RegionDown)),
        ("fail_primary", JAction::Fault(Fault::PrimaryDown)),
        ("spike", JAction::Fault(Fault::Spike)),
        ("fail_third_party", JAction::Fault(Fault::ThirdPartyDown)),
    ];
}

/// What a fault button's press did.
fn fault_message(lab: &mut JourneyLab, fault: Fault) -> String {
    let when = format::sim_clock(to_secs(lab.now()));
    if lab.fault(fault) {
        format!("At {when}: {} (for 10 minutes).", fault.label())
    } else {
        format!("At {when}: already on; it now lasts 10 minutes from here.")
    }
}

impl PacedLab for JourneyLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = JAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In simulated seconds (each costs a few microseconds whatever the traffic).
    const BUDGET: (f64, f64, f64) = (JourneyLab::SECONDS_PER_FRAME as f64, 10.0, 3_600.0);
    const PANELS: &'static [&'static str] = &["diagram", "charts", "hints", "level", "compare"];
    const SPEEDS: Speeds = SPEEDS;
    const DEFAULT_SPEED: f64 = 60.0;

    fn step_label() -> String {
        "10 s".into()
    }

    core_model_methods!(JourneyLab, counters_never_restart: "Nothing: a level's verdict is over its whole hour, from time 0; Reset starts it again.");

    /// Every URL key of the lab, the region mix included.
    fn set(config: &mut Config, key: &str, raw: &str) -> Option<Result<(), ConfigError>> {
        (key == REGION_MIX || Config::spec(key).is_some()).then(|| config.set_field(key, raw))
    }

    /// The parameters, then the region mix.
    fn url_pairs(config: &Config) -> Vec<(&'static str, String)> {
        let mut pairs = params_of(config);
        pairs.push((REGION_MIX, config.region_mix.clone()));
        pairs
    }

    fn frame_view(&self) {}

    /// One work unit per simulated second.
    fn work_per_sec(&self) -> f64 {
        1.0
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        let before = self.now();
        JourneyLab::set_param(self, key, raw)?;
        let restarted = before > 0 && self.now() == 0;
        Ok(restarted.then(|| "The run restarted from time 0 (a new stage, seed, deployment or traffic).".to_string()))
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &JState, action: JAction) {
        match action {
            JAction::RunTenMinutes => run.fast_forward(TEN_MINUTES, AfterFastForward::Pause),
            JAction::RunHour => {
                let left = LEVEL_S as f64 - run.lab.with_untracked(|l| to_secs(l.now()));
                let secs = if left > 0.0 { left } else { LEVEL_S as f64 };
                run.fast_forward(secs, AfterFastForward::Pause);
            }
            JAction::Fault(fault) => run.apply(|l| fault_message(l, fault)),
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
            ("stage", "0"),
            ("app_servers", "30"),
            ("server_size", "large"),
            ("cache_gb", "4"),
            ("regions", "active-active"),
            ("region_mix", "us:60,eu:25,asia:15"),
            ("users", "20000"),
        ] {
            assert_eq!(
                JState::set(&mut config, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        let pairs = <JourneyLab as PacedLab>::url_pairs(&config);
        assert_eq!(pairs.len(), Config::specs().len() + 1);
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(JState::set(&mut back, key, raw).map(|r| r.is_ok()), Some(true), "{key}");
        }
        back.seed = config.seed;
        assert_eq!(back, config);
        let before = back.clone();
        for (key, raw) in [
            ("server_size", "<script>"),
            ("users", "NaN"),
            ("app_servers", "1e99"),
            ("stage", "9"),
            ("region_mix", "mars:1"),
            ("region_mix", ""),
        ] {
            assert_eq!(
                JState::set(&mut back, key, raw).map(|r| r.is_err()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, before, "a refused value changes nothing");
        assert!(JState::set(&mut back, "bogus", "1").is_none());
    }

    #[test]
    fn the_default_speed_is_offered() {
        assert!(SPEEDS
            .iter()
            .any(|(s, _)| *s == <JourneyLab as PacedLab>::DEFAULT_SPEED));
    }
}
