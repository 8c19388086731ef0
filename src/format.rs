//! Human formatting of numbers for the metrics panel and labels. Raw values go to `data-value`.

/// Formats `v` with at most `decimals` decimals, dropping trailing zeros, with thin-space-free
/// thousands separators (`12,345.6`). Non-finite values render as an em dash.
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "\u{2014}".to_string();
    }
    let s = format!("{:.*}", decimals, v);
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s.clone(), String::new()),
    };
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(d) => ("-", d.to_string()),
        None => ("", int_part),
    };
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if grouped.chars().all(|c| c == '0' || c == ',') && frac_part.is_empty() {
        ""
    } else {
        sign
    };
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac_part}")
    }
}

/// Formats a fraction in `[0, 1]` as a percentage with `decimals` decimals (`0.0909` → `9.1%`).
pub fn percent(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return "\u{2014}".to_string();
    }
    format!("{}%", number(fraction * 100.0, decimals))
}

/// Formats a raw value for a `data-value` attribute: dot decimal, no separators, no units.
pub fn raw(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "NaN".to_string()
    }
}

/// Formats simulated seconds as a clock: `12.345 s`, `3 min 04.2 s`, `1 h 02 min`.
pub fn sim_clock(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "\u{2014}".to_string();
    }
    if secs < 60.0 {
        format!("{secs:.3} s")
    } else if secs < 3600.0 {
        let m = (secs / 60.0).floor();
        format!("{} min {:04.1} s", m, secs - m * 60.0)
    } else {
        let h = (secs / 3600.0).floor();
        let m = ((secs - h * 3600.0) / 60.0).floor();
        format!("{h} h {m:02} min")
    }
}

/// `v` with one decimal, as `{:.1}` writes it (halves may round the other way), for diagram
/// coordinates: written with integer arithmetic, as diagrams place hundreds of points a frame
/// and the float formatter's exact mode is slow. Beyond ±10¹⁵ or not finite: `{:.1}`.
pub fn d1(v: f64) -> OneDecimal {
    OneDecimal(v)
}

/// See [`d1`].
#[derive(Clone, Copy, Debug)]
pub struct OneDecimal(f64);

impl std::fmt::Display for OneDecimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round();
        if !tenths.is_finite() || tenths.abs() > 1e15 {
            return write!(f, "{:.1}", self.0);
        }
        let tenths = tenths as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
    }
}

/// A whole number of seconds in the largest unit that divides it: "45 s", "10 min", "6 h", "1 day",
/// "2 days".
pub fn duration(secs: u32) -> String {
    let unit = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match secs {
        s if s >= 86_400 && s % 86_400 == 0 => unit(s / 86_400, "day", "days"),
        s if s >= 3_600 && s % 3_600 == 0 => unit(s / 3_600, "h", "h"),
        s if s >= 60 && s % 60 == 0 => unit(s / 60, "min", "min"),
        s => format!("{s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_their_largest_unit() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(90), "90 s");
        assert_eq!(duration(600), "10 min");
        assert_eq!(duration(21_600), "6 h");
        assert_eq!(duration(86_400), "1 day");
        assert_eq!(duration(172_800), "2 days");
        assert_eq!(duration(0), "0 s");
    }

    #[test]
    fn one_decimal_writes_like_the_float_formatter() {
        for v in [
            0.0,
            1.25,
            30.0,
            29.96,
            -4.5,
            -0.04,
            150.0,
            12345.67,
            7.6,
            1e16,
            f64::NAN,
        ] {
            let ours = d1(v).to_string();
            let std = format!("{v:.1}");
            assert!(
                ours == std || (v == -0.04 && ours == "0.0") || (v == 1.25 && ours == "1.3"),
                "{v}: {ours} vs {std}"
            );
        }
        assert_eq!(d1(-4.5).to_string(), "-4.5");
        assert_eq!(d1(f64::INFINITY).to_string(), "inf");
    }

    #[test]
    fn numbers_group_and_trim() {
        assert_eq!(number(12345.678, 1), "12,345.7");
        assert_eq!(number(1000.0, 2), "1,000");
        assert_eq!(number(-0.0001, 2), "0");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(f64::NAN, 2), "\u{2014}");
        assert_eq!(percent(0.090909, 1), "9.1%");
        assert_eq!(raw(0.5), "0.5");
    }

    #[test]
    fn clock_reads_naturally() {
        assert_eq!(sim_clock(1.5), "1.500 s");
        assert_eq!(sim_clock(64.25), "1 min 04.2 s");
        assert_eq!(sim_clock(3720.0), "1 h 02 min");
    }
}
