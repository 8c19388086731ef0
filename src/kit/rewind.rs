//! Rewind: a run's inputs recorded with their simulated times, so any earlier moment can be
//! rebuilt by replaying them from the seed.
//!
//! The core is deterministic and stepping it in any slices gives the same run, so a run is its
//! start config, its seed and the [`Tape`] of what the learner did: settings changed live, the
//! lab's own actions (faults, button presses) and the counters a warm-up restarted. A paced
//! lab's controller ([`super::PacedRun`]) records every input here, replays the tape to reach an
//! earlier time, and applies an input still ahead on the tape when its clock gets there. The
//! tape travels in the URL's `inputs` value (`30:kill_instance;120:target=50`), so a shared link
//! reproduces the whole run, faults included.

use scalelab_sim::engine::time::{from_secs, to_secs, SimTime, MICROS_PER_SEC};
use scalelab_sim::ConfigError;

/// Most inputs a link may carry (more are ignored with a notice).
pub const MAX_INPUTS: usize = 1_000;

/// Longest `inputs` value a link may carry, in characters.
pub const MAX_INPUTS_CHARS: usize = 40_000;

/// The kit's own input: the counters a warm-up restarted when it ended.
pub const RESTART_COUNTERS: &str = "restart_counters";

/// One thing the learner (or a warm-up) did to the run.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A setting changed live: its key and the raw value the model accepted.
    Set(String, String),
    /// One of the lab's own actions, by its lesson name (`kill_instance`).
    Act(&'static str),
    /// The counters restarted (the end of a warm-up).
    RestartCounters,
}

impl Change {
    /// How the change is written in the URL: `key=value`, the action's name, or
    /// `restart_counters`.
    fn encode(&self) -> String {
        match self {
            Change::Set(key, value) => format!("{key}={value}"),
            Change::Act(name) => (*name).to_string(),
            Change::RestartCounters => RESTART_COUNTERS.to_string(),
        }
    }
}

/// A change at a simulated time.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// When it happened (µs of simulated time).
    pub at: SimTime,
    /// What happened.
    pub change: Change,
}

/// The recorded inputs of one run, oldest first, and how far the run has replayed them.
///
/// After a rewind the run is rebuilt from time zero and the inputs are applied again as the clock
/// reaches them; an input the learner makes meanwhile branches the run: the inputs not yet
/// replayed are dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tape {
    /// Every input of the run, by time (ties in the order they happened).
    inputs: Vec<Input>,
    /// How many of them the current run has applied.
    applied: usize,
    /// The furthest simulated time the run reached before its latest rewind (µs), or the time
    /// of its latest input: the timeline reaches at least this far.
    end: SimTime,
    /// Where a rewind is replaying the run to (µs), until it gets there: a setting changed
    /// meanwhile belongs to that moment.
    pub aim: Option<SimTime>,
}

impl Tape {
    /// A tape of `inputs` (sorted by time here) that the run has yet to apply, as a link gives.
    pub fn pending(mut inputs: Vec<Input>) -> Self {
        inputs.sort_by_key(|i| i.at);
        let end = inputs.last().map_or(0, |i| i.at);
        Self {
            inputs,
            applied: 0,
            end,
            aim: None,
        }
    }

    /// Every input, oldest first.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// How many inputs the current run has applied.
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// The furthest time the timeline must reach (µs): the run's end before its latest rewind,
    /// or its latest input.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Records `change` made at `at`. Inputs still ahead (left by a rewind) are dropped: the run
    /// branches here.
    /// The same setting given the same value twice at one moment (a field's Enter, then its
    /// change event) is one input: the second changes nothing.
    pub fn record(&mut self, at: SimTime, change: Change) {
        self.inputs.truncate(self.applied);
        let again = self
            .inputs
            .last()
            .is_some_and(|last| last.at == at && last.change == change);
        if again && matches!(change, Change::Set(..)) {
            return;
        }
        self.inputs.push(Input { at, change });
        self.applied = self.inputs.len();
        self.end = at;
    }

    /// Records `change` for `at`, ahead of a run that is replaying towards it: the inputs still
    /// ahead of `at` are dropped (the run branches there), those up to it stay to be replayed.
    pub fn record_ahead(&mut self, at: SimTime, change: Change) {
        let keep = self.applied + self.inputs[self.applied..].iter().take_while(|i| i.at <= at).count();
        self.inputs.truncate(keep);
        self.inputs.push(Input { at, change });
        self.end = at;
    }

