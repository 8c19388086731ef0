//! The page shell every lab shares: [`use_lab`] boots a lab from the URL and the saved lesson
//! step, keeps the URL equal to its state, runs the frame loop and wires the lesson; the page
//! then lays out its panels around [`LabTransport`] and hands [`Kit::hooks`] to `LabPage`.

use super::controller::LabController;
use super::driver::Driver;
use crate::components::lab_boot::follow_in_url;
use crate::components::pacing::publish_when_stopped;
use crate::components::url_state::{Mode, MAX_UNTIL_SECS};
use crate::components::{use_frame_loop, Boot, Transport};
use crate::lessons::Lesson;
use leptos::prelude::*;

/// What the lesson side of a lab page needs: the lesson, where the learner is, the link's
/// notices, and the driver's entry points. Built by [`Kit::hooks`]; not generic, so `LabPage`
/// and the lesson player serve every lab with one copy of their code.
#[derive(Clone, Copy)]
pub struct LessonHooks {
    /// The lab's lesson, if it has one.
    pub lesson: Option<Lesson>,
    /// Lesson or sandbox.
    pub mode: RwSignal<Mode>,
    /// Current lesson step, 0-based.
    pub step: RwSignal<usize>,
    /// Messages about link values that were ignored.
    pub notices: RwSignal<Vec<String>>,
    /// Enters a step: loads its preset.
    pub on_enter_step: Callback<usize>,
    /// A step's "Run it": its preset, then its actions (queued while the lab is busy).
    pub on_run_step: Callback<usize>,
    /// Looks up a goal subject (`metric:<name>`, `param:<key>`), tracked.
    pub lookup: Callback<String, Option<f64>>,
    /// Whether the lab is busy (a placement, a fast-forward): its numbers are not final, so a
    /// goal is not judged meanwhile (tracked).
    pub busy: Signal<bool>,
    /// The lab's simulated time, seconds (tracked): a shared link's `until`, the export's rows.
    pub clock: Signal<f64>,
}

impl LessonHooks {
    /// The step the learner is on, in lesson mode (`None` in sandbox mode or without a lesson);
    /// tracked.
    pub fn current_step(&self) -> Option<crate::lessons::Step> {
        let in_lesson = self.mode.get() == Mode::Lesson;
        let i = self.step.get();
        in_lesson
            .then(|| self.lesson.and_then(|l| l.steps.get(i)).copied())
            .flatten()
    }

    /// Hooks from plain callbacks, for a lesson player mounted without a lab (the browser test):
    /// running a step enters it and then runs its actions one by one; never busy.
    pub fn from_callbacks(
        lesson: Option<Lesson>,
        mode: RwSignal<Mode>,
        step: RwSignal<usize>,
        notices: RwSignal<Vec<String>>,
        on_enter_step: Callback<usize>,
        on_action: Callback<String>,
        lookup: Callback<String, Option<f64>>,
    ) -> Self {
        let on_run_step = Callback::new(move |i: usize| {
            on_enter_step.run(i);
            for a in lesson.and_then(|l| l.steps.get(i)).map_or(&[][..], |s| s.actions) {
                on_action.run(a.to_string());
            }
        });
        Self {
            lesson,
            mode,
            step,
            notices,
            on_enter_step,
            on_run_step,
            lookup,
            busy: Signal::derive(|| false),
            clock: Signal::derive(|| 0.0),
        }
    }
}

/// A booted lab: its driver and the page state around it. `Copy`.
pub struct Kit<C: LabController> {
    /// The controller, transport and action queue.
    pub driver: Driver<C>,
    /// Current lesson step, 0-based.
    pub step: RwSignal<usize>,
    /// Lesson or sandbox.
    pub mode: RwSignal<Mode>,
    /// Messages about link values that were ignored.
    pub notices: RwSignal<Vec<String>>,
}

impl<C: LabController> Clone for Kit<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: LabController> Copy for Kit<C> {}

impl<C: LabController> Kit<C> {
    /// The lab's controller.
    pub fn lab(&self) -> C {
        self.driver.lab
    }

    /// The hooks `LabPage` and the lesson player take.
    pub fn hooks(&self) -> LessonHooks {
        let driver = self.driver;
        let lab = driver.lab;
        LessonHooks {
            lesson: driver.lesson,
            mode: self.mode,
            step: self.step,
            notices: self.notices,
            on_enter_step: Callback::new(move |i| driver.enter_step(i)),
            on_run_step: Callback::new(move |i| driver.run_step(i)),
            lookup: Callback::new(move |subject: String| lab.lookup(&subject)),
            busy: Signal::derive(move || driver.busy()),
            clock: Signal::derive(move || lab.clock_secs()),
        }
    }
}

