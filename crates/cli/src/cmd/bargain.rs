//! `statecraft bargain`: where contested issues settle, under the weighted-mean baseline, the
//! expected utility model or KTAB's spatial model, from a scenario or a bargaining CSV file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use analysis::bargain::{BargainSettings, Model};
use clap::{Args, ValueEnum};
use engines::bargain::eum::{Capitulation, EumOptions, OfferSelection, WinProbability};
use engines::bargain::perturb::PerturbOptions;
use engines::budget::Budget;
use miette::miette;
use model::formats::bargain_csv;
use model::lens::bargain::BargainStudy;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{
    Progress, Rendered, emit_rendered, read_text, unsupported_format, write_atomically,
};

/// The bargaining models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// The capability x salience weighted mean and median of the initial positions.
    Baseline,
    /// Bueno de Mesquita's expected utility model (Scholz et al. 2011 reconstruction), per issue.
    Eum,
    /// KTAB's Spatial Model of Politics, all issues jointly.
    Smp,
}

/// How the expected utility model normalises win probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WinArg {
    /// One denominator per round over all pairs (Scholz et al.'s code).
    Global,
    /// Per pair, so P(a>b) + P(b>a) = 1 (the printed formula).
    Pairwise,
}

/// Which offer an actor accepts in the expected utility model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OffersArg {
    /// Confrontation, then compromise, then capitulation (Scholz et al.'s code).
    Scholz,
    /// The offer that moves the actor least.
    LeastMove,
}

/// Whether the expected utility model offers capitulations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CapitulationArg {
    /// Never, as Scholz et al.'s code (its test never holds).
    ScholzCode,
    /// As printed in the paper's figure.
    Printed,
}

/// Arguments of `statecraft bargain`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  statecraft bargain                                  the built-in korea-2024 scenario
  statecraft bargain eu.csv --model eum --rounds 10 --history eu-history.csv
  statecraft bargain dummyData_3Dim.csv --model smp --format json
  statecraft bargain my-scenario.toml --issue nukes --perturb 200 --seed 7

