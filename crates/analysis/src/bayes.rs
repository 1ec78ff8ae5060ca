//! The Bayes lens: exact inference on a Bayesian network by junction tree, and the decision
//! analysis of an influence diagram (expected utilities, optimal policy, value of information,
//! tornado sensitivity), from a scenario or from a network read from a peer's file.
//!
//! [`BayesSettings`] holds every choice, with the defaults of `statecraft bayes`; [`analyse`]
//! runs the lens on a [`BayesModel`]; [`scenario`] maps a scenario's drivers and decisions onto
//! one and adds the summary that `statecraft run` and the answer read.

use engines::bayes::{
    BayesNet, CompileOptions, DEFAULT_MAX_CLIQUE, DecideOptions, Finding, Heuristic, IdNode,
    InfluenceDiagram, JunctionTree, Mpe, Policy, Posterior, QueryError, Solution, Tornado,
    TornadoOptions, Utility, ValueOfInformation, Variable, solve, tornado_probability,
    tornado_utility,
};
use model::lens::bayes::{BayesStudy, BayesSummary, summarise_with};
use model::scenario::Scenario;
use model::updates;

use crate::LensError;

/// Every choice of the Bayes lens.
#[derive(Debug, Clone, PartialEq)]
pub struct BayesSettings {
    /// Hard evidence, each `VAR=STATE`.
    pub evidence: Vec<String>,
    /// Soft evidence, each `VAR=W1,W2,...`: a likelihood for each state of the variable.
    pub likelihood: Vec<String>,
    /// The variables whose marginals to show (all when empty).
    pub query: Vec<String>,
    /// Also find the most probable explanation.
    pub mpe: bool,
    /// Solve the influence diagram: each option's expected utility and the optimal policy.
    pub decide: bool,
    /// With `decide`: the expected value of perfect information.
    pub voi: bool,
    /// The tornado's target: `VAR=STATE` (its probability) or `meu` (a diagram's maximum
    /// expected utility), when asked.
    pub tornado: Option<String>,
    /// How far each judgment moves in the tornado (± this much).
    pub swing: f64,
    /// Refuse a network or diagram whose largest table would have more than this many entries
    /// (8 bytes each).
    pub max_clique_entries: usize,
}

impl Default for BayesSettings {
    fn default() -> Self {
        BayesSettings {
            evidence: Vec::new(),
            likelihood: Vec::new(),
            query: Vec::new(),
            mpe: false,
            decide: false,
            voi: false,
            tornado: None,
            swing: model::lens::bayes::SUMMARY_SWING,
            max_clique_entries: DEFAULT_MAX_CLIQUE,
        }
    }
}

impl BayesSettings {
    /// The settings of `statecraft run` for a scenario: with decisions, each option's expected
    /// utility, the value of information and the tornado of the maximum expected utility;
    /// without, the tornado of the headline's probability (if it names one).
    pub fn for_run(s: &Scenario) -> BayesSettings {
        let tornado = match &s.scenario.headline {
            _ if !s.decisions.is_empty() => Some("meu".to_string()),
            Some(h) => Some(format!("{}={}", h.driver, h.state)),
            None => None,
        };
        let decide = !s.decisions.is_empty();
        BayesSettings { decide, voi: decide, tornado, ..BayesSettings::default() }
    }
}

/// A model the lens can analyse.
#[derive(Debug, Clone)]
pub enum BayesModel {
    /// A Bayesian network.
    Network {
        /// Its name.
        name: String,
        /// The network.
        net: BayesNet,
    },
    /// An influence diagram.
    Diagram {
        /// Its name.
        name: String,
        /// The diagram.
        diagram: InfluenceDiagram,
    },
}

/// What the Bayes lens found.
#[derive(Debug, Clone)]
pub struct BayesAnalysis {
    /// The model's name.
    pub name: String,
    /// The model analysed, as given.
    pub model: BayesModel,
    /// The network whose marginals are shown: the model itself, or the diagram with its
    /// decisions at their optimal policy.
    pub net: BayesNet,
    /// Repairs made while reading the model.
    pub warnings: Vec<String>,
    /// The parents of each variable as the CPTs (or policies) give them, to name judgments.
    pub parents: Vec<Vec<usize>>,
    /// The triangulation's width.
    pub treewidth: usize,
    /// Hard evidence, as (variable, state).
    pub evidence: Vec<(usize, usize)>,
    /// Soft evidence, as (variable, weights).
    pub likelihood: Vec<(usize, Vec<f64>)>,
    /// The decisions forced to an option by the hard evidence, as (decision, option): a
    /// decision is not observed but set, so its policy is replaced by that option (every
    /// other decision keeps its optimal policy).
    pub forced: Vec<(usize, usize)>,
    /// The marginals given the evidence.
    pub posterior: Posterior,
    /// The variables to show (all when empty).
    pub query: Vec<usize>,
    /// The most probable explanation, if asked.
    pub mpe: Option<Mpe>,
    /// The decision analysis, when the model is a diagram.
    pub solution: Option<Solution>,
    /// The settings it ran with.
    pub settings: BayesSettings,
    /// The tornado, with a label for its target, if asked.
    pub tornado: Option<(String, Tornado)>,
}

