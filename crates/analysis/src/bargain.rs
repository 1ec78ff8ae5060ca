//! The bargaining lens: where each contested issue settles, under the weighted-mean baseline,
//! Bueno de Mesquita's expected utility model (as reconstructed by Scholz et al. 2011) or
//! KTAB's spatial model, from a scenario or from a bargaining table read from a file.
//!
//! [`BargainSettings`] holds every choice, with the defaults of `statecraft bargain`;
//! [`analyse`] runs one model (and its perturbations) on a study; [`ScenarioBargain`] is what
//! `statecraft run` shows: both models beside the baseline, and the forecasts the other lenses
//! compare with.

use engines::bargain::eum::{
    self, Capitulation, Detail, EumError, EumOptions, EumOutcome, OfferSelection, WinProbability,
};
use engines::bargain::perturb::{self, Fan, PerturbOptions};
use engines::bargain::smp::{self, SmpOptions, SmpOutcome};
use engines::bargain::{IssueBaseline, baseline};
use engines::budget::{Budget, Stopped};
use model::lens::bargain::BargainStudy;
use model::lens::games::compare::{Forecast, IssueForecast};
use model::scenario::Scenario;

use crate::LensError;

/// The bargaining models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// The capability × salience weighted mean and median of the initial positions.
    Baseline,
    /// Bueno de Mesquita's expected utility model, per issue.
    Eum,
    /// KTAB's Spatial Model of Politics, all issues jointly.
    Smp,
}

/// Every choice of the bargaining lens.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainSettings {
    /// The model; `None` picks the spatial model for KTAB's CSV and the expected utility model
    /// otherwise.
    pub model: Option<Model>,
    /// Only these issues of a scenario (all when empty).
    pub issues: Vec<String>,
    /// The most rounds (eum, default 10) or turns (smp, default KTAB's 100).
    pub rounds: Option<usize>,
    /// Rerun on seeded perturbations of the input, when given.
    pub perturb: Option<PerturbOptions>,
    /// The expected utility model's options (its `max_rounds` is set from `rounds`).
    pub eum: EumOptions,
    /// Refuse a run whose estimated memory exceeds this many bytes, and stop one after the
    /// round or turn during which this much time has passed (the run so far is reported,
    /// marked incomplete).
    pub budget: Budget,
}

/// The default memory limit of a bargaining run: 4 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 4 << 30;

impl Default for BargainSettings {
    fn default() -> Self {
        BargainSettings {
            model: None,
            issues: Vec::new(),
            rounds: None,
            perturb: None,
            eum: EumOptions::scholz(),
            budget: Budget {
                max_nodes: None,
                max_time: None,
                max_bytes: Some(DEFAULT_MEMORY_LIMIT),
            },
        }
    }
}

/// The default perturbation of `--perturb N`: positions by ±5 % of the scale, saliences and
/// capabilities by a factor of 1 ± 20 %, seed 0.
pub fn default_perturbation(runs: usize) -> PerturbOptions {
    PerturbOptions { runs, seed: 0, position: 0.05, salience: 0.2, capability: 0.2 }
}

impl BargainSettings {
    /// The expected utility options these settings ask for.
    pub fn eum_options(&self) -> EumOptions {
        EumOptions {
            max_rounds: self.rounds.unwrap_or(self.eum.max_rounds),
            detail: Detail::Accepted,
            ..self.eum.clone()
        }
    }

    /// The spatial model options these settings ask for: KTAB's, with at most `rounds` turns.
    pub fn smp_options(&self) -> SmpOptions {
        let mut o = SmpOptions::ktab();
        if let Some(n) = self.rounds {
            o.max_turns = n;
            o.min_turns = o.min_turns.min(n);
        }
        o
    }
}

/// What a model run produced.
#[derive(Debug, Clone)]
pub enum Run {
    /// Only the baseline.
    Baseline,
    /// The expected utility model, one outcome per issue of the study.
    Eum(Vec<Result<EumOutcome, EumError>>),
    /// KTAB's spatial model on all issues jointly.
    Smp(SmpOutcome),
}

