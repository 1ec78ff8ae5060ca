//! Unit tests of the comparison: one check per case on a 2×2 game shaped like korea-2024's,
//! (korea-2024's own suggestions are tested in the analysis crate).

use std::collections::BTreeMap;

use super::*;
use crate::scenario::Meaning;

/// What one of `rok`'s strategies stands for: (strategy, option of `seoul`, range of
/// `rok_support`).
type Link<'a> = (&'a str, Option<&'a str>, Option<[f64; 2]>);

/// A 2×2 game between `rok` and `dprk`, each with `restraint` and `escalate`, with the given
/// meanings of `rok`'s strategies: (strategy, option of `seoul`, range of `rok_support`).
fn game(meanings: &[Link<'_>]) -> Game {
    let both = vec!["restraint".to_string(), "escalate".to_string()];
    Game {
        id: "g".into(),
        name: "G".into(),
        players: vec!["rok".into(), "dprk".into()],
        strategies: BTreeMap::from([("rok".into(), both.clone()), ("dprk".into(), both)]),
        payoffs: Vec::new(),
        meanings: meanings
            .iter()
            .map(|(s, o, r)| Meaning {
                player: "rok".into(),
                strategy: (*s).into(),
                decision: o.map(|_| "seoul".into()),
                option: o.map(Into::into),
                issue: r.map(|_| "rok_support".into()),
                position: r.map(|r| r.to_vec()),
                why: None,
                source: None,
                locator: None,
            })
            .collect(),
        why: None,
    }
}

/// Seoul's best option is `best`; `rok_support` is forecast at `points`.
fn suggest(best: &str, points: &[f64]) -> Suggestions {
    Suggestions {
        bayes: Ok(vec![BestOption { decision: "seoul".into(), option: best.into() }]),
        bargain: Ok(vec![IssueForecast {
            issue: "rok_support".into(),
            points: points
                .iter()
                .enumerate()
                .map(|(k, &value)| Forecast { label: format!("point {k}"), value })
                .collect(),
        }]),
    }
}

/// `rok` plays restraint with probability `p`; `dprk` escalates.
fn eq(p: f64) -> Vec<Vec<f64>> {
    vec![vec![p, 1.0 - p], vec![0.0, 1.0]]
}

/// Restraint stands for the status quo and 0–60, escalation for arms and 60–100 (the shape of
/// the korea-2024 links).
fn linked() -> Game {
    game(&[
        ("restraint", Some("status_quo"), Some([0.0, 60.0])),
        ("escalate", Some("arms"), Some([60.0, 100.0])),
    ])
}

fn check(g: &Game, eqs: &[Vec<Vec<f64>>], s: &Suggestions, want: Verdict) -> Comparison {
    let c = compare(g, eqs, s);
    assert_eq!(c.verdict, want, "{c:#?}");
    c
}

#[test]
fn agrees_when_the_equilibrium_plays_the_best_option_inside_the_forecasts() {
    let c = check(&linked(), &[eq(1.0)], &suggest("status_quo", &[30.0, 41.8]), Verdict::Agrees);
    // One Bayes check and one per forecast point.
    assert_eq!(c.equilibria[0].checks.len(), 3);
    assert_eq!(c.equilibria[0].checks[0].agree, 1.0);
}

#[test]
fn disagrees_when_it_plays_another_option_outside_the_forecasts() {
    let c = check(&linked(), &[eq(0.0)], &suggest("status_quo", &[30.0, 41.8]), Verdict::Disagrees);
    let bayes = &c.equilibria[0].checks[0];
    assert_eq!((bayes.agree, bayes.disagree, bayes.unmapped), (0.0, 1.0, 0.0));
    assert_eq!(bayes.played[0].stands_for.as_deref(), Some("arms"));
}

#[test]
fn partly_agrees_when_one_lens_agrees_and_the_other_not() {
    check(&linked(), &[eq(1.0)], &suggest("arms", &[30.0]), Verdict::PartlyAgrees);
}

#[test]
fn partly_agrees_when_the_forecasts_straddle_the_ranges() {
    let c =
        check(&linked(), &[eq(1.0)], &suggest("status_quo", &[30.0, 80.0]), Verdict::PartlyAgrees);
    let v: Vec<Verdict> = c.equilibria[0].checks.iter().map(|c| c.verdict).collect();
    assert_eq!(v, [Verdict::Agrees, Verdict::Agrees, Verdict::Disagrees]);
}

#[test]
fn a_mixed_equilibrium_partly_agrees_with_its_probability_on_the_best_option() {
    // Restraint with probability 1/3, as an exact 1/3 converted to f64 would be.
    let c =
        check(&linked(), &[eq(1.0 / 3.0)], &suggest("status_quo", &[30.0]), Verdict::PartlyAgrees);
    let bayes = &c.equilibria[0].checks[0];
    assert!((bayes.agree - 1.0 / 3.0).abs() < prec::REORDER);
    assert!((bayes.disagree - 2.0 / 3.0).abs() < prec::REORDER);
    assert_eq!(bayes.played.len(), 2);
}

#[test]
fn a_forecast_on_a_range_end_is_inside_both_ranges() {
    check(&linked(), &[eq(1.0)], &suggest("status_quo", &[60.0]), Verdict::Agrees);
    check(&linked(), &[eq(0.0)], &suggest("arms", &[60.0]), Verdict::Agrees);
}

#[test]
fn qre_noise_below_the_support_threshold_is_not_play() {
    let noisy = vec![vec![1.0 - 1e-9, 1e-9], vec![1e-9, 1.0 - 1e-9]];
    check(&linked(), &[noisy], &suggest("status_quo", &[30.0]), Verdict::Agrees);
}

#[test]
fn two_equilibria_that_differ_partly_agree_and_each_has_its_verdict() {
    let c = check(
        &linked(),
        &[eq(1.0), eq(0.0)],
        &suggest("status_quo", &[30.0]),
        Verdict::PartlyAgrees,
    );
    assert_eq!(c.equilibria[0].verdict, Verdict::Agrees);
    assert_eq!(c.equilibria[1].verdict, Verdict::Disagrees);
}

#[test]
fn unmapped_strategies_cannot_be_compared() {
    let c = check(&game(&[]), &[eq(1.0)], &suggest("status_quo", &[30.0]), Verdict::CannotCompare);
    assert!(c.missing[0].contains("no strategy of game `g` has a `[[game.meaning]]`"), "{c:?}");
}

#[test]
fn an_equilibrium_on_strategies_without_meaning_cannot_be_compared() {
    // Only restraint is linked; the equilibrium escalates.
    let g = game(&[("restraint", Some("status_quo"), Some([0.0, 60.0]))]);
    let c = check(&g, &[eq(0.0)], &suggest("status_quo", &[30.0]), Verdict::CannotCompare);
    assert_eq!(c.equilibria[0].checks[0].unmapped, 1.0);
    // The words still say why: what the equilibrium plays stands for nothing.
    let text = describe(&c, &|a| a.to_string(), &|_, id| id.to_string());
    assert!(text.contains("The equilibrium cannot be compared: the Bayes lens's best option for seoul is status_quo, which rok plays with probability 0 (escalate stands for no option of it)"), "{text}");
    assert!(
        text.contains(
            "at point 0 30, cannot be set against what rok plays (escalate stands for no range of it)"
        ),
        "{text}"
    );
}

#[test]
fn play_partly_on_unlinked_strategies_disagrees_when_nothing_linked_matches() {
    let g = game(&[("escalate", Some("arms"), None)]);
    let c = check(&g, &[eq(0.5)], &suggest("status_quo", &[]), Verdict::Disagrees);
    let bayes = &c.equilibria[0].checks[0];
    assert_eq!((bayes.agree, bayes.disagree, bayes.unmapped), (0.0, 0.5, 0.5));
}

#[test]
fn a_lens_without_a_suggestion_is_named_as_missing() {
    let s = Suggestions {
        bayes: Err("the scenario names no focal actor".into()),
        bargain: Ok(Vec::new()),
    };
    let c = check(&linked(), &[eq(1.0)], &s, Verdict::CannotCompare);
    assert!(c.missing.iter().any(|m| m.contains("no focal actor")), "{:?}", c.missing);
    let text = describe(&c, &|a| a.to_uppercase(), &|_, id| id.to_string());
    assert!(
        text.starts_with("Compared with the Bayes and bargaining lenses: cannot compare: "),
        "{text}"
    );
}

#[test]
fn no_equilibrium_cannot_be_compared() {
    let c = check(&linked(), &[], &suggest("status_quo", &[30.0]), Verdict::CannotCompare);
    assert!(c.missing.iter().any(|m| m.contains("no equilibrium")));
}

#[test]
fn verdicts_combine_setting_aside_what_cannot_compare() {
    use Verdict::*;
    let cases: &[(&[Verdict], Verdict)] = &[
        (&[], CannotCompare),
        (&[CannotCompare, Agrees], Agrees),
        (&[Disagrees, CannotCompare, Disagrees], Disagrees),
        (&[Agrees, Disagrees], PartlyAgrees),
        (&[PartlyAgrees, Agrees], PartlyAgrees),
    ];
    for (input, want) in cases {
        assert_eq!(Verdict::combine(input.iter().copied()), *want, "{input:?}");
    }
}

#[test]
fn the_description_names_the_players_options_and_forecasts() {
    let c = compare(&linked(), &[eq(0.0)], &suggest("status_quo", &[41.84, 55.0]));
    let text = describe(&c, &|a| format!("<{a}>"), &|_, id| format!("`{id}`"));
    assert!(
        text.starts_with("Compared with the Bayes and bargaining lenses: disagrees."),
        "{text}"
    );
    assert!(text.contains("best option for `seoul` is status_quo, which <rok> plays with probability 0 (escalate stands for arms)"), "{text}");
    assert!(text.contains("the bargaining forecasts of `rok_support`, at point 0 41.84 and point 1 55, all fall outside what <rok> plays (escalate stands for 60–100)"), "{text}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever Seoul mixes and wherever the issue is forecast, its probability splits into
    /// agree, disagree and unmapped (less what is too small to count as played, at most
    /// `SUPPORT` per strategy), and a check agrees exactly when all of it agrees.
    #[test]
    fn every_check_splits_the_players_probability(p in 0.0f64..=1.0, x in 0.0f64..=100.0) {
        let c = compare(&linked(), &[eq(p)], &suggest("status_quo", &[x]));
        for ch in &c.equilibria[0].checks {
            proptest::prop_assert!((ch.agree + ch.disagree + ch.unmapped - 1.0).abs() <= 2.0 * prec::SUPPORT);
            proptest::prop_assert_eq!(ch.verdict == Verdict::Agrees, ch.agree >= 1.0 - prec::SUPPORT);
        }
    }
}
