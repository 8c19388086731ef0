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

use crate::components::lab_boot::{follow_in_url, with_step_preset};
use crate::components::pacing::{use_paced_loop, ActionQueue, FastForwardProgress, ThrottledNote};
use crate::components::url_state;
use crate::components::{
    param_groups, param_subject, Boot, LabPage, LabSide, MetricsPanel, ParamAccess, ParamGroup, Transport,
    TransportState,
};
use crate::lessons::{self, Lesson};
use leptos::prelude::*;
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::params::Params;
use scalelab_sim::replication::{CommitMode, Config, Routing};
use state::{AfterFastForward, ReplState, STEP_SECS, WARM_UP_SECS};

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

/// The lesson actions this page understands.
pub const ACTIONS: &[&str] = &[
    "play",
    "pause",
    "reset",
    "warm_up",
    "fast_forward",
    "fail_primary",
    "stop_replica",
    "slow_replica",
    "restart_replicas",
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
        "acks" => config.commit != CommitMode::Async,
        "semi_sync_timeout_ms" => config.commit == CommitMode::SemiSync,
        "window_ms" => config.routing == Routing::PrimaryAfterWrite,
        "token_wait_ms" => config.routing == Routing::SessionToken,
        _ => true,
    }
}

/// The replication lag lab page.
#[component]
pub fn ReplicationPage() -> impl IntoView {
    let lesson = Some(lessons::REPLICATION);

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

    let state = ReplState::new(config);
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
        "fail_primary" => state.fail_primary(),
        "stop_replica" => state.stop_replica(),
        "slow_replica" => state.slow_replica(),
        "restart_replicas" => state.restart_replicas(),
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

    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));
    let acks = Signal::derive(move || state.lab.with(|l| l.config().acks));

    view! {
        <LabPage
            title="Replication lag"
            subtitle="Send writes to a primary and read from replicas that lag behind. See stale reads and broken session guarantees, the routings that fix them and what they cost, semi-sync's fallback, and what a failover loses."
            class="repl-lab"
            side_label="Lesson and parameters"
            hooks=crate::kit::LessonHooks::legacy(lesson, mode, step, notices, on_enter_step, on_action, lookup)
        >
            <LabSide slot>
                <section class="panel" aria-labelledby="params-title">
                    <h2 id="params-title">"Parameters"</h2>
                    <p class="param-hint">"Changes apply live and restart the counters; replicas and sessions restart the run."</p>
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
                <MetricsPanel metrics=metrics label="Replication metrics"/>
            </section>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="topology-title">
                    <h2 id="topology-title">"Primary, replicas and writes in flight"</h2>
                    <topology::TopologyView
                        topology=Signal::derive(move || state.snap.with(|s| s.topology.clone()))
                        moving=state.topo
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

/// Goal subjects: `metric:<name>` from the metrics panel, `param:<key>` from the config (a choice
/// compares by its option index, e.g. `param:routing` is 4 for `session_token`).
fn lookup_subject(state: &ReplState, subject: &str) -> Option<f64> {
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
