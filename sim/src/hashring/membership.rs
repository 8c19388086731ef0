//! Which nodes are in the cluster: stable ids, weights, add and remove.
//!
//! Ids are handed out in increasing order and never reused, so "keys moved" can compare owner ids
//! across changes. The list keeps insertion order, which is also the bucket order for `modulo` and
//! `jump` (bucket `b` is the `b`-th node of the list).

use serde::Serialize;

use crate::ConfigError;

/// A node's stable identifier; node `id` is named `node-<id>`.
pub type NodeId = u32;

/// The most nodes a cluster may have.
pub const MAX_NODES: usize = 1_000;
/// The smallest weight a node may have (unitless, relative to the default 1).
pub const WEIGHT_MIN: f64 = 0.1;
/// The largest weight a node may have (unitless, relative to the default 1).
pub const WEIGHT_MAX: f64 = 10.0;
/// The most virtual points the ring may hold in total (memory bound for the browser).
pub const MAX_RING_POINTS: u64 = 2_000_000;

/// One node of the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Member {
    /// Stable id; the node is named `node-<id>`.
    pub id: NodeId,
    /// Relative capacity (unitless, default 1, range 0.1..=10). Ring and bounded give the node
    /// `round(vnodes * weight)` points (at least 1); rendezvous weights its score; modulo and jump
    /// ignore it.
    pub weight: f64,
}

/// The points a node of `weight` gets on a ring with `vnodes` points per unit weight:
/// `round(vnodes * weight)`, at least 1.
pub fn points_for(vnodes: u32, weight: f64) -> u32 {
    let p = libm::round(f64::from(vnodes) * weight);
    if p.is_finite() && p >= 1.0 {
        if p >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            p as u32
        }
    } else {
        1
    }
}

/// The ordered list of nodes plus the next id to hand out.
#[derive(Clone, Debug, PartialEq)]
pub struct Membership {
    members: Vec<Member>,
    next_id: NodeId,
}

impl Membership {
    /// `count` nodes with ids `0..count`, all of weight 1 (clamped to 1..=[`MAX_NODES`]).
    pub fn with_nodes(count: usize) -> Self {
        let count = count.clamp(1, MAX_NODES);
        let members = (0..count as NodeId).map(|id| Member { id, weight: 1.0 }).collect();
        Self {
            members,
            next_id: count as NodeId,
        }
    }

    /// The nodes, in bucket order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// How many nodes there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Always false: a membership keeps at least one node.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The member with `id`, if present.
    pub fn get(&self, id: NodeId) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// Appends a node with the next id and weight 1, and returns its id.
    pub fn add(&mut self) -> Result<NodeId, ConfigError> {
        if self.members.len() >= MAX_NODES {
            return Err(ConfigError::new("nodes", format!("at most {MAX_NODES} nodes")));
        }
        let id = self.next_id;
        self.next_id = self
            .next_id
            .checked_add(1)
            .ok_or_else(|| ConfigError::new("nodes", "no node ids left"))?;
        self.members.push(Member { id, weight: 1.0 });
        Ok(id)
    }

    /// Removes node `id`. The last remaining node cannot be removed. With `last_only` (jump hash)
    /// only the last node of the list may go.
    pub fn remove(&mut self, id: NodeId, last_only: bool) -> Result<(), ConfigError> {
        let pos = self
            .members
            .iter()
            .position(|m| m.id == id)
            .ok_or_else(|| ConfigError::new("nodes", format!("there is no node-{id}")))?;
        if self.members.len() <= 1 {
            return Err(ConfigError::new("nodes", "the last node cannot be removed"));
        }
        if last_only && pos + 1 != self.members.len() {
            return Err(ConfigError::new(
                "nodes",
                "jump hash can only remove the last bucket (the most recently added node)",
            ));
        }
        self.members.remove(pos);
        Ok(())
    }

    /// The id of the most recently added node still present (the last of the list).
    pub fn last(&self) -> Option<NodeId> {
        self.members.last().map(|m| m.id)
    }

    /// Sets the weight of node `id` (must be within [`WEIGHT_MIN`]..=[`WEIGHT_MAX`]).
    pub fn set_weight(&mut self, id: NodeId, weight: f64) -> Result<(), ConfigError> {
        if !weight.is_finite() || !(WEIGHT_MIN..=WEIGHT_MAX).contains(&weight) {
            return Err(ConfigError::new(
                "weight",
                format!("must be between {WEIGHT_MIN} and {WEIGHT_MAX}"),
            ));
        }
        let member = self
            .members
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(|| ConfigError::new("weight", format!("there is no node-{id}")))?;
        member.weight = weight;
        Ok(())
    }

    /// Total ring points with `vnodes` per unit weight.
    pub fn total_points(&self, vnodes: u32) -> u64 {
        self.members
            .iter()
            .map(|m| u64::from(points_for(vnodes, m.weight)))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_never_reused() {
        let mut m = Membership::with_nodes(3);
        assert_eq!(m.add().unwrap(), 3);
        m.remove(1, false).unwrap();
        assert_eq!(m.add().unwrap(), 4);
        let ids: Vec<NodeId> = m.members().iter().map(|x| x.id).collect();
        assert_eq!(ids, vec![0, 2, 3, 4]);
        assert!(m.remove(2, true).is_err());
        assert!(m.remove(4, true).is_ok());
        assert!(m.remove(99, false).is_err());
    }

    #[test]
    fn weights_are_range_checked() {
        let mut m = Membership::with_nodes(2);
        for bad in [f64::NAN, 0.0, -1.0, 11.0, f64::INFINITY] {
            assert!(m.set_weight(0, bad).is_err());
        }
        m.set_weight(0, 2.0).unwrap();
        assert_eq!(m.total_points(100), 300);
        assert_eq!(points_for(1, 0.1), 1);
    }
}
