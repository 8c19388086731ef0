//! Charts drawn with plotters' SVG backend and inserted as inline SVG.
//!
//! The SVG is made responsive (fixed `viewBox`, CSS width) and described for screen readers by a
//! caption; colours come from the colour-blind-safe palette in [`PALETTE`].

use super::chart_backend::Svg;
use super::live::{draw, source, whole, Drawing};
use crate::format::d1;
use leptos::prelude::*;
use plotters::chart::MeshStyle;
use plotters::prelude::*;

/// Okabe–Ito colour-blind-safe palette (blue, orange, bluish green, vermillion, sky blue,
/// reddish purple, yellow, grey) as RGB.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (213, 94, 0),
    (86, 180, 233),
    (204, 121, 167),
    (240, 228, 66),
    (120, 120, 120),
];

/// The palette colour for index `i` (cycles), as a CSS `rgb()` string.
pub fn palette_css(i: usize) -> String {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    format!("rgb({r},{g},{b})")
}

/// A colour for item `i` of many (a hash ring's nodes): the palette's eight hues in three shades
/// (as they are, then lighter, then darker), so 24 items in a row never share a colour; repeats
/// after that.
pub fn shaded_palette_css(i: usize) -> String {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    let mix = |c: u8, toward: f64, by: f64| (f64::from(c) + (toward - f64::from(c)) * by).round() as u8;
    let (r, g, b) = match (i / PALETTE.len()) % 3 {
        0 => (r, g, b),
        1 => (mix(r, 255.0, 0.5), mix(g, 255.0, 0.5), mix(b, 255.0, 0.5)),
        _ => (mix(r, 0.0, 0.45), mix(g, 0.0, 0.45), mix(b, 0.0, 0.45)),
    };
    format!("rgb({r},{g},{b})")
}

/// Text and grid colour: a mid grey that reads on light and dark backgrounds.
const INK: RGBColor = RGBColor(128, 128, 128);

/// One line of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// Palette index.
    pub color: usize,
    /// Points `(x, y)`, x ascending.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series named `name` in palette colour `color` through `points`.
    pub fn new(name: &str, color: usize, points: &[(f64, f64)]) -> Self {
        Self {
            name: name.into(),
            color,
            points: points.to_vec(),
        }
    }
}

const WIDTH: u32 = 520;
const HEIGHT: u32 = 300;

/// Where a chart's plotting area lies along one direction: the values its two edges stand for
/// (`v0`, `v1`) and their positions in SVG units (`p0`, `p1`) of the chart's 520 × 300 `viewBox`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// Value at the first edge (left, or bottom for y).
    pub v0: f64,
    /// Value at the second edge (right, or top for y).
    pub v1: f64,
    /// Position of the first edge, SVG units.
    pub p0: f64,
    /// Position of the second edge, SVG units.
    pub p1: f64,
}

impl Axis {
    /// Position of value `v`, clamped to the plotting area (a value beyond a fixed range is drawn
    /// at the edge, not outside the chart).
    pub fn at(&self, v: f64) -> f64 {
        let span = self.v1 - self.v0;
        let t = if span != 0.0 {
            ((v - self.v0) / span).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.p0 + t * (self.p1 - self.p0)
    }
}

/// A chart's axes, grid and labels (drawn by plotters) and the mapping from data to SVG units.
///
/// Drawn only when the axes change: the data on top is redrawn on its own, so a chart that gains
/// a point every tick repaints a few paths, not its whole grid and labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// SVG markup of the axes, grid and labels (the children of plotters' `<svg>` root).
    pub markup: String,
    /// Horizontal mapping.
    pub x: Axis,
    /// Vertical mapping.
    pub y: Axis,
    /// Bar charts: x position (SVG units) of each category's edges, `n + 1` of them.
    pub edges: Vec<f64>,
}

/// Widens `[lo, hi]` outwards to multiples of a round step (1, 2 or 5 × 10^k, about `steps` of
/// them across), so the axes drawn for a growing series change only when it crosses a step.
/// Non-finite or empty input gives `(0, 1)`.
pub fn nice_range(lo: f64, hi: f64, steps: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() || hi < lo {
        return (0.0, 1.0);
    }
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let raw = span / steps.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let (a, b) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if !a.is_finite() || !b.is_finite() {
        return (lo, if hi > lo { hi } else { lo + 1.0 });
    }
    (a, if b > a { b } else { a + step })
}

