//! Tests of the ACH engine: hand-computed cases for every mode (the worked example of
//! `docs/ach.md` among them), errors, and property tests of the invariants.

use proptest::prelude::*;

use super::*;

/// Builds a matrix from compact rows: `(id, "CR", "ratings", date)` where C and R are the first
/// letters of credibility and relevance (H, M, L) and ratings are space-separated.
fn mat(hyps: &[&str], rows: &[(&str, &str, &str, Option<&str>)]) -> AchMatrix {
    mat_ind(hyps, rows, &[])
}

fn item(id: &str, weights: &str, ratings: &str, date: Option<&str>) -> Item {
    let w: Vec<Weight> = weights.chars().map(|c| c.to_string().parse().unwrap()).collect();
    Item {
        id: id.into(),
        credibility: w[0],
        relevance: w[1],
        date: date.map(|d| d.parse().unwrap()),
        ratings: ratings.split_whitespace().map(|r| r.parse().unwrap()).collect(),
    }
}

fn mat_ind(
    hyps: &[&str],
    rows: &[(&str, &str, &str, Option<&str>)],
    indicators: &[(&str, &str, &str)],
) -> AchMatrix {
    AchMatrix::new(
        hyps.iter().map(|h| h.to_string()).collect(),
        rows.iter().map(|&(id, w, r, d)| item(id, w, r, d)).collect(),
        indicators.iter().map(|&(id, w, r)| item(id, w, r, None)).collect(),
    )
    .unwrap()
}

fn opts(mode: Mode) -> AchOptions {
    AchOptions {
        mode,
        bayes: BayesSettings { likelihoods: LikelihoodTable::standard(), priors: Priors::Uniform },
        as_of: None,
        sensitivity: Sensitivity::Run,
        timeline: Timeline::Run,
    }
}

/// Runs `mode` on `matrix` and checks scores (to [`prec::REFERENCE`]) and ranking.
fn check(matrix: &AchMatrix, mode: Mode, scores: &[f64], ranking: &[usize]) -> AchResult {
    let r = analyze(matrix, &opts(mode)).unwrap();
    assert_eq!(r.scores.len(), scores.len());
    for (h, (got, want)) in r.scores.iter().zip(scores).enumerate() {
        assert!((got - want).abs() <= prec::REFERENCE, "{mode:?} h{h}: {got} != {want}");
    }
    assert_eq!(r.ranking, ranking, "{mode:?} ranking");
    r
}

/// The worked example of `docs/ach.md`, computed there by hand.
fn worked() -> AchMatrix {
    mat_ind(
        &["H1", "H2", "H3"],
        &[
            ("E1", "HH", "C I II", Some("2024-01-10")),
            ("E2", "MH", "CC C I", Some("2024-03-05")),
            ("E3", "LM", "I N C", Some("2024-03-05")),
            ("E4", "MM", "N N N", None),
            ("E5", "HL", "NA II C", Some("2024-06-19")),
        ],
        &[("I1", "HH", "II C C"), ("I2", "MM", "N I N")],
    )
}

const SQRT2: f64 = std::f64::consts::SQRT_2;

// ----- the worked example, mode by mode (docs/ach.md, sections "PARC" … "Bayes") -------------

#[test]
fn worked_parc() {
    // H1: E3 I = −1; H2: E1 I + E5 II = −3; H3: E1 II + E2 I = −3; H2 and H3 tie, input order.
    let r = check(&worked(), Mode::Parc, &[-1.0, -3.0, -3.0], &[0, 1, 2]);
    assert_eq!(r.leaders, vec![0]);
    assert_eq!(r.consistency, None);
    assert_eq!(r.posteriors, None);
}

#[test]
fn worked_parc_weighted() {
    // Weights: E1 √2·√2 = 2, E2 1·√2 = √2, E3 (1/√2)·1, E5 √2·(1/√2) = 1.
    // H1: −1/√2; H2: −1·2 − 2·1 = −4; H3: −2·2 − 1·√2.
    check(&worked(), Mode::ParcWeighted, &[-1.0 / SQRT2, -4.0, -4.0 - SQRT2], &[0, 1, 2]);
}

