//! `statecraft cib`: Cross-Impact Balance analysis of a ScenarioWizard project (`.scw`) or a CSV
//! matrix: the consistent scenarios, their succession weights, and optionally interventions,
//! an ensemble of matrices and judgment sensitivity.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use engines::budget::{Budget, Limit, Stopped};
use engines::cib::{
    CibMatrix, Method, SensitivityOptions, SolveOptions, Spread, Starts, SuccessionOptions,
    SuccessionRule, ensemble, sensitivity, solve, solve_within, succession,
};
use indicatif::{ProgressBar, ProgressStyle};
use miette::miette;
use model::formats::scw;
use model::lens::cib::CibStudy;
use report::cib::{CibFindings, SuccessionSummary};

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered};

/// Arguments of `statecraft cib`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  statecraft cib                                      the built-in korea-2024 scenario
  statecraft cib korea-2024 --fix war=stalemate
  statecraft cib project.scw
  statecraft cib project.scw --ic 1 --succession local --format json
  statecraft cib project.scw --fix 'war outcome=stalemate' --sl consistent.sl
  statecraft cib expert1.scw --ensemble expert2.scw expert3.scw
  statecraft cib project.scw --sensitivity 200 --spread 1 --seed 7")]
pub struct CibArgs {
    /// A scenario file or built-in scenario's name (default: korea-2024), a ScenarioWizard
    /// project (`.scw`), or a CSV matrix (`.csv`: two header rows naming each column's
    /// descriptor and variant, then one row per variant).
    pub input: Option<String>,
    /// List every scenario whose inconsistency is at most T (0: the consistent ones).
    #[arg(long = "ic", value_name = "T", default_value_t = 0)]
    pub ic: u32,
    /// The search method.
    #[arg(long, value_enum, default_value_t = MethodArg::BranchAndBound)]
    pub method: MethodArg,
    /// The succession rule used for the weights (basin sizes), or none.
    #[arg(long, value_enum, default_value_t = RuleArg::Global)]
    pub succession: RuleArg,
    /// Monte Carlo starts for succession when the space is larger than `--exact-limit`.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub starts: u64,
    /// Run succession from every start (exact weights) when the space has at most N scenarios
    /// (it needs 4 bytes per scenario); larger spaces use `--starts` Monte Carlo starts.
    #[arg(long, value_name = "N", default_value_t = 50_000_000)]
    pub exact_limit: u64,
    /// Seed of every random draw (Monte Carlo starts, sensitivity samples).
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Intervention: hold descriptor D at variant V (names, or numbers from 1); its own
    /// consistency condition is dropped. Repeatable.
    #[arg(long = "fix", value_name = "D=V")]
    pub fix: Vec<String>,
    /// Also write the scenarios as a ScenarioWizard solution list.
    #[arg(long, value_name = "OUT.sl")]
    pub sl: Option<PathBuf>,
    /// More matrices over the same descriptors (one per expert, say): count how many members
    /// of the ensemble (FILE and these) find each scenario consistent.
    #[arg(long, value_name = "FILES", num_args = 1..)]
    pub ensemble: Vec<PathBuf>,
    /// Perturb the judgments N times (each non-zero judgment by a uniform integer within
    /// ±spread) and report how often each scenario stays consistent.
    #[arg(long, value_name = "N")]
    pub sensitivity: Option<u32>,
    /// The spread of `--sensitivity`.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub spread: u32,
    /// Fail when more scenarios than this qualify.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max: usize,
    /// Stop the search after visiting about N partial scenarios and list what was found so
    /// far, marked incomplete.
    #[arg(long, value_name = "N")]
    pub max_nodes: Option<u64>,
    /// Stop the search after SECONDS and list what was found so far, marked incomplete.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Exact branch-and-bound (fast on large spaces).
    BranchAndBound,
    /// Visit every scenario.
    Exhaustive,
}

/// `--succession`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleArg {
    /// Every descriptor moves to its best variant at once.
    Global,
    /// The most inconsistent descriptor moves.
    Local,
    /// No succession (weights are not computed).
    None,
}

/// Runs `statecraft cib`.
pub fn run(global: &Global, args: &CibArgs) -> Result<(), Failure> {
    output::emit_rendered(global, render(global, args)?)
}

