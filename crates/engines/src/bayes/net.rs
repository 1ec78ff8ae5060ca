//! The discrete Bayesian network type: variables with named states, one conditional probability
//! table (CPT) per variable, checked once in [`BayesNet::new`] and valid from then on.
//!
//! A CPT is stored row-major: one row per configuration of the parents (the first parent varies
//! slowest, the last fastest, as in BIF and pgmpy's `TabularCPD` read column-wise), and within a
//! row one entry per state of the child.

use crate::prec;

/// A discrete variable: a name and its states, in order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Variable {
    /// The variable's name, unique in its network.
    pub name: String,
    /// The names of its states, unique within the variable; at least one.
    pub states: Vec<String>,
}

impl Variable {
    /// A variable named `name` with the states `states`.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        states: impl IntoIterator<Item = S>,
    ) -> Variable {
        Variable { name: name.into(), states: states.into_iter().map(Into::into).collect() }
    }
}

/// The conditional probability table of one variable given its parents.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cpt {
    /// The parents, as indices into the network's variables, in the order the table uses.
    pub parents: Vec<usize>,
    /// `P(child = s | parents = r)` at `r * child_states + s`, where the row index `r` counts the
    /// parents' configurations with the first parent varying slowest.
    pub table: Vec<f64>,
}

/// Why a network was rejected by [`BayesNet::new`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// The network has no variables.
    #[error("the network has no variables")]
    Empty,
    /// There is not one CPT per variable.
    #[error("{cpts} conditional probability tables for {variables} variables")]
    CptCount {
        /// How many variables were given.
        variables: usize,
        /// How many CPTs were given.
        cpts: usize,
    },
    /// Two variables share a name.
    #[error("variables {first} and {second} are both named `{name}`")]
    DuplicateName {
        /// The first variable with that name.
        first: usize,
        /// The second one.
        second: usize,
        /// The shared name.
        name: String,
    },
    /// A variable has no states.
    #[error("variable {node} has no states")]
    NoStates {
        /// The variable.
        node: usize,
    },
    /// A variable lists the same state twice.
    #[error("variable {node} lists state `{state}` twice")]
    DuplicateState {
        /// The variable.
        node: usize,
        /// The repeated state name.
        state: String,
    },
    /// A CPT names a parent that is not a variable of the network.
    #[error("the table of variable {node} names parent {parent}, which does not exist")]
    UnknownParent {
        /// The child.
        node: usize,
        /// The parent index as given.
        parent: usize,
    },
    /// A CPT names the same parent twice, or the variable itself.
    #[error(
        "the table of variable {node} names parent {parent} twice or names the variable itself"
    )]
    DuplicateParent {
        /// The child.
        node: usize,
        /// The repeated parent.
        parent: usize,
    },
    /// A CPT has the wrong number of entries.
    #[error("the table of variable {node} has {found} entries, expected {expected}")]
    TableSize {
        /// The variable.
        node: usize,
        /// Parent configurations times the variable's states.
        expected: usize,
        /// The entries given.
        found: usize,
    },
    /// A CPT entry is negative, above 1 or not a number.
    #[error("the table of variable {node} has entry {value} in row {row}, state {state}")]
    BadEntry {
        /// The variable.
        node: usize,
        /// The parent configuration.
        row: usize,
        /// The child state.
        state: usize,
        /// The offending value.
        value: f64,
    },
    /// A CPT row does not sum to 1 within [`prec::PROB_SUM`].
    #[error("row {row} of the table of variable {node} sums to {sum}, not 1")]
    RowSum {
        /// The variable.
        node: usize,
        /// The parent configuration.
        row: usize,
        /// The row's sum.
        sum: f64,
    },
    /// The parent links form a cycle through this variable.
    #[error("the parent links form a cycle through variable {node}")]
    Cycle {
        /// A variable on the cycle.
        node: usize,
    },
    /// A table is too large to index (more entries than `usize` can count).
    #[error("the table of variable {node} is too large")]
    TooLarge {
        /// The variable.
        node: usize,
    },
    /// A table was given for a variable the network does not have
    /// ([`super::JunctionTree::set_tables`]).
    #[error("there is no variable {node}")]
    NoSuchNode {
        /// The index given.
        node: usize,
    },
}

