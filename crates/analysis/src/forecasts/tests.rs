//! Tests of what korea-2024 forecasts and how it scores, with the scores recomputed here from
//! the definitions (Brier 1950, equation 1; the expectation under a soft resolution).

use std::collections::BTreeMap;

use engines::prec;
use model::scenario::Date;

use super::*;
use crate::{Settings, analyse};

fn korea() -> (model::load::Loaded, Analysis) {
    let b = model::builtin::find("korea-2024").expect("built in");
    let loaded = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}"));
    let a = analyse(&loaded, &Settings::default());
    (loaded, a)
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

fn resolved(question: &str, state: &str, soft: &[(&str, f64)]) -> Resolved {
    Resolved {
        question: question.into(),
        date: date("2025-12-31"),
        state: state.into(),
        soft: soft.iter().map(|(k, w)| ((*k).to_string(), *w)).collect::<BTreeMap<_, _>>(),
    }
}

/// The headline, every driver of the network and the headline under each of Seoul's three
/// options, with the answer's own numbers.
#[test]
fn korea_2024_issues_the_headline_every_driver_and_each_option() {
    let (loaded, a) = korea();
    let issued = issue(&a, &loaded.source.text, "test");
    let kinds: Vec<Kind> = issued.forecasts.iter().map(|f| f.kind).collect();
    let drivers = loaded.scenario.drivers.len();
    assert_eq!(kinds.len(), 1 + drivers + 3, "{kinds:?}");
    let head = &issued.forecasts[0];
    assert_eq!((head.question.as_str(), head.kind), ("korean_war.korean", Kind::Headline));
    let p = a.answer.probability.expect("a headline probability");
    assert!((head.probabilities[0] - p).abs() <= prec::REORDER);
    let by_option = &a.bayes.as_ref().unwrap().as_ref().unwrap().by_option;
    for (f, o) in issued.forecasts[1 + drivers..].iter().zip(by_option) {
        assert_eq!(f.question, format!("korean_war.korean|seoul={}", o.option));
        assert_eq!(f.probabilities[0], o.probability);
    }
    for f in &issued.forecasts {
        let sum: f64 = f.probabilities.iter().sum();
        assert!((sum - 1.0).abs() <= prec::PROB_SUM, "{}: {sum}", f.question);
    }
    assert_eq!(issued.as_of, date("2024-10-31"));
    assert_eq!(issued.scenario_hash, content_hash(&loaded.source.text));
    assert_eq!(issued.scenario_hash.len(), 64);
    assert_ne!(issued.scenario_hash, content_hash("another text"));
}

