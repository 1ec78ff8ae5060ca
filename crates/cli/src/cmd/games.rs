//! `statecraft games FILE.nfg`: Nash equilibria of a game in Gambit's `.nfg` format, by the
//! chosen method, as a table or as the JSON documented in `report::games`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use engines::games::{
    BigRational, Dominance, DominanceOptions, EnumError, EnumOptions, Equilibrium, Game, LhOptions,
    LhStart, QreOptions, eliminate_dominated, enumerate_extreme, lemke_howson, logit_qre,
    pure_equilibria, solve_zero_sum,
};
use miette::miette;
use report::games::{ComponentView, Findings, Found, Number};

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered};

/// Arguments of `statecraft games`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  statecraft games                               the games of the built-in korea-2024 scenario
  statecraft games prisoners.nfg                 every extreme equilibrium (two players)
  statecraft games prisoners.nfg --exact --format json
  statecraft games three.nfg --method qre        logit QRE path to an ε-equilibrium
  statecraft games big.nfg --method lh --label 0 one Lemke–Howson path
  statecraft games game.nfg --eliminate strict   remove dominated strategies first

JSON fields: game, method, exact, equilibria[].profile/payoffs/pure, and for a scenario id
and comparison (agreement with the Bayes and bargaining lenses; see docs/games.md).")]
pub struct GamesArgs {
    /// A Gambit `.nfg` file (payoff or outcome form), or a scenario file or built-in
    /// scenario's name (default: korea-2024), whose every `[[game]]` is solved.
    #[arg(value_name = "SCENARIO | FILE.nfg")]
    pub file: Option<PathBuf>,
    /// The method: `enum` (every extreme equilibrium, two players), `pure` (every pure
    /// equilibrium), `lh` (Lemke–Howson from every label, two players), `lp` (zero-sum value
    /// and optimal strategies), `qre` (logit QRE path, any number of players). Default: `enum`
    /// for two players, `qre` for more.
    #[arg(long, value_enum)]
    pub method: Option<Method>,
    /// Print probabilities and payoffs as exact rationals ("1/3"), in tables and JSON.
    #[arg(long)]
    pub exact: bool,
    /// Remove dominated strategies (by another pure strategy) before solving.
    #[arg(long, value_enum)]
    pub eliminate: Option<Eliminate>,
    /// Lemke–Howson: start from this label only (0-based: rows first, then columns).
    #[arg(long, value_name = "K")]
    pub label: Option<usize>,
    /// Enumeration: give up after this many bases of one best-response polytope.
    #[arg(long, value_name = "N", default_value_t = model::lens::games::DEFAULT_MAX_BASES)]
    pub max_bases: usize,
    /// QRE: stop when the largest regret, relative to the largest payoff, is at most this.
    #[arg(long, value_name = "EPS", default_value_t = model::lens::games::DEFAULT_QRE.epsilon)]
    pub epsilon: f64,
}

/// The methods of `statecraft games`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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

/// Which dominated strategies to remove first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Eliminate {
    /// Strictly dominated (never changes the equilibria).
    Strict,
    /// Weakly dominated (may remove equilibria).
    Weak,
}

/// Runs `statecraft games`.
pub fn run(global: &Global, args: &GamesArgs) -> Result<(), Failure> {
    output::emit_rendered(global, render(global, args)?)
}

