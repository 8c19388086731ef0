//! Builds a [`Ring`] in slices, so a million points never freeze a browser frame.
//!
//! Four phases, each resumable after any number of work units (a unit is about one string hash):
//! 1. **hash**: compute every point's position (one unit per point), counting points per bucket of
//!    the lookup index (the top `index_bits` bits of the position);
//! 2. **grow**: allocate and initialise the sorted array (one unit per 8 points), so a big
//!    allocation is spread over slices too;
//! 3. **scatter**: place each point into its bucket (two units per point): a counting sort by the
//!    top bits;
//! 4. **sort**: sort each bucket by (position, member order, replica) (one unit per 8 points or buckets
//!    visited). Buckets hold a few points each for hashed positions, so this is linear time.
//!
//! The result is identical to sorting all points at once.

use super::membership::NodeId;
use super::progress::Progress;
use super::ring::{Ring, RingMember, StoredPoint};

/// The most index bits (2^18 buckets, 1 MiB of index: small enough to stay in cache).
const MAX_INDEX_BITS: u32 = 18;
/// Points per bucket of the lookup index the sizing aims for.
const POINTS_PER_BUCKET: usize = 4;
/// Points initialised per work unit in the grow phase.
const GROW_PER_UNIT: u64 = 8;
/// Work units per point scattered (random writes into a large array cost about two hashes).
const SCATTER_UNITS: u64 = 2;
/// Points or buckets sorted per work unit in the sort phase.
const SORT_PER_UNIT: u64 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Hash,
    Grow,
    Scatter,
    Sort,
    Done,
}

/// An incremental ring construction. Call [`RingBuilder::advance`] until it reports done, then
/// [`RingBuilder::finish`].
#[derive(Clone, Debug)]
pub struct RingBuilder<H> {
    members: Vec<RingMember>,
    point_hash: H,
    phase: Phase,
    total_points: usize,
    index_bits: u32,
    /// Positions in generation order (member by member, replica by replica).
    positions: Vec<u64>,
    /// Generation cursor: member index and replica.
    cursor_member: usize,
    cursor_replica: u32,
    /// Per bucket: the count, then (after the prefix sum) the next free slot.
    bucket_fill: Vec<u32>,
    bucket_starts: Vec<u32>,
    sorted: Vec<StoredPoint>,
    scattered: usize,
    next_bucket: usize,
    /// Points plus buckets sorted so far, and the units already reported for them.
    sort_ticks: u64,
    sort_units: u64,
    progress: Progress,
}

/// The index bits for `points` points: about one bucket per [`POINTS_PER_BUCKET`] points, between 1
/// and [`MAX_INDEX_BITS`] bits.
fn index_bits_for(points: usize) -> u32 {
    let mut bits = 1;
    while bits < MAX_INDEX_BITS && (1usize << bits) * POINTS_PER_BUCKET < points {
        bits += 1;
    }
    bits
}

