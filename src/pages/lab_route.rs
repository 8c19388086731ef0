//! `/labs/<slug>`: a lab's page from the registry (its code fetched on first visit, with a
//! loading state and a retry if the fetch fails), the coming-soon page, or not found.

use super::{ComingSoon, NotFound};
use crate::kit::LabLoader;
use crate::labs::{self, LabInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use send_wrapper::SendWrapper;

/// The one route of every lab: looks the slug up in the registry.
#[component]
pub fn LabRoute() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("lab").unwrap_or_default());
    move || {
        let slug = slug.get();
        match (labs::find(&slug), labs::page(&slug)) {
            (Some(lab), Some(load)) => view! { <LoadLab lab=lab load=load/> }.into_any(),
            (Some(lab), None) => view! { <ComingSoon lab=lab/> }.into_any(),
            (None, _) => view! { <NotFound/> }.into_any(),
        }
    }
}

/// A lab's page once its code has loaded: says so while it loads, and offers a retry if it fails.
#[component]
fn LoadLab(
    /// The lab.
    lab: &'static LabInfo,
    /// Its page loader from the registry.
    load: LabLoader,
) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let loading = move || view! { <LabLoading lab=lab/> };
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(_) => {
                            let retry = Callback::new(move |_| attempt.update(|n| *n += 1));
                            let offline = !crate::platform::is_online();
                            view! { <LabLoadFailed lab=lab retry=retry offline=offline/> }.into_any()
                        }
                    }
                }))
            }}
        </Suspense>
    }
}

/// Shown while a lab's code is on its way.
#[component]
fn LabLoading(
    /// The lab.
    lab: &'static LabInfo,
) -> impl IntoView {
    crate::platform::set_title(&format!("{} \u{00b7} ScaleLab", lab.title));
    view! {
        <section class="page-narrow lab-loading" data-testid="lab-loading" role="status" aria-live="polite">
            <h1>{lab.title}</h1>
            <p><span class="spinner" aria-hidden="true"></span>"Loading the lab\u{2026}"</p>
        </section>
    }
}

/// Shown when a lab's code could not be fetched (offline, or a new deploy replaced the files).
/// Offline, it says why: a lab works offline once it has been opened (or fetched in the
/// background) with the network on (the service worker, `web/offline/sw.js`, keeps its code).
#[component]
fn LabLoadFailed(
    /// The lab.
    lab: &'static LabInfo,
    /// Tries the fetch again.
    retry: Callback<()>,
    /// Whether the browser was offline when the fetch failed.
    offline: bool,
) -> impl IntoView {
    let message = if offline {
        view! {
            <p class="lead">
                <strong>"This lab needs the network once."</strong>
                " You are offline, and its code has not been saved on this device yet. Labs you have "
                "opened before work offline; this one will too once it has loaded. Connect, then try again."
            </p>
        }
        .into_any()
    } else {
        view! { <p class="lead">"This lab could not be loaded. Check your connection, then try again."</p> }.into_any()
    };
    view! {
        <section class="page-narrow" data-testid="lab-load-error" data-offline=offline.to_string() role="alert">
            <h1>{lab.title}</h1>
            {message}
            <p>
                <button type="button" class="button primary" data-testid="lab-retry" on:click=move |_| retry.run(())>
                    "Try again"
                </button>
            </p>
        </section>
    }
}
