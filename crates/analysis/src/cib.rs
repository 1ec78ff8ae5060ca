//! The CIB lens: Cross-Impact Balance analysis (Weimer-Jehle 2006): which combinations of the
//! drivers' states are self-consistent, and how much of the scenario space flows into each
//! under succession, from a scenario or a matrix read from a peer's file.
//!
//! [`CibSettings`] holds every choice, with the defaults of `statecraft cib`; [`analyse`] runs
//! the search, the succession and the optional ensemble and sensitivity on a matrix;
//! [`from_scenario`] maps a scenario onto its matrix first.

use engines::budget::{Budget, Stopped};
use engines::cib::{
    CibMatrix, EnsembleResult, Method, SensitivityOptions, SensitivityResult, Solution,
    SolveOptions, Spread, Starts, Succession, SuccessionOptions, SuccessionRule, ensemble,
    sensitivity, solve_within, succession,
};
use model::lens::cib::{CibMapError, CibStudy};
use model::scenario::Scenario;
use std::time::Duration;

use crate::LensError;

/// Every choice of the CIB lens.
#[derive(Debug, Clone, PartialEq)]
pub struct CibSettings {
    /// List every scenario whose inconsistency is at most this (0: the consistent ones).
    pub tolerance: u32,
    /// The search method.
    pub method: Method,
    /// The succession rule of the weights (basin sizes), or `None` for no weights.
    pub succession: Option<SuccessionRule>,
    /// Monte Carlo starts of the succession when the space is larger than `exact_limit`.
    pub starts: u64,
    /// Run the succession from every start (exact weights) up to this many scenarios; it
    /// needs 4 bytes per scenario.
    pub exact_limit: u64,
    /// The seed of every random draw (Monte Carlo starts, sensitivity samples).
    pub seed: u64,
    /// Interventions: descriptor and variant held fixed, each written `D=V` by name
    /// (case-insensitive) or by number from 1.
    pub fix: Vec<String>,
    /// Perturb the judgments this many times and count how often each scenario stays
    /// consistent, when given.
    pub sensitivity: Option<u32>,
    /// How far `sensitivity` moves each non-zero judgment (a uniform integer within ±spread).
    pub spread: u32,
    /// Fail when more scenarios than this qualify.
    pub max_scenarios: usize,
    /// Stop the search after visiting about this many partial scenarios, and report what was
    /// found so far, marked incomplete.
    pub max_nodes: Option<u64>,
    /// Stop the search after this long, and report what was found so far, marked incomplete.
    pub time_limit: Option<Duration>,
}

impl Default for CibSettings {
    fn default() -> Self {
        CibSettings {
            tolerance: 0,
            method: Method::BranchAndBound,
            succession: Some(SuccessionRule::Global),
            starts: 100_000,
            exact_limit: 50_000_000,
            seed: 1,
            fix: Vec::new(),
            sensitivity: None,
            spread: 1,
            max_scenarios: 100_000,
            max_nodes: None,
            time_limit: None,
        }
    }
}

/// A succession run and the rule it used.
#[derive(Debug, Clone)]
pub struct SuccessionSummary {
    /// Global or local.
    pub rule: SuccessionRule,
    /// What it found.
    pub result: Succession,
}

/// What the CIB lens found.
#[derive(Debug, Clone)]
pub struct CibAnalysis {
    /// The matrix analysed.
    pub matrix: CibMatrix,
    /// The inconsistency tolerance used.
    pub tolerance: u32,
    /// The search method used.
    pub method: Method,
    /// The interventions, as (descriptor, variant) indices.
    pub fixed: Vec<(usize, usize)>,
    /// The scenarios found.
    pub solution: Solution,
    /// The succession run, if any.
    pub succession: Option<SuccessionSummary>,
    /// How many members of the ensemble find each scenario consistent, if an ensemble was given.
    pub ensemble: Option<EnsembleResult>,
    /// How often each scenario stays consistent under perturbed judgments, if asked.
    pub sensitivity: Option<SensitivityResult>,
    /// Why the search stopped before the end, when a node or time limit ran out: then
    /// `solution` lists the scenarios found so far.
    pub stopped: Option<Stopped>,
    /// The partial scenarios (fixed descriptor, variant pairs) whose completions were not
    /// searched, when the search stopped early.
    pub unsearched: Vec<Vec<(usize, usize)>>,
}

/// A scenario's CIB analysis, with the study that maps its drivers onto the matrix.
#[derive(Debug, Clone)]
pub struct ScenarioCib {
    /// The drivers and the matrix.
    pub study: CibStudy,
    /// What the lens found.
    pub analysis: CibAnalysis,
}

/// Maps a scenario onto its cross-impact matrix and analyses it.
///
/// # Errors
/// Bad input when the scenario has no cross impacts or its matrix cannot be built; otherwise
/// those of [`analyse`].
pub fn from_scenario(s: &Scenario, settings: &CibSettings) -> Result<ScenarioCib, LensError> {
    let study = study_of(s)?;
    let analysis = analyse(&study.matrix, &[], settings, &|_, _| {})?;
    Ok(ScenarioCib { study, analysis })
}

