//! What the balancers know about the servers: which ones they route to, and how many requests
//! each balancer believes are in flight on each.
//!
//! With a refresh interval, a balancer sees the servers' load only as it was reported at its
//! last refresh (Mitzenmacher's "bulletin board": load read from periodic reports, as from a
//! metrics system or a health endpoint), not even counting what it has sent since. So between
//! refreshes every balancer that reads the same old numbers sends its requests to the same
//! server that looked least loaded: herding. Two random choices spread them anyway. With no
//! refresh delay every balancer sees the true total: the view is `shared`. Least connections
//! reads the views through [`MinTree`]s (one shared, or one per balancer), kept only while that
//! algorithm is in use.
//!
//! (A balancer that also counted its own requests in flight would herd far less: each spreads
//! its own traffic. That model was tried; with it, stale least connections stayed ahead of stale
//! two choices at every fleet size, so it could not show the published result.)

use super::min_tree::MinTree;
use crate::engine::SimRng;

/// Position marker of a slot that is not in the routable list.
const NOT_UP: u32 = u32::MAX;

/// The routable servers and the balancers' load views. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Loads {
    /// True requests in flight (queued or in service) per slot.
    total: Vec<u32>,
    /// Each balancer's view: the requests in flight per slot at its last refresh.
    board: Vec<Vec<u32>>,
    /// Every balancer sees `total`.
    shared: bool,
    /// Slots the balancers route to (members marked up), in the order they became routable.
    up: Vec<u32>,
    /// Each slot's position in `up`, or [`NOT_UP`].
    up_pos: Vec<u32>,
    /// The least-connections index: empty, one shared tree, or one per balancer.
    trees: Vec<MinTree>,
    /// Bumped whenever the routable set changes (balancers rebuild what they cache from it).
    version: u64,
}

impl Loads {
    /// Views for `slots` servers (none routable yet) and `balancers` balancers.
    pub(super) fn new(slots: usize, balancers: usize, shared: bool) -> Self {
        Self {
            total: vec![0; slots],
            board: vec![vec![0; slots]; balancers],
            shared,
            up: Vec::with_capacity(slots),
            up_pos: vec![NOT_UP; slots],
            trees: Vec::new(),
            version: 0,
        }
    }

    /// Changes whenever the routable set changes.
    pub(super) fn version(&self) -> u64 {
        self.version
    }

    /// Adds a slot (not routable, nothing in flight).
    pub(super) fn add_slot(&mut self) {
        self.total.push(0);
        for board in &mut self.board {
            board.push(0);
        }
        self.up_pos.push(NOT_UP);
        if self.trees.first().is_some_and(|t| t.capacity() < self.total.len()) {
            self.build_trees();
        }
    }

    /// Forgets what the balancers believed about a reused slot's previous server.
    pub(super) fn reset_others(&mut self, slot: usize) {
        for board in &mut self.board {
            if let Some(o) = board.get_mut(slot) {
                *o = 0;
            }
        }
        self.update_trees(slot);
    }

    /// True requests in flight on `slot`.
    pub(super) fn total(&self, slot: usize) -> u32 {
        self.total.get(slot).copied().unwrap_or(0)
    }

    /// Requests in flight on `slot` as balancer `b` sees them.
    pub(super) fn seen(&self, b: usize, slot: usize) -> u32 {
        if self.shared {
            return self.total(slot);
        }
        self.board.get(b).and_then(|v| v.get(slot)).copied().unwrap_or(0)
    }

    /// Whether the balancers route to `slot`.
    pub(super) fn is_up(&self, slot: usize) -> bool {
        self.up_pos.get(slot).is_some_and(|&p| p != NOT_UP)
    }

    /// How many slots the balancers route to.
    #[cfg(test)]
    pub(super) fn up_count(&self) -> usize {
        self.up.len()
    }

    /// Makes `slot` routable or not.
    pub(super) fn set_up(&mut self, slot: usize, up: bool) {
        let Some(&pos) = self.up_pos.get(slot) else {
            return;
        };
        match (pos != NOT_UP, up) {
            (false, true) => {
                self.up_pos[slot] = self.up.len() as u32;
                self.up.push(slot as u32);
            }
            (true, false) => {
                let pos = pos as usize;
                self.up.swap_remove(pos);
                if let Some(&moved) = self.up.get(pos) {
                    self.up_pos[moved as usize] = pos as u32;
                }
                self.up_pos[slot] = NOT_UP;
            }
            _ => return,
        }
        self.version = self.version.wrapping_add(1);
        self.update_trees(slot);
    }

    /// A request of balancer `b` is now in flight on `slot`.
    pub(super) fn inc(&mut self, b: usize, slot: usize) {
        self.bump(b, slot, true);
    }

    /// A request of balancer `b` on `slot` finished (or failed).
    pub(super) fn dec(&mut self, b: usize, slot: usize) {
        self.bump(b, slot, false);
    }

    /// `b` is the balancer that sent the request: it learns nothing more than the others until
    /// its next refresh (see the module docs).
    fn bump(&mut self, _b: usize, slot: usize, up: bool) {
        if let Some(t) = self.total.get_mut(slot) {
            *t = if up { t.saturating_add(1) } else { t.saturating_sub(1) };
        }
        // Only the shared view moves with the load; a stale one waits for its refresh.
        if !self.shared || self.trees.is_empty() {
            return;
        }
        let value = self.is_up(slot).then(|| self.total(slot));
        if let Some(t) = self.trees.get_mut(0) {
            t.set(slot, value);
        }
    }

