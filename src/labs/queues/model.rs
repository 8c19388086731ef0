//! The "Model and assumptions" panel of the queues lab.

use leptos::prelude::*;

/// What the queues model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/queues.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Requests arrive at random (Poisson) at the chosen rate, steady, in bursts of ten times the rate, or on "
                    "a daily cycle squeezed into ten minutes. Each does its fast work, then either the slow work itself "
                    "(inline: the user waits for both, 100 ms + 2,000 ms = 2,100 ms at the defaults) or publishes a message "
                    "in 5 ms and answers (queued: 105 ms); a consumer does the slow work later."
                </li>
                <li>
                    "The broker has P partitions. A keyed message goes to hash(key) mod P (unkeyed ones round robin), so "
                    "one key's messages share a partition. Every consumer group gets every message (one group is a work "
                    "queue, several a topic). In a group each partition is read by one consumer (partition p by consumer "
                    "p mod C), so consumers beyond the partitions sit idle; adding or removing one pauses the group for 3 s "
                    "while it rebalances."
                </li>
                <li>
                    "A consumer works on up to its concurrency of messages at once, each for a draw of the slow work's "
                    "time (constant, exponential or log-normal around its mean). Delivery is at least once: a delivered "
                    "message stays hidden for the visibility timeout and comes back if it is not acknowledged by then (slow "
                    "work, a crash); doing it again repeats its effect unless consumers are idempotent."
                </li>
                <li>
                    "A failed delivery (the failure rate, or a poison message, which always fails) is retried after the "
                    "backoff: none, 1 s, doubling from 1 s up to 60 s, or doubling with full jitter. After max receives "
                    "deliveries it moves to the dead-letter queue. A full backlog (max backlog) refuses the publish or "
                    "blocks the producer, at most 60 s."
                </li>
                <li>
                    "The read model applies every write after a fixed lag (a CQRS projection fed by the events); a read "
                    "that comes sooner than that after the latest write is stale. The broker never fails and has no "
                    "network delay; consumers never slow down with load."
                </li>
                <li>
                    "Published results the tests reproduce: the seeds' 2,100 ms against 105 ms; a steady backlog that "
                    "matches Little's law and Erlang C for the consumer pool; an overload backlog that grows at "
                    "\u{03bb} \u{2212} c\u{03bc} and drains in backlog / (c\u{03bc} \u{2212} \u{03bb}); consumers beyond "
                    "the partitions idle; duplicates from a visibility timeout shorter than the work and none with "
                    "idempotent consumers; exactly the poison messages in the dead-letter queue after max receives; no "
                    "out-of-order message within a partition at concurrency 1; a stale-read window equal to the lag."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine, and inline and queued "
                    "runs of one seed see the very same requests."
                </li>
            </ul>
        </details>
    }
}
