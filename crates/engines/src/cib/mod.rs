//! Cross-Impact Balance (CIB) analysis: which combinations of descriptor states ("scenarios")
//! are self-consistent under a matrix of expert cross-impact judgments.
//!
//! Brief overview:
//! - [`CibMatrix`] is the checked input: descriptors, each with at least two variants, and a
//!   square integer matrix with one row per source variant and one column per target variant.
//! - [`CibMatrix::evaluate`] gives one scenario's impact scores, inconsistency (IC), consistency
//!   value (CV) and total impact score (TIS).
//! - [`solve`] finds every scenario whose IC is at most a tolerance, by exhaustive enumeration or
//!   by an exact branch-and-bound.
//! - [`succession`] runs global or local succession from every start scenario (or from seeded
//!   Monte Carlo starts) and reports the attractors (fixed points and cycles) with their basins.
//! - [`ensemble`] counts how many matrices of an ensemble find each scenario consistent, and
//!   [`sensitivity`] perturbs the judgments and counts how often each scenario stays consistent.
//!
//! The semantics are exactly ScenarioWizard's (Weimer-Jehle, ScenarioWizard 4.x/5.x manual):
//! the impact score of variant `l` of descriptor `j` in scenario `z` is the sum, over every
//! descriptor `i`, of the judgment in row (`i`, `z_i`) and column (`j`, `l`); blocks on the
//! diagonal (a descriptor acting on itself) are added in like any other block.
//!
//! Reference: W. Weimer-Jehle (2006), "Cross-impact balances: a system-theoretical approach to
//! cross-impact analysis", *Technological Forecasting and Social Change* 73(4), 334–361,
//! doi:10.1016/j.techfore.2005.06.005, sections 3–4 (impact balances, consistency, succession);
//! W. Weimer-Jehle (2023), *Cross-Impact Balances (CIB) for Scenario Analysis*, Springer,
//! doi:10.1007/978-3-031-27230-1, chapters 3 and 5 (inconsistency, TIS, interventions,
//! ensembles and judgment uncertainty).

mod solve;
mod succession;
mod variation;

#[cfg(test)]
mod tests;

pub use solve::{
    BoundedSolution, EXHAUSTIVE_MAX_LOG10, Method, Solution, SolveError, SolveOptions, Solved,
    solve, solve_with_progress, solve_within,
};
pub use succession::{
    ALL_STARTS_MAX, Attractor, AttractorKind, Starts, Succession, SuccessionError,
    SuccessionOptions, SuccessionRule, succession,
};
pub use variation::{
    EnsembleError, EnsembleResult, SensitivityError, SensitivityOptions, SensitivityResult, Spread,
    Tally, ensemble, sensitivity,
};

/// The largest absolute impact judgment accepted. ScenarioWizard's scale is −3…+3; this bound
/// leaves room for any sensible scale while keeping every balance exact in an `i32`.
pub const MAX_IMPACT: i32 = 1 << 20;

/// The largest number of descriptors accepted (so that a balance, a sum of one judgment per
/// descriptor, always fits in an `i32`).
pub const MAX_DESCRIPTORS: usize = 1000;

/// The largest number of variants a descriptor may have.
pub const MAX_VARIANTS: usize = 255;

/// One descriptor of a CIB analysis: a name and the names of its variants (its possible states).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Descriptor {
    /// The descriptor's name, such as `"war outcome"`.
    pub name: String,
    /// The names of its variants, in the matrix's order.
    pub variants: Vec<String>,
}

