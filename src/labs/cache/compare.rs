//! Compare: the same seeded request stream through two to five strategies, eviction policies or
//! protections, run by the core's [`Comparison`] in slices across frames, then a table and a chart.

use super::state::CacheState;
use crate::components::chart::Bar;
use crate::components::pacing::FrameBudget;
use crate::components::{use_frame_loop, BarChart, CompareTable, ProgressBar};
use crate::format;
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::cache::compare::{MAX_VARIANTS, MIN_VARIANTS};
use scalelab_sim::cache::{CompareProgress, CompareRow, Comparison, Config, Eviction, Protection, Strategy};
use scalelab_sim::params::Params;
use scalelab_sim::ConfigError;

/// The comparison table's columns.
const COLUMNS: &[&str] = &[
    "Variant",
    "Hit ratio",
    "Theory",
    "DB reads/s",
    "DB writes/s",
    "p50 ms",
    "p99 ms",
    "Stale reads",
    "Lost writes",
    "Peak DB in flight",
];
/// Measured requests per variant the learner can choose.
const REQUEST_CHOICES: &[(u64, &str)] = &[
    (10_000, "10,000"),
    (100_000, "100,000"),
    (1_000_000, "1,000,000"),
    (10_000_000, "10,000,000"),
];
/// Bounds of the adaptive per-frame request budget.
const MIN_BUDGET: f64 = 2_000.0;
const MAX_BUDGET: f64 = 400_000.0;

/// What the comparison varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Strategies,
    Evictions,
    Protections,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Strategies, Kind::Evictions, Kind::Protections];

    fn as_str(self) -> &'static str {
        match self {
            Kind::Strategies => "strategies",
            Kind::Evictions => "evictions",
            Kind::Protections => "protections",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Strategies => "Strategies",
            Kind::Evictions => "Eviction policies",
            Kind::Protections => "Stampede protections",
        }
    }

    fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// `(value, label)` pairs of the variants, from the core.
    fn options(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Strategies => Strategy::OPTIONS,
            Kind::Evictions => Eviction::OPTIONS,
            Kind::Protections => Protection::OPTIONS,
        }
    }

    fn defaults(self) -> Vec<String> {
        let picked: &[&str] = match self {
            Kind::Strategies => &["cache_aside", "write_through", "write_behind"],
            Kind::Evictions => &["lru", "lfu", "fifo", "sieve"],
            Kind::Protections => &["none", "lock", "xfetch"],
        };
        picked.iter().map(|s| (*s).to_string()).collect()
    }

    fn default_chart(self) -> Measure {
        match self {
            Kind::Strategies => Measure::DbWrites,
            Kind::Evictions => Measure::HitRatio,
            Kind::Protections => Measure::Peak,
        }
    }

    fn build(self, base: &Config, picked: &[String], warmup: u64, requests: u64) -> Result<Comparison, ConfigError> {
        match self {
            Kind::Strategies => {
                let list: Vec<Strategy> = picked.iter().filter_map(|s| Strategy::parse(s)).collect();
                Comparison::strategies(base, &list, warmup, requests)
            }
            Kind::Evictions => {
                let list: Vec<Eviction> = picked.iter().filter_map(|s| Eviction::parse(s)).collect();
                Comparison::evictions(base, &list, warmup, requests)
            }
            Kind::Protections => {
                let list: Vec<Protection> = picked.iter().filter_map(|s| Protection::parse(s)).collect();
                Comparison::protections(base, &list, warmup, requests)
            }
        }
    }
}

/// A comparison asked for but not built yet.
#[derive(Clone, Debug)]
struct Pending {
    kind: Kind,
    base: Config,
    variants: Vec<String>,
    warmup: u64,
    requests: u64,
    /// Frames to wait before building (so the progress line is painted first).
    frames_left: u8,
}

/// What the chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    HitRatio,
    DbReads,
    DbWrites,
    P99,
    Stale,
    Peak,
}

impl Measure {
    const ALL: [Measure; 6] = [
        Measure::HitRatio,
        Measure::DbReads,
        Measure::DbWrites,
        Measure::P99,
        Measure::Stale,
        Measure::Peak,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Measure::HitRatio => "hit_ratio",
            Measure::DbReads => "db_reads",
            Measure::DbWrites => "db_writes",
            Measure::P99 => "p99",
            Measure::Stale => "stale",
            Measure::Peak => "peak",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Measure::HitRatio => "Hit ratio",
            Measure::DbReads => "Database reads per second",
            Measure::DbWrites => "Database writes per second",
            Measure::P99 => "p99 latency (ms)",
            Measure::Stale => "Stale reads",
            Measure::Peak => "Peak database queries in flight",
        }
    }

    fn parse(raw: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    fn of(self, r: &CompareRow) -> f64 {
        match self {
            Measure::HitRatio => r.hit_ratio,
            Measure::DbReads => r.db_reads_per_s,
            Measure::DbWrites => r.db_writes_per_s,
            Measure::P99 => r.latency_p99_ms,
            Measure::Stale => r.stale_reads as f64,
            Measure::Peak => r.db_peak_concurrency as f64,
        }
    }
}

