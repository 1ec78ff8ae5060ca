//! XMLBIF 0.3 (F. G. Cozman, "The Interchange Format for Bayesian Networks", XML version, 1998),
//! as written by pgmpy, GeNIe, Weka and pyAgrum (whose `.bifxml` influence diagrams use the same
//! tags with `TYPE="decision"` and `TYPE="utility"`).
//!
//! ```text
//! <BIF VERSION="0.3"><NETWORK><NAME>rain</NAME>
//!   <VARIABLE TYPE="nature"><NAME>wet</NAME><OUTCOME>yes</OUTCOME><OUTCOME>no</OUTCOME></VARIABLE>
//!   <DEFINITION><FOR>wet</FOR><GIVEN>rain</GIVEN><TABLE>0.9 0.1 0.2 0.8</TABLE></DEFINITION>
//! </NETWORK></BIF>
//! ```
//!
//! A `TABLE` lists the child's states fastest, then the parents' configurations with the last
//! `GIVEN` fastest: the row-major layout of [`engines::bayes::Cpt`]. `PROBABILITY` is accepted for
//! `DEFINITION` (the older tag). Rows not summing to 1 follow [`super::bif::RowSums`], as in BIF.
//! For an influence diagram, a decision's `GIVEN` are its informational parents, a utility's
//! `TABLE` holds one utility per parent configuration, and the decisions are taken in the
//! topological order of the graph (lowest declaration index first among ties).

use std::fmt::Write as _;

use engines::bayes::{BayesNet, Cpt, IdError, IdNode, InfluenceDiagram, Utility, Variable};
use quick_xml::Reader;
use quick_xml::events::Event;

use super::bif::{BifError, BifNetwork, RowSums, net_error, repair_rows};

/// An influence diagram read from XMLBIF, with its name and any repairs made.
#[derive(Debug, Clone)]
pub struct XmlDiagram {
    /// The network's name.
    pub name: String,
    /// The checked diagram.
    pub diagram: InfluenceDiagram,
    /// One line per repaired row.
    pub warnings: Vec<String>,
}

#[derive(Debug, Default)]
struct RawVariable {
    name: String,
    kind: String,
    outcomes: Vec<String>,
}

#[derive(Debug, Default)]
struct RawDefinition {
    child: String,
    given: Vec<String>,
    table: String,
    line: usize,
}

#[derive(Debug, Default)]
struct Raw {
    name: String,
    variables: Vec<RawVariable>,
    definitions: Vec<RawDefinition>,
}

fn syntax(text: &str, pos: u64, message: impl Into<String>) -> BifError {
    let upto = (pos as usize).min(text.len());
    let line = text.as_bytes()[..upto].iter().filter(|&&b| b == b'\n').count() + 1;
    BifError::Syntax { line, message: message.into() }
}

