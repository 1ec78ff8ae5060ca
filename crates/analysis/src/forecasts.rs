//! What a scenario forecasts, and how those forecasts score once its questions resolve.
//!
//! Brief overview: [`issue`] lists every probability an [`Analysis`] issues, as [`Forecast`]s
//! stamped with the scenario's knowledge date, the SHA-256 of its source text and the tool's
//! version ([`Issued`]):
//!
//! - the **headline** (binary: is the `[scenario] headline` driver in its state?), question id
//!   `driver.state`, resolved by the driver's resolution;
//! - each **driver's marginal** (one probability per state, from the Bayes lens's posterior),
//!   question id the driver's id;
//! - the headline **under each option** of the focal actor's decision (the decision forced to
//!   the option), question id `driver.state|decision=option`: a conditional forecast, scored
//!   only against the option actually taken, weighted by the decision's resolution of that
//!   option (1 for the option taken when crisp, the soft weight when not, and not scored at
//!   weight 0).
//!
//! [`score()`] scores forecasts against [`Resolved`] outcomes (a scenario's `[[resolution]]`s or
//! ones recorded later), question by question and overall, with the rules of
//! [`engines::score`]: a soft resolution scores the expectation of each score under it.
//! [`summarise`] pools any set of scored questions (one scenario's or a whole ledger's).
//! Nothing here reads a file or a database.

use std::collections::{BTreeMap, BTreeSet};

use engines::score::{
    self, Binary, Binning, Calibration, Decomposition, Distribution, ScoreError,
    enough_for_decomposition,
};
use model::scenario::{Date, Resolution, Scenario};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Analysis;

/// The bins of the calibration table (and of the reliability chart): ten of equal width.
pub const CALIBRATION_BINS: usize = 10;

/// Every probability one analysis issued, with what identifies it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issued {
    /// The scenario's id (`[scenario] id`).
    pub scenario: String,
    /// The SHA-256 of the scenario's source text, in lower-case hex.
    pub scenario_hash: String,
    /// The date of what the scenario knew ([`model::scenario::Meta::knowledge_date`]).
    pub as_of: Date,
    /// The version of the tool that issued them.
    pub tool_version: String,
    /// The forecasts, headline first, then the drivers in file order, then the options.
    pub forecasts: Vec<Forecast>,
}

/// What kind of question a forecast answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The headline: binary, `yes` or `no`.
    Headline,
    /// A driver's marginal over its states.
    Driver,
    /// The headline with a decision forced to one option (binary, conditional).
    Option,
}

impl Kind {
    /// The name written in the ledger and the JSON: `headline`, `driver` or `option`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Headline => "headline",
            Kind::Driver => "driver",
            Kind::Option => "option",
        }
    }

    /// The kind a name stands for.
    pub fn from_name(name: &str) -> Option<Kind> {
        [Kind::Headline, Kind::Driver, Kind::Option].into_iter().find(|k| k.name() == name)
    }
}

/// One forecast: a probability for each category of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The question's id: `driver.state` (headline), the driver's id, or
    /// `driver.state|decision=option` (headline under an option).
    pub question: String,
    /// What kind of question.
    pub kind: Kind,
    /// The categories: `["yes", "no"]` for the headline, else the driver's states.
    pub categories: Vec<String>,
    /// The probability of each category, in the same order.
    pub probabilities: Vec<f64>,
    /// The driver whose resolution resolves it.
    pub driver: String,
    /// For the headline: the driver state that means `yes`.
    pub state: Option<String>,
    /// For a conditional forecast: the decision and the option it is forced to.
    pub condition: Option<(String, String)>,
}

/// The id of the conditional question "the headline, if `decision` takes `option`".
pub fn option_question(headline: &str, decision: &str, option: &str) -> String {
    format!("{headline}|{decision}={option}")
}

