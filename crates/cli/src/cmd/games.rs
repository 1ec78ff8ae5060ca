//! `statecraft games FILE.nfg`: Nash equilibria of a game in Gambit's `.nfg` format, by the
//! chosen method, as a table or as the JSON documented in `report::games`.

use std::path::PathBuf;

use analysis::Settings;
use analysis::games::GamesSettings;
use clap::{Args, ValueEnum};
use engines::games::Dominance;
use miette::miette;

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
    #[arg(long, value_name = "N", default_value_t = GamesSettings::default().max_bases)]
    pub max_bases: usize,
    /// QRE: stop when the largest regret, relative to the largest payoff, is at most this.
    #[arg(long, value_name = "EPS", default_value_t = GamesSettings::default().epsilon)]
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

impl From<Method> for analysis::games::Method {
    fn from(m: Method) -> analysis::games::Method {
        match m {
            Method::Pure => analysis::games::Method::Pure,
            Method::Enum => analysis::games::Method::Enum,
            Method::Lh => analysis::games::Method::Lh,
            Method::Qre => analysis::games::Method::Qre,
            Method::Lp => analysis::games::Method::Lp,
        }
    }
}

/// The settings the flags ask for.
fn settings(args: &GamesArgs) -> GamesSettings {
    GamesSettings {
        method: args.method.map(Into::into),
        exact: args.exact,
        eliminate: args.eliminate.map(|e| match e {
            Eliminate::Strict => Dominance::Strict,
            Eliminate::Weak => Dominance::Weak,
        }),
        label: args.label,
        max_bases: args.max_bases,
        epsilon: args.epsilon,
    }
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
    let settings = settings(args);
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
        let f = analysis::games::solve(&game, &settings).map_err(|e| Failure::lens(e, ""))?;
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
    let loaded = crate::scenario::load(arg.as_deref(), global)?;
    let source = loaded.source.name.clone();
    let s = &loaded.scenario;
    let whole = Settings { games: settings, ..Settings::default() };
    let suggest = analysis::suggestions(s, &whole);
    let found = analysis::games::scenario(s, &whole.games, &suggest)
        .map_err(|e| Failure::lens(e, &source))?
        .ok_or_else(|| {
            Failure::bad_input(miette!(
                help = "write the scenario's `[[game]]` with players, strategies and one `[[game.payoff]]` per profile",
                "{source}: {}",
                model::lens::games::GamesMapError::NoGames
            ))
        })?;
    Ok(match global.format {
        Format::Json => {
            Rendered::Json(report::envelope("games", &source, report::games::scenario_json(&found)))
        }
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
