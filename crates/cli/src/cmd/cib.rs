//! Placeholder: `statecraft cib` lands here.

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft cib`.
#[derive(Debug, Args)]
pub struct CibArgs {}

/// Runs `statecraft cib`.
pub fn run(_global: &Global, _args: &CibArgs) -> Result<(), Failure> {
    Err(Failure::analysis(miette!("the cib lens is not built yet")))
}
