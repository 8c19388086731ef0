//! "What happened": a lab's latest events (faults, changes, decisions), newest first, each with
//! the simulated time it happened at.

use super::{draw, list_items, source};
use crate::format;
use leptos::prelude::*;

/// Events shown at most (the newest).
pub const EVENTS_SHOWN: usize = 8;

/// The latest events of a snapshot, newest first; hidden while there are none. The list is
/// rewritten only when an event comes or goes, not on every snapshot.
#[component]
pub fn EventLog<S: Send + Sync + 'static>(
    /// The snapshot whose events to list.
    #[prop(into)]
    snapshot: Signal<S>,
    /// Its events, oldest first: `(simulated s, what happened)`.
    events: fn(&S) -> Vec<(f64, String)>,
) -> impl IntoView {
    let items = move || {
        snapshot.with(|s| {
            list_items(
                events(s)
                    .into_iter()
                    .rev()
                    .take(EVENTS_SHOWN)
                    .map(|(at, text)| format!("{}: {text}", format::sim_clock(at))),
            )
        })
    };
    view! {
        <Show when=move || snapshot.with(|s| !events(s).is_empty())>
            <div class="event-log">
                <h3>"What happened"</h3>
                <ul data-testid="event-log" use:draw=source(items)></ul>
            </div>
        </Show>
    }
}
