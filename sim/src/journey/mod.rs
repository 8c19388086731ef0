//! The scaling journey: one system from a single server to four regions, as its users grow from a
//! thousand to ten million, and the bottleneck moves.
//!
//! **Model.** Time advances in whole simulated seconds (integer µs clock). Users online (`users`,
//! or a level's) are spread over the US, the EU and Asia (`region_mix`) and each sends
//! [`REQUESTS_PER_USER_S`] requests a second (one every 10 s; see [`assumptions`]), times
//! `1 + noise` (one normal draw per second from the seed). A request is a static file
//! (`static_share`) or dynamic; a dynamic one reads (`read_ratio`) or writes, and may also send
//! an email (`slow_share`, 2 s) or call a third-party API ([`THIRD_PARTY_SHARE`]). Each user
//! region is served by a region stack ([`Regions`]: US only, US with an EU standby, or one per
//! continent), across a network round trip of 50, 150 or 250 ms ([`network`]). A stack is
//! stations ([`station`]): the app servers' cores (`app_servers` × the CPUs of `server_size`, a
//! bigger machine slowed by the Universal Scalability Law), the cache (`cache_gb`; its hit ratio
//! from the cache lab's Che approximation over a Zipf catalogue, [`hits`]), the busiest shard's
//! primary database and one of its read replicas (`shards`, `replicas`), and the queue's
//! workers (`queue`, `workers`); plus two loss systems: the servers' threads (200 each) and the
//! connection pools (`pool` per server per database node, `db_max_connections` per node). A
//! static file goes to the CDN's edge (`cdn`) or to the app servers; a read to the cache, and on
//! a miss to a replica (or the primary); a write to the primary and, in active-active, to every
//! region's database (applied at half the cost); stateless sessions cost a cache read per
//! dynamic request (a database read without a cache).
//!
//! **Why per second, as a flow.** Ten million users make a million requests a second; a level is
//! a simulated hour, which must run in well under a second, so requests are a flow, not events
//! (the autoscaling lab's choice): each second is O(regions × classes), independent of the
//! traffic. The queueing stays exact where it matters: every station is the capacity lab's M/M/c
//! queue ([`MmcQueue`](crate::capacity::MmcQueue), Erlang C) below saturation and a fluid backlog
//! with a 10 s timeout above it (`station.rs`), and a region's response time is the mixture of its
//! request classes, each a fixed part (round trip, load balancer, cache, third party, email or
//! its enqueueing, backlogs) plus the exact M/M/c response-time distribution of its slowest
//! station ([`latency`]). p99 per region is that mixture's 99th percentile over the requests that
//! succeed (a failed request counts as an error, not as a slow one); a level's latency test is
//! the share of the hour's successful requests slower than 200 ms (at most 1%), which is "p99
//! under 200 ms over the hour" exactly.
//!
//! **Operational laws.** Every component reports its utilisation `U = X × D` (system throughput
//! times the component's demand per request, all its servers together); the highest is the
//! bottleneck and the throughput can never exceed `1 / D_max` ([`components`]), whatever is
//! added elsewhere: more app servers in front of a saturated database raise nothing. Pools
//! times servers past the connection limit make requests fail (and more servers, more failures).
//!
//! **Faults** ([`faults`], the actions `fail-region`, `fail-primary`, `spike`,
//! `fail-third-party`; each lasts 10 minutes): the US region fails (active-active moves its users
//! after 30 s; active-passive after 5 minutes; a single region is down), the primary fails
//! (a replica is promoted after 30 s, losing the writes of the last 10 ms; without one, its
//! shard is down), users ×2.5 ramped over 5 minutes (the Kubernetes HPA of the autoscaling lab,
//! [`crate::autoscaling::Hpa`], adds app servers that start in 60 s), the third party hangs (each
//! call waits 10 s and fails, holding a thread; the breaker lab's
//! [`Breaker`](crate::breaker::Breaker), consecutive policy with the seeds' 5 failures and 30 s,
//! opens on the timeouts and answers with a fallback).
//!
//! **Levels** ([`stages`]): the seeds' four stages, each with users, a mix, a fault at 20 minutes
//! and a budget; won when over the hour every region's p99 stays under 200 ms, under 1% of the
//! requests fail and the hour's spend as a monthly rate is within the budget. `stage=0` is the
//! sandbox (the traffic keys apply, nothing scheduled). Costs: the seeds' server prices, the
//! rest stated in [`prices`].
//!
//! **Left out.** Per-request simulation (the flow is at steady state every second: no transient
//! within a second, no per-server imbalance behind the balancer, no retries); sticky-session
//! imbalance (local sessions only lose users when a server goes away); the database's own cost
//! of many connections; conflicts between active-active writers; shards other than the busiest
//! (all shards are alike, and a failed primary hurts 1/`shards` of the database requests); the
//! second random station of a class counts at its mean; network transfer costs; hot data that
//! grows with the users (the catalogue is fixed at 10 GB).
//!
//! Codemap:
//! - [`config`] ([`Config`], URL keys, validation), `specs.rs` (the control table), [`choices`]
//!   (`server_size`, `sessions`, `regions`), [`mix`] (`region_mix`), [`stages`] (the levels).
//! - [`assumptions`] (what a request costs and how long steps take), [`prices`], [`network`],
//!   [`hits`] (the cache's hit ratio), [`rules`] (the seeds' two rules of thumb).
//! - [`station`] (one component's second), [`serve`] (a region's stack for a second),
//!   [`latency`] (request classes and percentiles), [`tick`] (the second: routing, classes,
//!   utilisation, cost, breaker, autoscaler, log), [`faults`] (faults and the event log).
//! - [`lab`] ([`JourneyLab`]: the clock, actions, the verdict), [`stats`], [`components`]
//!   (utilisation law, bottleneck, `1 / D_max`), `hints.rs` (the seeds' decision table),
//!   [`snapshot`] ([`Snapshot`], [`Snapshot::metric`]), [`compare`] ([`Comparison`]).
//!
//! Invariants: deterministic (one seed, used only by the noise; integer µs clock; `libm` for
//! every transcendental function), no panics on any input, memory bounded whatever the run
//! length (fixed-size charts, [`EVENTS_KEPT`] events, the HPA's and breaker's own bounds, a
//! bounded list of hanging calls).

