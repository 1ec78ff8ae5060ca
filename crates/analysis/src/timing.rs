//! The decision's timing: what the focal actor gains by deciding after it learns the drivers its
//! decision `awaits` (say, the result of an election), rather than now.
//!
//! Two readings of one influence diagram. **Now**: the decision observes what the scenario's
//! `observes` lists. **Later**: it also observes every awaited driver, so its best option may
//! differ in each of their states (a conditional policy). The *value of waiting* is the gain in
//! maximum expected utility, `MEU(later) − MEU(now)`, the expected value of perfect information
//! on the awaited drivers (Howard 1966; Jensen and Nielsen 2007, §9.4). It is never negative;
//! it is worth waiting when it exceeds what waiting costs, which the scenario does not model.
//!
//! The *thresholds* say how robust the decide-now advice is to the awaited driver's
//! probability: for each state `x` of an awaited driver `X`, move `P(X = x)` from 0 to 1 with the
//! other states keeping their proportions; each option's expected utility is then linear in
//! `P(X = x)` (from [`engines::bayes::conditional_utilities`]), and each point where the upper
//! envelope changes option is a threshold (Clemen and Reilly 2014, *Making Hard Decisions*, 3rd
//! ed., ch. 5, one-way sensitivity of a decision to a probability).
//!
//! References: R. A. Howard (1966), "Information value theory", *IEEE Transactions on Systems
//! Science and Cybernetics* 2(1):22–26; F. V. Jensen and T. D. Nielsen (2007), *Bayesian Networks
//! and Decision Graphs*, 2nd ed., Springer.

use engines::bayes::{
    CompileOptions, DecideOptions, Finding, Heuristic, IdNode, InfluenceDiagram, JunctionTree,
    Solution, ValueOfInformation, conditional_utilities, solve,
};
use model::lens::bayes::BayesStudy;
use model::scenario::Scenario;

use crate::LensError;

/// The two readings of the focal decision's timing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Timing {
    /// The decision's id.
    pub decision: String,
    /// The drivers it could wait for (the scenario's `awaits`).
    pub awaits: Vec<String>,
    /// Deciding now, knowing only what `observes` lists.
    pub now: Reading,
    /// Deciding once the awaited drivers are known.
    pub later: Reading,
    /// `later.meu − now.meu`: what learning the awaited drivers first is worth, in utility.
    pub value_of_waiting: f64,
    /// How far the best option's expected utility is ahead of the second's when deciding now
    /// (`None` with a single option).
    pub lead_now: Option<f64>,
    /// The best option in each state of the awaited drivers (when deciding later).
    pub policy: Vec<PolicyRow>,
    /// Where the decide-now advice changes with the probability of an awaited driver's state.
    pub thresholds: Vec<Threshold>,
}

/// One reading: its maximum expected utility and the headline's probability under its policy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reading {
    /// The maximum expected utility.
    pub meu: f64,
    /// The best option, when the policy is one option whatever is observed.
    pub best: Option<String>,
    /// The headline's probability under this reading's optimal policy (`None` without a
    /// headline).
    pub probability: Option<f64>,
}

/// The best option given one state of each awaited driver.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PolicyRow {
    /// The awaited drivers' states, as (driver, state).
    pub given: Vec<(String, String)>,
    /// How likely these states are.
    pub probability: f64,
    /// The best option then.
    pub option: String,
    /// How far it is ahead of the second-best option given these states (only with one awaited
    /// driver and nothing observed now).
    pub lead: Option<f64>,
    /// The headline's probability given these states, the option taken.
    pub headline: Option<f64>,
}

/// A probability of an awaited driver's state at which the decide-now advice changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Threshold {
    /// The driver.
    pub driver: String,
    /// Its state.
    pub state: String,
    /// The state's probability now.
    pub now: f64,
    /// The probability at which the best option changes.
    pub at: f64,
    /// The best option below `at`.
    pub below: String,
    /// The best option above `at`.
    pub above: String,
}

