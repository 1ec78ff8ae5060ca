//! Synthesis: the answer to a scenario's question, drawn from the lenses' results.
//!
//! The headline is the Bayesian network's probability of the scenario's headline state (with
//! the focal actor's decisions at their best policy), put in the estimative words of US
//! Intelligence Community Directive 203, *Analytic Standards* (2015), with the band's range.
//! The reasons say what each other lens adds: which consistent futures (CIB) hold the headline
//! state and how much of the scenario space flows into them, and which hypothesis leads the
//! competing explanations (ACH) on which evidence, where bargaining moves each contested issue
//! (the expected utility model, from today's weighted mean), and whether the equilibria of each
//! game whose strategies have meanings agree with the Bayes lens's best option and the
//! bargaining forecasts (games). Every reason names the evidence ids and sources behind it, so that a
//! reader can trace it.

use engines::bayes::{CompileOptions, DEFAULT_MAX_CLIQUE, Finding, Heuristic, JunctionTree};
use engines::cib::Solution;
use engines::estimative::{Band, band};

use model::lens::bayes::BayesSummary;
use model::lens::cib::CibStudy;
use model::scenario::Scenario;

use crate::ach::AchAnalysis;
use crate::bargain::{Run, ScenarioBargain};
use crate::bayes::{IfObserved, Observed, OptionHeadline};
use crate::coherence::Disagreement;
use crate::confidence::Confidence;
use crate::ensemble::Robustness;
use crate::games::ScenarioGame;
use crate::timing::Timing;

/// The answer to the scenario's question.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Answer {
    /// The headline judgment, one sentence.
    pub headline: String,
    /// The probability of the headline state, when the scenario has a network and a headline.
    pub probability: Option<f64>,
    /// Its estimative words, such as "unlikely".
    pub words: Option<&'static str>,
    /// The reasons, one per lens that bears on the headline.
    pub reasons: Vec<Reason>,
    /// How likely the Bayesian network finds each self-consistent future, when the scenario has
    /// both cross impacts and probabilities.
    pub futures: Option<FutureMass>,
    /// The focal decision's timing (deciding now or once the drivers it `awaits` are known),
    /// when it awaits something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
    /// Where the lenses disagree, and why: the scenario's coherence warnings and the
    /// disagreements between lens results (empty when they agree).
    pub disagreements: Vec<Disagreement>,
    /// The confidence in the headline (ICD 203), apart from its likelihood, when there is a
    /// probability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// How far the answer moves when every judgment is redrawn at once (a small seeded
    /// ensemble), when the ensemble could run on the scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Robustness>,
}

/// The Bayesian network's probability of each consistent future of the cross-impact analysis.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FutureMass {
    /// Each future as the variant of each descriptor, in the CIB study's descriptor order (as
    /// the CIB lens's `variants`), in the order of the CIB solution's scenarios.
    pub futures: Vec<Vec<String>>,
    /// `P(future)`, one per entry of `futures`: the joint probability that
    /// every driver with probabilities is in the future's state (drivers without probabilities
    /// are left free).
    pub probabilities: Vec<f64>,
    /// The mass the network puts on combinations that the cross-impact analysis finds
    /// inconsistent: `1 − Σ P(future)`.
    pub inconsistent: f64,
}

/// The joint probability of each consistent future under the scenario's network with every
/// decision left free (each option equally likely), as the cross impacts leave every descriptor
/// free: comparing CIB with the network at the best policy would set a chosen option against a
/// free one. `None` when the network cannot be compiled.
pub fn future_probabilities(
    summary: &BayesSummary,
    study: &CibStudy,
    solution: &Solution,
) -> Option<FutureMass> {
    let compile =
        CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: DEFAULT_MAX_CLIQUE };
    let jt = JunctionTree::compile(&summary.study.net, &compile).ok()?;
    let node_of = |driver: &str| summary.study.ids.iter().position(|id| id == driver);
    let probabilities: Vec<f64> = solution
        .scenarios
        .iter()
        .map(|z| {
            let findings: Vec<Finding> = study
                .drivers
                .iter()
                .zip(&z.variants)
                .filter_map(|(d, &state)| Some(Finding::State { node: node_of(d)?, state }))
                .collect();
            // Evidence the network rules out is a future it gives probability 0.
            jt.marginals(&findings).map_or(0.0, |p| p.evidence_probability)
        })
        .collect();
    let inconsistent = (1.0 - probabilities.iter().sum::<f64>()).max(0.0);
    let descriptors = study.matrix.descriptors();
    let futures = solution
        .scenarios
        .iter()
        .map(|z| z.variants.iter().zip(descriptors).map(|(&v, d)| d.variants[v].clone()).collect())
        .collect();
    Some(FutureMass { futures, probabilities, inconsistent })
}

/// One reason behind the answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reason {
    /// The lens it comes from (`decision`: the focal decision's options, from the Bayes lens;
    /// `bayes`, `cib`, `ach`, `bargain`, `cib+bayes`, `games`).
    pub lens: &'static str,
    /// The reason, in a sentence or two.
    pub text: String,
    /// The evidence and sources behind it, as `id (source, locator)`.
    pub cites: Vec<String>,
}

