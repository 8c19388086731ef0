//! The home page: a card per lab.

use super::LabIcon;
use crate::labs::{LabStatus, LABS};
use leptos::prelude::*;
use leptos_router::components::A;

/// Home: the pitch and a card per lab (ready labs link, the others say coming soon).
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Learn scalability patterns by running them"</h1>
            <p class="lead">
                "Each lab is a small, deterministic simulation of one pattern. Follow the guided lesson, "
                "predict what happens, then break things on purpose and watch the numbers move."
            </p>
        </section>
        <ul class="lab-grid" aria-label="Labs">
            {LABS
                .iter()
                .map(|lab| {
                    let ready = lab.status == LabStatus::Ready;
                    let card = view! {
                        <LabIcon lab=lab/>
                        <h2>{lab.title}</h2>
                        <p>{lab.pitch}</p>
                        {(!ready).then(|| view! { <span class="badge">"Coming soon"</span> })}
                    };
                    if ready {
                        view! {
                            <li class="lab-card ready" data-testid=format!("lab-card-{}", lab.slug)>
                                <A href=crate::platform::href(&format!("/labs/{}", lab.slug)) attr:class="card-link">{card}</A>
                            </li>
                        }
                            .into_any()
                    } else {
                        view! {
                            <li class="lab-card soon" data-testid=format!("lab-card-{}", lab.slug)>
                                <div class="card-link" aria-disabled="true">{card}</div>
                            </li>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
}
