//! The frame every lab page shares: the header, the notices about the link, and the two columns
//! (the lesson and the lab's controls at the side, the lab's panels in the main column).

use super::lesson_player::LessonSide;
use super::url_state::Mode;
use super::{LabHeader, Notice};
use crate::lessons::Lesson;
use leptos::prelude::*;

/// What the side column shows under the lesson (parameters, inputs, presets).
#[slot]
pub struct LabSide {
    /// The side column's panels.
    children: Children,
}

/// A lab page: [`LabHeader`], the link's [`Notice`], then the side column ([`LessonSide`] and the
/// [`LabSide`] slot) and the main column (the children).
#[component]
pub fn LabPage(
    /// The lab's name (also names the browser tab).
    title: &'static str,
    /// What the lab is about, in one or two sentences.
    subtitle: &'static str,
    /// Extra class on the page root for the lab's own styles (e.g. `cache-lab`); none by default.
    #[prop(optional)]
    class: &'static str,
    /// Accessible name of the side column (e.g. "Lesson and parameters").
    side_label: &'static str,
    /// The lab's lesson, if it parsed.
    lesson: Option<Lesson>,
    /// Lesson or sandbox.
    mode: RwSignal<Mode>,
    /// Current lesson step, 0-based.
    step: RwSignal<usize>,
    /// Messages about link values that were ignored.
    notices: RwSignal<Vec<String>>,
    /// Loads a lesson step's preset.
    on_enter_step: Callback<usize>,
    /// Runs a lesson step's action.
    on_action: Callback<String>,
    /// Looks up a goal subject (`metric:<name>`, `param:<key>`).
    lookup: Callback<String, Option<f64>>,
    /// The side column under the lesson.
    lab_side: LabSide,
    /// The main column.
    children: Children,
) -> impl IntoView {
    let root_class = if class.is_empty() {
        "lab-page".to_string()
    } else {
        format!("lab-page {class}")
    };
    let has_lesson = lesson.is_some();
    view! {
        <div class=root_class>
            <LabHeader title=title subtitle=subtitle mode=mode has_lesson=has_lesson/>
            <Notice messages=notices title="Some settings in the link were not valid and were ignored:"/>
            <div class="lab-layout">
                <aside class="lab-side" aria-label=side_label>
                    <LessonSide
                        lesson=lesson
                        mode=mode
                        step=step
                        on_enter_step=on_enter_step
                        on_action=on_action
                        lookup=lookup
                    />
                    {(lab_side.children)()}
                </aside>
                <div class="lab-main">{children()}</div>
            </div>
        </div>
    }
}
