//! The page for any path the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;

/// Not found: says so and links home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page-narrow" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p class="lead">"There is no lab at this address. It may have moved, or the link was cut short."</p>
            <p>
                <A href=crate::platform::href("/") attr:class="button primary">"See all labs"</A>
            </p>
        </section>
    }
}
