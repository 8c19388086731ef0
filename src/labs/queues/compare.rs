//! Compare: `sync` against `async`, or the current settings against a variant with one setting
//! changed (consumers, concurrency, retries...), on the same seed: every run sees exactly the same
//! requests. Run by the core's [`Comparison`] in slices across frames (the kit's
//! [`use_background`]), then a table and a chart of the measure the learner picks.

use super::state::QState;
use crate::components::chart::Bar;
use crate::components::{BarChart, CompareTable};
use crate::format;
use crate::kit::{use_background, CompareRunBar, SlicedJob};
use leptos::prelude::*;
use scalelab_sim::params::Params;
use scalelab_sim::queues::{CompareRow, Comparison, Config, Delivery, QueuesLab};

/// Simulated seconds per setting the learner can choose.
const DURATIONS: &[u32] = &[30, 60, 120];
/// The per-frame work budget: start, least, most.
const BUDGET: (f64, f64, f64) = (QueuesLab::WORK_PER_FRAME as f64, 1_000.0, 200_000.0);
/// The settings a variant may change.
const VARIANT_KEYS: &[&str] = &[
    "consumers",
    "concurrency",
    "partitions",
    "visibility_s",
    "backoff",
    "max_receives",
    "idempotent",
    "failure_rate",
    "max_backlog",
    "rate",
];

const COLUMNS: &[&str] = &[
    "Setting",
    "Response p99 ms",
    "Completion p99 ms",
    "Done",
    "Peak backlog",
    "Backlog at end",
    "Lag at end s",
    "Redeliveries",
    "Duplicates",
    "Dead-lettered",
    "Out of order",
    "Refused",
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

/// What to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    SyncAsync,
    Variant,
}

/// What the chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Response,
    Completion,
    PeakBacklog,
    Duplicates,
}

impl Measure {
    const ALL: [Measure; 4] = [
        Measure::Response,
        Measure::Completion,
        Measure::PeakBacklog,
        Measure::Duplicates,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Measure::Response => "response",
            Measure::Completion => "completion",
            Measure::PeakBacklog => "peak_backlog",
            Measure::Duplicates => "duplicates",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Measure::Response => "Response p99 (ms)",
            Measure::Completion => "Completion p99 (ms)",
            Measure::PeakBacklog => "Peak backlog (messages)",
            Measure::Duplicates => "Duplicate effects",
        }
    }

    fn of(self, r: &CompareRow) -> f64 {
        match self {
            Measure::Response => r.response_p99_ms.unwrap_or(0.0),
            Measure::Completion => r.completion_p99_ms.unwrap_or(0.0),
            Measure::PeakBacklog => r.peak_backlog as f64,
            Measure::Duplicates => r.duplicates as f64,
        }
    }
}

/// The configs to run and their labels, or why not.
fn setups(base: &Config, mode: Mode, key: &str, raw: &str) -> Result<Vec<(String, Config)>, String> {
    match mode {
        Mode::SyncAsync => Ok(Delivery::ALL
            .iter()
            .map(|&delivery| {
                (
                    delivery.label().to_string(),
                    Config {
                        delivery,
                        ..base.clone()
                    },
                )
            })
            .collect()),
        Mode::Variant => {
            let mut variant = base.clone();
            variant.set_str(key, raw).map_err(|e| format!("{key}: {}", e.message))?;
            let now = base.get(key).map(|v| v.to_query()).unwrap_or_default();
            let then = variant.get(key).map(|v| v.to_query()).unwrap_or_default();
            if now == then {
                return Err(format!(
                    "The variant's {key} is the same as yours ({now}): pick another value."
                ));
            }
            Ok(vec![
                (format!("Yours: {key} = {now}"), base.clone()),
                (format!("Variant: {key} = {then}"), variant),
            ])
        }
    }
}

fn count(n: u64) -> String {
    format::number(n as f64, 0)
}