/// One model's run on a study, with the baseline beside it.
#[derive(Debug, Clone)]
pub struct BargainResult {
    /// The model's settings in words.
    pub options: String,
    /// Each issue's baseline, from its own actors.
    pub baseline: Vec<IssueBaseline>,
    /// The model's outcome.
    pub run: Run,
    /// The perturbation fan, if asked for.
    pub fan: Option<Fan>,
    /// The runs that stopped at the time limit before they ended, with what each was (an
    /// issue's id, or `all issues` for the spatial model).
    pub stopped: Vec<(String, Stopped)>,
}

/// Reads the study of a scenario: its issues (or the ones `settings` names) and the actors
/// with a stance on them.
///
/// # Errors
/// Bad input when the scenario has no issue to bargain over, or names one it lacks.
pub fn study_of(s: &Scenario, settings: &BargainSettings) -> Result<BargainStudy, LensError> {
    BargainStudy::from_scenario(s, &settings.issues).map_err(|e| {
        LensError::bad_input(e.to_string()).with_help(
            "give the scenario `[[issue]]` tables with a `[[issue.stance]]` per actor involved",
        )
    })
}

/// Runs the chosen model (and the perturbations) on a study; `ktab` says whether it came from
/// KTAB's CSV format, which makes the spatial model the default.
///
/// # Errors
/// Bad input when the expected utility options are out of range or the spatial model rejects
/// the study; an analysis error when a perturbed run fails.
pub fn analyse(
    study: &BargainStudy,
    settings: &BargainSettings,
    ktab: bool,
) -> Result<BargainResult, LensError> {
    crate::count::count("bargain");
    let model = settings.model.unwrap_or(if ktab { Model::Smp } else { Model::Eum });
    let base = baselines(study);
    let eo = settings.eum_options();
    let so = settings.smp_options();
    let mut stopped = Vec::new();
    let (run, options) = match model {
        Model::Baseline => (Run::Baseline, "no bargaining: initial positions".to_string()),
        Model::Eum => {
            // Options are checked once here so that a bad Q is bad input, not a per-issue note.
            if let Some(first) = study.per_issue.first() {
                if let Err(e @ EumError::Option { .. }) =
                    eum::eum(&first.input, 0, &EumOptions { max_rounds: 0, ..eo.clone() })
                {
                    return Err(LensError::bad_input(e.to_string()));
                }
            }
            let mut outcomes = Vec::with_capacity(study.per_issue.len());
            for (i, id) in study.per_issue.iter().zip(&study.issue_ids) {
                match eum::eum_within(&i.input, 0, &eo, &settings.budget, &|_, _| {}) {
                    Ok(b) => {
                        stopped.extend(b.stopped.map(|s| (id.clone(), s)));
                        outcomes.push(Ok(b.outcome));
                    }
                    Err(e @ EumError::TooLarge { .. }) => return Err(too_large(&e)),
                    Err(e) => outcomes.push(Err(e)),
                }
            }
            (Run::Eum(outcomes), eum_words(&eo))
        }
        Model::Smp => {
            let b = match smp::smp_within(&study.smp_input(), &so, &settings.budget, &|_, _| {}) {
                Ok(b) => b,
                Err(e @ smp::SmpError::TooLarge { .. }) => return Err(too_large(&e)),
                Err(e) => return Err(LensError::bad_input(e.to_string())),
            };
            stopped.extend(b.stopped.map(|s| ("all issues".to_string(), s)));
            (Run::Smp(b.outcome), format!("KTAB smpc defaults, at most {} turns", so.max_turns))
        }
    };
    let fan = match &settings.perturb {
        None => None,
        Some(po) => {
            let fail = |e: perturb::PerturbError| LensError::analysis(e.to_string());
            Some(match model {
                Model::Baseline => {
                    fan_per_issue(study, &perturb::Model::Baseline, po).map_err(fail)?
                }
                Model::Eum => fan_per_issue(study, &perturb::Model::Eum(eo), po).map_err(fail)?,
                Model::Smp => {
                    perturb::fan(&study.smp_input(), &perturb::Model::Smp(so), po).map_err(fail)?
                }
            })
        }
    };
    Ok(BargainResult { options, baseline: base, run, fan, stopped })
}

