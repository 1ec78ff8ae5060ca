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
//!   sets by choice, so their futures compare a free posture with a chosen one.
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

/// Every coherence warning of a valid scenario, in file order of the cross impacts and drivers.
pub fn check(s: &Scenario, spans: &Spans<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if s.cross_impacts.is_empty() {
        return out;
    }
    let in_net =
        |id: &str| s.drivers.iter().any(|d| d.id == id && (d.prior.is_some() || !d.cpt.is_empty()));
    let reaches = |from: &str, to: &str| reaches(s, from, to);
    for (i, c) in s.cross_impacts.iter().enumerate() {
        if !(in_net(&c.from) && in_net(&c.to)) || c.not_in_network.is_some() {
            continue;
        }
        if !reaches(&c.from, &c.to) {
            let path = [Seg::Key("cross_impact"), Seg::Index(i), Seg::Key("to")];
            let mut d = warning(
                "statecraft::link_not_in_network",
                spans,
                &path,
                format!(
                    "the cross impact {} → {} has no path in the Bayesian network",
                    c.from, c.to
                ),
                "no network path",
            );
            d.note = Some(format!(
                "CIB lets `{}` act on `{}`, but no chain of parents carries it there in the network, so the two lenses model different causes",
                c.from, c.to
            ));
            d.help = Some(format!(
                "add `{}` (or a driver it acts on) to the parents of `{}` with CPT rows, or say in the cross impact's `not_in_network` why the network leaves it out",
                c.from, c.to
            ));
            out.push(d);
        }
    }
    for (di, d) in s.drivers.iter().enumerate() {
        for (k, p) in d.parents.iter().enumerate() {
            if !s.drivers.iter().any(|x| x.id == *p) {
                continue; // a decision
            }
            let path = [Seg::Key("driver"), Seg::Index(di), Seg::Key("parents"), Seg::Index(k)];
            let Some(ci) = s.cross_impacts.iter().position(|c| c.from == *p && c.to == d.id) else {
                let mut w = warning(
                    "statecraft::edge_without_impact",
                    spans,
                    &path,
                    format!("the network edge {p} → {} has no cross impact", d.id),
                    "no cross impact",
                );
                w.note = Some(format!(
                    "the network lets `{p}` act on `{}`, but the cross impacts do not, so CIB's consistent futures ignore a cause the network weighs",
                    d.id
                ));
                w.help = Some(format!(
                    "add a `[[cross_impact]]` from `{p}` to `{}` that says how each state of `{p}` promotes or restricts each state of `{}`",
                    d.id, d.id
                ));
                out.push(w);
                continue;
            };
            if let Some(conflict) = sign_conflict(s, di, k, ci) {
                let mut w = warning(
                    "statecraft::sign_conflict",
                    spans,
                    &[Seg::Key("cross_impact"), Seg::Index(ci), Seg::Key("impacts")],
                    format!(
                        "the cross impact {p} → {} and the CPT of `{}` disagree on which of {p} = {} and {p} = {} favours {}.{}",
                        d.id, d.id, conflict.a, conflict.b, d.id, conflict.state
                    ),
                    "promotes it more",
                );
                w.related.push((spans.value(&path), "the CPT says the opposite".into()));
                w.note = Some(format!(
                    "the cross impact rates {p} = {} {} points above {p} = {} for {}.{}, but the CPT gives it {:.2} against {:.2}",
                    conflict.a,
                    conflict.impact_gap,
                    conflict.b,
                    d.id,
                    conflict.state,
                    conflict.p_a,
                    conflict.p_b
                ));
                w.help = Some("correct whichever judgment is wrong, so that both lenses order the parent's states the same way".into());
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
            let path = [Seg::Key("driver"), Seg::Index(di), Seg::Key("cpt")];
            let mut w = warning(
                "statecraft::unlike_terms",
                spans,
                &path,
                format!(
                    "driver `{}` is a copy of decision `{dec}`, yet a free descriptor of the cross impacts",
                    d.id
                ),
                "determined by the decision",
            );
            w.note = Some(format!(
                "the network sets `{}` by the choice `{dec}`, while CIB lets it vary freely, so comparing their futures sets a chosen option against a free one",
                d.id
            ));
            w.help = Some(format!(
                "make `{}` what is carried out (rows that leave some chance of falling short), or leave it out of the cross impacts",
                d.id
            ));
            out.push(w);
        }
    }
    out
}

fn warning(
    code: &'static str,
    spans: &Spans<'_>,
    path: &[Seg<'_>],
    message: String,
    label: &str,
) -> Diagnostic {
    let mut d = Diagnostic::error(code, message);
    d.severity = Severity::Warning;
    d.path = path_string(path);
    d.primary = Some((spans.value(path), label.to_owned()));
    d
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
