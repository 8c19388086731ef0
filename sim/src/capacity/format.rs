//! Number formatting for the worked calculation: thousands separators and a few significant digits,
//! identical on every platform (Rust's own float formatting, no locale).

/// Formats `v` for a worked line: `100000` → `"100,000"`, `0.2` → `"0.2"`, `1157.4074` →
/// `"1,157.4"`, `0.018018` → `"0.018018"`. Keeps about five significant digits and drops trailing
/// zeros; very large or very small magnitudes use scientific notation. Never panics.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let magnitude = v.abs();
    if !(1e-6..1e15).contains(&magnitude) {
        return format!("{v:.3e}");
    }
    let exponent = libm::floor(libm::log10(magnitude));
    let decimals = (4.0 - exponent).clamp(0.0, 10.0) as usize;
    let fixed = format!("{magnitude:.decimals$}");
    let (whole, fraction) = match fixed.split_once('.') {
        Some((w, f)) => (w, f.trim_end_matches('0')),
        None => (fixed.as_str(), ""),
    };
    let mut out = String::new();
    if v < 0.0 {
        out.push('-');
    }
    out.push_str(&group_thousands(whole));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Significant digits kept by [`tidy`].
const TIDY_DIGITS: i32 = 12;

/// Rounds `v` to 12 significant digits, hiding floating-point noise in reported figures
/// (`10.000000000000009` → `10`, `8999.999999999998` → `9000`). Zero, NaN, infinities and
/// magnitudes outside `1e-300..1e300` come back unchanged.
pub fn tidy(v: f64) -> f64 {
    let magnitude = v.abs();
    if !v.is_finite() || !(1e-300..1e300).contains(&magnitude) {
        return v;
    }
    let exponent = libm::floor(libm::log10(magnitude)) as i32;
    let shift = TIDY_DIGITS - 1 - exponent;
    let scale = libm::pow(10.0, f64::from(shift.abs()));
    let rounded = if shift >= 0 {
        libm::round(v * scale) / scale
    } else {
        libm::round(v / scale) * scale
    };
    if rounded.is_finite() {
        rounded
    } else {
        v
    }
}

/// Formats a price in dollars with cents: `1.14` → `"$1.14"`, `12345.6` → `"$12,345.60"`.
pub fn dollars(v: f64) -> String {
    if !v.is_finite() || !(0.0..1e15).contains(&v) {
        return format!("${}", number(v));
    }
    let fixed = format!("{v:.2}");
    let (whole, cents) = fixed.split_once('.').unwrap_or((fixed.as_str(), "00"));
    format!("${}.{cents}", group_thousands(whole))
}

/// Inserts a comma every three digits from the right of a string of digits.
fn group_thousands(digits: &str) -> String {
    let count = digits.chars().count();
    let mut out = String::with_capacity(count + count / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (count - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_worked_example() {
        for (v, s) in [
            (100_000.0, "100,000"),
            (0.2, "0.2"),
            (2.0, "2"),
            (1_157.407_407, "1,157.4"),
            (0.018_018_018, "0.018018"),
            (0.02, "0.02"),
            (-1234.5, "-1,234.5"),
            (999.0, "999"),
            (1e20, "1.000e20"),
            (0.0, "0"),
        ] {
            assert_eq!(number(v), s, "{v}");
        }
        assert_eq!(dollars(1.14), "$1.14");
        for (raw, clean) in [
            (10.000_000_000_000_009, 10.0),
            (8_999.999_999_999_998, 9_000.0),
            (1.140_000_000_000_000_1, 1.14),
            (-0.1 - 0.2, -0.3),
            (1e20 + 1e5, 1e20),
            (0.0, 0.0),
        ] {
            assert_eq!(tidy(raw), clean, "{raw}");
        }
        assert!(tidy(f64::NAN).is_nan());
        assert_eq!(dollars(12_345.6), "$12,345.60");
        assert_eq!(number(f64::NAN), "NaN");
    }
}
