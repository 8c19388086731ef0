//! The queues lab page (`/labs/queues`): move slow work out of the request path, then see what the
//! queue itself costs: backlog and lag, consumers and partitions, duplicates, retries and dead
//! letters, ordering, and a read model fed by the events.
//!
//! Files: `state` (controller over the core lab, actions), `metrics` (numbers from the
//! snapshot), `broker` (producers, partitions as lanes, consumers, the latest messages), `order`
//! (delivery counters, one key's order, the latest dead letters), `charts` (backlog, rates, lag,
//! response against completion over time), `faults` (crash, stop, start, burst, add, remove,
//! poison, redrive; the event log), `compare` (sync against async, or two settings, on one seed),
//! `model` (assumptions panel).

mod broker;
mod charts;
mod compare;
mod faults;
mod metrics;
mod model;
mod order;
pub mod state;

use crate::components::{param_groups, LabPage, LabSide, NumbersPanel, ParamGroup, ParamsPanel, Reveal};
use crate::format;
use crate::kit::{use_lab, RunPanel};
use leptos::prelude::*;
use scalelab_sim::params::Params;
use scalelab_sim::queues::{Config, Delivery, Snapshot};
use state::QState;

/// Parameter groups, in the order the side panel shows them, and whether each starts open.
const GROUPS: &[ParamGroup] = &[
    (
        "Requests",
        true,
        &["delivery", "rate", "shape", "fast_ms", "slow_ms", "processing"],
    ),
    (
        "Broker and consumers",
        true,
        &[
            "partitions",
            "consumers",
            "concurrency",
            "groups",
            "keys",
            "max_backlog",
            "on_full",
        ],
    ),
    (
        "Delivery and retries",
        true,
        &[
            "visibility_s",
            "idempotent",
            "failure_rate",
            "poison_rate",
            "backoff",
            "max_receives",
        ],
    ),
    ("Read model", true, &["projection_lag_ms"]),
];

/// Whether a parameter matters for the current settings (others are greyed out).
fn applies(key: &str, config: &Config) -> bool {
    let queued = config.delivery == Delivery::Async;
    match key {
        "partitions" | "consumers" | "concurrency" | "groups" | "keys" | "visibility_s" | "idempotent"
        | "max_backlog" => queued,
        "on_full" => queued && config.max_backlog > 0,
        _ => true,
    }
}

/// The pipeline in one line, from the snapshot: "Queued: 20 req/s into 4 partitions; 4
/// consumers × 16 at a time: capacity 32 messages/s (utilisation 62%)."
fn pipeline_line(s: &Snapshot) -> String {
    let t = &s.theory;
    match s.delivery {
        Delivery::Sync => format!(
            "Inline: each of {} req/s does its slow work before it answers; no broker, no consumers.",
            format::number(s.rate_now, 1)
        ),
        Delivery::Async => {
            let capacity = if t.capacity_per_s.is_finite() {
                format!(
                    "capacity {} messages/s (utilisation {})",
                    format::number(t.capacity_per_s, 1),
                    if t.utilization.is_finite() {
                        format::percent(t.utilization, 0)
                    } else {
                        "over capacity".into()
                    }
                )
            } else {
                "no slow work".into()
            };
            format!(
                "Queued: {} req/s into {} partition{}; {} consumer{} \u{00d7} {} at a time{}: {capacity}.",
                format::number(s.rate_now, 1),
                s.partitions,
                if s.partitions == 1 { "" } else { "s" },
                s.consumers_per_group,
                if s.consumers_per_group == 1 { "" } else { "s" },
                s.concurrency,
                if s.groups > 1 {
                    format!(" in each of {} groups", s.groups)
                } else {
                    String::new()
                },
            )
        }
    }
}

crate::lab_entry!(lab_queues, QueuesPage);

