//! The space-time diagram: a few sessions as lanes, time running right, every acknowledged write
//! and answered read as a mark, anomalies marked at the read that suffered them (with a dashed
//! line back to the write it missed), and the same anomalies listed in words.

use crate::components::{draw, list_items, source, whole, Drawing, Parts};
use crate::format::{self, d1};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::replication::{EventKind, SessionEvent, Snapshot, TRACKED_SESSIONS};
use std::fmt::Write;

/// Events per lane at most (the busiest lane sets the time window).
const PER_LANE: usize = 12;
/// Anomalies listed under the diagram.
const LISTED: usize = 6;

/// Where things go: time runs right (`wide`, lanes are rows) or down (tall, lanes are columns).
struct Layout {
    wide: bool,
    /// Size of the drawing.
    size: (f64, f64),
    /// Start and end of the time axis (x when wide, y when tall).
    time: (f64, f64),
    /// First lane's centre and the distance between lanes (y when wide, x when tall).
    lanes: (f64, f64),
}

static WIDE: Layout = Layout {
    wide: true,
    size: (640.0, 278.0),
    time: (84.0, 620.0),
    lanes: (43.0, 58.0),
};
static TALL: Layout = Layout {
    wide: false,
    size: (350.0, 430.0),
    time: (54.0, 406.0),
    lanes: (86.0, 66.0),
};

impl Layout {
    /// The point of time fraction `f` (0..=1) on `lane`.
    fn at(&self, f: f64, lane: u32) -> (f64, f64) {
        let along = self.time.0 + (self.time.1 - self.time.0) * f.clamp(0.0, 1.0);
        let across = self.lanes.0 + f64::from(lane) * self.lanes.1;
        if self.wide {
            (along, across)
        } else {
            (across, along)
        }
    }

    /// `(dx, dy)` moved `d` across the lane (down when wide, right when tall).
    fn across(&self, d: f64) -> (f64, f64) {
        if self.wide {
            (0.0, d)
        } else {
            (d, 0.0)
        }
    }
}
/// The legend: each mark drawn as in the diagram (shapes, not coloured text), then its meaning.
const LEGEND: &str = concat!(
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-write"><rect x="2" y="2" width="10" height="10"/></g></svg>write W#</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read ok"><circle class="st-mark" cx="7" cy="7" r="4.5"/></g></svg>read</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read stale"><circle class="st-mark" cx="7" cy="7" r="4.5"/></g></svg>stale read</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read ryw"><path class="st-mark" d="M2,2 l10,10 m0,-10 l-10,10"/></g></svg>missed its own write</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read monotonic"><path class="st-mark" d="M1,2 h12 l-6,11 z"/></g></svg>went back in time</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><line class="st-wait" x1="0" y1="7" x2="14" y2="7"/></svg>waited for a token</span>"#,
    r#"<span class="st-key">P: the primary answered, R#: that replica</span>"#,
);

/// The time window `[from, to]` in seconds: ends now, and starts where the busiest lane has
/// [`PER_LANE`] events.
fn window(events: &[SessionEvent], now: f64) -> (f64, f64) {
    let mut from = f64::NEG_INFINITY;
    for lane in 0..TRACKED_SESSIONS {
        if let Some(e) = events.iter().rev().filter(|e| e.session == lane).nth(PER_LANE - 1) {
            from = from.max(e.t_s);
        }
    }
    if !from.is_finite() {
        from = events.first().map_or(now - 1.0, |e| e.t_s);
    }
    let from = from.min(now - 0.05).max(now - 60.0);
    (from, now)
}

fn node_name(e: &SessionEvent) -> String {
    if e.by_primary {
        "P".into()
    } else {
        format!("R{}", e.node)
    }
}

/// What went wrong with a read, if anything (`ryw`, `monotonic`, `stale`, `ok`).
fn anomaly(e: &SessionEvent) -> &'static str {
    if e.ryw_violation {
        "ryw"
    } else if e.monotonic_violation {
        "monotonic"
    } else if e.stale {
        "stale"
    } else {
        "ok"
    }
}

