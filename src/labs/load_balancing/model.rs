//! The "Model and assumptions" panel of the load balancing lab.

use leptos::prelude::*;

/// What the load balancing model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/loadbalancing.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Requests arrive as a Poisson stream at the chosen rate, each from one of the clients picked at random, "
                    "and reach one of the load balancers at random. A request's cost is constant, exponential, or "
                    "log-normal with the chosen coefficient of variation (heavy tail); a server of speed 2 serves it in half "
                    "the time. Each server runs its workers in parallel and queues the rest in order, up to its queue limit; "
                    "beyond it a request is dropped."
                </li>
                <li>
                    "Algorithms: round robin in turn; weighted round robin in nginx's smooth form with the speeds as "
                    "weights (weights 5, 1, 1 give a a b a c a a); random; least connections (fewest requests in progress, "
                    "ties at random); IP hash (hash of the client over the fleet, the next server when that one is down); "
                    "power of two choices (the less loaded of two random servers); Peak EWMA (requests in progress + 1, "
                    "times a latency average that jumps up at once and decays over 10 s, of two random servers)."
                </li>
                <li>
                    "What a balancer knows: its own requests in progress exactly (answers pass back through it); the "
                    "other balancers' only as of its last refresh. With one balancer, or a refresh of 0, it sees the true "
                    "load; with many and a slow refresh they all see the same old numbers and herd onto the server that "
                    "looked least loaded."
                </li>
                <li>
                    "Health checks run every interval from time 0; a dead server fails them and is marked down after the "
                    "set number of failures in a row, so it keeps receiving traffic for up to interval \u{00d7} threshold "
                    "(plus the wait for the first check). Those requests fail, as do those it held when it died. A slow "
                    "server still passes its checks. A healed server is marked up after passing its checks."
                </li>
                <li>
                    "Sessions: local ones live in one server's memory and are lost when the client lands elsewhere or "
                    "the server dies; a shared store loses none and adds its round trip to every request. Network time "
                    "between the parts is otherwise not modelled."
                </li>
                <li>
                    "Published results the tests reproduce: balls into bins (Azar, Broder, Karlin and Upfal, 1999): 100 "
                    "requests on 100 servers give a most-loaded server of about 4.2 at random and about 2.6 with two choices; "
                    "the supermarket model (Mitzenmacher, 2001) at load 0.9: mean time in system 10 service times at random, "
                    "2.61 with two choices; least connections close to one pooled M/M/c queue."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine. Arrivals, clients and "
                    "costs come from their own seeded generator, so every algorithm in a comparison sees the very same requests."
                </li>
            </ul>
        </details>
    }
}
