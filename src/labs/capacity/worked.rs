//! The worked calculation: each line's formula, the learner's numbers and the result.

use super::state::CapState;
use crate::format;
use leptos::prelude::*;

/// The worked calculation as a list of steps, plus the plan's warnings.
#[component]
pub fn WorkedCalculation(state: CapState) -> impl IntoView {
    let lines = move || {
        state.plan(|p| {
            p.lines
                .iter()
                .map(|l| {
                    view! {
                        <li class="calc-line" data-testid=format!("calc-{}", l.key)>
                            <span class="calc-label">{l.label}</span>
                            <code class="calc-formula">{l.formula.clone()}</code>
                            <code class="calc-numbers">{format!("= {}", l.substituted)}</code>
                            <strong class="calc-result">
                                {format!("= {} {}", format::number(l.result, 4), l.unit)}
                            </strong>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let warnings = move || {
        state.plan(|p| {
            p.warnings
                .iter()
                .map(|w| view! { <li>{w.message.clone()}</li> })
                .collect_view()
        })
    };
    view! {
        <section class="panel" aria-labelledby="worked-title">
            <h2 id="worked-title">"Worked calculation"</h2>
            <Show when=move || state.plan(|p| !p.warnings.is_empty())>
                <div role="status" data-testid="plan-warnings">
                    <ul class="warnings">{warnings}</ul>
                </div>
            </Show>
            <ol class="calc">{lines}</ol>
        </section>
    }
}
