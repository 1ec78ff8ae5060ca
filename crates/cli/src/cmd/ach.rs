//! Placeholder: `statecraft ach` lands here.

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft ach`.
#[derive(Debug, Args)]
pub struct AchArgs {}

/// Runs `statecraft ach`.
pub fn run(_global: &Global, _args: &AchArgs) -> Result<(), Failure> {
    Err(Failure::analysis(miette!("the ach lens is not built yet")))
}
