//! The lab kit: what makes a lab a lab, written once.
//!
//! A lab is a core model (in `scalelab-sim`), a controller that implements [`LabController`]
//! (`src/labs/<lab>/state.rs`), a folder of views, a lesson file (`src/lessons/<lab>.json`) and
//! one entry in the registry (`src/labs/mod.rs`). The kit does the rest for every lab:
//!
//! - [`action`]: typed actions, named for the lesson files, with the transport's own;
//! - [`controller`]: the contract a lab's controller implements;
//! - [`driver`]: transport, action queue (nothing pressed while the lab is busy is lost) and
//!   lesson steps, usable natively;
//! - [`paced`]: the controller shared by labs on a simulated clock (`PacedRun<Model>`, with the
//!   lab's `PacedLab` impl saying what differs);
//! - [`shell`]: the page side: boot from the URL, URL following, frame loop, transport, lesson
//!   hooks;
//! - [`background`]: work sliced across frames with its progress (a comparison);
//! - [`rewind`]: the run's inputs with their simulated times, replayed from the seed to show
//!   any earlier moment (the timeline) and carried in the URL;
//! - [`entry`]: a lab's entry point, its page in a wasm piece of its own (`lab_entry!`);
//! - `lesson_check` (tests only): runs every lesson step through its lab and checks the facts the
//!   step states.

pub mod action;
pub mod background;
pub mod controller;
pub mod driver;
pub mod entry;
#[cfg(test)]
pub mod lesson_check;
pub mod paced;
pub mod rewind;
#[cfg(test)]
mod rewind_check;
pub mod shell;

pub use action::{Action, LabAction, NoAction};
pub use background::{use_background, Background, CompareRunBar, SlicedJob};
pub use controller::LabController;
pub use driver::Driver;
pub use entry::{LabLoader, LoadError};
pub use paced::{AfterFastForward, PacedLab, PacedRun, RunPanel};
pub use shell::{use_lab, Kit, LabTransport, LessonHooks};