impl BayesModel {
    /// The model's variables (a diagram's chance and decision variables).
    pub fn variables(&self) -> &[Variable] {
        match self {
            BayesModel::Network { net, .. } => net.variables(),
            BayesModel::Diagram { diagram, .. } => diagram.variables(),
        }
    }
}

impl BayesAnalysis {
    /// `"network"` or `"diagram"`.
    pub fn kind(&self) -> &'static str {
        match self.model {
            BayesModel::Network { .. } => "network",
            BayesModel::Diagram { .. } => "diagram",
        }
    }

    /// The diagram's utility nodes (none for a network).
    pub fn utilities(&self) -> &[Utility] {
        match &self.model {
            BayesModel::Network { .. } => &[],
            BayesModel::Diagram { diagram, .. } => diagram.utilities(),
        }
    }

    /// The findings the marginals are conditioned on: the hard evidence that does not force a
    /// decision, then the soft evidence, in the order the engine numbers them.
    pub fn findings(&self) -> Vec<Finding> {
        let hard = self
            .evidence
            .iter()
            .filter(|h| !self.forced.contains(h))
            .map(|&(node, state)| Finding::State { node, state });
        let soft = self
            .likelihood
            .iter()
            .map(|(node, w)| Finding::Likelihood { node: *node, likelihood: w.clone() });
        hard.chain(soft).collect()
    }

    /// The decision analysis, when it was asked for (`decide` or `voi`).
    pub fn shown_solution(&self) -> Option<&Solution> {
        self.solution.as_ref().filter(|_| self.settings.decide || self.settings.voi)
    }
}

fn bad(msg: String, help: &str) -> LensError {
    LensError::bad_input(msg).with_help(help)
}

fn compile_options(settings: &BayesSettings) -> CompileOptions {
    CompileOptions {
        heuristic: Heuristic::MinFill,
        max_clique_entries: settings.max_clique_entries,
    }
}

/// A network too large to compile, with the limit and how to raise it.
fn too_large(e: &dyn std::fmt::Display, settings: &BayesSettings) -> LensError {
    LensError::analysis(e.to_string()).with_help(format!(
        "the limit is {} table entries; raise it (--max-clique-entries) if the machine has the memory",
        settings.max_clique_entries
    ))
}

/// Runs the lens on a model: the decisions solved (a diagram), the marginals given the
/// evidence, and the most probable explanation and the tornado when asked.
///
/// # Errors
/// Bad input for a setting that names no variable or state, or asks to decide on a plain
/// network; an analysis error for impossible evidence, a network too large to compile or a
/// diagram that cannot be solved.
pub fn analyse(
    model: BayesModel,
    warnings: Vec<String>,
    settings: &BayesSettings,
) -> Result<BayesAnalysis, LensError> {
    crate::count::count("bayes");
    if !(settings.swing.is_finite() && settings.swing >= 0.0) {
        return Err(bad(
            format!("--swing {} is not a non-negative number", settings.swing),
            "try --swing 0.1",
        ));
    }
    let mut evidence = Evidence::read(model.variables(), settings)?;
    let forced = evidence.forced(&model);
    let (name, net, solution) = decide(&model, settings, &forced)?;
    let vars = net.variables();
    let query: Vec<usize> =
        settings.query.iter().map(|q| find(vars, q)).collect::<Result<_, _>>()?;
    let jt = JunctionTree::compile(&net, &compile_options(settings))
        .map_err(|e| too_large(&e, settings))?;
    let query_error = |e: QueryError| evidence.error(e, settings);
    let posterior = jt.marginals(&evidence.findings).map_err(query_error)?;
    let mpe =
        if settings.mpe { Some(jt.mpe(&evidence.findings).map_err(query_error)?) } else { None };
    let tornado = tornado(&model, &net, &evidence.findings, settings)?;
    let treewidth = jt.treewidth();
    let parents = net.cpts().iter().map(|c| c.parents.clone()).collect();
    Ok(BayesAnalysis {
        name,
        model,
        net,
        warnings,
        parents,
        treewidth,
        evidence: evidence.hard,
        likelihood: evidence.soft,
        forced,
        posterior,
        query,
        mpe,
        solution,
        settings: settings.clone(),
        tornado,
    })
}

