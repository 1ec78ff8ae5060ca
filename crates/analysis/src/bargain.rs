//! The bargaining lens: where each contested issue settles, under the weighted-mean baseline,
//! Bueno de Mesquita's expected utility model (as reconstructed by Scholz et al. 2011) or
//! KTAB's spatial model, from a scenario or from a bargaining table read from a file.
//!
//! [`BargainSettings`] holds every choice, with the defaults of `statecraft bargain`;
//! [`analyse`] runs one model (and its perturbations) on a study; [`ScenarioBargain`] is what
//! `statecraft run` shows: both models beside the baseline, and the forecasts the other lenses
//! compare with.

use engines::bargain::eum::{
    self, Capitulation, Cycle, Detail, EumError, EumOptions, EumOutcome, OfferSelection,
    Termination, WinProbability,
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
    /// issue's id, or [`ALL_ISSUES`] for the spatial model).
    pub stopped: Vec<(String, Stopped)>,
    /// For the expected utility model, one verdict per issue of the study (`None` where the
    /// model gave no outcome); empty for the other models.
    pub verdicts: Vec<Option<Verdict>>,
}

/// How many round limits on either side of the one asked for [`Verdict::by_limit`] tries.
pub const LIMIT_SPREAD: usize = 2;

/// Whether the expected utility model's result on one issue is a point forecast: why the run
/// stopped, the cycle it ended in, and the final weighted mean under neighbouring round
/// limits.
///
/// The model's round cap is a setting, not a finding: a run that has not settled when the cap
/// stops it reports wherever the positions happen to be in that round. So a point forecast is
/// stated only when the run settled (a round in which no position moved by more than the
/// model's tolerance) and the final means under round limits `max − 2 … max + 2` lie within
/// `engines::prec::BARGAIN_STABLE` of the scale's width of each other; otherwise there is
/// none, and the reports give the range instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Why the run at the limit asked for stopped.
    pub termination: Termination,
    /// The actors (indices in the study's actors) whose direction of movement reversed at
    /// least twice.
    pub oscillating: Vec<usize>,
    /// The cycle the run ended in, if its positions repeat.
    pub cycle: Option<Cycle>,
    /// `(round limit, final weighted mean)` for every limit from `max − LIMIT_SPREAD` (at
    /// least 1) to `max + LIMIT_SPREAD`.
    pub by_limit: Vec<(usize, f64)>,
    /// The largest minus the smallest mean of `by_limit`.
    pub spread: f64,
    /// The forecast (the final weighted mean) when the run settled and `spread` is within the
    /// stability tolerance; `None` otherwise.
    pub point: Option<f64>,
}

impl Verdict {
    /// The verdict on one issue's outcome `o` under options `eo`, from a run of the same issue
    /// with `LIMIT_SPREAD` more rounds (`longer`). A round depends only on the positions
    /// before it, so the run capped at `k` rounds is the first `k` rounds of `longer`, and
    /// `longer` settled at round `r < k` means the run capped at `k` settled there too.
    pub fn of(
        o: &EumOutcome,
        longer: &EumOutcome,
        eo: &EumOptions,
        members: &[usize],
        scale: f64,
    ) -> Verdict {
        let lo = eo.max_rounds.saturating_sub(LIMIT_SPREAD).max(1);
        let by_limit: Vec<(usize, f64)> = (lo..=eo.max_rounds + LIMIT_SPREAD)
            .map(|k| {
                let mean = match k.min(longer.rounds.len()) {
                    0 => longer.initial_mean,
                    n => longer.rounds[n - 1].mean,
                };
                (k, mean)
            })
            .collect();
        let (min, max) = by_limit
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, m)| (a.min(m), b.max(m)));
        let spread = max - min;
        let settled = matches!(o.termination, Termination::Settled { .. } | Termination::Consensus);
        let last = o.rounds.last().map_or(o.initial_mean, |r| r.mean);
        let point = (settled && spread <= engines::prec::BARGAIN_STABLE * scale).then_some(last);
        Verdict {
            termination: o.termination,
            oscillating: o.oscillating.iter().map(|&k| members[k]).collect(),
            cycle: o.cycle(engines::prec::CYCLE),
            by_limit,
            spread,
            point,
        }
    }
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

