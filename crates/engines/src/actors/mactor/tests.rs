//! MACTOR tests. Unless a case says otherwise, its expected numbers were worked out by hand
//! from the formulas in the module documentation; the working is in the comment beside it.
// Index loops read more like the formulas' subscripts than iterator chains.
#![allow(clippy::needless_range_loop)]

use proptest::prelude::*;

use super::*;
use crate::prec;

const RETRO: MactorOptions = MactorOptions { balance: BalanceFormula::Retroaction };
const PLAIN: MactorOptions = MactorOptions { balance: BalanceFormula::WithoutRetroaction };

/// The three-actor case worked by hand:
/// MID  = A→(0,3,1), B→(2,0,0), C→(0,1,0);
/// MIDI = A(2,4,1), B(2,2,1), C(1,1,0), e.g. MIDI_AB = 3 + min(MID_AC, MID_CB) = 3 + 1,
/// MIDI_AA = min(3,2) + min(1,0) = 2.
fn mid3() -> Mid {
    Mid::from_rows(vec![vec![0, 3, 1], vec![2, 0, 0], vec![0, 1, 0]]).unwrap()
}

/// 2MAO for the same actors on three objectives.
fn mao3() -> Mao {
    Mao::from_rows(vec![vec![4, -2, 0], vec![2, 3, -1], vec![-1, -3, 0]]).unwrap()
}

fn check(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= prec::REORDER, "{actual:?} vs {expected:?}");
    }
}

fn check_opt(actual: &[Option<f64>], expected: &[Option<f64>]) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        match (a, e) {
            (Some(a), Some(e)) => assert!((a - e).abs() <= prec::REORDER, "{actual:?}"),
            (None, None) => {}
            _ => panic!("{actual:?} vs {expected:?}"),
        }
    }
}

#[test]
fn midi_and_retroaction() {
    let b = balance(&mid3(), &RETRO).unwrap();
    assert_eq!(b.midi, vec![vec![2, 4, 1], vec![2, 2, 1], vec![1, 1, 0]]);
}

#[test]
fn influence_and_dependence_without_and_with_diagonal() {
    let b = balance(&mid3(), &RETRO).unwrap();
    assert_eq!(b.influence, vec![5, 3, 2]);
    assert_eq!(b.dependence, vec![3, 5, 2]);
    assert_eq!(b.influence_with_retroaction, vec![7, 5, 2]);
    assert_eq!(b.dependence_with_retroaction, vec![5, 7, 2]);
}

#[test]
fn r_and_ri_star_with_retroaction() {
    // r = (I/ΣM)·(M/(M+D')) with ΣM = 14: (5/14)(7/12), (3/14)(5/12), (2/14)(2/4)
    // = 35/168, 15/168, 12/168; Ri* = 3r/Σr = 105/62, 45/62, 36/62.
    let b = balance(&mid3(), &RETRO).unwrap();
    check(&b.r, &[35.0 / 168.0, 15.0 / 168.0, 12.0 / 168.0]);
    check(&b.ri_star, &[105.0 / 62.0, 45.0 / 62.0, 36.0 / 62.0]);
    assert_eq!(b.rank, vec![1, 2, 3]);
}

#[test]
fn r_and_ri_star_without_retroaction() {
    // r = (I/ΣI)·(I/(I+D)) with ΣI = 10: (5/10)(5/8), (3/10)(3/8), (2/10)(2/4) = 25/80, 9/80,
    // 8/80; Ri* = 3r/Σr = 75/42, 27/42, 24/42.
    let b = balance(&mid3(), &PLAIN).unwrap();
    check(&b.r, &[25.0 / 80.0, 9.0 / 80.0, 8.0 / 80.0]);
    check(&b.ri_star, &[75.0 / 42.0, 27.0 / 42.0, 24.0 / 42.0]);
}

#[test]
fn an_actor_with_no_influence_gets_zero_not_nan() {
    // C neither acts nor is acted on: M_C + D'_C = 0, documented as r_C = 0. A and B are the
    // two-actor case of the `balance` doctest (r = 0.24, 0.08), so Ri* = 3r/0.32.
    let mid = Mid::from_rows(vec![vec![0, 2, 0], vec![1, 0, 0], vec![0, 0, 0]]).unwrap();
    for options in [RETRO, PLAIN] {
        let b = balance(&mid, &options).unwrap();
        assert!(b.r.iter().chain(&b.ri_star).all(|x| x.is_finite()));
        assert_eq!(b.ri_star[2], 0.0);
    }
    check(&balance(&mid, &RETRO).unwrap().ri_star, &[2.25, 0.75, 0.0]);
}