/// An analysis error with the engine's message.
fn analysis(e: &dyn std::fmt::Display) -> LensError {
    LensError::analysis(e.to_string())
}

/// [`analysis`], for where a local variable takes that name.
fn analysis_error(e: &dyn std::fmt::Display) -> LensError {
    analysis(e)
}

/// The model's name, the network whose marginals are shown (a diagram's with its decisions at
/// their optimal policy) and the diagram's solution.
fn decide(
    model: &BayesModel,
    settings: &BayesSettings,
    forced: &[(usize, usize)],
) -> Result<(String, BayesNet, Option<Solution>), LensError> {
    match model {
        BayesModel::Network { name, net } => {
            if settings.decide || settings.voi {
                return Err(bad(
                    "--decide and --voi need an influence diagram".into(),
                    "give an XMLBIF file with decision and utility nodes",
                ));
            }
            Ok((name.clone(), net.clone(), None))
        }
        BayesModel::Diagram { name, diagram } => {
            let voi =
                if settings.voi { ValueOfInformation::Compute } else { ValueOfInformation::Skip };
            let options = DecideOptions {
                max_table_entries: settings.max_clique_entries,
                value_of_information: voi,
            };
            let s = solve(diagram, &options).map_err(|e| analysis(&e))?;
            let net = forced_network(diagram, &s, forced)?;
            Ok((name.clone(), net, Some(s)))
        }
    }
}

/// The network of a solved diagram with each decision at its optimal policy, except those in
/// `forced`, each set to its one option whatever it observes.
fn forced_network(
    diagram: &InfluenceDiagram,
    solution: &Solution,
    forced: &[(usize, usize)],
) -> Result<BayesNet, LensError> {
    let policies: Vec<Policy> = solution
        .decisions
        .iter()
        .map(|d| match forced.iter().find(|(v, _)| *v == d.node) {
            Some(&(_, option)) => Policy {
                informational: d.policy.informational.clone(),
                choice: vec![option; d.policy.choice.len()],
            },
            None => d.policy.clone(),
        })
        .collect();
    diagram.policy_network(&policies).map_err(|e| analysis(&e))
}

/// The evidence of the settings, resolved against the network's variables: hard evidence
/// first, then likelihoods, as entered (the engine numbers findings in that order).
struct Evidence {
    hard: Vec<(usize, usize)>,
    soft: Vec<(usize, Vec<f64>)>,
    findings: Vec<Finding>,
}

impl Evidence {
    fn read(vars: &[Variable], settings: &BayesSettings) -> Result<Evidence, LensError> {
        let mut e = Evidence { hard: Vec::new(), soft: Vec::new(), findings: Vec::new() };
        for spec in &settings.evidence {
            let (v, s) = var_state(vars, spec)?;
            e.hard.push((v, s));
            e.findings.push(Finding::State { node: v, state: s });
        }
        for spec in &settings.likelihood {
            let Some((v, w)) = spec.split_once('=') else {
                return Err(bad(
                    format!("`{spec}` is not VAR=W1,W2,..."),
                    "write it as --likelihood xray=0.9,0.2",
                ));
            };
            let var = find(vars, v.trim())?;
            let weights: Result<Vec<f64>, _> =
                w.split(',').map(|x| x.trim().parse::<f64>()).collect();
            let weights = weights.map_err(|err| {
                bad(format!("`{spec}`: {err}"), "weights are numbers separated by commas")
            })?;
            e.soft.push((var, weights.clone()));
            e.findings.push(Finding::Likelihood { node: var, likelihood: weights });
        }
        Ok(e)
    }

    /// Takes the hard evidence on the diagram's decisions out of the findings: a decision is
    /// forced to its option, not observed. Returns those (decision, option) pairs.
    fn forced(&mut self, model: &BayesModel) -> Vec<(usize, usize)> {
        let BayesModel::Diagram { diagram, .. } = model else { return Vec::new() };
        let is_decision = |v: usize| matches!(diagram.nodes()[v], IdNode::Decision { .. });
        let forced: Vec<(usize, usize)> =
            self.hard.iter().copied().filter(|&(v, _)| is_decision(v)).collect();
        self.findings.retain(|f| !matches!(f, Finding::State { node, .. } if is_decision(*node)));
        forced
    }

