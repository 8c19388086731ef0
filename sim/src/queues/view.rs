//! Builds the [`Snapshot`] the UI renders from the lab's state. O(groups × (partitions +
//! consumers)) plus the messages queued for redelivery, the dead-letter list's tail and the
//! bounded series and logs: never the backlog itself.

use super::choices::Processing;
use super::lab::QueuesLab;
use super::snapshot::{ConsumerState, ConsumerView, DeadLetterView, GroupView, LaneView, PartitionView, Snapshot};
use super::theory::{predict, Inputs, Theory};
use crate::engine::time::to_secs;
use crate::engine::Histogram;

/// Dead letters listed in the snapshot.
const DLQ_LISTED: usize = 16;

fn measured(h: &Histogram, value: f64) -> Option<f64> {
    (h.count() > 0).then_some(value)
}

fn points(series: &crate::engine::TimeSeries) -> Vec<(f64, f64)> {
    series.points().to_vec()
}

impl QueuesLab {
    /// Everything the page shows, as plain data (see the module docs for its cost).
    pub fn snapshot(&self) -> Snapshot {
        let now = self.now;
        let st = &self.stats;
        let t = &st.tally;
        let c = &self.config;
        let members = c.consumers as usize;
        let group_views: Vec<GroupView> = (0..self.groups.len()).map(|g| self.group_view(g)).collect();
        let idle_consumers = group_views.iter().map(|g| g.idle_consumers).sum();
        let useful_consumers = self
            .groups
            .iter()
            .map(|g| {
                g.consumers
                    .iter()
                    .take(members)
                    .filter(|x| !x.partitions.is_empty())
                    .count() as u32
            })
            .sum();
        let partition_views = (0..self.partitions.len())
            .map(|p| PartitionView {
                partition: p as u32,
                end_offset: self.partitions.get(p).map_or(0, |x| x.end()),
                kept: self.partitions.get(p).map_or(0, |x| x.kept() as u64),
                lanes: (0..self.groups.len()).map(|g| self.lane_view(g, p)).collect(),
            })
            .collect();
        let lag = self.config.projection_lag_ms / 1_000.0;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Snapshot {
            now_s: to_secs(now),
            measured_s: to_secs(now.saturating_sub(st.since)),
            delivery: c.delivery,
            shape: c.shape,
            processing: c.processing,
            backoff: c.backoff,
            on_full: c.on_full,
            idempotent: c.idempotent,
            partitions: self.partitions.len() as u32,
            groups: self.groups.len() as u32,
            consumers_per_group: c.consumers,
            concurrency: c.concurrency,
            stopped: self.stopped,
            burst_until_s: self.requests.burst_until(now).map(to_secs),
            rate_now: self.requests.rate_at(now),
            response_p99_ms: measured(&st.response_ms, st.response_ms.percentile(99.0)),
            response_p50_ms: measured(&st.response_ms, st.response_ms.percentile(50.0)),
            completion_p99_ms: measured(&st.completion_ms, st.completion_ms.percentile(99.0)),
            completion_p50_ms: measured(&st.completion_ms, st.completion_ms.percentile(50.0)),
            completion_mean_ms: measured(&st.completion_ms, st.completion_ms.mean()),
            wait_mean_ms: measured(&st.wait_ms, st.wait_ms.mean()),
            wait_p99_ms: measured(&st.wait_ms, st.wait_ms.percentile(99.0)),
            backlog: self.backlog_total,
            in_flight: self.groups.iter().map(|g| g.in_flight).sum::<u64>() + self.sync_in_progress,
            delayed: self.groups.iter().map(|g| g.delayed).sum(),
            lag_s: self.lag_s(),
            mean_backlog: st.mean_backlog(now),
            littles_law_backlog: measured(
                &st.wait_ms,
                ratio(t.published, now.saturating_sub(st.since)) * 1e6 * st.wait_ms.mean() / 1_000.0,
            ),
            peak_backlog: st.peak_backlog,
            blocked_now: self.blocked.len() as u64,
            throughput: st.recent.completed.per_sec(now),
            arrival_per_s: st.recent.requests.per_sec(now),
            publish_per_s: st.recent.published.per_sec(now),
            delivery_per_s: st.recent.deliveries.per_sec(now),
            idle_consumers,
            useful_consumers,
            requests: t.requests,
            responded: t.responded,
            published: t.published,
            poison_published: t.poison_published,
            completed: t.completed,
            deliveries: t.deliveries,
            redeliveries: t.redeliveries,
            duplicates: t.duplicates,
            duplicates_absorbed: t.absorbed,
            failures: t.failures,
            timeouts: t.timeouts,
            lost_in_crash: t.lost_in_crash,
            dlq: self.dlq.len() as u64,
            dead_lettered: t.dead_lettered,
            out_of_order: t.out_of_order,
            refused: t.refused,
            blocked: t.blocked,
            failed_requests: t.failed_requests,
            reads: t.reads,
            stale_reads: t.stale_reads,
            stale_read_ratio: ratio(t.stale_reads, t.reads),
            stale_window_ms: st.stale_age_max as f64 / 1_000.0,
            projection_lag_ms: c.projection_lag_ms,
            expected_stale_ratio: 1.0 - libm::exp(-c.rate * lag),
            group_views,
            partition_views,
            theory: self.theory(),
            key_order: self.key_order.iter().copied().collect(),
            dlq_recent: self
                .dlq
                .iter()
                .skip(self.dlq.len().saturating_sub(DLQ_LISTED))
                .map(|d| DeadLetterView {
                    group: u32::from(d.group),
                    partition: u32::from(d.partition),
                    offset: d.offset,
                    key: d.message.key,
                    poison: d.message.poison,
                    receives: d.receives,
                    reason: d.reason,
                    at_s: to_secs(d.dead_at),
                })
                .collect(),
            flows: self.flows.iter().copied().collect(),
            events: self.events.iter().copied().collect(),
            backlog_series: points(&st.charts.backlog),
            lag_series: points(&st.charts.lag_s),
            arrival_series: points(&st.charts.arrival_per_s),
            service_series: points(&st.charts.service_per_s),
            response_p99_series: points(&st.charts.response_p99_ms),
            completion_p99_series: points(&st.charts.completion_p99_ms),
            in_flight_series: points(&st.charts.in_flight),
            dlq_series: points(&st.charts.dlq),
        }
    }