/// The scenario's cross-impact study.
///
/// # Errors
/// Bad input when the scenario has no cross impacts or its matrix cannot be built.
pub fn study_of(s: &Scenario) -> Result<CibStudy, LensError> {
    CibStudy::from_scenario(s).map_err(|e| {
        let help = match e {
            CibMapError::NoCrossImpacts => {
                "give the scenario `[[driver]]` tables and `[[cross_impact]]` judgments between them"
            }
            _ => "see docs/cib.md for how drivers and cross impacts make the matrix",
        };
        LensError::bad_input(e.to_string()).with_help(help)
    })
}

/// Analyses a matrix: the scenarios within the tolerance, their succession weights, and, when
/// asked, the ensemble of `others` (more matrices over the same descriptors) and the
/// sensitivity to the judgments. `progress(done, total)` is called as the search advances, from
/// any thread.
///
/// # Errors
/// Bad input for an intervention that names no descriptor or variant, too many scenarios, an
/// ensemble member of another shape, or a sensitivity that cannot run.
pub fn analyse(
    matrix: &CibMatrix,
    others: &[CibMatrix],
    settings: &CibSettings,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<CibAnalysis, LensError> {
    crate::count::count("cib");
    let fixed = settings.fix.iter().map(|f| parse_fix(matrix, f)).collect::<Result<Vec<_>, _>>()?;
    let solve_options = SolveOptions {
        method: settings.method,
        tolerance: settings.tolerance,
        fixed: fixed.clone(),
        max_scenarios: settings.max_scenarios,
    };
    let budget =
        Budget { max_nodes: settings.max_nodes, max_time: settings.time_limit, max_bytes: None };
    let bounded = solve_within(matrix, &solve_options, &budget, progress).map_err(|e| {
        LensError::bad_input(e.to_string()).with_help(
            "`--method branch-and-bound` handles large spaces; `--ic` lower keeps fewer scenarios",
        )
    })?;
    let succession = match settings.succession {
        Some(rule) => {
            let starts = Starts::Auto {
                limit: settings.exact_limit,
                count: settings.starts,
                seed: settings.seed,
            };
            let result =
                succession(matrix, &SuccessionOptions { rule, starts, fixed: fixed.clone() })
                    .map_err(|e| LensError::bad_input(e.to_string()))?;
            Some(SuccessionSummary { rule, result })
        }
        None => None,
    };
    let ensemble = if others.is_empty() {
        None
    } else {
        let mut members = vec![matrix.clone()];
        members.extend(others.iter().cloned());
        Some(ensemble(&members, &solve_options).map_err(|e| {
            LensError::bad_input(e.to_string())
                .with_help("every ensemble member needs the same descriptors")
        })?)
    };
    let sensitivity = match settings.sensitivity {
        Some(samples) => {
            let o = SensitivityOptions {
                solve: solve_options,
                spread: Spread::NonZero(settings.spread),
                samples,
                seed: settings.seed,
            };
            Some(sensitivity(matrix, &o).map_err(|e| LensError::bad_input(e.to_string()))?)
        }
        None => None,
    };
    Ok(CibAnalysis {
        stopped: bounded.stopped,
        unsearched: bounded.unsearched,
        matrix: matrix.clone(),
        tolerance: settings.tolerance,
        method: settings.method,
        fixed,
        solution: bounded.solution,
        succession,
        ensemble,
        sensitivity,
    })
}

/// Parses an intervention `D=V` against the matrix: names (case-insensitive) or numbers from 1.
fn parse_fix(matrix: &CibMatrix, text: &str) -> Result<(usize, usize), LensError> {
    let bad = |msg: String| {
        LensError::bad_input(msg)
            .with_help("write --fix DESCRIPTOR=VARIANT, by name or number from 1")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn korea() -> Scenario {
        model::builtin::load(&model::builtin::BUILTINS[0])
            .map(|l| l.scenario)
            .unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn fix_by_name_or_number() {
        let study = study_of(&korea()).unwrap();
        let m = &study.matrix;
        let first = &m.descriptors()[0];
        let by_name = parse_fix(m, &format!("{}={}", first.name.to_uppercase(), first.variants[1]));
        assert_eq!(by_name, Ok((0, 1)));
        assert_eq!(parse_fix(m, "1=2"), Ok((0, 1)));
    }

    #[test]
    fn err_fix_names_what_exists() {
        let study = study_of(&korea()).unwrap();
        let m = &study.matrix;
        let e = parse_fix(m, "nowhere=1").unwrap_err();
        assert!(e.message.contains("descriptors are:"), "{}", e.message);
        let e = parse_fix(m, "1=99").unwrap_err();
        assert!(e.message.contains("its variants are:"), "{}", e.message);
        assert!(parse_fix(m, "no equals sign").is_err());
    }
}
