//! Random eviction: the victim is drawn uniformly among the cached entries.

use crate::engine::SimRng;

const NONE: u32 = u32::MAX;

/// Random replacement over slots. Keeps the occupied slots in a dense array (swap-remove), so
/// picking and removing are O(1). Draws from its own generator, never the request stream's.
#[derive(Clone, Debug)]
pub(crate) struct RandomPolicy {
    members: Vec<u32>,
    index_of_slot: Vec<u32>,
    rng: SimRng,
}

impl RandomPolicy {
    pub(crate) fn new(capacity: usize, rng: SimRng) -> Self {
        Self {
            members: Vec::with_capacity(capacity.min(1 << 16)),
            index_of_slot: vec![NONE; capacity],
            rng,
        }
    }

    pub(crate) fn on_insert(&mut self, slot: u32) {
        if let Some(i) = self.index_of_slot.get_mut(slot as usize) {
            if *i == NONE {
                *i = self.members.len() as u32;
                self.members.push(slot);
            }
        }
    }

    pub(crate) fn on_remove(&mut self, slot: u32) {
        let Some(&index) = self.index_of_slot.get(slot as usize) else {
            return;
        };
        if index == NONE {
            return;
        }
        self.members.swap_remove(index as usize);
        if let Some(&moved) = self.members.get(index as usize) {
            if let Some(i) = self.index_of_slot.get_mut(moved as usize) {
                *i = index;
            }
        }
        if let Some(i) = self.index_of_slot.get_mut(slot as usize) {
            *i = NONE;
        }
    }

    pub(crate) fn pick_victim(&mut self) -> Option<u32> {
        if self.members.is_empty() {
            return None;
        }
        let index = self.rng.below(self.members.len() as u64) as usize;
        let victim = *self.members.get(index)?;
        self.on_remove(victim);
        Some(victim)
    }

    pub(crate) fn clear(&mut self) {
        self.members.clear();
        self.index_of_slot.iter_mut().for_each(|i| *i = NONE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_every_member_eventually_and_only_members() {
        let mut p = RandomPolicy::new(4, SimRng::new(1));
        for s in 0..4 {
            p.on_insert(s);
        }
        p.on_remove(2);
        let mut seen = Vec::new();
        while let Some(v) = p.pick_victim() {
            seen.push(v);
        }
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 3]);
    }
}
