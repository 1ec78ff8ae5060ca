//! Influence diagrams: chance, decision and utility nodes, solved exactly.
//!
//! [`InfluenceDiagram::new`] checks the diagram once: chance nodes carry CPTs, decision nodes name
//! their informational parents (what is known when the decision is taken), utility nodes carry
//! one finite utility per configuration of their parents, and the decisions are taken in a given
//! order under the no-forgetting assumption (each decision knows every earlier decision and what
//! was known then). Utilities add up.
//!
//! [`solve`] works backwards from the last decision (Shachter 1986; Jensen and Nielsen 2007):
//! for decision `D_k` with information set `I_k` it computes, by variable elimination,
//! `Q(i, d) = Σ_u Σ_{x ∖ (i, d)} Π P(chance | parents) · Π δ_later · U_u`, takes the best option in
//! every information state (ties to the lowest option index), fixes that policy as a
//! deterministic table and moves to the previous decision. Because the chance variables of `I_k`
//! are not descendants of `D_k`, `argmax_d Q(i, d)` is the option of highest conditional expected
//! utility.
//!
//! - The expected utility of an option `d` of decision `D` is the maximum expected utility when
//!   `D` is fixed to `d` whatever is observed and every other decision is optimal.
//! - The expected value of perfect information (EVPI) on a chance node `X` is the gain in maximum
//!   expected utility when `X` is observed before the first decision (Howard 1966); it does not
//!   exist (`None`) for a node that descends from a decision, since it cannot be known before
//!   deciding. The overall EVPI observes every chance node that does not descend from a decision.
//!
//! References: R. D. Shachter (1986), "Evaluating influence diagrams", *Operations Research*
//! 34(6):871–882; F. V. Jensen and T. D. Nielsen (2007), *Bayesian Networks and Decision Graphs*,
//! 2nd ed., Springer, §9.3 (solving influence diagrams by variable elimination) and §9.4 (value of
//! information); R. A. Howard (1966), "Information value theory", *IEEE Transactions on Systems
//! Science and Cybernetics* 2(1):22–26.

use super::factor::{Factor, Workspace, marginalise};
use super::net::{
    Cpt, NetError, TableKind, Variable, check_table, check_variables, topological_order,
};
use crate::prec;

/// A chance or decision node of an influence diagram.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum IdNode {
    /// A chance node with its conditional probability table.
    Chance(Cpt),
    /// A decision node and the variables observed just before it is taken.
    Decision {
        /// Informational parents (chance or decision nodes), as variable indices.
        informational: Vec<usize>,
    },
}

/// A utility node: a real value for each configuration of its parents.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Utility {
    /// Its name.
    pub name: String,
    /// Parents (chance or decision variables).
    pub parents: Vec<usize>,
    /// One utility per parent configuration, the first parent varying slowest.
    pub table: Vec<f64>,
}

/// Why an influence diagram was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// There is not one node per variable.
    #[error("{nodes} nodes for {variables} variables")]
    NodeCount {
        /// The variables given.
        variables: usize,
        /// The nodes given.
        nodes: usize,
    },
    /// A variable or a chance node's table is malformed (node indices are variable indices).
    #[error(transparent)]
    Net(NetError),
    /// A decision's informational parent does not exist or is repeated.
    #[error(
        "decision {node} names informational parent {parent}, which does not exist or is repeated"
    )]
    BadInformational {
        /// The decision.
        node: usize,
        /// The parent as given.
        parent: usize,
    },
    /// A utility table is malformed (the `node` inside is the utility's index).
    #[error("utility {utility}: {source}")]
    UtilityTable {
        /// The utility.
        utility: usize,
        /// What is wrong with it.
        source: NetError,
    },
    /// The diagram has no utility node.
    #[error("the diagram has no utility node")]
    NoUtilities,
    /// `order` is not a list of every decision node exactly once; `node` is the first culprit (a
    /// listed non-decision, a repeat, or a decision left out).
    #[error("the decision order must list every decision node once; variable {node} is wrong")]
    Order {
        /// The culprit variable.
        node: usize,
    },
    /// The arcs (parents, informational parents, and the decision order) form a cycle.
    #[error("the diagram has a cycle through variable {node} (counting the decision order)")]
    Cycle {
        /// A variable on the cycle.
        node: usize,
    },
}

