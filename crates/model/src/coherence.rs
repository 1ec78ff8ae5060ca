//! Coherence: where two lenses of one scenario describe the same relation differently. These
//! are warnings, not errors: every lens still runs, but a reader comparing their results would
//! be comparing unlike things without knowing it.
//!
//! The static checks here need no lens results; they compare the cross impacts (CIB) with the
//! Bayesian network's parents and CPTs:
//!
//! - `statecraft::link_not_in_network`: a cross impact `from → to` between two drivers of the
//!   network with no directed path from `from` to `to` in the network (a decision's arcs count:
//!   a driver it observes or awaits reaches the drivers the decision is a parent of), unless the
//!   cross impact says why in `not_in_network`;
//! - `statecraft::edge_without_impact`: a network parent that is a driver, with no cross impact
//!   from it to its child (only when the scenario has cross impacts);
//! - `statecraft::sign_conflict`: a network edge whose CPT moves a child state the other way from
//!   its cross impact: two states `a`, `b` of the parent that the cross impact separates by at
//!   least [`SIGN_IMPACT_GAP`] points on a child state `j`, while the CPT's probability of `j`
//!   (averaged over the other parents' states) differs by more than [`SIGN_PROBABILITY_GAP`] in
//!   the opposite direction;
//! - `statecraft::unlike_terms`: a driver in the cross impacts that the network makes a copy of
//!   a decision (every CPT row puts all its mass on one state, and rows that differ only in the
//!   decision's option differ in that state): CIB treats as a free descriptor what the network
//!   sets by choice, so their futures compare a free posture with a chosen one;
//! - `statecraft::opposite_citations`: one passage (the same `source` and, to the letter, the
//!   same `locator`) cited for two judgments that say opposite things about one relation: one
//!   has a state `a` of a cause favour a state `j` of its effect over a state `b`, the other has
//!   `b` favour `j` over `a`. A cross-impact block says so when its rows for `a` and `b` are at
//!   least [`SIGN_IMPACT_GAP`] apart on `j`; a CPT row (the cause one of its parents) says so
//!   when its probability of `j` differs by more than [`SIGN_PROBABILITY_GAP`] from that of the
//!   row that differs from it only in the cause's state. The warning sits on the later
//!   judgment's `locator` and points at the earlier one; one passage cannot support both, so a
//!   judgment or a citation is wrong. This check runs whether or not the scenario has cross
//!   impacts, since two CPT rows can conflict on their own.
//!
//! The check that needs lens results (an ACH hypothesis far from the probability of its mapped
//! driver state) is in `analysis::coherence`.
//!
//! Reference: the two lenses' own conventions are those of Weimer-Jehle (2006), "Cross-impact
//! balances", *Technological Forecasting and Social Change* 73(4):334–361 (a positive impact
//! promotes a state), and of a CPT (a larger probability is a promotion); the checks compare
//! signs only, never magnitudes, because the scales are incommensurable.

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Severity};
use crate::load::{Seg, Spans, path_string};
use crate::scenario::Scenario;

/// How far apart (in impact points, on the −3…+3 scale) a cross impact must put two parent
/// states' effect on one child state before a CPT that orders them the other way is a conflict.
/// 2 leaves out the one-point nuances of a judged matrix.
pub const SIGN_IMPACT_GAP: i64 = 2;

/// How far the CPT must order the same two parent states the other way (in probability,
/// averaged over the other parents' states) for a conflict: 0.02 ignores rounding in the
/// judged tables.
pub const SIGN_PROBABILITY_GAP: f64 = 0.02;