#[test]
fn worked_shortfall() {
    // Inconsistency: H1 E3 (3−2)² = 1; H2 E1 1 + E5 4 = 5; H3 E1 4 + E2 1 = 5.
    // Consistency breaks the H2/H3 tie: H2 E2 C = 1; H3 E3 C + E5 C = 2; so H3 before H2.
    let r = check(&worked(), Mode::Shortfall, &[1.0, 5.0, 5.0], &[0, 2, 1]);
    assert_eq!(r.consistency, Some(vec![5.0, 1.0, 2.0]));
}

#[test]
fn worked_bayes() {
    // Products of L' = w·L + 1 − w (docs/ach.md, "Bayes"), E4 being common to all:
    // H1 .7 × .925 × .7375 × .75, H2 .3 × .775 × .8125 × .55, H3 .1 × .475 × .8875 × .85.
    let (h1, h2, h3) =
        (0.7 * 0.925 * 0.7375 * 0.75, 0.3 * 0.775 * 0.8125 * 0.55, 0.1 * 0.475 * 0.8875 * 0.85);
    let s = h1 + h2 + h3;
    let r = check(&worked(), Mode::Bayes, &[h1 / s, h2 / s, h3 / s], &[0, 1, 2]);
    // Rounded in the docs to 0.7193, 0.2087, 0.0720.
    assert!((r.scores[0] - 0.719_347_357_387_421).abs() <= prec::REFERENCE);
    assert_eq!(r.posteriors.as_ref(), Some(&r.scores));
}

#[test]
fn worked_diagnosticity() {
    let r = analyze(&worked(), &opts(Mode::Parc)).unwrap();
    let sd: Vec<f64> = r.diagnosticity.iter().map(|d| d.std_dev).collect();
    // E1 on 1..5 is (4, 2, 1): mean 7/3, variance (25 + 1 + 16)/27 = 14/9.
    assert!((sd[0] - (14.0f64 / 9.0).sqrt()).abs() <= prec::REFERENCE);
    // E4 is N N N: no spread, so not diagnostic.
    assert_eq!(sd[3], 0.0);
    let flags: Vec<bool> = r.diagnosticity.iter().map(|d| d.diagnostic).collect();
    assert_eq!(flags, vec![true, true, true, false, true]);
    assert!(r.diagnosticity.iter().all(|d| d.max_log_lr.is_none()));

    let b = analyze(&worked(), &opts(Mode::Bayes)).unwrap();
    // E1 (w = 1): ln(0.7 / 0.1) = ln 7.
    assert!((b.diagnosticity[0].max_log_lr.unwrap() - 7f64.ln()).abs() <= prec::REFERENCE);
    assert_eq!(b.diagnosticity[3].max_log_lr, Some(0.0));
    assert!(!b.diagnosticity[3].diagnostic);
}

#[test]
fn worked_sensitivity_parc() {
    let r = analyze(&worked(), &opts(Mode::Parc)).unwrap();
    // Removing E1 ties H1 and H3 at −1; removing E5 ties H1 and H2 at −1; reversing E1 makes
    // H3 lead (−1 against −2, −2); reversing E2 makes H3 lead; reversing E5 ties H1 and H2.
    assert_eq!(r.linchpins, Some(vec![0, 1, 4]));
    let rows = r.sensitivity.unwrap();
    assert_eq!(
        rows[0].removed,
        Outcome::Ranked { ranking: vec![0, 2, 1], leaders: vec![0, 2], changes_leader: true }
    );
    assert_eq!(
        rows[0].reversed,
        Outcome::Ranked { ranking: vec![2, 0, 1], leaders: vec![2], changes_leader: true }
    );
    assert!(!rows[2].removed.changes_leader() && !rows[2].reversed.changes_leader());
    assert!(!rows[3].removed.changes_leader() && !rows[3].reversed.changes_leader());
}

#[test]
fn worked_timeline_parc() {
    let r = analyze(&worked(), &opts(Mode::Parc)).unwrap();
    let rows = r.timeline.unwrap();
    type Row = (Option<String>, usize, Vec<f64>, Vec<usize>);
    let got: Vec<Row> = rows
        .iter()
        .map(|t| {
            (t.date.map(|d| d.to_string()), t.evidence_count, t.scores.clone(), t.leaders.clone())
        })
        .collect();
    let d = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        vec![
            (None, 1, vec![0.0, 0.0, 0.0], vec![0, 1, 2]),
            (d("2024-01-10"), 2, vec![0.0, -1.0, -2.0], vec![0]),
            (d("2024-03-05"), 4, vec![-1.0, -1.0, -3.0], vec![0, 1]),
            (d("2024-06-19"), 5, vec![-1.0, -3.0, -3.0], vec![0]),
        ]
    );
}

