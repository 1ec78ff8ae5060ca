//! The statecraft pipeline as a library: a scenario in, one [`Analysis`] out.
//!
//! Brief overview: [`analyse`] takes a loaded, validated scenario ([`model::load::Loaded`]) and
//! the [`Settings`] of every lens, runs each lens the scenario feeds exactly once, synthesises
//! the answer to the scenario's question ([`answer`]) and gathers what would change it
//! ([`change`]). The [`Analysis`] it returns holds each lens's typed result, or why that lens
//! could not run; every report (terminal, Markdown, HTML, JSON) is a pure function of it, in
//! the `report` crate. A command-line tool, a server or a batch job calls this one function.
//!
//! Each lens also has its own module with its settings (one struct, whose `Default` is the
//! single source of every default the command line shows) and an entry point that works on the
//! lens's own input, such as a matrix read from a peer's file: [`ach`], [`actors`],
//! [`bargain`], [`cib`], [`bayes`], [`games`].
//!
//! # Example
//!
//! ```
//! use model::builtin::{self, BUILTINS};
//!
//! let loaded = builtin::load(&BUILTINS[0]).expect("the built-in scenario is valid");
//! let analysis = analysis::analyse(&loaded, &analysis::Settings::default());
//! println!("{}", analysis.answer.headline);
//! assert!(analysis.answer.probability.is_some_and(|p| (0.0..=1.0).contains(&p)));
//! ```
#![deny(missing_docs)]

pub mod ach;
pub mod actors;
pub mod answer;
pub mod bargain;
pub mod bayes;
pub mod change;
pub mod cib;
pub mod coherence;
pub mod confidence;
mod count;
pub mod ensemble;
pub mod ensemble_lenses;
mod error;
pub mod forecasts;
pub mod games;
pub mod review;
pub mod timeline;
pub mod timing;

pub use count::{LENSES, evaluations};
pub use error::{ErrorKind, LensError};

use model::figures::Figure;
use model::lens::games::compare::{BestOption, Suggestions};
use model::load::Loaded;
use model::scenario::Scenario;

/// The settings of every lens for [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// ACH (default: Bayesian scoring with sensitivity, [`ach::AchSettings::for_run`]).
    pub ach: ach::AchSettings,
    /// MACTOR and MICMAC.
    pub actors: actors::ActorsSettings,
    /// Bargaining: the expected utility model's options and the spatial model's turns.
    pub bargain: bargain::BargainSettings,
    /// Cross-Impact Balance.
    pub cib: cib::CibSettings,
    /// The Bayesian network; `None` takes [`bayes::BayesSettings::for_run`] of the scenario
    /// (with decisions: each option's expected utility, the value of information and the
    /// tornado of the maximum expected utility).
    pub bayes: Option<bayes::BayesSettings>,
    /// Games.
    pub games: games::GamesSettings,
    /// The small ensemble behind the answer's robustness and confidence
    /// ([`ensemble::EnsembleSettings::for_run`]); `None` skips it.
    pub robustness: Option<ensemble::EnsembleSettings>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ach: ach::AchSettings::for_run(),
            actors: actors::ActorsSettings::default(),
            bargain: bargain::BargainSettings::default(),
            cib: cib::CibSettings::default(),
            bayes: None,
            games: games::GamesSettings::default(),
            robustness: Some(ensemble::EnsembleSettings::for_run()),
        }
    }
}

/// One lens's outcome: `None` when the scenario does not feed the lens, else its result or why
/// it could not run.
pub type Outcome<T> = Option<Result<T, LensError>>;

/// Everything the pipeline found on one scenario.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// What was analysed: the file name as given, or `<built-in NAME>`.
    pub source: String,
    /// The scenario.
    pub scenario: Scenario,
    /// The derived figures, by interval arithmetic over the quantities' ranges.
    pub figures: Vec<Figure>,
    /// Competing hypotheses.
    pub ach: Outcome<ach::AchAnalysis>,
    /// Actors (MACTOR) and structure (MICMAC).
    pub actors: Outcome<actors::ActorsAnalysis>,
    /// Where the contested issues settle.
    pub bargain: Outcome<bargain::ScenarioBargain>,
    /// The self-consistent futures.
    pub cib: Outcome<cib::ScenarioCib>,
    /// How likely each future is, and which option is best.
    pub bayes: Outcome<bayes::ScenarioBayes>,
    /// What the players will do.
    pub games: Outcome<Vec<games::ScenarioGame>>,
    /// The answer to the scenario's question.
    pub answer: answer::Answer,
    /// What would change the judgment.
    pub change: change::Change,
}

/// Runs every lens the scenario feeds, once each, and synthesises the answer. A lens that fails
/// is recorded with why; the others still run.
///
/// The lenses read only what the scenario knows by its knowledge date (its `as_of`, unless
/// [`model::updates::known_by`] made it later); pass the scenario through `known_by` first so
/// that the report's overview, too, leaves out the updates dated after it.
pub fn analyse(loaded: &Loaded, settings: &Settings) -> Analysis {
    analyse_unless(loaded, settings, &|| false).expect("nothing asks it to stop")
}

