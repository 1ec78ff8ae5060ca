//! `statecraft timeline`: the answer after each dated update of a scenario, each move attributed
//! to the update that caused it.

use std::path::PathBuf;

use analysis::bayes::BayesSettings;
use clap::Args;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{emit, json_text, unsupported_format, write_atomically};
use crate::scenario;

/// Arguments of `statecraft timeline`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft timeline korea-2024\n  statecraft timeline korea-2024 --as-of 2025-06-30\n  statecraft timeline korea-2024 --format html -o timeline.html\n  statecraft timeline korea-2024 --svg timeline.svg"
)]
pub struct TimelineArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// Also write the step chart of the headline to FILE (SVG).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

/// Steps through the scenario's updates (up to `--as-of`, when given) and prints the answer
/// after each: table, JSON (schema at `report::timeline::json`) or an HTML page with the chart.
pub fn run(global: &Global, args: &TimelineArgs) -> Result<(), Failure> {
    let loaded = scenario::load_with_updates(args.scenario.as_deref(), global)?;
    let s = &loaded.scenario;
    let timeline = analysis::timeline::timeline(s, &BayesSettings::for_run(s));
    if let Some(path) = &args.svg {
        match report::timeline::svg(&timeline) {
            Some(svg) => write_atomically(path, svg.as_bytes())?,
            None => {
                return Err(Failure::bad_input(miette::miette!(
                    help = "the chart follows the Bayes lens's headline: give the scenario a `headline` and driver probabilities",
                    "{}: no step has a headline probability to draw",
                    loaded.source.name
                )));
            }
        }
    }
    let out = match global.format {
        Format::Table => report::timeline::text(&timeline),
        Format::Json => json_text(&report::envelope(
            "timeline",
            &loaded.source.name,
            report::timeline::json(&timeline),
        ))?,
        Format::Html => report::timeline::html(
            &timeline,
            &format!("{}: the estimate over time", s.scenario.title),
        ),
        other => return Err(unsupported_format("timeline", other, "table, json, html")),
    };
    emit(global, &out)
}
