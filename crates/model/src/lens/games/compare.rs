//! Do a game's equilibria agree with what the Bayes and bargaining lenses suggest?
//!
//! A scenario ties strategies to the rest of the model with `[[game.meaning]]` entries: a
//! strategy may stand for an option of a decision its player owns, and for a range of an
//! issue's 0–100 scale (the strategy amounts to the issue settling there). [`Suggestions`]
//! holds what the other lenses say: the influence diagram's best option of each decision of the
//! focal actor, and where the bargaining lens expects each issue to settle (the capability ×
//! salience weighted mean and median of the stated positions, and the final weighted mean and
//! median of the expected utility model). [`compare`] then asks, for each equilibrium:
//!
//! - **Bayes**: with which probability does the decision's owner play a strategy that stands for
//!   the best option, and with which one a strategy that stands for another option of it?
//! - **Bargaining**: with which probability does the issue's linked player play a strategy
//!   whose range holds the forecast, and with which one a strategy whose range does not?
//!
//! Each such question is a [`Check`]. A check *agrees* when all of the player's probability is
//! on matching strategies, *disagrees* when none is (and some is on linked strategies that do
//! not match), *partly agrees* otherwise, and *cannot compare* when the strategies played stand
//! for nothing the check is about. An equilibrium's verdict puts its checks together, and the
//! game's verdict its equilibria's, by one rule ([`Verdict::combine`]): those that cannot
//! compare are set aside; the rest agree if all agree, disagree if all disagree, and partly
//! agree otherwise.
//!
//! Everything here is pure: the caller solves the game and runs the other lenses (the
//! `analysis` crate does both for a scenario, once each).

use std::fmt::Write as _;

use engines::bayes::Solution;
use engines::prec;

use crate::scenario::{Game, Scenario};

/// What the Bayes and bargaining lenses suggest, for comparison with equilibria. Each part is
/// `Err` with the reason when that lens has nothing to say.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestions {
    /// The best option of each decision the focal actor owns.
    pub bayes: Result<Vec<BestOption>, String>,
    /// Where each issue is expected to settle.
    pub bargain: Result<Vec<IssueForecast>, String>,
}

/// The influence diagram's best option of one decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BestOption {
    /// The decision's id.
    pub decision: String,
    /// The id of its option of highest expected utility.
    pub option: String,
}

/// The bargaining forecasts of one issue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IssueForecast {
    /// The issue's id.
    pub issue: String,
    /// Each forecast point, such as ("baseline mean", 41.8), on the issue's 0–100 scale.
    pub points: Vec<Forecast>,
}

/// One forecast of where an issue settles.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Forecast {
    /// Which forecast: `baseline mean`, `baseline median`, `eum mean` or `eum median`.
    pub label: String,
    /// Where, 0–100.
    pub value: f64,
}

/// Whether equilibria agree with the other lenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Everything compared matches.
    Agrees,
    /// Some matches and some does not.
    PartlyAgrees,
    /// Nothing compared matches.
    Disagrees,
    /// Nothing could be compared.
    CannotCompare,
}

impl Verdict {
    /// The verdict in words: `agrees`, `partly agrees`, `disagrees`, `cannot compare`.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Agrees => "agrees",
            Verdict::PartlyAgrees => "partly agrees",
            Verdict::Disagrees => "disagrees",
            Verdict::CannotCompare => "cannot compare",
        }
    }

    /// Puts verdicts together: those that cannot compare are set aside; the rest agree if all
    /// agree, disagree if all disagree, and partly agree otherwise. `CannotCompare` when
    /// nothing is left.
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let mut out = Verdict::CannotCompare;
        for v in verdicts {
            out = match (out, v) {
                (o, Verdict::CannotCompare) => o,
                (Verdict::CannotCompare, v) => v,
                (o, v) if o == v => o,
                _ => Verdict::PartlyAgrees,
            };
        }
        out
    }
}

/// Which lens a check compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lens {
    /// The influence diagram's best option of a decision.
    Bayes,
    /// A bargaining forecast of an issue.
    Bargain,
}

/// One strategy that an equilibrium plays, and what it stands for in the check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Played {
    /// The strategy.
    pub strategy: String,
    /// Its probability.
    pub probability: f64,
    /// What it stands for in this check: an option id, or a range `[low, high]` as `low–high`;
    /// `None` when its meaning says nothing about the check's decision or issue.
    pub stands_for: Option<String>,
    /// Whether that matches the suggestion (`None` when it stands for nothing here).
    pub matches: Option<bool>,
}

