//! Exact inference by a junction tree: compile once, then answer many queries.
//!
//! [`JunctionTree::compile`] moralises the network, triangulates it by eliminating variables in a
//! greedy min-fill (or min-weight) order, keeps the maximal elimination cliques joined in an
//! elimination tree, assigns each CPT to a clique holding its family, and multiplies the initial
//! clique potentials once. For every tree edge it stores two index maps (clique entry → separator
//! entry), so message passing is two tight loops over flat arrays with no allocation.
//!
//! A query ([`JunctionTree::marginals`]) enters each finding as a likelihood vector on the
//! smallest clique holding its variable, then runs the two passes of Hugin propagation (collect
//! towards the roots, distribute back), rescaling every upward message to sum 1 and keeping the
//! logarithms of the scale factors, so the probability of the evidence never underflows.
//! [`JunctionTree::mpe`] does the collect pass with maximisation and decodes top-down.
//!
//! References: S. L. Lauritzen and D. J. Spiegelhalter (1988), "Local computations with
//! probabilities on graphical structures and their application to expert systems", *Journal of
//! the Royal Statistical Society B* 50(2):157–224; F. V. Jensen, S. L. Lauritzen and K. G. Olesen
//! (1990), "Bayesian updating in causal probabilistic networks by local computations",
//! *Computational Statistics Quarterly* 4:269–282 (the Hugin passes); D. Koller and N. Friedman
//! (2009), *Probabilistic Graphical Models*, MIT Press, §9.4.3 (greedy elimination orderings:
//! min-fill, min-weight), §10.2–10.3 (clique trees from elimination, calibration) and §13.3 (max-product
//! and decoding for MAP/MPE).

use super::net::{BayesNet, NetError, TableKind, check_table};

/// How the elimination order is chosen when triangulating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Heuristic {
    /// Eliminate the variable that adds the fewest fill-in edges; ties by the smaller clique
    /// weight, then by index (Koller and Friedman 2009, §9.4.3.2).
    MinFill,
    /// Eliminate the variable whose clique has the fewest table entries; ties by index.
    MinWeight,
}

/// Options for [`JunctionTree::compile`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompileOptions {
    /// The elimination heuristic.
    pub heuristic: Heuristic,
    /// The largest clique table (number of entries) the compiler accepts; beyond it exact
    /// inference would need more memory or time than is reasonable. [`DEFAULT_MAX_CLIQUE`] is
    /// 2^24 entries (128 MiB of `f64` per clique).
    pub max_clique_entries: usize,
}

/// The default largest clique table, 2^24 entries.
pub const DEFAULT_MAX_CLIQUE: usize = 1 << 24;

/// Why a network could not be compiled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// The triangulation found has a clique table above the limit.
    #[error(
        "exact inference is too costly: the elimination order found has treewidth {treewidth} and a clique of \
         {clique_entries:.3e} table entries (the limit is {limit}); simplify the network (fewer parents per \
         variable, fewer states, or split it), or raise the limit if memory allows"
    )]
    TooComplex {
        /// The width of the triangulation found (largest clique size minus 1): an upper bound on
        /// the network's treewidth.
        treewidth: usize,
        /// The number of entries of the largest clique table.
        clique_entries: f64,
        /// A variable of that clique (its eliminated variable).
        node: usize,
        /// The limit that was exceeded.
        limit: usize,
    },
}

/// One finding entered as evidence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Finding {
    /// Hard evidence: the variable is known to be in this state.
    State {
        /// The variable.
        node: usize,
        /// Its observed state.
        state: usize,
    },
    /// Soft (likelihood, "virtual") evidence: `P(observation | node = s)` up to a common factor,
    /// one non-negative entry per state (Pearl 1988, *Probabilistic Reasoning in Intelligent
    /// Systems*, §2.2.2).
    Likelihood {
        /// The variable.
        node: usize,
        /// One weight per state, not all zero.
        likelihood: Vec<f64>,
    },
}

impl Finding {
    /// The variable this finding is about.
    pub fn node(&self) -> usize {
        match self {
            Finding::State { node, .. } | Finding::Likelihood { node, .. } => *node,
        }
    }
}

