//! The fault and consumer buttons (crash, stop, start, burst, add, remove, poison, redrive,
//! restart counters), what the last one did, and the recent events.

use super::state::{QAction, QState, POISON_COUNT};
use crate::components::{draw, list_items, source};
use crate::format;
use crate::kit::Driver;
use leptos::prelude::*;
use scalelab_sim::queues::{LabEventKind, Snapshot};

/// The buttons and the message of the last one.
#[component]
pub fn FaultButtons(driver: Driver<QState>) -> impl IntoView {
    let state = driver.lab;
    let button = move |testid: &'static str, text: String, hint: &'static str, action: QAction| {
        view! {
            <button type="button" class="button" data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                {text}
            </button>
        }
    };
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Faults and consumers">
                {button(
                    "crash-consumer",
                    "\u{26a1} Crash consumer".into(),
                    "A busy consumer of the first group crashes: its messages in progress come back after their visibility timeout. It restarts after 10 s.",
                    QAction::CrashConsumer,
                )}
                {button(
                    "stop-consumers",
                    "Stop consumers".into(),
                    "Every consumer stops taking messages; the backlog grows at the arrival rate.",
                    QAction::StopConsumers,
                )}
                {button(
                    "start-consumers",
                    "Start consumers".into(),
                    "The consumers take messages again; the backlog drains at capacity minus arrivals.",
                    QAction::StartConsumers,
                )}
                {button("burst", "Burst \u{00d7}10".into(), "Ten times the traffic for ten simulated seconds.", QAction::Burst)}
                {button(
                    "add-consumer",
                    "+ Add consumer".into(),
                    "One more consumer in each group; the group rebalances (a 3 s pause).",
                    QAction::AddConsumer,
                )}
                {button(
                    "remove-consumer",
                    "\u{2212} Remove consumer".into(),
                    "One consumer fewer in each group; it finishes its messages and the group rebalances.",
                    QAction::RemoveConsumer,
                )}
                {button(
                    "poison",
                    format!("Poison \u{00d7}{POISON_COUNT}"),
                    "Publishes messages that fail every delivery: they end in the dead-letter queue.",
                    QAction::Poison,
                )}
                {button(
                    "redrive-dlq",
                    "Redrive DLQ".into(),
                    "Sends every message of the dead-letter queue back to its partition.",
                    QAction::Redrive,
                )}
                {button(
                    "reset-stats",
                    "Restart counters".into(),
                    "Percentiles and totals count from now on (the backlog stays).",
                    QAction::RestartCounters,
                )}
            </div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// An event in words.
pub fn describe(kind: &LabEventKind) -> String {
    let n = |v: f64| format::number(v, 0);
    match *kind {
        LabEventKind::Crashed { consumer, lost, .. } => {
            format!("consumer {consumer} crashed, {} deliveries lost", n(f64::from(lost)))
        }
        LabEventKind::Restarted { consumer, .. } => format!("consumer {consumer} restarted"),
        LabEventKind::Stopped => "consumers stopped".into(),
        LabEventKind::Started => "consumers started".into(),
        LabEventKind::Rebalancing { consumers, pause_s } => {
            format!(
                "rebalancing to {consumers} consumers per group ({} s pause)",
                format::number(pause_s, 1)
            )
        }
        LabEventKind::Rebalanced => "rebalance done".into(),
        LabEventKind::Burst { factor, secs } => format!("burst: \u{00d7}{} for {} s", n(factor), n(secs)),
        LabEventKind::Poison { count } => format!("{count} poison messages published"),
        LabEventKind::DeadLettered { count } => format!("{} dead-lettered", n(count as f64)),
        LabEventKind::Redriven { count } => format!("{} redriven from the dead-letter queue", n(count as f64)),
        LabEventKind::BacklogFull => "backlog full: producers refused or blocked".into(),
        LabEventKind::StatsReset => "counters restarted".into(),
    }
}

/// Events shown in the log (newest first).
const EVENTS_SHOWN: usize = 8;

/// The latest faults, consumer changes and dead letters, newest first.
#[component]
pub fn EventLog(
    /// The snapshot whose events to list.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    // Redrawn only when the list changes, not on every snapshot.
    let items = move || {
        snapshot.with(|s| {
            list_items(
                s.events
                    .iter()
                    .rev()
                    .take(EVENTS_SHOWN)
                    .map(|e| format!("{}: {}", format::sim_clock(e.at_s), describe(&e.kind))),
            )
        })
    };
    view! {
        <Show when=move || snapshot.with(|s| !s.events.is_empty())>
            <div class="event-log">
                <h3>"What happened"</h3>
                <ul data-testid="event-log" use:draw=source(items)></ul>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences() {
        assert_eq!(
            describe(&LabEventKind::Crashed {
                group: 0,
                consumer: 2,
                lost: 5
            }),
            "consumer 2 crashed, 5 deliveries lost"
        );
        assert_eq!(
            describe(&LabEventKind::Burst {
                factor: 10.0,
                secs: 10.0
            }),
            "burst: \u{00d7}10 for 10 s"
        );
    }
}
