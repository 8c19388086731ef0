//! Integration tests of the simulation core, in one test binary.

mod engine;
mod hashring;
