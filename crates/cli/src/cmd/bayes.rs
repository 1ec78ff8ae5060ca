//! Placeholder: `statecraft bayes` lands here.

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft bayes`.
#[derive(Debug, Args)]
pub struct BayesArgs {}

/// Runs `statecraft bayes`.
pub fn run(_global: &Global, _args: &BayesArgs) -> Result<(), Failure> {
    Err(Failure::analysis(miette!("the bayes lens is not built yet")))
}
