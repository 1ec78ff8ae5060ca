//! `statecraft run`: every lens the scenario feeds, and the answer to its question.

use clap::Args;
use miette::miette;
use model::answer::{Answer, answer};

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

/// Runs every lens on the scenario and prints the answer, then each lens's findings. A lens the
/// scenario does not feed is left out; one that fails on it is noted, and the others still run.
pub fn run(global: &Global, args: &RunArgs) -> Result<(), Failure> {
    let arg = args.scenario.as_deref();
    let loaded = scenario::load(arg, global.quiet)?;
    let figures = model::figures::compute(&loaded.scenario);
    let s = &loaded.scenario;
    let mut parts = Vec::new();
    let note = |title, outcome: Result<String, Failure>| Part {
        title,
        outcome: outcome.map_err(|e| e.message()),
    };

    let ach = (!s.hypotheses.is_empty()).then(|| {
        let input = model::lens::ach::input(s).map_err(|e| Failure::bad_input(miette!("{e}")))?;
        let result = engines::ach::analyze(&input.matrix, &input.run_options())
            .map_err(|e| Failure::analysis(miette!("ACH: {e}")))?;
        Ok::<_, Failure>((input.matrix, result))
    });
    if let Some(a) = &ach {
        let text = match a {
            Ok((matrix, result)) => Ok(report::ach::scenario_section(s, matrix, result)),
            Err(e) => Err(Failure::analysis(miette!("{}", e.message()))),
        };
        parts.push(note("Competing hypotheses (ACH)", text));
    }
    if !s.actors.is_empty() || s.drivers.iter().any(|d| !d.influence.is_empty()) {
        parts.push(note("Actors and structure (MACTOR, MICMAC)", super::actors::section(arg)));
    }
    if !s.issues.is_empty() {
        let text = super::bargain::run_section(s)
            .ok_or_else(|| Failure::analysis(miette!("the issues cannot be bargained")));
        parts.push(note("Where the issues settle (bargaining)", text));
    }
    let cib = if s.cross_impacts.is_empty() {
        None
    } else {
        match super::cib::run_section(s, &loaded.source.name) {
            Ok(Some((study, solution, text))) => {
                parts.push(note("Self-consistent futures (CIB)", Ok(text)));
                Some((study, solution))
            }
            Ok(None) => None,
            Err(e) => {
                parts.push(note("Self-consistent futures (CIB)", Err(e)));
                None
            }
        }
    };
    let bayes = if s.drivers.iter().any(|d| d.prior.is_some() || !d.cpt.is_empty()) {
        let summary = model::lens::bayes::BayesStudy::from_scenario(s)
            .map_err(|e| Failure::analysis(miette!("{e}")))
            .and_then(|study| {
                model::lens::bayes::summarise(&study, 5)
                    .map_err(|e| Failure::analysis(miette!("{e}")))
            });
        let text = summary
            .as_ref()
            .map(report::bayes::section)
            .map_err(|e| Failure::analysis(miette!("{}", e.message())));
        parts.push(note("How likely, and which option is best (Bayesian network)", text));
        summary.ok()
    } else {
        None
    };
    if !s.games.is_empty() {
        let text = super::games::run_section(s).map(|section| section.unwrap_or_default());
        parts.push(note("What the players will do (games)", text));
    }

    let ach_ok = ach.as_ref().and_then(|a| a.as_ref().ok()).map(|(m, r)| (m, r));
    let answer = answer(s, bayes.as_ref(), cib.as_ref().map(|(st, so)| (st, so)), ach_ok);
    let out = match global.format {
        Format::Table => {
            let mut text = report::overview::render(s, &figures);
            text.push_str(&render_answer(&answer));
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
            let mut body = report::overview::to_json(s, &figures);
            body["answer"] = serde_json::to_value(&answer).unwrap_or_default();
            format!("{:#}\n", report::envelope("run", &loaded.source.name, body))
        }
        other => return Err(unsupported_format("run", other, "table, json")),
    };
    emit(global, &out)
}

/// The answer as text: the headline, then one line per reason with its sources.
fn render_answer(a: &Answer) -> String {
    let mut out = format!("\n== Answer ==\n{}\n", a.headline);
    for r in &a.reasons {
        out.push_str(&format!("- [{}] {}", r.lens, r.text));
        if !r.cites.is_empty() {
            out.push_str(&format!(" Sources: {}.", r.cites.join("; ")));
        }
        out.push('\n');
    }
    out
}
