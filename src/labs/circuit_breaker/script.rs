//! The `outcomes` control: a scripted sequence of calls typed as letters (S, F, L, X), validated by
//! the core like every other parameter, with examples and a button to clear it.

use super::state::BreakerState;
use crate::components::TextParam;
use crate::kit::LabController;
use leptos::prelude::*;

/// A few scripts to start from: `(label, script)`.
const EXAMPLES: &[(&str, &str)] = &[
    ("5 failures, then successes", "FFFFFSSSSSSF"),
    ("alternate", "SFSFSFSFSF"),
    ("slow calls", "SSLLLLLLLL"),
];

/// The script field, its examples and the clear button.
#[component]
pub fn ScriptControl(state: BreakerState) -> impl IntoView {
    view! {
        <TextParam
            key="outcomes"
            label="Scripted calls"
            placeholder="e.g. FFFFFSSSSS"
            hint="One letter per call: S success, F failure, L slow success, X slow failure (lower case works too). The run restarts and plays the script from time 0, one call every gap below, instead of the clients (Reset plays it again). Empty: no script."
            examples=EXAMPLES
            clear=("clear-script", "Clear")
            current=Signal::derive(move || state.lab.with(|l| l.config().outcomes.clone()))
            submit=Callback::new(move |raw: String| state.set_param("outcomes", &raw))
        />
    }
}