/// A checked influence diagram.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InfluenceDiagram {
    variables: Vec<Variable>,
    nodes: Vec<IdNode>,
    utilities: Vec<Utility>,
    order: Vec<usize>,
    /// The information set of each decision in order (no-forgetting), sorted.
    info: Vec<Vec<usize>>,
    /// Whether each variable descends from (or is) a decision.
    after_decision: Vec<bool>,
    /// Groups of utility entries that are one judgment ([`InfluenceDiagram::with_ties`]).
    ties: Vec<Vec<(usize, usize)>>,
}

impl InfluenceDiagram {
    /// Checks and builds an influence diagram.
    ///
    /// # Errors
    /// An [`IdError`] naming the first problem found.
    ///
    /// # Complexity
    /// Linear in the size of the tables and arcs.
    ///
    /// # Example
    /// ```
    /// use engines::bayes::{Cpt, IdError, IdNode, InfluenceDiagram, Utility, Variable};
    /// let vars = vec![Variable::new("weather", ["rain", "sun"]), Variable::new("umbrella", ["take", "leave"])];
    /// let nodes = vec![
    ///     IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7] }),
    ///     IdNode::Decision { informational: vec![] },
    /// ];
    /// let u = Utility { name: "comfort".into(), parents: vec![0, 1], table: vec![70.0, 0.0, 20.0, 100.0] };
    /// assert!(InfluenceDiagram::new(vars.clone(), nodes.clone(), vec![u.clone()], vec![1]).is_ok());
    /// // The decision order must list the decision.
    /// assert_eq!(InfluenceDiagram::new(vars, nodes, vec![u], vec![]), Err(IdError::Order { node: 1 }));
    /// ```
    pub fn new(
        variables: Vec<Variable>,
        nodes: Vec<IdNode>,
        utilities: Vec<Utility>,
        order: Vec<usize>,
    ) -> Result<InfluenceDiagram, IdError> {
        let n = variables.len();
        if nodes.len() != n {
            return Err(IdError::NodeCount { variables: n, nodes: nodes.len() });
        }
        if n == 0 {
            return Err(IdError::Net(NetError::Empty));
        }
        check_variables(&variables).map_err(IdError::Net)?;
        for (node, kind) in nodes.iter().enumerate() {
            match kind {
                IdNode::Chance(cpt) => {
                    check_table(&variables, node, &cpt.parents, &cpt.table, TableKind::Probability)
                        .map_err(IdError::Net)?;
                }
                IdNode::Decision { informational } => {
                    for (i, &p) in informational.iter().enumerate() {
                        if p >= n || p == node || informational[..i].contains(&p) {
                            return Err(IdError::BadInformational { node, parent: p });
                        }
                    }
                }
            }
        }
        if utilities.is_empty() {
            return Err(IdError::NoUtilities);
        }
        for (i, u) in utilities.iter().enumerate() {
            check_table(&variables, i, &u.parents, &u.table, TableKind::Utility)
                .map_err(|source| IdError::UtilityTable { utility: i, source })?;
        }
        let is_decision = |v: usize| matches!(nodes.get(v), Some(IdNode::Decision { .. }));
        for (i, &d) in order.iter().enumerate() {
            if !is_decision(d) || order[..i].contains(&d) {
                return Err(IdError::Order { node: d });
            }
        }
        if let Some(missing) = (0..n).find(|&v| is_decision(v) && !order.contains(&v)) {
            return Err(IdError::Order { node: missing });
        }
        // Arcs for the cycle check: CPT parents, informational parents, and the order.
        let mut parents: Vec<Vec<usize>> = nodes
            .iter()
            .map(|k| match k {
                IdNode::Chance(cpt) => cpt.parents.clone(),
                IdNode::Decision { informational } => informational.clone(),
            })
            .collect();
        for w in order.windows(2) {
            if !parents[w[1]].contains(&w[0]) {
                parents[w[1]].push(w[0]);
            }
        }
        let refs: Vec<&[usize]> = parents.iter().map(Vec::as_slice).collect();
        topological_order(&refs).map_err(|node| IdError::Cycle { node })?;
        // No-forgetting information sets.
        let mut info = Vec::with_capacity(order.len());
        let mut known: Vec<usize> = Vec::new();
        for &d in &order {
            if let IdNode::Decision { informational } = &nodes[d] {
                known.extend(informational.iter().copied());
            }
            known.sort_unstable();
            known.dedup();
            info.push(known.clone());
            known.push(d);
        }
        // Descendants of decisions, along every arc.
        let mut children = vec![Vec::new(); n];
        for (v, ps) in parents.iter().enumerate() {
            for &p in ps {
                children[p].push(v);
            }
        }
        let mut after_decision = vec![false; n];
        let mut stack: Vec<usize> = order.clone();
        while let Some(v) = stack.pop() {
            if !after_decision[v] {
                after_decision[v] = true;
                stack.extend(children[v].iter().copied());
            }
        }
        Ok(InfluenceDiagram {
            variables,
            nodes,
            utilities,
            order,
            info,
            after_decision,
            ties: Vec::new(),
        })
    }

