//! The plain data the UI renders for the hash ring lab. Everything is already computed; the UI only
//! draws and formats it. Positions on the ring are fractions of the circle in `[0, 1)`, clockwise
//! from the top.

use serde::Serialize;

use super::arcs::ArcView;
use super::membership::NodeId;
use super::progress::Progress;
use super::stats::LookupCost;
use super::strategy::Strategy;

/// At most this many ring points are listed for drawing.
pub const MAX_DRAWN_POINTS: usize = 2_000;
/// At most this many changed arcs are listed for drawing.
pub const MAX_DRAWN_ARCS: usize = 2_000;
/// At most this many sample keys are listed for drawing.
pub const MAX_SAMPLE_KEYS: usize = 200;

/// Everything the hash ring page shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// False while a placement is being computed; the rest then still describes the last finished
    /// placement (or is empty before the first one).
    pub ready: bool,
    /// Progress of the placement being computed (done when `ready`).
    pub progress: Progress,
    /// The strategy of the placement shown.
    pub strategy: Strategy,
    /// Number of keys placed.
    pub keys: u64,
    /// Virtual points per unit weight (ring and bounded).
    pub vnodes: u32,
    /// Load-bound slack (bounded).
    pub epsilon: f64,
    /// The nodes, in bucket order.
    pub nodes: Vec<NodeView>,
    /// Coefficient of variation of load (population sd / mean of each node's keys over its ideal).
    pub cv: f64,
    /// The busiest node's load over its ideal (max / mean with equal weights).
    pub peak_to_mean: f64,
    /// The last membership or configuration change, if the placement before it is known.
    pub last_change: Option<Change>,
    /// Fraction of all keys whose owner changed in the last change (`None` without a comparable
    /// placement before it, e.g. at start or after changing `keys`).
    pub keys_moved: Option<f64>,
    /// Number of keys whose owner changed in the last change.
    pub keys_moved_count: Option<u64>,
    /// The least fraction any placement must move for that change: the total share gained by the
    /// nodes that grow (adding 1 of N+1 equal nodes: 1/(N+1); removing a node: its share).
    pub ideal_moved: Option<f64>,
    /// What one lookup costs with this strategy.
    pub lookup_cost: LookupCost,
    /// The per-node cap of bounded loads with equal weights, `ceil((1 + eps) * keys / nodes)`
    /// (bounded only; weighted caps are in [`NodeView::capacity`]).
    pub bounded_capacity: Option<u64>,
    /// A deterministic sample of up to [`MAX_SAMPLE_KEYS`] keys (chosen with the seed), in key order.
    pub sample_keys: Vec<KeyView>,
    /// Ring points for drawing, in position order: all of them up to [`MAX_DRAWN_POINTS`], else an
    /// evenly strided subsample (ring and bounded only).
    pub ring_points: Vec<PointView>,
    /// How many points the ring really has (0 without a ring).
    pub ring_points_total: u64,
    /// Arcs of the circle that changed owner in the last change (ring and bounded; for bounded
    /// these are the ring's arcs before load bounding), strided down to [`MAX_DRAWN_ARCS`].
    pub changed_arcs: Vec<ArcView>,
    /// How many changed arcs there really are.
    pub changed_arcs_total: u64,
}

/// One node as the UI shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeView {
    /// Stable id.
    pub id: NodeId,
    /// Display name, `node-<id>`.
    pub name: String,
    /// Position in the node list: the bucket number for modulo and jump.
    pub bucket: u32,
    /// Configured weight (1 by default; modulo and jump ignore it).
    pub weight: f64,
    /// Points on the ring (0 for strategies without a ring).
    pub points: u32,
    /// Keys it holds.
    pub keys: u64,
    /// Fraction of all keys it holds.
    pub share: f64,
    /// Keys it would hold with a perfect split by weight (`keys * ideal_share`).
    pub ideal_keys: f64,
    /// Its ideal fraction: weight share for ring, bounded and rendezvous, `1/N` for modulo and jump.
    pub ideal_share: f64,
    /// Fraction of the circle its points own (ring and bounded).
    pub arc_share: Option<f64>,
    /// Most keys it may take (bounded only).
    pub capacity: Option<u64>,
}

/// One sampled key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyView {
    /// Key index: the key is `key-<index>`.
    pub index: u64,
    /// Where its hash sits on the circle, fraction in `[0, 1)`.
    pub position: f64,
    /// Its owner now.
    pub owner: NodeId,
    /// The owner's bucket (position in the node list).
    pub bucket: u32,
    /// Its owner before the last change, when known.
    pub previous_owner: Option<NodeId>,
    /// Whether the last change moved it.
    pub moved: bool,
}

/// One ring point for drawing.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PointView {
    /// Position on the circle, fraction in `[0, 1)`.
    pub position: f64,
    /// The node owning the point.
    pub owner: NodeId,
    /// Which of the owner's points it is.
    pub replica: u32,
}

/// What changed last.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A node joined.
    Added {
        /// The new node.
        id: NodeId,
    },
    /// A node left.
    Removed {
        /// The node that left.
        id: NodeId,
    },
    /// A node's weight changed.
    Reweighted {
        /// The node.
        id: NodeId,
        /// Its new weight.
        weight: f64,
    },
    /// The configuration changed (strategy, node count, vnodes or epsilon).
    Reconfigured {
        /// Which parameters changed, by URL key, e.g. `["nodes"]`.
        fields: Vec<String>,
    },
}
