//! The "Model and assumptions" panel of the capacity lab.

use leptos::prelude::*;

/// What the capacity model simplifies and which published results it reproduces (tests in
/// `sim/tests/it/capacity.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Sizing follows the rule of thumb: requests in flight = peak rate \u{00d7} latency (Little's law), servers = "
                    "in-flight requests / concurrent requests per server, rounded up; then headroom, then redundancy "
                    "(N+1, N+2, or a second zone). It reproduces 100,000 req/s \u{00d7} 0.2 s / 10,000 = 2 servers, 3 with 50% "
                    "headroom, 6 with two zones."
                </li>
                <li>
                    "Queueing gives each server as many slots as it has concurrent requests; a request holds one slot for "
                    "its service time (the latency per request unless you set one), so a fleet is one queue in front of "
                    "servers \u{00d7} concurrency slots (M/M/c, Erlang C, Poisson arrivals). The mean response is never below "
                    "the latency, and a full server completes concurrency / latency requests per second, the capacity the "
                    "sizing rule assumes."
                </li>
                <li>
                    "Service times are exponential around that mean, the assumption the formulas need: about 37% of "
                    "requests take longer than the mean and 1 in 100 more than 4.6\u{00d7} it even when nobody waits, while "
                    "some finish much sooner. Real services vary less, so read the p99 as cautious."
                </li>
                <li>
                    "M/M/1 reproduces the classic stretch: mean time in system = service time / (1 \u{2212} utilisation), "
                    "\u{00d7}2 at 50%, \u{00d7}5 at 80%, \u{00d7}10 at 90%, \u{00d7}20 at 95%. Erlang C reproduces "
                    "\u{03bb}=2, \u{03bc}=1, c=3: chance to wait 0.4444, mean wait 0.4444."
                </li>
                <li>
                    "The knee is the utilisation that minimises response time divided by utilisation: beyond it, each extra "
                    "percent of load costs more latency than the one before."
                </li>
                <li>
                    "Cost assumes capacity grows with CPUs (a 16-CPU server carries 4\u{00d7} a 4-CPU one) at the listed hourly "
                    "prices; the Universal Scalability Law X(N) = N / (1 + \u{03c3}(N\u{2212}1) + \u{03ba}N(N\u{2212}1)) peaks at "
                    "N* = \u{221a}((1\u{2212}\u{03c3})/\u{03ba})."
                </li>
                <li>
                    "The verification run is a discrete-event simulation of the same M/M/c queue on a seeded clock; its "
                    "percentiles come from a histogram accurate to 1%. Networks, retries and garbage collection are not modelled."
                </li>
            </ul>
        </details>
    }
}
