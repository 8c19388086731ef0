//! The circuit breaker page's charts: client answers and rejections per second, caller latency and
//! pool usage over time (shared line charts, lines at the moments the breaker opened), and the
//! state timeline under them (one coloured band per state, the outage shaded).

use crate::components::{LineChart, Series};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::breaker::{Snapshot, State};

/// Times at which the breaker opened (drawn as vertical lines on the charts).
fn markers(snapshot: Signal<Snapshot>) -> Signal<Vec<f64>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.transition_log
                .iter()
                .filter(|t| t.to == State::Open)
                .map(|t| t.at_s)
                .collect()
        })
    })
}

fn series(name: &str, color: usize, points: &[(f64, f64)]) -> Series {
    Series {
        name: name.into(),
        color,
        points: points.to_vec(),
    }
}

/// Client answers (successes, failures) and breaker rejections per second.
#[component]
pub fn CallsChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                series("successes/s", 2, &s.successes_series),
                series("failures/s", 3, &s.failures_series),
                series("rejected/s", 0, &s.rejections_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Client answers and rejections per second (lines: the breaker opens)"
            x_label="simulated time (s)"
            y_label="per second"
            markers=markers(snapshot)
            testid="chart-calls"
        />
    }
}

/// Mean latency of the caller's answers over time.
#[component]
pub fn LatencyChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let lines = Signal::derive(move || snapshot.with(|s| vec![series("mean latency", 5, &s.latency_series)]));
    view! {
        <LineChart
            series=lines
            title="Caller latency: mean per quarter second (instant answers count as 0 ms)"
            x_label="simulated time (s)"
            y_label="ms"
            markers=markers(snapshot)
            testid="chart-latency"
        />
    }
}

/// Threads busy over time against the pool size.
#[component]
pub fn PoolChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            let mut out = vec![series("busy (peak per quarter second)", 1, &s.pool_series)];
            if let (Some(first), Some(last)) = (s.pool_series.first(), s.pool_series.last()) {
                let size = f64::from(s.pool);
                out.push(series("pool size", 7, &[(first.0, size), (last.0, size)]));
            }
            out
        })
    });
    view! {
        <LineChart
            series=lines
            title="Caller's threads busy"
            x_label="simulated time (s)"
            y_label="threads"
            markers=markers(snapshot)
            testid="chart-pool"
        />
    }
}

/// Geometry of the timeline, matching the line charts' plot area (same 520-wide viewBox).
const TL_WIDTH: f64 = 520.0;
const TL_LEFT: f64 = 72.0;
const TL_RIGHT: f64 = 512.0;

/// The bands of a state timeline: `(start_s, end_s, state)` from the marks up to `now_s`.
pub fn bands(s: &Snapshot) -> Vec<(f64, f64, State)> {
    let marks = &s.state_timeline;
    marks
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let end = marks.get(i + 1).map_or(s.now_s, |next| next.at_s);
            (m.at_s, end.max(m.at_s), m.state)
        })
        .collect()
}

/// The states over time as coloured bands, with the outage shaded above them.
#[component]
pub fn StateTimeline(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// Test id of the figure.
    #[prop(into, default = "state-timeline".to_string())]
    testid: String,
    /// Caption above the strip.
    #[prop(into, default = "Breaker state over time".to_string())]
    title: String,
    /// Whether to show the colour legend under the strip.
    #[prop(default = true)]
    legend: bool,
) -> impl IntoView {
    let svg = move || {
        snapshot.with(|s| {
            let from = s.state_timeline.first().map_or(0.0, |m| m.at_s);
            let span = (s.now_s - from).max(1e-9);
            let x = move |t: f64| TL_LEFT + (TL_RIGHT - TL_LEFT) * ((t - from) / span).clamp(0.0, 1.0);
            let outage = s.outage_s.filter(|(a, _)| *a < s.now_s).map(|(a, b)| {
                let (x0, x1) = (x(a), x(b.min(s.now_s)));
                view! {
                    <rect class="tl-outage" x=x0 y="4" width=(x1 - x0).max(1.0) height="14"></rect>
                    <text class="tl-text" x=x0 + 3.0 y="15">"outage"</text>
                }
            });
            let rects = bands(s)
                .into_iter()
                .filter(|(a, b, _)| b > a)
                .map(|(a, b, state)| {
                    let (x0, x1) = (x(a), x(b));
                    view! {
                        <rect class=format!("tl-band sm-{}", state.as_str()) data-state=state.as_str() x=x0 y="22" width=(x1 - x0).max(0.5) height="26"></rect>
                    }
                })
                .collect_view();
            view! {
                <svg class="state-timeline-svg" viewBox=format!("0 0 {TL_WIDTH} 72") role="img" aria-label=describe(s)>
                    {outage}
                    {rects}
                    <text class="tl-text" x=TL_LEFT y="66">{format::sim_clock(from)}</text>
                    <text class="tl-text" x=TL_RIGHT y="66" text-anchor="end">{format::sim_clock(s.now_s)}</text>
                </svg>
            }
        })
    };
    let started = move || snapshot.with(|s| s.now_s > 0.0);
    view! {
        <figure class="chart state-timeline" data-testid=testid>
            <figcaption>{title}</figcaption>
            <Show
                when=started
                fallback=|| view! { <p class="empty-state">"Press Play or Step: the states fill in as time passes."</p> }
            >
                {svg}
            </Show>
            {legend.then(state_legend)}
        </figure>
    }
}

/// The colour of each state.
pub fn state_legend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="State colours">
            {State::ALL
                .into_iter()
                .map(|st| view! { <li><span class=format!("swatch sm-{}", st.as_str())></span>{st.label()}</li> })
                .collect_view()}
        </ul>
    }
}

/// The timeline in words: time spent in each state.
fn describe(s: &Snapshot) -> String {
    let mut totals: Vec<(State, f64)> = Vec::new();
    for (a, b, state) in bands(s) {
        match totals.iter_mut().find(|(st, _)| *st == state) {
            Some((_, t)) => *t += b - a,
            None => totals.push((state, b - a)),
        }
    }
    let parts: Vec<String> = totals
        .iter()
        .map(|(st, t)| format!("{} for {}", st.label(), format::sim_clock(*t)))
        .collect();
    format!("Breaker state over time: {}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::breaker::{BreakerLab, Config};
    use scalelab_sim::engine::time::from_secs;

    #[test]
    fn bands_cover_the_run_without_gaps() {
        let mut lab = BreakerLab::new(Config::default()).unwrap();
        lab.step_until(from_secs(30.0));
        let s = lab.snapshot();
        let b = bands(&s);
        assert_eq!(b.first().map(|x| x.0), Some(0.0));
        assert_eq!(b.last().map(|x| x.1), Some(30.0));
        assert!(b.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(b.iter().any(|x| x.2 == State::Open));
        assert!(describe(&s).contains("OPEN for"));
    }
}
