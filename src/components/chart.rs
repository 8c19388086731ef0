//! Charts drawn with plotters' SVG backend and inserted as inline SVG.
//!
//! The SVG is made responsive (fixed `viewBox`, CSS width) and described for screen readers by a
//! caption; colours come from the colour-blind-safe palette in [`PALETTE`].

use super::chart_backend::Svg;
use leptos::prelude::*;
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

fn palette(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
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

const WIDTH: u32 = 520;
const HEIGHT: u32 = 300;

/// A line chart of one or more series with optional vertical markers (e.g. membership changes).
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
    /// X positions of vertical event markers.
    #[prop(into, default = Signal::stored(Vec::new()))]
    markers: Signal<Vec<f64>>,
    /// Test id of the figure.
    #[prop(into, default = String::new())]
    testid: String,
) -> impl IntoView {
    let caption = title.clone();
    let svg = move || {
        let s = series.get();
        let m = markers.get();
        line_chart_svg(&s, &x_label, &y_label, y_range, &m)
    };
    // The legend is HTML, not SVG text: it stays readable at phone widths and costs no font code.
    let legend = move || {
        let s = series.get();
        (s.len() > 1).then(|| {
            let items = s
                .into_iter()
                .map(|s| {
                    let swatch = format!("background:{}", palette_css(s.color));
                    view! { <li><span class="swatch" style=swatch></span>{s.name}</li> }
                })
                .collect_view();
            view! { <ul class="legend chart-legend" aria-label="Legend">{items}</ul> }
        })
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{caption}</figcaption>
            <div class="chart-svg" role="img" aria-label=title inner_html=svg></div>
            {legend}
        </figure>
    }
}

/// Renders a line chart to an SVG string. Pure, so it is tested natively.
pub fn line_chart_svg(
    series: &[Series],
    x_label: &str,
    y_label: &str,
    y_range: Option<(f64, f64)>,
    markers: &[f64],
) -> String {
    let mut out = String::new();
    {
        let root = Svg(SVGBackend::with_string(&mut out, (WIDTH, HEIGHT))).into_drawing_area();
        let finite = |v: &f64| v.is_finite();
        let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).filter(finite);
        let (x0, x1) = bounds(xs, (0.0, 1.0));
        let (y0, y1) = y_range.unwrap_or_else(|| {
            let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(finite);
            let (lo, hi) = bounds(ys, (0.0, 1.0));
            (lo.min(0.0), hi * 1.08)
        });
        let chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, y0..y1);
        let Ok(mut chart) = chart else { return String::new() };
        let _ = chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .axis_desc_style((FontFamily::SansSerif, 16).into_font().color(&INK))
            .label_style((FontFamily::SansSerif, 15).into_font().color(&INK))
            .axis_style(INK)
            .light_line_style(INK.mix(0.12))
            .bold_line_style(INK.mix(0.25))
            .x_labels(6)
            .y_labels(5)
            .draw();
        for &x in markers.iter().filter(|x| x.is_finite() && **x >= x0 && **x <= x1) {
            let _ = chart.draw_series(LineSeries::new(vec![(x, y0), (x, y1)], INK.mix(0.7).stroke_width(1)));
        }
        for s in series {
            let color = palette(s.color);
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .copied()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect();
            let _ = chart.draw_series(LineSeries::new(pts, color.stroke_width(2)));
        }
        let _ = root.present();
    }
    responsive(out)
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
) -> impl IntoView {
    let caption = title.clone();
    let svg = move || bar_chart_svg(&bars.get(), reference.get(), &y_label, &overlay.get());
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{caption}</figcaption>
            <div class="chart-svg" role="img" aria-label=title inner_html=svg></div>
        </figure>
    }
}

