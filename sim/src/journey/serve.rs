//! One second of one region's stack: the requests it serves go through its stations (app
//! servers, cache, database nodes, workers), its threads and connection pools; what comes out is
//! each station's second, the shares of requests turned away and the times requests hold a
//! thread. Pure arithmetic on the stations of [`super::station`].

use super::assumptions::*;
use super::choices::Sessions;
use super::config::Config;
use super::station::{Station, StationSecond};
use crate::capacity::usl_throughput;

/// A region's stations, carried from second to second.
#[derive(Clone, Debug, PartialEq)]
pub struct Stations {
    /// The app servers' cores.
    pub app: Station,
    /// The cache nodes.
    pub cache: Station,
    /// The busiest shard's primary.
    pub primary: Station,
    /// One read replica of the busiest shard.
    pub replica: Station,
    /// The queue's workers (no timeout: tasks wait).
    pub workers: Station,
}

impl Default for Stations {
    fn default() -> Self {
        Self {
            app: Station::new(true),
            cache: Station::new(true),
            primary: Station::new(true),
            replica: Station::new(true),
            workers: Station::new(false),
        }
    }
}

/// What a region's stack is asked to do in one second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Demand {
    /// Requests per second reaching the region (static ones included).
    pub requests: f64,
    /// Writes per second made in every region together (for active-active replication).
    pub all_writes: f64,
    /// Whether other regions' writes are applied here (active-active).
    pub applies_remote: bool,
    /// App servers ready.
    pub ready: u32,
    /// App servers billed (ready and starting: each opens its pool at boot).
    pub servers: u32,
    /// Read replicas per shard now (one fewer on the failed shard after a failover).
    pub replicas: u32,
    /// The cache's hit ratio.
    pub hit_ratio: f64,
    /// Share of the third-party calls that hang this second.
    pub third_party_hang: f64,
}

/// One second of a region's stack.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Served {
    /// Static requests reaching the app servers (no CDN).
    pub app_static: f64,
    /// Dynamic requests.
    pub dynamic: f64,
    /// Reads among them.
    pub reads: f64,
    /// Writes among them.
    pub writes: f64,
    /// Database reads per second (cache misses), all shards.
    pub db_reads: f64,
    /// Session lookups reaching the database (stateless sessions without a cache).
    pub db_sessions: f64,
    /// Slow tasks per second.
    pub tasks: f64,
    /// The app servers' cores.
    pub app: StationSecond,
    /// The cache (idle without one).
    pub cache: StationSecond,
    /// The busiest shard's primary.
    pub primary: StationSecond,
    /// One of its replicas (idle without).
    pub replica: StationSecond,
    /// The workers (idle without a queue).
    pub workers: StationSecond,
    /// Requests in flight on the app servers' threads (Little's law).
    pub threads_busy: f64,
    /// Threads the ready servers have.
    pub threads: f64,
    /// Database queries in flight per app server, per shard (Little's law).
    pub pool_busy: f64,
    /// Connections the app servers ask of each database node (`pool × servers`).
    pub connections: f64,
    /// Share of requests turned away for want of a thread.
    pub thread_refused: f64,
    /// Share of database requests that get no connection (over the node's limit).
    pub connection_refused: f64,
    /// Share of database requests that find the pool full.
    pub pool_refused: f64,
    /// Whether there is a load balancer.
    pub has_lb: bool,
    /// Whether there is a cache.
    pub has_cache: bool,
    /// Read replicas per shard now.
    pub replicas: u32,
}

impl Served {
    /// The station that answers a read that misses the cache: a replica, or the primary.
    pub fn read_station(&self) -> &StationSecond {
        if self.replicas > 0 {
            &self.replica
        } else {
            &self.primary
        }
    }
}

/// Effective cores of one app server: the USL over its CPUs.
pub fn effective_cores(cpus: u32) -> f64 {
    usl_throughput(f64::from(cpus), USL_SIGMA, USL_KAPPA)
}

/// `time / count`, or `fallback` without any.
fn mean(time: f64, count: f64, fallback: f64) -> f64 {
    if count > 0.0 {
        time / count
    } else {
        fallback
    }
}

/// The share turned away by a loss system asked for `busy` of `capacity` slots.
fn refused(busy: f64, capacity: f64) -> f64 {
    if busy <= 0.0 {
        0.0
    } else if capacity <= 0.0 {
        1.0
    } else {
        (1.0 - capacity / busy).max(0.0)
    }
}

