//! The capacity calculator page (`/labs/capacity`): from traffic to a fleet, checked by simulation.
//!
//! Files: `state` (controller over the core lab), `metrics` (numbers from the plan), `worked`
//! (the worked calculation), `charts` (curve, cost, USL, simulation), `model` (assumptions).

mod charts;
mod metrics;
mod model;
pub mod state;
mod worked;

use crate::components::{param_groups, LabPage, LabSide, MetricsPanel, ParamAccess, ParamGroup, Reveal};
use crate::kit::{use_lab, LabController, LabTransport};
use leptos::prelude::*;
use scalelab_sim::capacity::{Config, PRESETS};
use scalelab_sim::params::Params;
use state::CapState;

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
const GROUPS: &[ParamGroup] = &[
    ("Traffic", true, &["rps", "dau", "requests_per_user", "peak_factor"]),
    (
        "Sizing",
        true,
        &["latency_ms", "concurrency", "headroom_pct", "redundancy"],
    ),
    (
        "Queueing",
        true,
        &["service_ms", "servers", "target_utilization", "target_p99_ms"],
    ),
    (
        "Database and cache",
        true,
        &["read_ratio", "hit_ratio", "replica_read_capacity"],
    ),
    (
        "Prices",
        false,
        &["price_small_per_hour", "price_medium_per_hour", "price_large_per_hour"],
    ),
    ("Scalability law", false, &["sigma", "kappa"]),
];

crate::lab_entry!(lab_capacity, CapacityPage);

/// The capacity calculator page.
#[component]
pub fn CapacityPage() -> impl IntoView {
    let kit = use_lab::<CapState>(&crate::lessons::CAPACITY);
    let state = kit.lab();
    let transport = kit.driver.transport;

    let access = ParamAccess::new(
        move |key| state.lab.with(|l| l.config().get(key)),
        move |key, raw| state.set_param(key, raw),
        |_| true,
    );
    let preset_error = RwSignal::new(None::<String>);
    let metrics = Signal::derive(move || {
        let sim = state.sim.get();
        state.plan(|p| metrics::metrics(p, sim.as_ref()))
    });

    view! {
        <LabPage
            title="Capacity calculator"
            subtitle="How many servers, how fast, at what cost? Work it out the way an engineer plans, see every formula with your numbers, then run the answer."
            side_label="Inputs"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <section class="panel" aria-labelledby="inputs-title">
                    <h2 id="inputs-title">"Inputs"</h2>
                    <label class="param">
                        <span class="param-label">"Start from a scenario"</span>
                        <select
                            class="param-select"
                            data-testid="preset"
                            on:change=move |ev| {
                                let key = event_target_value(&ev);
                                if !key.is_empty() {
                                    transport.playing.set(false);
                                    preset_error.set(state.load_preset(&key).err());
                                }
                            }
                        >
                            <option value="">"Choose a scenario\u{2026}"</option>
                            {PRESETS.iter().map(|p| view! { <option value=p.key title=p.description>{p.name}</option> }).collect_view()}
                        </select>
                        <span class="param-error" role="alert">{move || preset_error.get().unwrap_or_default()}</span>
                    </label>
                    {param_groups(GROUPS, Config::spec, access)}
                </section>
            </LabSide>
            <section class="panel" aria-labelledby="plan-title">
                <h2 id="plan-title">"The plan"</h2>
                <MetricsPanel metrics=metrics label="Plan figures"/>
            </section>
            <Reveal id="target">
                <worked::TargetPanel state=state/>
            </Reveal>
            <Reveal id="worked">
                <worked::WorkedCalculation state=state/>
            </Reveal>
            <section class="panel" aria-labelledby="curve-title">
                <h2 id="curve-title">"Why 100% utilisation is a cliff"</h2>
                <Reveal id="curve">
                    <charts::LatencyCurve state=state/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="verify-title">
                <h2 id="verify-title">"Verify by simulation"</h2>
                <LabTransport kit=kit/>
                <Show when=move || state.throttled.get() && transport.playing.get()>
                    <p class="param-hint" role="status" data-testid="throttled">
                        "This device cannot simulate every request at the chosen speed, so the clock runs slower than the speed you picked (no request is skipped)."
                    </p>
                </Show>
                <Show when=move || state.until.get().is_some()>
                    <p class="param-hint" role="status" data-testid="fast-forward">
                        "Running the simulation to the time in the link\u{2026}"
                    </p>
                </Show>
                <charts::SimulationView state=state/>
            </section>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="cost-title">
                    <h2 id="cost-title">"Vertical or horizontal?"</h2>
                    <charts::CostBars state=state/>
                </section>
                <section class="panel" aria-labelledby="usl-title">
                    <h2 id="usl-title">"Where adding servers stops paying"</h2>
                    <charts::UslChart state=state/>
                </section>
            </div>
            <model::ModelPanel/>
        </LabPage>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_has_a_control_group() {
        assert_eq!(crate::components::param_groups::groups_cover::<Config>(GROUPS), Ok(()));
    }
}
