//! The level panel (users, mix, SLO, budget, the fault and when, progress and the verdict) and
//! the decision hints for the current bottleneck (the seeds' decision table).

use crate::format;
use leptos::prelude::*;
use scalelab_sim::journey::{Snapshot, ERROR_BUDGET, LEVEL_S, SLO_MS};

/// What the level asks and how it went.
fn level_text(s: &Snapshot) -> Vec<(&'static str, String)> {
    let Some(l) = &s.level else {
        return vec![(
            "Sandbox",
            "Any architecture on the traffic of the Sandbox traffic settings; no fault is scheduled and no verdict is given. Pick a stage from 1 to 4 to play a level.".into(),
        )];
    };
    let st = &l.stage;
    let t = &st.traffic;
    let mix = ["US", "EU", "Asia"]
        .iter()
        .zip(t.shares)
        .filter(|(_, share)| *share > 0.0)
        .map(|(name, share)| format!("{name} {}", format::percent(share, 0)))
        .collect::<Vec<_>>()
        .join(", ");
    let fault = match l.fault {
        "fail-region" => "the US region fails",
        "fail-primary" => "the primary database fails",
        "spike" => "a traffic spike (users \u{00d7}2.5)",
        _ => "the third-party API hangs",
    };
    let verdict = match (l.passed, l.tests) {
        (None, _) => format!(
            "playing: {} of {} simulated minutes",
            format::number((s.now_s / 60.0).floor().min(LEVEL_S as f64 / 60.0), 0),
            LEVEL_S / 60
        ),
        (Some(true), _) => format!(
            "won, at {} a month",
            l.cost_per_month
                .map_or_else(String::new, |c| format!("${}", format::number(c, 0)))
        ),
        (Some(false), Some([latency, errors, budget])) => {
            let mut missed = Vec::new();
            if !latency {
                missed.push("p99 went over 200 ms in a region");
            }
            if !errors {
                missed.push("1% or more of the requests failed");
            }
            if !budget {
                missed.push("over the budget");
            }
            format!("lost: {}", missed.join("; "))
        }
        (Some(false), None) => "lost".into(),
    };
    vec![
        (
            "Stage",
            format!("{} \u{2014} {} ({})", st.number, st.title, st.seeds_range),
        ),
        ("Users", format!("{} ({mix})", format::number(t.users, 0))),
        (
            "Requests",
            format!(
                "{} static; of the rest {} read, {} also send an email",
                format::percent(t.static_share, 0),
                format::percent(t.read_ratio, 0),
                format::percent(t.slow_share, 0)
            ),
        ),
        (
            "SLO",
            format!(
                "p99 under {} ms in every region, errors under {}, for a simulated hour",
                format::number(SLO_MS, 0),
                format::percent(ERROR_BUDGET, 0)
            ),
        ),
        ("Budget", format!("${} a month", format::number(st.budget_per_month, 0))),
        (
            "Fault",
            format!(
                "{fault}, {} minutes in, for 10 minutes",
                format::number(l.fault_at_s / 60.0, 0)
            ),
        ),
        ("Verdict", verdict),
    ]
}

/// The level panel.
#[component]
pub fn LevelPanel(
    /// The snapshot to read.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let rows = move || {
        snapshot
            .with(level_text)
            .into_iter()
            .map(|(k, v)| {
                let testid = if k == "Verdict" { "level-verdict" } else { "" };
                view! { <div><dt>{k}</dt><dd data-testid=testid>{v}</dd></div> }
            })
            .collect_view()
    };
    view! { <dl class="jr-level" data-testid="level-panel">{rows}</dl> }
}

/// The decision hints: the bottleneck's first.
#[component]
pub fn Hints(
    /// The snapshot to read.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let items = move || {
        snapshot.with(|s| {
            if s.hints.is_empty() {
                return view! { <p class="empty-state">"Nothing to fix: no component is at 70% or more, and no known trouble (distance, slow tasks, a failing dependency)."</p> }.into_any();
            }
            let list = s
                .hints
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let class = if i == 0 { "jr-hint first" } else { "jr-hint" };
                    view! { <li class=class data-problem=format!("{:?}", h.problem)>{h.text.clone()}</li> }
                })
                .collect_view();
            view! { <ul class="jr-hints" data-testid="hints">{list}</ul> }.into_any()
        })
    };
    view! { <div>{items}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::journey::{Config, JourneyLab};

    #[test]
    fn the_level_says_what_it_asks_and_the_sandbox_says_it_is_one() {
        let lab = JourneyLab::new(Config::default()).expect("valid");
        let rows = level_text(&lab.snapshot());
        assert!(
            rows.iter().any(|(k, v)| *k == "Budget" && v.contains("$1,000")),
            "{rows:?}"
        );
        let sandbox = JourneyLab::new(Config {
            stage: 0,
            ..Config::default()
        })
        .expect("valid");
        assert_eq!(level_text(&sandbox.snapshot()).len(), 1);
    }
}