/// The range of an ICD 203 band, in per cent.
fn band_range(b: Band) -> &'static str {
    match b {
        Band::AlmostNoChance => "1–5 %",
        Band::VeryUnlikely => "5–20 %",
        Band::Unlikely => "20–45 %",
        Band::RoughlyEvenChance => "45–55 %",
        Band::Likely => "55–80 %",
        Band::VeryLikely => "80–95 %",
        Band::AlmostCertain => "95–99 %",
    }
}

/// The lens results the answer reads; each is `None` when its lens did not run or failed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Findings<'a> {
    /// The Bayes lens's summary.
    pub bayes: Option<&'a BayesSummary>,
    /// The headline's probability under each option of the focal actor's decision.
    pub by_option: &'a [OptionHeadline],
    /// The headline's probability if one driver state or indicator were observed.
    pub observed: &'a [IfObserved],
    /// The CIB study and its solution.
    pub cib: Option<(&'a CibStudy, &'a Solution)>,
    /// The ACH lens's result.
    pub ach: Option<&'a AchAnalysis>,
    /// The bargaining lens's result.
    pub bargain: Option<&'a ScenarioBargain>,
    /// The scenario's games, solved and compared with the other lenses.
    pub games: Option<&'a [ScenarioGame]>,
    /// The focal decision's timing.
    pub timing: Option<&'a Timing>,
    /// Where the lenses disagree.
    pub disagreements: &'a [Disagreement],
    /// The tornado of the headline's probability.
    pub headline_tornado: Option<&'a engines::bayes::Tornado>,
    /// The small ensemble's summary.
    pub robustness: Option<&'a Robustness>,
}