    /// The error of a query on this evidence, naming the findings as the user wrote them.
    fn error(&self, e: QueryError, settings: &BayesSettings) -> LensError {
        // Findings are numbered as the engine got them: the hard evidence that was not a forced
        // decision, then the likelihoods.
        let observed: Vec<&String> = settings
            .evidence
            .iter()
            .zip(&self.hard)
            .filter(|(_, h)| {
                self.findings
                    .iter()
                    .any(|f| matches!(f, Finding::State { node, state } if (*node, *state) == **h))
            })
            .map(|(spec, _)| spec)
            .collect();
        let name = |i: usize| match i.checked_sub(observed.len()) {
            None => observed.get(i).map(|s| (*s).clone()),
            Some(j) => settings.likelihood.get(j).cloned(),
        };
        match &e {
            QueryError::Impossible { findings } => {
                let names: Vec<String> = findings.iter().filter_map(|&i| name(i)).collect();
                LensError::analysis(format!(
                    "the evidence is impossible: {} cannot all hold",
                    names.join(", ")
                ))
                .with_help(
                    "drop or correct one of these findings; the model gives them probability zero together",
                )
            }
            _ => bad(e.to_string(), "check the --evidence and --likelihood values"),
        }
    }
}

/// The tornado the settings ask for, with a label for its target.
fn tornado(
    model: &BayesModel,
    net: &BayesNet,
    findings: &[Finding],
    settings: &BayesSettings,
) -> Result<Option<(String, Tornado)>, LensError> {
    let options = TornadoOptions {
        probability_swing: settings.swing,
        utility_swing: settings.swing,
        compile: compile_options(settings),
    };
    let diagram = match model {
        BayesModel::Diagram { diagram, .. } => Some(diagram),
        BayesModel::Network { .. } => None,
    };
    Ok(match (&settings.tornado, diagram) {
        (None, _) => None,
        (Some(t), Some(d)) if t.eq_ignore_ascii_case("meu") => Some((
            "the maximum expected utility".into(),
            tornado_utility(d, &options).map_err(|e| analysis(&e))?,
        )),
        (Some(t), _) => {
            let (v, s) = var_state(net.variables(), t)?;
            let tor =
                tornado_probability(net, findings, v, s, &options).map_err(|e| analysis(&e))?;
            Some((format!("P({t})"), tor))
        }
    })
}

fn find(vars: &[Variable], name: &str) -> Result<usize, LensError> {
    vars.iter().position(|v| v.name == name).ok_or_else(|| {
        let near: Vec<&str> =
            vars.iter().map(|v| v.name.as_str()).filter(|n| n.eq_ignore_ascii_case(name)).collect();
        let help = if near.is_empty() {
            "variable names are case-sensitive; `--query` with no value lists them all in the output".to_string()
        } else {
            format!("did you mean `{}`?", near[0])
        };
        LensError::bad_input(format!("no variable named `{name}`")).with_help(help)
    })
}

fn var_state(vars: &[Variable], spec: &str) -> Result<(usize, usize), LensError> {
    let Some((v, s)) = spec.split_once('=') else {
        return Err(bad(format!("`{spec}` is not VAR=STATE"), "write it as --evidence smoke=yes"));
    };
    let var = find(vars, v.trim())?;
    let state = vars[var].states.iter().position(|x| x == s.trim()).ok_or_else(|| {
        bad(
            format!("`{}` is not a state of `{}`", s.trim(), v.trim()),
            &format!("its states are: {}", vars[var].states.join(", ")),
        )
    })?;
    Ok((var, state))
}

/// How many tornado bars the summary of `statecraft run` names.
pub const SUMMARY_TOP: usize = 5;

/// A scenario's Bayes analysis, with the summary that the answer and the report read.
#[derive(Debug, Clone)]
pub struct ScenarioBayes {
    /// What the lens found with the settings given.
    pub analysis: BayesAnalysis,
    /// The headline's probability, how it moves with each root driver, the decisions and the
    /// largest tornado bars, named with the scenario's ids.
    pub summary: BayesSummary,
    /// The headline's probability with the focal actor's first decision forced to each of its
    /// options in turn (empty without a headline or such a decision).
    pub by_option: Vec<OptionHeadline>,
    /// The headline's probability if one thing were observed: each state of every driver in
    /// the network but the headline's, then each indicator that signals driver states (empty
    /// without a headline).
    pub if_observed: Vec<IfObserved>,
    /// The focal decision's timing: deciding now or once the drivers it `awaits` are known
    /// (`None` when it awaits nothing).
    pub timing: Option<crate::timing::Timing>,
    /// The tornado of the headline's probability on the network of the analysis (decisions at
    /// their optimal policy), each judged probability moved by ± the summary swing; `None`
    /// without a headline.
    pub headline_tornado: Option<Tornado>,
}

/// How much more likely an indicator is to be seen when a state it signals holds than when it
/// does not: the likelihood ratio of a sighting, when the scenario declares none. 4 makes a
/// sighting moderately diagnostic (it multiplies the odds of each signalled state by 4); it is
/// a documented default, not a judgment about any one indicator. Watching for an indicator and
/// not seeing it has the inverse ratio, 1/4: together they are what an indicator seen with
/// probability 0.8 when a state it signals holds, and 0.2 when none does, would give.
pub const SIGNAL_LIKELIHOOD_RATIO: f64 = 4.0;

