//! `statecraft ach`: Analysis of Competing Hypotheses on a scenario or an ACH matrix CSV.
//!
//! The arguments resolve in two steps: clap fills [`AchArgs`], then the flags become
//! `analysis::ach::AchSettings` and the input is read (a scenario through `model::lens::ach`,
//! or a CSV file); `analysis::ach::analyse` analyses and `report::ach` renders.

use std::path::Path;

use analysis::ach::AchSettings;
use clap::{Args, ValueEnum};
use engines::ach::{self, AchMatrix, LikelihoodTable, Mode, Priors};
use miette::miette;

use crate::args::{AsOf, Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered};
use crate::scenario;

const EXAMPLES: &str = "\
Examples:
  statecraft ach                                   (the built-in korea-2024)
  statecraft ach my-scenario.toml --mode bayes --sensitivity
  statecraft ach matrix.csv
  statecraft ach matrix.csv --mode bayes --likelihoods 1,0.8,0.5,0.2,0,0.5
  statecraft ach matrix.csv --timeline --as-of 2024-03-31 --format json
  statecraft ach matrix.csv --format csv -o copy.csv

The CSV header is `evidence,credibility,relevance[,date],<hypothesis ids...>`; each row is an
evidence item with High/Medium/Low weights, an optional YYYY-MM-DD date and one rating
(CC, C, N, I, II, NA) per hypothesis. See docs/ach.md for a worked example.";

/// Arguments of `statecraft ach`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AchArgs {
    /// An ACH matrix CSV file (`*.csv`), a scenario file, or a built-in scenario's name
    /// (default: korea-2024).
    #[arg(value_name = "SCENARIO|FILE.csv")]
    pub input: Option<String>,
    /// The scoring rule.
    #[arg(long, value_enum, default_value_t = ModeArg::from(AchSettings::default().mode))]
    pub mode: ModeArg,
    /// Remove and reverse each evidence item in turn, and report the linchpins.
    #[arg(long)]
    pub sensitivity: bool,
    /// Show how the scores moved as evidence arrived, one row per date.
    #[arg(long)]
    pub timeline: bool,
    /// The bayes likelihoods P(e | h) of CC, C, N, I, II, NA, comma-separated
    /// (default 0.9,0.7,0.5,0.3,0.1,0.5).
    #[arg(long, value_name = "CC,C,N,I,II,NA")]
    pub likelihoods: Option<String>,
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

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Parc => Mode::Parc,
            ModeArg::ParcWeighted => Mode::ParcWeighted,
            ModeArg::Shortfall => Mode::Shortfall,
            ModeArg::Bayes => Mode::Bayes,
        }
    }
}

impl From<Mode> for ModeArg {
    fn from(m: Mode) -> ModeArg {
        match m {
            Mode::Parc => ModeArg::Parc,
            Mode::ParcWeighted => ModeArg::ParcWeighted,
            Mode::Shortfall => ModeArg::Shortfall,
            Mode::Bayes => ModeArg::Bayes,
        }
    }
}

impl ModeArg {
    /// The command line's spelling.
    pub fn name(self) -> String {
        self.to_possible_value().map_or_else(String::new, |p| p.get_name().to_string())
    }
}

/// The settings the flags ask for.
/// The global `--as-of` cuts a matrix file's evidence at its date (undated evidence is always
/// used); on a scenario it has already given the scenario as known by that date.
fn settings(args: &AchArgs, global: &Global) -> Result<AchSettings, Failure> {
    let as_of = match global.as_of {
        None | Some(AsOf::Latest) => None,
        Some(AsOf::Date(d)) => Some(d.to_string().parse::<ach::IsoDate>().map_err(|e| {
            Failure::bad_input(miette!(help = "write the date as YYYY-MM-DD", "--as-of: {e}"))
        })?),
    };
    let likelihoods = match &args.likelihoods {
        None => AchSettings::default().likelihoods,
        Some(text) => likelihood_table(text)?,
    };
    Ok(AchSettings {
        mode: args.mode.into(),
        sensitivity: args.sensitivity,
        timeline: args.timeline,
        as_of,
        likelihoods,
    })
}

/// The matrix to analyse, with its priors and date and what to call it.
struct Input {
    source: String,
    matrix: AchMatrix,
    priors: Priors,
    as_of: Option<ach::IsoDate>,
}

/// The input of a CSV file, or of a scenario.
fn input(global: &Global, args: &AchArgs) -> Result<Input, Failure> {
    let is_csv = args
        .input
        .as_deref()
        .is_some_and(|a| Path::new(a).extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")));
    if is_csv {
        let path = Path::new(args.input.as_deref().unwrap_or_default());
        let text = output::read_text(path)?;
        let matrix = model::formats::ach_csv::read(&text).map_err(|e| {
            Failure::bad_input(miette!(
                help = "the header is `evidence,credibility,relevance[,date],<hypothesis ids...>`",
                "{}: {e}",
                path.display()
            ))
        })?;
        let source = path.display().to_string();
        return Ok(Input { source, matrix, priors: Priors::Uniform, as_of: None });
    }
    let loaded = scenario::load(args.input.as_deref(), global)?;
    let input = model::lens::ach::input(&loaded.scenario).map_err(|e| {
        Failure::bad_input(miette!(
            help = "ACH needs `[[hypothesis]]` tables whose `ratings` rate `[[evidence]]` items; see docs/ach.md",
            "{}: {e}",
            loaded.source.name
        ))
    })?;
    Ok(Input {
        source: loaded.source.name.clone(),
        matrix: input.matrix,
        priors: input.priors,
        as_of: Some(input.as_of),
    })
}

/// Parses `--likelihoods`: six numbers in [0, 1].
fn likelihood_table(text: &str) -> Result<LikelihoodTable, Failure> {
    let bad = |why: String| {
        Failure::bad_input(miette!(
            help = "give six numbers in [0, 1] for CC, C, N, I, II, NA, such as 0.9,0.7,0.5,0.3,0.1,0.5",
            "--likelihoods: {why}"
        ))
    };
    let values: Vec<f64> = text
        .split(',')
        .map(|v| {
            v.trim().parse::<f64>().map_err(|_| bad(format!("`{}` is not a number", v.trim())))
        })
        .collect::<Result<_, _>>()?;
    let values: [f64; 6] = values
        .try_into()
        .map_err(|v: Vec<f64>| bad(format!("{} numbers given, 6 needed", v.len())))?;
    LikelihoodTable::new(values).map_err(|e| bad(e.to_string()))
}

/// Runs `statecraft ach`.
pub fn run(global: &Global, args: &AchArgs) -> Result<(), Failure> {
    output::emit_rendered(global, render(global, args)?)
}

/// Reads, analyses and renders, without writing anything.
pub fn render(global: &Global, args: &AchArgs) -> Result<Rendered, Failure> {
    let settings = settings(args, global)?;
    let Input { source, matrix, priors, as_of } = input(global, args)?;
    if global.format == Format::Csv {
        return Ok(Rendered::Text(model::formats::ach_csv::write(&matrix)));
    }
    let a = analysis::ach::analyse(matrix, priors, as_of, &settings)
        .map_err(|e| Failure::lens(e, &source))?;
    match global.format {
        Format::Table => Ok(Rendered::Text(report::ach::table(&a.matrix, &a.result))),
        Format::Json => {
            let body = report::ach::json(&a.matrix, &a.result, a.as_of.as_deref());
            Ok(Rendered::Json(report::envelope("ach", &source, body)))
        }
        other => Err(output::unsupported_format("ach", other, "table, json, csv")),
    }
}