/// Why a [`CibMatrix`] could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// There are no descriptors at all.
    #[error("a cib matrix needs at least one descriptor")]
    NoDescriptors,
    /// More descriptors than [`MAX_DESCRIPTORS`].
    #[error("{count} descriptors is more than the {max} supported")]
    TooManyDescriptors {
        /// How many descriptors were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A descriptor has fewer than two variants, so it cannot vary.
    #[error("descriptor {descriptor} has {count} variant(s); every descriptor needs at least 2")]
    TooFewVariants {
        /// The descriptor's index.
        descriptor: usize,
        /// How many variants it has.
        count: usize,
    },
    /// A descriptor has more than [`MAX_VARIANTS`] variants.
    #[error("descriptor {descriptor} has {count} variants, more than the {max} supported")]
    TooManyVariants {
        /// The descriptor's index.
        descriptor: usize,
        /// How many variants it has.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The matrix does not have one row per variant.
    #[error("the matrix has {found} rows but the descriptors have {expected} variants in all")]
    RowCount {
        /// The total number of variants.
        expected: usize,
        /// The number of rows given.
        found: usize,
    },
    /// A row does not have one entry per variant (a ragged matrix).
    #[error("row {row} of the matrix has {found} entries; expected {expected}")]
    Ragged {
        /// The row's index (a source variant, counted over all descriptors from 0).
        row: usize,
        /// The total number of variants.
        expected: usize,
        /// The number of entries in that row.
        found: usize,
    },
    /// A judgment is larger in absolute value than [`MAX_IMPACT`].
    #[error("the judgment at row {row}, column {column} is {value}, beyond ±{max}")]
    ImpactTooLarge {
        /// Row (source variant) index.
        row: usize,
        /// Column (target variant) index.
        column: usize,
        /// The judgment.
        value: i64,
        /// The limit.
        max: i32,
    },
}

/// A checked CIB input: descriptors with their variants and the square cross-impact matrix.
///
/// Rows are source variants and columns target variants, both in descriptor order (all variants
/// of descriptor 0, then of descriptor 1, …), exactly as in a ScenarioWizard project.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CibMatrix {
    descriptors: Vec<Descriptor>,
    /// Number of variants of each descriptor.
    counts: Vec<usize>,
    /// `offsets[j]` is the index of descriptor `j`'s first variant; `offsets[n]` is the total.
    offsets: Vec<usize>,
    /// Row-major `total × total` judgments.
    impacts: Vec<i32>,
}

/// One scenario's evaluation under a [`CibMatrix`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Evaluation {
    /// Impact score of every variant (`scores[j][l]` for variant `l` of descriptor `j`).
    pub scores: Vec<Vec<i32>>,
    /// Inconsistency of each descriptor: best score of the descriptor minus its chosen variant's
    /// score (0 when the chosen variant is among the best).
    pub descriptor_ic: Vec<i32>,
    /// Inconsistency IC: the largest descriptor inconsistency (0 for a consistent scenario).
    pub ic: i32,
    /// Consistency value CV: the smallest margin, over descriptors, of the chosen variant's score
    /// over the best other variant (negative when inconsistent, 0 on a tie).
    pub cv: i32,
    /// Total impact score TIS: the sum of the chosen variants' scores.
    pub tis: i64,
}

/// Why a scenario could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The scenario does not name one variant per descriptor.
    #[error("the scenario has {found} entries; the matrix has {expected} descriptors")]
    Length {
        /// The number of descriptors.
        expected: usize,
        /// The scenario's length.
        found: usize,
    },
    /// A variant index is out of range for its descriptor.
    #[error("descriptor {descriptor} has no variant {variant} (it has {count})")]
    Variant {
        /// The descriptor's index.
        descriptor: usize,
        /// The variant index given (from 0).
        variant: usize,
        /// How many variants the descriptor has.
        count: usize,
    },
}

impl CibMatrix {
    /// Checks and builds a CIB matrix from descriptors and rows of judgments (one row per source
    /// variant, one entry per target variant, both in descriptor order).
    ///
    /// Method: Weimer-Jehle (2006), section 3, the cross-impact matrix of a descriptor field.
    ///
    /// # Errors
    /// [`MatrixError`]: no descriptors, too many, a descriptor with fewer than 2 (or more than
    /// [`MAX_VARIANTS`]) variants, a wrong number of rows, a ragged row, or a judgment beyond
    /// ±[`MAX_IMPACT`].
    ///
    /// # Complexity
    /// O(V²) for V variants in all.
    ///
    /// # Example
    /// ```
    /// use engines::cib::{CibMatrix, Descriptor, MatrixError};
    /// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
    /// let m = CibMatrix::new(
    ///     vec![d("A"), d("B")],
    ///     vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
    /// )
    /// .unwrap();
    /// assert_eq!(m.descriptor_count(), 2);
    /// // A descriptor with a single variant cannot vary:
    /// let one = Descriptor { name: "C".into(), variants: vec!["only".into()] };
    /// assert_eq!(
    ///     CibMatrix::new(vec![one], vec![vec![0]]),
    ///     Err(MatrixError::TooFewVariants { descriptor: 0, count: 1 })
    /// );
    /// ```
    pub fn new(
        descriptors: Vec<Descriptor>,
        rows: Vec<Vec<i64>>,
    ) -> Result<CibMatrix, MatrixError> {
        if descriptors.is_empty() {
            return Err(MatrixError::NoDescriptors);
        }
        if descriptors.len() > MAX_DESCRIPTORS {
            return Err(MatrixError::TooManyDescriptors {
                count: descriptors.len(),
                max: MAX_DESCRIPTORS,
            });
        }
        let mut counts = Vec::with_capacity(descriptors.len());
        let mut offsets = Vec::with_capacity(descriptors.len() + 1);
        let mut total = 0;
        for (j, d) in descriptors.iter().enumerate() {
            let count = d.variants.len();
            if count < 2 {
                return Err(MatrixError::TooFewVariants { descriptor: j, count });
            }
            if count > MAX_VARIANTS {
                return Err(MatrixError::TooManyVariants {
                    descriptor: j,
                    count,
                    max: MAX_VARIANTS,
                });
            }
            counts.push(count);
            offsets.push(total);
            total += count;
        }
        offsets.push(total);
        if rows.len() != total {
            return Err(MatrixError::RowCount { expected: total, found: rows.len() });
        }
        let mut impacts = Vec::with_capacity(total * total);
        for (r, row) in rows.iter().enumerate() {
            if row.len() != total {
                return Err(MatrixError::Ragged { row: r, expected: total, found: row.len() });
            }
            for (c, &value) in row.iter().enumerate() {
                match i32::try_from(value) {
                    Ok(v) if v.abs() <= MAX_IMPACT => impacts.push(v),
                    _ => {
                        return Err(MatrixError::ImpactTooLarge {
                            row: r,
                            column: c,
                            value,
                            max: MAX_IMPACT,
                        });
                    }
                }
            }
        }
        Ok(CibMatrix { descriptors, counts, offsets, impacts })
    }

