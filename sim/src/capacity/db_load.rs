//! The read/write split and what reaches the database behind a cache.
//!
//! Of `λ` requests per second, a share `r` are reads; the cache answers a share `h` of the reads.
//! The database sees the misses, `λ·r·(1 − h)` reads per second, and every write,
//! `λ·(1 − r)` per second. At 1,000 reads per second a 99% hit ratio leaves 10 database reads per
//! second; 90% leaves 100.

use serde::Serialize;

use super::sizing::ceil_whole;

/// Where the requests go.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DbLoad {
    /// Reads per second arriving, `λ·r`.
    pub reads_per_s: f64,
    /// Reads per second the cache answers, `λ·r·h`.
    pub cache_hits_per_s: f64,
    /// Reads per second that miss the cache and reach the database, `λ·r·(1 − h)`.
    pub db_reads_per_s: f64,
    /// Writes per second reaching the database, `λ·(1 − r)`.
    pub db_writes_per_s: f64,
    /// Read replicas needed for the database reads, `⌈db reads / replica capacity⌉` (0 when no
    /// read reaches the database).
    pub read_replicas: u64,
}

/// The database load for `rps` requests per second, a `read_ratio` and a cache `hit_ratio` (both
/// fractions, clamped to `[0, 1]`), with `replica_read_capacity` reads per second per replica.
pub fn db_load(rps: f64, read_ratio: f64, hit_ratio: f64, replica_read_capacity: f64) -> DbLoad {
    let read_ratio = read_ratio.clamp(0.0, 1.0);
    let hit_ratio = hit_ratio.clamp(0.0, 1.0);
    let reads_per_s = rps * read_ratio;
    let db_reads_per_s = reads_per_s * (1.0 - hit_ratio);
    let read_replicas = if replica_read_capacity > 0.0 {
        ceil_whole(db_reads_per_s / replica_read_capacity)
    } else {
        0
    };
    DbLoad {
        reads_per_s,
        cache_hits_per_s: reads_per_s * hit_ratio,
        db_reads_per_s,
        db_writes_per_s: rps * (1.0 - read_ratio),
        read_replicas,
    }
}
