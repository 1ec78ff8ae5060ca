//! MICMAC tests. Expected numbers were worked out by hand (the working is beside each case)
//! unless a case says otherwise.
// Index loops read more like the formulas' subscripts than iterator chains.
#![allow(clippy::needless_range_loop)]

use proptest::prelude::*;

use super::*;
use crate::prec;

const L0: Cell = Cell::Level(0);
const L1: Cell = Cell::Level(1);
const L2: Cell = Cell::Level(2);
const L3: Cell = Cell::Level(3);
const P: Cell = Cell::Potential;

fn options(powers: Powers) -> MicmacOptions {
    MicmacOptions {
        potential: Potential::Weight(3),
        powers,
        indirect: Indirect::Powers,
        regulating_band: 0.0,
    }
}

const UNTIL: Powers = Powers::UntilStable { max: 30 };

/// The doctest's matrix: 0→1 strong, 0→2 moderate, 1→0 weak, 1→2 potential, 2→1 weak.
fn three() -> DriverMatrix {
    DriverMatrix::from_rows(vec![vec![L0, L3, L2], vec![L1, L0, P], vec![L0, L1, L0]]).unwrap()
}

fn check(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= prec::REORDER, "{actual:?} vs {expected:?}");
    }
}

#[test]
fn direct_sums_with_p_weighted_3() {
    // Rows 0+3+2, 1+0+3, 0+1+0; columns 0+1+0, 3+0+1, 2+3+0.
    let r = analyse(&three(), &options(UNTIL)).unwrap();
    check(&r.direct.influence, &[5.0, 4.0, 1.0]);
    check(&r.direct.dependence, &[1.0, 4.0, 5.0]);
    check(&r.direct.influence_share, &[0.5, 0.4, 0.1]);
    assert_eq!(r.direct.influence_rank, vec![1, 2, 3]);
    assert_eq!(r.direct.dependence_rank, vec![3, 2, 1]);
}

#[test]
fn direct_sums_with_p_excluded() {
    let mut o = options(UNTIL);
    o.potential = Potential::Exclude;
    let r = analyse(&three(), &o).unwrap();
    check(&r.direct.influence, &[5.0, 1.0, 1.0]);
    check(&r.direct.dependence, &[1.0, 4.0, 2.0]);
}

#[test]
fn p_weight_1() {
    let mut o = options(UNTIL);
    o.potential = Potential::Weight(1);
    check(&analyse(&three(), &o).unwrap().direct.influence, &[5.0, 2.0, 1.0]);
}

#[test]
fn indirect_is_stable_at_power_2() {
    // M·1 = (5,4,1), M²·1 = M·(5,4,1) = (3·4 + 2·1, 5 + 3·1, 4) = (14,8,4): same ranks.
    // 1ᵀM = (1,4,5), 1ᵀM² = (4, 3 + 5, 2 + 12) = (4,8,14): same ranks.
    let r = analyse(&three(), &options(UNTIL)).unwrap();
    assert_eq!(r.stable_power, Some(2));
    assert_eq!(r.power, 2);
    assert_eq!(r.stop, Stop::Stable);
    assert_eq!(r.steps, vec![Step { power: 2, influence_unchanged: 3, dependence_unchanged: 3 }]);
    check(&r.indirect.influence_share, &[14.0 / 26.0, 8.0 / 26.0, 4.0 / 26.0]);
    check(&r.indirect.dependence_share, &[4.0 / 26.0, 8.0 / 26.0, 14.0 / 26.0]);
    // Scaled to the direct total, 10.
    check(&r.indirect.influence, &[140.0 / 26.0, 80.0 / 26.0, 40.0 / 26.0]);
    assert_eq!(r.influence_move, vec![0, 0, 0]);
}

#[test]
fn fixed_power_goes_on_past_stability() {
    // M³·1 = M·(14,8,4) = (3·8 + 2·4, 14 + 3·4, 8) = (32, 26, 8).
    let r = analyse(&three(), &options(Powers::Fixed(3))).unwrap();
    assert_eq!((r.power, r.stable_power, r.stop), (3, Some(2), Stop::Fixed));
    check(&r.indirect.influence_share, &[32.0 / 66.0, 26.0 / 66.0, 8.0 / 66.0]);
    assert_eq!(r.steps.len(), 2);
}

#[test]
fn power_1_is_the_direct_map() {
    let r = analyse(&three(), &options(Powers::Fixed(1))).unwrap();
    assert_eq!((r.power, r.stable_power, r.steps.len()), (1, None, 0));
    assert_eq!(r.indirect, r.direct);
}

#[test]
fn classes_with_axes_through_the_means() {
    // Relative to the mean 1/3: influence 1.5, 1.2, 0.3; dependence 0.3, 1.2, 1.5.
    let r = analyse(&three(), &options(UNTIL)).unwrap();
    assert_eq!(r.direct.class, vec![Class::Influential, Class::Relay, Class::Dependent]);
}

