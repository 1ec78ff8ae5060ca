//! `statecraft check`: validate scenario files and print every problem.

use clap::Args;
use model::diag::Diagnostics;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{emit, unsupported_format};
use crate::scenario::render;

/// Arguments of `statecraft check`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft check my-scenario.toml\n  statecraft check korea-2024\n  statecraft check --format json a.toml b.toml"
)]
pub struct CheckArgs {
    /// The scenario files (or built-in scenarios' names) to check.
    #[arg(required = true, value_name = "SCENARIO")]
    pub files: Vec<String>,
}

/// Checks every file; exit code 2 if any has an error. With `--format json`, standard output
/// gets one object per file: `{"file": …, "ok": bool, "diagnostics": [...]}`, where each
/// diagnostic has `code`, `severity`, `message`, `file`, `line`, `column`, `path`, `labels`
/// (`offset`, `length`, `line`, `column`, `label`), `note` and `help`.
pub fn run(global: &Global, args: &CheckArgs) -> Result<(), Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(unsupported_format("check", global.format, "table, json"));
    }
    let mut failed = false;
    let mut json = Vec::new();
    let mut text = String::new();
    for file in &args.files {
        let (ok, diags) = match crate::scenario::read(file) {
            Ok(loaded) => {
                // The coherence warnings that need lens results (an ACH hypothesis far from
                // the probability of the driver state it maps to) come after the loader's.
                let mut items = loaded.warnings.clone();
                items.extend(analysis::coherence::check(&loaded));
                (true, Diagnostics { source: loaded.source, items })
            }
            Err(d) => (false, d),
        };
        failed |= !ok;
        match global.format {
            Format::Json => json.push(serde_json::json!({
                "file": file.clone(),
                "ok": ok,
                "diagnostics": diags.to_json(),
            })),
            _ => {
                eprint!("{}", render(&diags));
                if ok {
                    text.push_str(&format!("{}: ok\n", file));
                } else {
                    eprintln!("statecraft: {diags}");
                }
            }
        }
    }
    if global.format == Format::Json {
        let doc = report::envelope("check", "", serde_json::Value::Array(json));
        emit(global, &format!("{doc:#}\n"))?;
    } else if !global.quiet {
        emit(global, &text)?;
    }
    if failed { Err(Failure::already_printed_bad_input()) } else { Ok(()) }
}
