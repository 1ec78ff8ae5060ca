//! The scenario → bayes mapping: the scenario's drivers with probabilities (a `prior`, or `cpt`
//! rows over their `parents`) become the chance variables of a Bayesian network; its decisions
//! become decision nodes that observe the drivers they list in `observes`, with one utility node
//! per (decision, driver) pair holding what each option is worth in each state of that driver (0
//! for an option with no term on it). Variables are numbered drivers first, in file order, then
//! decisions; decisions are taken in the graph's topological order.
//!
//! [`summarise`] runs the lens for `statecraft run`: the probability of the headline state, how it
//! moves with each root driver, the decisions' expected utilities and EVPI, and the largest bars
//! of the tornado of the maximum expected utility.

use engines::bayes::{
    BayesNet, CompileOptions, Cpt, DEFAULT_MAX_CLIQUE, DecideOptions, Finding, Heuristic, IdError,
    IdNode, InfluenceDiagram, JunctionTree, NetError, Solution, TornadoOptions, Utility,
    ValueOfInformation, Variable, solve, tornado_utility,
};

use crate::scenario::Scenario;

/// A scenario as the bayes engine sees it.
#[derive(Debug, Clone)]
pub struct BayesStudy {
    /// The scenario's title.
    pub title: String,
    /// For each variable, the scenario id it came from (a driver or a decision).
    pub ids: Vec<String>,
    /// The network of the drivers; decisions, if any, appear in it as uniform root variables
    /// (use [`BayesStudy::diagram`] to decide them).
    pub net: BayesNet,
    /// The influence diagram, when the scenario has decisions.
    pub diagram: Option<InfluenceDiagram>,
    /// The headline state as (variable, state), when the scenario names one.
    pub headline: Option<(usize, usize)>,
}

/// Why a scenario cannot be mapped. Errors name the scenario's ids.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BayesMapError {
    /// No driver has probabilities.
    #[error("no driver has a `prior` or `cpt`: there is no Bayesian network in this scenario")]
    NoNetwork,
    /// A driver with probabilities has a parent without them.
    #[error("driver `{driver}` has parent `{parent}`, which has no `prior` or `cpt`")]
    ParentWithoutProbabilities {
        /// The driver.
        driver: String,
        /// The parent.
        parent: String,
    },
    /// A combination of the parents' states has no `cpt` row.
    #[error("driver `{driver}` has no `cpt` row for {row}")]
    MissingRow {
        /// The driver.
        driver: String,
        /// The parents' states, as `parent = state` pairs.
        row: String,
    },
    /// A `when` or a utility names a state or option that does not exist.
    #[error("driver `{driver}`: `{state}` is not a state of `{of}`")]
    UnknownState {
        /// The driver or decision concerned.
        driver: String,
        /// The variable.
        of: String,
        /// The state named.
        state: String,
    },
    /// The engine rejected the network (a cycle, a row not summing to 1).
    #[error("`{id}`: {error}")]
    Net {
        /// The driver or decision concerned.
        id: String,
        /// The engine's error.
        error: NetError,
    },
    /// The engine rejected the influence diagram.
    #[error("the decisions: {0}")]
    Diagram(IdError),
}

