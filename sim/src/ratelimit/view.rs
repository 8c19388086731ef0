//! Builds the [`Snapshot`] the UI renders from the lab's state.

use super::choices::{Algorithm, Scope};
use super::lab::RateLimitLab;
use super::snapshot::{ClientRow, KeyState, Snapshot, Totals};
use super::stats::jain;
use crate::engine::time::{to_millis, to_secs};
use crate::engine::SimTime;

/// What the strip's numbers are for `algorithm`.
fn state_label(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::TokenBucket => "tokens",
        Algorithm::LeakyBucket => "queued",
        Algorithm::FixedWindow | Algorithm::SlidingWindow => "in window",
        Algorithm::SlidingLog => "in log",
        Algorithm::Gcra => "TAT − now (s)",
        Algorithm::None => "",
    }
}

/// The headline numbers, without the rest of the snapshot (for comparisons).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Headline {
    pub(super) worst_window: u64,
    pub(super) worst_window_at: Option<SimTime>,
    pub(super) over_limit: f64,
    pub(super) fairness: f64,
    pub(super) abuser_share: f64,
    pub(super) delay_p99_ms: Option<f64>,
}

impl RateLimitLab {
    /// Worst window, over-limit ratio, fairness, abuser share and p99 delay.
    pub(super) fn headline(&self) -> Headline {
        let stats = &self.stats;
        let abuser = self.config.abuser();
        let worst = stats.worst.iter().max_by_key(|w| w.worst());
        let worst_window = worst.map_or(0, |w| w.worst());
        let admitted: u64 = stats.clients.iter().map(|t| t.admitted).sum();
        let abuser_admitted = stats.clients.get(abuser).map_or(0, |t| t.admitted);
        let delays = &stats.delay_ms;
        Headline {
            worst_window,
            worst_window_at: worst.and_then(|w| w.worst_at()),
            over_limit: worst_window as f64 / f64::from(self.config.limit.max(1)),
            fairness: jain(stats.clients.iter().take(abuser).map(|t| t.admitted as f64)),
            abuser_share: if admitted > 0 {
                abuser_admitted as f64 / admitted as f64
            } else {
                0.0
            },
            delay_p99_ms: (delays.count() > 0).then(|| delays.percentile(99.0)),
        }
    }

    /// The client whose limiter key `k` is (`None` for the global key).
    fn client_of_key(&self, k: usize) -> Option<u32> {
        match self.config.scope {
            Scope::Client => Some(k as u32),
            Scope::Global => None,
        }
    }

    /// Sliding log timestamps kept now: every instance's (or view's), and a synced store's own
    /// and its sync's under way.
    fn stored_entries(&self) -> u64 {
        let synced = self.synced.iter().flat_map(|s| s.store().iter().chain(s.answers()));
        self.limiters.iter().chain(synced).map(|l| l.stored()).sum()
    }

    /// Everything the page shows, as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.now;
        let c = &self.config;
        let stats = &self.stats;
        let abuser = c.abuser();
        let keys = c.keys();
        let total = stats.total();
        let limit = u64::from(c.limit);

        let clients: Vec<ClientRow> = stats
            .clients
            .iter()
            .enumerate()
            .map(|(i, t)| ClientRow {
                client: i as u32,
                abuser: i == abuser,
                rps: if i == abuser { c.abuser_rps } else { c.client_rps },
                requests: t.requests,
                attempts: t.attempts,
                admitted: t.admitted,
                refused: t.refused,
                delayed: t.delayed,
                retries: t.retries,
                given_up: t.given_up,
                admitted_per_s: stats.recent.client_admitted.get(i).map_or(0.0, |r| r.per_sec(now)),
                worst_window: match c.scope {
                    Scope::Client => stats.worst.get(i).map(|w| w.worst()),
                    Scope::Global => None,
                },
                throttled: self.clients.get(i).is_some_and(|c| c.last_refused.is_some()),
            })
            .collect();

        let others_refused = clients.iter().filter(|r| !r.abuser).map(|r| r.refused).sum();
        let m = self.headline();
        let delays = &stats.delay_ms;
        let percentile = |p: f64| (delays.count() > 0).then(|| delays.percentile(p));

        let instance0: Vec<_> = self.shown_limiters().iter().take(keys).collect();
        let now_states: Vec<(f64, f64)> = instance0.iter().map(|l| l.level(now)).collect();
        let mut timeline = self.timeline.view(&now_states, |k| self.client_of_key(k));
        timeline.state_label = state_label(c.algorithm);
        timeline.state_max = instance0.first().map_or(0.0, |l| l.level_max());
        let window = c.window();
        let (from, to) = self.timeline.span();
        timeline.boundaries_s = (from.div_ceil(window)..=to / window)
            .take(64)
            .map(|k| to_secs(k.saturating_mul(window)))
            .collect();

        Snapshot {
            now_s: to_secs(now),
            measured_s: to_secs(now.saturating_sub(stats.since)),
            algorithm: c.algorithm,
            scope: c.scope,
            sync: c.sync,
            instances: c.instances,
            retry: c.retry,
            burstiness: c.burstiness,
            limit,
            window_s: c.window_s,
            limit_per_s: c.limit_per_s(),
            limit_line_per_s: c.limit_per_s() * keys as f64,
            rate_per_s: self.limiters.first().map_or(0.0, |l| l.effective_rate_per_s())
                * if c.sync == super::choices::SyncMode::Split {
                    f64::from(c.instances.max(1))
                } else {
                    1.0
                },
            burst: c.effective_burst(),
            queue: c.effective_queue(),
            store_ms: to_millis(c.store_latency().max(c.sync_round_trip())),
            sync_ms: to_millis(c.sync_interval()),
            clients,
            totals: Totals {
                requests: total.requests,
                attempts: total.attempts,
                admitted: total.admitted,
                refused: total.refused,
                others_refused,
                delayed: total.delayed,
                retries: total.retries,
                given_up: total.given_up,
                queued_now: self.waiting.iter().map(|q| q.len() as u64).sum(),
                retries_pending: self.clients.iter().map(|c| c.waiting() as u64).sum(),
            },
            admitted_per_s: stats.recent.admitted.per_sec(now),
            refused_per_s: stats.recent.refused.per_sec(now),
            offered_per_s: stats.recent.offered.per_sec(now),
            worst_window: m.worst_window,
            worst_window_at_s: m.worst_window_at.map(to_secs),
            worst_window_exact: stats.worst.iter().all(|w| w.exact()),
            over_limit: m.over_limit,
            fairness: m.fairness,
            abuser_share: m.abuser_share,
            delay_p99_ms: m.delay_p99_ms,
            delay_p50_ms: percentile(50.0),
            delay_max_ms: (delays.count() > 0).then(|| delays.max()),
            retries: total.retries,
            amplification: if total.requests > 0 {
                total.attempts as f64 / total.requests as f64
            } else {
                0.0
            },
            flood_until_s: self.flood_until.filter(|&end| end > now).map(to_secs),
            log_entries: self.stored_entries(),
            stored_capacity: c.stored_capacity(),
            timeline,
            limiters: instance0
                .iter()
                .enumerate()
                .map(|(k, l)| KeyState {
                    client: self.client_of_key(k),
                    state: l.state(now),
                })
                .collect(),
            window_start_s: to_secs(now / window * window),
            admitted_series: stats.charts.admitted_per_s.points().to_vec(),
            refused_series: stats.charts.refused_per_s.points().to_vec(),
            offered_series: stats.charts.offered_per_s.points().to_vec(),
            events: self.events.iter().copied().collect(),
        }
    }
}
