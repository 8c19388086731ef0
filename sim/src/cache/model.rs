//! The cache lab model: a request stream through a cache in front of a database, on the
//! simulation clock.
//!
//! Requests arrive from the [`RequestStream`] (kept outside the event queue: it is the next
//! arrival, compared with the earliest queued event; at equal times queued events run first).
//! A hit is answered on arrival, its latency one cache round trip. A miss starts a database read
//! (a *load*) and the request waits for it; the load fills the cache when it completes. The cache
//! round trip is added to every latency rather than simulated as a separate hop. Writes follow the
//! strategy (see [`Strategy`]). `reads.rs` and `writes.rs` hold the two request paths, `view.rs`
//! builds the snapshot.
//!
//! Expiry is lazy: an entry past its TTL stays in the cache (and counts towards capacity) until a
//! read finds it expired or the policy evicts it.
//!
//! Cost: O(1) per request and event, plus O(log n) for the Zipf draw, the event queue and LFU.
//! Memory: about 30 bytes per key (popularity table, key→slot map, versions, load map, write
//! queue; plus 4 with LFU, 8 with S3-FIFO), about 60 bytes per cache entry, and bounded charts.

use std::collections::VecDeque;

use super::config::Config;
use super::database::{Database, Query, Submitted};
use super::eviction::Eviction;
use super::loads::Loads;
use super::snapshot::{LabEvent, LabEventKind, EVENTS_KEPT};
use super::stats::{Stats, SAMPLE_INTERVAL};
use super::store::{CacheStore, Entry};
use super::strategy::Strategy;
use super::stream::{Op, Request, RequestStream};
use super::theory;
use super::write_queue::WriteQueue;
use crate::engine::time::{from_millis, from_secs, to_secs};
use crate::engine::{EventQueue, SimRng, SimTime};
use crate::params::Params;
use crate::ConfigError;

/// Sub-stream numbers forked from the seed: each source of randomness has its own, so changing a
/// policy never changes the requests.
const STREAM_REQUESTS: u64 = 1;
const STREAM_DATABASE: u64 = 2;
const STREAM_EVICTION: u64 = 3;
const STREAM_XFETCH: u64 = 4;

/// The hottest key: the one `expire_hot_key` and `stampede` act on.
pub const HOT_KEY: u32 = 0;
/// Most reads one [`CacheLab::stampede`] call injects.
pub const MAX_STAMPEDE: u32 = 100_000;

/// A scheduled happening (arrivals are not queued; see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A database query finished.
    DbDone(u32),
    /// Cache-aside's delete of a key after its write committed.
    Invalidate(u32),
    /// Write-behind's periodic flush.
    FlushWrites,
    /// Time to add a point to the charts.
    Sample,
}

/// Sizes of the lab's growable structures, to check that memory stays bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// Keys (every per-key array has this length).
    pub keys: u64,
    /// Cache capacity.
    pub capacity: u64,
    /// Entries cached now (at most the capacity).
    pub cached: u64,
    /// Events queued (database completions, invalidations, timers).
    pub pending_events: u64,
    /// Slots allocated for database queries (grows to the most outstanding at once).
    pub db_op_slots: u64,
    /// Slots allocated for loads and their waiters (grows to the most in flight at once).
    pub load_slots: u64,
    /// Points in the largest chart series.
    pub series_points: u64,
    /// Buckets allocated by the latency histogram.
    pub histogram_buckets: u64,
    /// Lab events kept.
    pub events_kept: u64,
}

/// The cache strategies lab. See the module docs.
#[derive(Clone, Debug)]
pub struct CacheLab {
    pub(super) config: Config,
    pub(super) now: SimTime,
    pub(super) queue: EventQueue<Event>,
    pub(super) stream: RequestStream,
    pub(super) store: CacheStore,
    pub(super) db: Database,
    pub(super) loads: Loads,
    pub(super) write_queue: WriteQueue,
    pub(super) xfetch_rng: SimRng,
    eviction_rng: SimRng,
    pub(super) stats: Stats,
    pub(super) events: VecDeque<LabEvent>,
    /// Whether a write-behind flush is scheduled.
    pub(super) flush_pending: bool,
    /// Client writes waiting for the database now.
    pub(super) writes_in_flight: u64,
    pub(super) theory_read_only: Option<f64>,
    fingerprint: u64,
}

impl CacheLab {
    /// Requests [`CacheLab::run_requests`] can handle per animation frame comfortably.
    pub const REQUESTS_PER_FRAME: u64 = 20_000;

