//! MACTOR: the balance of power between actors and their convergences and divergences on a
//! set of objectives.
//!
//! Two checked inputs: a [`Mid`], the matrix of direct influences (actor × actor, 0 none,
//! 1 operating procedures, 2 projects, 3 missions, 4 existence), and a [`Mao`], the actors'
//! valued positions on the objectives (actor × objective, −4..+4: the sign says for or against,
//! the magnitude how much the objective matters to the actor, on the same 0–4 scale).
//! [`balance`] turns a `Mid` into a [`BalanceOfPower`] (MIDI, influence and dependence,
//! r_i and Ri*); [`analyse`] adds the three levels of convergence and divergence ([`Level`]).
//!
//! Formulas (Arcade, Godet, Meunier and Roubelat 2009, §2.5–§2.7; names as in the reference):
//! - `MIDI_ab = MID_ab + Σ_{c≠a,b} min(MID_ac, MID_cb)`; the diagonal `MIDI_aa = Σ_c
//!   min(MID_ac, MID_ca)` is actor a's retroaction (the influence it gets back through others).
//! - `I_i = Σ_{j≠i} MIDI_ij`, `D_i = Σ_{j≠i} MIDI_ji`; `M_i` and `D'_i` the same sums with the
//!   diagonal.
//! - [`BalanceFormula::Retroaction`]: `r_i = ((M_i − MIDI_ii)/Σ_k M_k) · (M_i/(M_i + D'_i))`;
//!   `Ri* = n · r_i / Σ_k r_k`, so the Ri* average 1.
//! - Level 1 positions are the signs of 2MAO, level 2 the 2MAO itself, level 3 `2MAO_ik · Ri*_i`.
//!   At each level, `CAA_ij = Σ_k (|P_ik| + |P_jk|)/2` over the objectives on which i and j
//!   have the same sign, `DAA_ij` likewise over opposite signs; ambivalence
//!   `EQ_i = 1 − Σ_j ||CAA_ij| − |DAA_ij|| / Σ_j (|CAA_ij| + |DAA_ij|)`.

use super::ranks_by;

/// The highest direct influence on the MID scale (the other's existence).
pub const MAX_INFLUENCE: u8 = 4;

/// The largest magnitude of a position on the 2MAO scale.
pub const MAX_POSITION: i8 = 4;

/// A checked matrix of direct influences between actors: row `a`, column `b` is the means of
/// action actor `a` has on actor `b`, 0..=4; the diagonal is 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mid {
    n: usize,
    cells: Vec<u8>,
}

/// Why a [`Mid`] was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MidError {
    /// There are no actors.
    #[error("the matrix of direct influences has no actors")]
    Empty,
    /// Row `row` has `len` cells but there are `expected` actors.
    #[error(
        "row {row} has {len} cells but there are {expected} actors, so the matrix is not square"
    )]
    NotSquare {
        /// The row, from 0.
        row: usize,
        /// Its number of cells.
        len: usize,
        /// The number of rows.
        expected: usize,
    },
    /// A cell is above [`MAX_INFLUENCE`].
    #[error("cell ({row}, {column}) is {value}, outside the scale 0..=4")]
    OutOfScale {
        /// The row, from 0.
        row: usize,
        /// The column, from 0.
        column: usize,
        /// The value found.
        value: u8,
    },
    /// A diagonal cell is not 0.
    #[error("the diagonal cell of actor {index} is {value}, not 0")]
    Diagonal {
        /// The actor, from 0.
        index: usize,
        /// The value found.
        value: u8,
    },
}

impl Mid {
    /// Checks a matrix given as rows.
    ///
    /// # Errors
    /// [`MidError`]: no actors, a non-square matrix, a value above 4, a nonzero diagonal.
    ///
    /// # Complexity
    /// O(n²).
    ///
    /// # Example
    /// ```
    /// use engines::actors::mactor::{Mid, MidError};
    /// let mid = Mid::from_rows(vec![vec![0, 4], vec![1, 0]]).unwrap();
    /// assert_eq!(mid.get(0, 1), Some(4));
    ///
    /// // 5 is beyond "existence", the top of the scale.
    /// let err = Mid::from_rows(vec![vec![0, 5], vec![1, 0]]);
    /// assert_eq!(err, Err(MidError::OutOfScale { row: 0, column: 1, value: 5 }));
    /// ```
    pub fn from_rows(rows: Vec<Vec<u8>>) -> Result<Mid, MidError> {
        let n = rows.len();
        if n == 0 {
            return Err(MidError::Empty);
        }
        let mut cells = Vec::with_capacity(n * n);
        for (row, r) in rows.into_iter().enumerate() {
            if r.len() != n {
                return Err(MidError::NotSquare { row, len: r.len(), expected: n });
            }
            for (column, value) in r.into_iter().enumerate() {
                if value > MAX_INFLUENCE {
                    return Err(MidError::OutOfScale { row, column, value });
                }
                if row == column && value != 0 {
                    return Err(MidError::Diagonal { index: row, value });
                }
                cells.push(value);
            }
        }
        Ok(Mid { n, cells })
    }

