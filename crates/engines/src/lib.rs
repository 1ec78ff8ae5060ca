//! The analytic lenses of statecraft, each a pure function from its own checked input type to
//! its own result type.
//!
//! Brief overview:
//! - [`ach`]: Analysis of Competing Hypotheses (Heuer), with Bayesian updating.
//! - [`actors`]: MACTOR actor strategies and MICMAC structural analysis (Godet).
//! - [`bargain`]: where a contested issue settles (weighted mean, expected utility, KTAB's spatial model).
//! - [`cib`]: Cross-Impact Balance analysis (Weimer-Jehle): which futures are self-consistent.
//! - [`bayes`]: exact inference on Bayesian networks and influence diagrams.
//! - [`games`]: Nash equilibria of normal-form games.
//! - [`budget`]: limits on the nodes, time and memory a long computation may use.
//! - [`sobol`]: Sobol global sensitivity indices (Saltelli's design, Jansen's estimators), in
//!   seeded work units that run on rayon.
//! - [`draw`]: seeded draws of uncertain judgments (uniform ranges, Dirichlet rows).
//! - [`estimative`]: the ICD 203 words of estimative probability ("likely", …) for any probability.
//! - [`score`]: scoring rules for probability forecasts (Brier, log, baseline), calibration
//!   tables and the Murphy decomposition.
//! - [`prec`]: the named numeric tolerances that every engine and test uses.
//!
//! Nothing here reads a file, parses a text format, or prints: a caller builds an engine's input
//! type (which checks itself in its constructor), calls the engine, and gets a plain result or a
//! `#[non_exhaustive]` error enum whose variants name the culprit by index. The `model` crate maps
//! a scenario onto these inputs and maps error indices back to places in the scenario file.
#![deny(missing_docs)]

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod budget;
pub mod cib;
pub mod draw;
pub mod estimative;
pub mod games;
pub mod prec;
pub mod score;
pub mod sobol;

#[cfg(test)]
mod properties;