fn parse(text: &str) -> Result<Raw, BifError> {
    let mut reader = Reader::from_str(text);
    let mut raw = Raw { name: "unknown".into(), ..Raw::default() };
    let mut path: Vec<String> = Vec::new();
    let mut var: Option<RawVariable> = None;
    let mut def: Option<RawDefinition> = None;
    let mut buf = String::new();
    loop {
        let pos = reader.buffer_position();
        let event =
            reader.read_event().map_err(|e| syntax(text, pos, format!("malformed XML: {e}")))?;
        match event {
            Event::Start(e) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).to_ascii_uppercase();
                match tag.as_str() {
                    "VARIABLE" => {
                        let mut v = RawVariable { kind: "nature".into(), ..RawVariable::default() };
                        for a in e.attributes().flatten() {
                            if a.key.as_ref().eq_ignore_ascii_case(b"TYPE") {
                                v.kind = String::from_utf8_lossy(&a.value).to_ascii_lowercase();
                            }
                        }
                        var = Some(v);
                    }
                    "DEFINITION" | "PROBABILITY" => {
                        let line = text.as_bytes()[..(pos as usize).min(text.len())]
                            .iter()
                            .filter(|&&b| b == b'\n')
                            .count()
                            + 1;
                        def = Some(RawDefinition { line, ..RawDefinition::default() });
                    }
                    _ => {}
                }
                path.push(tag);
                buf.clear();
            }
            Event::Text(t) => {
                let s = t.xml_content().map_err(|e| syntax(text, pos, format!("bad text: {e}")))?;
                buf.push_str(&s);
            }
            Event::GeneralRef(r) => {
                // Entity references inside text (&amp; and friends).
                let name = String::from_utf8_lossy(r.as_ref()).to_string();
                buf.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::CData(t) => buf.push_str(&String::from_utf8_lossy(&t)),
            Event::End(_) => {
                let tag = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = buf.trim().to_string();
                match (parent, tag.as_str()) {
                    ("NETWORK", "NAME") => raw.name = value,
                    ("VARIABLE", "NAME") => {
                        if let Some(v) = var.as_mut() {
                            v.name = value;
                        }
                    }
                    ("VARIABLE", "OUTCOME") | ("VARIABLE", "VALUE") => {
                        if let Some(v) = var.as_mut() {
                            v.outcomes.push(value);
                        }
                    }
                    (_, "VARIABLE") => raw.variables.extend(var.take()),
                    (_, "FOR") => {
                        if let Some(d) = def.as_mut() {
                            d.child = value;
                        }
                    }
                    (_, "GIVEN") => {
                        if let Some(d) = def.as_mut() {
                            d.given.push(value);
                        }
                    }
                    (_, "TABLE") => {
                        if let Some(d) = def.as_mut() {
                            d.table = value;
                        }
                    }
                    (_, "DEFINITION") | (_, "PROBABILITY") => raw.definitions.extend(def.take()),
                    _ => {}
                }
                buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(raw)
}

/// What each declared variable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Chance,
    Decision,
    Utility,
}

/// A node's parents (declared indices), its numbers, and the line of its definition.
type Definition = (Vec<usize>, Vec<f64>, usize);

struct Resolved {
    name: String,
    /// Every declared node's name (utilities included).
    names: Vec<String>,
    variables: Vec<Variable>,
    kinds: Vec<Kind>,
    /// Per declared node: its parents (declared indices) and numbers, if defined.
    defs: Vec<Option<Definition>>,
    /// Declared index → variable index (chance and decision only).
    var_index: Vec<Option<usize>>,
}

fn resolve(raw: Raw) -> Result<Resolved, BifError> {
    let mut kinds = Vec::new();
    let mut variables = Vec::new();
    let mut var_index = Vec::new();
    for v in &raw.variables {
        let kind = match v.kind.as_str() {
            "decision" => Kind::Decision,
            "utility" => Kind::Utility,
            _ => Kind::Chance,
        };
        kinds.push(kind);
        if kind == Kind::Utility {
            var_index.push(None);
        } else {
            var_index.push(Some(variables.len()));
            variables.push(Variable { name: v.name.clone(), states: v.outcomes.clone() });
        }
    }
    let find = |n: &str, line: usize| {
        raw.variables
            .iter()
            .position(|v| v.name == n)
            .ok_or_else(|| BifError::UnknownVariable { line, name: n.to_string() })
    };
    let mut defs: Vec<Option<Definition>> = (0..raw.variables.len()).map(|_| None).collect();
    for d in &raw.definitions {
        let child = find(&d.child, d.line)?;
        let mut parents = Vec::with_capacity(d.given.len());
        for g in &d.given {
            let p = find(g, d.line)?;
            if kinds[p] == Kind::Utility {
                return Err(BifError::Syntax {
                    line: d.line,
                    message: format!("utility node `{g}` cannot be a parent"),
                });
            }
            parents.push(p);
        }
        let mut numbers = Vec::new();
        for w in d.table.split_whitespace() {
            match w.parse::<f64>() {
                Ok(x) => numbers.push(x),
                Err(_) => {
                    return Err(BifError::Syntax {
                        line: d.line,
                        message: format!("expected a number, found `{w}`"),
                    });
                }
            }
        }
        if defs[child].is_some() {
            return Err(BifError::Blocks { variable: d.child.clone(), blocks: 2 });
        }
        defs[child] = Some((parents, numbers, d.line));
    }
    let names = raw.variables.iter().map(|v| v.name.clone()).collect();
    Ok(Resolved { name: raw.name, names, variables, kinds, defs, var_index })
}

fn cpt_of(
    r: &Resolved,
    node: usize,
    rows: RowSums,
    warnings: &mut Vec<String>,
) -> Result<Cpt, BifError> {
    let v = r.var_index[node].unwrap_or(0);
    let name = &r.variables[v].name;
    let Some((parents, numbers, _)) = &r.defs[node] else {
        return Err(BifError::Blocks { variable: name.clone(), blocks: 0 });
    };
    let parents: Vec<usize> = parents.iter().filter_map(|&p| r.var_index[p]).collect();
    let mut table = numbers.clone();
    let expected = parents
        .iter()
        .try_fold(r.variables[v].states.len(), |a, &p| a.checked_mul(r.variables[p].states.len()))
        .ok_or_else(|| BifError::Net {
            variable: name.clone(),
            source: engines::bayes::NetError::TooLarge { node: v },
        })?;
    if table.len() != expected {
        return Err(BifError::Net {
            variable: name.clone(),
            source: engines::bayes::NetError::TableSize { node: v, expected, found: table.len() },
        });
    }
    repair_rows(&r.variables, v, &parents, &mut table, rows, warnings)?;
    Ok(Cpt { parents, table })
}

/// Reads an XMLBIF Bayesian network (every variable of type `nature`).
///
/// # Errors
/// A [`BifError`] for malformed XML, an unknown name, a missing or repeated definition, a
/// decision or utility node, a row not summing to 1, or a network the engine rejects.
pub fn read(text: &str, rows: RowSums) -> Result<BifNetwork, BifError> {
    let r = resolve(parse(text)?)?;
    if let Some(k) = r.kinds.iter().position(|&k| k != Kind::Chance) {
        return Err(BifError::Syntax {
            line: 1,
            message: format!(
                "`{}` is a decision or utility node: this file is an influence diagram",
                parse_name(&r, k)
            ),
        });
    }
    let mut warnings = Vec::new();
    let mut cpts = Vec::with_capacity(r.variables.len());
    for node in 0..r.kinds.len() {
        cpts.push(cpt_of(&r, node, rows, &mut warnings)?);
    }
    let net = BayesNet::new(r.variables.clone(), cpts).map_err(|e| net_error(&r.variables, e))?;
    Ok(BifNetwork { name: r.name, net, warnings })
}

fn parse_name(r: &Resolved, node: usize) -> String {
    r.names[node].clone()
}

/// Reads an XMLBIF influence diagram (pyAgrum's `.bifxml`): `nature`, `decision` and `utility`
/// variables.
///
/// # Errors
/// As [`read`], and a [`BifError::Syntax`] wrapping the diagram's own check (a cycle, a missing
/// utility).
pub fn read_diagram(text: &str, rows: RowSums) -> Result<XmlDiagram, BifError> {
    let r = resolve(parse(text)?)?;
    let mut warnings = Vec::new();
    let mut nodes = Vec::with_capacity(r.variables.len());
    let mut utilities = Vec::new();
    for (node, kind) in r.kinds.iter().enumerate() {
        match kind {
            Kind::Chance => nodes.push(IdNode::Chance(cpt_of(&r, node, rows, &mut warnings)?)),
            Kind::Decision => {
                let informational = r.defs[node]
                    .as_ref()
                    .map(|(ps, _, _)| ps.iter().filter_map(|&p| r.var_index[p]).collect())
                    .unwrap_or_default();
                nodes.push(IdNode::Decision { informational });
            }
            Kind::Utility => {
                let Some((parents, numbers, _)) = &r.defs[node] else {
                    return Err(BifError::Blocks { variable: r.names[node].clone(), blocks: 0 });
                };
                utilities.push(Utility {
                    name: r.names[node].clone(),
                    parents: parents.iter().filter_map(|&p| r.var_index[p]).collect(),
                    table: numbers.clone(),
                });
            }
        }
    }
    // Decisions in topological order.
    let parents: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| match n {
            IdNode::Chance(c) => c.parents.clone(),
            IdNode::Decision { informational } => informational.clone(),
        })
        .collect();
    let order = topo(&parents)
        .into_iter()
        .filter(|&v| matches!(nodes[v], IdNode::Decision { .. }))
        .collect();
    let diagram = InfluenceDiagram::new(r.variables.clone(), nodes, utilities, order)
        .map_err(|e| id_error(&r.variables, e))?;
    Ok(XmlDiagram { name: r.name, diagram, warnings })
}

