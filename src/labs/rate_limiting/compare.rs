//! Compare: the six algorithms on the same seeded stream of requests, run by the core's
//! [`Comparison`] in slices across frames (the kit's [`use_background`]), then a table and a
//! chart of the measure the learner picks.

use super::state::RlState;
use crate::components::chart::Bar;
use crate::components::{BarChart, CompareTable};
use crate::format;
use crate::kit::{use_background, CompareRunBar, SlicedJob};
use leptos::prelude::*;
use scalelab_sim::ratelimit::{CompareRow, Comparison, Config, RateLimitLab};

/// Simulated seconds per algorithm the learner can choose.
const DURATIONS: &[u32] = &[30, 60, 120];
/// The per-frame request budget: start, least, most.
const BUDGET: (f64, f64, f64) = (RateLimitLab::REQUESTS_PER_FRAME as f64, 2_000.0, 400_000.0);

const COLUMNS: &[&str] = &[
    "Algorithm",
    "Admitted",
    "Refused",
    "Queued",
    "Worst window",
    "\u{00f7} limit",
    "Fairness",
    "Abuser's share",
    "Delay p99 ms",
    "Retries",
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
        self.rows()
    }
}

/// What the chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Worst,
    Admitted,
    Delay,
    Fairness,
}

impl Measure {
    const ALL: [Measure; 4] = [Measure::Worst, Measure::Admitted, Measure::Delay, Measure::Fairness];

    fn as_str(self) -> &'static str {
        match self {
            Measure::Worst => "worst_window",
            Measure::Admitted => "admitted",
            Measure::Delay => "delay_p99",
            Measure::Fairness => "fairness",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Measure::Worst => "Worst window (requests)",
            Measure::Admitted => "Admitted (requests)",
            Measure::Delay => "Delay p99 (ms)",
            Measure::Fairness => "Fairness (Jain)",
        }
    }

    fn of(self, r: &CompareRow) -> f64 {
        match self {
            Measure::Worst => r.worst_window as f64,
            Measure::Admitted => r.admitted as f64,
            Measure::Delay => r.delay_p99_ms.unwrap_or(0.0),
            Measure::Fairness => r.fairness,
        }
    }
}

/// A label short enough for a bar: "Sliding counter" for "Sliding window counter".
fn short(label: &str) -> String {
    label
        .replace("Sliding window counter", "Sliding counter")
        .replace(" (queue)", "")
}

fn count(n: u64) -> String {
    format::number(n as f64, 0)
}

fn ms(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "\u{2014}".into(), |v| format::number(v, 1))
}

/// How the instances share the limit: "shared store, synced every 100 ms" with a sync interval.
fn sync_text(c: &Config) -> String {
    let mode = c.sync.label().to_lowercase();
    if c.synced() {
        format!("{mode}, synced every {} ms", format::number(c.sync_ms, 2))
    } else {
        mode
    }
}

/// One line on what every algorithm shared.
fn describe(c: &Config, secs: u32) -> String {
    format!(
        "Same requests for every algorithm (seed {}): {secs} simulated seconds, a limit of {} per {} s {}, {} clients at {} req/s and an abuser at {} req/s ({}), {} instance{} ({}), refused clients: {}.",
        c.seed,
        format::number(f64::from(c.limit), 0),
        format::number(c.window_s, 2),
        if c.scope == scalelab_sim::ratelimit::Scope::Global { "for everyone" } else { "per client" },
        c.clients.saturating_sub(1),
        format::number(c.client_rps, 1),
        format::number(c.abuser_rps, 1),
        c.burstiness.label().to_lowercase(),
        c.instances,
        if c.instances == 1 { "" } else { "s" },
        sync_text(c),
        c.retry.label().to_lowercase(),
    )
}

