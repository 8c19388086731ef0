//! The write path, per strategy.
//!
//! - **Cache-aside, read-through, refresh-ahead**: the write goes to the database; when it commits
//!   the key gets its next version and the cache entry is deleted one cache round trip later (reads
//!   in between see the old value: stale). The client is answered after the delete.
//! - **Write-through**: the write goes to the database; when it commits the new version is stored
//!   in the cache at once (inserted if absent). The client is answered after both.
//! - **Write-behind**: the cache stores the new version and answers after one round trip. The
//!   write is queued, coalesced per key, and the queue is flushed to the database at every multiple
//!   of `flush_ms` while it is not empty. A crash loses the queue.

use super::database::{AfterWrite, Query};
use super::model::{CacheLab, Event};
use super::strategy::Strategy;
use crate::engine::time::from_millis;
use crate::engine::SimTime;

impl CacheLab {
    /// A client writes `key` now.
    pub(super) fn write(&mut self, key: u32) {
        let now = self.now;
        self.stats.tally.requests += 1;
        self.stats.tally.writes += 1;
        self.stats.recent.requests.inc(now);
        if self.is(Strategy::WriteBehind) {
            let version = self.db.versions.next_version(key);
            self.fill(key, version, None);
            self.write_queue.enqueue(key, version);
            self.schedule_flush();
            self.stats.tally.writes_acked += 1;
            let rtt = self.cache_rtt();
            self.stats.record_latency(rtt);
            return;
        }
        let after = if self.is(Strategy::WriteThrough) {
            AfterWrite::UpdateCache
        } else {
            AfterWrite::Invalidate
        };
        let query = Query::Write {
            version: None,
            after,
            client_arrived: Some(now),
        };
        if self.submit(key, query) {
            self.count_db_write();
            self.writes_in_flight += 1;
        } else {
            self.stats.tally.failed += 1;
        }
    }

    fn count_db_write(&mut self) {
        self.stats.tally.db_writes += 1;
        self.stats.recent.db_writes.inc(self.now);
    }

    /// A database write of `key` committed.
    pub(super) fn commit_write(
        &mut self,
        key: u32,
        version: Option<u32>,
        after: AfterWrite,
        client_arrived: Option<SimTime>,
    ) {
        let version = version.unwrap_or_else(|| self.db.versions.next_version(key));
        self.db.versions.commit(key, version);
        let rtt = self.cache_rtt();
        match after {
            AfterWrite::Invalidate => self.queue.push(self.now.saturating_add(rtt), Event::Invalidate(key)),
            AfterWrite::UpdateCache => self.fill(key, version, None),
            AfterWrite::Nothing => {}
        }
        if let Some(arrived) = client_arrived {
            self.stats.tally.writes_acked += 1;
            self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
            self.stats
                .record_latency(self.now.saturating_sub(arrived).saturating_add(rtt));
        }
    }

    /// Schedules a write-behind flush at the next multiple of `flush_ms`, unless one is pending.
    fn schedule_flush(&mut self) {
        if self.flush_pending {
            return;
        }
        let every = from_millis(self.config.flush_ms).max(1);
        let at = (self.now / every).saturating_add(1).saturating_mul(every);
        self.queue.push(at, Event::FlushWrites);
        self.flush_pending = true;
    }

    /// Sends every queued write to the database; returns how many were sent. Writes the database
    /// refuses (its wait queue is full) stay queued for the next flush.
    pub(super) fn flush_writes(&mut self) -> u64 {
        let mut sent = 0;
        for (key, version) in self.write_queue.drain() {
            let query = Query::Write {
                version: Some(version),
                after: AfterWrite::Nothing,
                client_arrived: None,
            };
            if self.submit(key, query) {
                self.count_db_write();
                sent += 1;
            } else {
                self.write_queue.enqueue(key, version);
            }
        }
        if self.write_queue.len() > 0 {
            self.schedule_flush();
        }
        sent
    }
}
