//! One-way sensitivity analysis (tornado diagrams) and decision thresholds.
//!
//! Each probability judgment `P(X = s | parents = r)` is moved to a low and a high value
//! (± [`TornadoOptions::probability_swing`], clipped to [0, 1]) while the other entries of its
//! row are rescaled in proportion so the row still sums to 1 ("proportional co-variation", Coupé
//! and van der Gaag 2002); each utility is moved by ± [`TornadoOptions::utility_swing`] times the
//! span of all utilities. The target is recomputed at both ends; bars are sorted by swing, the
//! largest first (Clemen and Reilly 2001, §5). For rows of two states only the first state is
//! varied, since the second is its mirror image.
//!
//! For an influence diagram, the threshold of a judgment is the value nearest its base value at
//! which the first decision's optimal policy changes, within the judgment's range (probabilities
//! [0, 1]; utilities the base value ± the span of all utilities). Without evidence, the expected
//! utility of a fixed strategy is linear in any one judgment (under proportional co-variation
//! every joint probability is), so the maximum expected utility is convex in it and the base
//! policy is optimal on an interval around the base value: the diagram is solved at each end of
//! the range, and where the policy there differs, the boundary is found. With one decision, the
//! table its policy is chosen from (the expected utility of each option in each state it
//! observes) is itself linear in the judgment, so the boundary is where the line of the base
//! option is first crossed by another's, placed exactly from the table at the base value and at
//! the end; with more, the later decisions' policies bend those lines, and the boundary is found
//! by bisection to [`prec::REFERENCE`].
//!
//! References: V. M. H. Coupé and L. C. van der Gaag (2002), "Properties of sensitivity analysis of
//! Bayesian belief networks", *Annals of Mathematics and Artificial Intelligence* 36:323–356;
//! R. T. Clemen and T. Reilly (2001), *Making Hard Decisions*, Duxbury, ch. 5 (tornado diagrams,
//! one-way sensitivity and thresholds).

use rayon::prelude::*;

use super::decision::{
    IdNode, InfluenceDiagram, TableRef, argmax, first_policy, first_table, optimise,
};
use super::factor::Workspace;
use super::jtree::{CompileError, CompileOptions, Finding, JunctionTree, QueryError};
use super::net::{BayesNet, Cpt};
use crate::prec;

/// A judgment that a tornado varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Parameter {
    /// `P(node = state | parents = row)`.
    Probability {
        /// The chance variable.
        node: usize,
        /// The parent configuration (the first parent varying slowest).
        row: usize,
        /// The state.
        state: usize,
    },
    /// Entry `row` of a utility table.
    Utility {
        /// The utility node.
        utility: usize,
        /// The parent configuration.
        row: usize,
    },
}

/// One bar of a tornado.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bar {
    /// The judgment varied.
    pub parameter: Parameter,
    /// Its base value.
    pub base: f64,
    /// Its low value.
    pub low: f64,
    /// Its high value.
    pub high: f64,
    /// The target at the low value; `None` when the evidence becomes impossible there.
    pub target_low: Option<f64>,
    /// The target at the high value; `None` when the evidence becomes impossible there.
    pub target_high: Option<f64>,
    /// The largest minus the smallest of the base target and the targets at both ends.
    pub swing: f64,
    /// For an influence diagram, the value of the judgment nearest its base at which the first
    /// decision's optimal policy changes; `None` when it does not change within the judgment's
    /// range, and for networks.
    pub threshold: Option<f64>,
}

/// A tornado: the target's base value and one bar per judgment, the largest swing first.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tornado {
    /// The target with every judgment at its base value.
    pub base: f64,
    /// The bars, sorted by decreasing swing (ties in parameter order).
    pub bars: Vec<Bar>,
}

/// Options for the tornado functions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TornadoOptions {
    /// How far each probability moves each way (absolute; 0.1 is ±10 percentage points).
    pub probability_swing: f64,
    /// How far each utility moves each way, as a fraction of the span of all utilities.
    pub utility_swing: f64,
    /// Compile options for the networks built at each end.
    pub compile: CompileOptions,
}

