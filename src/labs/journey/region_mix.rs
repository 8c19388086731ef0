//! The `region_mix` control: where the sandbox's users are, as `name:weight` items, validated by
//! the core like every other parameter.

use super::state::{JState, REGION_MIX};
use crate::components::TextParam;
use crate::kit::LabController;
use leptos::prelude::*;

/// A few mixes to start from: `(label, mix)`.
const EXAMPLES: &[(&str, &str)] = &[
    ("US only", "us:100"),
    ("worldwide", "us:60,eu:25,asia:15"),
    ("Asia first", "us:20,eu:20,asia:60"),
];

/// The region mix field and its examples.
#[component]
pub fn RegionMixControl(state: JState) -> impl IntoView {
    view! {
        <TextParam
            key=REGION_MIX
            label="Users by region"
            placeholder="e.g. us:60,eu:25,asia:15"
            hint="Sandbox: where the users are, as region:weight items of us, eu and asia (only the proportions matter; a region left out has no users). Changing it restarts the run."
            examples=EXAMPLES
            current=Signal::derive(move || state.lab.with(|l| l.config().region_mix.clone()))
            submit=Callback::new(move |raw: String| state.set_param(REGION_MIX, &raw))
        />
    }
}
