//! How robust the answer is: the Bayes network and the answer redrawn under every uncertain
//! judgment at once, with Sobol indices saying which judgments matter most.
//!
//! Each probability row of the network (a driver's prior, a `cpt` row) and each utility term of
//! the focal decision (tied terms as one) is a factor: a row is drawn from a Dirichlet
//! distribution around the stated row or from per-entry ranges, a utility term's values from
//! their ranges, as the scenario says (`docs/scenario-format.md`, "How far judgments may
//! move"); a judgment that says nothing takes the scenario's `[uncertainty]` default, else the
//! built-in [`DEFAULT_CONCENTRATION`] and [`DEFAULT_SPREAD`]. The draws are the rows of
//! Saltelli's design ([`engines::sobol::Design`]): `samples` draws of every judgment (the rows
//! of `A`), and, with Sobol indices asked for, the `B` rows and the radial points that the
//! estimators need, `samples × (factors + 2)` evaluations in all.
//!
//! One evaluation writes the drawn rows into a copy of the compiled junction tree
//! ([`engines::bayes::JunctionTree::set_tables`]: no recompilation), propagates once per option
//! of the focal decision with the decision set to it, and reads each option's probability of
//! the headline and its expected utility (the sum over its utility terms of the utility of
//! each state times the state's probability). The best option is the one of highest expected
//! utility (the first on a tie) and the answer's probability is the headline's under it, as
//! `statecraft run` computes them. The margin is the expected utility of the option that is best
//! with the stated judgments minus the best of the others: below 0, another option wins.
//!
//! Scope: the ensemble needs a Bayes network with a headline state, and a focal decision that
//! observes nothing (with observed drivers the optimal policy is a table, not one option);
//! other scenarios are refused with a reason. The other lenses (ACH, CIB, bargaining, games)
//! are redrawn in the same draws by [`crate::ensemble_lenses`].

use engines::bayes::{CompileOptions, Finding, JunctionTree, Posterior, Workspace};
use engines::draw;
use engines::sobol::{self, Base, Design, FirstOrder};
use model::lens::bayes::{BayesStudy, SUMMARY_SWING};
use model::scenario::{Bounds, Scenario};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::LensError;
use crate::ensemble_lenses::{self, LensRobustness};

/// The Dirichlet concentration of a probability row when neither the row nor the scenario's
/// `[uncertainty]` gives one: each entry `p` then has a standard deviation of
/// `√(p (1 − p) / 31)`, about ±0.09 for `p = 0.5`, roughly the precision of an analyst's
/// "about a half".
pub const DEFAULT_CONCENTRATION: f64 = 30.0;

/// The half-width of a utility's range, as a fraction of the span of the decision's
/// utilities, when neither the term nor the scenario's `[uncertainty]` gives one.
pub const DEFAULT_SPREAD: f64 = 0.1;

/// The number of bars of each histogram.
pub const BINS: usize = 20;

/// The settings of an ensemble.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleSettings {
    /// The number of draws (rows of each base sample); at least 2.
    pub samples: usize,
    /// The seed of every draw.
    pub seed: u64,
    /// Whether to compute Sobol indices (`samples × (factors + 2)` evaluations instead of
    /// `samples`).
    pub sobol: bool,
    /// Whether to redraw the other lenses' judgments too ([`crate::ensemble_lenses`]).
    pub lenses: bool,
}

impl Default for EnsembleSettings {
    fn default() -> Self {
        EnsembleSettings { samples: 1000, seed: 1, sobol: true, lenses: true }
    }
}

/// The number of draws of the small ensemble that `statecraft run` draws for the answer's
/// confidence: enough for the share of draws in which an option is best to be known within
/// about ±2 points (its standard error is at most `√(0.25 / 500)`), few enough to add only
/// milliseconds to a run.
pub const RUN_SAMPLES: usize = 500;

/// The seed of that small ensemble.
pub const RUN_SEED: u64 = 1;

impl EnsembleSettings {
    /// The small ensemble of `statecraft run`: [`RUN_SAMPLES`] draws with seed [`RUN_SEED`] of
    /// the network and the answer, without Sobol indices or the other lenses.
    pub fn for_run() -> Self {
        EnsembleSettings { samples: RUN_SAMPLES, seed: RUN_SEED, sobol: false, lenses: false }
    }
}

/// Where a judgment's spread came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpreadFrom {
    /// The judgment's own `concentration` or `range`.
    Own,
    /// The scenario's `[uncertainty]` table.
    Scenario,
    /// The ensemble's built-in default.
    Default,
}

