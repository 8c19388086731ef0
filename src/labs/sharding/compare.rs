//! Compare: the five strategies on the same seeded workload, each run then given one more shard,
//! by the core's [`Comparison`] in slices across frames (the kit's [`use_background`]); a table and
//! a chart of the measure the learner picks.

use super::state::ShardState;
use crate::components::chart::Bar;
use crate::components::{BarChart, CompareTable};
use crate::format;
use crate::kit::{use_background, CompareRunBar, SlicedJob};
use leptos::prelude::*;
use scalelab_sim::sharding::{CompareRow, Comparison, Config, ShardingLab, Strategy};

/// Simulated seconds per strategy the learner can choose.
const DURATIONS: &[u32] = &[10, 30, 60];
/// The per-frame budget in work units: start, least, most.
const BUDGET: (f64, f64, f64) = (ShardingLab::WORK_PER_FRAME as f64, 4_000.0, 400_000.0);

const COLUMNS: &[&str] = &[
    "Strategy",
    "Imbalance",
    "Hottest shard",
    "Throttled",
    "Shards per op",
    "Single p99 ms",
    "Range p99 ms",
    "Global p99 ms",
    "Cross-shard",
    "Keys moved by +1 shard",
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
    Imbalance,
    KeysMoved,
    Throttled,
    RangeP99,
    GlobalP99,
}

impl Measure {
    const ALL: [Measure; 5] = [
        Measure::Imbalance,
        Measure::KeysMoved,
        Measure::Throttled,
        Measure::RangeP99,
        Measure::GlobalP99,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Measure::Imbalance => "imbalance",
            Measure::KeysMoved => "keys_moved",
            Measure::Throttled => "throttled",
            Measure::RangeP99 => "range_p99",
            Measure::GlobalP99 => "global_p99",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Measure::Imbalance => "Imbalance (busiest / mean)",
            Measure::KeysMoved => "Keys moved by one added shard (%)",
            Measure::Throttled => "Throttled (%)",
            Measure::RangeP99 => "Range scan p99 (ms)",
            Measure::GlobalP99 => "Global query p99 (ms)",
        }
    }

    fn of(self, r: &CompareRow) -> f64 {
        match self {
            Measure::Imbalance => r.imbalance,
            Measure::KeysMoved => 100.0 * r.keys_moved_by_add.unwrap_or(0.0),
            Measure::Throttled => 100.0 * r.throttled_share,
            Measure::RangeP99 => r.range_p99_ms.unwrap_or(0.0),
            Measure::GlobalP99 => r.global_p99_ms.unwrap_or(0.0),
        }
    }
}

fn ms(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "\u{2014}".into(), |v| format::number(v, 1))
}

/// A strategy's short name for a bar.
fn short(s: Strategy) -> &'static str {
    match s {
        Strategy::Hash => "Hash % N",
        Strategy::Range => "Range",
        Strategy::Geo => "Geo",
        Strategy::Directory => "Directory",
        Strategy::Consistent => "Consistent",
    }
}

/// One line on what every strategy shared.
fn describe(c: &Config, secs: u32) -> String {
    format!(
        "Same operations for every strategy (seed {}): {secs} simulated seconds of {} ops/s over {} keys (Zipf {}), {} shards of {} ops/s{}, then one shard added.",
        c.seed,
        format::number(c.rate, 0),
        format::number(f64::from(c.keys), 0),
        format::number(c.alpha, 2),
        c.shards,
        format::number(c.shard_capacity, 0),
        if c.logical_shards > 0 {
            format!(" ({} logical shards for hash and range)", c.logical_shards)
        } else {
            String::new()
        },
    )
}