/// Boots lab `C` on the current page: the setup is the defaults with the URL's seed, then the
/// starting step's preset (lesson mode), then the URL's values, each validated (a refused value
/// keeps its default and becomes a notice). Then the URL follows the lab's state, the frame loop
/// runs while the lab plays, is busy or has actions waiting, and a pause publishes the latest
/// state.
/// `lesson` is the lab's lesson (its id is the lab's slug).
pub fn use_lab<C: LabController>(lesson: &'static Lesson) -> Kit<C> {
    let lesson = Some(*lesson);
    let mut scratch = C::base(1);
    let boot = Boot::read(lesson.as_ref(), |key, raw| C::set(&mut scratch, key, raw));
    let (lab, notices) = open_lab::<C>(&boot, lesson.as_ref());
    let driver = Driver::new(lab, lesson);
    let kit = Kit {
        driver,
        step: RwSignal::new(boot.step),
        mode: RwSignal::new(boot.common.mode),
        notices: RwSignal::new(notices),
    };

    let pairs = move || {
        let mut pairs = lab.url_pairs();
        pairs.extend(lab.inputs_query().map(|inputs| ("inputs", inputs)));
        pairs
    };
    follow_in_url(pairs, move || lab.seed(), kit.step, kit.mode);

    let active = Signal::derive(move || driver.active());
    publish_when_stopped(active, move || lab.publish());
    use_frame_loop(active, move |dt_ms| driver.frame(dt_ms));
    kit
}

/// The lab a page opens with, and the notices for what its link asked in vain: built from
/// [`boot_setup`] and the settings the link's `inputs` started the run with, then the rest of the
/// inputs to replay and the fast-forward to `until`.
pub fn open_lab<C: LabController>(boot: &Boot, lesson: Option<&Lesson>) -> (C, Vec<String>) {
    let mut setup = boot_setup::<C>(boot, lesson);
    let mut notices = boot.notices.clone();
    let inputs = boot.common.inputs.as_deref().and_then(|raw| {
        if !C::TIMELINE {
            notices.push("inputs ignored: this lab has no timeline".into());
            return None;
        }
        let actions: Vec<&'static str> = <C::Action as super::LabAction>::NAMES.iter().map(|(n, _)| *n).collect();
        let parsed = super::rewind::parse(
            raw,
            MAX_UNTIL_SECS,
            |key, raw| C::set(&mut C::base(1), key, raw),
            &actions,
        );
        notices.extend(parsed.notices);
        for (key, raw) in &parsed.start {
            let _ = C::set(&mut setup, key, raw);
        }
        Some(parsed.tape)
    });
    let lab = C::new(setup);
    if let Some(tape) = inputs {
        lab.load_tape(tape);
    }
    if let Some(until) = boot.common.until {
        lab.fast_forward_to(until);
    }
    (lab, notices)
}

/// The setup a lab opens with: the defaults with the URL's seed, the starting step's preset (in
/// lesson mode), then the URL's values on top, so a shared link always wins.
pub fn boot_setup<C: LabController>(boot: &Boot, lesson: Option<&Lesson>) -> C::Setup {
    let mut setup = C::base(boot.seed());
    for &(key, raw) in boot.preset(lesson).into_iter().flatten() {
        let _ = C::set(&mut setup, key, raw);
    }
    boot.apply(|key, raw| C::set(&mut setup, key, raw));
    setup
}

/// The transport bar wired to a lab: play/pause, step, speed, reset (drops queued actions) and
/// the seed.
#[component]
pub fn LabTransport<C: LabController>(
    /// The booted lab.
    kit: Kit<C>,
) -> impl IntoView {
    let driver = kit.driver;
    let lab = driver.lab;
    view! {
        <Transport
            state=driver.transport
            sim_time=Signal::derive(move || lab.clock_secs())
            on_step=Callback::new(move |_| driver.step())
            on_reset=Callback::new(move |_| driver.act(super::Action::Reset))
            seed=Signal::derive(move || lab.seed())
            on_seed=Callback::new(move |raw: String| lab.set_seed(&raw))
            step_label=C::step_label()
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::cache::state::CacheState;
    use crate::lessons;

    /// A boot from `query` on lesson step `step` (no lesson given to `from_pairs`: no storage).
    fn boot(query: &[(&str, &str)], step: usize) -> Boot {
        let pairs = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut scratch = CacheState::base(1);
        let mut boot = Boot::from_pairs(pairs, None, |k, raw| CacheState::set(&mut scratch, k, raw));
        boot.step = step;
        boot
    }

    #[test]
    fn a_lab_opens_with_defaults_then_the_step_preset_then_the_url() {
        let lesson = Some(&lessons::CACHE);
        let on_step = boot_setup::<CacheState>(&boot(&[("capacity", "321"), ("seed", "9")], 1), lesson);
        assert_eq!(on_step.capacity, 321, "the URL wins over the preset");
        assert_eq!(on_step.keys, 1000, "the step's preset applies");
        assert_eq!(on_step.seed, 9, "the URL's seed");
        let sandbox = boot_setup::<CacheState>(&boot(&[("mode", "sandbox"), ("capacity", "bogus")], 1), lesson);
        assert_eq!(
            sandbox,
            CacheState::base(1),
            "no preset in sandbox, a bad value is ignored"
        );
        let step = Driver::<CacheState>::step_setup(lesson, 1, 9);
        assert_eq!((step.keys, step.capacity, step.seed), (1000, 900, 9));
        assert_eq!(
            Driver::<CacheState>::step_setup(lesson, 99, 9),
            CacheState::base(9),
            "no such step: the defaults"
        );
    }
}
