//! The top of every lab page: title, one-line subtitle, the lesson / sandbox switch and the
//! share bar (copy link, export).

use super::url_state::Mode;
use crate::platform;
use leptos::prelude::*;

/// Title, subtitle and mode switch. Also names the browser tab.
#[component]
pub fn LabHeader(
    /// The lab's name.
    title: &'static str,
    /// What the lab is about, in one or two sentences.
    subtitle: &'static str,
    /// Lesson or sandbox.
    mode: RwSignal<Mode>,
    /// Whether there is a lesson to switch to.
    has_lesson: bool,
) -> impl IntoView {
    platform::set_title(&format!("{title} \u{00b7} ScaleLab"));
    view! {
        <header class="lab-header">
            <div>
                <h1>{title}</h1>
                <p class="subtitle">{subtitle}</p>
            </div>
            <div class="lab-header-tools">
                {has_lesson.then(|| view! { <ModeSwitch mode=mode/> })}
                <super::share::ShareBar/>
            </div>
        </header>
    }
}

/// Lesson / sandbox switch.
#[component]
pub fn ModeSwitch(
    /// The mode it sets.
    mode: RwSignal<Mode>,
) -> impl IntoView {
    let button = move |m: Mode, label: &'static str| {
        view! {
            <button
                type="button"
                data-testid=format!("mode-{}", m.as_str())
                aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(m)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="mode-switch" role="group" aria-label="Mode">
            {button(Mode::Lesson, "Guided lesson")}
            {button(Mode::Sandbox, "Sandbox")}
        </div>
    }
}
