//! The decision hints: what the seeds' table (002, "Decision framework") says about the current
//! bottleneck, then about any other problem the second shows (the connection limit, far users,
//! slow tasks inside requests, a spike without autoscaling, a hanging dependency without a
//! breaker). One hint per problem, the bottleneck's first.

use super::assumptions::{DB_READ_S, DB_WRITE_S, THIRD_PARTY_SHARE};
use super::components::{bottleneck, Component, Hint, Problem, Usage};
use super::faults::Fault;
use super::lab::JourneyLab;
use super::stages::SLO_MS;

fn percent(u: f64) -> String {
    format!("{:.0}%", (u * 100.0).min(9_999.0))
}

impl JourneyLab {
    /// The hints for the last second (empty when nothing is near its limit and nothing else is
    /// wrong).
    pub fn hints(&self) -> Vec<Hint> {
        let c = &self.config;
        let second = &self.last;
        let t = second.at_s;
        let usages: Vec<Usage> = second.usages.iter().flatten().copied().collect();
        let mut hints: Vec<Hint> = Vec::new();
        let mut add = |component: Component, utilization: f64, problem: Problem, text: String| {
            if hints.iter().all(|h| h.problem != problem) {
                hints.push(Hint {
                    component,
                    utilization,
                    problem,
                    text,
                });
            }
        };
        let spike = self.faults.is_on(Fault::Spike, t);
        let hanging = second.third_party_hang.iter().any(|h| *h > 0.0);
        let slow_inside = !c.queue && self.traffic.slow_share > 0.0;
        let mut hot: Vec<Usage> = bottleneck(&usages)
            .filter(|u| u.utilization >= 0.7)
            .into_iter()
            .collect();
        let mut over: Vec<Usage> = usages
            .iter()
            .filter(|u| u.utilization >= 1.0 && hot.iter().all(|h| h.component != u.component))
            .copied()
            .collect();
        over.sort_by(|a, b| b.utilization.total_cmp(&a.utilization));
        hot.extend(over);
        for top in hot {
            let u = top.utilization;
            let p = percent(u);
            let (problem, text) = match top.component {
                Component::AppServers if spike && !c.autoscale => (
                    Problem::Spikes,
                    format!("The app servers are at {p} in a spike: traffic spikes → auto-scaling."),
                ),
                Component::AppServers | Component::LoadBalancer | Component::Cdn => (
                    Problem::ServerOverloaded,
                    format!("The app servers are at {p}: a server overloaded → load balancing (more app servers, or bigger ones)."),
                ),
                Component::AppThreads if hanging => (
                    Problem::CascadingFailures,
                    format!("The app threads are at {p}, held by calls to the hanging third party: failures cascade → circuit breaker."),
                ),
                Component::AppThreads if slow_inside => (
                    Problem::LongTasks,
                    format!("The app threads are at {p}, held by emails sent inside requests: long-running tasks → message queue."),
                ),
                Component::AppThreads => (
                    Problem::ServerOverloaded,
                    format!("The app threads are at {p}: more app servers behind the load balancer."),
                ),
                Component::DbConnections => (
                    Problem::ConnectionLimit,
                    format!("The connection pools are at {p}: queries wait for a connection (a larger pool, or faster queries)."),
                ),
                Component::Cache => (
                    Problem::TooManyReads,
                    format!("The cache nodes are at {p}: more cache memory spreads the reads over more nodes."),
                ),
                Component::DbPrimary => {
                    let s = second.stacks.iter().flatten().next();
                    let writes = s.map_or(0.0, |s| s.writes * DB_WRITE_S);
                    let reads = s.map_or(0.0, |s| if s.replicas == 0 { s.db_reads * DB_READ_S } else { 0.0 });
                    if writes >= reads {
                        (
                            Problem::TooManyWrites,
                            format!("The primary database is at {p}, mostly writes: too many writes → sharding."),
                        )
                    } else if c.cache_gb <= 0.0 {
                        (
                            Problem::SlowQueries,
                            format!("The primary database is at {p}, mostly reads: slow queries → caching (and read replicas)."),
                        )
                    } else {
                        (
                            Problem::TooManyReads,
                            format!("The primary database is at {p}, mostly reads: too many reads → read replicas."),
                        )
                    }
                }
                Component::DbReplicas if c.cache_gb <= 0.0 => (
                    Problem::SlowQueries,
                    format!("The read replicas are at {p}: slow queries → caching."),
                ),
                Component::DbReplicas => (
                    Problem::TooManyReads,
                    format!("The read replicas are at {p}: too many reads → more replicas (or a bigger cache)."),
                ),
                Component::Workers => (
                    Problem::LongTasks,
                    format!("The queue's workers are at {p}: the backlog grows → more workers."),
                ),
            };
            add(top.component, u, problem, text);
        }
        let app_u = second.usages[Component::AppServers.index()].map_or(0.0, |u| u.utilization);
        let threads_u = second.usages[Component::AppThreads.index()].map_or(0.0, |u| u.utilization);
        if let Some(s) = second.stacks.iter().flatten().find(|s| s.connection_refused > 0.0) {
            add(
                Component::DbConnections,
                s.connections / f64::from(c.db_max_connections.max(1)),
                Problem::ConnectionLimit,
                format!(
                    "{:.0} connections asked of a database that accepts {}: {} of its requests fail. More app servers make it worse: smaller pools, or a higher limit.",
                    s.connections,
                    c.db_max_connections,
                    percent(s.connection_refused)
                ),
            );
        }
        if second
            .regions
            .iter()
            .any(|r| r.requests > 0.0 && r.rtt_ms + 0.5 >= SLO_MS * 0.75)
        {
            add(
                Component::AppServers,
                app_u,
                Problem::GlobalLatency,
                "Some users are far from the servers: global latency → a CDN for static files, and regions for the rest.".into(),
            );
        }
        if slow_inside && self.traffic.slow_share * (1.0 - self.traffic.static_share) >= 0.01 {
            add(
                Component::AppThreads,
                threads_u,
                Problem::LongTasks,
                "Emails are sent inside requests (2 s each): long-running tasks → message queue.".into(),
            );
        }
        if spike && !c.autoscale {
            add(
                Component::AppServers,
                app_u,
                Problem::Spikes,
                "A traffic spike: auto-scaling adds app servers as it comes.".into(),
            );
        }
        if hanging && !c.breaker {
            add(
                Component::AppThreads,
                threads_u,
                Problem::CascadingFailures,
                format!(
                    "The third party hangs: {:.0}% of dynamic requests wait for it until they fail → circuit breaker.",
                    THIRD_PARTY_SHARE * 100.0
                ),
            );
        }
        hints
    }
}
