//! The `regions` control: the regional mix of the users as `name:weight` items, validated by the
//! core like every other parameter (geographic sharding gives each region its own shards).

use super::state::{ShardState, REGIONS};
use crate::components::TextParam;
use crate::kit::LabController;
use leptos::prelude::*;

/// A few mixes to start from: `(label, regions)`.
const EXAMPLES: &[(&str, &str)] = &[
    ("one region", "us:1"),
    ("three regions", "us:50,eu:30,ap:20"),
    ("one big region", "us:80,eu:10,ap:10"),
];

/// The regions field and its examples.
#[component]
pub fn RegionsControl(state: ShardState) -> impl IntoView {
    view! {
        <TextParam
            key=REGIONS
            label="Regions (share of users)"
            placeholder="e.g. us:50,eu:30,ap:20"
            hint="Where the users live, as name:weight items separated by commas (up to 8 regions; only the proportions matter). Geographic sharding gives each region its own shards; the other strategies keep every shard in the first region, so the others pay a cross-region round trip. Changing it restarts the run."
            examples=EXAMPLES
            current=Signal::derive(move || state.lab.with(|l| l.config().regions.clone()))
            submit=Callback::new(move |raw: String| state.set_param(REGIONS, &raw))
        />
    }
}