/// As [`analyse`], but asks `stop` before each lens and gives up, with `None`, as soon as it
/// answers yes: for a caller that may stop wanting the answer midway (the workbench, when the
/// request it answers has timed out), so that the lenses left are not run for nothing. A lens
/// under way is not interrupted.
pub fn analyse_unless(
    loaded: &Loaded,
    settings: &Settings,
    stop: &dyn Fn() -> bool,
) -> Option<Analysis> {
    let go = || (!stop()).then_some(());
    let s = &loaded.scenario;
    go()?;
    let ach = (!s.hypotheses.is_empty()).then(|| ach::from_scenario(s, &settings.ach));
    go()?;
    let actors = (!s.actors.is_empty() || s.drivers.iter().any(|d| !d.influence.is_empty()))
        .then(|| actors::from_scenario(s, &settings.actors));
    go()?;
    let bargain = bargain_outcome(s, settings);
    go()?;
    let cib = (!s.cross_impacts.is_empty()).then(|| cib::from_scenario(s, &settings.cib));
    go()?;
    let bayes = bayes_outcome(s, settings);
    go()?;
    let suggest = suggest_from(s, bayes.as_ref(), bargain.as_ref(), settings);
    let games = match games::scenario(s, &settings.games, &suggest) {
        Ok(None) => None,
        Ok(Some(found)) => Some(Ok(found)),
        Err(e) => Some(Err(e)),
    };

    let mut disagreements: Vec<coherence::Disagreement> = loaded
        .warnings
        .iter()
        .map(|w| coherence::Disagreement {
            code: w.code,
            path: w.path.clone(),
            text: w.message.clone(),
            why: w.note.clone().unwrap_or_default(),
        })
        .collect();
    if let (Some(a), Some(b)) = (ok(&ach), ok(&bayes)) {
        disagreements.extend(coherence::disagreements(s, a, b));
    }
    let summary = ok(&bayes).map(|b| &b.summary);
    go()?;
    // The ensemble runs only where the network does, and its refusal (no focal decision, or
    // one that observes drivers) leaves the answer without robustness.
    let robustness = match (&settings.robustness, ok(&bayes)) {
        (Some(e), Some(_)) => ensemble::ensemble(s, e).ok().map(|x| ensemble::Robustness::of(&x)),
        _ => None,
    };
    let found = answer::Findings {
        bayes: summary,
        by_option: ok(&bayes).map_or(&[], |b| b.by_option.as_slice()),
        observed: ok(&bayes).map_or(&[], |b| b.if_observed.as_slice()),
        cib: ok(&cib).map(|c| (&c.study, &c.analysis.solution)),
        ach: ok(&ach),
        bargain: ok(&bargain),
        games: ok(&games).map(Vec::as_slice),
        timing: ok(&bayes).and_then(|b| b.timing.as_ref()),
        disagreements: &disagreements,
        headline_tornado: ok(&bayes).and_then(|b| b.headline_tornado.as_ref()),
        robustness: robustness.as_ref(),
    };
    let answer = answer::answer(s, &found);
    let observed = ok(&bayes).map_or(&[][..], |b| b.if_observed.as_slice());
    let change = change::Change::gather(s, ok(&ach), summary, observed);
    Some(Analysis {
        source: loaded.source.name.clone(),
        scenario: s.clone(),
        figures: model::figures::compute(s),
        ach,
        actors,
        bargain,
        cib,
        bayes,
        games,
        answer,
        change,
    })
}

/// What the Bayes and bargaining lenses suggest for the scenario's games to be compared with:
/// runs those two lenses (once each) with the settings given. [`analyse`] does this as part
/// of the whole run; this is for a caller that wants only the games.
pub fn suggestions(s: &Scenario, settings: &Settings) -> Suggestions {
    let bayes = bayes_outcome(s, settings);
    let bargain = bargain_outcome(s, settings);
    suggest_from(s, bayes.as_ref(), bargain.as_ref(), settings)
}

/// The Bayes lens on the scenario, when it has probabilities: with the settings given, or
/// those of `statecraft run` for it.
fn bayes_outcome(s: &Scenario, settings: &Settings) -> Outcome<bayes::ScenarioBayes> {
    s.drivers.iter().any(|d| d.prior.is_some() || !d.cpt.is_empty()).then(|| {
        let run = bayes::BayesSettings::for_run(s);
        bayes::scenario(s, settings.bayes.as_ref().unwrap_or(&run))
    })
}

/// The bargaining lens on the scenario, when it has issues.
fn bargain_outcome(s: &Scenario, settings: &Settings) -> Outcome<bargain::ScenarioBargain> {
    (!s.issues.is_empty()).then(|| bargain::scenario(s, &settings.bargain))
}

/// The suggestions of the Bayes and bargaining lenses' outcomes.
fn suggest_from(
    s: &Scenario,
    bayes: Option<&Result<bayes::ScenarioBayes, LensError>>,
    bargain: Option<&Result<bargain::ScenarioBargain, LensError>>,
    settings: &Settings,
) -> Suggestions {
    Suggestions {
        bayes: bayes_suggestion(s, bayes),
        bargain: match bargain {
            Some(Ok(b)) => Ok(b.forecasts()),
            Some(Err(e)) => Err(e.message.clone()),
            None => Err(bargain::study_of(s, &settings.bargain)
                .err()
                .map_or_else(|| "the scenario has no issues".to_string(), |e| e.message)),
        },
    }
}

