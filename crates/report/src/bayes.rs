//! Rendering of the bayes lens: a terminal report and the JSON body of `statecraft bayes`.
//!
//! The caller (the CLI) runs the engine and fills a [`BayesReport`]; this module only formats it.
//!
//! # JSON schema
//!
//! `statecraft bayes --format json` writes the shared envelope (`report::envelope`) with `lens`
//! `"bayes"` and this `result` (a network with evidence; fields not asked for are absent):
//!
//! ```json
//! {
//!   "model": "asia",
//!   "kind": "network",
//!   "variables": 8,
//!   "treewidth": 2,
//!   "warnings": [],
//!   "evidence": {"smoke": "yes"},
//!   "likelihood": {"xray": [0.9, 0.2]},
//!   "evidence_probability": 0.5,
//!   "log_evidence_probability": -0.6931471805599453,
//!   "marginals": {"lung": {"yes": 0.1, "no": 0.9}},
//!   "mpe": {"states": {"asia": "no", "smoke": "yes"}, "probability": 0.2, "log_probability": -1.6},
//!   "tornado": {
//!     "target": "P(lung=yes)",
//!     "base": 0.1,
//!     "bars": [{"parameter": "P(lung=yes | smoke=yes)", "base": 0.1, "low": 0.0, "high": 0.2,
//!               "target_low": 0.0, "target_high": 0.2, "swing": 0.2, "threshold": null}]
//!   }
//! }
//! ```
//!
//! An influence diagram (`kind` `"diagram"`, with `--decide`) adds:
//!
//! ```json
//! {
//!   "meu": 70.0,
//!   "expected_utility": {"umbrella": {"take": 35.0, "leave": 70.0}},
//!   "best": {"umbrella": "leave"},
//!   "policy": {"umbrella": [{"observed": {}, "option": "leave"}]},
//!   "evpi": 21.0,
//!   "evpi_by_node": {"weather": 21.0}
//! }
//! ```
//!
//! and its `marginals` are those of the chance and decision variables when every decision follows
//! the optimal policy. Hard evidence on a decision (`--evidence umbrella=take`) sets the decision
//! to that option instead of observing it: the decision's policy is replaced, the other
//! decisions keep theirs, and `decisions_set` lists the decisions so set (it is absent when
//! there are none). Probabilities are plain numbers in [0, 1]; `evpi_by_node` lists only the
//! chance nodes whose value could be learned before the first decision; a `threshold` is the value
//! of the judgment at which the first decision's optimal policy changes, or `null`.

use std::fmt::Write as _;

use engines::bayes::{Mpe, Parameter, Posterior, Solution, Tornado, Utility, Variable};
use model::lens::bayes::BayesSummary;
use serde_json::{Map, Value, json};

use analysis::bayes::BayesAnalysis;

use crate::doc::Doc;
use crate::table::{Align, Table};

/// What `statecraft bayes` computed, ready to render.
#[derive(Debug, Clone, Copy)]
pub struct BayesReport<'a> {
    /// The model's name.
    pub name: &'a str,
    /// `"network"` or `"diagram"`.
    pub kind: &'a str,
    /// The variables (chance and decision).
    pub variables: &'a [Variable],
    /// The parents of each variable as the CPTs (or policies) give them, to name judgments.
    pub parents: &'a [Vec<usize>],
    /// Utility nodes (empty for a network).
    pub utilities: &'a [Utility],
    /// The triangulation's width.
    pub treewidth: usize,
    /// Repairs made while reading.
    pub warnings: &'a [String],
    /// Hard evidence: (variable, state).
    pub evidence: &'a [(usize, usize)],
    /// Likelihood evidence: (variable, weights).
    pub likelihood: &'a [(usize, Vec<f64>)],
    /// The decisions among the hard evidence, set to their option rather than observed.
    pub forced: &'a [(usize, usize)],
    /// The posterior.
    pub posterior: Option<&'a Posterior>,
    /// The variables to show (all when empty).
    pub query: &'a [usize],
    /// The most probable explanation, if asked.
    pub mpe: Option<&'a Mpe>,
    /// The decision analysis, if asked.
    pub solution: Option<&'a Solution>,
    /// Whether to show EVPI.
    pub voi: bool,
    /// The tornado and a label for its target, if asked.
    pub tornado: Option<(&'a str, &'a Tornado)>,
}