pub mod assumptions;
pub mod choices;
pub mod compare;
pub mod components;
pub mod config;
pub mod faults;
pub mod hits;
pub mod lab;
pub mod latency;
pub mod mix;
pub mod network;
pub mod prices;
pub mod rules;
pub mod serve;
pub mod snapshot;
pub mod stages;
pub mod station;
pub mod stats;
pub mod tick;

mod hints;
mod specs;

pub use assumptions::{
    ACTIVE_FAILOVER_S, PASSIVE_FAILOVER_S, PRIMARY_FAILOVER_S, REQUESTS_PER_USER_S, THIRD_PARTY_SHARE,
    THIRD_PARTY_TIMEOUT_S,
};
pub use choices::{Regions, ServerSize, Sessions};
pub use compare::{CompareRow, Comparison, MAX_COMPARE_SECS};
pub use components::{Component, Hint, Problem, Usage};
pub use config::Config;
pub use faults::{Event, EventKind, Fault, EVENTS_KEPT, FAULT_S, SPIKE_FACTOR, SPIKE_RAMP_S};
pub use lab::{JourneyLab, Verdict};
pub use network::{rtt_ms, Region};
pub use rules::{db_reads, servers_needed};
pub use snapshot::{ComponentView, LevelView, Lines, RegionView, Snapshot, StackView, METRICS};
pub use specs::{
    MAX_APP_SERVERS, MAX_CACHE_GB, MAX_DB_CONNECTIONS, MAX_POOL, MAX_REPLICAS, MAX_SHARDS, MAX_STAGE, MAX_USERS,
    MAX_WORKERS,
};
pub use stages::{Stage, Traffic, ERROR_BUDGET, FAULT_AT_S, LEVEL_S, SLO_MS, STAGES};
