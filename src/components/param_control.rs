//! One labelled control per model parameter: slider plus exact number field (numbers), a select
//! (choices) or a switch (toggles), with unit, hint and an inline validation message.
//!
//! Every value the learner types goes through `on_set` (the model's validated setter). A rejected
//! value is shown with its message and never reaches the model; the last good value stays.

use leptos::prelude::*;
use scalelab_sim::params::{format_number, ParamKind, ParamSpec, ParamValue};

/// Slider resolution for log-scale parameters (positions across the whole range).
const LOG_SLIDER_STEPS: f64 = 1000.0;

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
            let to_slider = move |v: f64| {
                if log_scale && min > 0.0 {
                    ((v / min).ln() / (max / min).ln() * LOG_SLIDER_STEPS).round()
                } else {
                    v
                }
            };
            let from_slider = move |pos: f64| {
                let v = if log_scale && min > 0.0 {
                    min * (max / min).powf(pos / LOG_SLIDER_STEPS)
                } else {
                    pos
                };
                let v = if integer { v.round() } else { (v / step).round() * step };
                v.clamp(min, max)
            };
            let (s_min, s_max, s_step) = if log_scale && min > 0.0 {
                (0.0, LOG_SLIDER_STEPS, 1.0)
            } else {
                (min, max, step)
            };
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
