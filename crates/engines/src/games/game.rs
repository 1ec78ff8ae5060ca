//! The checked n-player normal-form game ([`Game`]), its construction errors ([`GameError`]),
//! its properties ([`Properties`]) and the exact payoff arithmetic every method shares.
//!
//! Profiles are numbered as Gambit numbers them in an `.nfg` file: the first player's strategy
//! changes fastest. Payoffs are exact rationals; each player's payoffs are also kept as integers
//! (scaled by the least common multiple of their denominators), which is what the comparisons and
//! the pivoting methods use.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// An integer payoff matrix, `m[row][col]`.
pub(crate) type IntMatrix = Vec<Vec<BigInt>>;

/// The largest number of pure-strategy profiles a [`Game`] may have (2^24, about 16.7 million).
pub const MAX_PROFILES: usize = 1 << 24;

/// A finite game in normal (strategic) form with exact rational payoffs.
///
/// Built by [`Game::new`] or [`Game::bimatrix`], which check it once; valid from then on.
#[derive(Debug, Clone, PartialEq)]
pub struct Game {
    title: String,
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    /// `payoffs[p][profile]`.
    payoffs: Vec<Vec<BigRational>>,
    /// `scaled[p][profile]`: player `p`'s payoffs times `scale[p]`, all integers.
    scaled: Vec<Vec<BigInt>>,
    strides: Vec<usize>,
}

/// Why a [`Game`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GameError {
    /// The game has no player.
    #[error("the game has no player")]
    NoPlayers,
    /// A player has no strategy.
    #[error("player {player} has no strategy")]
    NoStrategies {
        /// The player's index.
        player: usize,
    },
    /// The number of players does not match the list of strategy sets.
    #[error("{names} player names for {sets} strategy sets")]
    PlayerCount {
        /// Player names given.
        names: usize,
        /// Strategy sets given.
        sets: usize,
    },
    /// The game has more pure-strategy profiles than [`MAX_PROFILES`].
    #[error("the game has {profiles} pure-strategy profiles, more than the limit of {limit}")]
    TooLarge {
        /// The number of profiles (saturated at `usize::MAX`).
        profiles: usize,
        /// [`MAX_PROFILES`].
        limit: usize,
    },
    /// The payoff list does not have one entry per profile.
    #[error("{found} payoff profiles given for a game with {expected} profiles")]
    ProfileCount {
        /// The number of profiles of the game.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A profile's payoff vector does not have one payoff per player.
    #[error("profile {profile} has {found} payoffs for {expected} players")]
    RaggedProfile {
        /// The profile's index (first player's strategy fastest).
        profile: usize,
        /// The number of players.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A row of a payoff matrix has a different length than the first row.
    #[error(
        "row {row} of player {player}'s payoff matrix has {found} entries, expected {expected}"
    )]
    RaggedRow {
        /// Player 0 (row player) or 1 (column player).
        player: usize,
        /// The row's index.
        row: usize,
        /// The length of row 0.
        expected: usize,
        /// This row's length.
        found: usize,
    },
    /// The two payoff matrices of a bimatrix game differ in shape.
    #[error("the payoff matrices are {rows_a}×{cols_a} and {rows_b}×{cols_b}")]
    ShapeMismatch {
        /// Rows of the row player's matrix.
        rows_a: usize,
        /// Columns of the row player's matrix.
        cols_a: usize,
        /// Rows of the column player's matrix.
        rows_b: usize,
        /// Columns of the column player's matrix.
        cols_b: usize,
    },
}

/// Structural properties of a game, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Properties {
    /// The number of players.
    pub players: usize,
    /// The number of strategies of each player.
    pub strategies: Vec<usize>,
    /// Payoffs sum to zero at every profile.
    pub zero_sum: bool,
    /// Payoffs sum to the same constant at every profile (zero-sum games included).
    pub constant_sum: bool,
    /// Every player has the same strategy count and permuting the players permutes the payoffs
    /// alike: `u_i(s) = u_{π(i)}(s∘π⁻¹)` for every permutation `π`.
    pub symmetric: bool,
}

