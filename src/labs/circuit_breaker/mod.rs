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

use crate::components::{param_control, LabPage, LabSide, NumbersPanel, ParamsPanel};
use crate::format;
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::breaker::{Config, Policy};
use scalelab_sim::params::Params;
use state::BreakerState;

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

crate::lab_entry!(lab_circuit_breaker, CircuitBreakerPage);

/// The circuit breaker lab page.
#[component]
pub fn CircuitBreakerPage() -> impl IntoView {
    let kit = use_lab::<BreakerState>(&crate::lessons::CIRCUIT_BREAKER);
    let (state, driver) = (kit.lab(), kit.driver);

    // The script's group opens when a script is set (a link or a lesson step), the running
    // system's groups when none is.
    let scripted = Memo::new(move |_| state.lab.with(|l| !l.config().outcomes.is_empty()));
    let access = state.param_access(applies);
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
    let axis: Signal<(f64, f64)> = charts::run_axis(snapshot).into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Circuit breaker"
            subtitle="Trip a breaker call by call and watch CLOSED, OPEN and HALF_OPEN at work; then let it guard a caller from a dependency that goes down, and see the cascade it prevents."
            class="breaker-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live. A breaker setting restarts the breaker in CLOSED; every change restarts the caller's counters.">
                    {groups}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <p class="param-hint" data-testid="phase">{move || state.snap.with(phase_line)}</p>
            </RunPanel>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="machine-title">
                    <h2 id="machine-title">"The state machine"</h2>
                    <diagram::StateCard snapshot=snapshot/>
                    <diagram::StateDiagram snapshot=snapshot/>
                </section>
                <section class="panel" aria-labelledby="calls-title">
                    <h2 id="calls-title">"Call by call"</h2>
                    <calls::CallControls driver=driver/>
                    <strip::WindowStrip snapshot=snapshot/>
                    <strip::TransitionLog snapshot=snapshot/>
                </section>
            </div>
            <NumbersPanel metrics=metrics label="Circuit breaker metrics"/>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <div class="panel-row two">
                    <charts::CallsChart snapshot=snapshot axis=axis/>
                    <charts::PoolChart snapshot=snapshot axis=axis/>
                    <charts::LatencyChart snapshot=snapshot axis=axis/>
                    <charts::StateTimeline snapshot=snapshot axis=axis/>
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::LabController;

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
        assert!(state::url_pairs(&config).iter().all(|(k, _)| *k != "outcomes"));
        for (key, raw) in [
            ("policy", "time_window"),
            ("window", "30"),
            ("outcomes", "FFSL"),
            ("dep_latency_ms", "900"),
            ("fallback", "false"),
        ] {
            config.set_field(key, raw).unwrap();
        }
        let pairs = state::url_pairs(&config);
        assert_eq!(pairs.len(), Config::KEYS.len());
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(
                BreakerState::set(&mut back, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, config);
        assert!(BreakerState::set(&mut back, "seed", "3").is_none());
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