/// Crisp and soft resolutions, scored and recomputed by hand from the probabilities: the
/// headline against `contained` (soft 0.95/0.05), the war driver crisp, and the options
/// weighted by Seoul's soft resolution (nuclear_hedging 0.55, status_quo_nato 0.45, arms 0).
#[test]
fn scores_recomputed_from_the_definitions() {
    let (loaded, a) = korea();
    let issued = issue(&a, &loaded.source.text, "test");
    let resolutions = [
        resolved("korean_war", "contained", &[("contained", 0.95), ("korean", 0.05)]),
        resolved("war", "russian_gains", &[]),
        resolved(
            "seoul",
            "nuclear_hedging",
            &[("nuclear_hedging", 0.55), ("status_quo_nato", 0.45), ("arms_to_ukraine", 0.0)],
        ),
    ];
    for r in &resolutions {
        check(&loaded.scenario, r).unwrap_or_else(|e| panic!("{e}"));
    }
    let s = score(&issued.forecasts, issued.as_of, &resolutions).unwrap();
    let get = |q: &str| s.scored.iter().find(|x| x.forecast.question == q);
    // Headline: P(yes) = p; outcome yes 0.05. E[BS] = 2 (p − 0.05)² + 2·0.05·0.95.
    let p = issued.forecasts[0].probabilities[0];
    let h = get("korean_war.korean").expect("scored");
    assert!((h.brier - (2.0 * (p - 0.05) * (p - 0.05) + 2.0 * 0.05 * 0.95)).abs() <= prec::REORDER);
    let log = 0.05 * p.ln() + 0.95 * (1.0 - p).ln();
    assert!((h.log.unwrap() - log).abs() <= prec::REORDER);
    assert!(h.soft);
    // War, crisp: Σ (p_k − o_k)² and ln p_gains; baseline log2(3 p_gains).
    let w = get("war").expect("scored");
    let pw = &w.forecast.probabilities;
    let bs = (pw[0] - 1.0).powi(2) + pw[1].powi(2) + pw[2].powi(2);
    assert!((w.brier - bs).abs() <= prec::REORDER);
    assert!((w.baseline.unwrap() - (3.0 * pw[0]).log2()).abs() <= prec::REORDER);
    assert!(!w.soft);
    // Options: weighted by Seoul's resolution; arming Ukraine (weight 0) is not scored.
    let nh = get("korean_war.korean|seoul=nuclear_hedging").expect("scored");
    assert_eq!(nh.weight, 0.55);
    assert!(nh.soft, "soft through the decision");
    assert!(get("korean_war.korean|seoul=arms_to_ukraine").is_none());
    assert!(s.unresolved.contains(&"korean_war.korean|seoul=arms_to_ukraine".to_string()));
    assert!(s.unresolved.contains(&"tension".to_string()));
    // Pooled: the drivers korean_war and war only. The headline and the two options restate
    // korean_war's question, so they are scored and shown but not pooled.
    let pooled: Vec<&str> =
        s.scored.iter().filter(|x| x.pooled).map(|x| x.forecast.question.as_str()).collect();
    assert_eq!(pooled, ["war", "korean_war"]);
    assert_eq!(s.scored.len(), 5);
    assert_eq!(s.summary.count, 2);
    let k = get("korean_war").expect("scored");
    assert!((s.summary.brier.unwrap() - (k.brier + w.brier) / 2.0).abs() <= prec::REORDER);
    assert!((s.summary.weight - 2.0).abs() <= prec::REORDER);
    assert_eq!(s.summary.soft, ["korean_war"], "war was crisp");
    assert!(s.summary.decomposition.is_none(), "too few probabilities to decompose");
    let c = s.summary.calibration.as_ref().expect("a table");
    assert!((c.weight - (3.0 + 2.0)).abs() <= prec::REORDER, "three war states, two of korean_war");
}

/// Without its driver's marginal, the headline stands for its question and is pooled; so is
/// a forecast under an option.
#[test]
fn a_headline_without_its_driver_is_pooled() {
    let (loaded, a) = korea();
    let issued = issue(&a, &loaded.source.text, "test");
    let no_marginal: Vec<Forecast> =
        issued.forecasts.into_iter().filter(|f| f.question != "korean_war").collect();
    let resolutions =
        [resolved("korean_war", "contained", &[]), resolved("seoul", "status_quo_nato", &[])];
    let s = score(&no_marginal, date("2024-10-31"), &resolutions).unwrap();
    let questions: Vec<&str> = s.scored.iter().map(|x| x.forecast.question.as_str()).collect();
    assert_eq!(questions, ["korean_war.korean", "korean_war.korean|seoul=status_quo_nato"]);
    assert!(s.scored.iter().all(|x| x.pooled));
    assert_eq!(s.summary.count, 2);
}

#[test]
fn err_resolutions_that_do_not_fit_the_scenario() {
    let (loaded, _) = korea();
    let s = &loaded.scenario;
    let e = check(s, &resolved("weather", "rain", &[])).unwrap_err();
    assert!(matches!(e, ResolutionError::UnknownQuestion { .. }), "{e}");
    let e = check(s, &resolved("war", "victory", &[])).unwrap_err();
    assert!(e.to_string().contains("russian_gains, stalemate, russian_setback"), "{e}");
    let e = check(s, &resolved("war", "stalemate", &[("stalemate", 0.5), ("russian_gains", 0.4)]))
        .unwrap_err();
    assert!(e.to_string().contains("sum to 0.9"), "{e}");
    let e =
        check(s, &resolved("war", "stalemate", &[("stalemate", 0.5), ("draw", 0.5)])).unwrap_err();
    assert!(matches!(e, ResolutionError::UnknownState { .. }), "{e}");
    let e = check(s, &resolved("war", "stalemate", &[("stalemate", 0.2), ("russian_gains", 0.8)]))
        .unwrap_err();
    assert!(e.to_string().contains("weighs most"), "{e}");
    check(s, &resolved("seoul", "status_quo_nato", &[])).expect("a decision is a question");
}
