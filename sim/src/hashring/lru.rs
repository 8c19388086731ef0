//! Per-node LRU caches with O(1) operations and no hash map.
//!
//! All caches share one slab of entries linked into a doubly linked list per cache (most recently
//! used at the head). Keys are dense (`0..keys`), so a plain `Vec<u32>` maps a key to its slot.
//! A key lives in at most one cache at a time: when a node caches a key another node still holds,
//! the stale copy is dropped. In the hash ring lab the old owner never serves a moved key again, so
//! dropping its copy at that moment only frees space a little earlier than LRU eviction would.

const NIL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    key: u32,
    cache: u32,
    prev: u32,
    next: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct List {
    head: u32,
    tail: u32,
    len: usize,
}

/// A set of LRU caches, one per node, over dense keys `0..keys`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LruCaches {
    capacity: usize,
    lists: Vec<List>,
    entries: Vec<Entry>,
    free: Vec<u32>,
    slot_of_key: Vec<u32>,
}

impl LruCaches {
    /// `caches` empty caches of `capacity` entries each, for keys `0..keys`. Capacity 0 caches
    /// nothing.
    pub fn new(caches: usize, capacity: usize, keys: usize) -> Self {
        Self {
            capacity,
            lists: vec![
                List {
                    head: NIL,
                    tail: NIL,
                    len: 0
                };
                caches
            ],
            entries: Vec::new(),
            free: Vec::new(),
            slot_of_key: vec![NIL; keys],
        }
    }

    /// `caches` empty caches of `capacity` entries each for no keys yet, with room reserved for
    /// `keys` keys and `entries` entries: [`LruCaches::extend_keys`] then adds keys a slice at a
    /// time, so a huge key space is set up over several animation frames. Once extended to `keys`
    /// it behaves exactly like `LruCaches::new(caches, capacity, keys)`.
    pub fn with_room(caches: usize, capacity: usize, keys: usize, entries: usize) -> Self {
        let mut lru = Self::new(caches, capacity, 0);
        lru.slot_of_key.reserve_exact(keys);
        lru.entries.reserve_exact(entries);
        lru
    }

    /// Adds `more` keys (not cached anywhere) after the current ones.
    pub fn extend_keys(&mut self, more: usize) {
        let keys = self.slot_of_key.len().saturating_add(more);
        self.slot_of_key.resize(keys, NIL);
    }

    /// Entries each cache may hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Entries cache `cache` holds now.
    pub fn len(&self, cache: usize) -> usize {
        self.lists.get(cache).map_or(0, |l| l.len)
    }

    /// Whether cache `cache` holds no entry.
    pub fn is_empty(&self, cache: usize) -> bool {
        self.len(cache) == 0
    }

    /// Whether cache `cache` holds `key`.
    pub fn contains(&self, cache: usize, key: usize) -> bool {
        self.slot(key)
            .and_then(|s| self.entries.get(s))
            .is_some_and(|e| e.cache as usize == cache)
    }

    fn slot(&self, key: usize) -> Option<usize> {
        self.slot_of_key
            .get(key)
            .copied()
            .filter(|&s| s != NIL)
            .map(|s| s as usize)
    }

    /// Looks `key` up in `cache`: on a hit, marks it most recently used and returns `true`; on a
    /// miss, stores it (evicting the least recently used entry if full) and returns `false`.
    /// Out-of-range caches or keys are plain misses.
    pub fn access(&mut self, cache: usize, key: usize) -> bool {
        if cache >= self.lists.len() || key >= self.slot_of_key.len() {
            return false;
        }
        if let Some(slot) = self.slot(key) {
            let holder = self.entries.get(slot).map_or(NIL, |e| e.cache);
            self.unlink(slot);
            if holder as usize == cache {
                self.push_front(cache, slot);
                return true;
            }
            // A stale copy on another node: drop it.
            self.release(slot, key);
        }
        self.insert_new(cache, key);
        false
    }