/// What [`BargainResult::stopped`] calls the spatial model's run, which bargains over every
/// issue at once.
pub const ALL_ISSUES: &str = "all issues";

/// Runs the chosen model (and the perturbations) on a study; `ktab` says whether it came from
/// KTAB's CSV format, which makes the spatial model the default. `progress(done, total)` follows
/// each run of the model (eum: receivers weighed, per issue; smp: turns), for a progress bar.
///
/// # Errors
/// Bad input when the expected utility options are out of range or the spatial model rejects
/// the study; an analysis error when a perturbed run fails.
pub fn analyse(
    study: &BargainStudy,
    settings: &BargainSettings,
    ktab: bool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<BargainResult, LensError> {
    crate::count::count("bargain");
    let model = settings.model.unwrap_or(if ktab { Model::Smp } else { Model::Eum });
    let base = baselines(study);
    let eo = settings.eum_options();
    let so = settings.smp_options();
    let mut stopped = Vec::new();
    let mut verdicts = Vec::new();
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
            let longer = EumOptions { max_rounds: eo.max_rounds + LIMIT_SPREAD, ..eo.clone() };
            for (i, id) in study.per_issue.iter().zip(&study.issue_ids) {
                match eum::eum_within(&i.input, 0, &eo, &settings.budget, progress) {
                    Ok(b) => {
                        let scale = i.input.issue(0).scale_max - i.input.issue(0).scale_min;
                        let verdict = match &b.stopped {
                            // A run cut short by the budget says nothing about other limits.
                            Some(_) => None,
                            None => {
                                eum::eum_within(&i.input, 0, &longer, &settings.budget, &|_, _| {})
                                    .ok()
                                    .filter(|l| l.stopped.is_none())
                                    .map(|l| {
                                        Verdict::of(&b.outcome, &l.outcome, &eo, &i.actors, scale)
                                    })
                            }
                        };
                        verdicts.push(verdict);
                        stopped.extend(b.stopped.map(|s| (id.clone(), s)));
                        outcomes.push(Ok(b.outcome));
                    }
                    Err(e @ EumError::TooLarge { .. }) => return Err(too_large(&e)),
                    Err(e) => {
                        verdicts.push(None);
                        outcomes.push(Err(e));
                    }
                }
            }
            (Run::Eum(outcomes), eum_words(&eo))
        }
        Model::Smp => {
            let b = match smp::smp_within(&study.smp_input(), &so, &settings.budget, progress) {
                Ok(b) => b,
                Err(e @ smp::SmpError::TooLarge { .. }) => return Err(too_large(&e)),
                Err(e) => return Err(LensError::bad_input(e.to_string())),
            };
            stopped.extend(b.stopped.map(|s| (ALL_ISSUES.to_string(), s)));
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
    Ok(BargainResult { options, baseline: base, run, fan, stopped, verdicts })
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
    let eum = analyse(
        &study,
        &BargainSettings { model: Some(Model::Eum), ..settings.clone() },
        false,
        &|_, _| {},
    )?;
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
        verdicts: Vec::new(),
    })
}

impl ScenarioBargain {
    /// The forecasts the games lens compares with: each issue's baseline mean and median, and
    /// the expected utility model's final mean and median when its [`Verdict`] has a point
    /// forecast (a point the model cannot give, or gives only as an artefact of its round cap,
    /// is left out).
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
                // An unstable run's last round is an artefact of the round cap, not a forecast.
                let stable = matches!(self.eum.verdicts.get(k), Some(Some(v)) if v.point.is_some());
                if let (Some(Ok(o)), true) = (outcomes.get(k), stable) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use engines::prec::{REFERENCE, REORDER};

    const EU: &str = include_str!("../../../tests/fixtures/bargain/eu_emissions_bdm1994.csv");
    const EU_POSITIONS: &str =
        include_str!("../../../tests/fixtures/bargain/eu_emissions_scholz_code_positions.csv");

    fn korea() -> ScenarioBargain {
        let loaded = model::builtin::load(&model::builtin::BUILTINS[0]).unwrap();
        scenario(&loaded.scenario, &BargainSettings::default()).unwrap()
    }

