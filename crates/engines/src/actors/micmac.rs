//! MICMAC structural analysis: which drivers of a system are influential, which dependent,
//! directly and through the chains of influence that the powers of the matrix count.
//!
//! A [`DriverMatrix`] holds the direct influence of each driver (row) on each other (column) on
//! Godet's scale, 0 none, 1 weak, 2 moderate, 3 strong, or `P` potential; it checks itself once
//! in [`DriverMatrix::from_rows`]. [`analyse`] takes it with [`MicmacOptions`] and returns a
//! [`Micmac`]: the direct map (row and column sums), the indirect map (row and column sums of
//! `M^k`, raised until both rankings stop changing), the Perron limit of those powers as a
//! check, each driver's [`Class`] on the influence–dependence plane and its move between the
//! direct and the indirect ranking.
//!
//! The powers are computed exactly: the influences of `M^k` are `M^k·1`, which is `M` applied
//! `k` times to the vector of ones, and likewise the dependences are `1ᵀ·M^k`. These vectors
//! grow like `λ^k` (λ the spectral radius), so they are kept as big integers and only their
//! shares are rounded to `f64`. Rankings, and so the stable power, never depend on rounding.
//!
//! Reference: J. Arcade, M. Godet, F. Meunier and F. Roubelat (2009), "Structural analysis with
//! the MICMAC method & actors' strategy with MACTOR method", *Futures Research Methodology* v3.0,
//! The Millennium Project, §1.2.4 (the indirect classification by powers of the matrix),
//! §1.2.5–1.2.6 (the influence–dependence plane and its typology of variables); M. Godet (2006),
//! *Creating Futures*, 2nd ed., Economica, chapter 4.

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};
use rayon::prelude::*;

use super::ranks_by;
use crate::prec;

/// One cell of a driver matrix, as the experts fill it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Cell {
    /// A direct influence: 0 none, 1 weak, 2 moderate, 3 strong.
    Level(u8),
    /// A potential influence (`P`): none today, possible in future; weighted by
    /// [`MicmacOptions::potential`].
    Potential,
}

/// The highest direct influence on the MICMAC scale (strong).
pub const MAX_LEVEL: u8 = 3;

/// A checked square matrix of direct influences between drivers: row `i`, column `j` is the
/// influence of driver `i` on driver `j`; the diagonal is 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverMatrix {
    n: usize,
    cells: Vec<Cell>,
}

/// Why a [`DriverMatrix`] was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DriverMatrixError {
    /// The matrix has no drivers.
    #[error("the driver matrix is empty")]
    Empty,
    /// Row `row` has `len` cells but the matrix has `expected` rows.
    #[error(
        "row {row} has {len} cells but there are {expected} drivers, so the matrix is not square"
    )]
    NotSquare {
        /// The row, from 0.
        row: usize,
        /// Its number of cells.
        len: usize,
        /// The number of rows.
        expected: usize,
    },
    /// A cell is above [`MAX_LEVEL`].
    #[error("cell ({row}, {column}) is {value}, outside the scale 0..=3")]
    OutOfScale {
        /// The row, from 0.
        row: usize,
        /// The column, from 0.
        column: usize,
        /// The value found.
        value: u8,
    },
    /// A diagonal cell is not 0: a driver's influence on itself is not part of the method.
    #[error("the diagonal cell of driver {index} is not 0")]
    Diagonal {
        /// The driver, from 0.
        index: usize,
    },
}

