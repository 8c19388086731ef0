//! The rate limiting lab's choice parameters: the algorithm, the scope of a limit, how instances
//! share it, what the abuser does and what refused clients do. Each is an enum whose URL value is
//! its snake_case name.

use serde::{Deserialize, Serialize};

/// Defines a choice enum with its `(value, label)` table, `as_str`, `label` and `parse`.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($value:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every option, in the order the controls list them.
            pub const ALL: &'static [$name] = &[$( $name::$variant, )+];

            /// `(value, label)` pairs for a select control; `value` is what the URL holds.
            pub const OPTIONS: &'static [(&'static str, &'static str)] = &[$( ($value, $label), )+];

            /// The URL value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )+
                }
            }

            /// The human label.
            pub fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }

            /// Parses a URL value; `None` for anything else.
            pub fn parse(value: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|c| c.as_str() == value)
            }
        }
    };
}

/// The macro, for the other labs' choice enums (the autoscaling lab's).
pub(crate) use choice;

choice! {
    /// The rate limiting algorithm. Every algorithm enforces "`limit` requests per `window_s`"; see
    /// [`Config`](super::Config) for how the bucket algorithms' rate and burst follow from it.
    ///
    /// | algorithm | admits | refused request |
    /// |---|---|---|
    /// | `token_bucket` | while a token is left; tokens refill at `rate` up to `burst` | 429, Retry-After: until the next token |
    /// | `leaky_bucket` | into a queue of `queue` requests drained at a constant `rate` | delayed while there is room; 429 when full |
    /// | `fixed_window` | `limit` per window; windows start at multiples of `window_s` | 429 until the window ends |
    /// | `sliding_log` | while fewer than `limit` were admitted in the last `window_s` (one timestamp per admission) | 429 until the oldest counted one leaves |
    /// | `sliding_window` | while `previous × (1 − elapsed / window) + current < limit` (Cloudflare's weighted counter) | 429 until the estimate drops |
    /// | `gcra` | unless `now < TAT − τ` (T = 1 / rate, τ = (burst − 1) T) | 429 until `TAT − τ` |
    /// | `none` | everything (no limiter) | never refused |
    pub enum Algorithm {
        /// Tokens refill at a constant rate up to the burst; a request takes one.
        #[default]
        TokenBucket = ("token_bucket", "Token bucket"),
        /// A queue drained at a constant rate: bursts wait instead of being refused.
        LeakyBucket = ("leaky_bucket", "Leaky bucket (queue)"),
        /// A counter per window of fixed boundaries.
        FixedWindow = ("fixed_window", "Fixed window"),
        /// The exact count over the last window, from a log of admission times.
        SlidingLog = ("sliding_log", "Sliding log"),
        /// The previous window's count weighted by its overlap, plus the current one's.
        SlidingWindow = ("sliding_window", "Sliding window counter"),
        /// The generic cell rate algorithm: one theoretical arrival time per key.
        Gcra = ("gcra", "GCRA"),
        /// No limiter: every request is admitted (the baseline).
        None = ("none", "No limiter"),
    }
}

impl Algorithm {
    /// The six limiting algorithms (every one but `none`), in the order comparisons list them.
    pub const LIMITERS: [Algorithm; 6] = [
        Algorithm::TokenBucket,
        Algorithm::LeakyBucket,
        Algorithm::FixedWindow,
        Algorithm::SlidingLog,
        Algorithm::SlidingWindow,
        Algorithm::Gcra,
    ];
}

choice! {
    /// What one limit counts: each client's requests separately, or everyone's together.
    pub enum Scope {
        /// One limit per client (keyed by client id).
        #[default]
        Client = ("client", "Per client"),
        /// One limit for all clients together.
        Global = ("global", "Global"),
    }
}

choice! {
    /// How `instances` limiter instances behind the load balancer share the limit.
    pub enum SyncMode {
        /// Each instance keeps its own state and allows the full limit: up to `instances` times the
        /// limit gets through.
        #[default]
        Local = ("local", "Local, full limit each"),
        /// Each instance keeps its own state and allows `limit / instances`.
        Split = ("split", "Local, limit / instances each"),
        /// One store holds the state. With `sync_ms` = 0 it is exact, but every decision costs a
        /// round trip of `store_ms`; with `sync_ms` > 0 each instance decides on its own copy,
        /// synced every `sync_ms`: no wait, but more than the limit can pass between syncs.
        Shared = ("shared", "Shared store"),
    }
}

choice! {
    /// What the abusive client (the last one) does.
    pub enum Burstiness {
        /// Random (Poisson) arrivals at `abuser_rps`.
        #[default]
        Poisson = ("poisson", "Random (Poisson)"),
        /// One burst per window, `abuser_rps × window_s` requests, centred on the window boundary
        /// (an abuser who knows the window timing).
        PeriodicBursts = ("periodic_bursts", "Bursts at window boundaries"),
        /// A constant, evenly spaced stream at `abuser_rps` (a script hammering the API).
        Flood = ("flood", "Flood (constant stream)"),
    }
}

choice! {
    /// What a client does with a refused (429) request.
    pub enum Retry {
        /// Gives up.
        #[default]
        None = ("none", "Give up"),
        /// Sends it again as soon as the 429 comes back.
        Immediate = ("immediate", "Retry at once"),
        /// Waits for Retry-After, with exponential backoff and jitter, then sends it again.
        Backoff = ("backoff", "Retry-After + backoff + jitter"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::parse(a.as_str()), Some(*a));
            assert!(!a.label().is_empty());
        }
        assert_eq!(Algorithm::OPTIONS.len(), Algorithm::ALL.len());
        assert_eq!(SyncMode::parse("shared"), Some(SyncMode::Shared));
        assert_eq!(Retry::parse("later"), None);
        assert_eq!(Burstiness::default(), Burstiness::Poisson);
        assert_eq!(Algorithm::default(), Algorithm::TokenBucket);
    }
}
