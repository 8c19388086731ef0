//! The capacity calculator page (`/labs/capacity`): from traffic to a fleet, checked by simulation.
//!
//! Files: `state` (controller over the core lab), `metrics` (numbers from the plan), `worked`
//! (the worked calculation), `charts` (curve, cost, USL, simulation), `model` (assumptions).

mod charts;
mod metrics;
mod model;
pub mod state;
mod worked;

use crate::components::lab_boot::{follow_in_url, with_step_preset};
use crate::components::pacing::publish_when_stopped;
use crate::components::url_state;
use crate::components::{
    param_groups, param_subject, use_frame_loop, Boot, LabPage, LabSide, MetricsPanel, ParamAccess, ParamGroup,
    Transport, TransportState,
};
use crate::lessons::{self, Lesson};
use leptos::prelude::*;
use scalelab_sim::capacity::{Config, PRESETS};
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::params::Params;
use state::{CapState, STEP_SECS};

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

/// The config a lesson step starts from: defaults plus the step's preset.
fn preset_config(lesson: Option<&Lesson>, step: usize) -> Config {
    with_step_preset(lesson, step, Config::default())
}

/// The capacity calculator page.
#[component]
pub fn CapacityPage() -> impl IntoView {
    let lesson = Some(lessons::CAPACITY);
    let mut scratch = Config::default();
    let boot = Boot::read(lesson.as_ref(), url_state::params_setter(&mut scratch));
    let config = boot.params_config(lesson.as_ref(), Config::default());

    let state = CapState::new(config, boot.seed());
    let notices = RwSignal::new(boot.notices.clone());
    let step = RwSignal::new(boot.step);
    let mode = RwSignal::new(boot.common.mode);
    let transport = TransportState::new();
    if let Some(until) = boot.common.until {
        state.until.set(Some(from_secs(until)));
    }

    follow_in_url(
        move || url_state::params_of(&state.config()),
        move || state.seed_tracked(),
        step,
        mode,
    );

    let active = Signal::derive(move || transport.playing.get() || state.busy());
    publish_when_stopped(active, move || state.publish());
    use_frame_loop(active, move |dt_ms| {
        let fast_forwarding = state.until.get_untracked().is_some();
        state.frame(transport.advance_secs(dt_ms));
        if fast_forwarding && state.until.get_untracked().is_none() {
            transport.playing.set(false);
        }
    });

    let on_enter_step = Callback::new(move |i: usize| {
        transport.playing.set(false);
        state.load(preset_config(lesson.as_ref(), i));
    });
    let on_action = Callback::new(move |action: String| match action.as_str() {
        "play" => transport.playing.set(true),
        "pause" => transport.playing.set(false),
        "reset" => state.reset(),
        _ => {}
    });
    let lookup = Callback::new(move |subject: String| lookup_subject(&state, &subject));

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
            side_label="Lesson and inputs"
            hooks=crate::kit::LessonHooks::legacy(lesson, mode, step, notices, on_enter_step, on_action, lookup)
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
            <worked::TargetPanel state=state/>
            <worked::WorkedCalculation state=state/>
            <section class="panel" aria-labelledby="curve-title">
                <h2 id="curve-title">"Why 100% utilisation is a cliff"</h2>
                <charts::LatencyCurve state=state/>
            </section>
            <section class="panel" aria-labelledby="verify-title">
                <h2 id="verify-title">"Verify by simulation"</h2>
                <Transport
                    state=transport
                    sim_time=Signal::derive(move || state.clock_secs())
                    on_step=Callback::new(move |_| state.step())
                    on_reset=Callback::new(move |_| {
                        transport.playing.set(false);
                        state.reset();
                    })
                    seed=Signal::derive(move || state.seed_tracked())
                    on_seed=Callback::new(move |raw: String| state.set_seed(&raw))
                    step_label=format!("{STEP_SECS} s")
                />
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

/// Goal subjects: `metric:<name>` from the metrics panel, `param:<key>` from the config (a choice
/// compares by its option index).
fn lookup_subject(state: &CapState, subject: &str) -> Option<f64> {
    if let Some(name) = subject.strip_prefix("metric:") {
        let sim = state.sim.get();
        return state
            .plan(|p| metrics::metrics(p, sim.as_ref()))
            .into_iter()
            .find(|m| m.name == name)
            .map(|m| m.value);
    }
    state.lab.with(|l| param_subject(l.config(), subject))
}
