//! A migration under way: the keys a change moves, copied at `migration_mb_s` over simulated time
//! while the shards keep serving.
//!
//! Each moving key is 1 KB ([`KEY_BYTES`]); the copy takes `moved × 1 KB / bandwidth` (a change of
//! bandwidth applies from then on). Keys are copied in a fixed pseudo-random order (by hash, see
//! `keyspace.rs`), so at progress `p` a moving key has been copied when its place in that order is
//! below `p`; until then every operation on it still goes to its old shard ("in flight"). Keys
//! inserted after the change go straight to their new shard. The copy itself is work: batches of
//! [`COPY_OP_BYTES`] read on the old shard and written on the new one, which take that share of
//! each shard's capacity.

use super::keyspace::{copy_order, Key};
use super::layout::{Layout, Slot};
use crate::engine::SimTime;

/// Size of one key (row), in bytes: 1 KB, so 1 MB holds 1,000 keys.
pub const KEY_BYTES: f64 = 1_000.0;
/// Bytes one copy operation moves (a batch of 256 rows): each is a read on the old shard and a
/// write on the new one.
pub const COPY_OP_BYTES: f64 = 256_000.0;

/// A migration. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Migration {
    /// The layout keys move from.
    pub(super) old: Layout,
    /// Ids at the change: later (inserted) ids are placed by the new layout.
    pub(super) ids_at_start: u64,
    /// When it started (µs).
    pub(super) started: SimTime,
    /// Bytes to copy.
    pub(super) total_bytes: f64,
    /// Bytes copied by `updated`.
    copied: f64,
    updated: SimTime,
    /// Keys that move, and per slot the keys leaving and arriving.
    pub(super) moved_keys: u64,
    pub(super) out: Vec<u64>,
    pub(super) into: Vec<u64>,
    /// The shard that leaves when the copy is done.
    pub(super) leaving: Option<Slot>,
}

impl Migration {
    /// A migration of `moved_keys` keys from `old`, starting at `now`.
    pub(super) fn new(
        old: Layout,
        ids_at_start: u64,
        now: SimTime,
        moved_keys: u64,
        out: Vec<u64>,
        into: Vec<u64>,
        leaving: Option<Slot>,
    ) -> Self {
        Self {
            old,
            ids_at_start,
            started: now,
            total_bytes: moved_keys as f64 * KEY_BYTES,
            copied: 0.0,
            updated: now,
            moved_keys,
            out,
            into,
            leaving,
        }
    }

    /// Bytes copied by `now` at `mb_s` MB/s (1 MB/s is one byte per µs).
    fn copied_by(&self, now: SimTime, mb_s: f64) -> f64 {
        (self.copied + mb_s * now.saturating_sub(self.updated) as f64).min(self.total_bytes)
    }

    /// The share copied by `now`, 0..=1.
    pub(super) fn progress(&self, now: SimTime, mb_s: f64) -> f64 {
        if self.total_bytes <= 0.0 {
            1.0
        } else {
            (self.copied_by(now, mb_s) / self.total_bytes).clamp(0.0, 1.0)
        }
    }

    /// The bandwidth changes at `now` from `old_mb_s`: what was copied so far is kept.
    pub(super) fn rate_changed(&mut self, now: SimTime, old_mb_s: f64) {
        self.copied = self.copied_by(now, old_mb_s);
        self.updated = now;
    }

    /// When the copy ends at `mb_s` MB/s (µs).
    pub(super) fn end(&self, mb_s: f64) -> SimTime {
        let left = (self.total_bytes - self.copied).max(0.0);
        let us = libm::ceil(left / mb_s.max(f64::MIN_POSITIVE));
        if us >= (u64::MAX / 2) as f64 {
            u64::MAX / 2
        } else {
            self.updated.saturating_add(us as u64)
        }
    }

    /// Whether operations on `key` still go to its old shard at progress `progress`.
    pub(super) fn in_flight(&self, key: &Key, progress: f64) -> bool {
        key.id < self.ids_at_start && copy_order(key.hash) >= progress
    }

    /// Keys not copied yet at progress `progress`.
    pub(super) fn keys_in_flight(&self, progress: f64) -> u64 {
        (self.moved_keys as f64 * (1.0 - progress)).round() as u64
    }

    /// Copy operations per second that load `slot` (reads where keys leave, writes where they
    /// arrive) at `mb_s` MB/s.
    pub(super) fn copy_ops_per_s(&self, slot: Slot, mb_s: f64) -> f64 {
        if self.moved_keys == 0 {
            return 0.0;
        }
        let s = usize::from(slot);
        let involved = self.out.get(s).copied().unwrap_or(0) + self.into.get(s).copied().unwrap_or(0);
        mb_s * 1e6 / COPY_OP_BYTES * involved as f64 / self.moved_keys as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_takes_bytes_over_bandwidth() {
        let layout = Layout::modulo(vec![0]);
        let mut m = Migration::new(layout, 10, 1_000_000, 50_000, vec![50_000, 0], vec![0, 50_000], None);
        // 50 MB at 10 MB/s: 5 s.
        assert_eq!(m.end(10.0), 6_000_000);
        assert!((m.progress(3_500_000, 10.0) - 0.5).abs() < 1e-12);
        m.rate_changed(3_500_000, 10.0);
        // 25 MB left at 25 MB/s: 1 s more.
        assert_eq!(m.end(25.0), 4_500_000);
        assert!((m.copy_ops_per_s(0, 25.6) - 100.0).abs() < 1e-9);
    }
}
