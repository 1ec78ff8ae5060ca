//! The games lens: Nash equilibria of strategic-form games, exactly where the method allows,
//! for a Gambit `.nfg` game or every `[[game]]` of a scenario, with how each scenario game's
//! equilibria compare with the Bayes lens's best option and the bargaining forecasts.
//!
//! [`GamesSettings`] holds every choice, with the defaults of `statecraft games`; [`solve`]
//! solves one game; [`scenario`] solves a scenario's games and compares them with the other
//! lenses' suggestions.

use engines::games::{
    BigRational, Dominance, DominanceOptions, Elimination, EnumError, EnumOptions, Equilibrium,
    Game, LhOptions, LhRun, LhStart, Properties, QreOptions, Search, eliminate_dominated,
    enumerate_extreme, lemke_howson, logit_qre, pure_equilibria, solve_zero_sum,
};
use model::lens::games::compare::{self, Comparison, Suggestions};
use model::lens::games::{GamesMapError, games_from_scenario};
use model::scenario::Scenario;
use num_traits::ToPrimitive;

use crate::LensError;

/// The methods of the games lens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every pure-strategy equilibrium (any number of players).
    Pure,
    /// Every extreme equilibrium, exactly, with components (two players).
    Enum,
    /// Lemke–Howson from every label (two players).
    Lh,
    /// Logit quantal response equilibrium path (any number of players).
    Qre,
    /// Value and optimal strategies of a zero-sum game by linear programming.
    Lp,
}

impl Method {
    /// The method's name, as the command line and the JSON spell it.
    pub fn name(self) -> &'static str {
        match self {
            Method::Pure => "pure",
            Method::Enum => "enum",
            Method::Lh => "lh",
            Method::Qre => "qre",
            Method::Lp => "lp",
        }
    }
}

/// Every choice of the games lens.
#[derive(Debug, Clone, PartialEq)]
pub struct GamesSettings {
    /// The method; `None` enumerates every extreme equilibrium of a two-player game and follows
    /// the logit QRE path of a larger one.
    pub method: Option<Method>,
    /// Keep probabilities and payoffs as exact rationals.
    pub exact: bool,
    /// Remove dominated strategies (by another pure strategy) before solving.
    pub eliminate: Option<Dominance>,
    /// Lemke–Howson: start from this label only (0-based: rows first, then columns).
    pub label: Option<usize>,
    /// Enumeration: give up after this many bases of one best-response polytope.
    pub max_bases: usize,
    /// QRE: stop when the largest regret, relative to the largest payoff, is at most this.
    pub epsilon: f64,
}

impl Default for GamesSettings {
    fn default() -> Self {
        GamesSettings {
            method: None,
            exact: false,
            eliminate: None,
            label: None,
            max_bases: model::lens::games::DEFAULT_MAX_BASES,
            epsilon: model::lens::games::DEFAULT_QRE.epsilon,
        }
    }
}

/// A number as an engine gave it: exact or floating point.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// An exact rational.
    Exact(BigRational),
    /// A floating-point approximation.
    Approx(f64),
}

impl Number {
    /// As a floating-point number (0 for a rational too large to convert).
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Exact(q) => q.to_f64().unwrap_or(0.0),
            Number::Approx(v) => *v,
        }
    }

    /// As text: the exact rational when `exact` and exact, else up to 6 significant digits.
    pub fn text(&self, exact: bool) -> String {
        match (self, exact) {
            (Number::Exact(q), true) => q.to_string(),
            _ => {
                let v = self.to_f64();
                let s = format!("{v:.6}");
                let s = s.trim_end_matches('0').trim_end_matches('.');
                if s == "-0" { "0".to_string() } else { s.to_string() }
            }
        }
    }
}

/// One equilibrium, in the strategies of the game as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Per player, the probability of each strategy.
    pub profile: Vec<Vec<Number>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<Number>,
    /// Whether it is pure.
    pub pure: bool,
}

/// A component of the equilibrium set: equilibrium indices, and its maximal Nash subsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Indices into [`Findings::equilibria`].
    pub equilibria: Vec<usize>,
    /// Each maximal Nash subset, as equilibrium indices.
    pub subsets: Vec<Vec<usize>>,
}

/// The elimination of dominated strategies before solving.
#[derive(Debug, Clone, PartialEq)]
pub struct EliminationDone {
    /// `strict` or `weak`.
    pub kind: &'static str,
    /// The strategies left to each player, as indices into the game's.
    pub surviving: Vec<Vec<usize>>,
    /// Each step of the elimination.
    pub steps: Vec<Elimination>,
}

