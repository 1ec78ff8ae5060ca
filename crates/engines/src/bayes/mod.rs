//! Bayesian networks and influence diagrams: how likely each future is, and which option serves
//! the decision maker best.
//!
//! Brief overview:
//! - [`BayesNet`] (in `net`): a checked discrete Bayesian network (variables with named states,
//!   one CPT per variable, acyclic, rows summing to 1).
//! - [`JunctionTree`] (in `jtree`): exact inference. Compile once (min-fill or min-weight
//!   triangulation, with a guard on the clique size that reports the treewidth), then query:
//!   every posterior marginal in one propagation with hard or likelihood [`Finding`]s, the
//!   probability of the evidence, and the most probable explanation ([`Mpe`]).
//! - [`InfluenceDiagram`] (in `decision`): chance, decision and utility nodes; [`solve`] gives the
//!   expected utility of every option of every decision, the optimal policy, and the expected
//!   value of perfect information (EVPI) overall and per chance node.
//! - [`tornado_probability`] and [`tornado_utility`] (in `sensitivity`): one-way sensitivity of a
//!   target (a state's probability or the maximum expected utility) to every probability and
//!   utility judgment, sorted by swing, with the threshold at which the best option changes.
//!
//! Variables are named by index everywhere; names live in [`Variable`] for the callers that map
//! indices back to files and scenarios.

mod decision;
mod factor;
mod jtree;
mod net;
mod sensitivity;

pub use decision::{
    Conditional, DecideOptions, Decision, DecisionError, IdError, IdNode, InfluenceDiagram, Policy,
    Solution, Utility, ValueOfInformation, conditional_utilities, solve,
};
pub use jtree::{
    CompileError, CompileOptions, DEFAULT_MAX_CLIQUE, Finding, Heuristic, JunctionTree, Mpe,
    Posterior, QueryError, Workspace,
};
pub use net::{BayesNet, Cpt, NetError, Variable};
pub use sensitivity::{
    Bar, Parameter, SensitivityError, Tornado, TornadoOptions, covary_row, tornado_probability,
    tornado_utility,
};

#[cfg(test)]
mod tests;
