//! The registry: every lab, in the suggested order through them (the home page and the header
//! list them so, and a lesson's end links to the next). Adding a lab is
//! one entry here (plus its folders: see ARCHITECTURE.md, "Adding a lab"). The end-to-end tests
//! and the benchmark read their list of routes from this file (`slug` and `status` of each entry).

use super::{LabInfo, LabStatus};
use crate::kit::LabLoader;

/// Every lab, in the learning path the seeds' scaling path suggests: one server (capacity), then
/// load balancing and caching, replication, sharding (the hash ring first, its placement),
/// queues, autoscaling, protecting a service (rate limiting, circuit breakers), and the journey
/// where they compose, last.
pub const LABS: &[LabInfo] = &[
    LabInfo {
        slug: "capacity",
        title: "Capacity calculator",
        pitch: "From peak traffic to a fleet size and a bill, with Little's law and queueing checked by simulation.",
        status: LabStatus::Ready,
        icon: r#"<rect x="10" y="50" width="12" height="18" class="ic-a"/> <rect x="26" y="38" width="12" height="30" class="ic-b"/> <rect x="42" y="26" width="12" height="42" class="ic-c"/> <path d="M8 60 Q40 58 60 14" class="ic-line"/>"#,
    },
    LabInfo {
        slug: "load-balancing",
        title: "Load balancing",
        pitch: "Round robin to power of two choices: spread requests over servers that differ, fail and keep sessions.",
        status: LabStatus::Ready,
        icon: r#"<rect x="30" y="8" width="20" height="14" rx="3" class="ic-a"/> <path d="M40 22 L16 50 M40 22 L40 50 M40 22 L64 50" class="ic-line"/> <circle cx="16" cy="60" r="8" class="ic-b"/> <circle cx="40" cy="60" r="8" class="ic-b"/> <circle cx="64" cy="60" r="8" class="ic-c"/>"#,
    },
    LabInfo {
        slug: "cache",
        title: "Cache strategies",
        pitch: "Run one request stream through cache-aside, write-through, write-behind and friends.",
        status: LabStatus::Ready,
        icon: r#"<rect x="6" y="30" width="16" height="20" rx="3" class="ic-c"/> <rect x="32" y="26" width="16" height="28" rx="3" class="ic-a"/> <ellipse cx="66" cy="30" rx="9" ry="4" class="ic-b"/> <path d="M57 30 V52 A9 4 0 0 0 75 52 V30" class="ic-b"/> <path d="M22 40 H32 M48 40 H57" class="ic-line"/>"#,
    },
    LabInfo {
        slug: "replication",
        title: "Replication lag",
        pitch: "Send writes to a primary, read from replicas that lag behind, and count what a failover loses.",
        status: LabStatus::Ready,
        icon: r#"<rect x="30" y="8" width="20" height="16" rx="3" class="ic-a"/> <rect x="8" y="54" width="18" height="14" rx="3" class="ic-b"/> <rect x="31" y="54" width="18" height="14" rx="3" class="ic-b"/> <rect x="54" y="54" width="18" height="14" rx="3" class="ic-c"/> <path d="M40 24 L17 54 M40 24 L40 54 M40 24 L63 54" class="ic-line"/>"#,
    },
    LabInfo {
        slug: "hash-ring",
        title: "Hash ring",
        pitch:
            "Add a server and watch which keys move: modulo, consistent hashing, jump, rendezvous and bounded loads.",
        status: LabStatus::Ready,
        icon: r#"<circle cx="40" cy="40" r="26" class="ic-line"/> <circle cx="40" cy="14" r="6" class="ic-a"/> <circle cx="62.5" cy="53" r="6" class="ic-b"/> <circle cx="17.5" cy="53" r="6" class="ic-c"/> <circle cx="65" cy="33" r="3" class="ic-key"/> <circle cx="28" cy="64" r="3" class="ic-key"/> <circle cx="18" cy="25" r="3" class="ic-key"/>"#,
    },
    LabInfo {
        slug: "sharding",
        title: "Sharding",
        pitch: "Pick a shard key and a strategy, find the hot shard, and pay for resharding.",
        status: LabStatus::Ready,
        icon: r#"<rect x="8" y="18" width="18" height="46" rx="3" class="ic-a"/> <rect x="31" y="18" width="18" height="46" rx="3" class="ic-b"/> <rect x="54" y="18" width="18" height="46" rx="3" class="ic-c"/> <circle cx="17" cy="10" r="3" class="ic-key"/> <circle cx="63" cy="10" r="3" class="ic-key"/>"#,
    },
    LabInfo {
        slug: "queues",
        title: "Queues and async work",
        pitch: "Answer now, work later: backlogs, consumer groups, retries, duplicates and dead letters.",
        status: LabStatus::Ready,
        icon: r#"<rect x="6" y="30" width="12" height="20" rx="2" class="ic-a"/> <rect x="21" y="30" width="12" height="20" rx="2" class="ic-a"/> <rect x="36" y="30" width="12" height="20" rx="2" class="ic-b"/> <path d="M52 40 H64 M60 35 L65 40 L60 45" class="ic-line"/> <circle cx="72" cy="40" r="5" class="ic-c"/>"#,
    },
    LabInfo {
        slug: "autoscaling",
        title: "Autoscaling",
        pitch: "Watch the autoscaler chase a traffic curve: tolerance, stabilization, cold starts and thrashing.",
        status: LabStatus::Ready,
        icon: r#"<rect x="8" y="46" width="14" height="22" rx="2" class="ic-a"/> <rect x="26" y="46" width="14" height="22" rx="2" class="ic-a"/> <rect x="44" y="46" width="14" height="22" rx="2" class="ic-b"/> <path d="M8 36 Q36 34 64 12 M56 12 H64 V20" class="ic-line"/>"#,
    },
    LabInfo {
        slug: "rate-limiting",
        title: "Rate limiting",
        pitch: "Token bucket, leaky bucket, windows and GCRA on one request stream, and the bursts between them.",
        status: LabStatus::Ready,
        icon: r#"<path d="M18 26 H62 L56 68 H24 Z" class="ic-b"/> <circle cx="32" cy="16" r="4" class="ic-key"/> <circle cx="44" cy="10" r="4" class="ic-key"/> <circle cx="40" cy="40" r="5" class="ic-a"/> <circle cx="40" cy="56" r="5" class="ic-a"/>"#,
    },
    LabInfo {
        slug: "circuit-breaker",
        title: "Circuit breaker",
        pitch: "Trip a breaker call by call, then watch it stop a failing dependency from taking you down.",
        status: LabStatus::Ready,
        icon: r#"<circle cx="16" cy="40" r="9" class="ic-a"/> <circle cx="64" cy="40" r="9" class="ic-c"/> <path d="M25 40 H34 L46 28 M50 40 H55" class="ic-line"/> <circle cx="40" cy="16" r="5" class="ic-b"/>"#,
    },
    LabInfo {
        slug: "journey",
        title: "The scaling journey",
        pitch: "One system from a single server to four regions, where the bottleneck keeps moving.",
        status: LabStatus::Ready,
        icon: r#"<path d="M10 66 Q24 40 40 46 T70 14" class="ic-line"/> <circle cx="10" cy="66" r="6" class="ic-a"/> <circle cx="40" cy="46" r="6" class="ic-b"/> <circle cx="70" cy="14" r="6" class="ic-c"/>"#,
    },
];

/// Each ready lab's page, by slug: its loader fetches the lab's own wasm piece (see
/// `kit::entry`). Kept apart from [`LABS`] so that what only lists the labs (the header, the home
/// cards, the lesson summary's next lab) never links the loaders: a wasm that links one must be
/// split before it runs, and the wasm browser tests are not.
pub const PAGES: &[(&str, LabLoader)] = &[
    ("hash-ring", || Box::pin(super::hash_ring::load())),
    ("replication", || Box::pin(super::replication::load())),
    ("cache", || Box::pin(super::cache::load())),
    ("circuit-breaker", || Box::pin(super::circuit_breaker::load())),
    ("capacity", || Box::pin(super::capacity::load())),
    ("load-balancing", || Box::pin(super::load_balancing::load())),
    ("rate-limiting", || Box::pin(super::rate_limiting::load())),
    ("queues", || Box::pin(super::queues::load())),
    ("sharding", || Box::pin(super::sharding::load())),
    ("autoscaling", || Box::pin(super::autoscaling::load())),
    ("journey", || Box::pin(super::journey::load())),
];
