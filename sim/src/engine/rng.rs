//! The one seeded random number generator a simulation owns.
//!
//! Algorithm: **PCG-64 MCG (XSL-RR)**, also known as `pcg64_fast` (Melissa O'Neill, "PCG: A
//! Family of Simple Fast Space-Efficient Statistically Good Algorithms for Random Number
//! Generation", 2014), as implemented by `rand_pcg::Pcg64Mcg`: a 128-bit multiplicative
//! congruential generator (`state = state * 0x2360ED051FC65DA44385DF649FCCF645 mod 2^128`, the
//! state always odd) whose 64-bit output is `rotate_right(high ^ low, state >> 122)`, `high` and
//! `low` being the state's two 64-bit halves ("xorshift low, random rotation"). Its output is
//! fixed by the algorithm, not by a library version, and uses only integer arithmetic, so it is
//! bit-identical on every platform (native and wasm32).
//!
//! Everything built on top of the raw 64-bit outputs (seed expansion, floats in `[0, 1)`, bounded
//! integers, forking) is written out here by hand so it can never change under us.

use rand_core::Rng;
use rand_pcg::Pcg64Mcg;

/// The simulation's deterministic random number generator (PCG-64 MCG, XSL-RR output).
///
/// The same seed gives the same sequence on every machine. Never seeded from the OS or the clock:
/// a run's seed is part of its parameters, so any run can be reproduced.
#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Pcg64Mcg,
}

/// One step of SplitMix64 (Steele, Lea and Flood 2014): advances `state` and returns a well-mixed
/// 64-bit value. Used to expand seeds, so that nearby seeds (1, 2, 3...) give unrelated streams.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimRng {
    /// Creates a generator from a 64-bit seed. The seed is expanded into the 128-bit state by two
    /// SplitMix64 steps (low word first); the state's lowest bit is then forced to 1 as the MCG
    /// requires. Any seed, including 0, is valid.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let low = splitmix64(&mut sm);
        let high = splitmix64(&mut sm);
        let state = (u128::from(high) << 64) | u128::from(low);
        Self {
            inner: Pcg64Mcg::new(state),
        }
    }

    /// The next raw 64-bit output, uniform over all of `u64`.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A uniform float in `[0, 1)`: the top 53 bits of one output times `2^-53`. Every result is a
    /// multiple of `2^-53`; 1.0 is never returned. Consumes exactly one output.
    pub fn next_f64(&mut self) -> f64 {
        const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
        (self.next_u64() >> 11) as f64 * SCALE
    }

    /// A uniform integer in `[0, n)`, without modulo bias (Lemire's multiply-and-reject method,
    /// "Fast Random Integer Generation in an Interval", 2019). `n == 0` returns 0 without consuming
    /// any output. Usually consumes one output; rarely (probability `< n / 2^64`) more.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut product = u128::from(self.next_u64()) * u128::from(n);
        let mut low = product as u64;
        if low < n {
            // Outputs whose low part falls below 2^64 mod n would over-represent some results.
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                product = u128::from(self.next_u64()) * u128::from(n);
                low = product as u64;
            }
        }
        (product >> 64) as u64
    }

    /// `true` with probability `p`. `p` is clamped to `[0, 1]`; NaN counts as 0 (always `false`).
    /// Always consumes exactly one output, whatever `p` is, so changing a probability does not
    /// shift the random numbers seen by the rest of the simulation.
    pub fn chance(&mut self, p: f64) -> bool {
        let u = self.next_f64();
        // NaN compares false, so NaN gives false; p >= 1 is always true since u < 1.
        u < p
    }

    /// Derives an independent generator for sub-stream `stream` (for example one per node or per
    /// client), deterministically: the child is seeded from one output of `self` mixed with
    /// `stream`. Consumes exactly one output of `self`. Forking with different `stream` values from
    /// the same parent state gives unrelated children.
    pub fn fork(&mut self, stream: u64) -> SimRng {
        let parent_word = self.next_u64();
        let mut sm = stream;
        let stream_word = splitmix64(&mut sm);
        SimRng::new(parent_word ^ stream_word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression pin: the first five outputs of `SimRng::new(42)`, computed once with this
    /// implementation. If this test fails, every saved seed in the project now replays differently.
    #[test]
    fn golden_outputs_for_seed_42() {
        let mut rng = SimRng::new(42);
        let got: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(got, GOLDEN_42);
    }

    /// Also checked against an independent Python transcription of SplitMix64 + PCG-64 MCG XSL-RR.
    const GOLDEN_42: [u64; 5] = [
        0x423E_B8FC_BE48_4751,
        0x4C4A_EB93_5620_C4A8,
        0xC7DC_CC22_2F9A_C63E,
        0x5DD5_B18E_C30F_BE13,
        0x9040_FD2A_2924_AF87,
    ];

    #[test]
    fn next_f64_is_in_unit_interval() {
        let mut rng = SimRng::new(7);
        for _ in 0..100_000 {
            let u = rng.next_f64();
            assert!((0.0..1.0).contains(&u), "{u}");
        }
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = SimRng::new(3);
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
        let mut seen = [0u32; 7];
        for _ in 0..70_000 {
            let k = rng.below(7);
            assert!(k < 7);
            seen[k as usize] += 1;
        }
        for (k, &c) in seen.iter().enumerate() {
            assert!((9_000..11_000).contains(&c), "value {k} seen {c} times of 70000");
        }
        // A bound near 2^64 must still terminate and stay in range.
        let big = u64::MAX - 1;
        for _ in 0..100 {
            assert!(rng.below(big) < big);
        }
    }

    #[test]
    fn chance_clamps_and_handles_nan() {
        let mut rng = SimRng::new(5);
        for _ in 0..1_000 {
            assert!(!rng.chance(f64::NAN));
            assert!(!rng.chance(-1.0));
            assert!(!rng.chance(0.0));
            assert!(rng.chance(1.0));
            assert!(rng.chance(2.0));
            assert!(rng.chance(f64::INFINITY));
        }
        let hits = (0..100_000).filter(|_| rng.chance(0.25)).count();
        assert!((24_000..26_000).contains(&hits), "{hits}");
    }

    #[test]
    fn chance_always_consumes_one_output() {
        let mut a = SimRng::new(9);
        let mut b = SimRng::new(9);
        a.chance(0.0);
        b.chance(0.7);
        assert_eq!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn fork_is_deterministic_and_streams_differ() {
        let mut p1 = SimRng::new(11);
        let mut p2 = SimRng::new(11);
        let mut c1 = p1.fork(1);
        let mut c2 = p2.fork(1);
        assert_eq!(c1.next_u64(), c2.next_u64());
        let mut q1 = SimRng::new(11);
        let mut q2 = SimRng::new(11);
        assert_ne!(q1.fork(1).next_u64(), q2.fork(2).next_u64());
        // The child does not replay the parent.
        let mut parent = SimRng::new(11);
        let mut child = parent.fork(0);
        assert_ne!(parent.next_u64(), child.next_u64());
    }

    #[test]
    fn nearby_seeds_differ() {
        assert_ne!(SimRng::new(0).next_u64(), SimRng::new(1).next_u64());
        assert_ne!(SimRng::new(1).next_u64(), SimRng::new(2).next_u64());
    }
}