fn ms(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "\u{2014}".into(), |v| format::number(v, 0))
}

/// One line on what every run shared.
fn describe(c: &Config, secs: u32) -> String {
    format!(
        "Same requests in every run (seed {}): {secs} simulated seconds at {} req/s, slow work {} ms, {} partitions, {} consumers of concurrency {}, {} group{}.",
        c.seed,
        format::number(c.rate, 1),
        format::number(c.slow_ms, 0),
        c.partitions,
        c.consumers,
        c.concurrency,
        c.groups,
        if c.groups == 1 { "" } else { "s" },
    )
}

/// The options of the variant's setting.
fn key_options() -> impl IntoView {
    VARIANT_KEYS
        .iter()
        .map(|k| {
            let label = Config::spec(k).map_or(*k, |s| s.label);
            view! { <option value=*k>{label}</option> }
        })
        .collect_view()
}

/// One table row.
fn row(label: String, r: CompareRow) -> impl IntoView {
    view! {
        <tr data-testid="compare-row" data-delivery=r.delivery.as_str()>
            <th scope="row">{label}</th>
            <td data-testid="compare-response" data-value=r.response_p99_ms.map(format::raw).unwrap_or_default()>
                {ms(r.response_p99_ms)}
            </td>
            <td data-testid="compare-completion" data-value=r.completion_p99_ms.map(format::raw).unwrap_or_default()>
                {ms(r.completion_p99_ms)}
            </td>
            <td>{count(r.completed)}</td>
            <td data-testid="compare-peak" data-value=r.peak_backlog.to_string()>{count(r.peak_backlog)}</td>
            <td>{count(r.backlog)}</td>
            <td>{format::number(r.lag_s, 1)}</td>
            <td>{count(r.redeliveries)}</td>
            <td data-testid="compare-duplicates" data-value=r.duplicates.to_string()>{count(r.duplicates)}</td>
            <td>{count(r.dead_lettered)}</td>
            <td>{count(r.out_of_order)}</td>
            <td>{count(r.refused)}</td>
        </tr>
    }
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: QState) -> impl IntoView {
    let secs = RwSignal::new(60u32);
    let mode = RwSignal::new(Mode::SyncAsync);
    let key = RwSignal::new(VARIANT_KEYS[0]);
    let raw = RwSignal::new(String::from("8"));
    let measure = RwSignal::new(Measure::Response);
    let bg = use_background::<Comparison>(BUDGET);
    let labels = RwSignal::new(Vec::<String>::new());
    let ran_with = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let run = move |_| {
        let base = state.lab.with_untracked(|l| l.config().clone());
        let duration = secs.get_untracked();
        error.set(None);
        let started = setups(&base, mode.get_untracked(), key.get_untracked(), &raw.get_untracked()).and_then(|s| {
            let configs: Vec<Config> = s.iter().map(|(_, c)| c.clone()).collect();
            let c = Comparison::new(&configs, f64::from(duration)).map_err(|e| e.message)?;
            Ok((s.into_iter().map(|(l, _)| l).collect::<Vec<_>>(), c))
        });
        match started {
            Ok((names, c)) => {
                labels.set(names);
                ran_with.set(describe(&base, duration));
                bg.start(c);
            }
            Err(e) => {
                ran_with.set(String::new());
                error.set(Some(e));
            }
        }
    };
    let label_of = move |i: usize| labels.with(|l| l.get(i).cloned().unwrap_or_default());
    let table = move || {
        let body = bg
            .output
            .get()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, r)| row(label_of(i), r))
            .collect_view();
        view! { <CompareTable columns=COLUMNS>{body}</CompareTable> }
    };
    let bars = Signal::derive(move || {
        let m = measure.get();
        bg.output.with(|r| {
            r.iter()
                .flatten()
                .enumerate()
                .map(|(i, row)| Bar {
                    label: label_of(i),
                    value: m.of(row),
                    color: i,
                })
                .collect::<Vec<_>>()
        })
    });
    let chart = move || {
        let m = measure.get();
        view! {
            <BarChart
                bars=bars
                reference=Signal::stored(None::<f64>)
                title=format!("{} by setting", m.label())
                y_label=m.label()
                testid="chart-compare"
            />
        }
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare side by side"</h2>
            <p class="param-hint">
                "Runs two settings on the same seeded requests, in the background: the slow work inline against "
                "queued, or your settings against a variant with one value changed."
            </p>
            <div class="compare-controls">
                <label class="param">
                    <span class="param-label">"Compare"</span>
                    <select
                        class="param-select"
                        data-testid="compare-mode"
                        prop:value=move || if mode.get() == Mode::SyncAsync { "sync_async" } else { "variant" }
                        on:change=move |ev| {
                            mode.set(if event_target_value(&ev) == "variant" { Mode::Variant } else { Mode::SyncAsync });
                        }
                    >
                        <option value="sync_async">"Inline (sync) against queued (async)"</option>
                        <option value="variant">"Your settings against a variant"</option>
                    </select>
                </label>
                <Show when=move || mode.get() == Mode::Variant>
                    <label class="param">
                        <span class="param-label">"Variant changes"</span>
                        <select
                            class="param-select"
                            data-testid="compare-key"
                            prop:value=move || key.get()
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if let Some(k) = VARIANT_KEYS.iter().find(|k| **k == v) {
                                    key.set(k);
                                }
                            }
                        >
                            {key_options()}
                        </select>
                    </label>
                    <label class="param">
                        <span class="param-label">"to"</span>
                        <input
                            type="text"
                            class="param-text"
                            data-testid="compare-value"
                            prop:value=move || raw.get()
                            on:change=move |ev| raw.set(event_target_value(&ev))
                        />
                    </label>
                </Show>
            </div>
            <CompareRunBar
                bg=bg
                seconds=secs
                durations=DURATIONS
                blocked=Signal::stored(None::<String>)
                error=error
                on_run=Callback::new(run)
            />
            <p class="param-hint" data-testid="compare-setup">{move || ran_with.get()}</p>
            <Show
                when=move || bg.output.with(|o| o.as_ref().is_some_and(|r| !r.is_empty()))
                fallback=|| {
                    view! {
                        <p class="empty-state">
                            "Press Run comparison. Tip: inline against queued shows what the user waits and when the "
                            "work is done; a variant with fewer consumers shows the backlog grow."
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
    fn setups_are_sync_and_async_or_a_validated_variant() {
        let base = Config::default();
        let s = setups(&base, Mode::SyncAsync, "consumers", "").expect("two");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].1.delivery, Delivery::Sync);
        let v = setups(&base, Mode::Variant, "consumers", "8").expect("valid");
        assert_eq!(v[1].1.consumers, 8);
        assert_eq!(v[1].0, "Variant: consumers = 8");
        assert!(setups(&base, Mode::Variant, "consumers", "NaN").is_err());
        assert!(
            setups(&base, Mode::Variant, "consumers", "4").is_err(),
            "the same value"
        );
        assert!(setups(&base, Mode::Variant, "backoff", "<script>").is_err());
    }

    #[test]
    fn a_comparison_runs_in_slices_on_one_stream() {
        let configs: Vec<Config> = setups(&Config::default(), Mode::SyncAsync, "", "")
            .expect("two")
            .into_iter()
            .map(|(_, c)| c)
            .collect();
        let mut job = Comparison::new(&configs, 10.0).expect("valid");
        let mut slices = 0;
        while !SlicedJob::work(&mut job, 200) {
            slices += 1;
            assert!(slices < 10_000);
        }
        let rows = SlicedJob::output(&job);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].requests, rows[1].requests);
        assert!(slices > 1, "done in slices");
        assert!(describe(&Config::default(), 60).contains("4 consumers of concurrency 16"));
    }
}
