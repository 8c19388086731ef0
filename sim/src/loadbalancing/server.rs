//! One server: workers, a FIFO queue, its health as the checker sees it, and what it counted.

use std::collections::VecDeque;

use crate::engine::time::from_millis;
use crate::engine::SimTime;

/// A slowed server runs at this fraction of its speed.
pub const SLOW_FACTOR: f64 = 0.1;

/// A request accepted by a server: 16 bytes, so even 1,000 full queues of 10,000 stay within
/// 160 MB.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Job {
    /// When it arrived (µs).
    pub(super) arrived: SimTime,
    /// Its cost at speed 1 (ms; single precision is within 0.1 µs of the drawn cost below 1 s).
    pub(super) cost_ms: f32,
    /// The balancer that sent it.
    pub(super) balancer: u32,
}

/// A request in service, with the ticket its completion event carries.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Serving {
    pub(super) ticket: u64,
    pub(super) job: Job,
}

/// One server slot. A slot that left the membership keeps serving what it holds (draining) and
/// may later be reused by a new server.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Server {
    /// Configured relative speed (also its weight for weighted round robin).
    pub(super) speed: f64,
    /// Smooth weighted round robin weight: speed × 1,000, rounded.
    pub(super) weight: i64,
    /// Requests served at once.
    pub(super) workers: u32,
    /// In the membership list (takes traffic when marked up).
    pub(super) member: bool,
    /// Running (false: killed).
    pub(super) alive: bool,
    /// Running at [`SLOW_FACTOR`] of its speed (a gray failure: it still passes checks).
    pub(super) slow: bool,
    /// The health checker's verdict: the balancers route only to servers marked up.
    pub(super) marked_up: bool,
    /// Failed checks in a row.
    pub(super) failed_checks: u32,
    /// Passed checks in a row.
    pub(super) passed_checks: u32,
    /// When it was last killed, while it is dead.
    pub(super) died_at: Option<SimTime>,
    /// Incarnation: bumped when it is killed or its slot reused (its sessions are then gone).
    pub(super) epoch: u32,
    /// Requests waiting, oldest first.
    pub(super) queue: VecDeque<Job>,
    /// Requests in service (at most `workers`).
    pub(super) serving: Vec<Serving>,
    /// Sessions it holds (`local` sessions).
    pub(super) sessions: u32,
    /// Requests it completed since the counters restarted.
    pub(super) served: u64,
    /// Static mode: requests placed on it.
    pub(super) placed: u64,
    /// Busy worker-time since the counters restarted (µs × workers).
    busy_us: u64,
    /// Time alive and in use (a member, or draining) since the counters restarted (µs).
    alive_us: u64,
    /// When `busy_us` and `alive_us` were last brought up to date.
    last_touch: SimTime,
}

impl Server {
    /// A fresh running server marked up, at `now`.
    pub(super) fn new(speed: f64, workers: u32, now: SimTime) -> Self {
        Self {
            speed,
            weight: weight_of(speed),
            workers: workers.max(1),
            member: true,
            alive: true,
            slow: false,
            marked_up: true,
            failed_checks: 0,
            passed_checks: 0,
            died_at: None,
            epoch: 0,
            queue: VecDeque::new(),
            serving: Vec::with_capacity(workers.max(1) as usize),
            sessions: 0,
            served: 0,
            placed: 0,
            busy_us: 0,
            alive_us: 0,
            last_touch: now,
        }
    }

    /// Requests queued or in service.
    pub(super) fn in_flight(&self) -> usize {
        self.queue.len() + self.serving.len()
    }

    /// Whether a worker is free.
    pub(super) fn has_free_worker(&self) -> bool {
        (self.serving.len() as u32) < self.workers
    }

    /// The speed it runs at now.
    pub(super) fn effective_speed(&self) -> f64 {
        if self.slow {
            self.speed * SLOW_FACTOR
        } else {
            self.speed
        }
    }

    /// How long a request of cost `cost_ms` takes on it now (µs).
    pub(super) fn service_time(&self, cost_ms: f32) -> SimTime {
        from_millis(f64::from(cost_ms) / self.effective_speed().max(f64::MIN_POSITIVE))
    }

    fn counts_time(&self) -> bool {
        self.alive && (self.member || self.in_flight() > 0)
    }

    /// Brings the busy and alive time up to `now`. Call before any change of what it serves, of
    /// `alive` or of `member`.
    pub(super) fn touch(&mut self, now: SimTime) {
        let dt = now.saturating_sub(self.last_touch);
        if dt > 0 {
            self.busy_us = self
                .busy_us
                .saturating_add(dt.saturating_mul(self.serving.len() as u64));
            if self.counts_time() {
                self.alive_us = self.alive_us.saturating_add(dt);
            }
        }
        self.last_touch = self.last_touch.max(now);
    }

    /// `(busy worker-time, worker-time available)` up to `now`, in µs, without changing anything.
    pub(super) fn worker_time(&self, now: SimTime) -> (u64, u64) {
        let dt = now.saturating_sub(self.last_touch);
        let busy = self
            .busy_us
            .saturating_add(dt.saturating_mul(self.serving.len() as u64));
        let alive = self.alive_us.saturating_add(if self.counts_time() { dt } else { 0 });
        (busy, alive.saturating_mul(u64::from(self.workers)))
    }

    /// Share of its worker-time busy since the counters restarted (0 without time).
    pub(super) fn utilization(&self, now: SimTime) -> f64 {
        let (busy, available) = self.worker_time(now);
        if available == 0 {
            0.0
        } else {
            (busy as f64 / available as f64).min(1.0)
        }
    }

    /// Restarts its counters at `now`.
    pub(super) fn restart_counters(&mut self, now: SimTime) {
        self.touch(now);
        self.busy_us = 0;
        self.alive_us = 0;
        self.served = 0;
    }
}

/// Smooth weighted round robin weight of a speed: speed × 1,000, rounded (speeds are 0.1..=10).
pub(super) fn weight_of(speed: f64) -> i64 {
    libm::round(speed.clamp(0.0, 1e6) * 1_000.0) as i64
}
