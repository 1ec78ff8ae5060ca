//! The timeline: how the answer would have moved had each dated update been entered as it came.
//!
//! The scenario's updates ([`model::updates::updates`]) are applied one at a time, in the order
//! they became known. After each, the lens it feeds is run again: later evidence goes through
//! ACH (Heuer's least-inconsistency reading, PARC ACH 2.0's count), an observation through the
//! Bayesian network (the headline and the headline under each option of the focal decision), a
//! revision through the figures. So every move of the headline belongs to exactly one update,
//! and the step says by how much and through which lens. Several updates on one date are
//! applied in the order of [`model::updates::updates`] (evidence, observations, revisions, each
//! in file order).

use model::scenario::{Date, Scenario};
use model::updates::{self, Observed, UpdateKind};

use crate::LensError;
use crate::ach::{self, AchSettings};
use crate::bayes::{self, BayesSettings, OptionHeadline};

/// The answer at the scenario's `as_of` and after each of its updates.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The headline, as `driver.state`, when the scenario names one.
    pub headline: Option<String>,
    /// The first step is the scenario as of its `as_of`; each later step applies one update.
    pub steps: Vec<Step>,
}

/// The answer after one update (or, for the first step, as of `as_of`).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The date it became known (the scenario's `as_of` for the first step).
    pub date: Date,
    /// The update applied at this step; `None` for the first step.
    pub update: Option<StepUpdate>,
    /// The headline's probability after it, when the Bayes lens gives one.
    pub headline: Option<f64>,
    /// The headline under each option of the focal decision after it.
    pub by_option: Vec<OptionHeadline>,
    /// The hypotheses the evidence contradicts least after it (ties share first place), when
    /// ACH runs.
    pub ach_leaders: Vec<String>,
    /// Why a lens gave nothing at this step, when it failed.
    pub problem: Option<LensError>,
}

/// One update, as the timeline names it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepUpdate {
    /// What it is: `evidence`, `observation` or `revision`.
    pub kind: &'static str,
    /// Its label: the evidence id, `indicator ID seen`, `driver = state`, `quantity ID`.
    pub label: String,
    /// The lens it moves: `ach`, `bayes` or `figures`.
    pub lens: &'static str,
    /// What it says, in a few words: the evidence's claim, the observation's reason, the
    /// revision's new range.
    pub detail: String,
    /// An indicator it reports seen or not seen, with whether it was seen.
    pub indicator: Option<(String, bool)>,
    /// Its source id.
    pub source: String,
    /// Where in the source.
    pub locator: Option<String>,
}

impl Step {
    /// The leading hypotheses joined with ` = ` (a tie), or `-` when ACH gave none.
    pub fn leaders(&self) -> String {
        if self.ach_leaders.is_empty() { "-".into() } else { self.ach_leaders.join(" = ") }
    }
}

impl Timeline {
    /// The change of the headline at step `i` (from step `i − 1`), when both are known.
    pub fn headline_move(&self, i: usize) -> Option<f64> {
        let now = self.steps.get(i)?.headline?;
        let before = self.steps.get(i.checked_sub(1)?)?.headline?;
        Some(now - before)
    }

    /// The indicators reported seen or not seen, each with the date of that report, in order.
    pub fn indicators(&self) -> Vec<(Date, &str, bool)> {
        self.steps
            .iter()
            .filter_map(|s| {
                let (id, seen) = s.update.as_ref()?.indicator.as_ref()?;
                Some((s.date, id.as_str(), *seen))
            })
            .collect()
    }
}

