//! One limiter: the state one key (a client, or everyone) has on one instance, and its decision
//! for each request. A pure state machine on the simulation clock: [`Limiter::decide`] takes the
//! time of the request (never earlier than the previous one) and answers admit, delay (leaky
//! bucket) or refuse with a Retry-After. [`Limiter::force`] counts a request admitted elsewhere
//! (a shared store merging an instance's admissions), past the limit if need be.
//!
//! Rates are kept exact with integers: the emission interval `T = 1 / rate` is a whole number of
//! **nanoseconds** (rounded once; [`Limiter::effective_rate_per_s`] is `1e9 / T`), and the bucket
//! algorithms count in nanoseconds, so a token bucket and a GCRA of the same rate and burst agree
//! on every request, and "at most `burst + rate × t` in any interval `t`" holds exactly for the
//! effective rate. Windows are whole microseconds and start at multiples of the window from time 0
//! (as epoch-aligned windows do on every instance).
//!
//! Memory: O(1) per limiter, except the sliding log, which keeps one timestamp (8 bytes) per
//! request admitted in the last window, so up to `limit` of them: its memory grows with the limit
//! (the lab caps the total, see [`MAX_STORED`](super::config::MAX_STORED)).

use std::collections::VecDeque;

use serde::Serialize;

use super::choices::Algorithm;
use crate::engine::time::{to_secs, MICROS_PER_SEC};
use crate::engine::SimTime;

/// Nanoseconds in a microsecond.
const NANOS_PER_MICRO: u64 = 1_000;
/// Timestamps a sliding log reserves up front (or its limit, if smaller), so that the small
/// fluctuations of a steady stream never grow it after its first windows.
const LOG_RESERVED: u64 = 64;
/// Longest emission interval kept: 10^15 ns (about 11.6 days per request).
const MAX_INTERVAL_NS: u64 = 1_000_000_000_000_000;

/// The numbers one limiter enforces (already divided among instances where the limit is split).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LimitParams {
    /// Requests per window (windows and the sliding log); at least 1.
    pub limit: u64,
    /// The window, µs; at least 1.
    pub window: SimTime,
    /// Token bucket and GCRA: the most requests admitted at once (the bucket's size); at least 1.
    pub burst: u64,
    /// Token bucket, GCRA and leaky bucket: requests per second (refill, emission or drain rate);
    /// a non-positive or non-finite rate means `limit / window`.
    pub rate_per_s: f64,
    /// Leaky bucket: requests that can wait in the queue; at least 1.
    pub queue: u64,
}

impl LimitParams {
    /// `limit` per `window` µs, with the bucket algorithms at the same rate and a burst (and queue)
    /// of `limit`.
    pub fn per_window(limit: u64, window: SimTime) -> Self {
        Self {
            limit,
            window,
            burst: limit,
            rate_per_s: 0.0,
            queue: limit,
        }
    }

    /// A token bucket or GCRA of `rate_per_s` and `burst` (the window is one second, the limit
    /// the rate rounded, for the algorithms that use them).
    pub fn bucket(rate_per_s: f64, burst: u64) -> Self {
        Self {
            limit: libm::round(rate_per_s).max(1.0) as u64,
            window: MICROS_PER_SEC,
            burst,
            rate_per_s,
            queue: burst,
        }
    }

    /// The rate the bucket algorithms use: `rate_per_s`, or `limit / window` when it is not set.
    pub fn rate(&self) -> f64 {
        if self.rate_per_s.is_finite() && self.rate_per_s > 0.0 {
            self.rate_per_s
        } else {
            self.limit.max(1) as f64 * MICROS_PER_SEC as f64 / self.window.max(1) as f64
        }
    }

    /// The emission interval `T = 1 / rate` in whole nanoseconds, in `[1, 10^15]`.
    pub fn interval_ns(&self) -> u64 {
        let ns = libm::round(1e9 / self.rate());
        if ns.is_nan() || ns < 1.0 {
            1
        } else if ns >= MAX_INTERVAL_NS as f64 {
            MAX_INTERVAL_NS
        } else {
            ns as u64
        }
    }
}

