//! The space-time diagram: a few sessions as lanes, time running right, every acknowledged write
//! and answered read as a mark, anomalies marked at the read that suffered them (with a dashed
//! line back to the write it missed), and the same anomalies listed in words.
//!
//! What it samples is said under it: only the tracked sessions (the first
//! [`TRACKED_SESSIONS`]), over a window of about a second (shorter when the lanes would be
//! crowded), with that window's reads counted the way the cards count them. A read is stale when
//! it was older than the newest committed write when it was sent: the core's
//! [`SessionEvent::stale`], the very flag `stale_read_ratio` counts, so the diagram and the card
//! never disagree on what is stale, only on how much they look at.
//!
//! Labels never run into each other: anomalous reads close together on a lane share one label
//! ("R1,R3"), and a write's label shows only where there is room; every mark keeps its full
//! detail in its tooltip, the anomalies in the list under the diagram, the writes in the
//! accessible description.

use crate::components::lesson_player::Hidden;
use crate::components::{draw, list_items, source, whole, Drawing, Parts};
use crate::format::{self, d1};
use crate::platform;
use leptos::prelude::*;
use scalelab_sim::replication::{EventKind, SessionEvent, Snapshot, TRACKED_SESSIONS};
use std::fmt::Write;

/// Events per lane at least, when traffic is sparse: the window reaches back until the busiest
/// lane has this many.
const PER_LANE: usize = 12;
/// Shortest window, in simulated seconds, unless the lanes would be crowded: long enough to hold
/// many writes (20 at the default 20 writes/s), so that what it shows is not one lucky instant.
const MIN_SPAN_S: f64 = 1.0;
/// Room along the time axis per event of the busiest lane at least, in px: with more events the
/// window gets shorter.
const PX_PER_EVENT: f64 = 16.0;
/// Anomalies listed under the diagram.
const LISTED: usize = 6;
/// Space between two labels on one row at least, in px.
const LABEL_GAP: f64 = 4.0;
/// Width of one character of a label (12 px bold text), in px: an overestimate, so that estimated
/// extents contain the real ones.
const CHAR_PX: f64 = 7.5;
/// Height of a label along the tall layout's time axis, in px.
const LABEL_H: f64 = 12.0;
/// Widest label in the tall layout (the room between two columns), in px.
const TALL_LABEL_MAX: f64 = 50.0;

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

    /// Events of the busiest lane the window holds at most.
    fn most_per_lane(&self) -> usize {
        (((self.time.1 - self.time.0) / PX_PER_EVENT) as usize).max(PER_LANE)
    }
}

/// The legend: each mark drawn as in the diagram (shapes, not coloured text), then its meaning.
const LEGEND: &str = concat!(
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-write"><rect x="2" y="2" width="10" height="10"/></g></svg>write W#</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read ok"><circle class="st-mark" cx="7" cy="7" r="4.5"/></g></svg>read</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read stale"><circle class="st-mark" cx="7" cy="7" r="4.5"/></g></svg>stale read (older than the newest committed write)</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read ryw"><path class="st-mark" d="M2,2 l10,10 m0,-10 l-10,10"/></g></svg>missed its own write (stale too)</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><g class="st-read monotonic"><path class="st-mark" d="M1,2 h12 l-6,11 z"/></g></svg>went back in time</span>"#,
    r#"<span class="st-key"><svg viewBox="0 0 14 14" aria-hidden="true"><line class="st-wait" x1="0" y1="7" x2="14" y2="7"/></svg>waited for a token</span>"#,
    r#"<span class="st-key">P: the primary answered, R#: that replica; close labels merge (R1,R3)</span>"#,
);

