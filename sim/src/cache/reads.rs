//! The read path: hits, misses, loads, stampede protection and refresh-ahead.
//!
//! A read first tells the eviction policy it happened (LFU counts it), then looks the key up:
//!
//! 1. **Expired** entry: removed, and the read continues as a miss.
//! 2. **XFetch** (protection `xfetch`, entry with a TTL): with probability
//!    `exp(-time_to_expiry / (delta * beta))` the read recomputes early: it queries the database
//!    and waits, while other reads keep hitting the still-valid entry. Counted as a miss.
//! 3. **Hit**: answered after one cache round trip. Stale if a newer version exists. With
//!    refresh-ahead, a hit in the last `refresh_window` of the TTL also starts a background
//!    reload (one per key at a time) while the old value is served.
//! 4. Not cached but **queued by write-behind**: the cache layer answers from its queue (a hit)
//!    and caches the value again.
//! 5. **Miss**: with `lock`, a miss on a key already being loaded waits for that load; otherwise
//!    it starts its own load. When the load completes every waiter is answered with the version
//!    the database returned, and the cache is filled (unless it already holds a newer version).

use super::database::Query;
use super::loads::LoadKind;
use super::model::{CacheLab, HOT_KEY};
use super::protection::Protection;
use super::store::{Entry, NEVER};
use super::strategy::Strategy;
use super::xfetch;
use crate::engine::time::from_millis;
use crate::engine::SimTime;

impl CacheLab {
    /// A client reads `key` now.
    pub(super) fn read(&mut self, key: u32) {
        let now = self.now;
        self.stats.tally.requests += 1;
        self.stats.tally.reads += 1;
        self.stats.recent.requests.inc(now);
        self.store.record_request(key);
        if let Some(entry) = self.store.get(key).copied() {
            if now >= entry.expires_at {
                self.store.remove(key);
                self.stats.tally.expirations += 1;
            } else if self.recomputes_early(&entry) {
                self.stats.tally.early_refreshes += 1;
                self.miss(key, LoadKind::Early);
                return;
            } else {
                self.hit(key, entry.version);
                self.refresh_ahead(&entry);
                return;
            }
        }
        if let Some(version) = self.write_queue.queued_version(key) {
            self.hit(key, version);
            self.fill(key, version, None);
            return;
        }
        self.miss(key, LoadKind::Miss);
    }

    fn hit(&mut self, key: u32, version: u32) {
        let now = self.now;
        self.store.touch(key);
        self.stats.tally.hits += 1;
        self.stats.recent.hits.inc(now);
        if version < self.db.versions.latest(key) {
            self.stats.tally.stale_reads += 1;
        }
        let rtt = self.cache_rtt();
        self.stats.record_latency(rtt);
    }

    fn miss(&mut self, key: u32, kind: LoadKind) {
        let now = self.now;
        self.stats.tally.misses += 1;
        self.stats.recent.misses.inc(now);
        if kind == LoadKind::Miss && self.config.protection == Protection::Lock {
            if let Some(load) = self.loads.in_flight_for(key) {
                self.loads.add_waiter(load, now);
                self.stats.tally.lock_waits += 1;
                return;
            }
        }
        let load = self.loads.start(key, kind, now);
        self.loads.add_waiter(load, now);
        if self.submit(key, Query::Read { load }) {
            self.count_db_read(key);
        } else {
            let failed = &mut self.stats.tally.failed;
            self.loads.finish(load, |_| *failed += 1);
        }
    }

    fn count_db_read(&mut self, key: u32) {
        self.stats.tally.db_reads += 1;
        self.stats.recent.db_reads.inc(self.now);
        if key == HOT_KEY {
            self.stats.tally.hot_key_db_reads += 1;
        }
    }

    /// XFetch's coin, drawn only for entries with a TTL under `xfetch` protection.
    fn recomputes_early(&mut self, entry: &Entry) -> bool {
        if self.config.protection != Protection::Xfetch || entry.expires_at == NEVER {
            return false;
        }
        let u = 1.0 - self.xfetch_rng.next_f64();
        xfetch::should_recompute(
            self.now,
            entry.expires_at,
            entry.recompute_us as f64,
            self.config.beta,
            u,
        )
    }

    /// Refresh-ahead: reload in the background when a hit falls in the window before expiry.
    fn refresh_ahead(&mut self, entry: &Entry) {
        if !self.is(Strategy::RefreshAhead) || entry.expires_at == NEVER {
            return;
        }
        let Some(ttl) = self.ttl() else {
            return;
        };
        let window = (ttl as f64 * self.config.refresh_window) as SimTime;
        if entry.expires_at.saturating_sub(self.now) > window || self.loads.in_flight_for(entry.key).is_some() {
            return;
        }
        let load = self.loads.start(entry.key, LoadKind::Refresh, self.now);
        if self.submit(entry.key, Query::Read { load }) {
            self.stats.tally.refreshes += 1;
            self.count_db_read(entry.key);
        } else {
            self.loads.finish(load, |_| {});
        }
    }

    /// A load's database read returned `version` of `key`: answer its waiters, fill the cache.
    pub(super) fn finish_load(&mut self, load: u32, key: u32, version: u32) {
        let now = self.now;
        let latest = self.db.versions.latest(key);
        let rtt = self.cache_rtt();
        let stats = &mut self.stats;
        let finished = self.loads.finish(load, |arrived| {
            stats.record_latency(now.saturating_sub(arrived).saturating_add(rtt));
            if version < latest {
                stats.tally.stale_reads += 1;
            }
        });
        if let Some(finished) = finished {
            self.fill(key, version, Some(now.saturating_sub(finished.started_at)));
        }
    }

    /// Stores `version` of `key` with a fresh TTL, unless the cache or write-behind's queue already
    /// holds a newer version. `recompute_us` is how long producing it took (XFetch's delta); when
    /// unknown the entry keeps its previous delta, or the mean database latency.
    pub(super) fn fill(&mut self, key: u32, version: u32, recompute_us: Option<SimTime>) {
        let existing = self.store.get(key).copied();
        if existing.is_some_and(|e| e.version > version)
            || self.write_queue.queued_version(key).is_some_and(|q| q > version)
        {
            return;
        }
        let recompute_us = recompute_us
            .or(existing.map(|e| e.recompute_us))
            .unwrap_or_else(|| from_millis(self.config.db_latency_ms));
        let expires_at = match self.ttl() {
            Some(ttl) => self.now.saturating_add(ttl),
            None => NEVER,
        };
        self.store.put(Entry {
            key,
            version,
            expires_at,
            recompute_us,
            hits: 0,
        });
    }
}