#[test]
fn regulating_near_the_centre() {
    // Driver 1 is at 1.2 times both means: within a band of 0.25, not of 0.1.
    let mut o = options(UNTIL);
    o.regulating_band = 0.25;
    assert_eq!(analyse(&three(), &o).unwrap().direct.class[1], Class::Regulating);
    o.regulating_band = 0.1;
    assert_eq!(analyse(&three(), &o).unwrap().direct.class[1], Class::Relay);
}

#[test]
fn autonomous_driver() {
    // Driver 2 only gets weak influence from 0: influence 0, dependence 1 against a mean of 5/3.
    let m = DriverMatrix::from_rows(vec![vec![L0, L3, L1], vec![L1, L0, L0], vec![L0, L0, L0]])
        .unwrap();
    assert_eq!(analyse(&m, &options(UNTIL)).unwrap().direct.class[2], Class::Autonomous);
}

#[test]
fn a_two_cycle_never_stabilises_and_has_a_perron_limit() {
    // M = [[0,1],[2,0]]: influences alternate (1,2), (2,2), (2,4), ... so the ranking flips
    // each power. λ = √2; right vector ∝ (1, √2), left ∝ (√2, 1).
    let m = DriverMatrix::from_rows(vec![vec![L0, L1], vec![L2, L0]]).unwrap();
    let r = analyse(&m, &options(Powers::UntilStable { max: 6 })).unwrap();
    assert_eq!((r.power, r.stable_power, r.stop), (6, None, Stop::MaxPower));
    assert_eq!(r.steps[0], Step { power: 2, influence_unchanged: 0, dependence_unchanged: 2 });
    let p = r.perron.unwrap();
    let s = std::f64::consts::SQRT_2;
    assert!((p.eigenvalue - s).abs() <= prec::PERRON_EXACT);
    let (a, b) = (1.0 / (1.0 + s), s / (1.0 + s));
    assert!((p.influence_share[0] - a).abs() <= prec::PERRON_EXACT);
    assert!((p.dependence_share[0] - b).abs() <= prec::PERRON_EXACT);
}

#[test]
fn a_chain_is_nilpotent() {
    // 0 → 1 (3) → 2 (2): M²·1 = (6,0,0), 1ᵀM² = (0,0,6), M³ = 0.
    let m = DriverMatrix::from_rows(vec![vec![L0, L3, L0], vec![L0, L0, L2], vec![L0, L0, L0]])
        .unwrap();
    let r = analyse(&m, &options(UNTIL)).unwrap();
    assert_eq!((r.power, r.stable_power, r.stop), (2, None, Stop::Nilpotent));
    check(&r.indirect.influence_share, &[1.0, 0.0, 0.0]);
    check(&r.indirect.dependence_share, &[0.0, 0.0, 1.0]);
    // Direct dependence ranks (3,1,2) become (2,3,1): driver 2 climbs one place.
    assert_eq!(r.dependence_move, vec![1, -2, 1]);
    assert_eq!(r.perron, None);
}

#[test]
fn classify_by_perron_limit() {
    // A 3-cycle with weights 1, 2, 3 plus a chord: the limit exists, and indirect uses it.
    let m = DriverMatrix::from_rows(vec![vec![L0, L1, L1], vec![L0, L0, L2], vec![L3, L0, L0]])
        .unwrap();
    let mut o = options(Powers::Fixed(200));
    let powers = analyse(&m, &o).unwrap();
    o.indirect = Indirect::Perron;
    let perron = analyse(&m, &o).unwrap();
    let limit = perron.perron.clone().unwrap();
    check(&perron.indirect.influence_share, &limit.influence_share);
    assert!(limit.gap <= prec::LIMIT);
    for (a, b) in powers.indirect.influence_share.iter().zip(&limit.influence_share) {
        assert!((a - b).abs() <= prec::LIMIT);
    }
}

#[test]
fn a_long_chain_skips_the_perron_iteration() {
    // 0 → 1 → … → 199: acyclic, so no limit; found by the cycle check, not 20,000 iterations.
    let n = 200;
    let rows = (0..n).map(|i| (0..n).map(|j| if j == i + 1 { L1 } else { L0 }).collect()).collect();
    let r = analyse(&DriverMatrix::from_rows(rows).unwrap(), &options(Powers::Fixed(3))).unwrap();
    assert_eq!(r.perron, None);
}

#[test]
fn err_empty() {
    assert_eq!(DriverMatrix::from_rows(vec![]), Err(DriverMatrixError::Empty));
}

#[test]
fn err_not_square() {
    assert_eq!(
        DriverMatrix::from_rows(vec![vec![L0, L1], vec![L0, L0, L0]]),
        Err(DriverMatrixError::NotSquare { row: 1, len: 3, expected: 2 })
    );
}

#[test]
fn err_out_of_scale() {
    assert_eq!(
        DriverMatrix::from_rows(vec![vec![L0, Cell::Level(4)], vec![L0, L0]]),
        Err(DriverMatrixError::OutOfScale { row: 0, column: 1, value: 4 })
    );
}

