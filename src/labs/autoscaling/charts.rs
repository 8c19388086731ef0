//! The autoscaling page's charts, on one time axis: traffic against the ready capacity (and
//! yesterday's curve), the replicas (running, ready, desired), p99 against the SLO, utilisation,
//! and the cost so far.

use crate::components::chart::shared_time_axis;
use crate::components::{LineChart, Series};
use leptos::prelude::*;
use scalelab_sim::autoscaling::Snapshot;

/// The time axis every chart shares: the run so far, kept while it fits (see [`shared_time_axis`]).
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (0.0, s.now_s)))
}

/// A flat line at `value` across the span of `points`.
fn level(name: &str, color: usize, value: f64, points: &[(f64, f64)]) -> Option<Series> {
    let (first, last) = (points.first()?, points.last()?);
    Some(Series::new(name, color, &[(first.0, value), (last.0, value)]))
}

/// A time chart of `lines` drawn from the snapshot.
fn time_chart(
    snapshot: Signal<Snapshot>,
    axis: Signal<(f64, f64)>,
    lines: fn(&Snapshot) -> Vec<Series>,
    title: &'static str,
    y_label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let series = Signal::derive(move || snapshot.with(lines));
    view! {
        <LineChart
            series=series
            title=title
            x_label="simulated time (s)"
            y_label=y_label
            x_range=axis
            testid=testid
        />
    }
}

/// Every chart of the page.
#[component]
pub fn Charts(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The shared time axis.
    #[prop(into)]
    axis: Signal<(f64, f64)>,
    /// The SLO's p99, ms.
    #[prop(into)]
    slo_ms: Signal<f64>,
) -> impl IntoView {
    let p99 = Signal::derive(move || {
        let slo = slo_ms.get();
        snapshot.with(|s| {
            let mut out = vec![Series::new("p99", 3, &s.lines.p99_ms)];
            out.extend(level("SLO", 7, slo, &s.lines.p99_ms));
            out
        })
    });
    view! {
        <div class="panel-row two">
            {time_chart(
                snapshot,
                axis,
                |s| {
                    let l = &s.lines;
                    let mut out = vec![
                        Series::new("traffic", 0, &l.demand_rps),
                        Series::new("ready capacity", 2, &l.capacity_rps),
                    ];
                    if !l.yesterday_rps.is_empty() {
                        out.push(Series::new("yesterday", 7, &l.yesterday_rps));
                    }
                    out
                },
                "Traffic against the ready instances' capacity",
                "requests/s",
                "chart-traffic",
            )}
            {time_chart(
                snapshot,
                axis,
                |s| {
                    let l = &s.lines;
                    vec![
                        Series::new("replicas", 0, &l.replicas),
                        Series::new("ready", 2, &l.ready),
                        Series::new("desired", 1, &l.desired),
                    ]
                },
                "Replicas: running, ready and desired",
                "instances",
                "chart-replicas",
            )}
            <LineChart
                series=p99
                title="p99 against the SLO"
                x_label="simulated time (s)"
                y_label="ms"
                x_range=axis
                testid="chart-p99"
            />
            {time_chart(
                snapshot,
                axis,
                |s| vec![Series::new("CPU %", 4, &s.lines.utilization)],
                "CPU utilisation of the ready instances",
                "%",
                "chart-utilization",
            )}
            {time_chart(
                snapshot,
                axis,
                |s| vec![Series::new("cost", 5, &s.lines.cost)],
                "Cost so far",
                "$",
                "chart-cost",
            )}
        </div>
    }
}
