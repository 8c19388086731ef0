//! The deterministic discrete-event engine every lab model is built on.
//!
//! - [`time`]: simulated time, an integer count of microseconds ([`SimTime`]); never the wall
//!   clock.
//! - [`SimRng`]: the one seeded generator (PCG-64 MCG), bit-identical on native and wasm32.
//! - [`EventQueue`] and [`Scheduler`]: events in time order, equal times in insertion order.
//! - Distributions ([`Uniform`], [`Exponential`], [`Normal`], [`LogNormal`], [`Bernoulli`],
//!   [`Zipf`]) that validate their parameters and sample with `libm`.
//! - [`PairedRuns`]: two runs of a [`SlicedRun`] model stepped to one end (the compare views).
//! - Metrics with bounded memory: [`Counter`], [`Histogram`], [`TimeSeries`], [`WindowedRate`].
//!
//! A model owns one `SimRng` (forking sub-streams with [`SimRng::fork`] where useful) and one
//! `Scheduler`, and its `step_until(t)` is `while let Some(ev) = sched.next_before(t) { .. }`.

mod dist;
mod metrics;
mod paired;
mod queue;
mod rng;
mod sim;
pub mod time;

pub use dist::{Bernoulli, Exponential, LogNormal, Normal, Uniform, Zipf, ZipfBuilder, MAX_PARAM};
pub use metrics::{CoarseBin, Counter, Histogram, TimeSeries, WindowedRate};
pub use paired::{PairedRuns, SlicedRun};
pub use queue::EventQueue;
pub use rng::SimRng;
pub use sim::Scheduler;
pub use time::SimTime;
