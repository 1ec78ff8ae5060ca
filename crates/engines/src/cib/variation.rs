//! Variations on one CIB analysis: an ensemble of matrices (one per expert, say) and seeded
//! Monte Carlo perturbation of the judgments within their stated uncertainty.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{CibMatrix, SolveError, SolveOptions, solve};

/// How often one scenario was found consistent across an ensemble or a perturbation run.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tally {
    /// The scenario's variants, from 0.
    pub variants: Vec<usize>,
    /// In how many members (or samples) it qualified.
    pub count: u64,
    /// `count` as a share of the members (or samples), in \[0, 1\].
    pub share: f64,
}

/// The result of [`ensemble`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EnsembleResult {
    /// Every scenario that qualified in at least one member, most often first (ties in
    /// lexicographic order).
    pub tallies: Vec<Tally>,
    /// The number of members.
    pub members: usize,
}

/// Why [`ensemble`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EnsembleError {
    /// The ensemble is empty.
    #[error("an ensemble needs at least one matrix")]
    Empty,
    /// A member's descriptors or variant counts differ from the first member's.
    #[error("ensemble member {member} does not have the first member's descriptors and variants")]
    Shape {
        /// The member's index.
        member: usize,
    },
    /// Solving a member failed.
    #[error("ensemble member {member}: {source}")]
    Solve {
        /// The member's index.
        member: usize,
        /// What went wrong.
        source: SolveError,
    },
}

/// Solves every member of an ensemble of matrices over the same descriptors (one per expert, or
/// per judgment variant) and counts, for each scenario, how many members find it consistent
/// (IC ≤ tolerance).
///
/// Method: ensemble evaluation, Weimer-Jehle (2023), section 5.6 (matrix ensembles).
///
/// # Errors
/// [`EnsembleError`]: no members, a member whose variant counts differ from the first's, or a
/// member's [`SolveError`].
///
/// # Complexity
/// The sum of the members' [`solve`] costs, plus O(R log R) for R results.
///
/// # Example
/// ```
/// use engines::cib::{ensemble, CibMatrix, Descriptor, EnsembleError, Method, SolveOptions};
/// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
/// let m = |s: i64| {
///     CibMatrix::new(
///         vec![d("A"), d("B")],
///         vec![vec![0, 0, s, -s], vec![0, 0, -s, s], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
///     )
///     .unwrap()
/// };
/// let o = SolveOptions { method: Method::Exhaustive, tolerance: 0, fixed: vec![], max_scenarios: 100 };
/// let e = ensemble(&[m(2), m(-2)], &o).unwrap();
/// assert_eq!(e.members, 2);
/// assert_eq!(ensemble(&[], &o), Err(EnsembleError::Empty));
/// ```
pub fn ensemble(
    members: &[CibMatrix],
    options: &SolveOptions,
) -> Result<EnsembleResult, EnsembleError> {
    let first = members.first().ok_or(EnsembleError::Empty)?;
    for (k, m) in members.iter().enumerate() {
        if m.variant_counts() != first.variant_counts() {
            return Err(EnsembleError::Shape { member: k });
        }
    }
    let mut counts: BTreeMap<Vec<usize>, u64> = BTreeMap::new();
    for (k, m) in members.iter().enumerate() {
        let s = solve(m, options).map_err(|source| EnsembleError::Solve { member: k, source })?;
        for x in s.scenarios {
            *counts.entry(x.variants).or_insert(0) += 1;
        }
    }
    Ok(EnsembleResult { tallies: tallies(counts, members.len() as u64), members: members.len() })
}

/// How far each judgment may move in a [`sensitivity`] run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spread {
    /// Every non-zero judgment moves by a uniform integer in −s…+s; zeros (no judged influence)
    /// stay zero.
    NonZero(u32),
    /// Each judgment moves by a uniform integer in ±its own spread (one entry per judgment,
    /// row-major like the matrix).
    PerJudgment(Vec<Vec<u32>>),
}

/// Options of [`sensitivity`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitivityOptions {
    /// How to solve each perturbed matrix.
    pub solve: SolveOptions,
    /// How far each judgment may move.
    pub spread: Spread,
    /// The number of perturbed matrices.
    pub samples: u32,
    /// The random seed (sample `k` draws from ChaCha8 stream `k`).
    pub seed: u64,
}

/// The result of [`sensitivity`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SensitivityResult {
    /// Every scenario that qualified in at least one sample, most often first; `share` estimates
    /// the probability that it stays consistent under the judgments' uncertainty.
    pub tallies: Vec<Tally>,
    /// The number of samples.
    pub samples: u32,
}

