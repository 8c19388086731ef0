//! Typed lab actions: what a lesson's "Run it" and a lab's buttons ask the lab to do.
//!
//! Lessons name actions as strings (`"add_node"`, `"play"`); each lab lists its own in one table
//! ([`LabAction::NAMES`]) and the kit adds the transport's ([`Action`]). A name no table knows is
//! refused by [`Action::parse`], and the native lesson test fails on it, so a lesson cannot ask
//! for an action its lab does not have.

use std::fmt::Debug;

/// A lab's own actions (faults, membership changes, warm-ups), named for the lesson files.
pub trait LabAction: Copy + Debug + PartialEq + Send + Sync + 'static {
    /// Every action with its lesson name (snake_case), e.g. `("add_node", RingAction::AddNode)`.
    const NAMES: &'static [(&'static str, Self)];
}

/// Any action a page or lesson can ask for: the transport's, or the lab's own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action<A: LabAction> {
    /// Start the clock.
    Play,
    /// Stop the clock.
    Pause,
    /// Restart the run from time zero with the same settings and seed.
    Reset,
    /// One of the lab's own actions.
    Lab(A),
}

impl<A: LabAction> Action<A> {
    /// The transport's actions, by lesson name.
    pub const TRANSPORT: &'static [(&'static str, Action<A>)] = &[
        ("play", Action::Play),
        ("pause", Action::Pause),
        ("reset", Action::Reset),
    ];

    /// The action a lesson names, or `None` for a name neither the transport nor the lab knows.
    pub fn parse(name: &str) -> Option<Self> {
        Self::TRANSPORT
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| *a)
            .or_else(|| A::NAMES.iter().find(|(n, _)| *n == name).map(|(_, a)| Action::Lab(*a)))
    }
}

/// For labs without actions of their own (the transport's are enough).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoAction {}

impl LabAction for NoAction {
    const NAMES: &'static [(&'static str, Self)] = &[];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Demo {
        Crash,
    }

    impl LabAction for Demo {
        const NAMES: &'static [(&'static str, Self)] = &[("crash", Demo::Crash)];
    }

    #[test]
    fn names_parse_to_transport_or_lab_actions_and_unknown_names_are_refused() {
        assert_eq!(Action::<Demo>::parse("play"), Some(Action::Play));
        assert_eq!(Action::<Demo>::parse("reset"), Some(Action::Reset));
        assert_eq!(Action::<Demo>::parse("crash"), Some(Action::Lab(Demo::Crash)));
        assert_eq!(Action::<Demo>::parse("crash_cache"), None);
        assert_eq!(Action::<NoAction>::parse("crash"), None);
        assert_eq!(Action::<NoAction>::parse("pause"), Some(Action::Pause));
    }
}
