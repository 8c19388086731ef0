//! The "Model and assumptions" panel of the circuit breaker lab.

use leptos::prelude::*;

/// What the breaker model simplifies and which published behaviour it reproduces (tests in
/// `sim/tests/it/breaker.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Three policies. Consecutive (Fowler's breaker, the one in the seeds): the N-th failure in a row opens it, "
                    "a success resets the count, and after the wait one trial call decides: success closes, failure reopens and "
                    "restarts the wait. Count window and time window (resilience4j): the failure rate and the slow-call rate over "
                    "the last N calls, or the calls of the last N seconds (one bucket per second), open it when either reaches its "
                    "threshold, but only once the window holds the minimum number of calls (capped at the window size for a count "
                    "window). After the wait exactly K trial calls pass; when all K have finished, their rates decide."
                </li>
                <li>
                    "Reproduced from the references: with resilience4j's defaults (window 100, minimum 100, threshold 50%) 50 "
                    "failures out of 100 calls open the breaker and 49 do not; a count window of 10 with a minimum of 100 decides "
                    "at the 10th call; a call is slow only when it lasts strictly longer than the threshold; Hystrix's settings "
                    "(20 requests, 50%, 5 s) trip as documented."
                </li>
                <li>
                    "The open-to-half-open change happens the moment the wait is over, whether or not a call arrives "
                    "(resilience4j's automatic transition). Results of calls let through before the breaker opened (or before the "
                    "current half-open period) are ignored when they come back. Forced open and disabled are manual states that "
                    "only a reset leaves; the wait in the defaults is 5 s (Hystrix) rather than resilience4j's 60 s, to keep the "
                    "lab short."
                </li>
                <li>
                    "The running system: the caller's clients arrive as a Poisson stream. Each request needs one of the caller's "
                    "threads; when all are busy it is turned away at once. The dependency answers in about 50 ms (log-normal). "
                    "During the outage a call fails with the chosen probability by hanging until the caller's timeout, and the "
                    "others take the outage latency; a call longer than the timeout fails at the timeout. Retries, queues in front "
                    "of the pool, the network and the dependency's own recovery under load are left out."
                </li>
                <li>
                    "A rejected call costs nothing and is answered at once: with the fallback on it counts as a (degraded) "
                    "success, otherwise as an error. In this model every client request needs the dependency, so without a "
                    "fallback a breaker cannot raise the success rate during a hard outage; what it saves is the caller's threads "
                    "and its latency, which in a real service also serve requests that do not need the dependency."
                </li>
                <li>
                    "Scripted calls and the send buttons go straight through the breaker (no pool, no dependency): a success or "
                    "a failure takes no time, a slow call lasts 1 ms more than the slow-call threshold."
                </li>
                <li>
                    "Counting: the breaker's rejections and transitions count from the start of the run; the caller's numbers "
                    "(requests, success ratios, latency, pool peak) restart with every settings change and with Restart counters. "
                    "Rates per second are over the last simulated second; charts add a point every quarter second."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine. Arrivals and each request's "
                    "fate (failure roll and latency) come from separate seeded generators, drawn whether or not the call is made, "
                    "so runs that differ only in the breaker see exactly the same requests."
                </li>
            </ul>
        </details>
    }
}