    /// The next input still to apply, if it is due at `now`.
    pub fn due(&self, now: SimTime) -> Option<&Change> {
        self.inputs.get(self.applied).filter(|i| i.at <= now).map(|i| &i.change)
    }

    /// Marks the next input applied.
    pub fn advance(&mut self) {
        self.applied = (self.applied + 1).min(self.inputs.len());
    }

    /// When the next input still to apply is due (µs), if any.
    pub fn next_at(&self) -> Option<SimTime> {
        self.inputs.get(self.applied).map(|i| i.at)
    }

    /// The run restarts from time zero to replay the tape; `reached` is where it was (µs).
    pub fn rewind(&mut self, reached: SimTime) {
        self.end = self.end.max(reached);
        self.applied = 0;
    }

    /// The URL's `inputs` value (`None` without inputs): first `0:key=value` for every setting
    /// whose value at the start (`start`) differs from its value now (`now`): a link carries the
    /// settings of the moment it was copied in its keys, and the run's start in its inputs.
    /// Then the inputs.
    pub fn encode(&self, start: &[(&'static str, String)], now: &[(&'static str, String)]) -> Option<String> {
        if self.inputs.is_empty() {
            return None;
        }
        let value =
            |pairs: &[(&'static str, String)], key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        let mut keys: Vec<&str> = start.iter().chain(now).map(|(k, _)| *k).collect();
        keys.dedup();
        let mut seen = Vec::new();
        let mut starts = Vec::new();
        for key in keys {
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let was = value(start, key);
            if was != value(now, key) {
                starts.push(format!("0:{key}={}", was.unwrap_or_default()));
            }
        }
        let inputs = self
            .inputs
            .iter()
            .map(|i| format!("{}:{}", secs_text(i.at), i.change.encode()));
        Some(starts.into_iter().chain(inputs).collect::<Vec<_>>().join(";"))
    }
}

/// Simulated time as the URL writes it: seconds, exact to the microsecond, no trailing zeros.
pub fn secs_text(t: SimTime) -> String {
    let (whole, micros) = (t / MICROS_PER_SEC, t % MICROS_PER_SEC);
    if micros == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{micros:06}").trim_end_matches('0').to_string()
    }
}

/// A link's inputs, read and validated.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    /// The settings the run started with (the leading `0:key=value` entries): applied to the
    /// setup before the run is built.
    pub start: Vec<(String, String)>,
    /// The rest, to replay.
    pub tape: Tape,
    /// One message per entry ignored.
    pub notices: Vec<String>,
}

/// Reads a link's `inputs` value: `time:change` entries separated by `;`, each time in
/// simulated seconds from 0 to `max_secs`, each change a setting (`key=value`, checked with
/// `check` as a URL value is), one of `actions` (lesson names) or `restart_counters`. An entry
/// that is not valid is ignored with a notice; the rest keep their order by time.
pub fn parse(
    raw: &str,
    max_secs: f64,
    mut check: impl FnMut(&str, &str) -> Option<Result<(), ConfigError>>,
    actions: &[&'static str],
) -> Parsed {
    let mut parsed = Parsed::default();
    if raw.len() > MAX_INPUTS_CHARS {
        parsed
            .notices
            .push(format!("inputs ignored: longer than {MAX_INPUTS_CHARS} characters"));
        return parsed;
    }
    let mut inputs = Vec::new();
    let mut leading = true;
    for entry in raw.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        if inputs.len() >= MAX_INPUTS {
            parsed
                .notices
                .push(format!("inputs: only the first {MAX_INPUTS} are replayed"));
            break;
        }
        match parse_entry(entry, max_secs, &mut check, actions) {
            Ok((0, Change::Set(key, value))) if leading => parsed.start.push((key, value)),
            Ok((at, change)) => {
                leading = false;
                inputs.push(Input { at, change });
            }
            Err(why) => parsed.notices.push(format!(
                "inputs: \u{201c}{}\u{201d} ignored: {why}",
                crate::components::url_state::shorten(entry)
            )),
        }
    }
    parsed.tape = Tape::pending(inputs);
    parsed
}

