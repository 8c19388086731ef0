//! The broker diagram: the producers on the left, the partitions as lanes with their backlog in
//! the middle (one bar per group), the first group's consumers on the right (busy, waiting, idle,
//! crashed, stopped, rebalancing, leaving) joined to the partitions they read, and the latest
//! message movements as dots on their way. Under it: the dead-letter queue and the other groups.
//!
//! The dots are placed by the snapshot (newest at the start of its path, older ones further
//! along), so nothing moves between snapshots and reduced motion needs no special case. At most
//! [`SHOWN`] partitions and consumers are drawn. A backlog bar is on a log scale, so one message
//! and ten million both show.

use crate::components::{drawn_svg, source, whole, Drawing};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::queues::{ConsumerState, ConsumerView, Delivery, Flow, FlowKind, Snapshot};
use std::fmt::Write;

/// Partitions and consumers drawn at most.
pub const SHOWN: usize = 16;
/// Latest movements drawn as dots.
const DOTS: usize = 24;
/// The backlog that fills a lane's bar (log scale).
const LANE_FULL: f64 = 100_000.0;

const WIDTH: f64 = 420.0;
const ROW: f64 = 28.0;
const TOP: f64 = 28.0;
const PRODUCER_X: f64 = 4.0;
const PRODUCER_W: f64 = 80.0;
const LANE_X: f64 = 114.0;
const LANE_W: f64 = 112.0;
const LANE_H: f64 = 18.0;
/// Where the lane's count ends (right-aligned) and the partition's line to its consumer starts.
const COUNT_X: f64 = LANE_X + LANE_W + 40.0;
const CONSUMER_X: f64 = 306.0;
const CONSUMER_W: f64 = WIDTH - CONSUMER_X - 4.0;
/// A line of text under the rows.
const LINE: f64 = 18.0;

/// The fill of a lane's bar for `backlog` messages (0 to 1, log scale).
pub fn lane_fill(backlog: u64) -> f64 {
    if backlog == 0 {
        return 0.0;
    }
    ((backlog as f64 + 1.0).log10() / (LANE_FULL + 1.0).log10()).clamp(0.04, 1.0)
}

fn row_y(i: usize) -> f64 {
    TOP + ROW * i as f64 + ROW / 2.0
}

/// Rows the diagram draws: the partitions or the consumers shown, whichever are more.
fn rows(s: &Snapshot) -> usize {
    let consumers = s.group_views.first().map_or(0, |g| g.consumers.len());
    (s.partition_views.len().max(consumers)).clamp(1, SHOWN)
}

/// Lines of text under the rows: the dead-letter queue, each other group, what is not drawn.
fn lines(s: &Snapshot) -> usize {
    1 + s.group_views.len().saturating_sub(1) + 1
}

/// The diagram's height.
fn height(s: &Snapshot) -> f64 {
    TOP + ROW * rows(s) as f64 + 8.0 + LINE * lines(s) as f64
}

/// The class of a consumer box.
fn consumer_class(v: &ConsumerView) -> &'static str {
    match v.state {
        ConsumerState::Busy => "q-consumer busy",
        ConsumerState::Waiting => "q-consumer waiting",
        ConsumerState::Idle => "q-consumer idle",
        ConsumerState::Crashed => "q-consumer crashed",
        ConsumerState::Stopped => "q-consumer stopped",
        ConsumerState::Rebalancing => "q-consumer rebalancing",
        ConsumerState::Leaving => "q-consumer leaving",
    }
}

/// What a consumer box says next to its name.
fn consumer_text(v: &ConsumerView) -> String {
    match v.state {
        ConsumerState::Busy | ConsumerState::Waiting => format!("{}/{} busy", v.busy, v.concurrency),
        ConsumerState::Idle => "idle".into(),
        ConsumerState::Crashed => "crashed".into(),
        ConsumerState::Stopped => "stopped".into(),
        ConsumerState::Rebalancing => "rebalancing".into(),
        ConsumerState::Leaving => "leaving".into(),
    }
}

