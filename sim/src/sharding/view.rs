//! Builds the [`Snapshot`] the UI renders from the lab's state. O(shards × chart points) plus the
//! strip's few hundred lookups: cheap enough for ten snapshots a second.

use super::lab::{ShardingLab, LATENCY_CV};
use super::layout::{Layout, Slot};
use super::migration::KEY_BYTES;
use super::snapshot::{
    ChangeView, ChartsView, HotKey, MigrationView, OpLatency, RegionView, ShardSeries, ShardView, Snapshot,
};
use super::stats::OpType;
use super::strategy::Strategy;
use super::theory::{ranges_touched, scatter_gather_quantile};
use crate::capacity::mm1::mm1_mean_response;
use crate::engine::time::to_secs;

/// A shard is lit at or above this share of its capacity.
pub const HOT_UTILIZATION: f64 = 0.9;

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl ShardingLab {
    /// The shards the page lists: members in join order, then a leaving one.
    fn listed(&self) -> Vec<Slot> {
        let leaving = self.migration.as_ref().and_then(|m| m.leaving);
        self.order.iter().copied().chain(leaving).collect()
    }

    /// Everything the page shows, as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.now;
        let progress = self.migration_progress();
        let listed = self.listed();
        let mb_s = self.config.migration_mb_s;
        let total_visits: u64 = listed
            .iter()
            .filter_map(|&s| self.shards.get(usize::from(s)))
            .map(|s| s.visits)
            .sum();
        let shards: Vec<ShardView> = listed
            .iter()
            .filter_map(|&slot| self.shards.get(usize::from(slot)).map(|s| (slot, s)))
            .map(|(slot, s)| {
                let capacity = self.effective_capacity(slot);
                let ops_per_s = s.per_sec(now);
                let throttled_per_s = s.throttled_per_sec(now);
                let utilization = ops_per_s / capacity;
                let keys = s.keys_at(progress);
                ShardView {
                    id: s.id,
                    region: u32::from(s.region),
                    status: s.status,
                    ops_per_s,
                    capacity,
                    copy_ops_per_s: self.migration.as_ref().map_or(0.0, |m| m.copy_ops_per_s(slot, mb_s)),
                    utilization,
                    queue: s.backlog(now, 1e6 / capacity),
                    throttled_per_s,
                    ops: s.visits,
                    throttled: s.throttled,
                    share: share(s.visits, total_visits),
                    keys,
                    data_mb: keys as f64 * KEY_BYTES / 1e6,
                    expected_share: s.mass,
                    units: self.layout.as_ref().map_or(0, |l| l.units_of(slot)),
                    hot: utilization >= HOT_UTILIZATION || throttled_per_s > 0.0,
                    mm1_response_ms: mm1_mean_response(1_000.0 / capacity, utilization),
                }
            })
            .collect();
        let busiest = shards
            .iter()
            .filter(|s| s.ops > 0)
            .max_by(|a, b| a.ops.cmp(&b.ops).then(b.id.cmp(&a.id)));
        let mean = total_visits as f64 / shards.len().max(1) as f64;
        let (imbalance, hottest_share) = match busiest {
            Some(b) if total_visits > 0 => (b.ops as f64 / mean, share(b.ops, total_visits)),
            _ => (0.0, 0.0),
        };
        let (ops, throttled, touched, multi) = self.stats.totals();
        let latency: Vec<OpLatency> = OpType::ALL
            .iter()
            .map(|&op| {
                let t = self.stats.by_type.get(op.index());
                let h = t.map(|t| &t.latency_ms);
                let has = h.is_some_and(|h| h.count() > 0);
                let pick = |f: &dyn Fn(&crate::engine::Histogram) -> f64| h.filter(|_| has).map(f);
                OpLatency {
                    op,
                    ops: t.map_or(0, |t| t.ops),
                    throttled: t.map_or(0, |t| t.throttled),
                    p50_ms: pick(&|h| h.percentile(50.0)),
                    p99_ms: pick(&|h| h.percentile(99.0)),
                    mean_ms: pick(&|h| h.mean()),
                    mean_shards: t.map_or(0.0, |t| share(t.touched, t.ops)),
                    multi_share: t.map_or(0.0, |t| share(t.multi, t.ops)),
                }
            })
            .collect();
        let p99 = |op: OpType| latency.get(op.index()).and_then(|l| l.p99_ms);
        let txn = self.stats.by_type.get(OpType::Txn.index());
        let n = listed.len().max(1) as u32;
        let latency_ms = self.config.shard_latency_ms;
        let units = self.layout.as_ref().map_or(0, Layout::units) as u32;
        let predicted_range_shards = match (self.config.strategy, &self.layout) {
            (Strategy::Range, Some(l)) => {
                ranges_touched(self.range_len as f64, self.ids as f64 / l.units().max(1) as f64)
            }
            _ => f64::from(n),
        };
        Snapshot {
            now_s: to_secs(now),
            measured_s: to_secs(now.saturating_sub(self.stats.since)),
            strategy: self.config.strategy,
            busy: self.busy(),
            job_progress: self.job_progress(),
            job: self.job.as_ref().map_or_else(String::new, |j| j.label()),
            regions: self.region_views(),
            keyspace: self.strip(),
            keyspace_ids: self.ids,
            keys: self.ids,
            data_mb: self.ids as f64 * KEY_BYTES / 1e6,
            units,
            migration: self.migration_view(progress),
            charts: self.charts_view(&listed),
            hot_key: self.hot_key(),
            last_change: self.last_change.as_ref().map(|c| ChangeView {
                at_s: to_secs(c.at),
                text: c.text.clone(),
                keys_moved: c.keys_moved,
                share: share(c.keys_moved, c.keys),
                units_moved: c.units_moved,
                units: c.units,
                mb: c.keys_moved as f64 * KEY_BYTES / 1e6,
                expected_share: c.expected_share,
                duration_s: c.duration.map(to_secs),
            }),
            events: self.events.iter().cloned().collect(),
            ops_per_s: self.stats.ops_per_sec(now),
            throttled_per_s: self.stats.throttled_per_sec(now),
            ops,
            imbalance,
            hottest_share,
            hottest_shard: busiest.map(|b| b.id),
            throttled,
            throttled_share: share(throttled, ops),
            keys_moved: self.last_change.as_ref().map_or(0.0, |c| share(c.keys_moved, c.keys)),
            migration_progress: progress,
            fanout: share(touched, ops),
            single_p99_ms: p99(OpType::Single),
            range_p99_ms: p99(OpType::Range),
            global_p99_ms: p99(OpType::Global),
            txn_p99_ms: p99(OpType::Txn),
            cross_shard_share: share(multi, ops),
            txn_cross_share: txn.map_or(0.0, |t| share(t.multi, t.ops)),
            local_share: share(
                self.stats.local_visits,
                self.stats.local_visits + self.stats.remote_visits,
            ),
            predicted_global_p99_ms: scatter_gather_quantile(latency_ms, latency_ms * LATENCY_CV, 0.99, n)
                .unwrap_or(0.0),
            predicted_range_shards,
            range_scan_ids: self.range_len,
            latency,
            shards,
        }
    }

    fn migration_view(&self, progress: f64) -> MigrationView {
        let Some(m) = &self.migration else {
            return MigrationView {
                progress: 1.0,
                ..MigrationView::default()
            };
        };
        let mb_total = m.total_bytes / 1e6;
        MigrationView {
            active: true,
            progress,
            keys_moving: m.moved_keys,
            keys_in_flight: m.keys_in_flight(progress),
            mb_total,
            mb_copied: mb_total * progress,
            started_s: to_secs(m.started),
            ends_s: to_secs(m.end(self.config.migration_mb_s)),
            leaving: m.leaving.and_then(|s| self.shards.get(usize::from(s))).map(|s| s.id),
        }
    }

    fn charts_view(&self, listed: &[Slot]) -> ChartsView {
        let c = &self.stats.charts;
        ChartsView {
            ops_per_s: c.ops_per_s.points().to_vec(),
            throttled_per_s: c.throttled_per_s.points().to_vec(),
            p99_ms: c.p99_ms.iter().map(|s| s.points().to_vec()).collect(),
            shard_ops_per_s: listed
                .iter()
                .filter_map(|&s| self.shards.get(usize::from(s)))
                .map(|s| ShardSeries {
                    id: s.id,
                    points: s.series.points().to_vec(),
                })
                .collect(),
        }
    }

    fn hot_key(&self) -> HotKey {
        let id = self.keyspace.id_of_rank(0);
        let salt = self.config.salt.max(1);
        let key = self.keyspace.key(id);
        let mut shards: Vec<u32> = Vec::new();
        let mut first = 0;
        for j in 0..salt {
            let sub = if salt > 1 {
                self.keyspace.key(self.keyspace.sub_key(id, j, salt))
            } else {
                key
            };
            let slot = self.locate(&sub).slot;
            let shard = self.shards.get(usize::from(slot)).map_or(0, |s| s.id);
            if j == 0 {
                first = shard;
            }
            if !shards.contains(&shard) {
                shards.push(shard);
            }
        }
        HotKey {
            id,
            share: self.popularity.as_ref().map_or(0.0, |p| p.zipf().pmf(0)),
            observed_share: share(self.stats.hot_key_ops, self.stats.key_ops),
            shard: first,
            salt,
            shards,
        }
    }

    fn region_views(&self) -> Vec<RegionView> {
        let id = |s: &Slot| self.shards.get(usize::from(*s)).map(|x| x.id);
        self.regions
            .iter()
            .enumerate()
            .map(|(r, region)| RegionView {
                name: region.name.clone(),
                share: region.share,
                shards: match &self.layout {
                    Some(Layout::Geo { groups }) => groups
                        .get(r)
                        .map_or_else(Vec::new, |g| g.iter().filter_map(id).collect()),
                    _ if r == 0 => self.order.iter().filter_map(id).collect(),
                    _ => Vec::new(),
                },
            })
            .collect()
    }
}
