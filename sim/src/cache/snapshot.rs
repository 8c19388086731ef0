//! The plain data the UI renders for the cache lab. Everything is already computed; the UI only
//! draws and formats it. Times are simulated seconds, latencies milliseconds, rates per second.

use serde::Serialize;

use super::eviction::Eviction;
use super::protection::Protection;
use super::strategy::{Component, Strategy};

/// How many of the hottest cached keys are listed.
pub const HOTTEST_LISTED: usize = 20;
/// How many recent lab events (crash, flush, stampede...) are kept.
pub const EVENTS_KEPT: usize = 32;

/// Everything the cache page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time now, in seconds.
    pub now_s: f64,
    /// Simulated seconds the totals cover (since the start or the last stats reset).
    pub measured_s: f64,
    /// The strategy in use.
    pub strategy: Strategy,
    /// The eviction policy in use.
    pub eviction: Eviction,
    /// The stampede protection in use.
    pub protection: Protection,
    /// Cache capacity (entries).
    pub capacity: u64,
    /// Distinct keys.
    pub keys: u64,
    /// Entries cached now.
    pub cached: u64,
    /// Requests that arrived (reads + writes).
    pub requests: u64,
    /// Read requests.
    pub reads: u64,
    /// Write requests.
    pub writes: u64,
    /// Reads answered from the cache.
    pub hits: u64,
    /// Reads that needed the database (misses, expired entries, XFetch early recomputes).
    pub misses: u64,
    /// `hits / reads` over the measured period (0 before the first read).
    pub hit_ratio: f64,
    /// The hit ratio over the last second, if there were reads.
    pub recent_hit_ratio: Option<f64>,
    /// What theory predicts for this run: Che's approximation for LRU, the FIFO formula for FIFO
    /// and random, the top-`capacity` popularity mass for LFU. Only when the formula applies: a
    /// read-only stream (`read_ratio` 1) without TTL (`ttl_s` 0) and one of those policies.
    pub theory_hit_ratio: Option<f64>,
    /// The same formula for this policy, keys, skew and capacity, whatever the read ratio and TTL
    /// (what a read-only stream without expiry would reach); `None` for SIEVE and S3-FIFO.
    pub theory_hit_ratio_read_only: Option<f64>,
    /// Queries sent to the database for reads (misses, refreshes, early recomputes).
    pub db_reads: u64,
    /// Writes sent to the database.
    pub db_writes: u64,
    /// Database reads per second over the last second.
    pub db_reads_per_s: f64,
    /// Database writes per second over the last second.
    pub db_writes_per_s: f64,
    /// Median latency of finished requests (ms).
    pub latency_p50_ms: f64,
    /// 99th percentile latency (ms).
    pub latency_p99_ms: f64,
    /// Mean latency (ms).
    pub latency_mean_ms: f64,
    /// Largest latency (ms).
    pub latency_max_ms: f64,
    /// Reads that returned a value older than the newest one written: committed by the database
    /// or, with write-behind, acknowledged by the cache (and not lost in a crash since).
    pub stale_reads: u64,
    /// `stale_reads / reads` (0 before the first read).
    pub stale_read_ratio: f64,
    /// Acknowledged writes lost because the cache crashed with them still queued (write-behind).
    pub lost_writes: u64,
    /// Keys with a write queued for the database now (write-behind).
    pub write_queue: u64,
    /// Writes absorbed by write-behind's per-key coalescing over the measured period.
    pub coalesced_writes: u64,
    /// Most queries outstanding at the database at once (executing + waiting), over the measured
    /// period: the stampede's height.
    pub db_peak_concurrency: u64,
    /// Queries executing at the database now.
    pub db_in_flight: u64,
    /// Queries waiting for a database connection now.
    pub db_queued: u64,
    /// Entries evicted to make room.
    pub evictions: u64,
    /// Reads that found their entry expired.
    pub expirations: u64,
    /// XFetch early recomputes.
    pub early_refreshes: u64,
    /// Refresh-ahead background reloads.
    pub refreshes: u64,
    /// Misses that waited for another request's load instead of querying (lock protection).
    pub lock_waits: u64,
    /// Requests that failed because the database's wait queue was full.
    pub failed_requests: u64,
    /// The hottest key (key 0), the one `expire_hot_key` and `stampede` act on.
    pub hot_key: u32,
    /// Database reads of the hot key since it was last expired by hand (or the measured period).
    pub hot_key_db_reads: u64,
    /// Hit ratio over time: `(seconds, ratio over the last second)`.
    pub hit_ratio_series: Vec<(f64, f64)>,
    /// Database reads per second over time.
    pub db_reads_series: Vec<(f64, f64)>,
    /// Database writes per second over time.
    pub db_writes_series: Vec<(f64, f64)>,
    /// Most queries outstanding at the database in each chart interval, over time.
    pub db_concurrency_series: Vec<(f64, f64)>,
    /// Latency histogram in fixed bins (1-2-5 steps from 0.1 ms to 10 s).
    pub latency_histogram: Vec<LatencyBin>,
    /// The cached keys with the most hits, most first (at most [`HOTTEST_LISTED`]).
    pub hottest: Vec<CachedKey>,
    /// Counters for the client → cache → database flow diagram.
    pub flow: Flow,
    /// The latest lab events, oldest first (at most [`EVENTS_KEPT`]).
    pub events: Vec<LabEvent>,
}

