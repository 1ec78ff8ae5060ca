//! `statecraft bargain`: where contested issues settle, under the weighted-mean baseline, the
//! expected utility model or KTAB's spatial model, from a scenario or a bargaining CSV file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use engines::bargain::baseline;
use engines::bargain::eum::{
    self, Capitulation, Detail, EumOptions, OfferSelection, WinProbability,
};
use engines::bargain::perturb::{self, Fan, PerturbOptions};
use engines::bargain::smp::{self, SmpOptions};
use engines::budget::{Budget, Stopped};
use miette::miette;
use model::formats::bargain_csv;
use model::lens::bargain::BargainStudy;
use report::bargain::{BargainResult, Run};

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{Rendered, emit_rendered, read_text, unsupported_format, write_atomically};

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
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Perturbation of positions: up to +/- this fraction of the scale.
    #[arg(long, default_value_t = 0.05, value_name = "FRACTION")]
    pub perturb_position: f64,
    /// Perturbation of saliences: a factor of 1 +/- up to this.
    #[arg(long, default_value_t = 0.2, value_name = "FRACTION")]
    pub perturb_salience: f64,
    /// Perturbation of capabilities: a factor of 1 +/- up to this.
    #[arg(long, default_value_t = 0.2, value_name = "FRACTION")]
    pub perturb_capability: f64,
    /// eum: how win probabilities are normalised.
    #[arg(long, value_enum, default_value_t = WinArg::Global)]
    pub win_probability: WinArg,
    /// eum: which offer an actor accepts.
    #[arg(long, value_enum, default_value_t = OffersArg::Scholz)]
    pub offers: OffersArg,
    /// eum: whether capitulations are offered.
    #[arg(long, value_enum, default_value_t = CapitulationArg::ScholzCode)]
    pub capitulation: CapitulationArg,
    /// eum: Q, the probability that the status quo persists (0-1).
    #[arg(long, default_value_t = 1.0)]
    pub q: f64,
    /// eum: T, the probability that a changed status quo improves (0-1; used when Q < 1).
    #[arg(long, default_value_t = 1.0)]
    pub t: f64,
    /// eum: the run has settled when no position moves by more than this.
    #[arg(long, default_value_t = 1e-9)]
    pub tolerance: f64,
    /// Refuse a run whose estimated memory exceeds this many GiB (eum, smp).
    #[arg(long, value_name = "GIB", default_value_t = 4.0)]
    pub memory_limit: f64,
    /// Stop after the round or turn during which SECONDS have passed, and report the run so
    /// far, marked incomplete (eum: per issue; smp).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

/// The budget the arguments give a run.
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
    let max_bytes = Some((args.memory_limit * 1024.0 * 1024.0 * 1024.0) as u64);
    Ok(Budget { max_nodes: None, max_time, max_bytes })
}

/// A run refused for its memory: exit 1, naming the limit and the flag that raises it.
fn too_large(e: &dyn std::fmt::Display, args: &BargainArgs) -> Failure {
    Failure::analysis(miette!(
        help = format!(
            "the memory limit is {} GiB; raise it with --memory-limit if the machine has the memory, or bargain over fewer actors",
            args.memory_limit
        ),
        "{e}"
    ))
}