/// The answer, from whichever lens results the scenario produced.
pub fn answer(s: &Scenario, found: &Findings<'_>) -> Answer {
    let Findings {
        bayes,
        by_option,
        observed,
        cib,
        ach,
        bargain,
        games,
        timing,
        disagreements,
        headline_tornado,
        robustness,
    } = *found;
    let headline_ref = s.scenario.headline.as_ref();
    // The headline driver's name and the headline state's label, for the sentence.
    let headline_label = headline_ref
        .map(|h| {
            let d = s.drivers.iter().find(|d| d.id == h.driver);
            let state = d
                .and_then(|d| {
                    let i = d.states.iter().position(|x| *x == h.state)?;
                    d.labels.get(i).cloned()
                })
                .unwrap_or_else(|| h.state.clone());
            let name = d.map_or(h.driver.as_str(), |d| d.name.as_str());
            format!("\u{201c}{name}\u{201d} ({}.{} = {state})", h.driver, h.state)
        })
        .unwrap_or_default();

    let mut reasons = Vec::new();
    let mut probability = None;
    let mut words = None;
    let mut headline = format!(
        "{} (no Bayesian network or headline state to put a probability on it)",
        s.scenario.question
    );

    if let (Some(summary), Some(h)) = (bayes, headline_ref) {
        if let Some((_, _, p)) = summary.headline {
            let b = band(p);
            probability = Some(p);
            words = b.map(Band::words);
            let policy = summary
                .solution
                .as_ref()
                .and_then(|sol| {
                    let d = sol.decisions.first()?;
                    let dec = s.decisions.first()?;
                    let best =
                        d.expected_utility.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?.0;
                    let owner = s
                        .actors
                        .iter()
                        .find(|a| a.id == dec.owner)
                        .map_or(dec.owner.as_str(), |a| a.name.as_str());
                    Some(format!(", if {owner} takes its best option, {}", dec.options.get(best)?))
                })
                .unwrap_or_default();
            let w = words.unwrap_or("of unknown likelihood");
            let mut w_cap = w[..1].to_uppercase();
            w_cap.push_str(&w[1..]);
            headline = format!(
                "{w_cap} ({}): the model gives {headline_label} a {:.0} % chance{policy}.",
                b.map_or("?", band_range),
                p * 100.0,
            );
            let mut moves = Vec::new();
            for (d, per_state) in driver_rows(s, summary, observed) {
                let known: Vec<(usize, f64)> =
                    per_state.iter().enumerate().filter_map(|(i, p)| Some((i, (*p)?))).collect();
                let lo = known.iter().min_by(|a, b| a.1.total_cmp(&b.1));
                let hi = known.iter().max_by(|a, b| a.1.total_cmp(&b.1));
                if let (Some(&(li, lp)), Some(&(hi_i, hp))) = (lo, hi) {
                    moves.push((
                        hp - lp,
                        format!(
                            "{} moves it from {:.0} % ({}) to {:.0} % ({})",
                            d.name,
                            lp * 100.0,
                            d.states[li],
                            hp * 100.0,
                            d.states[hi_i]
                        ),
                    ));
                }
            }
            moves.sort_by(|a, b| b.0.total_cmp(&a.0));
            let text = if moves.is_empty() {
                format!("The Bayesian network gives P({h}) = {:.1} %.", p * 100.0)
            } else {
                let m: Vec<String> = moves.into_iter().take(3).map(|(_, t)| t).collect();
                format!("The Bayesian network gives P({h}) = {:.1} %; {}.", p * 100.0, m.join("; "))
            };
            reasons.extend(decision_reason(s, by_option));
            reasons.extend(timing.and_then(|t| timing_reason(s, t)));
            let cites = provenance_of_driver(s, &h.driver);
            reasons.push(Reason { lens: "bayes", text, cites });
        }
    }

    if let (Some((study, solution)), Some(h)) = (cib, headline_ref) {
        if let Some(d) = study.drivers.iter().position(|x| *x == h.driver) {
            let state = s
                .drivers
                .iter()
                .find(|x| x.id == h.driver)
                .and_then(|x| x.states.iter().position(|y| *y == h.state));
            if let Some(state) = state {
                let with: Vec<&engines::cib::Solved> = solution
                    .scenarios
                    .iter()
                    .filter(|z| z.variants.get(d) == Some(&state))
                    .collect();
                let describe = |z: &engines::cib::Solved| {
                    study
                        .drivers
                        .iter()
                        .zip(&z.variants)
                        .filter(|(id, _)| **id != h.driver)
                        .take(2)
                        .filter_map(|(id, &v)| {
                            let dr = s.drivers.iter().find(|x| x.id == *id)?;
                            Some(format!("{} {}", dr.id, dr.states.get(v)?))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let examples: Vec<String> = with.iter().map(|z| describe(z)).collect();
                let text = format!(
                    "{} of the {} self-consistent futures (cross-impact balance) have {h}{}.",
                    with.len(),
                    solution.scenarios.len(),
                    if examples.is_empty() {
                        String::new()
                    } else {
                        format!(": those with {}", examples.join("; "))
                    }
                );
                let cites = s
                    .cross_impacts
                    .iter()
                    .filter(|c| c.to == h.driver || c.from == h.driver)
                    .filter_map(|c| c.source.as_ref().map(|src| cite(src, c.locator.as_deref())))
                    .collect();
                reasons.push(Reason { lens: "cib", text, cites: dedup(cites) });
            }
        }
    }

    reasons.extend(ach.and_then(|a| ach_reason(s, a)));

    // Where bargaining settles each issue.
    reasons.extend(bargain.and_then(|b| bargain_reason(s, b)));

    let futures = bayes.zip(cib).and_then(|(b, (st, so))| future_probabilities(b, st, so));
    if let (Some(f), Some((_, solution))) = (&futures, cib) {
        let total: f64 = f.probabilities.iter().sum();
        let mut text = format!(
            "The Bayesian network{} puts {:.0} % of its mass on the {} self-consistent futures and {:.0} % on combinations the cross impacts rule out",
            if s.decisions.is_empty() {
                String::new()
            } else {
                let ids: Vec<&str> = s.decisions.iter().map(|d| d.id.as_str()).collect();
                format!(
                    ", with {} left free (each option equally likely) as the cross impacts leave every descriptor free,",
                    ids.join(" and ")
                )
            },
            total * 100.0,
            solution.scenarios.len(),
            f.inconsistent * 100.0
        );
        if let Some(h) = headline_ref {
            let state = s
                .drivers
                .iter()
                .find(|x| x.id == h.driver)
                .and_then(|x| x.states.iter().position(|y| *y == h.state));
            let d = cib.and_then(|(st, _)| st.drivers.iter().position(|x| *x == h.driver));
            if let (Some(state), Some(d)) = (state, d) {
                let with: f64 = solution
                    .scenarios
                    .iter()
                    .zip(&f.probabilities)
                    .filter(|(z, _)| z.variants.get(d) == Some(&state))
                    .map(|(_, p)| p)
                    .sum();
                text.push_str(&format!(
                    "; the consistent futures with {h} carry {:.1} %",
                    with * 100.0
                ));
            }
        }
        text.push('.');
        reasons.push(Reason { lens: "cib+bayes", text, cites: Vec::new() });
    }

    reasons.extend(games.map(|g| games_reasons(s, g)).unwrap_or_default());

    Answer {
        headline,
        probability,
        words,
        reasons,
        futures,
        timing: timing.cloned(),
        disagreements: disagreements.to_vec(),
        confidence: probability
            .map(|p| crate::confidence::assess(s, p, headline_tornado, disagreements, robustness)),
        robustness: robustness.cloned(),
    }
}

/// The ACH reason, Heuer's reading first: the hypothesis the evidence contradicts least, then
/// the Bayesian reading, whether the two agree and, where they do not, on which items the
/// Bayesian leader is rated more consistent; the evidence the Bayesian lead rests on; then the
/// evidence that predates the event or is rated alike under every hypothesis. The Bayesian
/// weight is called a probability only when the scenario declares its hypotheses exclusive,
/// and relative support otherwise.
fn ach_reason(s: &Scenario, a: &AchAnalysis) -> Option<Reason> {
    let matrix = &a.matrix;
    let name = |h: usize| {
        let id = &matrix.hypotheses()[h];
        let title =
            s.hypotheses.iter().find(|x| x.id == *id).map_or(id.as_str(), |x| x.title.as_str());
        format!("{id} ({title})")
    };
    let ids = |items: &[usize]| -> String {
        let v: Vec<&str> =
            items.iter().filter_map(|&e| matrix.evidence().get(e).map(|i| i.id.as_str())).collect();
        v.join(", ")
    };
    let heuer = a.least_inconsistent();
    let &lead = heuer.leaders.first()?;
    let mut text = format!(
        "By Heuer's rule, the evidence contradicts {} least (inconsistency score {:.0}",
        name(lead),
        heuer.scores[lead]
    );
    if let Some(&next) = heuer.ranking.iter().find(|h| !heuer.leaders.contains(h)) {
        text.push_str(&format!(", against {:.0} for {}", heuer.scores[next], name(next)));
    }
    text.push(')');
    let mut linchpins: Vec<usize> = Vec::new();
    if let (Some(&b), Some(posteriors)) = (a.result.leaders.first(), a.result.posteriors.as_ref()) {
        let w = posteriors.get(b).copied().unwrap_or(f64::NAN);
        let agree = heuer.leaders.contains(&b);
        let weight = if a.exclusive {
            format!("a probability of {:.0} %", w * 100.0)
        } else {
            format!(
                "{:.0} % of the relative support (not a probability: the scenario does not declare its hypotheses exclusive)",
                w * 100.0
            )
        };
        text.push_str(&format!(
            "; the Bayesian reading {} {} first, with {weight}",
            if agree { "agrees and puts" } else { "disagrees and puts" },
            name(b),
        ));
        if !agree {
            // Where they part: the items on which the Bayesian leader is rated more consistent
            // than Heuer's, which the count of inconsistencies does not see.
            let more: Vec<usize> = matrix
                .evidence()
                .iter()
                .enumerate()
                .filter(|(_, e)| e.ratings[b].scale_value() > e.ratings[lead].scale_value())
                .map(|(k, _)| k)
                .collect();
            if !more.is_empty() {
                text.push_str(&format!(
                    "; they part because Bayesian scoring also counts consistent evidence, and {} is rated more consistent than {} on {}",
                    matrix.hypotheses()[b],
                    matrix.hypotheses()[lead],
                    ids(&more)
                ));
            }
        }
        linchpins = a.result.linchpins.iter().flatten().copied().collect();
        if !linchpins.is_empty() {
            text.push_str(&format!("; its lead rests on {}", ids(&linchpins)));
        }
    }
    if !a.predates.is_empty() {
        text.push_str(&format!(
            "; {} {} the event ({}), so {} would exist whichever hypothesis is true",
            ids(&a.predates),
            if a.predates.len() == 1 { "predates" } else { "predate" },
            a.event.as_deref().unwrap_or("as the scenario dates it"),
            if a.predates.len() == 1 { "it" } else { "they" }
        ));
    }
    if !a.alike.is_empty() {
        text.push_str(&format!(
            "; {} {} rated alike under every hypothesis and cannot tell them apart",
            ids(&a.alike),
            if a.alike.len() == 1 { "is" } else { "are" }
        ));
    }
    text.push('.');
    let cites = linchpins
        .iter()
        .filter_map(|&k| matrix.evidence().get(k))
        .filter_map(|i| s.evidence.iter().find(|x| x.id == i.id))
        .map(|e| format!("{} ({})", e.id, cite(&e.source, e.locator.as_deref())))
        .collect();
    Some(Reason { lens: "ach", text, cites })
}

/// Each driver with the headline's probability given each of its states: every driver of the
/// network from the Bayes lens's observations, or only the root drivers of its summary when it
/// has none.
fn driver_rows<'a>(
    s: &'a Scenario,
    summary: &BayesSummary,
    observed: &[IfObserved],
) -> Vec<(&'a model::scenario::Driver, Vec<Option<f64>>)> {
    let mut rows: Vec<(&model::scenario::Driver, Vec<Option<f64>>)> = Vec::new();
    if observed.is_empty() {
        for (v, per_state) in &summary.by_root {
            let id = summary.study.ids.get(*v).map_or("?", String::as_str);
            if let Some(d) = s.drivers.iter().find(|d| d.id == id) {
                rows.push((d, per_state.clone()));
            }
        }
        return rows;
    }
    for o in observed {
        let Observed::State { driver, .. } = &o.observed else { continue };
        let Some(d) = s.drivers.iter().find(|d| d.id == *driver) else { continue };
        match rows.iter_mut().find(|(x, _)| x.id == d.id) {
            Some((_, row)) => row.push(o.probability),
            None => rows.push((d, vec![o.probability])),
        }
    }
    rows
}

/// The decision-first reason: the headline's probability under each option of the focal
/// actor's decision, the best option and its margin in expected utility, citing the options'
/// utilities' sources. `None` without such a decision.
fn decision_reason(s: &Scenario, by_option: &[OptionHeadline]) -> Option<Reason> {
    let first = by_option.first()?;
    let dec = s.decisions.iter().find(|d| d.id == first.decision)?;
    let owner =
        s.actors.iter().find(|a| a.id == dec.owner).map_or(dec.owner.as_str(), |a| a.name.as_str());
    let mut ranked: Vec<&OptionHeadline> = by_option.iter().collect();
    ranked.sort_by(|a, b| b.expected_utility.total_cmp(&a.expected_utility));
    let best = ranked[0];
    let margin = match ranked.get(1) {
        Some(second) => format!(
            " (its best option, ahead of {} by {:.1} in expected utility)",
            second.option,
            best.expected_utility - second.expected_utility
        ),
        None => " (its only option)".to_string(),
    };
    let each: Vec<String> = by_option
        .iter()
        .map(|o| {
            let mark = if o.option == best.option { margin.as_str() } else { "" };
            format!("{:.0} % if it chooses {}{mark}", o.probability * 100.0, o.option)
        })
        .collect();
    let text = format!(
        "The answer depends on {owner}'s own choice ({}): the model gives the headline {}. The headline figure holds only if {owner} takes its best option.",
        dec.name,
        each.join(", ")
    );
    let cites = dec
        .utilities
        .iter()
        .filter_map(|u| Some(cite(u.source.as_ref()?, u.locator.as_deref())))
        .collect();
    Some(Reason { lens: "decision", text, cites: dedup(cites) })
}

/// The timing reason: the best option deciding now, the best policy once the awaited drivers
/// are known, what waiting is worth against the lead of deciding now, and the probabilities of
/// the awaited states between which the decide-now advice holds. `None` without a best option
/// now.
fn timing_reason(s: &Scenario, t: &Timing) -> Option<Reason> {
    let dec = s.decisions.iter().find(|d| d.id == t.decision)?;
    let owner =
        s.actors.iter().find(|a| a.id == dec.owner).map_or(dec.owner.as_str(), |a| a.name.as_str());
    let best = t.now.best.as_deref()?;
    let names: Vec<String> = t
        .awaits
        .iter()
        .map(|a| s.drivers.iter().find(|d| d.id == *a).map_or(a.clone(), |d| d.name.clone()))
        .collect();
    let awaited = names.join(" and ");
    let lead =
        t.lead_now.map(|l| format!(", ahead by {l:.1} in expected utility")).unwrap_or_default();
    let mut text = format!(
        "Timing: deciding now, without knowing {awaited}, {owner}'s best option is {best}{lead}."
    );
    if !t.policy.is_empty() {
        let rows: Vec<String> = t
            .policy
            .iter()
            .map(|r| {
                let given: Vec<String> = r.given.iter().map(|(_, st)| st.clone()).collect();
                let headline = r
                    .headline
                    .map(|p| format!(", headline {:.0} %", p * 100.0))
                    .unwrap_or_default();
                format!("if {} then {}{headline}", given.join(" and "), r.option)
            })
            .collect();
        text.push_str(&format!(
            " If it waits until it knows {awaited}, its best policy is: {}.",
            rows.join("; ")
        ));
        if t.policy.iter().all(|r| r.option != best) {
            text.push_str(&format!(" {best} is then never the best choice."));
        }
    }
    let waiting = t.value_of_waiting;
    let compare = match t.lead_now {
        Some(l) if l > 0.0 => format!(", {:.1} times the lead of the best option now", waiting / l),
        _ => String::new(),
    };
    text.push_str(&format!(" Waiting is worth {waiting:.1} in expected utility{compare}"));
    if let Some(p) = t.later.probability {
        text.push_str(&format!(" and would put the headline at {:.0} %", p * 100.0));
    }
    let lead = t.lead_now.unwrap_or(0.0);
    text.push_str(&if waiting > lead {
        format!(
            ": unless deferring the choice costs {owner} more than {waiting:.1}, it does better to decide once it knows {awaited}."
        )
    } else {
        ": learning it first would change little.".to_string()
    });
    // Between which probabilities of each awaited state the advice of deciding now holds.
    let mut holds = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for th in &t.thresholds {
        if seen.contains(&(th.driver.as_str(), th.state.as_str())) {
            continue;
        }
        seen.push((&th.driver, &th.state));
        let same: Vec<_> =
            t.thresholds.iter().filter(|x| x.driver == th.driver && x.state == th.state).collect();
        let low = same
            .iter()
            .filter(|x| x.at <= x.now)
            .map(|x| x.at)
            .fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.max(a))));
        let high = same
            .iter()
            .filter(|x| x.at > x.now)
            .map(|x| x.at)
            .fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.min(a))));
        let range = match (low, high) {
            (Some(l), Some(h)) => format!("between {:.0} % and {:.0} %", l * 100.0, h * 100.0),
            (Some(l), None) => format!("above {:.0} %", l * 100.0),
            (None, Some(h)) => format!("below {:.0} %", h * 100.0),
            (None, None) => continue,
        };
        holds.push(format!(
            "P({}.{}) is {range} (now {:.0} %)",
            th.driver,
            th.state,
            th.now * 100.0
        ));
    }
    if !holds.is_empty() {
        text.push_str(&format!(
            " Deciding now, {best} stays best only while {}.",
            holds.join(", ")
        ));
    }
    let cites = provenance_of_driver(s, &t.awaits[0]);
    Some(Reason { lens: "timing", text, cites })
}

