//! The scenario → games mapping: every `[[game]]` becomes an [`engines::games::Game`] whose
//! players are the game's actors (named by actor name), whose strategies are the game's
//! strategy lists, and whose payoffs come from its `[[game.payoff]]` entries, one per profile.
//! Payoffs written as decimals are read exactly as the decimals written (`0.1` is 1/10).
//!
//! [`compare`] holds the comparison of a game's equilibria with the Bayes and bargaining
//! lenses, through the strategies' `[[game.meaning]]` entries.

pub mod compare;

use engines::games::{BigRational, Game, GameError, QreOptions};

use crate::formats::nfg::parse_number;
use crate::scenario::Scenario;

/// One scenario game, ready for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioGame {
    /// The game's id.
    pub id: String,
    /// The game's display name.
    pub name: String,
    /// The actor id of each player.
    pub actors: Vec<String>,
    /// The checked game (players named by actor name).
    pub game: Game,
}

/// Why a scenario's games cannot be analysed. Errors name the scenario's ids.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GamesMapError {
    /// The scenario has no `[[game]]`.
    #[error("the scenario has no game")]
    NoGames,
    /// A player has no strategy list.
    #[error("game `{game}`: player `{player}` has no strategies")]
    NoStrategies {
        /// The game's id.
        game: String,
        /// The actor id.
        player: String,
    },
    /// A payoff's profile has the wrong length or names an unknown strategy.
    #[error("game `{game}`, payoff {payoff}: the profile does not name one strategy per player")]
    BadProfile {
        /// The game's id.
        game: String,
        /// The payoff's index in the file.
        payoff: usize,
    },
    /// A payoff does not have one value per player, or a value is not finite.
    #[error("game `{game}`, payoff {payoff}: expected {expected} finite values")]
    BadValues {
        /// The game's id.
        game: String,
        /// The payoff's index in the file.
        payoff: usize,
        /// The number of players.
        expected: usize,
    },
    /// A profile has no payoff, or two.
    #[error("game `{game}`: profile ({}) has {count} payoff entries, expected 1", profile.join(", "))]
    ProfileCount {
        /// The game's id.
        game: String,
        /// The profile, one strategy per player.
        profile: Vec<String>,
        /// How many entries give it.
        count: usize,
    },
    /// The engine rejects the game.
    #[error("game `{game}`: {error}")]
    Game {
        /// The game's id.
        game: String,
        /// The engine's error.
        error: GameError,
    },
}

/// Every game of the scenario, in file order.
///
/// # Errors
/// [`GamesMapError`] naming the game (and payoff) at fault.
pub fn games_from_scenario(s: &Scenario) -> Result<Vec<ScenarioGame>, GamesMapError> {
    if s.games.is_empty() {
        return Err(GamesMapError::NoGames);
    }
    s.games
        .iter()
        .map(|g| {
            let id = g.id.clone();
            let strategies: Vec<Vec<String>> = g
                .players
                .iter()
                .map(|p| {
                    g.strategies.get(p).filter(|v| !v.is_empty()).cloned().ok_or_else(|| {
                        GamesMapError::NoStrategies { game: id.clone(), player: p.clone() }
                    })
                })
                .collect::<Result<_, _>>()?;
            let n = g.players.len();
            let total: usize = strategies.iter().map(Vec::len).product();
            let mut table: Vec<Vec<Option<Vec<BigRational>>>> = vec![Vec::new(); 1];
            table[0] = vec![None; total];
            let mut counts = vec![0usize; total];
            for (k, pay) in g.payoffs.iter().enumerate() {
                let bad = || GamesMapError::BadProfile { game: id.clone(), payoff: k };
                if pay.profile.len() != n {
                    return Err(bad());
                }
                let mut index = 0;
                let mut stride = 1;
                for (p, s) in pay.profile.iter().enumerate() {
                    let pos = strategies[p].iter().position(|x| x == s).ok_or_else(bad)?;
                    index += pos * stride;
                    stride *= strategies[p].len();
                }
                let values: Option<Vec<BigRational>> = (pay.values.len() == n)
                    .then(|| pay.values.iter().map(|v| parse_number(&format!("{v}"))).collect())
                    .flatten();
                let values = values.ok_or(GamesMapError::BadValues {
                    game: id.clone(),
                    payoff: k,
                    expected: n,
                })?;
                counts[index] += 1;
                table[0][index] = Some(values);
            }
            if let Some(k) = counts.iter().position(|&c| c != 1) {
                let mut rest = k;
                let profile = strategies
                    .iter()
                    .map(|st| {
                        let s = st[rest % st.len()].clone();
                        rest /= st.len();
                        s
                    })
                    .collect();
                return Err(GamesMapError::ProfileCount { game: id, profile, count: counts[k] });
            }
            let payoffs: Vec<Vec<BigRational>> =
                table.swap_remove(0).into_iter().flatten().collect();
            let names: Vec<String> = g
                .players
                .iter()
                .map(|p| {
                    s.actors
                        .iter()
                        .find(|a| &a.id == p)
                        .map_or_else(|| p.clone(), |a| a.name.clone())
                })
                .collect();
            let game = Game::new(names, strategies, payoffs)
                .map_err(|error| GamesMapError::Game { game: id.clone(), error })?
                .with_title(g.name.clone());
            Ok(ScenarioGame { id, name: g.name.clone(), actors: g.players.clone(), game })
        })
        .collect()
}

/// The default limit of vertex enumeration: bases of one best-response polytope.
pub const DEFAULT_MAX_BASES: usize = 5_000_000;

/// The default options of the logit QRE path.
pub const DEFAULT_QRE: QreOptions =
    QreOptions { epsilon: 1e-9, lambda_max: 1e9, max_steps: 100_000 };

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{self, BUILTINS};

    #[test]
    fn korea_2024_game_maps_and_has_the_equilibrium_its_why_describes() {
        let loaded = builtin::load(&BUILTINS[0]).unwrap_or_else(|_| panic!("korea-2024 loads"));
        let games = games_from_scenario(&loaded.scenario).unwrap();
        assert_eq!(games[0].id, "koreas_in_ukraine");
        assert_eq!(games[0].game.shape(), vec![2, 2]);
        // The scenario's `why`: the North escalates whatever Seoul does, and Seoul then
        // confronts it: (escalate, escalate) is the pure equilibrium.
        let eq = engines::games::pure_equilibria(&games[0].game).equilibria;
        assert_eq!(eq.len(), 1);
        assert_eq!(eq[0].profile[0][1], BigRational::from_integer(1.into()));
        assert_eq!(eq[0].profile[1][1], BigRational::from_integer(1.into()));
    }
}
