//! `statecraft score`: how good the ledger's forecasts were, per scenario and across the whole
//! ledger (Brier, log and baseline scores, the calibration table and, with enough forecasts,
//! the Murphy decomposition; in HTML with a reliability chart), and `--show forecasts|resolutions` to export what the ledger
//! holds. Rendering is `report::score`'s; scoring is the ledger's.

use clap::{Args, ValueEnum};

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::ledger::{self, LedgerArg};
use crate::output::{emit, json_text, unsupported_format};
use crate::scenario;

/// What `statecraft score` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Show {
    /// The scores.
    Scores,
    /// Every forecast recorded (an export).
    Forecasts,
    /// Every resolution recorded (an export).
    Resolutions,
}

/// Arguments of `statecraft score`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft score\n  statecraft score korea-2024 --format json\n  statecraft score --format html -o scores.html   (with reliability charts)\n  statecraft score --show forecasts --format csv -o forecasts.csv"
)]
pub struct ScoreArgs {
    /// A scenario file, a built-in scenario's name, or a scenario id in the ledger (default:
    /// every scenario in the ledger).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// What to show.
    #[arg(long, value_enum, default_value_t = Show::Scores)]
    pub show: Show,
    /// `--ledger PATH`.
    #[command(flatten)]
    pub ledger: LedgerArg,
}

/// Scores the ledger (or exports it) in the chosen format.
pub fn run(global: &Global, args: &ScoreArgs) -> Result<(), Failure> {
    let id = match args.scenario.as_deref() {
        None => None,
        Some(a) if std::path::Path::new(a).exists() || model::builtin::find(a).is_some() => {
            Some(scenario::load(Some(a), global)?.scenario.scenario.id)
        }
        Some(a) => Some(a.to_string()),
    };
    let l = ledger::open(&args.ledger)?;
    let source = l.path().display().to_string();
    let text = match args.show {
        Show::Scores => {
            let scores = l.score(id.as_deref()).map_err(ledger::failure)?;
            match global.format {
                Format::Table => {
                    let mut out = String::new();
                    for s in &scores.scenarios {
                        out.push_str(&report::score::summary_text(&s.scenario, &s.summary));
                        out.push('\n');
                        out.push_str(&report::score::scored_table(&s.scored));
                        if !s.unresolved.is_empty() {
                            out.push_str(&format!(
                                "  not resolved yet: {}\n",
                                s.unresolved.join(", ")
                            ));
                        }
                        out.push('\n');
                    }
                    if scores.scenarios.is_empty() {
                        out.push_str("the ledger holds no forecasts: record some with `statecraft forecast`\n");
                    } else if id.is_none() {
                        out.push_str(&report::score::summary_text(
                            "the whole ledger",
                            &scores.overall,
                        ));
                    }
                    out
                }
                Format::Json => json_text(&report::envelope(
                    "score",
                    &source,
                    serde_json::to_value(&scores)
                        .map_err(|e| Failure::analysis(miette::miette!("{e}")))?,
                ))?,
                Format::Csv => {
                    let rows: Vec<(&str, &analysis::forecasts::Scored)> = scores
                        .scenarios
                        .iter()
                        .flat_map(|s| s.scored.iter().map(move |x| (s.scenario.as_str(), x)))
                        .collect();
                    report::score::scored_csv(&rows)
                }
                Format::Html => {
                    let mut sections: Vec<(&str, &analysis::forecasts::Summary)> = scores
                        .scenarios
                        .iter()
                        .map(|s| (s.scenario.as_str(), &s.summary))
                        .collect();
                    if id.is_none() && !scores.scenarios.is_empty() {
                        sections.push(("the whole ledger", &scores.overall));
                    }
                    report::score::html(&format!("Forecast scores: {source}"), &sections)
                }
                other => {
                    return Err(unsupported_format("score", other, "table, json, csv, html"));
                }
            }
        }
        Show::Forecasts => {
            let records = l.forecasts(id.as_deref()).map_err(ledger::failure)?;
            match global.format {
                Format::Json => json_text(&report::envelope(
                    "score",
                    &source,
                    serde_json::json!({ "forecasts": records }),
                ))?,
                Format::Csv | Format::Table => {
                    report::score::forecasts_csv(records.iter().map(|r| {
                        (
                            r.scenario.as_str(),
                            r.scenario_hash.as_str(),
                            r.as_of.to_string(),
                            r.tool_version.as_str(),
                            &r.forecast,
                        )
                    }))
                }
                other => {
                    return Err(unsupported_format("score --show forecasts", other, "csv, json"));
                }
            }
        }
        Show::Resolutions => {
            let records = l.resolutions(id.as_deref()).map_err(ledger::failure)?;
            match global.format {
                Format::Json => json_text(&report::envelope(
                    "score",
                    &source,
                    serde_json::json!({ "resolutions": records }),
                ))?,
                Format::Csv | Format::Table => report::score::resolutions_csv(
                    records.iter().map(|r| (r.scenario.as_str(), &r.resolved)),
                ),
                other => {
                    return Err(unsupported_format("score --show resolutions", other, "csv, json"));
                }
            }
        }
    };
    emit(global, &text)
}
