//! Tests of the scoring rules: hand-computed cases from the definitions in Brier (1950) and
//! Murphy (1973), each worked in its comment, and the decomposition's identity on random sets.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

fn d(p: &[f64]) -> Distribution {
    Distribution::new(p.to_vec()).expect("a distribution")
}

fn crisp(k: usize, n: usize) -> Distribution {
    Distribution::certain(k, n).expect("a category")
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= prec::REORDER, "{a} vs {b}");
}

/// Brier (1950), equation (1), for one occasion: `Σ_i (f_i − E_i)²` over the `r` classes.
/// Rain forecast at 0.7 and it rained: (0.7 − 1)² + (0.3 − 0)² = 0.09 + 0.09 = 0.18. Brier's
/// paper notes the score runs from 0 (perfect) to 2 (all weight on a class that did not occur).
#[test]
fn brier_1950_two_classes() {
    close(brier(&d(&[0.7, 0.3]), &crisp(0, 2)).unwrap(), 0.18);
    close(brier(&d(&[1.0, 0.0]), &crisp(0, 2)).unwrap(), 0.0);
    close(brier(&d(&[1.0, 0.0]), &crisp(1, 2)).unwrap(), 2.0);
    // The binary score is half of Brier's on two classes: (0.7 − 1)² = 0.09.
    close(brier_binary(0.7, 1.0).unwrap(), 0.09);
}

/// Brier (1950), equation (1), three classes: forecast (0.2, 0.5, 0.3), the third happened:
/// 0.2² + 0.5² + 0.7² = 0.04 + 0.25 + 0.49 = 0.78. A uniform forecast over r classes scores
/// (r − 1)/r² + (1 − 1/r)² = 1 − 1/r whatever happens: 2/3 for three.
#[test]
fn brier_1950_three_classes_and_the_uniform_forecast() {
    close(brier(&d(&[0.2, 0.5, 0.3]), &crisp(2, 3)).unwrap(), 0.78);
    let third = 1.0 / 3.0;
    for k in 0..3 {
        close(brier(&d(&[third, third, third]), &crisp(k, 3)).unwrap(), 2.0 / 3.0);
    }
}

/// A soft resolution is scored by the expectation of the score under it. Forecast (0.8, 0.2),
/// resolution (0.95, 0.05): by the closed form (0.15² + 0.15²) + 1 − (0.95² + 0.05²)
/// = 0.045 + 0.095 = 0.14; by the expectation 0.95·(0.2² + 0.2²) + 0.05·(0.8² + 0.8²)
/// = 0.076 + 0.064 = 0.14.
#[test]
fn a_soft_resolution_scores_the_expectation() {
    let f = d(&[0.8, 0.2]);
    let q = d(&[0.95, 0.05]);
    close(brier(&f, &q).unwrap(), 0.14);
    let expected =
        0.95 * brier(&f, &crisp(0, 2)).unwrap() + 0.05 * brier(&f, &crisp(1, 2)).unwrap();
    close(brier(&f, &q).unwrap(), expected);
    // Log: 0.95 ln 0.8 + 0.05 ln 0.2; baseline: 0.95 log2 1.6 + 0.05 log2 0.4.
    close(log_score(&f, &q).unwrap().unwrap(), 0.95 * 0.8_f64.ln() + 0.05 * 0.2_f64.ln());
    close(baseline(&f, &q).unwrap().unwrap(), 0.95 * 1.6_f64.log2() + 0.05 * 0.4_f64.log2());
    // Binary: (0.8 − 0.95)² + 0.95·0.05 = 0.0225 + 0.0475 = 0.07, half of Brier's 0.14.
    close(brier_binary(0.8, 0.95).unwrap(), 0.07);
}

/// The log score of a crisp outcome is ln of the probability given to it (Good 1952); the
/// baseline score is log2(K p): 0 for the uniform forecast, log2 K for a certain right one,
/// −1 bit for p = 1/(2K).
#[test]
fn log_and_baseline_scores() {
    close(log_score(&d(&[0.2, 0.5, 0.3]), &crisp(1, 3)).unwrap().unwrap(), 0.5_f64.ln());
    let third = 1.0 / 3.0;
    close(baseline(&d(&[third, third, third]), &crisp(2, 3)).unwrap().unwrap(), 0.0);
    close(baseline(&d(&[0.0, 1.0, 0.0]), &crisp(1, 3)).unwrap().unwrap(), 3.0_f64.log2());
    close(baseline(&d(&[0.25, 0.75]), &crisp(0, 2)).unwrap().unwrap(), -1.0);
    assert_eq!(log_score(&d(&[0.0, 1.0]), &crisp(0, 2)).unwrap(), None, "ln 0 is −∞");
    assert_eq!(baseline(&d(&[0.0, 1.0]), &d(&[0.1, 0.9])).unwrap(), None);
    // A category with no weight in the outcome costs nothing, even at probability 0.
    close(log_score(&d(&[0.0, 1.0]), &crisp(1, 2)).unwrap().unwrap(), 0.0);
}

