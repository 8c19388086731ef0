//! S3-FIFO (Yang et al., SOSP 2023): a small FIFO, a main FIFO and a ghost FIFO of keys.
//!
//! New keys enter the small queue `S` (10% of the capacity), unless they are in the ghost queue
//! `G` (recently evicted from `S`), in which case they go straight to the main queue `M`. A hit
//! bumps a 2-bit counter (at most 3). Eviction takes from `M` when `M` holds more than its 90%
//! share or `S` is empty, else from `S`: the tail of `S` moves to `M` if it was hit while in `S`
//! (counter reset to 0), otherwise it is evicted and its key remembered in `G`; the tail of `M` is
//! reinserted at the head with its counter decremented while the counter is positive, otherwise
//! evicted. This follows libCacheSim's `S3FIFO` (move-to-main threshold 1, ghost 90% of the
//! capacity).
//!
//! The ghost queue holds keys only: each key stores the sequence number of its ghost insertion,
//! and a key is in `G` while fewer than `ghost_capacity` keys have entered `G` after it. O(1) per
//! operation, 8 bytes per key.

use super::list::{Links, List};

const NOT_GHOST: u64 = u64::MAX;
/// Largest value of the per-entry counter.
const MAX_FREQ: u8 = 3;

/// S3-FIFO over slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct S3Fifo {
    links: Links,
    small: List,
    main: List,
    in_main: Vec<bool>,
    freq: Vec<u8>,
    key_of_slot: Vec<u32>,
    /// Target size of `M` (capacity minus the small queue's share).
    main_target: usize,
    ghost_seq: Vec<u64>,
    ghost_pushed: u64,
    ghost_capacity: u64,
}

impl S3Fifo {
    pub(crate) fn new(capacity: usize, keys: usize) -> Self {
        let small_target = capacity.div_ceil(10).max(1).min(capacity);
        let ghost_capacity = (capacity * 9).div_ceil(10).max(1) as u64;
        Self {
            links: Links::new(capacity),
            small: List::EMPTY,
            main: List::EMPTY,
            in_main: vec![false; capacity],
            freq: vec![0; capacity],
            key_of_slot: vec![u32::MAX; capacity],
            main_target: capacity - small_target,
            ghost_seq: vec![NOT_GHOST; keys],
            ghost_pushed: 0,
            ghost_capacity,
        }
    }

    fn in_ghost(&self, key: u32) -> bool {
        match self.ghost_seq.get(key as usize) {
            Some(&seq) if seq != NOT_GHOST => self.ghost_pushed - seq <= self.ghost_capacity,
            _ => false,
        }
    }

    pub(crate) fn on_insert(&mut self, slot: u32, key: u32) {
        let i = slot as usize;
        if i >= self.freq.len() {
            return;
        }
        self.freq[i] = 0;
        self.key_of_slot[i] = key;
        let to_main = self.in_ghost(key);
        if let Some(seq) = self.ghost_seq.get_mut(key as usize) {
            *seq = NOT_GHOST;
        }
        self.in_main[i] = to_main;
        let list = if to_main { &mut self.main } else { &mut self.small };
        self.links.push_front(list, slot);
    }

    pub(crate) fn on_hit(&mut self, slot: u32) {
        if let Some(f) = self.freq.get_mut(slot as usize) {
            *f = (*f + 1).min(MAX_FREQ);
        }
    }

    pub(crate) fn on_remove(&mut self, slot: u32) {
        let in_main = self.in_main.get(slot as usize).copied().unwrap_or(false);
        let list = if in_main { &mut self.main } else { &mut self.small };
        self.links.remove(list, slot);
    }

    pub(crate) fn pick_victim(&mut self) -> Option<u32> {
        if self.main.len() <= self.main_target && self.small.len() > 0 {
            if let Some(victim) = self.evict_small() {
                return Some(victim);
            }
        }
        self.evict_main()
    }

    /// Moves hit entries from `S` to `M` until an unhit one is evicted (into the ghost queue).
    fn evict_small(&mut self) -> Option<u32> {
        while let Some(tail) = self.small.tail() {
            let i = tail as usize;
            self.links.remove(&mut self.small, tail);
            if self.freq.get(i).copied().unwrap_or(0) >= 1 {
                self.freq[i] = 0;
                self.in_main[i] = true;
                self.links.push_front(&mut self.main, tail);
            } else {
                let key = self.key_of_slot.get(i).copied().unwrap_or(u32::MAX);
                if let Some(seq) = self.ghost_seq.get_mut(key as usize) {
                    *seq = self.ghost_pushed;
                    self.ghost_pushed += 1;
                }
                return Some(tail);
            }
        }
        None
    }

    /// Reinserts hit entries of `M` (decrementing their counters) until an unhit one is evicted.
    fn evict_main(&mut self) -> Option<u32> {
        // Each pass over an entry decrements its counter, so this ends within 4 passes.
        for _ in 0..=(usize::from(MAX_FREQ) + 1) * self.main.len() {
            let tail = self.main.tail()?;
            let i = tail as usize;
            let f = self.freq.get(i).copied().unwrap_or(0);
            if f >= 1 {
                self.freq[i] = f - 1;
                self.links.move_to_front(&mut self.main, tail);
            } else {
                self.links.remove(&mut self.main, tail);
                return Some(tail);
            }
        }
        None
    }

    pub(crate) fn clear(&mut self) {
        self.links.clear();
        self.small = List::EMPTY;
        self.main = List::EMPTY;
        self.in_main.iter_mut().for_each(|m| *m = false);
        self.freq.iter_mut().for_each(|f| *f = 0);
        self.ghost_seq.iter_mut().for_each(|s| *s = NOT_GHOST);
        self.ghost_pushed = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hit_wonders_leave_through_the_small_queue_and_ghosts_enter_main() {
        // Capacity 10: small target 1, main target 9.
        let mut p = S3Fifo::new(10, 100);
        for slot in 0..10 {
            p.on_insert(slot, slot); // all into S
        }
        p.on_hit(0);
        // S over target and M under: evict from S. Slot 0 (hit) moves to M; slot 1 evicted.
        assert_eq!(p.pick_victim(), Some(1));
        assert!(p.in_main[0]);
        assert!(p.in_ghost(1));
        // Key 1 comes back: straight into M.
        p.on_insert(1, 1);
        assert!(p.in_main[1]);
        assert!(!p.in_ghost(1));
        p.on_remove(1);
        p.on_remove(0);
        assert_eq!(p.pick_victim(), Some(2));
    }

    #[test]
    fn main_queue_gives_hit_entries_second_chances() {
        let mut p = S3Fifo::new(10, 100);
        // Fill M through the ghost path.
        for key in 0..3 {
            p.ghost_seq[key as usize] = p.ghost_pushed;
            p.ghost_pushed += 1;
            p.on_insert(key, key);
        }
        p.on_hit(0);
        // S empty: evict from M. Slot 0 hit once: reinserted with counter 0; slot 1 evicted.
        assert_eq!(p.pick_victim(), Some(1));
        assert_eq!(p.freq[0], 0);
        assert_eq!(p.pick_victim(), Some(2));
        assert_eq!(p.pick_victim(), Some(0));
        assert_eq!(p.pick_victim(), None);
    }
}