    fn group_view(&self, g: usize) -> GroupView {
        let members = self.config.consumers as usize;
        let Some(group) = self.groups.get(g) else {
            return GroupView {
                group: g as u32,
                backlog: 0,
                in_flight: 0,
                delayed: 0,
                lag_s: 0.0,
                completed: 0,
                rebalancing_until_s: None,
                idle_consumers: 0,
                consumers: Vec::new(),
            };
        };
        let rebalancing = self.now < group.paused_until;
        let consumers: Vec<ConsumerView> = group
            .consumers
            .iter()
            .enumerate()
            .filter(|(i, x)| *i < members || x.busy > 0)
            .map(|(i, x)| {
                let state = if i >= members {
                    ConsumerState::Leaving
                } else if x.crashed {
                    ConsumerState::Crashed
                } else if x.busy > 0 {
                    ConsumerState::Busy
                } else if x.partitions.is_empty() {
                    ConsumerState::Idle
                } else if self.stopped {
                    ConsumerState::Stopped
                } else if rebalancing {
                    ConsumerState::Rebalancing
                } else {
                    ConsumerState::Waiting
                };
                ConsumerView {
                    index: i as u32,
                    state,
                    busy: x.busy,
                    concurrency: self.config.concurrency,
                    partitions: x.partitions.iter().map(|&p| u32::from(p)).collect(),
                    processed: x.processed,
                    failed: x.failed,
                    restarts_at_s: x.crashed.then(|| to_secs(x.restart_at)),
                }
            })
            .collect();
        let idle = consumers
            .iter()
            .filter(|v| v.state != ConsumerState::Leaving && v.partitions.is_empty())
            .count();
        let oldest = (0..self.partitions.len())
            .filter_map(|p| self.lane_age(g, p))
            .max()
            .unwrap_or(0);
        GroupView {
            group: g as u32,
            backlog: group.backlog(),
            in_flight: group.in_flight,
            delayed: group.delayed,
            lag_s: to_secs(oldest),
            completed: group.completed,
            rebalancing_until_s: rebalancing.then(|| to_secs(group.paused_until)),
            idle_consumers: idle as u32,
            consumers,
        }
    }

    fn lane_view(&self, g: usize, p: usize) -> LaneView {
        let end = self.partitions.get(p).map_or(0, |x| x.end());
        let Some(lane) = self.groups.get(g).and_then(|group| group.lanes.get(p)) else {
            return LaneView {
                backlog: 0,
                lag_s: 0.0,
                in_flight: 0,
                owner: None,
            };
        };
        LaneView {
            backlog: end.saturating_sub(lane.cursor) + lane.requeued_ready + lane.delayed,
            lag_s: to_secs(self.lane_age(g, p).unwrap_or(0)),
            in_flight: lane.in_flight,
            owner: lane.owner.map(u32::from),
        }
    }

    /// Queueing theory for group 0 at the rate now (see [`Theory`]).
    pub fn theory(&self) -> Theory {
        let partitions = self.partitions.len().max(1);
        let mut weights = vec![0.0; partitions];
        if self.config.keys > 0 {
            let share = 1.0 / f64::from(self.config.keys);
            for &p in &self.key_partition {
                if let Some(w) = weights.get_mut(usize::from(p)) {
                    *w += share;
                }
            }
        } else {
            weights.iter_mut().for_each(|w| *w = 1.0 / partitions as f64);
        }
        let members = self.config.consumers as usize;
        let group = self.groups.first();
        let lane_backlog = |p: usize| {
            let end = self.partitions.get(p).map_or(0, |x| x.end());
            group
                .and_then(|g| g.lanes.get(p))
                .map_or(0, |l| end.saturating_sub(l.cursor) + l.requeued_ready + l.delayed)
        };
        let weight = |p: usize| weights.get(p).copied().unwrap_or(0.0);
        let consumers: Vec<(f64, u64)> = group
            .map(|g| {
                g.consumers
                    .iter()
                    .take(members)
                    .filter(|x| !x.partitions.is_empty())
                    .map(|x| {
                        let owned = x.partitions.iter().map(|&p| usize::from(p));
                        (owned.clone().map(weight).sum(), owned.map(lane_backlog).sum())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let unowned = (0..partitions)
            .filter(|&p| group.and_then(|g| g.lanes.get(p)).is_none_or(|l| l.owner.is_none()))
            .fold((0.0, 0), |(share, backlog), p| {
                (share + weight(p), backlog + lane_backlog(p))
            });
        predict(&Inputs {
            rate: self.requests.rate_at(self.now),
            slow_ms: self.config.slow_ms,
            concurrency: self.config.concurrency,
            consumers,
            unowned,
            exponential: self.config.processing == Processing::Exponential,
        })
    }
}
