//! The space-time diagram: a few sessions as lanes, time running right, every acknowledged write
//! and answered read as a mark, anomalies marked at the read that suffered them (with a dashed
//! line back to the write it missed), and the same anomalies listed in words.

use crate::format;
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

const WIDE: Layout = Layout {
    wide: true,
    size: (640.0, 278.0),
    time: (84.0, 620.0),
    lanes: (43.0, 58.0),
};
const TALL: Layout = Layout {
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

/// The diagram as an SVG string, in layout `l`.
fn svg(s: &Snapshot, l: &Layout) -> String {
    let now = s.topology.t_s;
    let (from, to) = window(&s.events, now);
    let span = (to - from).max(1e-6);
    let at = |t: f64, lane: u32| l.at((t - from) / span, lane);
    let (w, h) = l.size;
    let class = if l.wide { "st-wide" } else { "st-tall" };
    let mut out = format!(r#"<svg class="diagram st-diagram {class}" viewBox="0 0 {w} {h}" aria-hidden="true">"#);
    if !l.wide {
        let middle = l.lanes.0 + l.lanes.1 * f64::from(TRACKED_SESSIONS - 1) / 2.0;
        let _ = write!(
            out,
            r#"<text x="{middle:.1}" y="14" text-anchor="middle" class="st-lane-label">Sessions</text>"#
        );
    }
    for lane in 0..TRACKED_SESSIONS {
        let (x0, y0) = at(from, lane);
        let (x1, y1) = at(to, lane);
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
    let mut last_label = vec![(f64::NEG_INFINITY, 0u8); TRACKED_SESSIONS as usize];
    for e in s.events.iter().filter(|e| e.t_s >= from && e.t_s <= to) {
        let (x, y) = at(e.t_s, e.session);
        match e.kind {
            EventKind::Write => {
                let (lx, ly, anchor) = if l.wide {
                    (x, y - 10.0, "middle")
                } else {
                    (x - 10.0, y + 4.0, "end")
                };
                let _ = write!(
                    out,
                    r#"<g class="st-write" data-testid="st-write"><rect x="{:.1}" y="{:.1}" width="10" height="10"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" class="st-label">W{}</text></g>"#,
                    x - 5.0,
                    y - 5.0,
                    e.position
                );
            }
            EventKind::Read => {
                let kind = anomaly(e);
                let _ = write!(
                    out,
                    r#"<g class="st-read {kind}" data-testid="st-read" data-anomaly="{kind}"><title>{} read #{} from {}</title>"#,
                    format::sim_clock(e.t_s),
                    e.position,
                    node_name(e)
                );
                if e.waited {
                    let (x0, y0) = at(e.t_s - e.latency_ms / 1_000.0, e.session);
                    let _ = write!(
                        out,
                        r#"<line class="st-wait" x1="{x0:.1}" y1="{y0:.1}" x2="{x:.1}" y2="{y:.1}"/>"#
                    );
                }
                if e.ryw_violation {
                    // A dashed curve back to the write it missed, when that write is in view.
                    let missed = s.events.iter().find(|w| {
                        w.kind == EventKind::Write
                            && w.session == e.session
                            && w.position == e.own_write
                            && w.t_s >= from
                    });
                    if let Some(wr) = missed {
                        let (wx, wy) = at(wr.t_s, e.session);
                        let (dx, dy) = l.across(22.0);
                        let _ = write!(
                            out,
                            r#"<path class="st-missed" d="M{x:.1},{y:.1} Q{:.1},{:.1} {wx:.1},{wy:.1}"/>"#,
                            (x + wx) / 2.0 + dx,
                            (y + wy) / 2.0 + dy
                        );
                    }
                }
                match kind {
                    "ryw" => {
                        let _ = write!(
                            out,
                            r#"<path class="st-mark" d="M{:.1},{:.1} l10,10 m0,-10 l-10,10"/>"#,
                            x - 5.0,
                            y - 5.0
                        );
                    }
                    "monotonic" => {
                        let _ = write!(
                            out,
                            r#"<path class="st-mark" d="M{:.1},{:.1} h12 l-6,11 z"/>"#,
                            x - 6.0,
                            y - 5.0
                        );
                    }
                    _ => {
                        let _ = write!(out, r#"<circle class="st-mark" cx="{x:.1}" cy="{y:.1}" r="4.5"/>"#);
                    }
                }
                if matches!(kind, "ryw" | "monotonic") {
                    // Labels of nearby anomalies in a lane alternate between two rows.
                    let along = if l.wide { x } else { y };
                    let row = match last_label.get(e.session as usize) {
                        Some(&(prev, r)) if along - prev < 26.0 => 1 - r,
                        _ => 0,
                    };
                    if let Some(slot) = last_label.get_mut(e.session as usize) {
                        *slot = (along, row);
                    }
                    let (lx, ly, anchor) = if l.wide {
                        (x, y + 19.0 + 12.0 * f64::from(row), "middle")
                    } else {
                        (x + 10.0 + 20.0 * f64::from(row), y + 4.0, "start")
                    };
                    let _ = write!(
                        out,
                        r#"<text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" class="st-label">{}</text>"#,
                        node_name(e)
                    );
                }
                out.push_str("</g>");
            }
        }
    }
    // The time axis: along the bottom when wide, down the left when tall.
    let (a0, a1) = if l.wide {
        ((l.time.0, h - 30.0), (l.time.1, h - 30.0))
    } else {
        ((48.0, l.time.0), (48.0, l.time.1))
    };
    let _ = write!(
        out,
        r#"<line class="st-lane" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        a0.0, a0.1, a1.0, a1.1
    );
    for (f, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        let t = from + f * span;
        let (x, y, anchor) = if l.wide {
            (l.time.0 + (l.time.1 - l.time.0) * f, h - 10.0, anchor)
        } else {
            (43.0, l.time.0 + (l.time.1 - l.time.0) * f + 4.0, "end")
        };
        let label = if l.wide {
            format::sim_clock(t.max(0.0))
        } else {
            format!("{} s", format::number(t.max(0.0), 1))
        };
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="st-axis">{label}</text>"#
        );
    }
    out.push_str("</svg>");
    out
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
    let anomalies = move || {
        snapshot.with(|s| {
            s.events
                .iter()
                .rev()
                .filter(|e| e.ryw_violation || e.monotonic_violation)
                .take(LISTED)
                .map(|e| view! { <li>{describe(e)}</li> })
                .collect_view()
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
    view! {
        <figure class="diagram-figure repl-spacetime" data-testid="space-time">
            <div
                class="repl-svg"
                role="img"
                aria-label=label
                inner_html=move || snapshot.with(|s| svg(s, &WIDE) + &svg(s, &TALL))
            ></div>
            <figcaption class="param-hint st-legend" inner_html=LEGEND></figcaption>
            <ul class="anomaly-log" data-testid="anomaly-log" aria-label="Latest anomalies">
                {anomalies}
            </ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::replication::{Config, ReplicationLab};

    #[test]
    fn marks_the_anomalies_of_a_lagging_async_run() {
        let mut lab = ReplicationLab::new(Config {
            lag_ms: 1_000.0,
            ..Config::default()
        })
        .unwrap();
        lab.step_until(from_secs(20.0));
        let s = lab.snapshot();
        let out = svg(&s, &WIDE);
        assert!(svg(&s, &TALL).contains(r#"data-anomaly="ryw""#));
        assert!(out.contains(r#"data-anomaly="ryw""#), "no marked violation");
        assert!(out.contains("st-write"));
        assert!(!out.contains("NaN"));
        let (from, to) = window(&s.events, s.topology.t_s);
        assert!(from < to && to == 20.0);
        assert!(svg(&Snapshot::default(), &TALL).starts_with("<svg"));
    }
}