/// The queues lab page.
#[component]
pub fn QueuesPage() -> impl IntoView {
    let kit = use_lab::<QState>(&crate::lessons::QUEUES);
    let (state, driver) = (kit.lab(), kit.driver);
    let access = state.param_access(applies);
    let groups = param_groups(GROUPS, Config::spec, access);

    let snapshot: Signal<_> = state.snap.into();
    let early: Signal<_> = state.staged.late[0].into();
    let late: Signal<_> = state.staged.late[1].into();
    let axis: Signal<(f64, f64)> = charts::run_axis(late).into();
    let metrics = Signal::derive(move || state.snap.with(metrics::metrics));

    view! {
        <LabPage
            title="Queues and async work"
            subtitle="Answer now, work later: move slow work out of the request path into a queue, then see what the queue costs. Watch the backlog grow and drain, add consumers until the partitions run out, crash one and count the duplicates, and send poison messages to the dead-letter queue."
            class="q-lab"
            side_label="Parameters"
            hooks=kit.hooks()
        >
            <LabSide slot>
                <ParamsPanel hint="Changes apply live and restart the counters. Slow work mode, partitions, groups and keys restart the run; consumers rebalance.">
                    {groups}
                </ParamsPanel>
            </LabSide>
            <RunPanel kit=kit>
                <faults::FaultButtons driver=driver/>
            </RunPanel>
            <NumbersPanel metrics=metrics label="Queue metrics"/>
            <div class="panel-row two">
                <section class="panel" aria-labelledby="broker-title">
                    <h2 id="broker-title">"Producers, broker and consumers"</h2>
                    <Reveal id="broker">
                        <p class="param-hint" data-testid="pipeline-line">{move || snapshot.with(pipeline_line)}</p>
                        <broker::BrokerDiagram snapshot=snapshot/>
                        <faults::EventLog snapshot=early/>
                    </Reveal>
                </section>
                <section class="panel" aria-labelledby="order-title">
                    <h2 id="order-title">"Duplicates, dead letters and order"</h2>
                    <Reveal id="order">
                        <order::DeliveryPanel snapshot=early/>
                    </Reveal>
                </section>
            </div>
            <section class="panel" aria-labelledby="charts-title">
                <h2 id="charts-title">"Over time"</h2>
                <Reveal id="charts">
                    <div class="panel-row two">
                        <charts::BacklogChart snapshot=late axis=axis/>
                        <charts::RatesChart snapshot=late axis=axis/>
                        <charts::LagChart snapshot=late axis=axis/>
                        <charts::LatencyChart snapshot=late axis=axis/>
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
    use scalelab_sim::queues::QueuesLab;

    #[test]
    fn every_parameter_has_a_control_group() {
        assert_eq!(groups_cover::<Config>(GROUPS), Ok(()));
    }

    #[test]
    fn broker_controls_grey_out_when_the_work_is_inline() {
        let queued = Config::default();
        assert!(applies("consumers", &queued) && !applies("on_full", &queued));
        let sync = Config {
            delivery: Delivery::Sync,
            ..Config::default()
        };
        assert!(!applies("partitions", &sync) && applies("backoff", &sync) && applies("rate", &sync));
    }

    #[test]
    fn the_pipeline_line_states_the_capacity() {
        let s = QueuesLab::new(Config::default()).expect("defaults").snapshot();
        let line = pipeline_line(&s);
        assert!(line.contains("4 consumers \u{00d7} 16 at a time"), "{line}");
        assert!(line.contains("capacity 32 messages/s (utilisation 62%)"), "{line}");
    }

    #[test]
    fn the_url_round_trips_every_key_and_refuses_hostile_values() {
        let mut config = Config::default();
        for (key, raw) in [
            ("delivery", "sync"),
            ("rate", "250"),
            ("partitions", "8"),
            ("backoff", "fixed"),
            ("idempotent", "1"),
            ("on_full", "block"),
            ("max_backlog", "1000"),
        ] {
            assert_eq!(
                QState::set(&mut config, key, raw).map(|r| r.is_ok()),
                Some(true),
                "{key}"
            );
        }
        let pairs = <QueuesLab as crate::kit::PacedLab>::url_pairs(&config);
        assert_eq!(pairs.len(), Config::KEYS.len());
        let mut back = Config::default();
        for (key, raw) in &pairs {
            assert_eq!(QState::set(&mut back, key, raw).map(|r| r.is_ok()), Some(true), "{key}");
        }
        back.seed = config.seed;
        assert_eq!(back, config);
        let before = back.clone();
        for (key, raw) in [
            ("delivery", "<script>"),
            ("rate", "NaN"),
            ("partitions", "1e99"),
            ("consumers", "-1"),
            ("idempotent", "true"),
        ] {
            assert_eq!(
                QState::set(&mut back, key, raw).map(|r| r.is_err()),
                Some(true),
                "{key}"
            );
        }
        assert_eq!(back, before, "a refused value changes nothing");
        assert!(QState::set(&mut back, "bogus", "1").is_none());
    }
}
