//! Self-describing parameters, so the UI and the URL layer stay generic.
//!
//! Each lab's `Config` lists its parameters as [`ParamSpec`]s and reads/writes them by key through
//! [`Params`]. Every value a user or URL supplies goes through [`Params::set`], which validates it;
//! a rejected value leaves the config unchanged.

use crate::ConfigError;

/// What kind of value a parameter takes, with its allowed range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A number in `[min, max]`, moved in steps of `step`. `integer` values are whole numbers.
    /// `log_scale` sliders move geometrically (useful for ranges over several decades).
    Number {
        min: f64,
        max: f64,
        step: f64,
        integer: bool,
        log_scale: bool,
    },
    /// One of a fixed set of options: `(value, label)` pairs; `value` is what the URL holds.
    Choice {
        options: &'static [(&'static str, &'static str)],
    },
    /// On or off; the URL holds `true`/`false`.
    Toggle,
}

/// The description of one parameter: everything a control and the URL layer need.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// URL key and config field name in snake_case, e.g. `"vnodes"`.
    pub key: &'static str,
    /// Short label shown next to the control, e.g. `"Virtual nodes per node"`.
    pub label: &'static str,
    /// Unit shown after the number (`""` when unitless), e.g. `"ms"`.
    pub unit: &'static str,
    /// One-line hint explaining what the parameter does.
    pub hint: &'static str,
    /// Kind and allowed range.
    pub kind: ParamKind,
}

/// Builds a number [`ParamSpec`] in one call (keeps the labs' parameter tables short).
#[allow(clippy::too_many_arguments)]
pub const fn number_spec(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    hint: &'static str,
    min: f64,
    max: f64,
    step: f64,
    integer: bool,
    log_scale: bool,
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        unit,
        hint,
        kind: ParamKind::Number {
            min,
            max,
            step,
            integer,
            log_scale,
        },
    }
}

/// A parameter's value as the UI and the URL see it.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A number (integers are whole-valued `f64`s).
    Number(f64),
    /// A choice's `value` string.
    Choice(String),
    /// A toggle.
    Toggle(bool),
}

impl ParamValue {
    /// Formats the value as the URL holds it: numbers without trailing zeros, choices verbatim.
    pub fn to_query(&self) -> String {
        match self {
            ParamValue::Number(v) => format_number(*v),
            ParamValue::Choice(s) => s.clone(),
            ParamValue::Toggle(b) => b.to_string(),
        }
    }
}

/// Formats a number the shortest way that round-trips (`3` not `3.0`, `0.25`).
pub fn format_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl ParamSpec {
    /// Parses and range-checks a raw string (from a URL or a text field) for this parameter.
    /// Never panics; hostile input (NaN, huge, empty, garbage) is an error with a clear message.
    pub fn parse(&self, raw: &str) -> Result<ParamValue, ConfigError> {
        let raw = raw.trim();
        match self.kind {
            ParamKind::Number { .. } => {
                if raw.is_empty() {
                    return Err(ConfigError::new(self.key, "needs a number"));
                }
                if raw.len() > 40 {
                    return Err(ConfigError::new(self.key, "is not a number"));
                }
                let v: f64 = raw.parse().map_err(|_| {
                    ConfigError::new(self.key, format!("\u{201c}{}\u{201d} is not a number", truncate(raw)))
                })?;
                self.check_number(v).map(ParamValue::Number)
            }
            ParamKind::Choice { options } => options
                .iter()
                .find(|(value, _)| *value == raw)
                .map(|(value, _)| ParamValue::Choice((*value).to_string()))
                .ok_or_else(|| {
                    let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
                    ConfigError::new(self.key, format!("must be one of {}", names.join(", ")))
                }),
            ParamKind::Toggle => match raw {
                "true" | "1" | "on" | "yes" => Ok(ParamValue::Toggle(true)),
                "false" | "0" | "off" | "no" => Ok(ParamValue::Toggle(false)),
                _ => Err(ConfigError::new(self.key, "must be true or false")),
            },
        }
    }

    /// Checks a number against this spec's range and integrality.
    pub fn check_number(&self, v: f64) -> Result<f64, ConfigError> {
        let ParamKind::Number { min, max, integer, .. } = self.kind else {
            return Err(ConfigError::new(self.key, "is not a number parameter"));
        };
        if !v.is_finite() {
            return Err(ConfigError::new(self.key, "must be a finite number"));
        }
        if v < min || v > max {
            return Err(ConfigError::new(
                self.key,
                format!("must be between {} and {}", format_number(min), format_number(max)),
            ));
        }
        if integer && v.fract() != 0.0 {
            return Err(ConfigError::new(self.key, "must be a whole number"));
        }
        Ok(v)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(16).collect()
}

/// A configuration whose fields are readable and writable by key, with validation.
pub trait Params {
    /// All parameters, in the order the controls show them.
    fn specs() -> &'static [ParamSpec];
    /// The current value of `key`, or `None` for an unknown key.
    fn get(&self, key: &str) -> Option<ParamValue>;
    /// Validates and stores `value` under `key`. On error nothing changes.
    fn set(&mut self, key: &str, value: &ParamValue) -> Result<(), ConfigError>;

    /// The spec of `key`, if any.
    fn spec(key: &str) -> Option<&'static ParamSpec> {
        Self::specs().iter().find(|s| s.key == key)
    }

    /// Parses `raw` for `key` and stores it: the path every URL and text-field value takes.
    fn set_str(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        let spec = Self::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
        let value = spec.parse(raw)?;
        self.set(key, &value)
    }
}