impl BayesStudy {
    /// Maps a validated scenario.
    ///
    /// # Errors
    /// A [`BayesMapError`] naming the scenario ids involved.
    pub fn from_scenario(s: &Scenario) -> Result<BayesStudy, BayesMapError> {
        let drivers: Vec<_> =
            s.drivers.iter().filter(|d| d.prior.is_some() || !d.cpt.is_empty()).collect();
        if drivers.is_empty() {
            return Err(BayesMapError::NoNetwork);
        }
        let mut ids: Vec<String> = drivers.iter().map(|d| d.id.clone()).collect();
        let mut variables: Vec<Variable> = drivers
            .iter()
            .map(|d| Variable { name: d.id.clone(), states: d.states.clone() })
            .collect();
        for d in &s.decisions {
            ids.push(d.id.clone());
            variables.push(Variable { name: d.id.clone(), states: d.options.clone() });
        }
        let index = |id: &str| ids.iter().position(|x| x == id);
        let mut nodes: Vec<IdNode> = Vec::with_capacity(ids.len());
        for d in &drivers {
            let mut parents = Vec::with_capacity(d.parents.len());
            for p in &d.parents {
                match index(p) {
                    Some(i) => parents.push(i),
                    None => {
                        return Err(BayesMapError::ParentWithoutProbabilities {
                            driver: d.id.clone(),
                            parent: p.clone(),
                        });
                    }
                }
            }
            let card = d.states.len();
            let table = if parents.is_empty() {
                d.prior.as_ref().map(|p| p.value.clone()).unwrap_or_default()
            } else {
                let pcards: Vec<usize> =
                    parents.iter().map(|&p| variables[p].states.len()).collect();
                let rows: usize = pcards.iter().product();
                let mut table: Vec<Option<f64>> = vec![None; rows * card];
                for row in &d.cpt {
                    let mut r = 0;
                    for (k, &p) in parents.iter().enumerate() {
                        let pid = &ids[p];
                        let state = row.when.get(pid).map(String::as_str).unwrap_or("");
                        let Some(si) = variables[p].states.iter().position(|x| x == state) else {
                            return Err(BayesMapError::UnknownState {
                                driver: d.id.clone(),
                                of: pid.clone(),
                                state: state.to_string(),
                            });
                        };
                        r = r * pcards[k] + si;
                    }
                    for (st, &x) in row.p.iter().enumerate().take(card) {
                        table[r * card + st] = Some(x);
                    }
                }
                let mut full = Vec::with_capacity(rows * card);
                for (i, x) in table.iter().enumerate() {
                    match x {
                        Some(x) => full.push(*x),
                        None => {
                            let r = i / card;
                            let mut rest = r;
                            let mut parts = vec![String::new(); parents.len()];
                            for k in (0..parents.len()).rev() {
                                let c = pcards[k];
                                parts[k] = format!(
                                    "{} = {}",
                                    ids[parents[k]],
                                    variables[parents[k]].states[rest % c]
                                );
                                rest /= c;
                            }
                            return Err(BayesMapError::MissingRow {
                                driver: d.id.clone(),
                                row: parts.join(", "),
                            });
                        }
                    }
                }
                full
            };
            nodes.push(IdNode::Chance(Cpt { parents, table }));
        }
        let mut utilities = Vec::new();
        let mut ties: Vec<Vec<(usize, usize)>> = Vec::new();
        for dec in &s.decisions {
            let informational = dec.observes.iter().filter_map(|o| index(o)).collect();
            nodes.push(IdNode::Decision { informational });
            let dv = index(&dec.id).unwrap_or(0);
            let mut seen: Vec<&str> = Vec::new();
            for term in &dec.utilities {
                if seen.contains(&term.driver.as_str()) {
                    continue;
                }
                seen.push(&term.driver);
                let Some(xv) = index(&term.driver) else {
                    return Err(BayesMapError::ParentWithoutProbabilities {
                        driver: dec.id.clone(),
                        parent: term.driver.clone(),
                    });
                };
                let (no, nx) = (dec.options.len(), variables[xv].states.len());
                let name = format!("{}:{}", dec.id, term.driver);
                // A term tied to every option is one utility node on the driver alone, so that
                // a sensitivity analysis moves it for every option at once.
                if let Some(t) =
                    dec.utilities.iter().find(|t| t.driver == term.driver && t.option.is_none())
                {
                    let table = t.values.iter().copied().take(nx).collect();
                    utilities.push(Utility { name, parents: vec![xv], table });
                    continue;
                }
                let mut table = vec![0.0; no * nx];
                // Terms tied under several options are one judgment per state: their entries
                // move together in a sensitivity analysis.
                let mut tied: Vec<(&str, Vec<usize>)> = Vec::new();
                for t in dec.utilities.iter().filter(|t| t.driver == term.driver) {
                    let (Some(name), Some(o)) = (
                        t.tie.as_deref(),
                        dec.options.iter().position(|x| Some(x) == t.option.as_ref()),
                    ) else {
                        continue;
                    };
                    match tied.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, os)) => os.push(o),
                        None => tied.push((name, vec![o])),
                    }
                }
                for (_, os) in &tied {
                    for st in 0..nx {
                        ties.push(os.iter().map(|o| (utilities.len(), o * nx + st)).collect());
                    }
                }
                for t in dec.utilities.iter().filter(|t| t.driver == term.driver) {
                    let option = t.option.as_deref().unwrap_or_default();
                    let Some(o) = dec.options.iter().position(|x| x == option) else {
                        return Err(BayesMapError::UnknownState {
                            driver: dec.id.clone(),
                            of: dec.id.clone(),
                            state: option.to_string(),
                        });
                    };
                    for (st, &v) in t.values.iter().enumerate().take(nx) {
                        table[o * nx + st] = v;
                    }
                }
                utilities.push(Utility { name, parents: vec![dv, xv], table });
            }
        }
        // The network: decisions as uniform roots.
        let cpts: Vec<Cpt> = nodes
            .iter()
            .zip(&variables)
            .map(|(n, v)| match n {
                IdNode::Chance(c) => c.clone(),
                IdNode::Decision { .. } => {
                    let k = v.states.len();
                    Cpt { parents: vec![], table: vec![1.0 / k as f64; k] }
                }
            })
            .collect();
        let net = BayesNet::new(variables.clone(), cpts).map_err(|error| BayesMapError::Net {
            id: error.node().and_then(|i| ids.get(i)).cloned().unwrap_or_default(),
            error,
        })?;
        let diagram = if s.decisions.is_empty() {
            None
        } else {
            let order: Vec<usize> = net
                .topological_order()
                .iter()
                .copied()
                .filter(|&v| matches!(nodes[v], IdNode::Decision { .. }))
                .collect();
            Some(
                InfluenceDiagram::new(variables, nodes, utilities, order)
                    .map_err(BayesMapError::Diagram)?
                    .with_ties(ties),
            )
        };
        let headline = s.scenario.headline.as_ref().and_then(|h| {
            let v = index(&h.driver)?;
            let st = net.variables()[v].states.iter().position(|x| x == &h.state)?;
            Some((v, st))
        });
        Ok(BayesStudy { title: s.scenario.title.clone(), ids, net, diagram, headline })
    }
}