    /// The descriptors, in matrix order.
    pub fn descriptors(&self) -> &[Descriptor] {
        &self.descriptors
    }

    /// The number of descriptors.
    pub fn descriptor_count(&self) -> usize {
        self.counts.len()
    }

    /// The number of variants of each descriptor.
    pub fn variant_counts(&self) -> &[usize] {
        &self.counts
    }

    /// The total number of variants (the matrix's side).
    pub fn variant_total(&self) -> usize {
        self.offsets[self.counts.len()]
    }

    /// The index (row or column) of variant `variant` of descriptor `descriptor`, or `None` when
    /// either is out of range.
    pub fn index(&self, descriptor: usize, variant: usize) -> Option<usize> {
        let count = *self.counts.get(descriptor)?;
        (variant < count).then(|| self.offsets[descriptor] + variant)
    }

    /// The judgment of source variant `row` on target variant `column` (flat indices as given by
    /// [`CibMatrix::index`]), or `None` out of range.
    pub fn impact(&self, row: usize, column: usize) -> Option<i32> {
        let v = self.variant_total();
        (row < v && column < v).then(|| self.impacts[row * v + column])
    }

    /// The rows of the matrix, as given to [`CibMatrix::new`].
    pub fn rows(&self) -> Vec<Vec<i64>> {
        let v = self.variant_total();
        self.impacts.chunks(v).map(|r| r.iter().map(|&x| i64::from(x)).collect()).collect()
    }

    /// The number of scenarios (the product of the variant counts), or `None` beyond `u128`.
    pub fn space_size(&self) -> Option<u128> {
        self.counts.iter().try_fold(1u128, |acc, &c| acc.checked_mul(c as u128))
    }

    /// The base-10 logarithm of the number of scenarios (always finite).
    pub fn space_log10(&self) -> f64 {
        self.counts.iter().map(|&c| (c as f64).log10()).sum()
    }

    /// Whether the block of descriptor `source` acting on descriptor `target` has a non-zero
    /// judgment (false out of range).
    pub fn influences(&self, source: usize, target: usize) -> bool {
        let n = self.counts.len();
        if source >= n || target >= n {
            return false;
        }
        let v = self.variant_total();
        (self.offsets[source]..self.offsets[source + 1]).any(|r| {
            self.impacts[r * v + self.offsets[target]..r * v + self.offsets[target + 1]]
                .iter()
                .any(|&x| x != 0)
        })
    }

    /// Evaluates one scenario (variant indices from 0, one per descriptor): every variant's impact
    /// score, the inconsistency IC, the consistency value CV and the total impact score TIS.
    ///
    /// Method: Weimer-Jehle (2006), section 3.2, impact balances and the consistency principle;
    /// Weimer-Jehle (2023), section 3.6 (inconsistency) and 5.2 (total impact score). Diagonal
    /// blocks are summed in as ScenarioWizard does.
    ///
    /// # Errors
    /// [`ScenarioError`] when the scenario's length or a variant index does not fit the matrix.
    ///
    /// # Complexity
    /// O(N·V) for N descriptors and V variants.
    ///
    /// # Example
    /// ```
    /// use engines::cib::{CibMatrix, Descriptor, ScenarioError};
    /// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
    /// let m = CibMatrix::new(
    ///     vec![d("A"), d("B")],
    ///     vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
    /// )
    /// .unwrap();
    /// let e = m.evaluate(&[0, 0]).unwrap();
    /// assert_eq!((e.ic, e.cv, e.tis), (0, 2, 3));
    /// assert_eq!(m.evaluate(&[0, 2]), Err(ScenarioError::Variant { descriptor: 1, variant: 2, count: 2 }));
    /// ```
    pub fn evaluate(&self, scenario: &[usize]) -> Result<Evaluation, ScenarioError> {
        self.check_scenario(scenario)?;
        let balance = self.balance(scenario);
        Ok(self.evaluation_from(scenario, &balance, None))
    }