#[test]
fn worked_as_of() {
    let mut o = opts(Mode::Parc);
    o.as_of = Some("2024-03-31".parse().unwrap());
    let r = analyze(&worked(), &o).unwrap();
    assert_eq!(r.evidence_used, vec![0, 1, 2, 3]);
    assert_eq!(r.scores, vec![-1.0, -1.0, -3.0]);
    assert_eq!(r.leaders, vec![0, 1]);
    assert_eq!(r.timeline.unwrap().len(), 3);
    // The day itself counts as known.
    o.as_of = Some("2024-01-10".parse().unwrap());
    assert_eq!(analyze(&worked(), &o).unwrap().evidence_used, vec![0, 3]);
}

#[test]
fn worked_indicators_parc() {
    let r = analyze(&worked(), &opts(Mode::Parc)).unwrap();
    // I1 (II C C) would cost H1 2 and tie all three at −3; I2 (N I N) leaves H1 alone.
    assert_eq!(r.indicators[0].indicator, 0);
    assert!(r.indicators[0].if_seen.changes_leader());
    assert_eq!(r.indicators[0].leader_shift, Some(-2.0));
    assert_eq!(r.indicators[1].leader_shift, Some(0.0));
    assert_eq!(r.indicators[1].expected_shift, None);
}

#[test]
fn worked_indicators_bayes() {
    let r = analyze(&worked(), &opts(Mode::Bayes)).unwrap();
    let i1 = &r.indicators[0];
    assert_eq!(i1.indicator, 0);
    // P(seen) = Σ p(h) L(h) with L = (.1, .7, .7); the leader's posterior falls to p1·.1/P(seen).
    let p = &r.scores;
    let p_seen = p[0] * 0.1 + (p[1] + p[2]) * 0.7;
    let seen = p[0] * 0.1 / p_seen - p[0];
    let not = p[0] * 0.9 / (1.0 - p_seen) - p[0];
    assert!((i1.leader_shift.unwrap() - seen).abs() <= prec::REFERENCE);
    let expected = p_seen * seen.abs() + (1.0 - p_seen) * not.abs();
    assert!((i1.expected_shift.unwrap() - expected).abs() <= prec::REFERENCE);
    // Computed independently in Python (docs/ach.md): 0.242264084168586.
    assert!((expected - 0.242_264_084_168_586).abs() <= prec::REFERENCE);
}

// ----- small hand-computed cases ------------------------------------------------------------

#[test]
fn parc_ignores_consistent_ratings() {
    let m = mat(&["A", "B"], &[("E1", "HH", "CC N", None), ("E2", "HH", "C NA", None)]);
    // Consistency adds nothing: both 0, tied, input order.
    let r = check(&m, Mode::Parc, &[0.0, 0.0], &[0, 1]);
    assert_eq!(r.leaders, vec![0, 1]);
}

#[test]
fn parc_na_scores_zero() {
    let m = mat(&["A", "B"], &[("E1", "HH", "NA II", None), ("E2", "HH", "NA I", None)]);
    check(&m, Mode::Parc, &[0.0, -3.0], &[0, 1]);
}

#[test]
fn parc_tie_keeps_input_order() {
    let m = mat(&["A", "B", "C"], &[("E1", "HH", "I II I", None)]);
    check(&m, Mode::Parc, &[-1.0, -2.0, -1.0], &[0, 2, 1]);
}

#[test]
fn parc_weighted_every_weight_pair() {
    // One I rating (−1) under each (credibility, relevance) pair: −2, −√2, −1, −1, −1/√2, −1/2.
    let rows = [
        ("HH", -2.0),
        ("HM", -SQRT2),
        ("HL", -1.0),
        ("MM", -1.0),
        ("ML", -1.0 / SQRT2),
        ("LL", -0.5),
    ];
    for (w, want) in rows {
        let m = mat(&["A", "B"], &[("E1", w, "I N", None)]);
        check(&m, Mode::ParcWeighted, &[want, 0.0], &[1, 0]);
    }
    // Symmetric: LH equals HL.
    let m = mat(&["A", "B"], &[("E1", "LH", "II N", None)]);
    check(&m, Mode::ParcWeighted, &[-2.0, 0.0], &[1, 0]);
}

