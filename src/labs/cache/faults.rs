//! The fault and action buttons: crash, flush, expire the hot key, stampede, restart counters.

use super::contents::events;
use super::state::{CacheAction, CacheState, STAMPEDE_READS};
use crate::components::EventLog;
use crate::kit::Driver;
use leptos::prelude::*;

/// The buttons, what the last one did, and the event log.
#[component]
pub fn FaultButtons(driver: Driver<CacheState>) -> impl IntoView {
    let state = driver.lab;
    let button = move |testid: &'static str, text: String, hint: &'static str, action: CacheAction| {
        view! {
            <button type="button" class="button" data-testid=testid title=hint on:click=move |_| driver.act_lab(action)>
                {text}
            </button>
        }
    };
    view! {
        <div class="fault-buttons">
            <div class="actions" role="group" aria-label="Faults and events">
                {button(
                    "crash-cache",
                    "\u{26a1} Crash the cache".into(),
                    "The cache restarts empty at once. With write-behind, every write still queued is lost.",
                    CacheAction::CrashCache,
                )}
                {button(
                    "flush-cache",
                    "Flush the cache".into(),
                    "Empty the cache on purpose: write-behind's queue is written to the database first.",
                    CacheAction::FlushCache,
                )}
                {button(
                    "expire-hot-key",
                    "Expire the hot key".into(),
                    "Key 0, the most popular, expires now; the traffic that follows misses until it is reloaded.",
                    CacheAction::ExpireHotKey,
                )}
                {button(
                    "stampede",
                    format!("Stampede ({STAMPEDE_READS} reads of key 0)"),
                    "Key 0 expires and many clients read it at the same instant.",
                    CacheAction::Stampede,
                )}
                {button(
                    "reset-stats",
                    "Restart counters".into(),
                    "Totals, percentiles and the peak count from now on (the cache keeps its contents).",
                    CacheAction::RestartCounters,
                )}
            </div>
            <p class="param-hint action-message" role="status" data-testid="action-message">
                {move || state.message.get().unwrap_or_default()}
            </p>
            <EventLog snapshot=state.staged.late[0] events=events/>
        </div>
    }
}