/// One comparison of one player's play in one equilibrium with one suggestion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Check {
    /// The lens compared with.
    pub lens: Lens,
    /// The player's actor id.
    pub player: String,
    /// The decision id (Bayes) or issue id (bargaining).
    pub subject: String,
    /// The suggestion: the best option's id, or the forecast's label.
    pub suggestion: String,
    /// The forecast's value, for a bargaining check.
    pub value: Option<f64>,
    /// The probability the player puts on strategies that match the suggestion.
    pub agree: f64,
    /// The probability on linked strategies that do not match.
    pub disagree: f64,
    /// The probability on strategies that stand for nothing here.
    pub unmapped: f64,
    /// The strategies played (probability above [`prec::SUPPORT`]), in the game's order.
    pub played: Vec<Played>,
    /// The check's verdict.
    pub verdict: Verdict,
}

/// How one equilibrium compares.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EquilibriumComparison {
    /// Its checks, Bayes first, then the issues in the scenario's order.
    pub checks: Vec<Check>,
    /// The checks put together.
    pub verdict: Verdict,
}

/// How a game's equilibria compare with the other lenses.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// The equilibria put together.
    pub verdict: Verdict,
    /// One per equilibrium, in the order given.
    pub equilibria: Vec<EquilibriumComparison>,
    /// Why some or all comparisons could not be made, in words.
    pub missing: Vec<String>,
}

/// Compares the equilibria of scenario game `game` with `suggest`. Each equilibrium is given
/// as, per player in the game's order, the probability of each of its strategies in the
/// game's order. A player's strategies without a `[[game.meaning]]` stand for nothing.
///
/// Strategies with probability at most [`prec::SUPPORT`] count as not played; a forecast
/// within [`prec::SUPPORT`] of a range's end counts as inside it.
pub fn compare(game: &Game, equilibria: &[Vec<Vec<f64>>], suggest: &Suggestions) -> Comparison {
    let mut missing = Vec::new();
    if game.meanings.is_empty() {
        missing.push(format!(
            "no strategy of game `{}` has a `[[game.meaning]]` tying it to a decision or an issue",
            game.id
        ));
    }
    // The checks to make: (lens, player, subject, suggestion, value).
    let mut specs: Vec<(Lens, usize, String, String, Option<f64>)> = Vec::new();
    let linked = |p: usize, f: &dyn Fn(&crate::scenario::Meaning) -> bool| {
        game.meanings.iter().any(|m| m.player == game.players[p] && f(m))
    };
    match &suggest.bayes {
        Ok(best) => {
            for b in best {
                let players: Vec<usize> = (0..game.players.len())
                    .filter(|&p| linked(p, &|m| m.decision.as_deref() == Some(&b.decision)))
                    .collect();
                if players.is_empty() && !game.meanings.is_empty() {
                    missing.push(format!(
                        "no strategy stands for an option of decision `{}`, whose best option the Bayes lens gives",
                        b.decision
                    ));
                }
                for p in players {
                    specs.push((Lens::Bayes, p, b.decision.clone(), b.option.clone(), None));
                }
            }
        }
        Err(why) => missing.push(format!("the Bayes lens suggests no option: {why}")),
    }
    match &suggest.bargain {
        Ok(forecasts) => {
            for f in forecasts {
                let players: Vec<usize> = (0..game.players.len())
                    .filter(|&p| {
                        linked(p, &|m| m.issue.as_deref() == Some(&f.issue) && m.position.is_some())
                    })
                    .collect();
                for p in players {
                    for point in &f.points {
                        specs.push((
                            Lens::Bargain,
                            p,
                            f.issue.clone(),
                            point.label.clone(),
                            Some(point.value),
                        ));
                    }
                }
            }
            let issues_linked = game.meanings.iter().any(|m| m.issue.is_some());
            let any_bargain = specs.iter().any(|s| s.0 == Lens::Bargain);
            if issues_linked && !any_bargain {
                missing.push(
                    "the bargaining lens forecasts none of the issues the strategies stand for"
                        .into(),
                );
            }
        }
        Err(why) => missing.push(format!("the bargaining lens gives no forecast: {why}")),
    }
    if equilibria.is_empty() {
        missing.push("there is no equilibrium to compare".into());
    }
    let equilibria: Vec<EquilibriumComparison> = equilibria
        .iter()
        .map(|profile| {
            let checks: Vec<Check> = specs
                .iter()
                .map(|(lens, p, subject, suggestion, value)| {
                    check(game, profile, *lens, *p, subject, suggestion, *value)
                })
                .collect();
            let verdict = Verdict::combine(checks.iter().map(|c| c.verdict));
            EquilibriumComparison { checks, verdict }
        })
        .collect();
    let verdict = Verdict::combine(equilibria.iter().map(|e| e.verdict));
    Comparison { verdict, equilibria, missing }
}

