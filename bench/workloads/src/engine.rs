//! The discrete-event engine alone: the classic "hold" model on the `Scheduler`.
//!
//! [`PENDING`] events are queued; each one taken schedules one more a random 1..=1000 µs later,
//! so the queue stays the same size while the clock advances. Events per second of this loop is
//! the engine's cost per event (heap push + pop, one generator draw).

use scalelab_sim::engine::{Scheduler, SimRng};

use crate::{fnv, Outcome, Spec, Workload, FNV_OFFSET};

/// Events kept pending.
const PENDING: u32 = 1_000;
/// Events taken per run.
const EVENTS: u64 = 1_000_000;

pub(crate) const NAMES: [&str; 1] = ["engine/hold-1000"];

struct Hold {
    sched: Scheduler<u32>,
    rng: SimRng,
}

pub(crate) fn build(name: &str) -> Option<(Spec, Box<dyn Workload>)> {
    let name = NAMES.into_iter().find(|n| *n == name)?;
    let spec = Spec {
        name,
        unit: "events",
        what: "Scheduler hold model: take the next event, schedule one 1..1000 us later (1,000 pending)",
    };
    let w = Hold {
        sched: Scheduler::new(),
        rng: SimRng::new(7),
    };
    Some((spec, Box::new(w)))
}

impl Workload for Hold {
    fn setup(&mut self) {
        self.sched = Scheduler::new();
        self.rng = SimRng::new(7);
        for i in 0..PENDING {
            let at = 1 + self.rng.below(1_000);
            self.sched.schedule_at(at, i);
        }
    }

    fn run(&mut self) -> Outcome {
        let mut sum = FNV_OFFSET;
        let mut taken = 0u64;
        while taken < EVENTS {
            let Some(event) = self.sched.next_before(u64::MAX) else {
                break;
            };
            taken += 1;
            sum = fnv(sum, u64::from(event));
            let delay = 1 + self.rng.below(1_000);
            self.sched.schedule_in(delay, event);
        }
        Outcome {
            elements: taken,
            checksum: fnv(sum, self.sched.now()),
        }
    }
}
