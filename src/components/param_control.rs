//! One labelled control per model parameter: slider plus exact number field (numbers), a select
//! (choices) or a switch (toggles), with unit, hint and an inline validation message.
//!
//! Every value the learner types goes through `on_set` (the model's validated setter). A rejected
//! value is shown with its message and never reaches the model; the last good value stays.

use leptos::prelude::*;
use scalelab_sim::params::{format_number, ParamKind, ParamSpec, ParamValue};

/// Slider resolution for geometric sliders (positions across the whole range).
const LOG_SLIDER_STEPS: f64 = 1000.0;

/// How a number's slider maps positions to values: linear, or geometric when the range spans
/// three decades or more of its resolution (servers 0 to 10,000, milliseconds 0 to 600,000), so
/// a small drag near 8 moves to 9, not to 207. Geometric positions run 0..1000 over
/// `v = min + ((1 + (max - min) / unit)^(pos / 1000) - 1) * unit`, which starts at `min` even
/// when it is 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliderScale {
    min: f64,
    max: f64,
    step: f64,
    integer: bool,
    /// The smallest meaningful change (1 for whole numbers), or `None` for a linear slider.
    unit: Option<f64>,
}

impl SliderScale {
    /// The scale of a number parameter (`log_scale` forces a geometric slider).
    pub fn new(min: f64, max: f64, step: f64, integer: bool, log_scale: bool) -> Self {
        let span = (max - min).max(0.0);
        let unit = if integer {
            1.0
        } else {
            step.max(span * 1e-6).max(f64::MIN_POSITIVE)
        };
        let geometric = span > 0.0 && (log_scale || span / unit >= 1_000.0);
        Self {
            min,
            max,
            step,
            integer,
            unit: geometric.then_some(unit),
        }
    }

    /// The slider's `min`, `max` and `step` attributes.
    pub fn range(&self) -> (f64, f64, f64) {
        match self.unit {
            Some(_) => (0.0, LOG_SLIDER_STEPS, 1.0),
            None => (self.min, self.max, self.step),
        }
    }

    /// The slider position of value `v`.
    pub fn position(&self, v: f64) -> f64 {
        match self.unit {
            Some(u) => {
                let full = (1.0 + (self.max - self.min) / u).ln();
                ((1.0 + ((v - self.min) / u).max(0.0)).ln() / full * LOG_SLIDER_STEPS).round()
            }
            None => v,
        }
    }

    /// The value at slider position `pos`, rounded to the parameter's step and kept in range.
    pub fn value(&self, pos: f64) -> f64 {
        let v = match self.unit {
            Some(u) => {
                let base = 1.0 + (self.max - self.min) / u;
                self.min + (base.powf(pos / LOG_SLIDER_STEPS) - 1.0) * u
            }
            None => pos,
        };
        let v = if self.integer {
            v.round()
        } else {
            (v / self.step).round() * self.step
        };
        v.clamp(self.min, self.max)
    }
}

