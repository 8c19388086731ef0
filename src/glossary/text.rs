//! A lesson step's paragraphs with the first use of each glossary term as a button that shows
//! its definition in place (keyboard: Enter or Space opens, Escape closes; screen readers hear
//! the button's state and read the definition after it).

use super::{mark, Piece, Term};
use crate::platform::href;
use leptos::prelude::*;

/// The paragraphs of one step, terms marked (see [`super::mark`]).
#[component]
pub fn TermText(
    /// The step's paragraphs.
    paragraphs: &'static [&'static str],
) -> impl IntoView {
    mark(paragraphs)
        .into_iter()
        .map(|pieces| {
            view! {
                <p>
                    {pieces
                        .into_iter()
                        .map(|piece| match piece {
                            Piece::Text(text) => text.into_any(),
                            Piece::Term(words, term) => view! { <TermButton words=words term=term/> }.into_any(),
                        })
                        .collect_view()}
                </p>
            }
        })
        .collect_view()
}

/// The words of a term, as a button that shows and hides its definition just after it.
#[component]
fn TermButton(words: &'static str, term: &'static Term) -> impl IntoView {
    let open = RwSignal::new(false);
    let id = format!("term-def-{}", term.id);
    view! {
        <button
            type="button"
            class="term"
            data-testid=format!("term-{}", term.id)
            aria-expanded=move || open.get().to_string()
            aria-controls=id.clone()
            on:click=move |_| open.update(|o| *o = !*o)
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            {words}
        </button>
        <span class="term-def" id=id role="note" hidden=move || !open.get() data-testid=format!("term-def-{}", term.id)>
            <strong>{term.term}</strong>
            ": "
            {term.definition}
            " "
            <a href=href(&format!("/glossary#{}", term.id))>"All terms"</a>
        </span>
    }
}