/// `settings` with the scenario's observations known by its knowledge date added as network
/// evidence ([`model::updates::current_observations`]: the latest of each driver and each
/// indicator): a driver found in a state as hard evidence; a driver's likelihood as soft
/// evidence; each indicator seen or not seen as soft evidence on the states it signals, with
/// its observation's `ratio` (default [`SIGNAL_LIKELIHOOD_RATIO`]) or its inverse, but only on
/// drivers not observed directly (whose observation is read as including it). One likelihood
/// per driver, the product of all that bear on it; none for a driver observed in a state.
/// Observations of drivers the network lacks are left out.
pub fn with_observations(
    s: &Scenario,
    study: &BayesStudy,
    settings: &BayesSettings,
) -> BayesSettings {
    let known = s.scenario.knowledge_date();
    let in_net = |id: &str| study.ids.iter().any(|x| x == id);
    let states_of = |id: &str| s.drivers.iter().find(|d| d.id == id).map(|d| d.states.as_slice());
    let mut hard: Vec<(&str, &str)> = Vec::new();
    let mut soft: Vec<(&str, Vec<f64>)> = Vec::new();
    let mut weigh = |driver: &'_ str, weights: &dyn Fn(&str) -> f64| {
        let Some(states) = states_of(driver) else { return };
        let i = match soft.iter().position(|(d, _)| *d == driver) {
            Some(i) => i,
            None => {
                let d = s.drivers.iter().find(|d| d.id == driver).expect("found above");
                soft.push((d.id.as_str(), vec![1.0; states.len()]));
                soft.len() - 1
            }
        };
        for (w, st) in soft[i].1.iter_mut().zip(states) {
            *w *= weights(st);
        }
    };
    let current: Vec<_> =
        updates::current_observations(s).into_iter().filter(|o| o.date <= known).collect();
    // A driver observed directly takes no evidence from indicators: its own observation is read
    // as including what they showed, so nothing is counted twice.
    let observed_directly = |id: &str| {
        current.iter().any(
            |o| matches!(updates::observed(o), updates::Observed::Driver { id: d, .. } if d == id),
        )
    };
    for o in current.iter().copied() {
        match updates::observed(o) {
            updates::Observed::Driver { id, state: Some(state) } if in_net(id) => {
                hard.push((id, state));
            }
            updates::Observed::Driver { id, state: None } if in_net(id) => {
                weigh(id, &|st| o.likelihood.get(st).copied().unwrap_or(0.0));
            }
            updates::Observed::Indicator { id, seen } => {
                let declared = o.ratio.unwrap_or(SIGNAL_LIKELIHOOD_RATIO);
                let ratio = if seen { declared } else { 1.0 / declared };
                let Some(ind) = s.indicators.iter().find(|i| i.id == id) else { continue };
                let applies = |r: &&model::scenario::StateRef| {
                    in_net(&r.driver) && !observed_directly(&r.driver)
                };
                for r in ind.signals.iter().filter(applies) {
                    weigh(&r.driver, &|st| if st == r.state { ratio } else { 1.0 });
                }
            }
            updates::Observed::Driver { .. } => {}
        }
    }
    let mut out = settings.clone();
    out.evidence.extend(hard.iter().map(|(d, st)| format!("{d}={st}")));
    out.likelihood.extend(soft.iter().filter(|(d, _)| !hard.iter().any(|(h, _)| h == d)).map(
        |(d, w)| {
            let w: Vec<String> = w.iter().map(f64::to_string).collect();
            format!("{d}={}", w.join(","))
        },
    ));
    out
}

/// The findings of the scenario's observations known by its knowledge date, on the study's
/// network, as [`scenario`] reads them ([`with_observations`]); for a caller that evaluates
/// the network itself, such as [`crate::ensemble`].
///
/// # Errors
/// Bad input when an observation names a state the network does not have.
pub fn observation_findings(s: &Scenario, study: &BayesStudy) -> Result<Vec<Finding>, LensError> {
    let settings = with_observations(s, study, &BayesSettings::default());
    Ok(Evidence::read(study.net.variables(), &settings)?.findings)
}

/// What observing one thing would do to the headline.
#[derive(Debug, Clone, PartialEq)]
pub struct IfObserved {
    /// What is observed.
    pub observed: Observed,
    /// The headline's probability given it, `None` when the network rules it out.
    pub probability: Option<f64>,
}

