//! Compare: the running system with two to four breaker policies (no breaker among them) on the
//! same seed, so every variant sees exactly the same client requests. Run by the core's
//! [`Comparison`] in slices across frames, then a table, two charts and one state timeline each.

use super::charts::{state_legend, StateTimeline};
use super::state::BreakerState;
use crate::components::pacing::FrameBudget;
use crate::components::{use_frame_loop, CompareTable, LineChart, ProgressBar, Series};
use crate::format;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::breaker::compare::{MAX_VARIANTS, MIN_VARIANTS};
use scalelab_sim::breaker::{CompareRow, Comparison, Config, Policy, Snapshot};
use scalelab_sim::engine::time::{from_secs, SimTime};

/// The comparison table's columns.
const COLUMNS: &[&str] = &[
    "Policy",
    "Caller success",
    "Success in outage",
    "Pool peak",
    "Pool busy in outage",
    "Turned away",
    "Rejected",
    "p99 ms",
    "State changes",
];
/// Simulated durations the learner can choose, in seconds.
const DURATIONS: &[(u32, &str)] = &[(30, "30 s"), (60, "60 s"), (120, "2 min"), (300, "5 min")];
/// The adaptive budget, in client requests per frame (all variants together): start, min, max.
const BUDGET: (f64, f64, f64) = (20_000.0, 2_000.0, 400_000.0);

/// The policies ticked by default: the current one (or consecutive) against no breaker.
fn default_picks(current: Policy) -> Vec<Policy> {
    let breaker = if current == Policy::Disabled {
        Policy::Consecutive
    } else {
        current
    };
    vec![breaker, Policy::Disabled]
}

/// The variants for `picked` on `base`: the running system only (no script), labelled by policy,
/// in the order of [`Policy::ALL`].
fn variants(base: &Config, picked: &[Policy]) -> Vec<(String, Config)> {
    Policy::ALL
        .into_iter()
        .filter(|p| picked.contains(p))
        .map(|policy| {
            let config = Config {
                policy,
                outcomes: String::new(),
                ..base.clone()
            };
            (policy.label().to_string(), config)
        })
        .collect()
}

/// A running comparison and where it stops.
struct Job {
    comparison: Comparison,
    until: SimTime,
}

/// One finished variant: its row and its full snapshot (for the charts).
#[derive(Clone, Debug, PartialEq)]
struct Finished {
    row: CompareRow,
    snapshot: Snapshot,
}

fn cell(testid: &'static str, value: f64, text: String) -> impl IntoView {
    view! { <td data-testid=testid data-value=format::raw(value)>{text}</td> }
}

fn ratio_text(r: f64) -> String {
    if r >= 0.0 {
        format::percent(r, 1)
    } else {
        "\u{2014}".into()
    }
}

fn table_row(o: &Finished) -> impl IntoView {
    let r = &o.row;
    view! {
        <tr data-testid="compare-row">
            <th scope="row">{r.label.clone()}</th>
            {cell("compare-success-ratio", r.caller_success_ratio, ratio_text(r.caller_success_ratio))}
            {cell("compare-outage-success", r.outage_success_ratio, ratio_text(r.outage_success_ratio))}
            {cell("compare-pool-peak", f64::from(r.pool_peak), format::number(f64::from(r.pool_peak), 0))}
            {cell("compare-pool-usage", r.outage_pool_usage, ratio_text(r.outage_pool_usage))}
            {cell("compare-pool-full", r.pool_full as f64, format::number(r.pool_full as f64, 0))}
            {cell("compare-rejected", r.rejected as f64, format::number(r.rejected as f64, 0))}
            <td>{format::number(r.latency_p99_ms, 0)}</td>
            <td>{format::number(r.transitions as f64, 0)}</td>
        </tr>
    }
}

