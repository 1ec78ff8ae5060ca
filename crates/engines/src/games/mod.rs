//! Nash equilibria of finite games in normal form.
//!
//! Brief overview: a [`Game`] (n players, their strategies, exact rational payoffs; checked by
//! [`Game::new`] or [`Game::bimatrix`]) goes to one of the methods, each a function returning
//! its own plain result:
//! - [`pure_equilibria`]: every pure-strategy equilibrium of an n-player game.
//! - [`eliminate_dominated`]: iterated elimination of strictly or weakly dominated strategies.
//! - [`enumerate_extreme`]: every extreme equilibrium of a two-player game, exactly, with the
//!   maximal Nash subsets and components of degenerate games (what `lrsnash` and Gambit's
//!   `enummixed` compute).
//! - [`lemke_howson`]: one equilibrium per starting label, exactly, for two-player games.
//! - [`solve_zero_sum`]: the value and optimal strategies of a two-player zero-sum game, by
//!   linear programming in exact arithmetic.
//! - [`logit_qre`]: the logit quantal response equilibrium path for n players, followed to a
//!   Nash equilibrium approximated to a reported `ε`.
//!
//! [`Game::properties`] says whether a game is zero-sum, constant-sum or symmetric; whether a
//! two-player game is degenerate comes from [`enumerate_extreme`].
//!
//! Exact results hold [`BigRational`]s; an [`Equilibrium`] always says each player's payoff and
//! whether it is pure.

mod duplicates;
mod extreme;
mod game;
mod lh;
mod lp;
mod num;
mod partner;
mod pure;
mod qre;
#[cfg(feature = "serde")]
mod ser;
mod tableau;
#[cfg(test)]
mod tests;

pub use num_rational::BigRational;

pub use extreme::{
    Component, EnumError, EnumOptions, ExtremeSolution, MAX_LABELS, NashSubset,
    ONE_SIDED_MIN_LABELS, Search, Vertex, enumerate_extreme,
};
pub use game::{Game, GameError, MAX_PROFILES, Properties};
pub use lh::{LhError, LhOptions, LhRun, LhSolution, LhStart, lemke_howson};
pub use lp::{ZeroSumError, ZeroSumSolution, solve_zero_sum};
pub use pure::{
    Dominance, DominanceOptions, Elimination, PureSolution, Reduction, eliminate_dominated,
    pure_equilibria,
};
pub use qre::{QRE_MAX_PROFILES, QreError, QreOptions, QreSolution, QreStop, logit_qre};

/// A Nash equilibrium in exact arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Equilibrium {
    /// For each player, the probability of each of its strategies, in the game's order.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser::profile"))]
    pub profile: Vec<Vec<BigRational>>,
    /// Each player's expected payoff.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser::rationals"))]
    pub payoffs: Vec<BigRational>,
    /// Whether every player plays a single strategy with probability 1.
    pub pure: bool,
}
