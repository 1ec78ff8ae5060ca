//! `statecraft ach`: Analysis of Competing Hypotheses on an ACH matrix CSV.
//!
//! The arguments resolve in two steps: clap fills [`AchArgs`], then [`plan`] reads and checks the
//! matrix and turns the flags into [`engines::ach::AchOptions`]; [`run`] analyses and renders.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use engines::ach::{
    self, AchError, AchMatrix, AchOptions, BayesSettings, LikelihoodTable, Mode, Priors,
    Sensitivity, Timeline,
};
use miette::miette;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output;

const EXAMPLES: &str = "\
Examples:
  statecraft ach matrix.csv
  statecraft ach matrix.csv --mode bayes --sensitivity
  statecraft ach matrix.csv --timeline --as-of 2024-03-31 --format json
  statecraft ach matrix.csv --format csv -o copy.csv

The CSV header is `evidence,credibility,relevance[,date],<hypothesis ids...>`; each row is an
evidence item with High/Medium/Low weights, an optional YYYY-MM-DD date and one rating
(CC, C, N, I, II, NA) per hypothesis. See docs/ach.md for a worked example.";

/// Arguments of `statecraft ach`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AchArgs {
    /// The ACH matrix, a CSV file.
    #[arg(value_name = "FILE.csv")]
    pub input: Option<PathBuf>,
    /// The scoring rule.
    #[arg(long, value_enum, default_value_t = ModeArg::Parc)]
    pub mode: ModeArg,
    /// Remove and reverse each evidence item in turn, and report the linchpins.
    #[arg(long)]
    pub sensitivity: bool,
    /// Show how the scores moved as evidence arrived, one row per date.
    #[arg(long)]
    pub timeline: bool,
    /// Use only evidence dated on or before DATE (YYYY-MM-DD); undated evidence is always used.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// The scoring rules, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// PARC ACH 2.0: count inconsistency (I = -1, II = -2); closest to 0 leads.
    Parc,
    /// PARC ACH 2.0 weighted by credibility x relevance (High √2, Medium 1, Low 1/√2).
    ParcWeighted,
    /// Open Synthesis: squared shortfall below neutral, ties broken by consistency.
    Shortfall,
    /// Bayesian updating: posterior probabilities from a likelihood per rating.
    Bayes,
}

impl ModeArg {
    fn mode(self) -> Mode {
        match self {
            ModeArg::Parc => Mode::Parc,
            ModeArg::ParcWeighted => Mode::ParcWeighted,
            ModeArg::Shortfall => Mode::Shortfall,
            ModeArg::Bayes => Mode::Bayes,
        }
    }
}

/// A checked plan: the matrix, the engine options and where the matrix came from.
struct Plan {
    source: String,
    matrix: AchMatrix,
    options: AchOptions,
    as_of: Option<String>,
}

fn plan(args: &AchArgs) -> Result<Plan, Failure> {
    let Some(path) = &args.input else {
        return Err(Failure::bad_input(miette!(
            help = "give an ACH matrix CSV: statecraft ach matrix.csv",
            "no input given"
        )));
    };
    let text = output::read_text(path)?;
    let matrix = model::formats::ach_csv::read(&text).map_err(|e| {
        Failure::bad_input(miette!(
            help = "the header is `evidence,credibility,relevance[,date],<hypothesis ids...>`",
            "{}: {e}",
            path.display()
        ))
    })?;
    let as_of = match &args.as_of {
        None => None,
        Some(text) => Some(text.parse::<ach::IsoDate>().map_err(|e| {
            Failure::bad_input(miette!(help = "write the date as YYYY-MM-DD", "--as-of: {e}"))
        })?),
    };
    let options = AchOptions {
        mode: args.mode.mode(),
        bayes: BayesSettings { likelihoods: LikelihoodTable::standard(), priors: Priors::Uniform },
        as_of,
        sensitivity: if args.sensitivity { Sensitivity::Run } else { Sensitivity::Skip },
        timeline: if args.timeline { Timeline::Run } else { Timeline::Skip },
    };
    Ok(Plan {
        source: path.display().to_string(),
        matrix,
        options,
        as_of: as_of.map(|d| d.to_string()),
    })
}

/// Runs `statecraft ach`.
pub fn run(global: &Global, args: &AchArgs) -> Result<(), Failure> {
    let plan = plan(args)?;
    if global.format == Format::Csv {
        return output::emit(global, &model::formats::ach_csv::write(&plan.matrix));
    }
    let result = ach::analyze(&plan.matrix, &plan.options).map_err(|e| match e {
        AchError::ImpossibleEvidence { .. } => Failure::analysis(miette!(
            help = "a likelihood of 0 rules a hypothesis out; check the ratings of that item, or lower its credibility",
            "{}: {e}",
            plan.source
        )),
        AchError::NothingKnownAsOf { .. } => Failure::bad_input(miette!(
            help = "choose a later --as-of date, or run --timeline to see the evidence dates",
            "{}: {e}",
            plan.source
        )),
        e => Failure::bad_input(miette!("{}: {e}", plan.source)),
    })?;
    let text = match global.format {
        Format::Table => report::ach::table(&plan.matrix, &result),
        Format::Json => {
            let body = report::ach::json(&plan.matrix, &result, plan.as_of.as_deref());
            let doc = report::envelope("ach", &plan.source, body);
            let mut s = serde_json::to_string_pretty(&doc)
                .map_err(|e| Failure::analysis(miette!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
        other => return Err(output::unsupported_format("ach", other, "table, json, csv")),
    };
    output::emit(global, &text)
}