/// One check of player `p`'s play in `profile`.
fn check(
    game: &Game,
    profile: &[Vec<f64>],
    lens: Lens,
    p: usize,
    subject: &str,
    suggestion: &str,
    value: Option<f64>,
) -> Check {
    let player = &game.players[p];
    let strategies = game.strategies.get(player).map_or(&[][..], Vec::as_slice);
    let probs = profile.get(p).map_or(&[][..], Vec::as_slice);
    let (mut agree, mut disagree, mut unmapped) = (0.0, 0.0, 0.0);
    let mut played = Vec::new();
    for (s, &q) in strategies.iter().zip(probs) {
        if q <= prec::SUPPORT {
            continue;
        }
        let meaning = game.meanings.iter().find(|m| &m.player == player && &m.strategy == s);
        let (stands_for, matches) = match (lens, meaning) {
            (Lens::Bayes, Some(m)) if m.decision.as_deref() == Some(subject) => {
                let o = m.option.clone().unwrap_or_default();
                let ok = o == suggestion;
                (Some(o), Some(ok))
            }
            (Lens::Bargain, Some(m)) if m.issue.as_deref() == Some(subject) => {
                match (m.position.as_deref(), value) {
                    (Some(&[lo, hi]), Some(x)) => (
                        Some(format!("{}–{}", num(lo), num(hi))),
                        Some(lo - prec::SUPPORT <= x && x <= hi + prec::SUPPORT),
                    ),
                    _ => (None, None),
                }
            }
            _ => (None, None),
        };
        match matches {
            Some(true) => agree += q,
            Some(false) => disagree += q,
            None => unmapped += q,
        }
        played.push(Played { strategy: s.clone(), probability: q, stands_for, matches });
    }
    let total = agree + disagree + unmapped;
    let verdict = if agree + disagree <= prec::SUPPORT {
        Verdict::CannotCompare
    } else if agree >= total - prec::SUPPORT {
        Verdict::Agrees
    } else if agree <= prec::SUPPORT {
        Verdict::Disagrees
    } else {
        Verdict::PartlyAgrees
    };
    Check {
        lens,
        player: player.clone(),
        subject: subject.to_owned(),
        suggestion: suggestion.to_owned(),
        value,
        agree,
        disagree,
        unmapped,
        played,
        verdict,
    }
}

