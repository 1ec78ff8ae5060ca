//! The CLI's integration tests: one binary, one module per area (as ripgrep's `tests/tests.rs`).
//! Each test runs the real `statecraft` binary and compares its whole output with a snapshot.

// A test binary: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ach;
mod bad;
mod commands;
mod ensemble;
mod games;
mod glossary;
mod html;
mod ledger;
mod lenses;
mod living;
mod run;
mod samples;
mod save;
mod serve;
mod tidy;
mod util;