impl<H: Fn(NodeId, u32) -> u64> RingBuilder<H> {
    /// Starts building a ring of `members`; `point_hash(id, replica)` gives each point's position.
    /// At most `u32::MAX` points are placed in total.
    pub fn new(members: Vec<RingMember>, point_hash: H) -> Self {
        let total: u64 = members.iter().map(|m| u64::from(m.points)).sum();
        let total_points = usize::try_from(total.min(u64::from(u32::MAX))).unwrap_or(u32::MAX as usize);
        let index_bits = index_bits_for(total_points);
        let buckets = 1usize << index_bits;
        let p = total_points as u64;
        let work = p + p.div_ceil(GROW_PER_UNIT) + SCATTER_UNITS * p + (p + buckets as u64).div_ceil(SORT_PER_UNIT);
        Self {
            members,
            point_hash,
            phase: Phase::Hash,
            total_points,
            index_bits,
            positions: Vec::with_capacity(total_points),
            cursor_member: 0,
            cursor_replica: 0,
            bucket_fill: vec![0; buckets],
            bucket_starts: Vec::new(),
            sorted: Vec::new(),
            scattered: 0,
            next_bucket: 0,
            sort_ticks: 0,
            sort_units: 0,
            progress: Progress { done: 0, total: work },
        }
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Does up to `budget` work units (at least one while unfinished) and reports progress.
    pub fn advance(&mut self, budget: usize) -> Progress {
        let mut left = budget.max(1) as u64;
        while left > 0 && self.phase != Phase::Done {
            let used = match self.phase {
                Phase::Hash => self.hash_some(left),
                Phase::Grow => self.grow_some(left),
                Phase::Scatter => self.scatter_some(left),
                Phase::Sort => self.sort_some(left),
                Phase::Done => 0,
            };
            self.progress.done += used;
            left = left.saturating_sub(used.max(1));
        }
        if self.phase == Phase::Done {
            self.progress.done = self.progress.total;
        }
        self.progress
    }

    fn bucket_of(&self, position: u64) -> usize {
        (position >> (64 - self.index_bits)) as usize
    }

    fn hash_some(&mut self, budget: u64) -> u64 {
        let mut used = 0;
        while used < budget && self.positions.len() < self.total_points {
            let Some(member) = self.members.get(self.cursor_member).copied() else {
                break;
            };
            if self.cursor_replica >= member.points {
                self.cursor_member += 1;
                self.cursor_replica = 0;
                continue;
            }
            let position = (self.point_hash)(member.id, self.cursor_replica);
            let bucket = self.bucket_of(position);
            if let Some(count) = self.bucket_fill.get_mut(bucket) {
                *count += 1;
            }
            self.positions.push(position);
            self.cursor_replica += 1;
            used += 1;
        }
        if self.positions.len() >= self.total_points || self.cursor_member >= self.members.len() {
            self.start_scatter();
        }
        used
    }

    fn start_scatter(&mut self) {
        let mut starts = Vec::with_capacity(self.bucket_fill.len() + 1);
        let mut running = 0u32;
        for fill in self.bucket_fill.iter_mut() {
            starts.push(running);
            let count = *fill;
            *fill = running;
            running = running.saturating_add(count);
        }
        starts.push(running);
        self.bucket_starts = starts;
        self.sorted = Vec::with_capacity(self.positions.len());
        self.cursor_member = 0;
        self.cursor_replica = 0;
        self.phase = Phase::Grow;
    }

    fn grow_some(&mut self, budget: u64) -> u64 {
        let target = self.positions.len();
        let before = self.sorted.len();
        let step = usize::try_from(budget.saturating_mul(GROW_PER_UNIT)).unwrap_or(usize::MAX);
        let after = target.min(before.saturating_add(step));
        self.sorted.resize(after, StoredPoint::default());
        if after >= target {
            self.phase = Phase::Scatter;
        }
        // Units for the points grown so far, minus those already counted.
        (after as u64).div_ceil(GROW_PER_UNIT) - (before as u64).div_ceil(GROW_PER_UNIT)
    }

    fn scatter_some(&mut self, budget: u64) -> u64 {
        let mut used = 0;
        while used < budget && self.scattered < self.positions.len() {
            let Some(member) = self.members.get(self.cursor_member).copied() else {
                break;
            };
            if self.cursor_replica >= member.points {
                self.cursor_member += 1;
                self.cursor_replica = 0;
                continue;
            }
            let position = self.positions.get(self.scattered).copied().unwrap_or(0);
            let bucket = self.bucket_of(position);
            if let Some(slot) = self.bucket_fill.get_mut(bucket) {
                if let Some(dest) = self.sorted.get_mut(*slot as usize) {
                    *dest = StoredPoint {
                        position,
                        member: self.cursor_member as u32,
                        replica: self.cursor_replica,
                    };
                }
                *slot += 1;
            }
            self.cursor_replica += 1;
            self.scattered += 1;
            used += SCATTER_UNITS;
        }
        if self.scattered >= self.positions.len() || self.cursor_member >= self.members.len() {
            self.positions = Vec::new();
            self.bucket_fill = Vec::new();
            self.phase = Phase::Sort;
        }
        used
    }

    fn sort_some(&mut self, budget: u64) -> u64 {
        let buckets = self.bucket_starts.len().saturating_sub(1);
        let tick_budget = self.sort_ticks.saturating_add(budget.saturating_mul(SORT_PER_UNIT));
        while self.sort_ticks < tick_budget && self.next_bucket < buckets {
            let lo = self.bucket_starts.get(self.next_bucket).copied().unwrap_or(0) as usize;
            let hi = self.bucket_starts.get(self.next_bucket + 1).copied().unwrap_or(0) as usize;
            if let Some(slice) = self.sorted.get_mut(lo..hi) {
                slice.sort_unstable();
            }
            self.sort_ticks += 1 + hi.saturating_sub(lo) as u64;
            self.next_bucket += 1;
        }
        if self.next_bucket >= buckets {
            self.phase = Phase::Done;
        }
        let units = self.sort_ticks.div_ceil(SORT_PER_UNIT);
        let used = units - self.sort_units;
        self.sort_units = units;
        used
    }

    /// Whether the ring is complete.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The built ring. Call after [`RingBuilder::advance`] reported done; an unfinished builder is
    /// first run to completion.
    pub fn finish(mut self) -> Ring {
        while self.phase != Phase::Done {
            self.advance(usize::MAX);
        }
        Ring::from_parts(self.members, self.sorted, self.bucket_starts, self.index_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hashring::hash::point_hash;

    #[test]
    fn sliced_build_equals_full_sort() {
        let members: Vec<RingMember> = (0..7).map(|id| RingMember { id, points: 13 + id }).collect();
        let mut builder = RingBuilder::new(members.clone(), point_hash);
        let mut calls = 0;
        while !builder.advance(5).is_done() {
            calls += 1;
        }
        assert!(calls > 10);
        let ring = builder.finish();
        let mut expected: Vec<(u64, NodeId, u32)> = members
            .iter()
            .flat_map(|m| (0..m.points).map(move |r| (point_hash(m.id, r), m.id, r)))
            .collect();
        expected.sort_unstable();
        let got: Vec<(u64, NodeId, u32)> = ring.points().map(|p| (p.position, p.owner, p.replica)).collect();
        assert_eq!(got, expected);
        let total: f64 = ring.arc_shares().iter().sum();
        assert!((total - 1.0).abs() < 1e-12);
    }

    #[test]
    fn empty_and_single_point_rings() {
        let empty = Ring::build(vec![], point_hash);
        assert_eq!(empty.owner(5), None);
        let one = Ring::build(vec![RingMember { id: 3, points: 1 }], point_hash);
        assert_eq!(one.owner(0), Some(3));
        assert_eq!(one.owner(u64::MAX), Some(3));
        assert_eq!(one.arc_shares(), vec![1.0]);
    }
}
