//! `statecraft bayes`: exact inference on a Bayesian network (a scenario's drivers, or a BIF or
//! XMLBIF file), and decision analysis of an influence diagram (a scenario's decisions, or
//! pyAgrum-style XMLBIF with decision and utility nodes).
//!
//! Arguments are resolved once into a [`Plan`] (model read and checked, names turned into
//! indices); then the engine runs and `report::bayes` renders.

use std::path::PathBuf;

use clap::Args;
use engines::bayes::{
    BayesNet, CompileOptions, DEFAULT_MAX_CLIQUE, DecideOptions, Finding, Heuristic,
    InfluenceDiagram, JunctionTree, Mpe, Posterior, Tornado, TornadoOptions, ValueOfInformation,
    solve, tornado_probability, tornado_utility,
};
use miette::miette;
use model::formats::bif::{self, RowSums};
use model::formats::xmlbif;
use model::lens::bayes::BayesStudy;
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
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CLIQUE)]
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
    #[arg(long, value_name = "P", default_value_t = 0.1)]
    pub swing: f64,
    /// Tornado bars shown in the table (all are in the JSON).
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub top: usize,
    /// Reject CPT rows that do not sum to 1 instead of normalising them.
    #[arg(long)]
    pub strict: bool,
}

/// A model read from a file.
enum Model {
    Network { name: String, net: BayesNet },
    Diagram { name: String, diagram: InfluenceDiagram },
}

fn bad(msg: String, help: &str) -> Failure {
    Failure::bad_input(miette!(help = help.to_string(), "{msg}"))
}

/// The model's file extension when `arg` names a BIF or XMLBIF file.
fn model_extension(arg: Option<&str>) -> Option<String> {
    let ext = PathBuf::from(arg?).extension()?.to_str()?.to_ascii_lowercase();
    matches!(ext.as_str(), "bif" | "xml" | "xmlbif" | "bifxml").then_some(ext)
}

