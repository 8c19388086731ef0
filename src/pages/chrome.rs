//! The header (brand and lab navigation) and the footer.

use crate::labs::{LabStatus, LABS};
use leptos::prelude::*;
use leptos_router::components::A;

/// Site header: brand link home and a link per ready lab.
#[component]
pub fn Header() -> impl IntoView {
    // After each navigation (the router marks the current link once the new page is drawn).
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        request_animation_frame(crate::platform::scroll_current_nav_link_into_view);
    });
    view! {
        <header class="site-header">
            <A href=crate::platform::href("/") attr:class="brand">
                <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                    <circle cx="16" cy="16" r="11" fill="none" stroke="currentColor" stroke-width="3"/>
                    <circle cx="16" cy="5" r="4" class="brand-dot-a"/>
                    <circle cx="26.5" cy="21" r="4" class="brand-dot-b"/>
                    <circle cx="5.5" cy="21" r="4" class="brand-dot-c"/>
                </svg>
                <span>"ScaleLab"</span>
            </A>
            <nav aria-label="Labs">
                <ul class="nav-links">
                    {LABS
                        .iter()
                        .filter(|l| l.status == LabStatus::Ready)
                        .map(|l| {
                            view! {
                                <li>
                                    <A href=crate::platform::href(&format!("/labs/{}", l.slug))>{l.title}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

/// Site footer: what this is and that it runs entirely in the browser.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "ScaleLab runs every simulation in your browser (Rust compiled to WebAssembly). "
                "Same settings and seed, same results, on any machine."
            </p>
            <p>
                <a href=crate::platform::href("/glossary")>"Glossary"</a>
                " of the terms the lessons use."
            </p>
        </footer>
    }
}