/// Why a query failed. Findings are named by their index in the evidence list.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// A finding names a variable that does not exist.
    #[error("finding {finding} names variable {node}, which does not exist")]
    UnknownNode {
        /// The finding.
        finding: usize,
        /// The variable index given.
        node: usize,
    },
    /// A finding names a state the variable does not have.
    #[error("finding {finding} names state {state} of variable {node}, which does not exist")]
    UnknownState {
        /// The finding.
        finding: usize,
        /// The variable.
        node: usize,
        /// The state index given.
        state: usize,
    },
    /// A likelihood has the wrong number of entries.
    #[error("finding {finding} on variable {node} has {found} likelihoods, expected {expected}")]
    LikelihoodSize {
        /// The finding.
        finding: usize,
        /// The variable.
        node: usize,
        /// The variable's number of states.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A likelihood entry is negative or not finite, or all are zero.
    #[error(
        "finding {finding} on variable {node} has a negative, non-finite or all-zero likelihood"
    )]
    BadLikelihood {
        /// The finding.
        finding: usize,
        /// The variable.
        node: usize,
    },
    /// Two findings are about the same variable.
    #[error("findings {first} and {second} are both about variable {node}")]
    RepeatedNode {
        /// The first finding.
        first: usize,
        /// The second one.
        second: usize,
        /// The variable.
        node: usize,
    },
    /// The evidence has probability zero under the network. `findings` is a minimal subset of
    /// the findings that is already impossible on its own (removing any one makes it possible).
    #[error("the evidence is impossible: findings {findings:?} cannot hold together")]
    Impossible {
        /// The findings that conflict.
        findings: Vec<usize>,
    },
}

/// All posterior marginals and the probability of the evidence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Posterior {
    /// `marginals[v][s] = P(v = s | evidence)`; each row sums to 1.
    pub marginals: Vec<Vec<f64>>,
    /// `P(evidence)`: for hard evidence the probability of the findings; with likelihood findings,
    /// the expected product of the likelihoods. It may underflow to 0 for very unlikely evidence;
    /// the logarithm below does not.
    pub evidence_probability: f64,
    /// The natural logarithm of `evidence_probability`.
    pub log_evidence_probability: f64,
}

/// The most probable explanation: a full assignment maximising `P(x, evidence)`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Mpe {
    /// One state per variable (observed variables keep their observed state).
    pub states: Vec<usize>,
    /// `P(x, evidence)` at that assignment (with likelihood findings, weighted by them).
    pub probability: f64,
    /// Its natural logarithm.
    pub log_probability: f64,
}

/// A compiled junction tree of one network, ready for queries. It borrows nothing: queries take
/// `&self` and may run on many threads at once.
#[derive(Debug, Clone)]
pub struct JunctionTree {
    /// The network compiled (kept for MPE probabilities and error checks).
    net: BayesNet,
    cliques: Vec<Clique>,
    /// Clique indices with every child before its parent.
    upward: Vec<usize>,
    /// Offset of each clique's potential in the flat potential buffer; last entry = total.
    pot_offset: Vec<usize>,
    /// The initial potentials (products of the assigned CPTs), flat.
    initial: Vec<f64>,
    /// Offset of each clique's separator (to its parent) in the flat separator buffer.
    sep_offset: Vec<usize>,
    /// For each variable: its home clique, its stride and number of states there.
    home: Vec<Home>,
    /// For each variable: the clique its CPT is multiplied into, and the CPT's stride for each
    /// of that clique's variables (0 for those outside the family).
    assigned: Vec<(usize, Vec<usize>)>,
    treewidth: usize,
}

#[derive(Debug, Clone)]
struct Clique {
    /// Variables, ascending; the first varies slowest.
    vars: Vec<usize>,
    parent: Option<usize>,
    /// Entry of this clique → entry of the separator with the parent.
    to_sep: Vec<u32>,
    /// Entry of the parent clique → entry of the separator (empty for roots).
    parent_to_sep: Vec<u32>,
    sep_len: usize,
    /// The number of states of each of `vars`.
    cards: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Home {
    clique: usize,
    stride: usize,
    card: usize,
}

/// Reusable buffers for queries, so that repeated queries allocate nothing.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pot: Vec<f64>,
    sep: Vec<f64>,
    scale: Vec<f64>,
    new_sep: Vec<f64>,
    lik: Vec<Option<usize>>,
}

impl Workspace {
    /// Empty buffers; they grow on first use.
    pub fn new() -> Workspace {
        Workspace::default()
    }
}