/// The axis ranges of a line chart for these series: x spans the data, y the fixed range or the
/// data (from 0 up), both widened to round steps and kept while the data fits them (see
/// [`sticky_range`]; `shown` is the pair on screen).
fn line_ranges(
    series: &[Series],
    y_range: Option<(f64, f64)>,
    shown: Option<((f64, f64), (f64, f64))>,
) -> ((f64, f64), (f64, f64)) {
    let finite = |v: &f64| v.is_finite();
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).filter(finite);
    let (x0, x1) = bounds(xs, (0.0, 1.0));
    let y = y_range.unwrap_or_else(|| {
        let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(finite);
        let (lo, hi) = bounds(ys, (0.0, 1.0));
        sticky_range(shown.map(|s| s.1), (lo.min(0.0), hi), 5.0, 0.2)
    });
    (time_axis(shown.map(|s| s.0), (x0, x1)), y)
}

/// The x range of a line chart whose data spans `[x0, x1]` (`shown`: the range on screen). x is
/// mostly time, which only grows: more room than y, but not so much that a chart seen after a
/// jump (`until`) looks empty. A strip drawn under line charts (a state timeline) uses it too, so
/// its time axis matches theirs.
pub fn time_axis(shown: Option<(f64, f64)>, (x0, x1): (f64, f64)) -> (f64, f64) {
    sticky_range(shown, (x0, x1), 6.0, 0.3)
}

/// One time axis for several charts of a page (and a strip under them): `span` is the run so far
/// (from, now) in simulated seconds, kept while the run fits it (see [`time_axis`]). Pass it as
/// each chart's `x_range`, so a moment sits at the same x on all of them and their event numbers
/// agree.
pub fn shared_time_axis(span: impl Fn() -> (f64, f64) + Send + Sync + 'static) -> Memo<(f64, f64)> {
    Memo::new(move |shown: Option<&(f64, f64)>| time_axis(shown.copied(), span()))
}

/// The axis range for data spanning `[lo, hi]`: `shown` while the data fits in it and fills at
/// least half of it; when the data has outgrown it at the top, [`nice_range`] with `room` (a
/// fraction of the span) more above; otherwise (a first fit, data that shrank) the tight
/// [`nice_range`]. So a growing series (time) moves its axes, and has them redrawn, a few times
/// as it doubles rather than at every round step, one that wobbles around a step (a lag) not at
/// all, and a chart of fixed data (a curve from 0 to 1) fits it.
pub fn sticky_range(shown: Option<(f64, f64)>, (lo, hi): (f64, f64), steps: f64, room: f64) -> (f64, f64) {
    match shown {
        Some((a, b)) if lo >= a && hi <= b && (hi - lo) >= 0.5 * (b - a) => (a, b),
        Some((_, b)) if hi > b => nice_range(lo, hi + room * (hi - lo), steps),
        _ => nice_range(lo, hi, steps),
    }
}

fn frame_from<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    lo: (X::ValueType, f64),
    hi: (X::ValueType, f64),
    xs: (f64, f64),
) -> (Axis, Axis)
where
    DB: DrawingBackend,
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let (a, b) = (chart.backend_coord(&lo), chart.backend_coord(&hi));
    let x = Axis {
        v0: xs.0,
        v1: xs.1,
        p0: a.0 as f64,
        p1: b.0 as f64,
    };
    let y = Axis {
        v0: lo.1,
        v1: hi.1,
        p0: a.1 as f64,
        p1: b.1 as f64,
    };
    (x, y)
}

/// Draws a line chart's axes for the given ranges. Pure, so it is tested natively.
pub fn line_frame(x: (f64, f64), y: (f64, f64), x_label: &str, y_label: &str) -> Frame {
    let mut out = String::new();
    let mut axes = None;
    {
        let root = Svg(SVGBackend::with_string(&mut out, (WIDTH, HEIGHT))).into_drawing_area();
        let chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(x.0..x.1, y.0..y.1);
        if let Ok(mut chart) = chart {
            let _ = house_style(&mut chart.configure_mesh())
                .x_desc(x_label)
                .x_labels(6)
                .x_label_formatter(&tick)
                .y_desc(y_label)
                .draw();
            axes = Some(frame_from(&chart, (x.0, y.0), (x.1, y.1), x));
        }
        let _ = root.present();
    }
    let (x, y) = axes.unwrap_or((
        Axis {
            v0: x.0,
            v1: x.1,
            p0: 0.0,
            p1: 0.0,
        },
        Axis {
            v0: y.0,
            v1: y.1,
            p0: 0.0,
            p1: 0.0,
        },
    ));
    Frame {
        markup: svg_children(&out).to_string(),
        x,
        y,
        edges: Vec::new(),
    }
}