#[test]
fn parc_weighted_exact_tie_between_surds() {
    // A: one I at 2 (HH) = −2; B: two I at 1 (MM) = −2; C: one I at √2 + one at 1/√2... = −3/√2.
    let m = mat(
        &["A", "B", "C"],
        &[
            ("E1", "HH", "I N N", None),
            ("E2", "MM", "N I N", None),
            ("E3", "MM", "N I N", None),
            ("E4", "HM", "N N I", None),
            ("E5", "ML", "N N I", None),
        ],
    );
    // −3/√2 ≈ −2.1213 < −2, and A ties B exactly.
    let r = check(&m, Mode::ParcWeighted, &[-2.0, -2.0, -1.5 * SQRT2], &[0, 1, 2]);
    assert_eq!(r.leaders, vec![0, 1]);
}

#[test]
fn shortfall_orders_by_inconsistency_then_consistency() {
    let m = mat(&["A", "B", "C"], &[("E1", "LL", "CC C II", None), ("E2", "LL", "I I NA", None)]);
    // A: incons 1, cons 4; B: incons 1, cons 1; C: incons 4, cons 0.
    let r = check(&m, Mode::Shortfall, &[1.0, 1.0, 4.0], &[0, 1, 2]);
    assert_eq!(r.consistency, Some(vec![4.0, 1.0, 0.0]));
    assert_eq!(r.leaders, vec![0]);
}

#[test]
fn shortfall_full_tie() {
    let m = mat(&["A", "B"], &[("E1", "HH", "C C", None)]);
    let r = check(&m, Mode::Shortfall, &[0.0, 0.0], &[0, 1]);
    assert_eq!(r.leaders, vec![0, 1]);
}

#[test]
fn bayes_single_item_full_credibility() {
    // w = 1: posteriors ∝ (0.9, 0.1) → (0.9, 0.1).
    let m = mat(&["A", "B"], &[("E1", "HH", "CC II", None)]);
    check(&m, Mode::Bayes, &[0.9, 0.1], &[0, 1]);
}

#[test]
fn bayes_discount_low_low() {
    // w = 1/4: L' = 0.25·0.9 + 0.75 = 0.975 and 0.25·0.1 + 0.75 = 0.775.
    let m = mat(&["A", "B"], &[("E1", "LL", "CC II", None)]);
    check(&m, Mode::Bayes, &[0.975 / 1.75, 0.775 / 1.75], &[0, 1]);
}

#[test]
fn bayes_na_is_uninformative_and_ties_are_exact() {
    let m = mat(
        &["A", "B"],
        &[("E1", "MM", "NA N", None), ("E2", "HH", "CC II", None), ("E3", "HH", "II CC", None)],
    );
    let r = check(&m, Mode::Bayes, &[0.5, 0.5], &[0, 1]);
    assert_eq!(r.leaders, vec![0, 1]);
}

#[test]
fn bayes_priors() {
    let m = mat(&["A", "B"], &[("E1", "HH", "C I", None)]);
    let mut o = opts(Mode::Bayes);
    o.bayes.priors = Priors::Given(vec![0.25, 0.75]);
    // 0.25·0.7 = 0.175 against 0.75·0.3 = 0.225.
    let r = analyze(&m, &o).unwrap();
    assert!((r.scores[0] - 0.175 / 0.4).abs() <= prec::REFERENCE);
    assert_eq!(r.ranking, vec![1, 0]);
}

#[test]
fn bayes_zero_likelihood_rules_out_one_hypothesis() {
    let m = mat(&["A", "B"], &[("E1", "HH", "C II", None)]);
    let mut o = opts(Mode::Bayes);
    o.bayes.likelihoods = LikelihoodTable::new([1.0, 0.8, 0.5, 0.2, 0.0, 0.5]).unwrap();
    let r = analyze(&m, &o).unwrap();
    assert_eq!(r.scores, vec![1.0, 0.0]);
    assert_eq!(r.diagnosticity[0].max_log_lr, None);
    assert!(r.diagnosticity[0].diagnostic);
    // Reversing E1 rules A out instead.
    let rows = r.sensitivity.unwrap();
    assert!(rows[0].reversed.changes_leader());
}