/// Serves one second of `demand` on `stations` under `config`.
pub fn serve(
    config: &Config,
    static_share: f64,
    read_ratio: f64,
    slow_share: f64,
    demand: &Demand,
    stations: &mut Stations,
) -> Served {
    let requests = demand.requests.max(0.0);
    let statics = requests * static_share;
    let dynamic = requests - statics;
    let reads = dynamic * read_ratio;
    let writes = dynamic - reads;
    let app_static = if config.cdn { 0.0 } else { statics };

    // App servers: every core of every ready server, slowed by the USL.
    let cpus = config.server_size.cpus();
    let per_core = effective_cores(cpus) / f64::from(cpus);
    let app_arrivals = dynamic + app_static;
    let app_s = mean(
        dynamic * APP_DYNAMIC_S + app_static * APP_STATIC_S,
        app_arrivals,
        APP_DYNAMIC_S,
    );
    let app = stations
        .app
        .serve(app_arrivals, demand.ready.saturating_mul(cpus), per_core / app_s);

    // Cache: lookups, invalidations and (stateless) session reads.
    let has_cache = config.cache_gb > 0.0;
    let stateless = config.sessions == Sessions::Stateless;
    let (cache, hit) = if has_cache {
        let nodes = libm::ceil(config.cache_gb / CACHE_NODE_GB).max(1.0) as u32;
        let ops = reads + writes + if stateless { dynamic } else { 0.0 };
        (stations.cache.serve(ops, nodes, CACHE_NODE_OPS), demand.hit_ratio)
    } else {
        stations.cache.clear();
        (StationSecond::idle(), 0.0)
    };

    // Databases: the busiest shard (each holds 1/shards of the users).
    let shards = f64::from(config.shards.max(1));
    let db_reads = reads * (1.0 - hit);
    let db_sessions = if stateless && !has_cache { dynamic } else { 0.0 };
    let (r, w, s) = (db_reads / shards, writes / shards, db_sessions / shards);
    let remote = if demand.applies_remote {
        (demand.all_writes - writes).max(0.0) / shards
    } else {
        0.0
    };
    let replicas = demand.replicas;
    let primary_reads = if replicas == 0 { r } else { 0.0 };
    let primary_count = w + s + remote + primary_reads;
    let primary_time =
        w * DB_WRITE_S + s * DB_SESSION_S + remote * DB_WRITE_S * APPLY_SHARE + primary_reads * DB_READ_S;
    let primary = stations.primary.serve(
        primary_count,
        DB_CORES,
        1.0 / mean(primary_time, primary_count, DB_WRITE_S),
    );
    let replica = if replicas > 0 {
        let per = r / f64::from(replicas);
        let apply = w + remote;
        let count = per + apply;
        let time = per * DB_READ_S + apply * DB_WRITE_S * APPLY_SHARE;
        stations
            .replica
            .serve(count, DB_CORES, 1.0 / mean(time, count, DB_READ_S))
    } else {
        stations.replica.clear();
        StationSecond::idle()
    };

    // Workers: slow tasks through the queue.
    let tasks = dynamic * slow_share;
    let workers = if config.queue {
        stations
            .workers
            .serve(tasks, config.workers.saturating_mul(WORKER_SLOTS), 1.0 / SLOW_TASK_S)
    } else {
        stations.workers.clear();
        StationSecond::idle()
    };

    // Threads: what each request holds a thread for (Little's law: busy = rate × hold). The
    // stations count at their M/M/c response, without the backlog: a request the backlog would
    // hold past the timeout fails there, and the soft resources would otherwise hide the
    // saturated station behind them.
    let held = |s: &StationSecond| s.queue.map_or(0.0, |q| q.mean_response_s());
    let app_hold = held(&app);
    let read_db = if replicas > 0 { &replica } else { &primary };
    let cache_s = if has_cache { CACHE_S } else { 0.0 };
    let session_hold = if db_sessions > 0.0 { held(&primary) } else { 0.0 };
    let dyn_hold = app_hold
        + cache_s
        + session_hold
        + read_ratio * (1.0 - hit) * held(read_db)
        + (1.0 - read_ratio) * held(&primary);
    let slow_hold = if config.queue { ENQUEUE_S } else { SLOW_TASK_S };
    let third_party_hold =
        (1.0 - demand.third_party_hang) * THIRD_PARTY_S + demand.third_party_hang * THIRD_PARTY_TIMEOUT_S;
    let threads_busy = app_static * app_hold
        + dynamic * dyn_hold
        + dynamic * slow_share * slow_hold
        + dynamic * THIRD_PARTY_SHARE * third_party_hold;
    let threads = f64::from(demand.ready) * f64::from(THREADS_PER_SERVER);

    // Connections: each server's pool to each database node, and the queries in flight on it.
    let db_requests = (db_reads + writes + db_sessions) / shards;
    let db_resp = mean(
        db_reads * held(read_db) + (writes + db_sessions) * held(&primary),
        db_reads + writes + db_sessions,
        0.0,
    );
    let pool_busy = if demand.ready > 0 {
        db_requests / f64::from(demand.ready) * db_resp
    } else {
        0.0
    };
    let connections = f64::from(config.pool) * f64::from(demand.servers);

    Served {
        app_static,
        dynamic,
        reads,
        writes,
        db_reads,
        db_sessions,
        tasks,
        app,
        cache,
        primary,
        replica,
        workers,
        threads_busy,
        threads,
        pool_busy,
        connections,
        thread_refused: refused(threads_busy, threads),
        connection_refused: refused(connections, f64::from(config.db_max_connections)),
        pool_refused: refused(pool_busy, f64::from(config.pool)),
        has_lb: demand.servers > 1 || config.app_servers > 1 || config.autoscale,
        has_cache,
        replicas,
    }
}
