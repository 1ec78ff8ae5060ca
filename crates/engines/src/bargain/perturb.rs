//! Sensitivity by seeded perturbation: rerun a model on many randomly perturbed copies of the
//! input and report, per issue, the distribution of the forecast (a fan rather than a point).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::eum::{EumError, EumOptions, eum};
use super::smp::{SmpError, SmpOptions, smp};
use super::{BargainInput, IssueData, baseline, weighted_mean};

/// Which model each perturbed run uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// The weighted mean of the initial positions.
    Baseline,
    /// The expected utility model on every issue separately; the forecast is the final
    /// weighted mean.
    Eum(EumOptions),
    /// KTAB's spatial model on all issues jointly; the forecast is the final weighted mean.
    Smp(SmpOptions),
}

/// How much to perturb, and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct PerturbOptions {
    /// The number of perturbed runs (at least 1).
    pub runs: usize,
    /// The seed of the ChaCha8 generator: the same seed gives the same fan.
    pub seed: u64,
    /// Positions move by up to ± this fraction of their issue's scale width (clipped to the scale).
    pub position: f64,
    /// Saliences are multiplied by 1 ± up to this fraction (clipped to [0, 1]; an actor whose
    /// saliences then sum to more than 1 has them scaled down to sum to 1).
    pub salience: f64,
    /// Capabilities are multiplied by 1 ± up to this fraction.
    pub capability: f64,
}

/// The distribution of one issue's forecast over the perturbed runs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IssueFan {
    /// The forecast on the unperturbed input.
    pub unperturbed: f64,
    /// The smallest forecast.
    pub min: f64,
    /// The 10th percentile.
    pub p10: f64,
    /// The 25th percentile.
    pub p25: f64,
    /// The median.
    pub p50: f64,
    /// The 75th percentile.
    pub p75: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The largest forecast.
    pub max: f64,
}

/// The fan of every issue, in issue order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Fan {
    /// The number of perturbed runs.
    pub runs: usize,
    /// The seed used.
    pub seed: u64,
    /// One entry per issue.
    pub issues: Vec<IssueFan>,
}

/// Why [`fan`] could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PerturbError {
    /// `runs` is 0, or a perturbation size is negative or not finite.
    #[error("perturbation option {name} is out of range")]
    Option {
        /// The option's name.
        name: &'static str,
    },
    /// The expected utility model failed on the unperturbed input.
    #[error(transparent)]
    Eum(#[from] EumError),
    /// The spatial model failed on the unperturbed input.
    #[error(transparent)]
    Smp(#[from] SmpError),
    /// Every actor has zero capability × salience on an issue, so it has no forecast.
    #[error("every actor has zero weight on issue {issue}")]
    NoWeight {
        /// The issue.
        issue: usize,
    },
}

/// Reruns `model` on `options.runs` perturbed copies of `input` and reports each issue's
/// forecast distribution.
///
/// Perturbation follows the practice of Monte Carlo sensitivity analysis of expected-utility
/// forecasts (e.g. Bueno de Mesquita 2011, "A new model for predicting policy choices",
/// *Conflict Management and Peace Science* 28(1):65–87, section 4): every input is drawn
/// uniformly within the stated ranges, independently, from a ChaCha8 stream seeded by
/// `options.seed`. A perturbed run that the model rejects (for instance a copy in which every
/// capability rounded to zero) is left out of the fan.
///
/// # Errors
/// [`PerturbError::Option`] for zero runs or a negative range; the model's own error when it
/// fails on the unperturbed input; [`PerturbError::NoWeight`] when an issue has no forecast.
///
/// # Complexity
/// `runs` times the model's cost, runs in parallel; the result does not depend on the number
/// of threads (inputs are drawn in order before any run starts).
///
/// # Example
/// ```
/// use engines::bargain::{BargainInput, IssueData};
/// use engines::bargain::perturb::{Model, PerturbError, PerturbOptions, fan};
/// let issue = IssueData {
///     scale_min: 0.0, scale_max: 10.0, position: vec![2.0, 5.0, 9.0], salience: vec![0.5, 0.9, 0.4],
/// };
/// let input = BargainInput::new(vec![1.0, 2.0, 1.5], vec![issue]).unwrap();
/// let options = PerturbOptions { runs: 50, seed: 7, position: 0.05, salience: 0.2, capability: 0.2 };
/// let f = fan(&input, &Model::Baseline, &options).unwrap();
/// assert!(f.issues[0].min <= f.issues[0].p50 && f.issues[0].p50 <= f.issues[0].max);
/// let none = PerturbOptions { runs: 0, ..options };
/// assert_eq!(fan(&input, &Model::Baseline, &none), Err(PerturbError::Option { name: "runs" }));
/// ```
pub fn fan(
    input: &BargainInput,
    model: &Model,
    options: &PerturbOptions,
) -> Result<Fan, PerturbError> {
    if options.runs == 0 {
        return Err(PerturbError::Option { name: "runs" });
    }
    for (name, v) in [
        ("position", options.position),
        ("salience", options.salience),
        ("capability", options.capability),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(PerturbError::Option { name });
        }
    }
    let unperturbed = forecast(input, model)?;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let copies: Vec<Option<BargainInput>> =
        (0..options.runs).map(|_| perturbed(input, options, &mut rng)).collect();
    let results: Vec<Option<Vec<f64>>> =
        copies.par_iter().map(|c| c.as_ref().and_then(|c| forecast(c, model).ok())).collect();
    let issues = (0..input.n_issues())
        .map(|d| {
            let mut v: Vec<f64> = results.iter().flatten().map(|r| r[d]).collect();
            v.sort_by(f64::total_cmp);
            let q = |p: f64| quantile(&v, p).unwrap_or(unperturbed[d]);
            IssueFan {
                unperturbed: unperturbed[d],
                min: q(0.0),
                p10: q(0.1),
                p25: q(0.25),
                p50: q(0.5),
                p75: q(0.75),
                p90: q(0.9),
                max: q(1.0),
            }
        })
        .collect();
    Ok(Fan { runs: options.runs, seed: options.seed, issues })
}

