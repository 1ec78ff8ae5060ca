//! `statecraft review`: the after-action review of a scenario against its resolutions.

use clap::Args;
use miette::miette;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{emit, json_text, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft review`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft review korea-2024\n  statecraft review korea-2024 --format md -o review.md\n  statecraft review korea-2024 --format html -o review.html"
)]
pub struct ReviewArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
}

/// Reviews the scenario's forecast as of its `as_of` against its `[[resolution]]`s: table,
/// Markdown, HTML or JSON (schema at `report::review::json`).
pub fn run(global: &Global, args: &ReviewArgs) -> Result<(), Failure> {
    let loaded = scenario::load_with_updates(args.scenario.as_deref(), global)?;
    let s = &loaded.scenario;
    if s.resolutions.is_empty() {
        return Err(Failure::bad_input(miette!(
            help = "add `[[resolution]]` tables saying what each driver turned out to be (see docs/scenario-format.md), or record them with `statecraft resolve`",
            "{}: nothing to review: the scenario has no resolutions{}",
            loaded.source.name,
            if global.as_of.is_some() { " dated by --as-of" } else { "" }
        )));
    }
    let review = analysis::review::review(&loaded, &analysis::Settings::default())
        .map_err(|e| Failure::lens(e, &loaded.source.name))?;
    let title = &s.scenario.title;
    let out = match global.format {
        Format::Table => report::review::doc(&review, title).text(),
        Format::Md => report::review::markdown(&review, title),
        Format::Html => report::review::html(&review, title),
        Format::Json => json_text(&report::envelope(
            "review",
            &loaded.source.name,
            report::review::json(&review),
        ))?,
        other => return Err(unsupported_format("review", other, "table, md, html, json")),
    };
    emit(global, &out)
}
