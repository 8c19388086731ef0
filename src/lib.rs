//! ScaleLab: interactive labs that teach scalability patterns by running them.
//!
//! The app is a thin Leptos (CSR) layer over the `scalelab-sim` core: pages hold a core model in a
//! signal, drive it from an animation-frame loop and render its snapshot. See ARCHITECTURE.md.

pub mod components;
pub mod format;
pub mod glossary;
pub mod kit;
pub mod labs;
pub mod lessons;
pub mod pages;
pub mod platform;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole application: header, routes and footer.
#[component]
pub fn App() -> impl IntoView {
    let base = platform::base_path();
    view! {
        <Router base=base>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <pages::Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view=pages::Home/>
                    <Route path=path!("/labs/:lab") view=pages::LabRoute/>
                    <Route path=path!("/glossary") view=glossary::GlossaryPage/>
                </Routes>
            </main>
            <pages::Footer/>
        </Router>
    }
}