/// One bar of the latency histogram: requests with `lower_ms <= latency < upper_ms`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatencyBin {
    /// Lower bound (ms, inclusive).
    pub lower_ms: f64,
    /// Upper bound (ms, exclusive); `None` for the last, open-ended bin.
    pub upper_ms: Option<f64>,
    /// Requests in the bin.
    pub count: u64,
}

/// One cached entry as the UI lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CachedKey {
    /// The key (its popularity rank: 0 is the hottest).
    pub key: u32,
    /// Hits served by this entry since it was stored.
    pub hits: u64,
    /// Version held by the cache.
    pub version: u32,
    /// Whether a newer version exists (the entry is stale).
    pub stale: bool,
    /// Whether a write of this key is queued for the database (write-behind).
    pub dirty: bool,
    /// Seconds until it expires (0 if already expired); `None` without TTL.
    pub expires_in_s: Option<f64>,
}

/// The numbers on the flow diagram.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    /// Who queries the database on a read miss.
    pub reads_loaded_by: Component,
    /// Who sends writes to the database.
    pub writes_sent_by: Component,
    /// Client requests per second (last second).
    pub requests_per_s: f64,
    /// Hits per second.
    pub hits_per_s: f64,
    /// Misses per second.
    pub misses_per_s: f64,
    /// Database reads per second.
    pub db_reads_per_s: f64,
    /// Database writes per second.
    pub db_writes_per_s: f64,
    /// Client requests waiting now (for a load or for a database write).
    pub requests_in_flight: u64,
    /// Loads (database reads meant for the cache) in flight now.
    pub loads_in_flight: u64,
    /// Requests waiting on a load now.
    pub waiting_on_loads: u64,
    /// Queries executing at the database now.
    pub db_in_flight: u64,
    /// Queries waiting for a database connection now.
    pub db_queued: u64,
    /// Keys with a write queued (write-behind) now.
    pub write_queue: u64,
}

impl Default for Flow {
    fn default() -> Self {
        Self {
            reads_loaded_by: Component::App,
            writes_sent_by: Component::App,
            requests_per_s: 0.0,
            hits_per_s: 0.0,
            misses_per_s: 0.0,
            db_reads_per_s: 0.0,
            db_writes_per_s: 0.0,
            requests_in_flight: 0,
            loads_in_flight: 0,
            waiting_on_loads: 0,
            db_in_flight: 0,
            db_queued: 0,
            write_queue: 0,
        }
    }
}

/// Something that happened to the lab (for markers on the charts and notices).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabEvent {
    /// When (simulated seconds).
    pub at_s: f64,
    /// What.
    pub kind: LabEventKind,
}

/// The kinds of [`LabEvent`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LabEventKind {
    /// The cache crashed: contents gone, `lost_writes` queued writes lost.
    Crash {
        /// Queued writes lost.
        lost_writes: u64,
    },
    /// The cache was emptied on purpose; `written` queued writes were sent to the database first.
    Flush {
        /// Queued writes sent to the database.
        written: u64,
    },
    /// The hot key was made to expire now (`cached`: whether it was in the cache).
    HotKeyExpired {
        /// The key.
        key: u32,
        /// Whether it was cached.
        cached: bool,
    },
    /// `requests` simultaneous reads of the hot key were injected right after it expired.
    Stampede {
        /// The key.
        key: u32,
        /// Reads injected.
        requests: u32,
    },
    /// Capacity or eviction changed: the cache restarted empty.
    CacheRebuilt,
}