    /// The number of actors.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a checked matrix has at least one actor.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The cell in row `a`, column `b`, or `None` outside the matrix.
    pub fn get(&self, a: usize, b: usize) -> Option<u8> {
        (a < self.n && b < self.n).then(|| self.cells[a * self.n + b])
    }

    fn at(&self, a: usize, b: usize) -> u32 {
        u32::from(self.cells[a * self.n + b])
    }
}

/// A checked matrix of valued positions (2MAO): row `i`, column `k` is actor `i`'s position on
/// objective `k`, −4..=+4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mao {
    actors: usize,
    objectives: usize,
    cells: Vec<i8>,
}

/// Why a [`Mao`] was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MaoError {
    /// There are no actors.
    #[error("the matrix of positions has no actors")]
    NoActors,
    /// There are no objectives.
    #[error("the matrix of positions has no objectives")]
    NoObjectives,
    /// Row `row` has `len` cells but the first row has `expected`.
    #[error("row {row} has {len} cells but the first row has {expected}")]
    Ragged {
        /// The row, from 0.
        row: usize,
        /// Its number of cells.
        len: usize,
        /// The first row's number of cells.
        expected: usize,
    },
    /// A position's magnitude is above [`MAX_POSITION`].
    #[error("cell ({row}, {column}) is {value}, outside the scale -4..=4")]
    OutOfScale {
        /// The row (actor), from 0.
        row: usize,
        /// The column (objective), from 0.
        column: usize,
        /// The value found.
        value: i8,
    },
}

impl Mao {
    /// Checks a matrix given as rows, one per actor.
    ///
    /// # Errors
    /// [`MaoError`]: no actors, no objectives, rows of different lengths, a magnitude above 4.
    ///
    /// # Complexity
    /// O(actors × objectives).
    ///
    /// # Example
    /// ```
    /// use engines::actors::mactor::{Mao, MaoError};
    /// let mao = Mao::from_rows(vec![vec![3, -2, 0], vec![-1, 4, 1]]).unwrap();
    /// assert_eq!((mao.actors(), mao.objectives()), (2, 3));
    ///
    /// // Every actor needs a position (0 for indifferent) on every objective.
    /// let err = Mao::from_rows(vec![vec![3, -2], vec![1]]);
    /// assert_eq!(err, Err(MaoError::Ragged { row: 1, len: 1, expected: 2 }));
    /// ```
    pub fn from_rows(rows: Vec<Vec<i8>>) -> Result<Mao, MaoError> {
        let actors = rows.len();
        let objectives = rows.first().ok_or(MaoError::NoActors)?.len();
        if objectives == 0 {
            return Err(MaoError::NoObjectives);
        }
        let mut cells = Vec::with_capacity(actors * objectives);
        for (row, r) in rows.into_iter().enumerate() {
            if r.len() != objectives {
                return Err(MaoError::Ragged { row, len: r.len(), expected: objectives });
            }
            for (column, value) in r.into_iter().enumerate() {
                if !(-MAX_POSITION..=MAX_POSITION).contains(&value) {
                    return Err(MaoError::OutOfScale { row, column, value });
                }
                cells.push(value);
            }
        }
        Ok(Mao { actors, objectives, cells })
    }

    /// The number of actors (rows).
    pub fn actors(&self) -> usize {
        self.actors
    }

    /// The number of objectives (columns).
    pub fn objectives(&self) -> usize {
        self.objectives
    }

    /// The position of actor `i` on objective `k`, or `None` outside the matrix.
    pub fn get(&self, i: usize, k: usize) -> Option<i8> {
        (i < self.actors && k < self.objectives).then(|| self.cells[i * self.objectives + k])
    }
}