/// Why [`sensitivity`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// No samples were asked for.
    #[error("a sensitivity run needs at least one sample")]
    NoSamples,
    /// A per-judgment spread matrix does not have the matrix's shape.
    #[error("the spread matrix's row {row} does not match the impact matrix")]
    SpreadShape {
        /// The first row that does not fit (the row count when rows are missing).
        row: usize,
    },
    /// A perturbed judgment left the range ±[`super::MAX_IMPACT`] (the spread is far too wide).
    #[error("sample {sample}: a perturbed judgment is out of range; narrow the spread")]
    OutOfRange {
        /// The sample's index.
        sample: u32,
    },
    /// Solving a sample failed.
    #[error("sample {sample}: {source}")]
    Solve {
        /// The sample's index.
        sample: u32,
        /// What went wrong.
        source: SolveError,
    },
}

/// Judgment sensitivity: solves `samples` copies of the matrix, each judgment moved by a seeded
/// uniform integer within its spread, and estimates for each scenario the probability that it
/// stays consistent.
///
/// Method: Monte Carlo treatment of judgment uncertainty, Weimer-Jehle (2023), section 5.7
/// (data uncertainty); ScenarioWizard's "judgment uncertainty" analysis.
///
/// # Errors
/// [`SensitivityError`]: zero samples, a spread matrix of the wrong shape, or a sample's
/// [`SolveError`] (the first by sample index).
///
/// # Complexity
/// `samples` times the cost of [`solve`] plus O(V²) per sample.
///
/// # Example
/// ```
/// use engines::cib::{sensitivity, CibMatrix, Descriptor, Method, SensitivityError, SensitivityOptions, SolveOptions, Spread};
/// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
/// let m = CibMatrix::new(
///     vec![d("A"), d("B")],
///     vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
/// )
/// .unwrap();
/// let solve = SolveOptions { method: Method::BranchAndBound, tolerance: 0, fixed: vec![], max_scenarios: 100 };
/// let o = |samples| SensitivityOptions { solve: solve.clone(), spread: Spread::NonZero(0), samples, seed: 7 };
/// // With no spread every sample is the matrix itself.
/// let r = sensitivity(&m, &o(10)).unwrap();
/// assert_eq!(r.tallies[0].share, 1.0);
/// assert_eq!(sensitivity(&m, &o(0)), Err(SensitivityError::NoSamples));
/// ```
pub fn sensitivity(
    matrix: &CibMatrix,
    options: &SensitivityOptions,
) -> Result<SensitivityResult, SensitivityError> {
    if options.samples == 0 {
        return Err(SensitivityError::NoSamples);
    }
    let rows = matrix.rows();
    let v = rows.len();
    let spread: Vec<Vec<u32>> = match &options.spread {
        Spread::NonZero(s) => {
            rows.iter().map(|r| r.iter().map(|&x| if x == 0 { 0 } else { *s }).collect()).collect()
        }
        Spread::PerJudgment(p) => {
            if let Some(row) = (0..v.max(p.len())).find(|&r| p.get(r).is_none_or(|x| x.len() != v))
            {
                return Err(SensitivityError::SpreadShape { row });
            }
            p.clone()
        }
    };
    let results: Vec<Result<Vec<Vec<usize>>, SensitivityError>> = (0..options.samples)
        .into_par_iter()
        .map(|k| {
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream(u64::from(k));
            let perturbed: Vec<Vec<i64>> = rows
                .iter()
                .zip(&spread)
                .map(|(r, s)| {
                    r.iter()
                        .zip(s)
                        .map(|(&x, &w)| {
                            let w = i64::from(w);
                            if w == 0 { x } else { x + rng.random_range(-w..=w) }
                        })
                        .collect()
                })
                .collect();
            let wrap = |source| SensitivityError::Solve { sample: k, source };
            let m = CibMatrix::new(matrix.descriptors().to_vec(), perturbed)
                .map_err(|_| SensitivityError::OutOfRange { sample: k })?;
            let s = solve(&m, &options.solve).map_err(wrap)?;
            Ok(s.scenarios.into_iter().map(|x| x.variants).collect())
        })
        .collect();
    let mut counts: BTreeMap<Vec<usize>, u64> = BTreeMap::new();
    for r in results {
        for z in r? {
            *counts.entry(z).or_insert(0) += 1;
        }
    }
    Ok(SensitivityResult {
        tallies: tallies(counts, u64::from(options.samples)),
        samples: options.samples,
    })
}

fn tallies(counts: BTreeMap<Vec<usize>, u64>, total: u64) -> Vec<Tally> {
    let mut out: Vec<Tally> = counts
        .into_iter()
        .map(|(variants, count)| Tally { variants, count, share: count as f64 / total as f64 })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.variants.cmp(&b.variants)));
    out
}
