//! A monotone event counter.

/// A count of events (requests, hits, misses...). Starts at 0 and saturates at `u64::MAX` instead
/// of overflowing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Counter(u64);

impl Counter {
    /// A counter at 0.
    pub fn new() -> Self {
        Self(0)
    }

    /// Adds `n`.
    pub fn add(&mut self, n: u64) {
        self.0 = self.0.saturating_add(n);
    }

    /// Adds 1.
    pub fn inc(&mut self) {
        self.add(1);
    }

    /// The current count.
    pub fn get(&self) -> u64 {
        self.0
    }

    /// Sets the count back to 0.
    pub fn reset(&mut self) {
        self.0 = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_saturates() {
        let mut c = Counter::new();
        c.inc();
        c.add(41);
        assert_eq!(c.get(), 42);
        c.add(u64::MAX);
        assert_eq!(c.get(), u64::MAX);
        c.reset();
        assert_eq!(c.get(), 0);
    }
}