/// Says on standard error that a run stopped at its time limit.
fn stopped_warning(what: &str, stopped: &Stopped) {
    eprintln!(
        "statecraft: warning: {what} stopped at its time limit (--time-limit) after {} of at most {} steps: the positions reported are those reached so far",
        stopped.done, stopped.total
    );
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
    let (study, source, ktab) = load(args, global.quiet)?;
    let model = args.model.unwrap_or(if ktab { ModelArg::Smp } else { ModelArg::Eum });
    let result = analyse(&study, model, args)?;
    if let Some(path) = &args.history {
        write_atomically(path, history(&study, &result).as_bytes())?;
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
fn load(args: &BargainArgs, quiet: bool) -> Result<(BargainStudy, String, bool), Failure> {
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
    let loaded = crate::scenario::load(arg, quiet)?;
    let study = BargainStudy::from_scenario(&loaded.scenario, &args.issues).map_err(|e| {
        Failure::bad_input(miette!(
            help =
                "give the scenario `[[issue]]` tables with a `[[issue.stance]]` per actor involved",
            "{}: {e}",
            loaded.source.name
        ))
    })?;
    Ok((study, loaded.source.name.clone(), false))
}

/// The expected utility options the arguments ask for.
pub fn eum_options(args: &BargainArgs) -> EumOptions {
    EumOptions {
        win_probability: match args.win_probability {
            WinArg::Global => WinProbability::Global,
            WinArg::Pairwise => WinProbability::Pairwise,
        },
        offer_selection: match args.offers {
            OffersArg::Scholz => OfferSelection::Scholz,
            OffersArg::LeastMove => OfferSelection::LeastMove,
        },
        capitulation: match args.capitulation {
            CapitulationArg::ScholzCode => Capitulation::ScholzCode,
            CapitulationArg::Printed => Capitulation::Printed,
        },
        q: args.q,
        t: args.t,
        max_rounds: args.rounds.unwrap_or(10),
        tolerance: args.tolerance,
        detail: Detail::Accepted,
    }
}

fn smp_options(args: &BargainArgs) -> SmpOptions {
    let mut o = SmpOptions::ktab();
    if let Some(n) = args.rounds {
        o.max_turns = n;
        o.min_turns = o.min_turns.min(n);
    }
    o
}

/// Runs the model (and the perturbations) on the study.
pub fn analyse(
    study: &BargainStudy,
    model: ModelArg,
    args: &BargainArgs,
) -> Result<BargainResult, Failure> {
    let analysis = |e: &dyn std::fmt::Display| Failure::analysis(miette!("{e}"));
    let bad = |e: &dyn std::fmt::Display| Failure::bad_input(miette!("{e}"));
    let base: Vec<_> =
        study.per_issue.iter().map(|i| baseline(&i.input).issues[0].clone()).collect();
    let eo = eum_options(args);
    let so = smp_options(args);
    let budget = budget(args)?;
    let (run, options) = match model {
        ModelArg::Baseline => (Run::Baseline, "no bargaining: initial positions".to_string()),
        ModelArg::Eum => {
            // Options are checked once here so that a bad --q is bad input, not a per-issue note.
            if let Some(first) = study.per_issue.first() {
                if let Err(e @ eum::EumError::Option { .. }) =
                    eum::eum(&first.input, 0, &EumOptions { max_rounds: 0, ..eo.clone() })
                {
                    return Err(bad(&e));
                }
            }
            let mut outcomes = Vec::new();
            for (d, i) in study.per_issue.iter().enumerate() {
                match eum::eum_within(&i.input, 0, &eo, &budget, &|_, _| {}) {
                    Ok(b) => {
                        if let Some(s) = &b.stopped {
                            let what = study.issue_ids.get(d).map_or("eum", String::as_str);
                            stopped_warning(&format!("the run on issue {what}"), s);
                        }
                        outcomes.push(Ok(b.outcome));
                    }
                    Err(e @ eum::EumError::TooLarge { .. }) => return Err(too_large(&e, args)),
                    Err(e) => outcomes.push(Err(e)),
                }
            }
            let words = format!(
                "win probability {}, offers {}, capitulation {}, Q {}, T {}, at most {} rounds",
                name(args.win_probability),
                name(args.offers),
                name(args.capitulation),
                eo.q,
                eo.t,
                eo.max_rounds
            );
            (Run::Eum(outcomes), words)
        }
        ModelArg::Smp => {
            let bounded = match smp::smp_within(&study.smp_input(), &so, &budget, &|_, _| {}) {
                Ok(b) => b,
                Err(e @ smp::SmpError::TooLarge { .. }) => return Err(too_large(&e, args)),
                Err(e) => return Err(bad(&e)),
            };
            if let Some(s) = &bounded.stopped {
                stopped_warning("the run", s);
            }
            let out = bounded.outcome;
            (Run::Smp(out), format!("KTAB smpc defaults, at most {} turns", so.max_turns))
        }
    };
    let fan = match args.perturb {
        None => None,
        Some(runs) => {
            let po = PerturbOptions {
                runs,
                seed: args.seed,
                position: args.perturb_position,
                salience: args.perturb_salience,
                capability: args.perturb_capability,
            };
            Some(match model {
                ModelArg::Baseline => fan_per_issue(study, &perturb::Model::Baseline, &po)
                    .map_err(|e| analysis(&e))?,
                ModelArg::Eum => {
                    fan_per_issue(study, &perturb::Model::Eum(eo), &po).map_err(|e| analysis(&e))?
                }
                ModelArg::Smp => perturb::fan(&study.smp_input(), &perturb::Model::Smp(so), &po)
                    .map_err(|e| analysis(&e))?,
            })
        }
    };
    Ok(BargainResult { options, baseline: base, run, fan })
}

/// The command-line spelling of a value.
fn name(v: impl ValueEnum) -> String {
    v.to_possible_value().map_or_else(String::new, |p| p.get_name().to_string())
}

/// One fan per issue, each from the issue's own actors.
fn fan_per_issue(
    study: &BargainStudy,
    model: &perturb::Model,
    po: &PerturbOptions,
) -> Result<Fan, perturb::PerturbError> {
    let mut issues = Vec::new();
    for i in &study.per_issue {
        issues.push(perturb::fan(&i.input, model, po)?.issues.remove(0));
    }
    Ok(Fan { runs: po.runs, seed: po.seed, issues })
}

/// The position history rows: every involved actor on every issue after every step.
fn history(study: &BargainStudy, result: &BargainResult) -> String {
    let mut rows = Vec::new();
    match &result.run {
        Run::Baseline => {
            for (d, i) in study.per_issue.iter().enumerate() {
                for (k, &a) in i.actors.iter().enumerate() {
                    rows.push((0, a, d, i.input.issue(0).position[k]));
                }
            }
        }
        Run::Eum(outcomes) => {
            for (d, o) in outcomes.iter().enumerate() {
                let Ok(o) = o else { continue };
                let members = &study.per_issue[d].actors;
                let steps = std::iter::once(&o.initial_positions)
                    .chain(o.rounds.iter().map(|r| &r.positions));
                for (t, p) in steps.enumerate() {
                    rows.extend(members.iter().enumerate().map(|(k, &a)| (t, a, d, p[k])));
                }
            }
        }
        Run::Smp(o) => {
            let steps =
                std::iter::once(&o.initial_positions).chain(o.turns.iter().map(|t| &t.positions));
            for (t, p) in steps.enumerate() {
                for (d, i) in study.per_issue.iter().enumerate() {
                    rows.extend(i.actors.iter().map(|&a| (t, a, d, p[a][d])));
                }
            }
        }
    }
    bargain_csv::write_history(&study.actor_ids, &study.issue_ids, rows)
}

/// The bargaining section of `statecraft run` for a validated scenario: where each issue
/// settles under the expected utility model and under KTAB's spatial model, each beside the
/// weighted-mean baseline, and who moves most. `None` when the scenario has no issue.
pub fn run_section(scenario: &model::scenario::Scenario) -> Option<String> {
    let study = BargainStudy::from_scenario(scenario, &[]).ok()?;
    let base: Vec<_> =
        study.per_issue.iter().map(|i| baseline(&i.input).issues[0].clone()).collect();
    let eo = EumOptions::scholz();
    let eum_run = Run::Eum(study.per_issue.iter().map(|i| eum::eum(&i.input, 0, &eo)).collect());
    let mut out = report::bargain::section(
        &study,
        &BargainResult {
            options: "Scholz et al. code settings".into(),
            baseline: base.clone(),
            run: eum_run,
            fan: None,
        },
    );
    if let Ok(o) = smp::smp(&study.smp_input(), &SmpOptions::ktab()) {
        out.push('\n');
        out.push_str(&report::bargain::section(
            &study,
            &BargainResult {
                options: "KTAB smpc defaults".into(),
                baseline: base,
                run: Run::Smp(o),
                fan: None,
            },
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_section_reports_both_models() {
        let text = include_str!("../../../../tests/fixtures/bargain/korea-issues.toml");
        let loaded = match model::load::load_bytes("korea-issues.toml", text.as_bytes(), None) {
            Ok(l) => l,
            Err(d) => panic!("fixture does not load: {d}"),
        };
        let section = run_section(&loaded.scenario).unwrap_or_default();
        assert!(section.starts_with("Bargaining (eum)"), "{section}");
        assert!(section.contains("Bargaining (smp)"), "{section}");
        assert!(section.contains("ROK nuclear weapons"), "{section}");
    }
}
