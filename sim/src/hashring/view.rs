//! Turns finished placements into the [`Snapshot`] the UI renders.

use super::arcs::{ArcDiff, ChangedArc};
use super::bounded::capacity;
use super::hash::{circle_fraction, mix64, node_name};
use super::membership::{points_for, NodeId};
use super::placement::Assignment;
use super::snapshot::{
    Change, KeyView, NodeView, PointView, Snapshot, MAX_DRAWN_ARCS, MAX_DRAWN_POINTS, MAX_SAMPLE_KEYS,
};
use super::stats::{balance, id_shares, ideal_moved, ideal_shares, keys_moved, lookup_cost};
use super::strategy::Strategy;

/// Up to `max` items of `items`, evenly strided (all of them when there are few enough).
fn stride<T: Copy>(items: &[T], max: usize) -> Vec<T> {
    if items.len() <= max || max == 0 {
        return items.to_vec();
    }
    (0..max)
        .filter_map(|k| items.get(k * items.len() / max).copied())
        .collect()
}

/// The indices of the sampled keys: up to [`MAX_SAMPLE_KEYS`] evenly spaced indices starting at an
/// offset chosen by `seed`, returned in increasing order.
pub fn sample_indices(keys: usize, seed: u64) -> Vec<usize> {
    let count = keys.min(MAX_SAMPLE_KEYS);
    if count == 0 {
        return Vec::new();
    }
    let offset = (mix64(seed) % keys as u64) as usize;
    let mut indices: Vec<usize> = (0..count).map(|j| (offset + j * keys / count) % keys).collect();
    indices.sort_unstable();
    indices
}

fn bucket_of(current: &Assignment, owner: NodeId) -> u32 {
    current
        .spec
        .members
        .iter()
        .position(|m| m.id == owner)
        .map_or(u32::MAX, |b| b as u32)
}

/// The sampled keys of `current`, with their owners before (from `previous`, if comparable).
pub fn sample_keys(seed: u64, current: &Assignment, previous: Option<&Assignment>) -> Vec<KeyView> {
    sample_indices(current.spec.keys, seed)
        .into_iter()
        .filter_map(|i| {
            let hash = *current.key_hashes.get(i)?;
            let owner = *current.owners.get(i)?;
            let previous_owner = previous.and_then(|p| p.owners.get(i).copied());
            Some(KeyView {
                index: i as u64,
                position: circle_fraction(hash),
                owner,
                bucket: bucket_of(current, owner),
                previous_owner,
                moved: previous_owner.is_some_and(|p| p != owner),
            })
        })
        .collect()
}

/// Whether `previous` can be compared with `current` key by key.
fn comparable<'a>(current: &Assignment, previous: Option<&'a Assignment>) -> Option<&'a Assignment> {
    previous.filter(|p| p.owners.len() == current.owners.len())
}

/// Builds a snapshot in three slices, each linear in the ring size at most: the arc shares, the
/// changed arcs, then everything else (a few milliseconds each at a million points).
#[derive(Clone, Debug)]
pub struct SnapshotBuilder {
    seed: u64,
    current: Assignment,
    previous: Option<Assignment>,
    change: Option<Change>,
    arc_shares: Option<Option<Vec<f64>>>,
    diff: Option<ArcDiff>,
    arcs: Option<Vec<ChangedArc>>,
}

impl SnapshotBuilder {
    /// Starts building the snapshot of `current`, compared with `previous` when given (same keys).
    pub fn new(seed: u64, current: Assignment, previous: Option<Assignment>, change: Option<Change>) -> Self {
        Self {
            seed,
            current,
            previous,
            change,
            arc_shares: None,
            diff: None,
            arcs: None,
        }
    }

    /// Does the next heavy slice: the arc shares, then up to `max_steps` boundaries of the changed
    /// arcs per call. Returns `true`, doing nothing, once only [`SnapshotBuilder::finish`] (the
    /// last, lighter slice) remains.
    pub fn step(&mut self, max_steps: usize) -> bool {
        if self.arc_shares.is_none() {
            self.arc_shares = Some(self.current.ring.as_ref().map(|r| r.arc_shares()));
            return false;
        }
        if self.arcs.is_some() {
            return true;
        }
        let before = comparable(&self.current, self.previous.as_ref()).and_then(|p| p.ring.as_ref());
        match (before, self.current.ring.as_ref()) {
            (Some(before), Some(after)) => {
                let diff = self.diff.get_or_insert_with(|| ArcDiff::new(before, after));
                if diff.advance(before, after, max_steps) {
                    self.arcs = self.diff.take().map(ArcDiff::finish);
                }
            }
            _ => self.arcs = Some(Vec::new()),
        }
        false
    }

