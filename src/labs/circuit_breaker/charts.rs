//! The circuit breaker page's charts: client answers and rejections per second, caller latency and
//! pool usage over time (shared line charts, lines at the moments the breaker opened), and the
//! state timeline under them (one coloured band per state, the outage shaded).

use crate::components::chart::shared_time_axis;
use crate::components::{drawn_svg, source, whole, ChartEvent, Drawing, LineChart, Series};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::breaker::{Snapshot, State};
use std::fmt::Write;

/// When the breaker opened (numbered lines on the charts).
fn events(snapshot: Signal<Snapshot>) -> Signal<Vec<ChartEvent>> {
    Signal::derive(move || {
        snapshot.with(|s| {
            s.transition_log
                .iter()
                .filter(|t| t.to == State::Open)
                .map(|t| ChartEvent {
                    at: t.at_s,
                    label: "breaker opened".into(),
                })
                .collect()
        })
    })
}

/// The time axis the page's charts and state timeline share: the run so far (from its first
/// state mark to now), kept while the run fits it (see [`shared_time_axis`]). One axis for all, so a
/// moment sits at the same x on every chart and the event numbers agree (the calls chart lists
/// them for all).
pub fn run_axis(snapshot: Signal<Snapshot>) -> Memo<(f64, f64)> {
    shared_time_axis(move || snapshot.with(|s| (start_s(s), s.now_s)))
}