#[test]
fn bayes_reversal_to_impossible_is_reported() {
    let m = mat(&["A", "B"], &[("E1", "HH", "CC CC", None), ("E2", "HH", "C I", None)]);
    let mut o = opts(Mode::Bayes);
    o.bayes.likelihoods = LikelihoodTable::new([1.0, 0.8, 0.5, 0.2, 0.0, 0.5]).unwrap();
    let r = analyze(&m, &o).unwrap();
    assert_eq!(r.sensitivity.unwrap()[0].reversed, Outcome::Impossible);
}

#[test]
fn timeline_without_undated_items_starts_at_first_date() {
    let m = mat(
        &["A", "B"],
        &[("E2", "HH", "I N", Some("2024-02-01")), ("E1", "HH", "N I", Some("2024-01-01"))],
    );
    let rows = analyze(&m, &opts(Mode::Parc)).unwrap().timeline.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].date.unwrap().to_string(), "2024-01-01");
    assert_eq!(rows[0].scores, vec![0.0, -1.0]);
    assert_eq!(rows[1].scores, vec![-1.0, -1.0]);
}

#[test]
fn bayes_timeline_posteriors_sum_to_one() {
    let r = analyze(&worked(), &opts(Mode::Bayes)).unwrap();
    for row in r.timeline.unwrap() {
        let s: f64 = row.posteriors.unwrap().iter().sum();
        assert!((s - 1.0).abs() <= prec::PROB_SUM);
    }
}

// ----- parsing --------------------------------------------------------------------------------

#[test]
fn ratings_and_weights_parse() {
    assert_eq!("cc".parse::<Rating>(), Ok(Rating::CC));
    assert_eq!(" N/A ".parse::<Rating>(), Ok(Rating::NA));
    assert_eq!("medium".parse::<Weight>(), Ok(Weight::Medium));
    assert_eq!("L".parse::<Weight>(), Ok(Weight::Low));
    for r in Rating::ALL {
        assert_eq!(r.as_str().parse::<Rating>(), Ok(r));
        assert_eq!(r.reversed().reversed(), r);
    }
}

#[test]
fn err_rating_and_weight_names() {
    let e = "III".parse::<Rating>().unwrap_err();
    assert_eq!(e.to_string(), "unknown rating `III`, expected one of CC, C, N, I, II, NA");
    assert!("Huge".parse::<Weight>().is_err());
}

#[test]
fn dates_parse_and_order() {
    let d: IsoDate = "2024-02-29".parse().unwrap();
    assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
    assert_eq!(d.to_string(), "2024-02-29");
    assert!("2023-12-31".parse::<IsoDate>().unwrap() < d);
    assert!("2000-02-29".parse::<IsoDate>().is_ok());
}

#[test]
fn err_dates() {
    for bad in ["2024-2-01", "24-02-01", "2024/02/01", "2024-02-1x", ""] {
        assert!(matches!(bad.parse::<IsoDate>(), Err(DateError::Shape(_))), "{bad}");
    }
    for bad in ["2023-02-29", "1900-02-29", "2024-13-01", "2024-04-31", "2024-00-10"] {
        assert!(matches!(bad.parse::<IsoDate>(), Err(DateError::NoSuchDay(_))), "{bad}");
    }
}

// ----- errors -------------------------------------------------------------------------------

fn build(hyps: &[&str], rows: &[(&str, &str)]) -> Result<AchMatrix, MatrixError> {
    AchMatrix::new(
        hyps.iter().map(|h| h.to_string()).collect(),
        rows.iter().map(|&(id, r)| item(id, "HH", r, None)).collect(),
        vec![],
    )
}