/// What the limiter does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// Passes now.
    Admit,
    /// Leaky bucket: queued; passes `wait` µs from now.
    Delay {
        /// µs until it leaves the queue (at least 1).
        wait: SimTime,
    },
    /// Refused: 429 Too Many Requests.
    Refuse {
        /// Retry-After: µs until this limiter would let a request through (if nothing else
        /// arrives meanwhile); at least 1.
        retry_after: SimTime,
    },
}

/// A limiter's state at one instant, for the strip under the timeline. Only the fields of its
/// algorithm are set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LimiterState {
    /// Token bucket: tokens in the bucket (0..=burst, fractional while refilling).
    pub tokens: Option<f64>,
    /// Leaky bucket: requests waiting in the queue.
    pub queued: Option<u64>,
    /// Fixed and sliding window: requests counted in the current window.
    pub window_count: Option<u64>,
    /// Sliding window: requests counted in the previous window.
    pub previous_count: Option<u64>,
    /// Sliding window: the weighted estimate `previous × (1 − elapsed / window) + current`.
    pub estimate: Option<f64>,
    /// Fixed and sliding window: when the current window started (s).
    pub window_start_s: Option<f64>,
    /// Sliding log: admission times kept (those of the last window).
    pub log_len: Option<u64>,
    /// GCRA: the theoretical arrival time minus now, in seconds (0 when idle; a request is
    /// refused while it exceeds τ = (burst − 1) / rate).
    pub tat_ahead_s: Option<f64>,
}

/// The algorithm's own state.
#[derive(Clone, Debug, PartialEq)]
enum State {
    /// No limiter.
    Open,
    /// Token bucket: `level` ns worth of refill (tokens × T), as of `at` (ns); negative after
    /// [`Limiter::force`] took more than was there (a debt, paid back by the refill).
    Bucket { level: i128, at: u64 },
    /// Leaky bucket: when the last request admitted leaves (ns); `None` before the first.
    Leaky { last_departure: Option<u64> },
    /// Fixed window: window index and its count.
    Fixed { window: u64, count: u64 },
    /// Sliding window counter: window index, its count and the previous window's.
    Sliding { window: u64, count: u64, previous: u64 },
    /// Sliding log: admission times (µs) of the last window, oldest first.
    Log(VecDeque<SimTime>),
    /// GCRA: the theoretical arrival time (ns).
    Gcra { tat: u64 },
}

/// One key's limiter on one instance. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct Limiter {
    algorithm: Algorithm,
    params: LimitParams,
    /// Emission interval, ns.
    interval: u64,
    /// Token bucket size in ns of refill: `burst × T`.
    capacity: u64,
    /// GCRA's tolerance τ = (burst − 1) × T, ns.
    tolerance: u64,
    state: State,
}

/// Microseconds to nanoseconds (saturating).
fn ns(t: SimTime) -> u64 {
    t.saturating_mul(NANOS_PER_MICRO)
}

/// Nanoseconds to microseconds, rounded up.
fn ceil_us(t_ns: u64) -> SimTime {
    t_ns.div_ceil(NANOS_PER_MICRO)
}

