//! Ready-made scenarios for lessons and the preset menu: raw `(key, value)` pairs applied through
//! [`Params::set_str`] on top of the defaults, exactly as a URL would be.

use super::config::Config;
use crate::params::Params;
use crate::ConfigError;

/// A named scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Stable identifier, e.g. `"seeds_100k"`.
    pub key: &'static str,
    /// Short name for a menu.
    pub name: &'static str,
    /// One or two sentences on what the scenario shows.
    pub description: &'static str,
    /// Parameter values as the URL holds them, applied in order on top of [`Config::default`].
    pub values: &'static [(&'static str, &'static str)],
}

impl Preset {
    /// The defaults with this preset's values applied.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        self.apply(&mut config)?;
        Ok(config)
    }

    /// Applies this preset's values to `config` (stopping at the first rejected value, which leaves
    /// that field unchanged).
    pub fn apply(&self, config: &mut Config) -> Result<(), ConfigError> {
        for (key, raw) in self.values {
            config.set_str(key, raw)?;
        }
        Ok(())
    }

    /// The preset with `key`, if any.
    pub fn find(key: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.key == key)
    }
}

/// Every preset, in menu order.
pub const PRESETS: &[Preset] = &[
    Preset {
        key: "seeds_100k",
        name: "100,000 requests per second",
        description: "The classic sizing example: 100,000 req/s at 200 ms with 10,000 concurrent requests per \
                      server gives 2 servers, 3 with 50% headroom, 6 with a second zone.",
        values: &[
            ("dau", "0"),
            ("rps", "100000"),
            ("latency_ms", "200"),
            ("concurrency", "10000"),
            ("headroom_pct", "50"),
            ("redundancy", "double"),
            ("service_ms", "0"),
            ("servers", "0"),
            ("target_p99_ms", "1000"),
        ],
    },
    Preset {
        key: "zone_outage",
        name: "One zone goes down",
        description: "The same fleet after losing its second zone: 3 servers carry the whole load at two-thirds \
                      utilisation. Try 2 servers to see the queue run away.",
        values: &[
            ("dau", "0"),
            ("rps", "100000"),
            ("latency_ms", "200"),
            ("concurrency", "10000"),
            ("headroom_pct", "50"),
            ("redundancy", "double"),
            ("service_ms", "0"),
            ("servers", "3"),
            ("target_p99_ms", "1000"),
        ],
    },
    Preset {
        key: "cache_1000",
        name: "1,000 reads per second behind a cache",
        description: "Every request is a read and the cache answers 99% of them: the database sees 10 reads per \
                      second. Drop the hit ratio to 0.9 and it sees 100.",
        values: &[
            ("dau", "0"),
            ("rps", "1000"),
            ("read_ratio", "1"),
            ("hit_ratio", "0.99"),
            ("latency_ms", "50"),
            ("concurrency", "100"),
            ("headroom_pct", "50"),
            ("redundancy", "n_plus_1"),
            ("service_ms", "0"),
            ("servers", "0"),
            ("target_p99_ms", "300"),
        ],
    },
    Preset {
        key: "startup_users",
        name: "A start-up with 2 million daily users",
        description: "Traffic from users: 2 million people making 30 requests a day, with a peak three times the \
                      average, is about 2,100 requests per second.",
        values: &[
            ("dau", "2000000"),
            ("requests_per_user", "30"),
            ("peak_factor", "3"),
            ("latency_ms", "150"),
            ("concurrency", "200"),
            ("headroom_pct", "30"),
            ("redundancy", "n_plus_1"),
            ("read_ratio", "0.95"),
            ("hit_ratio", "0.9"),
            ("service_ms", "0"),
            ("servers", "0"),
            ("target_p99_ms", "1000"),
        ],
    },
    Preset {
        key: "one_busy_server",
        name: "One server at 80%",
        description: "A single server taking 10 ms per request receives 80 requests per second: the average \
                      request takes 5 times its service time, and 1 in 100 takes over 230 ms.",
        values: &[
            ("dau", "0"),
            ("rps", "80"),
            ("latency_ms", "10"),
            ("concurrency", "1"),
            ("headroom_pct", "0"),
            ("redundancy", "none"),
            ("service_ms", "0"),
            ("servers", "1"),
            ("target_p99_ms", "100"),
        ],
    },
    Preset {
        key: "checkout_p99",
        name: "Checkout with a p99 target",
        description: "5,000 checkouts per second at 50 ms each, N+2 redundancy, and a 300 ms p99 target: how few \
                      servers would meet it, and how much slack does the plan leave?",
        values: &[
            ("dau", "0"),
            ("rps", "5000"),
            ("latency_ms", "50"),
            ("concurrency", "50"),
            ("headroom_pct", "25"),
            ("redundancy", "n_plus_2"),
            ("service_ms", "0"),
            ("servers", "0"),
            ("target_utilization", "0.6"),
            ("target_p99_ms", "300"),
        ],
    },
];