impl JunctionTree {
    /// Compiles `net` into a junction tree.
    ///
    /// # Errors
    /// [`CompileError::TooComplex`] when the largest clique of the triangulation found has more
    /// than `options.max_clique_entries` entries; the error gives the width found.
    ///
    /// # Complexity
    /// Choosing the order costs O(n² d²) for n variables of moral degree at most d; building the
    /// potentials costs the total size of the clique tables.
    ///
    /// # Example
    /// ```
    /// use engines::bayes::{BayesNet, CompileOptions, CompileError, Cpt, Heuristic, JunctionTree, Variable};
    /// let net = BayesNet::new(
    ///     vec![Variable::new("a", ["t", "f"]), Variable::new("b", ["t", "f"])],
    ///     vec![
    ///         Cpt { parents: vec![], table: vec![0.3, 0.7] },
    ///         Cpt { parents: vec![0], table: vec![0.9, 0.1, 0.2, 0.8] },
    ///     ],
    /// )?;
    /// let options = CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: 1 << 20 };
    /// let jt = JunctionTree::compile(&net, &options)?;
    /// let post = jt.marginals(&[])?;
    /// assert!((post.marginals[1][0] - (0.3 * 0.9 + 0.7 * 0.2)).abs() <= engines::prec::REORDER);
    /// // A clique of 4 entries is over a limit of 2.
    /// let tiny = CompileOptions { max_clique_entries: 2, ..options };
    /// assert!(matches!(JunctionTree::compile(&net, &tiny), Err(CompileError::TooComplex { treewidth: 1, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compile(net: &BayesNet, options: &CompileOptions) -> Result<JunctionTree, CompileError> {
        let n = net.len();
        let card: Vec<usize> = (0..n).map(|v| net.card(v)).collect();
        let families: Vec<Vec<usize>> = (0..n)
            .map(|v| {
                let mut f = net.cpts()[v].parents.clone();
                f.push(v);
                f
            })
            .collect();
        let (order, elim_cliques) = eliminate(n, &card, &families, options.heuristic);

        // Check sizes before building anything large.
        let mut treewidth = 0;
        for (i, c) in elim_cliques.iter().enumerate() {
            treewidth = treewidth.max(c.len() - 1);
            let entries: f64 = c.iter().map(|&v| card[v] as f64).product();
            if entries > options.max_clique_entries as f64 {
                let width = elim_cliques.iter().map(|c| c.len() - 1).max().unwrap_or(0);
                let clique_entries = elim_cliques
                    .iter()
                    .map(|c| c.iter().map(|&v| card[v] as f64).product::<f64>())
                    .fold(0.0, f64::max);
                return Err(CompileError::TooComplex {
                    treewidth: width,
                    clique_entries,
                    node: order[i],
                    limit: options.max_clique_entries,
                });
            }
        }

        // Elimination tree: clique i's parent is the clique of the earliest-eliminated variable
        // of its separator. Then merge a parent into a child that contains it.
        let mut position = vec![0usize; n];
        for (i, &v) in order.iter().enumerate() {
            position[v] = i;
        }
        let mut parent: Vec<Option<usize>> = elim_cliques
            .iter()
            .enumerate()
            .map(|(i, c)| c.iter().filter(|&&v| v != order[i]).map(|&v| position[v]).min())
            .collect();
        let mut alias: Vec<usize> = (0..n).collect();
        let mut alive = vec![true; n];
        fn resolve(alias: &[usize], mut i: usize) -> usize {
            while alias[i] != i {
                i = alias[i];
            }
            i
        }
        for i in 0..n {
            while let Some(p) = parent[i].map(|p| resolve(&alias, p)) {
                if is_subset(&elim_cliques[p], &elim_cliques[i]) {
                    alias[p] = i;
                    alive[p] = false;
                    parent[i] = parent[p];
                } else {
                    parent[i] = Some(p);
                    break;
                }
            }
        }
        let live: Vec<usize> = (0..n).filter(|&i| alive[i]).collect();
        let mut new_index = vec![usize::MAX; n];
        for (k, &i) in live.iter().enumerate() {
            new_index[i] = k;
        }
        let mut cliques: Vec<Clique> = live
            .iter()
            .map(|&i| {
                let mut vars = elim_cliques[i].clone();
                vars.sort_unstable();
                Clique {
                    cards: vars.iter().map(|&v| card[v]).collect(),
                    vars,
                    parent: parent[i].map(|p| new_index[resolve(&alias, p)]),
                    to_sep: Vec::new(),
                    parent_to_sep: Vec::new(),
                    sep_len: 1,
                }
            })
            .collect();

        // Children before parents: a breadth-first order from the roots, reversed.
        let m = cliques.len();
        let mut children = vec![Vec::new(); m];
        let mut roots = Vec::new();
        for (c, clique) in cliques.iter().enumerate() {
            match clique.parent {
                Some(p) => children[p].push(c),
                None => roots.push(c),
            }
        }
        let mut downward = roots;
        let mut next = 0;
        while next < downward.len() {
            let c = downward[next];
            next += 1;
            downward.extend_from_slice(&children[c]);
        }
        let upward: Vec<usize> = downward.into_iter().rev().collect();

        // Separator maps.
        let mut sep_offset = Vec::with_capacity(m + 1);
        let mut total_sep = 0;
        for c in 0..m {
            sep_offset.push(total_sep);
            if let Some(p) = cliques[c].parent {
                let sep: Vec<usize> = cliques[c]
                    .vars
                    .iter()
                    .copied()
                    .filter(|v| cliques[p].vars.contains(v))
                    .collect();
                let to_sep = project_map(&cliques[c].vars, &sep, &card);
                let parent_to_sep = project_map(&cliques[p].vars, &sep, &card);
                let sep_len: usize = sep.iter().map(|&v| card[v]).product();
                cliques[c].to_sep = to_sep;
                cliques[c].parent_to_sep = parent_to_sep;
                cliques[c].sep_len = sep_len;
                total_sep += sep_len;
            }
        }
        sep_offset.push(total_sep);