/// A tick label: no trailing zeros, thousands grouped (`0.5`, `10`, `40,000`).
fn tick(v: &f64) -> String {
    crate::format::number(*v, 3)
}

/// The look both chart kinds share: grey axes and labels, a faint grid, five y labels.
fn house_style<'a, 'b, 'm, X, Y, DB>(mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    DB: DrawingBackend,
{
    mesh.axis_desc_style((FontFamily::SansSerif, 16).into_font().color(&INK))
        .label_style((FontFamily::SansSerif, 15).into_font().color(&INK))
        .axis_style(INK)
        .light_line_style(INK.mix(0.12))
        .bold_line_style(INK.mix(0.25))
        .y_labels(5)
        .y_label_formatter(&tick)
}

/// The children of an `<svg …>` root element (plotters' output) as markup for a `<g>`.
fn svg_children(svg: &str) -> &str {
    let open = svg.find("<svg").and_then(|i| svg[i..].find('>').map(|j| i + j + 1));
    match (open, svg.rfind("</svg>")) {
        (Some(a), Some(b)) if b >= a => &svg[a..b],
        _ => "",
    }
}

/// Something that happened at `at` on a line chart's x axis (a crash, a failover), drawn as a
/// numbered vertical line and listed under the chart with its `label`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartEvent {
    /// Where on the x axis (simulated seconds on the time charts).
    pub at: f64,
    /// What happened, in a few words ("crash", "replica 2 stopped").
    pub label: String,
}

/// The events inside the x range `(lo, hi)`, in order, as the chart numbers them.
fn events_in(events: &[ChartEvent], (lo, hi): (f64, f64)) -> Vec<&ChartEvent> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    events
        .iter()
        .filter(|e| e.at.is_finite() && e.at >= lo && e.at <= hi)
        .collect()
}