#[test]
fn err_matrix() {
    assert_eq!(build(&[], &[("E1", "")]), Err(MatrixError::NoHypotheses));
    assert_eq!(build(&["A"], &[]), Err(MatrixError::NoEvidence));
    assert_eq!(
        build(&["A", " "], &[("E1", "C C")]),
        Err(MatrixError::EmptyHypothesisId { hypothesis: 1 })
    );
    assert_eq!(
        build(&["A", "B", "A"], &[("E1", "C C C")]),
        Err(MatrixError::DuplicateHypothesis { first: 0, second: 2, id: "A".into() })
    );
    assert_eq!(
        build(&["A"], &[("E1", "C"), ("", "C")]),
        Err(MatrixError::EmptyItemId { kind: ItemKind::Evidence, item: 1 })
    );
    assert_eq!(
        build(&["A"], &[("E1", "C"), ("E2", "C"), ("E1", "C")]),
        Err(MatrixError::DuplicateItem {
            kind: ItemKind::Evidence,
            first: 0,
            second: 2,
            id: "E1".into()
        })
    );
}

#[test]
fn err_rating_for_unknown_hypothesis() {
    let e = build(&["A", "B"], &[("E1", "C C"), ("E2", "C C I")]).unwrap_err();
    assert_eq!(
        e,
        MatrixError::RatingCount {
            kind: ItemKind::Evidence,
            item: 1,
            id: "E2".into(),
            found: 3,
            expected: 2
        }
    );
    assert_eq!(e.to_string(), "evidence item `E2` has 3 ratings but there are 2 hypotheses");
}

#[test]
fn err_indicator_rating_count() {
    let e = AchMatrix::new(
        vec!["A".into()],
        vec![item("E1", "HH", "C", None)],
        vec![item("I1", "HH", "C I", None)],
    );
    assert!(matches!(e, Err(MatrixError::RatingCount { kind: ItemKind::Indicator, item: 0, .. })));
}

#[test]
fn err_every_posterior_zero_names_the_item() {
    let m = mat(
        &["A", "B"],
        &[("E1", "HH", "C C", None), ("E2", "HH", "II I", None), ("E3", "HH", "C II", None)],
    );
    let mut o = opts(Mode::Bayes);
    o.bayes.likelihoods = LikelihoodTable::new([1.0, 0.8, 0.5, 0.0, 0.0, 0.5]).unwrap();
    let e = analyze(&m, &o).unwrap_err();
    assert_eq!(e, AchError::ImpossibleEvidence { evidence: 1, id: "E2".into() });
    assert!(e.to_string().contains("`E2`"));
}

#[test]
fn err_every_posterior_zero_across_items() {
    // E1 rules out A, E2 rules out B: the second item is the culprit.
    let m = mat(&["A", "B"], &[("E1", "HH", "II C", None), ("E2", "HH", "C II", None)]);
    let mut o = opts(Mode::Bayes);
    o.bayes.likelihoods = LikelihoodTable::new([1.0, 0.8, 0.5, 0.2, 0.0, 0.5]).unwrap();
    assert_eq!(
        analyze(&m, &o).unwrap_err(),
        AchError::ImpossibleEvidence { evidence: 1, id: "E2".into() }
    );
}

#[test]
fn err_priors() {
    let m = mat(&["A", "B"], &[("E1", "HH", "C I", None)]);
    let mut o = opts(Mode::Bayes);
    let run = |o: &AchOptions| analyze(&m, o).unwrap_err();
    o.bayes.priors = Priors::Given(vec![1.0]);
    assert_eq!(run(&o), AchError::PriorCount { found: 1, expected: 2 });
    o.bayes.priors = Priors::Given(vec![f64::NAN, 1.0]);
    assert!(matches!(run(&o), AchError::PriorRange { hypothesis: 0, .. }));
    o.bayes.priors = Priors::Given(vec![0.3, 0.3]);
    assert!(matches!(run(&o), AchError::PriorSum { .. }));
    // Priors are only read in bayes mode.
    o.mode = Mode::Parc;
    assert!(analyze(&m, &o).is_ok());
}

#[test]
fn err_likelihood_table() {
    let e = LikelihoodTable::new([0.9, 0.7, f64::NAN, 0.3, 0.1, 0.5]).unwrap_err();
    assert!(matches!(e, LikelihoodError::OutOfRange { rating: Rating::N, .. }));
    assert!(LikelihoodTable::new([0.9, 0.7, 0.5, -0.3, 0.1, 0.5]).is_err());
}

