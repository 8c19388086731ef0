//! The labs: one folder per lab page, and the registry (`registry.rs`), the one list of labs that
//! the home cards, the header, the routes, the icons, the lesson summary's "next lab" and the
//! end-to-end tests' routes all come from.

pub mod autoscaling;
pub mod cache;
pub mod capacity;
pub mod circuit_breaker;
pub mod hash_ring;
pub mod journey;
pub mod load_balancing;
pub mod queues;
pub mod rate_limiting;
mod registry;
pub mod replication;
pub mod sharding;

pub use registry::{LABS, PAGES};

use crate::kit::LabLoader;

/// Whether a lab can be opened yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabStatus {
    /// Built and linked from the home page.
    Ready,
    /// Listed on the home page as coming soon.
    ComingSoon,
}

/// One lab in the registry.
#[derive(Clone, Copy)]
pub struct LabInfo {
    /// URL slug under `/labs/`, e.g. `"hash-ring"`; also the lesson's id.
    pub slug: &'static str,
    /// Display title.
    pub title: &'static str,
    /// One-line pitch for the home page card.
    pub pitch: &'static str,
    /// Ready or coming soon.
    pub status: LabStatus,
    /// The card's picture: SVG shapes in an 80 x 80 box, classes `ic-a`/`ic-b`/`ic-c` (the palette),
    /// `ic-line` and `ic-key`.
    pub icon: &'static str,
}

/// The ready lab listed after `slug` (`None` after the last one).
pub fn next_after(slug: &str) -> Option<&'static LabInfo> {
    let i = LABS.iter().position(|l| l.slug == slug)?;
    LABS.iter().skip(i + 1).find(|l| l.status == LabStatus::Ready)
}

/// A ready lab's page loader, by its slug (`None`: no such lab, or coming soon).
pub fn page(slug: &str) -> Option<LabLoader> {
    PAGES.iter().find(|(s, _)| *s == slug).map(|(_, load)| *load)
}

/// Looks a lab up by its slug.
pub fn find(slug: &str) -> Option<&'static LabInfo> {
    LABS.iter().find(|l| l.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_ready_labs_have_a_page() {
        for (i, lab) in LABS.iter().enumerate() {
            assert!(
                LABS.iter().skip(i + 1).all(|o| o.slug != lab.slug),
                "{} twice",
                lab.slug
            );
            assert_eq!(page(lab.slug).is_some(), lab.status == LabStatus::Ready, "{}", lab.slug);
            assert!(!lab.icon.is_empty() && !lab.pitch.is_empty(), "{}", lab.slug);
        }
        assert!(
            PAGES.iter().all(|(slug, _)| find(slug).is_some()),
            "a page for every ready lab only"
        );
        // The suggested path: one server first, the hash ring before sharding, the journey last.
        assert_eq!(LABS.first().map(|l| l.slug), Some("capacity"));
        assert_eq!(next_after("capacity").map(|l| l.slug), Some("load-balancing"));
        assert_eq!(next_after("hash-ring").map(|l| l.slug), Some("sharding"));
        assert_eq!(next_after("circuit-breaker").map(|l| l.slug), Some("journey"));
        assert!(next_after("journey").is_none(), "the journey is last");
    }
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
    fn autoscaling() {
        assert_lesson_holds::<super::autoscaling::state::AsState>(&lessons::AUTOSCALING, lessons::AUTOSCALING_CHECKS);
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
    fn load_balancing() {
        assert_lesson_holds::<super::load_balancing::state::LbState>(
            &lessons::LOAD_BALANCING,
            lessons::LOAD_BALANCING_CHECKS,
        );
    }

    #[test]
    fn queues() {
        assert_lesson_holds::<super::queues::state::QState>(&lessons::QUEUES, lessons::QUEUES_CHECKS);
    }

    #[test]
    fn rate_limiting() {
        assert_lesson_holds::<super::rate_limiting::state::RlState>(
            &lessons::RATE_LIMITING,
            lessons::RATE_LIMITING_CHECKS,
        );
    }

    #[test]
    fn sharding() {
        assert_lesson_holds::<super::sharding::state::ShardState>(&lessons::SHARDING, lessons::SHARDING_CHECKS);
    }

    #[test]
    fn journey() {
        assert_lesson_holds::<super::journey::state::JState>(&lessons::JOURNEY, lessons::JOURNEY_CHECKS);
    }

    #[test]
    fn replication() {
        assert_lesson_holds::<super::replication::state::ReplState>(&lessons::REPLICATION, lessons::REPLICATION_CHECKS);
    }
}