/// What the games lens found on one game.
#[derive(Debug, Clone)]
pub struct Findings {
    /// The game as given (before any elimination).
    pub game: Game,
    /// Its properties.
    pub properties: Properties,
    /// Whether the game is degenerate, when known (two-player enumeration of the full game).
    pub degenerate: Option<bool>,
    /// The method used.
    pub method: Method,
    /// Whether the numbers are to be shown exactly.
    pub exact: bool,
    /// The equilibria, in the strategies of the game as given.
    pub equilibria: Vec<Found>,
    /// Components (enumeration only).
    pub components: Option<Vec<Component>>,
    /// Lemke–Howson paths (lh only).
    pub lh_runs: Option<Vec<LhRun>>,
    /// The value (lp only).
    pub value: Option<Number>,
    /// ε, λ and why the path stopped (qre only).
    pub qre: Option<(f64, f64, String)>,
    /// How much work enumeration did, in words.
    pub notes: Vec<String>,
    /// The elimination of dominated strategies, when asked.
    pub elimination: Option<EliminationDone>,
}

impl Findings {
    /// Each equilibrium's profile as floating-point probabilities, as
    /// `model::lens::games::compare::compare` takes them.
    pub fn profiles(&self) -> Vec<Vec<Vec<f64>>> {
        self.equilibria
            .iter()
            .map(|e| e.profile.iter().map(|p| p.iter().map(Number::to_f64).collect()).collect())
            .collect()
    }
}

/// Puts a reduced game's mixed strategies back into the full game's strategies: player `p`'s
/// `k`-th surviving strategy is `keep[p][k]` of the `shape[p]` in the full game; the others get
/// probability zero (exact or not, as the profile is).
pub fn expand(profile: Vec<Vec<Number>>, keep: &[Vec<usize>], shape: &[usize]) -> Vec<Vec<Number>> {
    profile
        .into_iter()
        .enumerate()
        .map(|(p, probs)| {
            let zero = if matches!(probs.first(), Some(Number::Approx(_))) {
                Number::Approx(0.0)
            } else {
                Number::Exact(BigRational::from_integer(0.into()))
            };
            let mut full = vec![zero; shape.get(p).copied().unwrap_or(0)];
            for (&k, v) in keep.get(p).map_or(&[][..], Vec::as_slice).iter().zip(probs) {
                if let Some(slot) = full.get_mut(k) {
                    *slot = v;
                }
            }
            full
        })
        .collect()
}

/// Solves one game with the settings' method (or its default for the number of players).
///
/// # Errors
/// Bad input for settings that contradict the method (`exact` with the QRE, a label without
/// Lemke–Howson); an analysis error when the method fails on the game (too many bases, a game
/// that is not zero-sum for the LP, a QRE path that does not converge).
pub fn solve(game: &Game, settings: &GamesSettings) -> Result<Findings, LensError> {
    crate::count::count("games");
    solve_one(game, settings)
}

fn solve_one(game: &Game, settings: &GamesSettings) -> Result<Findings, LensError> {
    let method =
        settings.method.unwrap_or(if game.num_players() == 2 { Method::Enum } else { Method::Qre });
    if settings.exact && method == Method::Qre {
        return Err(LensError::bad_input(
            "the logit QRE is computed in floating point and cannot be printed exactly",
        )
        .with_help("drop --exact, or use --method enum, lh, lp or pure"));
    }
    if settings.label.is_some() && method != Method::Lh {
        return Err(
            LensError::bad_input("--label is a Lemke–Howson option").with_help("add --method lh")
        );
    }
    // Solve the reduced game if asked, then map strategies back to the file's.
    let (solved, elimination) = match settings.eliminate {
        None => (game.clone(), None),
        Some(dominance) => {
            let r = eliminate_dominated(game, &DominanceOptions { dominance });
            let kind = if dominance == Dominance::Strict { "strict" } else { "weak" };
            let done = EliminationDone {
                kind,
                surviving: r.surviving.clone(),
                steps: r.eliminated.clone(),
            };
            (r.game, Some(done))
        }
    };
    let shape = game.shape();
    let back = |profile: Vec<Vec<Number>>| match &elimination {
        None => profile,
        Some(e) => expand(profile, &e.surviving, &shape),
    };
    let exact_found = |e: &Equilibrium| Found {
        profile: back(
            e.profile.iter().map(|s| s.iter().cloned().map(Number::Exact).collect()).collect(),
        ),
        payoffs: e.payoffs.iter().cloned().map(Number::Exact).collect(),
        pure: e.pure,
    };
    let mut f = Findings {
        game: game.clone(),
        properties: game.properties(),
        degenerate: None,
        method,
        exact: settings.exact,
        equilibria: Vec::new(),
        components: None,
        lh_runs: None,
        value: None,
        qre: None,
        notes: Vec::new(),
        elimination: None,
    };
    match method {
        Method::Pure => {
            f.equilibria = pure_equilibria(&solved).equilibria.iter().map(exact_found).collect();
        }
        Method::Enum => enumerate(&mut f, &solved, settings, &exact_found)?,
        Method::Lh => {
            let start = settings.label.map_or(LhStart::AllLabels, LhStart::Label);
            let s = lemke_howson(&solved, &LhOptions { start }).map_err(|e| analysis(&e))?;
            f.equilibria = s.equilibria.iter().map(exact_found).collect();
            f.lh_runs = Some(s.runs);
        }
        Method::Lp => {
            let s = solve_zero_sum(&solved).map_err(|e| analysis(&e))?;
            let profile = vec![s.row_strategy.clone(), s.col_strategy.clone()];
            let payoffs = solved.expected_payoffs(&profile);
            let pure = profile.iter().all(|p| {
                p.iter().filter(|v| **v != BigRational::from_integer(0.into())).count() == 1
            });
            f.equilibria = vec![exact_found(&Equilibrium { profile, payoffs, pure })];
            f.value = Some(Number::Exact(s.value));
        }
        Method::Qre => qre(&mut f, &solved, settings, &back)?,
    }
    if elimination.is_some() {
        f.degenerate = None;
    }
    f.elimination = elimination;
    Ok(f)
}

