//! A dismissible notice, used for rejected URL values and similar messages.

use leptos::prelude::*;

/// A polite status notice listing messages; renders nothing when the list is empty.
#[component]
pub fn Notice(
    /// Messages to show, one per line.
    messages: RwSignal<Vec<String>>,
    /// Heading line above the messages.
    #[prop(into)]
    title: String,
) -> impl IntoView {
    view! {
        <Show when=move || !messages.read().is_empty()>
            <div class="notice" role="status" data-testid="url-notice">
                <div>
                    <strong>{title.clone()}</strong>
                    <ul>
                        {move || messages.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                </div>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Dismiss notice"
                    on:click=move |_| messages.set(Vec::new())
                >
                    "\u{00d7}"
                </button>
            </div>
        </Show>
    }
}
