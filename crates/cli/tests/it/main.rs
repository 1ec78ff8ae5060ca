//! The CLI's integration tests: one binary, one module per area (as ripgrep's `tests/tests.rs`).
//! Each test runs the real `statecraft` binary and compares its whole output with a snapshot.

mod bad;
mod commands;
mod tidy;
mod util;