#[test]
fn err_nothing_known_as_of() {
    let mut o = opts(Mode::Parc);
    o.as_of = Some("2023-12-31".parse().unwrap());
    let m = mat(&["A"], &[("E1", "HH", "C", Some("2024-01-01"))]);
    assert_eq!(
        analyze(&m, &o).unwrap_err(),
        AchError::NothingKnownAsOf { as_of: "2023-12-31".parse().unwrap() }
    );
}

#[test]
fn surd_comparison_is_exact() {
    use std::cmp::Ordering::*;
    // x − y√2 for (x, y): (3, 2) → 3 − 2.828 > 0; (1, 1) < 0; (99, 70) > 0; (-99, -70) < 0.
    assert_eq!(surd_cmp(3, 2), Greater);
    assert_eq!(surd_cmp(1, 1), Less);
    assert_eq!(surd_cmp(99, 70), Greater);
    assert_eq!(surd_cmp(-99, -70), Less);
    assert_eq!(surd_cmp(0, 0), Equal);
    assert_eq!(surd_cmp(0, -1), Greater);
    assert_eq!(surd_cmp(-1, 0), Less);
}

// ----- properties ---------------------------------------------------------------------------

fn arb_rating() -> impl Strategy<Value = Rating> {
    prop::sample::select(Rating::ALL.to_vec())
}

fn arb_weight() -> impl Strategy<Value = Weight> {
    prop::sample::select(Weight::ALL.to_vec())
}

fn arb_mode() -> impl Strategy<Value = Mode> {
    prop::sample::select(vec![Mode::Parc, Mode::ParcWeighted, Mode::Shortfall, Mode::Bayes])
}

/// A random matrix with 1..5 hypotheses and 1..8 evidence items, plus up to 2 indicators.
fn arb_matrix() -> impl Strategy<Value = AchMatrix> {
    (1usize..5, 1usize..8, 0usize..3).prop_flat_map(|(m, n, k)| {
        let row = move || (arb_weight(), arb_weight(), prop::collection::vec(arb_rating(), m));
        (prop::collection::vec(row(), n), prop::collection::vec(row(), k)).prop_map(
            move |(ev, ind)| {
                let items = |rows: Vec<(Weight, Weight, Vec<Rating>)>, p: &str| {
                    rows.into_iter()
                        .enumerate()
                        .map(|(i, (c, r, ratings))| Item {
                            id: format!("{p}{i}"),
                            credibility: c,
                            relevance: r,
                            date: None,
                            ratings,
                        })
                        .collect()
                };
                AchMatrix::new(
                    (0..m).map(|h| format!("H{h}")).collect(),
                    items(ev, "E"),
                    items(ind, "I"),
                )
                .unwrap()
            },
        )
    })
}

fn permuted(m: &AchMatrix, hyp: &[usize], ev: &[usize]) -> AchMatrix {
    let perm =
        |it: &Item| Item { ratings: hyp.iter().map(|&h| it.ratings[h]).collect(), ..it.clone() };
    AchMatrix::new(
        hyp.iter().map(|&h| m.hypotheses[h].clone()).collect(),
        ev.iter().map(|&e| perm(&m.evidence[e])).collect(),
        m.indicators.iter().map(perm).collect(),
    )
    .unwrap()
}