/// The linearly interpolated quantile of sorted data, `None` when empty.
fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = p * last as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// One issue-by-issue forecast of `model` on `input`.
fn forecast(input: &BargainInput, model: &Model) -> Result<Vec<f64>, PerturbError> {
    let c = input.capability();
    let mean_of = |d: usize, x: &[f64]| {
        let w: Vec<f64> = c.iter().zip(&input.issue(d).salience).map(|(c, s)| c * s).collect();
        weighted_mean(&w, x).ok_or(PerturbError::NoWeight { issue: d })
    };
    match model {
        Model::Baseline => baseline(input)
            .issues
            .iter()
            .enumerate()
            .map(|(d, b)| b.mean.ok_or(PerturbError::NoWeight { issue: d }))
            .collect(),
        Model::Eum(o) => (0..input.n_issues())
            .map(|d| {
                let out = eum(input, d, o)?;
                mean_of(d, out.final_positions())
            })
            .collect(),
        Model::Smp(o) => {
            let out = smp(input, o)?;
            let fin = out.final_positions();
            (0..input.n_issues())
                .map(|d| mean_of(d, &fin.iter().map(|p| p[d]).collect::<Vec<_>>()))
                .collect()
        }
    }
}

/// A perturbed copy of `input`, or `None` if the draw is not a valid input.
fn perturbed(
    input: &BargainInput,
    o: &PerturbOptions,
    rng: &mut ChaCha8Rng,
) -> Option<BargainInput> {
    let mut jitter = |x: f64, r: f64| if r > 0.0 { x + rng.random_range(-r..=r) } else { x };
    let cap: Vec<f64> =
        input.capability().iter().map(|&c| (c * jitter(1.0, o.capability)).max(0.0)).collect();
    let mut issues: Vec<IssueData> = input
        .issues()
        .iter()
        .map(|d| {
            let width = d.scale_max - d.scale_min;
            IssueData {
                scale_min: d.scale_min,
                scale_max: d.scale_max,
                position: d
                    .position
                    .iter()
                    .map(|&x| jitter(x, o.position * width).clamp(d.scale_min, d.scale_max))
                    .collect(),
                salience: d
                    .salience
                    .iter()
                    .map(|&s| (s * jitter(1.0, o.salience)).clamp(0.0, 1.0))
                    .collect(),
            }
        })
        .collect();
    // Keep every actor's total salience within 1, as the spatial model requires.
    for i in 0..cap.len() {
        let total: f64 = issues.iter().map(|d| d.salience[i]).sum();
        if total > 1.0 {
            for d in &mut issues {
                d.salience[i] /= total;
            }
        }
    }
    BargainInput::new(cap, issues).ok()
}
