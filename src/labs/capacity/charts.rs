//! The capacity page's charts: latency against utilisation, cost by server size, the USL curve and
//! the simulated response-time histogram against the formulas.

use super::state::CapState;
use crate::components::chart::Bar;
use crate::components::{BarChart, LineChart, Series};
use crate::format;
use leptos::prelude::*;

/// Latency stretch is drawn up to this factor at most (it grows without bound towards 100%
/// utilisation); below it the axis fits the curve, so the wall near 100% shows in full.
const MAX_STRETCH: f64 = 1_000.0;
/// Below this many completions the simulated p99 rests on fewer than 100 requests: the status
/// says it is still noisy.
const SETTLED_COMPLETIONS: u64 = 10_000;

/// Mean and p99 response time over service time against utilisation, with the current point and
/// the knee marked.
#[component]
pub fn LatencyCurve(state: CapState) -> impl IntoView {
    let series = Signal::derive(move || {
        state.plan(|p| {
            let mean = p
                .latency_curve
                .iter()
                .map(|c| (c.utilization, c.mean_stretch.min(MAX_STRETCH)))
                .collect();
            let p99 = p
                .latency_curve
                .iter()
                .map(|c| (c.utilization, c.p99_stretch.min(MAX_STRETCH)))
                .collect();
            vec![
                Series {
                    name: "mean response / service".into(),
                    color: 0,
                    points: mean,
                },
                Series {
                    name: "p99 response / service".into(),
                    color: 3,
                    points: p99,
                },
            ]
        })
    });
    let markers = Signal::derive(move || {
        state.plan(|p| {
            let mut m = vec![p.utilization.min(0.99)];
            m.extend(p.knee.as_ref().map(|k| k.utilization));
            m
        })
    });
    let caption = move || {
        state.plan(|p| {
            let knee = p
                .knee
                .as_ref()
                .map(|k| format::percent(k.utilization, 0))
                .unwrap_or_else(|| "\u{2014}".into());
            format!(
                "You are at {} utilisation; the knee of these {} request {} is at {knee}. The curve stops at \
                 99%: at 100% it has no end.",
                format::percent(p.utilization, 1),
                format::number(p.slots as f64, 0),
                if p.slots == 1 { "slot" } else { "slots" }
            )
        })
    };
    view! {
        <div>
            <LineChart
                series=series
                title="Response time against utilisation (lines: you, the knee)"
                x_label="utilisation"
                y_label="\u{00d7} service time"
                markers=markers
                testid="chart-latency-curve"
            />
            <p class="param-hint" data-testid="curve-caption">{caption}</p>
        </div>
    }
}