    /// South Korean support to Ukraine in korea-2024 cycles: the United States moves
    /// 70 → 50 → 13.9 and back, so the run is stopped by its round cap, no point forecast is
    /// given, and the cycle's range holds every round limit's result.
    #[test]
    fn a_cycling_issue_has_a_range_and_no_point_forecast() {
        let b = korea();
        assert_eq!(b.study.issue_ids, ["rok_support"], "the other two are own choices");
        let v = b.eum.verdicts[0].as_ref().expect("a verdict");
        assert_eq!(v.termination, Termination::RoundCap);
        let usa = b.study.actor_ids.iter().position(|a| a == "usa").unwrap();
        assert_eq!(v.oscillating, [usa]);
        let c = v.cycle.expect("the run ends in a cycle");
        assert_eq!(c.period, 3);
        assert_eq!(v.point, None);
        let limits: Vec<usize> = v.by_limit.iter().map(|x| x.0).collect();
        assert_eq!(limits, [8, 9, 10, 11, 12]);
        for &(_, m) in &v.by_limit {
            assert!(c.mean_min - REORDER <= m && m <= c.mean_max + REORDER, "{m} outside {c:?}");
        }
        assert!((v.spread - (c.mean_max - c.mean_min)).abs() <= REORDER);
        // Limits 8–12 give 44.54, 39.15, 29.41, 44.54, 39.15 (issue #14 quotes 44.5, 39.2,
        // 29.4, 44.5, 39.2).
        let rounded: Vec<f64> = v.by_limit.iter().map(|x| (x.1 * 100.0).round() / 100.0).collect();
        assert_eq!(rounded, [44.54, 39.15, 29.41, 44.54, 39.15]);
        // Without a point forecast, the games lens is not handed the last round as one.
        let labels: Vec<String> = b.forecasts()[0].points.iter().map(|p| p.label.clone()).collect();
        assert_eq!(labels, ["baseline mean", "baseline median"]);
    }

    /// Each limit's mean is what a run capped at that limit ends with: the verdict reads the
    /// limits off one longer run, which holds because a round depends only on the positions
    /// before it.
    #[test]
    fn each_limit_is_a_run_with_that_cap() {
        let b = korea();
        let v = b.eum.verdicts[0].as_ref().unwrap();
        let input = &b.study.per_issue[0].input;
        for &(k, m) in &v.by_limit {
            let o =
                eum::eum(input, 0, &EumOptions { max_rounds: k, ..EumOptions::scholz() }).unwrap();
            assert_eq!(o.rounds.last().map(|r| r.mean), Some(m), "limit {k}");
        }
    }

    /// The European emissions case of Bueno de Mesquita (1994) oscillates without repeating
    /// within 12 rounds: no cycle, no point forecast, and the means at limits 8–10 are the
    /// published replication's weighted means after rounds 8–10.
    #[test]
    fn the_eu_case_is_unstable_as_the_replication_shows() {
        let table = model::formats::bargain_csv::read(EU).unwrap();
        let study = BargainStudy::from_table(table);
        let r = analyse(&study, &BargainSettings::default(), false, &|_, _| {}).unwrap();
        let v = r.verdicts[0].as_ref().unwrap();
        assert_eq!((v.cycle, v.point), (None, None));
        let published: Vec<f64> = EU_POSITIONS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("round"))
            .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
            .collect();
        for &(k, m) in v.by_limit.iter().filter(|x| x.0 <= 10) {
            assert!((m - published[k]).abs() <= REFERENCE, "limit {k}: {m} vs {}", published[k]);
        }
    }

    /// The minimal scenario's issue settles, the same under every limit: a point forecast.
    #[test]
    fn a_settled_stable_issue_has_a_point_forecast() {
        let loaded = model::builtin::load(&model::builtin::BUILTINS[1]).unwrap();
        let b = scenario(&loaded.scenario, &BargainSettings::default()).unwrap();
        let v = b.eum.verdicts[0].as_ref().unwrap();
        assert!(matches!(v.termination, Termination::Settled { .. }), "{:?}", v.termination);
        assert_eq!(v.cycle, None);
        let point = v.point.expect("a point forecast");
        assert!((point - 90.0).abs() < 0.5, "{point}");
    }
}
