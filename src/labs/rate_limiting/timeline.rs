//! The timeline: for each client, the requests admitted, queued and refused in short columns (a
//! fortieth of the window) over the last six windows, and under it the limiter's state at the end
//! of each column (tokens in the bucket, requests queued, the window's count with the previous
//! window's for the sliding counter, the log's length, GCRA's TAT ahead of now), with the window
//! boundaries as dashed lines. In `global` scope the one limiter's strip sits under all clients.
//!
//! One [`Drawing`]: the markup depends only on the shape (the clients shown, the scope, the
//! algorithm, the motion mode); each snapshot rewrites a few path `d`s and labels. Normally the
//! newest column is on the right and the timeline scrolls left as time passes; when the learner
//! prefers reduced motion nothing scrolls: every column keeps its place and a cursor sweeps
//! across, overwriting the oldest columns (as a heart monitor does). At most [`MAX_ROWS`] clients
//! are drawn (the first ones and the abuser); the client table lists them all.

use crate::components::{drawn_svg, source, whole, Drawing};
use crate::format::{self, d1};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::ratelimit::{Algorithm, Scope, Snapshot, StateStrip, Timeline, TIMELINE_BUCKETS};
use std::fmt::Write;

/// Clients drawn at most: the first `MAX_ROWS - 1` and the abuser.
pub const MAX_ROWS: usize = 8;

const WIDTH: f64 = 520.0;
/// Where the columns start and end (labels on the left).
const LEFT: f64 = 92.0;
const RIGHT: f64 = 512.0;
const TOP: f64 = 6.0;
/// Height of a client's request bars, of a state strip under it, of the global strip, and the
/// gap after a row.
const ROW_H: f64 = 26.0;
const STRIP_H: f64 = 16.0;
const GLOBAL_STRIP_H: f64 = 30.0;
const GAP: f64 = 8.0;
/// Room for the time labels under the columns.
const AXIS_H: f64 = 16.0;

/// Width of one column.
fn column_width() -> f64 {
    (RIGHT - LEFT) / TIMELINE_BUCKETS as f64
}

/// The clients drawn, in order: all of them up to [`MAX_ROWS`], else the first ones and the
/// abuser (the last).
pub fn shown_clients(clients: usize) -> Vec<usize> {
    if clients <= MAX_ROWS {
        (0..clients).collect()
    } else {
        (0..MAX_ROWS - 1).chain(std::iter::once(clients - 1)).collect()
    }
}

/// Where the limiter's state goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strips {
    /// No limiter: no state.
    None,
    /// One strip under each client (`client` scope).
    PerClient,
    /// One strip under all clients (`global` scope).
    Global,
}

impl Strips {
    fn of(s: &Snapshot) -> Strips {
        match (s.algorithm, s.scope) {
            (Algorithm::None, _) => Strips::None,
            (_, Scope::Client) => Strips::PerClient,
            (_, Scope::Global) => Strips::Global,
        }
    }
}

/// What the drawing's markup depends on.
#[derive(Clone, Debug, PartialEq)]
struct Shape {
    rows: Vec<usize>,
    strips: Strips,
    /// Sliding window counter: the previous window's count is drawn too.
    previous: bool,
    /// Reduced motion: columns stay in place and a cursor sweeps.
    sweep: bool,
}

impl Shape {
    fn of(s: &Snapshot, sweep: bool) -> Shape {
        Shape {
            rows: shown_clients(s.clients.len()),
            strips: Strips::of(s),
            previous: s.algorithm == Algorithm::SlidingWindow,
            sweep,
        }
    }

    /// Height of one client's row, its strip included.
    fn row_height(&self) -> f64 {
        match self.strips {
            Strips::PerClient => ROW_H + 2.0 + STRIP_H + GAP,
            _ => ROW_H + GAP,
        }
    }

    /// Top of row `r`.
    fn row_top(&self, r: usize) -> f64 {
        TOP + r as f64 * self.row_height()
    }