/// What each played strategy stands for, as "S stands for X" (or "for no `what` of it").
fn stands_for(played: &[Played], what: &str) -> Vec<String> {
    played
        .iter()
        .map(|p| match &p.stands_for {
            Some(x) => format!("{} stands for {x}", p.strategy),
            None => format!("{} stands for no {what} of it", p.strategy),
        })
        .collect()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A number as the analyst wrote it: no decimals when whole, else up to two.
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A probability in words a reader takes in at once: `1`, `0`, or up to three decimals.
fn prob(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The comparison in plain words: the verdict, then, per equilibrium, what each lens suggests
/// and how much of the player's play matches it. `name` gives an actor's display name, `label`
/// a decision's or issue's display name from its id.
pub fn describe(
    c: &Comparison,
    name: &dyn Fn(&str) -> String,
    label: &dyn Fn(Lens, &str) -> String,
) -> String {
    let mut out = format!("Compared with the Bayes and bargaining lenses: {}", c.verdict.words());
    if c.equilibria.iter().all(|e| e.checks.is_empty()) {
        if c.missing.is_empty() {
            out.push('.');
        } else {
            let _ = write!(out, ": {}.", c.missing.join("; "));
        }
        return out;
    }
    out.push('.');
    let several = c.equilibria.len() > 1;
    for (k, e) in c.equilibria.iter().enumerate() {
        let mut parts = Vec::new();
        // Bayes checks one by one; bargaining checks grouped by (player, issue).
        let mut i = 0;
        while i < e.checks.len() {
            let ch = &e.checks[i];
            match ch.lens {
                Lens::Bayes => {
                    let mut t = format!(
                        "the Bayes lens's best option for {} is {}, which {} plays with probability {}",
                        label(Lens::Bayes, &ch.subject),
                        ch.suggestion,
                        name(&ch.player),
                        prob(ch.agree)
                    );
                    let stands = stands_for(&ch.played, "option");
                    if !stands.is_empty() {
                        let _ = write!(t, " ({})", stands.join(", "));
                    }
                    parts.push(t);
                    i += 1;
                }
                Lens::Bargain => {
                    let mut j = i;
                    while j < e.checks.len()
                        && e.checks[j].lens == Lens::Bargain
                        && e.checks[j].player == ch.player
                        && e.checks[j].subject == ch.subject
                    {
                        j += 1;
                    }
                    let group = &e.checks[i..j];
                    let points: Vec<String> = group
                        .iter()
                        .map(|g| format!("{} {}", g.suggestion, num(g.value.unwrap_or(0.0))))
                        .collect();
                    let ranges = stands_for(&ch.played, "range");
                    let inside = group.iter().filter(|g| g.verdict == Verdict::Agrees).count();
                    let outside = group.iter().filter(|g| g.verdict == Verdict::Disagrees).count();
                    let verdict = Verdict::combine(group.iter().map(|g| g.verdict));
                    let who = name(&ch.player);
                    let how = match verdict {
                        Verdict::Agrees => format!("all fall inside what {who} plays"),
                        Verdict::Disagrees => format!("all fall outside what {who} plays"),
                        Verdict::CannotCompare => {
                            format!("cannot be set against what {who} plays")
                        }
                        Verdict::PartlyAgrees if inside + outside == group.len() => {
                            format!("{inside} of {} fall inside what {who} plays", group.len())
                        }
                        Verdict::PartlyAgrees => {
                            format!("fall only partly inside what {who} plays")
                        }
                    };
                    parts.push(format!(
                        "the bargaining forecasts of {}, at {}, {how} ({})",
                        label(Lens::Bargain, &ch.subject),
                        and_list(&points),
                        ranges.join(", ")
                    ));
                    i = j;
                }
            }
        }
        let verdict = match e.verdict {
            Verdict::CannotCompare => "cannot be compared",
            v => v.words(),
        };
        let head = if several {
            format!("Equilibrium {k} {verdict}")
        } else {
            format!("The equilibrium {verdict}")
        };
        if parts.is_empty() {
            let _ =
                write!(out, " {head}: its strategies stand for nothing the other lenses suggest.");
        } else {
            let _ = write!(out, " {head}: {}.", parts.join("; "));
        }
    }
    if !c.missing.is_empty() {
        let _ = write!(out, " Not compared: {}.", c.missing.join("; "));
    }
    out
}

/// [`describe`] with the scenario's display names: actors by name, decisions and issues by
/// name with the id after it in parentheses.
pub fn describe_in(s: &Scenario, c: &Comparison) -> String {
    let name = |id: &str| {
        s.actors.iter().find(|a| a.id == id).map_or_else(|| id.to_owned(), |a| a.name.clone())
    };
    let label = |lens: Lens, id: &str| {
        let found = match lens {
            Lens::Bayes => s.decisions.iter().find(|d| d.id == id).map(|d| &d.name),
            Lens::Bargain => s.issues.iter().find(|i| i.id == id).map(|i| &i.name),
        };
        found.map_or_else(|| id.to_owned(), |n| format!("{n} ({id})"))
    };
    describe(c, &name, &label)
}

/// The ids of the scenario's decisions owned by the focal actor, with each one's best option
/// in `solution`, the influence diagram's solution of the scenario's `BayesStudy` (whose
/// `ids` name its variables).
pub fn best_options(s: &Scenario, ids: &[String], solution: &Solution) -> Vec<BestOption> {
    let Some(focal) = &s.scenario.focal_actor else { return Vec::new() };
    solution
        .decisions
        .iter()
        .filter_map(|d| {
            let id = ids.get(d.node)?;
            let dec = s.decisions.iter().find(|x| &x.id == id && &x.owner == focal)?;
            Some(BestOption { decision: id.clone(), option: dec.options.get(d.best)?.clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests;
