//! The traffic buttons (a burst from client 1, a flood from the abuser, restart counters), what
//! the last one did, and the recent events.

use super::state::{burst_size, RlAction, RlState};
use crate::format;
use crate::kit::Driver;
use leptos::prelude::*;
use scalelab_sim::ratelimit::{Snapshot, FLOOD_SECS};

/// The buttons and the message of the last one.
#[component]
pub fn TrafficButtons(driver: Driver<RlState>) -> impl IntoView {
    let state = driver.lab;
    let button = move |testid: &'static str, text: Signal<String>, hint: &'static str, action: RlAction| {
        view! {
            <button type="button" class="button" data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                {text}
            </button>
        }
    };
    let burst = Signal::derive(move || {
        let n = state.lab.with(|l| burst_size(l.config().limit));
        format!("Burst now ({} from client 1)", format::number(n as f64, 0))
    });
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Traffic">
                {button(
                    "burst-now",
                    burst,
                    "Client 1, a well-behaved one, sends twice the limit at the same instant.",
                    RlAction::BurstNow,
                )}
                {button(
                    "flood-now",
                    Signal::stored(format!("\u{26a1} Flood now ({FLOOD_SECS} s)")),
                    "The abuser sends ten times its rate (at least 1,000 a second) for a few seconds, on top of its usual traffic.",
                    RlAction::FloodNow,
                )}
                {button(
                    "reset-stats",
                    Signal::stored("Restart counters".to_string()),
                    "Totals, delays, fairness and the worst window count from now on (the limiter keeps its state).",
                    RlAction::RestartCounters,
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
    s.events.iter().map(|e| (e.at_s, e.describe())).collect()
}
