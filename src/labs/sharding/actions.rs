//! The resharding buttons (add a shard, remove one, split the hottest range, salt the hottest key,
//! restart counters) and what the last one did.

use super::state::{ShardAction, ShardState, SALT_KEYS};
use crate::kit::Driver;
use leptos::prelude::*;

/// The buttons and the message of the last one.
#[component]
pub fn ReshardButtons(driver: Driver<ShardState>) -> impl IntoView {
    let state = driver.lab;
    let button = move |testid: &'static str, text: Signal<String>, hint: &'static str, action: ShardAction| {
        view! {
            <button type="button" class="button" data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                {text}
            </button>
        }
    };
    let fixed = |text: &str| Signal::stored(text.to_string());
    let salt = Signal::derive(move || {
        if state.lab.with(|l| l.config().salt > 1) {
            "Unsalt the hot key".to_string()
        } else {
            format!("Salt the hot key (\u{00d7}{SALT_KEYS})")
        }
    });
    let splits = Signal::derive(move || state.lab.with(|l| l.config().strategy.splits()));
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Resharding">
                {button(
                    "add-shard",
                    fixed("+ Add a shard"),
                    "A shard joins. The keys that now belong to it are copied at the migration bandwidth; until then their old shard serves them.",
                    ShardAction::AddShard,
                )}
                {button(
                    "remove-shard",
                    fixed("\u{2212} Remove a shard"),
                    "The last shard leaves once its keys are copied to the others.",
                    ShardAction::RemoveShard,
                )}
                <button
                    type="button"
                    class="button"
                    data-testid="split-hot-range"
                    title="Range: the busiest range is cut in two at its median load and the upper half moves to the least loaded shard. Directory: the busiest entry moves to the least loaded shard. Other strategies cannot split."
                    aria-disabled=move || (!splits.get()).to_string()
                    on:click=move |_| driver.act_lab(ShardAction::SplitHotRange)
                >
                    "Split the hot range"
                </button>
                {button(
                    "salt-hot-key",
                    salt,
                    "Split the most popular key into sub-keys on different shards: a write goes to one, a read reads them all.",
                    ShardAction::SaltHotKey,
                )}
                {button(
                    "reset-stats",
                    fixed("Restart counters"),
                    "Shares, percentiles and totals count from now on.",
                    ShardAction::RestartCounters,
                )}
            </div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
        </div>
    }
}