/// Every coherence warning of a valid scenario: the checks between cross impacts and the
/// network, in file order of the cross impacts and drivers, then the opposite citations.
pub fn check(s: &Scenario, spans: &Spans<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if s.cross_impacts.is_empty() {
        return opposite_citations(s, spans);
    }
    let in_net =
        |id: &str| s.drivers.iter().any(|d| d.id == id && (d.prior.is_some() || !d.cpt.is_empty()));
    let reaches = |from: &str, to: &str| reaches(s, from, to);
    for (i, c) in s.cross_impacts.iter().enumerate() {
        if !(in_net(&c.from) && in_net(&c.to)) || c.not_in_network.is_some() {
            continue;
        }
        if !reaches(&c.from, &c.to) {
            out.push(
                Warning {
                    code: "statecraft::link_not_in_network",
                    path: &[Seg::Key("cross_impact"), Seg::Index(i), Seg::Key("to")],
                    message: format!(
                        "the cross impact {} → {} has no path in the Bayesian network",
                        c.from, c.to
                    ),
                    label: "no network path",
                    note: format!(
                        "CIB lets `{}` act on `{}`, but no chain of parents carries it there in the network, so the two lenses model different causes",
                        c.from, c.to
                    ),
                    help: format!(
                        "add `{}` (or a driver it acts on) to the parents of `{}` with CPT rows, or say in the cross impact's `not_in_network` why the network leaves it out",
                        c.from, c.to
                    ),
                }
                .diagnostic(spans),
            );
        }
    }
    for (di, d) in s.drivers.iter().enumerate() {
        for (k, p) in d.parents.iter().enumerate() {
            if !s.drivers.iter().any(|x| x.id == *p) {
                continue; // a decision
            }
            let path = [Seg::Key("driver"), Seg::Index(di), Seg::Key("parents"), Seg::Index(k)];
            let Some(ci) = s.cross_impacts.iter().position(|c| c.from == *p && c.to == d.id) else {
                out.push(
                    Warning {
                        code: "statecraft::edge_without_impact",
                        path: &path,
                        message: format!("the network edge {p} → {} has no cross impact", d.id),
                        label: "no cross impact",
                        note: format!(
                            "the network lets `{p}` act on `{}`, but the cross impacts do not, so CIB's consistent futures ignore a cause the network weighs",
                            d.id
                        ),
                        help: format!(
                            "add a `[[cross_impact]]` from `{p}` to `{}` that says how each state of `{p}` promotes or restricts each state of `{}`",
                            d.id, d.id
                        ),
                    }
                    .diagnostic(spans),
                );
                continue;
            };
            if let Some(conflict) = sign_conflict(s, di, k, ci) {
                let mut w = Warning {
                    code: "statecraft::sign_conflict",
                    path: &[Seg::Key("cross_impact"), Seg::Index(ci), Seg::Key("impacts")],
                    message: format!(
                        "the cross impact {p} → {} and the CPT of `{}` disagree on which of {p} = {} and {p} = {} favours {}.{}",
                        d.id, d.id, conflict.a, conflict.b, d.id, conflict.state
                    ),
                    label: "promotes it more",
                    note: format!(
                        "the cross impact rates {p} = {} {} points above {p} = {} for {}.{}, but the CPT gives it {:.2} against {:.2}",
                        conflict.a,
                        conflict.impact_gap,
                        conflict.b,
                        d.id,
                        conflict.state,
                        conflict.p_a,
                        conflict.p_b
                    ),
                    help: "correct whichever judgment is wrong, so that both lenses order the parent's states the same way".into(),
                }
                .diagnostic(spans);
                w.related.push((spans.value(&path), "the CPT says the opposite".into()));
                out.push(w);
            }
        }
    }
    let decisions: Vec<&str> = s.decisions.iter().map(|d| d.id.as_str()).collect();
    let in_cib: BTreeSet<&str> =
        s.cross_impacts.iter().flat_map(|c| [c.from.as_str(), c.to.as_str()]).collect();
    for (di, d) in s.drivers.iter().enumerate() {
        if !in_cib.contains(d.id.as_str()) {
            continue;
        }
        let Some(dec) = d.parents.iter().find(|p| decisions.contains(&p.as_str())) else {
            continue;
        };
        if copies_decision(d, dec) {
            out.push(
                Warning {
                    code: "statecraft::unlike_terms",
                    path: &[Seg::Key("driver"), Seg::Index(di), Seg::Key("cpt")],
                    message: format!(
                        "driver `{}` is a copy of decision `{dec}`, yet a free descriptor of the cross impacts",
                        d.id
                    ),
                    label: "determined by the decision",
                    note: format!(
                        "the network sets `{}` by the choice `{dec}`, while CIB lets it vary freely, so comparing their futures sets a chosen option against a free one",
                        d.id
                    ),
                    help: format!(
                        "make `{}` what is carried out (rows that leave some chance of falling short), or leave it out of the cross impacts",
                        d.id
                    ),
                }
                .diagnostic(spans),
            );
        }
    }
    out.extend(opposite_citations(s, spans));
    out
}

/// One coherence warning before it is placed in the source: what every check fills in.
struct Warning<'p> {
    code: &'static str,
    path: &'p [Seg<'p>],
    message: String,
    label: &'static str,
    note: String,
    help: String,
}

