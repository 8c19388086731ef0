//! The fault buttons and what the last one did.

use super::state::{JAction, JState};
use crate::kit::Driver;
use leptos::prelude::*;
use scalelab_sim::journey::Fault;

/// A button's text and tooltip.
fn button(f: Fault) -> (&'static str, &'static str) {
    match f {
        Fault::RegionDown => (
            "Fail the US region",
            "The US region goes down for 10 minutes: active-active moves its users after 30 s, active-passive after 5 minutes, a single region is simply down.",
        ),
        Fault::PrimaryDown => (
            "Fail the primary",
            "The primary database fails for 10 minutes: a replica is promoted after 30 s; without one, its shard is down.",
        ),
        Fault::Spike => (
            "\u{26a1} Spike",
            "Users \u{00d7}2.5, ramped over 5 minutes, for 10 minutes.",
        ),
        Fault::ThirdPartyDown => (
            "Fail the third-party API",
            "The third-party API hangs for 10 minutes: each call waits 10 s and fails, holding a thread, unless a circuit breaker opens.",
        ),
    }
}

/// The buttons and the message of the last one.
#[component]
pub fn FaultButtons(driver: Driver<JState>) -> impl IntoView {
    let state = driver.lab;
    let buttons = Fault::ALL
        .into_iter()
        .map(|f| {
            let (text, title) = button(f);
            view! {
                <button
                    type="button"
                    class="button"
                    data-testid=f.as_str()
                    title=title
                    on:click=move |_| driver.act_lab(JAction::Fault(f))
                >
                    {text}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Faults">{buttons}</div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
        </div>
    }
}