/// What `statecraft run` shows of the bayes lens.
#[derive(Debug, Clone)]
pub struct BayesSummary {
    /// The study summarised.
    pub study: BayesStudy,
    /// The network the probabilities are computed on: the drivers with the decisions at their
    /// optimal policy (or the plain network without decisions).
    pub net: BayesNet,
    /// The headline: (variable, state, probability).
    pub headline: Option<(usize, usize, f64)>,
    /// For each root driver: (variable, P(headline | driver = state) per state), or the driver's
    /// own marginal when there is no headline.
    pub by_root: Vec<(usize, Vec<Option<f64>>)>,
    /// The decision analysis.
    pub solution: Option<Solution>,
    /// The largest tornado bars of the maximum expected utility, named.
    pub tornado: Vec<(String, f64, f64, f64, Option<f64>)>,
}

/// Runs the lens on a study for the `statecraft run` summary: solves the influence diagram
/// (with the value of information) and the tornado of its maximum expected utility, then
/// [`summarise_with`].
///
/// # Errors
/// A message when the network is too large or a decision cannot be solved.
pub fn summarise(study: &BayesStudy, top: usize) -> Result<BayesSummary, String> {
    let (net, solution, tornado) = match &study.diagram {
        Some(d) => {
            let options = DecideOptions {
                max_table_entries: DEFAULT_MAX_CLIQUE,
                value_of_information: ValueOfInformation::Compute,
            };
            let s = solve(d, &options).map_err(|e| e.to_string())?;
            let policies: Vec<_> = s.decisions.iter().map(|x| x.policy.clone()).collect();
            let net = d.policy_network(&policies).map_err(|e| e.to_string())?;
            let options = TornadoOptions {
                probability_swing: SUMMARY_SWING,
                utility_swing: SUMMARY_SWING,
                compile: compile_options(),
            };
            let t = tornado_utility(d, &options).map_err(|e| e.to_string())?;
            (net, Some(s), Some(t))
        }
        None => (study.net.clone(), None, None),
    };
    summarise_with(study, net, solution, tornado.as_ref(), &[], top)
}

/// How far each judgment moves in the summary's tornado (± this much), as `statecraft bayes
/// --tornado meu` moves it by default.
pub const SUMMARY_SWING: f64 = 0.1;

/// The junction-tree options of every summary: min-fill, with the default size limit.
fn compile_options() -> CompileOptions {
    CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: DEFAULT_MAX_CLIQUE }
}

