//! Circuit breaker: a breaker between a caller and a failing dependency.
//!
//! The breaker is a pure state machine (CLOSED, OPEN, HALF_OPEN, plus FORCED_OPEN and DISABLED by
//! hand) with three policies: Fowler's consecutive-failures breaker (the seeds' version) and
//! resilience4j's count-based and time-based sliding windows (failure rate and slow-call rate,
//! minimum number of calls, a fixed number of half-open trial calls). The lab drives it three
//! ways on one simulation clock: call by call (the learner sends a success, a failure or a slow
//! call), by a script (`outcomes`, one letter per call, `gap_ms` apart), and by a running system
//! (a caller with a bounded pool serving Poisson clients, calling a dependency that fails during an
//! outage by hanging until the timeout). Without a breaker the hung calls fill the pool and the
//! caller turns its own clients away (the cascade); with one, calls fail fast while it is open,
//! the pool stays free, and an optional fallback answers the rejected calls.
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys and validation), `specs.rs` (the control table).
//! - [`policy`], [`state`], [`outcome`] (outcomes, calls, their classification), [`script`].
//! - The breaker: [`machine`] ([`Breaker`]) on [`settings`], with its counters in `metrics.rs`
//!   ([`BreakerMetrics`]), [`count_window`], [`time_window`], `totals.rs`, the strip
//!   ([`strip`]) and its history ([`transition`]).
//! - The running system: [`dependency`] (timeline, latency, timeout), `pool.rs` (the caller's
//!   threads), `stats.rs` (what is counted).
//! - [`lab`] ([`BreakerLab`], the clock and events); `view.rs` builds the [`Snapshot`]
//!   ([`snapshot`]); [`compare`] runs variants on one seed.
//!
//! Invariants: deterministic (one seed, forked per purpose; integer µs time; equal times in
//! insertion order), no panics on any input, memory bounded whatever the run length.

pub mod compare;
pub mod config;
pub mod count_window;
pub mod dependency;
pub mod lab;
pub mod machine;
mod metrics;
pub mod outcome;
pub mod policy;
mod pool;
pub mod script;
pub mod settings;
pub mod snapshot;
mod specs;
pub mod state;
mod stats;
pub mod strip;
pub mod time_window;
mod totals;
pub mod transition;
mod view;

pub use compare::{CompareRow, Comparison};
pub use config::Config;
pub use dependency::{Dependency, Phase, HEALTHY_LATENCY_MS};
pub use lab::{BreakerLab, SendReport};
pub use machine::{Breaker, Permit};
pub use metrics::BreakerMetrics;
pub use outcome::{Call, CallKind, Outcome};
pub use policy::Policy;
pub use script::{format_outcomes, parse_outcomes, MAX_OUTCOMES};
pub use settings::{BreakerSettings, MAX_WINDOW};
pub use snapshot::{LatencyBin, Snapshot};
pub use state::State;
pub use stats::{RATE_WINDOW, SAMPLE_INTERVAL};
pub use strip::{StripCall, STRIP_MAX};
pub use totals::Totals;
pub use transition::{StateMark, Transition, TIMELINE_KEPT, TRANSITIONS_KEPT};
