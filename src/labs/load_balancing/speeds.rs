//! The `speeds` control: each server's relative speed as a comma-separated list, validated by the
//! core like every other parameter (a heterogeneous fleet for weighted round robin).

use super::state::{LbState, SPEEDS};
use crate::kit::LabController;
use leptos::prelude::*;

/// A few fleets to start from: `(label, speeds)`.
const EXAMPLES: &[(&str, &str)] = &[
    ("all equal", ""),
    ("one 3\u{00d7} faster", "3,1,1,1"),
    ("two sizes", "2,2,1,1"),
];

/// The speeds field and its examples.
#[component]
pub fn SpeedsControl(state: LbState) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(None::<String>);
    let submit = move |raw: String| match state.set_param(SPEEDS, &raw) {
        Ok(()) => {
            error.set(None);
            draft.set(None);
        }
        Err(e) => {
            error.set(Some(e));
            draft.set(Some(raw));
        }
    };
    let current = move || state.lab.with(|l| l.config().speeds_query());
    view! {
        <div class="param" class:invalid=move || error.get().is_some()>
            <label for="param-speeds" class="param-label">"Server speeds"</label>
            <input
                id="param-speeds"
                type="text"
                class="script-input"
                autocomplete="off"
                spellcheck="false"
                placeholder="all 1, e.g. 3,1,1,1"
                data-testid="input-speeds"
                aria-describedby="param-speeds-hint param-speeds-error"
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || draft.get().unwrap_or_else(current)
                on:change=move |ev| submit(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        submit(event_target_value(&ev));
                    }
                }
            />
            <p id="param-speeds-hint" class="param-hint">
                "Relative speed of server 0, 1, 2\u{2026} separated by commas (0.1 to 10; servers not listed run at 1). Weighted round robin uses them as weights. Empty: all equal."
            </p>
            <p id="param-speeds-error" class="param-error" role="alert" data-testid="error-speeds">
                {move || error.get().unwrap_or_default()}
            </p>
            <div class="actions">
                {EXAMPLES
                    .iter()
                    .map(|&(label, speeds)| {
                        view! {
                            <button type="button" class="button small" title=speeds on:click=move |_| submit(speeds.to_string())>
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}