        // Potentials: each CPT goes to the clique of its family's first-eliminated variable.
        let mut pot_offset = Vec::with_capacity(m + 1);
        let mut total = 0;
        for c in &cliques {
            pot_offset.push(total);
            total += c.vars.iter().map(|&v| card[v]).product::<usize>();
        }
        pot_offset.push(total);
        let mut initial = vec![1.0; total];
        let mut assigned = Vec::with_capacity(n);
        for (v, family) in families.iter().enumerate() {
            let first = family.iter().map(|&u| position[u]).min().unwrap_or(position[v]);
            let c = new_index[resolve(&alias, first)];
            let clique = &cliques[c];
            let cpt = &net.cpts()[v];
            // The CPT's index as a function of the clique entry: Σ over family members of
            // state × CPT stride.
            let mut cpt_strides = vec![0usize; clique.vars.len()];
            let mut stride = card[v];
            for &p in cpt.parents.iter().rev() {
                if let Some(pos) = clique.vars.iter().position(|&u| u == p) {
                    cpt_strides[pos] = stride;
                }
                stride *= card[p];
            }
            if let Some(pos) = clique.vars.iter().position(|&u| u == v) {
                cpt_strides[pos] = 1;
            }
            let slice = &mut initial[pot_offset[c]..pot_offset[c + 1]];
            let cards: Vec<usize> = clique.vars.iter().map(|&u| card[u]).collect();
            for_each_index(&cards, &cpt_strides, |entry, idx| slice[entry] *= cpt.table[idx]);
            assigned.push((c, cpt_strides));
        }

        // Home clique of each variable: the smallest clique holding it.
        let mut home = vec![Home { clique: 0, stride: 1, card: 1 }; n];
        let mut best = vec![usize::MAX; n];
        for (c, clique) in cliques.iter().enumerate() {
            let size = pot_offset[c + 1] - pot_offset[c];
            let mut stride = size;
            for &v in &clique.vars {
                stride /= card[v];
                if size < best[v] {
                    best[v] = size;
                    home[v] = Home { clique: c, stride, card: card[v] };
                }
            }
        }

