//! The lab catalogue and one folder per lab page.

pub mod cache;
pub mod capacity;
pub mod circuit_breaker;
pub mod hash_ring;
pub mod replication;

/// Whether a lab can be opened yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabStatus {
    /// Built and linked from the home page.
    Ready,
    /// Listed on the home page as coming soon.
    ComingSoon,
}

/// One entry of the catalogue shown on the home page.
#[derive(Clone, Copy, Debug)]
pub struct LabInfo {
    /// URL slug under `/labs/`, e.g. `"hash-ring"`.
    pub slug: &'static str,
    /// Display title.
    pub title: &'static str,
    /// One-line pitch for the home page card.
    pub pitch: &'static str,
    /// Ready or coming soon.
    pub status: LabStatus,
}

/// Every lab, in the order the home page lists them.
pub const LABS: &[LabInfo] = &[
    LabInfo {
        slug: "hash-ring",
        title: "Hash ring",
        pitch:
            "Add a server and watch which keys move: modulo, consistent hashing, jump, rendezvous and bounded loads.",
        status: LabStatus::Ready,
    },
    LabInfo {
        slug: "replication",
        title: "Replication lag",
        pitch: "Send writes to a primary, read from replicas that lag behind, and count what a failover loses.",
        status: LabStatus::Ready,
    },
    LabInfo {
        slug: "cache",
        title: "Cache strategies",
        pitch: "Run one request stream through cache-aside, write-through, write-behind and friends.",
        status: LabStatus::Ready,
    },
    LabInfo {
        slug: "circuit-breaker",
        title: "Circuit breaker",
        pitch: "Trip a breaker call by call, then watch it stop a failing dependency from taking you down.",
        status: LabStatus::Ready,
    },
    LabInfo {
        slug: "capacity",
        title: "Capacity calculator",
        pitch: "From peak traffic to a fleet size and a bill, with Little's law and queueing checked by simulation.",
        status: LabStatus::Ready,
    },
];

/// The ready lab listed after `slug` (`None` after the last one).
pub fn next_after(slug: &str) -> Option<&'static LabInfo> {
    let i = LABS.iter().position(|l| l.slug == slug)?;
    LABS.iter().skip(i + 1).find(|l| l.status == LabStatus::Ready)
}

/// Looks a lab up by its slug.
pub fn find(slug: &str) -> Option<&'static LabInfo> {
    LABS.iter().find(|l| l.slug == slug)
}

/// Every lesson says what its lab does: each step run through the lab's controller by the kit's
/// lesson check (see `kit::lesson_check`).
#[cfg(test)]
mod lessons_hold {
    use crate::kit::lesson_check::assert_lesson_holds;
    use crate::lessons;

    #[test]
    fn hash_ring() {
        assert_lesson_holds::<super::hash_ring::state::RingState>(&lessons::HASH_RING, lessons::HASH_RING_CHECKS);
    }

    #[test]
    fn cache() {
        assert_lesson_holds::<super::cache::state::CacheState>(&lessons::CACHE, lessons::CACHE_CHECKS);
    }

    #[test]
    fn capacity() {
        assert_lesson_holds::<super::capacity::state::CapState>(&lessons::CAPACITY, lessons::CAPACITY_CHECKS);
    }

    #[test]
    fn circuit_breaker() {
        assert_lesson_holds::<super::circuit_breaker::state::BreakerState>(
            &lessons::CIRCUIT_BREAKER,
            lessons::CIRCUIT_BREAKER_CHECKS,
        );
    }

    #[test]
    fn replication() {
        assert_lesson_holds::<super::replication::state::ReplState>(&lessons::REPLICATION, lessons::REPLICATION_CHECKS);
    }
}
