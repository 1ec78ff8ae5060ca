//! The command line as clap parses it: plain structs, checked later by each subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;

/// Turn a geopolitical argument into a model you can inspect, test and re-run.
#[derive(Debug, Parser)]
#[command(name = "statecraft", version, about, propagate_version = true)]
pub struct Cli {
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the result to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print nothing on standard error but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// Output formats. Not every subcommand writes every format; one that does not says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables and sentences for the terminal.
    Table,
    /// A stable, documented JSON document for scripts.
    Json,
    /// Comma-separated values.
    Csv,
    /// A Markdown report.
    Md,
    /// A self-contained HTML report.
    Html,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a scenario through every lens and answer its question (default: korea-2024).
    Run(cmd::run::RunArgs),
    /// Check scenario files and print every problem found.
    Check(cmd::check::CheckArgs),
    /// Summarise a scenario: its question, actors, issues, hypotheses, drivers and figures.
    Show(cmd::show::ShowArgs),
    /// List the built-in scenarios.
    List(cmd::list::ListArgs),
    /// Write a scenario file to start from (a copy of a built-in).
    New(cmd::new::NewArgs),
    /// Analysis of Competing Hypotheses: rank hypotheses against the evidence.
    Ach(cmd::ach::AchArgs),
    /// MACTOR actor strategies and MICMAC structural analysis.
    Actors(cmd::actors::ActorsArgs),
    /// Where contested issues settle: weighted mean, expected utility, spatial model.
    Bargain(cmd::bargain::BargainArgs),
    /// Bayesian network and influence diagram: probabilities, decisions, value of information.
    Bayes(cmd::bayes::BayesArgs),
    /// Cross-Impact Balance: which futures are self-consistent.
    Cib(cmd::cib::CibArgs),
    /// Nash equilibria of normal-form games.
    Games(cmd::games::GamesArgs),
    /// How robust the answer is: every uncertain judgment redrawn, with Sobol indices.
    Ensemble(cmd::ensemble::EnsembleArgs),
}
