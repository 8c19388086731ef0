//! The replication lag lab page (`/labs/replication`): a primary and its replicas, writes in
//! flight, reads that land on replicas that are behind, the routings that fix them and what a
//! failover loses.
//!
//! Files: `state` (controller over the core lab), `metrics` (numbers from the snapshot),
//! `topology` (primary, replicas, writes in flight, log positions), `spacetime` (sessions over
//! time with anomalies marked), `charts` (lag over time, latency distributions), `faults`
//! (buttons and incident log), `compare` (two modes or routings side by side), `model`
//! (assumptions panel).

mod charts;
mod compare;
mod faults;
mod metrics;
mod model;
mod spacetime;
pub mod state;
mod topology;

use crate::components::{param_groups, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel};
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::params::Params;
use scalelab_sim::replication::{CommitMode, Config, Routing};
use state::ReplState;

pub use metrics::NAMES as METRIC_NAMES;

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
const GROUPS: &[ParamGroup] = &[
    (
        "Replicas and commit",
        true,
        &["replicas", "commit", "acks", "semi_sync_timeout_ms"],
    ),
    ("Read routing", true, &["routing", "window_ms", "token_wait_ms"]),
    (
        "Replication delay",
        true,
        &["lag_ms", "jitter_ms", "apply_rate", "slow_factor"],
    ),
    ("Traffic", false, &["write_rate", "read_rate", "sessions"]),
    ("Node timing", false, &["local_commit_ms", "read_ms"]),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    match key {
        "acks" => config.commit != CommitMode::Async,
        "semi_sync_timeout_ms" => config.commit == CommitMode::SemiSync,
        "window_ms" => config.routing == Routing::PrimaryAfterWrite,
        "token_wait_ms" => config.routing == Routing::SessionToken,
        _ => true,
    }
}

crate::lab_entry!(lab_replication, ReplicationPage);

/// The replication lag lab page.
#[component]
pub fn ReplicationPage() -> impl IntoView {
    let kit = use_lab::<ReplState>(&crate::lessons::REPLICATION);
    let (state, driver) = (kit.lab(), kit.driver);

    let access = state.param_access(applies);

    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));
    let acks = Signal::derive(move || state.lab.with(|l| l.config().acks));

    view! {
        <LabPage
            title="Replication lag"
            subtitle="Send writes to a primary and read from replicas that lag behind. See stale reads and broken session guarantees, the routings that fix them and what they cost, semi-sync's fallback, and what a failover loses."
            class="repl-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live and restart the counters; replicas and sessions restart the run.">
                    {param_groups(GROUPS, Config::spec, access)}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <faults::FaultButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Replication metrics"/>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="topology-title">
                    <h2 id="topology-title">"Primary, replicas and writes in flight"</h2>
                    <topology::TopologyView
                        topology=Signal::derive(move || state.snap.with(|s| s.topology.clone()))
                        moving=state.view
                        acks=acks
                    />
                </section>
                <section class="panel" aria-labelledby="lag-title">
                    <h2 id="lag-title">"Lag over time"</h2>
                    <charts::LagChart snapshot=state.staged.late[1]/>
                </section>
            </div>
            <section class="panel" aria-labelledby="spacetime-title">
                <h2 id="spacetime-title">"What each session saw"</h2>
                <spacetime::SpaceTime snapshot=state.staged.late[0]/>
            </section>
            <section class="panel" aria-labelledby="latency-title">
                <h2 id="latency-title">"Latency"</h2>
                <div class="panel-row two">
                    <charts::LatencyHistogram
                        bins=Signal::derive(move || state.staged.late[1].with(|s| s.write_latency_bins.clone()))
                        classes=charts::WRITE_CLASSES
                        title="Write latency distribution"
                        testid="chart-write-latency"
                    />
                    <charts::LatencyHistogram
                        bins=Signal::derive(move || state.staged.late[1].with(|s| s.read_latency_bins.clone()))
                        classes=charts::READ_CLASSES
                        title="Read latency distribution"
                        testid="chart-read-latency"
                    />
                </div>
            </section>
            <compare::ComparePanel state=state/>
            <model::ModelPanel/>
        </LabPage>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_has_a_control_group() {
        assert_eq!(crate::components::param_groups::groups_cover::<Config>(GROUPS), Ok(()));
    }
}
