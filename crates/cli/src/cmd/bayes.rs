//! `statecraft bayes`: exact inference on a Bayesian network (a scenario's drivers, or a BIF or
//! XMLBIF file), and decision analysis of an influence diagram (a scenario's decisions, or
//! pyAgrum-style XMLBIF with decision and utility nodes).
//!
//! The flags become `analysis::bayes::BayesSettings` and the model is read (a scenario's drivers
//! and decisions, or a file); `analysis::bayes::analyse` runs the lens and `report::bayes`
//! renders.

use std::path::PathBuf;

use analysis::bayes::{BayesModel, BayesSettings};
use clap::Args;
use miette::miette;
use model::formats::bif::{self, RowSums};
use model::formats::xmlbif;
use report::bayes::BayesReport;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered};

/// Arguments of `statecraft bayes`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  statecraft bayes                                    the built-in korea-2024 scenario
  statecraft bayes korea-2024 --decide --voi --tornado meu
  statecraft bayes korea-2024 --evidence war=russian_setback --query korean_war
  statecraft bayes asia.bif --evidence smoke=yes --query lung --query bronc
  statecraft bayes asia.bif --evidence dysp=yes --mpe --format json
  statecraft bayes asia.bif --tornado lung=yes
  statecraft bayes oil.bifxml --decide --voi --tornado meu

A scenario's drivers with a prior or cpt form the network; its decisions are decision nodes
observing their `observes` drivers, with additive utilities. A .bif file is BIF; .xml, .xmlbif and
.bifxml files are XMLBIF, and one with decision and utility nodes is an influence diagram.
--decide gives every option's expected utility and the optimal policy, --voi the expected value of
perfect information; a diagram's marginals are those under the optimal policy. CPT rows that sum to 1 within 1e-4 are normalised with a warning (--strict
rejects them).")]
pub struct BayesArgs {
    /// A scenario file, a built-in scenario's name, or a BIF/XMLBIF file (default: korea-2024).
    #[arg(value_name = "SCENARIO|FILE")]
    pub file: Option<String>,
    /// Hard evidence: the variable is in this state (repeatable).
    #[arg(long = "evidence", short = 'e', value_name = "VAR=STATE")]
    pub evidence: Vec<String>,
    /// Soft evidence: a likelihood for each state of the variable, in order (repeatable).
    #[arg(long = "likelihood", value_name = "VAR=W1,W2,...")]
    pub likelihood: Vec<String>,
    /// Show only these variables' marginals (repeatable; default all).
    #[arg(long = "query", value_name = "VAR")]
    pub query: Vec<String>,
    /// Also give the most probable explanation (the most probable full assignment).
    #[arg(long)]
    pub mpe: bool,
    /// Refuse a network or diagram whose largest table would have more than N entries (8
    /// bytes each).
    #[arg(long, value_name = "N", default_value_t = BayesSettings::default().max_clique_entries)]
    pub max_clique_entries: usize,
    /// Solve the influence diagram: expected utility of every option, optimal policy.
    #[arg(long)]
    pub decide: bool,
    /// With --decide: the expected value of perfect information, overall and per chance node.
    #[arg(long)]
    pub voi: bool,
    /// Tornado sensitivity of TARGET: `VAR=STATE` (its probability) or `meu` (a diagram's maximum
    /// expected utility, with the thresholds where the best option changes).
    #[arg(long, value_name = "TARGET")]
    pub tornado: Option<String>,
    /// How far each probability moves in the tornado (± this much).
    #[arg(long, value_name = "P", default_value_t = BayesSettings::default().swing)]
    pub swing: f64,
    /// Tornado bars shown in the table (all are in the JSON).
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub top: usize,
    /// Reject CPT rows that do not sum to 1 instead of normalising them.
    #[arg(long)]
    pub strict: bool,
}

fn bad(msg: String, help: &str) -> Failure {
    Failure::bad_input(miette!(help = help.to_string(), "{msg}"))
}

