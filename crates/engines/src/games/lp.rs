//! Two-player zero-sum (and constant-sum) games by linear programming, in exact arithmetic: the
//! value and a pair of optimal (minimax) strategies.

use num_bigint::BigInt;
use num_rational::BigRational;

use super::Game;
use super::extreme::bimatrix_payoffs;
use super::lh::{normalise, shift_positive};
use super::num::Num;
use super::tableau::{Overflow, Tableau};

/// Why [`solve_zero_sum`] could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZeroSumError {
    /// The method is for two-player games.
    #[error("the zero-sum method needs a two-player game, this one has {players} players")]
    NotTwoPlayer {
        /// The number of players.
        players: usize,
    },
    /// The payoffs do not sum to the same constant at every profile.
    #[error(
        "the game is not zero-sum (nor constant-sum): payoffs at row {row}, column {col} sum differently from row 0, column 0; use enumeration or lemke–howson instead"
    )]
    NotConstantSum {
        /// The row of the first profile whose sum differs.
        row: usize,
        /// Its column.
        col: usize,
    },
}

/// The solution of a zero-sum game.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZeroSumSolution {
    /// The value: the row player's payoff that both optimal strategies guarantee.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::rational"))]
    pub value: BigRational,
    /// An optimal (maximin) strategy of the row player.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::rationals"))]
    pub row_strategy: Vec<BigRational>,
    /// An optimal (minimax) strategy of the column player.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::rationals"))]
    pub col_strategy: Vec<BigRational>,
    /// Simplex pivots taken.
    pub pivots: usize,
}

/// The value and optimal strategies of a two-player zero-sum (or constant-sum) game, by the
/// simplex method in exact integer pivoting.
///
/// Method: the column player's program `max 1ᵀy s.t. Ay ≤ 1, y ≥ 0` for the payoff matrix
/// shifted to be positive, whose dual `min 1ᵀx s.t. Aᵀx ≥ 1, x ≥ 0` gives the row player's
/// strategy (von Neumann 1928; Dantzig 1951, "A proof of the equivalence of the programming
/// problem and the game problem", in Koopmans (ed.), *Activity Analysis of Production and
/// Allocation*, 330–335; von Stengel 2002, Handbook of Game Theory vol. 3, section 2.2).
/// Pivots enter the lowest-numbered improving variable and leave by the lexicographic minimum
/// ratio, which cannot cycle. The value is `1/max 1ᵀy` mapped back through the shift, computed
/// exactly as `xᵀAy`.
///
/// # Errors
/// [`ZeroSumError::NotTwoPlayer`]; [`ZeroSumError::NotConstantSum`].
///
/// # Complexity
/// Exponential in the worst case (Klee–Minty), typically `O(m + n)` pivots of `O(m · n)` each.
///
/// # Example
/// ```
/// use engines::games::{solve_zero_sum, Game, ZeroSumError};
/// // Rock, paper, scissors: value 0, uniform play.
/// let a = vec![vec![0, -1, 1], vec![1, 0, -1], vec![-1, 1, 0]];
/// let b: Vec<Vec<i64>> = a.iter().map(|r| r.iter().map(|v| -v).collect()).collect();
/// let s = solve_zero_sum(&Game::bimatrix_int(&a, &b).unwrap()).unwrap();
/// assert_eq!(s.value.to_string(), "0");
/// assert_eq!(s.row_strategy[0].to_string(), "1/3");
/// // Battle of the sexes is not zero-sum.
/// let g = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
/// assert_eq!(solve_zero_sum(&g), Err(ZeroSumError::NotConstantSum { row: 1, col: 0 }));
/// ```
pub fn solve_zero_sum(game: &Game) -> Result<ZeroSumSolution, ZeroSumError> {
    let (a, _) =
        game.int_matrices().ok_or(ZeroSumError::NotTwoPlayer { players: game.num_players() })?;
    let m = game.strategies()[0].len();
    let total = |k: usize| game.payoff(0, k) + game.payoff(1, k);
    let first = total(0);
    if let Some(k) = (0..game.num_profiles()).find(|&k| total(k) != first) {
        return Err(ZeroSumError::NotConstantSum { row: k % m, col: k / m });
    }
    let a = shift_positive(&a);
    let (x, y, pivots) = simplex_wide(&a);
    let profile = vec![normalise(&x), normalise(&y)];
    let value = bimatrix_payoffs(game, &profile).swap_remove(0);
    let mut profile = profile;
    let col_strategy = profile.pop().unwrap_or_default();
    let row_strategy = profile.pop().unwrap_or_default();
    Ok(ZeroSumSolution { value, row_strategy, col_strategy, pivots })
}

fn simplex_wide(a: &[Vec<BigInt>]) -> (Vec<BigInt>, Vec<BigInt>, usize) {
    if let Ok(r) = simplex::<i64>(a) {
        return r;
    }
    if let Ok(r) = simplex::<i128>(a) {
        return r;
    }
    simplex::<BigInt>(a).unwrap_or_default()
}

/// Primal `y` and dual `x` numerators at the optimum of `max 1ᵀy, Ay ≤ 1, y ≥ 0`.
#[allow(clippy::type_complexity)]
fn simplex<T: Num>(a: &[Vec<BigInt>]) -> Result<(Vec<BigInt>, Vec<BigInt>, usize), Overflow> {
    let (m, n) = (a.len(), a[0].len());
    // The objective row w = Σ y_j is stored as w + Σ (−1)·y_j = 0.
    let mut objective: Vec<BigInt> = vec![BigInt::from(-1); n];
    objective.push(BigInt::from(0));
    let mut t = Tableau::<T>::new(a, n, &[objective])?;
    let mut pivots = 0;
    loop {
        // Bland: the lowest-numbered variable with a negative reduced cost enters.
        let entering = (0..n)
            .filter(|&c| {
                let v = t.extra(0, c);
                !v.is_zero() && !v.is_pos()
            })
            .min_by_key(|&c| t.nonbasic[c]);
        let Some(c) = entering else { break };
        // A is positive, so the program is bounded and a leaving row exists.
        let Some(r) = t.lex_ratio(c)? else { break };
        t.pivot(r, c)?;
        pivots += 1;
    }
    let y: Vec<BigInt> = t.point().iter().map(T::to_big).collect();
    // The dual value of row i is the reduced cost of its slack (variable n + i) when nonbasic.
    let x: Vec<BigInt> = (0..m)
        .map(|i| match t.slot_of(n + i) {
            Some(slot) => t.extra(0, slot).to_big(),
            None => BigInt::from(0),
        })
        .collect();
    Ok((x, y, pivots))
}