        Ok(JunctionTree {
            net: net.clone(),
            cliques,
            upward,
            pot_offset,
            initial,
            sep_offset,
            home,
            assigned,
            treewidth,
        })
    }

    /// Replaces the tables of some variables (same parents, so the same shapes) and recomputes
    /// the initial potentials, keeping the compiled structure: for a loop over many versions of
    /// one network's numbers (an ensemble, a sensitivity analysis), this costs one pass over
    /// the clique tables instead of a compilation, and allocates nothing.
    ///
    /// # Errors
    /// The [`NetError`] of the first table that [`BayesNet::new`] would reject (wrong size, an
    /// entry outside [0, 1], a row not summing to 1); the tree is then left unchanged.
    ///
    /// # Complexity
    /// Linear in the tables given plus [`JunctionTree::table_entries`] times the number of
    /// variables per clique.
    ///
    /// # Example
    /// ```
    /// use engines::bayes::{BayesNet, CompileOptions, Cpt, Heuristic, JunctionTree, NetError, Variable};
    /// let net = BayesNet::new(
    ///     vec![Variable::new("a", ["t", "f"]), Variable::new("b", ["t", "f"])],
    ///     vec![
    ///         Cpt { parents: vec![], table: vec![0.3, 0.7] },
    ///         Cpt { parents: vec![0], table: vec![0.9, 0.1, 0.2, 0.8] },
    ///     ],
    /// )?;
    /// let options = CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: 1 << 20 };
    /// let mut jt = JunctionTree::compile(&net, &options)?;
    /// jt.set_tables(&[(0, &[0.5, 0.5])])?;
    /// let post = jt.marginals(&[])?;
    /// assert!((post.marginals[1][0] - (0.5 * 0.9 + 0.5 * 0.2)).abs() <= engines::prec::REORDER);
    /// assert!(matches!(jt.set_tables(&[(1, &[0.5, 0.5])]), Err(NetError::TableSize { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_tables(&mut self, tables: &[(usize, &[f64])]) -> Result<(), NetError> {
        for &(node, table) in tables {
            if node >= self.net.len() {
                return Err(NetError::NoSuchNode { node });
            }
            let parents = &self.net.cpts()[node].parents;
            check_table(self.net.variables(), node, parents, table, TableKind::Probability)?;
        }
        for &(node, table) in tables {
            self.net.set_table(node, table);
        }
        self.initial.iter_mut().for_each(|x| *x = 1.0);
        for (v, (c, strides)) in self.assigned.iter().enumerate() {
            let clique = &self.cliques[*c];
            let slice = &mut self.initial[self.pot_offset[*c]..self.pot_offset[*c + 1]];
            let table = &self.net.cpts()[v].table;
            for_each_index(&clique.cards, strides, |entry, idx| slice[entry] *= table[idx]);
        }
        Ok(())
    }

    /// The width of the triangulation (largest clique size minus 1): an upper bound on the
    /// network's treewidth.
    pub fn treewidth(&self) -> usize {
        self.treewidth
    }

    /// The number of cliques.
    pub fn clique_count(&self) -> usize {
        self.cliques.len()
    }

    /// The total number of entries of the clique tables (memory per query, in `f64`s).
    pub fn table_entries(&self) -> usize {
        self.initial.len()
    }

    /// The network this tree was compiled from.
    pub fn net(&self) -> &BayesNet {
        &self.net
    }

    /// The posterior marginal of every variable given `evidence`, and `P(evidence)`.
    ///
    /// # Errors
    /// A [`QueryError`] for a finding that names a missing variable or state, a malformed
    /// likelihood, two findings on one variable, or evidence of probability zero (naming a minimal
    /// set of conflicting findings).
    ///
    /// # Complexity
    /// Linear in [`JunctionTree::table_entries`] (about three passes over every clique table).
    ///
    /// # Example
    /// ```
    /// use engines::bayes::{BayesNet, CompileOptions, Cpt, Finding, Heuristic, JunctionTree, QueryError, Variable};
    /// let net = BayesNet::new(
    ///     vec![Variable::new("a", ["t", "f"]), Variable::new("b", ["t", "f"])],
    ///     vec![
    ///         Cpt { parents: vec![], table: vec![0.3, 0.7] },
    ///         Cpt { parents: vec![0], table: vec![1.0, 0.0, 0.2, 0.8] },
    ///     ],
    /// )?;
    /// let options = CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: 1 << 20 };
    /// let jt = JunctionTree::compile(&net, &options)?;
    /// let post = jt.marginals(&[Finding::State { node: 1, state: 0 }])?;
    /// // P(a = t | b = t) = 0.3 / (0.3 + 0.14), by Bayes' rule.
    /// assert!((post.marginals[0][0] - 0.3 / 0.44).abs() <= engines::prec::REORDER);
    /// // a = t forces b = t, so a = t and b = f cannot both hold.
    /// let impossible = [Finding::State { node: 0, state: 0 }, Finding::State { node: 1, state: 1 }];
    /// assert_eq!(jt.marginals(&impossible), Err(QueryError::Impossible { findings: vec![0, 1] }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn marginals(&self, evidence: &[Finding]) -> Result<Posterior, QueryError> {
        let mut ws = Workspace::new();
        let mut post = Posterior {
            marginals: self.net.variables().iter().map(|v| vec![0.0; v.states.len()]).collect(),
            evidence_probability: 0.0,
            log_evidence_probability: 0.0,
        };
        self.marginals_into(evidence, &mut ws, &mut post)?;
        Ok(post)
    }

    /// As [`JunctionTree::marginals`], writing into `out` (whose shape must be one row per
    /// variable with one entry per state, as [`JunctionTree::marginals`] returns) and reusing
    /// `workspace`, so that a loop of queries allocates nothing.
    ///
    /// # Errors
    /// As [`JunctionTree::marginals`].
    ///
    /// # Panics
    /// When `out` has the wrong shape.
    pub fn marginals_into(
        &self,
        evidence: &[Finding],
        workspace: &mut Workspace,
        out: &mut Posterior,
    ) -> Result<(), QueryError> {
        self.check_evidence(evidence, workspace)?;
        let log_pe = match self.propagate(evidence, workspace, Pass::Sum) {
            Some(l) => l,
            None => return Err(self.impossible(evidence)),
        };
        self.distribute(workspace);
        for (v, row) in out.marginals.iter_mut().enumerate() {
            let h = self.home[v];
            let pot = &workspace.pot[self.pot_offset[h.clique]..self.pot_offset[h.clique + 1]];
            row.iter_mut().for_each(|x| *x = 0.0);
            let block = h.stride * h.card;
            for (k, &x) in pot.iter().enumerate() {
                row[(k % block) / h.stride] += x;
            }
            let sum: f64 = row.iter().sum();
            row.iter_mut().for_each(|x| *x /= sum);
        }
        out.log_evidence_probability = log_pe;
        out.evidence_probability = log_pe.exp();
        Ok(())
    }

    /// The most probable explanation: the full assignment `x` maximising `P(x, evidence)`.
    /// Ties go to the assignment found first in table order (deterministic).
    ///
    /// # Errors
    /// As [`JunctionTree::marginals`].
    ///
    /// # Complexity
    /// Linear in [`JunctionTree::table_entries`].
    ///
    /// # Example
    /// ```
    /// use engines::bayes::{BayesNet, CompileOptions, Cpt, Finding, Heuristic, JunctionTree, QueryError, Variable};
    /// let net = BayesNet::new(
    ///     vec![Variable::new("a", ["t", "f"]), Variable::new("b", ["t", "f"])],
    ///     vec![
    ///         Cpt { parents: vec![], table: vec![0.3, 0.7] },
    ///         Cpt { parents: vec![0], table: vec![1.0, 0.0, 0.2, 0.8] },
    ///     ],
    /// )?;
    /// let jt = JunctionTree::compile(&net, &CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: 64 })?;
    /// let mpe = jt.mpe(&[])?;
    /// assert_eq!(mpe.states, vec![1, 1]); // 0.7 × 0.8 = 0.56
    /// assert!(jt.mpe(&[Finding::State { node: 0, state: 9 }]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mpe(&self, evidence: &[Finding]) -> Result<Mpe, QueryError> {
        let mut ws = Workspace::new();
        self.check_evidence(evidence, &mut ws)?;
        if self.propagate(evidence, &mut ws, Pass::Max).is_none() {
            return Err(self.impossible(evidence));
        }
        // Decode from the roots down: each clique picks its best entry among those agreeing with
        // its parent's choice on the separator.
        let n = self.net.len();
        let card: Vec<usize> = (0..n).map(|v| self.net.card(v)).collect();
        let mut states = vec![0usize; n];
        let mut chosen = vec![0usize; self.cliques.len()];
        for &c in self.upward.iter().rev() {
            let clique = &self.cliques[c];
            let pot = &ws.pot[self.pot_offset[c]..self.pot_offset[c + 1]];
            let want = clique.parent.map(|p| clique.parent_to_sep[chosen[p]]);
            let mut best = None::<(usize, f64)>;
            for (k, &x) in pot.iter().enumerate() {
                if want.is_some_and(|w| clique.to_sep[k] != w) {
                    continue;
                }
                if best.is_none_or(|(_, b)| x > b) {
                    best = Some((k, x));
                }
            }
            let k = best.map_or(0, |(k, _)| k);
            chosen[c] = k;
            let mut rest = k;
            for &v in clique.vars.iter().rev() {
                states[v] = rest % card[v];
                rest /= card[v];
            }
        }
        // The probability of the assignment, from the CPTs and likelihoods directly.
        let mut log_p = 0.0;
        for (v, cpt) in self.net.cpts().iter().enumerate() {
            let mut row = 0;
            for &p in &cpt.parents {
                row = row * card[p] + states[p];
            }
            log_p += cpt.table[row * card[v] + states[v]].ln();
        }
        for f in evidence {
            if let Finding::Likelihood { node, likelihood } = f {
                log_p += likelihood[states[*node]].ln();
            }
        }
        Ok(Mpe { states, probability: log_p.exp(), log_probability: log_p })
    }

    fn check_evidence(&self, evidence: &[Finding], ws: &mut Workspace) -> Result<(), QueryError> {
        let n = self.net.len();
        ws.lik.clear();
        ws.lik.resize(n, None);
        for (i, f) in evidence.iter().enumerate() {
            let node = f.node();
            if node >= n {
                return Err(QueryError::UnknownNode { finding: i, node });
            }
            if let Some(first) = ws.lik[node] {
                return Err(QueryError::RepeatedNode { first, second: i, node });
            }
            ws.lik[node] = Some(i);
            let card = self.net.card(node);
            match f {
                Finding::State { state, .. } if *state >= card => {
                    return Err(QueryError::UnknownState { finding: i, node, state: *state });
                }
                Finding::Likelihood { likelihood, .. } => {
                    if likelihood.len() != card {
                        return Err(QueryError::LikelihoodSize {
                            finding: i,
                            node,
                            expected: card,
                            found: likelihood.len(),
                        });
                    }
                    let ok = likelihood.iter().all(|x| x.is_finite() && *x >= 0.0)
                        && likelihood.iter().any(|&x| x > 0.0);
                    if !ok {
                        return Err(QueryError::BadLikelihood { finding: i, node });
                    }
                }
                Finding::State { .. } => {}
            }
        }
        Ok(())
    }

    /// Loads the potentials, enters the evidence and runs the collect pass. Returns the log of
    /// the total mass (the probability of the evidence for [`Pass::Sum`]), or `None` when it is 0.
    fn propagate(&self, evidence: &[Finding], ws: &mut Workspace, pass: Pass) -> Option<f64> {
        ws.pot.clear();
        ws.pot.extend_from_slice(&self.initial);
        ws.sep.clear();
        ws.sep.resize(*self.sep_offset.last().unwrap_or(&0), 0.0);
        ws.scale.clear();
        ws.scale.resize(self.cliques.len(), 1.0);
        for f in evidence {
            let h = self.home[f.node()];
            let pot = &mut ws.pot[self.pot_offset[h.clique]..self.pot_offset[h.clique + 1]];
            let block = h.stride * h.card;
            match f {
                Finding::State { state, .. } => {
                    for (k, x) in pot.iter_mut().enumerate() {
                        if (k % block) / h.stride != *state {
                            *x = 0.0;
                        }
                    }
                }
                Finding::Likelihood { likelihood, .. } => {
                    for (k, x) in pot.iter_mut().enumerate() {
                        *x *= likelihood[(k % block) / h.stride];
                    }
                }
            }
        }
        let mut log_total = 0.0;
        for &c in &self.upward {
            let clique = &self.cliques[c];
            let (lo, hi) = (self.pot_offset[c], self.pot_offset[c + 1]);
            let Some(p) = clique.parent else {
                let pot = &mut ws.pot[lo..hi];
                let z = match pass {
                    Pass::Sum => pot.iter().sum::<f64>(),
                    Pass::Max => pot.iter().copied().fold(0.0, f64::max),
                };
                if z <= 0.0 || !z.is_finite() {
                    return None;
                }
                pot.iter_mut().for_each(|x| *x /= z);
                log_total += z.ln();
                continue;
            };
            let sep = &mut ws.sep[self.sep_offset[c]..self.sep_offset[c] + clique.sep_len];
            sep.iter_mut().for_each(|x| *x = 0.0);
            let pot = &ws.pot[lo..hi];
            match pass {
                Pass::Sum => {
                    for (k, &x) in pot.iter().enumerate() {
                        sep[clique.to_sep[k] as usize] += x;
                    }
                }
                Pass::Max => {
                    for (k, &x) in pot.iter().enumerate() {
                        let s = &mut sep[clique.to_sep[k] as usize];
                        *s = s.max(x);
                    }
                }
            }
            let z = match pass {
                Pass::Sum => sep.iter().sum::<f64>(),
                Pass::Max => sep.iter().copied().fold(0.0, f64::max),
            };
            if z <= 0.0 || !z.is_finite() {
                return None;
            }
            sep.iter_mut().for_each(|x| *x /= z);
            ws.scale[c] = z;
            log_total += z.ln();
            let parent_pot = &mut ws.pot[self.pot_offset[p]..self.pot_offset[p + 1]];
            for (k, x) in parent_pot.iter_mut().enumerate() {
                *x *= sep[clique.parent_to_sep[k] as usize];
            }
        }
        Some(log_total)
    }

    /// The distribute pass of Hugin propagation, after [`JunctionTree::propagate`] with
    /// [`Pass::Sum`]: every clique ends holding its posterior joint (summing to 1 up to rounding).
    fn distribute(&self, ws: &mut Workspace) {
        let mut new_sep = std::mem::take(&mut ws.new_sep);
        for &c in self.upward.iter().rev() {
            let clique = &self.cliques[c];
            let Some(p) = clique.parent else { continue };
            new_sep.clear();
            new_sep.resize(clique.sep_len, 0.0);
            let parent_pot = &ws.pot[self.pot_offset[p]..self.pot_offset[p + 1]];
            for (k, &x) in parent_pot.iter().enumerate() {
                new_sep[clique.parent_to_sep[k] as usize] += x;
            }
            let old = &ws.sep[self.sep_offset[c]..self.sep_offset[c] + clique.sep_len];
            let z = ws.scale[c];
            for (n, &o) in new_sep.iter_mut().zip(old) {
                // Where the upward message is 0 the clique's entries are already 0 (0/0 := 0).
                *n = if o > 0.0 { *n / (o * z) } else { 0.0 };
            }
            let pot = &mut ws.pot[self.pot_offset[c]..self.pot_offset[c + 1]];
            for (k, x) in pot.iter_mut().enumerate() {
                *x *= new_sep[clique.to_sep[k] as usize];
            }
        }
        ws.new_sep = new_sep;
    }

    /// The error for impossible evidence, with a minimal conflicting subset of the findings
    /// (found by dropping findings one at a time while the rest stays impossible).
    fn impossible(&self, evidence: &[Finding]) -> QueryError {
        let mut keep: Vec<usize> = (0..evidence.len()).collect();
        let mut ws = Workspace::new();
        let mut i = 0;
        while i < keep.len() {
            let trial: Vec<Finding> = keep
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &k)| evidence[k].clone())
                .collect();
            if self.propagate(&trial, &mut ws, Pass::Sum).is_none() {
                keep.remove(i);
            } else {
                i += 1;
            }
        }
        QueryError::Impossible { findings: keep }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Sum,
    Max,
}

