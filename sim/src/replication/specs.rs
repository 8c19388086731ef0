//! The replication lab's parameter table: key, label, unit, hint and allowed range of every
//! control. `seed` is not here: see [`Config`](super::Config).

use super::commit::CommitMode;
use super::routing::Routing;
use crate::params::{ParamKind, ParamSpec};

/// Builds a number spec (keeps the table below short).
const fn number(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    hint: &'static str,
    min: f64,
    max: f64,
    integer: bool,
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        unit,
        hint,
        kind: ParamKind::Number {
            min,
            max,
            step: 1.0,
            integer,
            log_scale: false,
        },
    }
}

/// Every parameter with a control, in the order the controls show them.
pub(super) const SPECS: &[ParamSpec] = &[
    number(
        "replicas",
        "Replicas",
        "replicas",
        "Replicas copying the primary's log.",
        1.0,
        5.0,
        true,
    ),
    ParamSpec {
        key: "commit",
        label: "Commit mode",
        unit: "",
        hint: "When the primary acknowledges a write: at once, once replicas received it, or once they applied it.",
        kind: ParamKind::Choice {
            options: CommitMode::OPTIONS,
        },
    },
    number(
        "acks",
        "Replica acknowledgements",
        "replicas",
        "Semi-sync and sync: replicas that must confirm a write before it is acknowledged (capped at the replicas).",
        1.0,
        5.0,
        true,
    ),
    number(
        "lag_ms",
        "Replication delay",
        "ms",
        "Mean time for a write to reach a replica.",
        0.0,
        10_000.0,
        false,
    ),
    number(
        "jitter_ms",
        "Delay jitter",
        "ms",
        "Standard deviation of the replication delay.",
        0.0,
        10_000.0,
        false,
    ),
    number(
        "write_rate",
        "Writes",
        "writes/s",
        "Writes per second from all sessions (Poisson).",
        0.0,
        10_000.0,
        false,
    ),
    number(
        "read_rate",
        "Reads",
        "reads/s",
        "Reads per second from all sessions (Poisson).",
        0.0,
        10_000.0,
        false,
    ),
    ParamSpec {
        key: "routing",
        label: "Read routing",
        unit: "",
        hint: "Which node answers a read.",
        kind: ParamKind::Choice {
            options: Routing::OPTIONS,
        },
    },
    number(
        "window_ms",
        "Primary window after a write",
        "ms",
        "Primary after write: reads go to the primary for this long after the session's last write.",
        0.0,
        60_000.0,
        false,
    ),
    number(
        "apply_rate",
        "Replica apply rate",
        "writes/s",
        "Writes a replica applies per second; lag grows when writes come faster.",
        1.0,
        100_000.0,
        false,
    ),
    number(
        "slow_factor",
        "Slow replica factor",
        "x",
        "Multiplies the last replica's delay (1: not slow).",
        1.0,
        100.0,
        false,
    ),
    number(
        "sessions",
        "Client sessions",
        "sessions",
        "Sessions sharing the writes and reads.",
        1.0,
        1_000.0,
        true,
    ),
    number(
        "semi_sync_timeout_ms",
        "Semi-sync timeout",
        "ms",
        "Semi-sync: after waiting this long for receipts the primary falls back to async.",
        1.0,
        60_000.0,
        false,
    ),
];
