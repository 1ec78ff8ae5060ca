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
