//! Scenarios: their types, loading from TOML (and CSV files beside it), validation with
//! diagnostics that point into the source, the built-in scenarios, and the mapping of a scenario
//! onto each engine's input type.
//!
//! Brief overview: [`load::load_file`] reads a file into a [`load::Loaded`] scenario (the typed
//! [`scenario::Scenario`], valid by construction, with its source text) or returns every problem
//! as [`diag::Diagnostics`]; [`validate`] holds the checks; [`builtin`] the embedded scenarios;
//! [`figures`] evaluates derived figures; [`formats`] reads the peers' native formats; [`lens`]
//! turns a scenario into each engine's input.
#![deny(missing_docs)]

pub mod builtin;
pub mod coherence;
pub mod diag;
pub mod figures;
pub mod formats;
pub mod lens;
pub mod load;
pub mod scenario;
pub mod updates;
pub mod validate;
