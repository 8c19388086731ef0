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

use crate::components::chart::{palette_css, Bar};
use crate::components::lab_boot::{follow_in_url, with_step_preset};
use crate::components::url_state;
use crate::components::{
    param_control, param_subject, use_frame_loop, BarChart, Boot, LabPage, LabSide, MetricsPanel, ParamAccess,
    ProgressBar, Transport, TransportState,
};
use crate::lessons::{self, Lesson};
use leptos::prelude::*;
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::hashring::{CacheEffectConfig, Config, Strategy};
use scalelab_sim::params::Params;
use state::{RingState, STEP_SECS};

/// Builds the config a lesson step starts from: defaults, the step's preset, and `seed`.
fn preset_config(lesson: Option<&Lesson>, step: usize, seed: u64) -> Config {
    with_step_preset(
        lesson,
        step,
        Config {
            seed,
            ..Config::default()
        },
    )
}

/// The hash ring lab page.
#[component]
pub fn HashRingPage() -> impl IntoView {
    let lesson = Some(lessons::HASH_RING);

    // --- Initial state: defaults, then the lesson step's preset, then the URL on top. ---
    let (mut scratch_config, mut scratch_cost) = (Config::default(), CacheEffectConfig::default());
    let boot = Boot::read(lesson.as_ref(), |key, raw| {
        set_either(&mut scratch_config, &mut scratch_cost, key, raw)
    });
    let mut config = Config {
        seed: boot.seed(),
        ..Config::default()
    };
    for (key, raw) in boot.preset(lesson.as_ref()).into_iter().flatten() {
        let _ = config.set_str(key, raw);
    }
    let mut cost_config = CacheEffectConfig::default();
    boot.apply(|key, raw| set_either(&mut config, &mut cost_config, key, raw));
    let (common, url_notices, initial_step) = (boot.common, boot.notices, boot.step);

    let state = RingState::new(config, cost_config);
    let notices = RwSignal::new(url_notices);
    let step = RwSignal::new(initial_step);
    let mode = RwSignal::new(common.mode);
    let transport = TransportState::new();
    if let Some(until) = common.until {
        state.until.set(Some(from_secs(until)));
    }

    // --- The URL follows the state (replace, no history entries). ---
    let params = move || {
        let mut params = url_state::params_of(&state.config());
        params.extend(state.cost_config.with(url_state::params_of));
        params
    };
    follow_in_url(params, move || state.seed(), step, mode);

    // --- The frame loop: computes placements, fast-forwards `until`, runs the clock. ---
    let active = Signal::derive(move || transport.playing.get() || state.busy());
    use_frame_loop(active, move |dt_ms| {
        let was_fast_forwarding = state.until.get_untracked().is_some();
        state.frame(transport.advance_secs(dt_ms));
        if was_fast_forwarding && state.until.get_untracked().is_none() {
            transport.playing.set(false);
        }
    });

    // --- Lesson hooks. ---
    let on_enter_step = Callback::new(move |i: usize| {
        transport.playing.set(false);
        state.load(preset_config(lesson.as_ref(), i, state.seed()));
    });
    let on_action = Callback::new(move |action: String| match action.as_str() {
        "add_node" => state.add_node(),
        "remove_last" => state.remove_last(),
        "play" => transport.playing.set(true),
        "pause" => transport.playing.set(false),
        "reset" => state.reset(),
        _ => {}
    });
    let lookup = Callback::new(move |subject: String| lookup_subject(&state, &subject));

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
                    label: n.bucket.to_string(),
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
            side_label="Lesson and controls"
            lesson=lesson
            mode=mode
            step=step
            notices=notices
            on_enter_step=on_enter_step
            on_action=on_action
            lookup=lookup
        >
            <LabSide slot>
                <section class="panel" aria-labelledby="params-title">
                    <h2 id="params-title">"Parameters"</h2>
                    <div class="params">{controls}</div>
                </section>
            </LabSide>
            <section class="panel">
                <Transport
                    state=transport
                    sim_time=Signal::derive(move || state.clock_secs())
                    on_step=Callback::new(move |_| {
                        let t = state.clock.get_untracked().saturating_add(from_secs(STEP_SECS));
                        state.advance_to(t);
                    })
                    on_reset=Callback::new(move |_| {
                        transport.playing.set(false);
                        state.reset();
                    })
                    seed=Signal::derive(move || state.seed())
                    on_seed=Callback::new(move |raw: String| state.set_seed(&raw))
                    step_label=format!("{STEP_SECS} s")
                />
                <Show when=move || state.until.get().is_some()>
                    <p class="param-hint" role="status" data-testid="fast-forward">
                        "Fast-forwarding the simulation to the time in the link\u{2026}"
                    </p>
                </Show>
            </section>
            <section class="panel" aria-labelledby="placement-title">
                <div class="panel-head">
                    <h2 id="placement-title">"Placement"</h2>
                    <nodes::MembershipButtons state=state/>
                </div>
                <PlacementProgress state=state/>
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
                <nodes::NodeTable state=state/>
            </section>
            <cost::CostPanel state=state/>
            <compare::ComparePanel state=state/>
            <model::ModelPanel/>
        </LabPage>
    }
}

/// Stores a URL value in the ring config or the cost config, whichever knows the key.
fn set_either(
    config: &mut Config,
    cost: &mut CacheEffectConfig,
    key: &str,
    raw: &str,
) -> Option<Result<(), scalelab_sim::ConfigError>> {
    if Config::spec(key).is_some() {
        Some(config.set_str(key, raw))
    } else if CacheEffectConfig::spec(key).is_some() {
        Some(cost.set_str(key, raw))
    } else {
        None
    }
}

/// Goal subjects: `metric:<name>` from the metrics panel, `param:<key>` from the config (a choice
/// compares by its option index, e.g. `param:strategy` is 1 for `ring`).
fn lookup_subject(state: &RingState, subject: &str) -> Option<f64> {
    if let Some(name) = subject.strip_prefix("metric:") {
        return state.snap.with(|s| metrics::metric_value(s, name));
    }
    state.primary.with(|l| param_subject(l.config(), subject))
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
                            <span class="swatch" style=format!("background:{}", palette_css(n.id as usize))></span>
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
            </ul>
        }
    }
}
