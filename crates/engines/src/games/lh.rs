//! The Lemke–Howson algorithm for two-player games, in exact integer pivoting, from one or every
//! starting label.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::extreme::bimatrix_payoffs;
use super::num::Num;
use super::tableau::{Overflow, Tableau};
use super::{Equilibrium, Game};

/// Where [`lemke_howson`] starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LhStart {
    /// From every label `0..m+n` in turn (rows first, then columns).
    AllLabels,
    /// From one label: `0..m` drops a row strategy, `m..m+n` a column strategy.
    Label(usize),
}

/// Options of [`lemke_howson`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LhOptions {
    /// The starting label(s).
    pub start: LhStart,
}

/// Why [`lemke_howson`] could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LhError {
    /// The method is for two-player games.
    #[error("lemke–howson needs a two-player game, this one has {players} players")]
    NotTwoPlayer {
        /// The number of players.
        players: usize,
    },
    /// The starting label does not exist.
    #[error("label {label} does not exist: the game has labels 0 to {}", labels - 1)]
    NoSuchLabel {
        /// The label asked for.
        label: usize,
        /// The number of labels, `m + n`.
        labels: usize,
    },
}

/// One Lemke–Howson path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LhRun {
    /// The dropped label.
    pub label: usize,
    /// Index into [`LhSolution::equilibria`] of the equilibrium at the path's end.
    pub equilibrium: usize,
    /// The number of pivots along the path.
    pub pivots: usize,
}

/// The equilibria found by Lemke–Howson.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LhSolution {
    /// The distinct equilibria reached, sorted.
    pub equilibria: Vec<Equilibrium>,
    /// One entry per path followed, in label order.
    pub runs: Vec<LhRun>,
}

/// Equilibria of a two-player game by the Lemke–Howson algorithm, exactly, from one starting
/// label or from each of the `m + n` labels.
///
/// Method: Lemke & Howson 1964, "Equilibrium points of bimatrix games", SIAM J. Appl. Math.
/// 12(2), 413–423; as complementary pivoting on the polytopes `P` and `Q` with the
/// lexicographic minimum ratio test for degenerate games and integer pivoting (von Stengel
/// 2002, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3, sections
/// 2.4–2.6). Every path ends at an equilibrium; different labels may reach the same one, and
/// some equilibria are reached from no label (section 2.4, "Shapley 1974" example), so this is
/// not a complete enumeration: use [`super::enumerate_extreme`] for that.
///
/// # Errors
/// [`LhError::NotTwoPlayer`]; [`LhError::NoSuchLabel`].
///
/// # Complexity
/// Each path takes at most exponentially many pivots in `m + n` (Savani & von Stengel 2006),
/// typically a few times `m + n`; each pivot costs `O(m · n)`.
///
/// # Example
/// ```
/// use engines::games::{lemke_howson, Game, LhError, LhOptions, LhStart};
/// let g = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
/// let s = lemke_howson(&g, &LhOptions { start: LhStart::AllLabels }).unwrap();
/// assert_eq!(s.runs.len(), 4);
/// assert!(s.equilibria.iter().all(|e| e.pure)); // the mixed one is not reached here
/// let bad = lemke_howson(&g, &LhOptions { start: LhStart::Label(4) });
/// assert_eq!(bad, Err(LhError::NoSuchLabel { label: 4, labels: 4 }));
/// ```
pub fn lemke_howson(game: &Game, options: &LhOptions) -> Result<LhSolution, LhError> {
    let (a, b) =
        game.int_matrices().ok_or(LhError::NotTwoPlayer { players: game.num_players() })?;
    let (m, n) = (a.len(), a[0].len());
    let labels: Vec<usize> = match options.start {
        LhStart::AllLabels => (0..m + n).collect(),
        LhStart::Label(k) if k < m + n => vec![k],
        LhStart::Label(label) => return Err(LhError::NoSuchLabel { label, labels: m + n }),
    };
    let a = shift_positive(&a);
    let b = shift_positive(&b);
    let bt: Vec<Vec<BigInt>> = (0..n).map(|j| (0..m).map(|i| b[i][j].clone()).collect()).collect();
    let mut equilibria: Vec<Equilibrium> = Vec::new();
    let mut raw_runs = Vec::new();
    for &k in &labels {
        let (x, y, pivots) = path(&bt, &a, m, n, k);
        let profile = vec![normalise(&x), normalise(&y)];
        let payoffs = bimatrix_payoffs(game, &profile);
        let pure = profile.iter().all(|s| s.iter().filter(|p| p.is_positive()).count() == 1);
        let eq = Equilibrium { profile, payoffs, pure };
        let idx = match equilibria.iter().position(|e| *e == eq) {
            Some(i) => i,
            None => {
                equilibria.push(eq);
                equilibria.len() - 1
            }
        };
        raw_runs.push((k, idx, pivots));
    }
    let mut order: Vec<usize> = (0..equilibria.len()).collect();
    order.sort_by(|&i, &j| equilibria[i].cmp(&equilibria[j]));
    let mut rank = vec![0; order.len()];
    for (r, &o) in order.iter().enumerate() {
        rank[o] = r;
    }
    let runs = raw_runs
        .into_iter()
        .map(|(label, i, pivots)| LhRun { label, equilibrium: rank[i], pivots })
        .collect();
    let equilibria = order.iter().map(|&o| equilibria[o].clone()).collect();
    Ok(LhSolution { equilibria, runs })
}