/// A control for one parameter.
#[component]
pub fn ParamControl(
    /// What the parameter is.
    spec: &'static ParamSpec,
    /// Its current value in the model.
    #[prop(into)]
    value: Signal<Option<ParamValue>>,
    /// Validated setter: takes the raw text, returns the error message on rejection.
    on_set: Callback<String, Result<(), String>>,
    /// Greys out the control (e.g. a parameter the current strategy ignores).
    #[prop(into, default = Signal::stored(false))]
    disabled: Signal<bool>,
) -> impl IntoView {
    let id = format!("param-{}", spec.key);
    let hint_id = format!("{id}-hint");
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{id}-error");
    let body = match spec.kind {
        ParamKind::Number {
            min,
            max,
            step,
            integer,
            log_scale,
        } => {
            let draft = RwSignal::new(None::<String>);
            let current = move || match value.get() {
                Some(ParamValue::Number(v)) => v,
                _ => min,
            };
            let submit = move |raw: String| match on_set.run(raw.clone()) {
                Ok(()) => {
                    draft.set(None);
                    error.set(None);
                }
                Err(msg) => {
                    draft.set(Some(raw));
                    error.set(Some(msg));
                }
            };
            let scale = SliderScale::new(min, max, step, integer, log_scale);
            let to_slider = move |v: f64| scale.position(v);
            let from_slider = move |pos: f64| scale.value(pos);
            let (s_min, s_max, s_step) = scale.range();
            let label = spec.label;
            view! {
                <div class="param-inputs">
                    <input
                        type="range"
                        class="param-slider"
                        min=s_min
                        max=s_max
                        step=s_step
                        aria-label=format!("{label} slider")
                        aria-describedby=hint_id.clone()
                        data-testid=format!("slider-{}", spec.key)
                        prop:value=move || to_slider(current()).to_string()
                        disabled=move || disabled.get()
                        on:input=move |ev| {
                            if let Ok(pos) = event_target_value(&ev).parse::<f64>() {
                                submit(format_number(from_slider(pos)));
                            }
                        }
                    />
                    <span class="param-number">
                        <input
                            id=id.clone()
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            spellcheck="false"
                            data-testid=format!("input-{}", spec.key)
                            aria-describedby=format!("{hint_id} {error_id}")
                            aria-invalid=move || error.get().is_some().to_string()
                            prop:value=move || draft.get().unwrap_or_else(|| format_number(current()))
                            disabled=move || disabled.get()
                            on:change=move |ev| submit(event_target_value(&ev))
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" {
                                    submit(event_target_value(&ev));
                                }
                            }
                        />
                        <span class="param-unit">{spec.unit}</span>
                    </span>
                </div>
            }
            .into_any()
        }
        ParamKind::Choice { options } => {
            let selected = move || match value.get() {
                Some(ParamValue::Choice(s)) => s,
                _ => String::new(),
            };
            view! {
                <select
                    id=id.clone()
                    class="param-select"
                    data-testid=format!("input-{}", spec.key)
                    aria-describedby=format!("{hint_id} {error_id}")
                    prop:value=selected
                    disabled=move || disabled.get()
                    on:change=move |ev| {
                        let result = on_set.run(event_target_value(&ev));
                        error.set(result.err());
                    }
                >
                    {options
                        .iter()
                        .map(|(v, label)| view! { <option value=*v>{*label}</option> })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        ParamKind::Toggle => {
            let checked = move || matches!(value.get(), Some(ParamValue::Toggle(true)));
            view! {
                <input
                    id=id.clone()
                    type="checkbox"
                    role="switch"
                    class="param-toggle"
                    data-testid=format!("input-{}", spec.key)
                    aria-describedby=format!("{hint_id} {error_id}")
                    prop:checked=checked
                    disabled=move || disabled.get()
                    on:change=move |ev| {
                        let result = on_set.run(event_target_checked(&ev).to_string());
                        error.set(result.err());
                    }
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="param" class:disabled=move || disabled.get() class:invalid=move || error.get().is_some()>
            <label for=id.clone() class="param-label">{spec.label}</label>
            {body}
            <p id=hint_id.clone() class="param-hint">{spec.hint}</p>
            <p id=error_id class="param-error" role="alert" data-testid=format!("error-{}", spec.key)>
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::SliderScale;

    #[test]
    fn wide_ranges_move_geometrically_and_narrow_ones_linearly() {
        let servers = SliderScale::new(0.0, 10_000.0, 1.0, true, false);
        assert_eq!(servers.range(), (0.0, 1000.0, 1.0));
        assert_eq!(servers.value(0.0), 0.0);
        assert_eq!(servers.value(1000.0), 10_000.0);
        // A few positions around 8 servers move to neighbours, never to hundreds.
        let at8 = servers.position(8.0);
        assert!((servers.value(at8) - 8.0).abs() <= 1.0);
        assert!(servers.value(at8 + 3.0) < 12.0, "{}", servers.value(at8 + 3.0));
        let percent = SliderScale::new(0.0, 100.0, 1.0, true, false);
        assert_eq!(percent.range(), (0.0, 100.0, 1.0));
        assert_eq!(percent.value(37.0), 37.0);
        let ms = SliderScale::new(0.0, 600_000.0, 0.01, false, false);
        assert!(ms.value(ms.position(200.0)) > 180.0 && ms.value(ms.position(200.0)) < 220.0);
        let forced = SliderScale::new(1.0, 100.0, 1.0, true, true);
        assert_eq!(forced.range().1, 1000.0);
        assert_eq!(forced.value(0.0), 1.0);
    }
}
