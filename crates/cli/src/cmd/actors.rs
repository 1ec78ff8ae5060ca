//! Placeholder: `statecraft actors` lands here.

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft actors`.
#[derive(Debug, Args)]
pub struct ActorsArgs {}

/// Runs `statecraft actors`.
pub fn run(_global: &Global, _args: &ActorsArgs) -> Result<(), Failure> {
    Err(Failure::analysis(miette!("the actors lens is not built yet")))
}