pub(crate) fn shift_positive(m: &[Vec<BigInt>]) -> Vec<Vec<BigInt>> {
    let min = m.iter().flatten().min().cloned().unwrap_or_else(BigInt::zero);
    let shift = BigInt::one() - min;
    m.iter().map(|r| r.iter().map(|v| v + &shift).collect()).collect()
}

pub(crate) fn normalise(point: &[BigInt]) -> Vec<BigRational> {
    let sum: BigInt = point.iter().sum();
    point.iter().map(|v| BigRational::new(v.clone(), sum.clone())).collect()
}

/// One path in the narrowest integer type that holds it.
fn path(
    bt: &[Vec<BigInt>],
    a: &[Vec<BigInt>],
    m: usize,
    n: usize,
    k: usize,
) -> (Vec<BigInt>, Vec<BigInt>, usize) {
    if let Ok(r) = path_in::<i64>(bt, a, m, n, k) {
        return r;
    }
    if let Ok(r) = path_in::<i128>(bt, a, m, n, k) {
        return r;
    }
    match path_in::<BigInt>(bt, a, m, n, k) {
        Ok(r) => r,
        // Big integers never overflow.
        Err(Overflow) => (vec![BigInt::zero(); m], vec![BigInt::zero(); n], 0),
    }
}

#[allow(clippy::type_complexity)]
fn path_in<T: Num>(
    bt: &[Vec<BigInt>],
    a: &[Vec<BigInt>],
    m: usize,
    n: usize,
    k: usize,
) -> Result<(Vec<BigInt>, Vec<BigInt>, usize), Overflow> {
    // P: variables x_0..x_{m-1} (labels 0..m), slacks of columns (labels m..m+n): variable
    // index equals label. Q: y_0..y_{n-1} (labels m..m+n), then slacks of rows (labels 0..m).
    let mut p = Tableau::<T>::new(bt, m, &[])?;
    let mut q = Tableau::<T>::new(a, n, &[])?;
    let var_in_q = |l: usize| if l >= m { l - m } else { n + l };
    let label_in_q = |v: usize| if v < n { m + v } else { v - n };
    let mut on_p = k < m;
    let mut entering = k;
    let mut pivots = 0usize;
    loop {
        let (tab, var) = if on_p { (&mut p, entering) } else { (&mut q, var_in_q(entering)) };
        // The entering variable is nonbasic: its label is the duplicate one.
        let Some(slot) = tab.slot_of(var) else { break };
        // The polytopes are bounded, so a positive entry exists.
        let Some(r) = tab.lex_ratio(slot)? else { break };
        let leaving = tab.basic[r];
        tab.pivot(r, slot)?;
        pivots += 1;
        let label = if on_p { leaving } else { label_in_q(leaving) };
        if label == k {
            break;
        }
        entering = label;
        on_p = !on_p;
    }
    Ok((
        p.point().iter().map(T::to_big).collect(),
        q.point().iter().map(T::to_big).collect(),
        pivots,
    ))
}
