//! The plain data the UI renders for the load balancing lab. Everything is already computed; the
//! UI only draws and formats it. Times are simulated seconds, latencies milliseconds, rates per
//! simulated second, shares and utilizations fractions in `[0, 1]`.
//!
//! "Since reset" counts cover the requests that arrived since the start or the last
//! [`LoadBalancingLab::reset_stats`](super::LoadBalancingLab::reset_stats) (sessions lost and the
//! balancers' counts: what happened since then). The charts, the routing log and the event log
//! always run from the start.

use serde::Serialize;

use super::algorithm::Algorithm;
use super::supermarket::Supermarket;

/// Everything the load balancing page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time now, in seconds.
    pub now_s: f64,
    /// Static mode (balls into bins): requests are placed and never finish.
    pub static_mode: bool,
    /// The algorithm in force.
    pub algorithm: Algorithm,
    /// The servers, in membership order (servers removed but still draining are not listed).
    pub servers: Vec<ServerView>,
    /// The balancers.
    pub balancers: Vec<BalancerView>,
    /// Requests that arrived since reset.
    pub arrived: u64,
    /// Of those, completed by a server.
    pub completed: u64,
    /// Median latency of the completed requests since reset (ms); `None` before the first.
    pub p50_ms: Option<f64>,
    /// 99th percentile latency (ms).
    pub p99_ms: Option<f64>,
    /// Mean latency (ms).
    pub mean_ms: Option<f64>,
    /// Requests completed per simulated second, over the last second.
    pub throughput: f64,
    /// Busy worker-time / worker-time available since reset, over every server alive (draining
    /// ones included while they serve), 0..1.
    pub utilization: f64,
    /// The busiest server's served requests / the mean over the members (placed requests in static
    /// mode); 1 when nothing was served.
    pub imbalance: f64,
    /// Most requests waiting (beyond those in service) at one server at any moment since reset.
    pub max_queue: u32,
    /// Requests dropped because the chosen server's queue was full, since reset.
    pub dropped: u64,
    /// Requests that failed since reset: sent to a dead server not yet marked down, in service or
    /// queued on a server when it was killed, or with no server marked up.
    pub errors: u64,
    /// `local` sessions lost since reset: a client routed away from the server holding its session,
    /// and every session on a killed server.
    pub sessions_lost: u64,
    /// Static mode: requests placed so far (0 otherwise).
    pub placed: u64,
    /// Static mode: requests on the most loaded server (0 otherwise).
    pub max_load: u64,
    /// Static mode: requests placed / members (0 otherwise).
    pub mean_load: f64,
    /// Latency histogram since reset: `(from_ms, to_ms, count)`, 24 log-spaced bins over the range
    /// seen (empty before the first completion).
    pub latency_histogram: Vec<(f64, f64, u64)>,
    /// Median latency (ms) in each simulated second, `(end of the second, ms)`; no point for a
    /// second without completions. At most 512 points (merging pairs as the run grows).
    pub p50_series: Vec<(f64, f64)>,
    /// 99th percentile latency (ms) in each simulated second.
    pub p99_series: Vec<(f64, f64)>,
    /// Errors in each simulated second.
    pub errors_series: Vec<(f64, f64)>,
    /// Drops in each simulated second.
    pub drops_series: Vec<(f64, f64)>,
    /// The last 64 routing decisions, oldest first.
    pub recent: Vec<Routed>,
    /// The last 32 things that happened to the fleet (faults, health verdicts, membership), oldest
    /// first.
    pub events: Vec<LabEvent>,
    /// Time from the last kill of a server to its mark-down (s), once one was marked down.
    pub last_detection_s: Option<f64>,
    /// The supermarket model's prediction, when the load is below 1 in the running system (see
    /// [`Supermarket::applies`]).
    pub supermarket: Option<Supermarket>,
    /// Servers removed from the membership that still serve requests they had.
    pub draining: u32,
    /// Requests in flight now (queued or in service, every server).
    pub in_flight: u64,
}

/// One server.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerView {
    /// Its id (stable while it is a member).
    pub id: u32,
    /// Configured relative speed (a slow server runs at a tenth of it).
    pub speed: f64,
    /// Running (false: killed).
    pub alive: bool,
    /// Slowed to a tenth of its speed (it still passes health checks).
    pub slow: bool,
    /// The health checker's verdict: the balancers route to it.
    pub marked_up: bool,
    /// Requests in service now.
    pub in_service: u32,
    /// Requests waiting now.
    pub queued: u32,
    /// Requests it serves at once.
    pub workers: u32,
    /// Requests it completed since reset.
    pub served: u64,
    /// Its share of the members' served requests (placed ones in static mode), 0..1.
    pub share: f64,
    /// Busy worker-time / worker-time since reset while alive, 0..1.
    pub utilization: f64,
    /// `local` sessions it holds now.
    pub sessions: u32,
    /// Static mode: requests placed on it.
    pub placed: u64,
}

/// One balancer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BalancerView {
    /// Requests it received since reset.
    pub sent: u64,
}

/// What became of a routed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A server took it (in service, queued or, in static mode, placed).
    Served,
    /// The chosen server's queue was full.
    Dropped,
    /// The chosen server was dead (killed, not yet marked down).
    Failed,
    /// No server was marked up.
    NoServer,
}

/// One routing decision.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Routed {
    /// When (s).
    pub at_s: f64,
    /// The balancer that routed it.
    pub balancer: u32,
    /// The client that sent it.
    pub client: u32,
    /// The server chosen; `None` when no server was marked up.
    pub server: Option<u32>,
    /// What became of it.
    pub outcome: Outcome,
}

/// Something that happened to the fleet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabEvent {
    /// When (s).
    pub at_s: f64,
    /// What, e.g. "server 0 marked down after 3 failed checks (5.2 s after it died)".
    pub text: String,
}
