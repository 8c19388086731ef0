//! A chart as a file: the "SVG" and "PNG" buttons under every chart's caption, and
//! [`compose`], which turns the chart's drawing (styles copied on by
//! `platform::chart_svg_export`) into a standalone SVG with its title and legend.

use crate::platform;
use leptos::prelude::*;

/// Height of the title band above the drawing, px.
const TITLE_BAND: u32 = 30;
/// Height of one legend row, px.
const LEGEND_ROW: u32 = 20;
/// Estimated width of a legend character at 12 px, px.
const CHAR_W: u32 = 7;

/// Escapes text for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A standalone SVG: the title, the `drawing` (an `<svg>` element of `width` × `height`) under it,
/// the legend's `(name, colour)` entries in rows under that, all on `background`. Returns the SVG
/// and its full width and height.
#[allow(clippy::too_many_arguments)]
pub fn compose(
    drawing: &str,
    width: u32,
    height: u32,
    title: &str,
    legend: &[(String, String)],
    background: &str,
    text: &str,
    font: &str,
) -> (String, u32, u32) {
    // Legend entries laid out left to right, wrapping at the width.
    let mut placed = Vec::new();
    let (mut x, mut row) = (12, 0);
    for (name, colour) in legend {
        let w = 18 + CHAR_W * name.chars().count() as u32 + 16;
        if x + w > width && x > 12 {
            x = 12;
            row += 1;
        }
        placed.push((x, row, name, colour));
        x += w;
    }
    let rows = if legend.is_empty() { 0 } else { row + 1 };
    let total_h = TITLE_BAND + height + rows * LEGEND_ROW + if rows > 0 { 8 } else { 0 };
    let font = xml(font);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" viewBox="0 0 {width} {total_h}"><rect width="100%" height="100%" fill="{}"/><text x="12" y="20" font-family="{font}" font-size="15" font-weight="700" fill="{}">{}</text>"#,
        xml(background),
        xml(text),
        xml(title.trim())
    );
    out.push_str(&drawing.replacen(
        "<svg",
        &format!(r#"<svg x="0" y="{TITLE_BAND}" width="{width}" height="{height}""#),
        1,
    ));
    for (x, row, name, colour) in placed {
        let y = TITLE_BAND + height + row * LEGEND_ROW + 4;
        out.push_str(&format!(
            r#"<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{}"/><text x="{}" y="{}" font-family="{font}" font-size="12" fill="{}">{}</text>"#,
            xml(colour),
            x + 18,
            y + 11,
            xml(text),
            xml(name)
        ));
    }
    out.push_str("</svg>");
    (out, width, total_h)
}

/// The last segment of a page's path (a lab's slug), the start of every export's file name;
/// `scalelab` where there is none.
pub fn page_slug(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("scalelab")
}

/// A file name for a chart: the lab's slug from the path and the chart's title.
pub fn file_name(path: &str, title: &str, extension: &str) -> String {
    let slug = page_slug(path);
    let mut name: String = title
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let name = name.trim_matches('-');
    format!(
        "scalelab-{slug}-{}.{extension}",
        if name.is_empty() { "chart" } else { name }
    )
}

/// "SVG" and "PNG" buttons that download the chart they sit in (`figure.chart`).
#[component]
pub fn ChartExport(
    /// The chart's title (the buttons' accessible names, the file's name).
    title: String,
) -> impl IntoView {
    let export = move |ev: leptos::ev::MouseEvent, png: bool, title: &str| {
        let Some(figure) = event_target::<web_sys::Element>(&ev)
            .closest("figure.chart")
            .ok()
            .flatten()
        else {
            return;
        };
        let Some((svg, w, h)) = platform::chart_svg_export(&figure) else {
            return;
        };
        let path = platform::current_path().unwrap_or_default();
        if png {
            platform::download_svg_as_png(&svg, w, h, &file_name(&path, title, "png"));
        } else {
            platform::download(&file_name(&path, title, "svg"), "image/svg+xml", &svg);
        }
    };
    let (t1, t2) = (title.clone(), title.clone());
    view! {
        <span class="chart-export">
            <button type="button" class="chart-export-button" data-testid="chart-svg" aria-label=format!("Download {title} as SVG") on:click=move |ev| export(ev, false, &t1)>
                "SVG"
            </button>
            <button type="button" class="chart-export-button" data-testid="chart-png" aria-label=format!("Download {title} as PNG") on:click=move |ev| export(ev, true, &t2)>
                "PNG"
            </button>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_title_drawing_and_legend() {
        let legend = vec![
            ("p99 <ms>".to_string(), "rgb(1,2,3)".to_string()),
            ("p50".to_string(), "red".to_string()),
        ];
        let (svg, w, h) = compose(
            r#"<svg viewBox="0 0 520 300"><path d="M0 0"/></svg>"#,
            520,
            300,
            " Latency & load ",
            &legend,
            "#fff",
            "#000",
            "sans-serif",
        );
        assert_eq!((w, h), (520, 30 + 300 + 20 + 8));
        assert!(
            svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" width="520" height="358""#),
            "{svg}"
        );
        assert!(svg.contains(">Latency &amp; load</text>"));
        assert!(
            svg.contains(r#"<svg x="0" y="30" width="520" height="300" viewBox="0 0 520 300"><path d="M0 0"/></svg>"#)
        );
        assert!(svg.contains(">p99 &lt;ms&gt;</text>") && svg.contains(r#"fill="rgb(1,2,3)""#));
        assert!(svg.ends_with("</svg>"));
        let (_, _, no_legend) = compose("<svg></svg>", 520, 300, "t", &[], "#fff", "#000", "x");
        assert_eq!(no_legend, 330);
    }

    #[test]
    fn legends_wrap_at_the_width() {
        let many: Vec<(String, String)> = (0..20).map(|i| (format!("server {i}"), "red".into())).collect();
        let (_, _, h) = compose("<svg></svg>", 520, 300, "t", &many, "#fff", "#000", "x");
        assert!(h > 330 + 3 * LEGEND_ROW, "{h}");
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("/labs/queues", "Backlog over time", "svg"),
            "scalelab-queues-backlog-over-time.svg"
        );
        assert_eq!(
            file_name("/scalelab/labs/cache/", "p99 (ms) & hits!", "png"),
            "scalelab-cache-p99-ms-hits.png"
        );
        assert_eq!(file_name("/labs/x", "—", "png"), "scalelab-x-chart.png");
    }
}
