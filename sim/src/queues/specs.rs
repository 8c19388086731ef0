//! The queues lab's parameter table: key, label, unit, hint and allowed range of every control.
//! `seed` is not here (as in every lab).

use super::choices::{Backoff, Delivery, OnFull, Processing, Shape};
use crate::params::{number_spec as number, ParamKind, ParamSpec};

/// Highest request rate, requests per second: the 100,000 messages per simulated second
/// (a burst multiplies it by ten for a while).
pub const MAX_RATE: f64 = 100_000.0;
/// Most partitions.
pub const MAX_PARTITIONS: f64 = 32.0;
/// Most consumers in a group.
pub const MAX_CONSUMERS: f64 = 64.0;
/// Most messages one consumer works on at once.
pub const MAX_CONCURRENCY: f64 = 1_000.0;
/// Most consumer groups (subscribers of the topic).
pub const MAX_GROUPS: f64 = 4.0;
/// Most distinct message keys.
pub const MAX_KEYS: f64 = 100_000.0;
/// Largest `max_receives`.
pub const MAX_RECEIVES: f64 = 100.0;
/// Largest `max_backlog`.
pub const MAX_BACKLOG: f64 = 100_000_000.0;

/// `idempotent`'s options: the URL holds 0 or 1.
pub(super) const IDEMPOTENT_OPTIONS: &[(&str, &str)] = &[
    ("0", "No: a repeated message repeats its effect"),
    ("1", "Yes: a repeated message is recognised and skipped"),
];

/// Every parameter with a control, in the order the controls show them.
pub(super) const SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "delivery",
        label: "Slow work",
        unit: "",
        hint: "Inline: the user waits for the slow work. Queued: the request publishes a message and answers; a consumer does the work later. Changing it restarts the run.",
        kind: ParamKind::Choice {
            options: Delivery::OPTIONS,
        },
    },
    number(
        "rate",
        "Request rate",
        "req/s",
        "Requests per second from the producers (random, Poisson arrivals); each one publishes one message when queued.",
        0.0,
        MAX_RATE,
        0.1,
        false,
        true,
    ),
    ParamSpec {
        key: "shape",
        label: "Traffic shape",
        unit: "",
        hint: "Steady, bursts of ten times the rate for 5 s every minute, or a daily cycle compressed into 10 minutes (0.2 to 1.8 times the rate).",
        kind: ParamKind::Choice {
            options: Shape::OPTIONS,
        },
    },
    number(
        "fast_ms",
        "Fast work",
        "ms",
        "What every request does before it answers (or publishes), in both modes.",
        0.0,
        10_000.0,
        1.0,
        false,
        false,
    ),
    number(
        "slow_ms",
        "Slow work",
        "ms",
        "The slow part (an email, a report), on average: inline it adds to the response; queued a consumer spends it per message.",
        0.0,
        600_000.0,
        1.0,
        false,
        true,
    ),
    ParamSpec {
        key: "processing",
        label: "Slow work time",
        unit: "",
        hint: "How the slow work's duration varies around its mean: constant, exponential (the M/M/c of Erlang C) or log-normal (a long tail).",
        kind: ParamKind::Choice {
            options: Processing::OPTIONS,
        },
    },
    number(
        "partitions",
        "Partitions",
        "",
        "Lanes of the topic; a keyed message goes to hash(key) % partitions; each partition is read by one consumer of a group. Changing it restarts the run.",
        1.0,
        MAX_PARTITIONS,
        1.0,
        true,
        false,
    ),
    number(
        "consumers",
        "Consumers per group",
        "",
        "Consumers in each group; partitions are shared among them, so consumers beyond the partitions sit idle. A change rebalances the group (a pause).",
        0.0,
        MAX_CONSUMERS,
        1.0,
        true,
        false,
    ),
    number(
        "concurrency",
        "Concurrency",
        "messages",
        "Messages one consumer works on at once. Above 1, messages of one partition can finish out of order.",
        1.0,
        MAX_CONCURRENCY,
        1.0,
        true,
        true,
    ),
    number(
        "groups",
        "Consumer groups",
        "",
        "1: a work queue (each message to one consumer). More: a topic with that many subscriber groups, each getting every message. Changing it restarts the run.",
        1.0,
        MAX_GROUPS,
        1.0,
        true,
        false,
    ),
    number(
        "visibility_s",
        "Visibility timeout",
        "s",
        "How long a delivered message stays hidden; without an acknowledgement by then it is delivered again (SQS default 30 s).",
        0.1,
        43_200.0,
        0.1,
        false,
        true,
    ),
    number(
        "failure_rate",
        "Failure rate",
        "",
        "Chance that processing a message fails (a flaky dependency); a failed message is retried with backoff.",
        0.0,
        1.0,
        0.01,
        false,
        false,
    ),
    number(
        "poison_rate",
        "Poison messages",
        "",
        "Share of messages that always fail: they are retried up to max receives, then moved to the dead-letter queue.",
        0.0,
        1.0,
        0.001,
        false,
        false,
    ),
    ParamSpec {
        key: "backoff",
        label: "Retry backoff",
        unit: "",
        hint: "How long a failed message waits before it is delivered again: at once, 1 s, doubling from 1 s (at most 60 s), or doubling with full jitter.",
        kind: ParamKind::Choice {
            options: Backoff::OPTIONS,
        },
    },
    number(
        "max_receives",
        "Max receives",
        "deliveries",
        "Deliveries a message gets before a failure or a timeout moves it to the dead-letter queue.",
        1.0,
        MAX_RECEIVES,
        1.0,
        true,
        false,
    ),
    ParamSpec {
        key: "idempotent",
        label: "Idempotent consumers",
        unit: "",
        hint: "Whether consumers recognise a message they already processed and skip its effect (0 or 1).",
        kind: ParamKind::Choice {
            options: IDEMPOTENT_OPTIONS,
        },
    },
    number(
        "max_backlog",
        "Max backlog",
        "messages",
        "Most messages waiting in a group before producers are refused or blocked. 0: unbounded.",
        0.0,
        MAX_BACKLOG,
        1.0,
        true,
        true,
    ),
    ParamSpec {
        key: "on_full",
        label: "When the backlog is full",
        unit: "",
        hint: "Refuse the publish (the request fails at once) or block the producer until there is room (the user waits, at most 60 s).",
        kind: ParamKind::Choice {
            options: OnFull::OPTIONS,
        },
    },
    number(
        "projection_lag_ms",
        "Read model lag",
        "ms",
        "How long after a write the event-fed read model (a CQRS projection) shows it; reads in between are stale.",
        0.0,
        600_000.0,
        1.0,
        false,
        true,
    ),
    number(
        "keys",
        "Message keys",
        "",
        "Distinct keys (users, orders); a key's messages share a partition, so their order holds. 0: no key, messages spread round robin. Changing it restarts the run.",
        0.0,
        MAX_KEYS,
        1.0,
        true,
        true,
    ),
];