impl DriverMatrix {
    /// Checks a matrix given as rows of cells.
    ///
    /// # Errors
    /// [`DriverMatrixError`]: an empty or non-square matrix, a level above 3, or a diagonal
    /// cell other than 0.
    ///
    /// # Complexity
    /// O(n²).
    ///
    /// # Example
    /// ```
    /// use engines::actors::micmac::{Cell, DriverMatrix, DriverMatrixError};
    /// let m = DriverMatrix::from_rows(vec![
    ///     vec![Cell::Level(0), Cell::Potential],
    ///     vec![Cell::Level(2), Cell::Level(0)],
    /// ])
    /// .unwrap();
    /// assert_eq!(m.get(0, 1), Some(Cell::Potential));
    ///
    /// // A driver cannot act on itself.
    /// let err = DriverMatrix::from_rows(vec![vec![Cell::Level(1)]]);
    /// assert_eq!(err, Err(DriverMatrixError::Diagonal { index: 0 }));
    /// ```
    pub fn from_rows(rows: Vec<Vec<Cell>>) -> Result<DriverMatrix, DriverMatrixError> {
        let n = rows.len();
        if n == 0 {
            return Err(DriverMatrixError::Empty);
        }
        let mut cells = Vec::with_capacity(n * n);
        for (row, r) in rows.into_iter().enumerate() {
            if r.len() != n {
                return Err(DriverMatrixError::NotSquare { row, len: r.len(), expected: n });
            }
            for (column, cell) in r.into_iter().enumerate() {
                match cell {
                    Cell::Level(value) if value > MAX_LEVEL => {
                        return Err(DriverMatrixError::OutOfScale { row, column, value });
                    }
                    Cell::Level(0) => {}
                    _ if row == column => return Err(DriverMatrixError::Diagonal { index: row }),
                    _ => {}
                }
                cells.push(cell);
            }
        }
        Ok(DriverMatrix { n, cells })
    }

    /// The number of drivers.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a checked matrix has at least one driver.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The cell in row `row`, column `column`, or `None` outside the matrix.
    pub fn get(&self, row: usize, column: usize) -> Option<Cell> {
        (row < self.n && column < self.n).then(|| self.cells[row * self.n + column])
    }

    /// The numeric matrix once potential influences are weighted.
    fn weights(&self, potential: Potential) -> Vec<u8> {
        let p = match potential {
            Potential::Exclude => 0,
            Potential::Weight(w) => w,
        };
        self.cells
            .iter()
            .map(|c| match *c {
                Cell::Level(v) => v,
                Cell::Potential => p,
            })
            .collect()
    }
}

/// How potential influences (`P`) count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Potential {
    /// `P` counts as 0: Godet's matrix of direct influences (the situation today).
    Exclude,
    /// `P` counts as this level, 1..=3: Godet's matrix of potential direct influences uses 3.
    Weight(u8),
}

/// How far the powers `M^k` go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Powers {
    /// Raise `k` until both the influence and the dependence rankings of `M^k` equal those of
    /// `M^(k−1)` (Arcade et al. 2009, §1.2.4), but not beyond `max`.
    UntilStable {
        /// The highest power tried, at least 1.
        max: u32,
    },
    /// Stop at exactly this power (at least 1; 1 is the direct matrix).
    Fixed(u32),
}

/// Which indirect values the indirect classification and the moves use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Indirect {
    /// The row and column sums of `M^k` at the power where the powers stopped (Godet's MICMAC).
    Powers,
    /// The limit of those sums' shares as `k` grows: the right (influence) and left
    /// (dependence) Perron vectors of `M`.
    Perron,
}

/// The options of [`analyse`]. There is no default: a caller states each choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MicmacOptions {
    /// How `P` cells count (the issue's and Godet's potential matrix: `Weight(3)`).
    pub potential: Potential,
    /// How far the powers go.
    pub powers: Powers,
    /// Which indirect values classify the drivers.
    pub indirect: Indirect,
    /// The half-width of the regulating zone around the centre of the map, as a fraction of
    /// the means: a driver whose influence and dependence both lie within `mean·(1 ± band)` is
    /// regulating. In `[0, 1)`; 0 makes only a driver exactly at both means regulating.
    pub regulating_band: f64,
}

/// A driver's place on the influence–dependence plane, whose axes cross at the mean influence
/// and the mean dependence (Arcade et al. 2009, §1.2.6). A value equal to the mean counts as
/// low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Class {
    /// High influence, low dependence: the system's inputs, which explain and condition it.
    Influential,
    /// High influence and high dependence: unstable relays, any action on them echoes back.
    Relay,
    /// Low influence, high dependence: the system's outputs.
    Dependent,
    /// Low influence and low dependence: trends or factors mostly disconnected from the system.
    Autonomous,
    /// Near the centre of gravity (within the regulating band of both means).
    Regulating,
}