/// Client answers (successes, failures) and breaker rejections per second; lists the events
/// (breaker opened) of all the page's charts.
#[component]
pub fn CallsChart(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    /// The time axis every chart of the page shares (see [`run_axis`]).
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            vec![
                Series::new("successes/s", 2, &s.successes_series),
                Series::new("failures/s", 3, &s.failures_series),
                Series::new("rejected/s", 0, &s.rejections_series),
            ]
        })
    });
    view! {
        <LineChart
            series=lines
            title="Client answers and rejections per second (lines: the breaker opens)"
            x_label="simulated time (s)"
            y_label="per second"
            events=events(snapshot)
            x_range=axis
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
    /// The time axis every chart of the page shares (see [`run_axis`]).
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || snapshot.with(|s| vec![Series::new("mean latency", 5, &s.latency_series)]));
    view! {
        <LineChart
            series=lines
            title="Caller latency: mean per quarter second (instant answers count as 0 ms)"
            x_label="simulated time (s)"
            y_label="ms"
            events=events(snapshot)
            list_events=false
            x_range=axis
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
    /// The time axis every chart of the page shares (see [`run_axis`]).
    #[prop(into)]
    axis: Signal<(f64, f64)>,
) -> impl IntoView {
    let lines = Signal::derive(move || {
        snapshot.with(|s| {
            let mut out = vec![Series::new("busy (peak per quarter second)", 1, &s.pool_series)];
            if let (Some(first), Some(last)) = (s.pool_series.first(), s.pool_series.last()) {
                let size = f64::from(s.pool);
                out.push(Series::new("pool size", 7, &[(first.0, size), (last.0, size)]));
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
            events=events(snapshot)
            list_events=false
            x_range=axis
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

/// The time the timeline starts at (its first state mark).
fn start_s(s: &Snapshot) -> f64 {
    s.state_timeline.first().map_or(0.0, |m| m.at_s)
}

/// The timeline of `s` on the time axis `from..to` (the line charts' axis, see
/// [`time_axis`](crate::components::chart::time_axis)), so a band sits under the same moment of every chart. The markup has a band per
/// state mark and the outage once it has begun; where bands start and end, their states and the
/// axis' two ends are live values.
fn timeline(s: &Snapshot, (from, to): (f64, f64)) -> Drawing {
    let span = (to - from).max(1e-9);
    let x = move |t: f64| TL_LEFT + (TL_RIGHT - TL_LEFT) * ((t - from) / span).clamp(0.0, 1.0);
    let mut d = Drawing::default();
    if let Some((a, b)) = s.outage_s.filter(|(a, _)| *a < s.now_s) {
        let (x0, x1) = (x(a), x(b.min(s.now_s)));
        d.markup.push_str(r#"<rect class="tl-outage" y="4" height="14""#);
        d.live("x width", [d1(x0).to_string(), d1((x1 - x0).max(1.0)).to_string()]);
        d.markup.push_str(r#"></rect><text class="tl-text" y="15""#);
        d.live("x", [d1(x0 + 3.0).to_string()]);
        d.markup.push_str(">outage</text>");
    }
    for (a, b, state) in bands(s).into_iter().filter(|(a, b, _)| b > a) {
        let (x0, x1) = (x(a), x(b));
        d.markup.push_str(r#"<rect y="22" height="26""#);
        d.live(
            "class data-state x width",
            [
                format!("tl-band sm-{}", state.as_str()),
                state.as_str().to_string(),
                d1(x0).to_string(),
                d1((x1 - x0).max(0.5)).to_string(),
            ],
        );
        d.markup.push_str("></rect>");
    }
    let _ = write!(d, r#"<text class="tl-text" x="{TL_LEFT}" y="66""#);
    d.live("text", [format::sim_clock(from)]);
    let _ = write!(
        d,
        r#"></text><text class="tl-text" x="{TL_RIGHT}" y="66" text-anchor="end""#
    );
    d.live("text", [format::sim_clock(to)]);
    d.markup.push_str("></text>");
    d
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
    /// The time axis shared with line charts above (see [`run_axis`]); by default the strip's own.
    #[prop(optional, into)]
    axis: Option<Signal<(f64, f64)>>,
) -> impl IntoView {
    let axis = axis.unwrap_or_else(|| run_axis(snapshot).into());
    let svg = move || {
        drawn_svg(
            "state-timeline-svg",
            format!("0 0 {TL_WIDTH} 72"),
            Signal::derive(move || snapshot.with(describe)),
            source(move || {
                let axis = axis.get();
                whole(snapshot.with(|s| timeline(s, axis)))
            }),
        )
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
    use crate::components::chart::time_axis;
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
        // Drawn: the bands tile the plot from its left to its right edge.
        let t = timeline(&s, time_axis(None, (0.0, 30.0)));
        assert_eq!(t.markup.matches(r#"<rect y="22""#).count(), b.len());
        assert!(t.markup.contains("outage"));
        assert_eq!(
            t.values.iter().filter(|v| v.starts_with("tl-band sm-")).count(),
            b.len()
        );
        assert_eq!(t.values.last(), Some(&format::sim_clock(30.0)));
        assert!(t.values.contains(&format!("{TL_LEFT:.1}")));
        // Time passing moves the bands; the markup stays until a state changes.
        lab.step_until(from_secs(30.01));
        let later = timeline(&lab.snapshot(), time_axis(Some((0.0, 30.0)), (0.0, 30.01)));
        if later.markup == t.markup {
            assert_ne!(later.values, t.values);
        }
        // Before the start nothing is drawn, and nothing is NaN.
        let empty = timeline(
            &BreakerLab::new(Config::default()).unwrap().snapshot(),
            time_axis(None, (0.0, 0.0)),
        );
        assert!(!empty.markup.contains("<rect") && !empty.values.iter().any(|v| v.contains("NaN")));
    }

    #[test]
    fn the_timeline_shares_the_line_charts_time_axis() {
        let mut lab = BreakerLab::new(Config::default()).unwrap();
        lab.step_until(from_secs(50.0));
        let s = lab.snapshot();
        // With the line charts' axis at 0-80 s and the run at 50 s, the bands stop at 50/80.
        let t = timeline(&s, time_axis(Some((0.0, 80.0)), (0.0, 50.0)));
        assert_eq!(
            t.values.last(),
            Some(&format::sim_clock(80.0)),
            "the axis ends where the charts' do"
        );
        let now_x = TL_LEFT + (TL_RIGHT - TL_LEFT) * 50.0 / 80.0;
        let furthest = t
            .values
            .iter()
            .filter_map(|v| v.parse::<f64>().ok())
            .fold(0.0_f64, f64::max);
        assert!(furthest <= now_x + 0.1, "nothing drawn past 50 s: {furthest} > {now_x}");
        assert_eq!(time_axis(None, (0.0, 50.0)), (0.0, 50.0));
    }
}