    /// The variables (chance and decision), in index order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The node kind of each variable.
    pub fn nodes(&self) -> &[IdNode] {
        &self.nodes
    }

    /// The utility nodes.
    pub fn utilities(&self) -> &[Utility] {
        &self.utilities
    }

    /// The decisions in the order they are taken.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The diagram with groups of utility entries, each `(utility, row)`, declared one
    /// judgment written several times (the same cost under several options): a sensitivity
    /// analysis ([`super::tornado_utility`]) moves each group's entries together, as one bar
    /// named by its first entry. Entries outside the tables are dropped, and groups left with
    /// fewer than two entries are ignored; the entries of a group should hold equal values.
    pub fn with_ties(mut self, ties: Vec<Vec<(usize, usize)>>) -> InfluenceDiagram {
        let exists =
            |&(u, r): &(usize, usize)| self.utilities.get(u).is_some_and(|x| r < x.table.len());
        self.ties = ties
            .into_iter()
            .map(|g| g.into_iter().filter(exists).collect::<Vec<_>>())
            .filter(|g| g.len() >= 2)
            .collect();
        self
    }

    /// The groups of utility entries that move together ([`InfluenceDiagram::with_ties`]).
    pub fn ties(&self) -> &[Vec<(usize, usize)>] {
        &self.ties
    }

    /// The Bayesian network of the chance and decision variables when every decision follows
    /// `policies` (one per decision, in [`InfluenceDiagram::order`], as [`Solution::decisions`]
    /// gives them): each decision becomes a deterministic chance node of its information set. Its
    /// marginals are how likely each outcome is under those policies.
    ///
    /// # Errors
    /// [`NetError::CptCount`] when `policies` does not match the decisions (one per decision, a
    /// choice per information state, each a valid option).
    pub fn policy_network(&self, policies: &[Policy]) -> Result<super::net::BayesNet, NetError> {
        let n = self.variables.len();
        if policies.len() != self.order.len() {
            return Err(NetError::CptCount { variables: n, cpts: policies.len() });
        }
        let card = self.card();
        let mut cpts = Vec::with_capacity(n);
        for (v, node) in self.nodes.iter().enumerate() {
            match node {
                IdNode::Chance(cpt) => cpts.push(cpt.clone()),
                IdNode::Decision { .. } => {
                    let k = self.order.iter().position(|&d| d == v).unwrap_or(0);
                    let policy = &policies[k];
                    let rows: usize = policy
                        .informational
                        .iter()
                        .map(|&p| card.get(p).copied().unwrap_or(0))
                        .product();
                    if policy.choice.len() != rows || policy.choice.iter().any(|&c| c >= card[v]) {
                        return Err(NetError::CptCount { variables: n, cpts: policies.len() });
                    }
                    let mut table = vec![0.0; rows * card[v]];
                    for (r, &c) in policy.choice.iter().enumerate() {
                        table[r * card[v] + c] = 1.0;
                    }
                    cpts.push(Cpt { parents: policy.informational.clone(), table });
                }
            }
        }
        super::net::BayesNet::new(self.variables.clone(), cpts)
    }

