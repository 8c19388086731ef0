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
                                {format!("= {} {}", format::number(l.result, 4), counted(l.result, l.unit))}
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

/// Target mode: the smallest fleets meeting the utilisation and p99 targets (before redundancy).
#[component]
pub fn TargetPanel(state: CapState) -> impl IntoView {
    let utilization_line = move || {
        state.plan(|p| {
            let t = &p.target;
            format!(
                "Utilisation at most {}: {} server{}",
                format::percent(t.target_utilization, 0),
                format::number(t.servers_for_utilization as f64, 0),
                if t.servers_for_utilization == 1 { "" } else { "s" }
            )
        })
    };
    let p99_line = move || {
        state.plan(|p| {
            let t = &p.target;
            match (t.target_p99_ms, t.servers_for_p99, &t.p99_unreachable) {
                (None, _, _) => "No p99 target set (Queueing \u{2192} target p99).".to_string(),
                (Some(ms), Some(n), _) => format!(
                    "p99 at most {} ms: {} server{}",
                    format::number(ms, 4),
                    format::number(f64::from(n), 0),
                    if n == 1 { "" } else { "s" }
                ),
                (Some(ms), None, reason) => format!(
                    "p99 at most {} ms: {}.",
                    format::number(ms, 4),
                    reason
                        .as_ref()
                        .map(|r| r.message())
                        .unwrap_or_else(|| "no fleet reaches it".into())
                ),
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="targets-title">
            <h2 id="targets-title">"Solve for a target"</h2>
            <p class="param-hint">"The smallest fleet, before redundancy, that meets each target with this traffic."</p>
            <ul class="target-list">
                <li data-testid="target-utilization-servers" data-value=move || state.plan(|p| p.target.servers_for_utilization.to_string())>
                    {utilization_line}
                </li>
                <li
                    data-testid="target-p99-servers"
                    data-value=move || state.plan(|p| p.target.servers_for_p99.map(|n| n.to_string()).unwrap_or_default())
                >
                    {p99_line}
                </li>
            </ul>
        </section>
    }
}

/// A unit that counts things, in the singular for exactly one: "1 server", "2 servers".
fn counted(value: f64, unit: &str) -> &str {
    match unit.strip_suffix('s') {
        Some(one) if value == 1.0 && ["servers", "requests", "replicas", "nodes"].contains(&unit) => one,
        _ => unit,
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_server_is_singular() {
        assert_eq!(counted(1.0, "servers"), "server");
        assert_eq!(counted(2.0, "servers"), "servers");
        assert_eq!(counted(1.0, "reads/s"), "reads/s");
        assert_eq!(counted(1.0, "ms"), "ms");
    }
}