/// A variant's label without its parenthesised detail: "LRU", "Write-behind", "Lock".
fn short(label: &str) -> String {
    label.split(" (").next().unwrap_or(label).trim().to_string()
}

/// Warm-up requests (not counted) before the measured ones: a tenth of the run, or ten fills of
/// the cache, whichever is more, but never more than the run itself.
fn warmup_for(requests: u64, capacity: u32) -> u64 {
    (requests / 10)
        .max(u64::from(capacity).saturating_mul(10))
        .min(requests)
}

/// A one-line description of what every variant shares.
fn describe(base: &Config, warmup: u64, requests: u64) -> String {
    let ttl = if base.ttl_s > 0.0 {
        format!("TTL {} s", format::number(base.ttl_s, 1))
    } else {
        "no TTL".to_string()
    };
    format!(
        "Same stream for every variant (seed {}): {} keys, Zipf {}, {} reads, {} req/s, {ttl}, cache of {} entries; {} requests measured after a warm-up of {}.",
        base.seed,
        format::number(f64::from(base.keys), 0),
        format::number(base.alpha, 2),
        format::percent(base.read_ratio, 0),
        format::number(base.rate, 0),
        format::number(f64::from(base.capacity), 0),
        format::number(requests as f64, 0),
        format::number(warmup as f64, 0),
    )
}