fn parse_entry(
    entry: &str,
    max_secs: f64,
    check: &mut impl FnMut(&str, &str) -> Option<Result<(), ConfigError>>,
    actions: &[&'static str],
) -> Result<(SimTime, Change), String> {
    let Some((time, what)) = entry.split_once(':') else {
        return Err("write time:change, e.g. 30:kill_instance".into());
    };
    let secs = time.trim().parse::<f64>().ok().filter(|s| s.is_finite());
    let Some(secs) = secs.filter(|s| (0.0..=max_secs).contains(s)) else {
        return Err(format!("the time must be simulated seconds from 0 to {max_secs}"));
    };
    let at = from_secs(secs);
    let what = what.trim();
    if let Some((key, value)) = what.split_once('=') {
        let key = key.trim();
        return match check(key, value) {
            Some(Ok(())) => Ok((at, Change::Set(key.to_string(), value.to_string()))),
            Some(Err(e)) => Err(e.message),
            None => Err(format!("{key} is not a setting of this lab")),
        };
    }
    if what == RESTART_COUNTERS {
        return Ok((at, Change::RestartCounters));
    }
    match actions.iter().find(|name| **name == what) {
        Some(name) => Ok((at, Change::Act(name))),
        None => Err("not an action of this lab".into()),
    }
}

/// One labelled event on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// When, in simulated seconds.
    pub at_secs: f64,
    /// What happened, in words.
    pub label: String,
    /// Whether the current run has not reached it yet (ahead of a rewind).
    pub ahead: bool,
}

/// The tape's inputs as timeline markers; `label` words a change.
pub fn markers(tape: &Tape, label: impl Fn(&Change) -> String) -> Vec<Marker> {
    tape.inputs
        .iter()
        .enumerate()
        .map(|(i, input)| Marker {
            at_secs: to_secs(input.at),
            label: label(&input.change),
            ahead: i >= tape.applied,
        })
        .collect()
}

