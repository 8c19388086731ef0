//! The consistent-hash ring (Karger et al., 1997): sorted virtual-node points and lookups.
//!
//! A key belongs to the first point clockwise at or after its hash, wrapping past the top of the
//! 64-bit circle to the first point. The ring is generic over how points get their positions: the lab
//! hashes `node-<id>#<replica>` with xxh3 ([`super::hash::point_hash`]), and a test reproduces
//! groupcache's ring with its own naming (`<replica><name>`) and hash.
//!
//! Lookups use a bucket index over the top bits of the hash (about one bucket per four points), so a lookup
//! is one table read plus a binary search over a handful of points, even with a million points.
//! Points at an identical position are ordered by member order (the lab lists nodes by increasing
//! id), then replica; the first one wins.

use super::membership::NodeId;
use super::ring_builder::RingBuilder;

/// A node as the ring sees it: its id and how many points it puts on the circle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingMember {
    /// The node's id.
    pub id: NodeId,
    /// Its number of virtual points.
    pub points: u32,
}

/// One virtual point on the ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingPoint {
    /// Position on the circle, in hash units (`0..2^64`).
    pub position: u64,
    /// The node that owns the point.
    pub owner: NodeId,
    /// Which of the owner's points this is (`0..points`).
    pub replica: u32,
}

/// A point as stored (16 bytes): position, owner's member index, replica. The derived order is
/// the ring order, ties broken by member order, then replica.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct StoredPoint {
    pub(crate) position: u64,
    pub(crate) member: u32,
    pub(crate) replica: u32,
}

/// A built ring: points sorted by position, with a lookup index.
#[derive(Clone, Debug, PartialEq)]
pub struct Ring {
    members: Vec<RingMember>,
    points: Vec<StoredPoint>,
    /// `bucket_starts[t]` = index of the first point whose top `index_bits` bits are `>= t`;
    /// `2^index_bits + 1` entries.
    bucket_starts: Vec<u32>,
    index_bits: u32,
}

impl Ring {
    /// Builds a ring in one go: `point_hash(id, replica)` gives each point's position.
    /// For big rings prefer [`RingBuilder`], which can be run in slices.
    pub fn build<H: Fn(NodeId, u32) -> u64>(members: Vec<RingMember>, point_hash: H) -> Ring {
        let mut builder = RingBuilder::new(members, point_hash);
        while !builder.advance(usize::MAX).is_done() {}
        builder.finish()
    }

    /// Assembles a ring from sorted points and their bucket index (used by [`RingBuilder`]).
    pub(crate) fn from_parts(
        members: Vec<RingMember>,
        points: Vec<StoredPoint>,
        bucket_starts: Vec<u32>,
        index_bits: u32,
    ) -> Ring {
        Ring {
            members,
            points,
            bucket_starts,
            index_bits,
        }
    }

    /// The nodes on the ring, in member order.
    pub fn members(&self) -> &[RingMember] {
        &self.members
    }

    /// The number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the ring has no points (every lookup then gives `None`).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The index (in position order) of the point that owns `hash`: the first point at or after it,
    /// wrapping to point 0. `None` on an empty ring.
    pub fn point_index(&self, hash: u64) -> Option<usize> {
        if self.points.is_empty() {
            return None;
        }
        let bucket = (hash >> (64 - self.index_bits)) as usize;
        let lo = *self.bucket_starts.get(bucket)? as usize;
        let hi = *self.bucket_starts.get(bucket + 1)? as usize;
        let in_bucket = self.points.get(lo..hi)?;
        let i = lo + in_bucket.partition_point(|p| p.position < hash);
        Some(if i >= self.points.len() { 0 } else { i })
    }

    /// The stored points in ring order (for linear passes inside the crate).
    pub(crate) fn stored(&self) -> &[StoredPoint] {
        &self.points
    }

    /// The node that owns `hash`, or `None` on an empty ring.
    pub fn owner(&self, hash: u64) -> Option<NodeId> {
        self.point_index(hash).and_then(|i| self.point(i)).map(|p| p.owner)
    }

    /// The member index (position in [`Ring::members`]) owning point `index`.
    pub fn member_at(&self, index: usize) -> Option<usize> {
        self.points.get(index).map(|p| p.member as usize)
    }

    /// Point `index` in position order.
    pub fn point(&self, index: usize) -> Option<RingPoint> {
        self.points.get(index).map(|p| self.public(p))
    }

    /// All points in position order.
    pub fn points(&self) -> impl Iterator<Item = RingPoint> + '_ {
        self.points.iter().map(|p| self.public(p))
    }

    fn public(&self, p: &StoredPoint) -> RingPoint {
        let owner = self.members.get(p.member as usize).map_or(NodeId::MAX, |m| m.id);
        RingPoint {
            position: p.position,
            owner,
            replica: p.replica,
        }
    }

    /// The length of the arc point `index` owns, in hash units (`2^64` for a ring whose points all
    /// sit at one position: the first of them owns the whole circle). The arc runs from just after
    /// the previous point up to and including this one.
    pub fn arc_length(&self, index: usize) -> u128 {
        let Some(here) = self.points.get(index) else { return 0 };
        let prev_index = if index == 0 { self.points.len() - 1 } else { index - 1 };
        let prev = self.points.get(prev_index).map_or(here.position, |p| p.position);
        let len = here.position.wrapping_sub(prev);
        if index == 0 && len == 0 {
            1u128 << 64
        } else {
            u128::from(len)
        }
    }

    /// The fraction of the circle each member owns, in member order; exact up to the final
    /// conversion to `f64`. Sums to 1 on a non-empty ring.
    pub fn arc_shares(&self) -> Vec<f64> {
        let mut owned = vec![0u128; self.members.len()];
        for (i, p) in self.points.iter().enumerate() {
            if let Some(slot) = owned.get_mut(p.member as usize) {
                *slot += self.arc_length(i);
            }
        }
        owned.into_iter().map(|o| o as f64 / super::hash::CIRCLE).collect()
    }
}