/// A run refused for the memory it would need.
fn too_large(e: &dyn std::fmt::Display) -> LensError {
    LensError::analysis(e.to_string()).with_help(
        "raise the memory limit (--memory-limit) if the machine has the memory, or bargain over fewer actors",
    )
}

/// Each issue's weighted-mean baseline, from its own actors.
fn baselines(study: &BargainStudy) -> Vec<IssueBaseline> {
    study.per_issue.iter().map(|i| baseline(&i.input).issues[0].clone()).collect()
}

/// The expected utility model's settings in words, with the command line's spelling of each.
fn eum_words(eo: &EumOptions) -> String {
    let win = match eo.win_probability {
        WinProbability::Global => "global",
        WinProbability::Pairwise => "pairwise",
    };
    let offers = match eo.offer_selection {
        OfferSelection::Scholz => "scholz",
        OfferSelection::LeastMove => "least-move",
    };
    let capitulation = match eo.capitulation {
        Capitulation::ScholzCode => "scholz-code",
        Capitulation::Printed => "printed",
    };
    format!(
        "win probability {win}, offers {offers}, capitulation {capitulation}, Q {}, T {}, at most {} rounds",
        eo.q, eo.t, eo.max_rounds
    )
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

/// What `statecraft run` shows of bargaining on a scenario: the expected utility model with
/// the settings given (Scholz et al.'s by default) and KTAB's spatial model, each beside the
/// weighted-mean baseline.
#[derive(Debug, Clone)]
pub struct ScenarioBargain {
    /// The issues and actors bargained over.
    pub study: BargainStudy,
    /// The expected utility model's run.
    pub eum: BargainResult,
    /// The spatial model's run, or why it could not be done.
    pub smp: Result<BargainResult, LensError>,
}

/// Runs both models on a scenario's issues, for `statecraft run`.
///
/// # Errors
/// Those of [`study_of`] and of the expected utility model's [`analyse`].
pub fn scenario(s: &Scenario, settings: &BargainSettings) -> Result<ScenarioBargain, LensError> {
    let study = study_of(s, settings)?;
    let eum =
        analyse(&study, &BargainSettings { model: Some(Model::Eum), ..settings.clone() }, false)?;
    let smp = run_smp(&study, settings);
    Ok(ScenarioBargain { study, eum, smp })
}

/// The spatial model's run beside the expected utility model's, with KTAB's defaults; counted
/// with the same lens, not as another evaluation.
fn run_smp(study: &BargainStudy, settings: &BargainSettings) -> Result<BargainResult, LensError> {
    let so = settings.smp_options();
    let out = smp::smp(&study.smp_input(), &so).map_err(|e| LensError::analysis(e.to_string()))?;
    Ok(BargainResult {
        options: "KTAB smpc defaults".into(),
        baseline: baselines(study),
        run: Run::Smp(out),
        fan: None,
        stopped: Vec::new(),
    })
}

impl ScenarioBargain {
    /// The forecasts the games lens and the answer compare with: each issue's baseline mean
    /// and median, and the expected utility model's final mean and median (a point the model
    /// cannot give is left out).
    pub fn forecasts(&self) -> Vec<IssueForecast> {
        let outcomes = match &self.eum.run {
            Run::Eum(o) => o.as_slice(),
            _ => &[],
        };
        self.study
            .issue_ids
            .iter()
            .enumerate()
            .map(|(k, id)| {
                let mut points = Vec::new();
                let mut push = |label: &str, v: Option<f64>| {
                    if let Some(value) = v.filter(|v| v.is_finite()) {
                        points.push(Forecast { label: label.into(), value });
                    }
                };
                if let Some(b) = self.eum.baseline.get(k) {
                    push("baseline mean", b.mean);
                    push("baseline median", b.median);
                }
                if let Some(Ok(o)) = outcomes.get(k) {
                    push("eum mean", Some(o.rounds.last().map_or(o.initial_mean, |r| r.mean)));
                    push(
                        "eum median",
                        Some(o.rounds.last().map_or(o.initial_median, |r| r.median)),
                    );
                }
                IssueForecast { issue: id.clone(), points }
            })
            .collect()
    }
}
