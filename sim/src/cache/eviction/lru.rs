//! Least recently used: evict the entry whose last access is oldest.

use super::list::{Links, List};

/// LRU over slots: a hit moves the entry to the head; the victim is the tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lru {
    links: Links,
    list: List,
}

impl Lru {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            links: Links::new(capacity),
            list: List::EMPTY,
        }
    }

    pub(crate) fn on_insert(&mut self, slot: u32) {
        self.links.push_front(&mut self.list, slot);
    }

    pub(crate) fn on_hit(&mut self, slot: u32) {
        self.links.move_to_front(&mut self.list, slot);
    }

    pub(crate) fn on_remove(&mut self, slot: u32) {
        self.links.remove(&mut self.list, slot);
    }

    pub(crate) fn pick_victim(&mut self) -> Option<u32> {
        let victim = self.list.tail()?;
        self.links.remove(&mut self.list, victim);
        Some(victim)
    }

    pub(crate) fn clear(&mut self) {
        self.links.clear();
        self.list = List::EMPTY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used() {
        let mut p = Lru::new(3);
        for s in 0..3 {
            p.on_insert(s);
        }
        p.on_hit(0);
        assert_eq!(p.pick_victim(), Some(1));
        p.on_remove(2);
        assert_eq!(p.pick_victim(), Some(0));
        assert_eq!(p.pick_victim(), None);
    }
}
