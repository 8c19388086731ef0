//! Which stretches of the circle changed hands between two rings.
//!
//! Both rings' points cut the circle into elementary arcs; on each, every hash has one owner before
//! and one after. One merge pass over the two sorted point lists finds the arcs whose owner changed,
//! joining neighbours with the same (old, new) pair. Linear in the number of points.

use serde::Serialize;

use super::hash::{circle_fraction, CIRCLE};
use super::membership::NodeId;
use super::ring::{Ring, StoredPoint};

/// A stretch of the circle whose owner changed. It runs clockwise from just after `start` up to and
/// including `end` (hash units); when `start >= end` it wraps through 0 (`start == end` is the whole
/// circle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangedArc {
    /// Where the arc begins (exclusive), in hash units.
    pub start: u64,
    /// Where the arc ends (inclusive), in hash units.
    pub end: u64,
    /// The owner before the change.
    pub old_owner: NodeId,
    /// The owner after the change.
    pub new_owner: NodeId,
}

impl ChangedArc {
    /// The arc's length as a fraction of the circle, in `(0, 1]`.
    pub fn fraction(&self) -> f64 {
        let len = self.end.wrapping_sub(self.start);
        if len == 0 {
            1.0
        } else {
            len as f64 / CIRCLE
        }
    }

    /// The plain-data view the UI draws.
    pub fn view(&self) -> ArcView {
        ArcView {
            start: circle_fraction(self.start),
            end: circle_fraction(self.end),
            old_owner: self.old_owner,
            new_owner: self.new_owner,
        }
    }
}

/// A changed arc for drawing: positions as fractions of the circle in `[0, 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ArcView {
    /// Start of the arc (exclusive), fraction of the circle; the arc runs clockwise to `end`,
    /// wrapping through 0 when `start >= end`.
    pub start: f64,
    /// End of the arc (inclusive), fraction of the circle.
    pub end: f64,
    /// Owner before the change.
    pub old_owner: NodeId,
    /// Owner after the change.
    pub new_owner: NodeId,
}

/// The arcs whose owner differs between `before` and `after`, in clockwise order starting with the
/// arc that wraps through 0. Empty if either ring is empty.
pub fn changed_arcs(before: &Ring, after: &Ring) -> Vec<ChangedArc> {
    let mut diff = ArcDiff::new(before, after);
    while !diff.advance(before, after, usize::MAX) {}
    diff.finish()
}

/// A resumable [`changed_arcs`]: the merge of two big rings, a slice at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArcDiff {
    /// Next point of each ring.
    i: usize,
    j: usize,
    /// Where the current elementary arc starts.
    start: u64,
    done: bool,
    arcs: Vec<ChangedArc>,
}

impl ArcDiff {
    /// Starts comparing `before` with `after` (pass the same rings to every
    /// [`ArcDiff::advance`]).
    pub fn new(before: &Ring, after: &Ring) -> Self {
        let last = |ring: &Ring| ring.stored().last().map(|p| p.position);
        match (last(before), last(after)) {
            (Some(a), Some(b)) => Self {
                i: 0,
                j: 0,
                start: a.max(b),
                done: false,
                arcs: Vec::new(),
            },
            _ => Self {
                i: 0,
                j: 0,
                start: 0,
                done: true,
                arcs: Vec::new(),
            },
        }
    }

    /// Merges up to `max_steps` boundaries (at least one); returns whether the comparison is done.
    pub fn advance(&mut self, before: &Ring, after: &Ring, max_steps: usize) -> bool {
        let (old_points, new_points) = (before.stored(), after.stored());
        // The owner of the arc ending at point `i` (an index past the end wraps to point 0).
        let owner = |ring: &Ring, points: &[StoredPoint], i: usize| {
            let p = points.get(i).or(points.first())?;
            ring.members().get(p.member as usize).map(|m| m.id)
        };
        let mut steps = 0usize;
        while !self.done && steps < max_steps.max(1) {
            let end = match (old_points.get(self.i), new_points.get(self.j)) {
                (Some(a), Some(b)) => a.position.min(b.position),
                (Some(a), None) => a.position,
                (None, Some(b)) => b.position,
                (None, None) => {
                    self.done = true;
                    break;
                }
            };
            let owners = (owner(before, old_points, self.i), owner(after, new_points, self.j));
            if let (Some(old_owner), Some(new_owner)) = owners {
                if old_owner != new_owner {
                    let start = self.start;
                    match self.arcs.last_mut() {
                        Some(last)
                            if last.end == start && last.old_owner == old_owner && last.new_owner == new_owner =>
                        {
                            last.end = end;
                        }
                        _ => self.arcs.push(ChangedArc {
                            start,
                            end,
                            old_owner,
                            new_owner,
                        }),
                    }
                }
            }
            self.start = end;
            while old_points.get(self.i).is_some_and(|p| p.position == end) {
                self.i += 1;
            }
            while new_points.get(self.j).is_some_and(|p| p.position == end) {
                self.j += 1;
            }
            steps += 1;
        }
        self.done
    }

    /// The changed arcs found so far (all of them once [`ArcDiff::advance`] reported done).
    pub fn finish(self) -> Vec<ChangedArc> {
        self.arcs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hashring::hash::point_hash;
    use crate::hashring::ring::RingMember;

    #[test]
    fn added_node_takes_exactly_its_arcs() {
        let before: Vec<RingMember> = (0..5).map(|id| RingMember { id, points: 20 }).collect();
        let mut after_members = before.clone();
        after_members.push(RingMember { id: 5, points: 20 });
        let before = Ring::build(before, point_hash);
        let after = Ring::build(after_members, point_hash);
        let arcs = changed_arcs(&before, &after);
        assert!(arcs.iter().all(|a| a.new_owner == 5 && a.old_owner != 5));
        let moved: f64 = arcs.iter().map(ChangedArc::fraction).sum();
        let share = after.arc_shares().last().copied().unwrap_or(0.0);
        assert!((moved - share).abs() < 1e-12, "{moved} vs {share}");
        assert!(changed_arcs(&before, &before).is_empty());
    }
}
