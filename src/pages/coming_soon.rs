//! The page for a lab that is listed but not built yet (and unknown lab slugs).

use super::{LabIcon, NotFound};
use crate::labs;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/labs/:lab` for labs that are not built yet; unknown slugs get the not-found page.
#[component]
pub fn ComingSoon() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.read().get("lab").unwrap_or_default();
        match labs::find(&slug) {
            Some(lab) => view! {
                <section class="page-narrow">
                    <LabIcon slug=lab.slug/>
                    <h1>{lab.title}</h1>
                    <p class="lead">{lab.pitch}</p>
                    <p>"This lab is being built. In the meantime, the hash ring lab is ready to run."</p>
                    <p>
                        <A href="/labs/hash-ring" attr:class="button primary">"Open the hash ring lab"</A>
                    </p>
                </section>
            }
            .into_any(),
            None => view! { <NotFound/> }.into_any(),
        }
    }
}