#[test]
fn level_1_is_the_signs() {
    // Signs A(+,−,0), B(+,+,−), C(−,−,0): AB agree on 0 and differ on 1; AC differ on 0 and
    // agree on 1; BC differ on 0 and 1.
    let r = analyse(&mid3(), &mao3(), &RETRO).unwrap();
    let l = &r.levels[0];
    assert_eq!(l.level, 1);
    assert_eq!(l.caa, vec![vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 0.0], vec![1.0, 0.0, 0.0]]);
    assert_eq!(l.daa, vec![vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 2.0], vec![1.0, 2.0, 0.0]]);
    // Σc = 2, Σd = 4.
    assert_eq!(l.degree_of_convergence, Some(2.0 / 6.0));
    // A: gaps 0, 0 → 1; B: gaps 0 (of 2) and 2 (of 2) → 1 − 2/4; C likewise.
    check_opt(&l.ambivalence, &[Some(1.0), Some(0.5), Some(0.5)]);
    check(&l.implication, &[2.0, 3.0, 2.0]);
}

#[test]
fn level_2_convergence_and_divergence() {
    // AB: obj 0 (4+2)/2 = 3 for, obj 1 (2+3)/2 = 2.5 against; AC: obj 0 (4+1)/2 = 2.5
    // against, obj 1 (2+3)/2 = 2.5 for; BC: obj 0 1.5 and obj 1 3 against.
    let r = analyse(&mid3(), &mao3(), &RETRO).unwrap();
    let l = &r.levels[1];
    assert_eq!(l.caa, vec![vec![0.0, 3.0, 2.5], vec![3.0, 0.0, 0.0], vec![2.5, 0.0, 0.0]]);
    assert_eq!(l.daa, vec![vec![0.0, 2.5, 2.5], vec![2.5, 0.0, 4.5], vec![2.5, 4.5, 0.0]]);
    // Σc = 5.5, Σd = 9.5.
    assert_eq!(l.degree_of_convergence, Some(5.5 / 15.0));
}

#[test]
fn level_2_ambivalence() {
    // A: (|3−2.5| + 0)/(5.5 + 5) = 1/21; B: (0.5 + 4.5)/(5.5 + 4.5) = 1/2;
    // C: (0 + 4.5)/(5 + 4.5) = 9/19.
    let r = analyse(&mid3(), &mao3(), &RETRO).unwrap();
    check_opt(&r.levels[1].ambivalence, &[Some(20.0 / 21.0), Some(0.5), Some(10.0 / 19.0)]);
}

#[test]
fn level_2_mobilisation_and_implication() {
    // obj 0: for 4 + 2, against 1; obj 1: for 3, against 2 + 3; obj 2: against 1.
    let r = analyse(&mid3(), &mao3(), &RETRO).unwrap();
    let l = &r.levels[1];
    let m = |f, o, c| Mobilisation { favourable: f, opposed: o, total: f + o, contested: c };
    assert_eq!(l.mobilisation, vec![m(6.0, 1.0, 1.0), m(3.0, 5.0, 3.0), m(0.0, 1.0, 0.0)]);
    check(&l.implication, &[6.0, 6.0, 4.0]);
}

#[test]
fn level_3_weights_positions_by_ri_star() {
    // Ri* = 105/62, 45/62, 36/62. CAA3_AB = (4·105 + 2·45)/124 = 510/124;
    // DAA3_BC = (2·45 + 1·36)/124 + (3·45 + 3·36)/124 = 369/124.
    let r = analyse(&mid3(), &mao3(), &RETRO).unwrap();
    let l = &r.levels[2];
    check(&[l.caa[0][1], l.daa[1][2]], &[510.0 / 124.0, 369.0 / 124.0]);
    check(&l.positions[0], &[4.0 * 105.0 / 62.0, -2.0 * 105.0 / 62.0, 0.0]);
}

#[test]
fn indifferent_actor_has_no_ambivalence_and_nobody_no_degree() {
    let mid = Mid::from_rows(vec![vec![0, 1], vec![1, 0]]).unwrap();
    let mao = Mao::from_rows(vec![vec![0, 0], vec![2, -1]]).unwrap();
    let r = analyse(&mid, &mao, &RETRO).unwrap();
    for l in &r.levels {
        assert_eq!(l.ambivalence, vec![None, None]);
        assert_eq!(l.degree_of_convergence, None);
    }
}

#[test]
fn err_mid_empty() {
    assert_eq!(Mid::from_rows(vec![]), Err(MidError::Empty));
}

#[test]
fn err_mid_not_square() {
    assert_eq!(
        Mid::from_rows(vec![vec![0, 1], vec![1]]),
        Err(MidError::NotSquare { row: 1, len: 1, expected: 2 })
    );
}

#[test]
fn err_mid_out_of_scale() {
    assert_eq!(
        Mid::from_rows(vec![vec![0, 5], vec![1, 0]]),
        Err(MidError::OutOfScale { row: 0, column: 1, value: 5 })
    );
}

#[test]
fn err_mid_diagonal() {
    assert_eq!(
        Mid::from_rows(vec![vec![0, 1], vec![1, 2]]),
        Err(MidError::Diagonal { index: 1, value: 2 })
    );
}

