//! The `outcomes` script: one letter per call, `S` success, `F` failure, `L` slow success, `X`
//! slow failure (a timeout), in either case.

use super::outcome::Outcome;
use crate::ConfigError;

/// Most calls (letters) a script holds.
pub const MAX_OUTCOMES: usize = 10_000;

/// Parses a script. Surrounding whitespace is ignored; every other character must be `S`, `F`,
/// `L` or `X` (either case). The empty script is valid (no script). Errors name the first bad position
/// (1-based) and never echo anything but a printable ASCII character.
pub fn parse_outcomes(raw: &str) -> Result<Vec<Outcome>, ConfigError> {
    let raw = raw.trim();
    if raw.chars().take(MAX_OUTCOMES + 1).count() > MAX_OUTCOMES {
        return Err(ConfigError::new(
            "outcomes",
            format!("is too long: at most {MAX_OUTCOMES} calls, one letter each"),
        ));
    }
    raw.chars()
        .enumerate()
        .map(|(index, letter)| {
            Outcome::from_letter(letter).ok_or_else(|| {
                let shown = if letter.is_ascii_graphic() {
                    format!("\u{201c}{letter}\u{201d}")
                } else {
                    format!("U+{:04X}", u32::from(letter))
                };
                ConfigError::new(
                    "outcomes",
                    format!(
                        "{shown} at position {} is not a call: use S (success), F (failure), L (slow) or X (slow failure)",
                        index + 1
                    ),
                )
            })
        })
        .collect()
}

/// The script as text (the inverse of [`parse_outcomes`]).
pub fn format_outcomes(outcomes: &[Outcome]) -> String {
    outcomes.iter().map(|o| o.letter()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        let calls = parse_outcomes(" SFLx ").unwrap();
        assert_eq!(
            calls,
            vec![Outcome::Success, Outcome::Failure, Outcome::Slow, Outcome::SlowFailure]
        );
        assert_eq!(format_outcomes(&calls), "SFLX");
        assert!(parse_outcomes("").unwrap().is_empty());
    }

    #[test]
    fn names_the_bad_position() {
        let err = parse_outcomes("SF?").unwrap_err();
        assert_eq!(err.field, "outcomes");
        assert!(
            err.message.contains("\u{201c}?\u{201d} at position 3"),
            "{}",
            err.message
        );
        let err = parse_outcomes("S\u{202e}").unwrap_err();
        assert!(err.message.contains("U+202E at position 2"), "{}", err.message);
    }
}