/// Whether two rankings agree once ties (scores within [`prec::LOG_SCORE_TIE`] in log space, or
/// exactly equal) are allowed to come in any order.
fn same_order_up_to_ties(r: &AchResult, ranking: &[usize]) -> bool {
    let score = |h: usize| match r.mode {
        Mode::Bayes => r.scores[h].ln(),
        Mode::Shortfall => -(r.scores[h] * 1e6) + r.consistency.as_ref().unwrap()[h],
        _ => r.scores[h],
    };
    ranking.windows(2).all(|w| score(w[0]) >= score(w[1]) - prec::LOG_SCORE_TIE)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_parc_ignores_consistent_ratings(m in arb_matrix(), flip in prop::collection::vec(any::<bool>(), 8)) {
        // Replace CC/C/N/NA by any other of those four: PARC scores do not move.
        let swap = |r: Rating, f: bool| match (r, f) {
            (Rating::CC, true) => Rating::N,
            (Rating::C, true) => Rating::NA,
            (Rating::N, true) => Rating::CC,
            (Rating::NA, true) => Rating::C,
            (r, _) => r,
        };
        let ev: Vec<Item> = m.evidence.iter().enumerate().map(|(e, it)| Item {
            ratings: it.ratings.iter().map(|&r| swap(r, flip[e])).collect(), ..it.clone()
        }).collect();
        let m2 = AchMatrix::new(m.hypotheses.clone(), ev, vec![]).unwrap();
        for mode in [Mode::Parc, Mode::ParcWeighted] {
            let a = analyze(&m, &opts(mode)).unwrap();
            let b = analyze(&m2, &opts(mode)).unwrap();
            prop_assert_eq!(a.scores, b.scores);
            prop_assert_eq!(a.ranking, b.ranking);
        }
    }

    #[test]
    fn prop_permutations_permute_results(
        m in arb_matrix(), mode in arb_mode(), seed in any::<u64>()
    ) {
        use rand::{SeedableRng, seq::SliceRandom};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut hyp: Vec<usize> = (0..m.hypotheses.len()).collect();
        let mut ev: Vec<usize> = (0..m.evidence.len()).collect();
        hyp.shuffle(&mut rng);
        ev.shuffle(&mut rng);
        let a = analyze(&m, &opts(mode)).unwrap();
        let b = analyze(&permuted(&m, &hyp, &ev), &opts(mode)).unwrap();
        // Hypothesis h of the permuted matrix is hypothesis hyp[h] of the original.
        for (h, &orig) in hyp.iter().enumerate() {
            prop_assert!((b.scores[h] - a.scores[orig]).abs() <= prec::REORDER);
        }
        let mut lead_a: Vec<usize> = a.leaders.clone();
        let mut lead_b: Vec<usize> = b.leaders.iter().map(|&h| hyp[h]).collect();
        lead_a.sort_unstable();
        lead_b.sort_unstable();
        prop_assert_eq!(lead_a, lead_b);
        let mapped: Vec<usize> = b.ranking.iter().map(|&h| hyp[h]).collect();
        prop_assert!(same_order_up_to_ties(&a, &mapped));
        // Linchpins are the same items.
        let mut la: Vec<usize> = a.linchpins.unwrap();
        let mut lb: Vec<usize> = b.linchpins.unwrap().iter().map(|&e| ev[e]).collect();
        la.sort_unstable();
        lb.sort_unstable();
        prop_assert_eq!(la, lb);
    }

    #[test]
    fn prop_posteriors_sum_to_one(m in arb_matrix()) {
        let r = analyze(&m, &opts(Mode::Bayes)).unwrap();
        let p = r.posteriors.unwrap();
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() <= prec::PROB_SUM);
        prop_assert!(p.iter().all(|x| x.is_finite() && (0.0..=1.0).contains(x)));
        for ind in &r.indicators {
            prop_assert!(ind.expected_shift.unwrap().is_finite());
        }
    }

    #[test]
    fn prop_removing_non_diagnostic_item_changes_no_ranking(m in arb_matrix(), mode in arb_mode()) {
        let r = analyze(&m, &opts(mode)).unwrap();
        for row in r.sensitivity.as_ref().unwrap() {
            let d = r.diagnosticity.iter().find(|d| d.evidence == row.evidence).unwrap();
            if !d.diagnostic {
                match &row.removed {
                    Outcome::Ranked { ranking, changes_leader, .. } => {
                        prop_assert!(!changes_leader);
                        prop_assert_eq!(ranking, &r.ranking);
                    }
                    Outcome::Impossible => prop_assert!(false, "removal made evidence impossible"),
                }
            }
        }
    }

    #[test]
    fn prop_no_nan_anywhere(m in arb_matrix(), mode in arb_mode()) {
        let r = analyze(&m, &opts(mode)).unwrap();
        prop_assert!(r.scores.iter().all(|x| x.is_finite()));
        prop_assert!(r.diagnosticity.iter().all(|d| d.std_dev.is_finite() && d.max_log_lr.is_none_or(f64::is_finite)));
        prop_assert!(r.indicators.iter().all(|i| i.leader_shift.is_none_or(f64::is_finite)));
    }
}
