//! The circuit breaker lab page (`/labs/circuit-breaker`): drive a breaker call by call or by a
//! script, then watch it protect a caller from a failing dependency in a running system.
//!
//! Files: `state` (controller over the core lab), `metrics` (numbers from the snapshot),
//! `diagram` (the state machine and the state card), `calls` (send buttons and manual actions),
//! `strip` (the window strip and the transition log), `script` (the `outcomes` field), `charts`
//! (rates, latency, pool, state timeline), `compare` (policies side by side), `model`
//! (assumptions panel).

mod calls;
mod charts;
mod compare;
mod diagram;
#[cfg(test)]
mod lesson_facts;
mod metrics;
mod model;
mod script;
pub mod state;
mod strip;

use crate::components::lab_boot::follow_in_url;
use crate::components::pacing::{use_paced_loop, ActionQueue, FastForwardProgress, ThrottledNote};
use crate::components::{
    param_control, param_subject, Boot, LabPage, LabSide, MetricsPanel, ParamAccess, Transport, TransportState,
};
use crate::format;
use crate::lessons::{self, Lesson};
use leptos::prelude::*;
use scalelab_sim::breaker::{Config, Policy};
use scalelab_sim::engine::time::from_secs;
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;
use state::{BreakerState, FAST_FORWARD_SECS, STEP_SECS};

/// Parameter groups, in the order the side panel shows them, and whether each is open: always
/// (`true`), or else only while a script is set (the script's group) or while none is (the
/// running system's groups). `outcomes` is the script field (not a [`Params`] spec).
const GROUPS: &[(&str, bool, &[&str])] = &[
    (
        "Breaker",
        true,
        &[
            "policy",
            "failure_threshold",
            "failure_rate",
            "window",
            "min_calls",
            "wait_ms",
            "half_open_calls",
        ],
    ),
    ("Slow calls", true, &["slow_ms", "slow_rate"]),
    ("Scripted calls", false, &["outcomes", "gap_ms"]),
    (
        "Dependency and outage",
        false,
        &[
            "dep_failure",
            "dep_latency_ms",
            "outage_start_s",
            "outage_end_s",
            "timeout_ms",
        ],
    ),
    ("Caller", false, &["pool", "rate", "fallback"]),
];

/// The lesson actions this page understands.
pub const ACTIONS: &[&str] = &[
    "play",
    "pause",
    "reset",
    "fast_forward",
    "play_script",
    "through_outage",
    "restart_counters",
    "force_open",
    "disable",
    "reset_breaker",
];

/// A setter over every URL key of the lab (`outcomes` included), for [`Boot`]: `None` for keys
/// the lab does not know.
fn field_setter(config: &mut Config) -> impl FnMut(&str, &str) -> Option<Result<(), ConfigError>> + '_ {
    move |key, raw| Config::KEYS.contains(&key).then(|| config.set_field(key, raw))
}

/// The config a lesson step starts from: defaults, the step's preset, and `seed`.
fn preset_config(lesson: Option<&Lesson>, step: usize, seed: u64) -> Config {
    let mut config = Config {
        seed,
        ..Config::default()
    };
    if let Some(step) = lesson.and_then(|l| l.steps.get(step)) {
        for &(key, raw) in step.preset {
            let _ = config.set_field(key, raw);
        }
    }
    config
}

/// The URL pairs of a config: every key in [`Config::KEYS`] order, `outcomes` only when set.
fn url_pairs(config: &Config) -> Vec<(&'static str, String)> {
    Config::KEYS
        .iter()
        .filter_map(|&key| config.field(key).map(|v| (key, v)))
        .filter(|(key, v)| *key != "outcomes" || !v.is_empty())
        .collect()
}

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    let scripted = !config.outcomes.is_empty();
    match key {
        "failure_threshold" => config.policy == Policy::Consecutive,
        "failure_rate" | "window" | "min_calls" | "half_open_calls" | "slow_rate" => config.policy.is_rate_based(),
        "wait_ms" | "slow_ms" => config.policy != Policy::Disabled,
        "gap_ms" => scripted,
        "rate" | "pool" | "fallback" | "dep_failure" | "dep_latency_ms" | "outage_start_s" | "outage_end_s"
        | "timeout_ms" => !scripted,
        _ => true,
    }
}

