//! Variance-based global sensitivity: Sobol first-order and total-effect indices, estimated from
//! Saltelli's radial design with Jansen's estimators.
//!
//! A model `Y = f(X_1, …, X_d)` of independent factors is evaluated on two independent base
//! samples `A` and `B` (`N` rows each) and on the `d` mixed samples `A_B^i`, which are `A` with
//! the columns of factor `i` taken from `B` (Saltelli 2002, §2; Saltelli et al. 2010, §3): `N (d +
//! 2)` evaluations in all. With `V` the variance of the `2N` outputs of `A` and `B` (divided by
//! `2N`, as SALib does),
//!
//! - Jansen's first-order index (Jansen 1999; Saltelli et al. 2010, Table 2, (f)):
//!   `S_i = 1 − (1/2N) Σ_j (f(B)_j − f(A_B^i)_j)² / V`;
//! - Saltelli's first-order index (Saltelli et al. 2010, Table 2, (b); the one SALib's
//!   `sobol.analyze` computes): `S_i = (1/N) Σ_j f(B)_j (f(A_B^i)_j − f(A)_j) / V`, with every
//!   output first centred on the mean of all `N (d + 2)` of them, as SALib does (without that
//!   the estimate moves when a constant is added to the model; Jansen's estimators do not);
//! - Jansen's total-effect index (Jansen 1999; Saltelli et al. 2010, Table 2, (f), the one SALib
//!   computes too): `S_Ti = (1/2N) Σ_j (f(A)_j − f(A_B^i)_j)² / V`.
//!
//! A factor may span several columns (a probability row is one factor of `k` entries): its
//! indices are then those of the group, which Sobol (2001) defines as for a single factor. Each
//! factor's value in row `j` of `A` or `B` is drawn from its own ChaCha8 stream and position,
//! numbered by `(base, row, factor)` under the caller's seed ([`Design::rng`]), so a factor may need any
//! number of random numbers (a Dirichlet row uses rejection sampling) and every value is the
//! same whatever order the rows are evaluated in. The rows are the work units: [`Design::run`]
//! evaluates them in parallel on rayon's pool and stores each row's outputs at its index, and
//! the estimators sum over rows in row order, so the results are bit for bit the same whatever
//! the number of threads.
//!
//! References: I. M. Sobol' (1993), "Sensitivity estimates for nonlinear mathematical models",
//! *Mathematical Modelling and Computational Experiments* 1(4):407–414; I. M. Sobol' (2001),
//! "Global sensitivity indices for nonlinear mathematical models and their Monte Carlo
//! estimates", *Mathematics and Computers in Simulation* 55(1–3):271–280,
//! doi:10.1016/S0378-4754(00)00270-6; M. J. W. Jansen (1999), "Analysis of variance designs for
//! model output", *Computer Physics Communications* 117(1–2):35–43,
//! doi:10.1016/S0010-4655(98)00154-4; A. Saltelli (2002), "Making best use of model evaluations
//! to compute sensitivity indices", *Computer Physics Communications* 145(2):280–297,
//! doi:10.1016/S0010-4655(02)00280-1; A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto
//! and S. Tarantola (2010), "Variance based sensitivity analysis of model output. Design and
//! estimator for the total sensitivity index", *Computer Physics Communications* 181(2):259–270,
//! doi:10.1016/j.cpc.2009.09.018.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

#[cfg(test)]
mod tests;

/// Which base sample a point belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The first base sample, `A`.
    A,
    /// The second base sample, `B`.
    B,
}

/// Which estimator of the first-order index to use. Both share the total-effect estimator of
/// Jansen (1999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FirstOrder {
    /// Jansen (1999): `1 − mean((f(B) − f(A_B^i))²) / 2V`.
    Jansen,
    /// Saltelli et al. (2010), Table 2 (b): `mean(f(B) (f(A_B^i) − f(A))) / V`, as SALib.
    Saltelli2010,
}

/// Why a design could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SobolError {
    /// No rows: the estimators need at least two.
    #[error("a Sobol design needs at least 2 samples, not {samples}")]
    TooFewSamples {
        /// The number of rows asked for.
        samples: usize,
    },
    /// A factor spans no columns.
    #[error("factor {factor} spans no columns")]
    EmptyFactor {
        /// The factor.
        factor: usize,
    },
    /// The design's evaluations overflow the address space.
    #[error("{samples} samples of {factors} factors and {outputs} outputs are too many to hold")]
    TooLarge {
        /// Rows.
        samples: usize,
        /// Factors.
        factors: usize,
        /// Outputs per evaluation.
        outputs: usize,
    },
}

/// Saltelli's radial design: `samples` rows of `A` and of `B`, over factors spanning the given
/// numbers of columns, with every value drawn from a stream of `seed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    samples: usize,
    /// Offset of each factor's first column; the last entry is the number of columns.
    offsets: Vec<usize>,
    seed: u64,
}

