//! `/glossary`: every term with its definition, alphabetical, each with an anchor
//! (`/glossary#<id>`) that the lessons' definitions link to.

use super::TERMS;
use leptos::prelude::*;

/// The glossary page.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    crate::platform::set_title("Glossary · ScaleLab");
    // The entries exist only once drawn, after the browser looked for the URL's #anchor.
    request_animation_frame(crate::platform::scroll_to_hash);
    // The entry a link points at is marked (`:target` misses entries drawn after the load).
    let target = crate::platform::current_hash();
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
                            <div class="glossary-entry" class:current=target == t.id id=t.id>
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