/// One uncertain judgment (one factor of the Sobol design).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgment {
    /// The judgment, as a key path: `driver.war.prior`, `driver.tension.cpt[2]`,
    /// `decision.seoul.utility[3]` or `decision.seoul.tie.tension_cost`.
    pub name: String,
    /// How it moves: `dirichlet(30)`, `ranges` or `uniform ±8`.
    pub spread: String,
    /// Where the spread came from.
    pub from: SpreadFrom,
}

/// The distribution of one quantity over the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// The mean.
    pub mean: f64,
    /// The 5th percentile.
    pub p05: f64,
    /// The median.
    pub p50: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// How many draws fall in each of [`BINS`] equal bins from `min` to `max`.
    pub histogram: Vec<usize>,
}

/// One option of the focal decision across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionSpread {
    /// The option's id.
    pub option: String,
    /// The headline's probability with the decision set to this option.
    pub headline: Distribution,
    /// Its expected utility.
    pub expected_utility: Distribution,
    /// The share of draws in which it is the best option.
    pub best_share: f64,
}

/// One judgment's Sobol indices for one output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Index {
    /// The judgment's name ([`Judgment::name`]).
    pub judgment: String,
    /// Its first-order index (Jansen).
    pub first: f64,
    /// Its total-effect index (Jansen).
    pub total: f64,
    /// The total-effect index's standard error.
    pub total_se: f64,
    /// Its one-at-a-time swing of the same output: the tornado of `statecraft run`
    /// (each of its entries moved alone by ± [`SUMMARY_SWING`], a utility by that share of the
    /// span of the decision's utilities), the largest over its entries.
    pub swing: f64,
    /// Its rank by that swing, from 1 (ties in judgment order).
    pub swing_rank: usize,
}

/// The Sobol indices of the ensemble's two outputs, each sorted by total effect, largest
/// first (ties in judgment order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// For the answer's probability of the headline; `None` when it does not vary.
    pub headline: Option<Vec<Index>>,
    /// For the margin of the option best under the stated judgments; `None` when it does not
    /// vary.
    pub margin: Option<Vec<Index>>,
    /// The number of model evaluations.
    pub evaluations: usize,
}

/// What the ensemble found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ensemble {
    /// The number of draws.
    pub samples: usize,
    /// The seed.
    pub seed: u64,
    /// The headline state, as `driver.state`.
    pub headline_state: String,
    /// The focal decision's id.
    pub decision: String,
    /// The option best under the stated judgments.
    pub stated_best: String,
    /// The default concentration used, and where it came from.
    pub default_concentration: (f64, SpreadFrom),
    /// The default spread used, and where it came from.
    pub default_spread: (f64, SpreadFrom),
    /// How many judgments took a default spread.
    pub defaulted: usize,
    /// Every uncertain judgment, in design order.
    pub judgments: Vec<Judgment>,
    /// The answer's probability of the headline (under the best option of each draw).
    pub headline: Distribution,
    /// Each option of the focal decision.
    pub options: Vec<OptionSpread>,
    /// The stated best option's margin over the best of the others, in utility.
    pub margin: Distribution,
    /// Sobol indices, when asked for.
    pub sensitivity: Option<Sensitivity>,
    /// The other lenses under the same number of draws, when asked for.
    pub lenses: Option<LensRobustness>,
}

/// What `statecraft run` keeps of an ensemble: how far the answer moves and how often the
/// option best as stated stays best, for the answer's confidence and its chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Robustness {
    /// The number of draws.
    pub samples: usize,
    /// The seed.
    pub seed: u64,
    /// The headline state, as `driver.state`.
    pub headline_state: String,
    /// The focal decision's id.
    pub decision: String,
    /// The option best under the stated judgments.
    pub stated_best: String,
    /// The answer's probability of the headline over the draws.
    pub headline: Distribution,
    /// Each option of the focal decision with the share of draws in which it is best, in the
    /// decision's order.
    pub best: Vec<(String, f64)>,
}

impl Robustness {
    /// The part of an ensemble that the answer keeps.
    pub fn of(e: &Ensemble) -> Robustness {
        Robustness {
            samples: e.samples,
            seed: e.seed,
            headline_state: e.headline_state.clone(),
            decision: e.decision.clone(),
            stated_best: e.stated_best.clone(),
            headline: e.headline.clone(),
            best: e.options.iter().map(|o| (o.option.clone(), o.best_share)).collect(),
        }
    }

    /// The share of draws in which the option best as stated stays best.
    pub fn stays_best(&self) -> f64 {
        self.best.iter().find(|(o, _)| *o == self.stated_best).map_or(0.0, |b| b.1)
    }

