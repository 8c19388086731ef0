//! Builds the [`Snapshot`] the UI renders from the lab's state, and the supermarket prediction.

use super::lab::{shared_view, LoadBalancingLab};
use super::snapshot::{BalancerView, ServerView, Snapshot};
use super::stats::log_bins;
use super::supermarket::{supermarket_time_in_system, Supermarket};
use super::workload::CostKind;
use crate::engine::time::to_secs;

impl LoadBalancingLab {
    /// Everything the page shows, as plain data. O(servers) plus the latency histogram.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.now;
        let is_static = self.config.is_static();
        let tally = &self.stats.tally;
        let latency = &self.stats.latency_ms;
        let member_servers = || self.members.iter().filter_map(|&s| self.servers.get(s as usize));
        let per_server = |s: &super::server::Server| if is_static { s.placed } else { s.served };
        let total: u64 = member_servers().map(per_server).sum();
        let busiest = member_servers().map(per_server).max().unwrap_or(0);
        let count = self.members.len().max(1) as f64;
        let mean = total as f64 / count;
        let servers = self
            .members
            .iter()
            .filter_map(|&id| self.servers.get(id as usize).map(|s| (id, s)))
            .map(|(id, s)| ServerView {
                id,
                speed: s.speed,
                alive: s.alive,
                slow: s.slow,
                marked_up: s.marked_up,
                in_service: s.serving.len() as u32,
                queued: u32::try_from(s.queue.len()).unwrap_or(u32::MAX),
                workers: s.workers,
                served: s.served,
                share: if total == 0 {
                    0.0
                } else {
                    per_server(s) as f64 / total as f64
                },
                utilization: s.utilization(now),
                sessions: s.sessions,
                placed: s.placed,
            })
            .collect();
        let (busy, available) = self
            .servers
            .iter()
            .map(|s| s.worker_time(now))
            .fold((0u64, 0u64), |(b, a), (sb, sa)| {
                (b.saturating_add(sb), a.saturating_add(sa))
            });
        let completed = latency.count() > 0;
        let measure = |v: f64| completed.then_some(v);
        Snapshot {
            now_s: to_secs(now),
            static_mode: is_static,
            algorithm: self.config.algorithm,
            servers,
            balancers: self.balancers.iter().map(|b| BalancerView { sent: b.sent }).collect(),
            arrived: tally.arrived,
            completed: tally.completed,
            p50_ms: measure(latency.percentile(50.0)),
            p99_ms: measure(latency.percentile(99.0)),
            mean_ms: measure(latency.mean()),
            throughput: self.stats.throughput.per_sec(now),
            utilization: if available == 0 {
                0.0
            } else {
                (busy as f64 / available as f64).min(1.0)
            },
            imbalance: if total == 0 { 1.0 } else { busiest as f64 / mean },
            max_queue: tally.max_queue,
            dropped: tally.dropped,
            errors: tally.errors,
            sessions_lost: tally.sessions_lost,
            placed: if is_static { total } else { 0 },
            max_load: if is_static { busiest } else { 0 },
            mean_load: if is_static { mean } else { 0.0 },
            latency_histogram: log_bins(latency),
            p50_series: self.stats.p50_series.points().to_vec(),
            p99_series: self.stats.p99_series.points().to_vec(),
            errors_series: self.stats.errors_series.points().to_vec(),
            drops_series: self.stats.drops_series.points().to_vec(),
            recent: self.recent.iter().copied().collect(),
            events: self.events.iter().cloned().collect(),
            last_detection_s: self.last_detection.map(to_secs),
            supermarket: self.supermarket(),
            draining: self.servers.iter().filter(|s| !s.member && s.in_flight() > 0).count() as u32,
            in_flight: self.servers.iter().map(|s| s.in_flight() as u64).sum(),
        }
    }

    /// The supermarket model's prediction for the running system now: `None` in static mode or
    /// when the load per server is not below 1.
    pub fn supermarket(&self) -> Option<Supermarket> {
        if self.config.is_static() || self.members.is_empty() {
            return None;
        }
        let members: Vec<&super::server::Server> = self
            .members
            .iter()
            .filter_map(|&s| self.servers.get(s as usize))
            .collect();
        let capacity: f64 = members.iter().map(|s| s.effective_speed()).sum();
        if capacity <= 0.0 {
            return None;
        }
        let mean_speed = capacity / members.len() as f64;
        let service_ms = self.config.mean_ms / mean_speed;
        let load = self.config.rate * self.config.mean_ms / 1_000.0 / capacity;
        let random_service_times = supermarket_time_in_system(load, 1)?;
        let two_choices_service_times = supermarket_time_in_system(load, 2)?;
        let first_speed = members.first().map_or(1.0, |s| s.speed);
        let healthy = members.iter().all(|s| s.alive && !s.slow && s.marked_up);
        let draining = self.servers.iter().any(|s| !s.member && s.in_flight() > 0);
        let applies = self.config.cost == CostKind::Exponential
            && members.iter().all(|s| s.speed == first_speed)
            && self.config.workers == 1
            && shared_view(&self.config)
            && healthy
            && !draining;
        Some(Supermarket {
            load,
            service_ms,
            random_service_times,
            two_choices_service_times,
            applies,
        })
    }
}
