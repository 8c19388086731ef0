//! The journey's choice parameters: the size of each app server, where sessions live, and how the
//! system is deployed across regions. Each is an enum whose URL value is its name, with `ALL`,
//! `OPTIONS` (for a select control), `as_str`, `label` and `parse` (the rate limiting lab's
//! `choice!` macro).

use serde::{Deserialize, Serialize};

use crate::capacity::{ServerSize as SizeSpec, SERVER_SIZES};
use crate::ratelimit::choices::choice;

choice! {
    /// The size of every app server (vertical scaling): the seeds' three machines and prices
    /// ([`crate::capacity::SERVER_SIZES`]; prices in [`super::prices`]).
    pub enum ServerSize {
        /// 4 CPU / 16 GB, $0.19 an hour (the default).
        #[default]
        Small = ("small", "4 CPU / 16 GB ($0.19/h)"),
        /// 16 CPU / 64 GB, $0.77 an hour.
        Medium = ("medium", "16 CPU / 64 GB ($0.77/h)"),
        /// 48 CPU / 192 GB, $2.30 an hour.
        Large = ("large", "48 CPU / 192 GB ($2.30/h)"),
    }
}

impl ServerSize {
    /// The capacity lab's description of this size (CPUs, memory, label).
    pub fn spec(self) -> SizeSpec {
        match self {
            ServerSize::Small => SERVER_SIZES[0],
            ServerSize::Medium => SERVER_SIZES[1],
            ServerSize::Large => SERVER_SIZES[2],
        }
    }

    /// CPUs of one server.
    pub fn cpus(self) -> u32 {
        self.spec().cpus
    }
}

choice! {
    /// Where a logged-in user's session lives (the seeds' pattern 1, stateless services).
    ///
    /// | sessions | each dynamic request | when an app server goes away |
    /// |---|---|---|
    /// | `stateless` | reads the session from the shared store: the cache, or the database without one | nothing is lost |
    /// | `local` | finds it in the server's memory (no extra work) | its users are logged out |
    pub enum Sessions {
        /// Sessions in a shared store, so any server can answer any request (the default).
        #[default]
        Stateless = ("stateless", "Stateless (shared session store)"),
        /// Sessions in the app server's memory (sticky sessions).
        Local = ("local", "Local (in the server's memory)"),
    }
}

choice! {
    /// How the system is deployed across regions (the seeds' patterns 11 and 12). `single` and
    /// `active-passive` serve everyone from the US; `active-active` runs the whole stack in the
    /// US, the EU and Asia and sends each user to the nearest region.
    ///
    /// | regions | stacks | a region fails |
    /// |---|---|---|
    /// | `single` | US | everything is down until it returns |
    /// | `active-passive` | US, a warm standby in the EU | down until the standby takes over ([`PASSIVE_FAILOVER_S`](super::PASSIVE_FAILOVER_S)) |
    /// | `active-active` | US, EU, Asia | its users move to the nearest other region after [`ACTIVE_FAILOVER_S`](super::ACTIVE_FAILOVER_S) |
    pub enum Regions {
        /// One region, the US (the default).
        #[default]
        Single = ("single", "Single region (US)"),
        /// The US serves; a warm copy in the EU waits (replicated asynchronously).
        ActivePassive = ("active-passive", "Active-passive (US, standby in the EU)"),
        /// A full stack in each of the US, the EU and Asia; users go to the nearest.
        ActiveActive = ("active-active", "Active-active (US, EU, Asia)"),
    }
}