/// One thing that could be observed.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// A driver in one of its states (hard evidence).
    State {
        /// The driver's id.
        driver: String,
        /// The state's id.
        state: String,
    },
    /// An indicator seen: soft evidence on each driver state it signals, with the likelihood
    /// ratio [`SIGNAL_LIKELIHOOD_RATIO`].
    Indicator {
        /// The indicator's id.
        id: String,
        /// The driver states it signals, as `driver.state`, that the network holds.
        signals: Vec<String>,
    },
}

/// The headline's probability if the decision is forced to one option.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionHeadline {
    /// The decision's id.
    pub decision: String,
    /// The option's id.
    pub option: String,
    /// The headline's probability with the decision forced to this option, as
    /// `statecraft bayes --evidence DECISION=OPTION` gives it.
    pub probability: f64,
    /// The option's expected utility.
    pub expected_utility: f64,
}

/// Maps a scenario's drivers and decisions onto a network (or an influence diagram) and
/// analyses it.
///
/// # Errors
/// Bad input when no driver has probabilities; otherwise those of [`analyse`].
pub fn scenario(s: &Scenario, settings: &BayesSettings) -> Result<ScenarioBayes, LensError> {
    // Solving the decisions is what gives the options their expected utilities and the
    // optimal policy the headline rests on.
    let study = study_of(s)?;
    let settings = &with_observations(s, &study, settings);
    let analysis = analyse(model_of(&study), Vec::new(), settings)?;
    let findings = analysis.findings();
    let meu = analysis
        .tornado
        .as_ref()
        .filter(|_| settings.tornado.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("meu")))
        .map(|(_, t)| t);
    let summary = summarise_with(
        &study,
        analysis.net.clone(),
        analysis.solution.clone(),
        meu,
        &findings,
        SUMMARY_TOP,
    )
    .map_err(LensError::analysis)?;
    let by_option = by_option(s, &study, &analysis)?;
    let if_observed = if_observed(s, &study, &analysis)?;
    let timing = match &analysis.solution {
        Some(now) => crate::timing::timing(s, &study, now, settings.max_clique_entries)?,
        None => None,
    };
    let headline_tornado = match study.headline {
        Some((hv, hs)) => {
            let options = TornadoOptions {
                probability_swing: model::lens::bayes::SUMMARY_SWING,
                utility_swing: model::lens::bayes::SUMMARY_SWING,
                compile: compile_options(settings),
            };
            Some(
                tornado_probability(&analysis.net, &[], hv, hs, &options)
                    .map_err(|e| analysis_error(&e))?,
            )
        }
        None => None,
    };
    Ok(ScenarioBayes { analysis, summary, by_option, if_observed, timing, headline_tornado })
}

/// The headline's probability and the headline under each option of the focal decision, given
/// the scenario's observations known by its knowledge date: the part of [`scenario`] that moves
/// with updates, without the tornado, the value of information or what would change it (the
/// timeline computes it once per update). `None` without a headline.
///
/// # Errors
/// Those of [`scenario`].
pub fn headlines(
    s: &Scenario,
    settings: &BayesSettings,
) -> Result<Option<(f64, Vec<OptionHeadline>)>, LensError> {
    let study = study_of(s)?;
    let Some((hv, hs)) = study.headline else { return Ok(None) };
    let decide = study.diagram.is_some();
    let light = BayesSettings { decide, voi: false, tornado: None, mpe: false, ..settings.clone() };
    let found = analyse(model_of(&study), Vec::new(), &with_observations(s, &study, &light))?;
    let options = by_option(s, &study, &found)?;
    Ok(Some((found.posterior.marginals[hv][hs], options)))
}

/// The headline's probability if each driver state, then each indicator, were observed, on the
/// network of the analysis (its decisions at their optimal policy, unless forced).
fn if_observed(
    s: &Scenario,
    study: &BayesStudy,
    found: &BayesAnalysis,
) -> Result<Vec<IfObserved>, LensError> {
    let Some((hv, hs)) = study.headline else { return Ok(Vec::new()) };
    let net = &found.net;
    let jt = JunctionTree::compile(net, &compile_options(&found.settings))
        .map_err(|e| too_large(&e, &found.settings))?;
    // What is already known: a driver observed in a state is not "what would change" any more.
    let known = found.findings();
    let observed =
        |v: usize| known.iter().any(|f| matches!(f, Finding::State { node, .. } if *node == v));
    let headline_given = |more: Vec<Finding>| {
        let all: Vec<Finding> = known.iter().cloned().chain(more).collect();
        jt.marginals(&all).ok().map(|p| p.marginals[hv][hs])
    };
    let node = |id: &str| study.ids.iter().position(|x| x == id);
    let mut out = Vec::new();
    for d in s.drivers.iter().filter(|d| d.id != study.ids[hv]) {
        let Some(v) = node(&d.id).filter(|&v| !observed(v)) else { continue };
        for (k, state) in net.variables()[v].states.iter().enumerate() {
            out.push(IfObserved {
                observed: Observed::State { driver: d.id.clone(), state: state.clone() },
                probability: headline_given(vec![Finding::State { node: v, state: k }]),
            });
        }
    }
    for ind in &s.indicators {
        let (signals, findings) = signal_findings(net, &ind.signals, &node, true);
        if findings.is_empty() {
            continue;
        }
        out.push(IfObserved {
            observed: Observed::Indicator { id: ind.id.clone(), signals },
            probability: headline_given(findings),
        });
    }
    Ok(out)
}

