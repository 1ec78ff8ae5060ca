//! `statecraft resolve`: records what happened in the ledger: the scenario's own
//! `[[resolution]]`s, or one given on the command line. Every resolution is checked (a question,
//! state and soft weights the scenario has, a date on or after the forecasts of it) and the
//! batch is written all or nothing.

use std::collections::BTreeMap;

use ::ledger::Origin;
use analysis::forecasts::Resolved;
use clap::Args;
use miette::miette;
use model::scenario::Date;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::ledger::{self, LedgerArg};
use crate::output::{emit, json_text, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft resolve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft resolve korea-2024\n  statecraft resolve korea-2024 --question war --state russian_gains --date 2025-12-31\n  statecraft resolve korea-2024 --question seoul --state nuclear_hedging --date 2025-11-14 --soft nuclear_hedging=0.55,status_quo_nato=0.45"
)]
pub struct ResolveArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The driver or decision resolved (default: every `[[resolution]]` of the scenario).
    #[arg(long, value_name = "Q", requires_all = ["state", "date"])]
    pub question: Option<String>,
    /// The state (or option) that happened; with --soft, the one given most weight.
    #[arg(long, value_name = "S", requires = "question")]
    pub state: Option<String>,
    /// When it resolved (YYYY-MM-DD).
    #[arg(long, value_name = "D", requires = "question")]
    pub date: Option<String>,
    /// A soft resolution: a weight per state, summing to 1 (`a=0.8,b=0.2`).
    #[arg(long, value_name = "WEIGHTS", requires = "question")]
    pub soft: Option<String>,
    /// `--ledger PATH`.
    #[command(flatten)]
    pub ledger: LedgerArg,
}

/// Records the resolutions.
pub fn run(global: &Global, args: &ResolveArgs) -> Result<(), Failure> {
    let loaded = scenario::load_with_updates(args.scenario.as_deref(), global)?;
    let s = &loaded.scenario;
    let (resolutions, origin) = match (&args.question, &args.state, &args.date) {
        (Some(q), Some(state), Some(date)) => {
            let date = Date::parse(date).ok_or_else(|| {
                Failure::bad_input(miette!(
                    help = "write YYYY-MM-DD",
                    "--date `{date}` is not a date"
                ))
            })?;
            let soft = match &args.soft {
                Some(w) => parse_soft(w)?,
                None => BTreeMap::new(),
            };
            (
                vec![Resolved { question: q.clone(), date, state: state.clone(), soft }],
                Origin::Given,
            )
        }
        _ => (s.resolutions.iter().map(Resolved::from).collect::<Vec<_>>(), Origin::Scenario),
    };
    if resolutions.is_empty() {
        return Err(Failure::bad_input(miette!(
            help = "add `[[resolution]]` tables to the scenario, or give --question, --state and --date",
            "{}: the scenario has no resolutions",
            loaded.source.name
        )));
    }
    let mut l = ledger::open(&args.ledger)?;
    let n = l.resolve(s, &resolutions, origin).map_err(ledger::failure)?;
    let text = match global.format {
        Format::Table => {
            let mut out =
                format!("{}: {n} resolutions recorded in {}\n", s.scenario.id, l.path().display());
            for r in &resolutions {
                let how = if r.is_soft() {
                    let w: Vec<String> = r.soft.iter().map(|(k, w)| format!("{k} {w}")).collect();
                    format!("soft: {}", w.join(", "))
                } else {
                    "crisp".to_string()
                };
                out.push_str(&format!("  {} = {} on {} ({how})\n", r.question, r.state, r.date));
            }
            out
        }
        Format::Json => json_text(&report::envelope(
            "resolve",
            &loaded.source.name,
            serde_json::json!({ "scenario": s.scenario.id, "resolutions": resolutions }),
        ))?,
        other => return Err(unsupported_format("resolve", other, "table, json")),
    };
    emit(global, &text)
}

/// `a=0.8,b=0.2` as weights by state.
fn parse_soft(text: &str) -> Result<BTreeMap<String, f64>, Failure> {
    let bad = |what: &str| {
        Failure::bad_input(miette!(
            help = "write --soft STATE=WEIGHT,STATE=WEIGHT, such as contained=0.95,korean=0.05",
            "--soft `{text}`: {what}"
        ))
    };
    let mut out = BTreeMap::new();
    for part in text.split(',') {
        let (k, v) =
            part.split_once('=').ok_or_else(|| bad(&format!("`{part}` is not STATE=WEIGHT")))?;
        let w: f64 =
            v.trim().parse().map_err(|_| bad(&format!("`{}` is not a number", v.trim())))?;
        if out.insert(k.trim().to_string(), w).is_some() {
            return Err(bad(&format!("`{}` is given twice", k.trim())));
        }
    }
    Ok(out)
}
