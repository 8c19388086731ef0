//! The `outcomes` control: a scripted sequence of calls typed as letters (S, F, L, X), validated by
//! the core like every other parameter, with a button to play it again from the start.

use super::state::BreakerState;
use crate::kit::LabController;
use leptos::prelude::*;

/// A few scripts to start from: `(label, script)`.
const EXAMPLES: &[(&str, &str)] = &[
    ("5 failures, then successes", "FFFFFSSSSSSF"),
    ("alternate", "SFSFSFSFSF"),
    ("slow calls", "SSLLLLLLLL"),
];

/// The script field, its examples and the replay button.
#[component]
pub fn ScriptControl(state: BreakerState) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(None::<String>);
    let submit = move |raw: String| match state.set_param("outcomes", &raw) {
        Ok(()) => {
            error.set(None);
            draft.set(None);
        }
        Err(e) => {
            error.set(Some(e));
            draft.set(Some(raw));
        }
    };
    let current = move || state.lab.with(|l| l.config().outcomes.clone());
    view! {
        <div class="param" class:invalid=move || error.get().is_some()>
            <label for="param-outcomes" class="param-label">"Scripted calls"</label>
            <input
                id="param-outcomes"
                type="text"
                class="script-input"
                autocomplete="off"
                spellcheck="false"
                placeholder="e.g. FFFFFSSSSS"
                data-testid="input-outcomes"
                aria-describedby="param-outcomes-hint param-outcomes-error"
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || draft.get().unwrap_or_else(current)
                on:change=move |ev| submit(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        submit(event_target_value(&ev));
                    }
                }
            />
            <p id="param-outcomes-hint" class="param-hint">
                "One letter per call: S success, F failure, L slow success, X slow failure (lower case works too). The run restarts and plays the script from time 0, one call every gap below, instead of the clients (Reset plays it again). Empty: no script."
            </p>
            <p id="param-outcomes-error" class="param-error" role="alert" data-testid="error-outcomes">
                {move || error.get().unwrap_or_default()}
            </p>
            <div class="actions">
                {EXAMPLES
                    .iter()
                    .map(|&(label, script)| {
                        view! {
                            <button type="button" class="button small" title=script on:click=move |_| submit(script.to_string())>
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
                <button type="button" class="button small" data-testid="clear-script" on:click=move |_| submit(String::new())>
                    "Clear"
                </button>
            </div>
        </div>
    }
}
