//! Unit tests of the games lens: textbook games with known equilibria, error cases, and
//! property tests (every equilibrium is an exact mutual best response; relabelling strategies
//! permutes the equilibria). The comparison with `lrsnash` and pygambit on generated games is in
//! `model`'s `formats::nfg` tests, which read the `.nfg` fixtures.

use num_rational::BigRational;
use num_traits::Zero;
use proptest::prelude::*;

use super::*;
use crate::prec;

const ENUM: EnumOptions = EnumOptions { max_bases: 1_000_000, search: Search::Auto };

fn q(s: &str) -> BigRational {
    s.parse().unwrap_or_else(|_| panic!("bad rational {s}"))
}

fn strs(e: &Equilibrium) -> String {
    e.profile
        .iter()
        .map(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A nonzero `i128` of either sign whose magnitude has between `bits.start` and `bits.end`
/// bits: the sizes at which 128-bit products overflow and exact pivoting widens.
fn wide_factor(bits: std::ops::Range<u32>) -> impl Strategy<Value = i128> {
    (bits, any::<u128>(), any::<bool>()).prop_map(|(n, r, negative)| {
        let top = 1i128 << n;
        let v = top | (r as i128 & (top - 1));
        if negative { -v } else { v }
    })
}

/// Every extreme equilibrium of the bimatrix game, as `"x… | y…"` strings.
fn check(a: &[Vec<i64>], b: &[Vec<i64>], expected: &[&str]) {
    let g = Game::bimatrix_int(a, b).unwrap();
    let s = enumerate_extreme(&g, &ENUM).unwrap();
    let got: Vec<String> = s.equilibria.iter().map(strs).collect();
    let mut want: Vec<String> = expected.iter().map(|s| (*s).to_string()).collect();
    want.sort();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    assert_eq!(got_sorted, want);
    for e in &s.equilibria {
        assert!(g.regrets(&e.profile).iter().all(Zero::is_zero), "not an equilibrium: {}", strs(e));
    }
}

fn neg(a: &[Vec<i64>]) -> Vec<Vec<i64>> {
    a.iter().map(|r| r.iter().map(|v| -v).collect()).collect()
}

// Known solutions: worked by hand (2×2 indifference conditions) unless said otherwise.
#[test]
fn matching_pennies() {
    let a = vec![vec![1, -1], vec![-1, 1]];
    check(&a, &neg(&a), &["1/2 1/2 | 1/2 1/2"]);
}

#[test]
fn battle_of_the_sexes() {
    check(
        &[vec![2, 0], vec![0, 1]],
        &[vec![1, 0], vec![0, 2]],
        &["1 0 | 1 0", "0 1 | 0 1", "2/3 1/3 | 1/3 2/3"],
    );
}

#[test]
fn prisoners_dilemma() {
    check(&[vec![3, 0], vec![5, 1]], &[vec![3, 5], vec![0, 1]], &["0 1 | 0 1"]);
}

#[test]
fn rock_paper_scissors() {
    let a = vec![vec![0, -1, 1], vec![1, 0, -1], vec![-1, 1, 0]];
    check(&a, &neg(&a), &["1/3 1/3 1/3 | 1/3 1/3 1/3"]);
}

#[test]
fn von_stengel_2002_figure_2_2_example() {
    // von Stengel 2002, equation (2.7): A = [[3,3],[2,5],[0,6]], B = [[3,2],[2,6],[3,1]];
    // three equilibria listed in section 2.3: (1,0,0),(1,0); (0,1/3,2/3),(2/3,1/3);
    // (4/5,1/5,0),(2/3,1/3).
    check(
        &[vec![3, 3], vec![2, 5], vec![0, 6]],
        &[vec![3, 2], vec![2, 6], vec![3, 1]],
        &["1 0 0 | 1 0", "0 1/3 2/3 | 1/3 2/3", "4/5 1/5 0 | 2/3 1/3"],
    );
}

#[test]
fn degenerate_all_zero_is_one_component() {
    let z = vec![vec![0, 0], vec![0, 0]];
    let g = Game::bimatrix_int(&z, &z).unwrap();
    let s = enumerate_extreme(&g, &ENUM).unwrap();
    assert_eq!(s.degenerate, Some(true));
    assert_eq!(s.equilibria.len(), 4);
    assert_eq!(s.subsets, vec![NashSubset { rows: vec![0, 1], cols: vec![0, 1] }]);
    assert_eq!(s.components.len(), 1);
}

#[test]
fn degenerate_game_two_subsets_sharing_a_vertex() {
    // Von Stengel 2002's game (2.7) with B's first row made (3, 3), so the column player is
    // indifferent against row 0: degenerate. Checked: each subset is a biclique of listed
    // equilibria and the components partition the equilibria.
    let g = Game::bimatrix_int(
        &[vec![3, 3], vec![2, 5], vec![0, 6]],
        &[vec![3, 3], vec![2, 6], vec![3, 1]],
    )
    .unwrap();
    let s = enumerate_extreme(&g, &ENUM).unwrap();
    assert_eq!(s.degenerate, Some(true));
    for sub in &s.subsets {
        for &r in &sub.rows {
            for &c in &sub.cols {
                assert!(s.pairs.contains(&(r, c)));
            }
        }
    }
    assert_eq!(s.components.iter().map(|c| c.equilibria.len()).sum::<usize>(), s.equilibria.len());
}

#[test]
fn nondegenerate_game_is_not_degenerate() {
    let g = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
    assert_eq!(enumerate_extreme(&g, &ENUM).unwrap().degenerate, Some(false));
}

#[test]
fn big_payoffs_use_wider_integers() {
    // Payoffs near 2^40 overflow i64 pivoting; the result must still be exact.
    let big = 1i64 << 40;
    check(
        &[vec![big, 0], vec![0, 1]],
        &[vec![1, 0], vec![0, big]],
        &[
            "1 0 | 1 0",
            "0 1 | 0 1",
            &format!("{}/{} 1/{} | 1/{} {}/{}", big, big + 1, big + 1, big + 1, big, big + 1),
        ],
    );
}

/// Payoffs of 2^1100 fit no fixed-width integer type (the widest has 1,024 bits), so vertex
/// enumeration and Lemke–Howson both pivot in big integers; the equilibria are those of
/// `big_payoffs_use_wider_integers` with this `big`, exactly.
#[test]
fn huge_payoffs_pivot_in_big_integers() {
    let big = BigRational::from_integer(num_bigint::BigInt::from(1) << 1100);
    let (one, zero) = (q("1"), q("0"));
    let a = vec![vec![big.clone(), zero.clone()], vec![zero.clone(), one.clone()]];
    let b = vec![vec![one.clone(), zero.clone()], vec![zero, big.clone()]];
    let g = Game::bimatrix(&a, &b).unwrap();
    let (h, l) = (&big / (&big + &one), &one / (&big + &one));
    let mut want =
        vec!["1 0 | 1 0".to_string(), "0 1 | 0 1".to_string(), format!("{h} {l} | {l} {h}")];
    want.sort();
    let all = enumerate_extreme(&g, &ENUM).unwrap();
    let mut got: Vec<String> = all.equilibria.iter().map(strs).collect();
    got.sort();
    assert_eq!(got, want);
    let lh = lemke_howson(&g, &LhOptions { start: LhStart::AllLabels }).unwrap();
    assert!(!lh.equilibria.is_empty());
    for e in &lh.equilibria {
        assert!(want.contains(&strs(e)), "not an equilibrium: {}", strs(e));
    }
}

#[test]
fn pure_equilibria_of_three_player_coordination() {
    // Three players each choose 0 or 1 and get 1 if all agree: two pure equilibria (all 0, all 1)
    // and also (by deviation checks) none other.
    let strategies = vec![vec!["0".to_string(), "1".to_string()]; 3];
    let payoffs: Vec<Vec<BigRational>> = (0..8)
        .map(|k| {
            let v = if k == 0 || k == 7 { 1 } else { 0 };
            vec![BigRational::from_integer(v.into()); 3]
        })
        .collect();
    let g = Game::new(vec!["a".into(), "b".into(), "c".into()], strategies, payoffs).unwrap();
    // In any other profile exactly one player differs from the two others and gains by switching.
    let got: Vec<String> = pure_equilibria(&g).equilibria.iter().map(strs).collect();
    assert_eq!(got, vec!["1 0 | 1 0 | 1 0", "0 1 | 0 1 | 0 1"]);
}

#[test]
fn strict_dominance_prisoners_dilemma() {
    let g = Game::bimatrix_int(&[vec![3, 0], vec![5, 1]], &[vec![3, 5], vec![0, 1]]).unwrap();
    let r = eliminate_dominated(&g, &DominanceOptions { dominance: Dominance::Strict });
    assert_eq!(r.surviving, vec![vec![1], vec![1]]);
    assert_eq!(r.eliminated.len(), 2);
}

#[test]
fn weak_dominance_removes_what_strict_keeps() {
    // Row 1 ties row 0 in column 0 and is worse in column 1: weakly, not strictly, dominated.
    let g = Game::bimatrix_int(&[vec![1, 1], vec![1, 0]], &[vec![0, 0], vec![0, 0]]).unwrap();
    let strict = eliminate_dominated(&g, &DominanceOptions { dominance: Dominance::Strict });
    let weak = eliminate_dominated(&g, &DominanceOptions { dominance: Dominance::Weak });
    assert_eq!(strict.surviving[0], vec![0, 1]);
    assert_eq!(weak.surviving[0], vec![0]);
}

#[test]
fn properties_of_classics() {
    let a = vec![vec![0, -1, 1], vec![1, 0, -1], vec![-1, 1, 0]];
    let p = Game::bimatrix_int(&a, &neg(&a)).unwrap().properties();
    assert!(p.zero_sum && p.constant_sum && p.symmetric);
    let bos = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
    let p = bos.properties();
    assert!(!p.zero_sum && !p.constant_sum && !p.symmetric);
    let pd = Game::bimatrix_int(&[vec![3, 0], vec![5, 1]], &[vec![3, 5], vec![0, 1]]).unwrap();
    assert!(pd.properties().symmetric);
}

#[test]
fn lemke_howson_reaches_equilibria() {
    let g = Game::bimatrix_int(
        &[vec![3, 3], vec![2, 5], vec![0, 6]],
        &[vec![3, 2], vec![2, 6], vec![3, 1]],
    )
    .unwrap();
    let s = lemke_howson(&g, &LhOptions { start: LhStart::AllLabels }).unwrap();
    assert_eq!(s.runs.len(), 5);
    let all = enumerate_extreme(&g, &ENUM).unwrap();
    for e in &s.equilibria {
        assert!(all.equilibria.contains(e));
    }
}

#[test]
fn zero_sum_value_of_a_2x2() {
    // A = [[2,-1],[-1,1]]: value (2·1 − 1)/(2+1+1+1) = 1/5, x = (2/5, 3/5), y = (2/5, 3/5)
    // (the 2×2 formula of von Neumann & Morgenstern for games without a saddle point).
    let a = vec![vec![2, -1], vec![-1, 1]];
    let s = solve_zero_sum(&Game::bimatrix_int(&a, &neg(&a)).unwrap()).unwrap();
    assert_eq!(s.value, q("1/5"));
    assert_eq!(s.row_strategy, vec![q("2/5"), q("3/5")]);
    assert_eq!(s.col_strategy, vec![q("2/5"), q("3/5")]);
}

#[test]
fn qre_reaches_the_mixed_equilibrium_of_pennies() {
    let a = vec![vec![1, -1], vec![-1, 1]];
    let g = Game::bimatrix_int(&a, &neg(&a)).unwrap();
    let opts = QreOptions { epsilon: 1e-9, lambda_max: 1e8, max_steps: 10_000 };
    let s = logit_qre(&g, &opts).unwrap();
    // ε is reported in payoff units and asked for relative to the largest payoff, here 1.
    assert!(s.stop == QreStop::Epsilon && s.epsilon <= opts.epsilon, "{s:?}");
}

/// Each player's payoff is 3 − (own strategy), whatever the other does, so strategy 0 dominates
/// and the logit response at precision λ is known in closed form: `π_k ∝ exp(−λ k)`. The end
/// path is stopped early, at λ = 2 per unit of the largest payoff (3), where every strategy
/// still has weight: its end point must be that response at the λ reported, in payoff units.
#[test]
fn qre_follows_the_closed_form_path_of_a_dominant_strategy() {
    let own = |k: i64| vec![3 - k; 4];
    let a: Vec<Vec<i64>> = (0..4).map(own).collect();
    let b: Vec<Vec<i64>> = (0..4).map(|_| (0..4).map(|k| 3 - k).collect()).collect();
    let g = Game::bimatrix_int(&a, &b).unwrap();
    let opts = QreOptions { epsilon: 1e-9, lambda_max: 2.0, max_steps: 10_000 };
    let s = logit_qre(&g, &opts).unwrap();
    assert!(s.stop == QreStop::LambdaMax && s.lambda * 3.0 >= 2.0, "{s:?}");
    let weights: Vec<f64> = (0..4).map(|k| (-s.lambda * k as f64).exp()).collect();
    let total: f64 = weights.iter().sum();
    for player in &s.profile {
        for (p, w) in player.iter().zip(&weights) {
            assert!((p - w / total).abs() <= prec::REFERENCE, "{s:?}");
        }
    }
}

#[test]
fn qre_three_players_ends_near_an_equilibrium() {
    let strategies = vec![vec!["0".to_string(), "1".to_string()]; 3];
    let payoffs: Vec<Vec<BigRational>> = (0..8)
        .map(|k: i64| {
            vec![
                BigRational::from_integer((k % 3).into()),
                BigRational::from_integer((k % 5).into()),
                BigRational::from_integer((k % 2).into()),
            ]
        })
        .collect();
    let g = Game::new(vec!["a".into(), "b".into(), "c".into()], strategies, payoffs).unwrap();
    let opts = QreOptions { epsilon: 1e-8, lambda_max: 1e9, max_steps: 10_000 };
    let s = logit_qre(&g, &opts).unwrap();
    // ε is reported in payoff units and asked for relative to the largest payoff.
    assert!(s.stop == QreStop::Epsilon && s.epsilon <= opts.epsilon * g.max_abs_payoff(), "{s:?}");
}

#[test]
fn err_ragged_rows() {
    let e = Game::bimatrix_int(&[vec![1, 2], vec![3]], &[vec![1, 2], vec![3, 4]]);
    assert_eq!(e, Err(GameError::RaggedRow { player: 0, row: 1, expected: 2, found: 1 }));
}

#[test]
fn err_ragged_profile() {
    let e = Game::new(
        vec!["a".into(), "b".into()],
        vec![vec!["x".into()], vec!["y".into()]],
        vec![vec![BigRational::zero()]],
    );
    assert_eq!(e, Err(GameError::RaggedProfile { profile: 0, expected: 2, found: 1 }));
}

#[test]
fn err_no_strategy() {
    let e = Game::new(vec!["a".into(), "b".into()], vec![vec!["x".into()], vec![]], vec![]);
    assert_eq!(e, Err(GameError::NoStrategies { player: 1 }));
}

#[test]
fn err_no_players() {
    assert_eq!(Game::new(vec![], vec![], vec![]), Err(GameError::NoPlayers));
}

#[test]
fn err_too_large_for_enumeration() {
    let a = vec![vec![0i64; 40]; 40];
    let g = Game::bimatrix_int(&a, &a).unwrap();
    assert_eq!(
        enumerate_extreme(&g, &ENUM),
        Err(EnumError::TooLarge { rows: 40, cols: 40, max: MAX_LABELS })
    );
    assert!(
        EnumError::TooLarge { rows: 40, cols: 40, max: 64 }.to_string().contains("Lemke–Howson")
    );
}

#[test]
fn err_basis_limit() {
    let g = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
    let e = enumerate_extreme(&g, &EnumOptions { max_bases: 1, search: Search::Auto });
    assert!(matches!(e, Err(EnumError::BasisLimit { limit: 1, .. })));
}

#[test]
fn err_not_zero_sum() {
    let g = Game::bimatrix_int(&[vec![2, 0], vec![0, 1]], &[vec![1, 0], vec![0, 2]]).unwrap();
    assert_eq!(solve_zero_sum(&g), Err(ZeroSumError::NotConstantSum { row: 1, col: 0 }));
}

fn small_game() -> impl Strategy<Value = (Vec<Vec<i64>>, Vec<Vec<i64>>)> {
    (1usize..5, 1usize..5).prop_flat_map(|(m, n)| {
        // A small payoff range makes degenerate games common.
        let mat = proptest::collection::vec(proptest::collection::vec(-3i64..4, n), m);
        (mat.clone(), mat)
    })
}

/// Games up to 7×7 with payoffs in `-r..r`: with `r` small most are degenerate (the one-sided
/// search falls back to enumerating both polytopes), with `r` large almost none are.
fn game_in(r: i64) -> impl Strategy<Value = (Vec<Vec<i64>>, Vec<Vec<i64>>)> {
    (1usize..8, 1usize..8).prop_flat_map(move |(m, n)| {
        let mat = proptest::collection::vec(proptest::collection::vec(-r..r, n), m);
        (mat.clone(), mat)
    })
}

/// Both searches on `g`: the same extreme equilibria, vertices, subsets and components.
fn searches_agree(g: &Game) -> Result<(), TestCaseError> {
    let both = enumerate_extreme(g, &EnumOptions { search: Search::Both, ..ENUM }).unwrap();
    let one = enumerate_extreme(g, &EnumOptions { search: Search::OneSided, ..ENUM }).unwrap();
    prop_assert_eq!(&one.equilibria, &both.equilibria);
    prop_assert_eq!(&one.pairs, &both.pairs);
    prop_assert_eq!(&one.row_vertices, &both.row_vertices);
    prop_assert_eq!(&one.col_vertices, &both.col_vertices);
    prop_assert_eq!(&one.subsets, &both.subsets);
    prop_assert_eq!(&one.components, &both.components);
    prop_assert_eq!(one.polytope_vertices.0, both.polytope_vertices.0);
    // One-sided says degenerate only when it is, and is silent only when it did not look at Q.
    if let Some(d) = one.degenerate {
        prop_assert_eq!(Some(d), both.degenerate);
    } else {
        prop_assert_eq!(one.polytope_vertices.1, None);
    }
    Ok(())
}

/// Games up to 6×6 with payoffs in `-r..r` and up to two copies of rows and of columns
/// (appended, each a copy of a strategy chosen by index modulo the size).
fn game_with_copies(r: i64) -> impl Strategy<Value = (Vec<Vec<i64>>, Vec<Vec<i64>>)> {
    let copies = proptest::collection::vec(any::<usize>(), 0..3);
    (game_in(r), copies.clone(), copies).prop_map(|((mut a, mut b), rows, cols)| {
        for k in rows {
            let i = k % a.len();
            let (ra, rb) = (a[i].clone(), b[i].clone());
            a.push(ra);
            b.push(rb);
        }
        for k in cols {
            let j = k % a[0].len();
            for (ra, rb) in a.iter_mut().zip(b.iter_mut()) {
                ra.push(ra[j]);
                rb.push(rb[j]);
            }
        }
        (a, b)
    })
}

#[test]
fn copies_of_strategies_are_merged_and_expanded() {
    // Matching pennies with the row player's first strategy copied: two extreme equilibria,
    // the row player's half on either copy, and the copy makes the game degenerate.
    let g = Game::bimatrix_int(
        &[vec![1, -1], vec![-1, 1], vec![1, -1]],
        &[vec![-1, 1], vec![1, -1], vec![-1, 1]],
    )
    .unwrap();
    let s = enumerate_extreme(&g, &ENUM).unwrap();
    assert_eq!(s.polytope_vertices.0, 4, "P of the merged 2×2 game");
    assert_eq!(s.degenerate, Some(true));
    let rows: Vec<Vec<String>> = s
        .row_vertices
        .iter()
        .map(|v| v.strategy.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows, vec![vec!["0", "1/2", "1/2"], vec!["1/2", "1/2", "0"]]);
    assert_eq!(s.equilibria.len(), 2);
    assert_eq!(s.components.len(), 1);
}

#[test]
fn one_sided_search_skips_q_on_a_nondegenerate_game() {
    // Von Stengel 2002's 3×2 game (2.7): nondegenerate, three equilibria.
    let g = Game::bimatrix_int(
        &[vec![3, 3], vec![2, 5], vec![0, 6]],
        &[vec![3, 2], vec![2, 6], vec![3, 1]],
    )
    .unwrap();
    let one = enumerate_extreme(&g, &EnumOptions { search: Search::OneSided, ..ENUM }).unwrap();
    assert_eq!(one.polytope_vertices.1, None);
    assert_eq!(one.equilibria.len(), 3);
    let both = enumerate_extreme(&g, &EnumOptions { search: Search::Both, ..ENUM }).unwrap();
    assert_eq!(one.equilibria, both.equilibria);
    assert_eq!(both.degenerate, Some(false));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merging_copies_keeps_every_extreme_equilibrium((a, b) in game_with_copies(4)) {
        let g = Game::bimatrix_int(&a, &b).unwrap();
        let merged = enumerate_extreme(&g, &ENUM).unwrap();
        let (ai, bi) = g.int_matrices().unwrap();
        let plain = super::extreme::enumerate_distinct(&g, &ENUM, &ai, &bi).unwrap();
        prop_assert_eq!(&merged.equilibria, &plain.equilibria);
        prop_assert_eq!(&merged.pairs, &plain.pairs);
        prop_assert_eq!(&merged.row_vertices, &plain.row_vertices);
        prop_assert_eq!(&merged.col_vertices, &plain.col_vertices);
        prop_assert_eq!(&merged.subsets, &plain.subsets);
        prop_assert_eq!(&merged.components, &plain.components);
        if merged.degenerate.is_some() {
            prop_assert_eq!(merged.degenerate, plain.degenerate);
        }
    }

    #[test]
    fn one_sided_and_both_polytopes_agree_on_degenerate_games((a, b) in game_in(3)) {
        searches_agree(&Game::bimatrix_int(&a, &b).unwrap())?;
    }

    #[test]
    fn one_sided_and_both_polytopes_agree_on_generic_games((a, b) in game_in(1000)) {
        searches_agree(&Game::bimatrix_int(&a, &b).unwrap())?;
    }

    #[test]
    fn one_sided_and_both_polytopes_agree_on_zero_sum_games((a, _) in game_in(30)) {
        searches_agree(&Game::bimatrix_int(&a, &neg(&a)).unwrap())?;
    }

    #[test]
    fn every_extreme_equilibrium_is_a_mutual_best_response((a, b) in small_game()) {
        let g = Game::bimatrix_int(&a, &b).unwrap();
        let s = enumerate_extreme(&g, &ENUM).unwrap();
        prop_assert!(!s.equilibria.is_empty());
        for e in &s.equilibria {
            prop_assert!(g.regrets(&e.profile).iter().all(Zero::is_zero));
            prop_assert_eq!(&e.payoffs, &g.expected_payoffs(&e.profile));
        }
        // Every pure equilibrium is extreme, and Lemke–Howson lands on extreme equilibria.
        for e in pure_equilibria(&g).equilibria {
            prop_assert!(s.equilibria.contains(&e));
        }
        for e in lemke_howson(&g, &LhOptions { start: LhStart::AllLabels }).unwrap().equilibria {
            prop_assert!(s.equilibria.contains(&e));
        }
    }

    #[test]
    fn relabelling_strategies_permutes_the_equilibria(
        (a, b) in small_game(), seed in any::<u64>()
    ) {
        let (m, n) = (a.len(), a[0].len());
        let mut rows: Vec<usize> = (0..m).collect();
        let mut cols: Vec<usize> = (0..n).collect();
        // A seeded shuffle (Fisher–Yates with a simple LCG on the proptest seed).
        let mut st = seed | 1;
        let mut next = |k: usize| { st = st.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (st >> 33) as usize % k };
        for i in (1..m).rev() { let j = next(i + 1); rows.swap(i, j); }
        for i in (1..n).rev() { let j = next(i + 1); cols.swap(i, j); }
        let g = Game::bimatrix_int(&a, &b).unwrap();
        let h = g.restrict(&[rows.clone(), cols.clone()]);
        let s = enumerate_extreme(&g, &ENUM).unwrap();
        let t = enumerate_extreme(&h, &ENUM).unwrap();
        let mut mapped: Vec<Equilibrium> = s.equilibria.iter().map(|e| Equilibrium {
            profile: vec![rows.iter().map(|&r| e.profile[0][r].clone()).collect(), cols.iter().map(|&c| e.profile[1][c].clone()).collect()],
            payoffs: e.payoffs.clone(),
            pure: e.pure,
        }).collect();
        mapped.sort();
        prop_assert_eq!(mapped, t.equilibria);
        prop_assert_eq!(s.components.len(), t.components.len());
    }

    /// The `i128` pivot `(a·b − c·d) / e` when the products overflow 128 bits, so that it runs
    /// in 256 bits: by Hensel division when the quotient is known to fit, by `I256` division
    /// otherwise. `a` and `c` are multiples of `e`, which makes the division exact; the factors'
    /// sizes put `a·b` at 2^160 or more, beyond `i128`, in every case, and spread the quotient
    /// over 2^100–2^128 so that both paths run and some quotients do not fit (`None`).
    #[test]
    fn wide_exact_division_matches_big_integers(
        e in wide_factor(60..64), k1 in 1i128..1 << 12, m1 in -(1i128 << 12)..1 << 12,
        b in wide_factor(100..115), d in wide_factor(0..115),
    ) {
        use num_bigint::BigInt;
        let (a, c) = (e * k1, e * m1);
        let want = (BigInt::from(a) * BigInt::from(b) - BigInt::from(c) * BigInt::from(d)) / BigInt::from(e);
        prop_assert!(a.checked_mul(b).is_none(), "the pivot must leave 128 bits");
        let div = <i128 as super::num::Num>::divisor(&e);
        let got = <i128 as super::num::Num>::pivot(&a, &b, &c, &d, &div);
        prop_assert_eq!(got, i128::try_from(want).ok());
    }

    #[test]
    fn zero_sum_value_matches_every_equilibrium(a in proptest::collection::vec(proptest::collection::vec(-5i64..6, 3), 3)) {
        let g = Game::bimatrix_int(&a, &neg(&a)).unwrap();
        let v = solve_zero_sum(&g).unwrap();
        prop_assert!(g.regrets(&[v.row_strategy.clone(), v.col_strategy.clone()]).iter().all(Zero::is_zero));
        for e in enumerate_extreme(&g, &ENUM).unwrap().equilibria {
            prop_assert_eq!(&e.payoffs[0], &v.value);
        }
    }
}