/// Event `e` as a part of the list of events in layout `l`: a group at its point (the live
/// `transform`), its mark and label drawn around `(0, 0)`. A read's wait line starts at `wait`,
/// the curve back to the write it missed is `missed` (a path, empty when that write is out of
/// view) and its label sits in `row` (0 or 1): live values too, as the window's scale changes.
fn event_drawing(e: &SessionEvent, l: &Layout, at: (f64, f64), wait: (f64, f64), missed: String, row: u8) -> Drawing {
    let mut d = Drawing::default();
    let transform = format!("translate({},{})", d1(at.0), d1(at.1));
    if e.kind == EventKind::Write {
        d.markup.push_str(r#"<g class="st-write" data-testid="st-write""#);
        d.live("transform", [transform]);
        let (lx, ly, anchor) = if l.wide { (0, -10, "middle") } else { (-10, 4, "end") };
        let _ = write!(
            d,
            r#"><rect x="-5" y="-5" width="10" height="10"/><text x="{lx}" y="{ly}" text-anchor="{anchor}" class="st-label">W{}</text></g>"#,
            e.position
        );
        return d;
    }
    let kind = anomaly(e);
    let _ = write!(
        d,
        r#"<g class="st-read {kind}" data-testid="st-read" data-anomaly="{kind}""#
    );
    d.live("transform", [transform]);
    let _ = write!(
        d,
        "><title>{} read #{} from {}</title>",
        format::sim_clock(e.t_s),
        e.position,
        node_name(e)
    );
    if e.waited {
        d.markup.push_str(r#"<line class="st-wait" x2="0" y2="0""#);
        d.live("x1 y1", [d1(wait.0).to_string(), d1(wait.1).to_string()]);
        d.markup.push_str("/>");
    }
    if e.ryw_violation {
        d.markup.push_str(r#"<path class="st-missed""#);
        d.live("d", [missed]);
        d.markup.push_str("/>");
    }
    d.markup.push_str(match kind {
        "ryw" => r#"<path class="st-mark" d="M-5,-5 l10,10 m0,-10 l-10,10"/>"#,
        "monotonic" => r#"<path class="st-mark" d="M-6,-5 h12 l-6,11 z"/>"#,
        _ => r#"<circle class="st-mark" cx="0" cy="0" r="4.5"/>"#,
    });
    if matches!(kind, "ryw" | "monotonic") {
        let row = f64::from(row);
        let (lx, ly, anchor) = if l.wide {
            (0.0, 19.0 + 12.0 * row, "middle")
        } else {
            (10.0 + 20.0 * row, 4.0, "start")
        };
        let _ = write!(d, r#"<text text-anchor="{anchor}" class="st-label""#);
        d.live("x y", [lx.to_string(), ly.to_string()]);
        let _ = write!(d, ">{}</text>", node_name(e));
    }
    d.markup.push_str("</g>");
    d
}

/// The snapshot's recent events in layout `l`, one part each, keyed by time, lane, kind and log
/// position (and how many events before it share those, so that keys never repeat).
fn events(s: &Snapshot, l: &Layout) -> Parts {
    let now = s.topology.t_s;
    let (from, to) = window(&s.events, now);
    let span = (to - from).max(1e-6);
    let at = |t: f64, lane: u32| l.at((t - from) / span, lane);
    let mut last_label = vec![(f64::NEG_INFINITY, 0u8); TRACKED_SESSIONS as usize];
    let mut out: Parts = Vec::new();
    for e in s.events.iter().filter(|e| e.t_s >= from && e.t_s <= to) {
        let (x, y) = at(e.t_s, e.session);
        let mut wait = (0.0, 0.0);
        let mut missed = String::new();
        let mut row = 0;
        if e.kind == EventKind::Read {
            if e.waited {
                let (wx, wy) = at(e.t_s - e.latency_ms / 1_000.0, e.session);
                wait = (wx - x, wy - y);
            }
            if e.ryw_violation {
                // A dashed curve back to the write it missed, when that write is in view.
                let missed_write = s.events.iter().find(|w| {
                    w.kind == EventKind::Write && w.session == e.session && w.position == e.own_write && w.t_s >= from
                });
                if let Some(wr) = missed_write {
                    let (wx, wy) = at(wr.t_s, e.session);
                    let (wx, wy) = (wx - x, wy - y);
                    let (dx, dy) = l.across(22.0);
                    missed = format!(
                        "M0,0 Q{},{} {},{}",
                        d1(wx / 2.0 + dx),
                        d1(wy / 2.0 + dy),
                        d1(wx),
                        d1(wy)
                    );
                }
            }
            if e.ryw_violation || e.monotonic_violation {
                // Labels of nearby anomalies in a lane alternate between two rows.
                let along = if l.wide { x } else { y };
                row = match last_label.get(e.session as usize) {
                    Some(&(prev, r)) if along - prev < 26.0 => 1 - r,
                    _ => 0,
                };
                if let Some(slot) = last_label.get_mut(e.session as usize) {
                    *slot = (along, row);
                }
            }
        }
        let id = format!(
            "{:x}/{}/{}/{}/",
            e.t_s.to_bits(),
            e.session,
            e.kind == EventKind::Write,
            e.position
        );
        let same = out.iter().filter(|(k, _)| k.starts_with(&id)).count();
        out.push((format!("{id}{same}"), event_drawing(e, l, (x, y), wait, missed, row)));
    }
    out
}

/// The time axis in layout `l`: its line, and the times at its start, middle and end (live).
fn axis(s: &Snapshot, l: &Layout) -> Drawing {
    let (from, to) = window(&s.events, s.topology.t_s);
    let span = (to - from).max(1e-6);
    let h = l.size.1;
    let (a0, a1) = if l.wide {
        ((l.time.0, h - 30.0), (l.time.1, h - 30.0))
    } else {
        ((48.0, l.time.0), (48.0, l.time.1))
    };
    let mut d = Drawing::default();
    let _ = write!(
        d,
        r#"<line class="st-lane" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        a0.0, a0.1, a1.0, a1.1
    );
    for (f, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        let t = (from + f * span).max(0.0);
        let (x, y, anchor, label) = if l.wide {
            (
                l.time.0 + (l.time.1 - l.time.0) * f,
                h - 10.0,
                anchor,
                format::sim_clock(t),
            )
        } else {
            (
                43.0,
                l.time.0 + (l.time.1 - l.time.0) * f + 4.0,
                "end",
                format!("{} s", format::number(t, 1)),
            )
        };
        let _ = write!(
            d,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="st-axis""#
        );
        d.live("text", [label]);
        d.markup.push_str("></text>");
    }
    d
}

/// The part of the diagram in layout `l` that never changes, as SVG: the lanes with their labels.
fn frame_svg(l: &Layout) -> String {
    let mut out = String::new();
    if !l.wide {
        let middle = l.lanes.0 + l.lanes.1 * f64::from(TRACKED_SESSIONS - 1) / 2.0;
        let _ = write!(
            out,
            r#"<text x="{middle:.1}" y="14" text-anchor="middle" class="st-lane-label">Sessions</text>"#
        );
    }
    for lane in 0..TRACKED_SESSIONS {
        let (x0, y0) = l.at(0.0, lane);
        let (x1, y1) = l.at(1.0, lane);
        let n = lane + 1;
        // Wide: "Session n" left of each row. Tall: the columns are too narrow for that, so one
        // "Sessions" heading over the numbered columns.
        let label = if l.wide {
            format!(
                r#"<text x="4" y="{:.1}" text-anchor="start" class="st-lane-label">Session {n}</text>"#,
                y0 + 4.0
            )
        } else {
            format!(r#"<text x="{x0:.1}" y="34" text-anchor="middle" class="st-lane-label">{n}</text>"#)
        };
        let _ = write!(
            out,
            r#"{label}<line class="st-lane" x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}"/>"#
        );
    }
    out
}

/// The media query under which the tall layout shows instead of the wide one (as in the CSS).
const NARROW: &str = "(max-width: 600px)";

/// The diagram in layout `l`: lanes drawn once, events added, moved and removed as the window
/// slides, and the axis's times updated; only while `l` is the layout on screen (the other one
/// is hidden by CSS and left empty, so a snapshot costs one diagram's work, not two).
fn diagram(snapshot: Signal<Snapshot>, l: &'static Layout, narrow: ReadSignal<bool>) -> impl IntoView {
    let on_screen = move || narrow.get() != l.wide;
    let shown = move || {
        if on_screen() {
            snapshot.with(|s| events(s, l))
        } else {
            Vec::new()
        }
    };
    let times = move || {
        if on_screen() {
            snapshot.with(|s| whole(axis(s, l)))
        } else {
            Vec::new()
        }
    };
    let (w, h) = l.size;
    let class = if l.wide { "st-wide" } else { "st-tall" };
    view! {
        <svg class=format!("diagram st-diagram {class}") viewBox=format!("0 0 {w} {h}") aria-hidden="true">
            <g inner_html=frame_svg(l)></g>
            <g use:draw=source(shown)></g>
            <g use:draw=source(times)></g>
        </svg>
    }
}

/// One anomaly in words.
fn describe(e: &SessionEvent) -> String {
    let node = if e.by_primary {
        "the primary".to_string()
    } else {
        format!("replica {}", e.node)
    };
    let what = if e.ryw_violation {
        format!("but it had written #{}: its own write was missing", e.own_write)
    } else {
        format!("after having read #{}: time went backwards", e.seen)
    };
    format!(
        "{} \u{00b7} session {} read #{} from {node}, {what}.",
        format::sim_clock(e.t_s),
        e.session + 1,
        e.position
    )
}

/// The diagram, its legend and the latest anomalies.
#[component]
pub fn SpaceTime(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    // Redrawn only when the list changes, not on every snapshot.
    let anomalies = move || {
        snapshot.with(|s| {
            list_items(
                s.events
                    .iter()
                    .rev()
                    .filter(|e| e.ryw_violation || e.monotonic_violation)
                    .take(LISTED)
                    .map(describe),
            )
        })
    };
    let label = move || {
        snapshot.with(|s| {
            let reads = s.events.iter().filter(|e| e.kind == EventKind::Read);
            format!(
                "Space-time diagram of sessions 1 to {TRACKED_SESSIONS}: {} recent reads, {} missed their own write, {} went backwards in time.",
                reads.clone().count(),
                reads.clone().filter(|e| e.ryw_violation).count(),
                reads.filter(|e| e.monotonic_violation).count()
            )
        })
    };
    let (narrow, set_narrow) = signal(platform::media_matches(NARROW));
    let resized = window_event_listener(leptos::ev::resize, move |_| {
        let now = platform::media_matches(NARROW);
        if narrow.get_untracked() != now {
            set_narrow.set(now);
        }
    });
    on_cleanup(move || resized.remove());
    view! {
        <figure class="diagram-figure repl-spacetime" data-testid="space-time">
            <div
                class="repl-svg"
                role="img"
                aria-label=label
            >
                {diagram(snapshot, &WIDE, narrow)}
                {diagram(snapshot, &TALL, narrow)}
            </div>
            <figcaption class="param-hint st-legend" inner_html=LEGEND></figcaption>
            <ul class="anomaly-log" data-testid="anomaly-log" aria-label="Latest anomalies" use:draw=source(anomalies)></ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::replication::{Config, ReplicationLab};

    #[test]
    fn places_the_anomalies_of_a_lagging_async_run() {
        let mut lab = ReplicationLab::new(Config {
            lag_ms: 1_000.0,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(20.0));
        let s = lab.snapshot();
        let (from, to) = window(&s.events, s.topology.t_s);
        assert!(from < to && to == 20.0);
        for l in [&WIDE, &TALL] {
            let parts = events(&s, l);
            let ryw: Vec<&Drawing> = parts
                .iter()
                .map(|(_, d)| d)
                .filter(|d| d.markup.contains(r#"data-anomaly="ryw""#))
                .collect();
            assert!(!ryw.is_empty(), "no marked violation");
            assert!(parts
                .iter()
                .any(|(_, d)| d.markup.starts_with(r#"<g class="st-write""#)));
            // A missed write in view gets a curve from the read back to it.
            assert!(ryw.iter().any(|d| d.values.iter().any(|v| v.starts_with("M0,0 Q"))));
            for (_, d) in &parts {
                // One element per event, placed by its transform.
                assert!(d.markup.starts_with("<g") && d.markup.ends_with("</g>"));
                assert!(d.values[0].starts_with("translate(") && !d.values.iter().any(|v| v.contains("NaN")));
            }
            // Keys tell events apart.
            let mut keys: Vec<&String> = parts.iter().map(|(k, _)| k).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), parts.len());
            // Later, the events still in view keep their key and markup: the list slides.
            let mut later_lab = ReplicationLab::new(Config {
                lag_ms: 1_000.0,
                ..Config::default()
            })
            .unwrap();
            later_lab.step_until(from_secs(20.05));
            let later = events(&later_lab.snapshot(), l);
            let first = parts.iter().position(|(k, _)| *k == later[0].0).unwrap();
            for ((k, d), (k2, d2)) in parts[first..].iter().zip(&later) {
                assert_eq!((k, &d.markup), (k2, &d2.markup));
            }
        }
        let wide = axis(&s, &WIDE);
        assert_eq!(wide.values[2], format::sim_clock(20.0));
        assert!(events(&Snapshot::default(), &TALL).is_empty());
        assert!(axis(&Snapshot::default(), &TALL)
            .values
            .iter()
            .all(|a| a.ends_with(" s")));
    }

    #[test]
    fn marks_are_drawn_around_their_point() {
        let read = SessionEvent {
            t_s: 1.5,
            session: 0,
            kind: EventKind::Read,
            node: 2,
            by_primary: false,
            position: 7,
            own_write: 9,
            seen: 7,
            latency_ms: 30.0,
            waited: true,
            stale: true,
            ryw_violation: true,
            monotonic_violation: false,
        };
        let d = event_drawing(&read, &WIDE, (100.0, 43.0), (-12.0, 0.0), String::new(), 1);
        assert_eq!(
            d.render(),
            concat!(
                r#"<g class="st-read ryw" data-testid="st-read" data-anomaly="ryw" transform="translate(100.0,43.0)">"#,
                "<title>1.500 s read #7 from R2</title>",
                r#"<line class="st-wait" x2="0" y2="0" x1="-12.0" y1="0.0"/><path class="st-missed" d=""/>"#,
                r#"<path class="st-mark" d="M-5,-5 l10,10 m0,-10 l-10,10"/>"#,
                r#"<text text-anchor="middle" class="st-label" x="0" y="31">R2</text></g>"#
            )
        );
        let write = SessionEvent {
            kind: EventKind::Write,
            ..read
        };
        let d = event_drawing(&write, &TALL, (0.0, 0.0), (0.0, 0.0), String::new(), 0);
        assert!(d.markup.contains(r#"text-anchor="end" class="st-label">W7<"#));
    }
}
