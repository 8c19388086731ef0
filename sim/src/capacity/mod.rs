//! Capacity planning: Little's law, fleet sizing, queueing (M/M/1, M/M/c), cost and the Universal
//! Scalability Law.
//!
//! The calculator is a pure function, [`plan`]: a validated [`Config`] in, a plain-data [`Plan`]
//! out, with every step written as a [`CalcLine`] (formula, the learner's numbers, result) so the
//! page can show the worked calculation. [`CapacityLab`] adds a discrete-event M/M/c simulation
//! ([`QueueSim`]) that checks the queueing formulas by experiment.
//!
//! Definitions (all documented where they live):
//! - Traffic: `λ = rps`, or `dau × requests_per_user / 86,400 × peak_factor` when `dau > 0`.
//! - Sizing (the seeds): `L = λ × W`; `N_base = ⌈L / concurrency⌉`; headroom
//!   `⌈N_base × (1 + h/100)⌉`; redundancy none / N+1 / N+2 / double.
//! - Queueing: each server is one queue with mean service time `S` (`service_ms`, or
//!   `latency / concurrency` when 0, which makes a server's throughput exactly the sizing
//!   formula's capacity); `c` = the `servers` parameter or the planned fleet; M/M/c via Erlang C.
//! - The knee: the utilisation minimising response time over utilisation ([`knee`]).
//! - Cost: capacity scales with CPUs; `cost_per_hour` = the fleet `c` on the small size.
//!
//! Codemap:
//! - [`config`], [`specs`], [`redundancy`], [`presets`]: the parameters and scenarios.
//! - [`sizing`], [`db_load`], [`cost`], [`usl`]: closed-form sizing, database load, cost, USL.
//! - [`erlang`], [`mmc`], [`mm1`], [`curve`], [`target`]: queueing theory.
//! - [`build`] (with `queueing_figures`), [`plan`](mod@plan), [`calc_line`], [`format`]: the plan
//!   and its worked lines.
//! - [`sim_config`], [`queue_sim`], [`sim_snapshot`], [`lab`]: the simulation and the lab model.
//!
//! Everything is deterministic and uses `libm` for transcendental functions, so native and wasm32
//! agree bit for bit.

pub mod build;
pub mod calc_line;
pub mod config;
pub mod cost;
pub mod curve;
pub mod db_load;
pub mod erlang;
pub mod format;
pub mod lab;
pub mod mm1;
pub mod mmc;
pub mod plan;
pub mod presets;
pub mod queue_error;
pub mod queue_sim;
mod queueing_figures;
pub mod redundancy;
pub mod sim_config;
pub mod sim_snapshot;
pub mod sizing;
pub mod specs;
pub mod target;
pub mod usl;

pub use build::plan;
pub use calc_line::CalcLine;
pub use config::Config;
pub use cost::{cost_options, CostOption, ServerSize, SERVER_SIZES};
pub use curve::{knee, latency_curve, CurvePoint};
pub use db_load::{db_load, DbLoad};
pub use erlang::{erlang_b, erlang_c};
pub use lab::CapacityLab;
pub use mm1::{mm1_mean_response, mm1_response_percentile_s, mm1_stretch};
pub use mmc::MmcQueue;
pub use plan::{Plan, Warning, WarningKind};
pub use presets::{Preset, PRESETS};
pub use queue_error::QueueError;
pub use queue_sim::QueueSim;
pub use redundancy::Redundancy;
pub use sim_config::QueueSimConfig;
pub use sim_snapshot::{HistogramBin, SimSnapshot};
pub use sizing::{concurrent_requests, peak_rps_from_users, servers_for_load, with_headroom};
pub use specs::{MAX_QUEUE_SERVERS, MAX_QUEUE_SLOTS, MAX_SIM_SLOTS};
pub use target::{servers_for_p99, servers_for_utilization, TargetFleet};
pub use usl::{usl_curve, usl_peak_nodes, usl_throughput, UslPoint};
