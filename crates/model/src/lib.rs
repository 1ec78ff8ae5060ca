//! Scenarios: their types, loading from TOML (and CSV files beside it), validation with
//! diagnostics that point into the source, the built-in scenarios, and the mapping of a scenario
//! onto each engine's input type.
//!
//! Brief overview:
//! - [`formats`]: readers and writers of the peers' native formats (ScenarioWizard `.scw`/`.sl`,
//!   Gambit `.nfg`, BIF/XMLBIF, ACH, actor and bargaining CSV), each producing an engine input.
//! - [`lens`]: one module per lens that turns a scenario into that lens's engine input.
#![deny(missing_docs)]

pub mod formats;
pub mod lens;
pub mod scenario;