/// The SHA-256 of a scenario's source text, in lower-case hex.
pub fn content_hash(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// Every probability the analysis issues (see the module documentation), stamped with the
/// scenario's knowledge date, the hash of `source_text` (the text the scenario was read from)
/// and `tool_version`. Empty when the Bayes lens did not run.
pub fn issue(analysis: &Analysis, source_text: &str, tool_version: &str) -> Issued {
    let s = &analysis.scenario;
    let mut forecasts = Vec::new();
    if let Some(Ok(b)) = &analysis.bayes {
        let net = &b.analysis.net;
        let marginal = |id: &str| {
            net.variables()
                .iter()
                .position(|v| v.name == id)
                .map(|v| b.analysis.posterior.marginals[v].clone())
        };
        let headline = s.scenario.headline.as_ref();
        if let (Some(h), Some((_, _, p))) = (headline, b.summary.headline) {
            forecasts.push(Forecast {
                question: h.to_string(),
                kind: Kind::Headline,
                categories: vec!["yes".into(), "no".into()],
                probabilities: vec![p, 1.0 - p],
                driver: h.driver.clone(),
                state: Some(h.state.clone()),
                condition: None,
            });
        }
        for d in &s.drivers {
            if let Some(p) = marginal(&d.id) {
                forecasts.push(Forecast {
                    question: d.id.clone(),
                    kind: Kind::Driver,
                    categories: d.states.clone(),
                    probabilities: p,
                    driver: d.id.clone(),
                    state: None,
                    condition: None,
                });
            }
        }
        if let Some(h) = headline {
            for o in &b.by_option {
                forecasts.push(Forecast {
                    question: option_question(&h.to_string(), &o.decision, &o.option),
                    kind: Kind::Option,
                    categories: vec!["yes".into(), "no".into()],
                    probabilities: vec![o.probability, 1.0 - o.probability],
                    driver: h.driver.clone(),
                    state: Some(h.state.clone()),
                    condition: Some((o.decision.clone(), o.option.clone())),
                });
            }
        }
    }
    Issued {
        scenario: s.scenario.id.clone(),
        scenario_hash: content_hash(source_text),
        as_of: s.scenario.knowledge_date(),
        tool_version: tool_version.to_string(),
        forecasts,
    }
}

/// What one question (a driver or a decision) resolved to: a weight per state, crisp (all on
/// one) or soft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// The driver or decision.
    pub question: String,
    /// When it resolved.
    pub date: Date,
    /// The state (or option) that happened, or the one given most weight.
    pub state: String,
    /// The soft resolution's weights by state; empty when crisp.
    pub soft: BTreeMap<String, f64>,
}

impl From<&Resolution> for Resolved {
    fn from(r: &Resolution) -> Resolved {
        Resolved {
            question: r.question.clone(),
            date: r.date,
            state: r.state.clone(),
            soft: r.soft.clone(),
        }
    }
}

impl Resolved {
    /// Whether the resolution is soft (weights on more than one state).
    pub fn is_soft(&self) -> bool {
        self.soft.values().filter(|&&w| w > 0.0).count() > 1
    }

    /// The weight of one state.
    pub fn weight(&self, state: &str) -> f64 {
        if self.soft.is_empty() {
            if state == self.state { 1.0 } else { 0.0 }
        } else {
            self.soft.get(state).copied().unwrap_or(0.0)
        }
    }
}

/// Why a resolution cannot be taken for a scenario's question.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolutionError {
    /// The question is neither a driver nor a decision of the scenario.
    #[error("`{question}` is not a question of the scenario: its questions are {known}")]
    UnknownQuestion {
        /// The question named.
        question: String,
        /// The scenario's drivers and decisions, comma-separated.
        known: String,
    },
    /// The state is not one of the question's states.
    #[error("`{question}` has no state `{state}`: its states are {known}")]
    UnknownState {
        /// The question.
        question: String,
        /// The state named.
        state: String,
        /// Its states, comma-separated.
        known: String,
    },
    /// The soft weights are not a distribution.
    #[error("the soft resolution of `{question}` is not a distribution over its states: {why}")]
    BadSoft {
        /// The question.
        question: String,
        /// What is wrong (such as "the weights sum to 0.9, not 1").
        why: String,
    },
}

/// Checks a resolution against the scenario's questions: a driver or decision it has, a state
/// it has, and soft weights (if any) that are a distribution over known states with the most
/// weight on `state`. The scenario's own `[[resolution]]`s are checked by the loader; this is
/// for one given later.
///
/// # Errors
/// One [`ResolutionError`] for the first problem found.
pub fn check(s: &Scenario, r: &Resolved) -> Result<(), ResolutionError> {
    let states = states_of(s, &r.question).ok_or_else(|| {
        let known: Vec<&str> = s
            .drivers
            .iter()
            .map(|d| d.id.as_str())
            .chain(s.decisions.iter().map(|d| d.id.as_str()))
            .collect();
        ResolutionError::UnknownQuestion { question: r.question.clone(), known: known.join(", ") }
    })?;
    let unknown = |state: &str| ResolutionError::UnknownState {
        question: r.question.clone(),
        state: state.to_string(),
        known: states.join(", "),
    };
    if !states.contains(&r.state) {
        return Err(unknown(&r.state));
    }
    if r.soft.is_empty() {
        return Ok(());
    }
    if let Some(bad) = r.soft.keys().find(|k| !states.contains(k)) {
        return Err(unknown(bad));
    }
    let weights: Vec<f64> = states.iter().map(|st| r.weight(st)).collect();
    Distribution::new(weights).map_err(|e| ResolutionError::BadSoft {
        question: r.question.clone(),
        why: match e {
            ScoreError::Sum { sum } => format!("the weights sum to {sum}, not 1"),
            other => other.to_string(),
        },
    })?;
    let top = r.soft.values().copied().fold(f64::NEG_INFINITY, f64::max);
    if r.weight(&r.state) < top {
        return Err(ResolutionError::BadSoft {
            question: r.question.clone(),
            why: format!("`{}` is not the state it weighs most", r.state),
        });
    }
    Ok(())
}