/// Reads a number out of a [`ParamValue`] for `key`, or explains the mismatch.
pub fn expect_number(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    match value {
        ParamValue::Number(v) => Ok(*v),
        _ => Err(ConfigError::new(key, "needs a number")),
    }
}

/// Reads a choice out of a [`ParamValue`] for `key`, or explains the mismatch.
pub fn expect_choice<'a>(key: &str, value: &'a ParamValue) -> Result<&'a str, ConfigError> {
    match value {
        ParamValue::Choice(s) => Ok(s.as_str()),
        _ => Err(ConfigError::new(key, "needs one of its options")),
    }
}

/// Checks every number parameter of `config` against its spec (what a lab's `validate` starts
/// with).
pub fn validate_numbers<P: Params>(config: &P) -> Result<(), ConfigError> {
    for spec in P::specs() {
        if let (ParamKind::Number { .. }, Some(ParamValue::Number(v))) = (spec.kind, config.get(spec.key)) {
            spec.check_number(v)?;
        }
    }
    Ok(())
}

/// Reads a number for `key` of `P` and checks it against the key's spec.
pub fn checked_number<P: Params>(key: &str, value: &ParamValue) -> Result<f64, ConfigError> {
    let spec = P::spec(key).ok_or_else(|| ConfigError::new(key, "is not a parameter of this lab"))?;
    spec.check_number(expect_number(key, value)?)
}

/// [`checked_number`] for a whole-number key whose spec range lies within `u32`.
pub fn checked_count<P: Params>(key: &str, value: &ParamValue) -> Result<u32, ConfigError> {
    let v = checked_number::<P>(key, value)?;
    if v.fract() != 0.0 || v < 0.0 || v > f64::from(u32::MAX) {
        return Err(ConfigError::new(key, "must be a whole number"));
    }
    Ok(v as u32)
}

/// Reads a choice for `key` and parses it with `parse`, or lists the `options`.
pub fn parse_choice<T>(
    key: &str,
    value: &ParamValue,
    parse: fn(&str) -> Option<T>,
    options: &[(&str, &str)],
) -> Result<T, ConfigError> {
    let raw = expect_choice(key, value)?;
    parse(raw).ok_or_else(|| {
        let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
        ConfigError::new(key, format!("must be one of {}", names.join(", ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: ParamSpec = ParamSpec {
        key: "nodes",
        label: "Nodes",
        unit: "",
        hint: "",
        kind: ParamKind::Number {
            min: 1.0,
            max: 1000.0,
            step: 1.0,
            integer: true,
            log_scale: false,
        },
    };
    const C: ParamSpec = ParamSpec {
        key: "strategy",
        label: "Strategy",
        unit: "",
        hint: "",
        kind: ParamKind::Choice {
            options: &[("ring", "Ring"), ("jump", "Jump")],
        },
    };

    #[test]
    fn numbers_parse_and_reject_hostile_input() {
        assert_eq!(N.parse(" 10 ").unwrap(), ParamValue::Number(10.0));
        for bad in [
            "",
            "NaN",
            "inf",
            "-1",
            "0",
            "1001",
            "2.5",
            "1e300",
            "abc",
            "10; drop",
            &"9".repeat(100),
        ] {
            assert!(N.parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn choices_accept_only_their_options() {
        assert_eq!(C.parse("jump").unwrap(), ParamValue::Choice("jump".into()));
        let err = C.parse("<script>").unwrap_err();
        assert_eq!(err.message, "must be one of ring, jump");
    }

    #[test]
    fn numbers_format_shortest() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(0.25), "0.25");
        assert_eq!(format_number(-2.0), "-2");
    }
}
