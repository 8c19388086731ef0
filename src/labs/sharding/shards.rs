//! The shards as columns: each one's load against its capacity (a bar in a track whose line is
//! 100% of capacity; lit when hot), and under it the data it holds. A joining shard is drawn
//! dashed, a leaving one faded. Colours are the shards' own, as on the keyspace strip.
//!
//! The markup depends only on the shards (their ids and states); loads and sizes are live values,
//! so a snapshot writes a few attributes.

use crate::components::chart::shaded_palette_css;
use crate::components::{drawn_svg, source, whole, Drawing};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::sharding::{ShardStatus, ShardView, Snapshot};
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
/// Top of the load track and its height: the track shows 0 to [`TRACK_TOP`] × capacity.
const LOAD_Y: f64 = 26.0;
const LOAD_H: f64 = 150.0;
/// Load the track's top stands for, as a multiple of capacity (the line marks 1).
const TRACK_TOP: f64 = 1.5;
/// Top of the data bars and their height (the largest shard fills it).
const DATA_Y: f64 = LOAD_Y + LOAD_H + 30.0;
const DATA_H: f64 = 50.0;
const HEIGHT: f64 = DATA_Y + DATA_H + 26.0;
/// Shards whose ids are written under their columns at most (beyond, columns are too narrow).
const LABELLED: usize = 24;

/// A column's class: its state, and `hot` when lit.
fn column_class(s: &ShardView) -> String {
    let state = match s.status {
        ShardStatus::Active => "active",
        ShardStatus::Joining => "joining",
        ShardStatus::Leaving => "leaving",
    };
    format!("sh-shard {state}{}", if s.hot { " hot" } else { "" })
}

/// The load bar's `(y, height)` for a shard at `utilization` of its capacity.
fn load_bar(utilization: f64) -> (f64, f64) {
    let h = LOAD_H * (utilization.max(0.0) / TRACK_TOP).min(1.0);
    (LOAD_Y + LOAD_H - h, h)
}

/// The shards as a [`Drawing`]; the markup changes only when the shards or their states do.
pub fn shards(s: &Snapshot) -> Drawing {
    let n = s.shards.len().max(1);
    let slot = (WIDTH - LEFT - RIGHT) / n as f64;
    let bar = (slot * 0.7).max(1.0);
    let max_mb = s.shards.iter().map(|v| v.data_mb).fold(0.0, f64::max).max(1e-9);
    let capacity_y = LOAD_Y + LOAD_H * (1.0 - 1.0 / TRACK_TOP);
    let mut d = Drawing::default();
    let _ = write!(
        d,
        r#"<text class="sh-axis" x="0" y="{}">load</text><text class="sh-axis" x="0" y="{}">data</text><line class="sh-capacity" x1="{LEFT}" x2="{}" y1="{}" y2="{}"></line><text class="sh-axis" x="{}" y="{}" text-anchor="end">capacity</text>"#,
        d1(LOAD_Y + LOAD_H * 0.75),
        d1(DATA_Y + DATA_H / 2.0),
        WIDTH - RIGHT,
        d1(capacity_y),
        d1(capacity_y),
        WIDTH - RIGHT,
        d1(capacity_y - 5.0),
    );
    for (i, v) in s.shards.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let colour = shaded_palette_css(v.id as usize);
        let (y, h) = load_bar(v.utilization);
        let data_h = DATA_H * v.data_mb / max_mb;
        d.markup.push_str("<g");
        d.live("class", [column_class(v)]);
        let _ = write!(
            d,
            r#"><rect class="sh-track" x="{}" y="{LOAD_Y}" width="{}" height="{LOAD_H}"></rect><rect class="sh-load" fill="{colour}" x="{}" width="{}""#,
            d1(x),
            d1(bar),
            d1(x),
            d1(bar),
        );
        d.live("y height", [d1(y).to_string(), d1(h).to_string()]);
        let _ = write!(
            d,
            r#"></rect><rect class="sh-data" fill="{colour}" x="{}" width="{}""#,
            d1(x),
            d1(bar)
        );
        d.live(
            "y height",
            [d1(DATA_Y + DATA_H - data_h).to_string(), d1(data_h).to_string()],
        );
        d.markup.push_str("></rect>");
        if s.shards.len() <= LABELLED {
            let _ = write!(
                d,
                r#"<text class="sh-label" x="{}" y="{}" text-anchor="middle">S{}</text>"#,
                d1(x + bar / 2.0),
                d1(HEIGHT - 8.0),
                v.id
            );
        }
        d.markup.push_str("<title");
        d.live("text", [shard_line(v)]);
        d.markup.push_str("></title></g>");
    }
    d
}

/// One shard in words (the columns' tooltips and the screen-reader list).
pub fn shard_line(v: &ShardView) -> String {
    let state = match v.status {
        ShardStatus::Active => "",
        ShardStatus::Joining => " (joining: keys are being copied to it)",
        ShardStatus::Leaving => " (leaving: its keys are being copied away)",
    };
    format!(
        "Shard {}{state}: {} ops/s of {} ({}), {} keys ({} MB){}",
        v.id,
        format::number(v.ops_per_s, 0),
        format::number(v.capacity, 0),
        format::percent(v.utilization, 0),
        format::number(v.keys as f64, 0),
        format::number(v.data_mb, 1),
        if v.throttled_per_s > 0.0 {
            format!(", throttling {} ops/s", format::number(v.throttled_per_s, 0))
        } else {
            String::new()
        }
    )
}

/// The diagram's accessible summary: the shards and the busiest one.
fn summary(s: &Snapshot) -> String {
    let busiest = s
        .shards
        .iter()
        .max_by(|a, b| a.utilization.total_cmp(&b.utilization))
        .map(|v| {
            format!(
                "; busiest: shard {} at {} of its capacity",
                v.id,
                format::percent(v.utilization, 0)
            )
        })
        .unwrap_or_default();
    format!("{} shards{busiest}.", s.shards.len())
}

/// The shards diagram with its legend.
#[component]
pub fn ShardColumns(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let label = Signal::derive(move || snapshot.with(summary));
    let parts = source(move || snapshot.with(|s| whole(shards(s))));
    view! {
        <figure class="sh-shards" data-testid="shard-columns">
            {drawn_svg("sh-diagram", format!("0 0 {WIDTH} {HEIGHT}"), label, parts)}
            <figcaption class="param-hint">
                "Each column is a shard: the upper bar is its load (the line is its capacity; a lit column is at 90% or more, or throttling), "
                "the lower bar the data it holds. Dashed: joining; faded: leaving. Hover a column for its numbers."
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::sharding::ShardingLab;

    #[test]
    fn the_markup_has_a_column_per_shard_and_only_values_change_with_load() {
        let mut lab = ShardingLab::new(Default::default()).expect("defaults");
        lab.step_until(scalelab_sim::engine::time::from_secs(2.0));
        let a = shards(&lab.snapshot());
        assert_eq!(a.markup.matches("class=\"sh-load\"").count(), 8);
        lab.step_until(scalelab_sim::engine::time::from_secs(4.0));
        let b = shards(&lab.snapshot());
        assert_eq!(a.markup, b.markup, "a later snapshot writes values only");
        assert!(!b.render().contains("NaN"));
    }

    #[test]
    fn an_overloaded_shard_fills_its_track() {
        assert_eq!(load_bar(0.0), (LOAD_Y + LOAD_H, 0.0));
        assert_eq!(load_bar(3.0), (LOAD_Y, LOAD_H));
        assert_eq!(load_bar(f64::NAN).1, 0.0);
    }
}