/// One table row.
fn row(r: CompareRow) -> impl IntoView {
    view! {
        <tr data-testid="compare-row" data-algorithm=r.algorithm.as_str()>
            <th scope="row">{r.label}</th>
            <td data-testid="compare-admitted" data-value=r.admitted.to_string()>{count(r.admitted)}</td>
            <td data-testid="compare-refused" data-value=r.refused.to_string()>{count(r.refused)}</td>
            <td>{count(r.delayed)}</td>
            <td data-testid="compare-worst" data-value=r.worst_window.to_string()>{count(r.worst_window)}</td>
            <td>{format::number(r.over_limit, 2)}</td>
            <td data-testid="compare-fairness" data-value=format::raw(r.fairness)>{format::number(r.fairness, 3)}</td>
            <td>{format::percent(r.abuser_share, 1)}</td>
            <td data-testid="compare-p99" data-value=r.delay_p99_ms.map(format::raw).unwrap_or_default()>
                {ms(r.delay_p99_ms)}
            </td>
            <td>{count(r.retries)}</td>
        </tr>
    }
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: RlState) -> impl IntoView {
    let secs = RwSignal::new(60u32);
    let measure = RwSignal::new(Measure::Worst);
    let bg = use_background::<Comparison>(BUDGET);
    let ran_with = RwSignal::new(None::<(String, f64)>);
    let error = RwSignal::new(None::<String>);

    let run = move |_| {
        let base = state.lab.with_untracked(|l| l.config().clone());
        let duration = secs.get_untracked();
        error.set(None);
        match Comparison::new(base.clone(), f64::from(duration)) {
            Ok(c) => {
                ran_with.set(Some((describe(&base, duration), f64::from(base.limit))));
                bg.start(c);
            }
            Err(e) => {
                ran_with.set(None);
                error.set(Some(e.message));
            }
        }
    };
    let table = move || {
        let body = bg.output.get().unwrap_or_default().into_iter().map(row).collect_view();
        view! { <CompareTable columns=COLUMNS>{body}</CompareTable> }
    };
    let bars = Signal::derive(move || {
        let m = measure.get();
        bg.output.with(|r| {
            r.iter()
                .flatten()
                .enumerate()
                .map(|(i, row)| Bar {
                    label: short(row.label),
                    value: m.of(row),
                    color: i,
                })
                .collect::<Vec<_>>()
        })
    });
    // The limit as the line on the worst-window chart.
    let reference = Signal::derive(move || {
        (measure.get() == Measure::Worst)
            .then(|| ran_with.with(|r| r.as_ref().map(|r| r.1)))
            .flatten()
    });
    let chart = move || {
        let m = measure.get();
        let title = if m == Measure::Worst {
            format!("{} by algorithm (line: the limit)", m.label())
        } else {
            format!("{} by algorithm", m.label())
        };
        view! { <BarChart bars=bars reference=reference title=title y_label=m.label() testid="chart-compare"/> }
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare the algorithms side by side"</h2>
            <p class="param-hint">
                "Runs your current settings under each of the six algorithms on the same seeded requests, in the "
                "background, then shows their numbers side by side."
            </p>
            <CompareRunBar
                bg=bg
                seconds=secs
                durations=DURATIONS
                blocked=Signal::stored(None::<String>)
                error=error
                on_run=Callback::new(run)
            />
            <p class="param-hint" data-testid="compare-setup">{move || ran_with.with(|r| r.as_ref().map(|r| r.0.clone()).unwrap_or_default())}</p>
            <Show
                when=move || bg.output.with(|o| o.as_ref().is_some_and(|r| !r.is_empty()))
                fallback=|| {
                    view! {
                        <p class="empty-state">
                            "Press Run comparison. Tip: set the abuser's pattern to bursts at window boundaries to see "
                            "which algorithms let twice the limit through."
                        </p>
                    }
                }
            >
                {table}
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
                {chart}
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setup_line_and_short_labels_read_well() {
        let line = describe(&Config::default(), 60);
        assert!(line.contains("a limit of 100 per 10 s per client"), "{line}");
        assert!(line.contains("4 clients at 5 req/s"), "{line}");
        let synced = Config {
            instances: 3,
            sync: scalelab_sim::ratelimit::SyncMode::Shared,
            sync_ms: 250.0,
            ..Config::default()
        };
        let line = describe(&synced, 60);
        assert!(
            line.contains("3 instances (shared store, synced every 250 ms)"),
            "{line}"
        );
        assert_eq!(short("Sliding window counter"), "Sliding counter");
        assert_eq!(short("Leaky bucket (queue)"), "Leaky bucket");
    }

    #[test]
    fn a_comparison_runs_in_slices_to_one_row_per_algorithm() {
        let mut job = Comparison::new(Config::default(), 5.0).expect("valid");
        let mut slices = 0;
        while !SlicedJob::work(&mut job, 200) {
            slices += 1;
            assert!(slices < 10_000);
        }
        let rows = SlicedJob::output(&job);
        assert_eq!(rows.len(), 6);
        assert!(rows.iter().all(|r| r.requests == rows[0].requests));
        assert!(slices > 1, "done in slices");
    }
}