    /// The diagram with one chance node's CPT or one utility table replaced by `table` (same
    /// size), checked again; used by sensitivity analysis.
    pub(crate) fn with_table(
        &self,
        target: TableRef,
        table: Vec<f64>,
    ) -> Result<InfluenceDiagram, IdError> {
        let mut nodes = self.nodes.clone();
        let mut utilities = self.utilities.clone();
        match target {
            TableRef::Cpt(v) => {
                if let Some(IdNode::Chance(cpt)) = nodes.get_mut(v) {
                    cpt.table = table;
                }
            }
            TableRef::Utility(u) => {
                if let Some(util) = utilities.get_mut(u) {
                    util.table = table;
                }
            }
        }
        InfluenceDiagram::new(self.variables.clone(), nodes, utilities, self.order.clone())
            .map(|d| d.with_ties(self.ties.clone()))
    }

    pub(crate) fn card(&self) -> Vec<usize> {
        self.variables.iter().map(|v| v.states.len()).collect()
    }
}

/// Which table of a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableRef {
    /// The CPT of a chance variable.
    Cpt(usize),
    /// A utility node's table.
    Utility(usize),
}

/// Options for [`solve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecideOptions {
    /// The largest intermediate table (entries) variable elimination may build.
    pub max_table_entries: usize,
    /// Whether to compute the expected value of perfect information.
    pub value_of_information: ValueOfInformation,
}

/// Whether [`solve`] computes EVPI (one extra solution per chance node).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueOfInformation {
    /// Compute the overall and per-node EVPI.
    Compute,
    /// Leave them out (`None`).
    Skip,
}

/// An optimal policy for one decision: an option for every configuration of its information set.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Policy {
    /// The variables observed before the decision (no-forgetting), sorted.
    pub informational: Vec<usize>,
    /// The best option for each configuration of `informational`, the first varying slowest.
    pub choice: Vec<usize>,
}

/// The analysis of one decision.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Decision {
    /// The decision variable.
    pub node: usize,
    /// The expected utility of each option (the decision fixed to it, every other decision
    /// optimal).
    pub expected_utility: Vec<f64>,
    /// The option of highest expected utility (the lowest index among ties within
    /// [`prec::REORDER`] relative).
    pub best: usize,
    /// The optimal policy.
    pub policy: Policy,
}

/// The solution of an influence diagram.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Solution {
    /// The maximum expected utility.
    pub meu: f64,
    /// Each decision, in the order they are taken.
    pub decisions: Vec<Decision>,
    /// The EVPI of observing every chance node that does not descend from a decision before the
    /// first decision; `None` when not computed or when there is no decision.
    pub evpi: Option<f64>,
    /// The EVPI of each variable; `None` for decisions, for chance nodes descending from a
    /// decision, and when not computed.
    pub evpi_by_node: Vec<Option<f64>>,
}

/// Why [`solve`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecisionError {
    /// [`conditional_utilities`] was asked about a decision that is not one, or a variable that
    /// is not a chance node known before every decision (one that descends from a decision
    /// cannot be observed before deciding).
    #[error("variable {node} cannot be observed before decision {decision}")]
    NotObservable {
        /// The decision (a variable index).
        decision: usize,
        /// The variable asked about.
        node: usize,
    },
    /// Variable elimination would build a table above the limit.
    #[error(
        "the diagram is too large to solve exactly: a table of {entries:.3e} entries (the limit is {limit}); \
         reduce the information sets of the decisions or the states of their parents"
    )]
    TooComplex {
        /// The entries of the table that would be built.
        entries: f64,
        /// The limit.
        limit: usize,
    },
}