    /// Bottom of the columns (rows and strips).
    fn plot_bottom(&self) -> f64 {
        let rows = self.row_top(self.rows.len()) - GAP;
        match self.strips {
            Strips::Global => rows + 2.0 + GLOBAL_STRIP_H,
            _ => rows,
        }
    }

    /// Height of the whole drawing.
    fn height(&self) -> f64 {
        self.plot_bottom() + AXIS_H
    }
}

/// Where columns and times go on the x axis.
#[derive(Clone, Copy, Debug)]
struct Columns {
    /// Absolute index of the first bucket (time / bucket width).
    first: u64,
    start_s: f64,
    bucket_s: f64,
    sweep: bool,
}

impl Columns {
    fn of(t: &Timeline, sweep: bool) -> Columns {
        let bucket_s = if t.bucket_s.is_finite() && t.bucket_s > 0.0 {
            t.bucket_s
        } else {
            1.0
        };
        let first = (t.start_s / bucket_s).round();
        Columns {
            first: if first.is_finite() && first >= 0.0 {
                first as u64
            } else {
                0
            },
            start_s: t.start_s,
            bucket_s,
            sweep,
        }
    }

    /// The column of the timeline's `i`-th bucket: `i` when scrolling, its place in the sweep
    /// otherwise.
    fn column(&self, i: usize) -> u64 {
        if self.sweep {
            (self.first + i as u64) % TIMELINE_BUCKETS as u64
        } else {
            i as u64
        }
    }

    /// The x of the middle of bucket `i`.
    fn x(&self, i: usize) -> f64 {
        LEFT + (self.column(i) as f64 + 0.5) * column_width()
    }

    /// The x of time `t` (s).
    fn x_at(&self, t: f64) -> f64 {
        let buckets = (t - self.start_s) / self.bucket_s;
        let offset = if self.sweep {
            let absolute = (t / self.bucket_s).round().max(0.0) as u64;
            (absolute % TIMELINE_BUCKETS as u64) as f64
        } else {
            buckets
        };
        LEFT + offset.clamp(0.0, TIMELINE_BUCKETS as f64) * column_width()
    }
}

/// Vertical strokes, one per bucket with a positive height: bucket `i` from `bottom(i)` up to
/// `top(i)` (y grows downwards).
fn strokes(cols: &Columns, n: usize, mut span: impl FnMut(usize) -> Option<(f64, f64)>) -> String {
    let mut d = String::new();
    for i in 0..n {
        if let Some((bottom, top)) = span(i).filter(|(b, t)| b - t > 0.05) {
            let _ = write!(d, "M{} {}V{}", d1(cols.x(i)), d1(bottom), d1(top));
        }
    }
    d
}

/// Short horizontal ticks at `y(i)` for every bucket (the sliding counter's previous window).
fn ticks(cols: &Columns, n: usize, y: impl Fn(usize) -> Option<f64>) -> String {
    let w = column_width();
    let mut d = String::new();
    for i in 0..n {
        if let Some(y) = y(i) {
            let _ = write!(d, "M{} {}h{}", d1(cols.x(i) - w / 2.0), d1(y), d1(w));
        }
    }
    d
}

/// "37 tokens", "12 queued", "57 in window", "100 in log", "TAT +2.3 s": a strip's value now.
fn state_text(label: &str, level: f64) -> String {
    if label.starts_with("TAT") {
        format!("TAT +{} s", format::number(level, 2))
    } else if label.is_empty() {
        String::new()
    } else {
        // A synced store's bucket can be in debt: negative tokens.
        format!(
            "{} {label}",
            format::number(level, if level.abs() < 10.0 { 1 } else { 0 })
        )
    }
}

