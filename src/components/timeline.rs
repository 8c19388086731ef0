//! The timeline under a time-driven lab's transport: a range over the run's simulated seconds
//! (`data-testid="timeline"`), the run's events marked on it, and the events as buttons that go
//! to their moment.
//!
//! Dragging shows the time aimed at; letting go (or a key) asks the lab for that moment, which the
//! kit rebuilds by replaying the run from its seed (see `kit::rewind`).

use crate::components::live::escape;
use crate::format;
use crate::kit::rewind::Marker;
use leptos::html;
use leptos::prelude::*;

/// A keyboard step of the timeline: about a hundredth of `end` seconds, rounded to 1, 2 or 5
/// times a power of ten (at least a millisecond).
pub fn key_step(end: f64) -> f64 {
    let rough = (end / 100.0).max(0.001);
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
}

/// Where a key takes the timeline from `now` on a run of `end` seconds (`None`: not a timeline
/// key).
pub fn key_target(key: &str, now: f64, end: f64) -> Option<f64> {
    let step = key_step(end);
    let to = match key {
        "ArrowLeft" | "ArrowDown" => now - step,
        "ArrowRight" | "ArrowUp" => now + step,
        "PageDown" => now - end / 10.0,
        "PageUp" => now + end / 10.0,
        "Home" => 0.0,
        "End" => end,
        _ => return None,
    };
    Some(to.clamp(0.0, end))
}

/// The marks over the range's track, as markup (one `<span>` per event, at its share of `end`).
pub fn marks_markup(markers: &[Marker], end: f64) -> String {
    let mut out = String::new();
    for m in markers {
        let left = if end > 0.0 {
            (m.at_secs / end * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        };
        out.push_str(&format!(
            "<span class=\"timeline-mark{}\" style=\"left:{}%\" title=\"{}\"></span>",
            if m.ahead { " ahead" } else { "" },
            format::d1(left),
            escape(&m.label)
        ));
    }
    out
}

/// The events as buttons, as markup: each carries its time in `data-value` (the list's click
/// handler goes there).
pub fn events_markup(markers: &[Marker]) -> String {
    let mut out = String::new();
    for m in markers {
        out.push_str(&format!(
            "<li><button type=\"button\" class=\"timeline-event{}\" data-testid=\"timeline-event\" data-value=\"{}\">\
             <span class=\"timeline-event-time\">{}</span> {}</button></li>",
            if m.ahead { " ahead" } else { "" },
            format::raw(m.at_secs),
            format::sim_clock(m.at_secs),
            escape(&m.label)
        ));
    }
    out
}

/// The timeline of a time-driven lab. Its marks and event list are written as markup (they
/// change only when an input is recorded or replayed): far less wasm than a keyed view.
#[component]
pub fn Timeline(
    /// Simulated seconds on the lab's clock.
    #[prop(into)]
    clock: Signal<f64>,
    /// The furthest simulated second the run reached (the timeline's end).
    #[prop(into)]
    end: Signal<f64>,
    /// The run's events: faults, settings changed, counters restarted.
    #[prop(into)]
    markers: Signal<Vec<Marker>>,
    /// Asks the lab for the moment at a simulated second.
    on_seek: Callback<f64>,
) -> impl IntoView {
    let input: NodeRef<html::Input> = NodeRef::new();
    // While the thumb is dragged: the time aimed at.
    let aimed = RwSignal::new(None::<f64>);
    let shown = move || aimed.get().unwrap_or_else(|| clock.get());
    let reading = move || format!("{} of {}", format::sim_clock(shown()), format::sim_clock(end.get()));
    // Max before value, in one place (a value past the old max would be clamped by the browser),
    // and the attributes that follow them.
    Effect::new(move |_| {
        let (value, max) = (shown(), end.get());
        if let Some(el) = input.get() {
            el.set_max(&format::raw(max));
            el.set_value(&format::raw(value));
            el.set_disabled(max <= 0.0);
            let _ = el.set_attribute("aria-valuetext", &reading());
        }
    });
    let value_of = move || input.get_untracked().and_then(|el| el.value().parse::<f64>().ok());
    let seek = move |t: f64| {
        aimed.set(None);
        on_seek.run(t);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(t) = key_target(&ev.key(), clock.get_untracked(), end.get_untracked()) {
            ev.prevent_default();
            seek(t);
        }
    };
    // A click on an event's button (or inside it) goes to its moment.
    let on_event_click = move |ev: leptos::ev::MouseEvent| {
        let button = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.closest("button[data-value]").ok().flatten());
        if let Some(t) = button
            .and_then(|b| b.get_attribute("data-value"))
            .and_then(|v| v.parse::<f64>().ok())
        {
            seek(t);
        }
    };
    view! {
        <div class="timeline">
            <div class="timeline-head">
                <label for="timeline">"Timeline"</label>
                <span class="timeline-reading" data-testid="timeline-reading">{reading}</span>
            </div>
            <div class="timeline-track">
                <input
                    id="timeline"
                    node_ref=input
                    type="range"
                    data-testid="timeline"
                    min="0"
                    step="any"
                    aria-describedby="timeline-hint"
                    on:input=move |_| aimed.set(value_of())
                    on:change=move |_| {
                        if let Some(t) = value_of() {
                            seek(t);
                        }
                    }
                    on:keydown=on_keydown
                />
                <div
                    class="timeline-marks"
                    aria-hidden="true"
                    inner_html=move || markers.with(|m| marks_markup(m, end.get()))
                ></div>
            </div>
            <p id="timeline-hint" class="param-hint">
                "Drag back to any earlier moment: the run replays from its seed with the same events, then plays on from there."
            </p>
            <ol
                class="timeline-events"
                aria-label="Events on the timeline"
                on:click=on_event_click
                inner_html=move || markers.with(|m| events_markup(m))
            ></ol>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_by_a_round_hundredth_and_stay_on_the_run() {
        assert_eq!(key_step(60.0), 1.0);
        assert_eq!(key_step(172_800.0), 2000.0);
        assert_eq!(key_step(8.0), 0.1);
        assert_eq!(key_step(0.0), 0.001);
        assert_eq!(key_target("ArrowRight", 30.0, 60.0), Some(31.0));
        assert_eq!(key_target("ArrowLeft", 0.5, 60.0), Some(0.0));
        assert_eq!(key_target("PageUp", 58.0, 60.0), Some(60.0));
        assert_eq!(key_target("Home", 30.0, 60.0), Some(0.0));
        assert_eq!(key_target("End", 30.0, 60.0), Some(60.0));
        assert_eq!(key_target("a", 30.0, 60.0), None);
    }

    #[test]
    fn marks_sit_at_their_share_of_the_run_and_labels_are_escaped() {
        let markers = [
            Marker {
                at_secs: 15.0,
                label: "Kill <instance>".into(),
                ahead: false,
            },
            Marker {
                at_secs: 45.0,
                label: "Target \u{2192} 50".into(),
                ahead: true,
            },
        ];
        let marks = marks_markup(&markers, 60.0);
        assert!(marks.contains("left:25.0%"), "{marks}");
        assert!(marks.contains("timeline-mark ahead\" style=\"left:75.0%"), "{marks}");
        assert!(marks.contains("Kill &lt;instance>"), "{marks}");
        let events = events_markup(&markers);
        assert!(events.contains("data-value=\"45\""), "{events}");
        assert!(events.contains("15.000 s</span> Kill &lt;instance>"), "{events}");
        assert_eq!(events_markup(&[]), "");
    }
}