#[test]
fn err_diagonal() {
    assert_eq!(
        DriverMatrix::from_rows(vec![vec![L0, L1], vec![L0, L1]]),
        Err(DriverMatrixError::Diagonal { index: 1 })
    );
    assert_eq!(
        DriverMatrix::from_rows(vec![vec![P, L1], vec![L0, L0]]),
        Err(DriverMatrixError::Diagonal { index: 0 })
    );
}

#[test]
fn err_potential_weight() {
    for weight in [0, 4] {
        let mut o = options(UNTIL);
        o.potential = Potential::Weight(weight);
        assert_eq!(analyse(&three(), &o), Err(MicmacError::PotentialWeight { weight }));
    }
}

#[test]
fn err_zero_power() {
    for powers in [Powers::Fixed(0), Powers::UntilStable { max: 0 }] {
        assert_eq!(analyse(&three(), &options(powers)), Err(MicmacError::ZeroPower));
    }
}

#[test]
fn err_regulating_band() {
    for band in [1.0, -0.1, f64::NAN] {
        let mut o = options(UNTIL);
        o.regulating_band = band;
        assert!(matches!(analyse(&three(), &o), Err(MicmacError::RegulatingBand { .. })));
    }
}

#[test]
fn err_no_influence_when_only_potential_and_excluded() {
    let m = DriverMatrix::from_rows(vec![vec![L0, P], vec![L0, L0]]).unwrap();
    let mut o = options(UNTIL);
    o.potential = Potential::Exclude;
    assert_eq!(analyse(&m, &o), Err(MicmacError::NoInfluence));
}

#[test]
fn err_no_perron_limit() {
    let m = DriverMatrix::from_rows(vec![vec![L0, L3], vec![L0, L0]]).unwrap();
    let mut o = options(UNTIL);
    o.indirect = Indirect::Perron;
    assert_eq!(analyse(&m, &o), Err(MicmacError::NoPerronLimit));
}

/// A matrix whose off-diagonal cells are all 1..=3: positive off the diagonal, hence primitive
/// for n ≥ 3 (and for n = 2 a 2-cycle, which the M + I iteration still handles).
fn arb_positive() -> impl Strategy<Value = Vec<Vec<Cell>>> {
    (3usize..7).prop_flat_map(|n| {
        proptest::collection::vec(proptest::collection::vec(1u8..=3, n), n).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, r)| {
                    r.into_iter()
                        .enumerate()
                        .map(|(j, v)| if i == j { L0 } else { Cell::Level(v) })
                        .collect()
                })
                .collect()
        })
    })
}

fn arb_any() -> impl Strategy<Value = (Vec<Vec<Cell>>, Vec<usize>)> {
    (2usize..8).prop_flat_map(|n| {
        let cell = prop_oneof![4 => (0u8..=3).prop_map(Cell::Level), 1 => Just(P)];
        (
            proptest::collection::vec(proptest::collection::vec(cell, n), n),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )
            .prop_map(|(mut rows, perm)| {
                for (i, r) in rows.iter_mut().enumerate() {
                    r[i] = L0;
                }
                rows[0][1] = L2;
                (rows, perm)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn limit_shares_are_the_perron_vectors(rows in arb_positive()) {
        let r = analyse(&DriverMatrix::from_rows(rows).unwrap(), &options(Powers::Fixed(120))).unwrap();
        let p = r.perron.expect("a positive matrix has a Perron limit");
        prop_assert!(p.gap <= prec::LIMIT, "gap {}", p.gap);
    }

    #[test]
    fn shares_sum_to_one_and_are_finite((rows, _) in arb_any()) {
        let r = analyse(&DriverMatrix::from_rows(rows).unwrap(), &options(UNTIL)).unwrap();
        for map in [&r.direct, &r.indirect] {
            let s: f64 = map.influence_share.iter().sum();
            let t: f64 = map.dependence_share.iter().sum();
            prop_assert!((s - 1.0).abs() <= prec::REORDER && (t - 1.0).abs() <= prec::REORDER);
            prop_assert!(map.influence.iter().chain(&map.dependence).all(|x| x.is_finite()));
        }
    }

    #[test]
    fn permuting_drivers_permutes_results((rows, perm) in arb_any()) {
        // Driver i of the permuted matrix is driver perm[i] of the original. Ranks can differ
        // where values tie (ties go by index), so values, shares and classes are compared.
        let n = rows.len();
        let permuted = (0..n).map(|i| (0..n).map(|j| rows[perm[i]][perm[j]]).collect()).collect();
        let o = options(Powers::Fixed(6));
        let a = analyse(&DriverMatrix::from_rows(rows).unwrap(), &o).unwrap();
        let b = analyse(&DriverMatrix::from_rows(permuted).unwrap(), &o).unwrap();
        prop_assert_eq!(a.power, b.power);
        for i in 0..n {
            for (ma, mb) in [(&a.direct, &b.direct), (&a.indirect, &b.indirect)] {
                prop_assert!((ma.influence_share[perm[i]] - mb.influence_share[i]).abs() <= prec::REORDER);
                prop_assert!((ma.dependence_share[perm[i]] - mb.dependence_share[i]).abs() <= prec::REORDER);
                prop_assert_eq!(ma.class[perm[i]], mb.class[i]);
            }
        }
    }
}
