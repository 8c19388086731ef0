//! Compare: two architectures on the same traffic (stage, traffic, seed and, in a level, the same
//! fault at the same time), run by the core's [`Comparison`] in slices across frames (the kit's
//! [`use_background`]). The first is the current architecture; the second one the learner kept
//! earlier ("Keep as B"), the defaults (one small server) until then.

use super::state::JState;
use crate::components::CompareTable;
use crate::format;
use crate::kit::{use_background, CompareRunBar, SlicedJob};
use leptos::prelude::*;
use scalelab_sim::journey::{CompareRow, Comparison, Config, JourneyLab, LEVEL_S};
use scalelab_sim::params::Params;

/// Simulated seconds the learner can choose: 10 minutes, a level's hour, six hours.
const DURATIONS: &[u32] = &[600, LEVEL_S as u32, 21_600];
/// The per-frame budget in simulated seconds: start, least, most.
const BUDGET: (f64, f64, f64) = (JourneyLab::SECONDS_PER_FRAME as f64, 10.0, 3_600.0);

const COLUMNS: &[&str] = &[
    "Architecture",
    "Errors",
    "Slow (US / EU / Asia)",
    "Cost per month ($)",
    "Bottleneck",
    "Max req/s",
    "Level",
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

/// What an architecture changes from the defaults (one small server), in words.
pub fn describe(config: &Config) -> String {
    let base = Config::default();
    let changes: Vec<String> = Config::ARCHITECTURE_KEYS
        .iter()
        .filter(|k| config.field(k) != base.field(k))
        .filter_map(|k| {
            let spec = Config::spec(k)?;
            let value = config.field(k)?;
            Some(format!(
                "{} {value}{}",
                spec.label.to_lowercase(),
                if spec.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", spec.unit)
                }
            ))
        })
        .collect();
    if changes.is_empty() {
        "one small server (the defaults)".into()
    } else {
        changes.join(", ")
    }
}

/// One table row.
fn row((name, r): (&'static str, CompareRow)) -> impl IntoView {
    let slow = r.slow_share.map(|s| format::percent(s, 1)).join(" / ");
    let level = match r.passed {
        None => "\u{2014}",
        Some(true) => "won",
        Some(false) => "lost",
    };
    view! {
        <tr data-testid="compare-row" data-arch=name>
            <th scope="row">{name} <span class="jr-muted">{describe(&r.config)}</span></th>
            <td data-testid="compare-errors" data-value=format::raw(r.error_rate)>{format::percent(r.error_rate, 2)}</td>
            <td>{slow}</td>
            <td data-testid="compare-cost" data-value=format::raw(r.cost_per_month)>{format::number(r.cost_per_month, 0)}</td>
            <td data-testid="compare-bottleneck" data-value=r.bottleneck>{r.bottleneck}</td>
            <td>{format::number(r.max_throughput, 0)}</td>
            <td data-testid="compare-level">{level}</td>
        </tr>
    }
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: JState) -> impl IntoView {
    let secs = RwSignal::new(600u32);
    let kept = RwSignal::new(Config::default());
    let bg = use_background::<Comparison>(BUDGET);
    let error = RwSignal::new(None::<String>);
    let current = Signal::derive(move || state.lab.with(|l| describe(l.config())));

    let keep = move |_| kept.set(state.lab.with_untracked(|l| l.config().clone()));
    let run = move |_| {
        let a = state.lab.with_untracked(|l| l.config().clone());
        error.set(None);
        match Comparison::new(&a, &kept.get_untracked(), f64::from(secs.get_untracked())) {
            Ok(c) => bg.start(c),
            Err(e) => error.set(Some(e.message)),
        }
    };
    let table = move || {
        let body = bg
            .output
            .get()
            .unwrap_or_default()
            .into_iter()
            .zip(["A", "B"])
            .map(|(r, name)| row((name, r)))
            .collect_view();
        view! { <CompareTable columns=COLUMNS>{body}</CompareTable> }
    };
    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare two architectures on the same traffic"</h2>
            <p class="param-hint">
                "A is the architecture you have now; B one you kept earlier. Both run in the background on the very same users, second by second (and in a level, the same fault at the same time)."
            </p>
            <dl class="jr-arch">
                <div><dt>"A (now)"</dt><dd data-testid="compare-a">{current}</dd></div>
                <div><dt>"B (kept)"</dt><dd data-testid="compare-b">{move || kept.with(describe)}</dd></div>
            </dl>
            <div class="actions">
                <button type="button" class="button" data-testid="compare-keep" on:click=keep>
                    "Keep the current architecture as B"
                </button>
            </div>
            <CompareRunBar bg=bg seconds=secs durations=DURATIONS blocked=Signal::stored(None::<String>) error=error on_run=Callback::new(run)/>
            <Show
                when=move || bg.output.with(|o| o.as_ref().is_some_and(|r| !r.is_empty()))
                fallback=|| view! { <p class="empty-state">"Press Run comparison. Tip: keep an architecture as B, change one thing, and run both for a level's hour."</p> }
            >
                {table}
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_architecture_is_described_by_what_it_changes() {
        assert_eq!(describe(&Config::default()), "one small server (the defaults)");
        let c = Config {
            cache_gb: 4.0,
            replicas: 2,
            ..Config::default()
        };
        let text = describe(&c);
        assert!(text.contains('4') && text.contains('2'), "{text}");
    }
}
