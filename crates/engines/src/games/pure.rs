//! Pure-strategy Nash equilibria of n-player games, and iterated elimination of dominated
//! strategies. Both compare each player's payoffs as exact integers (scaled by the least common
//! multiple of that player's denominators).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};

use super::{Equilibrium, Game};

/// Every pure-strategy Nash equilibrium of `game`, in profile order (first player fastest).
///
/// A pure profile is an equilibrium when no player gains by a unilateral deviation (Nash 1951,
/// "Non-cooperative games", Annals of Mathematics 54(2), 286–295; the check is the one of
/// McKelvey & McLennan 1996, "Computation of equilibria in finite games", Handbook of
/// Computational Economics vol. 1, section 2).
///
/// # Complexity
/// `O(n · P)` comparisons for `n` players and `P` profiles.
///
/// # Example
/// ```
/// use engines::games::{pure_equilibria, Game, GameError};
/// // Battle of the sexes: two pure equilibria.
/// let g = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
/// assert_eq!(pure_equilibria(&g).equilibria.len(), 2);
/// // A player with no strategy is rejected when the game is built.
/// assert_eq!(Game::bimatrix_int(&[], &[]), Err(GameError::NoStrategies { player: 0 }));
/// ```
pub fn pure_equilibria(game: &Game) -> PureSolution {
    let total = game.num_profiles();
    let mut ok = vec![true; total];
    for p in 0..game.num_players() {
        let u = game.scaled(p);
        let stride = game.stride(p);
        let m = game.strategies()[p].len();
        // Each "base" is a profile with player p's strategy at 0.
        for base in (0..total).filter(|k| (k / stride) % m == 0) {
            let best = (0..m).map(|s| &u[base + s * stride]).max().unwrap_or(&u[base]);
            for s in 0..m {
                let k = base + s * stride;
                if &u[k] != best {
                    ok[k] = false;
                }
            }
        }
    }
    let equilibria = (0..total)
        .filter(|&k| ok[k])
        .map(|k| {
            let prof = game.profile_of(k);
            Equilibrium {
                profile: prof
                    .iter()
                    .enumerate()
                    .map(|(p, &s)| {
                        (0..game.strategies()[p].len())
                            .map(|t| if t == s { BigRational::one() } else { BigRational::zero() })
                            .collect()
                    })
                    .collect(),
                payoffs: (0..game.num_players()).map(|p| game.payoff(p, k).clone()).collect(),
                pure: true,
            }
        })
        .collect();
    PureSolution { equilibria }
}

/// The pure-strategy equilibria found by [`pure_equilibria`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PureSolution {
    /// The equilibria, in profile order.
    pub equilibria: Vec<Equilibrium>,
}

/// Which dominance [`eliminate_dominated`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Dominance {
    /// Remove a strategy when another pure strategy is strictly better against every profile
    /// of the others. Never removes a strategy used in an equilibrium.
    Strict,
    /// Remove a strategy when another pure strategy is at least as good against every profile
    /// of the others and strictly better against one. May remove equilibria; the result depends
    /// on the order of elimination (here: all of one player's weakly dominated strategies at
    /// once, players in turn).
    Weak,
}

/// Options of [`eliminate_dominated`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DominanceOptions {
    /// Which dominance to eliminate.
    pub dominance: Dominance,
}

/// One eliminated strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Elimination {
    /// The round (from 1) in which it was eliminated.
    pub round: usize,
    /// The player.
    pub player: usize,
    /// The eliminated strategy (index in the original game).
    pub strategy: usize,
    /// A strategy that dominates it (index in the original game).
    pub dominated_by: usize,
}

/// What is left after iterated elimination.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Reduction {
    /// For each player, the surviving strategies (indices in the original game, ascending).
    pub surviving: Vec<Vec<usize>>,
    /// The eliminations, in order.
    pub eliminated: Vec<Elimination>,
    /// The reduced game.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub game: Game,
}

