//! Finding, loading and reporting on the scenario a subcommand is given: a file path, or the
//! name of a built-in scenario, or nothing (the default built-in, korea-2024).

use std::io::IsTerminal;
use std::path::Path;

use miette::{GraphicalReportHandler, GraphicalTheme, miette};
use model::builtin::{self, BUILTINS};
use model::diag::Diagnostics;
use model::load::{Loaded, load_file};
use model::updates;

use crate::args::{AsOf, Global};
use crate::failure::Failure;

/// Loads the scenario `arg` names: a path to a file, or a built-in's name; `None` is the first
/// built-in. Problems are printed on standard error (all of them); the failure is then bad input.
/// The scenario is the one known by `--as-of` ([`model::updates::known_by`]), by default its
/// own `as_of`: its original judgments, without the updates written since.
pub fn load(arg: Option<&str>, global: &Global) -> Result<Loaded, Failure> {
    let loaded = load_with_updates(arg, global)?;
    match global.as_of {
        Some(_) => Ok(loaded),
        None => {
            let mut loaded = loaded;
            // `known_by` refuses only a date before `as_of`, which this is not.
            if let Ok(view) = updates::known_by(&loaded.scenario, loaded.scenario.scenario.as_of) {
                loaded.scenario = view;
            }
            Ok(loaded)
        }
    }
}

/// Like [`load`], but without `--as-of` the scenario keeps every dated update (for the
/// timeline and the review, which step through them); with it, those dated up to it.
pub fn load_with_updates(arg: Option<&str>, global: &Global) -> Result<Loaded, Failure> {
    let mut loaded = load_any(arg, global.quiet)?;
    if let Some(as_of) = global.as_of {
        let date = match as_of {
            AsOf::Date(d) => d,
            AsOf::Latest => updates::latest(&loaded.scenario),
        };
        loaded.scenario = updates::known_by(&loaded.scenario, date).map_err(|e| {
            Failure::bad_input(miette!(
                help = format!(
                    "give a date on or after {}; updates record what became known later",
                    loaded.scenario.scenario.as_of
                ),
                "{}: {e}",
                loaded.source.name
            ))
        })?;
    }
    Ok(loaded)
}

fn load_any(arg: Option<&str>, quiet: bool) -> Result<Loaded, Failure> {
    let result = match arg {
        None => builtin::load(&BUILTINS[0]),
        Some(a) if !Path::new(a).exists() && builtin::find(a).is_none() => {
            return Err(not_found(a));
        }
        Some(a) => read(a),
    };
    match result {
        Ok(loaded) => {
            if !quiet && !loaded.warnings.is_empty() {
                let d =
                    Diagnostics { source: loaded.source.clone(), items: loaded.warnings.clone() };
                eprint!("{}", render(&d));
            }
            Ok(loaded)
        }
        Err(diagnostics) => {
            eprint!("{}", render(&diagnostics));
            eprintln!("statecraft: {diagnostics}");
            Err(Failure::already_printed_bad_input())
        }
    }
}

/// Reads the scenario `arg` names, a file or else a built-in's name, with every problem as
/// diagnostics (a name that is neither gives the loader's "cannot read" diagnostic).
pub fn read(arg: &str) -> Result<Loaded, Diagnostics> {
    match builtin::find(arg).filter(|_| !Path::new(arg).exists()) {
        Some(b) => builtin::load(b),
        None => load_file(Path::new(arg)),
    }
}

fn not_found(arg: &str) -> Failure {
    let names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
    Failure::bad_input(miette!(
        help = format!(
            "give the path of a scenario file, or the name of a built-in scenario ({}); `statecraft new FILE` writes one to start from",
            names.join(", ")
        ),
        "no scenario file or built-in scenario called `{arg}`"
    ))
}

/// Renders every diagnostic the way `miette` does, without colour unless standard error is a
/// terminal and `NO_COLOR` is unset, and at a fixed width of 100 columns when not on a terminal
/// (so that tests see stable output).
pub fn render(diagnostics: &Diagnostics) -> String {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for report in diagnostics.reports() {
        // Rendering into a String cannot fail for lack of space; a formatting error would be a
        // bug in miette, and the message is then simply shorter.
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    out
}
