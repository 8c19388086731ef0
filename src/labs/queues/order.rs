//! What the queue costs, message by message: the delivery counters (duplicates, skipped,
//! redeliveries, timeouts, dead letters), one key's messages in the order their work was done,
//! and the latest dead letters.

use crate::components::{draw, drawn_svg, list_items, source, whole, Drawing};
use crate::format::{self, d1};
use leptos::prelude::*;
use scalelab_sim::queues::{DeadReason, KeyCompletion, Snapshot};
use std::fmt::Write;

/// Completions of the tracked key drawn (the latest).
const SHOWN: usize = 12;
/// Dead letters listed (the latest).
const LETTERS_SHOWN: usize = 5;

const BOX_W: f64 = 32.0;
const GAP: f64 = 3.0;
const WIDTH: f64 = SHOWN as f64 * (BOX_W + GAP) + 4.0;
const HEIGHT: f64 = 58.0;

/// The counters: (test id, label, value).
fn counters(s: &Snapshot) -> [(&'static str, &'static str, u64); 8] {
    [
        ("count-deliveries", "Deliveries", s.deliveries),
        ("count-redeliveries", "Redeliveries", s.redeliveries),
        ("count-timeouts", "Visibility timeouts", s.timeouts),
        ("count-lost", "Lost in crashes", s.lost_in_crash),
        ("count-duplicates", "Duplicate effects", s.duplicates),
        (
            "count-absorbed",
            "Duplicates skipped (idempotent)",
            s.duplicates_absorbed,
        ),
        ("count-failures", "Failed deliveries", s.failures),
        ("count-dead", "Dead-lettered", s.dead_lettered),
    ]
}

/// The key's latest completions as a [`Drawing`]: a fixed row of boxes; the values say which
/// message each holds, how many deliveries it took and whether it came out of order.
pub fn key_order(order: &[KeyCompletion]) -> Drawing {
    let mut d = Drawing::default();
    let latest: Vec<&KeyCompletion> = order.iter().rev().take(SHOWN).collect();
    for k in 0..SHOWN {
        // Oldest on the left.
        let slot = SHOWN - 1 - k;
        let x = 2.0 + slot as f64 * (BOX_W + GAP);
        let c = latest.get(k);
        d.markup.push_str("<g");
        let class = match c {
            None => "q-key empty",
            Some(c) if c.out_of_order => "q-key late",
            Some(c) if c.receives > 1 => "q-key again",
            Some(_) => "q-key",
        };
        d.live("class", [class.to_string()]);
        let _ = write!(
            d,
            r#"><rect x="{}" y="4" width="{BOX_W}" height="30" rx="4"></rect><text x="{}" y="24" text-anchor="middle""#,
            d1(x),
            d1(x + BOX_W / 2.0)
        );
        let n = c.map_or_else(String::new, |c| c.n.map_or_else(|| "?".into(), |n| format!("#{n}")));
        d.live("text", [n]);
        let _ = write!(
            d,
            r#"></text><text class="q-small" x="{}" y="50" text-anchor="middle""#,
            d1(x + BOX_W / 2.0)
        );
        let below = c.map_or_else(String::new, |c| {
            if c.receives > 1 {
                format!("P{} \u{00d7}{}", c.partition, c.receives)
            } else {
                format!("P{}", c.partition)
            }
        });
        d.live("text", [below]);
        d.markup.push_str("></text></g>");
    }
    d
}

/// The key's order in words, for screen readers.
fn describe_order(order: &[KeyCompletion]) -> String {
    if order.is_empty() {
        return "No message of the tracked key is done yet.".into();
    }
    let late = order.iter().filter(|c| c.out_of_order).count();
    let numbers: Vec<String> = order
        .iter()
        .rev()
        .take(SHOWN)
        .rev()
        .map(|c| c.n.map_or_else(|| "?".into(), |n| n.to_string()))
        .collect();
    format!(
        "The tracked key's latest messages in the order they were done: {}; {late} of the {} kept came out of order.",
        numbers.join(", "),
        order.len()
    )
}

/// A dead letter in words.
fn letter(s: &scalelab_sim::queues::DeadLetterView) -> String {
    format!(
        "{}: P{} offset {}, key {}{}, {} deliveries, {}",
        format::sim_clock(s.at_s),
        s.partition,
        s.offset,
        s.key,
        if s.poison { " (poison)" } else { "" },
        s.receives,
        match s.reason {
            DeadReason::Failed => "failed",
            DeadReason::TimedOut => "timed out",
        }
    )
}

/// The panel's contents.
#[component]
pub fn DeliveryPanel(
    /// The snapshot to show.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
) -> impl IntoView {
    let cells = move || {
        snapshot.with(|s| {
            counters(s)
                .into_iter()
                .map(|(id, label, v)| {
                    view! {
                        <div class="q-counter">
                            <dt>{label}</dt>
                            <dd data-testid=id data-value=v.to_string()>{format::number(v as f64, 0)}</dd>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    let letters = move || snapshot.with(|s| list_items(s.dlq_recent.iter().rev().take(LETTERS_SHOWN).map(letter)));
    view! {
        <dl class="q-counters" data-testid="delivery-counters">{cells}</dl>
        <figure class="q-order" data-testid="key-order">
            <figcaption>
                "One key's messages in the order their work was done (#: the order they were published; "
                "red: done after a later one; \u{00d7}n: deliveries it took)"
            </figcaption>
            {drawn_svg(
                "q-order-svg",
                format!("0 0 {WIDTH} {HEIGHT}"),
                Signal::derive(move || snapshot.with(|s| describe_order(&s.key_order))),
                source(move || whole(snapshot.with(|s| key_order(&s.key_order)))),
            )}
        </figure>
        <Show when=move || snapshot.with(|s| !s.dlq_recent.is_empty())>
            <div class="event-log">
                <h3>"Latest dead letters"</h3>
                <ul data-testid="dlq-list" use:draw=source(letters)></ul>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(n: u64, out_of_order: bool) -> KeyCompletion {
        KeyCompletion {
            n: Some(n),
            published_s: 0.0,
            done_s: 1.0,
            receives: 1,
            partition: 2,
            out_of_order,
        }
    }

    #[test]
    fn the_latest_completions_fill_the_row_from_the_right() {
        let d = key_order(&[done(1, false), done(3, false), done(2, true)]);
        assert_eq!(d.markup.matches("<rect").count(), SHOWN);
        // Slots are written newest first (the rightmost box), so the first values are the newest's.
        assert_eq!(d.values[0], "q-key late");
        assert_eq!(d.values[1], "#2");
        assert!(describe_order(&[done(1, false), done(2, true)]).contains("1, 2; 1 of the 2"));
    }
}