fn load(args: &BayesArgs, global: &Global) -> Result<(Model, Vec<String>, String), Failure> {
    let Some(ext) = model_extension(args.file.as_deref()) else {
        let loaded = crate::scenario::load(args.file.as_deref(), global.quiet)?;
        let study = BayesStudy::from_scenario(&loaded.scenario).map_err(|e| {
            Failure::bad_input(miette!(
                help = "give drivers a `prior` or `[[driver.cpt]]` rows over their `parents` (see docs/bayes.md)",
                "{}: {e}",
                loaded.source.name
            ))
        })?;
        let model = match study.diagram {
            Some(diagram) => Model::Diagram { name: study.title, diagram },
            None => Model::Network { name: study.title, net: study.net },
        };
        return Ok((model, Vec::new(), loaded.source.name.clone()));
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
    let (model, warnings) = match ext.as_str() {
        "bif" => {
            let b = bif::read(&text, rows).map_err(fail)?;
            (Model::Network { name: b.name, net: b.net }, b.warnings)
        }
        "xml" | "xmlbif" | "bifxml" => {
            let is_diagram =
                text.contains("TYPE=\"decision\"") || text.contains("TYPE=\"utility\"");
            if is_diagram {
                let d = xmlbif::read_diagram(&text, rows).map_err(fail)?;
                (Model::Diagram { name: d.name, diagram: d.diagram }, d.warnings)
            } else {
                let b = xmlbif::read(&text, rows).map_err(fail)?;
                (Model::Network { name: b.name, net: b.net }, b.warnings)
            }
        }
        _ => {
            let b = bif::read(&text, rows).map_err(fail)?;
            (Model::Network { name: b.name, net: b.net }, b.warnings)
        }
    };
    if !global.quiet {
        for w in &warnings {
            eprintln!("statecraft: warning: {w}");
        }
    }
    Ok((model, warnings, path.to_string()))
}

fn find(vars: &[engines::bayes::Variable], name: &str) -> Result<usize, Failure> {
    vars.iter().position(|v| v.name == name).ok_or_else(|| {
        let near: Vec<&str> =
            vars.iter().map(|v| v.name.as_str()).filter(|n| n.eq_ignore_ascii_case(name)).collect();
        let help = if near.is_empty() {
            "variable names are case-sensitive; `--query` with no value lists them all in the output".to_string()
        } else {
            format!("did you mean `{}`?", near[0])
        };
        Failure::bad_input(miette!(help = help, "no variable named `{name}`"))
    })
}

fn var_state(vars: &[engines::bayes::Variable], spec: &str) -> Result<(usize, usize), Failure> {
    let Some((v, s)) = spec.split_once('=') else {
        return Err(bad(format!("`{spec}` is not VAR=STATE"), "write it as --evidence smoke=yes"));
    };
    let var = find(vars, v.trim())?;
    let state = vars[var].states.iter().position(|x| x == s.trim()).ok_or_else(|| {
        bad(
            format!("`{}` is not a state of `{}`", s.trim(), v.trim()),
            &format!("its states are: {}", vars[var].states.join(", ")),
        )
    })?;
    Ok((var, state))
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
    if !(args.swing.is_finite() && args.swing >= 0.0) {
        return Err(bad(
            format!("--swing {} is not a non-negative number", args.swing),
            "try --swing 0.1",
        ));
    }
    let (model, warnings, source) = load(args, global)?;
    let compile = CompileOptions {
        heuristic: Heuristic::MinFill,
        max_clique_entries: args.max_clique_entries,
    };
    let analysis = |e: &dyn std::fmt::Display| Failure::analysis(miette!("{e}"));

    // The network whose marginals are shown: the model itself, or the diagram under its optimal
    // policy.
    let (name, kind, net, diagram, solution) = match &model {
        Model::Network { name, net } => {
            if args.decide || args.voi {
                return Err(bad(
                    "--decide and --voi need an influence diagram".into(),
                    "give an XMLBIF file with decision and utility nodes",
                ));
            }
            (name.clone(), "network", net.clone(), None, None)
        }
        Model::Diagram { name, diagram } => {
            let voi = if args.voi { ValueOfInformation::Compute } else { ValueOfInformation::Skip };
            let options = DecideOptions {
                max_table_entries: args.max_clique_entries,
                value_of_information: voi,
            };
            let s = solve(diagram, &options).map_err(|e| analysis(&e))?;
            let policies: Vec<_> = s.decisions.iter().map(|d| d.policy.clone()).collect();
            let net = diagram.policy_network(&policies).map_err(|e| analysis(&e))?;
            (name.clone(), "diagram", net, Some(diagram), Some(s))
        }
    };
    let vars = net.variables();
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for spec in &args.evidence {
        let (v, s) = var_state(vars, spec)?;
        evidence.push((v, s));
        findings.push(Finding::State { node: v, state: s });
    }
    let mut likelihood = Vec::new();
    for spec in &args.likelihood {
        let Some((v, w)) = spec.split_once('=') else {
            return Err(bad(
                format!("`{spec}` is not VAR=W1,W2,..."),
                "write it as --likelihood xray=0.9,0.2",
            ));
        };
        let var = find(vars, v.trim())?;
        let weights: Result<Vec<f64>, _> = w.split(',').map(|x| x.trim().parse::<f64>()).collect();
        let weights = weights.map_err(|e| {
            bad(format!("`{spec}`: {e}"), "weights are numbers separated by commas")
        })?;
        likelihood.push((var, weights.clone()));
        findings.push(Finding::Likelihood { node: var, likelihood: weights });
    }
    let query: Vec<usize> = args.query.iter().map(|q| find(vars, q)).collect::<Result<_, _>>()?;

    let jt = JunctionTree::compile(&net, &compile).map_err(|e| {
        Failure::analysis(miette!(
            help = format!(
                "the limit is {} entries; raise it with --max-clique-entries if the machine has the memory",
                args.max_clique_entries
            ),
            "{e}"
        ))
    })?;
    // Findings are numbered hard evidence first, then likelihoods, as entered.
    let name_finding = |i: usize| match i.checked_sub(args.evidence.len()) {
        None => args.evidence.get(i).cloned(),
        Some(j) => args.likelihood.get(j).cloned(),
    };
    let query_error = |e: engines::bayes::QueryError| match &e {
        engines::bayes::QueryError::Impossible { findings: f } => {
            let names: Vec<String> = f.iter().filter_map(|&i| name_finding(i)).collect();
            Failure::analysis(miette!(
                help = "drop or correct one of these findings; the model gives them probability zero together",
                "the evidence is impossible: {} cannot all hold",
                names.join(", ")
            ))
        }
        _ => bad(e.to_string(), "check the --evidence and --likelihood values"),
    };
    let posterior: Posterior = jt.marginals(&findings).map_err(query_error)?;
    let mpe: Option<Mpe> =
        if args.mpe { Some(jt.mpe(&findings).map_err(query_error)?) } else { None };

    let tornado_options =
        TornadoOptions { probability_swing: args.swing, utility_swing: args.swing, compile };
    let tornado: Option<(String, Tornado)> = match (&args.tornado, diagram) {
        (None, _) => None,
        (Some(t), Some(d)) if t.eq_ignore_ascii_case("meu") => Some((
            "the maximum expected utility".into(),
            tornado_utility(d, &tornado_options).map_err(|e| analysis(&e))?,
        )),
        (Some(t), _) => {
            let (v, s) = var_state(vars, t)?;
            let tor = tornado_probability(&net, &findings, v, s, &tornado_options)
                .map_err(|e| analysis(&e))?;
            Some((format!("P({t})"), tor))
        }
    };

    let parents: Vec<Vec<usize>> = net.cpts().iter().map(|c| c.parents.clone()).collect();
    let utilities = diagram.map(|d| d.utilities().to_vec()).unwrap_or_default();
    let report = BayesReport {
        name: &name,
        kind,
        variables: vars,
        parents: &parents,
        utilities: &utilities,
        treewidth: jt.treewidth(),
        warnings: &warnings,
        evidence: &evidence,
        likelihood: &likelihood,
        posterior: Some(&posterior),
        query: &query,
        mpe: mpe.as_ref(),
        solution: solution.as_ref().filter(|_| args.decide || args.voi),
        voi: args.voi,
        tornado: tornado.as_ref().map(|(l, t)| (l.as_str(), t)),
    };
    Ok(match global.format {
        Format::Json => {
            Rendered::Json(report::envelope("bayes", &source, report::bayes::json_body(&report)))
        }
        _ => Rendered::Text(report::bayes::render(&report, args.top)),
    })
}
