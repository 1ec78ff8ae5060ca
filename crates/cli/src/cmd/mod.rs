//! One module per subcommand, each with its clap arguments and a `run` function.

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod check;
pub mod cib;
pub mod games;
pub mod list;
pub mod new;
pub mod run;
pub mod show;

use clap::{Args, Command, FromArgMatches};
use miette::miette;

use crate::args::{Format, Global};
use crate::failure::Failure;

/// A lens's arguments with every option at its default, for `statecraft run`, which shows each
/// lens as a plain `statecraft LENS SCENARIO` would. The defaults come from the lens's own clap
/// definitions, so they cannot drift apart.
pub fn defaults<A: Args + FromArgMatches>(
    lens: &str,
    scenario: Option<&str>,
    options: &[&str],
) -> Result<A, Failure> {
    let argv = std::iter::once(lens).chain(scenario).chain(options.iter().copied());
    A::augment_args(Command::new("statecraft"))
        .try_get_matches_from(argv)
        .and_then(|m| A::from_arg_matches(&m))
        .map_err(|e| Failure::analysis(miette!("cannot set up the {lens} lens: {e}")))
}

/// Terminal output with warnings silenced: `run` has already shown the scenario's warnings once.
pub fn quiet_table() -> Global {
    Global { format: Format::Table, output: None, quiet: true }
}
