//! The after-action review: what a scenario forecast as of its `as_of`, what happened (its
//! `[[resolution]]`s), which assumptions failed and which judgments drove the miss, which
//! indicators fired and whether they pointed the right way, and how the estimate would have
//! moved had the updates been entered as they came ([`crate::timeline`]).
//!
//! Everything is read from the scenario's original judgments ([`model::updates::first`] with no
//! update): a review of a forecast edited with hindsight would be worthless.

use model::load::Loaded;
use model::scenario::{Date, Level, Resolution};
use model::updates::{self, Observed};

use crate::bayes::{self, BayesSettings, OptionHeadline};
use crate::forecasts::{self, Resolved, Scores};
use crate::timeline::{self, Timeline};
use crate::{LensError, Settings};

/// How many judgments the review names for each failed assumption.
pub const DRIVERS_OF_A_MISS: usize = 3;

/// The after-action review of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// The date of the forecast: the scenario's `as_of`.
    pub as_of: Date,
    /// The headline, as `driver.state`, with its probability as of `as_of`.
    pub headline: Option<(String, f64)>,
    /// The headline under each option of the focal decision, as of `as_of`.
    pub by_option: Vec<OptionHeadline>,
    /// The option the decision analysis recommended as of `as_of` (the highest expected
    /// utility), with its decision.
    pub recommended: Option<(String, String)>,
    /// One entry per resolved driver or decision, in the order of the resolutions.
    pub questions: Vec<QuestionReview>,
    /// The indicators, in the scenario's order, with what was reported of each.
    pub indicators: Vec<IndicatorReview>,
    /// The estimate after each update.
    pub timeline: Timeline,
    /// How the forecasts as of `as_of` score against the resolutions
    /// ([`crate::forecasts::score`]: Brier, log and baseline scores, each forecast and pooled).
    pub scores: Scores,
}

/// What was forecast for one question and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionReview {
    /// The resolution, as written in the scenario.
    pub resolution: Resolution,
    /// Whether the question is a decision (whose "forecast" is the recommended policy).
    pub decision: bool,
    /// The states (options), in the scenario's order.
    pub states: Vec<String>,
    /// The probability given to each state as of `as_of`; empty when the network does not hold
    /// the question.
    pub forecast: Vec<f64>,
    /// Whether the state that happened was given less than a uniform forecast (1/k of k
    /// states) would have given it: an assumption that failed.
    pub failed: bool,
    /// For a failed assumption, the judgments whose change (±0.1) moves the probability of
    /// what happened most, as (label, probability at the low end, at the high end), largest
    /// first.
    pub drivers_of_miss: Vec<(String, f64, f64)>,
}

impl QuestionReview {
    /// The probability the forecast gave to the state that happened (the crisp `state`).
    pub fn given_to_outcome(&self) -> Option<f64> {
        let k = self.states.iter().position(|s| *s == self.resolution.state)?;
        self.forecast.get(k).copied()
    }

    /// Whether the resolution is soft (a judgment call scored as a distribution).
    pub fn soft(&self) -> bool {
        !self.resolution.soft.is_empty()
    }
}

/// What was reported of one indicator after `as_of`, and whether it pointed the right way.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorReview {
    /// The indicator's id.
    pub id: String,
    /// The first date it was reported seen, if it was.
    pub first_seen: Option<Date>,
    /// The latest report: seen or not seen, with its date; `None` when nothing was reported.
    pub latest: Option<(Date, bool)>,
    /// For each driver state it signals that has a resolution: the state, and whether it
    /// happened (the resolution's crisp state).
    pub signals: Vec<(String, bool)>,
    /// The headline's moves, in probability, when its reports were entered in the timeline,
    /// added up; `None` when it has none.
    pub headline_move: Option<f64>,
}

impl IndicatorReview {
    /// How the indicator did: `hit` (seen, and a state it signals happened), `false alarm`
    /// (seen, none happened), `miss` (not seen, one happened), `correct rejection` (not seen,
    /// none happened), or `unresolved` (no report, or no signalled driver resolved).
    pub fn verdict(&self) -> &'static str {
        let Some((_, seen)) = self.latest else { return "unresolved" };
        if self.signals.is_empty() {
            return "unresolved";
        }
        let happened = self.signals.iter().any(|(_, h)| *h);
        match (seen, happened) {
            (true, true) => "hit",
            (true, false) => "false alarm",
            (false, true) => "miss",
            (false, false) => "correct rejection",
        }
    }
}

