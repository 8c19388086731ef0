//! The placement job: everything a new layout needs before the clock may run on, in slices a page
//! spreads over animation frames (as the hash ring's placement job).
//!
//! Up to three phases, each resumable after any number of work units (a unit is about one key
//! placed, ~50 ns natively):
//! 1. **popularity**: the Zipf table of key popularity, built with the engine's
//!    [`ZipfBuilder`](crate::engine::ZipfBuilder) (one unit per `pow`), and its guide table (see
//!    `popularity.rs`); only when the run starts or `keys`/`alpha` change;
//! 2. **ring**: the consistent-hashing ring, built with the hash ring's [`RingBuilder`]
//!    (`consistent` only);
//! 3. **scan**: every key, by popularity rank, then the inserted ids: its shard under the new
//!    layout (and the old one, when resharding), counting keys and popularity per shard, and the
//!    keys that move.
//!
//! Slicing never changes the result. Memory: nothing per key but the Zipf table (8 bytes a key,
//! shared by every run of one dataset through an `Arc`).

use std::sync::Arc;

use super::keyspace::Keyspace;
use super::layout::{Layout, Slot};
use super::popularity::{Popularity, PopularityBuilder};
use crate::hashring::hash::point_hash;
use crate::hashring::membership::NodeId;
use crate::hashring::progress::Progress;
use crate::hashring::ring::RingMember;
use crate::hashring::ring_builder::RingBuilder;

type PointHash = fn(NodeId, u32) -> u64;

/// What the scan counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Tally {
    /// Keys per slot under the new layout.
    pub(super) keys: Vec<u64>,
    /// Popularity (share of key-chosen operations) per slot under the new layout.
    pub(super) mass: Vec<f64>,
    /// Keys whose shard changes.
    pub(super) moved: u64,
    /// Keys leaving / arriving, per slot.
    pub(super) out: Vec<u64>,
    pub(super) into: Vec<u64>,
}

impl Tally {
    fn new(slots: usize) -> Self {
        Self {
            keys: vec![0; slots],
            mass: vec![0.0; slots],
            moved: 0,
            out: vec![0; slots],
            into: vec![0; slots],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Popularity,
    Ring,
    Scan,
    Done,
}

/// A finished job.
#[derive(Clone, Debug)]
pub(super) struct Finished {
    pub(super) layout: Layout,
    pub(super) old: Option<Layout>,
    pub(super) popularity: Arc<Popularity>,
    pub(super) tally: Tally,
}

/// The job. See the module docs.
#[derive(Clone, Debug)]
pub(super) struct Job {
    phase: Phase,
    building: Option<PopularityBuilder>,
    popularity: Option<Arc<Popularity>>,
    ring: Option<(RingBuilder<PointHash>, Vec<Slot>)>,
    layout: Option<Layout>,
    old: Option<Layout>,
    keyspace: Keyspace,
    total_ids: u64,
    next: u64,
    tally: Tally,
    progress: Progress,
}

/// A ring over the shards `order` (ids `ids[slot]`), `vnodes` points each.
fn ring_builder(order: &[Slot], ids: &[u32], vnodes: u32) -> RingBuilder<PointHash> {
    let members = order
        .iter()
        .map(|&s| RingMember {
            id: ids.get(usize::from(s)).copied().unwrap_or(u32::from(s)),
            points: vnodes.max(1),
        })
        .collect();
    RingBuilder::new(members, point_hash as PointHash)
}

/// What the new layout is: ready, or a ring still to build.
pub(super) enum NewLayout<'a> {
    Ready(Layout),
    Ring {
        order: Vec<Slot>,
        ids: &'a [u32],
        vnodes: u32,
    },
}

impl Job {
    /// A job placing `keyspace` (plus the ids up to `total_ids`) on `layout` over `slots` shard
    /// slots, from `old` when resharding. `popularity` is the popularity table, or `None` to
    /// build it for `alpha`.
    pub(super) fn new(
        keyspace: Keyspace,
        total_ids: u64,
        slots: usize,
        layout: NewLayout,
        old: Option<Layout>,
        popularity: Option<Arc<Popularity>>,
        alpha: f64,
    ) -> Self {
        let n = keyspace.keys;
        let building = match &popularity {
            Some(_) => None,
            None => PopularityBuilder::new(usize::try_from(n).unwrap_or(usize::MAX), alpha).ok(),
        };
        let (ready, ring) = match layout {
            NewLayout::Ready(layout) => (Some(layout), None),
            NewLayout::Ring { order, ids, vnodes } => (None, Some((ring_builder(&order, ids, vnodes), order))),
        };
        let mut total = total_ids.max(n);
        if let Some(b) = &building {
            total += b.total();
        }
        if let Some((builder, _)) = &ring {
            total += builder.progress().total;
        }
        let phase = if building.is_some() {
            Phase::Popularity
        } else if ring.is_some() {
            Phase::Ring
        } else {
            Phase::Scan
        };
        Self {
            phase,
            building,
            popularity,
            ring,
            layout: ready,
            old,
            keyspace,
            total_ids: total_ids.max(n),
            next: 0,
            tally: Tally::new(slots),
            progress: Progress { done: 0, total },
        }
    }

