//! The "Model and assumptions" panel of the journey lab.

use leptos::prelude::*;

/// What the journey's model simplifies and which published numbers it reproduces (tests in
/// `sim/tests/it/journey.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Time moves in whole simulated seconds, and requests are a flow, not one by one, so ten million users and a "
                    "simulated hour still run in a few seconds. Each user sends a request every 10 s (with 2% noise). Half are "
                    "static files; a dynamic request reads or writes, and some also send an email (2 s of work) or call a "
                    "third-party API (20% of them, 20 ms)."
                </li>
                <li>
                    "Each component is a queue: the app servers' cores (a dynamic request costs 10 ms of CPU, a static one 2 ms; "
                    "a bigger machine is slowed by the Universal Scalability Law), the cache (hit ratio from the cache lab's Che "
                    "approximation over a 10 GB catalogue), the busiest shard's primary database and one replica (16 cores; a "
                    "read costs 3 ms, a write 1.6 ms, applied at half that on every replica), and the queue's workers. Below "
                    "saturation the waits follow the capacity lab's M/M/c queue; above it a backlog grows and a request that "
                    "would wait more than 10 s fails."
                </li>
                <li>
                    "Two limits fail requests instead of queueing them: 200 threads per app server, and the database's "
                    "connection limit (each app server holds a pool of connections; pool \u{00d7} servers over the limit and "
                    "queries are refused: more servers, more failures)."
                </li>
                <li>
                    "Every component reports U = X \u{00d7} D (throughput times its demand per request); the highest is the "
                    "bottleneck, and no architecture can serve more than 1 / D_max requests a second (the operational laws). "
                    "The hint is the seeds' decision table for that bottleneck."
                </li>
                <li>
                    "A request pays one network round trip: from the US, 50 ms to US users, 150 ms to Europe and 250 ms to Asia; "
                    "a region per continent brings each to 50 ms. The CDN's edge is 20 ms away. Active-active writes go to every "
                    "region; active-passive keeps a standby in Europe."
                </li>
                <li>
                    "Faults last 10 minutes: the US region fails (active-active moves its users after 30 s, active-passive after 5 "
                    "minutes), the primary fails (a replica is promoted after 30 s), users \u{00d7}2.5 over 5 minutes (the "
                    "Kubernetes HPA of the autoscaling lab adds servers that start in 60 s), or the third party hangs (each call "
                    "holds a thread for 10 s; the breaker lab's breaker opens after 5 failures and retries after 30 s)."
                </li>
                <li>
                    "A level is won when over its simulated hour, fault included, under 1% of every region's successful requests "
                    "take more than 200 ms (p99 under 200 ms), under 1% of all requests fail, and the hour's cost as a monthly "
                    "rate fits the budget. Prices: the seeds' servers (small 4 CPUs $0.19, medium 16 CPUs $0.77, large 48 CPUs $2.30 an hour), the rest "
                    "assumptions of public-cloud size (a database node $0.77 an hour, cache $12 per GB a month, CDN $0.75 per million)."
                </li>
                <li>
                    "Left out: per-request effects within a second, imbalance behind the balancer, retries, conflicts between "
                    "active-active writers, network transfer costs. Deterministic: the same settings and seed give the same run, "
                    "and both runs of a comparison see the very same users."
                </li>
            </ul>
        </details>
    }
}