/// Steps through the scenario's updates, one at a time, from its `as_of`. Each step runs again
/// only the lens its update feeds, with `bayes` as the settings of the Bayes lens.
///
/// A lens that fails at a step (for instance observations the network gives probability zero
/// together) leaves that step's value out and names the problem; later steps go on.
pub fn timeline(s: &Scenario, bayes: &BayesSettings) -> Timeline {
    let all = updates::updates(s);
    let heuer = AchSettings::default();
    let leaders = |view: &Scenario| -> Result<Vec<String>, LensError> {
        if view.hypotheses.is_empty() {
            return Ok(Vec::new());
        }
        let a = ach::from_scenario(view, &heuer)?;
        let r = a.least_inconsistent();
        Ok(r.leaders.iter().map(|&h| a.matrix.hypotheses()[h].clone()).collect())
    };
    let headlines = |view: &Scenario| bayes::headlines(view, bayes);
    let mut steps: Vec<Step> = Vec::with_capacity(all.len() + 1);
    for n in 0..=all.len() {
        let view = updates::first(s, n);
        let update = n.checked_sub(1).map(|i| describe(s, all[i].kind));
        let previous = steps.last();
        let lens = update.as_ref().map(|u| u.lens);
        let mut problem = None;
        let (headline, by_option) = match (lens, previous) {
            (Some("ach" | "figures"), Some(p)) => (p.headline, p.by_option.clone()),
            _ => match headlines(&view) {
                Ok(Some((h, o))) => (Some(h), o),
                Ok(None) => (None, Vec::new()),
                Err(e) => {
                    problem = Some(e);
                    (None, Vec::new())
                }
            },
        };
        let ach_leaders = match (lens, previous) {
            (Some("bayes" | "figures"), Some(p)) => p.ach_leaders.clone(),
            _ => leaders(&view).unwrap_or_else(|e| {
                problem.get_or_insert(e);
                Vec::new()
            }),
        };
        let date = view.scenario.knowledge_date();
        steps.push(Step { date, update, headline, by_option, ach_leaders, problem });
    }
    let headline = s.scenario.headline.as_ref().map(ToString::to_string);
    Timeline { headline, steps }
}

