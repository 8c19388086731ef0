//! Resharding while serving: the three actions (add a shard, remove one, split the hottest range),
//! applying a finished placement job, and the end of a migration.

use super::job::{Finished, NewLayout};
use super::lab::{ChangeRecord, Pending, ShardingLab};
use super::layout::Slot;
use super::migration::{Migration, KEY_BYTES};
use super::reshard::{self, Context, Planned, Target};
use super::shard::{slot, Shard, ShardStatus};
use super::specs::MAX_SHARDS;
use super::strategy::Strategy;
use super::theory::{consistent_moved_share, modulo_moved_share};
use crate::engine::time::to_secs;
use crate::ConfigError;

impl ShardingLab {
    /// Refuses a change while a job or a migration runs.
    fn check_idle(&self) -> Result<(), ConfigError> {
        if self.busy() {
            return Err(ConfigError::new(
                "shards",
                "the layout is still being computed: wait until it is ready",
            ));
        }
        if self.migration.is_some() {
            let p = self.migration_progress();
            return Err(ConfigError::new(
                "shards",
                format!(
                    "a migration is under way ({:.0}% copied): wait until it ends",
                    p * 100.0
                ),
            ));
        }
        Ok(())
    }

    /// Runs `plan` with the lab's context (the shards' recent load, their ids).
    fn plan(&self, f: impl FnOnce(&Context) -> Result<Planned, ConfigError>) -> Result<Planned, ConfigError> {
        let shard_load: Vec<f64> = self.shards.iter().map(|s| s.per_sec(self.now)).collect();
        let ids: Vec<u32> = self.shards.iter().map(|s| s.id).collect();
        let regions: Vec<String> = self.regions.iter().map(|r| r.name.clone()).collect();
        let ctx = Context {
            strategy: self.config.strategy,
            logical: self.config.logical_shards > 0 && matches!(self.config.strategy, Strategy::Hash | Strategy::Range),
            order: &self.order,
            regions: &regions,
            total_ids: self.ids,
            loads: &self.loads,
            shard_load: &shard_load,
            ids: &ids,
        };
        f(&ctx)
    }

    /// Adds a shard (with the next id) and starts moving keys to it; returns what it did, in
    /// words. See `reshard.rs` for what each strategy moves. Refused beyond 64 shards, beyond the
    /// logical shards, or while a job or a migration runs.
    pub fn add_shard(&mut self) -> Result<String, ConfigError> {
        self.check_idle()?;
        let n = self.order.len() as u32;
        if n >= MAX_SHARDS {
            return Err(ConfigError::new("shards", format!("at most {MAX_SHARDS} shards")));
        }
        let logical = self.config.logical_shards;
        if logical > 0 && self.config.strategy.uses_logical() && n + 1 > logical {
            return Err(ConfigError::new(
                "shards",
                format!("every one of the {logical} logical shards already has its own shard"),
            ));
        }
        let Some(layout) = self.layout.clone() else {
            return Err(ConfigError::new("shards", "the layout is not ready yet"));
        };
        let region = if self.config.strategy == Strategy::Geo {
            (self.order.len() % self.regions.len().max(1)) as u8
        } else {
            0
        };
        let shard = Shard::new(self.next_id, region, ShardStatus::Joining)?;
        let free = self.shards.iter().position(|s| !s.in_use);
        let new = match free {
            Some(i) => slot(i),
            None => slot(self.shards.len()),
        };
        let planned = self.plan(|ctx| reshard::add(ctx, &layout, new))?;
        match free {
            Some(i) => {
                if let Some(s) = self.shards.get_mut(i) {
                    *s = shard;
                }
            }
            None => self.shards.push(shard),
        }
        self.next_id += 1;
        self.order.push(new);
        self.config.shards = self.order.len() as u32;
        let expected_share = match self.config.strategy {
            Strategy::Hash if !self.units_layout() => Some(modulo_moved_share(n)),
            Strategy::Hash | Strategy::Consistent => Some(consistent_moved_share(n)),
            Strategy::Range if self.config.logical_shards > 0 => Some(consistent_moved_share(n)),
            _ => None,
        };
        let text = planned.text.clone();
        self.begin_change(planned, layout, None, expected_share);
        Ok(text)
    }

    /// Removes the most recently added shard still there: its keys are copied to the others, and
    /// it serves them until they are; returns what it did, in words. Refused for the last shard or
    /// while a job or a migration runs.
    pub fn remove_shard(&mut self) -> Result<String, ConfigError> {
        self.check_idle()?;
        let Some(layout) = self.layout.clone() else {
            return Err(ConfigError::new("shards", "the layout is not ready yet"));
        };
        let planned = self.plan(|ctx| reshard::remove(ctx, &layout))?;
        let Some(victim) = self.order.pop() else {
            return Err(ConfigError::new("shards", "there is no shard to remove"));
        };
        if let Some(s) = self.shards.get_mut(usize::from(victim)) {
            s.status = ShardStatus::Leaving;
        }
        self.config.shards = self.order.len() as u32;
        let text = planned.text.clone();
        self.begin_change(planned, layout, Some(victim), None);
        Ok(text)
    }

