//! The keyspace strip: ids in order, coloured by the shard that serves them, in at most
//! [`STRIP_SEGMENTS`] runs whatever the number of keys.
//!
//! A range layout with no migration under way gives its exact runs (consecutive ranges on one
//! shard merged) when they are few enough. Otherwise the strip samples one id in the middle of
//! each of [`STRIP_SEGMENTS`] equal slices and merges neighbours on the same shard: ranges show as
//! blocks, hashing as confetti, and keys in flight are marked.

use super::lab::ShardingLab;
use super::layout::Layout;
use super::snapshot::KeyRun;

/// Most runs in the strip (and slices sampled).
pub const STRIP_SEGMENTS: usize = 256;

fn push_run(runs: &mut Vec<KeyRun>, start: u64, end: u64, shard: u32, moving: bool) {
    if end <= start {
        return;
    }
    if let Some(last) = runs.last_mut() {
        if last.shard == shard && last.moving == moving && last.end == start {
            last.end = end;
            return;
        }
    }
    runs.push(KeyRun {
        start,
        end,
        shard,
        moving,
    });
}

impl ShardingLab {
    fn shard_id(&self, slot: u16) -> u32 {
        self.shards.get(usize::from(slot)).map_or(u32::from(slot), |s| s.id)
    }

    /// The strip. See the module docs.
    pub(super) fn strip(&self) -> Vec<KeyRun> {
        let total = self.ids.max(1);
        let mut runs = Vec::new();
        if self.layout.is_none() {
            return runs;
        }
        if let (Some(Layout::Ranges { starts, owners }), None) = (&self.layout, &self.migration) {
            for (i, (&start, &owner)) in starts.iter().zip(owners).enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(u64::MAX).min(total);
                push_run(&mut runs, start.min(total), end, self.shard_id(owner), false);
            }
            if runs.len() <= STRIP_SEGMENTS {
                return runs;
            }
            runs.clear();
        }
        let slices = (STRIP_SEGMENTS as u64).min(total);
        let progress = self.migration_progress();
        for i in 0..slices {
            let start = (u128::from(total) * u128::from(i) / u128::from(slices)) as u64;
            let end = (u128::from(total) * u128::from(i + 1) / u128::from(slices)) as u64;
            let key = self.keyspace.key(start + (end - start) / 2);
            let loc = self.locate(&key);
            let moving = self.migration.as_ref().is_some_and(|m| {
                m.in_flight(&key, progress) && self.layout.as_ref().is_some_and(|l| l.locate(&key).slot != loc.slot)
            });
            push_run(&mut runs, start, end, self.shard_id(loc.slot), moving);
        }
        runs
    }
}