impl Game {
    /// Checks and builds a game from player names, strategy names, and one payoff vector per
    /// profile (`payoffs[profile][player]`, the first player's strategy changing fastest, as in
    /// Gambit's `.nfg` payoff form).
    ///
    /// # Errors
    /// [`GameError::NoPlayers`], [`GameError::PlayerCount`], [`GameError::NoStrategies`],
    /// [`GameError::TooLarge`], [`GameError::ProfileCount`], [`GameError::RaggedProfile`].
    pub fn new(
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        payoffs: Vec<Vec<BigRational>>,
    ) -> Result<Game, GameError> {
        if strategies.is_empty() {
            return Err(GameError::NoPlayers);
        }
        if players.len() != strategies.len() {
            return Err(GameError::PlayerCount { names: players.len(), sets: strategies.len() });
        }
        if let Some(player) = strategies.iter().position(Vec::is_empty) {
            return Err(GameError::NoStrategies { player });
        }
        let profiles = strategies
            .iter()
            .try_fold(1usize, |acc, s| acc.checked_mul(s.len()))
            .unwrap_or(usize::MAX);
        if profiles > MAX_PROFILES {
            return Err(GameError::TooLarge { profiles, limit: MAX_PROFILES });
        }
        if payoffs.len() != profiles {
            return Err(GameError::ProfileCount { expected: profiles, found: payoffs.len() });
        }
        let n = strategies.len();
        if let Some((profile, v)) = payoffs.iter().enumerate().find(|(_, v)| v.len() != n) {
            return Err(GameError::RaggedProfile { profile, expected: n, found: v.len() });
        }
        let per_player: Vec<Vec<BigRational>> =
            (0..n).map(|p| payoffs.iter().map(|v| v[p].clone()).collect()).collect();
        Ok(Game::from_parts(String::new(), players, strategies, per_player))
    }

    /// Checks and builds a two-player game from the row player's matrix `a` and the column
    /// player's matrix `b` (`a[i][j]`, `b[i][j]`: payoffs when row `i` meets column `j`).
    /// Players are named "1" and "2", strategies "1", "2", … as Gambit does.
    ///
    /// # Errors
    /// [`GameError::NoStrategies`] for an empty matrix or empty rows, [`GameError::RaggedRow`],
    /// [`GameError::ShapeMismatch`], [`GameError::TooLarge`].
    pub fn bimatrix(a: &[Vec<BigRational>], b: &[Vec<BigRational>]) -> Result<Game, GameError> {
        for (player, m) in [a, b].into_iter().enumerate() {
            let Some(first) = m.first() else {
                return Err(GameError::NoStrategies { player: 0 });
            };
            if first.is_empty() {
                return Err(GameError::NoStrategies { player: 1 });
            }
            if let Some((row, r)) = m.iter().enumerate().find(|(_, r)| r.len() != first.len()) {
                return Err(GameError::RaggedRow {
                    player,
                    row,
                    expected: first.len(),
                    found: r.len(),
                });
            }
        }
        if a.len() != b.len() || a[0].len() != b[0].len() {
            return Err(GameError::ShapeMismatch {
                rows_a: a.len(),
                cols_a: a[0].len(),
                rows_b: b.len(),
                cols_b: b[0].len(),
            });
        }
        let (m, n) = (a.len(), a[0].len());
        if m.saturating_mul(n) > MAX_PROFILES {
            return Err(GameError::TooLarge { profiles: m.saturating_mul(n), limit: MAX_PROFILES });
        }
        let mut pa = Vec::with_capacity(m * n);
        let mut pb = Vec::with_capacity(m * n);
        for j in 0..n {
            for i in 0..m {
                pa.push(a[i][j].clone());
                pb.push(b[i][j].clone());
            }
        }
        let names = |k: usize| (1..=k).map(|i| i.to_string()).collect::<Vec<_>>();
        Ok(Game::from_parts(String::new(), names(2), vec![names(m), names(n)], vec![pa, pb]))
    }

    /// [`Game::bimatrix`] from integer matrices.
    ///
    /// # Errors
    /// As [`Game::bimatrix`].
    pub fn bimatrix_int(a: &[Vec<i64>], b: &[Vec<i64>]) -> Result<Game, GameError> {
        let conv = |m: &[Vec<i64>]| -> Vec<Vec<BigRational>> {
            m.iter()
                .map(|r| r.iter().map(|&v| BigRational::from_integer(v.into())).collect())
                .collect()
        };
        Game::bimatrix(&conv(a), &conv(b))
    }

    fn from_parts(
        title: String,
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        payoffs: Vec<Vec<BigRational>>,
    ) -> Game {
        let mut strides = Vec::with_capacity(strategies.len());
        let mut s = 1;
        for st in &strategies {
            strides.push(s);
            s *= st.len();
        }
        let scaled = payoffs
            .iter()
            .map(|u| {
                let scale = u.iter().fold(BigInt::one(), |l, q| l.lcm(q.denom()));
                u.iter().map(|q| q.numer() * (&scale / q.denom())).collect()
            })
            .collect();
        Game { title, players, strategies, payoffs, scaled, strides }
    }

    /// The same game with a title (kept by the `.nfg` writer).
    pub fn with_title(mut self, title: impl Into<String>) -> Game {
        self.title = title.into();
        self
    }

    /// The same game with new player and strategy names, if their counts match (else unchanged
    /// and `false`).
    pub fn rename(&mut self, players: Vec<String>, strategies: Vec<Vec<String>>) -> bool {
        let fits = players.len() == self.players.len()
            && strategies.len() == self.strategies.len()
            && strategies.iter().zip(&self.strategies).all(|(a, b)| a.len() == b.len());
        if fits {
            self.players = players;
            self.strategies = strategies;
        }
        fits
    }