fn is_subset(small: &[usize], big: &[usize]) -> bool {
    small.iter().all(|v| big.contains(v))
}

/// For each entry of a table over `vars` (first slowest), the entry of its projection on `sub`.
fn project_map(vars: &[usize], sub: &[usize], card: &[usize]) -> Vec<u32> {
    let cards: Vec<usize> = vars.iter().map(|&v| card[v]).collect();
    let mut strides = vec![0usize; vars.len()];
    let mut stride = 1;
    for &s in sub.iter().rev() {
        if let Some(pos) = vars.iter().position(|&v| v == s) {
            strides[pos] = stride;
        }
        stride *= card[s];
    }
    let total: usize = cards.iter().product();
    let mut map = vec![0u32; total];
    for_each_index(&cards, &strides, |entry, idx| map[entry] = idx as u32);
    map
}

/// Calls `f(entry, Σ state_k × strides[k])` for every entry of a table with these cardinalities
/// (first slowest), by an odometer.
pub(crate) fn for_each_index(cards: &[usize], strides: &[usize], mut f: impl FnMut(usize, usize)) {
    let total: usize = cards.iter().product();
    let mut digits = vec![0usize; cards.len()];
    let mut idx = 0usize;
    for entry in 0..total {
        f(entry, idx);
        for k in (0..cards.len()).rev() {
            digits[k] += 1;
            idx += strides[k];
            if digits[k] < cards[k] {
                break;
            }
            idx -= strides[k] * cards[k];
            digits[k] = 0;
        }
    }
}