/// One influence–dependence map: each driver's values, shares, ranks and class.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Map {
    /// Each driver's influence. Direct: its row sum. Indirect: its share of the row sums of
    /// `M^k` times the direct total, so that both maps are on one scale.
    pub influence: Vec<f64>,
    /// Each driver's dependence (column sums), scaled as `influence`.
    pub dependence: Vec<f64>,
    /// Each driver's share of the total influence (the shares sum to 1).
    pub influence_share: Vec<f64>,
    /// Each driver's share of the total dependence.
    pub dependence_share: Vec<f64>,
    /// Each driver's influence rank, 1 the most influential; ties go to the lower index.
    pub influence_rank: Vec<usize>,
    /// Each driver's dependence rank, 1 the most dependent; ties go to the lower index.
    pub dependence_rank: Vec<usize>,
    /// Each driver's class on this map.
    pub class: Vec<Class>,
}

/// How the rankings changed from `M^(k−1)` to `M^k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Step {
    /// The power `k`, from 2.
    pub power: u32,
    /// How many drivers kept their influence rank.
    pub influence_unchanged: usize,
    /// How many drivers kept their dependence rank.
    pub dependence_unchanged: usize,
}

/// Why the powers stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Stop {
    /// Both rankings were unchanged from `k − 1` to `k`.
    Stable,
    /// The fixed power was reached.
    Fixed,
    /// The maximum power was reached before the rankings were stable.
    MaxPower,
    /// `M^k` is zero (the influence graph has no cycle), so the powers stop at `k − 1`, the
    /// last nonzero power.
    Nilpotent,
}

/// The limit of the shares of `M^k` as `k` grows: the Perron vectors of `M`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PerronLimit {
    /// The spectral radius λ of `M`.
    pub eigenvalue: f64,
    /// The right Perron vector, normalised to sum 1: the limit influence shares.
    pub influence_share: Vec<f64>,
    /// The left Perron vector, normalised to sum 1: the limit dependence shares.
    pub dependence_share: Vec<f64>,
    /// The largest absolute difference between these shares and the shares of `M^k` at the
    /// power where the powers stopped: the check that the powers went far enough.
    pub gap: f64,
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Micmac {
    /// The direct map, from `M`.
    pub direct: Map,
    /// The indirect map, from `M^k` at [`Micmac::power`] (or from the Perron vectors when
    /// [`Indirect::Perron`] was chosen).
    pub indirect: Map,
    /// The power `k` the indirect map comes from.
    pub power: u32,
    /// The first power at which both rankings were unchanged from the power before, if any
    /// was reached.
    pub stable_power: Option<u32>,
    /// Why the powers stopped.
    pub stop: Stop,
    /// The stability of the rankings at each power from 2 to [`Micmac::power`] (one past it
    /// when the powers stopped because `M^k` vanished).
    pub steps: Vec<Step>,
    /// The Perron limit, when the power iteration converges and λ > 0.
    pub perron: Option<PerronLimit>,
    /// Each driver's move in influence rank from the direct to the indirect map: positive when
    /// it climbs (direct rank − indirect rank).
    pub influence_move: Vec<i64>,
    /// Each driver's move in dependence rank, likewise.
    pub dependence_move: Vec<i64>,
}

/// Why [`analyse`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MicmacError {
    /// The weight of `P` is outside 1..=3.
    #[error("the weight of a potential influence is {weight}, outside 1..=3")]
    PotentialWeight {
        /// The weight given.
        weight: u8,
    },
    /// A power of 0 was asked for.
    #[error("the power must be at least 1")]
    ZeroPower,
    /// The regulating band is not a number in `[0, 1)`.
    #[error("the regulating band is {band}, outside [0, 1)")]
    RegulatingBand {
        /// The band given.
        band: f64,
    },
    /// Every cell is 0 (once `P` is weighted): no driver influences another, so there is no
    /// ranking and every share would be 0/0.
    #[error("no driver influences another, so there is nothing to rank")]
    NoInfluence,
    /// [`Indirect::Perron`] was asked for but the Perron limit does not exist (λ = 0) or the
    /// power iteration did not converge.
    #[error(
        "the matrix has no Perron limit to classify by (no cycle of influence, or no convergence)"
    )]
    NoPerronLimit,
}

