//! The autoscaling lab page (`/labs/autoscaling`): traffic changes over a simulated day and an
//! autoscaler (the Kubernetes HPA, step, scheduled, predictive, a fixed fleet or serverless) keeps
//! up, or does not; what it costs and how long it misses the SLO.
//!
//! Files: `state` (controller over the core lab, speeds, actions), `metrics` (numbers from the
//! snapshot), `charts` (traffic against capacity, replicas, p99, utilisation, cost), `decisions`
//! (the decision log with the formula's numbers), `actions` (spike, kill), `compare` (two
//! autoscalers on the same traffic), `model` (assumptions panel).

mod actions;
mod charts;
mod compare;
mod decisions;
mod metrics;
mod model;
pub mod state;

use crate::components::{param_groups, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel, Reveal};
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::autoscaling::{Autoscaler, Config, Traffic};
use scalelab_sim::params::Params;
use state::AsState;

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
const GROUPS: &[ParamGroup] = &[
    (
        "Autoscaler",
        true,
        &["autoscaler", "metric", "target", "min_replicas", "max_replicas"],
    ),
    (
        "Traffic",
        true,
        &["traffic", "base_rps", "peak_rps", "spike_at_s", "spike_s", "noise"],
    ),
    (
        "Instances and SLO",
        true,
        &["instance_rps", "cpu_share", "startup_s", "cost_per_hour", "slo_ms"],
    ),
    (
        "HPA behaviour",
        false,
        &[
            "tolerance",
            "up_pods",
            "up_percent",
            "down_percent",
            "period_s",
            "select_policy",
            "up_window_s",
            "down_window_s",
        ],
    ),
    ("Step scaling", false, &["cooldown_s"]),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    let a = config.autoscaler;
    let hpa = matches!(a, Autoscaler::Hpa | Autoscaler::Predictive);
    match key {
        "tolerance" | "up_pods" | "up_percent" | "down_percent" | "period_s" | "select_policy" | "up_window_s"
        | "down_window_s" => hpa,
        "cooldown_s" => a == Autoscaler::Step,
        "metric" | "target" => !matches!(a, Autoscaler::Fixed | Autoscaler::Serverless),
        "max_replicas" => a != Autoscaler::Fixed,
        "spike_at_s" => matches!(config.traffic, Traffic::Spike | Traffic::Ramp | Traffic::Step),
        _ => true,
    }
}

crate::lab_entry!(lab_autoscaling, AutoscalingPage);

/// The autoscaling lab page.
#[component]
pub fn AutoscalingPage() -> impl IntoView {
    let kit = use_lab::<AsState>(&crate::lessons::AUTOSCALING);
    let (state, driver) = (kit.lab(), kit.driver);
    let access = state.param_access(applies);
    let groups = param_groups(GROUPS, Config::spec, access);

    let early: Signal<_> = state.staged.late[0].into();
    let late: Signal<_> = state.staged.late[1].into();
    let axis: Signal<(f64, f64)> = charts::run_axis(late).into();
    let slo = Signal::derive(move || state.lab.with(|l| l.config().slo_ms));
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Autoscaling"
            subtitle="Traffic changes over a simulated day and an autoscaler keeps up, or does not. Watch the Kubernetes HPA's formula at work, its tolerance and stabilization, cold starts that make spikes hurt anyway, and what elasticity costs against a fixed fleet."
            class="as-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live from the next second; a new autoscaler restarts the run from midnight.">
                    {groups}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <actions::FaultButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Autoscaling metrics"/>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over the day"</h2>
                <Reveal id="charts">
                    <charts::Charts snapshot=late axis=axis slo_ms=slo/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="decisions-title">
                <h2 id="decisions-title">"The autoscaler's decisions"</h2>
                <Reveal id="decisions">
                    <decisions::DecisionLog snapshot=early/>
                </Reveal>
            </section>
            <Reveal id="compare">
                <compare::ComparePanel state=state/>
            </Reveal>
            <model::ModelPanel/>
        </LabPage>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::param_groups::groups_cover;

    #[test]
    fn every_parameter_has_a_control_group() {
        assert_eq!(groups_cover::<Config>(GROUPS), Ok(()));
    }

    #[test]
    fn greyed_out_controls_follow_the_autoscaler() {
        let hpa = Config::default();
        assert!(applies("tolerance", &hpa) && !applies("cooldown_s", &hpa));
        let fixed = Config {
            autoscaler: Autoscaler::Fixed,
            ..Config::default()
        };
        assert!(!applies("target", &fixed) && !applies("max_replicas", &fixed) && applies("min_replicas", &fixed));
    }
}