    /// The snapshot, the assignment it shows and the one it was compared with.
    pub fn finish(mut self) -> (Snapshot, Assignment, Option<Assignment>) {
        while !self.step(usize::MAX) {}
        let arc_shares = self.arc_shares.take().flatten();
        let arcs = self.arcs.take().unwrap_or_default();
        let previous = comparable(&self.current, self.previous.as_ref());
        let snapshot = build(self.seed, &self.current, previous, self.change, arc_shares, &arcs);
        let previous = if previous.is_some() { self.previous } else { None };
        (snapshot, self.current, previous)
    }
}

/// The full snapshot of `current`, compared with `previous` (already checked comparable), with the
/// precomputed arc shares and changed arcs.
fn build(
    seed: u64,
    current: &Assignment,
    comparable: Option<&Assignment>,
    change: Option<Change>,
    arc_shares: Option<Vec<f64>>,
    arcs: &[ChangedArc],
) -> Snapshot {
    let spec = &current.spec;
    let keys = spec.keys as u64;
    let shares = ideal_shares(spec.strategy, &spec.members);
    let nodes: Vec<NodeView> = spec
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let load = current.loads.get(i).copied().unwrap_or(0);
            let ideal_share = shares.get(i).copied().unwrap_or(0.0);
            NodeView {
                id: m.id,
                name: node_name(m.id),
                bucket: i as u32,
                weight: m.weight,
                points: if spec.strategy.uses_ring() {
                    points_for(spec.vnodes, m.weight)
                } else {
                    0
                },
                keys: load,
                share: if keys > 0 { load as f64 / keys as f64 } else { 0.0 },
                ideal_keys: ideal_share * keys as f64,
                ideal_share,
                arc_share: arc_shares.as_ref().and_then(|a| a.get(i).copied()),
                capacity: current.capacities.as_ref().and_then(|c| c.get(i).copied()),
            }
        })
        .collect();
    let balance = balance(&current.loads, &shares, keys);
    let moved_count = comparable.map(|p| keys_moved(&p.owners, &current.owners));
    let ideal = comparable.map(|p| {
        let before = id_shares(p.spec.strategy, &p.spec.members);
        let after = id_shares(spec.strategy, &spec.members);
        ideal_moved(&before, &after)
    });
    let (ring_points, ring_points_total) = match &current.ring {
        Some(ring) => {
            let total = ring.len();
            let shown = total.min(MAX_DRAWN_POINTS);
            let points = (0..shown)
                .filter_map(|k| ring.point(k * total / shown))
                .map(|p| PointView {
                    position: circle_fraction(p.position),
                    owner: p.owner,
                    replica: p.replica,
                })
                .collect();
            (points, total as u64)
        }
        None => (Vec::new(), 0),
    };
    let arc_views: Vec<_> = arcs.iter().map(|a| a.view()).collect();
    Snapshot {
        ready: true,
        progress: Default::default(),
        strategy: spec.strategy,
        keys,
        vnodes: spec.vnodes,
        epsilon: spec.epsilon,
        nodes,
        cv: balance.cv,
        peak_to_mean: balance.peak_to_mean,
        last_change: comparable.and(change),
        keys_moved: moved_count.map(|c| if keys > 0 { c as f64 / keys as f64 } else { 0.0 }),
        keys_moved_count: moved_count,
        ideal_moved: ideal,
        lookup_cost: lookup_cost(
            spec.strategy,
            spec.members.len(),
            current.ring.as_ref().map_or(0, |r| r.len()),
            current.mean_walk,
        ),
        bounded_capacity: (spec.strategy == Strategy::Bounded)
            .then(|| capacity(keys, spec.members.len() as u64, spec.epsilon)),
        sample_keys: sample_keys(seed, current, comparable),
        ring_points,
        ring_points_total,
        changed_arcs: stride(&arc_views, MAX_DRAWN_ARCS),
        changed_arcs_total: arcs.len() as u64,
    }
}