#[test]
fn err_mao_no_actors() {
    assert_eq!(Mao::from_rows(vec![]), Err(MaoError::NoActors));
}

#[test]
fn err_mao_no_objectives() {
    assert_eq!(Mao::from_rows(vec![vec![]]), Err(MaoError::NoObjectives));
}

#[test]
fn err_mao_ragged() {
    assert_eq!(
        Mao::from_rows(vec![vec![1, 2], vec![1]]),
        Err(MaoError::Ragged { row: 1, len: 1, expected: 2 })
    );
}

#[test]
fn err_mao_out_of_scale() {
    assert_eq!(
        Mao::from_rows(vec![vec![1, -5]]),
        Err(MaoError::OutOfScale { row: 0, column: 1, value: -5 })
    );
}

#[test]
fn err_no_influence() {
    let mid = Mid::from_rows(vec![vec![0; 3]; 3]).unwrap();
    assert_eq!(balance(&mid, &RETRO), Err(MactorError::NoInfluence));
    let mao = Mao::from_rows(vec![vec![1]; 3]).unwrap();
    assert_eq!(analyse(&mid, &mao, &PLAIN), Err(MactorError::NoInfluence));
}

#[test]
fn err_actor_count() {
    let mao = Mao::from_rows(vec![vec![1], vec![2]]).unwrap();
    assert_eq!(analyse(&mid3(), &mao, &RETRO), Err(MactorError::ActorCount { mid: 3, mao: 2 }));
}

fn arb_case() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<Vec<i8>>, Vec<usize>)> {
    (2usize..7, 1usize..5).prop_flat_map(|(n, k)| {
        (
            proptest::collection::vec(proptest::collection::vec(0u8..=4, n), n),
            proptest::collection::vec(proptest::collection::vec(-4i8..=4, k), n),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )
            .prop_map(|(mut mid, mao, perm)| {
                for (i, row) in mid.iter_mut().enumerate() {
                    row[i] = 0;
                }
                // At least one influence, so that the balance exists.
                mid[0][1] = mid[0][1].max(1);
                (mid, mao, perm)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn midi_dominates_mid((mid, _, _) in arb_case()) {
        let m = Mid::from_rows(mid.clone()).unwrap();
        let b = balance(&m, &RETRO).unwrap();
        for (a, row) in mid.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                prop_assert!(b.midi[a][c] >= u32::from(v));
            }
        }
    }

    #[test]
    fn ri_star_averages_one((mid, _, _) in arb_case()) {
        let m = Mid::from_rows(mid).unwrap();
        for options in [RETRO, PLAIN] {
            let b = balance(&m, &options).unwrap();
            let mean = b.ri_star.iter().sum::<f64>() / b.ri_star.len() as f64;
            prop_assert!((mean - 1.0).abs() <= prec::REORDER);
        }
    }

    #[test]
    fn permuting_actors_permutes_results((mid, mao, perm) in arb_case()) {
        // Actor i of the permuted case is actor perm[i] of the original.
        let n = mid.len();
        let pmid = (0..n).map(|i| (0..n).map(|j| mid[perm[i]][perm[j]]).collect()).collect();
        let pmao = (0..n).map(|i| mao[perm[i]].clone()).collect();
        let a = analyse(&Mid::from_rows(mid).unwrap(), &Mao::from_rows(mao).unwrap(), &RETRO).unwrap();
        let b = analyse(&Mid::from_rows(pmid).unwrap(), &Mao::from_rows(pmao).unwrap(), &RETRO).unwrap();
        for i in 0..n {
            prop_assert!((a.balance.ri_star[perm[i]] - b.balance.ri_star[i]).abs() <= prec::REORDER);
            for j in 0..n {
                prop_assert_eq!(a.balance.midi[perm[i]][perm[j]], b.balance.midi[i][j]);
                for (la, lb) in a.levels.iter().zip(&b.levels) {
                    prop_assert!((la.caa[perm[i]][perm[j]] - lb.caa[i][j]).abs() <= prec::REORDER);
                    prop_assert!((la.daa[perm[i]][perm[j]] - lb.daa[i][j]).abs() <= prec::REORDER);
                }
            }
            for (la, lb) in a.levels.iter().zip(&b.levels) {
                match (la.ambivalence[perm[i]], lb.ambivalence[i]) {
                    (Some(x), Some(y)) => prop_assert!((x - y).abs() <= prec::REORDER),
                    (x, y) => prop_assert_eq!(x, y),
                }
            }
        }
    }

    #[test]
    fn no_nan_anywhere((mid, mao, _) in arb_case()) {
        let r = analyse(&Mid::from_rows(mid).unwrap(), &Mao::from_rows(mao).unwrap(), &PLAIN).unwrap();
        prop_assert!(r.balance.r.iter().chain(&r.balance.ri_star).all(|x| x.is_finite()));
        for l in &r.levels {
            prop_assert!(l.ambivalence.iter().flatten().all(|x| (0.0..=1.0 + prec::REORDER).contains(x)));
        }
    }
}
