//! The command line as clap parses it: plain structs, checked later by each subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use model::scenario::Date;

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
    /// Analyse the scenario as it stood on DATE (`YYYY-MM-DD`, or `latest` for its last
    /// update): apply the evidence, observations and revisions dated up to DATE. Default: the
    /// scenario's own `as_of`, its original judgments.
    #[arg(long = "as-of", global = true, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
}

/// The date `--as-of` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// A calendar date.
    Date(Date),
    /// The scenario's last update.
    Latest,
}

fn parse_as_of(s: &str) -> Result<AsOf, String> {
    if s.eq_ignore_ascii_case("latest") {
        return Ok(AsOf::Latest);
    }
    Date::parse(s).map(AsOf::Date).ok_or_else(|| {
        format!("`{s}` is not a calendar date: write YYYY-MM-DD (or YYYY-MM, YYYY), or `latest`")
    })
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
    /// The answer after each dated update: how the estimate moved, and which update moved it.
    Timeline(cmd::timeline::TimelineArgs),
    /// The after-action review: what was forecast, what happened, and what it teaches.
    Review(cmd::review::ReviewArgs),
    /// The workbench: a local web page to explore and edit scenarios with every lens live.
    Serve(cmd::serve::ServeArgs),
    /// How robust the answer is: every uncertain judgment redrawn, with Sobol indices.
    Ensemble(cmd::ensemble::EnsembleArgs),
    /// Record every probability the scenario issues in the forecast ledger.
    Forecast(cmd::forecast::ForecastArgs),
    /// Record what happened: the scenario's resolutions, or one given here.
    Resolve(cmd::resolve::ResolveArgs),
    /// Score the ledger's forecasts against their resolutions, or export what it holds.
    Score(cmd::score::ScoreArgs),
}