/// Where bargaining settles each issue, citing the stances' sources. For each bargained issue:
/// the expected utility model's point forecast when its verdict has one (the run settled and is
/// stable across round limits), placed between the labelled points of the issue's scale;
/// otherwise that there is none, why the model stopped (round cap, who oscillates), the cycle's
/// range and the final means under neighbouring round limits. Each with today's weighted mean
/// and the spatial model's final mean beside it. An issue one actor decides alone is given as
/// that actor's stated position, not as a bargain.
fn bargain_reason(s: &Scenario, b: &ScenarioBargain) -> Option<Reason> {
    let study = &b.study;
    let outcomes = match &b.eum.run {
        Run::Eum(o) => o.as_slice(),
        _ => &[],
    };
    let smp = b.smp.as_ref().ok().and_then(|r| match &r.run {
        Run::Smp(o) => Some(o),
        _ => None,
    });
    let mut parts = Vec::new();
    let mut cites = Vec::new();
    for (d, id) in study.issue_ids.iter().enumerate() {
        let Some(issue) = s.issues.iter().find(|i| i.id == *id) else { continue };
        let today = b.eum.baseline.get(d).and_then(|x| x.mean);
        let Some(Ok(o)) = outcomes.get(d) else { continue };
        let Some(Some(v)) = b.eum.verdicts.get(d) else { continue };
        let mut beside = Vec::new();
        if let Some(t) = today {
            beside.push(if parts.is_empty() {
                format!("today's capability- and salience-weighted mean {}", round_position(t))
            } else {
                format!("today's mean {}", round_position(t))
            });
        }
        if let Some(m) = smp.and_then(|o| o.turns.last().map_or(o.initial_mean[d], |t| t.mean[d])) {
            beside.push(format!("the spatial model gives {}", round_position(m)));
        }
        let beside =
            if beside.is_empty() { String::new() } else { format!(" ({})", beside.join("; ")) };
        let part = match v.point {
            Some(x) => {
                let place =
                    scale_place(&issue.scale, x).map(|p| format!(", {p}")).unwrap_or_default();
                format!("{} settles at about {}{place}{beside}", issue.name, round_position(x))
            }
            None => {
                let who: Vec<&str> =
                    v.oscillating.iter().map(|&a| study.actors[a].as_str()).collect();
                let stop = match o.termination {
                    engines::bargain::eum::Termination::RoundCap => format!(
                        "it is still moving when its round cap of {} stops it{}",
                        o.rounds.len(),
                        if who.is_empty() {
                            String::new()
                        } else {
                            format!(", {} oscillating", who.join(", "))
                        }
                    ),
                    _ => "it settles, but where depends on the round limit".to_string(),
                };
                let cycle = v.cycle.map_or(String::new(), |c| {
                    format!(
                        "; it ends in a {}-round cycle whose weighted mean runs from {} to {}",
                        c.period,
                        round_position(c.mean_min),
                        round_position(c.mean_max)
                    )
                });
                let limits: Vec<String> =
                    v.by_limit.iter().map(|(_, m)| round_position(*m)).collect();
                let (first, last) =
                    (v.by_limit.first().map_or(0, |x| x.0), v.by_limit.last().map_or(0, |x| x.0));
                format!(
                    "{}: no point forecast, since the expected utility model does not settle: {stop}{cycle}; round limits {first}–{last} give {}{beside}",
                    issue.name,
                    limits.join(", ")
                )
            }
        };
        parts.push(part);
        cites.extend(
            issue
                .stances
                .iter()
                .filter_map(|x| Some(cite(x.source.as_ref()?, x.locator.as_deref()))),
        );
    }
    for c in &study.own_choices {
        let place = s
            .issues
            .iter()
            .find(|i| i.id == c.issue_id)
            .and_then(|i| scale_place(&i.scale, c.position))
            .map(|p| format!(", {p}"))
            .unwrap_or_default();
        parts.push(format!(
            "{} is {}'s own choice, not a bargain: its stated position is {}{place}",
            c.issue,
            c.actor,
            round_position(c.position)
        ));
        if let Some(i) = s.issues.iter().find(|i| i.id == c.issue_id) {
            cites.extend(
                i.stances
                    .iter()
                    .filter(|x| x.actor == c.actor_id)
                    .filter_map(|x| Some(cite(x.source.as_ref()?, x.locator.as_deref()))),
            );
        }
    }
    if parts.is_empty() {
        return None;
    }
    let text =
        format!("Bargaining among the actors (expected utility model): {}.", parts.join("; "));
    Some(Reason { lens: "bargain", text, cites: dedup(cites) })
}