/// The summary of a study whose decisions are already solved: `net` is the network with the
/// decisions at their optimal policy (the study's own network without decisions), `solution`
/// the diagram's solution and `tornado` the tornado of its maximum expected utility, of which
/// the `top` largest bars are named. Computes the headline's probability given `findings` (the
/// scenario's observations, none as of its `as_of`) and how it moves with each root driver.
///
/// # Errors
/// A message when the network is too large to compile.
pub fn summarise_with(
    study: &BayesStudy,
    net: BayesNet,
    solution: Option<Solution>,
    tornado: Option<&engines::bayes::Tornado>,
    findings: &[Finding],
    top: usize,
) -> Result<BayesSummary, String> {
    let jt = JunctionTree::compile(&net, &compile_options()).map_err(|e| e.to_string())?;
    let prior = jt.marginals(findings).map_err(|e| e.to_string())?;
    let headline = study.headline.map(|(v, s)| (v, s, prior.marginals[v][s]));
    let roots: Vec<usize> = (0..net.len())
        .filter(|&v| net.cpts()[v].parents.is_empty() && net.card(v) > 1)
        .filter(|&v| {
            study.diagram.as_ref().is_none_or(|d| matches!(d.nodes()[v], IdNode::Chance(_)))
        })
        .collect();
    let mut by_root = Vec::new();
    for &r in &roots {
        let row = (0..net.card(r))
            .map(|st| match headline {
                Some((hv, hs, _)) => jt
                    .marginals(&with(findings, Finding::State { node: r, state: st }))
                    .ok()
                    .map(|p| p.marginals[hv][hs]),
                None => Some(prior.marginals[r][st]),
            })
            .collect();
        by_root.push((r, row));
    }
    let mut named = Vec::new();
    if let (Some(_), Some(t)) = (&study.diagram, tornado) {
        for b in t.bars.iter().take(top) {
            let name = judgment_label(study, &net, b.parameter);
            named.push((
                name,
                b.target_low.unwrap_or(t.base),
                b.target_high.unwrap_or(t.base),
                b.swing,
                b.threshold,
            ));
        }
    }
    Ok(BayesSummary { study: study.clone(), net, headline, by_root, solution, tornado: named })
}

/// `findings` and one more.
fn with(findings: &[Finding], more: Finding) -> Vec<Finding> {
    let mut all = findings.to_vec();
    all.push(more);
    all
}

/// How the reports name a judgment a tornado varies: `P(driver=state | parent=state, …)` for a
/// probability, `U(utility | parent=state, …)` for a utility (with `; tied with N more` when
/// the entry is one of a tie's), with the study's ids; `net` is the
/// study's network (a diagram's with its decisions as policies).
pub fn judgment_label(study: &BayesStudy, net: &BayesNet, p: engines::bayes::Parameter) -> String {
    match p {
        engines::bayes::Parameter::Probability { node, row, state } => {
            let parents = match &study.diagram {
                Some(d) => d_parents(d, node),
                None => net.cpts()[node].parents.clone(),
            };
            let given = given_label(net, &parents, row, &study.ids);
            format!("P({}={}{given})", study.ids[node], net.variables()[node].states[state])
        }
        engines::bayes::Parameter::Utility { utility, row } => match &study.diagram {
            Some(d) => {
                let u = &d.utilities()[utility];
                let given = given_label(net, &u.parents, row, &study.ids);
                match d.ties().iter().find(|g| g.contains(&(utility, row))) {
                    Some(g) => format!("U({}{given}; tied with {} more)", u.name, g.len() - 1),
                    None => format!("U({}{given})", u.name),
                }
            }
            None => format!("U{utility}[{row}]"),
        },
    }
}

fn d_parents(d: &InfluenceDiagram, node: usize) -> Vec<usize> {
    match &d.nodes()[node] {
        IdNode::Chance(c) => c.parents.clone(),
        IdNode::Decision { informational } => informational.clone(),
    }
}