    /// Balancer `b` learns the true load of every server now. O(servers).
    pub(super) fn refresh(&mut self, b: usize) {
        let Some(board) = self.board.get_mut(b) else {
            return;
        };
        board.clone_from(&self.total);
        if !self.shared && !self.trees.is_empty() {
            self.build_tree(b);
        }
    }

    /// Switches between the shared view and per-balancer views; a balancer starts with the true
    /// load (as if it had just refreshed).
    pub(super) fn set_shared(&mut self, shared: bool) {
        if shared == self.shared {
            return;
        }
        self.shared = shared;
        for b in 0..self.board.len() {
            self.refresh(b);
        }
        if !self.trees.is_empty() {
            self.build_trees();
        }
    }

    /// Keeps the least-connections index (`true`) or drops it.
    pub(super) fn set_indexed(&mut self, indexed: bool) {
        if indexed {
            self.build_trees();
        } else {
            self.trees = Vec::new();
        }
    }

    fn build_trees(&mut self) {
        let count = if self.shared { 1 } else { self.board.len().max(1) };
        self.trees = vec![MinTree::new(self.total.len()); count];
        for t in 0..count {
            self.build_tree(t);
        }
    }

    fn build_tree(&mut self, t: usize) {
        let mut tree = match self.trees.get_mut(t) {
            Some(tree) => std::mem::replace(tree, MinTree::new(0)),
            None => return,
        };
        tree.rebuild(|slot| self.is_up(slot).then(|| self.seen(t, slot)));
        self.trees[t] = tree;
    }

    fn update_trees(&mut self, slot: usize) {
        for t in 0..self.trees.len() {
            let value = self.is_up(slot).then(|| self.seen(t, slot));
            self.trees[t].set(slot, value);
        }
    }

    /// Least connections for balancer `b`: a routable slot with the fewest requests in flight as
    /// `b` sees them, uniformly at random among ties. Needs the index (see
    /// [`Loads::set_indexed`]); without it, a linear scan.
    pub(super) fn least_loaded(&self, b: usize, rng: &mut SimRng) -> Option<usize> {
        let tree = if self.shared { 0 } else { b };
        if let Some(t) = self.trees.get(tree) {
            return t.pick(rng);
        }
        // Fallback (not used by the lab): O(servers), reservoir sampling among ties.
        let mut best: Option<(u32, usize)> = None;
        let mut ties = 0u64;
        for &slot in &self.up {
            let slot = slot as usize;
            let load = self.seen(b, slot);
            match best {
                Some((l, _)) if load > l => {}
                Some((l, _)) if load == l => {
                    ties += 1;
                    if rng.below(ties) == 0 {
                        best = Some((load, slot));
                    }
                }
                _ => {
                    best = Some((load, slot));
                    ties = 1;
                }
            }
        }
        best.map(|(_, slot)| slot)
    }

    /// A uniformly random routable slot (one draw), or `None`.
    pub(super) fn random_up(&self, rng: &mut SimRng) -> Option<usize> {
        if self.up.is_empty() {
            return None;
        }
        let i = rng.below(self.up.len() as u64) as usize;
        self.up.get(i).map(|&s| s as usize)
    }

    /// Two distinct uniformly random routable slots (two draws); `(only, None)` when just one is
    /// routable, `None` when none is.
    pub(super) fn two_up(&self, rng: &mut SimRng) -> Option<(usize, Option<usize>)> {
        let n = self.up.len() as u64;
        match n {
            0 => None,
            1 => self.up.first().map(|&s| (s as usize, None)),
            _ => {
                let i = rng.below(n);
                let mut j = rng.below(n - 1);
                if j >= i {
                    j += 1;
                }
                let a = *self.up.get(i as usize)? as usize;
                let b = *self.up.get(j as usize)? as usize;
                Some((a, Some(b)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_views_see_the_load_as_of_the_last_refresh_only() {
        let mut l = Loads::new(3, 2, false);
        for s in 0..3 {
            l.set_up(s, true);
        }
        l.set_indexed(true);
        l.inc(0, 0);
        l.inc(1, 0);
        l.inc(1, 0);
        assert_eq!(l.total(0), 3);
        // Not even its own requests: both balancers still see the empty board.
        assert_eq!(l.seen(0, 0), 0);
        assert_eq!(l.seen(1, 0), 0);
        l.refresh(0);
        assert_eq!(l.seen(0, 0), 3);
        assert_eq!(l.seen(1, 0), 0);
        l.dec(0, 0);
        assert_eq!(l.seen(0, 0), 3);
        let mut rng = SimRng::new(3);
        for _ in 0..20 {
            assert_ne!(l.least_loaded(0, &mut rng), Some(0));
        }
        l.set_up(1, false);
        l.set_up(2, false);
        assert_eq!(l.least_loaded(0, &mut rng), Some(0));
        assert_eq!(l.up_count(), 1);
        l.set_shared(true);
        assert_eq!(l.seen(1, 0), 2); // the true load, once shared
        assert_eq!(l.two_up(&mut rng), Some((0, None)));
        l.add_slot();
        l.set_up(3, true);
        assert_eq!(l.least_loaded(1, &mut rng), Some(3));
    }
}
