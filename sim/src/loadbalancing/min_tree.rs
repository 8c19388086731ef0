//! The least-connections index: a tournament tree over the server slots that finds a least
//! loaded server, uniformly at random among ties, in O(log servers).

use crate::engine::SimRng;

/// The value of a slot that takes no traffic (not a member, or marked down).
const ABSENT: u32 = u32::MAX;

/// A complete binary tree over `size` leaves (a power of two at least the number of slots). Each
/// node holds the smallest load below it and how many leaves have that load, so a uniformly random
/// least loaded leaf is found by one descent. Memory: two `u32`s per node, fixed for a fleet size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct MinTree {
    size: usize,
    min: Vec<u32>,
    ties: Vec<u32>,
}

impl MinTree {
    /// A tree for `slots` slots, all absent.
    pub(super) fn new(slots: usize) -> Self {
        let size = slots.max(1).next_power_of_two();
        Self {
            size,
            min: vec![ABSENT; 2 * size],
            ties: vec![0; 2 * size],
        }
    }

    /// Slots the tree can hold.
    pub(super) fn capacity(&self) -> usize {
        self.size
    }

    /// Sets slot `slot`'s load (`None`: it takes no traffic). O(log size). A slot beyond the
    /// capacity is ignored.
    pub(super) fn set(&mut self, slot: usize, load: Option<u32>) {
        let mut node = self.size + slot;
        if node >= self.min.len() {
            return;
        }
        self.min[node] = load.map_or(ABSENT, |l| l.min(ABSENT - 1));
        self.ties[node] = u32::from(load.is_some());
        while node > 1 {
            node /= 2;
            self.combine(node);
        }
    }

    /// Sets every slot at once from `load(slot)`, in O(size).
    pub(super) fn rebuild(&mut self, load: impl Fn(usize) -> Option<u32>) {
        for slot in 0..self.size {
            let node = self.size + slot;
            let value = load(slot);
            self.min[node] = value.map_or(ABSENT, |l| l.min(ABSENT - 1));
            self.ties[node] = u32::from(value.is_some());
        }
        for node in (1..self.size).rev() {
            self.combine(node);
        }
    }

    fn combine(&mut self, node: usize) {
        let (l, r) = (2 * node, 2 * node + 1);
        let (ml, mr) = (self.min[l], self.min[r]);
        (self.min[node], self.ties[node]) = if ml < mr {
            (ml, self.ties[l])
        } else if mr < ml {
            (mr, self.ties[r])
        } else {
            (ml, self.ties[l].saturating_add(self.ties[r]))
        };
    }

    /// A least loaded slot, uniformly at random among ties (one generator draw), or `None` when
    /// every slot is absent.
    pub(super) fn pick(&self, rng: &mut SimRng) -> Option<usize> {
        let total = *self.ties.get(1)?;
        if total == 0 {
            return None;
        }
        let mut rank = rng.below(u64::from(total)) as u32;
        let mut node = 1;
        while node < self.size {
            let left = 2 * node;
            if self.min[left] == self.min[node] {
                if rank < self.ties[left] {
                    node = left;
                    continue;
                }
                rank -= self.ties[left];
            }
            node = left + 1;
        }
        Some(node - self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_uniformly_among_the_least_loaded() {
        let mut t = MinTree::new(5);
        assert_eq!(t.capacity(), 8);
        let mut rng = SimRng::new(1);
        assert_eq!(t.pick(&mut rng), None);
        for (slot, load) in [(0, 3), (1, 1), (2, 1), (3, 2), (4, 1)] {
            t.set(slot, Some(load));
        }
        t.set(4, None);
        let mut seen = [0u32; 8];
        for _ in 0..10_000 {
            seen[t.pick(&mut rng).unwrap()] += 1;
        }
        assert_eq!(seen[0] + seen[3] + seen[4], 0);
        assert!(
            (4_500..5_500).contains(&seen[1]) && (4_500..5_500).contains(&seen[2]),
            "{seen:?}"
        );
        t.set(2, Some(5));
        assert_eq!(t.pick(&mut rng), Some(1));
        t.rebuild(|s| (s == 3).then_some(7));
        assert_eq!(t.pick(&mut rng), Some(3));
        let mut one = MinTree::new(1);
        one.set(0, Some(0));
        assert_eq!(one.pick(&mut rng), Some(0));
    }
}