/// Murphy (1973), the partition `BS = REL − RES + UNC` with forecasts stratified by value,
/// worked by hand: five forecasts of 0.2 with one occurrence (ō₁ = 0.2), five of 0.8 with three
/// (ō₂ = 0.6). ō = 0.4, so UNC = 0.4·0.6 = 0.24; REL = [5·0² + 5·0.2²]/10 = 0.02;
/// RES = [5·0.2² + 5·0.2²]/10 = 0.04; BS = 0.24 + 0.02 − 0.04 = 0.22. Directly: the 0.2 bin
/// scores 1·0.64 + 4·0.04 = 0.80, the 0.8 bin 3·0.04 + 2·0.64 = 1.40, and 2.2/10 = 0.22.
#[test]
fn murphy_1973_hand_worked() {
    let mut items = Vec::new();
    for (f, hits) in [(0.2, 1), (0.8, 3)] {
        for i in 0..5 {
            items.push(Binary::new(f, if i < hits { 1.0 } else { 0.0 }, 1.0).unwrap());
        }
    }
    let m = decompose(&items, Binning::Distinct).unwrap().unwrap();
    close(m.brier, 0.22);
    close(m.uncertainty, 0.24);
    close(m.reliability, 0.02);
    close(m.resolution, 0.04);
    assert_eq!((m.within_bin_variance, m.within_bin_covariance, m.bins), (0.0, 0.0, 2));
    assert!(enough_for_decomposition(&m), "five per bin");
    let t = calibration(&items, Binning::Equal(10)).unwrap().unwrap();
    let points: Vec<(f64, f64, usize)> =
        t.bins.iter().map(|b| (b.mean_forecast, b.observed, b.count)).collect();
    assert_eq!(points.len(), 2);
    close(points[0].1, 0.2);
    close(points[1].1, 0.6);
    assert_eq!((points[0].2, points[1].2), (5, 5));
    close(t.base_rate, 0.4);
}

/// Stephenson, Coelho & Jolliffe (2008): forecasts 0.1 and 0.3 in one bin [0, 0.5), outcomes
/// 0 and 1. f̄ = 0.2, ō_bin = 0.5 = ō. REL = (0.2 − 0.5)² = 0.09; RES = 0; UNC = 0.25;
/// WBV = (0.1² + 0.1²)/2 = 0.01; WBC = 2·[(−0.1)(−0.5) + (0.1)(0.5)]/2 = 0.1.
/// BS = (0.01 + 0.49)/2 = 0.25 = 0.09 − 0 + 0.25 + 0.01 − 0.1.
#[test]
fn within_bin_terms_complete_the_decomposition() {
    let items = [Binary::new(0.1, 0.0, 1.0).unwrap(), Binary::new(0.3, 1.0, 1.0).unwrap()];
    let m = decompose(&items, Binning::Equal(2)).unwrap().unwrap();
    close(m.brier, 0.25);
    close(m.reliability, 0.09);
    close(m.resolution, 0.0);
    close(m.uncertainty, 0.25);
    close(m.within_bin_variance, 0.01);
    close(m.within_bin_covariance, 0.1);
    close(m.total(), m.brier);
    assert!(!enough_for_decomposition(&m), "two items in one bin are too few");
}

/// The identity holds to rounding on random weighted sets with crisp and soft outcomes, binned
/// by distinct value (Murphy's three terms alone) and by ten equal bins (with the within-bin
/// terms), and the expected Brier score equals the sum of the items' `brier_binary`.
#[test]
fn the_decomposition_sums_to_the_score() {
    let mut rng = ChaCha8Rng::seed_from_u64(1973);
    for round in 0..200 {
        let n = rng.random_range(1..60);
        let items: Vec<Binary> = (0..n)
            .map(|_| {
                // Forecasts on a coarse grid so that distinct values repeat.
                let f = f64::from(rng.random_range(0..=20_u32)) / 20.0;
                let o = match rng.random_range(0..3) {
                    0 => 0.0,
                    1 => 1.0,
                    _ => rng.random::<f64>(),
                };
                let w = if round % 2 == 0 { 1.0 } else { rng.random::<f64>() };
                Binary::new(f, o, w).unwrap()
            })
            .collect();
        let direct: f64 = items
            .iter()
            .map(|b| b.weight() * brier_binary(b.forecast(), b.outcome()).unwrap())
            .sum::<f64>()
            / items.iter().map(Binary::weight).sum::<f64>();
        for binning in [Binning::Distinct, Binning::Equal(10)] {
            let m = decompose(&items, binning).unwrap().unwrap();
            close(m.brier, direct);
            close(m.total(), m.brier);
            if binning == Binning::Distinct {
                close(m.reliability - m.resolution + m.uncertainty, m.brier);
            }
        }
    }
}

#[test]
fn err_bad_distributions() {
    assert_eq!(Distribution::new(vec![]), Err(ScoreError::Empty));
    assert!(matches!(Distribution::new(vec![0.5, 0.6]), Err(ScoreError::Sum { .. })));
    assert!(matches!(
        Distribution::new(vec![f64::NAN, 1.0]),
        Err(ScoreError::Probability { index: 0, .. })
    ));
    assert!(matches!(
        Distribution::new(vec![1.5, -0.5]),
        Err(ScoreError::Probability { index: 0, .. })
    ));
    assert_eq!(Distribution::certain(3, 3), Err(ScoreError::Category { index: 3, categories: 3 }));
    assert!(matches!(
        brier(&d(&[0.5, 0.5]), &crisp(0, 3)),
        Err(ScoreError::Lengths { forecast: 2, outcome: 3 })
    ));
    assert!(matches!(Binary::new(0.5, 1.0, -1.0), Err(ScoreError::Weight { .. })));
    assert!(matches!(Binary::new(0.5, 2.0, 1.0), Err(ScoreError::Probability { index: 1, .. })));
    assert_eq!(decompose(&[], Binning::Distinct), Ok(None));
    let zero = [Binary::new(0.5, 1.0, 0.0).unwrap()];
    assert_eq!(calibration(&zero, Binning::Equal(10)), Ok(None));
}
