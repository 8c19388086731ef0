//! Small pictures for the lab cards: one inline SVG per lab.

use leptos::prelude::*;

/// A small decorative picture of a lab's system (hidden from screen readers).
#[component]
pub fn LabIcon(
    /// The lab's slug.
    slug: &'static str,
) -> impl IntoView {
    let body = match slug {
        "hash-ring" => view! {
            <circle cx="40" cy="40" r="26" class="ic-line"/>
            <circle cx="40" cy="14" r="6" class="ic-a"/>
            <circle cx="62.5" cy="53" r="6" class="ic-b"/>
            <circle cx="17.5" cy="53" r="6" class="ic-c"/>
            <circle cx="65" cy="33" r="3" class="ic-key"/>
            <circle cx="28" cy="64" r="3" class="ic-key"/>
            <circle cx="18" cy="25" r="3" class="ic-key"/>
        }
        .into_any(),
        "replication" => view! {
            <rect x="30" y="8" width="20" height="16" rx="3" class="ic-a"/>
            <rect x="8" y="54" width="18" height="14" rx="3" class="ic-b"/>
            <rect x="31" y="54" width="18" height="14" rx="3" class="ic-b"/>
            <rect x="54" y="54" width="18" height="14" rx="3" class="ic-c"/>
            <path d="M40 24 L17 54 M40 24 L40 54 M40 24 L63 54" class="ic-line"/>
        }
        .into_any(),
        "cache" => view! {
            <rect x="6" y="30" width="16" height="20" rx="3" class="ic-c"/>
            <rect x="32" y="26" width="16" height="28" rx="3" class="ic-a"/>
            <ellipse cx="66" cy="30" rx="9" ry="4" class="ic-b"/>
            <path d="M57 30 V52 A9 4 0 0 0 75 52 V30" class="ic-b"/>
            <path d="M22 40 H32 M48 40 H57" class="ic-line"/>
        }
        .into_any(),
        "circuit-breaker" => view! {
            <circle cx="16" cy="40" r="9" class="ic-a"/>
            <circle cx="64" cy="40" r="9" class="ic-c"/>
            <path d="M25 40 H34 L46 28 M50 40 H55" class="ic-line"/>
            <circle cx="40" cy="16" r="5" class="ic-b"/>
        }
        .into_any(),
        _ => view! {
            <rect x="10" y="50" width="12" height="18" class="ic-a"/>
            <rect x="26" y="38" width="12" height="30" class="ic-b"/>
            <rect x="42" y="26" width="12" height="42" class="ic-c"/>
            <path d="M8 60 Q40 58 60 14" class="ic-line"/>
        }
        .into_any(),
    };
    view! {
        <svg class="lab-icon" viewBox="0 0 80 80" aria-hidden="true" focusable="false">
            {body}
        </svg>
    }
}
