//! Dated updates: what became known after a scenario's `as_of`, and the scenario as it stood on
//! a later date.
//!
//! A scenario's judgments are made as of its `as_of` date and are never edited afterwards. What
//! the world revealed later is written beside them as dated updates:
//!
//! - evidence items reported after `as_of`, each rated against the hypotheses by its own
//!   `bears_on` (the ACH lens reads them by their `reported` date);
//! - [`Observation`]s: an indicator seen or not seen, a driver found in a state or judged with a
//!   likelihood over its states (the Bayes lens enters them as evidence on the network);
//! - [`Revision`](crate::scenario::Revision)s of quantities (the figures read the latest revision);
//! - [`Resolution`](crate::scenario::Resolution)s: what each question turned out to be (read by scoring, not by the lenses).
//!
//! [`known_by`] gives the scenario as it stood on a date: the updates dated after it dropped, the
//! revisions up to it applied. [`updates`] lists the updates in the order they became known, for
//! the timeline.

use std::collections::BTreeSet;
use std::fmt;

use crate::scenario::{Date, Observation, Scenario};

/// Why a scenario cannot be viewed as of a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AsOfError {
    /// The date is before the scenario's own `as_of`: its judgments already know more.
    #[error(
        "--as-of {date} is before the scenario's own date ({as_of}): its judgments were made knowing what was reported up to then"
    )]
    BeforeJudgments {
        /// The date asked for.
        date: Date,
        /// The scenario's `as_of`.
        as_of: Date,
    },
}

/// The scenario as it stood on `date`: evidence reported after it, and observations, revisions
/// and resolutions dated after it, are dropped; the latest revision of each quantity up to it
/// replaces the quantity's range, source and reason. `date` equal to the scenario's `as_of`
/// gives its original judgments.
///
/// # Errors
/// [`AsOfError::BeforeJudgments`] when `date` is before the scenario's `as_of`.
pub fn known_by(s: &Scenario, date: Date) -> Result<Scenario, AsOfError> {
    let as_of = s.scenario.as_of;
    if date < as_of {
        return Err(AsOfError::BeforeJudgments { date, as_of });
    }
    let all = updates(s);
    let n = all.iter().take_while(|u| u.date <= date).count();
    Ok(applied(s, &all[..n], date))
}

/// The scenario with its first `n` updates (in the order of [`updates`]) applied and the later
/// ones dropped, known as of the `n`-th update's date (its `as_of` for `n = 0`). The timeline
/// steps through a scenario this way, one update at a time.
pub fn first(s: &Scenario, n: usize) -> Scenario {
    let all = updates(s);
    let n = n.min(all.len());
    let date = n.checked_sub(1).map_or(s.scenario.as_of, |last| all[last].date);
    applied(s, &all[..n], date)
}

/// `s` with exactly the updates `known` applied (and the others dropped), known as of `date`.
fn applied(s: &Scenario, known: &[Update], date: Date) -> Scenario {
    let is_known = |kind: UpdateKind| known.iter().any(|u| u.kind == kind);
    let mut out = s.clone();
    let keep: Vec<bool> = s
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| !is_update(s, e) || is_known(UpdateKind::Evidence(i)))
        .collect();
    let mut keep = keep.into_iter();
    out.evidence.retain(|_| keep.next().unwrap_or(false));
    let mut k = 0..;
    out.observations.retain(|_| is_known(UpdateKind::Observation(k.next().unwrap_or(0))));
    out.resolutions.retain(|r| r.date <= date);
    // `known` is in date order, so the latest revision of each quantity is applied last.
    for u in known {
        let UpdateKind::Revision(i) = u.kind else { continue };
        let r = &s.revisions[i];
        if let Some(q) = out.quantities.iter_mut().find(|q| q.id == r.quantity) {
            q.low = r.low;
            q.high = r.high;
            q.source = r.source.clone();
            q.locator = r.locator.clone();
            q.why = Some(r.why.clone());
        }
    }
    out.revisions.clear();
    out.scenario.known_by = (date > s.scenario.as_of).then_some(date);
    drop_unknown_sources(s, &mut out);
    out
}