impl Limiter {
    /// A fresh limiter (full bucket, empty windows, log and queue) starting at `now` (µs). Zero
    /// limit, burst, queue or window are taken as 1.
    pub fn new(algorithm: Algorithm, params: LimitParams, now: SimTime) -> Self {
        let params = LimitParams {
            limit: params.limit.max(1),
            window: params.window.max(1),
            burst: params.burst.max(1),
            queue: params.queue.max(1),
            ..params
        };
        let interval = params.interval_ns();
        let capacity = interval.saturating_mul(params.burst);
        let tolerance = interval.saturating_mul(params.burst - 1);
        let state = match algorithm {
            Algorithm::None => State::Open,
            Algorithm::TokenBucket => State::Bucket {
                level: i128::from(capacity),
                at: ns(now),
            },
            Algorithm::LeakyBucket => State::Leaky { last_departure: None },
            Algorithm::FixedWindow => State::Fixed {
                window: now / params.window,
                count: 0,
            },
            Algorithm::SlidingWindow => State::Sliding {
                window: now / params.window,
                count: 0,
                previous: 0,
            },
            Algorithm::SlidingLog => State::Log(VecDeque::with_capacity(params.limit.min(LOG_RESERVED) as usize)),
            Algorithm::Gcra => State::Gcra { tat: ns(now) },
        };
        Self {
            algorithm,
            params,
            interval,
            capacity,
            tolerance,
            state,
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The numbers enforced (zeros raised to 1).
    pub fn params(&self) -> &LimitParams {
        &self.params
    }

    /// The emission interval T in ns (token bucket refill, GCRA, leaky bucket drain).
    pub fn interval_ns(&self) -> u64 {
        self.interval
    }

    /// The rate actually enforced by the bucket algorithms: `1e9 / T` requests per second.
    pub fn effective_rate_per_s(&self) -> f64 {
        1e9 / self.interval as f64
    }

    /// Decides on a request arriving at `now` (µs; not earlier than the previous request's).
    pub fn decide(&mut self, now: SimTime) -> Decision {
        let (limit, window, interval) = (self.params.limit, self.params.window, self.interval);
        match &mut self.state {
            State::Open => Decision::Admit,
            State::Bucket { level, at } => {
                refill(level, at, ns(now), self.capacity);
                let short = i128::from(interval) - *level;
                if short <= 0 {
                    *level -= i128::from(interval);
                    Decision::Admit
                } else {
                    Decision::Refuse {
                        retry_after: ceil_us(u64::try_from(short).unwrap_or(u64::MAX)).max(1),
                    }
                }
            }
            State::Gcra { tat } => {
                let t = ns(now);
                let allowed_from = tat.saturating_sub(self.tolerance);
                if t < allowed_from {
                    Decision::Refuse {
                        retry_after: ceil_us(allowed_from - t).max(1),
                    }
                } else {
                    *tat = next_tat(*tat, t, interval);
                    Decision::Admit
                }
            }
            State::Leaky { last_departure } => {
                let t = ns(now);
                let waiting = waiting_at(*last_departure, t, interval);
                if waiting >= self.params.queue {
                    // Room again once all but `queue − 1` have left (the head, unless forced
                    // admissions made the queue longer than its size).
                    let room_at = last_departure
                        .unwrap_or(0)
                        .saturating_sub((self.params.queue - 1).saturating_mul(interval));
                    return Decision::Refuse {
                        retry_after: ceil_us(room_at).saturating_sub(now).max(1),
                    };
                }
                let departure = next_departure(*last_departure, t, interval);
                *last_departure = Some(departure);
                if departure <= t {
                    Decision::Admit
                } else {
                    Decision::Delay {
                        wait: ceil_us(departure).saturating_sub(now).max(1),
                    }
                }
            }
            State::Fixed { window: index, count } => {
                let current = now / window;
                roll_fixed(index, count, current);
                if *count < limit {
                    *count += 1;
                    Decision::Admit
                } else {
                    let end = current.saturating_add(1).saturating_mul(window);
                    Decision::Refuse {
                        retry_after: end.saturating_sub(now).max(1),
                    }
                }
            }
            State::Sliding {
                window: index,
                count,
                previous,
            } => {
                let current = now / window;
                roll(index, count, previous, current);
                let elapsed = now - current * window;
                if sliding_admits(*previous, *count, limit, window, elapsed) {
                    *count += 1;
                    Decision::Admit
                } else {
                    Decision::Refuse {
                        retry_after: sliding_retry_after(*previous, *count, limit, window, elapsed).max(1),
                    }
                }
            }
            State::Log(log) => {
                prune(log, now, window);
                let kept = log.len() as u64;
                if kept < limit {
                    log.push_back(now);
                    Decision::Admit
                } else {
                    // The entry whose expiry brings the count below the limit.
                    let index = usize::try_from(kept - limit).unwrap_or(usize::MAX);
                    let expires = log
                        .get(index)
                        .map_or(now.saturating_add(window), |&t| t.saturating_add(window));
                    Decision::Refuse {
                        retry_after: expires.saturating_sub(now).max(1),
                    }
                }
            }
        }
    }

    /// Counts a request admitted at `now` (µs; not earlier than the previous request's) without
    /// deciding on it: what a shared store does with the admissions an instance reports at a
    /// sync. The state takes the request as an admission would, even beyond the limit: a token
    /// bucket goes into debt (negative tokens, paid back by the refill), GCRA's TAT moves further
    /// ahead, a window count or the log grows past the limit, a leaky bucket's queue past its
    /// size. Requests decided on such a state are refused until it is back within the limit.
    pub fn force(&mut self, now: SimTime) {
        let (window, interval) = (self.params.window, self.interval);
        match &mut self.state {
            State::Open => {}
            State::Bucket { level, at } => {
                refill(level, at, ns(now), self.capacity);
                *level -= i128::from(interval);
            }
            State::Gcra { tat } => *tat = next_tat(*tat, ns(now), interval),
            State::Leaky { last_departure } => {
                *last_departure = Some(next_departure(*last_departure, ns(now), interval));
            }
            State::Fixed { window: index, count } => {
                roll_fixed(index, count, now / window);
                *count += 1;
            }
            State::Sliding {
                window: index,
                count,
                previous,
            } => {
                roll(index, count, previous, now / window);
                *count += 1;
            }
            State::Log(log) => {
                prune(log, now, window);
                log.push_back(now);
            }
        }
    }

    /// Becomes a copy of `other` (an instance pulling the store's state at a sync), reusing this
    /// limiter's log allocation when both are sliding logs.
    pub fn copy_from(&mut self, other: &Limiter) {
        match (&mut self.state, &other.state) {
            (State::Log(mine), State::Log(theirs)) => {
                mine.clear();
                mine.extend(theirs.iter().copied());
                self.algorithm = other.algorithm;
                self.params = other.params;
                self.interval = other.interval;
                self.capacity = other.capacity;
                self.tolerance = other.tolerance;
            }
            _ => *self = other.clone(),
        }
    }

    /// Leaky bucket: requests waiting in the queue at `now` (0 for the other algorithms).
    pub fn waiting(&self, now: SimTime) -> u64 {
        match self.state {
            State::Leaky { last_departure } => waiting_at(last_departure, ns(now), self.interval),
            _ => 0,
        }
    }

    /// Leaky bucket: when (µs, rounded up) the next waiting request leaves the queue, if one is
    /// waiting at `now`.
    pub fn next_departure(&self, now: SimTime) -> Option<SimTime> {
        let State::Leaky { last_departure } = self.state else {
            return None;
        };
        let waiting = waiting_at(last_departure, ns(now), self.interval);
        (waiting > 0).then(|| ceil_us(head_departure(last_departure, waiting, self.interval)))
    }

    /// Timestamps the sliding log keeps now (its memory: 8 bytes each); 0 for other algorithms.
    pub fn stored(&self) -> u64 {
        match &self.state {
            State::Log(log) => log.len() as u64,
            _ => 0,
        }
    }

    /// The state at `now` (as it would be seen by a request arriving then), without changing it.
    pub fn state(&self, now: SimTime) -> LimiterState {
        let window = self.params.window;
        let window_start = to_secs(now / window * window);
        match &self.state {
            State::Open => LimiterState::default(),
            State::Bucket { level, at } => {
                let (mut level, mut at) = (*level, *at);
                refill(&mut level, &mut at, ns(now), self.capacity);
                LimiterState {
                    tokens: Some(level as f64 / self.interval as f64),
                    ..LimiterState::default()
                }
            }
            State::Gcra { tat } => LimiterState {
                tat_ahead_s: Some(tat.saturating_sub(ns(now)) as f64 / 1e9),
                ..LimiterState::default()
            },
            State::Leaky { .. } => LimiterState {
                queued: Some(self.waiting(now)),
                ..LimiterState::default()
            },
            State::Fixed { window: index, count } => LimiterState {
                window_count: Some(if now / window == *index { *count } else { 0 }),
                window_start_s: Some(window_start),
                ..LimiterState::default()
            },
            State::Sliding {
                window: index,
                count,
                previous,
            } => {
                let (mut index, mut count, mut previous) = (*index, *count, *previous);
                let current = now / window;
                roll(&mut index, &mut count, &mut previous, current);
                let elapsed = now - current * window;
                let weight = (window - elapsed) as f64 / window as f64;
                LimiterState {
                    window_count: Some(count),
                    previous_count: Some(previous),
                    estimate: Some(previous as f64 * weight + count as f64),
                    window_start_s: Some(window_start),
                    ..LimiterState::default()
                }
            }
            State::Log(log) => LimiterState {
                log_len: Some(
                    log.iter()
                        .rev()
                        .take_while(|&&t| t.saturating_add(window) > now)
                        .count() as u64,
                ),
                ..LimiterState::default()
            },
        }
    }

    /// The one number the strip draws for this limiter at `now`, and a second one (the previous
    /// window's count for the sliding window counter, else 0): tokens, requests queued, the
    /// current window's count, the log's length, or GCRA's TAT − now in seconds.
    pub fn level(&self, now: SimTime) -> (f64, f64) {
        let s = self.state(now);
        let level = s
            .tokens
            .or(s.queued.map(|q| q as f64))
            .or(s.window_count.map(|c| c as f64))
            .or(s.log_len.map(|l| l as f64))
            .or(s.tat_ahead_s)
            .unwrap_or(0.0);
        (level, s.previous_count.map_or(0.0, |p| p as f64))
    }

    /// The top of the strip's scale for this limiter: the burst (tokens), the queue size, the
    /// limit (windows, log), or τ + T in seconds (GCRA).
    pub fn level_max(&self) -> f64 {
        match self.algorithm {
            Algorithm::TokenBucket => self.params.burst as f64,
            Algorithm::LeakyBucket => self.params.queue as f64,
            Algorithm::FixedWindow | Algorithm::SlidingWindow | Algorithm::SlidingLog => self.params.limit as f64,
            Algorithm::Gcra => self.tolerance.saturating_add(self.interval) as f64 / 1e9,
            Algorithm::None => 0.0,
        }
    }
}

/// Token bucket: refills `level` from `at` to `t` (ns, if later), up to `capacity`.
fn refill(level: &mut i128, at: &mut u64, t: u64, capacity: u64) {
    if t > *at {
        *level = (*level + i128::from(t - *at)).min(i128::from(capacity));
        *at = t;
    }
}

/// GCRA: the TAT after a request admitted at `t` (ns).
fn next_tat(tat: u64, t: u64, interval: u64) -> u64 {
    tat.max(t).saturating_add(interval)
}

/// Leaky bucket: when a request queued at `t` (ns) leaves, after the last one queued.
fn next_departure(last_departure: Option<u64>, t: u64, interval: u64) -> u64 {
    match last_departure {
        Some(last) => t.max(last.saturating_add(interval)),
        None => t,
    }
}

/// Fixed window: moves the count to window `current` (a new window counts from 0).
fn roll_fixed(index: &mut u64, count: &mut u64, current: u64) {
    if current != *index {
        *index = current;
        *count = 0;
    }
}

/// Sliding log: drops the times that have left the window ending at `now`.
fn prune(log: &mut VecDeque<SimTime>, now: SimTime, window: SimTime) {
    while log.front().is_some_and(|&t| t.saturating_add(window) <= now) {
        log.pop_front();
    }
}

/// Requests of a leaky bucket still waiting at `t` (ns): the departures `last − k T` after `t`.
fn waiting_at(last_departure: Option<u64>, t: u64, interval: u64) -> u64 {
    match last_departure {
        Some(last) if last > t => (last - t).div_ceil(interval),
        _ => 0,
    }
}

/// When (ns) the first of `waiting` queued requests leaves.
fn head_departure(last_departure: Option<u64>, waiting: u64, interval: u64) -> u64 {
    last_departure
        .unwrap_or(0)
        .saturating_sub(waiting.saturating_sub(1).saturating_mul(interval))
}

/// Moves a sliding window counter to window `current`.
fn roll(index: &mut u64, count: &mut u64, previous: &mut u64, current: u64) {
    if current == *index {
        return;
    }
    *previous = if current == index.saturating_add(1) { *count } else { 0 };
    *count = 0;
    *index = current;
}

/// Whether one more request fits: `previous × (W − e) / W + count + 1 <= limit`, in integers.
fn sliding_admits(previous: u64, count: u64, limit: u64, window: u64, elapsed: u64) -> bool {
    let weighted = u128::from(previous) * u128::from(window - elapsed);
    let counted = (u128::from(count) + 1) * u128::from(window);
    weighted + counted <= u128::from(limit) * u128::from(window)
}

/// µs until [`sliding_admits`] holds again, if nothing else is admitted meanwhile.
fn sliding_retry_after(previous: u64, count: u64, limit: u64, window: u64, elapsed: u64) -> SimTime {
    let w = u128::from(window);
    // Later in this window, as the previous window's weight shrinks.
    if count < limit && previous > 0 {
        let room = u128::from(limit - count - 1) * w;
        let shrink = room / u128::from(previous);
        if shrink < w {
            let at = (w - shrink) as u64;
            if at > elapsed {
                return at - elapsed;
            }
        }
    }
    // In the next window: this one's count becomes the previous, weighted down as time goes.
    let at_next = if count == 0 {
        0
    } else {
        let shrink = u128::from(limit - 1) * w / u128::from(count);
        w.saturating_sub(shrink) as u64
    };
    (window - elapsed).saturating_add(at_next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimRng;

    fn every(algorithm: Algorithm) -> Limiter {
        Limiter::new(
            algorithm,
            LimitParams {
                limit: 5,
                window: 1_000_000,
                burst: 3,
                rate_per_s: 0.0,
                queue: 4,
            },
            0,
        )
    }

    /// Retry-After is exact: a request right then passes (or is queued), one µs earlier does not.
    #[test]
    fn retry_after_is_tight() {
        for &algorithm in &Algorithm::LIMITERS {
            let mut limiter = every(algorithm);
            let mut rng = SimRng::new(3);
            let mut now = 0;
            let mut refusals = 0;
            for _ in 0..3_000 {
                now += rng.below(150_000);
                if let Decision::Refuse { retry_after } = limiter.decide(now) {
                    refusals += 1;
                    let mut later = limiter.clone();
                    assert!(
                        !matches!(later.decide(now + retry_after), Decision::Refuse { .. }),
                        "{algorithm:?} at {now} + {retry_after}"
                    );
                    let mut earlier = limiter.clone();
                    assert!(
                        matches!(earlier.decide(now + retry_after - 1), Decision::Refuse { .. }),
                        "{algorithm:?} at {now} + {retry_after} - 1"
                    );
                }
            }
            assert!(refusals > 100, "{algorithm:?}: {refusals}");
        }
    }

    #[test]
    fn sliding_window_weights_the_previous_window() {
        let mut l = every(Algorithm::SlidingWindow);
        for _ in 0..5 {
            assert_eq!(l.decide(900_000), Decision::Admit);
        }
        assert!(matches!(l.decide(900_000), Decision::Refuse { .. }));
        // At 1.5 s the previous 5 weigh 2.5: two more fit (2.5 + 2 <= 5), not a third.
        assert_eq!(l.decide(1_500_000), Decision::Admit);
        assert_eq!(l.decide(1_500_000), Decision::Admit);
        assert!(matches!(l.decide(1_500_000), Decision::Refuse { .. }));
        let s = l.state(1_500_000);
        assert_eq!((s.window_count, s.previous_count), (Some(2), Some(5)));
        assert_eq!(s.estimate, Some(4.5));
    }

    #[test]
    fn leaky_bucket_queues_then_refuses() {
        // 5 per second: one leaves every 200 ms; room for 4 waiting.
        let mut l = every(Algorithm::LeakyBucket);
        assert_eq!(l.decide(0), Decision::Admit);
        for k in 1..=4 {
            assert_eq!(l.decide(0), Decision::Delay { wait: k * 200_000 });
        }
        assert_eq!(l.decide(0), Decision::Refuse { retry_after: 200_000 });
        assert_eq!(l.waiting(0), 4);
        assert_eq!(l.next_departure(0), Some(200_000));
        assert_eq!(l.waiting(200_000), 3);
        assert_eq!(l.next_departure(200_000), Some(400_000));
        assert_eq!(l.state(0).queued, Some(4));
        assert_eq!(l.decide(200_000), Decision::Delay { wait: 800_000 });
    }

    #[test]
    fn levels_follow_the_algorithm() {
        let mut tb = every(Algorithm::TokenBucket);
        assert_eq!(tb.level(0), (3.0, 0.0));
        tb.decide(0);
        tb.decide(0);
        assert_eq!(tb.level(0), (1.0, 0.0));
        assert_eq!(tb.level(100_000), (1.5, 0.0));
        assert_eq!(tb.level_max(), 3.0);
        let mut gcra = every(Algorithm::Gcra);
        gcra.decide(0);
        assert_eq!(gcra.level(0).0, 0.2);
        let mut log = every(Algorithm::SlidingLog);
        log.decide(10);
        log.decide(20);
        assert_eq!(log.level(500_000).0, 2.0);
        assert_eq!(log.level(1_000_015).0, 1.0);
        assert_eq!(log.stored(), 2);
        assert_eq!(every(Algorithm::None).level(5), (0.0, 0.0));
    }

    /// A store counting admissions made elsewhere: past the limit, then refusing until the
    /// excess is paid back or has left the window.
    #[test]
    fn forced_admissions_go_past_the_limit() {
        for &algorithm in &Algorithm::LIMITERS {
            let mut store = every(algorithm);
            for _ in 0..12 {
                store.force(0);
            }
            let mut copy = every(algorithm);
            copy.copy_from(&store);
            assert_eq!(copy, store, "{algorithm:?}");
            let Decision::Refuse { retry_after } = copy.decide(0) else {
                panic!("{algorithm:?}: admitted past the limit");
            };
            // Retry-After is still exact: 1 µs earlier is refused, then it is admitted.
            assert!(matches!(store.clone().decide(retry_after - 1), Decision::Refuse { .. }));
            assert!(
                !matches!(store.decide(retry_after), Decision::Refuse { .. }),
                "{algorithm:?}"
            );
        }
        // A token bucket of 3 at 5/s given 12: a debt of 9 tokens, paid back after 2 s.
        let mut bucket = every(Algorithm::TokenBucket);
        (0..12).for_each(|_| bucket.force(0));
        assert_eq!(bucket.state(0).tokens, Some(-9.0));
        assert_eq!(bucket.decide(0), Decision::Refuse { retry_after: 2_000_000 });
        // It agrees with GCRA (TAT 12 × 0.2 s ahead, τ = 0.4 s).
        let mut gcra = every(Algorithm::Gcra);
        (0..12).for_each(|_| gcra.force(0));
        assert_eq!(gcra.decide(0), Decision::Refuse { retry_after: 2_000_000 });
        // A log keeps every forced timestamp; a copy reuses its allocation.
        let mut log = every(Algorithm::SlidingLog);
        (0..12).for_each(|_| log.force(10));
        assert_eq!(log.stored(), 12);
        log.force(1_000_011);
        assert_eq!(log.stored(), 1);
    }

    #[test]
    fn hostile_numbers_do_not_panic() {
        for &algorithm in Algorithm::ALL {
            for params in [
                LimitParams {
                    limit: 0,
                    window: 0,
                    burst: 0,
                    rate_per_s: f64::NAN,
                    queue: 0,
                },
                LimitParams {
                    limit: u64::MAX,
                    window: u64::MAX,
                    burst: u64::MAX,
                    rate_per_s: 1e300,
                    queue: u64::MAX,
                },
                LimitParams {
                    limit: 1,
                    window: 1,
                    burst: 1,
                    rate_per_s: 1e-300,
                    queue: 1,
                },
            ] {
                let mut l = Limiter::new(algorithm, params, 0);
                for now in [0, 1, 5, u64::MAX / 2, u64::MAX] {
                    l.force(now);
                    l.decide(now);
                    l.state(now);
                    l.waiting(now);
                    l.next_departure(now);
                }
            }
        }
    }
}