/// Solves an influence diagram: every option's expected utility, the optimal policies, and
/// (optionally) the EVPI overall and per chance node.
///
/// The method is described in the module documentation (backward induction with variable
/// elimination, Jensen and Nielsen 2007, §9.3).
///
/// # Errors
/// [`DecisionError::TooComplex`] when an intermediate table exceeds `options.max_table_entries`.
///
/// # Complexity
/// One solution costs one variable elimination per decision and utility node, exponential in the
/// size of the information sets; the expected utilities of all options cost one solution per
/// option, and EVPI one per chance node.
///
/// # Example
/// ```
/// use engines::bayes::{solve, Cpt, DecideOptions, DecisionError, IdNode, InfluenceDiagram, Utility, ValueOfInformation, Variable};
/// let vars = vec![Variable::new("weather", ["rain", "sun"]), Variable::new("umbrella", ["take", "leave"])];
/// let nodes = vec![
///     IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7] }),
///     IdNode::Decision { informational: vec![] },
/// ];
/// let u = Utility { name: "comfort".into(), parents: vec![0, 1], table: vec![70.0, 0.0, 20.0, 100.0] };
/// let id = InfluenceDiagram::new(vars, nodes, vec![u], vec![1])?;
/// let options = DecideOptions { max_table_entries: 1 << 20, value_of_information: ValueOfInformation::Compute };
/// let s = solve(&id, &options)?;
/// // take: 0.3·70 + 0.7·20 = 35; leave: 0.7·100 = 70.
/// assert_eq!(s.decisions[0].expected_utility, vec![35.0, 70.0]);
/// // Knowing the weather: 0.3·70 + 0.7·100 = 91, so EVPI = 21.
/// assert!((s.evpi.unwrap_or(0.0) - 21.0).abs() <= engines::prec::REORDER);
/// let tiny = DecideOptions { max_table_entries: 1, ..options };
/// assert!(matches!(solve(&id, &tiny), Err(DecisionError::TooComplex { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn solve(id: &InfluenceDiagram, options: &DecideOptions) -> Result<Solution, DecisionError> {
    let limit = options.max_table_entries;
    let work = &mut Workspace::default();
    let base = optimise(id, None, &[], limit, work)?;
    let card = id.card();
    let mut decisions = Vec::with_capacity(id.order.len());
    for (k, &d) in id.order.iter().enumerate() {
        let mut eu = Vec::with_capacity(card[d]);
        for option in 0..card[d] {
            eu.push(optimise(id, Some((k, option)), &[], limit, work)?.meu);
        }
        let best = argmax(&eu);
        decisions.push(Decision {
            node: d,
            expected_utility: eu,
            best,
            policy: Policy { informational: id.info[k].clone(), choice: base.choices[k].clone() },
        });
    }
    let n = id.variables.len();
    let mut evpi = None;
    let mut evpi_by_node = vec![None; n];
    if options.value_of_information == ValueOfInformation::Compute && !id.order.is_empty() {
        let learnable: Vec<usize> = (0..n)
            .filter(|&v| matches!(id.nodes[v], IdNode::Chance(_)) && !id.after_decision[v])
            .collect();
        for &v in &learnable {
            let gain = if id.info[0].contains(&v) {
                0.0
            } else {
                optimise(id, None, &[v], limit, work)?.meu - base.meu
            };
            evpi_by_node[v] = Some(gain.max(0.0));
        }
        let all = optimise(id, None, &learnable, limit, work)?.meu;
        evpi = Some((all - base.meu).max(0.0));
    }
    Ok(Solution { meu: base.meu, decisions, evpi, evpi_by_node })
}

/// What each option of one decision is worth in each state of one chance variable.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Conditional {
    /// `P(X = x)` for each state `x` of the variable.
    pub probability: Vec<f64>,
    /// `E[U | X = x, D = d]`, indexed `[x][d]`: the expected utility of option `d` if `X` is
    /// known to be in state `x`; `None` where `P(X = x)` is 0.
    pub expected_utility: Vec<Vec<Option<f64>>>,
}