/// The timing of the focal actor's first decision that awaits something; `None` when there is
/// none, or no headline-independent diagram to solve.
///
/// # Errors
/// An analysis error when a diagram cannot be solved or compiled within `max_entries`.
pub fn timing(
    s: &Scenario,
    study: &BayesStudy,
    now: &Solution,
    max_entries: usize,
) -> Result<Option<Timing>, LensError> {
    let Some(diagram) = &study.diagram else { return Ok(None) };
    let Some(focal) = &s.scenario.focal_actor else { return Ok(None) };
    let Some(dec) = s.decisions.iter().find(|d| &d.owner == focal && !d.awaits.is_empty()) else {
        return Ok(None);
    };
    let err = |e: &dyn std::fmt::Display| LensError::analysis(e.to_string());
    let node = |id: &str| study.ids.iter().position(|x| x == id);
    let Some(dv) = node(&dec.id) else { return Ok(None) };
    let Some(k) = now.decisions.iter().position(|d| d.node == dv) else { return Ok(None) };
    let options = &diagram.variables()[dv].states;

    let mut later_s = s.clone();
    if let Some(d) = later_s.decisions.iter_mut().find(|d| d.id == dec.id) {
        for a in &dec.awaits {
            if !d.observes.contains(a) {
                d.observes.push(a.clone());
            }
        }
    }
    let later_study = BayesStudy::from_scenario(&later_s).map_err(|e| err(&e))?;
    let Some(later_diagram) = &later_study.diagram else { return Ok(None) };
    let decide = DecideOptions {
        max_table_entries: max_entries,
        value_of_information: ValueOfInformation::Skip,
    };
    let later = solve(later_diagram, &decide).map_err(|e| err(&e))?;

    let compile = CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: max_entries };
    let headline_under = |d: &InfluenceDiagram, sol: &Solution, findings: &[Finding]| {
        let (hv, hs) = study.headline?;
        let policies: Vec<_> = sol.decisions.iter().map(|x| x.policy.clone()).collect();
        let net = d.policy_network(&policies).ok()?;
        let jt = JunctionTree::compile(&net, &compile).ok()?;
        jt.marginals(findings).ok().map(|p| p.marginals[hv][hs])
    };
    let now_dec = &now.decisions[k];
    let single = |sol: &Solution, k: usize| {
        let c = &sol.decisions[k].policy.choice;
        c.iter().all(|&x| x == c[0]).then(|| options.get(c[0]).cloned()).flatten()
    };
    let now_reading = Reading {
        meu: now.meu,
        best: single(now, k),
        probability: headline_under(diagram, now, &[]),
    };
    let later_reading = Reading {
        meu: later.meu,
        best: later.decisions.iter().position(|d| d.node == dv).and_then(|j| single(&later, j)),
        probability: headline_under(later_diagram, &later, &[]),
    };
    let mut eu = now_dec.expected_utility.clone();
    eu.sort_by(|a, b| b.total_cmp(a));
    let lead_now = (eu.len() > 1).then(|| eu[0] - eu[1]);

    // Conditional expected utilities of each option in each state of each awaited driver.
    let awaited: Vec<usize> = dec.awaits.iter().filter_map(|a| node(a)).collect();
    let mut conditional = Vec::new();
    for &w in &awaited {
        if !matches!(diagram.nodes()[w], IdNode::Chance(_)) {
            continue;
        }
        let c = conditional_utilities(diagram, now, dv, w, max_entries).map_err(|e| err(&e))?;
        conditional.push((w, c));
    }

    // The later policy, one row per configuration of the awaited drivers (the decision's
    // information set when nothing else is observed; else its rows grouped by the awaited part).
    let Some(later_k) = later.decisions.iter().position(|d| d.node == dv) else { return Ok(None) };
    let later_dec = &later.decisions[later_k];
    let info = &later_dec.policy.informational;
    let card: Vec<usize> =
        info.iter().map(|&v| later_diagram.variables()[v].states.len()).collect();
    let mut policy = Vec::new();
    if info.iter().all(|v| awaited.contains(v)) {
        let net = later_diagram
            .policy_network(&later.decisions.iter().map(|x| x.policy.clone()).collect::<Vec<_>>())
            .map_err(|e| err(&e))?;
        let jt = JunctionTree::compile(&net, &compile).map_err(|e| err(&e))?;
        for (row, &choice) in later_dec.policy.choice.iter().enumerate() {
            let mut digits = vec![0; info.len()];
            let mut r = row;
            for (pos, &c) in card.iter().enumerate().rev() {
                digits[pos] = r % c;
                r /= c;
            }
            let findings: Vec<Finding> = info
                .iter()
                .zip(&digits)
                .map(|(&node, &state)| Finding::State { node, state })
                .collect();
            let post = jt.marginals(&findings).ok();
            let probability = post.as_ref().map_or(0.0, |p| p.evidence_probability);
            let headline =
                study.headline.and_then(|(hv, hs)| post.as_ref().map(|p| p.marginals[hv][hs]));
            let lead = match (info.len(), conditional.first()) {
                (1, Some((_, c))) => {
                    let mut row: Vec<f64> =
                        c.expected_utility[digits[0]].iter().flatten().copied().collect();
                    row.sort_by(|a, b| b.total_cmp(a));
                    (row.len() > 1).then(|| row[0] - row[1])
                }
                _ => None,
            };
            policy.push(PolicyRow {
                given: info
                    .iter()
                    .zip(&digits)
                    .map(|(&v, &st)| {
                        let var = &later_diagram.variables()[v];
                        (var.name.clone(), var.states[st].clone())
                    })
                    .collect(),
                probability,
                option: options[choice].clone(),
                lead,
                headline,
            });
        }
    }

    let mut thresholds = Vec::new();
    for (w, c) in &conditional {
        let var = &diagram.variables()[*w];
        for (x, state) in var.states.iter().enumerate() {
            for (at, below, above) in flips(&c.probability, &c.expected_utility, x) {
                thresholds.push(Threshold {
                    driver: var.name.clone(),
                    state: state.clone(),
                    now: c.probability[x],
                    at,
                    below: options[below].clone(),
                    above: options[above].clone(),
                });
            }
        }
    }

    Ok(Some(Timing {
        decision: dec.id.clone(),
        awaits: dec.awaits.clone(),
        value_of_waiting: (later.meu - now.meu).max(0.0),
        now: now_reading,
        later: later_reading,
        lead_now,
        policy,
        thresholds,
    }))
}

