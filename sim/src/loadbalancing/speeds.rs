//! The `speeds` text: comma-separated relative speeds of the servers, in membership order.

use crate::params::format_number;
use crate::ConfigError;

/// Most speeds the text may list (one per server at most).
pub const MAX_SPEEDS: usize = 1_000;
/// Slowest relative speed accepted.
pub const MIN_SPEED: f64 = 0.1;
/// Fastest relative speed accepted.
pub const MAX_SPEED: f64 = 10.0;
/// Longest text accepted, in bytes (1,000 values of up to 15 characters and their commas).
const MAX_TEXT: usize = 16_000;

/// Parses a speeds text: comma-separated numbers in `0.1..=10`, at most [`MAX_SPEEDS`]; empty (or
/// only whitespace) means every server has speed 1. Never panics; hostile input (NaN, infinities,
/// huge values, garbage, empty items, too many values) is an error naming the culprit.
pub fn parse_speeds(raw: &str) -> Result<Vec<f64>, ConfigError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    if raw.len() > MAX_TEXT {
        return Err(ConfigError::new("speeds", format!("lists at most {MAX_SPEEDS} speeds")));
    }
    let mut speeds = Vec::new();
    for (i, item) in raw.split(',').enumerate() {
        if speeds.len() >= MAX_SPEEDS {
            return Err(ConfigError::new("speeds", format!("lists at most {MAX_SPEEDS} speeds")));
        }
        let item = item.trim();
        let position = i + 1;
        if item.is_empty() {
            return Err(ConfigError::new("speeds", format!("speed {position} is empty")));
        }
        let shown: String = item.chars().take(16).collect();
        let value: f64 = if item.len() > 40 {
            f64::NAN
        } else {
            item.parse().unwrap_or(f64::NAN)
        };
        if !value.is_finite() {
            return Err(ConfigError::new(
                "speeds",
                format!("speed {position} (\u{201c}{shown}\u{201d}) is not a number"),
            ));
        }
        if !(MIN_SPEED..=MAX_SPEED).contains(&value) {
            return Err(ConfigError::new(
                "speeds",
                format!(
                    "speed {position} ({}) must be between {} and {}",
                    format_number(value),
                    format_number(MIN_SPEED),
                    format_number(MAX_SPEED)
                ),
            ));
        }
        speeds.push(value);
    }
    Ok(speeds)
}

/// The canonical text of `speeds`: shortest numbers joined by commas, trailing 1s dropped (a
/// shorter list means speed 1), so all-default speeds give the empty text.
pub fn format_speeds(speeds: &[f64]) -> String {
    let kept = speeds.iter().rposition(|&s| s != 1.0).map_or(0, |i| i + 1);
    speeds
        .iter()
        .take(kept)
        .map(|&s| format_number(s))
        .collect::<Vec<_>>()
        .join(",")
}

/// The speed of server `index` under `speeds`: its entry, or 1 when the list is shorter.
pub fn speed_of(speeds: &[f64], index: usize) -> f64 {
    speeds.get(index).copied().unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_canonically() {
        assert_eq!(parse_speeds("").unwrap(), Vec::<f64>::new());
        assert_eq!(parse_speeds(" 5, 1 ,1").unwrap(), vec![5.0, 1.0, 1.0]);
        assert_eq!(format_speeds(&[5.0, 1.0, 1.0]), "5");
        assert_eq!(format_speeds(&[1.0, 0.5, 1.0]), "1,0.5");
        assert_eq!(format_speeds(&[1.0, 1.0]), "");
        assert_eq!(speed_of(&[2.0], 0), 2.0);
        assert_eq!(speed_of(&[2.0], 5), 1.0);
    }

    #[test]
    fn rejects_hostile_text() {
        let too_many = vec!["1"; MAX_SPEEDS + 1].join(",");
        let huge = "9".repeat(100_000);
        for bad in [
            "NaN", "inf", "1,NaN", "1e308", "0", "0.05", "11", "-1", "abc", "1,,2", "1,", ",", "1;2", &too_many, &huge,
        ] {
            assert!(parse_speeds(bad).is_err(), "{bad:.40} should be rejected");
        }
        assert!(parse_speeds(&vec!["2"; MAX_SPEEDS].join(",")).is_ok());
        assert_eq!(
            parse_speeds("1,x").unwrap_err().message,
            "speed 2 (\u{201c}x\u{201d}) is not a number"
        );
    }
}