/// One client's request bars: admitted at the bottom, queued above, refused on top, each row
/// scaled to its own busiest column (its peak is written under the name).
fn client_row(d: &mut Drawing, s: &Snapshot, cols: &Columns, client: usize, top: f64) {
    let t = &s.timeline;
    let empty = Default::default();
    let row = t.clients.get(client).unwrap_or(&empty);
    let n = row.admitted.len();
    let at = |v: &[u32], i: usize| f64::from(v.get(i).copied().unwrap_or(0));
    let peak = (0..n)
        .map(|i| at(&row.admitted, i) + at(&row.delayed, i) + at(&row.refused, i))
        .fold(0.0_f64, f64::max);
    let scale = (ROW_H - 2.0) / peak.max(1.0);
    let base = top + ROW_H;
    let layer = |below: &dyn Fn(usize) -> f64, this: &[u32]| {
        strokes(cols, n, |i| {
            let lo = below(i);
            Some((base - lo * scale, base - (lo + at(this, i)) * scale))
        })
    };
    let admitted = layer(&|_| 0.0, &row.admitted);
    let delayed = layer(&|i| at(&row.admitted, i), &row.delayed);
    let refused = layer(&|i| at(&row.admitted, i) + at(&row.delayed, i), &row.refused);
    let w = d1(column_width());
    let _ = write!(
        d,
        r#"<rect class="rl-row-bg" x="{LEFT}" y="{}" width="{}" height="{ROW_H}"></rect>"#,
        d1(top),
        d1(RIGHT - LEFT)
    );
    for (class, path) in [
        ("rl-admitted", admitted),
        ("rl-delayed", delayed),
        ("rl-refused", refused),
    ] {
        let _ = write!(d, r#"<path class="{class}" stroke-width="{w}""#);
        d.live("d", [path]);
        d.markup.push_str("></path>");
    }
    let name = if client + 1 == s.clients.len() {
        format!("Abuser ({})", client + 1)
    } else {
        format!("Client {}", client + 1)
    };
    let _ = write!(
        d,
        r#"<text class="rl-label" x="4" y="{}">{name}</text>"#,
        d1(top + 11.0)
    );
    let _ = write!(d, r#"<text class="rl-small" x="4" y="{}""#, d1(top + 23.0));
    d.live("text", [format!("peak {}", format::number(peak, 0))]);
    d.markup.push_str("></text>");
}

/// One limiter's state strip from `top`, `height` tall, labelled with `name` when given.
fn state_strip(
    d: &mut Drawing,
    s: &Snapshot,
    cols: &Columns,
    strip: Option<&StateStrip>,
    (top, height): (f64, f64),
    name: Option<&str>,
    previous: bool,
) {
    let t = &s.timeline;
    let max = if t.state_max.is_finite() && t.state_max > 0.0 {
        t.state_max
    } else {
        1.0
    };
    let base = top + height;
    let y = |v: f64| base - (v / max).clamp(0.0, 1.0) * height;
    let (levels, prevs) = strip.map_or((&[][..], &[][..]), |st| (&st.level[..], &st.previous[..]));
    let n = levels.len();
    let level = |i: usize| levels.get(i).copied().filter(|v| v.is_finite()).unwrap_or(0.0);
    let bars = strokes(cols, n, |i| Some((base, y(level(i)))));
    let w = d1(column_width());
    let _ = write!(
        d,
        r#"<rect class="rl-strip-bg" x="{LEFT}" y="{}" width="{}" height="{}"></rect><path class="rl-level" stroke-width="{w}""#,
        d1(top),
        d1(RIGHT - LEFT),
        d1(height)
    );
    d.live("d", [bars]);
    d.markup.push_str("></path>");
    if previous {
        let prev = ticks(cols, prevs.len(), |i| {
            prevs.get(i).copied().filter(|v| v.is_finite()).map(y)
        });
        d.markup.push_str(r#"<path class="rl-previous""#);
        d.live("d", [prev]);
        d.markup.push_str("></path>");
    }
    let now = if n == 0 { 0.0 } else { level(n - 1) };
    let label_y = if name.is_some() { top + 24.0 } else { top + 12.0 };
    if let Some(name) = name {
        let _ = write!(
            d,
            r#"<text class="rl-label" x="4" y="{}">{name}</text>"#,
            d1(top + 11.0)
        );
    }
    let _ = write!(d, r#"<text class="rl-small rl-state-text" x="4" y="{}""#, d1(label_y));
    d.live("text", [state_text(t.state_label, now)]);
    d.markup.push_str("></text>");
}

/// The timeline of `s` (see the module docs).
fn timeline(s: &Snapshot, sweep: bool) -> Drawing {
    let shape = Shape::of(s, sweep);
    let t = &s.timeline;
    let cols = Columns::of(t, sweep);
    let mut d = Drawing::default();
    for (r, &client) in shape.rows.iter().enumerate() {
        let top = shape.row_top(r);
        client_row(&mut d, s, &cols, client, top);
        if shape.strips == Strips::PerClient {
            let strip = t.state.iter().find(|st| st.client == Some(client as u32));
            state_strip(
                &mut d,
                s,
                &cols,
                strip,
                (top + ROW_H + 2.0, STRIP_H),
                None,
                shape.previous,
            );
        }
    }
    if shape.strips == Strips::Global {
        let top = shape.row_top(shape.rows.len()) - GAP + 2.0;
        state_strip(
            &mut d,
            s,
            &cols,
            t.state.first(),
            (top, GLOBAL_STRIP_H),
            Some("Everyone"),
            shape.previous,
        );
    }
    let bottom = shape.plot_bottom();
    let mut lines = String::new();
    for &b in t.boundaries_s.iter().filter(|b| b.is_finite()) {
        let _ = write!(lines, "M{} {TOP}V{}", d1(cols.x_at(b)), d1(bottom));
    }
    d.markup.push_str(r#"<path class="rl-boundary""#);
    d.live("d", [lines]);
    d.markup.push_str("></path>");
    let n = t.clients.first().map_or(0, |c| c.admitted.len());
    if sweep {
        let x = LEFT + (cols.column(n.saturating_sub(1)) + 1) as f64 * column_width();
        d.markup.push_str(r#"<path class="rl-cursor""#);
        d.live("d", [format!("M{} {}V{}", d1(x), d1(TOP - 4.0), d1(bottom + 2.0))]);
        d.markup.push_str("></path>");
    }
    let span = TIMELINE_BUCKETS as f64 * cols.bucket_s;
    let (left, right) = if sweep {
        (
            format!("one sweep: {}", format::sim_clock(span)),
            format!("now {}", format::sim_clock(s.now_s)),
        )
    } else {
        (format::sim_clock(t.start_s), format::sim_clock(t.start_s + span))
    };
    let label_y = d1(bottom + 12.0);
    let _ = write!(d, r#"<text class="rl-small" x="{LEFT}" y="{label_y}""#);
    d.live("text", [left]);
    let _ = write!(
        d,
        r#"></text><text class="rl-small" x="{RIGHT}" y="{label_y}" text-anchor="end""#
    );
    d.live("text", [right]);
    d.markup.push_str("></text>");
    d
}

/// The timeline in words, for screen readers: each client's totals and the limiter's state.
fn describe(s: &Snapshot) -> String {
    let span = TIMELINE_BUCKETS as f64 * s.timeline.bucket_s;
    let clients: Vec<String> = s
        .clients
        .iter()
        .map(|c| {
            format!(
                "{} {}: {} admitted, {} queued, {} refused",
                if c.abuser { "abuser" } else { "client" },
                c.client + 1,
                c.admitted,
                c.delayed,
                c.refused
            )
        })
        .collect();
    format!(
        "Requests per client over the last {} (totals since the counters restarted): {}.",
        format::sim_clock(span),
        clients.join("; ")
    )
}

/// What the columns and strips mean, under the drawing.
fn caption(s: &Snapshot) -> String {
    let state = match s.algorithm {
        Algorithm::None => "No limiter, so no state is drawn.".to_string(),
        Algorithm::TokenBucket => format!("Under each: the tokens left (full at {}; empty: refused).", s.burst),
        Algorithm::LeakyBucket => format!("Under each: requests waiting in the queue (full at {}).", s.queue),
        Algorithm::FixedWindow => format!("Under each: the window's count (full at the limit, {}).", s.limit),
        Algorithm::SlidingWindow => format!(
            "Under each: the window's count, with a tick at the previous window's (full at {}).",
            s.limit
        ),
        Algorithm::SlidingLog => format!("Under each: timestamps in the log (full at {}).", s.limit),
        Algorithm::Gcra => {
            "Under each: how far GCRA's theoretical arrival time is ahead of now (full: refused).".into()
        }
    };
    let scope = if s.scope == Scope::Global && s.algorithm != Algorithm::None {
        " One limiter for everyone: its strip is at the bottom."
    } else {
        ""
    };
    format!(
        "Each column is {} s; each client's bars are scaled to its own busiest column (its peak); dashed lines are window boundaries. {state}{scope}",
        format::number(s.timeline.bucket_s, 3)
    )
}

/// The timeline panel's figure.
#[component]
pub fn RequestTimeline(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let sweep = platform::prefers_reduced_motion();
    let shape = Memo::new(move |_| snapshot.with(|s| Shape::of(s, sweep)));
    let svg = move || {
        let height = shape.with(Shape::height);
        drawn_svg(
            "rl-timeline-svg",
            format!("0 0 {WIDTH} {}", d1(height)),
            Signal::derive(move || snapshot.with(describe)),
            source(move || whole(snapshot.with(|s| timeline(s, sweep)))),
        )
    };
    let started = move || snapshot.with(|s| s.now_s > 0.0);
    view! {
        <figure class="rl-timeline" data-testid="rl-timeline">
            <Show
                when=started
                fallback=|| view! { <p class="empty-state">"Press Play or Step: each client's requests appear as they arrive."</p> }
            >
                // A phone scrolls the timeline sideways rather than shrink its labels (keyboard
                // users scroll it too: it takes the focus).
                <div class="rl-timeline-scroll" tabindex="0" role="group" aria-label="Timeline, scrolls sideways on small screens">
                    {svg}
                </div>
            </Show>
            <figcaption>
                <ul class="legend" aria-label="Timeline colours">
                    <li><span class="swatch rl-swatch-admitted"></span>"admitted"</li>
                    <li><span class="swatch rl-swatch-delayed"></span>"queued (leaky bucket)"</li>
                    <li><span class="swatch rl-swatch-refused"></span>"refused (429)"</li>
                    <li><span class="swatch rl-swatch-level"></span>"limiter state"</li>
                </ul>
                <p class="param-hint" data-testid="timeline-caption">{move || snapshot.with(caption)}</p>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::params::Params;
    use scalelab_sim::ratelimit::{Config, RateLimitLab};

    fn run(pairs: &[(&str, &str)], secs: f64) -> Snapshot {
        let mut c = Config::default();
        for (k, v) in pairs {
            c.set_str(k, v).expect("valid");
        }
        let mut lab = RateLimitLab::new(c).expect("valid");
        lab.step_until(from_secs(secs));
        lab.snapshot()
    }

    #[test]
    fn a_row_and_a_strip_per_client_and_the_boundaries() {
        let s = run(&[], 25.0);
        let d = timeline(&s, false);
        assert_eq!(d.markup.matches("rl-row-bg").count(), 5);
        assert_eq!(d.markup.matches("rl-strip-bg").count(), 5);
        assert!(d.markup.contains("Abuser (5)") && d.markup.contains("Client 1"));
        assert!(!d.values.iter().any(|v| v.contains("NaN") || v.contains("inf")));
        // Boundaries at 0, 10 and 20 s: 40 columns apart.
        let at = |secs: f64| format!("M{} {TOP}V", d1(LEFT + secs / 10.0 * 40.0 * column_width()));
        let boundaries = d.values.iter().find(|v| v.starts_with(&at(0.0)));
        assert!(
            boundaries.is_some_and(|b| b.matches('M').count() == 3 && b.contains(&at(20.0))),
            "{boundaries:?}"
        );
        // The abuser is refused: its refused layer has strokes.
        assert!(d.values.iter().filter(|v| v.starts_with('M')).count() > 10);
        assert!(d.values.iter().any(|v| v.ends_with(" tokens")));
    }

    #[test]
    fn global_scope_has_one_strip_and_no_limiter_none() {
        let global = timeline(&run(&[("scope", "global")], 5.0), false);
        assert_eq!(global.markup.matches("rl-strip-bg").count(), 1);
        assert!(global.markup.contains("Everyone"));
        let none = timeline(&run(&[("algorithm", "none")], 5.0), false);
        assert_eq!(none.markup.matches("rl-strip-bg").count(), 0);
        let counter = timeline(&run(&[("algorithm", "sliding_window")], 15.0), false);
        assert_eq!(counter.markup.matches("rl-previous").count(), 5);
    }

    #[test]
    fn many_clients_show_the_first_and_the_abuser() {
        assert_eq!(shown_clients(3), vec![0, 1, 2]);
        assert_eq!(shown_clients(20), vec![0, 1, 2, 3, 4, 5, 6, 19]);
        let d = timeline(&run(&[("clients", "20")], 2.0), false);
        assert_eq!(d.markup.matches("rl-row-bg").count(), MAX_ROWS);
        assert!(d.markup.contains("Abuser (20)"));
    }

    #[test]
    fn scrolling_moves_columns_and_the_sweep_keeps_them() {
        // Past six windows the scrolling timeline starts at its oldest bucket; the sweep puts a
        // bucket at its absolute place, so time passing moves only the cursor and new columns.
        let s = run(&[], 75.0);
        let cols = Columns::of(&s.timeline, false);
        assert_eq!(cols.column(0), 0);
        let sweep = Columns::of(&s.timeline, true);
        assert_eq!(sweep.column(0), sweep.first % TIMELINE_BUCKETS as u64);
        let boundary = 70.0;
        let x = sweep.x_at(boundary);
        let expected = LEFT + (280 % TIMELINE_BUCKETS) as f64 * column_width();
        assert!((x - expected).abs() < 1e-6, "{x} vs {expected}");
        let d = timeline(&s, true);
        assert!(d.markup.contains("rl-cursor"));
        assert!(d.values.iter().any(|v| v.starts_with("one sweep")));
        assert!(!timeline(&s, false).markup.contains("rl-cursor"));
    }

    #[test]
    fn time_passing_rewrites_values_not_markup() {
        let mut lab = RateLimitLab::new(Config::default()).expect("defaults");
        lab.step_until(from_secs(20.0));
        let before = timeline(&lab.snapshot(), false);
        lab.step_until(from_secs(21.3));
        let after = timeline(&lab.snapshot(), false);
        assert_eq!(before.markup, after.markup);
        assert_ne!(before.values, after.values);
    }

    #[test]
    fn the_state_reads_in_words() {
        assert_eq!(state_text("tokens", 37.0), "37 tokens");
        assert_eq!(state_text("tokens", 2.345), "2.3 tokens");
        assert_eq!(state_text("TAT \u{2212} now (s)", 2.3), "TAT +2.3 s");
        assert_eq!(state_text("", 3.0), "");
        let s = run(&[], 3.0);
        assert!(describe(&s).contains("abuser 5:"));
        assert!(caption(&s).contains("tokens left"));
    }
}
