//! The metrics panel: each number in `data-testid="metric-<name>"` with its raw `data-value`.

use super::lesson_player::{Focus, Hidden};
use crate::format;
use leptos::prelude::*;

/// One number a lab reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Test id suffix and goal key, e.g. `"load-cv"` for `data-testid="metric-load-cv"`.
    pub name: &'static str,
    /// Label shown to the learner.
    pub label: &'static str,
    /// The raw value (goes to `data-value`).
    pub value: f64,
    /// The human-formatted value (the element's text).
    pub display: String,
    /// One-line explanation, shown under the number.
    pub hint: &'static str,
    /// A text value (a component's name) that goes to `data-value` instead of the number, for a
    /// card whose value is a name; `value` stays a number for goals and facts.
    pub text: Option<&'static str>,
}

impl Metric {
    /// A metric shown with `decimals` decimals.
    pub fn number(name: &'static str, label: &'static str, value: f64, decimals: usize, hint: &'static str) -> Self {
        Self {
            name,
            label,
            value,
            display: format::number(value, decimals),
            hint,
            text: None,
        }
    }

    /// A card whose value is a name (`data-value` = `text`, shown as `display`); `value` is its
    /// number for goals and facts (e.g. an index).
    pub fn text(
        name: &'static str,
        label: &'static str,
        value: f64,
        text: &'static str,
        display: String,
        hint: &'static str,
    ) -> Self {
        Self {
            name,
            label,
            value,
            display,
            hint,
            text: Some(text),
        }
    }

    /// A number that may be undefined (e.g. queueing figures of an unstable system): `None`
    /// shows `missing` and leaves `data-value` empty, never NaN or infinity.
    pub fn maybe(
        name: &'static str,
        label: &'static str,
        value: Option<f64>,
        decimals: usize,
        missing: &str,
        hint: &'static str,
    ) -> Self {
        match value.filter(|v| v.is_finite()) {
            Some(v) => Self::number(name, label, v, decimals, hint),
            None => Self {
                name,
                label,
                value: f64::NAN,
                display: missing.to_string(),
                hint,
                text: None,
            },
        }
    }

    /// A fraction shown as a percentage with `decimals` decimals.
    pub fn percent(name: &'static str, label: &'static str, value: f64, decimals: usize, hint: &'static str) -> Self {
        Self {
            name,
            label,
            value,
            display: format::percent(value, decimals),
            hint,
            text: None,
        }
    }
}

/// A value longer than this many characters (`872,795,001`) is set smaller, so it stays on one
/// line in a narrow card.
const LONG_VALUE_CHARS: usize = 9;

/// A grid of metric cards.
#[component]
pub fn MetricsPanel(
    /// The metrics to show, in order.
    #[prop(into)]
    metrics: Signal<Vec<Metric>>,
    /// Accessible name of the panel.
    #[prop(into, default = "Metrics".to_string())]
    label: String,
) -> impl IntoView {
    // Every published set of cards goes to the run's log (the share bar's export).
    if let Some(record) = use_context::<super::share::RunRecord>() {
        Effect::new(move |_| {
            let t = record.clock.get_untracked();
            metrics.with(|m| record.log.update_value(|log| log.record(t, m)));
        });
    }
    // The lesson step's own metrics first (in the step's order), marked; the rest as they come.
    let focus = use_context::<Focus>();
    let ordered = move || {
        let focus = focus.map_or(&[][..], |f| f.metrics.get());
        metrics.with(|list| {
            let first = focus.iter().filter_map(|f| list.iter().find(|m| m.name == *f));
            let rest = list.iter().filter(|m| !focus.contains(&m.name));
            first.chain(rest).cloned().collect::<Vec<_>>()
        })
    };
    view! {
        <section class="metrics" aria-label=label>
            <dl class="metric-grid">
                <For each=ordered key=|m| m.name let:m>
                    <MetricCard name=m.name label=m.label hint=m.hint metrics=metrics/>
                </For>
            </dl>
        </section>
    }
}

/// A "Numbers" panel: a heading over a [`MetricsPanel`].
#[component]
pub fn NumbersPanel(
    /// The metrics to show, in order.
    #[prop(into)]
    metrics: Signal<Vec<Metric>>,
    /// Accessible name of the metrics (e.g. "Cache metrics").
    label: &'static str,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="numbers-title">
            <h2 id="numbers-title">"Numbers"</h2>
            <MetricsPanel metrics=metrics label=label/>
        </section>
    }
}

#[component]
fn MetricCard(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    metrics: Signal<Vec<Metric>>,
) -> impl IntoView {
    let focus = use_context::<Focus>();
    let focused = move || focus.is_some_and(|f| f.metrics.with(|names| names.contains(&name)));
    let current = move || metrics.read().iter().find(|m| m.name == name).cloned();
    // A prediction that asks for this number hides it until the learner answers.
    let hidden = use_context::<Hidden>();
    let hidden = move || hidden.is_some_and(|h| h.hides("metric", name));
    view! {
        <div class="metric" class:metric-hidden=hidden class:metric-focus=focused title=hint>
            <dt>{label}</dt>
            <dd
                data-testid=format!("metric-{name}")
                class:metric-long=move || !hidden() && current().is_some_and(|m| m.display.chars().count() > LONG_VALUE_CHARS)
                data-value=move || {
                    if hidden() {
                        return String::new();
                    }
                    current()
                        .and_then(|m| match m.text {
                            Some(text) => Some(text.to_string()),
                            None => m.value.is_finite().then(|| format::raw(m.value)),
                        })
                        .unwrap_or_default()
                }
                data-hidden=move || hidden().then_some("true")
                aria-live="off"
            >
                {move || if hidden() { "predict first".to_string() } else { current().map(|m| m.display).unwrap_or_default() }}
            </dd>
            <dd class="metric-hint">{hint}</dd>
        </div>
    }
}