/// The probabilities of state `x` at which the best option changes, as (probability, option
/// below, option above), when `P(X = x)` runs from 0 to 1 and the other states keep their
/// proportions of `p`. `eu[x][d]` is the expected utility of option `d` given state `x`.
pub fn flips(p: &[f64], eu: &[Vec<Option<f64>>], x: usize) -> Vec<(f64, usize, usize)> {
    let rest: f64 = 1.0 - p[x];
    let Some(given_x) = eu.get(x).map(|r| r.iter().map(|v| v.unwrap_or(0.0)).collect::<Vec<_>>())
    else {
        return Vec::new();
    };
    if rest <= engines::prec::PROB_SUM || eu[x].iter().any(Option::is_none) {
        return Vec::new();
    }
    let options = given_x.len();
    // E[U | not x, d]: the other states in their current proportions.
    let other: Vec<f64> = (0..options)
        .map(|d| {
            eu.iter()
                .enumerate()
                .filter(|(y, _)| *y != x)
                .map(|(y, row)| p[y] / rest * row[d].unwrap_or(0.0))
                .sum()
        })
        .collect();
    let line = |d: usize, t: f64| t * given_x[d] + (1.0 - t) * other[d];
    let best_at = |t: f64| (0..options).fold(0, |b, d| if line(d, t) > line(b, t) { d } else { b });
    let mut out = Vec::new();
    let mut t = 0.0;
    let mut current = best_at(0.0);
    loop {
        // The first option to overtake the current one after t.
        let mut next: Option<(f64, usize)> = None;
        for d in (0..options).filter(|&d| d != current) {
            let slope = (given_x[d] - other[d]) - (given_x[current] - other[current]);
            if slope <= 0.0 {
                continue;
            }
            let cross = (other[current] - other[d]) / slope;
            if cross > t && cross < 1.0 && next.is_none_or(|(c, _)| cross < c) {
                next = Some((cross, d));
            }
        }
        let Some((cross, d)) = next else { break };
        out.push((cross, current, d));
        t = cross;
        current = d;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two options, one state each favours: the flip is where the lines cross.
    #[test]
    fn flips_where_the_expected_utilities_cross() {
        // P(x) = 0.3; option 0 is worth 10 if x, 0 otherwise; option 1 is worth 2 whatever.
        let eu = vec![vec![Some(10.0), Some(2.0)], vec![Some(0.0), Some(2.0)]];
        let f = flips(&[0.3, 0.7], &eu, 0);
        assert_eq!(f.len(), 1);
        let (at, below, above) = f[0];
        assert!((at - 0.2).abs() <= engines::prec::REORDER, "{at}");
        assert_eq!((below, above), (1, 0));
        // Seen from the other state, the flip is at 1 − 0.2.
        let g = flips(&[0.3, 0.7], &eu, 1);
        assert!((g[0].0 - 0.8).abs() <= engines::prec::REORDER, "{g:?}");
        assert_eq!((g[0].1, g[0].2), (0, 1));
    }

    #[test]
    fn no_flip_when_one_option_dominates() {
        let eu = vec![vec![Some(10.0), Some(2.0)], vec![Some(5.0), Some(2.0)]];
        assert!(flips(&[0.5, 0.5], &eu, 0).is_empty());
    }
}

/// korea-2024 against pyAgrum 3.3.1 (`bench/bayes/make_timing_fixture.py`, which reads the
/// scenario file itself and builds the influence diagram with its own code).
#[cfg(test)]
mod korea {
    use engines::prec::REFERENCE;
    use serde_json::Value;

    use crate::bayes::{BayesSettings, scenario};

    fn close(a: f64, b: &Value, what: &str) {
        let b = b.as_f64().unwrap_or_else(|| panic!("{what}: not a number"));
        assert!((a - b).abs() <= REFERENCE * b.abs().max(1.0), "{what}: {a} against pyAgrum's {b}");
    }

    #[test]
    fn korea_timing_agrees_with_pyagrum() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/bayes/timing-korea-2024.json"
        );
        let text = std::fs::read_to_string(path).expect("the fixture");
        let r: Value = serde_json::from_str(&text).expect("JSON");
        let b = model::builtin::find("korea-2024").expect("built in");
        let s = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}")).scenario;
        let run = scenario(&s, &BayesSettings::for_run(&s)).unwrap();
        let t = run.timing.as_ref().expect("seoul awaits us_policy");
        close(t.now.meu, &r["now"]["meu"], "MEU now");
        close(t.later.meu, &r["later"]["meu"], "MEU later");
        close(t.value_of_waiting, &r["value_of_waiting"], "value of waiting");
        close(t.later.probability.unwrap(), &r["later"]["headline"], "headline later");
        for o in &run.by_option {
            close(o.expected_utility, &r["now"]["expected_utility"][&o.option], &o.option);
            close(o.probability, &r["now"]["headline"][&o.option], &o.option);
        }
        let rows = r["later"]["policy"].as_array().expect("rows");
        assert_eq!(t.policy.len(), rows.len());
        for (row, reference) in t.policy.iter().zip(rows) {
            assert_eq!(row.given[0].1, reference["given"].as_str().unwrap());
            assert_eq!(row.option, reference["option"].as_str().unwrap(), "{row:?}");
            close(row.probability, &reference["probability"], "P(given)");
            close(row.headline.unwrap(), &reference["headline"], "headline given");
        }
        let ths = r["thresholds"].as_array().expect("thresholds");
        assert_eq!(t.thresholds.len(), ths.len(), "{:?}", t.thresholds);
        for (th, reference) in t.thresholds.iter().zip(ths) {
            assert_eq!(th.state, reference["state"].as_str().unwrap());
            assert_eq!(th.below, reference["below"].as_str().unwrap(), "{th:?}");
            assert_eq!(th.above, reference["above"].as_str().unwrap(), "{th:?}");
            close(th.at, &reference["at"], "threshold");
        }
    }
}
