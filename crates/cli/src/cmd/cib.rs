//! `statecraft cib`: Cross-Impact Balance analysis of a ScenarioWizard project (`.scw`) or a CSV
//! matrix: the consistent scenarios, their succession weights, and optionally interventions,
//! an ensemble of matrices and judgment sensitivity.

use std::path::{Path, PathBuf};
use std::time::Duration;

use analysis::cib::CibSettings;
use clap::{Args, ValueEnum};
use engines::budget::Limit;
use engines::cib::{CibMatrix, Method, SuccessionRule};
use miette::miette;
use model::formats::scw;
use report::cib::CibFindings;

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
    #[arg(long = "ic", value_name = "T", default_value_t = defaults().tolerance)]
    pub ic: u32,
    /// The search method.
    #[arg(long, value_enum, default_value_t = MethodArg::from(defaults().method))]
    pub method: MethodArg,
    /// The succession rule used for the weights (basin sizes), or none.
    #[arg(long, value_enum, default_value_t = RuleArg::from(defaults().succession))]
    pub succession: RuleArg,
    /// Monte Carlo starts for succession when the space is larger than `--exact-limit`.
    #[arg(long, value_name = "N", default_value_t = defaults().starts)]
    pub starts: u64,
    /// Run succession from every start (exact weights) when the space has at most N scenarios
    /// (it needs 4 bytes per scenario); larger spaces use `--starts` Monte Carlo starts.
    #[arg(long, value_name = "N", default_value_t = defaults().exact_limit)]
    pub exact_limit: u64,
    /// Seed of every random draw (Monte Carlo starts, sensitivity samples).
    #[arg(long, value_name = "S", default_value_t = defaults().seed)]
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
    #[arg(long, value_name = "S", default_value_t = defaults().spread)]
    pub spread: u32,
    /// Fail when more scenarios than this qualify.
    #[arg(long, value_name = "N", default_value_t = defaults().max_scenarios)]
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

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::BranchAndBound => Method::BranchAndBound,
            MethodArg::Exhaustive => Method::Exhaustive,
        }
    }
}

impl From<Method> for MethodArg {
    fn from(m: Method) -> MethodArg {
        match m {
            Method::BranchAndBound => MethodArg::BranchAndBound,
            Method::Exhaustive => MethodArg::Exhaustive,
        }
    }
}

impl From<Option<SuccessionRule>> for RuleArg {
    fn from(r: Option<SuccessionRule>) -> RuleArg {
        match r {
            Some(SuccessionRule::Global) => RuleArg::Global,
            Some(SuccessionRule::Local) => RuleArg::Local,
            None => RuleArg::None,
        }
    }
}

/// The library's defaults, which the flags show.
fn defaults() -> CibSettings {
    CibSettings::default()
}

/// The settings the flags ask for.
fn settings(args: &CibArgs) -> Result<CibSettings, Failure> {
    let time_limit = match args.time_limit {
        Some(t) => Some(Duration::try_from_secs_f64(t).map_err(|_| {
            Failure::bad_input(miette!("--time-limit {t} is not a number of seconds"))
        })?),
        None => None,
    };
    Ok(CibSettings {
        tolerance: args.ic,
        method: args.method.into(),
        succession: match args.succession {
            RuleArg::Global => Some(SuccessionRule::Global),
            RuleArg::Local => Some(SuccessionRule::Local),
            RuleArg::None => None,
        },
        starts: args.starts,
        exact_limit: args.exact_limit,
        seed: args.seed,
        fix: args.fix.clone(),
        sensitivity: args.sensitivity,
        spread: args.spread,
        max_scenarios: args.max,
        max_nodes: args.max_nodes,
        time_limit,
    })
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
    let settings = settings(args)?;
    let (matrix, source) = load_input(args.input.as_deref(), global)?;
    let others = args.ensemble.iter().map(|p| load(p)).collect::<Result<Vec<_>, _>>()?;
    // A progress bar on long searches only (more than 10^7 scenarios).
    let bar = output::Progress::new(global, matrix.space_log10() > 7.0, "searching");
    let analysed = analysis::cib::analyse(&matrix, &others, &settings, &|d, t| bar.set(d, t));
    bar.finish();
    let a = analysed.map_err(|e| Failure::lens(e, ""))?;
    if let (Some(stopped), false) = (&a.stopped, global.quiet) {
        eprintln!(
            "statecraft: warning: the search stopped at its {} after {} of {} parts: the scenarios listed are those found so far, and the completions of {} partial scenarios were not searched to the end; raise the limit to search them",
            limit_flag(stopped.limit),
            stopped.done,
            stopped.total,
            a.unsearched.len()
        );
    }
    let findings = CibFindings::of(&source, &a);
    if let Some(path) = &args.sl {
        output::write_atomically(path, report::cib::solution_list(&findings).as_bytes())?;
    }
    Ok(match global.format {
        Format::Json => {
            let mut json = report::envelope("cib", &source, report::cib::json(&findings));
            if let Some(s) = &a.stopped {
                json["result"]["incomplete"] = serde_json::json!({
                    "limit": match s.limit { Limit::Nodes => "max-nodes", Limit::Time => "time-limit" },
                    "tasks_done": s.done,
                    "tasks_total": s.total,
                    "unsearched": a.unsearched,
                });
            }
            Rendered::Json(json)
        }
        _ => {
            let mut text = report::cib::table(&findings);
            if let Some(s) = &a.stopped {
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

/// The matrix and what to call it: from a `.scw` or `.csv` file, else from a scenario.
fn load_input(arg: Option<&str>, global: &Global) -> Result<(CibMatrix, String), Failure> {
    if let Some(path) = arg {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".scw") || lower.ends_with(".csv") {
            return Ok((load(Path::new(path))?, path.to_string()));
        }
    }
    let loaded = crate::scenario::load(arg, global)?;
    let source = loaded.source.name.clone();
    let study = analysis::cib::study_of(&loaded.scenario).map_err(|e| Failure::lens(e, &source))?;
    Ok((study.matrix, source))
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