    /// Checks a scenario's shape against the matrix.
    pub(crate) fn check_scenario(&self, scenario: &[usize]) -> Result<(), ScenarioError> {
        if scenario.len() != self.counts.len() {
            return Err(ScenarioError::Length {
                expected: self.counts.len(),
                found: scenario.len(),
            });
        }
        for (j, (&z, &count)) in scenario.iter().zip(&self.counts).enumerate() {
            if z >= count {
                return Err(ScenarioError::Variant { descriptor: j, variant: z, count });
            }
        }
        Ok(())
    }

    /// The impact balance of a (checked) scenario: the column sums of its selected rows.
    pub(crate) fn balance(&self, scenario: &[usize]) -> Vec<i32> {
        let v = self.variant_total();
        let mut bal = vec![0i32; v];
        for (j, &z) in scenario.iter().enumerate() {
            self.add_row(&mut bal, self.offsets[j] + z);
        }
        bal
    }

    /// Adds row `row` into `bal`.
    #[inline]
    pub(crate) fn add_row(&self, bal: &mut [i32], row: usize) {
        let v = bal.len();
        for (b, &x) in bal.iter_mut().zip(&self.impacts[row * v..(row + 1) * v]) {
            *b += x;
        }
    }

    /// The flat judgments (row-major).
    pub(crate) fn flat(&self) -> &[i32] {
        &self.impacts
    }

    /// The variant offsets of each descriptor (length N + 1).
    pub(crate) fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Builds the [`Evaluation`] of a scenario from its balance. Descriptors marked `true` in
    /// `exempt` (fixed by an intervention) count towards TIS but not towards IC or CV.
    pub(crate) fn evaluation_from(
        &self,
        scenario: &[usize],
        balance: &[i32],
        exempt: Option<&[bool]>,
    ) -> Evaluation {
        let n = self.counts.len();
        let mut scores = Vec::with_capacity(n);
        let mut descriptor_ic = Vec::with_capacity(n);
        let mut ic = 0;
        let mut cv = i32::MAX;
        let mut tis = 0i64;
        for j in 0..n {
            let block = &balance[self.offsets[j]..self.offsets[j + 1]];
            let chosen = block[scenario[j]];
            let best = block.iter().copied().max().unwrap_or(chosen);
            let other = block
                .iter()
                .enumerate()
                .filter(|&(l, _)| l != scenario[j])
                .map(|(_, &s)| s)
                .max()
                .unwrap_or(chosen);
            tis += i64::from(chosen);
            let dic = best - chosen;
            scores.push(block.to_vec());
            descriptor_ic.push(dic);
            if exempt.is_some_and(|e| e[j]) {
                continue;
            }
            ic = ic.max(dic);
            cv = cv.min(chosen - other);
        }
        // Every descriptor exempt: no condition to violate, and no margin to report.
        if cv == i32::MAX {
            cv = 0;
        }
        Evaluation { scores, descriptor_ic, ic, cv, tis }
    }
}

/// Checks a list of interventions (descriptor, variant) against a matrix, giving the fixed
/// variant of each descriptor (`None` when free). Shared by [`solve`] and [`succession`].
pub(crate) fn fixed_variants(
    matrix: &CibMatrix,
    fixed: &[(usize, usize)],
) -> Result<Vec<Option<usize>>, FixError> {
    let mut out = vec![None; matrix.descriptor_count()];
    for &(d, v) in fixed {
        let count =
            *matrix.variant_counts().get(d).ok_or(FixError::Descriptor { descriptor: d })?;
        if v >= count {
            return Err(FixError::Variant { descriptor: d, variant: v, count });
        }
        if out[d].is_some() {
            return Err(FixError::Twice { descriptor: d });
        }
        out[d] = Some(v);
    }
    Ok(out)
}

/// A bad intervention, shared by the error enums of the entry points that take interventions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FixError {
    Descriptor { descriptor: usize },
    Variant { descriptor: usize, variant: usize, count: usize },
    Twice { descriptor: usize },
}