impl Warning<'_> {
    /// The warning as a diagnostic whose primary label is on the value at its path.
    fn diagnostic(self, spans: &Spans<'_>) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, self.message);
        d.severity = Severity::Warning;
        d.path = path_string(self.path);
        d.primary = Some((spans.value(self.path), self.label.to_owned()));
        d.note = Some(self.note);
        d.help = Some(self.help);
        d
    }
}

/// Whether the network has a directed path from driver `from` to driver `to`: through drivers'
/// parents, and through a decision from a driver it observes or awaits to the drivers it is a
/// parent of.
pub fn reaches(s: &Scenario, from: &str, to: &str) -> bool {
    let children = |v: &str| -> Vec<&str> {
        let mut c: Vec<&str> = s
            .drivers
            .iter()
            .filter(|d| d.parents.iter().any(|p| p == v))
            .map(|d| d.id.as_str())
            .collect();
        c.extend(
            s.decisions
                .iter()
                .filter(|d| d.observes.iter().chain(&d.awaits).any(|o| o == v))
                .map(|d| d.id.as_str()),
        );
        c
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut stack = children(from);
    while let Some(v) = stack.pop() {
        if v == to {
            return true;
        }
        if !seen.contains(&v) {
            seen.push(v);
            stack.extend(children(v));
        }
    }
    false
}

/// A sign conflict between a cross impact and a CPT on one parent.
struct Conflict<'s> {
    a: &'s str,
    b: &'s str,
    state: &'s str,
    impact_gap: i64,
    p_a: f64,
    p_b: f64,
}

/// The first sign conflict between cross impact `ci` and the CPT of driver `di` on its `k`-th
/// parent, as the module documentation defines it.
fn sign_conflict(s: &Scenario, di: usize, k: usize, ci: usize) -> Option<Conflict<'_>> {
    let d = &s.drivers[di];
    let parent = s.drivers.iter().find(|x| x.id == d.parents[k])?;
    let impacts = s.cross_impacts[ci].impacts.rows();
    // The CPT's probability of each child state for each parent state, averaged over the rows.
    let mut mean = vec![vec![0.0; d.states.len()]; parent.states.len()];
    let mut count = vec![0usize; parent.states.len()];
    for row in &d.cpt {
        let a = parent.states.iter().position(|x| Some(x) == row.when.get(&parent.id))?;
        count[a] += 1;
        for (m, p) in mean[a].iter_mut().zip(&row.p) {
            *m += p;
        }
    }
    for (m, &n) in mean.iter_mut().zip(&count) {
        if n == 0 {
            return None;
        }
        m.iter_mut().for_each(|x| *x /= n as f64);
    }
    for a in 0..parent.states.len() {
        for b in 0..parent.states.len() {
            for (j, state) in d.states.iter().enumerate() {
                let gap = impacts.get(a)?.get(j)? - impacts.get(b)?.get(j)?;
                if gap >= SIGN_IMPACT_GAP && mean[b][j] - mean[a][j] > SIGN_PROBABILITY_GAP {
                    return Some(Conflict {
                        a: &parent.states[a],
                        b: &parent.states[b],
                        state,
                        impact_gap: gap,
                        p_a: mean[a][j],
                        p_b: mean[b][j],
                    });
                }
            }
        }
    }
    None
}

/// Whether the CPT of `d` makes it a copy of decision `dec`: every row puts all its mass on one
/// state, and two rows that differ only in the decision's option put it on different states.
fn copies_decision(d: &crate::scenario::Driver, dec: &str) -> bool {
    let certain = |p: &[f64]| p.iter().position(|&x| x >= 1.0 - engines::prec::PROB_SUM);
    if d.cpt.is_empty() || d.cpt.iter().any(|r| certain(&r.p).is_none()) {
        return false;
    }
    d.cpt.iter().any(|r| {
        d.cpt.iter().any(|o| {
            o.when.iter().all(|(k, v)| k == dec || r.when.get(k) == Some(v))
                && o.when.get(dec) != r.when.get(dec)
                && certain(&o.p) != certain(&r.p)
        })
    })
}

/// One judgment that cites a source: a whole cross-impact block, or one CPT row.
#[derive(Clone, Copy, PartialEq)]
enum Judgment {
    /// `cross_impact[i]`.
    Impact(usize),
    /// `driver[d].cpt[r]`.
    Row(usize, usize),
}

