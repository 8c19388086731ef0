//! The components the page draws, their utilisation (`U = X × D`, the utilisation law), the
//! bottleneck (the highest `U`), the throughput bound `1 / D_max`, and the decision hint for the
//! bottleneck from the seeds' table (002, "Decision framework").
//!
//! A component's service demand `D` is the time of the whole component (all its servers or
//! slots together) one system request costs on average: `D = visits × S / c` for `c` servers of
//! service time `S`, so `U = X × D` is its utilisation at system throughput `X` (requests per
//! second over every region), and `X` can never exceed `1 / D_max` (Denning and Buzen 1978)
//! however much is added elsewhere. Where a component runs in several regions or shards, the
//! hottest copy counts (it saturates first).

use serde::Serialize;

/// The highest utilisation reported (100,000%): a component offered work without any capacity
/// (queue workers set to 0) is shown at this, not as infinity.
pub const MAX_UTILIZATION: f64 = 1_000.0;

/// A component of the architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    /// The CDN's edges (static files).
    Cdn,
    /// The load balancer in front of the app servers.
    LoadBalancer,
    /// The app servers' CPUs.
    AppServers,
    /// The app servers' worker threads (requests in flight, including those waiting on the
    /// database, the third party or a slow task).
    AppThreads,
    /// The database connections the app servers hold in their pools (queries in flight).
    DbConnections,
    /// The cache nodes.
    Cache,
    /// The primary database (of the busiest shard).
    DbPrimary,
    /// A read replica (of the busiest shard).
    DbReplicas,
    /// The queue's workers.
    Workers,
}

impl Component {
    /// Every component, in drawing order (the numeric `bottleneck` metric is an index into it).
    pub const ALL: [Component; 9] = [
        Component::Cdn,
        Component::LoadBalancer,
        Component::AppServers,
        Component::AppThreads,
        Component::DbConnections,
        Component::Cache,
        Component::DbPrimary,
        Component::DbReplicas,
        Component::Workers,
    ];

    /// Its name (the `bottleneck` metric's text value).
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Cdn => "cdn",
            Component::LoadBalancer => "load-balancer",
            Component::AppServers => "app-servers",
            Component::AppThreads => "app-threads",
            Component::DbConnections => "db-connections",
            Component::Cache => "cache",
            Component::DbPrimary => "db-primary",
            Component::DbReplicas => "db-replicas",
            Component::Workers => "workers",
        }
    }

    /// A label for the diagram.
    pub fn label(self) -> &'static str {
        match self {
            Component::Cdn => "CDN",
            Component::LoadBalancer => "Load balancer",
            Component::AppServers => "App servers (CPU)",
            Component::AppThreads => "App threads",
            Component::DbConnections => "DB connections",
            Component::Cache => "Cache",
            Component::DbPrimary => "Primary database",
            Component::DbReplicas => "Read replicas",
            Component::Workers => "Queue workers",
        }
    }

    /// Its index in [`Component::ALL`].
    pub fn index(self) -> usize {
        Component::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// The component named `name`, if any.
    pub fn parse(name: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// One component's load now.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Usage {
    /// Which.
    pub component: Component,
    /// Its utilisation `U = X × D` (above 1 when offered more than it can do).
    pub utilization: f64,
    /// Its service demand per system request, seconds (`U / X`).
    pub demand_s: f64,
    /// What it can do, in its own operations per second, in the hottest copy.
    pub capacity: f64,
}

/// The problems of the seeds' decision table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// Single server overloaded → load balancing.
    ServerOverloaded,
    /// DB queries slow → caching.
    SlowQueries,
    /// Too many reads → replication.
    TooManyReads,
    /// Too many writes → sharding.
    TooManyWrites,
    /// High latency for global users → CDN (and regions).
    GlobalLatency,
    /// Long-running tasks → message queue.
    LongTasks,
    /// Traffic spikes → auto-scaling.
    Spikes,
    /// Service failures cascade → circuit breaker.
    CascadingFailures,
    /// Not in the seeds' table: app servers × pool over the database's connection limit.
    ConnectionLimit,
}

impl Problem {
    /// The seeds' pattern for it.
    pub fn pattern(self) -> &'static str {
        match self {
            Problem::ServerOverloaded => "load balancing",
            Problem::SlowQueries => "caching",
            Problem::TooManyReads => "database replication",
            Problem::TooManyWrites => "sharding",
            Problem::GlobalLatency => "CDN and regions",
            Problem::LongTasks => "message queue",
            Problem::Spikes => "auto-scaling",
            Problem::CascadingFailures => "circuit breaker",
            Problem::ConnectionLimit => "smaller pools or a higher connection limit",
        }
    }
}

/// A decision hint: the component, its utilisation and what the seeds' table says to do.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hint {
    /// The component concerned (for `global-latency`, the app servers).
    pub component: Component,
    /// Its utilisation now.
    pub utilization: f64,
    /// The problem.
    pub problem: Problem,
    /// A short sentence: the symptom and the pattern.
    pub text: String,
}

/// The bottleneck of `usages`: the highest utilisation (the first on a tie).
pub fn bottleneck(usages: &[Usage]) -> Option<Usage> {
    let mut best: Option<Usage> = None;
    for u in usages {
        if best.is_none_or(|b| u.utilization > b.utilization) {
            best = Some(*u);
        }
    }
    best
}

/// The throughput bound `1 / D_max`, requests per second (infinite without any demand).
pub fn max_throughput(usages: &[Usage]) -> f64 {
    let d_max = usages.iter().map(|u| u.demand_s).fold(0.0, f64::max);
    if d_max > 0.0 {
        1.0 / d_max
    } else {
        f64::INFINITY
    }
}
