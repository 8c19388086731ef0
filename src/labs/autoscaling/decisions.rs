//! The autoscaler's decisions as a log, newest first, with the formula's numbers filled in
//! ("ceil(4 × 0.92 / 0.70) = 6, within tolerance? no") and what held or limited the change.

use crate::components::{draw, list_items, source};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::autoscaling::{Decision, Reason, Snapshot};

/// Decisions listed at most.
const SHOWN: usize = 10;

/// Why the count is what it is, in words.
fn reason(d: &Decision) -> &'static str {
    match d.reason {
        Reason::Formula => "applied",
        Reason::WithinTolerance => "within tolerance: no change",
        Reason::StartingPods => "pods still starting count as idle: no change",
        Reason::Stabilized => "held by the stabilization window",
        Reason::Limited => "limited by a rate policy or min/max",
        Reason::NoMetric => "no ready instance reported: no change",
        Reason::OutOfRange => "moved into min/max",
        Reason::StepUp => "above the threshold: step up",
        Reason::StepDown => "below half the target: step down",
        Reason::Hold => "between the thresholds: hold",
        Reason::Cooldown => "cooling down after the last change",
        Reason::Schedule => "the hour's scheduled capacity",
        Reason::Forecast => "yesterday's curve raised the count",
        Reason::Fixed => "fixed fleet restored",
    }
}

/// One decision in words.
pub fn line(d: &Decision) -> String {
    let how = d.formula_line().unwrap_or_else(|| {
        d.metric_value.map_or_else(
            || "no metric".to_string(),
            |v| {
                format!(
                    "metric {} against a target of {}",
                    format::number(v, 1),
                    format::number(d.target, 1)
                )
            },
        )
    });
    format!(
        "{}: {how}; {} \u{2192} {} ({})",
        format::sim_clock(d.at_s as f64),
        d.current,
        d.replicas,
        reason(d)
    )
}

/// The decision log.
#[component]
pub fn DecisionLog(
    /// The snapshot whose decisions to list.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let items = move || snapshot.with(|s| list_items(s.decisions.iter().rev().take(SHOWN).map(line)));
    view! {
        <Show
            when=move || snapshot.with(|s| !s.decisions.is_empty())
            fallback=|| view! { <p class="empty-state">"No decision yet: the autoscaler decides every 15 simulated seconds (serverless scales per request and logs none)."</p> }
        >
            <ol class="decision-log" data-testid="decision-log" use:draw=source(items)></ol>
        </Show>
    }
}