A .csv file is read as KTAB's spatial-model input (first line: name, description, actors,
dimensions) or as an Actor,Capability,Position,Salience table (salience 0-1, or 0-100 when
any exceeds 1). Anything else is a scenario file or a built-in scenario's name.")]
pub struct BargainArgs {
    /// A scenario file, a built-in scenario's name, or a bargaining CSV file (default: korea-2024).
    #[arg(value_name = "SCENARIO|FILE.csv")]
    pub input: Option<String>,
    /// The model (default: smp for KTAB's CSV format, eum otherwise).
    #[arg(long, value_enum)]
    pub model: Option<ModelArg>,
    /// Only this issue (repeatable; scenarios only).
    #[arg(long = "issue", value_name = "ID")]
    pub issues: Vec<String>,
    /// The most rounds (eum, default 10) or turns (smp, default 100).
    #[arg(long, value_name = "N")]
    pub rounds: Option<usize>,
    /// Write every actor's position after each step to FILE as turn,actor,dimension,position.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Rerun on N seeded perturbations of the input and show each issue's forecast fan.
    #[arg(long, value_name = "N")]
    pub perturb: Option<usize>,
    /// Seed of the perturbations.
    #[arg(long, default_value_t = perturbation().seed)]
    pub seed: u64,
    /// Perturbation of positions: up to +/- this fraction of the scale.
    #[arg(long, default_value_t = perturbation().position, value_name = "FRACTION")]
    pub perturb_position: f64,
    /// Perturbation of saliences: a factor of 1 +/- up to this.
    #[arg(long, default_value_t = perturbation().salience, value_name = "FRACTION")]
    pub perturb_salience: f64,
    /// Perturbation of capabilities: a factor of 1 +/- up to this.
    #[arg(long, default_value_t = perturbation().capability, value_name = "FRACTION")]
    pub perturb_capability: f64,
    /// eum: how win probabilities are normalised.
    #[arg(long, value_enum, default_value_t = WinArg::from(defaults().eum.win_probability))]
    pub win_probability: WinArg,
    /// eum: which offer an actor accepts.
    #[arg(long, value_enum, default_value_t = OffersArg::from(defaults().eum.offer_selection))]
    pub offers: OffersArg,
    /// eum: whether capitulations are offered.
    #[arg(long, value_enum, default_value_t = CapitulationArg::from(defaults().eum.capitulation))]
    pub capitulation: CapitulationArg,
    /// eum: Q, the probability that the status quo persists (0-1).
    #[arg(long, default_value_t = defaults().eum.q)]
    pub q: f64,
    /// eum: T, the probability that a changed status quo improves (0-1; used when Q < 1).
    #[arg(long, default_value_t = defaults().eum.t)]
    pub t: f64,
    /// eum: the run has settled when no position moves by more than this.
    #[arg(long, default_value_t = defaults().eum.tolerance)]
    pub tolerance: f64,
    /// Refuse a run whose estimated memory exceeds this many GiB (eum, smp).
    #[arg(long, value_name = "GIB", default_value_t = default_memory_gib())]
    pub memory_limit: f64,
    /// Stop after the round or turn during which SECONDS have passed, and report the run so
    /// far, marked incomplete (eum: per issue; smp).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

/// The default of `--memory-limit`, in GiB.
fn default_memory_gib() -> f64 {
    defaults().budget.max_bytes.map_or(f64::INFINITY, |b| b as f64 / f64::from(1u32 << 30))
}

/// From this many actors a run takes seconds or more (a round of eum weighs n² offers), so a
/// terminal shows a progress bar.
const PROGRESS_MIN_ACTORS: usize = 2000;

/// The budget the flags give a run.
fn budget(args: &BargainArgs) -> Result<Budget, Failure> {
    let bad =
        |flag: &str, v: f64| Failure::bad_input(miette!("{flag} {v} is not a positive number"));
    if !(args.memory_limit.is_finite() && args.memory_limit > 0.0) {
        return Err(bad("--memory-limit", args.memory_limit));
    }
    let max_time = match args.time_limit {
        Some(t) => Some(Duration::try_from_secs_f64(t).map_err(|_| bad("--time-limit", t))?),
        None => None,
    };
    // Saturates at u64::MAX for absurdly large limits, which is no limit.
    let max_bytes = Some((args.memory_limit * f64::from(1u32 << 30)) as u64);
    Ok(Budget { max_nodes: None, max_time, max_bytes })
}

impl From<ModelArg> for Model {
    fn from(m: ModelArg) -> Model {
        match m {
            ModelArg::Baseline => Model::Baseline,
            ModelArg::Eum => Model::Eum,
            ModelArg::Smp => Model::Smp,
        }
    }
}

impl From<WinArg> for WinProbability {
    fn from(w: WinArg) -> WinProbability {
        match w {
            WinArg::Global => WinProbability::Global,
            WinArg::Pairwise => WinProbability::Pairwise,
        }
    }
}

impl From<WinProbability> for WinArg {
    fn from(w: WinProbability) -> WinArg {
        match w {
            WinProbability::Global => WinArg::Global,
            WinProbability::Pairwise => WinArg::Pairwise,
        }
    }
}

impl From<OffersArg> for OfferSelection {
    fn from(o: OffersArg) -> OfferSelection {
        match o {
            OffersArg::Scholz => OfferSelection::Scholz,
            OffersArg::LeastMove => OfferSelection::LeastMove,
        }
    }
}

impl From<OfferSelection> for OffersArg {
    fn from(o: OfferSelection) -> OffersArg {
        match o {
            OfferSelection::Scholz => OffersArg::Scholz,
            OfferSelection::LeastMove => OffersArg::LeastMove,
        }
    }
}

impl From<CapitulationArg> for Capitulation {
    fn from(c: CapitulationArg) -> Capitulation {
        match c {
            CapitulationArg::ScholzCode => Capitulation::ScholzCode,
            CapitulationArg::Printed => Capitulation::Printed,
        }
    }
}

impl From<Capitulation> for CapitulationArg {
    fn from(c: Capitulation) -> CapitulationArg {
        match c {
            Capitulation::ScholzCode => CapitulationArg::ScholzCode,
            Capitulation::Printed => CapitulationArg::Printed,
        }
    }
}

/// The library's defaults, which the flags show.
fn defaults() -> BargainSettings {
    BargainSettings::default()
}

/// The default perturbation, which the `--perturb-*` flags show.
fn perturbation() -> PerturbOptions {
    analysis::bargain::default_perturbation(1)
}

/// The settings the flags ask for.
pub fn settings(args: &BargainArgs) -> Result<BargainSettings, Failure> {
    let d = defaults();
    Ok(BargainSettings {
        model: args.model.map(Model::from),
        issues: args.issues.clone(),
        rounds: args.rounds,
        perturb: args.perturb.map(|runs| PerturbOptions {
            runs,
            seed: args.seed,
            position: args.perturb_position,
            salience: args.perturb_salience,
            capability: args.perturb_capability,
        }),
        eum: EumOptions {
            win_probability: args.win_probability.into(),
            offer_selection: args.offers.into(),
            capitulation: args.capitulation.into(),
            q: args.q,
            t: args.t,
            tolerance: args.tolerance,
            ..d.eum
        },
        budget: budget(args)?,
    })
}

/// Runs `statecraft bargain`.
pub fn run(global: &Global, args: &BargainArgs) -> Result<(), Failure> {
    emit_rendered(global, render(global, args)?)
}

/// Reads, analyses and renders; writes only the `--history` file.
pub fn render(global: &Global, args: &BargainArgs) -> Result<Rendered, Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(unsupported_format("bargain", global.format, "table, json"));
    }
    let settings = settings(args)?;
    let (study, source, ktab) = load(args, &settings, global)?;
    let bar = Progress::new(global, study.actors.len() >= PROGRESS_MIN_ACTORS, "bargaining");
    let result = analysis::bargain::analyse(&study, &settings, ktab, &|d, t| bar.set(d, t));
    bar.finish();
    let result = result.map_err(|e| Failure::lens(e, ""))?;
    if !global.quiet {
        for (what, s) in &result.stopped {
            eprintln!(
                "statecraft: warning: the run on {what} stopped at its time limit (--time-limit) after {} of at most {} steps: the positions reported are those reached so far",
                s.done, s.total
            );
        }
    }
    if let Some(path) = &args.history {
        write_atomically(path, report::bargain::history(&study, &result).as_bytes())?;
    }
    Ok(match global.format {
        Format::Json => Rendered::Json(report::envelope(
            "bargain",
            &source,
            report::bargain::to_json(&study, &result),
        )),
        _ => Rendered::Text(report::bargain::render(&study, &result)),
    })
}

/// The study, what to call it, and whether it came from KTAB's CSV format.
fn load(
    args: &BargainArgs,
    settings: &BargainSettings,
    global: &Global,
) -> Result<(BargainStudy, String, bool), Failure> {
    let arg = args.input.as_deref();
    if let Some(path) = arg.filter(|a| a.to_ascii_lowercase().ends_with(".csv")) {
        if !args.issues.is_empty() {
            return Err(Failure::bad_input(miette!(
                help =
                    "--issue picks issues of a scenario; a CSV file is bargained over as a whole",
                "--issue cannot be used with a CSV file"
            )));
        }
        let text = read_text(Path::new(path))?;
        let table = bargain_csv::read(&text).map_err(|e| {
            Failure::bad_input(miette!(
                help = "see `statecraft bargain --help` for the two CSV layouts",
                "{path}: {e}"
            ))
        })?;
        let ktab = table.description.is_some();
        return Ok((BargainStudy::from_table(table), path.to_string(), ktab));
    }
    let loaded = crate::scenario::load(arg, global)?;
    let source = loaded.source.name.clone();
    let study = analysis::bargain::study_of(&loaded.scenario, settings)
        .map_err(|e| Failure::lens(e, &source))?;
    Ok((study, source, false))
}
