//! The load balancing lab page (`/labs/load-balancing`): traffic through one or more load
//! balancers to a fleet of servers; algorithms from round robin to power of two choices, slow and
//! dead servers, health checks, stale load information and sessions.
//!
//! Files: `state` (controller over the core lab, actions), `metrics` (numbers from the
//! snapshot), `fleet` (balancers, servers, queues and the latest requests), `charts` (per-server
//! load and share, latency distribution, percentiles and errors over time), `faults` (kill, slow,
//! heal, add, remove; the event log), `speeds` (the per-server speeds field), `compare`
//! (algorithms side by side), `model` (assumptions panel).

mod charts;
mod compare;
mod faults;
mod fleet;
mod metrics;
mod model;
mod speeds;
pub mod state;

use crate::components::{param_groups_with, EventLog, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel, Reveal};
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::loadbalancing::{Algorithm, Config, CostKind, Sessions};
use scalelab_sim::params::Params;
use state::{LbState, SPEEDS};

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
/// `speeds` is the lab's own text field (not a [`Params`] spec).
const GROUPS: &[ParamGroup] = &[
    (
        "Algorithm and balancers",
        true,
        &["algorithm", "balancers", "refresh_ms"],
    ),
    ("Traffic", true, &["rate", "cost", "mean_ms", "variability", "clients"]),
    ("Servers", true, &["servers", SPEEDS, "workers", "queue_limit"]),
    (
        "Health checks",
        false,
        &["check_interval_ms", "unhealthy_after", "healthy_after"],
    ),
    ("Sessions", false, &["sessions", "store_ms"]),
    ("Balls into bins", false, &["static_requests"]),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    let running = config.static_requests == 0;
    match key {
        "variability" => config.cost == CostKind::HeavyTail && running,
        "store_ms" => config.sessions == Sessions::Shared && running,
        "refresh_ms" => config.balancers > 1,
        "clients" => config.algorithm == Algorithm::IpHash || config.sessions != Sessions::None,
        "rate" | "cost" | "mean_ms" | "workers" | "queue_limit" | "check_interval_ms" | "unhealthy_after"
        | "healthy_after" | "sessions" => running,
        _ => true,
    }
}

crate::lab_entry!(lab_load_balancing, LoadBalancingPage);

/// The load balancing lab page.
#[component]
pub fn LoadBalancingPage() -> impl IntoView {
    let kit = use_lab::<LbState>(&crate::lessons::LOAD_BALANCING);
    let (state, driver) = (kit.lab(), kit.driver);
    let access = state.param_access(applies);
    let groups = param_groups_with(GROUPS, Config::spec, access, move |key| {
        (key == SPEEDS).then(|| view! { <speeds::SpeedsControl state=state/> }.into_any())
    });

    let snapshot: Signal<_> = state.snap.into();
    let late: Signal<_> = state.staged.late[1].into();
    let axis: Signal<(f64, f64)> = charts::run_axis(late).into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Load balancing"
            subtitle="Send traffic through load balancers to a fleet of servers. Compare round robin, least connections and power of two choices; slow a server, kill one and watch the health checks catch up; see why sticky sessions fight scaling."
            class="lb-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live; each one restarts the counters.">{groups}</ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <faults::FaultButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Load balancing metrics"/>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="fleet-title">
                    <h2 id="fleet-title">"Balancers and servers"</h2>
                    <Reveal id="fleet">
                        <fleet::FleetDiagram snapshot=snapshot/>
                        <EventLog snapshot=state.staged.late[0] events=faults::events/>
                    </Reveal>
                </section>
                <section class="panel" aria-labelledby="servers-title">
                    <h2 id="servers-title">"Load per server"</h2>
                    <Reveal id="servers">
                        <charts::ServerLoadChart snapshot=state.staged.late[0]/>
                        <charts::ShareChart snapshot=state.staged.late[0]/>
                    </Reveal>
                </section>
            </div>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <Reveal id="charts">
                    <div class="panel-row two">
                        <charts::PercentilesChart snapshot=late axis=axis/>
                        <charts::ErrorsChart snapshot=late axis=axis/>
                        <charts::LatencyHistogram snapshot=late/>
                    </div>
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
        let specs: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        let mut listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.2.iter().copied())
            .filter(|k| *k != SPEEDS)
            .collect();
        listed.sort_unstable();
        let mut all = specs.clone();
        all.sort_unstable();
        assert_eq!(listed, all);
    }
}
