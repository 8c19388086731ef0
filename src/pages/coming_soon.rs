//! `/labs/<slug>`: a lab's page from the registry, the coming-soon page for a lab not built yet,
//! or not found.

use super::{LabIcon, NotFound};
use crate::labs::{self, LabInfo};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The one route of every lab: looks the slug up in the registry.
#[component]
pub fn LabRoute() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("lab").unwrap_or_default());
    move || match labs::find(&slug.get()) {
        Some(LabInfo { page: Some(page), .. }) => page(),
        Some(lab) => view! { <ComingSoon lab=lab/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

/// A lab that is listed but not built yet.
#[component]
pub fn ComingSoon(
    /// The lab.
    lab: &'static LabInfo,
) -> impl IntoView {
    crate::platform::set_title(&format!("{} (coming soon) \u{00b7} ScaleLab", lab.title));
    view! {
        <section class="page-narrow" data-testid="coming-soon">
            <LabIcon lab=lab/>
            <h1>{lab.title}</h1>
            <p class="lead">{lab.pitch}</p>
            <p>"This lab is being built. In the meantime, the hash ring lab is ready to run."</p>
            <p>
                <A href="/labs/hash-ring" attr:class="button primary">"Open the hash ring lab"</A>
            </p>
        </section>
    }
}
