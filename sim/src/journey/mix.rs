//! The `region_mix` text: where the users are, e.g. `us:60,eu:25,asia:15`.
//!
//! The sharding lab's parser reads it ([`crate::sharding::regions::parse_regions`]: `name:weight`
//! items, weights relative, at most once each); here the names must be `us`, `eu` or `asia`, and a
//! region left out has no users. The canonical form (what the URL holds) lists the regions in the
//! order US, EU, Asia.

use crate::params::format_number;
use crate::sharding::regions::parse_regions;
use crate::ConfigError;

use super::network::Region;

/// The URL key.
pub const KEY: &str = "region_mix";

/// Parses a mix into each region's share of the users (indexed like [`Region::ALL`], summing to
/// 1). Never panics; hostile text is an error naming the culprit.
pub fn parse_mix(raw: &str) -> Result<[f64; 3], ConfigError> {
    let regions = parse_regions(raw).map_err(|e| ConfigError::new(KEY, e.message))?;
    let mut shares = [0.0; 3];
    for r in regions {
        let Some(region) = Region::parse(&r.name) else {
            let shown: String = r.name.chars().take(16).collect();
            return Err(ConfigError::new(
                KEY,
                format!("knows the regions us, eu and asia, not \u{201c}{shown}\u{201d}"),
            ));
        };
        shares[region.index()] = r.share;
    }
    Ok(shares)
}

/// The canonical text of a mix given as raw text: the regions in the order US, EU, Asia with
/// their weights as written.
pub fn canonical(raw: &str) -> Result<String, ConfigError> {
    let regions = parse_regions(raw).map_err(|e| ConfigError::new(KEY, e.message))?;
    parse_mix(raw)?;
    let mut items = Vec::with_capacity(3);
    for region in Region::ALL {
        if let Some(r) = regions.iter().find(|r| r.name == region.as_str()) {
            items.push(format!("{}:{}", r.name, format_number(r.weight)));
        }
    }
    Ok(items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_parse_to_shares_in_region_order() {
        assert_eq!(parse_mix("us:60,eu:25,asia:15").unwrap(), [0.6, 0.25, 0.15]);
        assert_eq!(parse_mix(" asia:1 , us:3 ").unwrap(), [0.75, 0.0, 0.25]);
        assert_eq!(canonical("asia:1,us:3").unwrap(), "us:3,asia:1");
        for bad in ["", "mars:1", "us:0", "us:nan", "us:1,us:1", "US", ",", "us:1e400"] {
            let err = parse_mix(bad).expect_err(bad);
            assert_eq!(err.field, KEY, "{bad}");
        }
    }
}
