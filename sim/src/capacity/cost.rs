//! Horizontal against vertical: the same load on small, medium or large servers, and what each
//! fleet costs per hour.
//!
//! Assumption: a server's capacity scales with its CPUs. A 4-CPU server holds `concurrency`
//! concurrent requests, a 16-CPU one 4 times that, a 48-CPU one 12 times. Each size is sized with
//! the same rule (load, then headroom, then redundancy), so the comparison is like for like;
//! redundancy means even the large size needs at least two servers to survive a zone loss.

use serde::Serialize;

use super::format::tidy;
use super::redundancy::Redundancy;
use super::sizing::{servers_for_load, with_headroom};

/// A server size on the price list.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ServerSize {
    /// Stable identifier: `"small"`, `"medium"` or `"large"`.
    pub key: &'static str,
    /// Display name, e.g. `"4 CPU / 16 GB"`.
    pub label: &'static str,
    /// CPUs.
    pub cpus: u32,
    /// Memory in GB.
    pub memory_gb: u32,
}

impl ServerSize {
    /// Capacity relative to the small size: `cpus / 4`.
    pub fn capacity_factor(&self) -> f64 {
        f64::from(self.cpus) / f64::from(SERVER_SIZES[0].cpus)
    }
}

/// The seeds' three sizes (prices are parameters: [`Config`](super::Config)'s `price_*_per_hour`).
pub const SERVER_SIZES: [ServerSize; 3] = [
    ServerSize {
        key: "small",
        label: "4 CPU / 16 GB",
        cpus: 4,
        memory_gb: 16,
    },
    ServerSize {
        key: "medium",
        label: "16 CPU / 64 GB",
        cpus: 16,
        memory_gb: 64,
    },
    ServerSize {
        key: "large",
        label: "48 CPU / 192 GB",
        cpus: 48,
        memory_gb: 192,
    },
];

/// One size's fleet for the load, and its price.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostOption {
    /// The server size.
    pub size: ServerSize,
    /// Hourly price of one server, dollars.
    pub price_per_hour: f64,
    /// Concurrent requests one server of this size holds: `concurrency × cpus / 4`.
    pub concurrency_per_server: f64,
    /// Servers of this size: load, then headroom, then redundancy.
    pub servers: u64,
    /// CPUs in the whole fleet.
    pub total_cpus: u64,
    /// The fleet's hourly cost, `servers × price`, dollars.
    pub cost_per_hour: f64,
}

/// Sizes the load (`concurrent` requests in flight) on each of [`SERVER_SIZES`], small first.
/// `prices` are dollars per hour for small, medium, large.
pub fn cost_options(
    concurrent: f64,
    small_concurrency: f64,
    headroom_pct: f64,
    redundancy: Redundancy,
    prices: [f64; 3],
) -> Vec<CostOption> {
    SERVER_SIZES
        .iter()
        .zip(prices)
        .map(|(size, price_per_hour)| {
            let concurrency_per_server = small_concurrency * size.capacity_factor();
            let base = servers_for_load(concurrent, concurrency_per_server);
            let servers = redundancy.apply(with_headroom(base, headroom_pct));
            CostOption {
                size: *size,
                price_per_hour,
                concurrency_per_server,
                servers,
                total_cpus: servers.saturating_mul(u64::from(size.cpus)),
                cost_per_hour: tidy(servers as f64 * price_per_hour),
            }
        })
        .collect()
}

/// The index of the cheapest option (the smaller size on a tie), or `None` for an empty list.
pub fn cheapest(options: &[CostOption]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, option) in options.iter().enumerate() {
        if best.is_none_or(|(_, cost)| option.cost_per_hour < cost) {
            best = Some((i, option.cost_per_hour));
        }
    }
    best.map(|(i, _)| i)
}