/// The expected utility of each option of `decision` given each state of the chance variable
/// `observed`, every other decision following its policy in `solution`.
///
/// `E[U | x, d] = Q(x, d) / P(x | d)` with `Q(x, d) = Σ_u Σ_{rest} Π P(chance | parents) ·
/// Π δ_other · U_u` by variable elimination (Jensen and Nielsen 2007, §9.3). Because `observed`
/// does not descend from a decision, `P(x | d) = P(x)`. Averaging the rows over `P(x)` gives
/// each option's expected utility; taking the best option in each row and averaging gives the
/// maximum expected utility when `observed` is known before deciding (Howard 1966), which is
/// what makes waiting for it worth `Σ_x P(x) max_d E[U | x, d] − max_d Σ_x P(x) E[U | x, d]`.
///
/// # Errors
/// [`DecisionError::NotObservable`] when `decision` is not a decision of the diagram or
/// `observed` is not a chance node that precedes every decision; [`DecisionError::TooComplex`]
/// past `max_table_entries`.
///
/// # Complexity
/// Two variable eliminations per utility node.
///
/// # Example
/// ```
/// use engines::bayes::{conditional_utilities, solve, Cpt, DecideOptions, DecisionError, IdNode, InfluenceDiagram, Utility, ValueOfInformation, Variable};
/// let vars = vec![Variable::new("weather", ["rain", "sun"]), Variable::new("umbrella", ["take", "leave"])];
/// let nodes = vec![
///     IdNode::Chance(Cpt { parents: vec![], table: vec![0.3, 0.7] }),
///     IdNode::Decision { informational: vec![] },
/// ];
/// let u = Utility { name: "comfort".into(), parents: vec![0, 1], table: vec![70.0, 0.0, 20.0, 100.0] };
/// let id = InfluenceDiagram::new(vars, nodes, vec![u], vec![1])?;
/// let options = DecideOptions { max_table_entries: 1 << 20, value_of_information: ValueOfInformation::Skip };
/// let s = solve(&id, &options)?;
/// let c = conditional_utilities(&id, &s, 1, 0, 1 << 20)?;
/// assert_eq!(c.expected_utility[0], vec![Some(70.0), Some(0.0)]); // rain: take, leave
/// assert_eq!(c.expected_utility[1], vec![Some(20.0), Some(100.0)]); // sun
/// // The decision cannot be observed before itself.
/// assert!(matches!(conditional_utilities(&id, &s, 1, 1, 1 << 20), Err(DecisionError::NotObservable { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn conditional_utilities(
    id: &InfluenceDiagram,
    solution: &Solution,
    decision: usize,
    observed: usize,
    max_table_entries: usize,
) -> Result<Conditional, DecisionError> {
    let limit = max_table_entries;
    let not = DecisionError::NotObservable { decision, node: observed };
    if !id.order.contains(&decision)
        || !matches!(id.nodes.get(observed), Some(IdNode::Chance(_)))
        || id.after_decision[observed]
    {
        return Err(not);
    }
    let too = |e: super::factor::TooLarge| DecisionError::TooComplex { entries: e.entries, limit };
    let card = id.card();
    let mut base = chance_factors(id, &card);
    for d in solution.decisions.iter().filter(|d| d.node != decision) {
        let mut vars = d.policy.informational.clone();
        vars.push(d.node);
        let mut table = vec![0.0; d.policy.choice.len() * card[d.node]];
        for (r, &c) in d.policy.choice.iter().enumerate() {
            table[r * card[d.node] + c] = 1.0;
        }
        base.push(Factor::from_table(&vars, &card, &table));
    }
    let mut keep = vec![observed, decision];
    keep.sort_unstable();
    // Reads a factor over `keep` as a table [x][d].
    let as_table = |f: &Factor| {
        let mut t = vec![vec![0.0; card[decision]]; card[observed]];
        let mut digits = vec![0usize; f.scope.len()];
        for (e, &value) in f.values.iter().enumerate() {
            f.decode(e, &mut digits);
            let at = |v: usize| f.scope.iter().position(|&s| s == v).map_or(0, |p| digits[p]);
            t[at(observed)][at(decision)] += value;
        }
        t
    };
    let work = &mut Workspace::default();
    let joint = as_table(&marginalise(&base, &keep, &card, limit, work).map_err(too)?);
    let mut q = vec![vec![0.0; card[decision]]; card[observed]];
    for u in &id.utilities {
        let u = Factor::from_table(&u.parents, &card, &u.table);
        let part = as_table(
            &marginalise(base.iter().chain([&u]), &keep, &card, limit, work).map_err(too)?,
        );
        for (row, add) in q.iter_mut().zip(&part) {
            row.iter_mut().zip(add).for_each(|(a, b)| *a += b);
        }
    }
    let probability: Vec<f64> = joint.iter().map(|row| row[0]).collect();
    let expected_utility = q
        .iter()
        .zip(&joint)
        .map(|(qs, ps)| {
            qs.iter().zip(ps).map(|(&q, &p)| (p > prec::PROB_SUM).then(|| q / p)).collect()
        })
        .collect();
    Ok(Conditional { probability, expected_utility })
}

