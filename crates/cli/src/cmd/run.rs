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

/// Runs every lens on the scenario and prints the report.
pub fn run(global: &Global, args: &RunArgs) -> Result<(), Failure> {
    let loaded = scenario::load(args.scenario.as_deref(), global.quiet)?;
    let figures = model::figures::compute(&loaded.scenario);
    let out = match global.format {
        Format::Table => report::overview::render(&loaded.scenario, &figures),
        Format::Json => {
            let body = report::overview::to_json(&loaded.scenario, &figures);
            format!("{:#}\n", report::envelope("run", &loaded.source.name, body))
        }
        other => return Err(unsupported_format("run", other, "table, json")),
    };
    emit(global, &out)
}
