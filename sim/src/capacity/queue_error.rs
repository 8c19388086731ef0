//! Why a queueing figure cannot be computed: typed, with a sentence for the learner.

use std::fmt;

use serde::Serialize;

/// A queueing result does not exist for these inputs (instead of NaN or infinity).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueueError {
    /// The fleet has no server.
    NoServers,
    /// A rate or time is negative, zero where it must be positive, NaN or infinite.
    InvalidRate {
        /// Which quantity, e.g. `"arrival rate"`.
        what: &'static str,
    },
    /// Utilisation `ρ = λ / (c μ)` is at least 1: arrivals outpace service and the queue grows
    /// without bound, so waits have no steady state.
    Unstable {
        /// The utilisation (finite, `>= 1`).
        utilization: f64,
    },
    /// More servers than the queueing model handles ([`MAX_QUEUE_SERVERS`](super::MAX_QUEUE_SERVERS)
    /// servers or [`MAX_QUEUE_SLOTS`](super::MAX_QUEUE_SLOTS) request slots).
    TooManyServers {
        /// The fleet asked for.
        servers: u64,
        /// Its request slots, servers × concurrent requests per server.
        slots: u64,
    },
    /// A p99 target below what the service time alone allows: even with no waiting, 1% of
    /// requests take longer than `ln(100) × service time`.
    TargetBelowServiceTime {
        /// The p99 of the service time alone, in milliseconds: the lowest p99 any fleet reaches.
        floor_ms: f64,
    },
    /// No fleet up to [`MAX_QUEUE_SERVERS`](super::MAX_QUEUE_SERVERS) meets the target.
    TargetNeedsTooManyServers,
}

impl QueueError {
    /// A sentence for the learner.
    pub fn message(&self) -> String {
        match self {
            QueueError::NoServers => "no servers: the fleet needs at least one".to_string(),
            QueueError::InvalidRate { what } => format!("the {what} must be a positive, finite number"),
            QueueError::Unstable { utilization } => format!(
                "unstable: arrivals outpace service (utilisation {:.0}%), so the queue grows without bound; \
                 add servers or shorten the service time",
                utilization * 100.0
            ),
            QueueError::TooManyServers { servers, slots } => format!(
                "{} {} with {} request slots is more than the queueing model handles (at most {} servers \
                 and {} slots)",
                super::format::number(*servers as f64),
                if *servers == 1 { "server" } else { "servers" },
                super::format::number(*slots as f64),
                super::format::number(f64::from(super::MAX_QUEUE_SERVERS)),
                super::format::number(f64::from(super::specs::MAX_QUEUE_SLOTS))
            ),
            QueueError::TargetBelowServiceTime { floor_ms } => format!(
                "no fleet meets this p99: service time alone gives a p99 of {} ms",
                super::format::number(*floor_ms)
            ),
            QueueError::TargetNeedsTooManyServers => format!(
                "no fleet of at most {} servers meets this p99",
                super::MAX_QUEUE_SERVERS
            ),
        }
    }
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for QueueError {}