    /// `range`: splits the range with the most operations since the layout last changed where it
    /// splits them in half, and moves the upper part to the least loaded other shard;
    /// `directory`: moves the entry with the most operations there. Returns what it did, in words.
    /// Refused for the other strategies, with one shard, or while a job or a migration runs.
    pub fn split_hot_range(&mut self) -> Result<String, ConfigError> {
        self.check_idle()?;
        let Some(layout) = self.layout.clone() else {
            return Err(ConfigError::new("shards", "the layout is not ready yet"));
        };
        let planned = self.plan(|ctx| reshard::split(ctx, &layout))?;
        let text = planned.text.clone();
        self.begin_change(planned, layout, None, None);
        Ok(text)
    }

    /// Whether the layout is made of units (logical shards, entries, ranges).
    fn units_layout(&self) -> bool {
        self.layout.as_ref().is_some_and(|l| l.units() > 0)
    }

    fn begin_change(
        &mut self,
        planned: Planned,
        old: super::layout::Layout,
        leaving: Option<Slot>,
        expected_share: Option<f64>,
    ) {
        let layout = match planned.target {
            Target::Ready(layout) => NewLayout::Ready(layout),
            Target::Ring(order) => NewLayout::Ring {
                order,
                ids: &[],
                vnodes: self.config.vnodes,
            },
        };
        self.log(planned.text.clone());
        self.start_job(
            layout,
            Some(old),
            Pending {
                text: planned.text,
                units_moved: planned.units_moved,
                leaving,
                expected_share,
                change: true,
            },
        );
    }

    /// Puts a finished job's layout in force and starts its migration.
    pub(super) fn apply_job(&mut self, done: Finished) {
        let pending = self.pending.take();
        let Finished {
            layout,
            old,
            popularity,
            tally,
        } = done;
        self.popularity = Some(popularity);
        for (i, s) in self.shards.iter_mut().enumerate() {
            s.keys_old = s.keys_new + s.inserted;
            s.keys_new = tally.keys.get(i).copied().unwrap_or(0);
            s.inserted = 0;
            s.mass = tally.mass.get(i).copied().unwrap_or(0.0);
            if old.is_none() {
                s.keys_old = s.keys_new;
            }
        }
        self.loads.restart(layout.units());
        let units = layout.units() as u32;
        self.layout = Some(layout);
        let Some(pending) = pending else {
            return;
        };
        if !pending.change {
            return;
        }
        self.last_change = Some(ChangeRecord {
            at: self.now,
            text: pending.text,
            keys_moved: tally.moved,
            keys: self.ids,
            units_moved: pending.units_moved,
            units,
            expected_share: pending.expected_share,
            duration: None,
        });
        if let Some(old) = old {
            self.migration = Some(Migration::new(
                old,
                self.ids,
                self.now,
                tally.moved,
                tally.out,
                tally.into,
                pending.leaving,
            ));
            let mb = tally.moved as f64 * KEY_BYTES / 1e6;
            self.log(format!(
                "migration started: {} keys ({mb:.1} MB) to copy at {} MB/s",
                tally.moved, self.config.migration_mb_s
            ));
            if tally.moved == 0 {
                self.end_migration();
            } else {
                self.schedule_migration_end();
            }
        }
    }

    /// The copy is done: every key is on its new shard; a leaving shard leaves.
    pub(super) fn end_migration(&mut self) {
        let Some(m) = self.migration.take() else {
            return;
        };
        let duration = self.now.saturating_sub(m.started);
        for s in &mut self.shards {
            s.keys_old = s.keys_new;
            if s.status == ShardStatus::Joining {
                s.status = ShardStatus::Active;
            }
        }
        if let Some(victim) = m.leaving {
            if let Some(s) = self.shards.get_mut(usize::from(victim)) {
                s.in_use = false;
                s.status = ShardStatus::Leaving;
                s.keys_old = 0;
                s.keys_new = 0;
                s.inserted = 0;
            }
        }
        if let Some(change) = self.last_change.as_mut() {
            change.duration = Some(duration);
        }
        if m.moved_keys > 0 {
            self.log(format!("migration done after {:.2} s", to_secs(duration)));
        }
        if let Some(victim) = m.leaving {
            let id = self.shards.get(usize::from(victim)).map_or(0, |s| s.id);
            self.log(format!("shard {id} left"));
        }
    }
}