/// The first index of the largest value, treating values within [`prec::REORDER`] (relative) as
/// equal.
pub(crate) fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in values.iter().enumerate() {
        if x > values[best] + prec::REORDER * values[best].abs().max(1.0) {
            best = i;
        }
    }
    best
}

/// What [`optimise`] finds.
pub(crate) struct Optimum {
    /// The maximum expected utility.
    pub(crate) meu: f64,
    /// Each decision's best option per state of what it observes.
    pub(crate) choices: Vec<Vec<usize>>,
    /// The first decision's table of expected utilities by state observed and option
    /// ([`first_table`]); empty when that decision is forced.
    pub(crate) first_table: Vec<f64>,
}

/// Backward induction, and the expected utility of the policy it finds. `forced = (k, d)` fixes
/// the k-th decision to option `d`; `extra` chance nodes are observed before the first decision.
/// `work` keeps the orders of elimination chosen, and the buffers, for the next call on a
/// diagram of the same shape.
pub(crate) fn optimise(
    id: &InfluenceDiagram,
    forced: Option<(usize, usize)>,
    extra: &[usize],
    limit: usize,
    work: &mut Workspace,
) -> Result<Optimum, DecisionError> {
    let too = |e: super::factor::TooLarge| DecisionError::TooComplex { entries: e.entries, limit };
    let card = id.card();
    let p = induce(id, forced, extra, limit, work)?;
    let mut meu = 0.0;
    for u in &p.utilities {
        let factors = p.chance.iter().chain(&p.policies).chain([u]);
        meu += marginalise(factors, &[], &card, limit, work).map_err(too)?.values[0];
    }
    Ok(Optimum { meu, choices: p.choices, first_table: p.first_table })
}

/// The optimal choices of the first decision (one per state of what it observes), without their
/// expected utility: the part of [`optimise`] a search for the judgment where the policy changes
/// needs, at half the cost when there is one decision.
pub(crate) fn first_policy(
    id: &InfluenceDiagram,
    limit: usize,
    work: &mut Workspace,
) -> Result<Vec<usize>, DecisionError> {
    let p = induce(id, None, &[], limit, work)?;
    Ok(p.choices.into_iter().next().unwrap_or_default())
}

/// The table the first decision's policy is chosen from: for each state of what it observes
/// (as [`first_policy`] numbers them) and each of its options, the expected utility of taking
/// it there, summed over what the decision does not observe and weighted by the chance of
/// being there; [`first_policy`] is the [`argmax`] of each row. With one decision, each entry
/// is a sum of products of one entry of each table, so it moves linearly with any one entry of
/// a utility table, and with any one probability moved with its row in proportion.
pub(crate) fn first_table(
    id: &InfluenceDiagram,
    limit: usize,
    work: &mut Workspace,
) -> Result<Vec<f64>, DecisionError> {
    Ok(induce(id, None, &[], limit, work)?.first_table)
}

/// What backward induction finds, and the factors it was found from.
struct Policies {
    /// The chance tables as factors.
    chance: Vec<Factor>,
    /// The utility tables as factors.
    utilities: Vec<Factor>,
    /// Each decision's policy as a 0/1 factor over what it observes and itself.
    policies: Vec<Factor>,
    /// Each decision's best option per state of what it observes.
    choices: Vec<Vec<usize>>,
    /// The first decision's table of expected utilities by state observed and option
    /// ([`first_table`]); empty when that decision is forced.
    first_table: Vec<f64>,
}