    /// The robustness in one sentence, for the reports without its chart (terminal text and
    /// Markdown).
    pub fn sentence(&self) -> String {
        let d = &self.headline;
        format!(
            "Robustness: over {} seeded draws (seed {}) of every judged probability and utility at once, the answer's probability of {} stays between {:.0} % and {:.0} % in 90 % of them (median {:.0} %), and {} stays the best option of decision {} in {:.0} % of them.",
            self.samples,
            self.seed,
            self.headline_state,
            d.p05 * 100.0,
            d.p95 * 100.0,
            d.p50 * 100.0,
            self.stated_best,
            self.decision,
            self.stays_best() * 100.0
        )
    }
}

/// How one factor is drawn and where it goes.
#[derive(Debug, Clone)]
enum Factor {
    /// A probability row of the network: variable `node`, entries `start..start + p.len()`
    /// of its table.
    Row { node: usize, start: usize, p: Vec<f64>, how: RowDraw },
    /// Utility terms (several when tied) sharing values and ranges.
    Utility { terms: Vec<usize>, ranges: Vec<Bounds> },
}

#[derive(Debug, Clone)]
enum RowDraw {
    Dirichlet(f64),
    Ranges(Vec<Bounds>),
}

/// A utility term: which option (`None`: every option) and which network variable it is on.
#[derive(Debug, Clone)]
struct Term {
    option: Option<usize>,
    variable: usize,
}

/// Everything an evaluation needs, built once.
struct Model {
    factors: Vec<Factor>,
    widths: Vec<usize>,
    /// Each factor's first column.
    offsets: Vec<usize>,
    jt: JunctionTree,
    /// The variables whose tables hold a factor, ascending, once each.
    row_nodes: Vec<usize>,
    decision: usize,
    options: usize,
    headline: (usize, usize),
    /// For each option, the decision set to it: the options' expected utilities, which
    /// `statecraft run` compares before any observation (the decision is taken at `as_of`).
    option_findings: Vec<Vec<Finding>>,
    /// For each option, the decision set to it and the scenario's observations known by its
    /// knowledge date, on which `statecraft run` conditions the headline; empty without
    /// observations (the headline is then read from the same propagation as the utilities).
    observed_findings: Vec<Vec<Finding>>,
    terms: Vec<Term>,
    /// The stated values of every term.
    stated_terms: Vec<Vec<f64>>,
    stated_best: usize,
    /// How far the tornado moves a utility: [`SUMMARY_SWING`] times the span of the
    /// decision's utilities.
    utility_step: f64,
}

/// The per-worker buffers of the evaluations.
struct Scratch {
    jt: JunctionTree,
    tables: Vec<Vec<f64>>,
    ws: Workspace,
    post: Posterior,
    values: Vec<Vec<f64>>,
    eu: Vec<f64>,
    ph: Vec<f64>,
}

/// Outputs of one evaluation: the answer's probability, the margin, then each option's
/// headline probability and expected utility, then the index of the best option.
fn output_count(options: usize) -> usize {
    3 + 2 * options
}

/// Runs the ensemble on a scenario.
///
/// # Errors
/// Bad input when the scenario has no network with a headline and a focal decision observing
/// nothing, or fewer than 2 samples; an analysis error when the network is too large.
pub fn ensemble(s: &Scenario, settings: &EnsembleSettings) -> Result<Ensemble, LensError> {
    let (model, judgments, defaults) = build(s)?;
    let design = Design::new(settings.samples, &model.widths, settings.seed)
        .map_err(|e| LensError::bad_input(e.to_string()))?;
    let outputs = output_count(model.options);
    let init = || model.scratch();
    let draw = |f: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| model.draw(f, rng, out);
    let eval = |sc: &mut Scratch, x: &[f64], out: &mut [f64]| model.eval(sc, x, out);
    let runs = design
        .run(outputs, settings.sobol, init, draw, eval)
        .map_err(|e| LensError::bad_input(e.to_string()))?;
    let n = settings.samples;
    let column = |k: usize| -> Vec<f64> { (0..n).map(|j| runs.base(Base::A, j)[k]).collect() };
    let best: Vec<usize> = column(outputs - 1).iter().map(|&b| b as usize).collect();
    let dec = &s.decisions[model.decision_index(s)];
    let options = (0..model.options)
        .map(|o| OptionSpread {
            option: dec.options[o].clone(),
            headline: distribution(column(2 + o)),
            expected_utility: distribution(column(2 + model.options + o)),
            best_share: best.iter().filter(|&&b| b == o).count() as f64 / n as f64,
        })
        .collect();
    let sensitivity = settings.sobol.then(|| {
        let swings = model.tornado(&[0, 1]);
        let ranked = |output: usize| {
            sobol::indices(&runs, output, FirstOrder::Jansen)
                .map(|ix| rank(&ix, &judgments, &swings[output]))
        };
        Sensitivity {
            headline: ranked(0),
            margin: ranked(1),
            evaluations: n * (model.widths.len() + 2),
        }
    });
    let headline = s.scenario.headline.as_ref().map(ToString::to_string).unwrap_or_default();
    Ok(Ensemble {
        samples: n,
        seed: settings.seed,
        headline_state: headline,
        decision: dec.id.clone(),
        stated_best: dec.options[model.stated_best].clone(),
        default_concentration: defaults.0,
        default_spread: defaults.1,
        defaulted: judgments.iter().filter(|j| j.from != SpreadFrom::Own).count(),
        judgments,
        headline: distribution(column(0)),
        options,
        margin: distribution(column(1)),
        sensitivity,
        lenses: settings.lenses.then(|| ensemble_lenses::robustness(s, n, settings.seed, defaults)),
    })
}