/// A position on a 0–100 scale, to the unit: finer would claim more than the model knows.
fn round_position(x: f64) -> String {
    format!("{:.0}", x)
}

/// Where `x` lies among the labelled points of a 0–100 scale: `at 25, “…”` or
/// `between 25, “…”, and 50, “…”`, or `None` when no labelled point brackets it.
fn scale_place(scale: &std::collections::BTreeMap<String, String>, x: f64) -> Option<String> {
    let mut points: Vec<(f64, &str)> =
        scale.iter().filter_map(|(k, v)| Some((k.parse::<f64>().ok()?, v.as_str()))).collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let label = |(p, l): (f64, &str)| format!("{}, “{l}”", round_position(p));
    if let Some(&at) = points.iter().find(|(p, _)| (p - x).abs() < 0.5) {
        return Some(format!("at {}", label(at)));
    }
    let below = points.iter().rev().find(|(p, _)| *p < x)?;
    let above = points.iter().find(|(p, _)| *p > x)?;
    Some(format!("between {}, and {}", label(*below), label(*above)))
}

/// One reason per game whose strategies have a `[[game.meaning]]`: how its equilibria (by the
/// games lens's method) compare with the Bayes lens's best option and the bargaining forecasts,
/// citing the meanings' and payoffs' sources.
fn games_reasons(s: &Scenario, solved: &[ScenarioGame]) -> Vec<Reason> {
    s.games
        .iter()
        .filter(|g| !g.meanings.is_empty())
        .filter_map(|g| {
            let found = solved.iter().find(|x| x.id == g.id)?;
            let (_, described) = found.comparison.as_ref()?;
            // "Compared with …: disagrees. …" reads on from the game's name.
            let mut chars = described.chars();
            let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
            let text = format!(
                "The game “{}” ({}), {}{}",
                g.name,
                g.id,
                first.unwrap_or_default(),
                chars.as_str()
            );
            let cites = g
                .meanings
                .iter()
                .filter_map(|x| Some(cite(x.source.as_ref()?, x.locator.as_deref())))
                .chain(
                    g.payoffs
                        .iter()
                        .filter_map(|x| Some(cite(x.source.as_ref()?, x.locator.as_deref()))),
                )
                .collect();
            Some(Reason { lens: "games", text, cites: dedup(cites) })
        })
        .collect()
}

