//! The plain data the UI renders for the rate limiting lab. Everything is already computed; the UI
//! only draws and formats it. Times are simulated seconds, delays milliseconds, rates per second.
//! Counters (totals, client rows, worst window, fairness, abuser share, delays) count from the
//! start, the last [`RateLimitLab::reset_stats`](super::RateLimitLab::reset_stats) or the last
//! limiter restart (the worst window only); rates are over the last second; the charts, the
//! timeline and the event log carry on.

use serde::Serialize;

use super::choices::{Algorithm, Burstiness, Retry, Scope, SyncMode};
use super::limiter::LimiterState;

/// Everything the rate limiting page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time now, in seconds.
    pub now_s: f64,
    /// Simulated seconds the counters cover.
    pub measured_s: f64,
    /// The algorithm in use.
    pub algorithm: Algorithm,
    /// Per client or global.
    pub scope: Scope,
    /// How the instances share the limit.
    pub sync: SyncMode,
    /// Limiter instances.
    pub instances: u32,
    /// What refused clients do.
    pub retry: Retry,
    /// What the abuser does.
    pub burstiness: Burstiness,
    /// The limit: requests per window, per key.
    pub limit: u64,
    /// The window (s).
    pub window_s: f64,
    /// The limit as a rate, per key: `limit / window_s`.
    pub limit_per_s: f64,
    /// The admitted-rate chart's limit line: `limit_per_s` times the number of keys (every
    /// client's limit in `client` scope).
    pub limit_line_per_s: f64,
    /// The bucket algorithms' rate as enforced (req/s; the emission interval is whole ns).
    pub rate_per_s: f64,
    /// The bucket size in use.
    pub burst: u64,
    /// The leaky bucket's queue size in use.
    pub queue: u64,
    /// The store round trip (ms; 0 unless `shared`): what each decision waits for, or, with a
    /// sync interval, what each sync takes.
    pub store_ms: f64,
    /// How often the instances sync with the shared store (ms; 0: every decision asks the
    /// store, or no shared store).
    pub sync_ms: f64,
    /// One row per client, the abuser last.
    pub clients: Vec<ClientRow>,
    /// Sums over the clients.
    pub totals: Totals,
    /// Requests admitted per second over the last second (leaky bucket: leaving the queue).
    pub admitted_per_s: f64,
    /// Refusals (429s) per second over the last second.
    pub refused_per_s: f64,
    /// Requests sent per second over the last second, retries included.
    pub offered_per_s: f64,
    /// The most requests admitted in any span of one window length, per limit key (in `client`
    /// scope the worst client's own admissions; in `global` scope everyone's), since the counters
    /// or the limiter last restarted.
    pub worst_window: u64,
    /// When that span ended (s).
    pub worst_window_at_s: Option<f64>,
    /// Whether `worst_window` is exact (false only past 262,144 admissions in one window, where it
    /// is a lower bound).
    pub worst_window_exact: bool,
    /// `worst_window / limit`: how much more than the limit got through in one window.
    pub over_limit: f64,
    /// Jain's fairness index over the well-behaved clients' admitted rates: 1 when they all got
    /// the same, down to `1 / n` when one got everything (1 before anything is admitted).
    pub fairness: f64,
    /// The abuser's share of the admitted requests (0 before any).
    pub abuser_share: f64,
    /// 99th percentile of the delay of admitted requests (ms), from the first attempt to
    /// admission: leaky bucket queueing, store round trips, retry waits. `None` before any.
    pub delay_p99_ms: Option<f64>,
    /// Median delay (ms). `None` before any admission.
    pub delay_p50_ms: Option<f64>,
    /// Largest delay (ms). `None` before any admission.
    pub delay_max_ms: Option<f64>,
    /// Retries sent (attempts after the first).
    pub retries: u64,
    /// Requests sent per request wanted: attempts / first attempts (1 without retries; 0 before
    /// any).
    pub amplification: f64,
    /// When a flood started by hand ends (s), while it runs.
    pub flood_until_s: Option<f64>,
    /// Sliding log timestamps stored now over every limiter (8 bytes each): the log's memory.
    pub log_entries: u64,
    /// The most the configuration could store (sliding log timestamps or leaky bucket places).
    pub stored_capacity: u64,
    /// Per-client counts in short buckets, with the limiter's state under them.
    pub timeline: Timeline,
    /// The state of each key's limiter on instance 0 (the store with `shared`) now.
    pub limiters: Vec<KeyState>,
    /// Start of the current window (s); windows start at multiples of `window_s`.
    pub window_start_s: f64,
    /// Requests admitted per second over time (a point every 250 ms).
    pub admitted_series: Vec<(f64, f64)>,
    /// Refusals per second over time.
    pub refused_series: Vec<(f64, f64)>,
    /// Requests sent per second over time, retries included.
    pub offered_series: Vec<(f64, f64)>,
    /// The latest lab events, oldest first (at most 100).
    pub events: Vec<LabEvent>,
}

