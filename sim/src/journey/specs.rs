//! The journey's parameter table: key, label, unit, hint and allowed range of every control.
//! `region_mix` is a text (not a [`ParamSpec`], like the sharding lab's `regions`); `seed` is not
//! here (as in every lab).

use super::choices::{Regions, ServerSize, Sessions};
use crate::params::{number_spec as number, ParamKind, ParamSpec};

/// Most app servers per region.
pub const MAX_APP_SERVERS: u32 = 2_000;
/// Largest cache per region, GB.
pub const MAX_CACHE_GB: f64 = 64.0;
/// Most read replicas per shard.
pub const MAX_REPLICAS: u32 = 20;
/// Most shards.
pub const MAX_SHARDS: u32 = 64;
/// Most queue workers per region.
pub const MAX_WORKERS: u32 = 1_000;
/// Largest connection pool per app server.
pub const MAX_POOL: u32 = 200;
/// Highest connection limit of a database node.
pub const MAX_DB_CONNECTIONS: u32 = 20_000;
/// Most users (the seeds' stage 4 goes past a million; ten million is the lab's top).
pub const MAX_USERS: f64 = 10_000_000.0;
/// Highest stage (levels 1 to 4; 0 is the sandbox).
pub const MAX_STAGE: u32 = 4;

const fn toggle(key: &'static str, label: &'static str, hint: &'static str) -> ParamSpec {
    ParamSpec {
        key,
        label,
        unit: "",
        hint,
        kind: ParamKind::Toggle,
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    options: &'static [(&'static str, &'static str)],
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        unit: "",
        hint,
        kind: ParamKind::Choice { options },
    }
}

/// Every parameter with a control, in the order the controls show them (`region_mix` apart).
pub(super) const SPECS: &[ParamSpec] = &[
    number(
        "stage",
        "Stage",
        "",
        "The level: 1 (1K users) to 4 (10M users, worldwide), each with its traffic, fault and budget; 0 is the sandbox, where the traffic settings below apply.",
        0.0,
        MAX_STAGE as f64,
        1.0,
        true,
        false,
    ),
    number(
        "app_servers",
        "App servers",
        "",
        "App servers per region. One is a single box; two or more sit behind a load balancer. With autoscaling, the fewest it keeps.",
        1.0,
        MAX_APP_SERVERS as f64,
        1.0,
        true,
        true,
    ),
    choice(
        "server_size",
        "Server size",
        "Vertical scaling: a bigger machine does more, but its price grows faster than what it can do.",
        ServerSize::OPTIONS,
    ),
    choice(
        "sessions",
        "Sessions",
        "Stateless servers keep sessions in a shared store; local sessions are lost when a server goes away.",
        Sessions::OPTIONS,
    ),
    toggle(
        "cdn",
        "CDN",
        "Static files (images, scripts) come from an edge near the user instead of the app servers.",
    ),
    number(
        "cache_gb",
        "Cache",
        "GB",
        "A shared cache (Redis) per region in front of the database; the hit ratio follows from its size (LRU on Zipf popularity). 0: no cache.",
        0.0,
        MAX_CACHE_GB,
        0.5,
        false,
        false,
    ),
    number(
        "replicas",
        "Read replicas",
        "per shard",
        "Copies of each database that take the reads and can replace the primary when it fails.",
        0.0,
        MAX_REPLICAS as f64,
        1.0,
        true,
        false,
    ),
    number(
        "shards",
        "Shards",
        "",
        "Database primaries, each holding a share of the users: writes (and reads) split between them.",
        1.0,
        MAX_SHARDS as f64,
        1.0,
        true,
        false,
    ),
    toggle(
        "queue",
        "Queue",
        "Slow tasks (email) go to a queue and workers do them later; the request answers at once.",
    ),
    number(
        "workers",
        "Workers",
        "",
        "Queue workers per region, each sending up to 50 emails at a time.",
        0.0,
        MAX_WORKERS as f64,
        1.0,
        true,
        true,
    ),
    toggle(
        "autoscale",
        "Autoscale",
        "The Kubernetes HPA adds and removes app servers to keep their CPU near 70% (new ones take a minute to start).",
    ),
    toggle(
        "breaker",
        "Circuit breaker",
        "On the third-party call: after 5 failures in a row it fails fast (with a fallback) for 30 s instead of waiting.",
    ),
    choice(
        "regions",
        "Regions",
        "One region, a warm standby in a second one, or a full stack on every continent.",
        Regions::OPTIONS,
    ),
    number(
        "pool",
        "Connection pool",
        "per server",
        "Database connections each app server holds open (HikariCP's default is 10).",
        1.0,
        MAX_POOL as f64,
        1.0,
        true,
        false,
    ),
    number(
        "db_max_connections",
        "Database connection limit",
        "",
        "Connections one database node accepts (PostgreSQL's default max_connections is 100); past it, requests fail.",
        10.0,
        MAX_DB_CONNECTIONS as f64,
        1.0,
        true,
        true,
    ),
    number(
        "users",
        "Users",
        "",
        "Users online at once (sandbox only), each sending a request every 10 s on average.",
        1.0,
        MAX_USERS,
        1.0,
        true,
        true,
    ),
    number(
        "read_ratio",
        "Reads",
        "of dynamic requests",
        "Share of the dynamic requests that only read (sandbox only); the rest write.",
        0.0,
        1.0,
        0.01,
        false,
        false,
    ),
    number(
        "static_share",
        "Static files",
        "of requests",
        "Share of all requests that fetch a static file (sandbox only).",
        0.0,
        0.95,
        0.01,
        false,
        false,
    ),
    number(
        "slow_share",
        "Slow tasks",
        "of dynamic requests",
        "Share of the dynamic requests that also send an email, 2 s each (sandbox only).",
        0.0,
        0.5,
        0.01,
        false,
        false,
    ),
];
