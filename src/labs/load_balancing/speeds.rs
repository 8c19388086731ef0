//! The `speeds` control: each server's relative speed as a comma-separated list, validated by the
//! core like every other parameter (a heterogeneous fleet for weighted round robin).

use super::state::{LbState, SPEEDS};
use crate::components::TextParam;
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
    view! {
        <TextParam
            key=SPEEDS
            label="Server speeds"
            placeholder="all 1, e.g. 3,1,1,1"
            hint="Relative speed of server 0, 1, 2\u{2026} separated by commas (0.1 to 10; servers not listed run at 1). Weighted round robin uses them as weights. Empty: all equal."
            examples=EXAMPLES
            current=Signal::derive(move || state.lab.with(|l| l.config().speeds_query()))
            submit=Callback::new(move |raw: String| state.set_param(SPEEDS, &raw))
        />
    }
}