    /// Progress so far.
    pub(super) fn progress(&self) -> Progress {
        self.progress
    }

    /// What it is doing, in words.
    pub(super) fn label(&self) -> String {
        match self.phase {
            Phase::Popularity => format!("building the popularity of {} keys", self.keyspace.keys),
            Phase::Ring => "building the hash ring".into(),
            Phase::Scan if self.old.is_some() => format!("counting the keys that move ({} keys)", self.total_ids),
            Phase::Scan => format!("placing {} keys", self.total_ids),
            Phase::Done => String::new(),
        }
    }

    /// Whether it is finished.
    pub(super) fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Does up to `budget` work units (at least one while unfinished); returns the units done.
    pub(super) fn advance(&mut self, budget: u64) -> u64 {
        let mut left = budget.max(1);
        let mut used_all = 0;
        while left > 0 && self.phase != Phase::Done {
            let used = match self.phase {
                Phase::Popularity => self.popularity_some(left),
                Phase::Ring => self.ring_some(left),
                Phase::Scan => self.scan_some(left),
                Phase::Done => 0,
            };
            self.progress.done = self.progress.done.saturating_add(used).min(self.progress.total);
            used_all += used;
            left = left.saturating_sub(used.max(1));
        }
        if self.phase == Phase::Done {
            self.progress.done = self.progress.total;
        }
        used_all
    }

    fn next_phase(&mut self) {
        self.phase = if self.ring.is_some() && self.layout.is_none() {
            Phase::Ring
        } else {
            Phase::Scan
        };
    }

    fn popularity_some(&mut self, budget: u64) -> u64 {
        let Some(builder) = self.building.as_mut() else {
            self.next_phase();
            return 0;
        };
        let steps = builder.advance(budget);
        if builder.is_done() {
            if let Some(builder) = self.building.take() {
                self.popularity = builder.finish();
            }
            self.next_phase();
        }
        steps
    }

    fn ring_some(&mut self, budget: u64) -> u64 {
        let Some((builder, _)) = self.ring.as_mut() else {
            self.phase = Phase::Scan;
            return 0;
        };
        let before = builder.progress().done;
        let after = builder.advance(usize::try_from(budget).unwrap_or(usize::MAX)).done;
        if builder.is_done() {
            if let Some((builder, slots)) = self.ring.take() {
                self.layout = Some(Layout::Ring {
                    ring: Arc::new(builder.finish()),
                    slots,
                });
            }
            self.phase = Phase::Scan;
        }
        after.saturating_sub(before)
    }

    fn scan_some(&mut self, budget: u64) -> u64 {
        let (Some(layout), Some(popularity)) = (self.layout.as_ref(), self.popularity.as_ref()) else {
            self.phase = Phase::Done;
            return 0;
        };
        let keys = self.keyspace.keys;
        let start = self.next;
        let end = self.total_ids.min(start.saturating_add(budget));
        let tally = &mut self.tally;
        let zipf = popularity.zipf();
        let mut before = if start < keys {
            zipf.top_mass(start as usize)
        } else {
            1.0
        };
        for i in start..end {
            let (id, mass) = if i < keys {
                let after = zipf.top_mass(i as usize + 1);
                let mass = after - before;
                before = after;
                (self.keyspace.id_of_rank(i), mass)
            } else {
                (i, 0.0)
            };
            let key = self.keyspace.key(id);
            let to = usize::from(layout.locate(&key).slot);
            if let Some(k) = tally.keys.get_mut(to) {
                *k += 1;
            }
            if let Some(m) = tally.mass.get_mut(to) {
                *m += mass;
            }
            if let Some(old) = &self.old {
                let from = usize::from(old.locate(&key).slot);
                if from != to {
                    tally.moved += 1;
                    if let Some(o) = tally.out.get_mut(from) {
                        *o += 1;
                    }
                    if let Some(o) = tally.into.get_mut(to) {
                        *o += 1;
                    }
                }
            }
        }
        self.next = end;
        if self.next >= self.total_ids {
            self.phase = Phase::Done;
        }
        end - start
    }

    /// The result; an unfinished job is first run to completion. `None` only if the popularity
    /// table could not be built (never for a validated config).
    pub(super) fn finish(mut self) -> Option<Finished> {
        while self.phase != Phase::Done {
            self.advance(u64::MAX);
        }
        Some(Finished {
            layout: self.layout?,
            old: self.old,
            popularity: self.popularity?,
            tally: self.tally,
        })
    }
}
