//! Compare: the learner's strategy against another on the same keys and membership changes.

use super::diagram::PlacementDiagram;
use super::state::RingState;
use crate::format;
use leptos::prelude::*;
use scalelab_sim::hashring::{Snapshot, Strategy};

fn label_of(s: Strategy) -> &'static str {
    Strategy::OPTIONS
        .iter()
        .find(|(v, _)| *v == s.as_str())
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn moved(s: &Snapshot) -> String {
    s.keys_moved
        .map(|m| format::percent(m, 1))
        .unwrap_or_else(|| "none yet".into())
}

/// The comparison panel: a strategy picker, two diagrams and a table of the key numbers.
#[component]
pub fn ComparePanel(state: RingState) -> impl IntoView {
    let a = Signal::derive(move || state.snap.get());
    let b = Signal::derive(move || state.compare_snap.get());
    let error = RwSignal::new(None::<String>);
    let row = move |name: &'static str, label: &'static str, f: fn(&Snapshot) -> String| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td data-testid=format!("compare-a-{name}")>{move || f(&a.get())}</td>
                <td data-testid=format!("compare-b-{name}")>{move || f(&b.get())}</td>
            </tr>
        }
    };
    view! {
        <section class="panel" aria-labelledby="compare-title">
            <h2 id="compare-title">"Compare strategies"</h2>
            <p class="param-hint">
                "Both run on the same keys; every add, remove and reweight happens to both."
            </p>
            <label class="transport-field">
                <span>"Compare with"</span>
                <select
                    data-testid="compare-strategy"
                    prop:value=move || b.with(|s| s.strategy.as_str().to_string())
                    on:change=move |ev| error.set(state.set_compare_strategy(&event_target_value(&ev)).err())
                >
                    {Strategy::OPTIONS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                </select>
            </label>
            <p class="param-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <div class="panel-row two">
                <div>
                    <h3>{move || format!("Yours: {}", label_of(a.with(|s| s.strategy)))}</h3>
                    <PlacementDiagram snapshot=a label="Your strategy" testid="compare-diagram-a"/>
                </div>
                <div>
                    <h3>{move || format!("Other: {}", label_of(b.with(|s| s.strategy)))}</h3>
                    <PlacementDiagram snapshot=b label="Comparison strategy" testid="compare-diagram-b"/>
                </div>
            </div>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Measure"</th>
                            <th scope="col">{move || label_of(a.with(|s| s.strategy))}</th>
                            <th scope="col">{move || label_of(b.with(|s| s.strategy))}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {row("keys-moved", "Keys moved by last change", moved)}
                        {row("load-cv", "Load spread (CV)", |s| format::number(s.cv, 3))}
                        {row("peak-to-mean", "Busiest / average", |s| format::number(s.peak_to_mean, 2))}
                        {row("lookup-cost", "Lookup cost", |s| super::metrics::short_cost(&s.lookup_cost.label))}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
