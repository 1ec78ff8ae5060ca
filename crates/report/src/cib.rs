//! Rendering of a Cross-Impact Balance analysis: a terminal table, the JSON body of
//! `statecraft cib --format json`, a ScenarioWizard solution list, and a short section for
//! `statecraft run`. Nothing here computes analysis: it formats what `engines::cib` returned.
//!
//! # JSON schema (the `result` of the envelope, `"lens": "cib"`)
//! Scenarios are listed by decreasing total impact score (ties by variants). Variant numbers in
//! `"numbers"` count from 1, as ScenarioWizard does. `weight` is the scenario's basin under the
//! succession that ran (`null` without succession); `succession` is `null` when none ran, and
//! `ensemble` and `sensitivity` are `null` unless asked for.
//! ```json
//! {
//!   "descriptors": [{"name": "WTRD", "variants": ["FT", "Ntl", "Mix"]}],
//!   "space": "36",
//!   "space_log10": 1.556,
//!   "method": "branch_and_bound",
//!   "tolerance": 0,
//!   "fixed": [{"descriptor": "WTRD", "variant": "FT"}],
//!   "nodes": 21,
//!   "scenarios": [
//!     {"variants": ["Ntl", "Alrt", "Stag"], "numbers": [2, 3, 2],
//!      "ic": 0, "cv": 0, "tis": 15, "weight": 4}
//!   ],
//!   "succession": {
//!     "rule": "global", "starts": 36, "exact": true,
//!     "attractors": [
//!       {"kind": "cycle", "basin": 17,
//!        "members": [["FT", "Mod", "Stag"], ["Ntl", "Mod", "ModGr"]]}
//!     ]
//!   },
//!   "ensemble": {"members": 3, "tallies": [{"variants": ["Ntl", "Alrt", "Stag"], "count": 2, "share": 0.667}]},
//!   "sensitivity": {"samples": 200, "tallies": [{"variants": ["Ntl", "Alrt", "Stag"], "count": 180, "share": 0.9}]}
//! }
//! ```

use std::fmt::Write as _;

use analysis::cib::{CibAnalysis, SuccessionSummary};
use engines::cib::{
    AttractorKind, CibMatrix, EnsembleResult, Method, SensitivityResult, Solution, SuccessionRule,
    Tally,
};
use serde_json::{Value, json};

use crate::doc::Doc;
use crate::table::{Align, Table};

/// Everything one CIB analysis produced, ready to render.
#[derive(Debug, Clone, Copy)]
pub struct CibFindings<'a> {
    /// What was analysed (a path or a scenario name).
    pub source: &'a str,
    /// The matrix.
    pub matrix: &'a CibMatrix,
    /// The IC tolerance used.
    pub tolerance: u32,
    /// The search method used.
    pub method: Method,
    /// The interventions, (descriptor, variant).
    pub fixed: &'a [(usize, usize)],
    /// The scenarios found.
    pub solution: &'a Solution,
    /// The succession run, if any.
    pub succession: Option<&'a SuccessionSummary>,
    /// The ensemble tallies, if any.
    pub ensemble: Option<&'a EnsembleResult>,
    /// The sensitivity tallies, if any.
    pub sensitivity: Option<&'a SensitivityResult>,
}

impl<'a> CibFindings<'a> {
    /// The findings of one analysis, with what to call its source.
    pub fn of(source: &'a str, a: &'a CibAnalysis) -> CibFindings<'a> {
        CibFindings {
            source,
            matrix: &a.matrix,
            tolerance: a.tolerance,
            method: a.method,
            fixed: &a.fixed,
            solution: &a.solution,
            succession: a.succession.as_ref(),
            ensemble: a.ensemble.as_ref(),
            sensitivity: a.sensitivity.as_ref(),
        }
    }

    /// The variant of each descriptor, by name.
    pub(crate) fn names(&self, variants: &[usize]) -> Vec<String> {
        self.matrix
            .descriptors()
            .iter()
            .zip(variants)
            .map(|(d, &v)| d.variants.get(v).cloned().unwrap_or_default())
            .collect()
    }

    fn label(&self, variants: &[usize]) -> String {
        self.matrix
            .descriptors()
            .iter()
            .zip(variants)
            .map(|(d, &v)| format!("{}={}", d.name, d.variants.get(v).map_or("?", String::as_str)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// How many succession starts end in the scenario, when succession ran.
    pub(crate) fn weight(&self, variants: &[usize]) -> Option<u64> {
        self.succession.map(|s| s.result.basin_of(variants).unwrap_or(0))
    }

    /// The scenarios by decreasing TIS, ties by variants.
    pub(crate) fn ranked(&self) -> Vec<&engines::cib::Solved> {
        let mut v: Vec<_> = self.solution.scenarios.iter().collect();
        v.sort_by(|a, b| b.tis.cmp(&a.tis).then_with(|| a.variants.cmp(&b.variants)));
        v
    }
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::BranchAndBound => "branch_and_bound",
        Method::Exhaustive => "exhaustive",
    }
}

fn rule_name(r: SuccessionRule) -> &'static str {
    match r {
        SuccessionRule::Global => "global",
        SuccessionRule::Local => "local",
    }
}