fn cite(source: &str, locator: Option<&str>) -> String {
    match locator {
        Some(l) => format!("{source}, {l}"),
        None => source.to_owned(),
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

/// The sources cited by a driver's probability judgments.
fn provenance_of_driver(s: &Scenario, driver: &str) -> Vec<String> {
    let Some(d) = s.drivers.iter().find(|d| d.id == driver) else { return Vec::new() };
    let mut out: Vec<String> = d
        .cpt
        .iter()
        .filter_map(|r| r.source.as_ref().map(|src| cite(src, r.locator.as_deref())))
        .collect();
    if let Some(p) = &d.prior {
        if let Some(src) = &p.source {
            out.push(cite(src, p.locator.as_deref()));
        }
    }
    dedup(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_futures_have_probabilities_that_leave_the_rest_to_inconsistent_ones() {
        use engines::cib::{Method, SolveOptions, solve};
        let loaded = model::builtin::load(&model::builtin::BUILTINS[0]).unwrap();
        let s = &loaded.scenario;
        let summary = model::lens::bayes::summarise(
            &model::lens::bayes::BayesStudy::from_scenario(s).unwrap(),
            5,
        )
        .unwrap();
        let study = CibStudy::from_scenario(s).unwrap();
        let options = SolveOptions {
            method: Method::BranchAndBound,
            tolerance: 0,
            fixed: vec![],
            max_scenarios: 1000,
        };
        let solution = solve(&study.matrix, &options).unwrap();
        let f = future_probabilities(&summary, &study, &solution).unwrap();
        assert_eq!(f.probabilities.len(), solution.scenarios.len());
        assert!(f.probabilities.iter().all(|p| (0.0..=1.0).contains(p)));
        let total: f64 = f.probabilities.iter().sum::<f64>() + f.inconsistent;
        assert!((total - 1.0).abs() < engines::prec::PROB_SUM, "{total}");
    }

    /// The minimal scenario's one issue: today's weighted mean is 60 and the expected utility
    /// model settles at 90 (the figures `statecraft bargain minimal` prints), between the scale's
    /// labelled points 50 and 100; the spatial model ends at 76.
    #[test]
    fn bargain_reason_says_where_each_issue_settles_on_its_scale() {
        let loaded = model::builtin::load(&model::builtin::BUILTINS[1]).unwrap();
        let s = &loaded.scenario;
        let b = crate::bargain::scenario(s, &Default::default()).unwrap();
        let r = bargain_reason(s, &b).expect("minimal has an issue");
        assert_eq!(r.lens, "bargain");
        assert!(
            r.text.contains("Water released downstream settles at about 90, between 50, “half the natural flow”, and 100, “the full natural flow” (today's capability- and salience-weighted mean 60; the spatial model gives 76)."),
            "{}",
            r.text
        );
    }

    /// Issue #14: the Bayesian weight is a probability only for hypotheses declared exclusive,
    /// and evidence that predates the declared event is flagged only when there is one.
    #[test]
    fn ach_reason_speaks_of_probabilities_only_for_exclusive_hypotheses() {
        let loaded = model::builtin::load(&model::builtin::BUILTINS[0]).unwrap();
        let mut s = loaded.scenario.clone();
        let reason = |s: &Scenario| {
            let a = crate::ach::from_scenario(s, &crate::ach::AchSettings::for_run()).unwrap();
            ach_reason(s, &a).expect("an ACH reason").text
        };
        let open = reason(&s);
        assert!(open.contains("relative support") && !open.contains("a probability of"), "{open}");
        s.scenario.hypotheses = model::scenario::HypothesisSet::Exclusive;
        s.scenario.event = None;
        let exclusive = reason(&s);
        assert!(exclusive.contains("first, with a probability of "), "{exclusive}");
        assert!(!exclusive.contains("relative support"), "{exclusive}");
        assert!(!exclusive.contains("predates"), "{exclusive}");
    }

    #[test]
    fn scale_place_brackets_or_names_the_point() {
        let scale: std::collections::BTreeMap<String, String> =
            [("0", "none"), ("50", "half"), ("100", "all")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        let check = |x: f64, expected: Option<&str>| {
            assert_eq!(scale_place(&scale, x).as_deref(), expected, "{x}");
        };
        check(29.4, Some("between 0, “none”, and 50, “half”"));
        check(50.2, Some("at 50, “half”"));
        check(0.0, Some("at 0, “none”"));
        check(100.0, Some("at 100, “all”"));
        let empty = std::collections::BTreeMap::new();
        assert_eq!(scale_place(&empty, 10.0), None);
    }

    #[test]
    fn korea_answer_has_a_probability_in_words_and_reasons_with_sources() {
        let loaded = model::builtin::load(&model::builtin::BUILTINS[0]).unwrap();
        let run = crate::analyse(&loaded, &crate::Settings::default());
        let a = &run.answer;
        let p = a.probability.expect("korea-2024 has a headline and a network");
        assert!((0.0..=1.0).contains(&p));
        assert_eq!(a.words, band(p).map(Band::words));
        assert!(a.headline.to_lowercase().contains(a.words.unwrap()), "{}", a.headline);
        let lenses: Vec<&str> = a.reasons.iter().map(|r| r.lens).collect();
        assert_eq!(
            lenses,
            ["decision", "timing", "bayes", "cib", "ach", "bargain", "cib+bayes", "games"]
        );
        // Issue #14: both readings of the decision's timing, and the conclusion drawn.
        let timing = &a.reasons[1].text;
        assert!(timing.contains("status_quo_nato is then never the best choice"), "{timing}");
        assert!(timing.contains("Waiting is worth 22.3"), "{timing}");
        // Decision first: the headline under each of Seoul's options, the best one marked.
        let decision = &a.reasons[0].text;
        assert!(decision.contains("25 % if it chooses status_quo_nato (its best option, ahead of arms_to_ukraine by 3.8 in expected utility)"), "{decision}");
        assert!(decision.contains("% if it chooses arms_to_ukraine, "), "{decision}");
        assert!(!a.reasons[0].cites.is_empty(), "the options' utilities cite sources");
        assert!(a.futures.is_some(), "korea-2024 has both cross impacts and probabilities");
        assert!(!a.reasons[2].cites.is_empty(), "the headline driver's judgments cite sources");
        // The game's one equilibrium has Seoul escalate, which stands for arming Ukraine: not
        // the diagram's best option (status_quo_nato), nor where rok_support is forecast.
        // ACH: Heuer's reading first (H3, no inconsistent evidence), then the Bayesian one,
        // which disagrees and is not called a probability of truth.
        let ach = &a.reasons[4].text;
        assert!(ach.starts_with("By Heuer's rule, the evidence contradicts H3 "), "{ach}");
        assert!(ach.contains("the Bayesian reading disagrees and puts H2"), "{ach}");
        assert!(ach.contains("% of the relative support (not a probability"), "{ach}");
        assert!(ach.contains("they part because Bayesian scoring also counts consistent evidence, and H2 is rated more consistent than H3 on "), "{ach}");
        assert!(ach.contains("; e08 predates the event (2024-10)"), "{ach}");
        // Bargaining: the cycling issue has no point forecast, but its range, the round limits
        // and the spatial model; the two own choices are not bargained.
        let bargain = &a.reasons[5].text;
        for needle in [
            "South Korean support to Ukraine: no point forecast",
            "round cap of 10 stops it, United States oscillating",
            "3-round cycle whose weighted mean runs from 29 to 45",
            "round limits 8–12 give 45, 39, 29, 45, 39",
            "the spatial model gives",
            "South Korean nuclear weapons is South Korea (ROK)'s own choice, not a bargain",
        ] {
            assert!(bargain.contains(needle), "{needle}: {bargain}");
        }
        assert!(!bargain.contains("settles at"), "{bargain}");
        let games = &a.reasons[7];
        assert!(games.text.contains(": disagrees."), "{}", games.text);
        assert!(games.cites.iter().any(|c| c.contains("P9 (C14)")), "{:?}", games.cites);
    }
}
