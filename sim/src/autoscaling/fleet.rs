//! The servers: a count of ready instances and the instances still starting (boot plus warm-up),
//! grouped by the second they become ready. Instances are interchangeable, so memory is one entry
//! per distinct ready time (at most one per second of the startup delay).

use std::collections::VecDeque;

/// The fleet of server instances.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fleet {
    ready: u32,
    /// `(second it becomes ready, how many)`, in time order.
    starting: VecDeque<(u64, u32)>,
    starting_total: u32,
    started: u64,
}

impl Fleet {
    /// A fleet of `ready` instances, all ready.
    pub fn new(ready: u32) -> Self {
        Self {
            ready,
            ..Self::default()
        }
    }

    /// Ready instances (serving).
    pub fn ready(&self) -> u32 {
        self.ready
    }

    /// Instances still starting.
    pub fn starting(&self) -> u32 {
        self.starting_total
    }

    /// Every instance, ready or starting (what is billed; Kubernetes' `spec.replicas`).
    pub fn size(&self) -> u32 {
        self.ready + self.starting_total
    }

    /// Instances started since the beginning (each one a cold start).
    pub fn started(&self) -> u64 {
        self.started
    }

    /// Makes every instance whose startup has ended by `now_s` ready.
    pub fn advance(&mut self, now_s: u64) {
        while let Some(&(at, n)) = self.starting.front() {
            if at > now_s {
                break;
            }
            self.starting.pop_front();
            self.starting_total -= n;
            self.ready += n;
        }
    }

    /// Starts `n` instances at `now_s`, ready at `now_s + startup_s`.
    fn start(&mut self, n: u32, now_s: u64, startup_s: u32) {
        if n == 0 {
            return;
        }
        let at = now_s + u64::from(startup_s);
        match self.starting.back_mut() {
            Some((t, count)) if *t == at => *count += n,
            _ => self.starting.push_back((at, n)),
        }
        self.starting_total += n;
        self.started += u64::from(n);
    }

    /// Resizes to `target` instances: starts the missing ones, or stops the extra ones, the
    /// newest starting ones first (as a ReplicaSet deletes unready pods first), then ready ones.
    pub fn resize(&mut self, target: u32, now_s: u64, startup_s: u32) {
        let size = self.size();
        if target > size {
            self.start(target - size, now_s, startup_s);
            return;
        }
        let mut extra = size - target;
        while extra > 0 {
            let Some((_, count)) = self.starting.back_mut() else {
                break;
            };
            let n = (*count).min(extra);
            *count -= n;
            self.starting_total -= n;
            extra -= n;
            if *count == 0 {
                self.starting.pop_back();
            }
        }
        self.ready -= extra.min(self.ready);
    }

    /// An instance dies (a ready one if any, else the newest starting one) and its replacement
    /// starts at once. Returns false when there was no instance.
    pub fn kill(&mut self, now_s: u64, startup_s: u32) -> bool {
        let size = self.size();
        if size == 0 {
            return false;
        }
        if self.ready > 0 {
            self.ready -= 1;
        } else {
            self.resize(size - 1, now_s, startup_s);
        }
        self.start(1, now_s, startup_s);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_stops_and_replaces() {
        let mut f = Fleet::new(2);
        f.resize(5, 10, 60);
        assert_eq!((f.ready(), f.starting(), f.size()), (2, 3, 5));
        f.advance(69);
        assert_eq!(f.ready(), 2);
        f.advance(70);
        assert_eq!(f.ready(), 5);
        f.resize(7, 80, 60);
        f.resize(4, 90, 60);
        assert_eq!((f.ready(), f.starting()), (4, 0), "starting ones go first");
        assert!(f.kill(100, 60));
        assert_eq!((f.ready(), f.starting(), f.started()), (3, 1, 6));
    }
}