/// How the timeline names an update.
fn describe(s: &Scenario, kind: UpdateKind) -> StepUpdate {
    match kind {
        UpdateKind::Evidence(i) => {
            let e = &s.evidence[i];
            StepUpdate {
                kind: "evidence",
                label: e.id.clone(),
                lens: "ach",
                detail: e.claim.clone(),
                indicator: None,
                source: e.source.clone(),
                locator: e.locator.clone(),
            }
        }
        UpdateKind::Observation(i) => {
            let o = &s.observations[i];
            let observed = updates::observed(o);
            let indicator = match observed {
                Observed::Indicator { id, seen } => Some((id.to_owned(), seen)),
                Observed::Driver { .. } => None,
            };
            StepUpdate {
                kind: "observation",
                label: observed.to_string(),
                lens: "bayes",
                detail: o.why.clone(),
                indicator,
                source: o.source.clone(),
                locator: o.locator.clone(),
            }
        }
        UpdateKind::Revision(i) => {
            let r = &s.revisions[i];
            let before = s.quantities.iter().find(|q| q.id == r.quantity);
            let detail = match before {
                Some(q) => format!(
                    "{} now {}–{} {} (as of {}: {}–{})",
                    q.name, r.low, r.high, q.unit, s.scenario.as_of, q.low, q.high
                ),
                None => format!("{}–{}", r.low, r.high),
            };
            StepUpdate {
                kind: "revision",
                label: format!("quantity {}", r.quantity),
                lens: "figures",
                detail,
                indicator: None,
                source: r.source.clone(),
                locator: r.locator.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use engines::prec;
    use model::scenario::{Evidence, Level, Observation, Rating, Revision};

    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    fn observation(on: &str, what: impl FnOnce(&mut Observation)) -> Observation {
        let mut o = Observation {
            date: date(on),
            indicator: None,
            seen: None,
            ratio: None,
            driver: None,
            state: None,
            likelihood: BTreeMap::new(),
            source: "analyst".into(),
            locator: None,
            why: "a test".into(),
        };
        what(&mut o);
        o
    }

    /// korea-2024 with one update of each kind, two of them on one date.
    fn korea_with_updates() -> Scenario {
        let b = model::builtin::find("korea-2024").expect("built in");
        let mut s = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}")).scenario;
        let original = updates::first(&s, 0);
        s.evidence = original.evidence;
        s.sources = original.sources;
        s.observations.clear();
        s.revisions.clear();
        s.observations.push(observation("2024-11-28", |o| {
            o.indicator = Some("rok_arms".into());
            o.seen = Some(false);
        }));
        s.observations.push(observation("2025-01-06", |o| {
            o.driver = Some("tension".into());
            o.likelihood = [("low", 0.3), ("elevated", 0.65), ("crisis", 0.05)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        }));
        s.evidence.push(Evidence {
            id: "later".into(),
            claim: "The treaty came into force.".into(),
            source: "analyst".into(),
            locator: None,
            reported: date("2025-01-06"),
            event: None,
            credibility: Level::High,
            relevance: Level::High,
            flags: Vec::new(),
            why: None,
            bears_on: [("H1", Rating::I), ("H2", Rating::CC), ("H3", Rating::C), ("H4", Rating::C)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        });
        s.revisions.push(Revision {
            date: date("2025-04-30"),
            quantity: "troops".into(),
            low: 14_000.0,
            high: 15_000.0,
            source: "analyst".into(),
            locator: None,
            why: "a later briefing".into(),
        });
        s
    }

    /// Issue #15: every move of the headline belongs to exactly one update, the moves add up to
    /// the whole change, and after the last update of each date the timeline agrees with the
    /// scenario viewed `--as-of` that date.
    #[test]
    fn every_move_belongs_to_one_update_and_agrees_with_as_of() {
        let s = korea_with_updates();
        let settings = BayesSettings::for_run(&s);
        let t = timeline(&s, &settings);
        assert_eq!(t.steps.len(), 5, "the start and four updates");
        let kinds: Vec<&str> =
            t.steps.iter().skip(1).map(|x| x.update.as_ref().expect("an update").lens).collect();
        assert_eq!(kinds, ["bayes", "ach", "bayes", "figures"], "date order, evidence first");
        let moved: f64 = (1..t.steps.len()).filter_map(|i| t.headline_move(i)).sum();
        let whole = t.steps[4].headline.unwrap() - t.steps[0].headline.unwrap();
        assert!((moved - whole).abs() <= prec::REORDER, "{moved} {whole}");
        for i in [2, 4] {
            assert_eq!(t.headline_move(i), Some(0.0), "evidence and revisions move no probability");
        }
        assert!(t.headline_move(1).unwrap() < -0.05, "not seeing Seoul's arms lowers the headline");
        for (i, on) in [(1, "2024-11-28"), (3, "2025-01-06"), (4, "2025-04-30")] {
            let view = updates::known_by(&s, date(on)).unwrap();
            let (h, options) = bayes::headlines(&view, &settings).unwrap().expect("a headline");
            let step = &t.steps[i];
            assert!((step.headline.unwrap() - h).abs() <= prec::REORDER, "{on}");
            for (a, b) in step.by_option.iter().zip(&options) {
                assert!((a.probability - b.probability).abs() <= prec::REORDER, "{on}");
            }
        }
        let at_start = &t.steps[0];
        let first = bayes::headlines(&s, &settings).unwrap().expect("a headline").0;
        assert!((at_start.headline.unwrap() - first).abs() <= prec::REORDER);
        assert_eq!(t.indicators(), vec![(date("2024-11-28"), "rok_arms", false)]);
    }

    /// An indicator watched for and not seen is soft evidence of 1/4 on each state it signals,
    /// exactly as `bayes --likelihood` would enter it.
    #[test]
    fn an_indicator_not_seen_is_the_inverse_likelihood_on_its_signals() {
        let s = korea_with_updates();
        let view = updates::known_by(&s, date("2024-11-30")).unwrap();
        let settings = BayesSettings::for_run(&view);
        let (h, _) = bayes::headlines(&view, &settings).unwrap().expect("a headline");
        let weights = |driver: &str, state: &str| {
            let d = s.drivers.iter().find(|d| d.id == driver).expect("a driver");
            let w: Vec<String> = d
                .states
                .iter()
                .map(|x| if x == state { "0.25".to_string() } else { "1".to_string() })
                .collect();
            format!("{driver}={}", w.join(","))
        };
        let explicit = BayesSettings {
            likelihood: vec![
                weights("rok_posture", "arms_to_ukraine"),
                weights("korean_war", "korean"),
            ],
            ..settings.clone()
        };
        let original = updates::first(&s, 0);
        let (expected, _) = bayes::headlines(&original, &explicit).unwrap().expect("a headline");
        assert!((h - expected).abs() <= prec::REORDER, "{h} {expected}");
    }
}