    fn insert_new(&mut self, cache: usize, key: usize) {
        if self.capacity == 0 {
            return;
        }
        if self.len(cache) >= self.capacity {
            let tail = self.lists.get(cache).map_or(NIL, |l| l.tail);
            if tail != NIL {
                let evicted = self.entries.get(tail as usize).map_or(NIL, |e| e.key);
                self.unlink(tail as usize);
                self.release(tail as usize, evicted as usize);
            }
        }
        let entry = Entry {
            key: key as u32,
            cache: cache as u32,
            prev: NIL,
            next: NIL,
        };
        let slot = match self.free.pop() {
            Some(s) => {
                if let Some(e) = self.entries.get_mut(s as usize) {
                    *e = entry;
                }
                s as usize
            }
            None => {
                self.entries.push(entry);
                self.entries.len() - 1
            }
        };
        if let Some(s) = self.slot_of_key.get_mut(key) {
            *s = slot as u32;
        }
        self.push_front(cache, slot);
    }

    fn release(&mut self, slot: usize, key: usize) {
        if let Some(s) = self.slot_of_key.get_mut(key) {
            *s = NIL;
        }
        self.free.push(slot as u32);
    }

    /// Takes `slot` out of its list.
    fn unlink(&mut self, slot: usize) {
        let Some(e) = self.entries.get(slot).copied() else {
            return;
        };
        match self.entries.get_mut(e.prev as usize) {
            Some(p) => p.next = e.next,
            None => {
                if let Some(l) = self.lists.get_mut(e.cache as usize) {
                    l.head = e.next;
                }
            }
        }
        match self.entries.get_mut(e.next as usize) {
            Some(n) => n.prev = e.prev,
            None => {
                if let Some(l) = self.lists.get_mut(e.cache as usize) {
                    l.tail = e.prev;
                }
            }
        }
        if let Some(l) = self.lists.get_mut(e.cache as usize) {
            l.len = l.len.saturating_sub(1);
        }
        if let Some(x) = self.entries.get_mut(slot) {
            x.prev = NIL;
            x.next = NIL;
        }
    }

    /// Puts `slot` at the head of `cache`'s list.
    fn push_front(&mut self, cache: usize, slot: usize) {
        let Some(list) = self.lists.get(cache).copied() else {
            return;
        };
        if let Some(e) = self.entries.get_mut(slot) {
            e.cache = cache as u32;
            e.prev = NIL;
            e.next = list.head;
        }
        match self.entries.get_mut(list.head as usize) {
            Some(h) => h.prev = slot as u32,
            None => {
                if let Some(l) = self.lists.get_mut(cache) {
                    l.tail = slot as u32;
                }
            }
        }
        if let Some(l) = self.lists.get_mut(cache) {
            l.head = slot as u32;
            l.len += 1;
        }
    }

    /// The keys of `cache` from most to least recently used (for tests and debugging).
    pub fn keys_by_recency(&self, cache: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.lists.get(cache).map_or(NIL, |l| l.head);
        while let Some(e) = self.entries.get(at as usize) {
            out.push(e.key as usize);
            at = e.next;
            if out.len() > self.entries.len() {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let mut c = LruCaches::new(2, 2, 10);
        assert!(!c.access(0, 1));
        assert!(!c.access(0, 2));
        assert!(c.access(0, 1));
        assert!(!c.access(0, 3)); // evicts 2
        assert_eq!(c.keys_by_recency(0), vec![3, 1]);
        assert!(!c.access(0, 2));
        assert_eq!(c.keys_by_recency(0), vec![2, 3]);
        assert_eq!(c.len(0), 2);
    }

    #[test]
    fn a_key_moving_node_drops_its_stale_copy() {
        let mut c = LruCaches::new(2, 2, 10);
        c.access(0, 5);
        c.access(0, 6);
        assert!(!c.access(1, 5));
        assert!(c.contains(1, 5) && !c.contains(0, 5));
        assert_eq!(c.keys_by_recency(0), vec![6]);
        assert_eq!(c.keys_by_recency(1), vec![5]);
    }

    #[test]
    fn zero_capacity_and_out_of_range_are_misses() {
        let mut c = LruCaches::new(1, 0, 4);
        assert!(!c.access(0, 1));
        assert!(!c.access(0, 1));
        assert!(!c.access(7, 1));
        assert!(!c.access(0, 99));
        assert!(c.is_empty(0));
    }
}
