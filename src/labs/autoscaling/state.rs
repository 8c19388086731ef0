//! The autoscaling page's controller: the core lab as a [`PacedRun`] (the kit's controller for
//! labs on a simulated clock) and what is this lab's own: speeds of minutes and hours per second
//! (a run lasts a simulated day), its actions (a spike now, kill an instance, run an hour or a
//! day) and its metrics.
//!
//! The page renders the core's [`Snapshot`] only; it computes no model results. The model advances
//! in whole simulated seconds, each O(1) in the number of requests, within a per-frame budget of
//! simulated seconds tuned to the machine.

use crate::components::transport::Speeds;
use crate::format;
use crate::kit::paced::core_model_methods;
use crate::kit::{AfterFastForward, LabAction, PacedLab, PacedRun};
use scalelab_sim::autoscaling::{AutoscalingLab, Config, Snapshot};
use scalelab_sim::engine::time::to_secs;
use scalelab_sim::ConfigError;

/// Simulated seconds the transport's Step button advances (one HPA sync).
pub const STEP_SECS: f64 = 15.0;
/// Simulated seconds the lesson's `run_10min` action runs.
pub const TEN_MINUTES: f64 = 600.0;
/// Simulated seconds the lesson's `run_hour` action runs.
pub const HOUR: f64 = 3_600.0;
/// Simulated seconds the lesson's `run_day` action runs.
pub const DAY: f64 = 86_400.0;

/// Speeds of a lab whose runs last a day: from real time to four hours a second.
pub const SPEEDS: Speeds = &[
    (1.0, "1\u{00d7} (real time)"),
    (10.0, "10\u{00d7}"),
    (60.0, "1 min per second"),
    (300.0, "5 min per second"),
    (900.0, "15 min per second"),
    (3_600.0, "1 hour per second"),
    (14_400.0, "4 hours per second"),
];

/// The autoscaling page's controller.
pub type AsState = PacedRun<AutoscalingLab>;

/// The lab's own actions (buttons and lesson steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsAction {
    /// Runs 10 simulated minutes, then pauses.
    RunTenMinutes,
    /// Runs a simulated hour, then pauses.
    RunHour,
    /// Runs a simulated day, then pauses.
    RunDay,
    /// Runs two simulated days (predictive scaling needs yesterday), then pauses.
    RunTwoDays,
    /// A spike of the configured size and length starts now.
    SpikeNow,
    /// One ready instance dies (the autoscaler replaces it when it sees the load).
    KillInstance,
}

impl LabAction for AsAction {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("run_10min", AsAction::RunTenMinutes),
        ("run_hour", AsAction::RunHour),
        ("run_day", AsAction::RunDay),
        ("run_2days", AsAction::RunTwoDays),
        ("spike_now", AsAction::SpikeNow),
        ("kill_instance", AsAction::KillInstance),
    ];
}

/// Simulated seconds now.
fn now_s(lab: &AutoscalingLab) -> f64 {
    to_secs(lab.now())
}

impl PacedLab for AutoscalingLab {
    type Config = Config;
    type Snapshot = Snapshot;
    type FrameView = ();
    type Action = AsAction;
    const STEP_SECS: f64 = STEP_SECS;
    /// In simulated seconds (each costs about a microsecond, more while the fleet changes size).
    const BUDGET: (f64, f64, f64) = (AutoscalingLab::SECONDS_PER_FRAME as f64, 60.0, 86_400.0);
    const PANELS: &'static [&'static str] = &["charts", "decisions", "compare"];
    const SPEEDS: Speeds = SPEEDS;
    const DEFAULT_SPEED: f64 = 300.0;

    fn step_label() -> String {
        "15 s (one autoscaler sync)".into()
    }

    core_model_methods!(AutoscalingLab, counters_never_restart: "Nothing: the totals (cost, SLO seconds, scale events) describe the whole run so far, from time 0; Reset starts the run again.");

    fn frame_view(&self) {}

    /// One work unit per simulated second.
    fn work_per_sec(&self) -> f64 {
        1.0
    }

    fn set_param(&mut self, key: &str, raw: &str) -> Result<Option<String>, ConfigError> {
        let before = (self.config().autoscaler, self.config().seed);
        AutoscalingLab::set_param(self, key, raw)?;
        let restarted = (self.config().autoscaler, self.config().seed) != before;
        Ok(restarted.then(|| "The run restarted from midnight with the new autoscaler.".to_string()))
    }

    fn metric(snapshot: &Snapshot, name: &str) -> Option<f64> {
        super::metrics::metric_value(snapshot, name)
    }

    fn act(run: &AsState, action: AsAction) {
        match action {
            AsAction::RunTenMinutes => run.fast_forward(TEN_MINUTES, AfterFastForward::Pause),
            AsAction::RunHour => run.fast_forward(HOUR, AfterFastForward::Pause),
            AsAction::RunDay => run.fast_forward(DAY, AfterFastForward::Pause),
            AsAction::RunTwoDays => run.fast_forward(2.0 * DAY, AfterFastForward::Pause),
            AsAction::SpikeNow => run.apply(|l| {
                let c = l.config();
                let (peak, secs) = (c.peak_rps, c.spike_s);
                if l.spike_now() {
                    format!(
                        "At {}: a spike to {} requests a second starts, for {} s.",
                        format::sim_clock(now_s(l)),
                        format::number(peak, 0),
                        secs
                    )
                } else {
                    "Not now: too many spikes are already pending.".into()
                }
            }),
            AsAction::KillInstance => run.apply(|l| {
                if l.kill_instance() {
                    format!(
                        "At {}: an instance died. The autoscaler replaces it once it sees the load.",
                        format::sim_clock(now_s(l))
                    )
                } else {
                    "No ready instance to kill.".into()
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::LabController;
    use scalelab_sim::params::Params;

    #[test]
    fn the_url_round_trips_every_key_and_refuses_hostile_values() {
        let mut config = Config::default();
        for (key, raw) in [
            ("autoscaler", "step"),
            ("traffic", "spike"),
            ("peak_rps", "3000"),
            ("metric", "rps"),
            ("target", "80"),
            ("noise", "0"),
        ] {
            assert_eq!(
                AsState::set(&mut config, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        let pairs = <AutoscalingLab as PacedLab>::url_pairs(&config);
        assert_eq!(pairs.len(), Config::specs().len());
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(
                AsState::set(&mut back, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        back.seed = config.seed;
        assert_eq!(back, config);
        let before = back.clone();
        for (key, raw) in [
            ("autoscaler", "<script>"),
            ("base_rps", "NaN"),
            ("max_replicas", "1e99"),
            ("tolerance", "-1"),
            ("startup_s", ""),
        ] {
            assert_eq!(
                AsState::set(&mut back, key, raw).map(|r| r.is_err()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, before, "a refused value changes nothing");
        assert!(AsState::set(&mut back, "bogus", "1").is_none());
    }

    #[test]
    fn the_default_speed_is_offered() {
        assert!(SPEEDS
            .iter()
            .any(|(s, _)| *s == <AutoscalingLab as PacedLab>::DEFAULT_SPEED));
    }
}
