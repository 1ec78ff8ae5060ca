//! Placeholder: `statecraft games` lands here.

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft games`.
#[derive(Debug, Args)]
pub struct GamesArgs {}

/// Runs `statecraft games`.
pub fn run(_global: &Global, _args: &GamesArgs) -> Result<(), Failure> {
    Err(Failure::analysis(miette!("the games lens is not built yet")))
}
