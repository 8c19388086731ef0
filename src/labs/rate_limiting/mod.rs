//! The rate limiting lab page (`/labs/rate-limiting`): clients, one of them abusive, hit an API
//! behind a limiter; six algorithms, per client or global, alone or on several instances, with
//! clients that give up, retry at once or honour Retry-After.
//!
//! Files: `state` (controller over the core lab, actions), `metrics` (numbers from the
//! snapshot), `timeline` (requests per client with the limiter's state under them), `clients`
//! (the client table), `charts` (admitted rate against the limit, sent and refused, the worst
//! window), `faults` (burst, flood, restart counters; the event log), `compare` (the six
//! algorithms side by side), `model` (assumptions panel).

mod charts;
mod clients;
mod compare;
mod faults;
mod metrics;
mod model;
pub mod state;
mod timeline;

use crate::components::{param_groups, EventLog, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel, Reveal};
use crate::format;
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::params::Params;
use scalelab_sim::ratelimit::{Algorithm, Config, Scope, Snapshot, SyncMode};
use state::RlState;

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
const GROUPS: &[ParamGroup] = &[
    (
        "Limiter",
        true,
        &[
            "algorithm",
            "limit",
            "window_s",
            "burst",
            "rate_per_s",
            "queue",
            "scope",
        ],
    ),
    (
        "Clients",
        true,
        &["clients", "client_rps", "abuser_rps", "burstiness", "retry"],
    ),
    (
        "Limiter instances",
        false,
        &["instances", "sync", "store_ms", "sync_ms"],
    ),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    let limiting = config.algorithm != Algorithm::None;
    match key {
        "burst" => matches!(config.algorithm, Algorithm::TokenBucket | Algorithm::Gcra),
        "rate_per_s" => matches!(
            config.algorithm,
            Algorithm::TokenBucket | Algorithm::Gcra | Algorithm::LeakyBucket
        ),
        "queue" => config.algorithm == Algorithm::LeakyBucket,
        "store_ms" | "sync_ms" => limiting && config.sync == SyncMode::Shared,
        "sync" => limiting && (config.instances > 1 || config.sync == SyncMode::Shared),
        "scope" | "instances" => limiting,
        _ => true,
    }
}

/// The limiter in one line, from the snapshot: "Token bucket: 100 tokens, refilled at 10 a
/// second, for each client.", then the instances: "3 instances sharing one store, synced every
/// 100 ms (2 ms a sync)."
fn limiter_line(s: &Snapshot) -> String {
    let n = |v: f64| format::number(v, 2);
    let per = match s.scope {
        Scope::Client => "for each client",
        Scope::Global => "for all clients together",
    };
    let rule = match s.algorithm {
        Algorithm::None => return "No limiter: every request gets through.".into(),
        Algorithm::TokenBucket => format!("{} tokens, refilled at {} a second", s.burst, n(s.rate_per_s)),
        Algorithm::Gcra => format!(
            "one request every {} s, bursts of up to {}",
            n(1.0 / s.rate_per_s.max(1e-9)),
            s.burst
        ),
        Algorithm::LeakyBucket => format!("a queue of {} drained at {} a second", s.queue, n(s.rate_per_s)),
        Algorithm::FixedWindow | Algorithm::SlidingLog | Algorithm::SlidingWindow => {
            format!("{} requests per {} s", s.limit, n(s.window_s))
        }
    };
    let instances = match (s.instances, s.sync) {
        (_, SyncMode::Shared) => format!(
            " {} instance{} sharing one store{}.",
            s.instances,
            if s.instances == 1 { "" } else { "s" },
            if s.sync_ms > 0.0 {
                format!(", synced every {} ms ({} ms a sync)", n(s.sync_ms), n(s.store_ms))
            } else {
                format!(" ({} ms a decision)", n(s.store_ms))
            }
        ),
        (1, _) => String::new(),
        (k, SyncMode::Local) => format!(" {k} instances, each allowing all of it."),
        (k, SyncMode::Split) => format!(" {k} instances, each allowing its share."),
    };
    format!("{}: {rule}, {per}.{instances}", s.algorithm.label())
}

crate::lab_entry!(lab_rate_limiting, RateLimitingPage);