/// A lens's result, when it ran and succeeded.
fn ok<T>(outcome: &Outcome<T>) -> Option<&T> {
    outcome.as_ref().and_then(|r| r.as_ref().ok())
}

/// The Bayes lens's best option for each decision of the focal actor, for the games lens to
/// compare with, or why there is none.
fn bayes_suggestion(
    s: &Scenario,
    bayes: Option<&Result<bayes::ScenarioBayes, LensError>>,
) -> Result<Vec<BestOption>, String> {
    let focal = s.scenario.focal_actor.as_ref().ok_or("the scenario names no focal actor")?;
    if !s.decisions.iter().any(|d| &d.owner == focal) {
        return Err(format!("the focal actor `{focal}` owns no decision"));
    }
    let b = match bayes {
        None => return Err(bayes::study_of(s).err().map_or_else(String::new, |e| e.message)),
        Some(Err(e)) => return Err(e.message.clone()),
        Some(Ok(b)) => b,
    };
    let solution = b.summary.solution.as_ref().ok_or("the scenario has no influence diagram")?;
    Ok(model::lens::games::compare::best_options(s, &b.summary.study.ids, solution))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(name: &str) -> Loaded {
        let b = model::builtin::find(name).expect("built in");
        model::builtin::load(b).unwrap_or_else(|d| panic!("{d}"))
    }

    /// Every lens the built-in scenario feeds is evaluated once, and the games lens compares
    /// with the other lenses' results instead of running them again.
    #[test]
    fn each_lens_is_evaluated_once() {
        let loaded = builtin("korea-2024");
        let before = evaluations();
        let a = analyse(&loaded, &Settings::default());
        let after = evaluations();
        let runs: Vec<u64> = after.iter().zip(before).map(|(x, y)| x - y).collect();
        assert_eq!(runs, [1, 1, 1, 1, 1, 1], "ach, actors, bargain, cib, bayes, games");
        assert!(a.ach.is_some_and(|r| r.is_ok()));
        assert!(a.games.is_some_and(|r| r.is_ok()));
    }

    /// A caller that stops wanting the answer stops the lenses still to run: here it says stop
    /// at its fourth question, so ach, actors and bargain run and cib, bayes and games do not.
    #[test]
    fn analyse_unless_runs_no_lens_after_stop() {
        let loaded = builtin("korea-2024");
        let asked = std::cell::Cell::new(0);
        let stop = || {
            asked.set(asked.get() + 1);
            asked.get() > 3
        };
        let before = evaluations();
        let a = analyse_unless(&loaded, &Settings::default(), &stop);
        let after = evaluations();
        let runs: Vec<u64> = after.iter().zip(before).map(|(x, y)| x - y).collect();
        assert!(a.is_none());
        assert_eq!(runs, [1, 1, 1, 0, 0, 0], "ach, actors, bargain, cib, bayes, games");
    }

    /// A lens the scenario does not feed is absent, not failed.
    #[test]
    fn lenses_not_fed_are_absent() {
        let mut loaded = builtin("minimal");
        let a = analyse(&loaded, &Settings::default());
        let present = [
            a.ach.is_some(),
            a.actors.is_some(),
            a.bargain.is_some(),
            a.cib.is_some(),
            a.bayes.is_some(),
            a.games.is_some(),
        ];
        assert_eq!(present, [true; 6], "minimal feeds every lens");
        loaded.scenario.games.clear();
        loaded.scenario.hypotheses.clear();
        let a = analyse(&loaded, &Settings::default());
        assert!(a.games.is_none() && a.ach.is_none());
        assert!(a.answer.reasons.iter().all(|r| r.lens != "ach" && r.lens != "games"));
    }

    /// What the games lens compares with on korea-2024: the influence diagram's best option
    /// (as `statecraft bayes` reports it, EU −38.68) and the forecasts of the one bargained
    /// issue (the other two are own choices): the baseline's only, since the expected utility
    /// model cycles and gives no point forecast.
    #[test]
    fn korea_2024_suggests_the_status_quo_and_forecasts_the_bargained_issue() {
        let loaded = builtin("korea-2024");
        let a = analyse(&loaded, &Settings::default());
        let s = &loaded.scenario;
        assert_eq!(
            bayes_suggestion(s, a.bayes.as_ref()),
            Ok(vec![BestOption { decision: "seoul".into(), option: "status_quo_nato".into() }])
        );
        let forecasts = a.bargain.and_then(Result::ok).map(|b| b.forecasts()).unwrap_or_default();
        assert_eq!(forecasts.len(), 1);
        let labels: Vec<&str> = forecasts[0].points.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["baseline mean", "baseline median"]);
        // The baseline median of rok_support is the United States' position, 60.
        assert_eq!(forecasts[0].points[1].value, 60.0);
    }
}
