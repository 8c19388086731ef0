//! The state machine drawn in SVG: CLOSED, OPEN and HALF_OPEN in a triangle with their
//! transitions, the two manual states above. The current state is lit; the arrow of the last
//! transition is highlighted and animates once when it happens (a static highlight under
//! `prefers-reduced-motion`). Also the state card (`metric-state`).

use crate::components::{drawn_svg, source, whole, Drawing};
use crate::format;
use leptos::prelude::*;
use scalelab_sim::breaker::{Policy, Snapshot, State};
use std::fmt::Write;

const WIDTH: f64 = 460.0;
const HEIGHT: f64 = 340.0;
/// Node boxes: x, y, width, height.
const fn node_box(state: State) -> (f64, f64, f64, f64) {
    match state {
        State::Closed => (5.0, 125.0, 170.0, 74.0),
        State::Open => (285.0, 125.0, 170.0, 74.0),
        State::HalfOpen => (145.0, 260.0, 170.0, 74.0),
        State::Disabled => (5.0, 8.0, 170.0, 60.0),
        State::ForcedOpen => (285.0, 8.0, 170.0, 60.0),
    }
}

/// One arrow of the machine: from, to, path, arrowhead tip and direction, label position.
struct Edge {
    from: State,
    to: State,
    d: &'static str,
    tip: (f64, f64),
    dir: (f64, f64),
    label: (f64, f64, &'static str),
    text: &'static str,
}

/// The automatic transitions (the manual ones go through the buttons and have no arrow).
const EDGES: [Edge; 4] = [
    Edge {
        from: State::Closed,
        to: State::Open,
        d: "M175,162 H283",
        tip: (283.0, 162.0),
        dir: (1.0, 0.0),
        label: (230.0, 150.0, "middle"),
        text: "threshold hit",
    },
    Edge {
        from: State::Open,
        to: State::HalfOpen,
        d: "M355,199 L306,260",
        tip: (306.0, 260.0),
        dir: (-0.63, 0.78),
        label: (342.0, 244.0, "start"),
        text: "wait is over",
    },
    Edge {
        from: State::HalfOpen,
        to: State::Open,
        d: "M290,260 L334,201",
        tip: (334.0, 201.0),
        dir: (0.6, -0.8),
        label: (292.0, 222.0, "end"),
        text: "trials fail",
    },
    Edge {
        from: State::HalfOpen,
        to: State::Closed,
        d: "M170,260 L110,201",
        tip: (110.0, 201.0),
        dir: (-0.71, -0.7),
        label: (122.0, 244.0, "end"),
        text: "trials pass",
    },
];

/// An arrowhead at `tip` pointing along `(dx, dy)` (a unit vector).
fn head((x, y): (f64, f64), (dx, dy): (f64, f64)) -> String {
    let (bx, by) = (x - 10.0 * dx, y - 10.0 * dy);
    let (px, py) = (-dy * 5.0, dx * 5.0);
    format!(
        "M{x:.1},{y:.1} L{:.1},{:.1} L{:.1},{:.1} Z",
        bx + px,
        by + py,
        bx - px,
        by - py
    )
}

/// The live line under a state's name (short: it must fit its box).
fn detail(state: State, s: &Snapshot) -> String {
    let here = s.state == state;
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match state {
        State::Closed if here && s.policy == Policy::Consecutive => {
            format!("{} in a row", plural(s.consecutive_failures, "failure", "failures"))
        }
        State::Closed if here && s.failure_rate >= 0.0 => format!(
            "{} calls \u{00b7} {}% failed",
            s.window_calls,
            format::number(s.failure_rate, 0)
        ),
        State::Closed if here => format!("{} of {} calls", s.window_calls, s.min_calls),
        State::Closed => "counts outcomes".into(),
        State::Open => match s.open_until_s {
            Some(until) if here => format!("half-open in {} s", format::number((until - s.now_s).max(0.0), 1)),
            _ => "rejects every call".into(),
        },
        State::HalfOpen if here => format!("trials: {} of {}", s.trial_permitted, s.trial_limit),
        State::HalfOpen => format!(
            "{} {}",
            plural(s.trial_limit, "trial", "trials"),
            if s.trial_limit == 1 { "decides" } else { "decide" }
        ),
        State::ForcedOpen => "rejects all calls".into(),
        State::Disabled => "lets all calls pass".into(),
    }
}

/// One state's box: its light and its live line are live values.
fn node(d: &mut Drawing, state: State, s: &Snapshot) {
    let (x, y, w, h) = node_box(state);
    let lit = s.state == state;
    let manual = if matches!(state, State::ForcedOpen | State::Disabled) {
        " manual"
    } else {
        ""
    };
    let cx = x + w / 2.0;
    let _ = write!(d, r#"<g data-testid="state-node-{}""#, state.as_str());
    d.live(
        "class data-lit",
        [
            format!("sm-node sm-{}{manual}{}", state.as_str(), if lit { " lit" } else { "" }),
            lit.to_string(),
        ],
    );
    let _ = write!(
        d,
        r#"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="12"></rect><text x="{cx}" y="{}" text-anchor="middle" class="sm-title">{}</text><text x="{cx}" y="{}" text-anchor="middle" class="sm-detail""#,
        y + h / 2.0 - 5.0,
        state.label(),
        y + h / 2.0 + 17.0
    );
    d.live("text", [detail(state, s)]);
    d.markup.push_str("></text></g>");
}

/// The diagram for a snapshot. The markup changes with the last transition (its highlight is
/// drawn anew, so that its animation plays); the light, the live lines and whether the arrows
/// are greyed out (the breaker is off) are live values.
fn machine(s: &Snapshot) -> Drawing {
    let mut d = Drawing::default();
    d.markup.push_str(
        r#"<text x="230" y="42" text-anchor="middle" class="sm-label">manual states</text><line class="sm-divider" x1="5" x2="455" y1="92" y2="92"></line>"#,
    );
    let active = s.state != State::Disabled || s.policy != Policy::Disabled;
    for e in &EDGES {
        d.markup.push_str("<g");
        d.live("class", [if active { "sm-edge" } else { "sm-edge idle" }.to_string()]);
        let _ = write!(
            d,
            r#"><path class="sm-line" d="{}"></path><path class="sm-head" d="{}"></path><text x="{}" y="{}" text-anchor="{}" class="sm-label">{}</text></g>"#,
            e.d,
            head(e.tip, e.dir),
            e.label.0,
            e.label.1,
            e.label.2,
            e.text
        );
    }
    // The last transition, with its number so that a repeat of the same change animates again.
    if let Some(t) = s.transition_log.last() {
        if let Some(e) = EDGES.iter().find(|e| e.from == t.from && e.to == t.to) {
            let _ = write!(
                d,
                r#"<g class="sm-last" data-testid="last-transition" data-value="{}-{}" data-count="{}"><path class="sm-line" d="{}"></path><path class="sm-head" d="{}"></path></g>"#,
                t.from.as_str(),
                t.to.as_str(),
                s.transitions,
                e.d,
                head(e.tip, e.dir)
            );
        }
    }
    for state in State::ALL {
        node(&mut d, state, s);
    }
    d
}

/// What the diagram says, for screen readers.
fn describe(s: &Snapshot) -> String {
    let last = s
        .transition_log
        .last()
        .map(|t| {
            format!(
                " Last change at {}: {} to {}, {}.",
                format::sim_clock(t.at_s),
                t.from.label(),
                t.to.label(),
                t.reason
            )
        })
        .unwrap_or_default();
    format!(
        "Circuit breaker state machine. The breaker is {}: {}.{last}",
        s.state.label(),
        detail(s.state, s)
    )
}

/// The state machine diagram.
#[component]
pub fn StateDiagram(
    /// What to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let svg = drawn_svg(
        "diagram breaker-diagram",
        format!("0 0 {WIDTH} {HEIGHT}"),
        Signal::derive(move || snapshot.with(describe)),
        source(move || whole(snapshot.with(machine))),
    );
    view! {
        <figure class="diagram-figure breaker-machine" data-testid="state-diagram">
            {svg}
            <figcaption class="param-hint">
                "The lit box is the current state; the last transition is highlighted. Force open and Disable switch to the manual states; Reset breaker goes back to CLOSED."
            </figcaption>
        </figure>
    }
}

/// The state card: `data-testid="metric-state"` with the state's name in `data-value`.
#[component]
pub fn StateCard(
    /// The snapshot to read.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let state = Memo::new(move |_| snapshot.with(|s| s.state));
    let since = move || snapshot.with(|s| format!("since {}", format::sim_clock(s.state_since_s)));
    view! {
        <dl class="metric-grid breaker-state-grid">
            <div class=move || format!("metric breaker-state-card sm-{}", state.get().as_str())>
                <dt>"Breaker state"</dt>
                <dd data-testid="metric-state" data-value=move || state.get().as_str()>{move || state.get().label()}</dd>
                <dd class="metric-hint">{since}</dd>
            </div>
        </dl>
    }
}