/// The rate limiting lab page.
#[component]
pub fn RateLimitingPage() -> impl IntoView {
    let kit = use_lab::<RlState>(&crate::lessons::RATE_LIMITING);
    let (state, driver) = (kit.lab(), kit.driver);
    let access = state.param_access(applies);
    let groups = param_groups(GROUPS, Config::spec, access);

    let early: Signal<_> = state.staged.late[0].into();
    let late: Signal<_> = state.staged.late[1].into();
    let axis: Signal<(f64, f64)> = charts::run_axis(late).into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Rate limiting"
            subtitle="Five clients, one of them abusive, call an API behind a limiter. Try token and leaky buckets, fixed and sliding windows and GCRA; watch bursts slip through at window edges, limits split across instances, and retries pile up."
            class="rl-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live. A limiter setting restarts the limiter with fresh state; every change restarts the counters.">
                    {groups}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <faults::TrafficButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Rate limiting metrics"/>
            <section class="panel" aria-labelledby="timeline-title">
                <h2 id="timeline-title">"Who gets through"</h2>
                <p class="param-hint" data-testid="limiter-line">{move || state.snap.with(limiter_line)}</p>
                <Reveal id="timeline">
                    <timeline::RequestTimeline snapshot=early/>
                    <clients::ClientTable snapshot=early/>
                    <EventLog snapshot=early events=faults::events/>
                </Reveal>
            </section>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <Reveal id="charts">
                    <div class="panel-row two">
                        <charts::AdmittedChart snapshot=late axis=axis/>
                        <charts::TrafficChart snapshot=late axis=axis/>
                        <charts::WorstWindowChart snapshot=late/>
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
    use crate::components::param_groups::groups_cover;
    use crate::kit::LabController;
    use scalelab_sim::ratelimit::RateLimitLab;

    #[test]
    fn every_parameter_has_a_control_group() {
        assert_eq!(groups_cover::<Config>(GROUPS), Ok(()));
    }

    #[test]
    fn greyed_out_controls_follow_the_algorithm_and_the_instances() {
        let bucket = Config::default();
        assert!(applies("burst", &bucket) && !applies("queue", &bucket) && !applies("sync", &bucket));
        let leaky = Config {
            algorithm: Algorithm::LeakyBucket,
            ..Config::default()
        };
        assert!(applies("queue", &leaky) && !applies("burst", &leaky) && applies("rate_per_s", &leaky));
        let shared = Config {
            instances: 3,
            sync: SyncMode::Shared,
            ..Config::default()
        };
        assert!(applies("sync", &shared) && applies("store_ms", &shared) && applies("sync_ms", &shared));
        let split = Config {
            sync: SyncMode::Split,
            ..shared
        };
        assert!(!applies("sync_ms", &split) && !applies("store_ms", &split));
        let none = Config {
            algorithm: Algorithm::None,
            ..Config::default()
        };
        assert!(!applies("scope", &none) && applies("limit", &none));
    }

    #[test]
    fn the_limiter_line_names_the_seeds_bucket() {
        let s = RateLimitLab::new(Config::default()).expect("defaults").snapshot();
        assert_eq!(
            limiter_line(&s),
            "Token bucket: 100 tokens, refilled at 10 a second, for each client."
        );
        let mut c = Config {
            algorithm: Algorithm::SlidingLog,
            instances: 3,
            ..Config::default()
        };
        let s = RateLimitLab::new(c.clone()).expect("valid").snapshot();
        assert!(
            limiter_line(&s).ends_with("3 instances, each allowing all of it."),
            "{}",
            limiter_line(&s)
        );
        c.sync = SyncMode::Shared;
        let s = RateLimitLab::new(c.clone()).expect("valid").snapshot();
        assert!(
            limiter_line(&s).contains("sharing one store (2 ms"),
            "{}",
            limiter_line(&s)
        );
        c.sync_ms = 100.0;
        let s = RateLimitLab::new(c).expect("valid").snapshot();
        assert!(
            limiter_line(&s).ends_with("3 instances sharing one store, synced every 100 ms (2 ms a sync)."),
            "{}",
            limiter_line(&s)
        );
    }

    #[test]
    fn the_url_round_trips_every_key_and_refuses_hostile_values() {
        let mut config = Config::default();
        for (key, raw) in [
            ("algorithm", "gcra"),
            ("window_s", "2.5"),
            ("scope", "global"),
            ("sync", "shared"),
            ("sync_ms", "250"),
            ("store_ms", "5"),
            ("instances", "4"),
            ("retry", "backoff"),
            ("burstiness", "periodic_bursts"),
        ] {
            assert_eq!(
                RlState::set(&mut config, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        let pairs = <RateLimitLab as crate::kit::PacedLab>::url_pairs(&config);
        assert_eq!(pairs.len(), Config::KEYS.len());
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(
                RlState::set(&mut back, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        back.seed = config.seed;
        assert_eq!(back, config);
        let before = back.clone();
        for (key, raw) in [
            ("limit", "0"),
            ("window_s", "NaN"),
            ("algorithm", "<script>"),
            ("clients", "1e99"),
            ("sync_ms", "NaN"),
            ("sync_ms", "-1"),
            ("sync_ms", "1e9"),
        ] {
            assert_eq!(
                RlState::set(&mut back, key, raw).map(|r| r.is_err()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, before, "a refused value changes nothing");
        assert!(RlState::set(&mut back, "bogus", "1").is_none());
    }
}
