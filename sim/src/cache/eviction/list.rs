//! Intrusive doubly linked lists over cache slots: O(1) push, remove and move, no allocation
//! after construction.
//!
//! Slots are dense indices `0..capacity`. One [`Links`] arena holds the neighbours of every slot;
//! each [`List`] is a head, a tail and a length. A slot sits in at most one list of an arena.
//! The head is the newest end, the tail the oldest.

/// "No slot".
pub(crate) const NIL: u32 = u32::MAX;

/// One list's ends and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct List {
    head: u32,
    tail: u32,
    len: usize,
}

impl List {
    /// An empty list.
    pub(crate) const EMPTY: List = List {
        head: NIL,
        tail: NIL,
        len: 0,
    };

    /// The oldest slot, if any.
    pub(crate) fn tail(&self) -> Option<u32> {
        (self.tail != NIL).then_some(self.tail)
    }

    /// The number of slots in the list.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// Neighbour pointers for every slot: `newer` points towards the head, `older` towards the tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Links {
    newer: Vec<u32>,
    older: Vec<u32>,
}

impl Links {
    /// Links for slots `0..capacity`, all unlinked.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            newer: vec![NIL; capacity],
            older: vec![NIL; capacity],
        }
    }

    /// Unlinks every slot (the lists using this arena must be reset to [`List::EMPTY`] too).
    pub(crate) fn clear(&mut self) {
        self.newer.iter_mut().for_each(|s| *s = NIL);
        self.older.iter_mut().for_each(|s| *s = NIL);
    }

    /// The slot just newer than `slot` (towards the head), if any.
    pub(crate) fn newer(&self, slot: u32) -> Option<u32> {
        self.newer.get(slot as usize).copied().filter(|&s| s != NIL)
    }

    /// Puts `slot` (not in any list) at the head of `list`.
    pub(crate) fn push_front(&mut self, list: &mut List, slot: u32) {
        let i = slot as usize;
        if i >= self.newer.len() {
            return;
        }
        self.newer[i] = NIL;
        self.older[i] = list.head;
        match self.newer.get_mut(list.head as usize) {
            Some(n) => *n = slot,
            None => list.tail = slot,
        }
        list.head = slot;
        list.len += 1;
    }

    /// Takes `slot` (which must be in `list`) out of it.
    pub(crate) fn remove(&mut self, list: &mut List, slot: u32) {
        let i = slot as usize;
        let (Some(&newer), Some(&older)) = (self.newer.get(i), self.older.get(i)) else {
            return;
        };
        match self.older.get_mut(newer as usize) {
            Some(o) => *o = older,
            None => list.head = older,
        }
        match self.newer.get_mut(older as usize) {
            Some(n) => *n = newer,
            None => list.tail = newer,
        }
        self.newer[i] = NIL;
        self.older[i] = NIL;
        list.len = list.len.saturating_sub(1);
    }

    /// Moves `slot` (in `list`) to the head of `list`.
    pub(crate) fn move_to_front(&mut self, list: &mut List, slot: u32) {
        if list.head == slot {
            return;
        }
        self.remove(list, slot);
        self.push_front(list, slot);
    }

    /// The slots of `list` from head (newest) to tail (oldest); for tests.
    #[cfg(test)]
    pub(crate) fn collect(&self, list: &List) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = list.head;
        while at != NIL && out.len() <= self.older.len() {
            out.push(at);
            at = self.older.get(at as usize).copied().unwrap_or(NIL);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_remove_move() {
        let mut links = Links::new(4);
        let mut list = List::EMPTY;
        for s in 0..4 {
            links.push_front(&mut list, s);
        }
        assert_eq!(links.collect(&list), vec![3, 2, 1, 0]);
        assert_eq!(list.tail(), Some(0));
        links.remove(&mut list, 2);
        assert_eq!(links.collect(&list), vec![3, 1, 0]);
        links.move_to_front(&mut list, 0);
        assert_eq!(links.collect(&list), vec![0, 3, 1]);
        assert_eq!(list.tail(), Some(1));
        assert_eq!(links.newer(1), Some(3));
        links.remove(&mut list, 0);
        links.remove(&mut list, 3);
        links.remove(&mut list, 1);
        assert_eq!(list, List::EMPTY);
        links.push_front(&mut list, 9); // out of range: ignored
        assert_eq!(list.len(), 0);
    }
}