/// The soft evidence of a sighting (`seen`) or of watching for an indicator and not seeing it:
/// for each driver it signals, a likelihood of [`SIGNAL_LIKELIHOOD_RATIO`] (seen) or its
/// inverse (not seen) on each signalled state, and 1 on the others. Signals of drivers the
/// network lacks are left out.
pub fn signal_findings(
    net: &BayesNet,
    signals: &[model::scenario::StateRef],
    node: &dyn Fn(&str) -> Option<usize>,
    seen: bool,
) -> (Vec<String>, Vec<Finding>) {
    let ratio = if seen { SIGNAL_LIKELIHOOD_RATIO } else { 1.0 / SIGNAL_LIKELIHOOD_RATIO };
    let mut named = Vec::new();
    let mut weights: Vec<(usize, Vec<f64>)> = Vec::new();
    for r in signals {
        let Some(v) = node(&r.driver) else { continue };
        let states = &net.variables()[v].states;
        let Some(k) = states.iter().position(|x| *x == r.state) else { continue };
        named.push(r.to_string());
        match weights.iter_mut().find(|(w, _)| *w == v) {
            Some((_, w)) => w[k] = ratio,
            None => {
                let mut w = vec![1.0; states.len()];
                w[k] = ratio;
                weights.push((v, w));
            }
        }
    }
    let findings = weights
        .into_iter()
        .map(|(node, likelihood)| Finding::Likelihood { node, likelihood })
        .collect();
    (named, findings)
}

/// The headline's probability under each option of the focal actor's first decision, with the
/// decision forced to the option (the other decisions at their optimal policy).
fn by_option(
    s: &Scenario,
    study: &BayesStudy,
    found: &BayesAnalysis,
) -> Result<Vec<OptionHeadline>, LensError> {
    let (BayesModel::Diagram { diagram, .. }, Some(solution), Some((hv, hs))) =
        (&found.model, &found.solution, study.headline)
    else {
        return Ok(Vec::new());
    };
    let Some(focal) = &s.scenario.focal_actor else { return Ok(Vec::new()) };
    let Some(decision) = solution
        .decisions
        .iter()
        .find(|d| s.decisions.iter().any(|x| x.id == study.ids[d.node] && &x.owner == focal))
    else {
        return Ok(Vec::new());
    };
    let options = &diagram.variables()[decision.node].states;
    let mut out = Vec::with_capacity(options.len());
    for (k, option) in options.iter().enumerate() {
        let net = forced_network(diagram, solution, &[(decision.node, k)])?;
        let jt = JunctionTree::compile(&net, &compile_options(&found.settings))
            .map_err(|e| too_large(&e, &found.settings))?;
        let p = jt.marginals(&found.findings()).map_err(|e| analysis(&e))?;
        out.push(OptionHeadline {
            decision: study.ids[decision.node].clone(),
            option: option.clone(),
            probability: p.marginals[hv][hs],
            expected_utility: decision.expected_utility.get(k).copied().unwrap_or(f64::NAN),
        });
    }
    Ok(out)
}

/// The model of a scenario's study: its influence diagram when it has decisions, else its
/// network.
pub fn model_of(study: &BayesStudy) -> BayesModel {
    match &study.diagram {
        Some(diagram) => {
            BayesModel::Diagram { name: study.title.clone(), diagram: diagram.clone() }
        }
        None => BayesModel::Network { name: study.title.clone(), net: study.net.clone() },
    }
}

/// The scenario's network study.
///
/// # Errors
/// Bad input when no driver has probabilities.
pub fn study_of(s: &Scenario) -> Result<BayesStudy, LensError> {
    BayesStudy::from_scenario(s).map_err(|e| {
        LensError::bad_input(e.to_string()).with_help(
            "give drivers a `prior` or `[[driver.cpt]]` rows over their `parents` (see docs/bayes.md)",
        )
    })
}

#[cfg(test)]
mod tests {
    use engines::prec;

    use super::*;

    fn korea() -> Scenario {
        let b = model::builtin::find("korea-2024").expect("built in");
        model::builtin::load(b).unwrap_or_else(|d| panic!("{d}")).scenario
    }

