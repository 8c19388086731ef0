//! ScaleLab's simulation core.
//!
//! Pure, deterministic Rust: no web crate, no wall clock, no OS randomness. Every lab model lives in
//! its own module and follows one shape: a `Config` (serde, `Default`, validated through
//! [`params::Params`]) builds a model that advances with `step_until(t)` and reports a plain-data
//! snapshot the UI renders as it is.

pub mod autoscaling;
pub mod breaker;
pub mod cache;
pub mod capacity;
pub mod engine;
pub mod error;
pub mod hashring;
pub mod journey;
pub mod loadbalancing;
pub mod params;
pub mod queues;
pub mod ratelimit;
pub mod replication;
pub mod sharding;

pub use error::ConfigError;