/// An analysis error with the engine's message.
fn analysis(e: &dyn std::fmt::Display) -> LensError {
    LensError::analysis(e.to_string())
}

/// Every extreme equilibrium of `solved`, with the components of the equilibrium set.
fn enumerate(
    f: &mut Findings,
    solved: &Game,
    settings: &GamesSettings,
    exact_found: &dyn Fn(&Equilibrium) -> Found,
) -> Result<(), LensError> {
    let s = enumerate_extreme(solved, &EnumOptions { max_bases: settings.max_bases, search: Search::Auto }).map_err(
        |e| match e {
            EnumError::BasisLimit { .. } => LensError::analysis(e.to_string()).with_help(format!(
                "the limit is {} bases; raise it (--max-bases; about 10^5 bases a second), or use the lh or qre method",
                settings.max_bases
            )),
            e => analysis(&e),
        },
    )?;
    f.degenerate = s.degenerate;
    f.notes.push(match (s.polytope_vertices, s.bases_visited) {
        ((p, Some(q)), (bp, Some(bq))) => format!(
            "best-response polytopes: {p} and {q} vertices, {bp} and {bq} bases visited"
        ),
        ((p, _), (bp, _)) => format!(
            "row player's best-response polytope: {p} vertices, {bp} bases visited; the column player's was searched only at the faces matching them"
        ),
    });
    f.equilibria = s.equilibria.iter().map(exact_found).collect();
    let pairs_in = |k: usize| -> Vec<usize> {
        let sub = &s.subsets[k];
        (0..s.pairs.len())
            .filter(|&e| {
                let (r, col) = s.pairs[e];
                sub.rows.contains(&r) && sub.cols.contains(&col)
            })
            .collect()
    };
    f.components = Some(
        s.components
            .iter()
            .map(|c| Component {
                equilibria: c.equilibria.clone(),
                subsets: c.subsets.iter().map(|&k| pairs_in(k)).collect(),
            })
            .collect(),
    );
    Ok(())
}

/// The end point of the logit QRE path of `solved`, put back in the full game's strategies by
/// `back`.
fn qre(
    f: &mut Findings,
    solved: &Game,
    settings: &GamesSettings,
    back: &dyn Fn(Vec<Vec<Number>>) -> Vec<Vec<Number>>,
) -> Result<(), LensError> {
    let options = QreOptions { epsilon: settings.epsilon, ..model::lens::games::DEFAULT_QRE };
    let s = logit_qre(solved, &options).map_err(|e| analysis(&e))?;
    let pure = s.profile.iter().all(|p| p.iter().any(|&v| v > 1.0 - PURE_WITHIN));
    f.equilibria = vec![Found {
        profile: back(
            s.profile.iter().map(|p| p.iter().map(|&v| Number::Approx(v)).collect()).collect(),
        ),
        payoffs: s.payoffs.iter().map(|&v| Number::Approx(v)).collect(),
        pure,
    }];
    let stop = serde_json::to_value(s.stop)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    f.qre = Some((s.epsilon, s.lambda, stop));
    Ok(())
}

/// A QRE end point whose every player puts more than `1 − PURE_WITHIN` on one strategy is
/// called pure.
const PURE_WITHIN: f64 = 1e-6;