/// The circuit breaker lab page.
#[component]
pub fn CircuitBreakerPage() -> impl IntoView {
    let lesson = Some(lessons::CIRCUIT_BREAKER);

    // --- Initial state: defaults, then the lesson step's preset, then the URL on top. ---
    let mut scratch = Config::default();
    let boot = Boot::read(lesson.as_ref(), field_setter(&mut scratch));
    let mut config = preset_config(None, 0, boot.seed());
    for (key, raw) in boot.preset(lesson.as_ref()).into_iter().flatten() {
        let _ = config.set_field(key, raw);
    }
    boot.apply(field_setter(&mut config));

    let state = BreakerState::new(config);
    let notices = RwSignal::new(boot.notices.clone());
    let step = RwSignal::new(boot.step);
    let mode = RwSignal::new(boot.common.mode);
    let transport = TransportState::new();
    if let Some(until) = boot.common.until {
        state.fast_forward_to(from_secs(until));
    }

    // --- The URL follows the state (replace, no history entries). ---
    follow_in_url(move || url_pairs(&state.config()), move || state.seed(), step, mode);

    // --- Actions (lesson). Actions that come after a fast-forward wait for it. ---
    let queue = ActionQueue::new();
    let run_action = Callback::new(move |action: String| match action.as_str() {
        "play" => transport.playing.set(true),
        "pause" => transport.playing.set(false),
        "reset" => {
            transport.playing.set(false);
            state.reset();
        }
        "fast_forward" => state.fast_forward(FAST_FORWARD_SECS),
        "play_script" => state.play_script(),
        "through_outage" => state.through_outage(),
        "restart_counters" => state.restart_counters(),
        "force_open" => state.force_open(),
        "disable" => state.disable(),
        "reset_breaker" => state.reset_breaker(),
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

    // The script's group opens when a script is set (a link or a lesson step), the running
    // system's groups when none is.
    let scripted = Memo::new(move |_| state.lab.with(|l| !l.config().outcomes.is_empty()));
    let access = ParamAccess::new(
        move |key| state.lab.with(|l| l.config().get(key)),
        move |key, raw| state.set_param(key, raw),
        move |key| state.lab.with(|l| applies(key, l.config())),
    );
    let groups = GROUPS
        .iter()
        .map(|&(title, open, keys)| {
            let has_script = keys.contains(&"outcomes");
            let is_open = move || open || scripted.get() == has_script;
            let controls = keys
                .iter()
                .map(|&key| match Config::spec(key) {
                    None => view! { <script::ScriptControl state=state/> }.into_any(),
                    Some(spec) => param_control(spec, access).into_any(),
                })
                .collect_view();
            view! {
                <details class="param-group" prop:open=is_open>
                    <summary>{title}</summary>
                    <div class="params">{controls}</div>
                </details>
            }
        })
        .collect_view();

    let snapshot: Signal<_> = state.snap.into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Circuit breaker"
            subtitle="Trip a breaker call by call and watch CLOSED, OPEN and HALF_OPEN at work; then let it guard a caller from a dependency that goes down, and see the cascade it prevents."
            class="breaker-lab"
            side_label="Lesson and parameters"
            hooks=crate::kit::LessonHooks::legacy(lesson, mode, step, notices, on_enter_step, on_action, lookup)
        >
            <LabSide slot>
                <section class="panel" aria-labelledby="params-title">
                    <h2 id="params-title">"Parameters"</h2>
                    <p class="param-hint">
                        "Changes apply live. A breaker setting restarts the breaker in CLOSED; every change restarts the caller's counters."
                    </p>
                    {groups}
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
                    step_label=format!("{STEP_SECS} s (or up to the next scripted call)")
                />
                <FastForwardProgress pacer=state.pacer clock=state.clock/>
                <ThrottledNote pacer=state.pacer playing=transport.playing/>
                <p class="param-hint" data-testid="phase">{move || state.snap.with(phase_line)}</p>
            </section>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="machine-title">
                    <h2 id="machine-title">"The state machine"</h2>
                    <diagram::StateCard snapshot=snapshot/>
                    <diagram::StateDiagram snapshot=snapshot/>
                </section>
                <section class="panel" aria-labelledby="calls-title">
                    <h2 id="calls-title">"Call by call"</h2>
                    <calls::CallControls state=state/>
                    <strip::WindowStrip snapshot=snapshot/>
                    <strip::TransitionLog snapshot=snapshot/>
                </section>
            </div>
            <section class="panel" aria-labelledby="numbers-title">
                <h2 id="numbers-title">"Numbers"</h2>
                <MetricsPanel metrics=metrics label="Circuit breaker metrics"/>
            </section>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <div class="panel-row two">
                    <charts::CallsChart snapshot=snapshot/>
                    <charts::PoolChart snapshot=snapshot/>
                    <charts::LatencyChart snapshot=snapshot/>
                    <charts::StateTimeline snapshot=snapshot/>
                </div>
            </section>
            <compare::ComparePanel state=state/>
            <model::ModelPanel/>
        </LabPage>
    }
}

/// Where the dependency is on its timeline, in words.
fn phase_line(s: &scalelab_sim::breaker::Snapshot) -> String {
    use scalelab_sim::breaker::Phase;
    if s.script_calls > 0 {
        return "A script is playing: the clients and the dependency are idle.".to_string();
    }
    let Some((start, end)) = s.outage_s else {
        return "The dependency is healthy for the whole run (no outage).".to_string();
    };
    let when = format!("{} to {}", format::sim_clock(start), format::sim_clock(end));
    match s.phase {
        Phase::Healthy => format!("Dependency healthy; the outage runs from {when}."),
        Phase::Outage => format!("Dependency DOWN (outage from {when})."),
        Phase::Recovered => format!("Dependency recovered (the outage ran from {when})."),
    }
}

/// Goal subjects: `metric:<name>` from the metrics panel (`metric:state` is the state's index in
/// [`State::ALL`](scalelab_sim::breaker::State::ALL): 0 closed, 1 open, 2 half-open, 3 forced
/// open, 4 disabled), `param:<key>` from the config (a choice compares by its option index, e.g.
/// `param:policy` is 3 for `disabled`).
fn lookup_subject(state: &BreakerState, subject: &str) -> Option<f64> {
    if let Some(name) = subject.strip_prefix("metric:") {
        return state.snap.with(|s| metrics::metric_value(s, name));
    }
    state.lab.with(|l| param_subject(l.config(), subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_control_group() {
        let grouped: Vec<&str> = GROUPS.iter().flat_map(|(_, _, keys)| keys.iter().copied()).collect();
        let mut keys = Config::KEYS.to_vec();
        keys.sort_unstable();
        let mut sorted = grouped.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, keys);
    }

    #[test]
    fn the_url_round_trips_every_key_and_the_script() {
        let mut config = Config::default();
        assert!(url_pairs(&config).iter().all(|(k, _)| *k != "outcomes"));
        for (key, raw) in [
            ("policy", "time_window"),
            ("window", "30"),
            ("outcomes", "FFSL"),
            ("dep_latency_ms", "900"),
            ("fallback", "false"),
        ] {
            config.set_field(key, raw).unwrap();
        }
        let pairs = url_pairs(&config);
        assert_eq!(pairs.len(), Config::KEYS.len());
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(
                field_setter(&mut back)(key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, config);
        assert!(field_setter(&mut back)("seed", "3").is_none());
        let query =
            crate::components::url_state::build_query(&pairs, 7, 0, crate::components::url_state::Mode::Sandbox);
        assert!(
            query.contains("outcomes=FFSL&") && query.contains("policy=time_window"),
            "{query}"
        );
    }

    #[test]
    fn greyed_out_controls_follow_the_policy_and_the_script() {
        let consecutive = Config::default();
        assert!(applies("failure_threshold", &consecutive) && !applies("window", &consecutive));
        let window = Config {
            policy: Policy::CountWindow,
            ..Config::default()
        };
        assert!(!applies("failure_threshold", &window) && applies("min_calls", &window));
        let scripted = Config {
            outcomes: "SF".into(),
            ..Config::default()
        };
        assert!(applies("gap_ms", &scripted) && !applies("rate", &scripted));
    }
}