/// Topological order, lowest index first among the ready nodes; nodes on a cycle are appended
/// (the diagram's constructor then reports the cycle).
fn topo(parents: &[Vec<usize>]) -> Vec<usize> {
    let n = parents.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n).find(|&v| !done[v] && parents[v].iter().all(|&p| done[p]));
        let v = next.unwrap_or_else(|| (0..n).find(|&v| !done[v]).unwrap_or(0));
        done[v] = true;
        order.push(v);
    }
    order
}

fn id_error(variables: &[Variable], e: IdError) -> BifError {
    match e {
        IdError::Net(inner) => net_error(variables, inner),
        other => BifError::Syntax { line: 1, message: other.to_string() },
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Writes a network as XMLBIF 0.3, every entry at full precision.
pub fn write(net_name: &str, net: &BayesNet) -> String {
    let mut out = String::from("<?xml version=\"1.0\"?>\n<BIF VERSION=\"0.3\">\n<NETWORK>\n");
    let _ = writeln!(out, "<NAME>{}</NAME>", escape(net_name));
    let vars = net.variables();
    for v in vars {
        let _ = writeln!(out, "<VARIABLE TYPE=\"nature\">\n  <NAME>{}</NAME>", escape(&v.name));
        for s in &v.states {
            let _ = writeln!(out, "  <OUTCOME>{}</OUTCOME>", escape(s));
        }
        let _ = writeln!(out, "</VARIABLE>");
    }
    for (c, cpt) in net.cpts().iter().enumerate() {
        let _ = writeln!(out, "<DEFINITION>\n  <FOR>{}</FOR>", escape(&vars[c].name));
        for &p in &cpt.parents {
            let _ = writeln!(out, "  <GIVEN>{}</GIVEN>", escape(&vars[p].name));
        }
        let nums: Vec<String> = cpt.table.iter().map(|x| format!("{x:?}")).collect();
        let _ = writeln!(out, "  <TABLE>{}</TABLE>\n</DEFINITION>", nums.join(" "));
    }
    out.push_str("</NETWORK>\n</BIF>\n");
    out
}

// The tests of both readers (BIF and XMLBIF) and the reference tests against pgmpy and pyAgrum.
#[cfg(test)]
#[path = "bif/tests.rs"]
mod tests;
