//! The cache strategies lab page (`/labs/cache`): one request stream through a cache in front of
//! a database, with strategies, eviction, TTL, faults and stampede cures.
//!
//! Files: `state` (controller over the core lab), `metrics` (numbers from the snapshot),
//! `diagram` (client → cache → database flow), `contents` (hottest keys, event log), `faults`
//! (crash, flush, stampede buttons), `charts` (hit ratio, database load, latency), `compare`
//! (variants side by side), `model` (assumptions panel).

mod charts;
mod compare;
mod contents;
mod diagram;
mod faults;
mod metrics;
mod model;
pub mod state;

use crate::components::{param_groups, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel};
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::cache::{Config, Protection, Strategy};
use scalelab_sim::params::Params;
use state::CacheState;

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
const GROUPS: &[ParamGroup] = &[
    (
        "Strategy and cache",
        true,
        &["strategy", "eviction", "capacity", "ttl_s"],
    ),
    ("Traffic", true, &["keys", "alpha", "read_ratio", "rate"]),
    ("Stampede protection", true, &["protection", "beta"]),
    (
        "Database and cache timing",
        false,
        &["db_latency_ms", "db_concurrency", "cache_latency_ms"],
    ),
    ("Write-behind and refresh-ahead", false, &["flush_ms", "refresh_window"]),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    match key {
        "flush_ms" => config.strategy == Strategy::WriteBehind,
        "refresh_window" => config.strategy == Strategy::RefreshAhead,
        "beta" => config.protection == Protection::Xfetch,
        _ => true,
    }
}

crate::lab_entry!(lab_cache, CachePage);

/// The cache strategies lab page.
#[component]
pub fn CachePage() -> impl IntoView {
    let kit = use_lab::<CacheState>(&crate::lessons::CACHE);
    let (state, driver) = (kit.lab(), kit.driver);

    let access = state.param_access(applies);

    let snapshot: Signal<_> = state.snap.into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Cache strategies"
            subtitle="Send one request stream through a cache in front of a database. Compare cache-aside, read-through, write-through, write-behind and refresh-ahead; tune eviction and TTL; crash the cache and start a stampede."
            class="cache-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live; each one restarts the counters.">
                    {param_groups(GROUPS, Config::spec, access)}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <faults::FaultButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Cache metrics"/>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="flow-title">
                    <h2 id="flow-title">"Who talks to whom"</h2>
                    <diagram::FlowDiagram snapshot=snapshot/>
                </section>
                <section class="panel" aria-labelledby="contents-title">
                    <h2 id="contents-title">"Cache contents"</h2>
                    <contents::ContentsTable snapshot=state.staged.late[0]/>
                </section>
            </div>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <div class="panel-row two">
                    <charts::HitRatioChart snapshot=state.staged.late[1]/>
                    <charts::DbLoadChart snapshot=state.staged.late[1]/>
                    <charts::DbConcurrencyChart snapshot=state.staged.late[1]/>
                    <charts::LatencyChart snapshot=state.staged.late[1]/>
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
