//! The rate limiting lab's parameter table: key, label, unit, hint and allowed range of every
//! control. `seed` is not here (as in every lab).

use super::choices::{Algorithm, Burstiness, Retry, Scope, SyncMode};
use crate::params::{number_spec as number, ParamKind, ParamSpec};

/// Largest `limit`, `burst` and `queue`.
pub const MAX_COUNT: f64 = 100_000.0;
/// Most limiter instances.
pub const MAX_INSTANCES: f64 = 16.0;
/// Fewest and most clients (the last one is the abuser).
pub const MIN_CLIENTS: f64 = 2.0;
/// Most clients.
pub const MAX_CLIENTS: f64 = 20.0;
/// Longest store sync interval, ms (one minute).
pub const MAX_SYNC_MS: f64 = 60_000.0;
/// Largest request rate of one client, requests per second (the abuser's and the bucket rate's
/// bound too): one million requests per simulated second.
pub const MAX_RPS: f64 = 1_000_000.0;

/// Every parameter with a control, in the order the controls show them.
pub(super) const SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "algorithm",
        label: "Algorithm",
        unit: "",
        hint: "How the limiter decides: a token bucket, a leaky bucket (a queue), a fixed or sliding window, a sliding log, GCRA, or no limiter.",
        kind: ParamKind::Choice {
            options: Algorithm::OPTIONS,
        },
    },
    number(
        "limit",
        "Limit",
        "requests / window",
        "Requests allowed per window, per key (each client, or everyone). The bucket algorithms refill at limit / window unless a rate is set.",
        1.0,
        MAX_COUNT,
        1.0,
        true,
        true,
    ),
    number(
        "window_s",
        "Window",
        "s",
        "The window the limit counts over; also the span over which the worst window is measured. Windows start at multiples of it.",
        0.1,
        3_600.0,
        0.1,
        false,
        true,
    ),
    number(
        "burst",
        "Burst (bucket size)",
        "requests",
        "Token bucket and GCRA: the most requests let through at once. 0: the same as the limit.",
        0.0,
        MAX_COUNT,
        1.0,
        true,
        false,
    ),
    number(
        "rate_per_s",
        "Rate",
        "req/s",
        "Token bucket, GCRA and leaky bucket: refill, emission or drain rate. 0: limit / window, the same average as the windows.",
        0.0,
        MAX_RPS,
        0.1,
        false,
        false,
    ),
    number(
        "queue",
        "Queue size",
        "requests",
        "Leaky bucket: requests that can wait; a full queue refuses. 0: the same as the burst.",
        0.0,
        MAX_COUNT,
        1.0,
        true,
        false,
    ),
    ParamSpec {
        key: "scope",
        label: "Scope",
        unit: "",
        hint: "One limit per client, or one limit for everyone together.",
        kind: ParamKind::Choice {
            options: Scope::OPTIONS,
        },
    },
    number(
        "instances",
        "Limiter instances",
        "",
        "Instances behind a round-robin load balancer, each deciding for the requests it gets.",
        1.0,
        MAX_INSTANCES,
        1.0,
        true,
        false,
    ),
    ParamSpec {
        key: "sync",
        label: "Instances share the limit",
        unit: "",
        hint: "Local: each instance allows the full limit. Split: each allows limit / instances. Shared: one store holds the count, at a round trip per decision (or synced every so often).",
        kind: ParamKind::Choice {
            options: SyncMode::OPTIONS,
        },
    },
    number(
        "store_ms",
        "Store round trip",
        "ms",
        "Shared store: the round trip every decision waits for, or, with a sync interval, the time a sync takes.",
        0.0,
        1_000.0,
        0.1,
        false,
        false,
    ),
    number(
        "sync_ms",
        "Store sync interval",
        "ms",
        "Shared store: 0 asks the store on every decision (exact). More: each instance decides on its own copy and syncs with the store this often; no wait per decision, but between syncs the instances can together admit more than the limit.",
        0.0,
        MAX_SYNC_MS,
        1.0,
        false,
        false,
    ),
    number(
        "clients",
        "Clients",
        "",
        "Clients sending requests; the last one is the abuser.",
        MIN_CLIENTS,
        MAX_CLIENTS,
        1.0,
        true,
        false,
    ),
    number(
        "client_rps",
        "Each client's rate",
        "req/s",
        "Requests per second from each well-behaved client (random, Poisson arrivals).",
        0.0,
        100_000.0,
        0.1,
        false,
        true,
    ),
    number(
        "abuser_rps",
        "Abuser's rate",
        "req/s",
        "Requests per second from the abusive client.",
        0.0,
        MAX_RPS,
        1.0,
        false,
        true,
    ),
    ParamSpec {
        key: "burstiness",
        label: "Abuser's pattern",
        unit: "",
        hint: "Random arrivals, one burst per window centred on its boundary, or a constant flood.",
        kind: ParamKind::Choice {
            options: Burstiness::OPTIONS,
        },
    },
    ParamSpec {
        key: "retry",
        label: "Refused clients",
        unit: "",
        hint: "What clients do with a 429: give up, send it again at once, or wait for Retry-After with exponential backoff and jitter.",
        kind: ParamKind::Choice {
            options: Retry::OPTIONS,
        },
    },
];
