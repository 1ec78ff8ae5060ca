//! `statecraft new`: write a scenario file to start from.

use std::path::PathBuf;

use clap::Args;
use miette::miette;
use model::builtin::{self, BUILTINS};

use crate::args::Global;
use crate::failure::Failure;
use crate::output::write_atomically;

/// Arguments of `statecraft new`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  statecraft new my-scenario.toml --from korea-2024\n  statecraft check my-scenario.toml"
)]
pub struct NewArgs {
    /// The file to write.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The built-in scenario to copy.
    #[arg(long, default_value = "korea-2024", value_name = "NAME")]
    pub from: String,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Writes a copy of a built-in scenario to FILE, atomically; never overwrites without `--force`.
pub fn run(global: &Global, args: &NewArgs) -> Result<(), Failure> {
    let Some(b) = builtin::find(&args.from) else {
        let names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
        return Err(Failure::bad_input(miette!(
            help = format!("the built-in scenarios are: {}", names.join(", ")),
            "no built-in scenario called `{}`",
            args.from
        )));
    };
    if args.file.exists() && !args.force {
        return Err(Failure::bad_input(miette!(
            help = "choose another name, or pass --force to overwrite it",
            "{} already exists",
            args.file.display()
        )));
    }
    write_atomically(&args.file, b.text.as_bytes())?;
    if !global.quiet {
        eprintln!(
            "wrote {} (a copy of {}); edit it, then run `statecraft check {}`",
            args.file.display(),
            b.name,
            args.file.display()
        );
    }
    Ok(())
}