/// The `n`-th newest event time of the lane that has the latest one (the busiest lane over that
/// stretch); minus infinity when no lane has `n` events.
fn nth_newest(events: &[SessionEvent], n: usize) -> f64 {
    (0..TRACKED_SESSIONS)
        .filter_map(|lane| {
            events
                .iter()
                .rev()
                .filter(|e| e.session == lane)
                .nth(n.saturating_sub(1))
                .map(|e| e.t_s)
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The time window `[from, to]` in seconds in layout `l`: it ends now and reaches back
/// [`MIN_SPAN_S`], or further until the busiest lane has [`PER_LANE`] events, but never so far
/// that the busiest lane has more than the layout has room for.
fn window(events: &[SessionEvent], now: f64, l: &Layout) -> (f64, f64) {
    let mut from = (now - MIN_SPAN_S).min(nth_newest(events, PER_LANE));
    if !from.is_finite() {
        // Fewer events than that so far: all of them.
        from = events.first().map_or(now - MIN_SPAN_S, |e| e.t_s.min(now - MIN_SPAN_S));
    }
    let from = from
        .max(nth_newest(events, l.most_per_lane()))
        .min(now - 0.05)
        .max(now - 60.0);
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

/// Whether `e` is a read marked as an anomaly (a cross or a triangle, with a label).
fn is_anomaly(e: &SessionEvent) -> bool {
    e.kind == EventKind::Read && (e.ryw_violation || e.monotonic_violation)
}

/// Estimated width of a label's text, in px.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_PX
}

/// A label on the diagram: one event carries it for itself and the events it names.
#[derive(Clone, Debug, PartialEq)]
struct Label {
    /// Index (among the events in view) of the event that draws it.
    carrier: usize,
    /// Indices of the events it stands for, in time order.
    members: Vec<usize>,
    /// Lane and row: wide, 0 above the lane (writes) and 1 below it (reads); tall, one row right
    /// of the column (0).
    row: (u32, u8),
    /// What it says.
    text: String,
    /// Its centre along the time axis, in px.
    centre: f64,
}

impl Label {
    /// The stretch of the time axis it covers, in px.
    fn extent(&self, l: &Layout) -> (f64, f64) {
        let half = if l.wide { text_width(&self.text) } else { LABEL_H } / 2.0;
        (self.centre - half, self.centre + half)
    }

    /// Whether it comes within [`LABEL_GAP`] of `other` on the same row.
    fn collides(&self, other: &Label, l: &Layout) -> bool {
        let (a, b) = (self.extent(l), other.extent(l));
        self.row == other.row && a.0 < b.1 + LABEL_GAP && b.0 < a.1 + LABEL_GAP
    }
}

/// The names of the nodes that answered `events[members]`, once each (primary first, then
/// replicas by id), joined with commas; in the tall layout cut to fit between two columns.
fn merged_text(events: &[&SessionEvent], members: &[usize], l: &Layout) -> String {
    let mut nodes: Vec<(bool, u32)> = members
        .iter()
        .filter_map(|&i| events.get(i))
        .map(|e| (!e.by_primary, e.node))
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    let names: Vec<String> = nodes
        .iter()
        .map(|&(replica, id)| if replica { format!("R{id}") } else { "P".into() })
        .collect();
    let mut text = names.join(",");
    if !l.wide && text_width(&text) > TALL_LABEL_MAX {
        text.clear();
        for name in &names {
            let longer = if text.is_empty() {
                name.clone()
            } else {
                format!("{text},{name}")
            };
            if text_width(&longer) + CHAR_PX > TALL_LABEL_MAX {
                break;
            }
            text = longer;
        }
        text.push('\u{2026}');
    }
    text
}

/// The labels of the events in view (`along`: each one's position along the time axis, in px,
/// in time order) in layout `l`, so that no two on one row come within [`LABEL_GAP`] of each
/// other. Anomalous reads whose labels would collide share one label naming every node they read
/// from ("R1,R3"), centred under them; then each write is labelled only where its label has room.
fn labels(events: &[&SessionEvent], along: &[f64], l: &Layout) -> Vec<Label> {
    let mut out: Vec<Label> = Vec::new();
    for lane in 0..TRACKED_SESSIONS {
        let on_lane = |i: &usize| events.get(*i).is_some_and(|e| e.session == lane);
        let read_row = (lane, u8::from(l.wide));
        let mut row: Vec<Label> = Vec::new();
        for i in (0..events.len()).filter(on_lane) {
            if !events.get(i).is_some_and(|e| is_anomaly(e)) {
                continue;
            }
            row.push(Label {
                carrier: i,
                members: vec![i],
                row: read_row,
                text: merged_text(events, &[i], l),
                centre: along.get(i).copied().unwrap_or(0.0),
            });
            // Merge backwards while the newest label runs into the one before it.
            while row.len() >= 2 {
                let n = row.len();
                if !row[n - 2].collides(&row[n - 1], l) {
                    break;
                }
                let Some(last) = row.pop() else { break };
                let Some(prev) = row.last_mut() else { break };
                prev.members.extend(last.members);
                prev.text = merged_text(events, &prev.members, l);
                let first = prev.members.first().and_then(|&i| along.get(i)).copied().unwrap_or(0.0);
                let end = prev
                    .members
                    .last()
                    .and_then(|&i| along.get(i))
                    .copied()
                    .unwrap_or(first);
                prev.centre = (first + end) / 2.0;
            }
        }
        out.extend(row);
        for i in (0..events.len()).filter(on_lane) {
            let Some(e) = events.get(i).filter(|e| e.kind == EventKind::Write) else {
                continue;
            };
            let label = Label {
                carrier: i,
                members: vec![i],
                row: (lane, 0),
                text: format!("W{}", e.position),
                centre: along.get(i).copied().unwrap_or(0.0),
            };
            let fits = l.wide || text_width(&label.text) <= TALL_LABEL_MAX;
            if fits && !out.iter().any(|o| o.collides(&label, l)) {
                out.push(label);
            }
        }
    }
    out
}

/// What the window holds, counted as the cards count: a read is stale when it was older than
/// the newest committed write when sent (the core's `stale` flag, the one `stale_read_ratio`
/// counts).
#[derive(Clone, Debug, Default, PartialEq)]
struct Tally {
    reads: u64,
    stale: u64,
    ryw: u64,
    monotonic: u64,
    /// `(position, session)` of each write, oldest first.
    writes: Vec<(u64, u32)>,
}

fn tally<'a>(events: impl IntoIterator<Item = &'a SessionEvent>) -> Tally {
    let mut t = Tally::default();
    for e in events {
        match e.kind {
            EventKind::Write => t.writes.push((e.position, e.session)),
            EventKind::Read => {
                t.reads += 1;
                t.stale += u64::from(e.stale);
                t.ryw += u64::from(e.ryw_violation);
                t.monotonic += u64::from(e.monotonic_violation);
            }
        }
    }
    t
}

/// The snapshot's events in the window of layout `l`, where they go and their labels.
struct InView<'a> {
    from: f64,
    to: f64,
    events: Vec<&'a SessionEvent>,
    /// Each event's point.
    points: Vec<(f64, f64)>,
    labels: Vec<Label>,
}

fn in_view<'a>(s: &'a Snapshot, l: &Layout) -> InView<'a> {
    let (from, to) = window(&s.events, s.topology.t_s, l);
    let span = (to - from).max(1e-6);
    let events: Vec<&SessionEvent> = s.events.iter().filter(|e| e.t_s >= from && e.t_s <= to).collect();
    let points: Vec<(f64, f64)> = events.iter().map(|e| l.at((e.t_s - from) / span, e.session)).collect();
    let along: Vec<f64> = points.iter().map(|&(x, y)| if l.wide { x } else { y }).collect();
    let labels = labels(&events, &along, l);
    InView {
        from,
        to,
        events,
        points,
        labels,
    }
}

