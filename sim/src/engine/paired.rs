//! Two runs of a per-second model side by side to the same simulated time, sliced across frames:
//! the stepping every "compare two settings on the same traffic" shares ([`PairedRuns`]).

use super::SimTime;

/// A model that runs on its own clock in bounded slices.
pub trait SlicedRun {
    /// The model's clock.
    fn now(&self) -> SimTime;
    /// Runs toward `until`, at most `max_seconds` simulated seconds this call; true once there.
    fn work_until(&mut self, until: SimTime, max_seconds: u64) -> bool;
}

/// Two runs stepped to one end time, each with half of every budget.
#[derive(Clone, Debug)]
pub struct PairedRuns<L> {
    labs: [L; 2],
    until: SimTime,
}

impl<L: SlicedRun> PairedRuns<L> {
    /// `a` and `b`, both to run to `until`.
    pub fn new(a: L, b: L, until: SimTime) -> Self {
        Self { labs: [a, b], until }
    }

    /// Runs both a little further (`budget` simulated seconds in all, split between them);
    /// true once both have reached the end.
    pub fn work(&mut self, budget: u64) -> bool {
        let until = self.until;
        let share = (budget / 2).max(1);
        for lab in self.labs.iter_mut().filter(|l| l.now() < until) {
            lab.work_until(until, share);
        }
        self.is_done()
    }

    /// Runs both to the end at once.
    pub fn run_to_end(&mut self) {
        while !self.work(u64::MAX / 4) {}
    }

    /// Whether both runs have reached the end.
    pub fn is_done(&self) -> bool {
        self.labs.iter().all(|l| l.now() >= self.until)
    }

    /// Share of the simulated time done, 0..=1.
    pub fn progress(&self) -> f64 {
        let end = self.until.max(1) as f64;
        let done: f64 = self.labs.iter().map(|l| l.now().min(self.until) as f64 / end).sum();
        (done / 2.0).clamp(0.0, 1.0)
    }

    /// The two runs, `a` first.
    pub fn labs(&self) -> &[L; 2] {
        &self.labs
    }

    /// The end time.
    pub fn until(&self) -> SimTime {
        self.until
    }
}
