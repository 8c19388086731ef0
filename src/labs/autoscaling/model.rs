//! The "Model and assumptions" panel of the autoscaling lab.

use leptos::prelude::*;

/// What the autoscaling model simplifies and which published behaviour it reproduces (tests in
/// `sim/tests/it/autoscaling.rs`).
#[component]
pub fn ModelPanel() -> impl IntoView {
    view! {
        <details class="panel model" data-testid="model-panel">
            <summary>"Model and assumptions"</summary>
            <ul>
                <li>
                    "Time moves in whole simulated seconds. Each second brings the traffic shape's rate (steady, a ramp, "
                    "a spike, a daily wave lowest at midnight and highest at noon, or a step), with random noise of the "
                    "chosen size. Requests are a flow, not one by one, so a week at a million requests a second stays fast."
                </li>
                <li>
                    "An instance serves its rate at 100% CPU, one request at a time. A new one is billed from the moment it "
                    "starts and serves nothing until its startup delay (boot and warm-up) has passed. Beyond the ready "
                    "capacity requests queue; a request that would wait more than 10 s times out (an error). Below "
                    "saturation the waiting follows the M/M/c queue of the capacity lab (Erlang C)."
                </li>
                <li>
                    "The HPA follows Kubernetes' algorithm: every 15 s, desired = ceil(ready \u{00d7} metric / target), "
                    "no change within the tolerance (0.1), pods still starting counted as idle when scaling up, "
                    "stabilization windows (0 s up, 300 s down by default: the highest recommendation of the window "
                    "wins when scaling down), and rate policies (by default up to 4 pods or 100% more per 15 s, whichever "
                    "is larger), within min and max. CPU is read in whole percent, as Kubernetes does."
                </li>
                <li>
                    "Step scaling adds instances above the target and removes one below half of it, then waits out its "
                    "cooldown. Scheduled scaling sets each hour's capacity from the traffic plan; predictive scaling is the "
                    "HPA with a floor from yesterday's traffic a startup delay ahead, so it scales up early and never "
                    "scales in on the forecast alone. Serverless starts an instance per concurrent request, each new one "
                    "a cold start, reclaims idle ones after 5 minutes, and bills busy request-seconds at twice the "
                    "instance's hourly rate (an assumption)."
                </li>
                <li>
                    "A second misses the SLO when its p99 is over the SLO or 1% or more of its requests fail. "
                    "Results the tests reproduce: the Kubernetes documentation's 50 replicas at 90% CPU against a 75% "
                    "target give 60; nothing changes within the tolerance; under sustained overload the default policies "
                    "go 1, 5, 10, 20, 40; the first scale-down comes 300 s after the load drops (sooner without the "
                    "window); serverless cold starts equal the new concurrency peaks."
                </li>
                <li>
                    "Deterministic: the same settings and seed give the same run on every machine, and both runs of a "
                    "comparison see the very same traffic."
                </li>
            </ul>
        </details>
    }
}