/// Reads, analyses and renders; writes only the `--sl` file.
pub fn render(global: &Global, args: &CibArgs) -> Result<Rendered, Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(output::unsupported_format("cib", global.format, "table, json"));
    }
    let (matrix, source) = load_input(args.input.as_deref(), global.quiet)?;
    let fixed = args.fix.iter().map(|f| parse_fix(&matrix, f)).collect::<Result<Vec<_>, _>>()?;
    let method = match args.method {
        MethodArg::BranchAndBound => Method::BranchAndBound,
        MethodArg::Exhaustive => Method::Exhaustive,
    };
    let solve_options =
        SolveOptions { method, tolerance: args.ic, fixed: fixed.clone(), max_scenarios: args.max };
    // A progress bar on long searches only, and only for a person watching a terminal.
    let bar = (!global.quiet && std::io::stderr().is_terminal() && matrix.space_log10() > 7.0)
        .then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("searching {bar:40} {percent}% ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let budget = Budget {
        max_nodes: args.max_nodes,
        max_time: match args.time_limit {
            Some(t) => Some(Duration::try_from_secs_f64(t).map_err(|_| {
                Failure::bad_input(miette!("--time-limit {t} is not a number of seconds"))
            })?),
            None => None,
        },
        max_bytes: None,
    };
    let solved = solve_within(&matrix, &solve_options, &budget, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let solved = solved.map(|b| {
        if let Some(stopped) = &b.stopped {
            incomplete_warning(stopped, &b.unsearched, global.quiet);
        }
        (b.solution, b.stopped, b.unsearched)
    });
    let (solution, stopped, unsearched) = solved.map_err(|e| {
        Failure::bad_input(miette!(
            help = "`--method branch-and-bound` handles large spaces; `--ic` lower keeps fewer scenarios",
            "{e}"
        ))
    })?;
    let rule = match args.succession {
        RuleArg::Global => Some(SuccessionRule::Global),
        RuleArg::Local => Some(SuccessionRule::Local),
        RuleArg::None => None,
    };
    let succ = match rule {
        Some(rule) => {
            let starts =
                Starts::Auto { limit: args.exact_limit, count: args.starts, seed: args.seed };
            let s = succession(&matrix, &SuccessionOptions { rule, starts, fixed: fixed.clone() })
                .map_err(|e| Failure::bad_input(miette!("{e}")))?;
            Some(SuccessionSummary { rule, result: s })
        }
        None => None,
    };
    let ens = if args.ensemble.is_empty() {
        None
    } else {
        let mut members = vec![matrix.clone()];
        for p in &args.ensemble {
            members.push(load(p)?);
        }
        Some(ensemble(&members, &solve_options).map_err(|e| {
            Failure::bad_input(miette!(
                help = "every ensemble member needs the same descriptors",
                "{e}"
            ))
        })?)
    };
    let sens = match args.sensitivity {
        Some(samples) => {
            let o = SensitivityOptions {
                solve: solve_options.clone(),
                spread: Spread::NonZero(args.spread),
                samples,
                seed: args.seed,
            };
            Some(sensitivity(&matrix, &o).map_err(|e| Failure::bad_input(miette!("{e}")))?)
        }
        None => None,
    };
    let findings = CibFindings {
        source: &source,
        matrix: &matrix,
        tolerance: args.ic,
        method,
        fixed: &fixed,
        solution: &solution,
        succession: succ.as_ref(),
        ensemble: ens.as_ref(),
        sensitivity: sens.as_ref(),
    };
    if let Some(path) = &args.sl {
        output::write_atomically(path, report::cib::solution_list(&findings).as_bytes())?;
    }
    Ok(match global.format {
        Format::Json => {
            let mut json = report::envelope("cib", &source, report::cib::json(&findings));
            if let (Some(s), Some(result)) = (&stopped, json.get_mut("result")) {
                result["incomplete"] = serde_json::json!({
                    "limit": match s.limit { Limit::Nodes => "max-nodes", Limit::Time => "time-limit" },
                    "tasks_done": s.done,
                    "tasks_total": s.total,
                    "unsearched": unsearched,
                });
            }
            Rendered::Json(json)
        }
        _ => {
            let mut text = report::cib::table(&findings);
            if let Some(s) = &stopped {
                text = format!(
                    "INCOMPLETE: the search stopped at its {} after {} of {} parts; more scenarios may qualify.\n\n{text}",
                    limit_flag(s.limit),
                    s.done,
                    s.total
                );
            }
            Rendered::Text(text)
        }
    })
}

/// The flag that sets a budget's limit.
fn limit_flag(limit: Limit) -> &'static str {
    match limit {
        Limit::Nodes => "node limit (--max-nodes)",
        Limit::Time => "time limit (--time-limit)",
    }
}

/// Says on standard error that the search stopped early and what it did not search.
fn incomplete_warning(stopped: &Stopped, unsearched: &[Vec<(usize, usize)>], quiet: bool) {
    if quiet {
        return;
    }
    eprintln!(
        "statecraft: warning: the search stopped at its {} after {} of {} parts: the scenarios listed are those found so far, and the completions of {} partial scenarios were not searched to the end; raise the limit to search them",
        limit_flag(stopped.limit),
        stopped.done,
        stopped.total,
        unsearched.len()
    );
}