/// One table row.
fn row(r: CompareRow) -> impl IntoView {
    let moved = r.keys_moved_by_add.map_or_else(
        || {
            if r.note.is_empty() {
                "\u{2014}".to_string()
            } else {
                format!("refused: {}", r.note)
            }
        },
        |m| format::percent(m, 1),
    );
    view! {
        <tr data-testid="compare-row" data-strategy=r.strategy.as_str()>
            <th scope="row">{r.label}</th>
            <td data-testid="compare-imbalance" data-value=format::raw(r.imbalance)>{format::number(r.imbalance, 2)}</td>
            <td>{format::percent(r.hottest_share, 1)}</td>
            <td data-testid="compare-throttled" data-value=format::raw(r.throttled_share)>
                {format::percent(r.throttled_share, 2)}
            </td>
            <td>{format::number(r.fanout, 2)}</td>
            <td>{ms(r.single_p99_ms)}</td>
            <td>{ms(r.range_p99_ms)}</td>
            <td>{ms(r.global_p99_ms)}</td>
            <td>{format::percent(r.cross_shard_share, 1)}</td>
            <td data-testid="compare-keys-moved" data-value=r.keys_moved_by_add.map(format::raw).unwrap_or_default()>
                {moved}
            </td>
        </tr>
    }
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: ShardState) -> impl IntoView {
    let secs = RwSignal::new(30u32);
    let measure = RwSignal::new(Measure::KeysMoved);
    let bg = use_background::<Comparison>(BUDGET);
    let ran_with = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);

    let run = move |_| {
        let base = state.lab.with_untracked(|l| l.config().clone());
        let duration = secs.get_untracked();
        error.set(None);
        match Comparison::new(base.clone(), &Strategy::ALL, f64::from(duration)) {
            Ok(c) => {
                ran_with.set(Some(describe(&base, duration)));
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
                    label: short(row.strategy).into(),
                    value: m.of(row),
                    color: i,
                })
                .collect::<Vec<_>>()
        })
    });
    let chart = move || {
        let m = measure.get();
        let title = format!("{} by strategy", m.label());
        view! { <BarChart bars=bars reference=Signal::stored(None) title=title y_label=m.label() testid="chart-compare"/> }
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare the strategies side by side"</h2>
            <p class="param-hint">
                "Runs your current settings under each of the five strategies on the same seeded operations, in the "
                "background, then adds one shard to each and counts the keys that move."
            </p>
            <CompareRunBar
                bg=bg
                seconds=secs
                durations=DURATIONS
                blocked=Signal::stored(None::<String>)
                error=error
                on_run=Callback::new(run)
            />
            <p class="param-hint" data-testid="compare-setup">{move || ran_with.get().unwrap_or_default()}</p>
            <Show
                when=move || bg.output.with(|o| o.as_ref().is_some_and(|r| !r.is_empty()))
                fallback=|| {
                    view! {
                        <p class="empty-state">
                            "Press Run comparison. Tip: turn on monotonic writes first to see which strategy gets one hot shard."
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
    fn the_setup_line_reads_well() {
        let line = describe(&Config::default(), 30);
        assert!(
            line.contains("30 simulated seconds of 4,000 ops/s over 1,000,000 keys"),
            "{line}"
        );
        assert!(line.contains("8 shards of 1,000 ops/s, then one shard added"), "{line}");
    }

    #[test]
    fn a_comparison_runs_in_slices_to_one_row_per_strategy() {
        let config = Config {
            keys: 20_000,
            ..Config::default()
        };
        let mut job = Comparison::new(config, &Strategy::ALL, 2.0).expect("valid");
        let mut slices = 0;
        while !SlicedJob::work(&mut job, 5_000) {
            slices += 1;
            assert!(slices < 100_000);
        }
        let rows = SlicedJob::output(&job);
        assert_eq!(rows.len(), 5);
        assert!(rows
            .iter()
            .all(|r| r.workload_fingerprint == rows[0].workload_fingerprint));
        let hash = rows
            .iter()
            .find(|r| r.strategy == Strategy::Hash)
            .and_then(|r| r.keys_moved_by_add);
        assert!(hash.is_some_and(|m| (m - 8.0 / 9.0).abs() < 0.02), "{hash:?}");
        assert!(slices > 1, "done in slices");
    }
}
