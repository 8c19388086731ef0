//! A parameter typed as text (a lab's own field that is not a number or a choice: a script of
//! calls, a list of speeds), validated by the core like every other parameter: a rejected value
//! stays in the field with the core's message under it, and the last good value stays in force.

use leptos::prelude::*;

/// The text field, its hint and error, and buttons that fill in examples.
#[component]
pub fn TextParam(
    /// The URL key (the field is `param-<key>`, its test id `input-<key>`, the error's
    /// `error-<key>`).
    key: &'static str,
    /// The label.
    label: &'static str,
    /// Placeholder shown while the field is empty.
    placeholder: &'static str,
    /// What the field takes, in a sentence or two.
    hint: &'static str,
    /// Buttons that submit an example: `(label, value)`.
    examples: &'static [(&'static str, &'static str)],
    /// An extra button that submits the empty value: `(test id, label)`; none by default.
    #[prop(optional)]
    clear: Option<(&'static str, &'static str)>,
    /// The value in force.
    #[prop(into)]
    current: Signal<String>,
    /// Applies a value through the core's validated setter; `Err` is the message to show.
    submit: Callback<String, Result<(), String>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(None::<String>);
    let apply = move |raw: String| match submit.run(raw.clone()) {
        Ok(()) => {
            error.set(None);
            draft.set(None);
        }
        Err(e) => {
            error.set(Some(e));
            draft.set(Some(raw));
        }
    };
    let (id, hint_id, error_id) = (
        format!("param-{key}"),
        format!("param-{key}-hint"),
        format!("param-{key}-error"),
    );
    let buttons = examples
        .iter()
        .map(|&(label, value)| {
            view! {
                <button type="button" class="button small" title=value on:click=move |_| apply(value.to_string())>
                    {label}
                </button>
            }
        })
        .collect_view();
    let clear = clear.map(|(testid, label)| {
        view! {
            <button type="button" class="button small" data-testid=testid on:click=move |_| apply(String::new())>
                {label}
            </button>
        }
    });
    view! {
        <div class="param" class:invalid=move || error.get().is_some()>
            <label for=id.clone() class="param-label">{label}</label>
            <input
                id=id
                type="text"
                class="script-input"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                data-testid=format!("input-{key}")
                aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || draft.get().unwrap_or_else(|| current.get())
                on:change=move |ev| apply(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        apply(event_target_value(&ev));
                    }
                }
            />
            <p id=hint_id class="param-hint">{hint}</p>
            <p id=error_id class="param-error" role="alert" data-testid=format!("error-{key}")>
                {move || error.get().unwrap_or_default()}
            </p>
            <div class="actions">{buttons}{clear}</div>
        </div>
    }
}
