//! The frame every lab page shares: the header, the notices about the link, and the two columns
//! (the lesson and the lab's controls at the side, the lab's panels in the main column). In the
//! page's order the lesson comes first, then the lab's panels, then its controls: a phone shows
//! them in that order (what a step asks to look at right under the step), a wide screen puts the
//! lesson and the controls side by side with the panels (`.lab-layout` grid areas).

use super::lesson_player::{Focus, Hidden, LessonProgress, LessonSide};
use super::metrics_log::MetricsLog;
use super::share::RunRecord;
use super::{LabHeader, Notice};
use crate::kit::LessonHooks;
use leptos::prelude::*;

/// What the side column shows under the lesson (parameters, inputs, presets).
#[slot]
pub struct LabSide {
    /// The side column's panels.
    children: Children,
}

/// A lab page: [`LabHeader`], the link's [`Notice`], then the lesson ([`LessonSide`]), the main
/// column (the children) and the side column (the [`LabSide`] slot).
#[component]
pub fn LabPage(
    /// The lab's name (also names the browser tab).
    title: &'static str,
    /// What the lab is about, in one or two sentences.
    subtitle: &'static str,
    /// Extra class on the page root for the lab's own styles (e.g. `cache-lab`); none by default.
    #[prop(optional)]
    class: &'static str,
    /// Accessible name of the side column under the lesson (e.g. "Parameters").
    side_label: &'static str,
    /// The lesson, mode, step, notices and the lab's entry points (from `Kit::hooks`).
    hooks: LessonHooks,
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
    let has_lesson = hooks.lesson.is_some();
    let progress = LessonProgress::load(hooks.lesson.as_ref());
    provide_context(Hidden::new(hooks, progress));
    provide_context(Focus::new(hooks));
    provide_context(RunRecord {
        clock: hooks.clock,
        log: StoredValue::new(MetricsLog::default()),
    });
    let (mode, notices) = (hooks.mode, hooks.notices);
    view! {
        <div class=root_class>
            <LabHeader title=title subtitle=subtitle mode=mode has_lesson=has_lesson/>
            <Notice messages=notices title="Some settings in the link were not valid and were ignored:"/>
            <div class="lab-layout">
                <div class="lab-lesson">
                    <LessonSide hooks=hooks progress=progress/>
                </div>
                <div class="lab-main">{children()}</div>
                <aside class="lab-side" aria-label=side_label>
                    {(lab_side.children)()}
                </aside>
            </div>
        </div>
    }
}

/// The side column's parameters panel: a heading, a one-line note on how changes apply, and the
/// controls.
#[component]
pub fn ParamsPanel(
    /// How changes apply (e.g. "Changes apply live; each one restarts the counters."); none by
    /// default.
    #[prop(optional)]
    hint: &'static str,
    /// The controls.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="params-title">
            <h2 id="params-title">"Parameters"</h2>
            {(!hint.is_empty()).then(|| view! { <p class="param-hint">{hint}</p> })}
            {children()}
        </section>
    }
}
