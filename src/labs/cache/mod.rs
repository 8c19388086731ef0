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

use crate::components::lab_boot::{follow_in_url, with_step_preset};
use crate::components::pacing::{use_paced_loop, ActionQueue, FastForwardProgress, ThrottledNote};
use crate::components::url_state;
use crate::components::{
    param_groups, param_subject, Boot, LabPage, LabSide, MetricsPanel, ParamAccess, ParamGroup, Transport,
    TransportState,
};
use crate::lessons::{self, Lesson};
use leptos::prelude::*;
use scalelab_sim::cache::{Config, Protection, Strategy};
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::params::Params;
use state::{AfterFastForward, CacheState, STEP_SECS, WARM_UP_SECS};

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

/// The lesson actions this page understands.
pub const ACTIONS: &[&str] = &[
    "play",
    "pause",
    "reset",
    "warm_up",
    "fast_forward",
    "crash_cache",
    "flush_cache",
    "expire_hot_key",
    "stampede",
    "restart_counters",
];

/// The config a lesson step starts from: defaults, the step's preset, and `seed`.
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

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    match key {
        "flush_ms" => config.strategy == Strategy::WriteBehind,
        "refresh_window" => config.strategy == Strategy::RefreshAhead,
        "beta" => config.protection == Protection::Xfetch,
        _ => true,
    }
}

/// The cache strategies lab page.
#[component]
pub fn CachePage() -> impl IntoView {
    let lesson = Some(lessons::CACHE);

    // --- Initial state: defaults, then the lesson step's preset, then the URL on top. ---
    let mut scratch = Config::default();
    let boot = Boot::read(lesson.as_ref(), url_state::params_setter(&mut scratch));
    let config = boot.params_config(
        lesson.as_ref(),
        Config {
            seed: boot.seed(),
            ..Config::default()
        },
    );

    let state = CacheState::new(config);
    let notices = RwSignal::new(boot.notices.clone());
    let step = RwSignal::new(boot.step);
    let mode = RwSignal::new(boot.common.mode);
    let transport = TransportState::new();
    if let Some(until) = boot.common.until {
        state.fast_forward_to(from_secs(until), AfterFastForward::Pause);
    }

    // --- The URL follows the state (replace, no history entries). ---
    follow_in_url(
        move || url_state::params_of(&state.config()),
        move || state.seed(),
        step,
        mode,
    );

    // --- Actions (buttons and lesson). Actions that come after a fast-forward wait for it. ---
    let queue = ActionQueue::new();
    let run_action = Callback::new(move |action: String| match action.as_str() {
        "play" => transport.playing.set(true),
        "pause" => transport.playing.set(false),
        "reset" => {
            transport.playing.set(false);
            state.reset();
        }
        "warm_up" => state.fast_forward(WARM_UP_SECS, AfterFastForward::RestartCounters),
        "fast_forward" => state.fast_forward(WARM_UP_SECS, AfterFastForward::Pause),
        "crash_cache" => state.crash_cache(),
        "flush_cache" => state.flush_cache(),
        "expire_hot_key" => state.expire_hot_key(),
        "stampede" => state.stampede(),
        "restart_counters" => state.restart_counters(),
        _ => {}
    });
    let on_action = queue.deferring(state.pacer, run_action);

    // --- The frame loop: fast-forwards `until`, runs the clock within a budget. ---
    use_paced_loop(
        transport,
        state.pacer,
        queue,
        run_action,
        move |advance| state.frame(advance),
        move || state.publish(),
    );

    // --- Lesson hooks. ---
    let on_enter_step = Callback::new(move |i: usize| {
        transport.playing.set(false);
        queue.clear();
        state.load(preset_config(
            lesson.as_ref(),
            i,
            state.lab.with_untracked(|l| l.config().seed),
        ));
    });
    let lookup = Callback::new(move |subject: String| lookup_subject(&state, &subject));

    let access = ParamAccess::new(
        move |key| state.lab.with(|l| l.config().get(key)),
        move |key, raw| state.set_param(key, raw),
        move |key| state.lab.with(|l| applies(key, l.config())),
    );

    let snapshot: Signal<_> = state.snap.into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Cache strategies"
            subtitle="Send one request stream through a cache in front of a database. Compare cache-aside, read-through, write-through, write-behind and refresh-ahead; tune eviction and TTL; crash the cache and start a stampede."
            class="cache-lab"
            side_label="Lesson and parameters"
            hooks=crate::kit::LessonHooks::legacy(lesson, mode, step, notices, on_enter_step, on_action, lookup)
        >
            <LabSide slot>
                <section class="panel" aria-labelledby="params-title">
                    <h2 id="params-title">"Parameters"</h2>
                    <p class="param-hint">"Changes apply live; each one restarts the counters."</p>
                    {param_groups(GROUPS, Config::spec, access)}
                </section>
            </LabSide>
            <section class="panel" aria-labelledby="run-title">
                <h2 id="run-title" class="visually-hidden">"Run"</h2>
                <Transport
                    state=transport
                    sim_time=Signal::derive(move || state.clock_secs())
                    on_step=Callback::new(move |_| state.step())
                    on_reset=Callback::new(move |_| {
                        transport.playing.set(false);
                        queue.clear();
                        state.reset();
                    })
                    seed=Signal::derive(move || state.seed())
                    on_seed=Callback::new(move |raw: String| state.set_seed(&raw))
                    step_label=format!("{STEP_SECS} s")
                />
                <FastForwardProgress pacer=state.pacer clock=state.clock/>
                <ThrottledNote pacer=state.pacer playing=transport.playing/>
                <faults::FaultButtons state=state/>
            </section>
            <section class="panel" aria-labelledby="numbers-title">
                <h2 id="numbers-title">"Numbers"</h2>
                <MetricsPanel metrics=metrics label="Cache metrics"/>
            </section>
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

/// Goal subjects: `metric:<name>` from the metrics panel, `param:<key>` from the config (a choice
/// compares by its option index, e.g. `param:protection` is 1 for `lock`).
fn lookup_subject(state: &CacheState, subject: &str) -> Option<f64> {
    if let Some(name) = subject.strip_prefix("metric:") {
        return state.snap.with(|s| metrics::metric_value(s, name));
    }
    state.lab.with(|l| param_subject(l.config(), subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_has_a_control_group() {
        let grouped: Vec<&str> = GROUPS.iter().flat_map(|(_, _, keys)| keys.iter().copied()).collect();
        for spec in Config::specs() {
            assert!(grouped.contains(&spec.key), "{} has no group", spec.key);
        }
        assert_eq!(grouped.len(), Config::specs().len());
    }
}
