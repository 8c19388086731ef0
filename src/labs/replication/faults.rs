//! The fault buttons (fail the primary, stop / restart / slow a replica, restart counters), what
//! the last one did, and the incident log.

use super::state::{ReplAction, ReplState, SLOW_FACTOR};
use crate::format;
use crate::kit::Driver;
use leptos::prelude::*;
use scalelab_sim::replication::{Incident, IncidentKind};

/// Incidents listed, newest first.
const SHOWN: usize = 6;

/// An incident in a few words, for the numbered lines on the lag chart.
pub fn short_name(kind: &IncidentKind) -> String {
    match kind {
        IncidentKind::ReplicaStopped { replica } => format!("replica {replica} stopped"),
        IncidentKind::ReplicaRestarted { replica } => format!("replica {replica} restarted"),
        IncidentKind::ReplicaSlowed { replica, factor } if *factor > 1.0 => format!("replica {replica} slowed"),
        IncidentKind::ReplicaSlowed { replica, .. } => format!("replica {replica} normal speed"),
        IncidentKind::Failover(f) => format!("failover to replica {}", f.new_primary),
        IncidentKind::SemiSyncFallback => "semi-sync fell back to async".into(),
        IncidentKind::SemiSyncResumed { .. } => "semi-sync resumed".into(),
    }
}

fn describe(i: &Incident) -> String {
    let what = match &i.kind {
        IncidentKind::ReplicaStopped { replica } => format!("replica {replica} stopped"),
        IncidentKind::ReplicaRestarted { replica } => format!("replica {replica} restarted and catches up"),
        IncidentKind::ReplicaSlowed { replica, factor } if *factor > 1.0 => {
            format!("replica {replica} slowed \u{00d7}{}", format::number(*factor, 1))
        }
        IncidentKind::ReplicaSlowed { replica, .. } => format!("replica {replica} back to normal speed"),
        IncidentKind::Failover(f) => format!(
            "primary {} failed; replica {} took over; {} acknowledged writes lost",
            f.old_primary,
            f.new_primary,
            format::number(f.lost_writes as f64, 0)
        ),
        IncidentKind::SemiSyncFallback => "semi-sync timed out: the primary fell back to async".into(),
        IncidentKind::SemiSyncResumed { replica } => {
            format!("replica {replica} caught up: semi-sync waits for receipts again")
        }
    };
    format!("{}: {what}", format::sim_clock(i.t_s))
}

/// The buttons, the last action's message and the incident log.
#[component]
pub fn FaultButtons(driver: Driver<ReplState>) -> impl IntoView {
    let state = driver.lab;
    let button = move |testid: &'static str, text: &'static str, hint: &'static str, action: ReplAction| {
        view! {
            <button type="button" class="button" data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                {text}
            </button>
        }
    };
    let slow_label = move || {
        let slow = state.view.with(|t| {
            t.replicas
                .iter()
                .rev()
                .find(|r| !r.stopped)
                .is_some_and(|r| r.slow > 1.0)
        });
        if slow {
            "Heal the slow replica".to_string()
        } else {
            format!("Slow the last replica (\u{00d7}{})", format::number(SLOW_FACTOR, 0))
        }
    };
    let incidents = move || {
        state.snap.with(|s| {
            s.incidents
                .iter()
                .rev()
                .take(SHOWN)
                .map(|i| view! { <li>{describe(i)}</li> })
                .collect_view()
        })
    };
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Faults">
                <button
                    type="button"
                    class="button"
                    data-testid="fail-primary"
                    title="The primary dies now; the replica that received the most takes over. Acknowledged writes it never received are lost."
                    disabled=move || state.view.with(|t| t.replicas.iter().all(|r| r.stopped))
                    on:click=move |_| driver.act_lab(ReplAction::FailPrimary)
                >
                    "\u{26a1} Fail the primary"
                </button>
                {button(
                    "stop-replica",
                    "Stop the last replica",
                    "The last running replica stops: it receives nothing and answers no reads.",
                    ReplAction::StopReplica,
                )}
                <button
                    type="button"
                    class="button"
                    data-testid="slow-replica"
                    title="The last running replica receives writes ten times later (press again to heal it)."
                    on:click=move |_| driver.act_lab(ReplAction::SlowReplica)
                >
                    {slow_label}
                </button>
                {button(
                    "restart-replicas",
                    "Restart stopped replicas",
                    "Stopped replicas come back and catch up on what they missed.",
                    ReplAction::RestartReplicas,
                )}
                {button(
                    "reset-stats",
                    "Restart counters",
                    "Totals and percentiles count from now on.",
                    ReplAction::RestartCounters,
                )}
            </div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
            <Show when=move || state.snap.with(|s| !s.incidents.is_empty())>
                <div class="event-log">
                    <h3>"What happened"</h3>
                    <ul data-testid="incident-log">{incidents}</ul>
                </div>
            </Show>
        </div>
    }
}