/// Why a tornado could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// A swing is negative or not finite.
    #[error("the swings must be finite and non-negative")]
    BadSwing,
    /// The target names a missing variable or state.
    #[error("the target state {state} of variable {node} does not exist")]
    BadTarget {
        /// The variable.
        node: usize,
        /// The state.
        state: usize,
    },
    /// The network is too large for exact inference.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// The evidence is malformed or impossible with the base judgments.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The influence diagram is too large to solve exactly.
    #[error(transparent)]
    Decision(#[from] super::decision::DecisionError),
}

/// The row of `table` (of width `card`) with entry `state` set to `value`, as [`covary_row`].
fn covary(table: &[f64], card: usize, row: usize, state: usize, value: f64) -> Vec<f64> {
    let mut t = table.to_vec();
    covary_row(&mut t[row * card..(row + 1) * card], state, value);
    t
}

/// Sets entry `state` of a probability row to `value` and rescales the others in proportion, so
/// that the row still sums to 1 (proportional co-variation, as the tornado moves a probability);
/// when the others are all 0 they share `1 − value` equally.
pub fn covary_row(row: &mut [f64], state: usize, value: f64) {
    let rest = 1.0 - row[state];
    let others = (row.len() - 1).max(1) as f64;
    for (s, x) in row.iter_mut().enumerate() {
        if s == state {
            *x = value;
        } else if rest > 0.0 {
            *x *= (1.0 - value) / rest;
        } else {
            *x = (1.0 - value) / others;
        }
    }
    let sum: f64 = row.iter().sum();
    row.iter_mut().for_each(|x| *x /= sum);
}

/// The probability parameters of a family of CPTs: (node, row, state, base value).
fn probability_parameters<'a>(
    cpts: impl Iterator<Item = (usize, &'a Cpt, usize)>,
) -> Vec<(Parameter, f64)> {
    let mut out = Vec::new();
    for (node, cpt, card) in cpts {
        if card < 2 {
            continue;
        }
        let states = if card == 2 { 1 } else { card };
        for (row, entries) in cpt.table.chunks(card).enumerate() {
            for (state, &value) in entries.iter().enumerate().take(states) {
                out.push((Parameter::Probability { node, row, state }, value));
            }
        }
    }
    out
}

fn check_swing(options: &TornadoOptions) -> Result<(), SensitivityError> {
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    if ok(options.probability_swing) && ok(options.utility_swing) {
        Ok(())
    } else {
        Err(SensitivityError::BadSwing)
    }
}

fn sort_bars(bars: &mut [Bar]) {
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
}

fn swing(base: f64, lo: Option<f64>, hi: Option<f64>) -> f64 {
    let values = [Some(base), lo, hi];
    let max = values.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    max - min
}