/// A change in words: an action's name as words, a setting as `label → value unit`.
pub fn describe(change: &Change, setting: impl Fn(&str) -> Option<(&'static str, &'static str)>) -> String {
    match change {
        // Action names are ASCII snake_case: ASCII case keeps Unicode's case tables out of the
        // wasm.
        Change::Act(name) => {
            let mut words = name.replace('_', " ");
            if let Some(first) = words.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            words
        }
        Change::RestartCounters => "Counters restarted".into(),
        Change::Set(key, value) => match setting(key) {
            // A unit in words ("metric's unit") reads badly after a number: left out.
            Some((label, unit)) if unit.is_empty() || unit.contains(' ') => format!("{label} \u{2192} {value}"),
            Some((label, unit)) => format!("{label} \u{2192} {value} {unit}"),
            None => format!("{key} \u{2192} {value}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(key: &str, value: &str) -> Option<Result<(), ConfigError>> {
        (key == "target").then(|| match value.parse::<f64>() {
            Ok(v) if (1.0..=100.0).contains(&v) => Ok(()),
            _ => Err(ConfigError::new("target", "must be from 1 to 100")),
        })
    }

    const ACTIONS: &[&str] = &["kill_instance", "spike_now"];

    fn secs(s: f64) -> SimTime {
        from_secs(s)
    }

    #[test]
    fn a_link_reads_as_start_settings_then_inputs_by_time() {
        let p = parse(
            "0:target=70;120:target=50;30:kill_instance;45.5:restart_counters",
            1e5,
            check,
            ACTIONS,
        );
        assert!(p.notices.is_empty(), "{:?}", p.notices);
        assert_eq!(p.start, vec![("target".to_string(), "70".to_string())]);
        let at: Vec<SimTime> = p.tape.inputs().iter().map(|i| i.at).collect();
        assert_eq!(at, vec![secs(30.0), secs(45.5), secs(120.0)]);
        assert_eq!(p.tape.inputs()[0].change, Change::Act("kill_instance"));
        assert_eq!(p.tape.inputs()[1].change, Change::RestartCounters);
        assert_eq!(p.tape.applied(), 0);
        assert_eq!(p.tape.end(), secs(120.0));
    }

    #[test]
    fn hostile_entries_are_ignored_with_a_notice_and_the_rest_kept() {
        let p = parse(
            "x:kill_instance;-1:kill_instance;NaN:spike_now;1e999:spike_now;5:rm -rf;6:target=999;7:nodes=3;8;9:spike_now;;",
            1e5,
            check,
            ACTIONS,
        );
        assert_eq!(p.notices.len(), 8, "{:?}", p.notices);
        assert_eq!(p.tape.inputs().len(), 1);
        assert_eq!(p.tape.inputs()[0].change, Change::Act("spike_now"));
        assert!(p.notices[5].contains("must be from 1 to 100"), "{}", p.notices[5]);
        let long = "1:spike_now;".repeat(MAX_INPUTS_CHARS / 12 + 1);
        let p = parse(&long, 1e5, check, ACTIONS);
        assert!(p.tape.inputs().is_empty() && p.notices.len() == 1);
        let many = "1:spike_now;".repeat(MAX_INPUTS + 5);
        let p = parse(&many, 1e5, check, ACTIONS);
        assert_eq!((p.tape.inputs().len(), p.notices.len()), (MAX_INPUTS, 1));
    }

    #[test]
    fn a_setting_at_zero_after_an_action_is_an_input_not_a_start() {
        let p = parse("0:kill_instance;0:target=50", 1e5, check, ACTIONS);
        assert!(p.start.is_empty());
        assert_eq!(p.tape.inputs().len(), 2);
    }

    #[test]
    fn inputs_write_back_as_they_read_exact_to_the_microsecond() {
        let mut tape = Tape::default();
        tape.record(30_016_667, Change::Act("kill_instance"));
        tape.record(secs(120.0), Change::Set("target".into(), "50".into()));
        tape.record(secs(120.0), Change::Set("target".into(), "50".into()));
        let start = [("target", "70".to_string()), ("servers", "3".to_string())];
        let now = [("target", "50".to_string()), ("servers", "3".to_string())];
        let text = tape.encode(&start, &now);
        assert_eq!(
            text.as_deref(),
            Some("0:target=70;30.016667:kill_instance;120:target=50")
        );
        let back = parse(text.as_deref().unwrap_or(""), 1e5, check, ACTIONS);
        assert_eq!(back.tape.inputs(), tape.inputs());
        assert_eq!(Tape::default().encode(&start, &now), None);
        assert_eq!(secs_text(1), "0.000001");
        assert_eq!(secs_text(2_500_000), "2.5");
    }

    #[test]
    fn a_rewind_replays_the_tape_and_a_new_input_branches_the_run() {
        let mut tape = Tape::default();
        tape.record(secs(10.0), Change::Act("spike_now"));
        tape.record(secs(20.0), Change::Act("kill_instance"));
        tape.rewind(secs(30.0));
        assert_eq!(tape.end(), secs(30.0));
        assert_eq!(tape.due(secs(5.0)), None);
        assert_eq!(tape.next_at(), Some(secs(10.0)));
        assert_eq!(tape.due(secs(10.0)), Some(&Change::Act("spike_now")));
        tape.advance();
        let marks = markers(&tape, |c| describe(c, |_| None));
        assert_eq!(marks.len(), 2);
        assert_eq!((marks[0].ahead, marks[1].ahead), (false, true));
        assert_eq!(marks[1].label, "Kill instance");
        let mut ahead = tape.clone();
        ahead.record_ahead(secs(25.0), Change::Set("target".into(), "40".into()));
        assert_eq!(ahead.inputs().len(), 3, "the kill at 20 s stays to be replayed");
        assert_eq!(ahead.next_at(), Some(secs(20.0)));
        ahead.record_ahead(secs(15.0), Change::Set("target".into(), "45".into()));
        assert_eq!(ahead.inputs().len(), 2, "what came after 15 s is gone");
        assert_eq!((ahead.end(), ahead.next_at()), (secs(15.0), Some(secs(15.0))));
        tape.record(secs(15.0), Change::Set("target".into(), "60".into()));
        assert_eq!(tape.inputs().len(), 2, "the kill at 20 s was dropped");
        assert_eq!(tape.next_at(), None);
        assert_eq!(tape.end(), secs(15.0), "the future past the branch is gone");
    }

    #[test]
    fn changes_read_as_words() {
        let set = Change::Set("target".into(), "50".into());
        assert_eq!(
            describe(&set, |_| Some(("Target CPU", "%"))),
            "Target CPU \u{2192} 50 %"
        );
        assert_eq!(describe(&Change::RestartCounters, |_| None), "Counters restarted");
    }
}