/// Which formula gives the raw balance-of-power coefficient `r_i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum BalanceFormula {
    /// Arcade et al. (2009), §2.5, as LIPSOR's MACTOR computes it: the sums include the
    /// retroaction, `r_i = ((M_i − MIDI_ii)/Σ_k M_k) · (M_i/(M_i + D'_i))`.
    Retroaction,
    /// The simpler form without the diagonal found in some presentations of the method:
    /// `r_i = (I_i/Σ_k I_k) · (I_i/(I_i + D_i))`.
    WithoutRetroaction,
}

/// The options of [`balance`] and [`analyse`]. There is no default: a caller states each choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MactorOptions {
    /// The formula of `r_i`.
    pub balance: BalanceFormula,
}

/// The balance of power between the actors, from the MID.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BalanceOfPower {
    /// The matrix of direct and indirect influences, row-major rows; the diagonal holds each
    /// actor's retroaction.
    pub midi: Vec<Vec<u32>>,
    /// `I_i`: the row sums of MIDI without the diagonal (direct and indirect influence).
    pub influence: Vec<u32>,
    /// `D_i`: the column sums of MIDI without the diagonal (direct and indirect dependence).
    pub dependence: Vec<u32>,
    /// `M_i`: the row sums of MIDI with the diagonal.
    pub influence_with_retroaction: Vec<u32>,
    /// `D'_i`: the column sums of MIDI with the diagonal.
    pub dependence_with_retroaction: Vec<u32>,
    /// The raw coefficients `r_i` (see [`BalanceFormula`]). An actor with no influence at all
    /// has `r_i = 0` (the formula's second factor would be 0/0, but its first is 0).
    pub r: Vec<f64>,
    /// `Ri* = n · r_i / Σ_k r_k`: the balance-of-power coefficients, averaging 1.
    pub ri_star: Vec<f64>,
    /// Each actor's rank by Ri*, 1 the most powerful; ties go to the lower index.
    pub rank: Vec<usize>,
}

/// What the actors mobilise on one objective, at one level.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Mobilisation {
    /// `Σ_i P_ik` over the actors for it.
    pub favourable: f64,
    /// `Σ_i |P_ik|` over the actors against it.
    pub opposed: f64,
    /// `favourable + opposed`: the objective's total mobilisation.
    pub total: f64,
    /// `min(favourable, opposed)`: how much the objective splits the actors; 0 when everyone
    /// who cares is on one side.
    pub contested: f64,
}

/// The convergences and divergences at one level (1, 2 or 3).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Level {
    /// The level: 1 (signs), 2 (valued positions), 3 (positions weighted by Ri*).
    pub level: u8,
    /// The positions `P` at this level, actor × objective.
    pub positions: Vec<Vec<f64>>,
    /// `CAA_ij`: the convergence between actors i and j; symmetric, diagonal 0.
    pub caa: Vec<Vec<f64>>,
    /// `DAA_ij`: the divergence between actors i and j, as a nonnegative number; symmetric,
    /// diagonal 0.
    pub daa: Vec<Vec<f64>>,
    /// The degree of convergence of the whole set: `Σ_{i<j} CAA_ij / Σ_{i<j} (CAA_ij + DAA_ij)`,
    /// 1 when every pair agrees wherever both take sides; `None` when no two actors take a side
    /// on a common objective.
    pub degree_of_convergence: Option<f64>,
    /// `EQ_i`, each actor's ambivalence in `[0, 1]`: 0 when it only converges or only diverges
    /// with each other actor, 1 when its convergences and divergences balance; `None` when it
    /// shares no objective with anyone (0/0).
    pub ambivalence: Vec<Option<f64>>,
    /// The mobilisation on each objective.
    pub mobilisation: Vec<Mobilisation>,
    /// Each actor's implication: `Σ_k |P_ik|`.
    pub implication: Vec<f64>,
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Mactor {
    /// The balance of power.
    pub balance: BalanceOfPower,
    /// Levels 1, 2 and 3, in that order.
    pub levels: Vec<Level>,
}

/// Why [`balance`] or [`analyse`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MactorError {
    /// The MID and the 2MAO do not have the same actors.
    #[error("the matrix of influences has {mid} actors but the matrix of positions has {mao}")]
    ActorCount {
        /// Actors in the MID.
        mid: usize,
        /// Actors in the 2MAO.
        mao: usize,
    },
    /// Every cell of the MID is 0: no actor has any means of action, so `Σ r_k = 0` and Ri*
    /// would be 0/0.
    #[error("no actor has any influence on another, so there is no balance of power")]
    NoInfluence,
}