/// One client's numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientRow {
    /// The client's index (0-based; the abuser is the last).
    pub client: u32,
    /// Whether this is the abusive client.
    pub abuser: bool,
    /// The rate it is configured to send at (req/s, before retries and floods).
    pub rps: f64,
    /// Requests it wanted to send (first attempts).
    pub requests: u64,
    /// Attempts, retries included.
    pub attempts: u64,
    /// Admitted (leaky bucket: left the queue).
    pub admitted: u64,
    /// Refusals (429s; a request refused three times counts three).
    pub refused: u64,
    /// Requests queued by the leaky bucket.
    pub delayed: u64,
    /// Retries sent.
    pub retries: u64,
    /// Requests abandoned: refused with no retry left (or `retry` = `none`), not held for lack of
    /// room, timed out in the client (10 s), or dropped from a queue by a limiter restart.
    pub given_up: u64,
    /// Admitted per second over the last second.
    pub admitted_per_s: f64,
    /// Its own worst window (`client` scope only).
    pub worst_window: Option<u64>,
    /// Whether it has been refused within the last second.
    pub throttled: bool,
}

/// Sums over every client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Requests wanted (first attempts).
    pub requests: u64,
    /// Attempts, retries included.
    pub attempts: u64,
    /// Admitted.
    pub admitted: u64,
    /// Refusals.
    pub refused: u64,
    /// Refusals of the well-behaved clients (all but the abuser): the collateral damage.
    pub others_refused: u64,
    /// Queued by the leaky bucket.
    pub delayed: u64,
    /// Retries sent.
    pub retries: u64,
    /// Abandoned.
    pub given_up: u64,
    /// Waiting in leaky bucket queues now.
    pub queued_now: u64,
    /// Refused requests waiting to be retried now.
    pub retries_pending: u64,
}

/// The timeline: per client, counts in buckets of `bucket_s` from `start_s` (the last one is the
/// bucket under way), and under it each key's limiter state at the end of each bucket (the last:
/// now). 240 buckets of a fortieth of the window: six windows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Timeline {
    /// Start of the first bucket (s).
    pub start_s: f64,
    /// Width of a bucket (s).
    pub bucket_s: f64,
    /// Per client, in client order.
    pub clients: Vec<ClientTimeline>,
    /// Per limit key on instance 0: one per client in `client` scope, one in `global` scope.
    pub state: Vec<StateStrip>,
    /// What the strip's numbers are: `tokens`, `queued`, `in window`, `in log`, `TAT − now (s)`,
    /// or empty for no limiter.
    pub state_label: &'static str,
    /// The top of the strip's scale: the burst, the queue size, the limit, or τ + T in seconds.
    pub state_max: f64,
    /// Window boundaries inside the timeline (s).
    pub boundaries_s: Vec<f64>,
}

/// One client's row of the timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ClientTimeline {
    /// Admitted per bucket.
    pub admitted: Vec<u32>,
    /// Refused per bucket.
    pub refused: Vec<u32>,
    /// Queued by the leaky bucket per bucket.
    pub delayed: Vec<u32>,
}

/// One limiter's state per timeline bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StateStrip {
    /// The client whose limiter this is (`None`: the global one).
    pub client: Option<u32>,
    /// Tokens, queued, the current window's count, the log's length, or TAT − now (s).
    pub level: Vec<f64>,
    /// Sliding window counter: the previous window's count (else 0).
    pub previous: Vec<f64>,
}

/// One key's limiter now.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct KeyState {
    /// The client whose limiter this is (`None`: the global one).
    pub client: Option<u32>,
    /// Its state.
    pub state: LimiterState,
}

/// Something that happened, for the event log.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LabEvent {
    /// When (s).
    pub at_s: f64,
    /// What.
    pub kind: LabEventKind,
}

/// The kinds of [`LabEvent`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum LabEventKind {
    /// A client sent `requests` at once (by hand).
    Burst {
        /// The client.
        client: u32,
        /// Requests sent.
        requests: u64,
    },
    /// The abuser started flooding at `rps` for `secs` seconds (by hand).
    Flood {
        /// Requests per second.
        rps: f64,
        /// For how long (s).
        secs: f64,
    },
    /// A client started being refused.
    Throttled {
        /// The client.
        client: u32,
    },
    /// A client has gone a second without being refused.
    Recovered {
        /// The client.
        client: u32,
    },
    /// The limiter restarted with new settings (fresh state on every instance); `dropped`
    /// requests waiting in leaky bucket queues were abandoned.
    LimiterRestarted {
        /// Requests dropped from queues.
        dropped: u64,
    },
    /// The counters restarted.
    StatsReset,
}

impl LabEvent {
    /// A sentence for the log, e.g. "Client 5 is being refused (429)" (clients numbered from 1).
    pub fn describe(&self) -> String {
        match self.kind {
            LabEventKind::Burst { client, requests } => {
                format!("Client {} sent {requests} requests at once", client + 1)
            }
            LabEventKind::Flood { rps, secs } => {
                format!(
                    "The abuser floods at {} req/s for {} s",
                    crate::params::format_number(rps),
                    secs
                )
            }
            LabEventKind::Throttled { client } => format!("Client {} is being refused (429)", client + 1),
            LabEventKind::Recovered { client } => format!("Client {} is no longer refused", client + 1),
            LabEventKind::LimiterRestarted { dropped } if dropped > 0 => {
                format!("The limiter restarted with the new settings; {dropped} queued requests were dropped")
            }
            LabEventKind::LimiterRestarted { .. } => "The limiter restarted with the new settings".to_string(),
            LabEventKind::StatsReset => "Counters restarted".to_string(),
        }
    }
}
