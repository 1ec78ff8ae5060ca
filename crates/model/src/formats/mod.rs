//! The peers' native file formats, each read from text into an engine input (and written back),
//! so studies move between statecraft and ScenarioWizard, Gambit, pgmpy/GeNIe, PARC ACH, LIPSOR
//! and KTAB. Readers take `&str`; the caller does the file I/O.

pub mod ach_csv;
pub mod bargain_csv;
pub mod bif;
pub mod matrix_csv;
pub mod nfg;
pub mod scw;
pub mod xmlbif;