/// Runs MICMAC on a driver matrix: direct and indirect influence and dependence, the power at
/// which the indirect rankings are stable, the Perron limit, classes and moves.
///
/// Method: Arcade, Godet, Meunier and Roubelat (2009), "Structural analysis with the MICMAC
/// method & actors' strategy with MACTOR method", *Futures Research Methodology* v3.0, §1.2.4–
/// §1.2.6. Direct influence is the row sum, direct dependence the column sum; the indirect ones
/// are the row and column sums of `M^k`, with `k` raised until both rankings equal those of
/// `M^(k−1)` (ties ranked by index, the lower first). The Perron limit is found by power
/// iteration on `M + I` (same eigenvectors, and aperiodic when `M` is irreducible) from the
/// uniform vector, stopped when no share moves by more than [`prec::PERRON`], after at most
/// [`PERRON_MAX_ITERATIONS`] iterations.
///
/// # Errors
/// [`MicmacError`]: an option out of range, a matrix with no influence at all, or
/// [`Indirect::Perron`] without a Perron limit.
///
/// # Complexity
/// O(k · nnz · b / w) for the powers (nnz the nonzero cells, b the bits of the largest sum,
/// about k·log₂λ, w the word size), parallel over drivers; O(t · n²) for the Perron limit
/// (t iterations); O(n log n) per ranking.
///
/// # Example
/// ```
/// use engines::actors::micmac::{analyse, Cell, DriverMatrix, Indirect, MicmacError, MicmacOptions, Potential, Powers};
/// let l = Cell::Level;
/// let options = MicmacOptions {
///     potential: Potential::Weight(3),
///     powers: Powers::UntilStable { max: 30 },
///     indirect: Indirect::Powers,
///     regulating_band: 0.2,
/// };
/// let m = DriverMatrix::from_rows(vec![
///     vec![l(0), l(3), l(2)],
///     vec![l(1), l(0), Cell::Potential],
///     vec![l(0), l(1), l(0)],
/// ])
/// .unwrap();
/// let result = analyse(&m, &options).unwrap();
/// assert_eq!(result.direct.influence, vec![5.0, 4.0, 1.0]);
/// assert_eq!(result.direct.influence_rank, vec![1, 2, 3]);
///
/// // A matrix in which nothing influences anything has nothing to rank.
/// let zero = DriverMatrix::from_rows(vec![vec![l(0), l(0)], vec![l(0), l(0)]]).unwrap();
/// assert_eq!(analyse(&zero, &options), Err(MicmacError::NoInfluence));
/// ```
pub fn analyse(matrix: &DriverMatrix, options: &MicmacOptions) -> Result<Micmac, MicmacError> {
    if let Potential::Weight(weight) = options.potential {
        if !(1..=MAX_LEVEL).contains(&weight) {
            return Err(MicmacError::PotentialWeight { weight });
        }
    }
    let max_power = match options.powers {
        Powers::UntilStable { max } => max,
        Powers::Fixed(k) => k,
    };
    if max_power == 0 {
        return Err(MicmacError::ZeroPower);
    }
    let band = options.regulating_band;
    if !(0.0..1.0).contains(&band) {
        return Err(MicmacError::RegulatingBand { band });
    }

    let n = matrix.n;
    let w = matrix.weights(options.potential);
    let rows = Adjacency::rows(n, &w);
    let columns = Adjacency::columns(n, &w);

    let ones = vec![BigUint::from(1u32); n];
    let mut influence = rows.apply(&ones);
    let mut dependence = columns.apply(&ones);
    if influence.iter().all(Zero::is_zero) {
        return Err(MicmacError::NoInfluence);
    }
    let direct_total: f64 = w.iter().map(|&v| f64::from(v)).sum();
    let direct_influence_rank = ranks_by(&influence, Ord::cmp);
    let direct_dependence_rank = ranks_by(&dependence, Ord::cmp);
    let direct = map(&influence, &dependence, direct_total, band);

    let mut power = 1;
    let mut stable_power = None;
    let mut steps = Vec::new();
    let mut stop = match options.powers {
        Powers::Fixed(_) => Stop::Fixed,
        Powers::UntilStable { .. } => Stop::MaxPower,
    };
    let mut influence_rank = direct_influence_rank.clone();
    let mut dependence_rank = direct_dependence_rank.clone();
    while power < max_power {
        let next_influence = rows.apply(&influence);
        let next_dependence = columns.apply(&dependence);
        let k = power + 1;
        let next_influence_rank = ranks_by(&next_influence, Ord::cmp);
        let next_dependence_rank = ranks_by(&next_dependence, Ord::cmp);
        let step = Step {
            power: k,
            influence_unchanged: unchanged(&influence_rank, &next_influence_rank),
            dependence_unchanged: unchanged(&dependence_rank, &next_dependence_rank),
        };
        steps.push(step);
        if next_influence.iter().all(Zero::is_zero) {
            // The sum of M^k·1 equals the sum of 1ᵀ·M^k, so both vanish together.
            stop = Stop::Nilpotent;
            break;
        }
        influence = next_influence;
        dependence = next_dependence;
        influence_rank = next_influence_rank;
        dependence_rank = next_dependence_rank;
        power = k;
        if stable_power.is_none() && step.influence_unchanged == n && step.dependence_unchanged == n
        {
            stable_power = Some(k);
            if let Powers::UntilStable { .. } = options.powers {
                stop = Stop::Stable;
                break;
            }
        }
    }
    let powers_map = map(&influence, &dependence, direct_total, band);

    // Without a cycle M is nilpotent, λ = 0 and there is no limit; checking first spares the
    // iteration, which converges only slowly (polynomially) in that case.
    let dense: Vec<f64> = w.iter().map(|&v| f64::from(v)).collect();
    let limit = if rows.has_cycle() { perron_limit(n, &dense) } else { None };
    let perron = limit.map(|(eigenvalue, right, left)| {
        let gap = right
            .iter()
            .zip(&powers_map.influence_share)
            .chain(left.iter().zip(&powers_map.dependence_share))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        PerronLimit { eigenvalue, influence_share: right, dependence_share: left, gap }
    });

    let indirect = match options.indirect {
        Indirect::Powers => powers_map,
        Indirect::Perron => {
            let limit = perron.as_ref().ok_or(MicmacError::NoPerronLimit)?;
            map_from_shares(&limit.influence_share, &limit.dependence_share, direct_total, band)
        }
    };
    let moves = |d: &[usize], i: &[usize]| -> Vec<i64> {
        d.iter().zip(i).map(|(&d, &i)| d as i64 - i as i64).collect()
    };
    Ok(Micmac {
        influence_move: moves(&direct.influence_rank, &indirect.influence_rank),
        dependence_move: moves(&direct.dependence_rank, &indirect.dependence_rank),
        direct,
        indirect,
        power,
        stable_power,
        stop,
        steps,
        perron,
    })
}