/// Iterated elimination of strategies dominated by another pure strategy, until none is left.
///
/// Method: Fudenberg & Tirole 1991, *Game Theory*, MIT Press, section 2.1 (iterated strict
/// dominance; its result does not depend on the order of elimination) and section 2.1.3 (weak
/// dominance, whose result does). Domination by mixed strategies is not checked.
///
/// # Complexity
/// Each round costs `O(Σ_p m_p² · P / m_p)` comparisons; at most `Σ m_p` rounds.
///
/// # Example
/// ```
/// use engines::games::{eliminate_dominated, Dominance, DominanceOptions, Game};
/// // Prisoner's dilemma: defecting (strategy 1) strictly dominates cooperating.
/// let g = Game::bimatrix_int(&[vec![3, 0], vec![5, 1]], &[vec![3, 5], vec![0, 1]]).unwrap();
/// let r = eliminate_dominated(&g, &DominanceOptions { dominance: Dominance::Strict });
/// assert_eq!(r.surviving, vec![vec![1], vec![1]]);
/// ```
pub fn eliminate_dominated(game: &Game, options: &DominanceOptions) -> Reduction {
    let n = game.num_players();
    let mut surviving: Vec<Vec<usize>> = game.shape().iter().map(|&m| (0..m).collect()).collect();
    let mut eliminated = Vec::new();
    let mut current = game.clone();
    let mut round = 0;
    loop {
        round += 1;
        let mut changed = false;
        for p in 0..n {
            let found = dominated(&current, p, options.dominance);
            if found.is_empty() {
                continue;
            }
            changed = true;
            for &(s, by) in &found {
                eliminated.push(Elimination {
                    round,
                    player: p,
                    strategy: surviving[p][s],
                    dominated_by: surviving[p][by],
                });
            }
            let keep: Vec<usize> =
                (0..surviving[p].len()).filter(|s| !found.iter().any(|&(d, _)| d == *s)).collect();
            let mut keep_all: Vec<Vec<usize>> =
                current.shape().iter().map(|&m| (0..m).collect()).collect();
            keep_all[p].clone_from(&keep);
            current = current.restrict(&keep_all);
            surviving[p] = keep.iter().map(|&s| surviving[p][s]).collect();
        }
        if !changed {
            break;
        }
    }
    Reduction { surviving, eliminated, game: current }
}

/// The strategies of player `p` dominated by another of its strategies, with a dominator each;
/// never all of them (a dominator is itself undominated by the strategies it beats, and for
/// weak dominance ties keep the first of a set of duplicates).
fn dominated(game: &Game, p: usize, dominance: Dominance) -> Vec<(usize, usize)> {
    let m = game.strategies()[p].len();
    let u = game.scaled(p);
    let stride = game.stride(p);
    let total = game.num_profiles();
    let bases: Vec<usize> = (0..total).filter(|k| (k / stride) % m == 0).collect();
    let beats = |a: usize, b: usize| -> bool {
        // Does a dominate b?
        let col = |s: usize, base: usize| -> &BigInt { &u[base + s * stride] };
        match dominance {
            Dominance::Strict => bases.iter().all(|&k| col(a, k) > col(b, k)),
            Dominance::Weak => {
                bases.iter().all(|&k| col(a, k) >= col(b, k))
                    && bases.iter().any(|&k| col(a, k) > col(b, k))
            }
        }
    };
    let mut out = Vec::new();
    for s in 0..m {
        if let Some(by) = (0..m).find(|&t| t != s && beats(t, s)) {
            out.push((s, by));
        }
    }
    // Weak dominance is not transitive-safe when removing simultaneously only if it could
    // remove every strategy; it cannot: a strategy maximal in the (acyclic) weak-dominance
    // order survives. Keep the dominators pointing at survivors.
    let removed: Vec<usize> = out.iter().map(|&(s, _)| s).collect();
    for e in &mut out {
        if removed.contains(&e.1) {
            if let Some(t) = (0..m).find(|&t| !removed.contains(&t) && beats(t, e.0)) {
                e.1 = t;
            }
        }
    }
    out
}
