//! `/glossary`: every term with its definition, alphabetical, each with an anchor
//! (`/glossary#<id>`) that the lessons' definitions link to.

use super::TERMS;
use leptos::prelude::*;

/// The glossary page.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    crate::platform::set_title("Glossary · ScaleLab");
    // The entry the link points at (the router's location: the window's may not have its
    // #fragment yet) is marked, since `:target` misses entries drawn after the load, and scrolled
    // to once drawn.
    let hash = leptos_router::hooks::use_location().hash;
    let target = move || hash.get().trim_start_matches('#').to_string();
    Effect::new(move |_| {
        let id = target();
        request_animation_frame(move || crate::platform::scroll_to_id(&id));
    });
    view! {
        <div class="page-narrow glossary" data-testid="glossary">
            <h1>"Glossary"</h1>
            <p class="lead">
                "The terms the lessons use, each in a sentence or two. In a lesson, the first use of a term in a step "
                "is underlined: press it to read the definition in place."
            </p>
            <dl class="glossary-list">
                {TERMS
                    .iter()
                    .map(|t| {
                        view! {
                            <div class="glossary-entry" class:current=move || target() == t.id id=t.id>
                                <dt>{t.term}</dt>
                                <dd>{t.definition}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </div>
    }
}