impl Judgment {
    /// The key path of the judgment's `locator`.
    fn locator_path(self) -> Vec<Seg<'static>> {
        match self {
            Judgment::Impact(i) => {
                vec![Seg::Key("cross_impact"), Seg::Index(i), Seg::Key("locator")]
            }
            Judgment::Row(d, r) => vec![
                Seg::Key("driver"),
                Seg::Index(d),
                Seg::Key("cpt"),
                Seg::Index(r),
                Seg::Key("locator"),
            ],
        }
    }

    /// The judgment in words, for a note.
    fn describe(self, s: &Scenario) -> String {
        match self {
            Judgment::Impact(i) => {
                let c = &s.cross_impacts[i];
                format!("the cross impact {} → {}", c.from, c.to)
            }
            Judgment::Row(d, r) => {
                let when: Vec<String> =
                    s.drivers[d].cpt[r].when.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("the CPT row of `{}` when {}", s.drivers[d].id, when.join(", "))
            }
        }
    }
}

/// What a cited judgment says about one comparison of a relation: with `from` in state `a`
/// rather than state `b`, state `j` of `to` is favoured.
struct Direction<'s> {
    judgment: Judgment,
    source: &'s str,
    locator: &'s str,
    from: &'s str,
    to: &'s str,
    a: &'s str,
    b: &'s str,
    j: &'s str,
}

/// The states of a driver, or the options of a decision.
fn states_of<'s>(s: &'s Scenario, id: &str) -> Option<&'s [String]> {
    s.drivers
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.states.as_slice())
        .or_else(|| s.decisions.iter().find(|d| d.id == id).map(|d| d.options.as_slice()))
}

/// Every direction a judgment with both a `source` and a `locator` gives, in file order of the
/// judgments: a cross impact's pairs of rows at least [`SIGN_IMPACT_GAP`] apart on a child
/// state, and a CPT row's differences of more than [`SIGN_PROBABILITY_GAP`] from each row that
/// differs from it in one parent's state only.
fn directions(s: &Scenario) -> Vec<Direction<'_>> {
    let mut out = Vec::new();
    for (di, d) in s.drivers.iter().enumerate() {
        for (ri, row) in d.cpt.iter().enumerate() {
            let (Some(source), Some(locator)) = (&row.source, &row.locator) else { continue };
            for (from, a) in &row.when {
                let neighbours = d.cpt.iter().filter(|o| {
                    o.when.get(from) != Some(a)
                        && o.when.iter().all(|(k, v)| k == from || row.when.get(k) == Some(v))
                });
                for other in neighbours {
                    let Some(b) = other.when.get(from) else { continue };
                    for ((j, p), q) in d.states.iter().zip(&row.p).zip(&other.p) {
                        let (a, b) = if p - q > SIGN_PROBABILITY_GAP {
                            (a, b)
                        } else if q - p > SIGN_PROBABILITY_GAP {
                            (b, a)
                        } else {
                            continue;
                        };
                        out.push(Direction {
                            judgment: Judgment::Row(di, ri),
                            source,
                            locator,
                            from,
                            to: &d.id,
                            a,
                            b,
                            j,
                        });
                    }
                }
            }
        }
    }
    for (i, c) in s.cross_impacts.iter().enumerate() {
        let (Some(source), Some(locator)) = (&c.source, &c.locator) else { continue };
        let (Some(from), Some(to)) = (states_of(s, &c.from), states_of(s, &c.to)) else {
            continue;
        };
        let rows = c.impacts.rows();
        for (a, ra) in from.iter().zip(rows) {
            for (b, rb) in from.iter().zip(rows) {
                for ((j, x), y) in to.iter().zip(ra).zip(rb) {
                    if x - y >= SIGN_IMPACT_GAP {
                        out.push(Direction {
                            judgment: Judgment::Impact(i),
                            source,
                            locator,
                            from: &c.from,
                            to: &c.to,
                            a,
                            b,
                            j,
                        });
                    }
                }
            }
        }
    }
    out
}

