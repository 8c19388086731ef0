//! The scaling journey page (`/labs/journey`): one system from a single server to three regions as
//! its users grow from a thousand to ten million; the learner adds what the bottleneck demands and
//! plays four levels (an SLO, a budget and a fault each) or builds anything in the sandbox.
//!
//! Files: `state` (controller over the core lab, the `region_mix` key, speeds, actions),
//! `metrics` (numbers from the snapshot; `metric-bottleneck` carries the component's name),
//! `diagram` (users, regions and components coloured by utilisation: a `Drawing`), `charts`
//! (p99 per region, errors, cost, the bottleneck's utilisation on one time axis), `level` (the
//! level panel and the decision hints), `actions` (the four faults), `region_mix` (its field),
//! `compare` (two architectures on the same traffic), `model` (assumptions panel).

mod actions;
mod charts;
mod compare;
mod diagram;
mod level;
mod metrics;
mod model;
mod region_mix;
pub mod state;

use crate::components::{param_groups_with, EventLog, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel, Reveal};
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::journey::{Config, Snapshot};
use scalelab_sim::params::Params;
use state::{JState, REGION_MIX};

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
/// `region_mix` is the lab's own text field (not a [`Params`] spec).
const GROUPS: &[ParamGroup] = &[
    ("Level", true, &["stage"]),
    (
        "App servers",
        true,
        &["app_servers", "server_size", "sessions", "autoscale"],
    ),
    ("Data", true, &["cache_gb", "replicas", "shards"]),
    (
        "Edges and async",
        true,
        &["cdn", "queue", "workers", "breaker", "regions"],
    ),
    ("Database connections", false, &["pool", "db_max_connections"]),
    (
        "Sandbox traffic",
        false,
        &["users", "read_ratio", "static_share", "slow_share", REGION_MIX],
    ),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    match key {
        "users" | "read_ratio" | "static_share" | "slow_share" | REGION_MIX => config.stage == 0,
        "workers" => config.queue,
        _ => true,
    }
}

/// The events the log lists.
fn events(s: &Snapshot) -> Vec<(f64, String)> {
    s.events.iter().map(|e| (e.at_s, e.text.clone())).collect()
}

crate::lab_entry!(lab_journey, JourneyPage);

/// The scaling journey page.
#[component]
pub fn JourneyPage() -> impl IntoView {
    let kit = use_lab::<JState>(&crate::lessons::JOURNEY);
    let (state, driver) = (kit.lab(), kit.driver);
    let access = state.param_access(applies);
    let groups = param_groups_with(GROUPS, Config::spec, access, move |key| {
        (key == REGION_MIX).then(|| view! { <region_mix::RegionMixControl state=state/> }.into_any())
    });

    let snapshot: Signal<_> = state.snap.into();
    let early: Signal<_> = state.staged.late[0].into();
    let late: Signal<_> = state.staged.late[1].into();
    let axis: Signal<(f64, f64)> = charts::run_axis(late).into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="The scaling journey"
            subtitle="One system from a single server to three regions as its users grow from a thousand to ten million. Find the bottleneck, add what it demands, and watch it move: play four levels, each with an SLO, a budget and a fault, or build anything in the sandbox."
            class="jr-lab"
            side_label="Architecture"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply from the next second. A new stage, seed, deployment or sandbox traffic restarts the run.">
                    {groups}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <actions::FaultButtons driver=driver/>
            </RunPanel>
            <section class="panel" aria-labelledby="level-title">
                <h2 id="level-title">"The level"</h2>
                <Reveal id="level">
                    <level::LevelPanel snapshot=early/>
                </Reveal>
            </section>
            <NumbersPanel metrics=metrics label="Journey metrics"/>
            <section class="panel" aria-labelledby="diagram-title">
                <h2 id="diagram-title">"The architecture"</h2>
                <Reveal id="diagram">
                    <diagram::Diagram snapshot=snapshot/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="hints-title">
                <h2 id="hints-title">"What to do next"</h2>
                <Reveal id="hints">
                    <level::Hints snapshot=early/>
                    <EventLog snapshot=early events=events/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <Reveal id="charts">
                    <charts::Charts snapshot=late axis=axis/>
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

    #[test]
    fn every_parameter_has_a_control_group() {
        let mut listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.2.iter().copied())
            .filter(|k| *k != REGION_MIX)
            .collect();
        listed.sort_unstable();
        let mut all: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        all.sort_unstable();
        assert_eq!(listed, all);
    }

    #[test]
    fn the_sandbox_traffic_applies_only_in_the_sandbox() {
        let level = Config::default();
        assert!(!applies("users", &level) && !applies(REGION_MIX, &level) && applies("cache_gb", &level));
        let sandbox = Config {
            stage: 0,
            ..Config::default()
        };
        assert!(applies("users", &sandbox) && applies(REGION_MIX, &sandbox));
    }
}