impl NetError {
    /// The variable the error is about: the culprit's index (the second of two variables that
    /// share a name), or `None` when no one variable is to blame.
    pub fn node(&self) -> Option<usize> {
        match self {
            NetError::NoStates { node }
            | NetError::DuplicateState { node, .. }
            | NetError::UnknownParent { node, .. }
            | NetError::DuplicateParent { node, .. }
            | NetError::TableSize { node, .. }
            | NetError::BadEntry { node, .. }
            | NetError::RowSum { node, .. }
            | NetError::Cycle { node }
            | NetError::TooLarge { node } => Some(*node),
            NetError::DuplicateName { second, .. } => Some(*second),
            NetError::Empty | NetError::CptCount { .. } | NetError::NoSuchNode { .. } => None,
        }
    }
}

/// A checked discrete Bayesian network.
///
/// Invariants, established by [`BayesNet::new`]: variable names are unique, every variable has at
/// least one state and unique state names, every CPT has the right size with entries in `[0, 1]`
/// and rows summing to 1 within [`prec::PROB_SUM`], and the parent links are acyclic.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BayesNet {
    variables: Vec<Variable>,
    cpts: Vec<Cpt>,
    /// A topological order of the variables (parents first).
    order: Vec<usize>,
}

impl BayesNet {
    /// Checks and builds a network from its variables and one CPT per variable (same order).
    ///
    /// # Errors
    /// A [`NetError`] naming the first problem found, in this order: an empty network, a CPT
    /// count mismatch, a variable without states or with a repeated name or state, a bad parent,
    /// a table of the wrong size, a bad entry, a row not summing to 1, a cycle.
    ///
    /// # Complexity
    /// Linear in the total size of the tables.
    ///
    /// # Example
    /// ```
    /// use engines::bayes::{BayesNet, Cpt, NetError, Variable};
    /// let rain = Variable::new("rain", ["yes", "no"]);
    /// let ok = BayesNet::new(vec![rain.clone()], vec![Cpt { parents: vec![], table: vec![0.2, 0.8] }]);
    /// assert!(ok.is_ok());
    /// let bad = BayesNet::new(vec![rain], vec![Cpt { parents: vec![], table: vec![0.2, 0.7] }]);
    /// assert!(matches!(bad, Err(NetError::RowSum { node: 0, row: 0, .. })));
    /// ```
    pub fn new(variables: Vec<Variable>, cpts: Vec<Cpt>) -> Result<BayesNet, NetError> {
        let n = variables.len();
        if n == 0 {
            return Err(NetError::Empty);
        }
        if cpts.len() != n {
            return Err(NetError::CptCount { variables: n, cpts: cpts.len() });
        }
        check_variables(&variables)?;
        for (node, cpt) in cpts.iter().enumerate() {
            check_table(&variables, node, &cpt.parents, &cpt.table, TableKind::Probability)?;
        }
        let parents: Vec<&[usize]> = cpts.iter().map(|c| c.parents.as_slice()).collect();
        let order = topological_order(&parents).map_err(|node| NetError::Cycle { node })?;
        Ok(BayesNet { variables, cpts, order })
    }

    /// Overwrites the table of `node` with `table`, which the caller has checked
    /// ([`check_table`]) against the same parents.
    pub(crate) fn set_table(&mut self, node: usize, table: &[f64]) {
        self.cpts[node].table.copy_from_slice(table);
    }

    /// The variables, in index order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The CPTs, one per variable.
    pub fn cpts(&self) -> &[Cpt] {
        &self.cpts
    }

    /// The number of variables.
    pub fn len(&self) -> usize {
        self.variables.len()
    }

    /// Always `false`: a network has at least one variable.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The number of states of variable `node`.
    ///
    /// # Panics
    /// When `node` is not a variable index.
    pub fn card(&self, node: usize) -> usize {
        self.variables[node].states.len()
    }

    /// A topological order of the variables, parents before children.
    pub fn topological_order(&self) -> &[usize] {
        &self.order
    }