/// The judgments' indices beside their one-at-a-time swings, sorted by total effect, largest
/// first.
fn rank(ix: &sobol::Indices, judgments: &[Judgment], swings: &[f64]) -> Vec<Index> {
    let mut by_swing: Vec<usize> = (0..judgments.len()).collect();
    by_swing.sort_by(|&a, &b| swings[b].total_cmp(&swings[a]));
    let mut swing_rank = vec![0; judgments.len()];
    for (r, &i) in by_swing.iter().enumerate() {
        swing_rank[i] = r + 1;
    }
    let mut out: Vec<Index> = judgments
        .iter()
        .enumerate()
        .map(|(i, j)| Index {
            judgment: j.name.clone(),
            first: ix.first[i],
            total: ix.total[i],
            total_se: ix.total_se[i],
            swing: swings[i],
            swing_rank: swing_rank[i],
        })
        .collect();
    out.sort_by(|a, b| b.total.total_cmp(&a.total));
    out
}

/// The summary of a quantity's draws.
pub(crate) fn distribution(mut xs: Vec<f64>) -> Distribution {
    let n = xs.len();
    let mean = xs.iter().sum::<f64>() / n as f64;
    xs.sort_by(f64::total_cmp);
    // The nearest-rank percentile: the smallest value with at least q of the draws at or below.
    let pct = |q: f64| xs[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
    let (min, max) = (xs[0], xs[n - 1]);
    let mut histogram = vec![0; BINS];
    for &x in &xs {
        let bin = if max > min { ((x - min) / (max - min) * BINS as f64) as usize } else { 0 };
        histogram[bin.min(BINS - 1)] += 1;
    }
    Distribution { mean, p05: pct(0.05), p50: pct(0.5), p95: pct(0.95), min, max, histogram }
}

type Defaults = ensemble_lenses::Spreads;

/// The factors of a scenario, the compiled network and the stated answer.
fn build(s: &Scenario) -> Result<(Model, Vec<Judgment>, Defaults), LensError> {
    let study = BayesStudy::from_scenario(s).map_err(|e| LensError::bad_input(e.to_string()))?;
    let Some(headline) = study.headline else {
        return Err(LensError::bad_input(
            "the ensemble needs a headline state (`[scenario] headline`)",
        ));
    };
    let focal = s.scenario.focal_actor.as_deref();
    let Some(d) = s.decisions.iter().position(|d| Some(d.owner.as_str()) == focal) else {
        return Err(LensError::bad_input(
            "the ensemble needs a decision of the focal actor to compare options",
        ));
    };
    let dec = &s.decisions[d];
    if !dec.observes.is_empty() {
        return Err(LensError::bad_input(format!(
            "decision `{}` observes drivers; the ensemble handles only a decision that observes nothing",
            dec.id
        )));
    }
    let index = |id: &str| study.ids.iter().position(|x| x == id);
    let unc = s.uncertainty.as_ref();
    let conc = match unc.and_then(|u| u.concentration) {
        Some(c) => (c, SpreadFrom::Scenario),
        None => (DEFAULT_CONCENTRATION, SpreadFrom::Default),
    };
    let spread = match unc.and_then(|u| u.spread) {
        Some(x) => (x, SpreadFrom::Scenario),
        None => (DEFAULT_SPREAD, SpreadFrom::Default),
    };
    let mut factors = Vec::new();
    let mut judgments = Vec::new();
    let mut row_factor = |node: usize,
                          start: usize,
                          p: &[f64],
                          c,
                          r: Option<&Vec<Bounds>>,
                          name| {
        let (how, label, from) = match (c, r) {
            (_, Some(r)) => (RowDraw::Ranges(r.clone()), "ranges".to_string(), SpreadFrom::Own),
            (Some(c), None) => (RowDraw::Dirichlet(c), format!("dirichlet({c})"), SpreadFrom::Own),
            (None, None) => (RowDraw::Dirichlet(conc.0), format!("dirichlet({})", conc.0), conc.1),
        };
        factors.push(Factor::Row { node, start, p: p.to_vec(), how });
        judgments.push(Judgment { name, spread: label, from });
    };
    for drv in &s.drivers {
        let Some(v) = index(&drv.id) else { continue };
        if let Some(prior) = &drv.prior {
            let name = format!("driver.{}.prior", drv.id);
            let (c, r) = (drv.prior_concentration, drv.prior_range.as_ref());
            row_factor(v, 0, &prior.value, c, r, name);
        }
        let parents = &study.net.cpts()[v].parents;
        let card = study.net.card(v);
        for (k, row) in drv.cpt.iter().enumerate() {
            let mut r = 0;
            for &p in parents {
                let state = row.when.get(&study.ids[p]).map_or("", String::as_str);
                let states = &study.net.variables()[p].states;
                let si = states.iter().position(|x| x == state).unwrap_or(0);
                r = r * states.len() + si;
            }
            let name = format!("driver.{}.cpt[{k}]", drv.id);
            row_factor(v, r * card, &row.p, row.concentration, row.range.as_ref(), name);
        }
    }
    // Utility terms: tied terms are one factor; the default range is ± spread × the span of
    // the decision's utilities.
    let all = dec.utilities.iter().flat_map(|u| u.values.iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let half = if hi > lo { spread.0 * (hi - lo) } else { 0.0 };
    // As the engine's tornado: a decision whose utilities are all equal moves them by a span of 1.
    let utility_step = SUMMARY_SWING * if hi > lo { hi - lo } else { 1.0 };
    let mut terms = Vec::new();
    let mut done = vec![false; dec.utilities.len()];
    for (k, u) in dec.utilities.iter().enumerate() {
        // A term without an option is one term for every option.
        let option =
            u.option.as_ref().map(|x| dec.options.iter().position(|o| o == x).unwrap_or(0));
        let variable = index(&u.driver).ok_or_else(|| {
            LensError::bad_input(format!(
                "utility term {k} is on `{}`, outside the network",
                u.driver
            ))
        })?;
        terms.push(Term { option, variable });
        if done[k] {
            continue;
        }
        let tied: Vec<usize> = match &u.tie {
            Some(t) => (k..dec.utilities.len())
                .filter(|&i| dec.utilities[i].tie.as_deref() == Some(t.as_str()))
                .collect(),
            None => vec![k],
        };
        tied.iter().for_each(|&i| done[i] = true);
        let (ranges, label, from) = match &u.range {
            Some(r) => (r.clone(), "ranges".to_string(), SpreadFrom::Own),
            None => (
                u.values.iter().map(|v| [v - half, v + half]).collect(),
                format!("uniform ±{half}"),
                spread.1,
            ),
        };
        let name = match &u.tie {
            Some(t) => format!("decision.{}.tie.{t}", dec.id),
            None => format!("decision.{}.utility[{k}]", dec.id),
        };
        factors.push(Factor::Utility { terms: tied, ranges });
        judgments.push(Judgment { name, spread: label, from });
    }
    let widths: Vec<usize> = factors
        .iter()
        .map(|f| match f {
            Factor::Row { p, .. } => p.len(),
            Factor::Utility { ranges, .. } => ranges.len(),
        })
        .collect();
    let mut offsets = Vec::with_capacity(widths.len());
    let mut at = 0;
    for w in &widths {
        offsets.push(at);
        at += w;
    }
    let options = CompileOptions {
        heuristic: engines::bayes::Heuristic::MinFill,
        max_clique_entries: engines::bayes::DEFAULT_MAX_CLIQUE,
    };
    let jt = JunctionTree::compile(&study.net, &options)
        .map_err(|e| LensError::analysis(e.to_string()))?;
    let decision = index(&dec.id).unwrap_or(0);
    let observed = crate::bayes::observation_findings(s, &study)?;
    let observed: Vec<Finding> = observed.into_iter().filter(|f| f.node() != decision).collect();
    let option_findings: Vec<Vec<Finding>> =
        (0..dec.options.len()).map(|o| vec![Finding::State { node: decision, state: o }]).collect();
    let observed_findings = if observed.is_empty() {
        Vec::new()
    } else {
        option_findings.iter().map(|f| f.iter().chain(&observed).cloned().collect()).collect()
    };
    let stated_terms = dec.utilities.iter().map(|u| u.values.clone()).collect();
    let mut row_nodes: Vec<usize> = factors
        .iter()
        .filter_map(|f| match f {
            Factor::Row { node, .. } => Some(*node),
            Factor::Utility { .. } => None,
        })
        .collect();
    row_nodes.dedup();
    let mut model = Model {
        row_nodes,
        factors,
        widths,
        offsets,
        jt,
        decision,
        options: dec.options.len(),
        headline,
        option_findings,
        observed_findings,
        terms,
        stated_terms,
        stated_best: 0,
        utility_step,
    };
    // The stated answer: every factor at its stated value.
    let mut sc = model.scratch();
    let stated = model.stated_point();
    let mut out = vec![0.0; output_count(model.options)];
    model.eval(&mut sc, &stated, &mut out);
    model.stated_best = out[out.len() - 1] as usize;
    Ok((model, judgments, (conc, spread)))
}

impl Model {
    fn decision_index(&self, s: &Scenario) -> usize {
        let id = &self.jt.net().variables()[self.decision].name;
        s.decisions.iter().position(|d| &d.id == id).unwrap_or(0)
    }

    fn scratch(&self) -> Scratch {
        let net = self.jt.net();
        Scratch {
            jt: self.jt.clone(),
            tables: net.cpts().iter().map(|c| c.table.clone()).collect(),
            ws: Workspace::new(),
            post: Posterior {
                marginals: net.variables().iter().map(|v| vec![0.0; v.states.len()]).collect(),
                evidence_probability: 0.0,
                log_evidence_probability: 0.0,
            },
            values: self.stated_terms.clone(),
            eu: vec![0.0; self.options],
            ph: vec![0.0; self.options],
        }
    }

    /// The point with every factor at its stated value.
    fn stated_point(&self) -> Vec<f64> {
        let mut x = Vec::new();
        for f in &self.factors {
            match f {
                Factor::Row { p, .. } => x.extend_from_slice(p),
                Factor::Utility { terms, .. } => x.extend_from_slice(&self.stated_terms[terms[0]]),
            }
        }
        x
    }

    /// Draws factor `f` into `out`.
    fn draw(&self, f: usize, rng: &mut ChaCha8Rng, out: &mut [f64]) {
        match &self.factors[f] {
            Factor::Row { p, how: RowDraw::Dirichlet(c), .. } => draw::dirichlet(rng, p, *c, out),
            Factor::Row { p, how: RowDraw::Ranges(r), .. } => {
                for (o, b) in out.iter_mut().zip(r) {
                    *o = draw::uniform(rng, b[0], b[1]);
                }
                let sum: f64 = out.iter().sum();
                if sum > 0.0 {
                    out.iter_mut().for_each(|o| *o /= sum);
                } else {
                    out.copy_from_slice(p);
                }
            }
            Factor::Utility { ranges, .. } => {
                for (o, b) in out.iter_mut().zip(ranges) {
                    *o = draw::uniform(rng, b[0], b[1]);
                }
            }
        }
    }

    /// The one-at-a-time swing of each factor on each output in `outputs` (`[output][factor]`),
    /// as [`Index::swing`] describes: from the stated point, each entry of a factor is moved
    /// alone to both ends (a probability with the rest of its row rescaled in proportion, as
    /// `engines::bayes::tornado_probability` does; only the first entry of a row of two, whose
    /// second mirrors it), and the entry's swing is the largest minus the smallest output at the
    /// stated value and both ends.
    fn tornado(&self, outputs: &[usize]) -> Vec<Vec<f64>> {
        let stated = self.stated_point();
        let mut sc = self.scratch();
        let mut out = vec![0.0; output_count(self.options)];
        self.eval(&mut sc, &stated, &mut out);
        let base: Vec<f64> = outputs.iter().map(|&k| out[k]).collect();
        let mut swings = vec![vec![0.0_f64; self.factors.len()]; outputs.len()];
        let mut x = stated.clone();
        for (f, factor) in self.factors.iter().enumerate() {
            let (at, w) = (self.offsets[f], self.widths[f]);
            let entries = match factor {
                Factor::Row { .. } if w == 2 => 1,
                _ => w,
            };
            for e in 0..entries {
                let mut lo = base.clone();
                let mut hi = base.clone();
                for end in [-1.0, 1.0] {
                    let part = &mut x[at..at + w];
                    part.copy_from_slice(&stated[at..at + w]);
                    match factor {
                        Factor::Row { .. } => {
                            let value = (part[e] + end * SUMMARY_SWING).clamp(0.0, 1.0);
                            engines::bayes::covary_row(part, e, value);
                        }
                        Factor::Utility { .. } => part[e] += end * self.utility_step,
                    }
                    self.eval(&mut sc, &x, &mut out);
                    for (k, &o) in outputs.iter().enumerate() {
                        lo[k] = lo[k].min(out[o]);
                        hi[k] = hi[k].max(out[o]);
                    }
                }
                for k in 0..outputs.len() {
                    swings[k][f] = swings[k][f].max(hi[k] - lo[k]);
                }
            }
            x[at..at + w].copy_from_slice(&stated[at..at + w]);
        }
        swings
    }

    /// Evaluates the answer at point `x`.
    fn eval(&self, sc: &mut Scratch, x: &[f64], out: &mut [f64]) {
        for (f, factor) in self.factors.iter().enumerate() {
            let cols = &x[self.offsets[f]..self.offsets[f] + self.widths[f]];
            match factor {
                Factor::Row { node, start, .. } => {
                    sc.tables[*node][*start..*start + cols.len()].copy_from_slice(cols);
                }
                Factor::Utility { terms, .. } => {
                    for &t in terms {
                        sc.values[t].copy_from_slice(cols);
                    }
                }
            }
        }
        let pairs: Vec<(usize, &[f64])> =
            self.row_nodes.iter().map(|&v| (v, sc.tables[v].as_slice())).collect();
        // Every drawn row sums to 1 and lies in [0, 1], so the tables are valid; a row whose
        // rounding still failed the check would leave the stated numbers, never panic.
        let _ = sc.jt.set_tables(&pairs);
        let (hv, hs) = self.headline;
        for o in 0..self.options {
            let finding = &self.option_findings[o];
            if sc.jt.marginals_into(finding, &mut sc.ws, &mut sc.post).is_err() {
                sc.ph[o] = f64::NAN;
                sc.eu[o] = f64::NEG_INFINITY;
                continue;
            }
            sc.ph[o] = sc.post.marginals[hv][hs];
            sc.eu[o] = self
                .terms
                .iter()
                .zip(&sc.values)
                .filter(|(t, _)| t.option.is_none_or(|x| x == o))
                .map(|(t, v)| {
                    v.iter().zip(&sc.post.marginals[t.variable]).map(|(u, p)| u * p).sum::<f64>()
                })
                .sum();
            if let Some(finding) = self.observed_findings.get(o) {
                sc.ph[o] = match sc.jt.marginals_into(finding, &mut sc.ws, &mut sc.post) {
                    Ok(()) => sc.post.marginals[hv][hs],
                    Err(_) => f64::NAN,
                };
            }
        }
        let mut best = 0;
        for o in 1..self.options {
            if sc.eu[o] > sc.eu[best] {
                best = o;
            }
        }
        let others = (0..self.options).filter(|&o| o != self.stated_best).map(|o| sc.eu[o]);
        let rival = others.fold(f64::NEG_INFINITY, f64::max);
        out[0] = sc.ph[best];
        out[1] = if rival.is_finite() { sc.eu[self.stated_best] - rival } else { 0.0 };
        out[2..2 + self.options].copy_from_slice(&sc.ph);
        out[2 + self.options..2 + 2 * self.options].copy_from_slice(&sc.eu);
        out[2 + 2 * self.options] = best as f64;
    }
}

#[cfg(test)]
mod tests {
    use engines::prec;
    use model::builtin::{self, BUILTINS};

    use super::*;

    fn korea() -> Scenario {
        builtin::load(&BUILTINS[0]).expect("korea-2024 is valid").scenario
    }

    #[test]
    fn the_stated_judgments_give_what_statecraft_run_gives() {
        // Every factor at its stated value must reproduce the Bayes lens's headline under each
        // option and each option's expected utility, as `statecraft run` reports them.
        let s = korea();
        let (model, _, _) = build(&s).unwrap();
        let mut sc = model.scratch();
        let mut out = vec![0.0; output_count(model.options)];
        model.eval(&mut sc, &model.stated_point(), &mut out);
        let run = crate::bayes::scenario(&s, &crate::bayes::BayesSettings::for_run(&s)).unwrap();
        assert_eq!(run.by_option.len(), model.options);
        for (o, by) in run.by_option.iter().enumerate() {
            assert!((out[2 + o] - by.probability).abs() <= prec::REORDER, "{}", by.option);
            let eu = out[2 + model.options + o];
            assert!((eu - by.expected_utility).abs() <= prec::REORDER, "{}", by.option);
        }
        let (_, _, p) = run.summary.headline.unwrap();
        assert!((out[0] - p).abs() <= prec::REORDER);
    }

    #[test]
    fn the_stated_judgments_give_what_statecraft_run_gives_with_the_latest_observations() {
        // As of the latest update, korea-2024's observations are evidence on the network; the
        // ensemble must condition on them as `statecraft run --as-of latest` does.
        let s = korea();
        let latest = model::updates::latest(&s);
        let s = model::updates::known_by(&s, latest).unwrap();
        let (model, _, _) = build(&s).unwrap();
        assert!(model.observed_findings[0].len() > 1, "observations are findings");
        let mut sc = model.scratch();
        let mut out = vec![0.0; output_count(model.options)];
        model.eval(&mut sc, &model.stated_point(), &mut out);
        let run = crate::bayes::scenario(&s, &crate::bayes::BayesSettings::for_run(&s)).unwrap();
        for (o, by) in run.by_option.iter().enumerate() {
            assert!((out[2 + o] - by.probability).abs() <= prec::REORDER, "{}", by.option);
        }
        let (_, _, p) = run.summary.headline.unwrap();
        assert!((out[0] - p).abs() <= prec::REORDER, "{} vs {p}", out[0]);
    }

    #[test]
    fn tied_terms_are_one_judgment() {
        let mut s = korea();
        // Tie the first two terms that belong to one option each (korea-2024 declares its
        // one shared cost as a single term for every option instead).
        let own: Vec<usize> = s.decisions[0]
            .utilities
            .iter()
            .enumerate()
            .filter(|(_, u)| u.option.is_some())
            .map(|(i, _)| i)
            .take(2)
            .collect();
        for &i in &own {
            s.decisions[0].utilities[i].tie = Some("shared".into());
        }
        let (model, judgments, _) = build(&s).unwrap();
        let names: Vec<&str> = judgments.iter().map(|j| j.name.as_str()).collect();
        assert!(names.contains(&"decision.seoul.tie.shared"), "{names:?}");
        assert!(!names.iter().any(|n| *n == format!("decision.seoul.utility[{}]", own[1])));
        let tied = model.factors.iter().find_map(|f| match f {
            Factor::Utility { terms, .. } if terms.len() > 1 => Some(terms.clone()),
            _ => None,
        });
        assert_eq!(tied, Some(own));
    }

    #[test]
    fn the_same_seed_gives_the_same_json_on_1_2_and_4_threads() {
        let s = korea();
        let settings = EnsembleSettings { samples: 64, seed: 5, sobol: true, lenses: true };
        let json: Vec<String> = [1, 2, 4]
            .iter()
            .map(|&t| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
                let e = pool.install(|| ensemble(&s, &settings)).unwrap();
                serde_json::to_string(&e).unwrap()
            })
            .collect();
        assert_eq!(json[0], json[1]);
        assert_eq!(json[0], json[2]);
        // A different seed gives different draws.
        let other = ensemble(&s, &EnsembleSettings { seed: 6, ..settings }).unwrap();
        assert_ne!(serde_json::to_string(&other).unwrap(), json[0]);
    }

    #[test]
    fn the_tornado_of_each_probability_row_is_the_engines_grouped_by_row() {
        // With the decision fixed at the stated best option, the headline's one-at-a-time
        // swing of each probability row must be the largest bar of that row in the engine's
        // tornado of the headline (`statecraft bayes --tornado`), computed independently by
        // recompiling the network at each end.
        use engines::bayes::{Parameter, TornadoOptions, tornado_probability};
        let s = korea();
        let (model, judgments, _) = build(&s).unwrap();
        let best = model.stated_best;
        let swings = model.tornado(&[2 + best]);
        let net = model.jt.net();
        let options = TornadoOptions {
            probability_swing: SUMMARY_SWING,
            utility_swing: SUMMARY_SWING,
            compile: CompileOptions {
                heuristic: engines::bayes::Heuristic::MinFill,
                max_clique_entries: engines::bayes::DEFAULT_MAX_CLIQUE,
            },
        };
        let (hv, hs) = model.headline;
        let fixed = [Finding::State { node: model.decision, state: best }];
        let t = tornado_probability(net, &fixed, hv, hs, &options).unwrap();
        let mut rows = 0;
        for (f, factor) in model.factors.iter().enumerate() {
            let Factor::Row { node, start, .. } = factor else { continue };
            let row = start / net.card(*node);
            let want = t
                .bars
                .iter()
                .filter(|b| matches!(b.parameter, Parameter::Probability { node: v, row: r, .. } if v == *node && r == row))
                .map(|b| b.swing)
                .fold(0.0, f64::max);
            let got = swings[0][f];
            assert!((got - want).abs() <= prec::REORDER, "{}: {got} vs {want}", judgments[f].name);
            rows += 1;
        }
        assert!(rows > 10, "korea-2024 has many probability rows");
    }

    #[test]
    fn the_tornado_sees_utilities_move_the_margin() {
        // A utility moves the margin one-at-a-time; the answer's probability moves only where
        // the move changes the best option.
        let s = korea();
        let (model, judgments, _) = build(&s).unwrap();
        let swings = model.tornado(&[0, 1]);
        for (f, factor) in model.factors.iter().enumerate() {
            if let Factor::Utility { .. } = factor {
                assert!(swings[1][f] > 0.0, "{}", judgments[f].name);
            }
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let d = distribution((1..=100).map(f64::from).collect());
        assert_eq!((d.p05, d.p50, d.p95), (5.0, 50.0, 95.0));
        assert_eq!(d.histogram.iter().sum::<usize>(), 100);
    }

    #[test]
    fn err_without_a_headline() {
        let mut s = korea();
        s.scenario.headline = None;
        assert!(ensemble(&s, &EnsembleSettings::default()).is_err());
    }
}