/// Event `e` as a part of the list of events in layout `l`: a group at its point (the live
/// `transform`), its mark and label drawn around `(0, 0)`. A read's wait line starts at `wait`,
/// the curve back to the write it missed is `missed` (a path, empty when that write is out of
/// view), and `label` is its label's text (empty: none here) and how far along the time axis its
/// centre is from the mark: live values too, as the window's scale and the labels change.
fn event_drawing(
    e: &SessionEvent,
    l: &Layout,
    at: (f64, f64),
    wait: (f64, f64),
    missed: String,
    label: (&str, f64),
) -> Drawing {
    let mut d = Drawing::default();
    let transform = format!("translate({},{})", d1(at.0), d1(at.1));
    // The label: wide, centred above a write or below a read; tall, right of the column.
    let text = |d: &mut Drawing, below: f64| {
        let (text, offset) = label;
        if l.wide {
            let _ = write!(d, r#"<text y="{below}" text-anchor="middle" class="st-label""#);
            d.live("x text", [d1(offset).to_string(), text.to_string()]);
        } else {
            d.markup
                .push_str(r#"<text x="10" text-anchor="start" class="st-label""#);
            d.live("y text", [d1(offset + 4.0).to_string(), text.to_string()]);
        }
        d.markup.push_str("></text>");
    };
    if e.kind == EventKind::Write {
        d.markup.push_str(r#"<g class="st-write" data-testid="st-write""#);
        d.live("transform", [transform]);
        let _ = write!(
            d,
            r#"><title>{} session {} wrote #{}</title><rect x="-5" y="-5" width="10" height="10"/>"#,
            format::sim_clock(e.t_s),
            e.session + 1,
            e.position
        );
        text(&mut d, -10.0);
        d.markup.push_str("</g>");
        return d;
    }
    let kind = anomaly(e);
    let _ = write!(
        d,
        r#"<g class="st-read {kind}" data-testid="st-read" data-anomaly="{kind}" data-stale="{}""#,
        e.stale
    );
    d.live("transform", [transform]);
    let _ = write!(
        d,
        "><title>{} read #{} from {}{}</title>",
        format::sim_clock(e.t_s),
        e.position,
        node_name(e),
        if e.stale { ", stale" } else { "" }
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
    if is_anomaly(e) {
        text(&mut d, 19.0);
    }
    d.markup.push_str("</g>");
    d
}

/// The snapshot's events in the window of layout `l`, one part each, keyed by time, lane, kind
/// and log position (and how many events before it share those, so that keys never repeat).
fn events(s: &Snapshot, l: &Layout) -> Parts {
    let v = in_view(s, l);
    let span = (v.to - v.from).max(1e-6);
    let at = |t: f64, lane: u32| l.at((t - v.from) / span, lane);
    let along = |(x, y): (f64, f64)| if l.wide { x } else { y };
    let mut out: Parts = Vec::new();
    for (i, (&e, &(x, y))) in v.events.iter().zip(&v.points).enumerate() {
        let mut wait = (0.0, 0.0);
        let mut missed = String::new();
        if e.kind == EventKind::Read {
            if e.waited {
                let (wx, wy) = at(e.t_s - e.latency_ms / 1_000.0, e.session);
                wait = (wx - x, wy - y);
            }
            if e.ryw_violation {
                // A dashed curve back to the write it missed, when that write is in view.
                let missed_write = v
                    .events
                    .iter()
                    .find(|w| w.kind == EventKind::Write && w.session == e.session && w.position == e.own_write);
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
        }
        let label = v
            .labels
            .iter()
            .find(|lb| lb.carrier == i)
            .map_or(("", 0.0), |lb| (lb.text.as_str(), lb.centre - along((x, y))));
        let id = format!(
            "{:x}/{}/{}/{}/",
            e.t_s.to_bits(),
            e.session,
            e.kind == EventKind::Write,
            e.position
        );
        let same = out.iter().filter(|(k, _)| k.starts_with(&id)).count();
        out.push((format!("{id}{same}"), event_drawing(e, l, (x, y), wait, missed, label)));
    }
    out
}

/// The time axis in layout `l`: its line, and the times at its start, middle and end (live).
fn axis(s: &Snapshot, l: &Layout) -> Drawing {
    let (from, to) = window(&s.events, s.topology.t_s, l);
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

/// What the diagram samples (`v`: its window over `s`), in words, for under it: which sessions, how long a
/// window, its reads (and, unless `show_stale` is false because a prediction asks for it, how
/// many were stale), and what the Stale reads card counts instead.
fn caption(s: &Snapshot, v: &InView, show_stale: bool) -> String {
    let sessions = format!("Sessions 1 to {TRACKED_SESSIONS} only");
    let card = "The Stale reads card counts every read of all sessions since the counters last restarted";
    if s.events.is_empty() {
        return format!("{sessions}: nothing yet. {card}.");
    }
    let t = tally(v.events.iter().copied());
    let span = format::number(v.to - v.from, 2);
    let mut out = format!(
        "{sessions}, the last {span} s (to {}): {} read{}",
        format::sim_clock(v.to),
        format::number(t.reads as f64, 0),
        if t.reads == 1 { "" } else { "s" }
    );
    if show_stale && t.reads > 0 {
        let _ = write!(
            out,
            ", {} of them stale ({}, crosses included)",
            format::number(t.stale as f64, 0),
            format::percent(t.stale as f64 / t.reads as f64, 0)
        );
    }
    let _ = write!(out, ". {card}");
    if show_stale && s.reads > 0 {
        let _ = write!(
            out,
            ": {} of {}",
            format::percent(s.stale_read_ratio, 1),
            format::number(s.reads as f64, 0)
        );
    }
    out.push('.');
    out
}

/// The diagram's accessible description in layout `l`: what the caption says of the window, its
/// anomalies, and every write drawn (whose labels may be left off for room).
fn description(s: &Snapshot, l: &Layout, show_stale: bool) -> String {
    let v = in_view(s, l);
    let t = tally(v.events.iter().copied());
    let mut out = format!(
        "Space-time diagram. {} {} read{} missed {} own write, {} went backwards in time.",
        caption(s, &v, show_stale),
        format::number(t.ryw as f64, 0),
        if t.ryw == 1 { "" } else { "s" },
        if t.ryw == 1 { "its" } else { "their" },
        format::number(t.monotonic as f64, 0),
    );
    if !t.writes.is_empty() {
        let list: Vec<String> = t
            .writes
            .iter()
            .map(|(pos, session)| format!("#{pos} by session {}", session + 1))
            .collect();
        let _ = write!(out, " Writes drawn: {}.", list.join(", "));
    }
    out
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

/// The diagram, what it samples (the caption), its legend and the latest anomalies.
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
    let (narrow, set_narrow) = signal(platform::media_matches(NARROW));
    let resized = window_event_listener(leptos::ev::resize, move |_| {
        let now = platform::media_matches(NARROW);
        if narrow.get_untracked() != now {
            set_narrow.set(now);
        }
    });
    on_cleanup(move || resized.remove());
    let layout = move || if narrow.get() { &TALL } else { &WIDE };
    // A prediction that asks for the stale share hides the window's count too.
    let hidden = use_context::<Hidden>();
    let show_stale = move || !hidden.is_some_and(|h| h.hides("metric", "stale-read-ratio"));
    let label = move || snapshot.with(|s| description(s, layout(), show_stale()));
    let sampled = move || snapshot.with(|s| caption(s, &in_view(s, layout()), show_stale()));
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
            <figcaption class="param-hint st-legend">
                <div class="st-window" data-testid="space-time-window">{sampled}</div>
                <div inner_html=LEGEND></div>
            </figcaption>
            <ul class="anomaly-log" data-testid="anomaly-log" aria-label="Latest anomalies" use:draw=source(anomalies)></ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::replication::{Config, ReplicationLab, Routing};

    /// The lesson's step 1 and 2 preset (3 replicas, 20 writes/s, 600 reads/s, random replica).
    fn lesson_preset() -> Config {
        Config {
            replicas: 3,
            write_rate: 20.0,
            read_rate: 600.0,
            routing: Routing::Replica,
            ..Config::default()
        }
    }

    /// `config` after the lesson's warm-up (10 s, counters restarted) and `secs` more.
    fn warmed(config: Config, secs: f64) -> ReplicationLab {
        let mut lab = ReplicationLab::new(config).unwrap();
        lab.step_until(from_secs(10.0));
        lab.reset_stats();
        lab.step_until(from_secs(10.0 + secs));
        lab
    }

    fn lagging() -> Config {
        Config {
            lag_ms: 1_000.0,
            ..Config::default()
        }
    }

    #[test]
    fn places_the_anomalies_of_a_lagging_async_run() {
        let mut lab = ReplicationLab::new(lagging()).unwrap();
        lab.step_until(from_secs(20.0));
        let s = lab.snapshot();
        for l in [&WIDE, &TALL] {
            let (from, to) = window(&s.events, s.topology.t_s, l);
            assert!(from < to && to == 20.0);
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
            // Later, the events still in view keep their key and markup (labels are values): the
            // list slides.
            let mut later_lab = ReplicationLab::new(lagging()).unwrap();
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
    fn the_window_is_long_enough_to_tell_the_story_and_never_crowded() {
        // Default traffic: a whole second at least (about 20 writes of all sessions).
        let s = warmed(Config::default(), 10.0).snapshot();
        for l in [&WIDE, &TALL] {
            let (from, to) = window(&s.events, s.topology.t_s, l);
            assert!(to - from >= MIN_SPAN_S - 1e-9, "{from}..{to}");
        }
        // The lesson's 600 reads/s: as long as the lanes have room (it was 0.38 s, 12 events).
        let s = warmed(lesson_preset(), 10.0).snapshot();
        for l in [&WIDE, &TALL] {
            let (from, to) = window(&s.events, s.topology.t_s, l);
            for lane in 0..TRACKED_SESSIONS {
                let n = s
                    .events
                    .iter()
                    .filter(|e| e.session == lane && e.t_s >= from && e.t_s <= to)
                    .count();
                assert!(n <= l.most_per_lane(), "lane {lane}: {n}");
            }
            assert!(to - from > 0.6, "{from}..{to}");
        }
        assert_eq!((WIDE.most_per_lane(), TALL.most_per_lane()), (33, 22));
    }

    /// Every label drawn in `parts` (layout `l`) as `((lane, row), start, end, text)`, read back
    /// from the rendered markup: the mark's point, the label's offset and its text's width.
    fn drawn_labels(parts: &Parts, l: &Layout) -> Vec<((u32, u8), f64, f64, String)> {
        let num = |s: &str, key: &str| -> Option<f64> {
            let at = s.find(key)? + key.len();
            let rest = &s[at..];
            let end = rest.find(|c: char| c == '"' || c == ',' || c == ')')?;
            rest[..end].parse().ok()
        };
        let mut out = Vec::new();
        for (_, d) in parts {
            let html = d.render();
            let (Some(x), Some(y)) = (num(&html, "translate("), num(&html, ",")) else {
                panic!("no point in {html}");
            };
            let Some(t) = html.find("<text") else { continue };
            let tag = &html[t..];
            let text = &tag[tag.find('>').unwrap() + 1..tag.find("</text>").unwrap()];
            if text.is_empty() {
                continue;
            }
            let (along, across, half, row) = if l.wide {
                let ly = num(tag, " y=\"").unwrap();
                let dx = num(tag, " x=\"").unwrap();
                (x + dx, y, text_width(text) / 2.0, u8::from(ly > 0.0))
            } else {
                let dy = num(tag, " y=\"").unwrap() - 4.0;
                assert!(text_width(text) <= TALL_LABEL_MAX, "{text} is wider than a column gap");
                (y + dy, x, LABEL_H / 2.0, 0)
            };
            let lane = ((across - l.lanes.0) / l.lanes.1).round() as u32;
            out.push(((lane, row), along - half, along + half, text.to_string()));
        }
        out
    }

    #[test]
    fn labels_never_come_within_the_gap_on_a_row() {
        let busy = [
            lesson_preset(),
            Config::default(),
            // Lesson step 3 (read your writes) and 4 (monotonic reads).
            Config {
                lag_ms: 1_000.0,
                jitter_ms: 50.0,
                write_rate: 10.0,
                read_rate: 200.0,
                ..Config::default()
            },
            Config {
                lag_ms: 200.0,
                jitter_ms: 150.0,
                write_rate: 20.0,
                read_rate: 400.0,
                ..Config::default()
            },
            Config {
                lag_ms: 500.0,
                jitter_ms: 400.0,
                write_rate: 300.0,
                read_rate: 3_000.0,
                replicas: 5,
                ..Config::default()
            },
        ];
        let (mut merged, mut writes_dropped, mut checked) = (false, false, 0);
        for config in busy {
            let mut lab = warmed(config, 0.0);
            for i in 1..=25 {
                lab.step_until(from_secs(10.0 + 0.37 * f64::from(i)));
                let s = lab.snapshot();
                for l in [&WIDE, &TALL] {
                    let mut drawn = drawn_labels(&events(&s, l), l);
                    drawn.sort_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).unwrap());
                    for pair in drawn.windows(2) {
                        let (a, b) = (&pair[0], &pair[1]);
                        if a.0 == b.0 {
                            // d1 rounds each coordinate by up to 0.05 px.
                            assert!(b.1 - a.2 >= LABEL_GAP - 0.1, "{a:?} and {b:?} run together");
                            checked += 1;
                        }
                    }
                    merged |= drawn.iter().any(|d| d.3.contains(','));
                    // Every anomalous read is named by a label of its lane.
                    let v = in_view(&s, l);
                    for (i, e) in v.events.iter().enumerate() {
                        if is_anomaly(e) {
                            let label = v.labels.iter().find(|lb| lb.members.contains(&i)).unwrap();
                            assert!(
                                label.text.contains(&node_name(e)) || label.text.ends_with('\u{2026}'),
                                "{} misses {}",
                                label.text,
                                node_name(e)
                            );
                        }
                    }
                    let writes = v.events.iter().filter(|e| e.kind == EventKind::Write).count();
                    let labelled = v.labels.iter().filter(|lb| lb.text.starts_with('W')).count();
                    writes_dropped |= labelled < writes;
                }
            }
        }
        assert!(
            checked > 100 && merged && writes_dropped,
            "{checked} {merged} {writes_dropped}"
        );
    }

    #[test]
    fn the_reviewed_moment_merges_r3_and_r1() {
        // The review's picture (lesson preset, t = 20 s): two crosses of session 2 at 19.622 s
        // and 19.625 s were labelled R3 over R1; they share one label now.
        let s = warmed(lesson_preset(), 10.0).snapshot();
        let v = in_view(&s, &WIDE);
        let pair: Vec<usize> = (0..v.events.len())
            .filter(|&i| {
                v.events[i].session == 1 && is_anomaly(v.events[i]) && (19.62..19.63).contains(&v.events[i].t_s)
            })
            .collect();
        assert_eq!(pair.len(), 2, "{:?}", v.events);
        let shared = v.labels.iter().find(|lb| pair.iter().all(|i| lb.members.contains(i)));
        assert!(
            shared.is_some_and(|lb| lb.row == (1, 1) && lb.text.contains("R1,") && lb.text.contains("R3")),
            "{:?}",
            v.labels
        );
    }

    #[test]
    fn the_diagram_marks_stale_reads_as_the_card_counts_them() {
        // Every session tracked, and a second with fewer events than the core keeps: the reads
        // drawn are all the reads the card counts.
        let mut lab = ReplicationLab::new(Config {
            sessions: TRACKED_SESSIONS,
            read_rate: 150.0,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(9.0));
        lab.reset_stats();
        lab.step_until(from_secs(10.0));
        let s = lab.snapshot();
        let t = tally(s.events.iter().filter(|e| e.t_s > 9.0));
        assert_eq!(t.reads, s.reads);
        assert!(t.stale > 0 && t.stale < t.reads, "{t:?}");
        assert_eq!(t.stale as f64 / t.reads as f64, s.stale_read_ratio);
        // Each drawn read says whether it is stale, by the same flag; rings are the stale reads
        // with no other anomaly, and a read that missed its own write is always stale.
        let parts = events(&s, &WIDE);
        let v = in_view(&s, &WIDE);
        let reads: Vec<(&&SessionEvent, &String)> = v
            .events
            .iter()
            .zip(parts.iter().map(|(_, d)| &d.markup))
            .filter(|(e, _)| e.kind == EventKind::Read)
            .collect();
        assert!(reads.len() > 50, "{}", reads.len());
        for (e, markup) in reads {
            assert!(markup.contains(&format!(r#"data-stale="{}""#, e.stale)));
            let ring = markup.contains(r#"class="st-read stale""#);
            assert_eq!(ring, e.stale && !e.ryw_violation && !e.monotonic_violation);
            assert!(!e.ryw_violation || e.stale);
        }
    }

    #[test]
    fn the_caption_says_what_is_sampled_and_what_the_card_counts() {
        let s = warmed(lesson_preset(), 10.0).snapshot();
        let v = in_view(&s, &WIDE);
        let t = tally(v.events.iter().copied());
        let text = caption(&s, &v, true);
        assert!(
            text.starts_with("Sessions 1 to 4 only, the last 1 s (to 20.000 s): "),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "{} of them stale ({}",
                t.stale,
                format::percent(t.stale as f64 / t.reads as f64, 0)
            )),
            "{text}"
        );
        assert!(
            text.contains("every read of all sessions") && text.contains(": 89"),
            "{text}"
        );
        // Mostly stale in the window too (it showed 6 stale reads of 40 over 0.38 s).
        assert!(t.stale * 2 > t.reads, "{t:?}");
        // While a prediction asks for the stale share, no count gives it away.
        let hidden = caption(&s, &v, false);
        assert!(!hidden.contains('%') && !hidden.contains("stale ("), "{hidden}");
        let all = description(&s, &WIDE, true);
        assert!(all.contains(&text) && all.contains("Writes drawn: #"), "{all}");
        assert!(caption(&Snapshot::default(), &v, true).contains("nothing yet"));
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
        let d = event_drawing(&read, &WIDE, (100.0, 43.0), (-12.0, 0.0), String::new(), ("R1,R2", 6.0));
        assert_eq!(
            d.render(),
            concat!(
                r#"<g class="st-read ryw" data-testid="st-read" data-anomaly="ryw" data-stale="true" transform="translate(100.0,43.0)">"#,
                "<title>1.500 s read #7 from R2, stale</title>",
                r#"<line class="st-wait" x2="0" y2="0" x1="-12.0" y1="0.0"/><path class="st-missed" d=""/>"#,
                r#"<path class="st-mark" d="M-5,-5 l10,10 m0,-10 l-10,10"/>"#,
                r#"<text y="19" text-anchor="middle" class="st-label" x="6.0">R1,R2</text></g>"#
            )
        );
        let write = SessionEvent {
            kind: EventKind::Write,
            ..read
        };
        let d = event_drawing(&write, &TALL, (0.0, 0.0), (0.0, 0.0), String::new(), ("W7", 0.0));
        assert!(d
            .render()
            .contains(r#"<title>1.500 s session 1 wrote #7</title><rect x="-5" y="-5" width="10" height="10"/><text x="10" text-anchor="start" class="st-label" y="4.0">W7</text>"#));
        // A write without room for its label draws it empty (the markup stays the same).
        let bare = event_drawing(&write, &TALL, (0.0, 0.0), (0.0, 0.0), String::new(), ("", 0.0));
        assert_eq!(bare.markup, d.markup);
    }
}