impl Design {
    /// A design of `samples` rows over factors of `widths[i]` columns each.
    ///
    /// # Errors
    /// [`SobolError::TooFewSamples`] below 2 rows; [`SobolError::EmptyFactor`] for a factor of
    /// no columns.
    ///
    /// # Example
    /// ```
    /// use engines::sobol::{Design, SobolError};
    /// let design = Design::new(64, &[1, 1, 3], 7)?;
    /// assert_eq!(design.columns(), 5);
    /// assert_eq!(Design::new(1, &[1], 7), Err(SobolError::TooFewSamples { samples: 1 }));
    /// # Ok::<(), SobolError>(())
    /// ```
    pub fn new(samples: usize, widths: &[usize], seed: u64) -> Result<Design, SobolError> {
        if samples < 2 {
            return Err(SobolError::TooFewSamples { samples });
        }
        let mut offsets = Vec::with_capacity(widths.len() + 1);
        let mut at = 0usize;
        for (factor, &w) in widths.iter().enumerate() {
            if w == 0 {
                return Err(SobolError::EmptyFactor { factor });
            }
            offsets.push(at);
            at += w;
        }
        offsets.push(at);
        Ok(Design { samples, offsets, seed })
    }

    /// The number of rows of each base sample.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The number of factors.
    pub fn factors(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The number of columns (the factors' widths summed).
    pub fn columns(&self) -> usize {
        self.offsets[self.factors()]
    }

    /// The columns of factor `factor`.
    ///
    /// # Panics
    /// When `factor` is not below [`Design::factors`].
    pub fn span(&self, factor: usize) -> std::ops::Range<usize> {
        self.offsets[factor]..self.offsets[factor + 1]
    }

    /// The random stream that factor `factor`'s value in row `row` of base sample `base` is
    /// drawn from: ChaCha8 keyed by the design's seed, on stream number `factor`, starting at
    /// word `(2 row + base) × 2³²`. No two values share random numbers (a value may use up to
    /// 2³² words), none depends on the order of evaluation, and a factor's values do not depend
    /// on how many factors follow it, so a design over the first `k` factors of another draws
    /// the same values for them.
    pub fn rng(&self, base: Base, row: usize, factor: usize) -> ChaCha8Rng {
        let base = match base {
            Base::A => 0u128,
            Base::B => 1,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(factor as u64);
        rng.set_word_pos(((row as u128) * 2 + base) << 32);
        rng
    }

    /// Draws row `row` of base sample `base` into `point` (one entry per column): `draw(factor,
    /// rng, columns)` fills each factor's columns from [`Design::rng`].
    ///
    /// # Panics
    /// When `point` does not have [`Design::columns`] entries.
    pub fn draw_row(
        &self,
        base: Base,
        row: usize,
        point: &mut [f64],
        draw: &impl Fn(usize, &mut ChaCha8Rng, &mut [f64]),
    ) {
        for factor in 0..self.factors() {
            let mut rng = self.rng(base, row, factor);
            draw(factor, &mut rng, &mut point[self.span(factor)]);
        }
    }

    /// Evaluates the model on every point of the design: for each row, `A`, `B` and each
    /// `A_B^i`. Rows run in parallel on the current rayon pool; `init` makes one scratch value
    /// per worker, `draw` fills a factor's columns from its stream (see [`Design::draw_row`]),
    /// and `eval(scratch, point, outputs)` writes the model's `outputs` values at `point`.
    /// With `radial` false only the rows of `A` are evaluated (a plain Monte Carlo ensemble of
    /// `samples` draws, the same draws as the `A` rows of a radial run; [`Runs::ab`] and the
    /// `B` rows are then absent).
    ///
    /// # Errors
    /// [`SobolError::TooLarge`] when the outputs would not fit in memory's address space.
    ///
    /// # Complexity
    /// `samples × (factors + 2)` evaluations (`samples` without `radial`); memory for as
    /// many outputs.
    pub fn run<S, I, D, E>(
        &self,
        outputs: usize,
        radial: bool,
        init: I,
        draw: D,
        eval: E,
    ) -> Result<Runs, SobolError>
    where
        I: Fn() -> S + Sync + Send,
        D: Fn(usize, &mut ChaCha8Rng, &mut [f64]) + Sync,
        E: Fn(&mut S, &[f64], &mut [f64]) + Sync,
    {
        let d = self.factors();
        let per_row = if radial { d + 2 } else { 1 };
        let too_large = SobolError::TooLarge { samples: self.samples, factors: d, outputs };
        let total = self
            .samples
            .checked_mul(per_row)
            .and_then(|x| x.checked_mul(outputs))
            .filter(|&x| x <= isize::MAX as usize / 8)
            .ok_or(too_large)?;
        let columns = self.columns();
        let width = per_row * outputs;
        let mut all = vec![0.0; total];
        // Each row writes its own slice of `all`, so results land at their row's index whatever
        // the thread that computed them.
        all.par_chunks_mut(width.max(1)).enumerate().for_each_init(
            || (init(), vec![0.0; columns], vec![0.0; columns], vec![0.0; columns]),
            |(scratch, a, b, ab), (row, out)| {
                self.draw_row(Base::A, row, a, &draw);
                let (out_a, rest) = out.split_at_mut(outputs);
                eval(scratch, a, out_a);
                if radial {
                    self.draw_row(Base::B, row, b, &draw);
                    let (out_b, out_ab) = rest.split_at_mut(outputs);
                    eval(scratch, b, out_b);
                    ab.copy_from_slice(a);
                    for (i, slot) in out_ab.chunks_mut(outputs.max(1)).enumerate() {
                        let span = self.span(i);
                        ab[span.clone()].copy_from_slice(&b[span.clone()]);
                        eval(scratch, ab, slot);
                        ab[span.clone()].copy_from_slice(&a[span]);
                    }
                }
            },
        );
        Ok(Runs { samples: self.samples, factors: d, outputs, radial, all })
    }
}

/// Writes into `out` the point of `A_B^i` for one row: `a` with factor `factor`'s columns taken
/// from `b` (Saltelli 2002, §2). [`Design::run`] builds the same points in place.
///
/// # Panics
/// When the slices' lengths differ from [`Design::columns`] or `factor` is out of range.
pub fn radial_point(design: &Design, a: &[f64], b: &[f64], factor: usize, out: &mut [f64]) {
    out.copy_from_slice(a);
    let span = design.span(factor);
    out[span.clone()].copy_from_slice(&b[span]);
}

/// The model's outputs on every point of a design, row by row: for row `j`, the outputs at
/// `A_j`, at `B_j`, then at `A_B^i_j` for each factor `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    samples: usize,
    factors: usize,
    outputs: usize,
    radial: bool,
    all: Vec<f64>,
}

impl Runs {
    /// Builds runs from outputs computed elsewhere (another machine, a peer program): `a[j]`,
    /// `b[j]` and `ab[i][j]` are output `0`'s values at `A_j`, `B_j` and `A_B^i_j`, a single
    /// output. Returns `None` when the lengths disagree or there are fewer than 2 rows.
    pub fn from_outputs(a: &[f64], b: &[f64], ab: &[Vec<f64>]) -> Option<Runs> {
        let n = a.len();
        if n < 2 || b.len() != n || ab.iter().any(|c| c.len() != n) {
            return None;
        }
        let d = ab.len();
        let mut all = Vec::with_capacity(n * (d + 2));
        for j in 0..n {
            all.push(a[j]);
            all.push(b[j]);
            all.extend(ab.iter().map(|c| c[j]));
        }
        Some(Runs { samples: n, factors: d, outputs: 1, radial: true, all })
    }

    /// The number of rows.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The number of outputs per evaluation.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    fn width(&self) -> usize {
        (if self.radial { self.factors + 2 } else { 1 }) * self.outputs
    }

    /// The outputs at `A_row` (or `B_row`).
    ///
    /// # Panics
    /// When `row` is not below [`Runs::samples`], or for `B` in runs made without the radial
    /// points.
    pub fn base(&self, base: Base, row: usize) -> &[f64] {
        let start = row * self.width()
            + match base {
                Base::A => 0,
                Base::B => {
                    assert!(self.radial, "runs without the radial points have no B rows");
                    self.outputs
                }
            };
        &self.all[start..start + self.outputs]
    }

    /// The outputs at `A_B^factor_row`; `None` for runs made without the radial points.
    ///
    /// # Panics
    /// When `row` or `factor` is out of range.
    pub fn ab(&self, factor: usize, row: usize) -> Option<&[f64]> {
        assert!(factor < self.factors, "factor {factor} of {}", self.factors);
        self.radial.then(|| {
            let start = row * self.width() + (2 + factor) * self.outputs;
            &self.all[start..start + self.outputs]
        })
    }

    /// Output `output` at every base point, `A` rows then `B` rows (only `A` rows in runs
    /// made without the radial points).
    pub fn draws(&self, output: usize) -> impl Iterator<Item = f64> + '_ {
        let b = if self.radial { self.samples } else { 0 };
        let a = (0..self.samples).map(move |j| self.base(Base::A, j)[output]);
        a.chain((0..b).map(move |j| self.base(Base::B, j)[output]))
    }
}