/// The data of a line chart on `frame`: one path per series (broken where a value is not finite),
/// a vertical line per marker and a numbered one per event inside the x range, as a [`Drawing`]
/// whose values are the paths' `d`, so new data rewrites attributes instead of replacing
/// elements. Pure, so it is tested natively.
pub fn line_data(series: &[Series], markers: &[f64], events: &[ChartEvent], frame: &Frame) -> Drawing {
    use std::fmt::Write;
    let (fx, fy) = (frame.x, frame.y);
    let mut out = Drawing::default();
    let (x0, x1) = (fx.v0.min(fx.v1), fx.v0.max(fx.v1));
    for &m in markers.iter().filter(|m| m.is_finite() && **m >= x0 && **m <= x1) {
        let x = fx.at(m);
        out.markup.push_str(r#"<path class="chart-marker""#);
        out.live("d", [format!("M{} {}V{}", d1(x), d1(fy.p0), d1(fy.p1))]);
        out.markup.push_str("/>");
    }
    for (i, e) in events_in(events, (x0, x1)).into_iter().enumerate() {
        let x = fx.at(e.at);
        let top = fy.p0.min(fy.p1);
        out.markup.push_str(r#"<path class="chart-marker chart-event""#);
        out.live("d", [format!("M{} {}V{}", d1(x), d1(fy.p0), d1(fy.p1))]);
        out.markup.push_str(r#"/><text class="chart-event-num""#);
        out.live("x y", [d1(x + 3.0).to_string(), d1(top + 12.0).to_string()]);
        let _ = write!(out.markup, ">{}</text>", i + 1);
    }
    for s in series {
        let mut d = String::new();
        let mut pen_down = false;
        for &(x, y) in &s.points {
            if !(x.is_finite() && y.is_finite()) {
                pen_down = false;
                continue;
            }
            let cmd = if pen_down { 'L' } else { 'M' };
            let _ = write!(d, "{cmd}{} {}", d1(fx.at(x)), d1(fy.at(y)));
            pen_down = true;
        }
        if !d.is_empty() {
            let _ = write!(out, r#"<path class="chart-line" stroke="{}""#, palette_css(s.color));
            out.live("d", [d]);
            out.markup.push_str("/>");
        }
    }
    out
}

/// The SVG both chart kinds render into: the axes layer, redrawn when [`Frame`] changes, and the
/// data layer on top, redrawn when the data changes.
fn chart_svg(frame: Memo<Frame>, data: impl Fn() -> Drawing + 'static) -> impl IntoView {
    view! {
        <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") xmlns="http://www.w3.org/2000/svg">
            <g class="chart-axes" inner_html=move || frame.with(|f| f.markup.clone())></g>
            <g class="chart-data" use:draw=source(move || whole(data()))></g>
        </svg>
    }
}

/// A line chart of one or more series with optional vertical markers (e.g. membership changes).
///
/// Axes are drawn by plotters only when their (rounded) ranges change; the lines are a few SVG
/// paths redrawn with the data, and the legend only when the series' names or colours change.
#[component]
pub fn LineChart(
    /// Series to draw.
    #[prop(into)]
    series: Signal<Vec<Series>>,
    /// Caption and accessible name.
    #[prop(into)]
    title: String,
    /// X axis label.
    #[prop(into)]
    x_label: String,
    /// Y axis label.
    #[prop(into)]
    y_label: String,
    /// Fixed y range; `None` fits the data.
    #[prop(optional)]
    y_range: Option<(f64, f64)>,
    /// X positions of plain vertical lines (e.g. a knee on a curve).
    #[prop(into, default = Signal::stored(Vec::new()))]
    markers: Signal<Vec<f64>>,
    /// Events, drawn as numbered vertical lines and listed with their labels under the chart.
    #[prop(into, default = Signal::stored(Vec::new()))]
    events: Signal<Vec<ChartEvent>>,
    /// Whether the events are listed under this chart (default true). Charts that share an x
    /// range (`x_range`) number the same events alike, so one list can serve them all.
    #[prop(default = true)]
    list_events: bool,
    /// A fixed x range shared with other charts (see [`time_axis`]); `None` (the default) fits
    /// this chart's own data.
    #[prop(optional, into)]
    x_range: Option<Signal<(f64, f64)>>,
    /// Test id of the figure.
    #[prop(into, default = String::new())]
    testid: String,
) -> impl IntoView {
    let caption = title.clone();
    // Computed once per change (the inputs are often derived signals) and compared: a snapshot
    // that leaves the series as they were redraws nothing.
    let series = Memo::new(move |_| series.get());
    let markers = Memo::new(move |_| markers.get());
    let events = Memo::new(move |_| events.get());
    let ranges = Memo::new(move |shown: Option<&((f64, f64), (f64, f64))>| {
        let (x, y) = series.with(|s| line_ranges(s, y_range, shown.copied()));
        (x_range.map_or(x, |r| r.get()), y)
    });
    let frame = Memo::new(move |_| {
        let (x, y) = ranges.get();
        line_frame(x, y, &x_label, &y_label)
    });
    let data = move || frame.with(|f| series.with(|s| markers.with(|m| events.with(|e| line_data(s, m, e, f)))));
    // The events on screen, numbered as the lines are.
    let shown_events = Memo::new(move |_| {
        let x = ranges.get().0;
        events.with(|e| {
            events_in(e, x)
                .into_iter()
                .map(|e| format!("{} ({})", e.label, crate::format::sim_clock(e.at)))
                .collect::<Vec<_>>()
        })
    });
    let event_list = move || {
        if !list_events {
            return None;
        }
        let shown = shown_events.get();
        (!shown.is_empty()).then(|| {
            let items = shown
                .into_iter()
                .enumerate()
                .map(|(i, text)| view! { <li><span class="chart-event-num">{i + 1}</span>" "{text}</li> })
                .collect_view();
            view! { <ol class="chart-events" aria-label="Events on this chart">{items}</ol> }
        })
    };
    // The legend is HTML, not SVG text: it stays readable at phone widths and costs no font code.
    let entries = Memo::new(move |_| series.with(|s| s.iter().map(|s| (s.name.clone(), s.color)).collect::<Vec<_>>()));
    let legend = move || {
        let entries = entries.get();
        (entries.len() > 1).then(|| {
            let items = entries
                .into_iter()
                .map(|(name, color)| {
                    let swatch = format!("background:{}", palette_css(color));
                    view! { <li><span class="swatch" style=swatch></span>{name}</li> }
                })
                .collect_view();
            view! { <ul class="legend chart-legend" aria-label="Legend">{items}</ul> }
        })
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>
                <span>{caption.clone()}</span>
                <super::chart_export::ChartExport title=caption/>
            </figcaption>
            <div class="chart-svg" role="img" aria-label=title>{chart_svg(frame, data)}</div>
            {legend}
            {event_list}
        </figure>
    }
}

/// One bar of a bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Label under the bar (shown when there are few bars).
    pub label: String,
    /// Height.
    pub value: f64,
    /// Palette index.
    pub color: usize,
}

/// A bar chart with an optional horizontal reference line (e.g. the ideal load).
///
/// As [`LineChart`]: the axes are redrawn only when the categories or the rounded top change.
#[component]
pub fn BarChart(
    /// Bars, left to right.
    #[prop(into)]
    bars: Signal<Vec<Bar>>,
    /// Reference line height, if any.
    #[prop(into)]
    reference: Signal<Option<f64>>,
    /// Caption and accessible name.
    #[prop(into)]
    title: String,
    /// Y axis label.
    #[prop(into)]
    y_label: String,
    /// Test id of the figure.
    #[prop(into, default = String::new())]
    testid: String,
    /// Optional expected value per bar, drawn as a line through the bar centres (e.g. a formula's
    /// prediction over a simulated histogram).
    #[prop(into, default = Signal::stored(Vec::new()))]
    overlay: Signal<Vec<f64>>,
    /// A fixed top of the y axis (e.g. 1 for ratios); by default (`None`) it follows the data.
    #[prop(default = None)]
    top: Option<f64>,
) -> impl IntoView {
    let caption = title.clone();
    let bars = Memo::new(move |_| bars.get());
    let overlay = Memo::new(move |_| overlay.get());
    let reference = Memo::new(move |_| reference.get());
    let shape = Memo::new(move |shown: Option<&(Vec<String>, f64)>| {
        let shown = shown.map(|s| s.1);
        let top = top
            .filter(|t| t.is_finite() && *t > 0.0)
            .unwrap_or_else(|| bars.with(|b| reference.with(|r| overlay.with(|o| bar_top(b, *r, o, shown)))));
        let labels: Vec<String> = bars.with(|b| b.iter().map(|b| b.label.clone()).collect());
        (labels, top)
    });
    let frame = Memo::new(move |_| shape.with(|(labels, top)| bar_frame(labels, *top, &y_label)));
    let data = move || frame.with(|f| bars.with(|b| overlay.with(|o| bar_data(b, reference.get(), o, f))));
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>
                <span>{caption.clone()}</span>
                <super::chart_export::ChartExport title=caption/>
            </figcaption>
            <div class="chart-svg" role="img" aria-label=title>{chart_svg(frame, data)}</div>
        </figure>
    }
}

/// The top of a bar chart's y axis: the largest finite value (at least 1) with 10% headroom,
/// rounded up to a round step, or `shown` (the top on screen) while that still fits (see
/// [`sticky_range`]).
fn bar_top(bars: &[Bar], reference: Option<f64>, overlay: &[f64], shown: Option<f64>) -> f64 {
    let top = bars
        .iter()
        .map(|b| b.value)
        .chain(reference)
        .chain(overlay.iter().copied())
        .filter(|v| v.is_finite())
        .fold(1.0_f64, f64::max);
    sticky_range(shown.map(|t| (0.0, t)), (0.0, top * 1.1), 5.0, 0.0).1
}

/// Draws a bar chart's axes for these categories and y range `0..top`. Pure, so it is tested
/// natively. Labels show under the bars when there are at most 16.
pub fn bar_frame(labels: &[String], top: f64, y_label: &str) -> Frame {
    let mut out = String::new();
    let n = labels.len().max(1);
    let n32 = n as u32;
    let top = if top.is_finite() && top > 0.0 { top } else { 1.0 };
    let mut mapped = None;
    {
        let root = Svg(SVGBackend::with_string(&mut out, (WIDTH, HEIGHT))).into_drawing_area();
        let chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n32 - 1).into_segmented(), 0.0..top);
        if let Ok(mut chart) = chart {
            let show_labels = n <= 16;
            let label_of = |v: &SegmentValue<u32>| match v {
                SegmentValue::CenterOf(i) if show_labels => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            };
            let _ = house_style(&mut chart.configure_mesh())
                .disable_x_mesh()
                // Never 0: plotters' integer key points overflow (and loop forever in release) with 0.
                .x_labels(if show_labels { n + 1 } else { 2 })
                .x_label_formatter(&label_of)
                .y_desc(y_label)
                .draw();
            // plotters' integer ranges include their end: `0..n - 1` is n categories.
            let (x, y) = frame_from(
                &chart,
                (SegmentValue::Exact(0), 0.0),
                (SegmentValue::Exact(n32), top),
                (0.0, n as f64),
            );
            let edges = (0..=n32)
                .map(|i| chart.backend_coord(&(SegmentValue::Exact(i), 0.0)).0 as f64)
                .collect();
            mapped = Some((x, y, edges));
        }
        let _ = root.present();
    }
    let (x, y, edges) = mapped.unwrap_or_else(|| {
        let zero = Axis {
            v0: 0.0,
            v1: 1.0,
            p0: 0.0,
            p1: 0.0,
        };
        (zero, zero, vec![0.0; n + 1])
    });
    Frame {
        markup: svg_children(&out).to_string(),
        x,
        y,
        edges,
    }
}

