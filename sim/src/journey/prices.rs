//! What each component costs per month. Server prices are the seeds' (003, "Cost example":
//! m5.xlarge 4 CPU $0.19/h, m5.4xlarge 16 CPU $0.77/h, m5.12xlarge 48 CPU $2.30/h); the others
//! are assumptions of the model, stated here, in the order of magnitude of public cloud prices.
//! Network transfer is left out for every component alike.

use super::choices::ServerSize;

/// Hours in a month (365 × 24 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;
/// Seconds in a month.
pub const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3_600.0;

/// Dollars per hour of one server of `size` (the seeds' prices).
pub fn server_per_hour(size: ServerSize) -> f64 {
    match size {
        ServerSize::Small => 0.19,
        ServerSize::Medium => 0.77,
        ServerSize::Large => 2.30,
    }
}

/// A database node (a primary or a replica) is a 16-CPU machine at the seeds' 16-CPU price.
pub const DB_NODE_PER_HOUR: f64 = 0.77;
/// A load balancer per region, dollars per month (assumption: a managed balancer's hourly fee,
/// ~$0.0225/h, plus some capacity units).
pub const LOAD_BALANCER_PER_MONTH: f64 = 25.0;
/// Cache memory, dollars per GB per month (assumption: managed Redis costs ~$10–15 per GB-month).
pub const CACHE_PER_GB_MONTH: f64 = 12.0;
/// CDN, dollars per million static requests (CloudFront's US price per 10,000 HTTP requests,
/// $0.0075).
pub const CDN_PER_MILLION: f64 = 0.75;
/// Queue, dollars per million messages (SQS standard: $0.40 per million requests).
pub const QUEUE_PER_MILLION: f64 = 0.40;
/// A queue worker is a small server.
pub const WORKER_PER_HOUR: f64 = 0.19;
