//! The keyspace strip: ids from 0 to the newest, coloured by the shard that serves them (range
//! layouts show blocks, hashing confetti), keys in flight hatched; the migration under way; and
//! where the hottest key lives.

use crate::components::chart::shaded_palette_css;
use crate::components::{drawn_svg, source, whole, Drawing, ProgressBar};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::sharding::Snapshot;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const STRIP_Y: f64 = 4.0;
const STRIP_H: f64 = 34.0;
const HEIGHT: f64 = STRIP_Y + STRIP_H + 20.0;

/// The strip as a [`Drawing`] (redrawn when its runs change: a layout change, inserted keys).
pub fn strip(s: &Snapshot) -> Drawing {
    let ids = s.keyspace_ids.max(1) as f64;
    let x = |id: u64| WIDTH * id as f64 / ids;
    let mut d = Drawing::default();
    for run in &s.keyspace {
        let (x0, x1) = (x(run.start), x(run.end));
        let _ = write!(
            d,
            r#"<rect class="sh-run{}" x="{}" y="{STRIP_Y}" width="{}" height="{STRIP_H}" fill="{}"></rect>"#,
            if run.moving { " moving" } else { "" },
            d1(x0),
            d1((x1 - x0).max(0.6)),
            shaded_palette_css(run.shard as usize),
        );
    }
    let _ = write!(
        d,
        r#"<text class="sh-axis" x="0" y="{}">id 0</text><text class="sh-axis" x="{WIDTH}" y="{}" text-anchor="end">id {}</text>"#,
        d1(HEIGHT - 4.0),
        d1(HEIGHT - 4.0),
        format::number(s.keyspace_ids.saturating_sub(1) as f64, 0),
    );
    d
}

/// The strip's accessible summary.
fn summary(s: &Snapshot) -> String {
    let moving = s.keyspace.iter().filter(|r| r.moving).count();
    format!(
        "Keyspace of {} ids in {} runs of one shard each{}.",
        format::number(s.keyspace_ids as f64, 0),
        s.keyspace.len(),
        if moving > 0 {
            format!(", {moving} of them still being copied")
        } else {
            String::new()
        }
    )
}

/// The migration in words: "Copying 112.5 MB at 50 MB/s: ends at 0:14."
fn migration_line(s: &Snapshot) -> String {
    let m = &s.migration;
    format!(
        "Copying {} of {} MB ({} keys move); ends at {}. Keys not copied yet are still served by their old shard.",
        format::number(m.mb_copied, 1),
        format::number(m.mb_total, 1),
        format::number(m.keys_moving as f64, 0),
        format::sim_clock(m.ends_s),
    )
}

/// The last change in words, with the theory when there is one.
fn change_line(s: &Snapshot) -> Option<String> {
    let c = s.last_change.as_ref()?;
    let theory = c
        .expected_share
        .map(|e| format!(" (theory for an added shard: {})", format::percent(e, 1)))
        .unwrap_or_default();
    let took = c
        .duration_s
        .map(|t| format!("; the copy took {} s", format::number(t, 1)))
        .unwrap_or_default();
    Some(format!(
        "Last change at {}: {}. It moved {} keys, {} of the data{theory}{took}.",
        format::sim_clock(c.at_s),
        c.text,
        format::number(c.keys_moved as f64, 0),
        format::percent(c.share, 1),
    ))
}

/// Where the hottest key lives.
fn hot_key_line(s: &Snapshot) -> String {
    let h = &s.hot_key;
    let place = if h.salt > 1 {
        let shards: Vec<String> = h.shards.iter().map(|id| format!("S{id}")).collect();
        format!("split into {} sub-keys on {}", h.salt, shards.join(", "))
    } else {
        format!("on shard S{}", h.shard)
    };
    format!(
        "The most popular key (id {}) draws {} of single-key operations, {place}.",
        format::number(h.id as f64, 0),
        format::percent(h.share, 2),
    )
}

/// The keyspace strip, the placement job or migration under way, the last change and the hot key.
#[component]
pub fn KeyspacePanel(
    /// The snapshot to draw.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let label = Signal::derive(move || snapshot.with(summary));
    let parts = source(move || snapshot.with(|s| whole(strip(s))));
    let migrating = Signal::derive(move || snapshot.with(|s| s.migration.active));
    view! {
        <figure class="sh-keyspace" data-testid="keyspace-strip">
            {drawn_svg("sh-strip", format!("0 0 {WIDTH} {HEIGHT}"), label, parts)}
            <figcaption class="param-hint">
                "Every key from the first id to the newest, coloured by its shard (the columns above use the same colours). Hatched: in flight to another shard."
            </figcaption>
        </figure>
        <ProgressBar
            when=migrating
            testid="migration-progress"
            text=Signal::derive(move || snapshot.with(migration_line))
            fraction=Signal::derive(move || snapshot.with(|s| s.migration.progress))
        />
        <p class="param-hint" data-testid="last-change">{move || snapshot.with(change_line)}</p>
        <p class="param-hint" data-testid="hot-key">{move || snapshot.with(hot_key_line)}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::engine::time::from_secs;
    use scalelab_sim::sharding::{Config, ShardingLab, Strategy};

    #[test]
    fn range_shards_are_blocks_and_hash_shards_confetti() {
        let run = |strategy| {
            let mut lab = ShardingLab::new(Config {
                strategy,
                ..Config::default()
            })
            .expect("valid");
            lab.step_until(from_secs(1.0));
            lab.snapshot()
        };
        assert_eq!(run(Strategy::Range).keyspace.len(), 8);
        assert!(run(Strategy::Hash).keyspace.len() > 100);
        assert!(!strip(&run(Strategy::Hash)).render().contains("NaN"));
    }

    #[test]
    fn the_hot_key_line_names_its_shard() {
        let mut lab = ShardingLab::new(Config::default()).expect("defaults");
        lab.step_until(from_secs(1.0));
        let s = lab.snapshot();
        assert!(
            hot_key_line(&s).contains(&format!("on shard S{}", s.hot_key.shard)),
            "{}",
            hot_key_line(&s)
        );
        assert_eq!(change_line(&s), None);
    }
}