/// One line per variant of a series taken from its snapshot.
fn per_variant(results: RwSignal<Vec<Finished>>, pick: fn(&Snapshot) -> &Vec<(f64, f64)>) -> Signal<Vec<Series>> {
    Signal::derive(move || {
        results.with(|r| {
            r.iter()
                .enumerate()
                .map(|(i, o)| Series {
                    name: o.row.label.clone(),
                    color: i,
                    points: pick(&o.snapshot).clone(),
                })
                .collect()
        })
    })
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: BreakerState) -> impl IntoView {
    let picked = RwSignal::new(default_picks(state.lab.with_untracked(|l| l.config().policy)));
    let duration = RwSignal::new(60u32);
    let job = StoredValue::new(None::<Job>);
    let progress = RwSignal::new(None::<f64>);
    let results = RwSignal::new(Vec::<Finished>::new());
    let ran_with = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let budget = StoredValue::new(FrameBudget::new(BUDGET.0, BUDGET.1, BUDGET.2));

    let selection_error = move || {
        let n = picked.with(Vec::len);
        (!(MIN_VARIANTS..=MAX_VARIANTS).contains(&n))
            .then(|| format!("Choose {MIN_VARIANTS} to {MAX_VARIANTS} policies ({n} chosen)."))
    };
    let run = move |_| {
        let base = state.lab.with_untracked(|l| l.config().clone());
        let secs = duration.get_untracked();
        results.set(Vec::new());
        error.set(None);
        match Comparison::new(variants(&base, &picked.get_untracked())) {
            Ok(comparison) => {
                let outage = if base.outage_end_s > base.outage_start_s {
                    format!(
                        "outage from {} s to {} s (failure probability {}, latency {} ms)",
                        format::number(base.outage_start_s, 1),
                        format::number(base.outage_end_s, 1),
                        format::number(base.dep_failure, 2),
                        base.dep_latency_ms
                    )
                } else {
                    "no outage".to_string()
                };
                ran_with.set(Some(format!(
                    "{} s of the running system, seed {}: {} req/s, a pool of {}, timeout {} ms, {outage}, fallback {}.",
                    secs,
                    base.seed,
                    format::number(base.rate, 0),
                    base.pool,
                    base.timeout_ms,
                    if base.fallback { "on" } else { "off" }
                )));
                job.set_value(Some(Job {
                    comparison,
                    until: from_secs(f64::from(secs)),
                }));
                progress.set(Some(0.0));
            }
            Err(e) => error.set(Some(e.message)),
        }
    };
    let cancel = move |_| {
        job.set_value(None);
        progress.set(None);
        ran_with.set(None);
    };

    let active = Signal::derive(move || progress.with(Option::is_some));
    use_frame_loop(active, move |_| {
        let started = platform::now_ms();
        let mut done = None;
        let mut fraction = None;
        job.update_value(|slot| {
            let Some(j) = slot else { return };
            let per_sec = j
                .comparison
                .labs()
                .iter()
                .map(|l| l.config().rate.max(1.0))
                .sum::<f64>();
            let slice = from_secs(budget.get_value().get() / per_sec).max(1);
            let target = j.comparison.now().saturating_add(slice).min(j.until);
            j.comparison.step_until(target);
            if target >= j.until {
                done = Some(
                    j.comparison
                        .rows()
                        .into_iter()
                        .zip(j.comparison.labs())
                        .map(|(row, lab)| Finished {
                            row,
                            snapshot: lab.snapshot(),
                        })
                        .collect::<Vec<_>>(),
                );
            } else {
                fraction = Some(target as f64 / j.until.max(1) as f64);
            }
        });
        let elapsed = platform::now_ms() - started;
        // The budget always limits a comparison frame (it runs as fast as it can).
        budget.update_value(|b| b.tune(elapsed, true));
        match (done, fraction) {
            (Some(rows), _) => {
                job.set_value(None);
                results.set(rows);
                progress.set(None);
            }
            (None, Some(f)) => progress.set(Some(f)),
            (None, None) => progress.set(None),
        }
    });

    let boxes = Policy::ALL
        .into_iter()
        .map(|policy| {
            view! {
                <label class="compare-variant">
                    <input
                        type="checkbox"
                        data-testid=format!("compare-variant-{}", policy.as_str())
                        prop:checked=move || picked.with(|p| p.contains(&policy))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|p| {
                                p.retain(|x| *x != policy);
                                if on {
                                    p.push(policy);
                                }
                            });
                        }
                    />
                    <span>{policy.label()}</span>
                </label>
            }
        })
        .collect_view();
    let same_workload = move || {
        results.with(|r| {
            let first = r.first().map(|o| (o.row.workload_fingerprint, o.row.requests));
            first.map(|(f, n)| {
                if r.iter().all(|o| o.row.workload_fingerprint == f) {
                    format!(
                        "\u{2714} Every variant saw exactly the same {} client requests (equal workload fingerprints).",
                        format::number(n as f64, 0)
                    )
                } else {
                    "The variants saw different requests.".to_string()
                }
            })
        })
    };
    let timelines = move || {
        results
            .get()
            .into_iter()
            .map(|o| {
                view! {
                    <StateTimeline
                        snapshot=Signal::stored(o.snapshot)
                        testid="compare-timeline"
                        title=format!("{}: state over time", o.row.label)
                        legend=false
                    />
                }
            })
            .collect_view()
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare side by side"</h2>
            <p class="param-hint">
                "Runs your current settings once per chosen policy on the same seed: the same client requests, the same dependency outage. Only the breaker differs."
            </p>
            <fieldset class="compare-variants">
                <legend>"Policies to compare (2 to 4)"</legend>
                {boxes}
            </fieldset>
            <div class="compare-controls">
                <label class="param">
                    <span class="param-label">"Simulated time per variant"</span>
                    <select
                        class="param-select"
                        data-testid="compare-duration"
                        prop:value=move || duration.get().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                                if DURATIONS.iter().any(|(d, _)| *d == v) {
                                    duration.set(v);
                                }
                            }
                        }
                    >
                        {DURATIONS.iter().map(|(v, l)| view! { <option value=v.to_string()>{*l}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="actions compare-actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="compare-run"
                    disabled=move || selection_error().is_some() || progress.with(Option::is_some)
                    on:click=run
                >
                    "\u{25b6} Run comparison"
                </button>
                <Show when=move || progress.with(Option::is_some)>
                    <button type="button" class="button" data-testid="compare-cancel" on:click=cancel>
                        "Cancel"
                    </button>
                </Show>
            </div>
            <p class="param-error" role="alert">{move || selection_error().or_else(|| error.get()).unwrap_or_default()}</p>
            <ProgressBar
                when=Signal::derive(move || progress.with(Option::is_some))
                testid="compare-progress"
                text="Running\u{2026} "
                fraction=Signal::derive(move || progress.get().unwrap_or(0.0))
            />
            <p class="param-hint" data-testid="compare-setup">{move || ran_with.get().unwrap_or_default()}</p>
            <Show
                when=move || results.with(|r| !r.is_empty())
                fallback=|| {
                    view! {
                        <p class="empty-state">
                            "Tick the policies and press Run comparison. The defaults put your breaker against no breaker at all."
                        </p>
                    }
                }
            >
                <CompareTable columns=COLUMNS>{move || results.with(|r| r.iter().map(table_row).collect_view())}</CompareTable>
                <p class="param-hint" data-testid="compare-same-workload">{same_workload}</p>
                <div class="panel-row two">
                    <LineChart
                        series=per_variant(results, |s| &s.pool_series)
                        title="Caller's threads busy, per variant"
                        x_label="simulated time (s)"
                        y_label="threads"
                        testid="chart-compare-pool"
                    />
                    <LineChart
                        series=per_variant(results, |s| &s.successes_series)
                        title="Successful answers per second, per variant"
                        x_label="simulated time (s)"
                        y_label="per second"
                        testid="chart-compare-success"
                    />
                </div>
                <div class="panel-row two compare-timelines">{timelines}</div>
                {state_legend()}
                <p class="param-hint">
                    "In a hard outage the pool peak is usually the same with or without a breaker: a breaker learns only from calls that come back, so the calls of the outage's first second (until the first timeouts) fill the pool whatever the policy. What differs is how long it stays full: pool busy in the outage, and the threads chart."
                </p>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_put_a_breaker_against_none_and_drop_the_script() {
        assert_eq!(
            default_picks(Policy::Disabled),
            vec![Policy::Consecutive, Policy::Disabled]
        );
        assert_eq!(
            default_picks(Policy::TimeWindow),
            vec![Policy::TimeWindow, Policy::Disabled]
        );
        let base = Config {
            outcomes: "FFF".into(),
            ..Config::default()
        };
        let v = variants(&base, &[Policy::Disabled, Policy::CountWindow]);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].1.policy, Policy::CountWindow, "policy order, not tick order");
        assert!(v.iter().all(|(_, c)| c.outcomes.is_empty()));
        assert!(Comparison::new(v).is_ok());
    }
}
