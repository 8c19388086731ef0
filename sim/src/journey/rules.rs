//! The seeds' two rules of thumb the journey rests on, computed by the capacity lab's code:
//! Little's law for sizing (003, "Capacity planning") and the read load a cache leaves to the
//! database (002, "Caching": "1000 req/sec → only 10 DB queries/sec (if 99% cache hit rate)").

use crate::capacity::{concurrent_requests, db_load, servers_for_load};

/// Servers for `rps` requests per second that each take `latency_s` when a server holds
/// `connections_per_server` at once: `⌈rps × latency / connections⌉` (the seeds: 100,000 RPS ×
/// 0.2 s / 10,000 → 2 servers).
pub fn servers_needed(rps: f64, latency_s: f64, connections_per_server: f64) -> u64 {
    servers_for_load(concurrent_requests(rps, latency_s * 1_000.0), connections_per_server)
}

/// Reads per second reaching the database when `reads_per_s` meet a cache hitting `hit_ratio`:
/// `reads × (1 − hit)` (the seeds: 1,000 at 99% → 10).
pub fn db_reads(reads_per_s: f64, hit_ratio: f64) -> f64 {
    db_load(reads_per_s, 1.0, hit_ratio, 0.0).db_reads_per_s
}