/// Tornado of `P(node = state | evidence)` in a network over every probability judgment.
///
/// # Errors
/// [`SensitivityError::BadSwing`], [`SensitivityError::BadTarget`], or the compile or query
/// error of the base network.
///
/// # Complexity
/// Two compilations and queries per judgment.
///
/// # Example
/// ```
/// use engines::bayes::{tornado_probability, BayesNet, CompileOptions, Cpt, Heuristic, SensitivityError, TornadoOptions, Variable};
/// let net = BayesNet::new(
///     vec![Variable::new("a", ["t", "f"]), Variable::new("b", ["t", "f"])],
///     vec![Cpt { parents: vec![], table: vec![0.5, 0.5] }, Cpt { parents: vec![0], table: vec![0.9, 0.1, 0.2, 0.8] }],
/// )?;
/// let options = TornadoOptions {
///     probability_swing: 0.1,
///     utility_swing: 0.1,
///     compile: CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: 1 << 20 },
/// };
/// let t = tornado_probability(&net, &[], 1, 0, &options)?;
/// // P(b = t) = 0.5·P(b=t|a=t) + 0.5·P(b=t|a=f): each of those moves it by ±0.05, P(a = t) by ±0.07.
/// assert!((t.bars[0].swing - 0.14).abs() <= engines::prec::REORDER);
/// assert!(matches!(tornado_probability(&net, &[], 1, 5, &options), Err(SensitivityError::BadTarget { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tornado_probability(
    net: &BayesNet,
    evidence: &[Finding],
    node: usize,
    state: usize,
    options: &TornadoOptions,
) -> Result<Tornado, SensitivityError> {
    check_swing(options)?;
    if node >= net.len() || state >= net.card(node) {
        return Err(SensitivityError::BadTarget { node, state });
    }
    let jt = JunctionTree::compile(net, &options.compile)?;
    let base = jt.marginals(evidence)?.marginals[node][state];
    let params =
        probability_parameters(net.cpts().iter().enumerate().map(|(v, c)| (v, c, net.card(v))));
    let target_at = |param: Parameter, value: f64| -> Result<Option<f64>, SensitivityError> {
        let Parameter::Probability { node: v, row, state: s } = param else { return Ok(None) };
        let cpt = &net.cpts()[v];
        let table = covary(&cpt.table, net.card(v), row, s, value);
        let Ok(changed) = net.with_cpt(v, Cpt { parents: cpt.parents.clone(), table }) else {
            return Ok(None);
        };
        let jt = JunctionTree::compile(&changed, &options.compile)?;
        match jt.marginals(evidence) {
            Ok(p) => Ok(Some(p.marginals[node][state])),
            Err(QueryError::Impossible { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    };
    let mut bars = Vec::with_capacity(params.len());
    for (param, value) in params {
        let low = (value - options.probability_swing).max(0.0);
        let high = (value + options.probability_swing).min(1.0);
        let target_low = target_at(param, low)?;
        let target_high = target_at(param, high)?;
        bars.push(Bar {
            parameter: param,
            base: value,
            low,
            high,
            target_low,
            target_high,
            swing: swing(base, target_low, target_high),
            threshold: None,
        });
    }
    sort_bars(&mut bars);
    Ok(Tornado { base, bars })
}

/// Where, between a judgment's base value and one end of its range, the base policy of a
/// diagram's only decision stops being optimal.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Crossing {
    /// It is still optimal at the end, so everywhere up to it.
    None,
    /// The judgment's value where it stops.
    At(f64),
    /// The tables do not tell (the policy changes through a tie that the lines do not show):
    /// search by bisection.
    Unknown,
}

/// The threshold between `value` and `end` from the first decision's tables at both
/// (`at_value`, `at_end`, rows of `options` entries) and its base policy. Each entry of the
/// table is linear in the judgment, so the base option of a row is overtaken by another where
/// their lines cross, and the threshold is the crossing nearest `value`; where the policy at
/// `end` is the base policy, no line crosses on the way.
fn crossing(
    at_value: &[f64],
    at_end: &[f64],
    options: usize,
    base_policy: &[usize],
    value: f64,
    end: f64,
) -> Crossing {
    if at_end.chunks(options).map(argmax).eq(base_policy.iter().copied()) {
        return Crossing::None;
    }
    let mut nearest: Option<f64> = None;
    let rows = at_value.chunks(options).zip(at_end.chunks(options)).zip(base_policy);
    for ((here, there), &best) in rows {
        for other in (0..options).filter(|&o| o != best) {
            // How far `other` is ahead of `best`, at the base value and at the end.
            let (lead_here, lead_there) = (here[other] - here[best], there[other] - there[best]);
            if lead_there > 0.0 && lead_there > lead_here {
                let share = (-lead_here / (lead_there - lead_here)).clamp(0.0, 1.0);
                nearest = Some(nearest.map_or(share, |n: f64| n.min(share)));
            }
        }
    }
    match nearest {
        Some(share) => Crossing::At(value + share * (end - value)),
        None => Crossing::Unknown,
    }
}

/// The threshold between `value` and `end` by bisection on the policy (`policy_at` a judgment's
/// value, `None` where the diagram is not valid), to [`prec::REFERENCE`]; `None` when the policy
/// at `end` is the base policy. For diagrams of more than one decision, whose first decision's
/// table is not linear in the judgment.
fn bisect(
    policy_at: &mut dyn FnMut(f64) -> Result<Option<Vec<usize>>, SensitivityError>,
    base_policy: &[usize],
    value: f64,
    end: f64,
) -> Result<Option<f64>, SensitivityError> {
    match policy_at(end)? {
        Some(policy) if policy != base_policy => {}
        _ => return Ok(None),
    }
    let (mut inside, mut outside) = (value, end);
    while (outside - inside).abs() > prec::REFERENCE * value.abs().max(1.0) {
        let mid = 0.5 * (inside + outside);
        match policy_at(mid)? {
            Some(p) if p == base_policy => inside = mid,
            _ => outside = mid,
        }
    }
    Ok(Some(0.5 * (inside + outside)))
}

/// Tornado of the maximum expected utility of an influence diagram over every probability and
/// utility judgment, with the threshold of each judgment at which the first decision's optimal
/// policy changes.
///
/// # Errors
/// [`SensitivityError::BadSwing`], or [`SensitivityError::Decision`] when the diagram is too
/// large to solve.
///
/// # Complexity
/// Two solutions per judgment for the bars, two more for the ends of its range, and about 30
/// more (a bisection) on each side where the optimal policy changes; judgments are solved in
/// parallel.
///
/// # Example
/// ```
/// use engines::bayes::{tornado_utility, CompileOptions, Cpt, Heuristic, IdNode, InfluenceDiagram, SensitivityError, TornadoOptions, Utility, Variable};
/// let vars = vec![Variable::new("weather", ["rain", "sun"]), Variable::new("umbrella", ["take", "leave"])];
/// let nodes = vec![
///     IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7] }),
///     IdNode::Decision { informational: vec![] },
/// ];
/// let u = Utility { name: "comfort".into(), parents: vec![0, 1], table: vec![70.0, 0.0, 20.0, 100.0] };
/// let id = InfluenceDiagram::new(vars, nodes, vec![u], vec![1])?;
/// let options = TornadoOptions {
///     probability_swing: 0.1,
///     utility_swing: 0.1,
///     compile: CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: 1 << 20 },
/// };
/// let t = tornado_utility(&id, &options)?;
/// // take = 20 + 50 p, leave = 100 (1 - p): they cross at p(rain) = 80 / 150.
/// let rain = t.bars.iter().find(|b| b.base == 0.3).and_then(|b| b.threshold);
/// // The bisection stops once the threshold is bracketed within `prec::REFERENCE`.
/// assert!((rain.unwrap_or(0.0) - 80.0 / 150.0).abs() <= engines::prec::REFERENCE);
/// let bad = TornadoOptions { probability_swing: -1.0, ..options };
/// assert_eq!(tornado_utility(&id, &bad), Err(SensitivityError::BadSwing));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tornado_utility(
    id: &InfluenceDiagram,
    options: &TornadoOptions,
) -> Result<Tornado, SensitivityError> {
    check_swing(options)?;
    let limit = options.compile.max_clique_entries;
    let card = id.card();
    let base_solution = optimise(id, None, &[], limit, &mut Workspace::default())?;
    let base = base_solution.meu;
    let base_policy = base_solution.choices.first().cloned().unwrap_or_default();
    let mut params =
        probability_parameters(id.nodes().iter().enumerate().filter_map(|(v, n)| match n {
            IdNode::Chance(c) => Some((v, c, card[v])),
            IdNode::Decision { .. } => None,
        }));
    let all_u = id.utilities().iter().flat_map(|u| u.table.iter().copied());
    let (umin, umax) =
        all_u.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let span = if umax > umin { umax - umin } else { 1.0 };
    // A tied group of entries is one judgment: only its first entry gets a bar, and moving it
    // moves the whole group.
    let group_of = |utility: usize, row: usize| {
        id.ties().iter().find(|g| g.contains(&(utility, row))).map(Vec::as_slice)
    };
    for (u, util) in id.utilities().iter().enumerate() {
        for (row, &value) in util.table.iter().enumerate() {
            if group_of(u, row).is_none_or(|g| g[0] == (u, row)) {
                params.push((Parameter::Utility { utility: u, row }, value));
            }
        }
    }
    // The diagram with one judgment set to `value`.
    let changed = |param: Parameter, value: f64| -> Option<InfluenceDiagram> {
        match param {
            Parameter::Probability { node, row, state } => {
                let IdNode::Chance(cpt) = &id.nodes()[node] else { return None };
                let table = covary(&cpt.table, card[node], row, state, value);
                id.with_table(TableRef::Cpt(node), table).ok()
            }
            Parameter::Utility { utility, row } => {
                let single = [(utility, row)];
                let entries = group_of(utility, row).unwrap_or(&single);
                let mut d = id.clone();
                for &(u, r) in entries {
                    let mut table = d.utilities()[u].table.clone();
                    table[r] = value;
                    d = d.with_table(TableRef::Utility(u), table).ok()?;
                }
                Some(d)
            }
        }
    };
    // The first decision's table at the base, where it alone decides: each entry moves
    // linearly with the judgment, so the table at each end of a judgment's range places the
    // threshold exactly ([`crossing`]).
    let base_table = (id.order().len() == 1).then_some(&base_solution.first_table);
    let width = id.order().first().map_or(1, |&d| card[d]);
    // Each judgment's bar is independent of the others: solve them in parallel, collected in
    // the parameters' order so the result does not depend on the thread count. Each thread
    // keeps its own workspace: orders of elimination (every diagram here has the base's
    // shape) and buffers.
    let bar = |work: &mut Workspace,
               (param, value): (Parameter, f64)|
     -> Result<Bar, SensitivityError> {
        let (low, high, lo_end, hi_end) = match param {
            Parameter::Probability { .. } => (
                (value - options.probability_swing).max(0.0),
                (value + options.probability_swing).min(1.0),
                0.0,
                1.0,
            ),
            Parameter::Utility { .. } => (
                value - options.utility_swing * span,
                value + options.utility_swing * span,
                value - span,
                value + span,
            ),
        };
        // A diagram `changed` refuses has no result (`None`).
        let meu_at = |work: &mut Workspace, at: f64| {
            changed(param, at).map(|d| optimise(&d, None, &[], limit, work).map(|o| o.meu))
        };
        let target_low = meu_at(work, low).transpose()?;
        let target_high = meu_at(work, high).transpose()?;
        // Threshold: where the base policy stops being optimal, the nearer side wins. The
        // expected utility of a fixed strategy is linear in the judgment (each joint probability
        // is, under proportional co-variation), so the maximum over strategies is convex and
        // the base strategy is optimal on one interval around the base value: if it is still
        // optimal at an end, it is optimal all the way there; otherwise the boundary is placed
        // from the lines of the first decision's table when it decides alone ([`crossing`]),
        // and found by bisection when it does not.
        let mut threshold: Option<f64> = None;
        if !id.order().is_empty() {
            for end in [lo_end, hi_end] {
                let table_at_end = |work: &mut Workspace| {
                    changed(param, end).map(|d| first_table(&d, limit, work)).transpose()
                };
                let found = match base_table {
                    Some(at_base) => match table_at_end(work)? {
                        Some(at_end) => crossing(at_base, &at_end, width, &base_policy, value, end),
                        None => Crossing::Unknown,
                    },
                    None => Crossing::Unknown,
                };
                let t = match found {
                    Crossing::None => continue,
                    Crossing::At(t) => t,
                    Crossing::Unknown => {
                        // Only the policy: the search needs no expected utility.
                        let policy_at = &mut |t| {
                            Ok(changed(param, t)
                                .map(|d| first_policy(&d, limit, work))
                                .transpose()?)
                        };
                        match bisect(policy_at, &base_policy, value, end)? {
                            Some(t) => t,
                            None => continue,
                        }
                    }
                };
                if threshold.is_none_or(|old| (t - value).abs() < (old - value).abs()) {
                    threshold = Some(t);
                }
            }
        }
        Ok(Bar {
            parameter: param,
            base: value,
            low,
            high,
            target_low,
            target_high,
            swing: swing(base, target_low, target_high),
            threshold,
        })
    };
    let mut bars =
        params.into_par_iter().map_init(Workspace::default, bar).collect::<Result<Vec<_>, _>>()?;
    sort_bars(&mut bars);
    Ok(Tornado { base, bars })
}
