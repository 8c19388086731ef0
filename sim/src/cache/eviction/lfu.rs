//! Perfect LFU: evict the cached key requested least often over the whole run.
//!
//! "Perfect" means the request counts are kept for every key, cached or not, for the whole run
//! (they are not reset when a key is evicted), as in the textbook analysis where LFU's hit ratio
//! is the popularity mass of the `C` most popular keys. A newcomer is stored only if it has been
//! requested at least as often as the least frequently used cached key, which it then replaces;
//! ties go to the more recently requested key. A crash or flush of the cache forgets the counts.

const NONE: u32 = u32::MAX;

/// Perfect LFU over slots, with an indexed binary min-heap keyed by `(count, last access)`:
/// O(log n) per hit, insert, removal and eviction; 4 bytes of count per key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lfu {
    /// Read requests seen per key over the run (saturating).
    counts: Vec<u32>,
    key_of_slot: Vec<u32>,
    /// Tick of the slot's last access; breaks count ties (older is evicted first).
    stamp_of_slot: Vec<u64>,
    /// Slots, a min-heap by `(count, stamp)`.
    heap: Vec<u32>,
    /// Position of each slot in `heap` (`NONE` when not cached).
    pos: Vec<u32>,
    clock: u64,
}

impl Lfu {
    pub(crate) fn new(capacity: usize, keys: usize) -> Self {
        Self {
            counts: vec![0; keys],
            key_of_slot: vec![NONE; capacity],
            stamp_of_slot: vec![0; capacity],
            heap: Vec::new(),
            pos: vec![NONE; capacity],
            clock: 0,
        }
    }

    /// Counts one read request of `key`; `slot` is where it is cached, if it is.
    pub(crate) fn record_access(&mut self, key: u32, slot: Option<u32>) {
        self.clock += 1;
        if let Some(c) = self.counts.get_mut(key as usize) {
            *c = c.saturating_add(1);
        }
        if let Some(slot) = slot {
            if let Some(s) = self.stamp_of_slot.get_mut(slot as usize) {
                *s = self.clock;
            }
            if let Some(&p) = self.pos.get(slot as usize) {
                if p != NONE {
                    self.sift_down(p as usize);
                }
            }
        }
    }

    /// The request count of `key` so far.
    pub(crate) fn count(&self, key: u32) -> u32 {
        self.counts.get(key as usize).copied().unwrap_or(0)
    }

    fn priority(&self, slot: u32) -> (u32, u64) {
        let key = self.key_of_slot.get(slot as usize).copied().unwrap_or(NONE);
        let stamp = self.stamp_of_slot.get(slot as usize).copied().unwrap_or(0);
        (self.count(key), stamp)
    }

    /// Whether a full cache should store `key` (replacing its least frequently used entry).
    pub(crate) fn admits(&self, key: u32) -> bool {
        match self.heap.first() {
            None => true,
            Some(&root) => (self.count(key), self.clock + 1) > self.priority(root),
        }
    }

    pub(crate) fn on_insert(&mut self, slot: u32, key: u32) {
        let i = slot as usize;
        if i >= self.pos.len() || self.pos[i] != NONE {
            return;
        }
        self.key_of_slot[i] = key;
        self.stamp_of_slot[i] = self.clock;
        self.pos[i] = self.heap.len() as u32;
        self.heap.push(slot);
        self.sift_up(self.heap.len() - 1);
    }

    pub(crate) fn on_remove(&mut self, slot: u32) {
        let Some(&p) = self.pos.get(slot as usize) else {
            return;
        };
        if p == NONE {
            return;
        }
        let p = p as usize;
        let last = self.heap.len() - 1;
        self.swap(p, last);
        self.heap.pop();
        self.pos[slot as usize] = NONE;
        if p < self.heap.len() {
            self.sift_up(p);
            self.sift_down(p);
        }
    }

    pub(crate) fn pick_victim(&mut self) -> Option<u32> {
        let root = *self.heap.first()?;
        self.on_remove(root);
        Some(root)
    }

    pub(crate) fn clear(&mut self) {
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.heap.clear();
        self.pos.iter_mut().for_each(|p| *p = NONE);
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        if let Some(&s) = self.heap.get(a) {
            self.pos[s as usize] = a as u32;
        }
        if let Some(&s) = self.heap.get(b) {
            self.pos[s as usize] = b as u32;
        }
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.priority(self.heap[i]) < self.priority(self.heap[parent]) {
                self.swap(i, parent);
                i = parent;
            } else {
                break;
            }
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut smallest = i;
            if l < self.heap.len() && self.priority(self.heap[l]) < self.priority(self.heap[smallest]) {
                smallest = l;
            }
            if r < self.heap.len() && self.priority(self.heap[r]) < self.priority(self.heap[smallest]) {
                smallest = r;
            }
            if smallest == i {
                break;
            }
            self.swap(i, smallest);
            i = smallest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_frequent_and_refuses_colder_newcomers() {
        let mut p = Lfu::new(2, 5);
        // key 0 requested 3 times, key 1 once, both cached.
        p.record_access(0, None);
        p.on_insert(0, 0);
        p.record_access(0, Some(0));
        p.record_access(0, Some(0));
        p.record_access(1, None);
        p.on_insert(1, 1);
        // key 2 requested once: ties with key 1, more recent, so admitted over key 1.
        p.record_access(2, None);
        assert!(p.admits(2));
        assert_eq!(p.pick_victim(), Some(1));
        p.on_insert(1, 2);
        // key 3 never requested: refused.
        assert!(!p.admits(3));
        p.on_remove(0);
        assert_eq!(p.pick_victim(), Some(1));
        assert_eq!(p.pick_victim(), None);
    }
}
