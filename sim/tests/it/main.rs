//! Integration tests of the simulation core, in one test binary.

mod autoscaling;
mod breaker;
mod cache;
mod capacity;
mod engine;
mod hashring;
mod journey;
mod loadbalancing;
mod queues;
mod ratelimit;
mod replication;
mod sharding;