fn given_label(net: &BayesNet, parents: &[usize], mut row: usize, ids: &[String]) -> String {
    if parents.is_empty() {
        return String::new();
    }
    let mut parts = vec![String::new(); parents.len()];
    for (k, &p) in parents.iter().enumerate().rev() {
        let c = net.card(p);
        parts[k] = format!("{}={}", ids[p], net.variables()[p].states[row % c]);
        row /= c;
    }
    format!(" | {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korea_maps_and_solves() {
        let b = crate::builtin::find("korea-2024").expect("built in");
        let loaded = crate::builtin::load(b).expect("valid");
        let study = BayesStudy::from_scenario(&loaded.scenario).expect("maps");
        assert!(study.diagram.is_some() && study.headline.is_some());
        let s = summarise(&study, 5).expect("solves");
        let (_, _, p) = s.headline.expect("headline");
        assert!((0.0..=1.0).contains(&p));
        let sol = s.solution.expect("decisions");
        assert!(sol.evpi.is_some_and(|e| e >= 0.0));
        // The headline given each state of a root averages back to the headline over the root's
        // prior, and at least one root moves it.
        let jt = JunctionTree::compile(&s.net, &compile_options()).expect("compiles");
        let prior = jt.marginals(&[]).expect("marginals").marginals;
        assert!(!s.by_root.is_empty());
        let mut moved = false;
        for (r, row) in &s.by_root {
            let given: Vec<f64> = row.iter().map(|q| q.expect("possible")).collect();
            let total: f64 = given.iter().zip(&prior[*r]).map(|(q, w)| q * w).sum();
            assert!((total - p).abs() <= engines::prec::REORDER, "root {r}: {total} vs {p}");
            moved |= given.iter().any(|q| (q - p).abs() > engines::prec::REORDER);
        }
        assert!(moved, "no root moves the headline");
    }

    /// korea-2024 declares one cost of tension for every option (a `[[decision.utility]]`
    /// without `option`): it maps to one utility node on `tension` alone, the options' expected
    /// utilities are those of three equal per-option terms, and the tornado moves the cost for
    /// all options at once, which flips no option, where moving the status quo's copy alone
    /// did (at −36.46).
    #[test]
    fn a_cost_tied_to_every_option_moves_for_all_of_them() {
        let b = crate::builtin::find("korea-2024").expect("built in");
        let tied = crate::builtin::load(b).expect("valid").scenario;
        let mut apart = tied.clone();
        let dec = &mut apart.decisions[0];
        let k = dec.utilities.iter().position(|t| t.option.is_none()).expect("a tied term");
        let term = dec.utilities.remove(k);
        for o in dec.options.clone() {
            dec.utilities.push(crate::scenario::UtilityTerm { option: Some(o), ..term.clone() });
        }
        let solve_one = |s: &Scenario| {
            let study = BayesStudy::from_scenario(s).expect("maps");
            let d = study.diagram.clone().expect("a diagram");
            let u =
                d.utilities().iter().find(|u| u.name == "seoul:tension").expect("the cost").clone();
            let summary = summarise(&study, 1).expect("solves");
            let eu = summary.solution.expect("decisions").decisions[0].expected_utility.clone();
            (u.parents.len(), eu, summary.tornado[0].clone())
        };
        let (tied_parents, tied_eu, tied_top) = solve_one(&tied);
        let (apart_parents, apart_eu, apart_top) = solve_one(&apart);
        assert_eq!((tied_parents, apart_parents), (1, 2));
        for (a, b) in tied_eu.iter().zip(&apart_eu) {
            assert!((a - b).abs() <= engines::prec::REORDER, "{a} vs {b}");
        }
        assert_eq!(tied_top.0, "U(seoul:tension | tension=elevated)");
        assert_eq!(tied_top.4, None, "moving the cost for every option flips nothing");
        assert!(apart_top.0.contains("seoul=status_quo_nato, tension=elevated"), "{}", apart_top.0);
        assert!(apart_top.4.is_some(), "moving one option's copy flips the advice");
    }

    /// The same cost written under each option with `tie` is one judgment: the tornado moves
    /// the three copies together, as it moves the single term for every option, and so flips
    /// nothing; untied, moving the status quo's copy alone flips the advice.
    #[test]
    fn tied_terms_move_together_in_the_tornado() {
        let b = crate::builtin::find("korea-2024").expect("built in");
        let every = crate::builtin::load(b).expect("valid").scenario;
        let mut tied = every.clone();
        let dec = &mut tied.decisions[0];
        let k = dec.utilities.iter().position(|t| t.option.is_none()).expect("a shared term");
        let term = dec.utilities.remove(k);
        for o in dec.options.clone() {
            dec.utilities.push(crate::scenario::UtilityTerm {
                option: Some(o),
                tie: Some("tension_cost".into()),
                ..term.clone()
            });
        }
        let top = |s: &Scenario| {
            let study = BayesStudy::from_scenario(s).expect("maps");
            summarise(&study, 1).expect("solves").tornado[0].clone()
        };
        let (every_top, tied_top) = (top(&every), top(&tied));
        assert!(tied_top.0.contains("tension=elevated; tied with 2 more"), "{}", tied_top.0);
        assert_eq!(tied_top.4, None, "moving the tied cost flips nothing");
        for (a, b) in [(every_top.1, tied_top.1), (every_top.2, tied_top.2)] {
            assert!((a - b).abs() <= engines::prec::REORDER, "{a} vs {b}");
        }
    }

    /// The `minimal` scenario has a network; with every prior and CPT taken away it has none.
    #[test]
    fn err_no_network_without_priors_or_cpts() {
        let b = crate::builtin::find("minimal").expect("built in");
        let mut s = crate::builtin::load(b).expect("valid").scenario;
        assert!(BayesStudy::from_scenario(&s).is_ok(), "minimal maps as it is");
        for d in &mut s.drivers {
            d.prior = None;
            d.cpt.clear();
        }
        assert_eq!(BayesStudy::from_scenario(&s).err(), Some(BayesMapError::NoNetwork));
    }
}