    /// The game's title ("" if none).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The number of players.
    pub fn num_players(&self) -> usize {
        self.players.len()
    }

    /// The players' names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Each player's strategy names.
    pub fn strategies(&self) -> &[Vec<String>] {
        &self.strategies
    }

    /// Each player's number of strategies.
    pub fn shape(&self) -> Vec<usize> {
        self.strategies.iter().map(Vec::len).collect()
    }

    /// The number of pure-strategy profiles.
    pub fn num_profiles(&self) -> usize {
        self.payoffs[0].len()
    }

    /// The index of a pure profile (the first player's strategy changing fastest), `None` if a
    /// strategy is out of range or the length is wrong.
    pub fn profile_index(&self, profile: &[usize]) -> Option<usize> {
        if profile.len() != self.strategies.len() {
            return None;
        }
        let mut idx = 0;
        for (p, &s) in profile.iter().enumerate() {
            if s >= self.strategies[p].len() {
                return None;
            }
            idx += s * self.strides[p];
        }
        Some(idx)
    }

    /// The pure profile with index `index`.
    pub fn profile_of(&self, mut index: usize) -> Vec<usize> {
        self.strategies
            .iter()
            .map(|s| {
                let k = index % s.len();
                index /= s.len();
                k
            })
            .collect()
    }

    /// Player `player`'s payoff at profile index `profile`.
    ///
    /// # Panics
    /// If either index is out of range.
    pub fn payoff(&self, player: usize, profile: usize) -> &BigRational {
        &self.payoffs[player][profile]
    }

    pub(crate) fn scaled(&self, player: usize) -> &[BigInt] {
        &self.scaled[player]
    }

    pub(crate) fn stride(&self, player: usize) -> usize {
        self.strides[player]
    }

    /// The two payoff matrices of a two-player game as scaled integers, `(a, b)` with
    /// `a[i][j]` and `b[i][j]`; `None` unless the game has two players.
    pub(crate) fn int_matrices(&self) -> Option<(IntMatrix, IntMatrix)> {
        if self.players.len() != 2 {
            return None;
        }
        let (m, n) = (self.strategies[0].len(), self.strategies[1].len());
        let mat = |p: usize| -> Vec<Vec<BigInt>> {
            (0..m).map(|i| (0..n).map(|j| self.scaled[p][i + m * j].clone()).collect()).collect()
        };
        Some((mat(0), mat(1)))
    }

    /// The game restricted to the given strategies of each player (indices into the original,
    /// in the given order; each list non-empty and in range).
    ///
    /// # Panics
    /// If a list is empty or an index is out of range (a caller's bug).
    pub fn restrict(&self, keep: &[Vec<usize>]) -> Game {
        let strategies: Vec<Vec<String>> = keep
            .iter()
            .enumerate()
            .map(|(p, k)| k.iter().map(|&s| self.strategies[p][s].clone()).collect())
            .collect();
        let sizes: Vec<usize> = keep.iter().map(Vec::len).collect();
        let total: usize = sizes.iter().product();
        let mut payoffs = vec![Vec::with_capacity(total); self.players.len()];
        let mut sub = vec![0usize; sizes.len()];
        for _ in 0..total {
            let idx: usize =
                sub.iter().enumerate().map(|(p, &k)| keep[p][k] * self.strides[p]).sum();
            for (p, out) in payoffs.iter_mut().enumerate() {
                out.push(self.payoffs[p][idx].clone());
            }
            for (p, k) in sub.iter_mut().enumerate() {
                *k += 1;
                if *k < sizes[p] {
                    break;
                }
                *k = 0;
            }
        }
        Game::from_parts(self.title.clone(), self.players.clone(), strategies, payoffs)
    }

    /// The game's structural properties.
    ///
    /// # Complexity
    /// `O(n · P)` for `n` players and `P` profiles for the sums; `O(n² · P)` for symmetry.
    pub fn properties(&self) -> Properties {
        let n = self.players.len();
        let total = |k: usize| -> BigRational { (0..n).map(|p| self.payoffs[p][k].clone()).sum() };
        let first = total(0);
        let constant_sum = (1..self.num_profiles()).all(|k| total(k) == first);
        let zero_sum = constant_sum && first.is_zero();
        Properties {
            players: n,
            strategies: self.shape(),
            zero_sum,
            constant_sum,
            symmetric: self.is_symmetric(),
        }
    }