/// Hourly cost of carrying the load on each server size.
#[component]
pub fn CostBars(state: CapState) -> impl IntoView {
    let bars = Signal::derive(move || {
        state.plan(|p| {
            p.cost_options
                .iter()
                .enumerate()
                .map(|(i, o)| Bar {
                    label: format!("{} \u{00d7} {}", o.servers, o.size.key),
                    value: o.cost_per_hour,
                    color: i,
                })
                .collect::<Vec<_>>()
        })
    });
    let rows = move || {
        state.plan(|p| {
            p.cost_options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let cheapest = i == p.cheapest_option;
                    view! {
                        <tr class:best=cheapest>
                            <td>{o.size.label}</td>
                            <td>{o.servers.to_string()}</td>
                            <td>{format!("${}", format::number(o.price_per_hour, 2))}</td>
                            <td>{format!("${}{}", format::number(o.cost_per_hour, 2), if cheapest { " \u{2714}" } else { "" })}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div>
            <BarChart bars=bars reference=Signal::stored(None) title="Cost per hour by server size" y_label="$ per hour" testid="chart-cost"/>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Size"</th>
                            <th scope="col">"Servers"</th>
                            <th scope="col">"Price"</th>
                            <th scope="col">"Fleet cost"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// Throughput against fleet size under the Universal Scalability Law.
#[component]
pub fn UslChart(state: CapState) -> impl IntoView {
    let series = Signal::derive(move || {
        state.plan(|p| {
            vec![Series {
                name: "relative throughput".into(),
                color: 2,
                points: p.usl_curve.iter().map(|u| (u.nodes as f64, u.throughput)).collect(),
            }]
        })
    });
    let markers = Signal::derive(move || state.plan(|p| p.usl_peak_n.into_iter().collect::<Vec<_>>()));
    view! {
        <LineChart
            series=series
            title="Universal Scalability Law: throughput as servers are added (line: the peak)"
            x_label="servers"
            y_label="throughput (\u{00d7} one server)"
            markers=markers
            testid="chart-usl"
        />
    }
}

/// The simulation's response-time histogram and its figures next to the formulas'.
#[component]
pub fn SimulationView(state: CapState) -> impl IntoView {
    let bars = Signal::derive(move || {
        state
            .sim
            .get()
            .map(|s| {
                s.response_histogram
                    .iter()
                    .map(|b| Bar {
                        label: format::number(b.lower_ms, 2),
                        value: b.count as f64,
                        color: 4,
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let expected = Signal::derive(move || {
        state.sim.track();
        state.lab.with_untracked(|l| l.expected_histogram()).unwrap_or_default()
    });
    let cell = |v: Option<f64>, decimals: usize| {
        v.filter(|v| v.is_finite())
            .map(|v| format::number(v, decimals))
            .unwrap_or_else(|| "\u{2014}".into())
    };
    let rows = move || {
        let sim = state.sim.get();
        state.plan(|p| {
            let s = sim.as_ref();
            let row = |label: &'static str, analytic: Option<f64>, simulated: Option<f64>, d: usize| {
                view! {
                    <tr>
                        <th scope="row">{label}</th>
                        <td>{cell(analytic, d)}</td>
                        <td>{cell(simulated, d)}</td>
                    </tr>
                }
            };
            view! {
                {row("Utilisation", Some(p.utilization), s.map(|s| s.utilization), 4)}
                {row("Chance to wait", p.wait_probability, s.map(|s| s.wait_probability), 4)}
                {row("Mean wait (ms)", p.mean_wait_ms, s.map(|s| s.mean_wait_ms), 4)}
                {row("p50 response (ms)", p.p50_ms, s.and_then(|s| s.p50_ms), 4)}
                {row("p99 response (ms)", p.p99_ms, s.and_then(|s| s.p99_ms), 4)}
            }
        })
    };
    let status = move || {
        let fleet = state.plan(|p| p.fleet);
        state.sim.get().map(|s| {
            let mut text = format!(
                "{} {} ({} request {}), {} {} completed in {} s simulated",
                format::number(fleet as f64, 0),
                if fleet == 1 { "server" } else { "servers" },
                format::number(f64::from(s.slots), 0),
                if s.slots == 1 { "slot" } else { "slots" },
                format::number(s.completed as f64, 0),
                if s.completed == 1 { "request" } else { "requests" },
                format::number(s.measured_s, 2)
            );
            if s.unstable {
                text.push_str(&format!(
                    "; unstable: the queue grows ({} waiting, {} dropped)",
                    format::number(s.queue_length as f64, 0),
                    format::number(s.dropped as f64, 0)
                ));
            } else if s.completed > 0 && s.completed < SETTLED_COMPLETIONS {
                text.push_str(&format!(
                    ". The simulated p99 rests on the slowest {} of them, so it still wanders; give it \
                     {} completions or more (a faster speed gets there sooner).",
                    format::number(above_p99(s.completed), 0),
                    format::number(SETTLED_COMPLETIONS as f64, 0)
                ));
            }
            text
        })
    };
    view! {
        <p class="param-hint" role="status" data-testid="sim-status">
            {move || {
                status()
                    .unwrap_or_else(|| {
                        state.lab.with(|l| l.sim_unavailable().unwrap_or("No simulation for these settings.").to_string())
                    })
            }}
        </p>
        <div class="panel-row two">
            <Show
                when=move || state.sim.with(|s| s.as_ref().is_some_and(|s| s.completed > 0))
                fallback=|| {
                    view! {
                        <p class="empty-state">
                            "Press Play (or Step): the histogram of simulated response times fills as requests complete."
                        </p>
                    }
                }
            >
                <BarChart
                    bars=bars
                    reference=Signal::stored(None)
                    overlay=expected
                    title="Simulated response times (bars, each labelled with its lower edge in ms) against the formula (line)"
                    y_label="requests"
                    testid="chart-sim-histogram"
                />
            </Show>
            <div class="table-wrap">
                <table data-testid="sim-table">
                    <thead>
                        <tr>
                            <th scope="col">"Figure"</th>
                            <th scope="col">"Formula"</th>
                            <th scope="col">"Simulated"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// One percent of `completed`, rounded up: how many requests lie above a p99.
fn above_p99(completed: u64) -> f64 {
    completed.div_ceil(100) as f64
}