/// Drops from `view` the sources that only the updates it left out cite: a source first cited
/// after the view's date is not yet known by it.
fn drop_unknown_sources(all: &Scenario, view: &mut Scenario) {
    let cited_by_updates: BTreeSet<String> = updates(all)
        .into_iter()
        .map(|u| match u.kind {
            UpdateKind::Evidence(i) => all.evidence[i].source.clone(),
            UpdateKind::Observation(i) => all.observations[i].source.clone(),
            UpdateKind::Revision(i) => all.revisions[i].source.clone(),
        })
        .chain(all.resolutions.iter().map(|r| r.source.clone()))
        .collect();
    let mut rest = view.clone();
    rest.sources.clear();
    let mut cited = BTreeSet::new();
    if let Ok(value) = serde_json::to_value(&rest) {
        collect_sources(&value, &mut cited);
    }
    view.sources.retain(|src| !cited_by_updates.contains(&src.id) || cited.contains(&src.id));
}

/// Every string under a `source` key, anywhere in `v`.
fn collect_sources(v: &serde_json::Value, into: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("source", serde_json::Value::String(s)) => {
                        into.insert(s.clone());
                    }
                    _ => collect_sources(x, into),
                }
            }
        }
        serde_json::Value::Array(xs) => xs.iter().for_each(|x| collect_sources(x, into)),
        _ => {}
    }
}

/// The date of the last update in the scenario, or its `as_of` when it has none: the date that
/// applies everything the file knows.
pub fn latest(s: &Scenario) -> Date {
    updates(s).last().map_or(s.scenario.as_of, |u| u.date)
}

/// One dated update of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    /// When it became known.
    pub date: Date,
    /// What it is, as an index into the scenario's list of that kind.
    pub kind: UpdateKind,
}

/// What kind of update, with its index in the scenario's list of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    /// An evidence item reported after `as_of` (`scenario.evidence[i]`).
    Evidence(usize),
    /// An observation (`scenario.observations[i]`).
    Observation(usize),
    /// A revision of a quantity (`scenario.revisions[i]`).
    Revision(usize),
}

/// What an observation is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed<'s> {
    /// An indicator, seen or not.
    Indicator {
        /// Its id.
        id: &'s str,
        /// Whether it was seen.
        seen: bool,
    },
    /// A driver in a state (hard) or with a likelihood over its states (soft).
    Driver {
        /// Its id.
        id: &'s str,
        /// The state, for hard evidence.
        state: Option<&'s str>,
    },
}

impl fmt::Display for Observed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Indicator { id, seen: true } => write!(f, "indicator {id} seen"),
            Observed::Indicator { id, seen: false } => write!(f, "indicator {id} not seen"),
            Observed::Driver { id, state: Some(state) } => write!(f, "{id} = {state}"),
            Observed::Driver { id, state: None } => write!(f, "{id} (soft)"),
        }
    }
}

/// What a (validated) observation is of.
pub fn observed(o: &Observation) -> Observed<'_> {
    match (&o.indicator, &o.driver) {
        (Some(id), _) => Observed::Indicator { id, seen: o.seen.unwrap_or(true) },
        (None, Some(id)) => Observed::Driver { id, state: o.state.as_deref() },
        (None, None) => Observed::Driver { id: "", state: None },
    }
}

/// The observations that hold as of the scenario's knowledge date: the latest one of each
/// indicator and of each driver (a later observation of the same thing supersedes an earlier
/// one; among equal dates, the later in the file), in file order.
pub fn current_observations(s: &Scenario) -> Vec<&Observation> {
    let latest = |i: usize, o: &Observation| {
        let key = observed(o);
        !s.observations
            .iter()
            .enumerate()
            .any(|(j, p)| j != i && same_target(observed(p), key) && (p.date, j) > (o.date, i))
    };
    s.observations.iter().enumerate().filter(|&(i, o)| latest(i, o)).map(|(_, o)| o).collect()
}

