//! What moving keys costs: hit ratio and database load around the last membership change, for
//! the learner's strategy and the comparison, replayed on the simulation clock.

use super::state::RingState;
use crate::components::{LineChart, ParamControl, Series};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::hashring::{CacheEffectConfig, CacheEffectSnapshot};
use scalelab_sim::params::Params;

/// A number of the cost table by name, for goals and the lesson test: `dip-a`/`dip-b` (lowest hit
/// ratio after the change, yours and the comparison's), `peak-db-a`/`peak-db-b` (highest database
/// reads per second after it), `peak-db-ratio` (the comparison's peak over yours). `None` before
/// the change has happened or for another name.
pub fn cost_value(a: &CacheEffectSnapshot, b: &CacheEffectSnapshot, name: &str) -> Option<f64> {
    match name {
        "dip-a" => a.dip_hit_ratio,
        "dip-b" => b.dip_hit_ratio,
        "peak-db-a" => a.peak_db_reads_per_s,
        "peak-db-b" => b.peak_db_reads_per_s,
        "peak-db-ratio" => Some(b.peak_db_reads_per_s? / a.peak_db_reads_per_s?).filter(|r| r.is_finite()),
        _ => None,
    }
}

/// The cost panel.
#[component]
pub fn CostPanel(state: RingState) -> impl IntoView {
    let names = move || {
        (
            state.snap.with(|s| s.strategy.as_str().to_string()),
            state.compare_snap.with(|s| s.strategy.as_str().to_string()),
        )
    };
    let series = move |pick: fn(&CacheEffectSnapshot) -> Vec<(f64, f64)>| {
        Signal::derive(move || {
            let (na, nb) = names();
            state
                .cost_snap
                .get()
                .map(|(a, b)| {
                    vec![
                        Series {
                            name: format!("{na} (yours)"),
                            color: 0,
                            points: pick(&a),
                        },
                        Series {
                            name: nb,
                            color: 3,
                            points: pick(&b),
                        },
                    ]
                })
                .unwrap_or_default()
        })
    };
    let markers = Signal::derive(move || {
        state
            .cost_snap
            .get()
            .map(|(a, _)| vec![a.change_at_s])
            .unwrap_or_default()
    });
    let controls = ["request_rate", "zipf_alpha", "cache_fraction"]
        .into_iter()
        .filter_map(|key| CacheEffectConfig::spec(key))
        .map(|spec| {
            let value = Signal::derive(move || state.cost_config.with(|c| c.get(spec.key)));
            let on_set = Callback::new(move |raw: String| state.set_cost_param(spec.key, &raw));
            view! { <ParamControl spec=spec value=value on_set=on_set/> }
        })
        .collect_view();
    let summary = move || {
        state.cost_snap.get().map(|(a, b)| {
            let (na, nb) = names();
            let cell = |v: Option<f64>, f: fn(f64) -> String| v.map(f).unwrap_or_else(|| "\u{2026}".into());
            let pct = |v: f64| format::percent(v, 1);
            let rate = |v: f64| format!("{}/s", format::number(v, 0));
            let secs = |v: f64| format!("{} s", format::number(v, 2));
            view! {
                <div class="table-wrap">
                    <table data-testid="cost-table">
                        <thead>
                            <tr>
                                <th scope="col">"Around the change"</th>
                                <th scope="col">{na}</th>
                                <th scope="col">{nb}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <tr>
                                <th scope="row">"Keys moved"</th>
                                <td>{pct(a.keys_moved)}</td>
                                <td>{pct(b.keys_moved)}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Hit ratio before"</th>
                                <td>{cell(a.steady_hit_ratio, pct)}</td>
                                <td>{cell(b.steady_hit_ratio, pct)}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Lowest hit ratio after"</th>
                                <td data-testid="cost-dip-a" data-value=a.dip_hit_ratio.map(format::raw).unwrap_or_default()>
                                    {cell(a.dip_hit_ratio, pct)}
                                </td>
                                <td data-testid="cost-dip-b" data-value=b.dip_hit_ratio.map(format::raw).unwrap_or_default()>
                                    {cell(b.dip_hit_ratio, pct)}
                                </td>
                            </tr>
                            <tr>
                                <th scope="row">"Peak database reads"</th>
                                <td>{cell(a.peak_db_reads_per_s, rate)}</td>
                                <td>{cell(b.peak_db_reads_per_s, rate)}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Time to recover"</th>
                                <td>{cell(a.recovery_s, secs)}</td>
                                <td>{cell(b.recovery_s, secs)}</td>
                            </tr>
                        </tbody>
                    </table>
                </div>
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="cost-title" data-testid="cost-panel">
            <h2 id="cost-title">"What moving keys costs"</h2>
            <p class="param-hint">
                "Each node caches its keys in front of one database. Traffic follows a Zipf popularity; "
                "the last membership change lands at the marked time, and every moved key is a miss at its new node."
            </p>
            <Show
                when=move || state.cost_snap.with(Option::is_some)
                fallback=move || {
                    view! {
                        <p class="empty-state">
                            "Add or remove a node to replay traffic around that change for both strategies. "
                            "Press Play to run the clock."
                        </p>
                    }
                }
            >
                <div class="panel-row two">
                    <LineChart
                        series=series(|s| s.hit_ratio.clone())
                        title="Cache hit ratio"
                        x_label="simulated time (s)"
                        y_label="hit ratio"
                        y_range=(0.0, 1.0)
                        markers=markers
                        testid="chart-hit-ratio"
                    />
                    <LineChart
                        series=series(|s| s.db_reads_per_s.clone())
                        title="Database reads per second"
                        x_label="simulated time (s)"
                        y_label="reads/s"
                        markers=markers
                        testid="chart-db-reads"
                    />
                </div>
                {summary}
            </Show>
            <details class="cost-settings">
                <summary>"Traffic and cache settings"</summary>
                <div class="params">{controls}</div>
            </details>
        </section>
    }
}
