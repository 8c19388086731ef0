//! The fault buttons (a spike now, kill an instance) and what the last one did.

use super::state::{AsAction, AsState};
use crate::kit::Driver;
use leptos::prelude::*;

/// The buttons and the message of the last one.
#[component]
pub fn FaultButtons(driver: Driver<AsState>) -> impl IntoView {
    let state = driver.lab;
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Faults">
                <button
                    type="button"
                    class="button"
                    data-testid="spike-now"
                    title="Traffic jumps to the peak rate for the spike's length, starting now."
                    on:click=move |_| driver.act_lab(AsAction::SpikeNow)
                >
                    "\u{26a1} Spike now"
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="kill-instance"
                    title="One ready instance dies; its capacity is gone until a replacement has started."
                    on:click=move |_| driver.act_lab(AsAction::KillInstance)
                >
                    "Kill an instance"
                </button>
            </div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
        </div>
    }
}
