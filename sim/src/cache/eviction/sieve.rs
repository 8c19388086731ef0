//! SIEVE (Zhang et al., NSDI 2024): a FIFO queue with a "visited" bit and a moving hand.
//!
//! New entries go to the head. A hit only sets the entry's visited bit. To evict, the hand walks
//! from where it stopped last (the tail at first) towards the head: a visited entry has its bit
//! cleared and is passed over (it stays where it is); the first unvisited entry is evicted and the
//! hand stops at its newer neighbour, wrapping to the tail at the head.

use super::list::{Links, List};

/// SIEVE over slots: O(1) per hit, amortised O(1) per eviction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sieve {
    links: Links,
    list: List,
    visited: Vec<bool>,
    /// Where the next eviction scan starts (`None`: at the tail).
    hand: Option<u32>,
}

impl Sieve {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            links: Links::new(capacity),
            list: List::EMPTY,
            visited: vec![false; capacity],
            hand: None,
        }
    }

    pub(crate) fn on_insert(&mut self, slot: u32) {
        if let Some(v) = self.visited.get_mut(slot as usize) {
            *v = false;
        }
        self.links.push_front(&mut self.list, slot);
    }

    pub(crate) fn on_hit(&mut self, slot: u32) {
        if let Some(v) = self.visited.get_mut(slot as usize) {
            *v = true;
        }
    }

    pub(crate) fn on_remove(&mut self, slot: u32) {
        if self.hand == Some(slot) {
            self.hand = self.links.newer(slot);
        }
        self.links.remove(&mut self.list, slot);
    }

    pub(crate) fn pick_victim(&mut self) -> Option<u32> {
        let mut at = self.hand.or(self.list.tail())?;
        // One full pass clears every bit, so two passes always find a victim.
        for _ in 0..=2 * self.list.len() {
            let visited = self.visited.get(at as usize).copied().unwrap_or(false);
            if visited {
                if let Some(v) = self.visited.get_mut(at as usize) {
                    *v = false;
                }
                at = self.links.newer(at).or(self.list.tail())?;
            } else {
                self.hand = self.links.newer(at);
                self.links.remove(&mut self.list, at);
                return Some(at);
            }
        }
        None
    }

    pub(crate) fn clear(&mut self) {
        self.links.clear();
        self.list = List::EMPTY;
        self.visited.iter_mut().for_each(|v| *v = false);
        self.hand = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_over_visited_entries_and_keeps_the_hand() {
        let mut p = Sieve::new(4);
        for s in 0..4 {
            p.on_insert(s); // queue head..tail: 3 2 1 0
        }
        p.on_hit(0);
        p.on_hit(1);
        // Hand from the tail: 0 visited (cleared), 1 visited (cleared), 2 evicted.
        assert_eq!(p.pick_victim(), Some(2));
        // Hand now at 3 (unvisited): evicted.
        assert_eq!(p.pick_victim(), Some(3));
        // Hand wraps to the tail: 0 (bit cleared earlier) evicted.
        assert_eq!(p.pick_victim(), Some(0));
        p.on_hit(1);
        assert_eq!(p.pick_victim(), Some(1));
        assert_eq!(p.pick_victim(), None);
    }
}