fn space_text(m: &CibMatrix) -> String {
    m.space_size().map_or_else(|| format!("10^{:.1}", m.space_log10()), |s| s.to_string())
}

/// The JSON body of `statecraft cib --format json` (schema in the module documentation).
pub fn json(f: &CibFindings<'_>) -> Value {
    let ds = f.matrix.descriptors();
    let tallies = |t: &[Tally]| -> Vec<Value> {
        t.iter()
            .map(|x| json!({"variants": f.names(&x.variants), "count": x.count, "share": x.share}))
            .collect()
    };
    json!({
        "descriptors": ds.iter().map(|d| json!({"name": d.name, "variants": d.variants})).collect::<Vec<_>>(),
        "space": space_text(f.matrix),
        "space_log10": f.matrix.space_log10(),
        "method": method_name(f.method),
        "tolerance": f.tolerance,
        "fixed": f.fixed.iter().map(|&(d, v)| json!({
            "descriptor": ds[d].name, "variant": ds[d].variants[v]
        })).collect::<Vec<_>>(),
        "nodes": f.solution.nodes,
        "scenarios": f.ranked().iter().map(|x| json!({
            "variants": f.names(&x.variants),
            "numbers": x.variants.iter().map(|v| v + 1).collect::<Vec<_>>(),
            "ic": x.ic, "cv": x.cv, "tis": x.tis,
            "weight": f.weight(&x.variants),
        })).collect::<Vec<_>>(),
        "succession": f.succession.map(|s| json!({
            "rule": rule_name(s.rule),
            "starts": s.result.starts,
            "exact": s.result.exact,
            "attractors": s.result.attractors.iter().map(|a| json!({
                "kind": match a.kind { AttractorKind::FixedPoint => "fixed_point", AttractorKind::Cycle => "cycle" },
                "basin": a.basin,
                "members": a.members.iter().map(|m| f.names(m)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
        "ensemble": f.ensemble.map(|e| json!({"members": e.members, "tallies": tallies(&e.tallies)})),
        "sensitivity": f.sensitivity.map(|s| json!({"samples": s.samples, "tallies": tallies(&s.tallies)})),
    })
}

/// The terminal rendering: a summary line, the scenarios by TIS with their weights, the cycles,
/// and the ensemble and sensitivity tallies when present.
pub fn table(f: &CibFindings<'_>) -> String {
    let mut out = String::new();
    let m = f.matrix;
    let _ = writeln!(
        out,
        "{}: {} descriptors, {} scenarios; {} with IC <= {} ({}, {} nodes visited)",
        f.source,
        m.descriptor_count(),
        space_text(m),
        f.solution.scenarios.len(),
        f.tolerance,
        method_name(f.method).replace('_', "-"),
        f.solution.nodes
    );
    if !f.fixed.is_empty() {
        let fixed: Vec<String> = f
            .fixed
            .iter()
            .map(|&(d, v)| {
                format!("{}={}", m.descriptors()[d].name, m.descriptors()[d].variants[v])
            })
            .collect();
        let _ = writeln!(out, "interventions: {}", fixed.join(", "));
    }
    if let Some(s) = f.succession {
        let cycles: Vec<_> =
            s.result.attractors.iter().filter(|a| a.kind == AttractorKind::Cycle).collect();
        let in_cycles: u64 = cycles.iter().map(|a| a.basin).sum();
        let _ = writeln!(
            out,
            "{} succession from {} {} starts: {} in cycles ({} cycle{})",
            rule_name(s.rule),
            if s.result.exact { "all" } else { "a sample of" },
            s.result.starts,
            in_cycles,
            cycles.len(),
            if cycles.len() == 1 { "" } else { "s" }
        );
    }
    out.push('\n');
    let mut t = Table::new(["#", "scenario", "IC", "CV", "TIS", "weight"])
        .align(0, Align::Right)
        .align(2, Align::Right)
        .align(3, Align::Right)
        .align(4, Align::Right)
        .align(5, Align::Right);
    for (k, x) in f.ranked().iter().enumerate() {
        t.row([
            (k + 1).to_string(),
            f.label(&x.variants),
            x.ic.to_string(),
            x.cv.to_string(),
            x.tis.to_string(),
            f.weight(&x.variants).map_or_else(|| "-".into(), |w| w.to_string()),
        ]);
    }
    if t.is_empty() {
        out.push_str("no scenario qualifies; try a larger --ic\n");
    } else {
        out.push_str(&t.render());
    }
    if let Some(s) = f.succession {
        for a in s.result.attractors.iter().filter(|a| a.kind == AttractorKind::Cycle) {
            let members: Vec<String> = a.members.iter().map(|x| f.label(x)).collect();
            let _ = writeln!(out, "\ncycle ({} starts): {}", a.basin, members.join(" -> "));
        }
    }
    let tally_table = |title: &str, total: String, t: &[Tally]| -> String {
        let mut tb = Table::new(["scenario", "count", "share"])
            .align(1, Align::Right)
            .align(2, Align::Right);
        for x in t {
            tb.row([f.label(&x.variants), x.count.to_string(), format!("{:.3}", x.share)]);
        }
        format!("\n{title} ({total})\n{}", tb.render())
    };
    if let Some(e) = f.ensemble {
        out.push_str(&tally_table(
            "ensemble: members finding each scenario consistent",
            format!("{} members", e.members),
            &e.tallies,
        ));
    }
    if let Some(s) = f.sensitivity {
        out.push_str(&tally_table(
            "sensitivity: samples in which each scenario stays consistent",
            format!("{} samples", s.samples),
            &s.tallies,
        ));
    }
    out
}

/// The scenarios as a ScenarioWizard `.sl` solution list, in ScenarioWizard's order (largest
/// weight first, then by TIS), with the succession weights when they were computed.
pub fn solution_list(f: &CibFindings<'_>) -> String {
    let mut entries: Vec<model::formats::scw::SlEntry> = f
        .solution
        .scenarios
        .iter()
        .map(|x| model::formats::scw::SlEntry {
            variants: x.variants.clone(),
            weight: f.weight(&x.variants).unwrap_or(0),
            cv: x.cv,
            ic: x.ic,
            tis: x.tis,
        })
        .collect();
    entries.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| b.tis.cmp(&a.tis))
            .then_with(|| a.variants.cmp(&b.variants))
    });
    model::formats::scw::write_sl(&entries)
}

/// A short section for `statecraft run`: how many futures are consistent, what they share,
/// what tells them apart (for each state of the first descriptor that varies, the states of the
/// others it admits), and a table with one column per varying descriptor, ranked by TIS.
pub fn section(f: &CibFindings<'_>) -> Doc {
    let mut doc = Doc::new();
    doc.title("Cross-Impact Balance: which futures are self-consistent");
    let ds = f.matrix.descriptors();
    let ranked = f.ranked();
    doc.para(format!(
        "{} of {} combinations of driver states are consistent{}.",
        ranked.len(),
        space_text(f.matrix),
        if f.tolerance > 0 { format!(" within IC {}", f.tolerance) } else { String::new() }
    ));
    if ranked.is_empty() {
        return doc;
    }
    // Which variants of each descriptor occur among the consistent futures.
    let seen: Vec<Vec<usize>> = (0..ds.len())
        .map(|j| {
            let mut v: Vec<usize> = ranked.iter().map(|x| x.variants[j]).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let fixed: Vec<String> = (0..ds.len())
        .filter(|&j| seen[j].len() == 1)
        .map(|j| format!("{}={}", ds[j].name, ds[j].variants[seen[j][0]]))
        .collect();
    if !fixed.is_empty() {
        doc.para(format!("In every one: {}.", fixed.join(", ")));
    }
    let varying: Vec<usize> = (0..ds.len()).filter(|&j| seen[j].len() > 1).collect();
    for line in admits(f, &ranked, &seen, &varying) {
        doc.para(line);
    }
    doc.table(futures_table(f, &ranked, &varying));
    if let Some(line) = cycles_sentence(f) {
        doc.para(line);
    }
    doc
}

/// For each state of the first varying descriptor, the states of the other varying ones that
/// occur with it among the consistent futures: `war=stalemate admits rok=status_quo|arms.`
fn admits(
    f: &CibFindings<'_>,
    ranked: &[&engines::cib::Solved],
    seen: &[Vec<usize>],
    varying: &[usize],
) -> Vec<String> {
    let ds = f.matrix.descriptors();
    let Some((&first, rest)) = varying.split_first() else { return Vec::new() };
    seen[first]
        .iter()
        .map(|&v| {
            let with: Vec<String> = rest
                .iter()
                .map(|&j| {
                    let mut states: Vec<&str> = ranked
                        .iter()
                        .filter(|x| x.variants[first] == v)
                        .map(|x| ds[j].variants[x.variants[j]].as_str())
                        .collect();
                    states.sort_unstable();
                    states.dedup();
                    format!("{}={}", ds[j].name, states.join("|"))
                })
                .collect();
            format!("{}={} admits {}.", ds[first].name, ds[first].variants[v], with.join(", "))
        })
        .collect()
}

/// The consistent futures by TIS, with their succession weight and one column per descriptor
/// that varies among them.
fn futures_table(
    f: &CibFindings<'_>,
    ranked: &[&engines::cib::Solved],
    varying: &[usize],
) -> Table {
    let ds = f.matrix.descriptors();
    let mut header = vec!["#".to_string(), "TIS".into(), "weight".into()];
    header.extend(varying.iter().map(|&j| ds[j].name.clone()));
    let mut t = Table::new(header)
        .align(0, Align::Right)
        .align(1, Align::Right)
        .align(2, Align::Right)
        .caption("The self-consistent futures, by total impact score (TIS)");
    for (k, x) in ranked.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            x.tis.to_string(),
            f.weight(&x.variants).map_or_else(|| "-".into(), |w| w.to_string()),
        ];
        row.extend(varying.iter().map(|&j| ds[j].variants[x.variants[j]].clone()));
        t.row(row);
    }
    t
}

/// How many starts of the succession end in cycles rather than a consistent future, when any do.
fn cycles_sentence(f: &CibFindings<'_>) -> Option<String> {
    let s = f.succession?;
    let cycles = s.result.attractors.iter().filter(|a| a.kind == AttractorKind::Cycle);
    let (count, starts) = cycles.fold((0, 0), |(c, n), a| (c + 1, n + a.basin));
    (count > 0).then(|| {
        format!(
            "{starts} of {} starts of {} succession end in {count} cycle(s) rather than a consistent future.",
            s.result.starts,
            rule_name(s.rule)
        )
    })
}

#[cfg(test)]
mod tests {
    use engines::cib::{Descriptor, SolveOptions, Starts, SuccessionOptions, solve, succession};

    use super::*;

    fn findings_text(format: fn(&CibFindings<'_>) -> String) -> String {
        let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
        let m = CibMatrix::new(
            vec![d("A"), d("B")],
            vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
        )
        .unwrap();
        let o = SolveOptions {
            method: Method::BranchAndBound,
            tolerance: 0,
            fixed: vec![],
            max_scenarios: 10,
        };
        let s = solve(&m, &o).unwrap();
        let so =
            SuccessionOptions { rule: SuccessionRule::Global, starts: Starts::All, fixed: vec![] };
        let g = SuccessionSummary {
            rule: SuccessionRule::Global,
            result: succession(&m, &so).unwrap(),
        };
        let f = CibFindings {
            source: "ab.scw",
            matrix: &m,
            tolerance: 0,
            method: Method::BranchAndBound,
            fixed: &[],
            solution: &s,
            succession: Some(&g),
            ensemble: None,
            sensitivity: None,
        };
        format(&f)
    }

    #[test]
    fn table_snapshot() {
        assert_eq!(
            findings_text(table),
            "ab.scw: 2 descriptors, 4 scenarios; 2 with IC <= 0 (branch-and-bound, 6 nodes visited)
global succession from all 4 starts: 2 in cycles (1 cycle)

#  scenario   IC  CV  TIS  weight
-  ---------  --  --  ---  ------
1  A=lo B=lo   0   2    3       1
2  A=hi B=hi   0   2    3       1

cycle (2 starts): A=lo B=hi -> A=hi B=lo
"
        );
    }

    #[test]
    fn section_snapshot() {
        assert_eq!(
            findings_text(|f| section(f).text()),
            "Cross-Impact Balance: which futures are self-consistent
2 of 4 combinations of driver states are consistent.
A=lo admits B=lo.
A=hi admits B=hi.
#  TIS  weight  A   B
-  ---  ------  --  --
1    3       1  lo  lo
2    3       1  hi  hi
2 of 4 starts of global succession end in 1 cycle(s) rather than a consistent future.
"
        );
    }

    #[test]
    fn solution_list_snapshot() {
        assert_eq!(
            findings_text(solution_list),
            "$ ScenarioWizard 3.0\nSolution set\n 2 \n\n\" 1 1\",1,2,0,3,\"\"\n\" 2 2\",1,2,0,3,\"\"\n"
        );
    }
}