/// `statecraft::opposite_citations`: one source and locator cited for two judgments that
/// order the same two states of a cause the opposite way on the same state of its effect, as
/// [`directions`] reads them. One warning for each pair of such judgments, on the locator of
/// the one later in the file.
fn opposite_citations(s: &Scenario, spans: &Spans<'_>) -> Vec<Diagnostic> {
    let found = directions(s);
    let mut pairs: Vec<(Judgment, Judgment)> = Vec::new();
    let mut out = Vec::new();
    for (k, x) in found.iter().enumerate() {
        for y in &found[k + 1..] {
            let opposite = x.judgment != y.judgment
                && (x.source, x.locator, x.from, x.to, x.j)
                    == (y.source, y.locator, y.from, y.to, y.j)
                && (x.a, x.b) == (y.b, y.a);
            if !opposite || pairs.contains(&(x.judgment, y.judgment)) {
                continue;
            }
            pairs.push((x.judgment, y.judgment));
            let (first, second) = {
                let (px, py) = (x.judgment.locator_path(), y.judgment.locator_path());
                if spans.value(&px).start <= spans.value(&py).start { (x, y) } else { (y, x) }
            };
            let first_path = first.judgment.locator_path();
            let mut w = Warning {
                code: "statecraft::opposite_citations",
                path: &second.judgment.locator_path(),
                message: format!(
                    "one passage, {} {}, is cited for opposite effects of {} on {}.{}",
                    first.source, first.locator, first.from, first.to, first.j
                ),
                label: "cited for the opposite effect",
                note: format!(
                    "{} ({}) cites it for {from} = {} favouring {}.{} more than {from} = {} does; {} cites it for the reverse, and one passage cannot support both, so at least one judgment or citation is wrong",
                    first.judgment.describe(s),
                    path_string(&first_path),
                    first.a,
                    first.to,
                    first.j,
                    first.b,
                    second.judgment.describe(s),
                    from = first.from
                ),
                help: "read the passage again, then correct the judgment that does not follow from it or cite what it does rest on; if the effect really reverses with another driver's state, cite the passage that says so".into(),
            }
            .diagnostic(spans);
            w.related.push((spans.value(&first_path), "cited first here".into()));
            out.push(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// The warning fixture's scenario, with the locator of its cited CPT row replaced.
    fn fixture(locator: &str) -> String {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/warn/opposite_citations.toml"
        );
        let text = std::fs::read_to_string(path).expect("the fixture");
        let mut parts = text.splitn(2, "locator = \"p. 4\"");
        let (head, tail) = (parts.next().expect("text"), parts.next().expect("a cited row"));
        format!("{head}locator = \"{locator}\"{tail}")
    }

    fn codes(text: &str) -> Vec<&'static str> {
        let loaded = crate::load::load_bytes("t.toml", text.as_bytes(), None).expect("valid");
        loaded.warnings.iter().map(|d| d.code).collect()
    }

    /// The row and the cross impact cite one passage for opposite effects of war on tension;
    /// cited to another page, the same numbers give no warning.
    #[test]
    fn one_locator_for_opposite_effects_is_warned_about_and_two_are_not() {
        assert_eq!(codes(&fixture("p. 4")), ["statecraft::opposite_citations"]);
        assert!(codes(&fixture("p. 5")).is_empty());
    }

    /// Two CPT rows that differ in one parent's state and cite one passage say the same thing
    /// about that parent from either side, so they are one direction, not two opposite ones;
    /// rows in two contexts of the other parent that reverse the effect are opposite.
    #[test]
    fn cpt_rows_citing_one_passage_conflict_only_when_they_reverse_the_effect() {
        let rows = |second: &str, fourth: &str| {
            format!(
                r#"[scenario]
format = 1
id = "t"
title = "t"
question = "q"
as_of = "2024-10-31"
[[source]]
id = "brief"
title = "A briefing"
kind = "official"
reliability = "medium"
[[driver]]
id = "war"
name = "War"
states = ["gains", "setback"]
prior = [0.4, 0.6]
[[driver]]
id = "us"
name = "US"
states = ["continuity", "retrenchment"]
prior = [0.5, 0.5]
[[driver]]
id = "tension"
name = "Tension"
states = ["low", "crisis"]
parents = ["war", "us"]
[[driver.cpt]]
when = {{ war = "gains", us = "continuity" }}
p = [0.4, 0.6]
source = "brief"
locator = "p. 4"
[[driver.cpt]]
when = {{ war = "setback", us = "continuity" }}
p = {second}
source = "brief"
locator = "p. 4"
[[driver.cpt]]
when = {{ war = "gains", us = "retrenchment" }}
p = [0.5, 0.5]
[[driver.cpt]]
when = {{ war = "setback", us = "retrenchment" }}
p = {fourth}
source = "brief"
locator = "p. 4"
"#
            )
        };
        // Setback lowers the crisis under continuity; under retrenchment it raises it.
        let consistent = rows("[0.7, 0.3]", "[0.8, 0.2]");
        let reversed = rows("[0.7, 0.3]", "[0.2, 0.8]");
        assert!(codes(&consistent).is_empty(), "{:?}", codes(&consistent));
        assert!(
            codes(&reversed).iter().all(|c| *c == "statecraft::opposite_citations")
                && !codes(&reversed).is_empty()
        );
    }
}