/// The most iterations the Perron power iteration takes before giving up.
pub const PERRON_MAX_ITERATIONS: usize = 20_000;

/// For each driver, the other drivers it acts on, grouped by weight 1, 2 and 3 (rows), or the
/// drivers acting on it (columns). Multiplying by the matrix then needs only additions.
struct Adjacency {
    lists: Vec<[Vec<usize>; 3]>,
}

impl Adjacency {
    fn rows(n: usize, w: &[u8]) -> Adjacency {
        Adjacency::build(n, |i, j| w[i * n + j])
    }

    fn columns(n: usize, w: &[u8]) -> Adjacency {
        Adjacency::build(n, |i, j| w[j * n + i])
    }

    fn build(n: usize, at: impl Fn(usize, usize) -> u8) -> Adjacency {
        let lists = (0..n)
            .map(|i| {
                let mut by_weight: [Vec<usize>; 3] = Default::default();
                for j in 0..n {
                    let v = at(i, j);
                    if v > 0 {
                        by_weight[usize::from(v - 1)].push(j);
                    }
                }
                by_weight
            })
            .collect();
        Adjacency { lists }
    }

    /// Whether the influence graph has a cycle (Kahn's algorithm: a graph without one can be
    /// emptied by removing, again and again, the drivers nothing acts on).
    fn has_cycle(&self) -> bool {
        let n = self.lists.len();
        let mut incoming = vec![0usize; n];
        for by_weight in &self.lists {
            for &j in by_weight.iter().flatten() {
                incoming[j] += 1;
            }
        }
        let mut free: Vec<usize> = (0..n).filter(|&i| incoming[i] == 0).collect();
        let mut removed = 0;
        while let Some(i) = free.pop() {
            removed += 1;
            for &j in self.lists[i].iter().flatten() {
                incoming[j] -= 1;
                if incoming[j] == 0 {
                    free.push(j);
                }
            }
        }
        removed < n
    }

