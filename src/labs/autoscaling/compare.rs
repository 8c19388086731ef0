//! Compare: two autoscalers on the same traffic (shape, noise, seed and SLO), run by the core's
//! [`Comparison`] in slices across frames (the kit's [`use_background`]): cost, seconds that
//! missed the SLO, scale events, cold starts.

use super::state::AsState;
use crate::components::CompareTable;
use crate::format;
use crate::kit::{use_background, CompareRunBar, SlicedJob};
use leptos::prelude::*;
use scalelab_sim::autoscaling::{Autoscaler, AutoscalingLab, CompareRow, Comparison};

/// Simulated seconds the learner can choose: an hour, six hours, a day, two days.
const DURATIONS: &[u32] = &[3_600, 21_600, 86_400, 172_800];
/// The per-frame budget in simulated seconds: start, least, most.
const BUDGET: (f64, f64, f64) = (AutoscalingLab::SECONDS_PER_FRAME as f64, 60.0, 86_400.0);

const COLUMNS: &[&str] = &[
    "Autoscaler",
    "Cost ($)",
    "SLO missed (s)",
    "Scale events",
    "Cold starts",
    "Errors",
    "Worst p99 ms",
    "Peak replicas",
];

impl SlicedJob for Comparison {
    type Output = Vec<CompareRow>;

    fn work(&mut self, budget: u64) -> bool {
        Comparison::work(self, budget)
    }

    fn progress(&self) -> f64 {
        Comparison::progress(self)
    }

    fn output(&self) -> Vec<CompareRow> {
        self.rows().to_vec()
    }
}

/// One table row.
fn row(r: CompareRow) -> impl IntoView {
    let errors = if r.requests > 0.0 { r.errors / r.requests } else { 0.0 };
    view! {
        <tr data-testid="compare-row" data-autoscaler=r.autoscaler.as_str()>
            <th scope="row">{r.autoscaler.label()}</th>
            <td data-testid="compare-cost" data-value=format::raw(r.cost)>{format::number(r.cost, 2)}</td>
            <td data-testid="compare-slo" data-value=r.slo_violation_s.to_string()>{format::number(r.slo_violation_s as f64, 0)}</td>
            <td data-testid="compare-events" data-value=r.scale_events.to_string()>{r.scale_events}</td>
            <td>{r.cold_starts}</td>
            <td>{format::percent(errors, 2)}</td>
            <td>{format::number(r.worst_p99_ms, 0)}</td>
            <td>{r.peak_replicas}</td>
        </tr>
    }
}

/// A select of the autoscalers.
fn picker(testid: &'static str, label: &'static str, value: RwSignal<Autoscaler>) -> impl IntoView {
    view! {
        <label class="param compare-measure">
            <span class="param-label">{label}</span>
            <select
                class="param-select"
                data-testid=testid
                prop:value=move || value.get().as_str()
                on:change=move |ev| {
                    if let Some(a) = Autoscaler::parse(&event_target_value(&ev)) {
                        value.set(a);
                    }
                }
            >
                {Autoscaler::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: AsState) -> impl IntoView {
    let secs = RwSignal::new(86_400u32);
    let a = RwSignal::new(Autoscaler::Hpa);
    let b = RwSignal::new(Autoscaler::Fixed);
    let bg = use_background::<Comparison>(BUDGET);
    let error = RwSignal::new(None::<String>);

    let run = move |_| {
        let base = state.lab.with_untracked(|l| l.config().clone());
        error.set(None);
        match Comparison::autoscalers(
            &base,
            a.get_untracked(),
            b.get_untracked(),
            f64::from(secs.get_untracked()),
        ) {
            Ok(c) => bg.start(c),
            Err(e) => error.set(Some(e.message)),
        }
    };
    let same = Signal::derive(move || (a.get() == b.get()).then(|| "Pick two different autoscalers.".to_string()));
    let table = move || {
        let body = bg.output.get().unwrap_or_default().into_iter().map(row).collect_view();
        view! { <CompareTable columns=COLUMNS>{body}</CompareTable> }
    };
    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare two autoscalers on the same traffic"</h2>
            <p class="param-hint">
                "Runs your current settings twice, once with each autoscaler, on the very same traffic (shape, noise and seed), "
                "in the background; then shows what each cost and how long each missed the SLO."
            </p>
            <div class="panel-row two">{picker("compare-a", "First", a)} {picker("compare-b", "Second", b)}</div>
            <CompareRunBar bg=bg seconds=secs durations=DURATIONS blocked=same error=error on_run=Callback::new(run)/>
            <Show
                when=move || bg.output.with(|o| o.as_ref().is_some_and(|r| !r.is_empty()))
                fallback=|| view! { <p class="empty-state">"Press Run comparison. Tip: the HPA against a fixed fleet over a day."</p> }
            >
                {table}
            </Show>
        </section>
    }
}