    /// The index of the variable named `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.variables.iter().position(|v| v.name == name)
    }

    /// The network with the CPT of `node` replaced, checked again.
    ///
    /// # Errors
    /// As [`BayesNet::new`].
    pub fn with_cpt(&self, node: usize, cpt: Cpt) -> Result<BayesNet, NetError> {
        let mut cpts = self.cpts.clone();
        match cpts.get_mut(node) {
            Some(c) => *c = cpt,
            None => return Err(NetError::CptCount { variables: self.len(), cpts: node + 1 }),
        }
        BayesNet::new(self.variables.clone(), cpts)
    }
}

/// What a table holds, for [`check_table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// Rows of probabilities over the child's states.
    Probability,
    /// One finite utility per parent configuration (the "child" has one state).
    Utility,
}

pub(crate) fn check_variables(variables: &[Variable]) -> Result<(), NetError> {
    let mut by_name = std::collections::HashMap::with_capacity(variables.len());
    for (node, v) in variables.iter().enumerate() {
        if let Some(&first) = by_name.get(v.name.as_str()) {
            return Err(NetError::DuplicateName { first, second: node, name: v.name.clone() });
        }
        by_name.insert(v.name.as_str(), node);
        if v.states.is_empty() {
            return Err(NetError::NoStates { node });
        }
        for (i, s) in v.states.iter().enumerate() {
            if v.states[..i].contains(s) {
                return Err(NetError::DuplicateState { node, state: s.clone() });
            }
        }
    }
    Ok(())
}

/// Checks one table of `node` (a CPT, or a utility table whose node index is only used in
/// error values) against the variables.
pub(crate) fn check_table(
    variables: &[Variable],
    node: usize,
    parents: &[usize],
    table: &[f64],
    kind: TableKind,
) -> Result<(), NetError> {
    let mut rows = 1usize;
    for (i, &p) in parents.iter().enumerate() {
        if p >= variables.len() {
            return Err(NetError::UnknownParent { node, parent: p });
        }
        if (kind == TableKind::Probability && p == node) || parents[..i].contains(&p) {
            return Err(NetError::DuplicateParent { node, parent: p });
        }
        rows = rows.checked_mul(variables[p].states.len()).ok_or(NetError::TooLarge { node })?;
    }
    let width = match kind {
        TableKind::Probability => variables[node].states.len(),
        TableKind::Utility => 1,
    };
    let expected = rows.checked_mul(width).ok_or(NetError::TooLarge { node })?;
    if table.len() != expected {
        return Err(NetError::TableSize { node, expected, found: table.len() });
    }
    for (row, entries) in table.chunks(width).enumerate() {
        for (state, &value) in entries.iter().enumerate() {
            let ok = match kind {
                TableKind::Probability => (0.0..=1.0).contains(&value),
                TableKind::Utility => value.is_finite(),
            };
            if !ok {
                return Err(NetError::BadEntry { node, row, state, value });
            }
        }
        if kind == TableKind::Probability {
            let sum: f64 = entries.iter().sum();
            if (sum - 1.0).abs() > prec::PROB_SUM {
                return Err(NetError::RowSum { node, row, sum });
            }
        }
    }
    Ok(())
}

/// Kahn's algorithm; on a cycle, returns a node on it (one that is left with unmet parents and
/// whose own chain of unmet parents loops).
pub(crate) fn topological_order(parents: &[&[usize]]) -> Result<Vec<usize>, usize> {
    let n = parents.len();
    let mut children = vec![Vec::new(); n];
    let mut missing = vec![0usize; n];
    for (v, ps) in parents.iter().enumerate() {
        missing[v] = ps.len();
        for &p in ps.iter() {
            children[p].push(v);
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&v| missing[v] == 0).collect();
    let mut next = 0;
    while next < order.len() {
        let v = order[next];
        next += 1;
        for &c in &children[v] {
            missing[c] -= 1;
            if missing[c] == 0 {
                order.push(c);
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Walk back along unmet parents until a node repeats: that node is on a cycle.
    let mut v = (0..n).find(|&v| missing[v] > 0).unwrap_or(0);
    let mut seen = vec![false; n];
    while !seen[v] {
        seen[v] = true;
        v = parents[v].iter().copied().find(|&p| missing[p] > 0).unwrap_or(v);
    }
    Err(v)
}