/// The model's file extension when `arg` names a BIF or XMLBIF file.
fn model_extension(arg: Option<&str>) -> Option<String> {
    let ext = PathBuf::from(arg?).extension()?.to_str()?.to_ascii_lowercase();
    matches!(ext.as_str(), "bif" | "xml" | "xmlbif" | "bifxml").then_some(ext)
}

/// What to analyse: the model, the repairs made while reading it, what to call it, and the
/// settings, which for a scenario also hold its observations known by `--as-of`.
struct Input {
    model: BayesModel,
    warnings: Vec<String>,
    source: String,
    settings: BayesSettings,
}

/// The model, the repairs made while reading it, and what to call it.
fn load(args: &BayesArgs, global: &Global) -> Result<Input, Failure> {
    let Some(ext) = model_extension(args.file.as_deref()) else {
        let loaded = crate::scenario::load(args.file.as_deref(), global)?;
        let source = loaded.source.name.clone();
        let study =
            analysis::bayes::study_of(&loaded.scenario).map_err(|e| Failure::lens(e, &source))?;
        let settings =
            analysis::bayes::with_observations(&loaded.scenario, &study, &settings(args));
        let model = analysis::bayes::model_of(&study);
        return Ok(Input { model, warnings: Vec::new(), source, settings });
    };
    let file = PathBuf::from(args.file.as_deref().unwrap_or(""));
    let text = output::read_text(&file)?;
    let rows = if args.strict { RowSums::Reject } else { RowSums::Normalise };
    let path = file.display();
    let fail = |e: bif::BifError| {
        bad(
            format!("{path}: {e}"),
            "check the file against the BIF/XMLBIF grammar (see docs/bayes.md)",
        )
    };
    let network =
        |b: bif::BifNetwork| (BayesModel::Network { name: b.name, net: b.net }, b.warnings);
    let (model, warnings) = match ext.as_str() {
        "xml" | "xmlbif" | "bifxml" => {
            let is_diagram =
                text.contains("TYPE=\"decision\"") || text.contains("TYPE=\"utility\"");
            if is_diagram {
                let d = xmlbif::read_diagram(&text, rows).map_err(fail)?;
                (BayesModel::Diagram { name: d.name, diagram: d.diagram }, d.warnings)
            } else {
                network(xmlbif::read(&text, rows).map_err(fail)?)
            }
        }
        _ => network(bif::read(&text, rows).map_err(fail)?),
    };
    if !global.quiet {
        for w in &warnings {
            eprintln!("statecraft: warning: {w}");
        }
    }
    Ok(Input { model, warnings, source: path.to_string(), settings: settings(args) })
}

/// The settings the flags ask for.
fn settings(args: &BayesArgs) -> BayesSettings {
    BayesSettings {
        evidence: args.evidence.clone(),
        likelihood: args.likelihood.clone(),
        query: args.query.clone(),
        mpe: args.mpe,
        decide: args.decide,
        voi: args.voi,
        tornado: args.tornado.clone(),
        swing: args.swing,
        max_clique_entries: args.max_clique_entries,
    }
}

/// Runs `statecraft bayes`.
pub fn run(global: &Global, args: &BayesArgs) -> Result<(), Failure> {
    output::emit_rendered(global, render(global, args)?)
}

/// Reads, analyses and renders, without writing anything.
pub fn render(global: &Global, args: &BayesArgs) -> Result<Rendered, Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(output::unsupported_format("bayes", global.format, "table, json"));
    }
    let Input { model, warnings, source, settings } = load(args, global)?;
    let a =
        analysis::bayes::analyse(model, warnings, &settings).map_err(|e| Failure::lens(e, ""))?;
    let report = BayesReport::of(&a);
    Ok(match global.format {
        Format::Json => {
            Rendered::Json(report::envelope("bayes", &source, report::bayes::json_body(&report)))
        }
        _ => Rendered::Text(report::bayes::render(&report, args.top)),
    })
}
