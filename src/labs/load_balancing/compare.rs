//! Compare: the same seeded request stream through two to seven algorithms, run by the core's
//! [`Comparison`] in slices across frames (the kit's [`use_background`]), then a table and a
//! chart. Next to random and power of two choices, the supermarket model's prediction where it
//! applies.

use super::state::LbState;
use crate::components::chart::Bar;
use crate::components::{BarChart, CompareTable};
use crate::format;
use crate::kit::{use_background, CompareRunBar, SlicedJob};
use leptos::prelude::*;
use scalelab_sim::loadbalancing::{Algorithm, CompareRow, Comparison, Config};

/// Algorithms a comparison takes, at least and at most.
const MIN_PICKS: usize = 2;
const MAX_PICKS: usize = 7;
/// Simulated seconds per algorithm the learner can choose.
const DURATIONS: &[u32] = &[30, 60, 120];
/// The per-frame request budget: start, least, most.
const BUDGET: (f64, f64, f64) = (20_000.0, 2_000.0, 400_000.0);

const COLUMNS: &[&str] = &[
    "Algorithm",
    "p50 ms",
    "p99 ms",
    "Mean ms",
    "Predicted mean ms",
    "Longest queue",
    "Dropped",
    "Errors",
    "Imbalance",
];
const STATIC_COLUMNS: &[&str] = &["Algorithm", "Most loaded server", "Imbalance"];

impl SlicedJob for Comparison {
    type Output = Vec<CompareRow>;

    fn work(&mut self, budget: u64) -> bool {
        Comparison::work(self, budget)
    }

    fn progress(&self) -> f64 {
        Comparison::progress(self)
    }

    fn output(&self) -> Vec<CompareRow> {
        self.rows()
    }
}

/// What the chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    P99,
    Mean,
    MaxQueue,
    Imbalance,
}

impl Measure {
    const ALL: [Measure; 4] = [Measure::P99, Measure::Mean, Measure::MaxQueue, Measure::Imbalance];

    fn as_str(self) -> &'static str {
        match self {
            Measure::P99 => "p99",
            Measure::Mean => "mean",
            Measure::MaxQueue => "max_queue",
            Measure::Imbalance => "imbalance",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Measure::P99 => "p99 latency (ms)",
            Measure::Mean => "Mean latency (ms)",
            Measure::MaxQueue => "Longest queue",
            Measure::Imbalance => "Imbalance (busiest / mean)",
        }
    }

    fn of(self, r: &CompareRow) -> f64 {
        match self {
            Measure::P99 => r.p99_ms.unwrap_or(0.0),
            Measure::Mean => r.mean_ms.unwrap_or(0.0),
            Measure::MaxQueue => f64::from(r.max_queue),
            Measure::Imbalance => r.imbalance,
        }
    }
}

/// A label short enough for a bar: "Power of two" for "Power of two choices".
fn short(label: &str) -> String {
    label
        .trim_end_matches(" choices")
        .replace("Weighted round robin", "Weighted RR")
}

fn ms(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "\u{2014}".into(), |v| format::number(v, 1))
}

