//! Property tests of invariants that hold across engines (issue 17): every extreme equilibrium
//! has zero regret, and so does every equilibrium of a game whose payoffs are scaled into each
//! integer tier of the pivoting (`i64` up to 1024-bit); every scenario the CIB search returns
//! at tolerance 0 has IC 0 under an independent evaluation; bargaining positions stay on their
//! issue's scale in every round. Bayes marginals summing to 1 and ACH's invariance to the order
//! of evidence are checked beside their engines (`bayes::tests`, `ach::tests`).

use num_traits::Zero;
use proptest::prelude::*;

use crate::bargain::eum::{EumOptions, eum};
use crate::bargain::smp::{SmpOptions, smp};
use crate::bargain::{BargainInput, IssueData};
use crate::cib::{CibMatrix, Descriptor, Method, SolveOptions, solve};
use crate::games::{EnumOptions, Game, Search, enumerate_extreme};
use crate::prec;

const ENUM: EnumOptions = EnumOptions { max_bases: 1_000_000, search: Search::Auto };

/// A bimatrix game with entries in `lo..hi`, up to `max`×`max`.
fn game(max: usize, lo: i64, hi: i64) -> impl Strategy<Value = (Vec<Vec<i64>>, Vec<Vec<i64>>)> {
    (1..=max, 1..=max).prop_flat_map(move |(m, n)| {
        let mat = proptest::collection::vec(proptest::collection::vec(lo..hi, n), m);
        (mat.clone(), mat)
    })
}

fn scaled(a: &[Vec<i64>], k: i64, c: i64) -> Vec<Vec<i64>> {
    a.iter().map(|r| r.iter().map(|&v| v * k + c).collect()).collect()
}

/// A CIB matrix of 2–5 descriptors with 2–3 variants each and judgments in −3..=3.
fn cib_matrix() -> impl Strategy<Value = CibMatrix> {
    proptest::collection::vec(2usize..4, 2..6).prop_flat_map(|counts| {
        let v: usize = counts.iter().sum();
        proptest::collection::vec(proptest::collection::vec(-3i64..4, v), v).prop_map(
            move |mut rows| {
                let mut offset = 0;
                for &k in &counts {
                    // A descriptor has no impact on itself.
                    for row in &mut rows[offset..offset + k] {
                        row[offset..offset + k].fill(0);
                    }
                    offset += k;
                }
                let descriptors = counts
                    .iter()
                    .enumerate()
                    .map(|(d, &k)| Descriptor {
                        name: format!("d{d}"),
                        variants: (0..k).map(|x| format!("v{x}")).collect(),
                    })
                    .collect();
                CibMatrix::new(descriptors, rows).expect("a valid matrix")
            },
        )
    })
}

/// Bargaining actors on two issues with scales that do not start at 0.
fn actors() -> impl Strategy<Value = BargainInput> {
    (2usize..8).prop_flat_map(|n| {
        (
            proptest::collection::vec(0.1f64..10.0, n),
            proptest::collection::vec(-50.0f64..50.0, n),
            proptest::collection::vec(20.0f64..30.0, n),
            proptest::collection::vec(0.05f64..0.5, n),
            proptest::collection::vec(0.05f64..0.5, n),
        )
            .prop_map(|(cap, x, y, s, t)| {
                let issues = vec![
                    IssueData { scale_min: -50.0, scale_max: 50.0, position: x, salience: s },
                    IssueData { scale_min: 20.0, scale_max: 30.0, position: y, salience: t },
                ];
                BargainInput::new(cap, issues).expect("a valid input")
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Small payoffs make degenerate games common; scaling by 10^17 moves the same game through
    /// the 256-, 384- and 512-bit tiers, whose equilibria must be the same, each with zero regret.
    #[test]
    fn every_equilibrium_has_zero_regret_in_every_integer_tier(
        (a, b) in game(7, -3, 4), k in 1i64..1000, c in -5i64..5
    ) {
        let g = Game::bimatrix_int(&a, &b).expect("a valid game");
        let s = enumerate_extreme(&g, &ENUM).expect("small enough");
        for e in &s.equilibria {
            prop_assert!(g.regrets(&e.profile).iter().all(Zero::is_zero));
        }
        let big = 100_000_000_000_000_000 + k;
        let h = Game::bimatrix_int(&scaled(&a, big, c), &scaled(&b, big, -c)).expect("a valid game");
        let t = enumerate_extreme(&h, &ENUM).expect("small enough");
        let profiles = |s: &crate::games::ExtremeSolution| -> Vec<_> {
            s.equilibria.iter().map(|e| e.profile.clone()).collect()
        };
        prop_assert_eq!(profiles(&s), profiles(&t));
        for e in &t.equilibria {
            prop_assert!(h.regrets(&e.profile).iter().all(Zero::is_zero));
        }
    }

    /// Every scenario found at tolerance 0 is consistent: IC 0 by the matrix's own evaluation.
    #[test]
    fn every_consistent_scenario_has_ic_zero(m in cib_matrix()) {
        for method in [Method::BranchAndBound, Method::Exhaustive] {
            let o = SolveOptions { method, tolerance: 0, fixed: vec![], max_scenarios: 10_000 };
            let s = solve(&m, &o).expect("valid options");
            for z in &s.scenarios {
                prop_assert_eq!(z.ic, 0);
                let e = m.evaluate(&z.variants).expect("a full scenario");
                prop_assert_eq!(e.ic, 0);
                prop_assert!(e.descriptor_ic.iter().all(|&x| x == 0));
            }
        }
    }

    /// Positions stay on each issue's scale in every round of both models, up to the rounding of
    /// a reordered sum ([`prec::REORDER`] of the scale).
    #[test]
    fn bargaining_positions_stay_in_range(input in actors()) {
        let range = |d: usize| (input.issue(d).scale_min, input.issue(d).scale_max);
        let inside = |x: f64, d: usize| {
            let (lo, hi) = range(d);
            x >= lo - prec::REORDER * (hi - lo) && x <= hi + prec::REORDER * (hi - lo)
        };
        for d in 0..input.n_issues() {
            let out = eum(&input, d, &EumOptions::scholz()).expect("valid options");
            for r in &out.rounds {
                prop_assert!(r.positions.iter().all(|&x| inside(x, d)), "eum {:?}", r.positions);
            }
        }
        let out = smp(&input, &SmpOptions::ktab()).expect("valid options");
        for t in &out.turns {
            for p in &t.positions {
                prop_assert!(p.iter().enumerate().all(|(d, &x)| inside(x, d)), "smp {p:?}");
            }
        }
    }
}