/// Reviews a loaded scenario (with its updates and resolutions) against its resolutions: its
/// analysis as of `as_of` with `settings`, and the forecasts it issued then
/// ([`crate::forecasts::issue`]) scored.
///
/// # Errors
/// When the scenario's network cannot be analysed as of `as_of` (the lens's error), or a
/// forecast cannot be scored.
pub fn review(loaded: &Loaded, settings: &Settings) -> Result<Review, LensError> {
    let s = &loaded.scenario;
    let original = Loaded { scenario: updates::first(s, 0), ..loaded.clone() };
    let analysis = crate::analyse(&original, settings);
    let found = match &analysis.bayes {
        Some(Ok(b)) => b,
        Some(Err(e)) => return Err(e.clone()),
        None => return Err(LensError::bad_input("the scenario has no Bayesian network to review")),
    };
    let bayes_settings = found.analysis.settings.clone();
    let settings = &bayes_settings;
    let original = &original.scenario;
    let issued = forecasts::issue(&analysis, &loaded.source.text, env!("CARGO_PKG_VERSION"));
    let resolved: Vec<Resolved> = s.resolutions.iter().map(Resolved::from).collect();
    let scores = forecasts::score(&issued.forecasts, issued.as_of, &resolved)
        .map_err(|e| LensError::analysis(format!("cannot score the forecasts: {e}")))?;
    let study = bayes::study_of(original)?;
    let marginals = &found.analysis.posterior.marginals;
    let headline = match (&s.scenario.headline, found.summary.headline) {
        (Some(h), Some((_, _, p))) => Some((h.to_string(), p)),
        _ => None,
    };
    let recommended = found
        .by_option
        .iter()
        .max_by(|a, b| a.expected_utility.total_cmp(&b.expected_utility))
        .map(|o| (o.decision.clone(), o.option.clone()));
    let mut questions = Vec::new();
    for r in &s.resolutions {
        let decision = s.decisions.iter().any(|d| d.id == r.question);
        let states: Vec<String> = match s.drivers.iter().find(|d| d.id == r.question) {
            Some(d) => d.states.clone(),
            None => s
                .decisions
                .iter()
                .find(|d| d.id == r.question)
                .map(|d| d.options.clone())
                .unwrap_or_default(),
        };
        let node = study.ids.iter().position(|id| *id == r.question);
        let forecast = node.map(|v| marginals[v].clone()).unwrap_or_default();
        let mut q = QuestionReview {
            resolution: r.clone(),
            decision,
            states,
            forecast,
            failed: false,
            drivers_of_miss: Vec::new(),
        };
        let uniform = 1.0 / q.states.len().max(1) as f64;
        q.failed = !decision && q.given_to_outcome().is_some_and(|p| p < uniform);
        if q.failed {
            q.drivers_of_miss = drivers_of_miss(&study, &r.question, &r.state, settings)?;
        }
        questions.push(q);
    }
    let timeline = timeline::timeline(s, settings);
    let indicators = s
        .indicators
        .iter()
        .map(|ind| {
            let reports: Vec<(Date, bool, usize)> = s
                .observations
                .iter()
                .enumerate()
                .filter_map(|(i, o)| match updates::observed(o) {
                    Observed::Indicator { id, seen } if id == ind.id => Some((o.date, seen, i)),
                    _ => None,
                })
                .collect();
            let first_seen = reports.iter().filter(|r| r.1).map(|r| r.0).min();
            let latest = reports.iter().max_by_key(|r| (r.0, r.2)).map(|r| (r.0, r.1));
            let signals = ind
                .signals
                .iter()
                .filter_map(|sig| {
                    let r = s.resolutions.iter().find(|r| r.question == sig.driver)?;
                    Some((sig.to_string(), r.state == sig.state))
                })
                .collect();
            let moves: Vec<f64> = (1..timeline.steps.len())
                .filter(|&i| {
                    let u = timeline.steps[i].update.as_ref();
                    u.and_then(|u| u.indicator.as_ref()).is_some_and(|(id, _)| *id == ind.id)
                })
                .filter_map(|i| timeline.headline_move(i))
                .collect();
            let headline_move = (!moves.is_empty()).then(|| moves.iter().sum());
            IndicatorReview { id: ind.id.clone(), first_seen, latest, signals, headline_move }
        })
        .collect();
    Ok(Review {
        as_of: s.scenario.as_of,
        headline,
        by_option: found.by_option.clone(),
        recommended,
        questions,
        indicators,
        timeline,
        scores,
    })
}

/// The judgments whose swing moves the as-of probability of `driver = state` most: a tornado of
/// that probability on the original network.
fn drivers_of_miss(
    study: &model::lens::bayes::BayesStudy,
    driver: &str,
    state: &str,
    settings: &BayesSettings,
) -> Result<Vec<(String, f64, f64)>, LensError> {
    let tornado = Some(format!("{driver}={state}"));
    let decide = study.diagram.is_some();
    let settings = BayesSettings { tornado, decide, voi: false, ..settings.clone() };
    let found = bayes::analyse(bayes::model_of(study), Vec::new(), &settings)?;
    let Some((_, t)) = &found.tornado else { return Ok(Vec::new()) };
    Ok(t.bars
        .iter()
        .take(DRIVERS_OF_A_MISS)
        .map(|b| {
            let label = model::lens::bayes::judgment_label(study, &found.net, b.parameter);
            (label, b.target_low.unwrap_or(t.base), b.target_high.unwrap_or(t.base))
        })
        .collect())
}

/// How sure a resolution is, in words.
pub fn confidence_words(l: Level) -> &'static str {
    match l {
        Level::Low => "low",
        Level::Medium => "medium",
        Level::High => "high",
    }
}