/// The balance of power between actors: MIDI, influences and dependences, r_i and Ri*.
///
/// Method: Arcade, Godet, Meunier and Roubelat (2009), "Structural analysis with the MICMAC
/// method & actors' strategy with MACTOR method", *Futures Research Methodology* v3.0, §2.5
/// (the matrix of direct and indirect influences and the balance-of-power coefficients); the
/// module documentation gives the formulas.
///
/// # Errors
/// [`MactorError::NoInfluence`] when every cell of the MID is 0.
///
/// # Complexity
/// O(n³) for MIDI.
///
/// # Example
/// ```
/// use engines::actors::mactor::{balance, BalanceFormula, MactorError, MactorOptions, Mid};
/// let options = MactorOptions { balance: BalanceFormula::Retroaction };
/// let mid = Mid::from_rows(vec![vec![0, 2], vec![1, 0]]).unwrap();
/// let b = balance(&mid, &options).unwrap();
/// assert_eq!(b.midi, vec![vec![1, 2], vec![1, 1]]);
/// assert_eq!(b.rank, vec![1, 2]);
///
/// // Nobody can act on anybody: there is no balance of power.
/// let idle = Mid::from_rows(vec![vec![0, 0], vec![0, 0]]).unwrap();
/// assert_eq!(balance(&idle, &options), Err(MactorError::NoInfluence));
/// ```
pub fn balance(mid: &Mid, options: &MactorOptions) -> Result<BalanceOfPower, MactorError> {
    let n = mid.n;
    if mid.cells.iter().all(|&v| v == 0) {
        return Err(MactorError::NoInfluence);
    }
    let midi: Vec<Vec<u32>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    if a == b {
                        (0..n).map(|c| mid.at(a, c).min(mid.at(c, a))).sum()
                    } else {
                        let through: u32 = (0..n)
                            .filter(|&c| c != a && c != b)
                            .map(|c| mid.at(a, c).min(mid.at(c, b)))
                            .sum();
                        mid.at(a, b) + through
                    }
                })
                .collect()
        })
        .collect();
    let row = |i: usize| -> u32 { midi[i].iter().sum() };
    let column = |i: usize| -> u32 { midi.iter().map(|r| r[i]).sum() };
    let m: Vec<u32> = (0..n).map(row).collect();
    let d_prime: Vec<u32> = (0..n).map(column).collect();
    let influence: Vec<u32> = (0..n).map(|i| m[i] - midi[i][i]).collect();
    let dependence: Vec<u32> = (0..n).map(|i| d_prime[i] - midi[i][i]).collect();

    let ratio = |a: u32, b: u32| if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) };
    let r: Vec<f64> = match options.balance {
        BalanceFormula::Retroaction => {
            let total: u32 = m.iter().sum();
            (0..n).map(|i| ratio(influence[i], total) * ratio(m[i], m[i] + d_prime[i])).collect()
        }
        BalanceFormula::WithoutRetroaction => {
            let total: u32 = influence.iter().sum();
            (0..n)
                .map(|i| {
                    ratio(influence[i], total) * ratio(influence[i], influence[i] + dependence[i])
                })
                .collect()
        }
    };
    // Some actor acts on another (checked above), so its I_i, M_i and r_i are positive.
    let sum: f64 = r.iter().sum();
    let ri_star: Vec<f64> = r.iter().map(|x| n as f64 * x / sum).collect();
    let rank = ranks_by(&ri_star, |a, b| a.total_cmp(b));
    Ok(BalanceOfPower {
        midi,
        influence,
        dependence,
        influence_with_retroaction: m,
        dependence_with_retroaction: d_prime,
        r,
        ri_star,
        rank,
    })
}

