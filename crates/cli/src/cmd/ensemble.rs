//! `statecraft ensemble [SCENARIO]`: the answer redrawn under every uncertain judgment, with
//! Sobol indices of the judgments, as a table, an HTML page with charts, or the JSON documented in
//! `report::ensemble`.

use std::io::IsTerminal;

use analysis::ensemble::EnsembleSettings;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered};

/// Arguments of `statecraft ensemble`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  statecraft ensemble                             1,000 draws of korea-2024's judgments
  statecraft ensemble korea-2024 --samples 5000 --seed 7
  statecraft ensemble my.toml --no-sobol --format json

A judgment moves as far as its own `concentration` or `range` says, else as the scenario's
[uncertainty] table says, else by the built-in default (docs/ensemble.md).
JSON fields: samples, seed, judgments[], headline, options[].headline/expected_utility/best_share,
margin, sensitivity.headline[]/margin[] (see docs/ensemble.md).")]
pub struct EnsembleArgs {
    /// A scenario file or built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// The number of draws (rows of each Sobol base sample).
    #[arg(long, value_name = "N", default_value_t = EnsembleSettings::default().samples)]
    pub samples: usize,
    /// The seed of every draw: the same seed gives the same output whatever the thread count.
    #[arg(long, value_name = "S", default_value_t = EnsembleSettings::default().seed)]
    pub seed: u64,
    /// Skip the Sobol indices: N evaluations instead of N × (judgments + 2).
    #[arg(long)]
    pub no_sobol: bool,
    /// Redraw only the network and the focal decision, not the other lenses' judgments.
    #[arg(long)]
    pub no_lenses: bool,
}

pub fn run(global: &Global, args: &EnsembleArgs) -> Result<(), Failure> {
    output::emit_rendered(global, render(global, args)?)
}

pub fn render(global: &Global, args: &EnsembleArgs) -> Result<Rendered, Failure> {
    if !matches!(global.format, Format::Table | Format::Json | Format::Html) {
        return Err(output::unsupported_format("ensemble", global.format, "table, json, html"));
    }
    let loaded = crate::scenario::load(args.scenario.as_deref(), global)?;
    let source = loaded.source.name.clone();
    let settings = EnsembleSettings {
        samples: args.samples,
        seed: args.seed,
        sobol: !args.no_sobol,
        lenses: !args.no_lenses,
    };
    // The draws run in one library call: a spinner tells a person watching a terminal that
    // the work goes on.
    let bar = (!global.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} drawing {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("{} samples", args.samples));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let found = analysis::ensemble::ensemble(&loaded.scenario, &settings);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let e = found.map_err(|e| Failure::lens(e, &source))?;
    Ok(match global.format {
        Format::Json => {
            Rendered::Json(report::envelope("ensemble", &source, report::ensemble::to_json(&e)))
        }
        Format::Html => Rendered::Text(report::ensemble::render_html(
            &e,
            &format!("{}: how robust the answer is", loaded.scenario.scenario.title),
        )),
        _ => Rendered::Text(report::ensemble::render_table(&e)),
    })
}
