//! The four levels, after the seeds' scaling path (002, 003): each has its users, its traffic mix,
//! a fault one third into the hour, and a budget. A level is won when, over a simulated hour that
//! includes the fault, every region's p99 stays under [`SLO_MS`] (at most 1% of its requests
//! slower), under 1% of the requests fail, and the architecture's cost per month (its spend over
//! the hour, as a monthly rate) is within the budget.
//!
//! | stage | seeds' stage | users | where | fault at 20 min | budget / month | what it takes |
//! |---|---|---|---|---|---|---|
//! | 1 | 1–1K users: one server, one database | 1,000 | US | the third-party API hangs | $1,000 | one box, a circuit breaker |
//! | 2 | 1K–100K: load balancer, app servers, cache, read replicas | 100,000 | US | the primary database fails | $8,000 | a fleet, the connection limit, a cache, replicas |
//! | 3 | 100K–1M: CDN, queues and workers, sharding | 1,000,000 | US | a traffic spike (×2.5) | $80,000 | a queue for email, shards, a bigger cache, autoscaling |
//! | 4 | 1M+: multiple regions | 10,000,000 | US 60%, EU 25%, Asia 15% | the US region fails | $1,100,000 | active-active regions, each able to take the US's users |
//!
//! The budgets sit above a known winning architecture's cost (the tests play each level with
//! one) and below the obvious ways around the lesson (stage 3: enough fixed servers for the spike
//! cost more than the autoscaled fleet).

use serde::Serialize;

use super::faults::Fault;

/// The SLO every level holds: p99 under this many ms in every region.
pub const SLO_MS: f64 = 200.0;
/// The SLO's error budget: under this share of the requests fail.
pub const ERROR_BUDGET: f64 = 0.01;
/// How long a level runs, simulated seconds (an hour).
pub const LEVEL_S: u64 = 3_600;
/// When a level's fault starts, simulated seconds (20 minutes in).
pub const FAULT_AT_S: u64 = 1_200;

/// The traffic a run sees: users, where they are, and what they ask for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Traffic {
    /// Users online at once.
    pub users: f64,
    /// Each region's share of them, indexed US, EU, Asia (sums to 1).
    pub shares: [f64; 3],
    /// Share of the dynamic requests that only read.
    pub read_ratio: f64,
    /// Share of all requests that fetch a static file.
    pub static_share: f64,
    /// Share of the dynamic requests that also need a slow task (an email).
    pub slow_share: f64,
}

/// One level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stage {
    /// 1 to 4.
    pub number: u32,
    /// A short title.
    pub title: &'static str,
    /// The seeds' range of users for this stage.
    pub seeds_range: &'static str,
    /// The traffic.
    pub traffic: Traffic,
    /// The fault, [`FAULT_AT_S`] into the hour.
    pub fault: Fault,
    /// The budget, dollars per month.
    pub budget_per_month: f64,
}

/// The four levels.
pub const STAGES: [Stage; 4] = [
    Stage {
        number: 1,
        title: "One box",
        seeds_range: "1–1K users",
        traffic: Traffic {
            users: 1_000.0,
            shares: [1.0, 0.0, 0.0],
            read_ratio: 0.9,
            static_share: 0.5,
            slow_share: 0.01,
        },
        fault: Fault::ThirdPartyDown,
        budget_per_month: 1_000.0,
    },
    Stage {
        number: 2,
        title: "Growth",
        seeds_range: "1K–100K users",
        traffic: Traffic {
            users: 100_000.0,
            shares: [1.0, 0.0, 0.0],
            read_ratio: 0.9,
            static_share: 0.5,
            slow_share: 0.01,
        },
        fault: Fault::PrimaryDown,
        budget_per_month: 8_000.0,
    },
    Stage {
        number: 3,
        title: "Scale",
        seeds_range: "100K–1M users",
        traffic: Traffic {
            users: 1_000_000.0,
            shares: [1.0, 0.0, 0.0],
            read_ratio: 0.8,
            static_share: 0.5,
            slow_share: 0.05,
        },
        fault: Fault::Spike,
        budget_per_month: 80_000.0,
    },
    Stage {
        number: 4,
        title: "Worldwide",
        seeds_range: "1M+ users",
        traffic: Traffic {
            users: 10_000_000.0,
            shares: [0.6, 0.25, 0.15],
            read_ratio: 0.9,
            static_share: 0.5,
            slow_share: 0.05,
        },
        fault: Fault::RegionDown,
        budget_per_month: 1_100_000.0,
    },
];

/// Level `number` (1 to 4); `None` for the sandbox (0) or anything else.
pub fn stage(number: u32) -> Option<&'static Stage> {
    STAGES.iter().find(|s| s.number == number)
}
