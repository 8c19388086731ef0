//! Call by call: send a success, a failure or a slow call through the breaker; force it open,
//! disable it or reset it by hand; restart the caller's counters. Says what the last one did.

use super::state::{BreakerAction, BreakerState};
use crate::kit::Driver;
use leptos::prelude::*;
use scalelab_sim::breaker::Outcome;

/// A button of the panel: test id, text, tooltip and what it does.
type Button = (&'static str, &'static str, &'static str, BreakerAction);

const SENDS: [Button; 3] = [
    (
        "send-success",
        "\u{2714} Success",
        "One call that succeeds at once, now.",
        BreakerAction::Send(Outcome::Success),
    ),
    (
        "send-failure",
        "\u{2716} Failure",
        "One call that fails at once, now.",
        BreakerAction::Send(Outcome::Failure),
    ),
    (
        "send-slow",
        "\u{25f7} Slow call",
        "One call that succeeds but takes 1 ms longer than the slow-call threshold.",
        BreakerAction::Send(Outcome::Slow),
    ),
];

const MANUAL: [Button; 4] = [
    (
        "force-open",
        "Force open",
        "Open the breaker by hand: every call is rejected until you reset it.",
        BreakerAction::ForceOpen,
    ),
    (
        "disable",
        "Disable",
        "Switch the breaker off by hand: every call goes through until you reset it.",
        BreakerAction::Disable,
    ),
    (
        "reset-breaker",
        "Reset breaker",
        "Back to CLOSED (or no breaker) with a fresh window. The run carries on.",
        BreakerAction::ResetBreaker,
    ),
    (
        "restart-counters",
        "Restart counters",
        "The caller's numbers (requests, success, latency, pool peak) count from now.",
        BreakerAction::RestartCounters,
    ),
];

fn buttons(driver: Driver<BreakerState>, list: &'static [Button], label: &'static str, primary: bool) -> impl IntoView {
    let class = if primary { "button send-button" } else { "button small" };
    view! {
        <div class="actions" role="group" aria-label=label>
            {list
                .iter()
                .map(|&(testid, text, hint, action)| {
                    view! {
                        <button type="button" class=class data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                            {text}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The call-by-call controls and the message of the last one.
#[component]
pub fn CallControls(driver: Driver<BreakerState>) -> impl IntoView {
    let state = driver.lab;
    let script = move || {
        state.snap.with(|s| {
            (s.script_calls > 0).then(|| {
                format!(
                    "Script: {} of {} calls played, one every {} ms.",
                    s.script_played,
                    s.script_calls,
                    state.lab.with_untracked(|l| l.config().gap_ms)
                )
            })
        })
    };
    view! {
        <div class="breaker-calls">
            <p class="param-hint">
                "Send calls yourself at the current simulated time. Pause the clock (or set client requests to 0) to see only your calls; press Play or Step to let time pass."
            </p>
            <p class="param-label send-label">"Send one call now:"</p>
            {buttons(driver, &SENDS, "Send one call", true)}
            {buttons(driver, &MANUAL, "By hand", false)}
            <p class="param-hint" data-testid="script-status">{script}</p>
            <p class="param-hint action-message" role="status" data-testid="send-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
        </div>
    }
}