/// The start and end of a movement's path, and its dot's class (`None`: not drawn).
fn flow_path(f: &Flow, rows: usize) -> Option<((f64, f64), (f64, f64), &'static str)> {
    let p = f.partition as usize;
    if f.group != 0 || p >= rows {
        return None;
    }
    let lane = (LANE_X, row_y(p));
    let consumer = |c: Option<u32>| {
        let c = c? as usize;
        (c < rows).then(|| (CONSUMER_X, row_y(c)))
    };
    let producer = (PRODUCER_X + PRODUCER_W, row_y(0).max(TOP + ROW * rows as f64 / 2.0));
    Some(match f.kind {
        FlowKind::Published => (producer, (lane.0 - 24.0, lane.1), "q-dot"),
        FlowKind::Delivered => ((COUNT_X, row_y(p)), consumer(f.consumer)?, "q-dot"),
        FlowKind::Done => ((COUNT_X, row_y(p)), consumer(f.consumer)?, "q-dot done"),
        FlowKind::Duplicate => ((COUNT_X, row_y(p)), consumer(f.consumer)?, "q-dot duplicate"),
        FlowKind::Failed => ((COUNT_X, row_y(p)), consumer(f.consumer)?, "q-dot failed"),
        FlowKind::DeadLettered => {
            let to = (CONSUMER_X, TOP + ROW * rows as f64 + 8.0);
            ((COUNT_X, row_y(p)), to, "q-dot failed")
        }
    })
}