fn same_target(a: Observed<'_>, b: Observed<'_>) -> bool {
    match (a, b) {
        (Observed::Indicator { id: x, .. }, Observed::Indicator { id: y, .. })
        | (Observed::Driver { id: x, .. }, Observed::Driver { id: y, .. }) => x == y,
        _ => false,
    }
}

/// Whether an evidence item is an update: reported after the scenario's `as_of`, or rated by
/// its own `bears_on` (which validation allows only after `as_of`).
pub fn is_update(s: &Scenario, e: &crate::scenario::Evidence) -> bool {
    e.reported > s.scenario.as_of || !e.bears_on.is_empty()
}

/// Every dated update of the scenario in the order it became known: by date, then evidence,
/// observations and revisions, each in file order. Evidence known by `as_of` (rated in the
/// hypotheses) is not an update.
pub fn updates(s: &Scenario) -> Vec<Update> {
    let evidence = s
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| is_update(s, e))
        .map(|(i, e)| Update { date: e.reported, kind: UpdateKind::Evidence(i) });
    let observations = s
        .observations
        .iter()
        .enumerate()
        .map(|(i, o)| Update { date: o.date, kind: UpdateKind::Observation(i) });
    let revisions = s
        .revisions
        .iter()
        .enumerate()
        .map(|(i, r)| Update { date: r.date, kind: UpdateKind::Revision(i) });
    let mut all: Vec<Update> = evidence.chain(observations).chain(revisions).collect();
    // A stable sort keeps the kinds and the file order among equal dates.
    all.sort_by_key(|u| u.date);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;

    const BASE: &str = r#"
[scenario]
format = 1
id = "t"
title = "t"
question = "q"
as_of = "2024-10-31"

[[source]]
id = "s"
title = "s"
kind = "news"
reliability = "medium"

[[quantity]]
id = "troops"
name = "troops"
unit = "troops"
low = 1
high = 2
source = "s"

[[revision]]
date = "2025-04-30"
quantity = "troops"
low = 14000
high = 15000
source = "s"
why = "later briefing"

[[revision]]
date = "2025-01-11"
quantity = "troops"
low = 12000
high = 12000
source = "s"
why = "earlier briefing"
"#;

    fn date(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    #[test]
    fn the_latest_revision_up_to_the_date_holds() {
        let s =
            load_bytes("t.toml", BASE.as_bytes(), None).unwrap_or_else(|d| panic!("{d}")).scenario;
        let q = |d: &str| {
            let k = known_by(&s, date(d)).expect("after as_of");
            (k.quantities[0].low, k.quantities[0].high)
        };
        assert_eq!(q("2024-10-31"), (1.0, 2.0), "as of the judgments, no revision applies");
        assert_eq!(q("2025-02-01"), (12000.0, 12000.0));
        assert_eq!(
            q("2025-12-31"),
            (14000.0, 15000.0),
            "the later one wins, whatever the file order"
        );
        assert_eq!(known_by(&s, date("2024-10-31")).unwrap().scenario.known_by, None);
        assert_eq!(latest(&s), date("2025-04-30"));
        let order: Vec<Date> = updates(&s).iter().map(|u| u.date).collect();
        assert_eq!(order, vec![date("2025-01-11"), date("2025-04-30")]);
    }

    #[test]
    fn a_date_before_the_judgments_is_refused() {
        let s =
            load_bytes("t.toml", BASE.as_bytes(), None).unwrap_or_else(|d| panic!("{d}")).scenario;
        let e = known_by(&s, date("2024-06-01")).unwrap_err();
        assert!(e.to_string().contains("before the scenario's own date (2024-10-31)"), "{e}");
    }
}
