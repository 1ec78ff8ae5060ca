//! `statecraft run`: every lens the scenario feeds, and the answer to its question.
//!
//! The scenario is analysed once by `analysis::analyse`; each format is rendered from that one
//! `Analysis` by `report::run` (whose documentation gives the JSON schema). `--save DIR` writes
//! a run folder from the same `Analysis` (`crate::save`).

use analysis::{Analysis, Settings};
use clap::Args;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, emit, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft run`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run\n  statecraft run --format html -o report.html\n  statecraft run my-scenario.toml --format json -o result.json\n  statecraft run --format md -o report.md\n  statecraft run my-scenario.toml --save runs/mine\n  statecraft run --verify runs/mine"
)]
pub struct RunArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// `--save DIR`, `--force`, `--verify DIR`.
    #[command(flatten)]
    pub save: crate::save::SaveArgs,
}

/// Analyses the scenario and prints the report in the chosen format.
pub fn run(global: &Global, args: &RunArgs) -> Result<(), Failure> {
    if let Some(dir) = &args.save.verify {
        return crate::save::verify(global, dir);
    }
    let loaded = scenario::load(args.scenario.as_deref(), global)?;
    let settings = Settings::default();
    let analysis = analysis::analyse(&loaded, &settings);
    let out = render(global.format, &analysis)?;
    crate::save::save(global, &args.save, &loaded, &analysis, &settings, args.scenario.as_deref())?;
    emit(global, &out)
}

/// The report of an analysis in one of `run`'s formats.
pub fn render(format: Format, analysis: &Analysis) -> Result<String, Failure> {
    Ok(match format {
        Format::Table => report::run::text(analysis),
        Format::Json => output::json_text(&report::run::json(analysis))?,
        Format::Md => report::run::markdown(analysis),
        Format::Html => report::run::html(analysis),
        other => return Err(unsupported_format("run", other, "table, json, md, html")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format of `run`, and `run --save`, evaluates each lens exactly once: the reports
    /// are rendered from one analysis, never by running a lens again.
    #[test]
    fn each_lens_is_evaluated_once_in_every_format_and_when_saving() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let formats = [Format::Table, Format::Json, Format::Md, Format::Html];
        for (k, format) in formats.into_iter().enumerate() {
            let out = dir.path().join(format!("out-{k}"));
            let global = Global { format, output: Some(out.clone()), quiet: true, as_of: None };
            let args = RunArgs {
                scenario: None,
                save: crate::save::SaveArgs {
                    save: (k == 0).then(|| dir.path().join("saved")),
                    force: false,
                    verify: None,
                },
            };
            let before = analysis::evaluations();
            run(&global, &args).unwrap_or_else(|e| panic!("{format:?}: {e:?}"));
            let after = analysis::evaluations();
            let counts: Vec<u64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
            assert_eq!(counts, [1; 6], "{format:?}: evaluations of {:?}", analysis::LENSES);
            assert!(out.is_file());
        }
        assert!(dir.path().join("saved/run.json").is_file());
    }
}