/// The CIB section of `statecraft run` for a loaded scenario: the consistent futures ranked by
/// TIS with their exact (or, beyond 50 million scenarios, Monte Carlo) global succession weights,
/// and what tells them apart, with the study and its solution for the synthesis. `Ok(None)` when
/// the scenario has no cross-impact judgments.
pub fn run_section(
    scenario: &model::scenario::Scenario,
    source: &str,
) -> Result<Option<(CibStudy, engines::cib::Solution, String)>, Failure> {
    let study = match CibStudy::from_scenario(scenario) {
        Ok(s) => s,
        Err(model::lens::cib::CibMapError::NoCrossImpacts) => return Ok(None),
        Err(e) => return Err(Failure::bad_input(miette!("{source}: {e}"))),
    };
    let solve_options = SolveOptions {
        method: Method::BranchAndBound,
        tolerance: 0,
        fixed: vec![],
        max_scenarios: 100_000,
    };
    let solution = solve(&study.matrix, &solve_options)
        .map_err(|e| Failure::analysis(miette!("{source}: {e}")))?;
    let starts = Starts::Auto { limit: 50_000_000, count: 100_000, seed: 1 };
    let rule = SuccessionRule::Global;
    let result = succession(&study.matrix, &SuccessionOptions { rule, starts, fixed: vec![] })
        .map_err(|e| Failure::analysis(miette!("{source}: {e}")))?;
    let summary = SuccessionSummary { rule, result };
    let findings = CibFindings {
        source,
        matrix: &study.matrix,
        tolerance: 0,
        method: Method::BranchAndBound,
        fixed: &[],
        solution: &solution,
        succession: Some(&summary),
        ensemble: None,
        sensitivity: None,
    };
    let text = report::cib::section(&findings);
    Ok(Some((study, solution, text)))
}

/// The matrix and what to call it: from a `.scw` or `.csv` file, else from a scenario.
fn load_input(arg: Option<&str>, quiet: bool) -> Result<(CibMatrix, String), Failure> {
    if let Some(path) = arg {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".scw") || lower.ends_with(".csv") {
            return Ok((load(Path::new(path))?, path.to_string()));
        }
    }
    let loaded = crate::scenario::load(arg, quiet)?;
    let study = CibStudy::from_scenario(&loaded.scenario).map_err(|e| {
        Failure::bad_input(miette!(
            help = "give the scenario `[[driver]]` tables and `[[cross_impact]]` judgments between them",
            "{}: {e}",
            loaded.source.name
        ))
    })?;
    Ok((study.matrix, loaded.source.name.clone()))
}

/// Reads a `.scw` project or a `.csv` matrix.
fn load(path: &Path) -> Result<CibMatrix, Failure> {
    let text = output::read_text(path)?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let shown = path.display();
    match ext.as_str() {
        "csv" => scw::read_cib_csv(&text).map_err(|e| {
            Failure::bad_input(miette!(
                help = "a cib csv has two header rows (descriptor, variant of each column), then one row per variant",
                "{shown}: {e}"
            ))
        }),
        _ => scw::read_scw(&text).map_err(|e| {
            Failure::bad_input(miette!(
                help = "expected a ScenarioWizard project (.scw) or a CSV matrix (.csv)",
                "{shown}: {e}"
            ))
        }),
    }
}

/// Parses `--fix D=V` against the matrix: names (case-insensitive) or numbers from 1.
fn parse_fix(matrix: &CibMatrix, text: &str) -> Result<(usize, usize), Failure> {
    let bad = |msg: String| {
        Failure::bad_input(miette!(
            help = "write --fix DESCRIPTOR=VARIANT, by name or number from 1",
            "{msg}"
        ))
    };
    let (d, v) = text.split_once('=').ok_or_else(|| bad(format!("`{text}` is not D=V")))?;
    let ds = matrix.descriptors();
    let pick = |s: &str, names: &[&str]| -> Option<usize> {
        let s = s.trim();
        names.iter().position(|n| n.eq_ignore_ascii_case(s)).or_else(|| {
            s.parse::<usize>().ok().filter(|&k| k >= 1 && k <= names.len()).map(|k| k - 1)
        })
    };
    let names: Vec<&str> = ds.iter().map(|x| x.name.as_str()).collect();
    let di = pick(d, &names).ok_or_else(|| {
        bad(format!("no descriptor `{}`; descriptors are: {}", d.trim(), names.join(", ")))
    })?;
    let variants: Vec<&str> = ds[di].variants.iter().map(String::as_str).collect();
    let vi = pick(v, &variants).ok_or_else(|| {
        bad(format!(
            "descriptor `{}` has no variant `{}`; its variants are: {}",
            ds[di].name,
            v.trim(),
            variants.join(", ")
        ))
    })?;
    Ok((di, vi))
}