/// Reads, solves and renders, without writing anything.
pub fn render(global: &Global, args: &GamesArgs) -> Result<Rendered, Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(output::unsupported_format("games", global.format, "table, json"));
    }
    let is_nfg = args.file.as_ref().is_some_and(|p| {
        p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("nfg"))
    });
    if let (true, Some(path)) = (is_nfg, &args.file) {
        let text = output::read_text(path)?;
        let game = model::formats::nfg::read(&text).map_err(|e| {
            Failure::bad_input(miette!(
                help = "the file must be a Gambit strategic-form game (.nfg, version 1)",
                "{}: {e}",
                path.display()
            ))
        })?;
        let f = solve(&game, args)?;
        return Ok(match global.format {
            Format::Json => Rendered::Json(report::envelope(
                "games",
                &path.display().to_string(),
                report::games::to_json(&f),
            )),
            _ => Rendered::Text(report::games::render_table(&f)),
        });
    }
    let arg = args.file.as_ref().map(|p| p.to_string_lossy().into_owned());
    let loaded = crate::scenario::load(arg.as_deref(), global.quiet)?;
    let games = model::lens::games::games_from_scenario(&loaded.scenario).map_err(|e| {
        Failure::bad_input(miette!(
            help = "write the scenario's `[[game]]` with players, strategies and one `[[game.payoff]]` per profile",
            "{}: {e}",
            loaded.source.name
        ))
    })?;
    let found = solve_scenario(&loaded.scenario, &games, args)?;
    Ok(match global.format {
        Format::Json => Rendered::Json(report::envelope(
            "games",
            &loaded.source.name,
            report::games::scenario_json(&found),
        )),
        _ => Rendered::Text(
            found
                .iter()
                .map(|g| {
                    let mut text =
                        format!("game `{}`: {}", g.id, report::games::render_table(&g.findings));
                    if let Some((_, words)) = &g.comparison {
                        text.push_str(&format!("\n{words}\n"));
                    }
                    text
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    })
}

/// Solves every game of a scenario by the chosen method and compares each one's equilibria
/// with what the Bayes and bargaining lenses suggest (run once for all the games).
fn solve_scenario<'a>(
    scenario: &model::scenario::Scenario,
    games: &'a [model::lens::games::ScenarioGame],
    args: &GamesArgs,
) -> Result<Vec<report::games::ScenarioGame<'a>>, Failure> {
    use model::lens::games::compare;
    let suggest = compare::suggestions(scenario);
    let mut found = Vec::with_capacity(games.len());
    for g in games {
        let findings = solve(&g.game, args)?;
        let comparison = scenario.games.iter().find(|x| x.id == g.id).map(|game| {
            let c = compare::compare(game, &findings.profiles(), &suggest);
            let words = compare::describe_in(scenario, &c);
            (c, words)
        });
        found.push(report::games::ScenarioGame { id: g.id.clone(), findings, comparison });
    }
    Ok(found)
}