/// The states of a driver, or the options of a decision.
fn states_of<'s>(s: &'s Scenario, question: &str) -> Option<&'s [String]> {
    s.drivers
        .iter()
        .find(|d| d.id == question)
        .map(|d| d.states.as_slice())
        .or_else(|| s.decisions.iter().find(|d| d.id == question).map(|d| d.options.as_slice()))
}

/// How one forecast scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The forecast.
    pub forecast: Forecast,
    /// The date it was issued as of.
    pub as_of: Date,
    /// What happened: the weight of each category (one-hot when crisp).
    pub outcome: Vec<f64>,
    /// Whether the outcome came from a soft resolution (of the driver, or of the decision of
    /// a conditional forecast).
    pub soft: bool,
    /// How much it counts: 1, or for a conditional forecast the weight of its option in the
    /// decision's resolution.
    pub weight: f64,
    /// Brier's (1950) score, summed over the categories (0 to 2; lower is better).
    pub brier: f64,
    /// The log score (natural log; higher is better); `None` when −∞ (probability 0 given
    /// to something that happened).
    pub log: Option<f64>,
    /// Bits better than a uniform forecast over the categories; `None` when −∞.
    pub baseline: Option<f64>,
    /// Whether it enters the pooled scores ([`summarise`]): a headline or conditional
    /// forecast does not when the marginal of its driver, issued at the same time, is scored
    /// too, since it restates that question.
    pub pooled: bool,
}

/// One analysis's forecasts, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Each forecast that a resolution resolves, in the order of the forecasts.
    pub scored: Vec<Scored>,
    /// The questions of forecasts no resolution resolves (yet), or only options not taken.
    pub unresolved: Vec<String>,
    /// The scores pooled.
    pub summary: Summary,
}

/// Scores pooled over many forecasts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many forecasts were pooled (see [`Scored::pooled`]).
    pub count: usize,
    /// Their total weight (a conditional forecast counts by its option's weight).
    pub weight: f64,
    /// The weighted mean Brier (1950) score; `None` with nothing scored.
    pub brier: Option<f64>,
    /// The weighted mean log score; `None` with nothing scored or when one is −∞.
    pub log: Option<f64>,
    /// The weighted mean baseline score in bits; `None` as for `log`.
    pub baseline: Option<f64>,
    /// How many log scores are −∞.
    pub log_infinite: usize,
    /// The questions scored against a soft resolution, each once, in the order first met.
    pub soft: Vec<String>,
    /// The calibration table over every probability given to every category, in
    /// [`CALIBRATION_BINS`] equal bins: the data of the reliability chart.
    pub calibration: Option<Calibration>,
    /// The Murphy decomposition of the same pooled probabilities in the same bins, when there
    /// are enough of them ([`engines::score::MIN_PER_BIN`] per occupied bin on average).
    pub decomposition: Option<Decomposition>,
}

/// Scores `forecasts` (issued as of `as_of`) against the resolutions: each forecast whose
/// driver is resolved (and, for a conditional one, whose decision is resolved with positive
/// weight on its option), then the summary of those that are pooled.
///
/// # Errors
/// A [`ScoreError`] when a forecast or an outcome is not a distribution over the same
/// categories (a forecast built by [`issue`] and a resolution that passed [`check`] never are).
pub fn score(
    forecasts: &[Forecast],
    as_of: Date,
    resolutions: &[Resolved],
) -> Result<Scores, ScoreError> {
    let (scored, unresolved) = score_each(forecasts.iter().cloned(), as_of, resolutions)?;
    let summary = summarise(&scored)?;
    Ok(Scores { scored, unresolved, summary })
}

