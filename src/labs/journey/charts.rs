//! The journey's charts on one time axis: p99 per region against the SLO, the error rate, the
//! cost per month and the bottleneck's utilisation; in a level, lines where its fault starts and ends.

use crate::components::chart::shared_time_axis;
use crate::components::{LineChart, Series};
use leptos::prelude::*;
use scalelab_sim::journey::{Snapshot, FAULT_S, SLO_MS};

/// The time axis every chart shares: the run so far.
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (0.0, s.now_s)))
}

const REGIONS: [&str; 3] = ["US", "EU", "Asia"];

/// p99 per region with users, and the SLO.
fn p99(s: &Snapshot) -> Vec<Series> {
    let mut out: Vec<Series> = s
        .lines
        .p99_ms
        .iter()
        .zip(REGIONS)
        .enumerate()
        .filter(|(_, (line, _))| !line.is_empty())
        .map(|(i, (line, name))| Series::new(name, i, line))
        .collect();
    let all = s.lines.p99_ms.iter().flatten();
    let (first, last) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
    if first.is_finite() && last > first {
        out.push(Series::new("SLO", 7, &[(first, SLO_MS), (last, SLO_MS)]));
    }
    out
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
) -> impl IntoView {
    let latency = Signal::derive(move || snapshot.with(p99));
    // The level's fault: a vertical line where it starts and where it ends.
    let fault = Signal::derive(move || {
        snapshot.with(|s| {
            s.level
                .as_ref()
                .map(|l| vec![l.fault_at_s, l.fault_at_s + FAULT_S as f64])
                .unwrap_or_default()
        })
    });
    let errors = Signal::derive(move || {
        snapshot.with(|s| {
            let pct: Vec<(f64, f64)> = s.lines.error_rate.iter().map(|&(t, v)| (t, v * 100.0)).collect();
            vec![Series::new("errors %", 3, &pct)]
        })
    });
    let cost =
        Signal::derive(move || snapshot.with(|s| vec![Series::new("cost per month", 5, &s.lines.cost_per_month)]));
    let load = Signal::derive(move || {
        snapshot.with(|s| {
            let pct: Vec<(f64, f64)> = s.lines.bottleneck.iter().map(|&(t, v)| (t, v * 100.0)).collect();
            vec![Series::new("bottleneck utilisation %", 4, &pct)]
        })
    });
    view! {
        <div class="panel-row two">
            <LineChart series=latency title="p99 per region against the 200 ms SLO" x_label="simulated time (s)" y_label="ms" x_range=axis markers=fault testid="chart-p99"/>
            <LineChart series=errors title="Errors" x_label="simulated time (s)" y_label="% of requests" x_range=axis markers=fault testid="chart-errors"/>
            <LineChart series=cost title="Cost per month" x_label="simulated time (s)" y_label="$ per month" x_range=axis testid="chart-cost"/>
            <LineChart series=load title="The bottleneck's utilisation" x_label="simulated time (s)" y_label="%" x_range=axis testid="chart-bottleneck"/>
        </div>
    }
}
