//! What a request costs each component and how long the fixed steps take: the model's
//! assumptions in one place, each with its reason. Prices are in [`super::prices`], the network in
//! [`super::network`], the cache's data in [`super::hits`].

/// Requests per second per user online: one every 10 s (a page view with its calls, then
/// reading). TPC-W's emulated browsers think 7 s on average between pages; 10 s makes the seeds'
/// stage 3 (1,000,000 users) the seeds' capacity example, 100,000 requests/s.
pub const REQUESTS_PER_USER_S: f64 = 0.1;
/// Standard deviation of each second's traffic as a share of its rate (one normal draw per second
/// from the seed; users come and go).
pub const NOISE: f64 = 0.02;

/// CPU time of a dynamic request on an app server core, seconds (10 ms: a framework rendering a
/// page; a small server then serves ~380 a second).
pub const APP_DYNAMIC_S: f64 = 0.010;
/// CPU time of a static file served by an app server, seconds.
pub const APP_STATIC_S: f64 = 0.002;
/// Worker threads per app server (Tomcat's default `maxThreads`): requests in flight beyond the
/// servers' threads are turned away.
pub const THREADS_PER_SERVER: u32 = 200;
/// Contention between the cores of one server (the Universal Scalability Law's σ): a bigger
/// machine does less than its CPUs suggest (4 CPUs ≈ 3.8, 16 ≈ 12.1, 48 ≈ 22.2 CPUs' worth).
pub const USL_SIGMA: f64 = 0.02;
/// Coherency cost between the cores of one server (the USL's κ).
pub const USL_KAPPA: f64 = 0.0001;
/// A new app server (autoscaling) starts serving after this many seconds.
pub const STARTUP_S: u32 = 60;
/// The most app servers the autoscaler runs in one region (`app_servers` is its fewest).
pub const AUTOSCALE_MAX: u32 = 5_000;
/// The autoscaler's CPU target, percent (the seeds' trigger: CPU above 70%).
pub const CPU_TARGET: f64 = 70.0;

/// The load balancer's time per request, seconds.
pub const LB_S: f64 = 0.001;
/// What one load balancer (per region) can pass, requests per second (a managed balancer scales
/// itself; this is where the model stops it).
pub const LB_CAPACITY: f64 = 5_000_000.0;

/// A cache operation's time, seconds (a round trip to Redis in the same zone).
pub const CACHE_S: f64 = 0.0005;
/// GB of cache per cache node (the cache is a cluster: one node per 4 GB, rounded up).
pub const CACHE_NODE_GB: f64 = 4.0;
/// Operations per second one cache node serves (Redis on one core does ~100,000).
pub const CACHE_NODE_OPS: f64 = 100_000.0;

/// Cores of a database node (a primary or a replica, 16 CPU / 64 GB).
pub const DB_CORES: u32 = 16;
/// Database CPU time of a dynamic read that misses the cache, seconds (several queries).
pub const DB_READ_S: f64 = 0.003;
/// Database CPU time of a write, seconds: one transaction. 16 cores then take 10,000 writes a
/// second, the seeds' point at which one database no longer takes the writes.
pub const DB_WRITE_S: f64 = 0.0016;
/// Database time of a session lookup (stateless sessions without a cache), seconds.
pub const DB_SESSION_S: f64 = 0.0005;
/// A replica applies a write for this share of the primary's cost (row changes, no query).
pub const APPLY_SHARE: f64 = 0.5;
/// Replication lag within a region, ms (asynchronous streaming replication).
pub const LOCAL_LAG_MS: f64 = 10.0;

/// A slow task (an email), seconds: the seeds' 2,000 ms.
pub const SLOW_TASK_S: f64 = 2.0;
/// Putting the task on the queue, seconds: the seeds' 5 ms.
pub const ENQUEUE_S: f64 = 0.005;
/// Tasks one worker runs at a time (sending mail is waiting on the network).
pub const WORKER_SLOTS: u32 = 50;

/// Share of the dynamic requests that call the third-party API (payments, search, maps).
pub const THIRD_PARTY_SHARE: f64 = 0.2;
/// The third-party call's time when it works, seconds.
pub const THIRD_PARTY_S: f64 = 0.02;
/// When it hangs, a call waits this long and fails, seconds (the client's timeout).
pub const THIRD_PARTY_TIMEOUT_S: f64 = 10.0;
/// The circuit breaker opens after this many failures in a row (the seeds' example: 5).
pub const BREAKER_FAILURES: u32 = 5;
/// It stays open this long before a trial call, seconds (the seeds' example: 30 s).
pub const BREAKER_WAIT_S: u32 = 30;

/// A replica replaces a failed primary after this many seconds (detection and promotion).
pub const PRIMARY_FAILOVER_S: u64 = 30;
/// Active-active: a failed region's users reach another region after this many seconds (health
/// checks and DNS).
pub const ACTIVE_FAILOVER_S: u64 = 30;
/// Active-passive: the standby takes over after this many seconds (promotion, scaling, DNS: the
/// seeds' "manual or semi-automatic failover").
pub const PASSIVE_FAILOVER_S: u64 = 300;