/// Greedy elimination on the moral graph. Returns the order and, for each step, the clique
/// formed (the variable and its neighbours still present).
pub(crate) fn eliminate(
    n: usize,
    card: &[usize],
    families: &[Vec<usize>],
    heuristic: Heuristic,
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mut adj = vec![false; n * n];
    let mut nbrs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let link = |a: usize, b: usize, adj: &mut Vec<bool>, nbrs: &mut Vec<Vec<usize>>| {
        if a != b && !adj[a * n + b] {
            adj[a * n + b] = true;
            adj[b * n + a] = true;
            nbrs[a].push(b);
            nbrs[b].push(a);
        }
    };
    for f in families {
        for (i, &a) in f.iter().enumerate() {
            for &b in &f[i + 1..] {
                link(a, b, &mut adj, &mut nbrs);
            }
        }
    }
    let log_card: Vec<f64> = card.iter().map(|&c| (c as f64).ln()).collect();
    let mut gone = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut cliques = Vec::with_capacity(n);
    let score = |v: usize, adj: &[bool], nbrs: &[Vec<usize>], gone: &[bool]| -> (usize, f64) {
        let live: Vec<usize> = nbrs[v].iter().copied().filter(|&u| !gone[u]).collect();
        let weight = log_card[v] + live.iter().map(|&u| log_card[u]).sum::<f64>();
        let fill = match heuristic {
            Heuristic::MinFill => {
                let mut fill = 0;
                for (i, &a) in live.iter().enumerate() {
                    for &b in &live[i + 1..] {
                        if !adj[a * n + b] {
                            fill += 1;
                        }
                    }
                }
                fill
            }
            Heuristic::MinWeight => 0,
        };
        (fill, weight)
    };
    let mut scores: Vec<(usize, f64)> = (0..n).map(|v| score(v, &adj, &nbrs, &gone)).collect();
    for _ in 0..n {
        let mut best = usize::MAX;
        for v in 0..n {
            if gone[v] {
                continue;
            }
            if best == usize::MAX {
                best = v;
                continue;
            }
            let (f, w) = scores[v];
            let (bf, bw) = scores[best];
            // Weights are compared with a small relative margin so that ties in exact arithmetic
            // stay ties whatever the rounding of the logarithms.
            if f < bf || (f == bf && w < bw - 1e-9) {
                best = v;
            }
        }
        let v = best;
        let live: Vec<usize> = nbrs[v].iter().copied().filter(|&u| !gone[u]).collect();
        for (i, &a) in live.iter().enumerate() {
            for &b in &live[i + 1..] {
                link(a, b, &mut adj, &mut nbrs);
            }
        }
        gone[v] = true;
        let mut clique = live.clone();
        clique.push(v);
        order.push(v);
        cliques.push(clique);
        // Scores change for the neighbours and their neighbours.
        let mut touched: Vec<usize> = live.clone();
        for &a in &live {
            touched.extend(nbrs[a].iter().copied().filter(|&u| !gone[u]));
        }
        touched.sort_unstable();
        touched.dedup();
        for u in touched {
            scores[u] = score(u, &adj, &nbrs, &gone);
        }
    }
    (order, cliques)
}
