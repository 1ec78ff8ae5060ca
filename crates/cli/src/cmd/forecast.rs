//! `statecraft forecast`: records every probability the scenario issues in the ledger (the
//! headline, each driver's marginal, the headline under each option), as of its date
//! (`--as-of`), with the hash of its text and the tool's version. Recording again is a no-op.

use clap::Args;
use miette::miette;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::ledger::{self, LedgerArg};
use crate::output::{emit, json_text, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft forecast`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft forecast\n  statecraft forecast korea-2024 --as-of 2025-06-30\n  statecraft forecast my-scenario.toml --ledger team.sqlite"
)]
pub struct ForecastArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// `--ledger PATH`.
    #[command(flatten)]
    pub ledger: LedgerArg,
}

/// Analyses the scenario and records its forecasts.
pub fn run(global: &Global, args: &ForecastArgs) -> Result<(), Failure> {
    let loaded = scenario::load(args.scenario.as_deref(), global)?;
    let analysis = analysis::analyse(&loaded, &analysis::Settings::default());
    let issued =
        analysis::forecasts::issue(&analysis, &loaded.source.text, env!("CARGO_PKG_VERSION"));
    if issued.forecasts.is_empty() {
        return Err(Failure::analysis(miette!(
            help = "give drivers a `prior` or CPT rows, and a `[scenario] headline`",
            "{}: the scenario issues no probabilities (its Bayes lens did not run)",
            loaded.source.name
        )));
    }
    let mut l = ledger::open(&args.ledger)?;
    let recorded = l.record(&issued).map_err(ledger::failure)?;
    let text = match global.format {
        Format::Table => {
            let mut out = format!(
                "{}: {} forecasts as of {} recorded in {} ({} new, {} already there)\n",
                issued.scenario,
                issued.forecasts.len(),
                issued.as_of,
                l.path().display(),
                recorded.added,
                recorded.already
            );
            for f in &issued.forecasts {
                let p: Vec<String> = f
                    .categories
                    .iter()
                    .zip(&f.probabilities)
                    .map(|(c, p)| format!("{c} {p:.3}"))
                    .collect();
                out.push_str(&format!("  {}: {}\n", f.question, p.join(", ")));
            }
            out
        }
        Format::Json => {
            let body = serde_json::json!({ "issued": issued, "recorded": recorded });
            json_text(&report::envelope("forecast", &loaded.source.name, body))?
        }
        other => return Err(unsupported_format("forecast", other, "table, json")),
    };
    emit(global, &text)
}