/// The work of [`score()`] without the summary, taking the forecasts of one issue by value:
/// what a caller pooling many issues (a whole ledger) needs. Returns the scored forecasts, each
/// marked [`Scored::pooled`] or not, and the questions of those no resolution resolves.
///
/// # Errors
/// As [`score()`].
pub fn score_each(
    forecasts: impl IntoIterator<Item = Forecast>,
    as_of: Date,
    resolutions: &[Resolved],
) -> Result<(Vec<Scored>, Vec<String>), ScoreError> {
    let by_question: BTreeMap<&str, &Resolved> =
        resolutions.iter().map(|r| (r.question.as_str(), r)).collect();
    let mut scored = Vec::new();
    let mut unresolved = Vec::new();
    for f in forecasts {
        match score_one(f, as_of, &by_question)? {
            Ok(s) => scored.push(s),
            Err(f) => unresolved.push(f.question),
        }
    }
    // A headline or conditional forecast restates its driver's marginal (a coarser or a
    // conditional reading of the same question): pooling both would count one question twice.
    let marginals: Vec<String> = scored
        .iter()
        .filter(|s| s.forecast.kind == Kind::Driver)
        .map(|s| s.forecast.driver.clone())
        .collect();
    for s in &mut scored {
        s.pooled = s.forecast.kind == Kind::Driver || !marginals.contains(&s.forecast.driver);
    }
    Ok((scored, unresolved))
}

/// Scores one forecast, or hands it back when nothing resolves it.
fn score_one(
    f: Forecast,
    as_of: Date,
    resolutions: &BTreeMap<&str, &Resolved>,
) -> Result<Result<Scored, Forecast>, ScoreError> {
    let Some(r) = resolutions.get(f.driver.as_str()) else { return Ok(Err(f)) };
    let mut soft = r.is_soft();
    let outcome: Vec<f64> = match &f.state {
        Some(yes) => {
            let q = r.weight(yes);
            vec![q, 1.0 - q]
        }
        None => f.categories.iter().map(|c| r.weight(c)).collect(),
    };
    let weight = match &f.condition {
        None => 1.0,
        Some((decision, option)) => {
            let Some(d) = resolutions.get(decision.as_str()) else { return Ok(Err(f)) };
            soft |= d.is_soft();
            d.weight(option)
        }
    };
    if weight <= 0.0 {
        return Ok(Err(f));
    }
    let p = Distribution::new(f.probabilities.clone())?;
    let q = Distribution::new(outcome.clone())?;
    Ok(Ok(Scored {
        brier: score::brier(&p, &q)?,
        log: score::log_score(&p, &q)?,
        baseline: score::baseline(&p, &q)?,
        forecast: f,
        as_of,
        outcome,
        soft,
        weight,
        pooled: true,
    }))
}

/// Pools scored forecasts (of one scenario, or of a whole ledger), those marked
/// [`Scored::pooled`] only: weighted means, the calibration table and the Murphy decomposition
/// over every probability given to every category (each a [`Binary`] item with the forecast's
/// weight).
///
/// # Errors
/// A [`ScoreError`] for a probability or weight outside its range.
pub fn summarise<'a>(scored: impl IntoIterator<Item = &'a Scored>) -> Result<Summary, ScoreError> {
    let pooled: Vec<&Scored> = scored.into_iter().filter(|s| s.pooled).collect();
    let weight: f64 = pooled.iter().map(|s| s.weight).sum();
    let mean = |x: &dyn Fn(&Scored) -> Option<f64>| -> Option<f64> {
        if weight <= 0.0 {
            return None;
        }
        let mut total = 0.0;
        for s in &pooled {
            total += s.weight * x(s)?;
        }
        Some(total / weight)
    };
    let mut items = Vec::with_capacity(pooled.iter().map(|s| s.outcome.len()).sum());
    for s in &pooled {
        for (&p, &o) in s.forecast.probabilities.iter().zip(&s.outcome) {
            items.push(Binary::new(p, o, s.weight)?);
        }
    }
    let binning = Binning::Equal(CALIBRATION_BINS);
    let mut seen = BTreeSet::new();
    let soft: Vec<String> = pooled
        .iter()
        .filter(|s| s.soft && seen.insert(s.forecast.question.as_str()))
        .map(|s| s.forecast.question.clone())
        .collect();
    Ok(Summary {
        count: pooled.len(),
        weight,
        brier: mean(&|s| Some(s.brier)),
        log: mean(&|s| s.log),
        baseline: mean(&|s| s.baseline),
        log_infinite: pooled.iter().filter(|s| s.log.is_none()).count(),
        soft,
        calibration: score::calibration(&items, binning)?,
        decomposition: score::decompose(&items, binning)?.filter(enough_for_decomposition),
    })
}

#[cfg(test)]
mod tests;