/// The compare panel.
#[component]
pub fn ComparePanel(state: CacheState) -> impl IntoView {
    let kind = RwSignal::new(Kind::Strategies);
    let picks = (
        RwSignal::new(Kind::Strategies.defaults()),
        RwSignal::new(Kind::Evictions.defaults()),
        RwSignal::new(Kind::Protections.defaults()),
    );
    let picked = move |k: Kind| match k {
        Kind::Strategies => picks.0,
        Kind::Evictions => picks.1,
        Kind::Protections => picks.2,
    };
    let requests = RwSignal::new(100_000u64);
    let textbook = RwSignal::new(false);
    let measure = RwSignal::new(Kind::Strategies.default_chart());
    let running = StoredValue::new(None::<Comparison>);
    let pending = StoredValue::new(None::<Pending>);
    let progress = RwSignal::new(None::<CompareProgress>);
    let rows = RwSignal::new(Vec::<CompareRow>::new());
    let ran_with = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let budget = StoredValue::new(FrameBudget::new(20_000.0, MIN_BUDGET, MAX_BUDGET));

    let count = move || picked(kind.get()).with(Vec::len);
    let selection_error = move || {
        let n = count();
        (!(MIN_VARIANTS..=MAX_VARIANTS).contains(&n))
            .then(|| format!("Choose {MIN_VARIANTS} to {MAX_VARIANTS} variants ({n} chosen)."))
    };

    let run = move |_| {
        let k = kind.get_untracked();
        let mut base = state.lab.with_untracked(|l| l.config().clone());
        if textbook.get_untracked() {
            let _ = base.set_str("read_ratio", "1");
            let _ = base.set_str("ttl_s", "0");
        }
        let measured = requests.get_untracked();
        let warmup = warmup_for(measured, base.capacity);
        let chosen = picked(k).get_untracked();
        // Keep the options' order, whatever order they were ticked in.
        let variants: Vec<String> = k
            .options()
            .iter()
            .map(|(v, _)| (*v).to_string())
            .filter(|v| chosen.contains(v))
            .collect();
        error.set(None);
        rows.set(Vec::new());
        // A stream without writes has nothing to show on a writes chart.
        if base.read_ratio >= 1.0 && measure.get_untracked() == Measure::DbWrites {
            measure.set(Measure::HitRatio);
        }
        ran_with.set(Some(describe(&base, warmup, measured)));
        running.set_value(None);
        pending.set_value(Some(Pending {
            kind: k,
            base,
            variants,
            warmup,
            requests: measured,
            frames_left: 1,
        }));
        progress.set(Some(CompareProgress::default()));
    };
    let cancel = move |_| {
        pending.set_value(None);
        running.set_value(None);
        progress.set(None);
        ran_with.set(None);
    };

    let active = Signal::derive(move || progress.with(Option::is_some));
    use_frame_loop(active, move |_| {
        // Building allocates every variant at once: wait a frame so "Preparing" shows first.
        let mut build = None;
        pending.update_value(|p| match p {
            Some(job) if job.frames_left > 0 => job.frames_left -= 1,
            Some(_) => build = p.take(),
            None => {}
        });
        if let Some(job) = build {
            match job.kind.build(&job.base, &job.variants, job.warmup, job.requests) {
                Ok(c) => {
                    progress.set(Some(c.progress()));
                    running.set_value(Some(c));
                }
                Err(e) => {
                    error.set(Some(e.message));
                    progress.set(None);
                    ran_with.set(None);
                }
            }
            return;
        }
        if pending.with_value(Option::is_some) {
            return;
        }
        let started = platform::now_ms();
        let slice = budget.get_value().get() as u64;
        let mut result = None;
        running.update_value(|c| {
            if let Some(c) = c {
                let p = c.work(slice);
                result = Some((p, c.is_done().then(|| c.rows())));
            }
        });
        let elapsed = platform::now_ms() - started;
        // The budget always limits a comparison frame (it runs as fast as it can).
        budget.update_value(|b| b.tune(elapsed, true));
        match result {
            Some((_, Some(done))) => {
                rows.set(done);
                running.set_value(None);
                progress.set(None);
            }
            Some((p, None)) => progress.set(Some(p)),
            None => progress.set(None),
        }
    });

    let variant_boxes = move || {
        let k = kind.get();
        let chosen = picked(k);
        k.options()
            .iter()
            .map(|(value, label)| {
                let value = (*value).to_string();
                let v_checked = value.clone();
                let v_disabled = value.clone();
                let v_change = value.clone();
                let is_checked = move || chosen.with(|c| c.contains(&v_checked));
                view! {
                    <label class="compare-variant">
                        <input
                            type="checkbox"
                            data-testid=format!("compare-variant-{value}")
                            prop:checked=is_checked
                            disabled=move || {
                                chosen.with(|c| c.len() >= MAX_VARIANTS && !c.contains(&v_disabled))
                            }
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| x != &v_change);
                                    if on {
                                        c.push(v_change.clone());
                                    }
                                });
                            }
                        />
                        <span>{*label}</span>
                    </label>
                }
            })
            .collect_view()
    };

    let bars = Signal::derive(move || {
        let m = measure.get();
        rows.with(|r| {
            r.iter()
                .enumerate()
                .map(|(i, row)| Bar {
                    label: short(&row.label),
                    value: m.of(row),
                    color: i,
                })
                .collect::<Vec<_>>()
        })
    });
    let same_stream = move || {
        rows.with(|r| {
            let first = r.first().map(|x| (x.stream_fingerprint, x.requests));
            first.map(|(f, n)| {
                if r.iter().all(|x| x.stream_fingerprint == f) {
                    format!(
                        "\u{2714} Every variant saw exactly the same {} measured requests (equal stream fingerprints).",
                        format::number(n as f64, 0)
                    )
                } else {
                    "The variants saw different request streams.".to_string()
                }
            })
        })
    };
    let table_rows = move || {
        rows.get()
            .into_iter()
            .map(|r| {
                let theory = r
                    .theory_hit_ratio
                    .map(|t| format::percent(t, 1))
                    .unwrap_or_else(|| "n/a".into());
                view! {
                    <tr data-testid="compare-row">
                        <th scope="row" title=r.label.clone()>{short(&r.label)}</th>
                        <td data-testid="compare-hit-ratio" data-value=format::raw(r.hit_ratio)>
                            {format::percent(r.hit_ratio, 1)}
                        </td>
                        <td
                            data-testid="compare-theory"
                            data-value=r.theory_hit_ratio.map(format::raw).unwrap_or_default()
                        >
                            {theory}
                        </td>
                        <td>{format::number(r.db_reads_per_s, 1)}</td>
                        <td>{format::number(r.db_writes_per_s, 1)}</td>
                        <td>{format::number(r.latency_p50_ms, 2)}</td>
                        <td>{format::number(r.latency_p99_ms, 2)}</td>
                        <td>{format::number(r.stale_reads as f64, 0)}</td>
                        <td data-testid="compare-lost-writes" data-value=r.lost_writes.to_string()>
                            {format::number(r.lost_writes as f64, 0)}
                        </td>
                        <td data-testid="compare-peak" data-value=r.db_peak_concurrency.to_string()>
                            {format::number(r.db_peak_concurrency as f64, 0)}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="panel" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">"Compare side by side"</h2>
            <p class="param-hint">
                "Runs your current settings with two to five variants on the same seeded request stream, "
                "one after another in the background, then shows their numbers side by side."
            </p>
            <div class="compare-controls">
                <label class="param">
                    <span class="param-label">"Compare"</span>
                    <select
                        class="param-select"
                        data-testid="compare-kind"
                        prop:value=move || kind.get().as_str()
                        on:change=move |ev| {
                            if let Some(k) = Kind::parse(&event_target_value(&ev)) {
                                kind.set(k);
                                measure.set(k.default_chart());
                                textbook.set(k == Kind::Evictions);
                            }
                        }
                    >
                        {Kind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="param">
                    <span class="param-label">"Measured requests per variant"</span>
                    <select
                        class="param-select"
                        data-testid="compare-requests"
                        prop:value=move || requests.get().to_string()
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<u64>() {
                                if REQUEST_CHOICES.iter().any(|(v, _)| *v == n) {
                                    requests.set(n);
                                }
                            }
                        }
                    >
                        {REQUEST_CHOICES.iter().map(|(v, l)| view! { <option value=v.to_string()>{*l}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <fieldset class="compare-variants">
                <legend>{move || format!("{} to compare (2 to 5)", kind.get().label())}</legend>
                {variant_boxes}
            </fieldset>
            <label class="compare-variant">
                <input
                    type="checkbox"
                    data-testid="compare-textbook"
                    prop:checked=move || textbook.get()
                    on:change=move |ev| textbook.set(event_target_checked(&ev))
                />
                <span>"Use a textbook stream (reads only, no TTL) so the hit-ratio formulas apply"</span>
            </label>
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
                text=move || {
                    let p = progress.get().unwrap_or_default();
                    if p.total == 0 {
                        return "Preparing the variants\u{2026} ".to_string();
                    }
                    format!(
                        "Running\u{2026} {} of {} requests ",
                        format::number(p.done as f64, 0),
                        format::number(p.total as f64, 0)
                    )
                }
                fraction=Signal::derive(move || progress.get().unwrap_or_default().fraction())
            />
            <p class="param-hint" data-testid="compare-setup">{move || ran_with.get().unwrap_or_default()}</p>
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=move || {
                    view! {
                        <p class="empty-state">
                            "Pick the variants and press Run comparison. Tip: protections only differ when a hot key "
                            "expires under load: try a TTL of 5 s, 20,000 req/s and a 100 ms database."
                        </p>
                    }
                }
            >
                <CompareTable columns=COLUMNS>{table_rows}</CompareTable>
                <p class="param-hint" data-testid="compare-same-stream">{same_stream}</p>
                <label class="param compare-measure">
                    <span class="param-label">"Chart"</span>
                    <select
                        class="param-select"
                        data-testid="compare-chart-measure"
                        prop:value=move || measure.get().as_str()
                        on:change=move |ev| {
                            if let Some(m) = Measure::parse(&event_target_value(&ev)) {
                                measure.set(m);
                            }
                        }
                    >
                        {Measure::ALL.iter().map(|m| view! { <option value=m.as_str()>{m.label()}</option> }).collect_view()}
                    </select>
                </label>
                {move || {
                    let m = measure.get();
                    view! {
                        <BarChart
                            bars=bars
                            reference=Signal::stored(None)
                            top=(m == Measure::HitRatio).then_some(1.0)
                            title=format!("{} by variant", m.label())
                            y_label=m.label()
                            testid="chart-compare"
                        />
                    }
                }}
                <p class="param-hint">
                    "Theory: Che's approximation for LRU, the FIFO formula for FIFO and random, the top-C popularity "
                    "mass for LFU. It applies to reads-only streams without TTL; n/a otherwise, and for SIEVE and S3-FIFO."
                </p>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warmup_is_bounded_by_the_run() {
        assert_eq!(warmup_for(100_000, 1_000), 10_000);
        assert_eq!(warmup_for(10_000, 1_000_000), 10_000);
        assert_eq!(warmup_for(10_000_000, 100), 1_000_000);
        assert_eq!(short("LRU (least recently used)"), "LRU");
        assert_eq!(short("Random"), "Random");
    }

    #[test]
    fn default_selections_build() {
        for k in Kind::ALL {
            let c = k.build(&Config::default(), &k.defaults(), 100, 1_000);
            assert!(c.is_ok(), "{k:?}");
        }
    }
}