impl<'a> BayesReport<'a> {
    /// The report of one analysis.
    pub fn of(a: &'a BayesAnalysis) -> BayesReport<'a> {
        BayesReport {
            name: &a.name,
            kind: a.kind(),
            variables: a.net.variables(),
            parents: &a.parents,
            utilities: a.utilities(),
            treewidth: a.treewidth,
            warnings: &a.warnings,
            evidence: &a.evidence,
            likelihood: &a.likelihood,
            forced: &a.forced,
            posterior: Some(&a.posterior),
            query: &a.query,
            mpe: a.mpe.as_ref(),
            solution: a.shown_solution(),
            voi: a.settings.voi,
            tornado: a.tornado.as_ref().map(|(l, t)| (l.as_str(), t)),
        }
    }
}

fn label(r: &BayesReport<'_>, v: usize, s: usize) -> String {
    format!("{}={}", r.variables[v].name, r.variables[v].states[s])
}

/// A judgment named the way a reader would write it: `P(war=yes | us=hawk)` or
/// `U(value | outcome=peace)`.
pub fn parameter_name(r: &BayesReport<'_>, p: &Parameter) -> String {
    let given = |parents: &[usize], mut row: usize| {
        let mut parts = vec![String::new(); parents.len()];
        for (k, &q) in parents.iter().enumerate().rev() {
            let c = r.variables[q].states.len();
            parts[k] = label(r, q, row % c);
            row /= c;
        }
        parts.join(", ")
    };
    match *p {
        Parameter::Probability { node, row, state } => {
            let g = given(&r.parents[node], row);
            if g.is_empty() {
                format!("P({})", label(r, node, state))
            } else {
                format!("P({} | {g})", label(r, node, state))
            }
        }
        Parameter::Utility { utility, row } => {
            let u = &r.utilities[utility];
            let g = given(&u.parents, row);
            if g.is_empty() { format!("U({})", u.name) } else { format!("U({} | {g})", u.name) }
        }
    }
}

fn shown(r: &BayesReport<'_>) -> Vec<usize> {
    if r.query.is_empty() { (0..r.variables.len()).collect() } else { r.query.to_vec() }
}

/// The JSON body (the envelope's `result`) described in the module documentation.
pub fn json_body(r: &BayesReport<'_>) -> Value {
    let mut out = Map::new();
    out.insert("model".into(), json!(r.name));
    out.insert("kind".into(), json!(r.kind));
    out.insert("variables".into(), json!(r.variables.len()));
    out.insert("treewidth".into(), json!(r.treewidth));
    out.insert("warnings".into(), json!(r.warnings));
    let ev: Map<String, Value> = r
        .evidence
        .iter()
        .map(|&(v, s)| (r.variables[v].name.clone(), json!(r.variables[v].states[s])))
        .collect();
    out.insert("evidence".into(), Value::Object(ev));
    if !r.forced.is_empty() {
        let set: Vec<&str> = r.forced.iter().map(|&(v, _)| r.variables[v].name.as_str()).collect();
        out.insert("decisions_set".into(), json!(set));
    }
    if !r.likelihood.is_empty() {
        let lk: Map<String, Value> =
            r.likelihood.iter().map(|(v, w)| (r.variables[*v].name.clone(), json!(w))).collect();
        out.insert("likelihood".into(), Value::Object(lk));
    }
    if let Some(p) = r.posterior {
        out.insert("evidence_probability".into(), json!(p.evidence_probability));
        out.insert("log_evidence_probability".into(), json!(p.log_evidence_probability));
        let mut m = Map::new();
        for v in shown(r) {
            let states: Map<String, Value> = r.variables[v]
                .states
                .iter()
                .zip(&p.marginals[v])
                .map(|(s, x)| (s.clone(), json!(x)))
                .collect();
            m.insert(r.variables[v].name.clone(), Value::Object(states));
        }
        out.insert("marginals".into(), Value::Object(m));
    }
    if let Some(mpe) = r.mpe {
        let states: Map<String, Value> = mpe
            .states
            .iter()
            .enumerate()
            .map(|(v, &s)| (r.variables[v].name.clone(), json!(r.variables[v].states[s])))
            .collect();
        out.insert(
            "mpe".into(),
            json!({"states": states, "probability": mpe.probability, "log_probability": mpe.log_probability}),
        );
    }
    if let Some(s) = r.solution {
        out.insert("meu".into(), json!(s.meu));
        let mut eu = Map::new();
        let mut best = Map::new();
        let mut policy = Map::new();
        for d in &s.decisions {
            let var = &r.variables[d.node];
            let options: Map<String, Value> = var
                .states
                .iter()
                .zip(&d.expected_utility)
                .map(|(o, x)| (o.clone(), json!(x)))
                .collect();
            eu.insert(var.name.clone(), Value::Object(options));
            best.insert(var.name.clone(), json!(var.states[d.best]));
            let mut rows = Vec::new();
            for (row, &c) in d.policy.choice.iter().enumerate() {
                let mut observed = Map::new();
                let mut rest = row;
                for &q in d.policy.informational.iter().rev() {
                    let k = r.variables[q].states.len();
                    observed.insert(
                        r.variables[q].name.clone(),
                        json!(r.variables[q].states[rest % k]),
                    );
                    rest /= k;
                }
                rows.push(json!({"observed": observed, "option": var.states[c]}));
            }
            policy.insert(var.name.clone(), Value::Array(rows));
        }
        out.insert("expected_utility".into(), Value::Object(eu));
        out.insert("best".into(), Value::Object(best));
        out.insert("policy".into(), Value::Object(policy));
        if r.voi {
            out.insert("evpi".into(), json!(s.evpi));
            let by: Map<String, Value> = s
                .evpi_by_node
                .iter()
                .enumerate()
                .filter_map(|(v, e)| e.map(|e| (r.variables[v].name.clone(), json!(e))))
                .collect();
            out.insert("evpi_by_node".into(), Value::Object(by));
        }
    }
    if let Some((target, t)) = r.tornado {
        let bars: Vec<Value> = t
            .bars
            .iter()
            .map(|b| {
                json!({"parameter": parameter_name(r, &b.parameter), "base": b.base, "low": b.low, "high": b.high,
                       "target_low": b.target_low, "target_high": b.target_high, "swing": b.swing,
                       "threshold": b.threshold})
            })
            .collect();
        out.insert("tornado".into(), json!({"target": target, "base": t.base, "bars": bars}));
    }
    Value::Object(out)
}

fn num(x: f64) -> String {
    format!("{x:.4}")
}

/// The terminal report: a heading line, then tables of marginals, MPE, decisions and tornado.
/// `top` limits the tornado bars shown. Warnings are not included: the caller prints them on
/// standard error.
pub fn render(r: &BayesReport<'_>, top: usize) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{} `{}`: {} variables, treewidth {}",
        r.kind,
        r.name,
        r.variables.len(),
        r.treewidth
    );
    if !r.evidence.is_empty() || !r.likelihood.is_empty() {
        let mut parts: Vec<String> = r
            .evidence
            .iter()
            .map(|&(v, s)| {
                let set = if r.forced.contains(&(v, s)) { " (decision set)" } else { "" };
                format!("{}{set}", label(r, v, s))
            })
            .collect();
        parts.extend(r.likelihood.iter().map(|(v, w)| format!("{}~{w:?}", r.variables[*v].name)));
        let _ = write!(out, "\nevidence: {}", parts.join(", "));
        if let Some(p) = r.posterior {
            let _ = write!(out, " (P(evidence) = {:.6e})", p.evidence_probability);
        }
    }
    out.push_str("\n\n");
    if let Some(p) = r.posterior {
        let mut t = Table::new(["variable", "state", "probability"]).align(2, Align::Right);
        for v in shown(r) {
            for (s, x) in p.marginals[v].iter().enumerate() {
                let name = if s == 0 { r.variables[v].name.as_str() } else { "" };
                t.row([name, &r.variables[v].states[s], &num(*x)]);
            }
        }
        out.push_str(&t.render());
    }
    if let Some(mpe) = r.mpe {
        let _ = writeln!(out, "\nmost probable explanation (P = {:.6e}):", mpe.probability);
        let mut t = Table::new(["variable", "state"]);
        for (v, &s) in mpe.states.iter().enumerate() {
            t.row([&r.variables[v].name, &r.variables[v].states[s]]);
        }
        out.push_str(&t.render());
    }
    if let Some(s) = r.solution {
        let _ = writeln!(out, "\nmaximum expected utility: {}", num(s.meu));
        let mut t =
            Table::new(["decision", "option", "expected utility", ""]).align(2, Align::Right);
        for d in &s.decisions {
            let var = &r.variables[d.node];
            for (o, x) in d.expected_utility.iter().enumerate() {
                let name = if o == 0 { var.name.as_str() } else { "" };
                t.row([name, &var.states[o], &num(*x), if o == d.best { "best" } else { "" }]);
            }
        }
        out.push_str(&t.render());
        if r.voi {
            if let Some(e) = s.evpi {
                let _ = writeln!(out, "\nexpected value of perfect information: {}", num(e));
            }
            let mut t = Table::new(["learn first", "EVPI"]).align(1, Align::Right);
            let mut rows: Vec<(usize, f64)> =
                s.evpi_by_node.iter().enumerate().filter_map(|(v, e)| e.map(|e| (v, e))).collect();
            rows.sort_by(|a, b| b.1.total_cmp(&a.1));
            for (v, e) in rows {
                t.row([r.variables[v].name.clone(), num(e)]);
            }
            if !t.is_empty() {
                out.push_str(&t.render());
            }
        }
    }
    if let Some((target, tor)) = r.tornado {
        let _ =
            writeln!(out, "\ntornado of {target} (base {}), largest swing first:", num(tor.base));
        let mut t = Table::new([
            "judgment",
            "low",
            "high",
            "target low",
            "target high",
            "swing",
            "threshold",
        ]);
        for k in 1..7 {
            t = t.align(k, Align::Right);
        }
        let opt = |x: Option<f64>| x.map_or_else(|| "-".to_string(), num);
        for b in tor.bars.iter().take(top) {
            t.row([
                parameter_name(r, &b.parameter),
                num(b.low),
                num(b.high),
                opt(b.target_low),
                opt(b.target_high),
                num(b.swing),
                opt(b.threshold),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

/// The bayes section of `statecraft run`: the headline probability, how it moves with each root
/// driver, the decisions' options by expected utility with EVPI, and the judgments that matter
/// most (the largest tornado bars of the maximum expected utility, with the value at which the
/// best option would change).
pub fn section(s: &BayesSummary) -> Doc {
    let mut doc = Doc::new();
    doc.append(headline_section(s));
    if let Some(sol) = &s.solution {
        doc.gap();
        doc.table(decision_table(s, sol));
        if let Some(line) = evpi_sentence(s, sol) {
            doc.para(line);
        }
    }
    if !s.tornado.is_empty() {
        doc.gap();
        doc.table(tornado_table(s));
    }
    doc
}

/// The headline probability, then what it would be given each state of each root driver.
fn headline_section(s: &BayesSummary) -> Doc {
    let mut doc = Doc::new();
    let vars = s.net.variables();
    let ids = &s.study.ids;
    let Some((v, st, p)) = s.headline else { return doc };
    doc.para(format!("P({} = {}) = {:.1}%", ids[v], vars[v].states[st], 100.0 * p));
    let given: Vec<(String, String)> = s
        .by_root
        .iter()
        .map(|(r, row)| {
            let parts: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(k, x)| match x {
                    Some(x) => format!("{} {:.1}%", vars[*r].states[k], 100.0 * x),
                    None => format!("{} -", vars[*r].states[k]),
                })
                .collect();
            (format!("given {}", ids[*r]), parts.join(", "))
        })
        .collect();
    doc.definitions(given);
    doc
}

/// Each decision's options by expected utility, the best one marked.
fn decision_table(s: &BayesSummary, sol: &Solution) -> Table {
    let vars = s.net.variables();
    let ids = &s.study.ids;
    let mut t = Table::new(["decision", "option", "expected utility", ""])
        .align(2, Align::Right)
        .caption("Each decision's options by expected utility");
    for d in &sol.decisions {
        for (o, x) in d.expected_utility.iter().enumerate() {
            let name = if o == 0 { ids[d.node].as_str() } else { "" };
            t.row([
                name,
                &vars[d.node].states[o],
                &format!("{x:.2}"),
                if o == d.best { "best" } else { "" },
            ]);
        }
    }
    t
}

/// The expected value of perfect information, and the three drivers most worth learning first.
fn evpi_sentence(s: &BayesSummary, sol: &Solution) -> Option<String> {
    let e = sol.evpi?;
    let mut by: Vec<(usize, f64)> =
        sol.evpi_by_node.iter().enumerate().filter_map(|(v, e)| e.map(|e| (v, e))).collect();
    by.sort_by(|a, b| b.1.total_cmp(&a.1));
    let parts: Vec<String> =
        by.iter().take(3).map(|(v, e)| format!("{} {e:.2}", s.study.ids[*v])).collect();
    Some(format!("EVPI {e:.2} (learning first: {})", parts.join(", ")))
}

/// The judgments whose range moves the maximum expected utility most, with where the best
/// option flips.
fn tornado_table(s: &BayesSummary) -> Table {
    let mut t = Table::new(["judgment", "MEU low", "MEU high", "swing", "flips at"]).caption(
        "The judgments that move the maximum expected utility (MEU) most, and where the best option changes",
    );
    for k in 1..5 {
        t = t.align(k, Align::Right);
    }
    for (name, lo, hi, swing, th) in &s.tornado {
        t.row([
            name.clone(),
            format!("{lo:.2}"),
            format!("{hi:.2}"),
            format!("{swing:.2}"),
            th.map_or_else(|| "-".to_string(), |x| format!("{x:.3}")),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use model::lens::bayes::{BayesStudy, summarise};

    #[test]
    fn korea_section_names_the_headline_and_the_decision() {
        let b = model::builtin::find("korea-2024").expect("built in");
        let loaded = model::builtin::load(b).expect("valid");
        let study = BayesStudy::from_scenario(&loaded.scenario).expect("maps");
        let text = super::section(&summarise(&study, 3).expect("solves")).text();
        assert!(text.starts_with("P(korean_war = korean) = "), "{text}");
        assert!(
            text.contains("given us_policy: ") && text.contains("seoul") && text.contains("EVPI"),
            "{text}"
        );
    }
}