/// Backward induction, as [`optimise`] describes it.
fn induce(
    id: &InfluenceDiagram,
    forced: Option<(usize, usize)>,
    extra: &[usize],
    limit: usize,
    work: &mut Workspace,
) -> Result<Policies, DecisionError> {
    let too = |e: super::factor::TooLarge| DecisionError::TooComplex { entries: e.entries, limit };
    let card = id.card();
    let base = chance_factors(id, &card);
    let utilities: Vec<Factor> =
        id.utilities.iter().map(|u| Factor::from_table(&u.parents, &card, &u.table)).collect();
    let k_count = id.order.len();
    let mut choices = vec![Vec::new(); k_count];
    let mut first_table = Vec::new();
    let mut policies: Vec<Factor> = Vec::new();
    if let Some((k, option)) = forced {
        let d = id.order[k];
        let mut values = vec![0.0; card[d]];
        values[option.min(card[d] - 1)] = 1.0;
        policies.push(Factor { scope: vec![d], cards: vec![card[d]], values });
        choices[k] = vec![option];
    }
    for k in (0..k_count).rev() {
        if forced.is_some_and(|(f, _)| f == k) {
            continue;
        }
        let d = id.order[k];
        let mut info = id.info[k].clone();
        info.extend_from_slice(extra);
        info.sort_unstable();
        info.dedup();
        let mut keep = info.clone();
        keep.push(d);
        keep.sort_unstable();
        let mut q: Option<Factor> = None;
        for u in &utilities {
            let factors = base.iter().chain(&policies).chain([u]);
            let f = marginalise(factors, &keep, &card, limit, work).map_err(too)?;
            q = Some(match q {
                None => f,
                Some(mut acc) => {
                    acc.values.iter_mut().zip(&f.values).for_each(|(a, b)| *a += b);
                    acc
                }
            });
        }
        let Some(q) = q else { break };
        // Best option per information state. Entries sharing an information state differ only
        // in the decision's digit; collect Q by (info row, option).
        let dpos = q.scope.iter().position(|&v| v == d).unwrap_or(0);
        let rows: usize = info.iter().map(|&v| card[v]).product();
        let mut table = vec![0.0; rows * card[d]];
        let mut digits = vec![0usize; q.scope.len()];
        for (e, &x) in q.values.iter().enumerate() {
            q.decode(e, &mut digits);
            let mut row = 0;
            for (pos, &dig) in digits.iter().enumerate() {
                if pos != dpos {
                    row = row * q.cards[pos] + dig;
                }
            }
            table[row * card[d] + digits[dpos]] = x;
        }
        let choice: Vec<usize> = table.chunks(card[d]).map(argmax).collect();
        let mut values = vec![0.0; q.values.len()];
        for (e, value) in values.iter_mut().enumerate() {
            q.decode(e, &mut digits);
            let mut row = 0;
            for (pos, &dig) in digits.iter().enumerate() {
                if pos != dpos {
                    row = row * q.cards[pos] + dig;
                }
            }
            if choice[row] == digits[dpos] {
                *value = 1.0;
            }
        }
        policies.push(Factor { scope: q.scope.clone(), cards: q.cards.clone(), values });
        choices[k] = choice;
        if k == 0 {
            first_table = table;
        }
    }
    Ok(Policies { chance: base, utilities, policies, choices, first_table })
}

/// The diagram's chance tables as factors over their parents and themselves, in node order.
fn chance_factors(id: &InfluenceDiagram, card: &[usize]) -> Vec<Factor> {
    let mut factors = Vec::new();
    for (v, node) in id.nodes.iter().enumerate() {
        if let IdNode::Chance(cpt) = node {
            let mut vars = cpt.parents.clone();
            vars.push(v);
            factors.push(Factor::from_table(&vars, card, &cpt.table));
        }
    }
    factors
}