/// One line on what every algorithm shared.
fn describe(c: &Config, secs: u32) -> String {
    if c.static_requests > 0 {
        return format!(
            "Same placement stream for every algorithm (seed {}): {} requests on {} servers, none leaves.",
            c.seed,
            format::number(c.static_requests as f64, 0),
            c.servers
        );
    }
    format!(
        "Same request stream for every algorithm (seed {}): {secs} simulated seconds at {} req/s, {} cost of {} ms mean, {} servers with {} worker{} each, {} balancer{}.",
        c.seed,
        format::number(c.rate, 0),
        c.cost.as_str().replace('_', " "),
        format::number(c.mean_ms, 1),
        c.servers,
        c.workers,
        if c.workers == 1 { "" } else { "s" },
        c.balancers,
        if c.balancers == 1 { "" } else { "s" },
    )
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: LbState) -> impl IntoView {
    let picked = RwSignal::new(vec![
        Algorithm::RoundRobin,
        Algorithm::Random,
        Algorithm::LeastConnections,
        Algorithm::PowerOfTwo,
    ]);
    let secs = RwSignal::new(60u32);
    let measure = RwSignal::new(Measure::P99);
    let bg = use_background::<Comparison>(BUDGET);
    let ran_with = RwSignal::new(None::<(String, bool)>);
    let error = RwSignal::new(None::<String>);

    let selection_error = move || {
        let n = picked.with(Vec::len);
        (!(MIN_PICKS..=MAX_PICKS).contains(&n))
            .then(|| format!("Choose {MIN_PICKS} to {MAX_PICKS} algorithms ({n} chosen)."))
    };
    let run = move |_| {
        let base = state.lab.with_untracked(|l| l.config().clone());
        let chosen = picked.get_untracked();
        // The options' order, whatever order they were ticked in.
        let algorithms: Vec<Algorithm> = Algorithm::ALL.into_iter().filter(|a| chosen.contains(a)).collect();
        let duration = secs.get_untracked();
        error.set(None);
        match Comparison::new(base.clone(), &algorithms, f64::from(duration)) {
            Ok(c) => {
                ran_with.set(Some((describe(&base, duration), base.static_requests > 0)));
                bg.start(c);
            }
            Err(e) => {
                ran_with.set(None);
                error.set(Some(e.message));
            }
        }
    };
    let static_run = move || ran_with.with(|r| r.as_ref().is_some_and(|r| r.1));
    let rows = move || bg.output.get().unwrap_or_default();

    let boxes = Algorithm::ALL
        .into_iter()
        .map(|a| {
            view! {
                <label class="compare-variant">
                    <input
                        type="checkbox"
                        data-testid=format!("compare-variant-{}", a.as_str())
                        prop:checked=move || picked.with(|p| p.contains(&a))
                        disabled=move || picked.with(|p| p.len() >= MAX_PICKS && !p.contains(&a))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|p| {
                                p.retain(|x| *x != a);
                                if on {
                                    p.push(a);
                                }
                            });
                        }
                    />
                    <span>{a.label()}</span>
                </label>
            }
        })
        .collect_view();

    let table = move || {
        let rows = rows();
        if static_run() {
            let body = rows
                .into_iter()
                .map(|r| {
                    view! {
                        <tr data-testid="compare-row">
                            <th scope="row">{r.algorithm.label()}</th>
                            <td data-testid="compare-max-load" data-value=r.max_load.to_string()>
                                {format::number(r.max_load as f64, 0)}
                            </td>
                            <td>{format::number(r.imbalance, 2)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! { <CompareTable columns=STATIC_COLUMNS>{body}</CompareTable> }.into_any()
        } else {
            let body = rows
                .into_iter()
                .map(|r| {
                    view! {
                        <tr data-testid="compare-row">
                            <th scope="row">{r.algorithm.label()}</th>
                            <td>{ms(r.p50_ms)}</td>
                            <td data-testid="compare-p99" data-value=r.p99_ms.map(format::raw).unwrap_or_default()>
                                {ms(r.p99_ms)}
                            </td>
                            <td data-testid="compare-mean" data-value=r.mean_ms.map(format::raw).unwrap_or_default()>
                                {ms(r.mean_ms)}
                            </td>
                            <td
                                data-testid="compare-predicted"
                                data-value=r.predicted_mean_ms.map(format::raw).unwrap_or_default()
                            >
                                {r.predicted_mean_ms.map_or_else(|| "n/a".into(), |v| format::number(v, 1))}
                            </td>
                            <td>{format::number(f64::from(r.max_queue), 0)}</td>
                            <td>{format::number(r.dropped as f64, 0)}</td>
                            <td>{format::number(r.errors as f64, 0)}</td>
                            <td>{format::number(r.imbalance, 2)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! { <CompareTable columns=COLUMNS>{body}</CompareTable> }.into_any()
        }
    };
    let bars = Signal::derive(move || {
        let m = measure.get();
        let stat = static_run();
        bg.output.with(|r| {
            r.iter()
                .flatten()
                .enumerate()
                .map(|(i, row)| Bar {
                    label: short(row.algorithm.label()),
                    value: if stat { row.max_load as f64 } else { m.of(row) },
                    color: i,
                })
                .collect::<Vec<_>>()
        })
    });
    let chart = move || {
        let (title, y) = if static_run() {
            ("Most loaded server by algorithm".to_string(), "requests".to_string())
        } else {
            let m = measure.get();
            (format!("{} by algorithm", m.label()), m.label().to_string())
        };
        view! { <BarChart bars=bars reference=Signal::stored(None) title=title y_label=y testid="chart-compare"/> }
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare algorithms side by side"</h2>
            <p class="param-hint">
                "Runs your current settings with two to seven algorithms on the same seeded request stream, one after "
                "another in the background, then shows their numbers side by side."
            </p>
            <fieldset class="compare-variants">
                <legend>"Algorithms to compare (2 to 7)"</legend>
                {boxes}
            </fieldset>
            <CompareRunBar
                bg=bg
                seconds=secs
                durations=DURATIONS
                blocked=Signal::derive(selection_error)
                error=error
                on_run=Callback::new(run)
            />
            <p class="param-hint" data-testid="compare-setup">{move || ran_with.with(|r| r.as_ref().map(|r| r.0.clone()).unwrap_or_default())}</p>
            <Show
                when=move || bg.output.with(|o| o.as_ref().is_some_and(|r| !r.is_empty()))
                fallback=|| {
                    view! {
                        <p class="empty-state">
                            "Pick the algorithms and press Run comparison. Tip: at 100 servers and a load near 0.9, random "
                            "against power of two choices shows the supermarket model at work."
                        </p>
                    }
                }
            >
                {table}
                <Show when=move || !static_run()>
                    <label class="param compare-measure">
                        <span class="param-label">"Chart"</span>
                        <select
                            class="param-select"
                            data-testid="compare-chart-measure"
                            prop:value=move || measure.get().as_str()
                            on:change=move |ev| {
                                let raw = event_target_value(&ev);
                                if let Some(m) = Measure::ALL.into_iter().find(|m| m.as_str() == raw) {
                                    measure.set(m);
                                }
                            }
                        >
                            {Measure::ALL.iter().map(|m| view! { <option value=m.as_str()>{m.label()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                {chart}
                <p class="param-hint">
                    "Predicted mean: the supermarket model (Mitzenmacher, 2001) for random and power of two choices, "
                    "when it applies: exponential costs, equal servers with one worker each, fresh load information, no "
                    "faults. n/a otherwise."
                </p>
            </Show>
        </section>
    }
}