    /// The product of the matrix (or its transpose) with `x`, exactly.
    fn apply(&self, x: &[BigUint]) -> Vec<BigUint> {
        self.lists
            .par_iter()
            .map(|by_weight| {
                let mut total = BigUint::zero();
                for (weight, list) in (1u32..).zip(by_weight) {
                    if list.is_empty() {
                        continue;
                    }
                    let mut sum = BigUint::zero();
                    for &j in list {
                        sum += &x[j];
                    }
                    total += sum * weight;
                }
                total
            })
            .collect()
    }
}

fn unchanged(before: &[usize], after: &[usize]) -> usize {
    before.iter().zip(after).filter(|(a, b)| a == b).count()
}

/// Each value's share of their (nonzero) sum, rounded once: the values are shifted so that
/// the sum keeps its top 62 bits, which `f64` then holds to within half an ulp.
fn shares(x: &[BigUint]) -> Vec<f64> {
    let total: BigUint = x.iter().sum();
    let shift = total.bits().saturating_sub(62);
    let to_f64 = |v: &BigUint| (v >> shift).to_f64().unwrap_or(0.0);
    let t = to_f64(&total);
    x.iter().map(|v| to_f64(v) / t).collect()
}

fn map(influence: &[BigUint], dependence: &[BigUint], direct_total: f64, band: f64) -> Map {
    let mut m = map_from_shares(&shares(influence), &shares(dependence), direct_total, band);
    // Exact ranks from the integers, not from the rounded shares.
    m.influence_rank = ranks_by(influence, Ord::cmp);
    m.dependence_rank = ranks_by(dependence, Ord::cmp);
    m
}

fn map_from_shares(influence: &[f64], dependence: &[f64], total: f64, band: f64) -> Map {
    let n = influence.len();
    let by_value = |a: &f64, b: &f64| a.total_cmp(b);
    let class = influence.iter().zip(dependence).map(|(&i, &d)| classify(i, d, n, band)).collect();
    Map {
        influence: influence.iter().map(|s| s * total).collect(),
        dependence: dependence.iter().map(|s| s * total).collect(),
        influence_rank: ranks_by(influence, by_value),
        dependence_rank: ranks_by(dependence, by_value),
        influence_share: influence.to_vec(),
        dependence_share: dependence.to_vec(),
        class,
    }
}

/// The class of a driver from its shares: the mean share is `1/n`, so `share·n` is the value
/// relative to the mean.
fn classify(influence_share: f64, dependence_share: f64, n: usize, band: f64) -> Class {
    let i = influence_share * n as f64;
    let d = dependence_share * n as f64;
    // Shares of exact integers can land a few ulps off the mean; within that, a value is at it.
    let high = |r: f64| r > 1.0 + prec::REORDER;
    if (i - 1.0).abs() <= band + prec::REORDER && (d - 1.0).abs() <= band + prec::REORDER {
        return Class::Regulating;
    }
    match (high(i), high(d)) {
        (true, false) => Class::Influential,
        (true, true) => Class::Relay,
        (false, true) => Class::Dependent,
        (false, false) => Class::Autonomous,
    }
}

/// The spectral radius and the right and left Perron vectors (summing to 1) of the `n × n`
/// row-major matrix `m`, or `None` when λ is 0 or either iteration does not converge.
fn perron_limit(n: usize, m: &[f64]) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    let transpose: Vec<f64> = (0..n * n).map(|ij| m[(ij % n) * n + ij / n]).collect();
    let (lambda, right) = perron_vector(n, m)?;
    let (_, left) = perron_vector(n, &transpose)?;
    (lambda > prec::PERRON).then_some((lambda, right, left))
}

fn perron_vector(n: usize, m: &[f64]) -> Option<(f64, Vec<f64>)> {
    let mut v = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..PERRON_MAX_ITERATIONS {
        // (M + I)·v, row by row in parallel; each row's sum is in a fixed order.
        next.par_iter_mut().enumerate().for_each(|(i, out)| {
            let row = &m[i * n..(i + 1) * n];
            *out = v[i] + row.iter().zip(&v).map(|(a, b)| a * b).sum::<f64>();
        });
        let s: f64 = next.iter().sum();
        let mut change: f64 = 0.0;
        for (a, b) in next.iter_mut().zip(&v) {
            *a /= s;
            change = change.max((*a - b).abs());
        }
        std::mem::swap(&mut v, &mut next);
        if change < prec::PERRON {
            // With v summing to 1, the sum of (M + I)·v is λ + 1.
            return Some((s - 1.0, v));
        }
    }
    None
}

#[cfg(test)]
mod tests;
