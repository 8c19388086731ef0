//! The `regions` text: the regional mix of the keys (users).
//!
//! Format: comma-separated `name:weight` items, e.g. `us:50,eu:30,asia:20`. A name is 1 to 12
//! characters of `a-z`, `0-9` and `-`, each name at most once; a weight is a number in
//! `0.001..=1,000,000` (relative: only the proportions matter); `name` alone means weight 1. At
//! most [`MAX_REGIONS`] regions, at least one. Spaces around items and around the colon are
//! ignored; the canonical form (what the URL holds) has none. Default `us:1` (one region).
//!
//! Each key belongs to one region, drawn from these proportions by its hash (so a region's share
//! of the keys, and of the operations, is its weight's share). With `geo` sharding region `r` is
//! served by its own group of shards; with every other strategy all shards sit in the first
//! region, so the other regions' users pay a cross-region round trip.

use crate::params::format_number;
use crate::ConfigError;

/// Most regions in the mix.
pub const MAX_REGIONS: usize = 8;
/// Longest region name, in characters.
pub const MAX_REGION_NAME: usize = 12;
/// Smallest weight accepted.
const MIN_WEIGHT: f64 = 0.001;
/// Largest weight accepted.
const MAX_WEIGHT: f64 = 1_000_000.0;
/// Longest text accepted, in bytes.
const MAX_TEXT: usize = 400;

/// One region of the mix.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Its name, e.g. `"eu"`.
    pub name: String,
    /// Its weight as given.
    pub weight: f64,
    /// Its share of the keys: weight / the sum of the weights.
    pub share: f64,
}

/// Parses a regions text (see the module docs). Never panics; hostile input is an error naming
/// the culprit.
pub fn parse_regions(raw: &str) -> Result<Vec<Region>, ConfigError> {
    let err = |m: String| ConfigError::new("regions", m);
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(err("needs at least one region, e.g. us:50,eu:30,asia:20".into()));
    }
    if raw.len() > MAX_TEXT {
        return Err(err(format!("lists at most {MAX_REGIONS} regions")));
    }
    let mut regions: Vec<Region> = Vec::new();
    for (i, item) in raw.split(',').enumerate() {
        let position = i + 1;
        if regions.len() >= MAX_REGIONS {
            return Err(err(format!("lists at most {MAX_REGIONS} regions")));
        }
        let item = item.trim();
        if item.is_empty() {
            return Err(err(format!("region {position} is empty")));
        }
        let (name, weight) = match item.split_once(':') {
            Some((name, weight)) => (name.trim(), Some(weight.trim())),
            None => (item, None),
        };
        let shown: String = name.chars().take(16).collect();
        let valid_name = !name.is_empty()
            && name.chars().count() <= MAX_REGION_NAME
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_name {
            return Err(err(format!(
                "region {position} (\u{201c}{shown}\u{201d}) needs a name of 1 to {MAX_REGION_NAME} characters a-z, 0-9 or -"
            )));
        }
        if regions.iter().any(|r| r.name == name) {
            return Err(err(format!("names {name} twice")));
        }
        let weight = match weight {
            None => 1.0,
            Some(w) if w.len() <= 40 => w.parse::<f64>().unwrap_or(f64::NAN),
            Some(_) => f64::NAN,
        };
        if !weight.is_finite() {
            return Err(err(format!("the weight of {name} is not a number")));
        }
        if !(MIN_WEIGHT..=MAX_WEIGHT).contains(&weight) {
            return Err(err(format!(
                "the weight of {name} must be between {} and {}",
                format_number(MIN_WEIGHT),
                format_number(MAX_WEIGHT)
            )));
        }
        regions.push(Region {
            name: name.to_string(),
            weight,
            share: 0.0,
        });
    }
    let total: f64 = regions.iter().map(|r| r.weight).sum();
    for r in &mut regions {
        r.share = r.weight / total;
    }
    Ok(regions)
}

/// The canonical text of a parsed mix: `name:weight` items joined by commas.
pub fn format_regions(regions: &[Region]) -> String {
    regions
        .iter()
        .map(|r| format!("{}:{}", r.name, format_number(r.weight)))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let r = parse_regions(" us : 50, eu:30 ,asia:20").unwrap();
        assert_eq!(format_regions(&r), "us:50,eu:30,asia:20");
        assert!((r[0].share - 0.5).abs() < 1e-12);
        assert_eq!(format_regions(&parse_regions("local").unwrap()), "local:1");
    }

    #[test]
    fn rejects_hostile_text() {
        for bad in [
            "",
            ",",
            "us:50,",
            "US:1",
            "us:0",
            "us:-1",
            "us:NaN",
            "us:inf",
            "us:1e300",
            "us:1,us:2",
            "<script>:1",
            "a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1",
            "averyveryverylongname:1",
            &"x".repeat(1_000),
        ] {
            assert!(parse_regions(bad).is_err(), "{bad:?}");
        }
    }
}
