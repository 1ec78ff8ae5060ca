//! Placeholder: `statecraft bargain` lands here.

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft bargain`.
#[derive(Debug, Args)]
pub struct BargainArgs {}

/// Runs `statecraft bargain`.
pub fn run(_global: &Global, _args: &BargainArgs) -> Result<(), Failure> {
    Err(Failure::analysis(miette!("the bargain lens is not built yet")))
}
