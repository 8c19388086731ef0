//! The small picture on a lab's card: the registry's inline SVG shapes.

use crate::labs::LabInfo;
use leptos::prelude::*;

/// A small decorative picture of a lab's system (hidden from screen readers).
#[component]
pub fn LabIcon(
    /// The lab.
    lab: &'static LabInfo,
) -> impl IntoView {
    view! { <svg class="lab-icon" viewBox="0 0 80 80" aria-hidden="true" focusable="false" inner_html=lab.icon></svg> }
}