/// Renders a bar chart to an SVG string. Pure, so it is tested natively.
pub fn bar_chart_svg(bars: &[Bar], reference: Option<f64>, y_label: &str, overlay: &[f64]) -> String {
    let mut out = String::new();
    {
        let root = Svg(SVGBackend::with_string(&mut out, (WIDTH, HEIGHT))).into_drawing_area();
        let n = bars.len().max(1);
        let top = bars
            .iter()
            .map(|b| b.value)
            .chain(reference)
            .chain(overlay.iter().copied())
            .filter(|v| v.is_finite())
            .fold(1.0_f64, f64::max)
            * 1.1;
        let n32 = n as u32;
        let chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n32).into_segmented(), 0.0..top);
        let Ok(mut chart) = chart else { return String::new() };
        let show_labels = n <= 16;
        let label_of = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) if show_labels => {
                bars.get(*i as usize).map(|b| b.label.clone()).unwrap_or_default()
            }
            _ => String::new(),
        };
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(y_label)
            .axis_desc_style((FontFamily::SansSerif, 16).into_font().color(&INK))
            .label_style((FontFamily::SansSerif, 15).into_font().color(&INK))
            .axis_style(INK)
            .light_line_style(INK.mix(0.12))
            .bold_line_style(INK.mix(0.25))
            // Never 0: plotters' integer key points overflow (and loop forever in release) with 0.
            .x_labels(if show_labels { n + 1 } else { 2 })
            .x_label_formatter(&label_of)
            .y_labels(5)
            .draw();
        let margin = if n > 60 { 0 } else { 3 };
        let _ = chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let i = i as u32;
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), b.value.max(0.0)),
                ],
                palette(b.color).filled(),
            );
            bar.set_margin(0, 0, margin, margin);
            bar
        }));
        if let Some(r) = reference.filter(|r| r.is_finite()) {
            let line = vec![(SegmentValue::Exact(0), r), (SegmentValue::Exact(n32), r)];
            let _ = chart.draw_series(LineSeries::new(line, INK.stroke_width(2)));
        }
        let expected: Vec<(SegmentValue<u32>, f64)> = overlay
            .iter()
            .take(bars.len())
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| (SegmentValue::CenterOf(i as u32), *v))
            .collect();
        if !expected.is_empty() {
            let _ = chart.draw_series(LineSeries::new(expected, palette(3).stroke_width(3)));
        }
        let _ = root.present();
    }
    responsive(out)
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

/// Drops the fixed width/height so CSS can size the chart; the `viewBox` keeps its proportions.
fn responsive(svg: String) -> String {
    svg.replacen(&format!("width=\"{WIDTH}\" height=\"{HEIGHT}\" "), "", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_chart_draws_each_series_and_stays_responsive() {
        let s = vec![
            Series {
                name: "a".into(),
                color: 0,
                points: vec![(0.0, 1.0), (1.0, 2.0)],
            },
            Series {
                name: "b".into(),
                color: 1,
                points: vec![(0.0, f64::NAN), (1.0, 3.0)],
            },
        ];
        let svg = line_chart_svg(&s, "t", "v", None, &[0.5]);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("viewBox=\"0 0 520 300\""));
        assert!(!svg.contains("width=\"520\" height=\"300\" "));
        assert!(
            svg.contains("rgb(0,114,178)") || svg.contains("#0072B2"),
            "series colour missing"
        );
        assert!(
            svg.contains("rgb(230,159,0)") || svg.contains("#E69F00"),
            "second series colour missing"
        );
        // The legend is HTML beside the SVG (LineChart), not text inside it.
        assert!(!svg.contains(">\na\n</text>"), "{svg}");
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
            assert!(
                bar_chart_svg(&bars, Some(3.0), "keys", &[1.0, 2.0]).starts_with("<svg"),
                "{n} bars"
            );
        }
    }

    #[test]
    fn bar_chart_handles_empty_and_hostile_values() {
        assert!(bar_chart_svg(&[], None, "keys", &[]).starts_with("<svg"));
        let bars = vec![Bar {
            label: "n0".into(),
            value: f64::INFINITY,
            color: 0,
        }];
        assert!(bar_chart_svg(&bars, Some(f64::NAN), "keys", &[f64::NAN, 1.0]).starts_with("<svg"));
    }
}