    /// A lab for `config` (validated), at time 0 with an empty cache.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Self::build(config)
    }

    fn build(config: Config) -> Result<Self, ConfigError> {
        let keys = config.keys as usize;
        let mut root = SimRng::new(config.seed);
        let stream_rng = root.fork(STREAM_REQUESTS);
        let db_rng = root.fork(STREAM_DATABASE);
        let mut eviction_rng = root.fork(STREAM_EVICTION);
        let xfetch_rng = root.fork(STREAM_XFETCH);
        let stream = RequestStream::new(keys, config.alpha, config.rate, config.read_ratio, stream_rng)?;
        let store = CacheStore::new(config.eviction, config.capacity as usize, keys, eviction_rng.fork(0));
        let db = Database::new(keys, config.db_latency_ms, config.db_concurrency, db_rng)?;
        let mut queue = EventQueue::new();
        queue.push(SAMPLE_INTERVAL, Event::Sample);
        let theory_read_only = theory_for(&config, &stream);
        Ok(Self {
            config,
            now: 0,
            queue,
            stream,
            store,
            db,
            loads: Loads::new(keys),
            write_queue: WriteQueue::new(keys),
            xfetch_rng,
            eviction_rng,
            stats: Stats::new()?,
            events: VecDeque::new(),
            flush_pending: false,
            writes_in_flight: 0,
            theory_read_only,
            fingerprint: FNV_OFFSET,
        })
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Simulated time now (µs).
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Applies a new configuration, live where possible. On error nothing changes.
    ///
    /// - `seed` or `keys` changed: the run restarts from time 0.
    /// - `capacity` or `eviction` changed: the cache restarts empty (the database, the write
    ///   queue and the counters carry on).
    /// - `alpha`: the stream's popularity changes from the next request (O(keys) to rebuild).
    /// - Everything else applies from the next request, query or flush.
    pub fn set_config(&mut self, config: Config) -> Result<(), ConfigError> {
        config.validate()?;
        if config.seed != self.config.seed || config.keys != self.config.keys {
            *self = Self::build(config)?;
            return Ok(());
        }
        let mut stream = self.stream.clone();
        if config.alpha != self.config.alpha {
            stream.set_alpha(config.alpha)?;
        }
        stream.set_rate(config.rate)?;
        stream.set_read_ratio(config.read_ratio)?;
        let mut db = self.db.clone();
        db.set_latency(config.db_latency_ms)?;
        let started = db.set_concurrency(config.db_concurrency, self.now);
        for (op, done_at) in started {
            self.queue.push(done_at, Event::DbDone(op));
        }
        let cache_changed = config.capacity != self.config.capacity || config.eviction != self.config.eviction;
        let theory_changed = cache_changed || config.alpha != self.config.alpha;
        self.stream = stream;
        self.db = db;
        if cache_changed {
            self.store = CacheStore::new(
                config.eviction,
                config.capacity as usize,
                config.keys as usize,
                self.eviction_rng.fork(0),
            );
            self.log(LabEventKind::CacheRebuilt);
        }
        self.config = config;
        if theory_changed {
            self.theory_read_only = theory_for(&self.config, &self.stream);
        }
        Ok(())
    }

    /// Sets one parameter from its raw string (URL or text field), validated; on error nothing
    /// changes.
    pub fn set_param(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let mut config = self.config.clone();
        config.set_str(key, raw)?;
        self.set_config(config)
    }

    /// Runs every arrival and event up to and including simulated time `until` (µs), then sets the
    /// clock to `until` (never backwards).
    pub fn step_until(&mut self, until: SimTime) {
        self.advance(until, u64::MAX);
        self.now = self.now.max(until);
    }

    /// Runs the next `count` requests (and every event before each) as fast as possible, and
    /// returns how many arrived. The clock stops at the last request handled. For long runs call it
    /// in slices of [`CacheLab::REQUESTS_PER_FRAME`] and show [`CacheLab::requests_issued`].
    pub fn run_requests(&mut self, count: u64) -> u64 {
        self.advance(SimTime::MAX, count)
    }

    /// Requests taken from the stream since the start (injected ones not included).
    pub fn requests_issued(&self) -> u64 {
        self.stream.issued()
    }

    fn advance(&mut self, until: SimTime, max_requests: u64) -> u64 {
        let mut taken = 0u64;
        loop {
            let event_at = self.queue.peek_time();
            let arrival_at = self.stream.peek().map(|r| r.at);
            let run_event = match (event_at, arrival_at) {
                (Some(e), Some(a)) => e <= a,
                (Some(_), None) => max_requests == u64::MAX,
                (None, _) => false,
            };
            if run_event {
                match self.queue.peek_time() {
                    Some(at) if at <= until => {}
                    _ => break,
                }
                let Some((at, event)) = self.queue.pop() else {
                    break;
                };
                self.now = self.now.max(at);
                self.handle(event);
            } else {
                match arrival_at {
                    Some(at) if at <= until && taken < max_requests => {}
                    _ => break,
                }
                let Some(request) = self.stream.take() else {
                    break;
                };
                self.now = self.now.max(request.at);
                taken += 1;
                self.request(request);
            }
        }
        taken
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::DbDone(op) => self.db_done(op),
            Event::Invalidate(key) => {
                self.store.remove(key);
            }
            Event::FlushWrites => {
                self.flush_pending = false;
                self.flush_writes();
            }
            Event::Sample => self.sample(),
        }
    }

    fn request(&mut self, request: Request) {
        self.fingerprint = fnv(
            fnv(self.fingerprint, request.at),
            u64::from(request.key) << 1 | u64::from(request.op == Op::Write),
        );
        match request.op {
            Op::Read => self.read(request.key),
            Op::Write => self.write(request.key),
        }
    }

    /// A fingerprint of every request taken from the stream so far (time, key, read or write):
    /// equal fingerprints mean the same request sequence.
    pub fn stream_fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn db_done(&mut self, op: u32) {
        let (done, next) = self.db.finish(op, self.now);
        if let Some((next_op, done_at)) = next {
            self.queue.push(done_at, Event::DbDone(next_op));
        }
        let Some(done) = done else {
            return;
        };
        match done.query {
            Query::Read { load } => self.finish_load(load, done.key, done.read_version),
            Query::Write {
                version,
                after,
                client_arrived,
            } => self.commit_write(done.key, version, after, client_arrived),
        }
    }

    /// Sends a query; schedules its completion if it started. Returns false if rejected.
    pub(super) fn submit(&mut self, key: u32, query: Query) -> bool {
        match self.db.submit(key, query, self.now) {
            Submitted::Started { op, done_at } => {
                self.queue.push(done_at, Event::DbDone(op));
                true
            }
            Submitted::Queued => true,
            Submitted::Rejected => false,
        }
    }

    fn sample(&mut self) {
        let now = self.now;
        let t = to_secs(now);
        let recent = &self.stats.recent;
        if let Some(ratio) = recent.hit_ratio(now) {
            self.stats.charts.hit_ratio.push(t, ratio);
        }
        let reads = recent.db_reads.per_sec(now);
        let writes = recent.db_writes.per_sec(now);
        self.stats.charts.db_reads_per_s.push(t, reads);
        self.stats.charts.db_writes_per_s.push(t, writes);
        let peak = self.db.take_interval_peak();
        self.stats.charts.db_concurrency.push(t, peak as f64);
        self.queue.push(now.saturating_add(SAMPLE_INTERVAL), Event::Sample);
    }

    pub(super) fn log(&mut self, kind: LabEventKind) {
        if self.events.len() >= EVENTS_KEPT {
            self.events.pop_front();
        }
        self.events.push_back(LabEvent {
            at_s: to_secs(self.now),
            kind,
        });
    }

    /// The TTL as a duration (`None`: never expires).
    pub(super) fn ttl(&self) -> Option<SimTime> {
        (self.config.ttl_s > 0.0).then(|| from_secs(self.config.ttl_s).max(1))
    }

    /// One cache round trip (µs).
    pub(super) fn cache_rtt(&self) -> SimTime {
        from_millis(self.config.cache_latency_ms)
    }

    /// The cache crashes and restarts empty at once. Everything cached is gone; with write-behind
    /// every write still queued is lost (counted in `lost_writes`), and the database's version
    /// becomes the newest again for those keys (later reads of them are not stale: the lost
    /// versions no longer exist anywhere). Loads in flight still complete and fill the new, empty
    /// cache. Returns the writes lost.
    pub fn crash_cache(&mut self) -> u64 {
        self.store.clear();
        let lost_writes = self.write_queue.lose_all();
        for &(key, _) in &lost_writes {
            self.db.versions.roll_back(key);
        }
        let lost = lost_writes.len() as u64;
        self.stats.tally.lost_writes += lost;
        self.log(LabEventKind::Crash { lost_writes: lost });
        lost
    }

    /// Empties the cache on purpose (a flush or a graceful restart): write-behind's queued writes
    /// are sent to the database first, so nothing is lost. Returns the writes sent.
    pub fn flush_cache(&mut self) -> u64 {
        let written = self.flush_writes();
        self.store.clear();
        self.log(LabEventKind::Flush { written });
        written
    }

    /// Makes the hot key ([`HOT_KEY`]) expire now, so the next reads of it miss (with or without a
    /// TTL). Restarts the `hot_key_db_reads` count. Returns whether it was cached. `lock` limits
    /// the stampede this causes to one load; XFetch cannot help here (it acts *before* an expiry,
    /// so it shows its effect on natural TTL expiries under load).
    pub fn expire_hot_key(&mut self) -> bool {
        let cached = self.store.set_expiry(HOT_KEY, self.now);
        self.stats.tally.hot_key_db_reads = 0;
        self.log(LabEventKind::HotKeyExpired { key: HOT_KEY, cached });
        cached
    }

    /// A stampede: the hot key expires and `requests` reads of it (at most [`MAX_STAMPEDE`])
    /// arrive at this very instant. Without protection each misses and queries the database; with
    /// `lock` one query serves them all.
    pub fn stampede(&mut self, requests: u32) {
        let requests = requests.min(MAX_STAMPEDE);
        self.expire_hot_key();
        self.log(LabEventKind::Stampede { key: HOT_KEY, requests });
        for _ in 0..requests {
            self.read(HOT_KEY);
        }
    }

    /// A client reads `key` now (outside the stream). Errors for a key outside `0..keys`.
    pub fn inject_read(&mut self, key: u32) -> Result<(), ConfigError> {
        self.check_key(key)?;
        self.read(key);
        Ok(())
    }

    /// A client writes `key` now (outside the stream). Errors for a key outside `0..keys`.
    pub fn inject_write(&mut self, key: u32) -> Result<(), ConfigError> {
        self.check_key(key)?;
        self.write(key);
        Ok(())
    }

    fn check_key(&self, key: u32) -> Result<(), ConfigError> {
        if key >= self.config.keys {
            return Err(ConfigError::new("key", format!("must be below {}", self.config.keys)));
        }
        Ok(())
    }

    /// Restarts the totals, the latency histogram and the database's peak concurrency from now
    /// (the cache, the charts and the recent rates carry on). Use it to measure a steady state
    /// after a warm-up.
    pub fn reset_stats(&mut self) {
        self.stats
            .reset(self.now, self.store.evictions(), self.write_queue.coalesced());
        self.db.reset_peak();
    }

    /// The version of `key` the database holds (`None` outside `0..keys`).
    pub fn db_version(&self, key: u32) -> Option<u32> {
        (key < self.config.keys).then(|| self.db.versions.committed(key))
    }

    /// The newest version of `key` written (committed, or acknowledged by write-behind).
    pub fn latest_version(&self, key: u32) -> Option<u32> {
        (key < self.config.keys).then(|| self.db.versions.latest(key))
    }

    /// `key`'s cache entry, if cached (possibly expired).
    pub fn cached(&self, key: u32) -> Option<Entry> {
        self.store.get(key).copied()
    }

    /// The theoretical hit ratio of this policy for a read-only stream without TTL, if the policy
    /// has a formula (see [`theory`]).
    pub fn theory_hit_ratio_read_only(&self) -> Option<f64> {
        self.theory_read_only
    }

    /// Sizes of the growable structures (for memory checks).
    pub fn footprint(&self) -> Footprint {
        let charts = &self.stats.charts;
        let series = [
            charts.hit_ratio.len(),
            charts.db_reads_per_s.len(),
            charts.db_writes_per_s.len(),
            charts.db_concurrency.len(),
        ];
        Footprint {
            keys: u64::from(self.config.keys),
            capacity: u64::from(self.config.capacity),
            cached: self.store.len() as u64,
            pending_events: self.queue.len() as u64,
            db_op_slots: self.db.allocated_ops() as u64,
            load_slots: self.loads.allocated() as u64,
            series_points: series.into_iter().max().unwrap_or(0) as u64,
            histogram_buckets: self.stats.latency_ms.allocated_buckets() as u64,
            events_kept: self.events.len() as u64,
        }
    }

    /// Whether the strategy in force is `strategy`.
    pub(super) fn is(&self, strategy: Strategy) -> bool {
        self.config.strategy == strategy
    }
}

/// The read-only, no-TTL theory for `config`'s policy (`None` for SIEVE and S3-FIFO).
fn theory_for(config: &Config, stream: &RequestStream) -> Option<f64> {
    if !config.eviction.has_theory() {
        return None;
    }
    let zipf = stream.popularity();
    let capacity = config.capacity as usize;
    if config.eviction == Eviction::Lfu {
        return Some(zipf.top_mass(capacity));
    }
    let popularity: Vec<f64> = (0..zipf.n()).map(|k| zipf.pmf(k)).collect();
    theory::hit_ratio(config.eviction, &popularity, capacity)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One FNV-1a step over a 64-bit word.
fn fnv(hash: u64, word: u64) -> u64 {
    (hash ^ word).wrapping_mul(FNV_PRIME)
}
