//! `statecraft run`: every lens the scenario feeds, and the answer to its question.

use clap::Args;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{emit, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft run`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run\n  statecraft run my-scenario.toml --format json -o result.json"
)]
pub struct RunArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
}

/// One lens's part of the report: its title and its text, or why it could not run.
struct Part {
    title: &'static str,
    outcome: Result<String, String>,
}

/// Runs every lens on the scenario and prints the report. A lens the scenario does not feed, or
/// that fails on it, is reported as such; the others still run.
pub fn run(global: &Global, args: &RunArgs) -> Result<(), Failure> {
    let arg = args.scenario.as_deref();
    let loaded = scenario::load(arg, global.quiet)?;
    let figures = model::figures::compute(&loaded.scenario);
    let s = &loaded.scenario;
    let mut parts = Vec::new();
    let mut part = |title, f: &dyn Fn() -> Result<String, Failure>| {
        parts.push(Part { title, outcome: f().map_err(|e| e.message()) });
    };
    if !s.hypotheses.is_empty() {
        part("Competing hypotheses (ACH)", &|| super::ach::section(&loaded));
    }
    if !s.actors.is_empty() || s.drivers.iter().any(|d| !d.influence.is_empty()) {
        part("Actors and structure (MACTOR, MICMAC)", &|| super::actors::section(arg));
    }
    if !s.issues.is_empty() {
        part("Where the issues settle (bargaining)", &|| {
            super::bargain::run_section(s).ok_or_else(|| Failure::analysis(miette::miette!("the issues cannot be bargained")))
        });
    }
    if !s.cross_impacts.is_empty() {
        part("Self-consistent futures (CIB)", &|| {
            super::cib::run_section(s, &loaded.source.name)
                .map(|section| section.unwrap_or_default())
        });
    }
    if s.drivers.iter().any(|d| d.prior.is_some() || !d.cpt.is_empty()) {
        part("How likely, and which option is best (Bayesian network)", &|| {
            super::bayes::section(&loaded)
        });
    }
    if !s.games.is_empty() {
        part("What the players will do (games)", &|| {
            super::games::run_section(s).map(|section| section.unwrap_or_default())
        });
    }
    let out = match global.format {
        Format::Table => {
            let mut text = report::overview::render(s, &figures);
            for p in &parts {
                text.push_str(&format!("\n== {} ==\n", p.title));
                match &p.outcome {
                    Ok(body) => text.push_str(body),
                    Err(why) => text.push_str(&format!("(not run: {why})\n")),
                }
            }
            text
        }
        Format::Json => {
            let body = report::overview::to_json(s, &figures);
            format!("{:#}\n", report::envelope("run", &loaded.source.name, body))
        }
        other => return Err(unsupported_format("run", other, "table, json")),
    };
    emit(global, &out)
}
