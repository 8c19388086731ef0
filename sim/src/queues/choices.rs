//! The queues lab's choice parameters: where the slow work runs, how arrivals are shaped, how long
//! a message takes, how retries back off and what a full broker does. Each is an enum whose URL
//! value is its snake_case name, with `ALL`, `OPTIONS` (for a select control), `as_str`, `label`
//! and `parse`.
//!
//! (The rate limiting lab's `choice!` macro writes the same items; it is private to that module,
//! so these are written out.)

use serde::{Deserialize, Serialize};

/// Where a request's slow work (for example sending an email) runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Inline: the request does its fast work, then the slow work, then answers.
    Sync,
    /// Queued: the request does its fast work, publishes a message and answers; a consumer does
    /// the slow work later.
    #[default]
    Async,
}

impl Delivery {
    /// Every option, in the order the controls list them.
    pub const ALL: &'static [Delivery] = &[Delivery::Sync, Delivery::Async];
    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("sync", "Inline (sync): the user waits for the slow work"),
        ("async", "Queued (async): a consumer does it later"),
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Sync => "sync",
            Delivery::Async => "async",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Sync => "Inline (sync)",
            Delivery::Async => "Queued (async)",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Delivery> {
        Self::ALL.iter().copied().find(|c| c.as_str() == value)
    }
}

/// How the producers' request rate changes over time (the `rate` is the base).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Poisson arrivals at `rate`.
    #[default]
    Steady,
    /// `rate`, and [`BURST_FACTOR`](super::BURST_FACTOR) times it for
    /// [`SHAPE_BURST_SECS`](super::SHAPE_BURST_SECS) at the start of every
    /// [`SHAPE_BURST_EVERY_SECS`](super::SHAPE_BURST_EVERY_SECS).
    Bursts,
    /// A compressed day of [`DAY_SECS`](super::DAY_SECS): `rate × (1 − 0.8 cos(2π t / day))`,
    /// from 0.2 × `rate` at night to 1.8 × `rate` at midday, `rate` on average.
    Daily,
}

impl Shape {
    /// Every option, in the order the controls list them.
    pub const ALL: &'static [Shape] = &[Shape::Steady, Shape::Bursts, Shape::Daily];
    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("steady", "Steady"),
        ("bursts", "Bursts (10x for 5 s every minute)"),
        ("daily", "Daily cycle (a 10-minute day)"),
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Steady => "steady",
            Shape::Bursts => "bursts",
            Shape::Daily => "daily",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        match self {
            Shape::Steady => "Steady",
            Shape::Bursts => "Bursts",
            Shape::Daily => "Daily cycle",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Shape> {
        Self::ALL.iter().copied().find(|c| c.as_str() == value)
    }
}

/// The distribution of the slow work's duration (mean `slow_ms`), inline or in a consumer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Processing {
    /// Always exactly `slow_ms` (the seeds' 2,000 ms email).
    #[default]
    Constant,
    /// Exponential with mean `slow_ms`: with Poisson arrivals each consumer is an M/M/c queue
    /// (Erlang C).
    Exponential,
    /// Log-normal with mean and standard deviation `slow_ms` (a long tail).
    Lognormal,
}

impl Processing {
    /// Every option, in the order the controls list them.
    pub const ALL: &'static [Processing] = &[Processing::Constant, Processing::Exponential, Processing::Lognormal];
    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("constant", "Constant"),
        ("exponential", "Exponential (M/M/c)"),
        ("lognormal", "Log-normal (long tail)"),
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Processing::Constant => "constant",
            Processing::Exponential => "exponential",
            Processing::Lognormal => "lognormal",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        match self {
            Processing::Constant => "Constant",
            Processing::Exponential => "Exponential",
            Processing::Lognormal => "Log-normal",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Processing> {
        Self::ALL.iter().copied().find(|c| c.as_str() == value)
    }
}

/// How long a failed message waits before it is delivered again (see
/// [`Config::backoff_delay`](super::Config::backoff_delay)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backoff {
    /// Visible again at once.
    None,
    /// Always [`BACKOFF_BASE`](super::BACKOFF_BASE).
    Fixed,
    /// `min(cap, base × 2^attempt)`.
    Exponential,
    /// Full jitter: `random(0, min(cap, base × 2^attempt))`.
    #[default]
    ExponentialJitter,
}

impl Backoff {
    /// Every option, in the order the controls list them.
    pub const ALL: &'static [Backoff] = &[
        Backoff::None,
        Backoff::Fixed,
        Backoff::Exponential,
        Backoff::ExponentialJitter,
    ];
    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] = &[
        ("none", "None (at once)"),
        ("fixed", "Fixed (1 s)"),
        ("exponential", "Exponential"),
        ("exponential_jitter", "Exponential with full jitter"),
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Backoff::None => "none",
            Backoff::Fixed => "fixed",
            Backoff::Exponential => "exponential",
            Backoff::ExponentialJitter => "exponential_jitter",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        match self {
            Backoff::None => "None",
            Backoff::Fixed => "Fixed",
            Backoff::Exponential => "Exponential",
            Backoff::ExponentialJitter => "Exponential with jitter",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<Backoff> {
        Self::ALL.iter().copied().find(|c| c.as_str() == value)
    }
}

/// What a producer does when the broker holds `max_backlog` messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnFull {
    /// The publish is refused: the request answers with an error at once.
    #[default]
    Refuse,
    /// The producer waits for room (at most [`BLOCK_TIMEOUT`](super::BLOCK_TIMEOUT), then refused);
    /// the user waits with it.
    Block,
}

impl OnFull {
    /// Every option, in the order the controls list them.
    pub const ALL: &'static [OnFull] = &[OnFull::Refuse, OnFull::Block];
    /// `(value, label)` pairs for a select control.
    pub const OPTIONS: &'static [(&'static str, &'static str)] =
        &[("refuse", "Refuse the publish"), ("block", "Block the producer")];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            OnFull::Refuse => "refuse",
            OnFull::Block => "block",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        match self {
            OnFull::Refuse => "Refuse",
            OnFull::Block => "Block",
        }
    }

    /// Parses a URL value; `None` for anything else.
    pub fn parse(value: &str) -> Option<OnFull> {
        Self::ALL.iter().copied().find(|c| c.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(*d));
            assert!(!d.label().is_empty());
        }
        for s in Shape::ALL {
            assert_eq!(Shape::parse(s.as_str()), Some(*s));
        }
        for p in Processing::ALL {
            assert_eq!(Processing::parse(p.as_str()), Some(*p));
        }
        for b in Backoff::ALL {
            assert_eq!(Backoff::parse(b.as_str()), Some(*b));
        }
        for f in OnFull::ALL {
            assert_eq!(OnFull::parse(f.as_str()), Some(*f));
        }
        assert_eq!(Delivery::OPTIONS.len(), Delivery::ALL.len());
        assert_eq!(Shape::OPTIONS.len(), Shape::ALL.len());
        assert_eq!(Processing::OPTIONS.len(), Processing::ALL.len());
        assert_eq!(Backoff::OPTIONS.len(), Backoff::ALL.len());
        assert_eq!(OnFull::OPTIONS.len(), OnFull::ALL.len());
        for (value, _) in Backoff::OPTIONS {
            assert!(Backoff::parse(value).is_some(), "{value}");
        }
        assert_eq!(Backoff::parse("later"), None);
    }
}