/// MACTOR in full: the balance of power and the convergences, divergences, ambivalence and
/// mobilisation at levels 1, 2 and 3.
///
/// Method: Arcade, Godet, Meunier and Roubelat (2009), "Structural analysis with the MICMAC
/// method & actors' strategy with MACTOR method", *Futures Research Methodology* v3.0, §2.5–
/// §2.7; Godet (2006), *Creating Futures*, 2nd ed., Economica, chapter 5. The module
/// documentation gives the formulas; `CAA` and `DAA` weigh a shared objective by the mean of
/// the two actors' intensities, and their diagonals are 0.
///
/// # Errors
/// [`MactorError::ActorCount`] when the two matrices have different numbers of actors;
/// [`MactorError::NoInfluence`] as in [`balance`].
///
/// # Complexity
/// O(n³ + n² · objectives).
///
/// # Example
/// ```
/// use engines::actors::mactor::{analyse, BalanceFormula, MactorError, MactorOptions, Mao, Mid};
/// let options = MactorOptions { balance: BalanceFormula::Retroaction };
/// let mid = Mid::from_rows(vec![vec![0, 2], vec![1, 0]]).unwrap();
/// let mao = Mao::from_rows(vec![vec![3, -1], vec![2, 2]]).unwrap();
/// let result = analyse(&mid, &mao, &options).unwrap();
/// let level2 = &result.levels[1];
/// assert_eq!(level2.caa[0][1], 2.5); // objective 0: (3 + 2) / 2
/// assert_eq!(level2.daa[0][1], 1.5); // objective 1: (1 + 2) / 2
///
/// // Positions for three actors do not fit a two-actor MID.
/// let three = Mao::from_rows(vec![vec![1], vec![1], vec![-1]]).unwrap();
/// assert_eq!(analyse(&mid, &three, &options), Err(MactorError::ActorCount { mid: 2, mao: 3 }));
/// ```
pub fn analyse(mid: &Mid, mao: &Mao, options: &MactorOptions) -> Result<Mactor, MactorError> {
    if mid.n != mao.actors {
        return Err(MactorError::ActorCount { mid: mid.n, mao: mao.actors });
    }
    let balance = balance(mid, options)?;
    let p2: Vec<Vec<f64>> = mao
        .cells
        .chunks(mao.objectives)
        .map(|row| row.iter().map(|&v| f64::from(v)).collect())
        .collect();
    let p1: Vec<Vec<f64>> = p2.iter().map(|row| row.iter().map(|&v| sign(v)).collect()).collect();
    let p3: Vec<Vec<f64>> = p2
        .iter()
        .zip(&balance.ri_star)
        .map(|(row, &w)| row.iter().map(|&v| v * w).collect())
        .collect();
    let levels = vec![level(1, p1), level(2, p2), level(3, p3)];
    Ok(Mactor { balance, levels })
}

fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Convergences, divergences, ambivalence and mobilisation of one level's positions.
fn level(number: u8, positions: Vec<Vec<f64>>) -> Level {
    let n = positions.len();
    let objectives = positions.first().map_or(0, Vec::len);
    let mut caa = vec![vec![0.0; n]; n];
    let mut daa = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let (mut c, mut d) = (0.0, 0.0);
            for (&a, &b) in positions[i].iter().zip(&positions[j]) {
                let mean = (a.abs() + b.abs()) / 2.0;
                if a * b > 0.0 {
                    c += mean;
                } else if a * b < 0.0 {
                    d += mean;
                }
            }
            (caa[i][j], caa[j][i], daa[i][j], daa[j][i]) = (c, c, d, d);
        }
    }
    let (mut total_c, mut total_d) = (0.0, 0.0);
    for i in 0..n {
        for j in (i + 1)..n {
            total_c += caa[i][j];
            total_d += daa[i][j];
        }
    }
    let degree_of_convergence = (total_c + total_d > 0.0).then(|| total_c / (total_c + total_d));
    let ambivalence = (0..n)
        .map(|i| {
            let (mut gap, mut sum) = (0.0, 0.0);
            for j in (0..n).filter(|&j| j != i) {
                gap += (caa[i][j] - daa[i][j]).abs();
                sum += caa[i][j] + daa[i][j];
            }
            (sum > 0.0).then(|| 1.0 - gap / sum)
        })
        .collect();
    let mobilisation = (0..objectives)
        .map(|k| {
            let favourable: f64 = positions.iter().map(|r| r[k].max(0.0)).sum();
            let opposed: f64 = positions.iter().map(|r| (-r[k]).max(0.0)).sum();
            Mobilisation {
                favourable,
                opposed,
                total: favourable + opposed,
                contested: favourable.min(opposed),
            }
        })
        .collect();
    let implication = positions.iter().map(|r| r.iter().map(|v| v.abs()).sum()).collect();
    Level {
        level: number,
        positions,
        caa,
        daa,
        degree_of_convergence,
        ambivalence,
        mobilisation,
        implication,
    }
}

#[cfg(test)]
mod tests;