    /// Issue #14: the headline under each of Seoul's options agrees with `bayes` forced to
    /// that option (`--evidence seoul=OPTION`), and the best option's is the headline itself.
    #[test]
    fn headline_under_each_option_agrees_with_forcing_the_decision() {
        let s = korea();
        let run = scenario(&s, &BayesSettings::for_run(&s)).unwrap();
        assert_eq!(run.by_option.len(), 3, "{:?}", run.by_option);
        let (hv, hs, headline) = run.summary.headline.expect("a headline");
        let model = model_of(&study_of(&s).unwrap());
        for o in &run.by_option {
            let evidence = vec![format!("{}={}", o.decision, o.option)];
            let settings = BayesSettings { evidence, decide: true, ..BayesSettings::default() };
            let forced = analyse(model.clone(), Vec::new(), &settings).unwrap();
            assert_eq!(forced.forced.len(), 1);
            let p = forced.posterior.marginals[hv][hs];
            assert!(
                (p - o.probability).abs() <= prec::REORDER,
                "{}: {p} {}",
                o.option,
                o.probability
            );
        }
        let best = run
            .by_option
            .iter()
            .max_by(|a, b| a.expected_utility.total_cmp(&b.expected_utility))
            .expect("options");
        assert_eq!(best.option, "status_quo_nato");
        assert!((best.probability - headline).abs() <= prec::REORDER);
        let arms = run.by_option.iter().find(|o| o.option == "arms_to_ukraine").expect("an option");
        assert!(arms.probability > 0.5, "arming Ukraine makes the Korean war likelier: {arms:?}");
    }

    /// Issue #14: what observing a driver state or an indicator would do to the headline agrees
    /// with `bayes --evidence` and `bayes --likelihood` on the same network.
    #[test]
    fn if_observed_agrees_with_evidence_and_likelihoods() {
        let s = korea();
        let run = scenario(&s, &BayesSettings::for_run(&s)).unwrap();
        let (hv, hs, _) = run.summary.headline.expect("a headline");
        let model = model_of(&study_of(&s).unwrap());
        let states =
            run.if_observed.iter().filter(|o| matches!(o.observed, Observed::State { .. }));
        let study = study_of(&s).unwrap();
        let expected: usize = s
            .drivers
            .iter()
            .filter(|d| d.id != study.ids[hv] && study.ids.contains(&d.id))
            .map(|d| d.states.len())
            .sum();
        assert_eq!(states.count(), expected, "every state of every other driver");
        let indicators =
            run.if_observed.iter().filter(|o| matches!(o.observed, Observed::Indicator { .. }));
        assert_eq!(indicators.count(), s.indicators.len(), "every indicator signals a state");
        let crisis = run
            .if_observed
            .iter()
            .find(|o| {
                o.observed == Observed::State { driver: "tension".into(), state: "crisis".into() }
            })
            .expect("a non-root driver state");
        let settings = BayesSettings {
            evidence: vec!["tension=crisis".into()],
            decide: true,
            ..BayesSettings::default()
        };
        let a = analyse(model.clone(), Vec::new(), &settings).unwrap();
        let p = crisis.probability.expect("possible");
        assert!((a.posterior.marginals[hv][hs] - p).abs() <= prec::REORDER, "{p}");
        // An indicator: soft evidence with the default likelihood ratio on each state it signals.
        let presence = run
            .if_observed
            .iter()
            .find(|o| matches!(&o.observed, Observed::Indicator { id, .. } if id == "russian_presence"))
            .expect("an indicator");
        let settings = BayesSettings {
            likelihood: vec!["dprk_russia=1,1,4".into(), "tension=1,1,4".into()],
            decide: true,
            ..BayesSettings::default()
        };
        let a = analyse(model, Vec::new(), &settings).unwrap();
        let p = presence.probability.expect("possible");
        assert!((a.posterior.marginals[hv][hs] - p).abs() <= prec::REORDER, "{p}");
    }

    /// Forcing a decision replaces its policy: evidence on a decision is never "impossible",
    /// even for an option the optimal policy never takes.
    #[test]
    fn forcing_an_option_the_policy_never_takes_is_not_impossible() {
        let s = korea();
        let model = model_of(&study_of(&s).unwrap());
        let settings = BayesSettings {
            evidence: vec!["seoul=nuclear_hedging".into()],
            ..BayesSettings::default()
        };
        let a = analyse(model, Vec::new(), &settings).unwrap();
        let seoul = a.net.variables().iter().position(|v| v.name == "seoul").unwrap();
        let k =
            a.net.variables()[seoul].states.iter().position(|x| x == "nuclear_hedging").unwrap();
        assert!((a.posterior.marginals[seoul][k] - 1.0).abs() <= prec::REORDER);
    }
}