/// The broker as a [`Drawing`]: the markup depends only on the numbers of partitions, groups and
/// consumers drawn and on who reads which partition; everything else is a live value.
pub fn broker(s: &Snapshot) -> Drawing {
    let rows = rows(s);
    let groups = s.group_views.len().max(1);
    let group0 = s.group_views.first();
    let mut d = Drawing::default();
    let _ = write!(
        d,
        r#"<text class="q-heading" x="{PRODUCER_X}" y="16">Producers</text><text class="q-heading" x="{LANE_X}" y="16">Partitions: waiting</text><text class="q-heading" x="{CONSUMER_X}" y="16">Consumers</text>"#
    );
    // The producers: one box, centred on the rows.
    let mid = TOP + ROW * rows as f64 / 2.0;
    let _ = write!(
        d,
        r#"<g class="q-producer"><rect x="{PRODUCER_X}" y="{}" width="{PRODUCER_W}" height="44" rx="5"></rect><text class="q-count" x="{}" y="{}""#,
        d1(mid - 22.0),
        PRODUCER_X + 5.0,
        d1(mid - 5.0)
    );
    d.live("text", [format!("{} req/s", format::number(s.rate_now, 0))]);
    let _ = write!(
        d,
        r#"></text><text class="q-small" x="{}" y="{}""#,
        PRODUCER_X + 5.0,
        d1(mid + 13.0)
    );
    let mode = match s.delivery {
        Delivery::Sync => "inline",
        Delivery::Async => "publish",
    };
    d.live("text", [mode.to_string()]);
    d.markup.push_str("></text></g>");
    // The partitions: a lane each, a bar per group.
    let bar_h = LANE_H / groups as f64;
    for (i, part) in s.partition_views.iter().take(rows).enumerate() {
        let y = row_y(i);
        let _ = write!(
            d,
            r#"<text class="q-small" x="{}" y="{}" text-anchor="end">P{}</text><rect class="q-lane" x="{LANE_X}" y="{}" width="{LANE_W}" height="{LANE_H}" rx="3"></rect>"#,
            LANE_X - 4.0,
            d1(y + 4.0),
            part.partition,
            d1(y - LANE_H / 2.0)
        );
        for (g, lane) in part.lanes.iter().enumerate().take(groups) {
            let _ = write!(
                d,
                r#"<rect class="q-backlog g{}" x="{LANE_X}" y="{}" height="{}""#,
                g % 4,
                d1(y - LANE_H / 2.0 + bar_h * g as f64),
                d1(bar_h)
            );
            d.live("width", [d1(lane_fill(lane.backlog) * LANE_W).to_string()]);
            d.markup.push_str("></rect>");
        }
        let waiting: u64 = part.lanes.first().map_or(0, |l| l.backlog);
        let _ = write!(
            d,
            r#"<text class="q-count" x="{}" y="{}" text-anchor="end""#,
            COUNT_X - 2.0,
            d1(y + 4.0)
        );
        d.live("text", [format::number(waiting as f64, 0)]);
        d.markup.push_str("></text>");
        // The line to the consumer of group 0 that reads it.
        if let Some(owner) = part.lanes.first().and_then(|l| l.owner).map(|o| o as usize) {
            if owner < rows {
                let _ = write!(
                    d,
                    r#"<path class="q-assign" d="M{} {} L{} {}"></path>"#,
                    COUNT_X + 2.0,
                    d1(y),
                    CONSUMER_X,
                    d1(row_y(owner))
                );
            }
        }
    }
    // The first group's consumers.
    let consumers = group0.map_or(&[][..], |g| &g.consumers[..]);
    for (i, c) in consumers.iter().take(rows).enumerate() {
        let y = row_y(i);
        d.markup.push_str("<g");
        d.live("class", [consumer_class(c).to_string()]);
        let _ = write!(
            d,
            r#"><rect class="q-consumer-box" x="{CONSUMER_X}" y="{}" width="{CONSUMER_W}" height="{}" rx="4"></rect><rect class="q-busy" x="{CONSUMER_X}" y="{}" height="4""#,
            d1(y - ROW / 2.0 + 3.0),
            ROW - 6.0,
            d1(y + ROW / 2.0 - 7.0)
        );
        let busy = f64::from(c.busy) / f64::from(c.concurrency.max(1));
        d.live("width", [d1(busy.min(1.0) * CONSUMER_W).to_string()]);
        let _ = write!(
            d,
            r#"></rect><text x="{}" y="{}">C{}</text><text class="q-small" x="{}" y="{}""#,
            CONSUMER_X + 5.0,
            d1(y + 3.0),
            c.index,
            CONSUMER_X + 28.0,
            d1(y + 3.0)
        );
        d.live("text", [consumer_text(c)]);
        d.markup.push_str("></text></g>");
    }
    // The latest movements of group 0.
    let recent: Vec<&Flow> = s.flows.iter().rev().take(DOTS).collect();
    for k in 0..DOTS {
        d.markup.push_str(r#"<circle r="3.5""#);
        let values = recent
            .get(k)
            .and_then(|f| flow_path(f, rows))
            .map(|(from, to, class)| {
                let t = (k as f64 + 0.5) / DOTS as f64;
                [
                    class.to_string(),
                    d1(from.0 + (to.0 - from.0) * t).to_string(),
                    d1(from.1 + (to.1 - from.1) * t).to_string(),
                ]
            })
            .unwrap_or_else(|| ["q-dot hidden".to_string(), "0".to_string(), "0".to_string()]);
        d.live("class cx cy", values);
        d.markup.push_str("></circle>");
    }
    // Under the rows: the dead-letter queue, the other groups, what is not drawn.
    let mut y = TOP + ROW * rows as f64 + 8.0 + 12.0;
    let _ = write!(d, r#"<text class="q-dlq" x="{PRODUCER_X}" y="{}""#, d1(y));
    d.live("text", [dlq_text(s)]);
    d.markup.push_str("></text>");
    for g in s.group_views.iter().skip(1) {
        y += LINE;
        let _ = write!(d, r#"<text class="q-small" x="{PRODUCER_X}" y="{}""#, d1(y));
        d.live(
            "text",
            [format!(
                "Group {}: {} waiting, lag {} s, {} done",
                g.group + 1,
                format::number(g.backlog as f64, 0),
                format::number(g.lag_s, 1),
                format::number(g.completed as f64, 0)
            )],
        );
        d.markup.push_str("></text>");
    }
    y += LINE;
    let _ = write!(d, r#"<text class="q-small" x="{PRODUCER_X}" y="{}""#, d1(y));
    d.live("text", [more_text(s, rows)]);
    d.markup.push_str("></text>");
    d
}

/// The dead-letter queue's line.
fn dlq_text(s: &Snapshot) -> String {
    let dlq = format!("Dead-letter queue: {}", format::number(s.dlq as f64, 0));
    if s.poison_published == 0 {
        dlq
    } else {
        format!(
            "{dlq} \u{00b7} poison published: {}",
            format::number(s.poison_published as f64, 0)
        )
    }
}

/// What is not drawn, and whether the group rebalances.
fn more_text(s: &Snapshot, rows: usize) -> String {
    let mut parts = Vec::new();
    if s.partition_views.len() > rows {
        parts.push(format!("+ {} more partitions", s.partition_views.len() - rows));
    }
    let consumers = s.group_views.first().map_or(0, |g| g.consumers.len());
    if consumers > rows {
        parts.push(format!("+ {} more consumers", consumers - rows));
    }
    if let Some(t) = s.group_views.first().and_then(|g| g.rebalancing_until_s) {
        parts.push(format!("rebalancing until {}", format::sim_clock(t)));
    }
    if s.stopped {
        parts.push("consumers stopped".into());
    }
    parts.join(" \u{00b7} ")
}

/// The broker in words, for screen readers.
pub fn describe(s: &Snapshot) -> String {
    let busy = s.group_views.first().map_or(0, |g| {
        g.consumers.iter().filter(|c| c.state == ConsumerState::Busy).count()
    });
    format!(
        "{} partition{}, {} consumer group{} of {} consumers ({} busy in the first, {} idle in all); {} messages waiting, {} in the dead-letter queue.",
        s.partitions,
        if s.partitions == 1 { "" } else { "s" },
        s.groups,
        if s.groups == 1 { "" } else { "s" },
        s.consumers_per_group,
        busy,
        s.idle_consumers,
        format::number(s.backlog as f64, 0),
        format::number(s.dlq as f64, 0)
    )
}

/// The broker diagram.
#[component]
pub fn BrokerDiagram(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let h = Memo::new(move |_| snapshot.with(|s| d1(height(s)).to_string()));
    let svg = move || {
        drawn_svg(
            "q-diagram",
            format!("0 0 {WIDTH} {}", h.get()),
            Signal::derive(move || snapshot.with(describe)),
            source(move || whole(snapshot.with(broker))),
        )
    };
    view! {
        <figure class="q-broker" data-testid="broker">
            {svg}
            <figcaption class="legend">
                <span><span class="swatch q-swatch-backlog"></span>"waiting (log scale)"</span>
                <span><span class="swatch q-swatch-busy"></span>"consumer busy"</span>
                <span><span class="swatch q-swatch-dot"></span>"latest messages"</span>
                <span><span class="swatch q-swatch-done"></span>"done"</span>
                <span><span class="swatch q-swatch-duplicate"></span>"duplicate"</span>
                <span><span class="swatch q-swatch-failed"></span>"failed"</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::queues::{Config, QueuesLab};

    #[test]
    fn lanes_and_consumers_follow_the_config() {
        let mut lab = QueuesLab::new(Config {
            partitions: 2,
            consumers: 3,
            ..Config::default()
        })
        .expect("valid");
        lab.step_until(from_secs(5.0));
        let s = lab.snapshot();
        let d = broker(&s);
        assert_eq!(d.markup.matches("class=\"q-lane\"").count(), 2);
        assert_eq!(d.markup.matches("q-consumer-box").count(), 3);
        assert!(d.values.iter().any(|v| v == "idle"), "{:?}", d.values);
        assert_eq!(d.markup.matches("q-assign").count(), 2);
        assert!(describe(&s).starts_with("2 partitions, 1 consumer group of 3 consumers"));
    }

    #[test]
    fn the_log_scale_shows_one_message_and_ten_million() {
        assert_eq!(lane_fill(0), 0.0);
        assert!(lane_fill(1) > 0.0 && lane_fill(1) < 0.1);
        assert!(lane_fill(1_000) > 0.5 && lane_fill(1_000) < 0.7);
        assert_eq!(lane_fill(10_000_000), 1.0);
    }
}
