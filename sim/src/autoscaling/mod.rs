//! Autoscaling: traffic changes over a simulated day (or week) and an autoscaler keeps up, or does
//! not; what it costs, and how many seconds miss the SLO.
//!
//! **Model.** Time advances in whole simulated seconds. Each second `arrivals` requests come in:
//! the traffic shape (`steady`, `ramp`, `spike`, `daily`, `step`; spikes added by hand with
//! [`AutoscalingLab::spike_now`]) times `1 + noise × z`, one standard normal draw per second (with
//! `noise` = 0 the traffic is exactly the shape). Instances serve `instance_rps` requests per second
//! when full, one request at a time (a request takes `1 / instance_rps` on average); a new
//! instance starts for `startup_s` (billed, serving nothing). A request spends `cpu_share` percent
//! of its time on the CPU and waits on I/O the rest, so the CPU an instance shows is its busy
//! share times `cpu_share` (default 100: CPU-bound, the two are one number). Every existing
//! instance costs `cost_per_hour`. A run starts with `min_replicas` ready (the daily wave starts
//! at its lowest, midnight) and the whole run can be replayed from its configuration and seed.
//!
//! **Why per second, not per request.** A week at one-second resolution with up to 1,000
//! replicas and up to a million requests per second must run in well under a second per
//! simulated hour, so requests are a flow, not events: each second is O(1) in the number of
//! requests (O(replicas) for a new Erlang C, cached by fleet size and utilisation rounded to
//! 1/4,096, so a steady noisy load costs ~1 µs a second). The latency and error
//! model stays the queueing model, computed per second (`serving.rs`): overload builds a fluid
//! backlog (`q₁ = q₀ + arrivals − capacity`, a request behind `q` waits `q / capacity`, one that
//! would wait over [`TIMEOUT_S`] times out: an error); below saturation the random waits are the
//! capacity lab's M/M/c queue ([`MmcQueue`](crate::capacity::MmcQueue), Erlang C, with the ready
//! instances as its servers): the second's p99 is the backlog's wait plus the M/M/c response p99
//! (evaluated at most at [`RHO_CAP`] utilisation, beyond which the backlog carries the wait), or
//! the timeout when 1% or more time out. So p99 grows along the M/M/c curve as utilisation rises,
//! and sharply once demand exceeds the ready capacity. What it leaves out: the transient of the
//! M/M/c queue within a second (it is at steady state every second), per-instance imbalance (the
//! balancer is one shared queue), and retries.
//!
//! **Autoscalers** decide every [`SYNC_S`] = 15 s on the metric averaged over the ready
//! instances since the last decision (`cpu`: busy share × `cpu_share`, at most 100%; `rps`: arrivals per ready
//! instance; `queue`: requests waiting per ready instance; `p99`: ms):
//! - `hpa`: Kubernetes' algorithm exactly ([`hpa`]): `ceil(ready × metric / target)` with the
//!   metric read as Kubernetes reads it (CPU in whole percent), tolerance, starting pods counted
//!   as idle when scaling up, stabilization windows, rate policies with select max/min,
//!   `[min, max]` (`min` at least 1).
//! - `step`: above `target` add `up_pods`, below half of it remove 1, then wait `cooldown_s`.
//! - `scheduled`: for the hour of `now + startup_s`, `ceil(the shape's highest rate that hour on
//!   the first day / the rate an instance is planned for)` ([`Config::planned_rps_per_instance`]).
//! - `predictive`: the HPA, with a floor of `ceil(yesterday's highest per-minute rate over
//!   [now + startup_s, + 15 s) / planned rate)` once a day of history exists. The floor can only
//!   raise the count: it never scales in on the forecast alone.
//! - `fixed`: `min_replicas` instances, always (a killed one is replaced).
//! - `serverless` ([`serverless`]): concurrency `ceil(arrivals / instance_rps)` instances, the
//!   missing ones started cold (the share of the traffic they are for waits until they are up,
//!   or times out), idle ones reclaimed after
//!   [`KEEP_WARM_S`], `max_replicas` the concurrency limit (beyond it, throttled), `min_replicas`
//!   provisioned (always warm, billed by the hour); busy request-seconds billed at
//!   [`SERVERLESS_PRICE_FACTOR`] times the instance's rate.
//!
//! **Accounting.** Cost; SLO seconds violated (p99 over `slo_ms` or 1% or more errors); scale
//! events (changes of the count by the autoscaler; serverless: changes of the warm pool); cold
//! starts (instances started after time 0); replicas (ready and starting), ready replicas and the
//! autoscaler's wish (`desired_replicas`: before windows and rate limits) over time.
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys, validation), `specs.rs` (the control table), [`choices`].
//! - [`traffic`] (shapes, hand spikes, noise), [`fleet`] (ready and starting servers),
//!   [`serving`] (a second of the servers' queue), [`serverless`] (the warm pool).
//! - [`hpa`] (the Kubernetes algorithm, pure), [`scalers`] (step, schedule, yesterday's
//!   history), [`decision`] (the log's entries with the formula's numbers).
//! - [`lab`] ([`AutoscalingLab`]: the clock, the tick, actions), `decide.rs` (each autoscaler's
//!   rule filling in a [`Decision`]), [`stats`] (totals, histories), [`snapshot`] ([`Snapshot`],
//!   [`Snapshot::metric`]).
//! - [`compare`] ([`Comparison`]: two settings on the same traffic).
//!
//! Invariants: deterministic (one seed, used only by the noise; integer µs clock; `libm` for
//! every transcendental function), no panics on any input, memory bounded whatever the run
//! length (fixed-size charts, [`DECISIONS_KEPT`] decisions, the HPA's windows pruned, one
//! 1,440-slot history, starting instances grouped by second).

pub mod choices;
pub mod compare;
pub mod config;
pub mod decision;
pub mod fleet;
pub mod hpa;
pub mod lab;
pub mod scalers;
pub mod serverless;
pub mod serving;
pub mod snapshot;
pub mod stats;
pub mod traffic;

mod decide;
mod specs;

pub use choices::{Autoscaler, ScaleMetric, SelectPolicy, Traffic};
pub use compare::{CompareRow, Comparison, Totals, MAX_COMPARE_SECS};
pub use config::{Config, PLAN_UTILIZATION};
pub use decision::{Decision, ForecastTerms, Reason, ScheduleTerms, StepTerms};
pub use hpa::{replica_count, Behavior, FormulaTerms, Hpa, HpaOutcome, Limit, Policy, PolicyKind, Rules, SyncInput};
pub use lab::{AutoscalingLab, DECISIONS_KEPT, SERVERLESS_PRICE_FACTOR, SYNC_S};
pub use scalers::{MINUTES_PER_DAY, STEP_DOWN_SHARE};
pub use serverless::KEEP_WARM_S;
pub use serving::{RHO_CAP, TIMEOUT_S};
pub use snapshot::{Lines, Snapshot, DECISIONS_SHOWN, METRICS};
pub use specs::{
    MAX_INSTANCE_RPS, MAX_REPLICAS, MAX_RPS, MAX_SPIKE_AT_S, MAX_SPIKE_S, MAX_STARTUP_S, MAX_TARGET, MAX_WINDOW_S,
};
pub use traffic::{HandSpike, DAY_S, MAX_SPIKES};
