//! The sharding lab page (`/labs/sharding`): a dataset partitioned over shards by one of five
//! strategies, a workload of single-key, range, global and transactional operations on it, hot
//! shards and hot keys, and resharding while it serves.
//!
//! Files: `state` (controller over the core lab, actions), `metrics` (numbers from the
//! snapshot), `shards` (load and data per shard), `keyspace` (the keyspace strip, the migration,
//! the hot key), `charts` (throughput, throttling and latency over time), `actions` (add, remove,
//! split, salt), `regions` (the regional mix field), `compare` (the strategies side by side),
//! `model` (assumptions panel).

mod actions;
mod charts;
mod compare;
mod keyspace;
mod metrics;
mod model;
mod regions;
mod shards;
pub mod state;

use crate::components::{
    param_groups_with, EventLog, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel, ProgressBar, Reveal,
};
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::params::Params;
use scalelab_sim::sharding::{Config, Snapshot, Strategy};
use state::{ShardState, REGIONS};

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
/// `regions` is the lab's own text field (not a [`Params`] spec).
const GROUPS: &[ParamGroup] = &[
    ("Strategy", true, &["strategy", "shards", "logical_shards", "vnodes"]),
    ("Data", true, &["keys", "alpha", "monotonic", "salt", REGIONS]),
    (
        "Workload",
        true,
        &["rate", "read_ratio", "range_share", "global_share", "txn_share"],
    ),
    (
        "Shards",
        false,
        &["shard_capacity", "shard_latency_ms", "migration_mb_s"],
    ),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    match key {
        "vnodes" => config.strategy == Strategy::Consistent,
        "logical_shards" => config.strategy.uses_logical() || config.strategy == Strategy::Directory,
        _ => true,
    }
}

/// The events the log lists.
fn events(s: &Snapshot) -> Vec<(f64, String)> {
    s.events.iter().map(|e| (e.at_s, e.text.clone())).collect()
}

crate::lab_entry!(lab_sharding, ShardingPage);

/// The sharding lab page.
#[component]
pub fn ShardingPage() -> impl IntoView {
    let kit = use_lab::<ShardState>(&crate::lessons::SHARDING);
    let (state, driver) = (kit.lab(), kit.driver);
    let access = state.param_access(applies);
    let groups = param_groups_with(GROUPS, Config::spec, access, move |key| {
        (key == REGIONS).then(|| view! { <regions::RegionsControl state=state/> }.into_any())
    });

    let snapshot: Signal<_> = state.snap.into();
    let early: Signal<_> = state.staged.late[0].into();
    let late: Signal<_> = state.staged.late[1].into();
    let axis: Signal<(f64, f64)> = charts::run_axis(late).into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));
    let placing = Signal::derive(move || state.snap.with(|s| s.busy));

    view! {
        <LabPage
            title="Sharding"
            subtitle="Split a dataset over shards with a key and a strategy: hash, range, geographic, a directory or consistent hashing. Find the hot shard and the hot key, see what range scans and global queries cost, and pay for adding a shard."
            class="sh-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live. Strategy, shards, keys, popularity and regions place every key again (the run restarts); every change restarts the counters.">
                    {groups}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <ProgressBar
                    when=placing
                    testid="placement-progress"
                    text=Signal::derive(move || state.snap.with(|s| format!("{}\u{2026} ", s.job)))
                    fraction=Signal::derive(move || state.snap.with(|s| s.job_progress))
                />
                <actions::ReshardButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Sharding metrics"/>
            <section class="panel" aria-labelledby="shards-title">
                <h2 id="shards-title">"Shards"</h2>
                <Reveal id="shards">
                    <shards::ShardColumns snapshot=snapshot/>
                    <EventLog snapshot=early events=events/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="keyspace-title">
                <h2 id="keyspace-title">"Keyspace"</h2>
                <Reveal id="keyspace">
                    <keyspace::KeyspacePanel snapshot=early/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <Reveal id="charts">
                    <div class="panel-row two">
                        <charts::TrafficChart snapshot=late axis=axis/>
                        <charts::LatencyChart snapshot=late axis=axis/>
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
        let mut listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.2.iter().copied())
            .filter(|k| *k != REGIONS)
            .collect();
        listed.sort_unstable();
        let mut all: Vec<&str> = Config::specs().iter().map(|s| s.key).collect();
        all.sort_unstable();
        assert_eq!(listed, all);
    }

    #[test]
    fn greyed_out_controls_follow_the_strategy() {
        let hash = Config::default();
        assert!(!applies("vnodes", &hash) && applies("logical_shards", &hash));
        let ring = Config {
            strategy: Strategy::Consistent,
            ..Config::default()
        };
        assert!(applies("vnodes", &ring) && !applies("logical_shards", &ring));
    }
}