/// One scenario game: its id, what the lens found, and how its equilibria compare with the
/// Bayes and bargaining lenses.
#[derive(Debug, Clone)]
pub struct ScenarioGame {
    /// The game's scenario id.
    pub id: String,
    /// What the lens found.
    pub findings: Findings,
    /// The comparison, with it in words (`model::lens::games::compare::describe_in`).
    pub comparison: Option<(Comparison, String)>,
}

/// Solves every game of a scenario and compares each one's equilibria with what the other
/// lenses suggest. `Ok(None)` when the scenario has no game.
///
/// # Errors
/// Bad input when a game cannot be built from the scenario; otherwise those of [`solve`].
pub fn scenario(
    s: &Scenario,
    settings: &GamesSettings,
    suggest: &Suggestions,
) -> Result<Option<Vec<ScenarioGame>>, LensError> {
    let games = match games_from_scenario(s) {
        Ok(g) => g,
        Err(GamesMapError::NoGames) => return Ok(None),
        Err(e) => {
            return Err(LensError::bad_input(e.to_string()).with_help(
                "write the scenario's `[[game]]` with players, strategies and one `[[game.payoff]]` per profile",
            ));
        }
    };
    crate::count::count("games");
    let mut found = Vec::with_capacity(games.len());
    for g in &games {
        let findings = solve_one(&g.game, settings)?;
        let comparison = s.games.iter().find(|x| x.id == g.id).map(|game| {
            let c = compare::compare(game, &findings.profiles(), suggest);
            let words = compare::describe_in(s, &c);
            (c, words)
        });
        found.push(ScenarioGame { id: g.id.clone(), findings, comparison });
    }
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Number {
        Number::Exact(BigRational::new(n.into(), d.into()))
    }

    #[test]
    fn expand_puts_survivors_back_in_place() {
        // Player 0 kept strategies 0 and 2 of 3; player 1 kept strategy 1 of 2.
        let reduced = vec![vec![q(1, 3), q(2, 3)], vec![q(1, 1)]];
        let full = expand(reduced, &[vec![0, 2], vec![1]], &[3, 2]);
        assert_eq!(full, vec![vec![q(1, 3), q(0, 1), q(2, 3)], vec![q(0, 1), q(1, 1)]]);
    }

    #[test]
    fn expand_keeps_floating_point_as_it_is() {
        let reduced =
            vec![vec![Number::Approx(1.0)], vec![Number::Approx(0.5), Number::Approx(0.5)]];
        let full = expand(reduced, &[vec![1], vec![0, 1]], &[2, 2]);
        assert_eq!(full[0], vec![Number::Approx(0.0), Number::Approx(1.0)]);
        assert_eq!(full[1], vec![Number::Approx(0.5), Number::Approx(0.5)]);
    }

    /// Strict elimination on a game where the second row is strictly dominated: the equilibria
    /// are found on the reduced game and reported over the full game's strategies.
    #[test]
    fn eliminated_strategies_get_probability_zero() {
        let game = Game::new(
            vec!["row".into(), "col".into()],
            vec![vec!["a".into(), "b".into()], vec!["x".into(), "y".into()]],
            vec![
                vec![BigRational::from_integer(3.into()), BigRational::from_integer(1.into())],
                vec![BigRational::from_integer(0.into()), BigRational::from_integer(0.into())],
                vec![BigRational::from_integer(1.into()), BigRational::from_integer(3.into())],
                vec![BigRational::from_integer(0.into()), BigRational::from_integer(0.into())],
            ],
        );
        let Ok(game) = game else { panic!("the game is well formed") };
        let settings =
            GamesSettings { eliminate: Some(Dominance::Strict), ..GamesSettings::default() };
        let f = solve(&game, &settings).unwrap();
        let e = f.elimination.as_ref().expect("elimination ran");
        assert_eq!(e.kind, "strict");
        for found in &f.equilibria {
            assert_eq!(found.profile[0].len(), 2);
            assert_eq!(found.profile[1].len(), 2);
        }
        assert_eq!(f.degenerate, None, "degeneracy is only known for the full game");
    }

    #[test]
    fn err_exact_qre_and_stray_label() {
        let game = Game::new(
            vec!["a".into(), "b".into()],
            vec![vec!["x".into()], vec!["y".into()]],
            vec![vec![BigRational::from_integer(1.into()), BigRational::from_integer(1.into())]],
        )
        .unwrap();
        let qre =
            GamesSettings { method: Some(Method::Qre), exact: true, ..GamesSettings::default() };
        assert!(solve(&game, &qre).is_err());
        let label = GamesSettings { label: Some(0), ..GamesSettings::default() };
        assert!(solve(&game, &label).is_err());
    }
}