    /// Symmetric under every adjacent transposition of players (which generate all
    /// permutations).
    fn is_symmetric(&self) -> bool {
        let n = self.players.len();
        let m = self.strategies[0].len();
        if self.strategies.iter().any(|s| s.len() != m) {
            return false;
        }
        (0..n.saturating_sub(1)).all(|t| {
            (0..self.num_profiles()).all(|k| {
                let mut prof = self.profile_of(k);
                prof.swap(t, t + 1);
                let Some(swapped) = self.profile_index(&prof) else { return false };
                (0..n).all(|p| {
                    let q = if p == t {
                        t + 1
                    } else if p == t + 1 {
                        t
                    } else {
                        p
                    };
                    self.payoffs[p][k] == self.payoffs[q][swapped]
                })
            })
        })
    }

    /// Player `player`'s expected payoff from each of its pure strategies against the others'
    /// mixed strategies in `profile` (one probability vector per player; the player's own
    /// entry is ignored).
    ///
    /// # Panics
    /// If `profile` does not have the game's shape.
    pub fn pure_strategy_values(
        &self,
        player: usize,
        profile: &[Vec<BigRational>],
    ) -> Vec<BigRational> {
        let mut out = vec![BigRational::zero(); self.strategies[player].len()];
        for k in 0..self.num_profiles() {
            let prof = self.profile_of(k);
            let mut w = BigRational::one();
            for (q, &s) in prof.iter().enumerate() {
                if q != player {
                    w *= &profile[q][s];
                    if w.is_zero() {
                        break;
                    }
                }
            }
            if !w.is_zero() {
                out[prof[player]] += w * &self.payoffs[player][k];
            }
        }
        out
    }

    /// Each player's expected payoff under a mixed profile.
    ///
    /// # Panics
    /// If `profile` does not have the game's shape.
    pub fn expected_payoffs(&self, profile: &[Vec<BigRational>]) -> Vec<BigRational> {
        (0..self.players.len())
            .map(|p| {
                let v = self.pure_strategy_values(p, profile);
                v.iter().zip(&profile[p]).map(|(a, b)| a * b).sum()
            })
            .collect()
    }

    /// Each player's regret under a mixed profile: its best pure payoff against the others
    /// minus its expected payoff. A profile is a Nash equilibrium exactly when every regret is
    /// zero.
    ///
    /// # Panics
    /// If `profile` does not have the game's shape.
    pub fn regrets(&self, profile: &[Vec<BigRational>]) -> Vec<BigRational> {
        (0..self.players.len())
            .map(|p| {
                let v = self.pure_strategy_values(p, profile);
                let own: BigRational = v.iter().zip(&profile[p]).map(|(a, b)| a * b).sum();
                let best = v.iter().max().cloned().unwrap_or_else(BigRational::zero);
                best - own
            })
            .collect()
    }

    /// [`Game::regrets`] in floating point, for approximate profiles.
    ///
    /// # Panics
    /// If `profile` does not have the game's shape.
    pub fn regrets_f64(&self, profile: &[Vec<f64>]) -> Vec<f64> {
        let fl = self.payoffs_f64();
        (0..self.players.len())
            .map(|p| {
                let v = pure_values_f64(self, &fl, p, profile);
                let own: f64 = v.iter().zip(&profile[p]).map(|(a, b)| a * b).sum();
                let best = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (best - own).max(0.0)
            })
            .collect()
    }

    /// Each player's payoffs as `f64` (`[player][profile]`).
    pub fn payoffs_f64(&self) -> Vec<Vec<f64>> {
        use num_traits::ToPrimitive;
        self.payoffs.iter().map(|u| u.iter().map(|q| q.to_f64().unwrap_or(0.0)).collect()).collect()
    }

    /// Whether every payoff is an integer (for a compact display).
    pub fn integer_payoffs(&self) -> bool {
        self.payoffs.iter().flatten().all(|q| q.is_integer())
    }

    /// The largest absolute payoff, as `f64`.
    pub fn max_abs_payoff(&self) -> f64 {
        use num_traits::ToPrimitive;
        self.payoffs
            .iter()
            .flatten()
            .map(|q| q.abs().to_f64().unwrap_or(f64::MAX))
            .fold(0.0, f64::max)
    }
}

/// Player `p`'s expected payoff of each pure strategy against `profile`, in floating point.
pub(crate) fn pure_values_f64(
    game: &Game,
    fl: &[Vec<f64>],
    p: usize,
    profile: &[Vec<f64>],
) -> Vec<f64> {
    let mut out = vec![0.0; game.strategies[p].len()];
    let shape = game.shape();
    let mut prof = vec![0usize; shape.len()];
    for u in &fl[p] {
        let mut w = 1.0;
        for (q, &s) in prof.iter().enumerate() {
            if q != p {
                w *= profile[q][s];
            }
        }
        out[prof[p]] += w * u;
        for (q, k) in prof.iter_mut().enumerate() {
            *k += 1;
            if *k < shape[q] {
                break;
            }
            *k = 0;
        }
    }
    out
}
