//! The hash ring lab page (`/labs/hash-ring`): consistent hashing and its alternatives.
//!
//! Files: `state` (the controller over the core models), `diagram` (ring and bucket SVG),
//! `metrics` (numbers from the snapshot), `nodes` (membership controls), `cost` (cache effect of a
//! change), `compare` (two strategies side by side), `model` (assumptions panel).

mod compare;
mod cost;
mod diagram;
mod metrics;
mod model;
mod nodes;
pub mod state;

use crate::components::chart::{shaded_palette_css, Bar};
use crate::components::lab_page::ParamsPanel;
use crate::components::{param_control, BarChart, LabPage, LabSide, MetricsPanel, ParamAccess, ProgressBar};
use crate::format;
use crate::kit::{use_lab, LabController, LabTransport};
use leptos::prelude::*;
use scalelab_sim::hashring::{Config, Strategy};
use scalelab_sim::params::Params;
use state::RingState;

crate::lab_entry!(lab_hash_ring, HashRingPage);

/// The hash ring lab page.
#[component]
pub fn HashRingPage() -> impl IntoView {
    let kit = use_lab::<RingState>(&crate::lessons::HASH_RING);
    let (state, driver) = (kit.lab(), kit.driver);

    let access = ParamAccess::new(
        move |key| state.primary.with(|l| l.config().get(key)),
        move |key, raw| state.set_param(key, raw),
        move |key| {
            let strategy = state.primary.with(|l| l.config().strategy);
            match key {
                "vnodes" => strategy.uses_ring(),
                "epsilon" => strategy == Strategy::Bounded,
                _ => true,
            }
        },
    );
    let controls = Config::specs()
        .iter()
        .map(|spec| param_control(spec, access))
        .collect_view();

    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));
    let bars = Signal::derive(move || {
        state.snap.with(|s| {
            s.nodes
                .iter()
                .map(|n| Bar {
                    label: n.id.to_string(),
                    value: n.keys as f64,
                    color: n.id as usize,
                })
                .collect::<Vec<_>>()
        })
    });
    let ideal = Signal::derive(move || {
        state
            .snap
            .with(|s| (!s.nodes.is_empty()).then(|| s.keys as f64 / s.nodes.len() as f64))
    });

    view! {
        <LabPage
            title="Hash ring"
            subtitle="Where does a key live when servers come and go? Compare hash % N, consistent hashing, jump hash, rendezvous and bounded loads on the same keys."
            side_label="Controls"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel>
                    <div class="params">{controls}</div>
                </ParamsPanel>
            </LabSide>
            <section class="panel">
                <LabTransport kit=kit/>
                <Show when=move || state.until.get().is_some()>
                    <p class="param-hint" role="status" data-testid="fast-forward">
                        "Fast-forwarding the simulation to the time in the link\u{2026}"
                    </p>
                </Show>
            </section>
            <section class="panel" aria-labelledby="placement-title">
                <div class="panel-head">
                    <h2 id="placement-title">"Placement"</h2>
                    <nodes::MembershipButtons driver=driver/>
                </div>
                <PlacementProgress state=state/>
                <p class="param-hint last-change" data-testid="last-change">
                    {move || {
                        state
                            .snap
                            .with(|s| s.last_change.as_ref().map(|c| format!("Last change: {}.", metrics::change_label(c))))
                    }}
                </p>
                <div class="panel-row two">
                    <div>
                        <diagram::PlacementDiagram
                            snapshot=Signal::derive(move || state.snap.get())
                            label="Placement"
                            testid="ring-diagram"
                        />
                        <Legend state=state/>
                    </div>
                    <div class="stack">
                        <MetricsPanel metrics=metrics label="Placement metrics"/>
                        <BarChart
                            bars=bars
                            reference=ideal
                            title="Keys per node (line: an even split)"
                            y_label="keys"
                            testid="chart-keys-per-node"
                        />
                    </div>
                </div>
            </section>
            <section class="panel" aria-labelledby="nodes-title">
                <h2 id="nodes-title">"Nodes"</h2>
                <nodes::NodeTable driver=driver/>
            </section>
            <cost::CostPanel state=state/>
            <compare::ComparePanel state=state/>
            <model::ModelPanel/>
        </LabPage>
    }
}

/// A progress bar while a placement is being computed.
#[component]
fn PlacementProgress(state: RingState) -> impl IntoView {
    let fraction = move || {
        let (a, b) = (state.snap.with(|s| s.progress), state.compare_snap.with(|s| s.progress));
        let total = (a.total + b.total).max(1);
        (a.done + b.done) as f64 / total as f64
    };
    let busy = move || !state.snap.with(|s| s.ready) || !state.compare_snap.with(|s| s.ready);
    view! {
        <ProgressBar
            when=Signal::derive(busy)
            testid="placement-progress"
            text="Placing keys\u{2026} "
            fraction=Signal::derive(fraction)
        />
    }
}

/// Legend under the diagram: node colours (up to 12), moved keys and changed arcs.
#[component]
fn Legend(state: RingState) -> impl IntoView {
    move || {
        let s = state.snap.get();
        let nodes = (s.nodes.len() <= 12).then(|| {
            s.nodes
                .iter()
                .map(|n| {
                    view! {
                        <li>
                            <span class="swatch" style=format!("background:{}", shaded_palette_css(n.id as usize))></span>
                            {n.name.clone()}
                        </li>
                    }
                })
                .collect_view()
        });
        view! {
            <ul class="legend" aria-label="Legend">
                {nodes}
                <li><span class="swatch legend-moved"></span>"key that moved"</li>
                {s.strategy.uses_ring().then(|| view! { <li><span class="swatch legend-arc"></span>"arc that changed hands"</li> })}
                <li class="legend-note" data-testid="sample-note">
                    {format!(
                        "dots: {} of the {} keys, evenly sampled",
                        format::number(s.sample_keys.len() as f64, 0),
                        format::number(s.keys as f64, 0),
                    )}
                </li>
            </ul>
        }
    }
}
