//! `statecraft show`: a structured summary of a scenario.

use clap::Args;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{emit, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft show`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft show\n  statecraft show my-scenario.toml --format json"
)]
pub struct ShowArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
}

/// Prints the scenario's overview; `--format json` prints the scenario as read, with derived
/// figures (the schema is documented at `report::overview::to_json`).
pub fn run(global: &Global, args: &ShowArgs) -> Result<(), Failure> {
    let loaded = scenario::load(args.scenario.as_deref(), global)?;
    let figures = model::figures::compute(&loaded.scenario);
    let out = match global.format {
        Format::Table => report::overview::render(&loaded.scenario, &figures),
        Format::Json => {
            let body = report::overview::to_json(&loaded.scenario, &figures);
            format!("{:#}\n", report::envelope("show", &loaded.source.name, body))
        }
        other => return Err(unsupported_format("show", other, "table, json")),
    };
    emit(global, &out)
}
