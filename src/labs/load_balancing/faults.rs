//! The fault and fleet buttons (kill, slow, heal, add, remove, restart counters), what the last
//! one did, and the events the log lists.

use super::state::{LbAction, LbState};
use crate::kit::Driver;
use leptos::prelude::*;
use scalelab_sim::loadbalancing::Snapshot;

/// The buttons and the message of the last one.
#[component]
pub fn FaultButtons(driver: Driver<LbState>) -> impl IntoView {
    let state = driver.lab;
    let button = move |testid: &'static str, text: &'static str, hint: &'static str, action: LbAction| {
        view! {
            <button type="button" class="button" data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                {text}
            </button>
        }
    };
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Faults and fleet changes">
                {button(
                    "kill-server",
                    "\u{26a1} Kill a server",
                    "The first alive server dies. Requests sent to it fail until the health checks mark it down.",
                    LbAction::KillServer,
                )}
                {button(
                    "slow-server",
                    "Slow a server (\u{00d7}10)",
                    "The first healthy server becomes ten times slower. It still passes its health checks.",
                    LbAction::SlowServer,
                )}
                {button(
                    "heal-servers",
                    "Heal all",
                    "Dead servers restart (they take traffic once they pass the checks); slow ones recover.",
                    LbAction::HealServers,
                )}
                {button("add-server", "+ Add a server", "A server of speed 1 joins the fleet.", LbAction::AddServer)}
                {button(
                    "remove-server",
                    "\u{2212} Remove a server",
                    "The last server leaves the fleet; the requests it holds finish.",
                    LbAction::RemoveServer,
                )}
                {button(
                    "reset-stats",
                    "Restart counters",
                    "Percentiles, shares and totals count from now on.",
                    LbAction::RestartCounters,
                )}
            </div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// The events the log lists: `(simulated s, what happened)`, oldest first.
pub fn events(s: &Snapshot) -> Vec<(f64, String)> {
    s.events.iter().map(|e| (e.at_s, e.text.clone())).collect()
}