/// Solves one game by the chosen method.
fn solve<'a>(game: &'a Game, args: &GamesArgs) -> Result<Findings<'a>, Failure> {
    let method =
        args.method.unwrap_or(if game.num_players() == 2 { Method::Enum } else { Method::Qre });
    if args.exact && method == Method::Qre {
        return Err(Failure::bad_input(miette!(
            help = "drop --exact, or use --method enum, lh, lp or pure",
            "the logit QRE is computed in floating point and cannot be printed exactly"
        )));
    }
    if args.label.is_some() && method != Method::Lh {
        return Err(Failure::bad_input(miette!(
            help = "add --method lh",
            "--label is a Lemke–Howson option"
        )));
    }
    let properties = game.properties();
    // Solve the reduced game if asked, then map strategies back to the file's.
    let (solved, keep, elimination) = match args.eliminate {
        None => (game.clone(), None, None),
        Some(e) => {
            let dominance = match e {
                Eliminate::Strict => Dominance::Strict,
                Eliminate::Weak => Dominance::Weak,
            };
            let r = eliminate_dominated(game, &DominanceOptions { dominance });
            let kind = if e == Eliminate::Strict { "strict" } else { "weak" };
            let el = (kind.to_string(), r.surviving.clone(), r.eliminated.clone());
            (r.game, Some(r.surviving), Some(el))
        }
    };
    let shape = game.shape();
    let expand = |profile: Vec<Vec<Number>>| -> Vec<Vec<Number>> {
        match &keep {
            None => profile,
            Some(keep) => profile
                .into_iter()
                .enumerate()
                .map(|(p, probs)| {
                    let zero = if matches!(probs.first(), Some(Number::Approx(_))) {
                        Number::Approx(0.0)
                    } else {
                        Number::Exact(BigRational::from_integer(0.into()))
                    };
                    let mut full = vec![zero; shape[p]];
                    for (k, v) in keep[p].iter().zip(probs) {
                        full[*k] = v;
                    }
                    full
                })
                .collect(),
        }
    };
    let exact_found = |e: &Equilibrium| Found {
        profile: expand(
            e.profile.iter().map(|s| s.iter().cloned().map(Number::Exact).collect()).collect(),
        ),
        payoffs: e.payoffs.iter().cloned().map(Number::Exact).collect(),
        pure: e.pure,
    };
    let analysis = |e: &dyn std::fmt::Display| Failure::analysis(miette!("{e}"));
    let mut f = Findings {
        game,
        properties,
        degenerate: None,
        method: "",
        exact: args.exact,
        equilibria: Vec::new(),
        components: None,
        lh_runs: None,
        value: None,
        qre: None,
        notes: Vec::new(),
        elimination,
    };
    match method {
        Method::Pure => {
            f.method = "pure";
            f.equilibria = pure_equilibria(&solved).equilibria.iter().map(exact_found).collect();
        }
        Method::Enum => {
            f.method = "enum";
            let s = enumerate_extreme(&solved, &EnumOptions { max_bases: args.max_bases })
                .map_err(|e| match e {
                    EnumError::BasisLimit { .. } => Failure::analysis(miette!(
                        help = format!(
                            "the limit is {} bases; raise it with --max-bases (about 10^5 bases a second), or use --method lh or qre",
                            args.max_bases
                        ),
                        "{e}"
                    )),
                    e => analysis(&e),
                })?;
            f.degenerate = if keep.is_none() { Some(s.degenerate) } else { None };
            f.notes.push(format!(
                "best-response polytopes: {} and {} vertices, {} and {} bases visited",
                s.polytope_vertices.0, s.polytope_vertices.1, s.bases_visited.0, s.bases_visited.1
            ));
            f.equilibria = s.equilibria.iter().map(exact_found).collect();
            f.components = Some(
                s.components
                    .iter()
                    .map(|c| ComponentView {
                        equilibria: c.equilibria.clone(),
                        subsets: c
                            .subsets
                            .iter()
                            .map(|&k| {
                                let sub = &s.subsets[k];
                                (0..s.pairs.len())
                                    .filter(|&e| {
                                        let (r, col) = s.pairs[e];
                                        sub.rows.contains(&r) && sub.cols.contains(&col)
                                    })
                                    .collect()
                            })
                            .collect(),
                    })
                    .collect(),
            );
        }
        Method::Lh => {
            f.method = "lh";
            let start = args.label.map_or(LhStart::AllLabels, LhStart::Label);
            let s = lemke_howson(&solved, &LhOptions { start }).map_err(|e| analysis(&e))?;
            f.equilibria = s.equilibria.iter().map(exact_found).collect();
            f.lh_runs = Some(s.runs);
        }
        Method::Lp => {
            f.method = "lp";
            let s = solve_zero_sum(&solved).map_err(|e| analysis(&e))?;
            let profile = vec![s.row_strategy.clone(), s.col_strategy.clone()];
            let payoffs = solved.expected_payoffs(&profile);
            let pure = profile.iter().all(|p| {
                p.iter().filter(|v| **v != BigRational::from_integer(0.into())).count() == 1
            });
            f.equilibria = vec![exact_found(&Equilibrium { profile, payoffs, pure })];
            f.value = Some(Number::Exact(s.value));
        }
        Method::Qre => {
            f.method = "qre";
            let s = logit_qre(
                &solved,
                &QreOptions { epsilon: args.epsilon, ..model::lens::games::DEFAULT_QRE },
            )
            .map_err(|e| analysis(&e))?;
            let pure = s.profile.iter().all(|p| p.iter().any(|&v| v > 1.0 - 1e-6));
            f.equilibria = vec![Found {
                profile: expand(
                    s.profile
                        .iter()
                        .map(|p| p.iter().map(|&v| Number::Approx(v)).collect())
                        .collect(),
                ),
                payoffs: s.payoffs.iter().map(|&v| Number::Approx(v)).collect(),
                pure,
            }];
            let stop = serde_json::to_value(s.stop)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            f.qre = Some((s.epsilon, s.lambda, stop));
        }
    }
    Ok(f)
}

/// The games section of `statecraft run` for a scenario: each `[[game]]` solved by the default
/// method (every extreme equilibrium for two players, the logit QRE end point for more),
/// stated in words by `report::games::section`, with how its equilibria compare with the Bayes
/// and bargaining lenses. `Ok(None)` when the scenario has no game.
pub fn run_section(scenario: &model::scenario::Scenario) -> Result<Option<String>, Failure> {
    use model::lens::games::{GamesMapError, games_from_scenario};
    let games = match games_from_scenario(scenario) {
        Ok(g) => g,
        Err(GamesMapError::NoGames) => return Ok(None),
        Err(e) => return Err(Failure::bad_input(miette!("{e}"))),
    };
    let args = GamesArgs {
        file: None,
        method: None,
        exact: false,
        eliminate: None,
        label: None,
        max_bases: model::lens::games::DEFAULT_MAX_BASES,
        epsilon: model::lens::games::DEFAULT_QRE.epsilon,
    };
    let found = solve_scenario(scenario, &games, &args)?;
    Ok(Some(report::games::section(&found)))
}
