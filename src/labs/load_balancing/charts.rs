//! The load balancing page's charts: per-server utilisation and share of the requests (bars),
//! the latency distribution, p50 and p99 over time, and errors and drops over time. The two time
//! charts share one time axis and list the faults once.

use crate::components::chart::{shared_time_axis, Bar};
use crate::components::{BarChart, ChartEvent, LineChart, Series};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::loadbalancing::Snapshot;

/// The faults and fleet changes (numbered lines on the time charts).
fn events(snapshot: Signal<Snapshot>) -> Signal<Vec<ChartEvent>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .map(|e| ChartEvent {
                    at: e.at_s,
                    label: e.text.clone(),
                })
                .collect()
        })
    })
}

/// The time axis both time charts share: the run so far, kept while it fits (see [`shared_time_axis`]).
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (0.0, s.now_s)))
}

/// Each server's utilisation (running mode) or requests placed (static mode).
#[component]
pub fn ServerLoadChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let static_mode = Memo::new(move |_| snapshot.with(|s| s.static_mode));
    let bars = Signal::derive(move || {
        snapshot.with(|s| {
            s.servers
                .iter()
                .map(|v| Bar {
                    label: format!("S{}", v.id),
                    value: if s.static_mode {
                        v.placed as f64
                    } else {
                        100.0 * v.utilization
                    },
                    color: if !v.alive {
                        3
                    } else if v.slow {
                        1
                    } else {
                        0
                    },
                })
                .collect::<Vec<_>>()
        })
    });
    let mean = Signal::derive(move || snapshot.with(|s| s.static_mode.then_some(s.mean_load)));
    move || {
        if static_mode.get() {
            view! {
                <BarChart
                    bars=bars
                    reference=mean
                    title="Requests placed per server (line: the mean)"
                    y_label="requests"
                    testid="chart-server-load"
                />
            }
            .into_any()
        } else {
            view! {
                <BarChart
                    bars=bars
                    reference=Signal::stored(None)
                    top=Some(100.0)
                    title="Utilisation per server (orange: slow, red: dead)"
                    y_label="% busy"
                    testid="chart-server-load"
                />
            }
            .into_any()
        }
    }
}

/// Each server's share of the answered requests against an even share.
#[component]
pub fn ShareChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let bars = Signal::derive(move || {
        snapshot.with(|s| {
            s.servers
                .iter()
                .map(|v| Bar {
                    label: format!("S{}", v.id),
                    value: 100.0 * v.share,
                    color: 2,
                })
                .collect::<Vec<_>>()
        })
    });
    let even =
        Signal::derive(move || snapshot.with(|s| (!s.servers.is_empty()).then(|| 100.0 / s.servers.len() as f64)));
    view! {
        <BarChart
            bars=bars
            reference=even
            title="Share of the answered requests (line: an even share)"
            y_label="% of requests"
            testid="chart-share"
        />
    }
}

/// "12" or "1.2 s" for a bucket's lower edge in ms.
fn bucket_label(from_ms: f64) -> String {
    if from_ms >= 1_000.0 {
        format!("{}s", format::number(from_ms / 1_000.0, 1))
    } else if from_ms >= 10.0 {
        format::number(from_ms, 0)
    } else {
        format::number(from_ms, 1)
    }
}

/// The latency distribution since the counters restarted (shares, so the axis settles).
#[component]
pub fn LatencyHistogram(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let bars = Signal::derive(move || {
        snapshot.with(|s| {
            let h = &s.latency_histogram;
            let total: u64 = h.iter().map(|b| b.2).sum();
            let first = h.iter().position(|b| b.2 > 0).unwrap_or(0);
            let last = h.iter().rposition(|b| b.2 > 0).map_or(0, |i| i + 1);
            h.get(first..last)
                .unwrap_or(&[])
                .iter()
                .map(|&(from, _, count)| Bar {
                    label: bucket_label(from),
                    value: 100.0 * count as f64 / total.max(1) as f64,
                    color: 4,
                })
                .collect::<Vec<_>>()
        })
    });
    let has_data = move || snapshot.with(|s| s.latency_histogram.iter().any(|b| b.2 > 0));
    view! {
        <Show
            when=has_data
            fallback=|| view! { <p class="empty-state">"Press Play: the distribution fills as requests are answered."</p> }
        >
            <BarChart
                bars=bars
                reference=Signal::stored(None)
                title="Latency distribution (bars start at the labelled ms)"
                y_label="% of requests"
                testid="chart-latency"
            />
        </Show>
    }
}

/// p50 and p99 latency per second.
#[component]
pub fn PercentilesChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis shared with the errors chart.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("p50", 0, &s.p50_series),
                Series::new("p99", 3, &s.p99_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Latency p50 and p99, per simulated second (lines: faults and changes)"
            x_label="simulated time (s)"
            y_label="ms"
            events=events(snapshot)
            x_range=axis
            testid="chart-percentiles"
        />
    }
}

/// Errors and drops per second.
#[component]
pub fn ErrorsChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis shared with the percentiles chart.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("errors/s", 3, &s.errors_series),
                Series::new("dropped/s", 1, &s.drops_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Errors and drops per second"
            x_label="simulated time (s)"
            y_label="per second"
            events=events(snapshot)
            list_events=false
            x_range=axis
            testid="chart-errors"
        />
    }
}