/// The Sobol indices of one output.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Indices {
    /// The variance of the output over the `2N` base points (divided by `2N`).
    pub variance: f64,
    /// The first-order index of each factor.
    pub first: Vec<f64>,
    /// The total-effect index of each factor.
    pub total: Vec<f64>,
    /// The standard error of each first-order index: the standard deviation of its per-row
    /// terms over `√N`, divided by the variance (the variance's own error left out).
    pub first_se: Vec<f64>,
    /// The standard error of each total-effect index, in the same way.
    pub total_se: Vec<f64>,
}

/// The first-order and total-effect indices of output `output`, with the first-order estimator
/// chosen. Sums run over rows in row order, so the result does not depend on how the runs were
/// computed.
///
/// Returns `None` when the runs lack the radial points, `output` is out of range, the output
/// does not vary over the base points (the indices are then 0/0), or a value is not finite.
///
/// # Complexity
/// `O(N d)`.
///
/// # Example
/// ```
/// use engines::sobol::{indices, FirstOrder, Runs};
/// // y = x0 at four rows; x1 does nothing.
/// let a = [0.1, 0.9, 0.4, 0.6];
/// let b = [0.7, 0.2, 0.8, 0.3];
/// let runs = Runs::from_outputs(&a, &b, &[b.to_vec(), a.to_vec()]).unwrap();
/// let s = indices(&runs, 0, FirstOrder::Jansen).unwrap();
/// // x1 has no effect at all; x0's total effect (exactly 1) is estimated roughly from four
/// // rows: Jansen's estimator gives 1.1 / 8 over the variance 0.075, about 1.83.
/// assert!(s.total[0] > 1.8 && s.total[0] < 1.9 && s.total[1] == 0.0);
/// // A constant output has no indices.
/// let flat = Runs::from_outputs(&[1.0; 4], &[1.0; 4], &[vec![1.0; 4]]).unwrap();
/// assert_eq!(indices(&flat, 0, FirstOrder::Jansen), None);
/// ```
pub fn indices(runs: &Runs, output: usize, first_order: FirstOrder) -> Option<Indices> {
    if !runs.radial || output >= runs.outputs {
        return None;
    }
    let n = runs.samples;
    let y = |base, j| runs.base(base, j)[output];
    let count = (2 * n) as f64;
    let mean = runs.draws(output).sum::<f64>() / count;
    let variance = runs.draws(output).map(|v| (v - mean) * (v - mean)).sum::<f64>() / count;
    if !variance.is_finite() || variance <= 0.0 {
        return None;
    }
    let d = runs.factors;
    // Saltelli's first-order estimator is centred on the mean of every output (SALib's
    // normalisation); the base points alone would give a different, equally valid, centre.
    let centre = match first_order {
        FirstOrder::Jansen => 0.0,
        FirstOrder::Saltelli2010 => {
            let ab = (0..d).flat_map(|i| (0..n).map(move |j| (i, j)));
            let sum_ab: f64 = ab.map(|(i, j)| runs.ab(i, j).map_or(f64::NAN, |o| o[output])).sum();
            (mean * count + sum_ab) / (n * (d + 2)) as f64
        }
    };
    let mut out = Indices {
        variance,
        first: Vec::with_capacity(d),
        total: Vec::with_capacity(d),
        first_se: Vec::with_capacity(d),
        total_se: Vec::with_capacity(d),
    };
    for i in 0..d {
        let ab = |j| runs.ab(i, j).map_or(f64::NAN, |o| o[output]);
        let first_term = |j| match first_order {
            FirstOrder::Jansen => {
                let diff = y(Base::B, j) - ab(j);
                0.5 * diff * diff
            }
            FirstOrder::Saltelli2010 => (y(Base::B, j) - centre) * (ab(j) - y(Base::A, j)),
        };
        let total_term = |j| {
            let diff = y(Base::A, j) - ab(j);
            0.5 * diff * diff
        };
        let (first_mean, first_sd) = mean_sd(n, first_term);
        let (total_mean, total_sd) = mean_sd(n, total_term);
        let first = match first_order {
            FirstOrder::Jansen => 1.0 - first_mean / variance,
            FirstOrder::Saltelli2010 => first_mean / variance,
        };
        out.first.push(first);
        out.total.push(total_mean / variance);
        out.first_se.push(first_sd / (n as f64).sqrt() / variance);
        out.total_se.push(total_sd / (n as f64).sqrt() / variance);
    }
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    (finite(&out.first) && finite(&out.total)).then_some(out)
}

/// The mean and the standard deviation (divided by `n − 1`) of `term(0..n)`, summed in order.
fn mean_sd(n: usize, term: impl Fn(usize) -> f64) -> (f64, f64) {
    let mean = (0..n).map(&term).sum::<f64>() / n as f64;
    let ss = (0..n).map(|j| (term(j) - mean) * (term(j) - mean)).sum::<f64>();
    (mean, (ss / (n as f64 - 1.0)).sqrt())
}
