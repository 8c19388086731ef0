//! First in, first out: evict the entry inserted longest ago, whatever its hits.

use super::list::{Links, List};

/// FIFO over slots: hits change nothing; the victim is the oldest insertion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fifo {
    links: Links,
    list: List,
}

impl Fifo {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            links: Links::new(capacity),
            list: List::EMPTY,
        }
    }

    pub(crate) fn on_insert(&mut self, slot: u32) {
        self.links.push_front(&mut self.list, slot);
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
    fn evicts_oldest_insertion_despite_hits() {
        let mut p = Fifo::new(3);
        for s in 0..3 {
            p.on_insert(s);
        }
        assert_eq!(p.pick_victim(), Some(0));
        p.on_remove(1);
        assert_eq!(p.pick_victim(), Some(2));
        assert_eq!(p.pick_victim(), None);
    }
}