/// A bar chart's data on `frame`: one path per colour holding its bars, the reference line and
/// the overlay through the bar centres, as a [`Drawing`] whose values are the paths' `d`. Pure,
/// so it is tested natively.
pub fn bar_data(bars: &[Bar], reference: Option<f64>, overlay: &[f64], frame: &Frame) -> Drawing {
    use std::fmt::Write;
    let y = frame.y;
    let base = y.at(0.0);
    let edge = |i: usize| frame.edges.get(i).copied();
    let inset = if bars.len() > 60 { 0.0 } else { 3.0 };
    let mut by_colour: Vec<(usize, String)> = Vec::new();
    for (i, b) in bars.iter().enumerate() {
        let (Some(l), Some(r)) = (edge(i), edge(i + 1)) else {
            break;
        };
        let v = if b.value.is_finite() { b.value.max(0.0) } else { y.v1 };
        let (l, r) = (l + inset, (r - inset).max(l + inset + 0.5));
        let top = y.at(v);
        let d = match by_colour.iter_mut().find(|(c, _)| *c == b.color % PALETTE.len()) {
            Some((_, d)) => d,
            None => {
                by_colour.push((b.color % PALETTE.len(), String::new()));
                &mut by_colour.last_mut().expect("just pushed").1
            }
        };
        let _ = write!(d, "M{} {}V{}H{}V{}Z", d1(l), d1(base), d1(top), d1(r), d1(base));
    }
    let mut out = Drawing::default();
    for (c, d) in by_colour {
        let _ = write!(out, r#"<path fill="{}""#, palette_css(c));
        out.live("d", [d]);
        out.markup.push_str("/>");
    }
    if let (Some(r), Some(l), Some(rr)) = (reference.filter(|r| r.is_finite()), edge(0), frame.edges.last()) {
        out.markup.push_str(r#"<path class="chart-reference""#);
        out.live("d", [format!("M{} {}H{}", d1(l), d1(y.at(r)), d1(*rr))]);
        out.markup.push_str("/>");
    }
    let mut d = String::new();
    for (i, v) in overlay.iter().take(bars.len()).enumerate() {
        let (Some(l), Some(r)) = (edge(i), edge(i + 1)) else {
            break;
        };
        if v.is_finite() {
            let cmd = if d.is_empty() { 'M' } else { 'L' };
            let _ = write!(d, "{cmd}{} {}", d1((l + r) / 2.0), d1(y.at(*v)));
        }
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path class="chart-line" stroke="{}" stroke-width="3""#,
            palette_css(3)
        );
        out.live("d", [d]);
        out.markup.push_str("/>");
    }
    out
}

fn bounds(values: impl Iterator<Item = f64>, default: (f64, f64)) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo, lo + 1.0)
    } else {
        default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_four_nodes_in_a_row_have_distinct_colours() {
        let colours: Vec<String> = (0..24).map(shaded_palette_css).collect();
        for (i, c) in colours.iter().enumerate() {
            assert!(colours.iter().skip(i + 1).all(|o| o != c), "{i}: {c}");
        }
        assert_eq!(shaded_palette_css(0), palette_css(0));
        assert_eq!(shaded_palette_css(24), shaded_palette_css(0));
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn nice_range_widens_to_round_steps() {
        assert_eq!(nice_range(0.0, 7.0, 6.0), (0.0, 8.0));
        assert_eq!(nice_range(0.0, 0.93, 5.0), (0.0, 1.0));
        assert_eq!(nice_range(12.0, 71.0, 6.0), (10.0, 80.0));
        assert_eq!(nice_range(-3.0, 4.0, 5.0), (-4.0, 4.0));
        // The range only moves when the data crosses a step.
        assert_eq!(nice_range(0.0, 61.0, 6.0), nice_range(0.0, 69.0, 6.0));
        // Degenerate and hostile input.
        assert_eq!(nice_range(5.0, 5.0, 5.0), (5.0, 6.0));
        assert_eq!(nice_range(f64::NAN, 1.0, 5.0), (0.0, 1.0));
        assert_eq!(nice_range(2.0, 1.0, 5.0), (0.0, 1.0));
        let (a, b) = nice_range(0.0, 1e308, 5.0);
        assert!(a.is_finite() && b.is_finite() && b > a, "{a} {b}");
    }

    #[test]
    fn a_fitted_range_sticks_while_the_data_fills_half_of_it() {
        let shown = Some((0.0, 60.0));
        // A wobble around a step (48 -> 52 -> 31) keeps the axes.
        assert_eq!(sticky_range(shown, (0.0, 52.0), 5.0, 0.2), (0.0, 60.0));
        assert_eq!(sticky_range(shown, (0.0, 31.0), 5.0, 0.2), (0.0, 60.0));
        // Outgrowing it fits anew with room to grow: 61 + 20% -> step 20 -> 0..80.
        assert_eq!(sticky_range(shown, (0.0, 61.0), 5.0, 0.2), (0.0, 80.0));
        // Shrinking below half of it, or a first fit, fits tight: 29 -> step 10 -> 0..30.
        assert_eq!(sticky_range(shown, (0.0, 29.0), 5.0, 0.2), (0.0, 30.0));
        assert_eq!(sticky_range(None, (0.0, 52.0), 5.0, 0.2), (0.0, 60.0));
        // Fixed data (a curve over 0..1) gets no room.
        assert_eq!(sticky_range(None, (0.0, 1.0), 6.0, 0.3), (0.0, 1.0));
        assert_eq!(sticky_range(shown, (f64::NAN, 1.0), 5.0, 0.2), (0.0, 1.0));
        // A clock from 0 s: with 30% of its span as room, the x axis moves 6 times from 1 s to
        // 10 s and 10 times from 1 s to a minute (refitting at every round step: 10 and 18):
        // fewer frames on which every chart of a lab redraws its axes at once.
        let mut shown = None;
        let mut moves = (0, 0);
        for tenth in 10..=600 {
            let r = sticky_range(shown, (0.0, f64::from(tenth) / 10.0), 6.0, 0.3);
            if shown.is_some_and(|s| s != r) {
                moves.0 += usize::from(tenth <= 100);
                moves.1 += 1;
            }
            shown = Some(r);
        }
        assert_eq!(moves, (6, 10));
        // ... and ends the minute on a tight axis.
        assert_eq!(shown, Some((0.0, 60.0)));
    }

    #[test]
    fn axis_maps_linearly_and_clamps() {
        let y = Axis {
            v0: 0.0,
            v1: 10.0,
            p0: 250.0,
            p1: 50.0,
        };
        assert_eq!(y.at(0.0), 250.0);
        assert_eq!(y.at(5.0), 150.0);
        assert_eq!(y.at(99.0), 50.0);
        assert_eq!(y.at(-1.0), 250.0);
        let flat = Axis {
            v0: 1.0,
            v1: 1.0,
            p0: 3.0,
            p1: 9.0,
        };
        assert_eq!(flat.at(1.0), 3.0);
    }

    #[test]
    fn line_frame_draws_axes_without_an_svg_root_and_maps_the_plotting_area() {
        let f = line_frame((0.0, 60.0), (0.0, 1.0), "time (s)", "hit ratio");
        assert!(!f.markup.contains("<svg") && f.markup.contains("<text"), "{}", f.markup);
        assert!(f.markup.contains("time (s)") && f.markup.contains("hit ratio"));
        assert!(f.x.p0 > 0.0 && f.x.p1 > f.x.p0 && f.x.p1 <= WIDTH as f64, "{:?}", f.x);
        assert!(f.y.p0 > f.y.p1 && f.y.p1 >= 0.0 && f.y.p0 <= HEIGHT as f64, "{:?}", f.y);
        assert_eq!((f.x.v0, f.x.v1, f.y.v0, f.y.v1), (0.0, 60.0, 0.0, 1.0));
    }

    #[test]
    fn line_data_draws_a_path_per_series_broken_at_gaps_and_markers_in_range() {
        let s = vec![
            Series {
                name: "a".into(),
                color: 0,
                points: vec![(0.0, 1.0), (1.0, 2.0)],
            },
            Series {
                name: "b".into(),
                color: 1,
                points: vec![(0.0, 3.0), (0.5, f64::NAN), (1.0, 3.0), (2.0, 1.0)],
            },
            Series {
                name: "empty".into(),
                color: 2,
                points: vec![(f64::INFINITY, 1.0)],
            },
        ];
        let ((x0, x1), (y0, y1)) = line_ranges(&s, None, None);
        assert!(x0 <= 0.0 && x1 >= 2.0 && y0 <= 0.0 && y1 >= 3.0);
        let f = line_frame((x0, x1), (y0, y1), "t", "v");
        let events = [
            ChartEvent {
                at: 1.5,
                label: "crash".into(),
            },
            ChartEvent {
                at: 99.0,
                label: "off the axis".into(),
            },
            ChartEvent {
                at: 0.25,
                label: "flush".into(),
            },
        ];
        let svg = line_data(&s, &[0.5, 99.0, f64::NAN], &events, &f).render();
        assert_eq!(count(&svg, "chart-line"), 2, "{svg}");
        assert_eq!(
            count(&svg, "chart-marker"),
            3,
            "a marker and two events in range: {svg}"
        );
        assert_eq!(count(&svg, "chart-event-num"), 2, "{svg}");
        assert!(
            svg.contains(">1</text>") && svg.contains(">2</text>") && !svg.contains(">3</text>"),
            "{svg}"
        );
        let listed: Vec<&str> = events_in(&events, (x0, x1)).iter().map(|e| e.label.as_str()).collect();
        assert_eq!(
            listed,
            ["crash", "flush"],
            "numbered in the order given, as listed under the chart"
        );
        assert!(
            svg.contains("rgb(0,114,178)") && svg.contains("rgb(230,159,0)"),
            "{svg}"
        );
        // Series b: a move, a lone point, then a new move after the gap.
        let b = svg.split("rgb(230,159,0)").nth(1).unwrap_or_default();
        assert_eq!(count(b.split("/>").next().unwrap_or_default(), "M"), 2, "{svg}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }

    #[test]
    fn bar_chart_draws_many_bars_without_labels() {
        // Regression: with more than 16 bars the x labels are hidden; asking plotters for 0 integer
        // key points overflowed and hung the page in wasm.
        for n in [17, 40, 1000] {
            let bars: Vec<Bar> = (0..n)
                .map(|i| Bar {
                    label: i.to_string(),
                    value: i as f64,
                    color: i,
                })
                .collect();
            let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
            let f = bar_frame(&labels, bar_top(&bars, Some(3.0), &[1.0, 2.0], None), "keys");
            assert_eq!(f.edges.len(), n + 1);
            // The bars fill the plotting area: no empty slot after the last one.
            let (first, last) = (f.edges[0], f.edges[n]);
            assert!(
                (first - f.x.p0).abs() < 2.0 && (last - f.x.p1).abs() < 2.0,
                "{first} {last} {:?}",
                f.x
            );
            assert!(last > 400.0, "{last}");
            assert!(f.edges.windows(2).all(|w| w[1] >= w[0]), "{n} bars");
            let svg = bar_data(&bars, Some(3.0), &[1.0, 2.0], &f).render();
            assert_eq!(count(&svg, "<path fill="), n.min(PALETTE.len()), "{n} bars");
            assert_eq!(count(&svg, "chart-reference"), 1);
            assert_eq!(count(&svg, "chart-line"), 1);
        }
    }

    #[test]
    fn bar_chart_labels_few_bars_and_handles_empty_and_hostile_values() {
        let labels = vec!["n0".to_string(), "n1".to_string()];
        let f = bar_frame(&labels, 10.0, "keys");
        assert!(f.markup.contains("n0") && f.markup.contains("n1"), "{}", f.markup);
        assert_eq!(
            bar_data(&[], None, &[], &bar_frame(&[], 1.0, "keys")),
            Drawing::default()
        );
        let bars = vec![Bar {
            label: "n0".into(),
            value: f64::INFINITY,
            color: 0,
        }];
        let top = bar_top(&bars, Some(f64::NAN), &[f64::NAN, 1.0], None);
        assert!(top.is_finite() && top >= 1.0);
        let svg = bar_data(
            &bars,
            Some(f64::NAN),
            &[f64::NAN, 1.0],
            &bar_frame(&labels[..1], f64::NAN, "keys"),
        )
        .render();
        assert_eq!(count(&svg, "<path fill="), 1, "{svg}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
}
