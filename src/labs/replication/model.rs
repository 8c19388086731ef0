//! The "Model and assumptions" panel of the replication lab.

use leptos::prelude::*;

/// What the replication model simplifies and which published behaviours it reproduces (tests in
/// `sim/tests/it/replication.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "One primary holds a log of writes, numbered 1, 2, 3\u{2026}; each replica keeps the position it has "
                    "received and the position it has applied. Only applied writes are visible to reads on a replica. A value "
                    "is a log position, so every check is exact."
                </li>
                <li>
                    "A write reaches each replica after a random delay (log-normal with the chosen mean and jitter, times the "
                    "slow factor), always in log order, and is applied at the replica's apply rate: when writes come faster "
                    "than that, the replica falls further and further behind and recovers once they slow down."
                </li>
                <li>
                    "The primary commits every write to its own log first (the commit time). Asynchronous: it acknowledges right "
                    "then. Semi-synchronous (MySQL): it also waits until `acks` replicas have received the write; after the "
                    "timeout it gives up waiting and acknowledges without replicas, until a replica has caught up with its log. "
                    "Synchronous (like PostgreSQL's remote_apply): it waits until `acks` replicas have applied the write."
                </li>
                <li>
                    "Clients are sessions picked at random for each read and write (Poisson arrivals). A read is checked when "
                    "answered, against what held when it was sent: stale if older than the newest acknowledged write; a "
                    "read-your-writes violation if it misses the session's own acknowledged write; a monotonic-read violation "
                    "if it is older than something the session already read (Terry et al., 1994)."
                </li>
                <li>
                    "Routings: any replica at random; the primary only; the primary for a window after the session's last write; "
                    "one sticky replica per session; or a session token (the log position of the session's last write): a "
                    "replica answers once it has applied the token, the read waits for it up to the token wait and then goes to "
                    "the primary. The token promises read-your-writes only; two replicas past it can still differ, so reads can "
                    "still go back in time. Reading costs the chosen read time on any node; the primary's extra load is shown as its share "
                    "of reads, not as slower reads."
                </li>
                <li>
                    "Failing the primary promotes the running replica that received the most. Every acknowledged write beyond "
                    "what it received is lost: with async, about write rate \u{00d7} lag (1,000 writes/s and 100 ms of lag lose "
                    "about 100). Semi-sync and sync lose nothing while they wait for a replica that gets promoted. Sessions go "
                    "on from the new primary's history, so a lost write counts as lost, not as a read violation."
                </li>
                <li>
                    "Not modelled: the network between clients and nodes, the primary slowing down under load, conflicts, "
                    "elections and their timeouts (failover is instant), and reads served from a replica's snapshot as of the "
                    "read's start. Counters and percentiles count from their last restart (any settings change restarts them)."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine. Arrivals, replication "
                    "delays, routing and service times each draw from their own seeded generator, so two commit modes or two "
                    "routings compared side by side see exactly the same writes and reads."
                </li>
            </ul>
        </details>
    }
}
