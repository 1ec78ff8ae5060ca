//! Tests of the CIB engine: ScenarioWizard's own solution lists for the fixtures in
//! `tests/fixtures/cib/` (copied from `../shared/cib_fixtures/`, see its README for provenance and
//! licences), the facts stated in that README and in `expected_small.json`, error cases, and
//! property tests against a naive implementation of the definitions.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

// ---------------------------------------------------------------------------------------------
// Fixture helpers. The engine knows no file format, so the tests carry a minimal reader of
// ScenarioWizard's `.scw` (descriptors until the first `#`, the matrix after the fifth) and
// `.sl` (one `"v1 v2 …",weight,CV,IC,TIS,""` line per scenario); the full reader and writer
// are in `model::formats::scw`.

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/cib/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn scw(name: &str) -> CibMatrix {
    let text = fixture(name);
    let mut descriptors: Vec<Descriptor> = Vec::new();
    let mut hashes = 0;
    let mut rows = Vec::new();
    for line in text.lines().skip(2) {
        if line.starts_with('#') {
            hashes += 1;
            continue;
        }
        match hashes {
            0 if line.starts_with('&') => {
                descriptors.push(Descriptor { name: line[1..].into(), variants: vec![] })
            }
            0 if line.starts_with(" -") => {
                descriptors.last_mut().unwrap().variants.push(line[2..].into())
            }
            5 => rows.push(line.split(',').map(|x| x.trim().parse::<i64>().unwrap()).collect()),
            _ => {}
        }
    }
    CibMatrix::new(descriptors, rows).unwrap()
}

/// One line of a ScenarioWizard solution list, variants from 0.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SlLine {
    variants: Vec<usize>,
    weight: u64,
    cv: i32,
    ic: i32,
    tis: i64,
}

fn sl(name: &str) -> Vec<SlLine> {
    let mut out: Vec<SlLine> = fixture(name)
        .lines()
        .filter(|l| l.starts_with('"') && l.len() > 2)
        .map(|l| {
            let (quoted, rest) = l[1..].split_once('"').unwrap();
            let f: Vec<&str> = rest.split(',').collect();
            SlLine {
                variants: quoted
                    .split_whitespace()
                    .map(|x| x.parse::<usize>().unwrap() - 1)
                    .collect(),
                weight: f[1].parse().unwrap(),
                cv: f[2].parse().unwrap(),
                ic: f[3].parse().unwrap(),
                tis: f[4].parse().unwrap(),
            }
        })
        .collect();
    out.sort();
    out
}

fn options(method: Method, tolerance: u32) -> SolveOptions {
    SolveOptions { method, tolerance, fixed: vec![], max_scenarios: 1_000_000 }
}

/// Our solution as `.sl` lines (weights from `weights`, or 0).
fn as_lines(s: &Solution, weights: Option<&Succession>) -> Vec<SlLine> {
    let mut out: Vec<SlLine> = s
        .scenarios
        .iter()
        .map(|x| SlLine {
            variants: x.variants.clone(),
            weight: weights.and_then(|w| w.basin_of(&x.variants)).unwrap_or(0),
            cv: x.cv,
            ic: x.ic,
            tis: x.tis,
        })
        .collect();
    out.sort();
    out
}

/// Checks that both methods reproduce ScenarioWizard's list (without weights).
fn check_sl(scw_name: &str, sl_name: &str, methods: &[Method]) {
    let m = scw(scw_name);
    let mut expected = sl(sl_name);
    for e in &mut expected {
        e.weight = 0;
    }
    for &method in methods {
        let s = solve(&m, &options(method, 0)).unwrap();
        assert_eq!(as_lines(&s, None), expected, "{scw_name} with {method:?}");
    }
}

fn run(m: &CibMatrix, rule: SuccessionRule, starts: Starts) -> Succession {
    succession(m, &SuccessionOptions { rule, starts, fixed: vec![] }).unwrap()
}

/// The impact score of variant `l` of descriptor `j` in scenario `z`, straight from the
/// definition (Weimer-Jehle 2006, eq. 2, diagonal blocks included as in ScenarioWizard).
fn naive_score(m: &CibMatrix, z: &[usize], j: usize, l: usize) -> i64 {
    let col = m.index(j, l).unwrap();
    (0..z.len()).map(|i| i64::from(m.impact(m.index(i, z[i]).unwrap(), col).unwrap())).sum()
}

fn naive_ic(m: &CibMatrix, z: &[usize]) -> i64 {
    (0..z.len())
        .map(|j| {
            let best = (0..m.variant_counts()[j]).map(|l| naive_score(m, z, j, l)).max().unwrap();
            best - naive_score(m, z, j, z[j])
        })
        .max()
        .unwrap()
}

fn all_scenarios(counts: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for &c in counts {
        out = out
            .into_iter()
            .flat_map(|p: Vec<usize>| {
                (0..c).map(move |k| {
                    let mut q = p.clone();
                    q.push(k);
                    q
                })
            })
            .collect();
    }
    out
}

fn two_by_two() -> CibMatrix {
    let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
    CibMatrix::new(
        vec![d("A"), d("B")],
        vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// ScenarioWizard's solution lists.

#[test]
fn global_matches_scenariowizard() {
    check_sl("CIB_global.scw", "CIB_global.sl", &[Method::Exhaustive, Method::BranchAndBound]);
}

#[test]
fn global_weights_are_exact_global_succession_basins() {
    // CIB_global.sl's weights (4, 12, 1, 2) are exact: ScenarioWizard ran all 36 starts.
    let m = scw("CIB_global.scw");
    let s = solve(&m, &options(Method::BranchAndBound, 0)).unwrap();
    let g = run(&m, SuccessionRule::Global, Starts::All);
    assert_eq!(as_lines(&s, Some(&g)), sl("CIB_global.sl"));
    // The README: the other 17 of the 36 starts end in one 2-cycle.
    let cycles: Vec<&Attractor> =
        g.attractors.iter().filter(|a| a.kind == AttractorKind::Cycle).collect();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].basin, 17);
    assert_eq!(cycles[0].members, vec![vec![0, 1, 1], vec![1, 1, 2]]);
    assert_eq!(g.starts, 36);
    assert!(g.exact);
}

#[test]
fn bench_typical_matches_scenariowizard() {
    // Its two solutions have TIS 38 and 40 (the fixtures' README).
    check_sl(
        "bench_typical.scw",
        "bench_typical.sl",
        &[Method::Exhaustive, Method::BranchAndBound],
    );
}

#[test]
fn natl_regional_matches_scenariowizard() {
    // 22,674,816 scenarios, with a non-zero diagonal block (WSCEN) that ScenarioWizard adds in.
    check_sl("CIB_natl_regional.scw", "CIB_natl_regional.sl", &[Method::BranchAndBound]);
}

#[test]
fn natl_regional_has_153_scenarios_with_ic_1() {
    // The fixtures' README: 153 scenarios with IC = 1 (and 16 with IC = 0).
    let m = scw("CIB_natl_regional.scw");
    let s = solve(&m, &options(Method::BranchAndBound, 1)).unwrap();
    let ones = s.scenarios.iter().filter(|x| x.ic == 1).count();
    let zeros = s.scenarios.iter().filter(|x| x.ic == 0).count();
    assert_eq!((zeros, ones), (16, 153));
}

#[test]
fn nested_standardized_matches_scenariowizard() {
    check_sl(
        "CIB_nested_simplified_standardized.scw",
        "CIB_nested_simplified_standardized.sl",
        &[Method::BranchAndBound],
    );
}

#[test]
fn nested_standardized_weights_are_exact_global_succession_basins() {
    // The weights sum to 22,627,890 of 22,674,816: exact basins over the whole space, the other
    // 46,926 starts ending in cycles.
    let m = scw("CIB_nested_simplified_standardized.scw");
    let s = solve(&m, &options(Method::BranchAndBound, 0)).unwrap();
    let g = run(&m, SuccessionRule::Global, Starts::All);
    assert_eq!(as_lines(&s, Some(&g)), sl("CIB_nested_simplified_standardized.sl"));
    let in_cycles: u64 =
        g.attractors.iter().filter(|a| a.kind == AttractorKind::Cycle).map(|a| a.basin).sum();
    assert_eq!(in_cycles, 22_674_816 - 22_627_890);
}

#[test]
fn natl_regional_monte_carlo_weights_agree_with_exact_basins() {
    // CIB_natl_regional.sl's weights are ScenarioWizard's Monte Carlo counts from 100,000
    // starts, which no other generator reproduces; they must agree with our exact basins within
    // sampling error (5 standard deviations of a binomial count).
    let m = scw("CIB_natl_regional.scw");
    let g = run(&m, SuccessionRule::Global, Starts::All);
    let total = g.starts as f64;
    for line in sl("CIB_natl_regional.sl") {
        let p = g.basin_of(&line.variants).unwrap() as f64 / total;
        let mean = 100_000.0 * p;
        let sd = (100_000.0 * p * (1.0 - p)).sqrt().max(1.0);
        assert!(
            (line.weight as f64 - mean).abs() <= 5.0 * sd,
            "{line:?}: expected about {mean:.0}"
        );
    }
}

#[test]
fn exhaustive_agrees_with_branch_and_bound_on_the_large_fixtures() {
    // A full enumeration of 22.7 million scenarios is too slow for the test profile, so each
    // large fixture is cut to about 280,000 scenarios by fixing its first four descriptors to
    // those of a scenario branch-and-bound finds (so the cut space is not empty).
    for name in [
        "CIB_natl_regional.scw",
        "CIB_nested_simplified_standardized.scw",
        "CIB_nested_simplified_nonstandard.scw",
    ] {
        let m = scw(name);
        let full = solve(&m, &options(Method::BranchAndBound, 0)).unwrap();
        assert!(full.nodes < 22_674_816 / 100, "{name}: {} nodes", full.nodes);
        let first = &full.scenarios[0].variants;
        let fixed: Vec<(usize, usize)> = (0..4).map(|j| (j, first[j])).collect();
        let cut = |method| SolveOptions { fixed: fixed.clone(), ..options(method, 1) };
        let a = solve(&m, &cut(Method::Exhaustive)).unwrap();
        let b = solve(&m, &cut(Method::BranchAndBound)).unwrap();
        assert_eq!(a.scenarios, b.scenarios, "{name}");
        assert!(a.scenarios.iter().any(|x| &x.variants == first), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// expected_small.json (CIB_global): TIS, CV, basins under both rules, IC histogram.

#[test]
fn expected_small_json() {
    let m = scw("CIB_global.scw");
    let s = solve(&m, &options(Method::Exhaustive, 0)).unwrap();
    let g = run(&m, SuccessionRule::Global, Starts::All);
    let l = run(&m, SuccessionRule::Local, Starts::All);
    // (scenario, TIS, CV, global basin, local basin), as in expected_small.json.
    let expected = [
        (vec![0, 1, 2], 8, 0, 2, 8),
        (vec![1, 1, 1], 9, 0, 1, 3),
        (vec![1, 2, 1], 15, 0, 4, 9),
        (vec![2, 0, 2], 12, 1, 12, 16),
    ];
    let got: Vec<_> = s
        .scenarios
        .iter()
        .map(|x| {
            let v = &x.variants;
            (v.clone(), x.tis, x.cv, g.basin_of(v).unwrap(), l.basin_of(v).unwrap())
        })
        .collect();
    assert_eq!(got, expected);
    assert!(l.attractors.iter().all(|a| a.kind == AttractorKind::FixedPoint));
    let mut histogram = BTreeMap::new();
    for z in all_scenarios(m.variant_counts()) {
        *histogram.entry(m.evaluate(&z).unwrap().ic).or_insert(0) += 1;
    }
    let expected: BTreeMap<i32, i32> = [
        (0, 4),
        (1, 2),
        (2, 1),
        (3, 4),
        (4, 1),
        (6, 6),
        (7, 5),
        (8, 3),
        (9, 2),
        (10, 1),
        (11, 3),
        (12, 1),
        (13, 1),
        (14, 2),
    ]
    .into();
    assert_eq!(histogram, expected);
}

// ---------------------------------------------------------------------------------------------
// Small cases, one line each.

fn check_eval(z: &[usize], ic: i32, cv: i32, tis: i64) {
    let e = two_by_two().evaluate(z).unwrap();
    assert_eq!((e.ic, e.cv, e.tis), (ic, cv, tis), "{z:?}");
}

#[test]
fn evaluate_cases() {
    // Worked by hand: A=lo pushes B to lo by 2 (margin 4), B=lo pushes A to lo by 1 (margin 2).
    check_eval(&[0, 0], 0, 2, 3);
    check_eval(&[1, 1], 0, 2, 3);
    check_eval(&[0, 1], 4, -4, -3);
    check_eval(&[1, 0], 4, -4, -3);
}

#[test]
fn tolerance_widens_the_set() {
    let m = two_by_two();
    let s = solve(&m, &options(Method::BranchAndBound, 4)).unwrap();
    assert_eq!(s.scenarios.len(), 4);
}

#[test]
fn intervention_drops_the_fixed_descriptors_condition() {
    // Fix A = lo: B follows to lo; (lo, hi) is inconsistent for B.
    let m = two_by_two();
    let o = SolveOptions { fixed: vec![(0, 0)], ..options(Method::BranchAndBound, 0) };
    let s = solve(&m, &o).unwrap();
    assert_eq!(
        s.scenarios.iter().map(|x| x.variants.clone()).collect::<Vec<_>>(),
        vec![vec![0, 0]]
    );
    // Fixing both: the only scenario, with nothing left to test.
    let o = SolveOptions { fixed: vec![(0, 1), (1, 0)], ..options(Method::Exhaustive, 0) };
    let s = solve(&m, &o).unwrap();
    assert_eq!(s.scenarios.len(), 1);
    assert_eq!((s.scenarios[0].ic, s.scenarios[0].cv), (0, 0));
}

#[test]
fn intervention_in_succession_holds_the_descriptor() {
    let m = two_by_two();
    let o = SuccessionOptions {
        rule: SuccessionRule::Global,
        starts: Starts::All,
        fixed: vec![(1, 1)],
    };
    let g = succession(&m, &o).unwrap();
    assert_eq!(g.attractors.len(), 1);
    assert_eq!(g.attractors[0].members, vec![vec![1, 1]]);
    assert_eq!(g.attractors[0].basin, 2);
}

#[test]
fn monte_carlo_is_reproducible_and_sums_to_its_starts() {
    let m = scw("CIB_global.scw");
    let starts = Starts::Sample { count: 10_000, seed: 42 };
    let a = run(&m, SuccessionRule::Global, starts);
    let b = run(&m, SuccessionRule::Global, starts);
    assert_eq!(a, b);
    assert_eq!(a.attractors.iter().map(|x| x.basin).sum::<u64>(), 10_000);
    assert!(!a.exact);
    // The seeded sample is deterministic, so its count is pinned; a change of sampler or seed
    // handling shows here. It is also within five standard deviations of the exact basin (12 of
    // 36 starts for the largest fixed point), as a sample of 10,000 starts should be.
    let count = a.basin_of(&[2, 0, 2]).unwrap();
    assert_eq!(count, 3292, "the seeded count");
    let (p, n): (f64, f64) = (12.0 / 36.0, 10_000.0);
    let sd = (n * p * (1.0 - p)).sqrt();
    assert!((count as f64 - n * p).abs() <= 5.0 * sd, "{count}");
}

#[test]
fn auto_starts_choose_exact_when_small() {
    let m = scw("CIB_global.scw");
    let g = run(&m, SuccessionRule::Global, Starts::Auto { limit: 100, count: 10, seed: 1 });
    assert!(g.exact);
    let g = run(&m, SuccessionRule::Global, Starts::Auto { limit: 10, count: 10, seed: 1 });
    assert!(!g.exact);
    assert_eq!(g.starts, 10);
}

#[test]
fn ensemble_counts_members() {
    let m = two_by_two();
    let flipped = CibMatrix::new(
        m.descriptors().to_vec(),
        vec![vec![0, 0, -2, 2], vec![0, 0, 2, -2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
    )
    .unwrap();
    let e = ensemble(&[m.clone(), m, flipped], &options(Method::Exhaustive, 0)).unwrap();
    // (lo,lo) and (hi,hi) in two members; the flipped member has a 4-cycle and no fixed point.
    let got: Vec<_> = e.tallies.iter().map(|t| (t.variants.clone(), t.count)).collect();
    assert_eq!(got, vec![(vec![0, 0], 2), (vec![1, 1], 2)]);
}

#[test]
fn sensitivity_is_reproducible_and_bounded() {
    let m = scw("CIB_global.scw");
    let o = SensitivityOptions {
        solve: options(Method::BranchAndBound, 0),
        spread: Spread::NonZero(1),
        samples: 50,
        seed: 3,
    };
    let a = sensitivity(&m, &o).unwrap();
    assert_eq!(a, sensitivity(&m, &o).unwrap());
    assert!(a.tallies.iter().all(|t| t.share > 0.0 && t.share <= 1.0));
}

// ---------------------------------------------------------------------------------------------
// Errors.

fn desc(name: &str, variants: usize) -> Descriptor {
    Descriptor { name: name.into(), variants: (0..variants).map(|k| format!("v{k}")).collect() }
}

fn check_matrix_err(ds: Vec<Descriptor>, rows: Vec<Vec<i64>>, err: MatrixError) {
    assert_eq!(CibMatrix::new(ds, rows), Err(err));
}

#[test]
fn err_matrix_cases() {
    check_matrix_err(vec![], vec![], MatrixError::NoDescriptors);
    check_matrix_err(
        vec![desc("A", 0)],
        vec![],
        MatrixError::TooFewVariants { descriptor: 0, count: 0 },
    );
    check_matrix_err(
        vec![desc("A", 2), desc("B", 1)],
        vec![vec![0; 3]; 3],
        MatrixError::TooFewVariants { descriptor: 1, count: 1 },
    );
    check_matrix_err(
        vec![desc("A", 2)],
        vec![vec![0; 2]],
        MatrixError::RowCount { expected: 2, found: 1 },
    );
    check_matrix_err(
        vec![desc("A", 2)],
        vec![vec![0; 2], vec![0; 3]],
        MatrixError::Ragged { row: 1, expected: 2, found: 3 },
    );
    check_matrix_err(
        vec![desc("A", 2)],
        vec![vec![0, 1 << 40], vec![0; 2]],
        MatrixError::ImpactTooLarge { row: 0, column: 1, value: 1 << 40, max: MAX_IMPACT },
    );
}

#[test]
fn err_scenario_cases() {
    let m = two_by_two();
    assert_eq!(m.evaluate(&[0]), Err(ScenarioError::Length { expected: 2, found: 1 }));
    assert_eq!(
        m.evaluate(&[0, 5]),
        Err(ScenarioError::Variant { descriptor: 1, variant: 5, count: 2 })
    );
}

#[test]
fn err_exhaustive_space_too_large_suggests_branch_and_bound() {
    // 70 descriptors of 3 variants: 10^33.4 scenarios.
    let ds: Vec<Descriptor> = (0..70).map(|j| desc(&format!("D{j}"), 3)).collect();
    let m = CibMatrix::new(ds, vec![vec![0; 210]; 210]).unwrap();
    let e = solve(&m, &options(Method::Exhaustive, 0)).unwrap_err();
    assert!(matches!(e, SolveError::SpaceTooLarge { .. }));
    assert!(e.to_string().contains("use branch-and-bound"), "{e}");
}

#[test]
fn err_solve_cases() {
    let m = two_by_two();
    let with = |fixed| SolveOptions { fixed, ..options(Method::BranchAndBound, 0) };
    assert_eq!(solve(&m, &with(vec![(2, 0)])), Err(SolveError::FixedDescriptor { descriptor: 2 }));
    assert_eq!(
        solve(&m, &with(vec![(1, 2)])),
        Err(SolveError::FixedVariant { descriptor: 1, variant: 2, count: 2 })
    );
    assert_eq!(
        solve(&m, &with(vec![(1, 0), (1, 1)])),
        Err(SolveError::FixedTwice { descriptor: 1 })
    );
    let few = SolveOptions { max_scenarios: 1, ..options(Method::Exhaustive, 4) };
    assert_eq!(solve(&m, &few), Err(SolveError::TooManyScenarios { max: 1 }));
}

#[test]
fn err_succession_cases() {
    let ds: Vec<Descriptor> = (0..40).map(|j| desc(&format!("D{j}"), 3)).collect();
    let big = CibMatrix::new(ds, vec![vec![0; 120]; 120]).unwrap();
    let o = |starts| SuccessionOptions { rule: SuccessionRule::Local, starts, fixed: vec![] };
    assert!(matches!(
        succession(&big, &o(Starts::All)),
        Err(SuccessionError::SpaceTooLarge { .. })
    ));
    let m = two_by_two();
    assert_eq!(
        succession(&m, &o(Starts::Sample { count: 0, seed: 0 })),
        Err(SuccessionError::NoStarts)
    );
    let fixed = SuccessionOptions { fixed: vec![(9, 0)], ..o(Starts::All) };
    assert_eq!(succession(&m, &fixed), Err(SuccessionError::FixedDescriptor { descriptor: 9 }));
}

#[test]
fn err_ensemble_and_sensitivity_cases() {
    let m = two_by_two();
    let other = CibMatrix::new(vec![desc("A", 3)], vec![vec![0; 3]; 3]).unwrap();
    let o = options(Method::Exhaustive, 0);
    assert_eq!(ensemble(&[], &o), Err(EnsembleError::Empty));
    assert_eq!(ensemble(&[m.clone(), other], &o), Err(EnsembleError::Shape { member: 1 }));
    let s = |spread| SensitivityOptions { solve: o.clone(), spread, samples: 3, seed: 0 };
    assert_eq!(
        sensitivity(&m, &s(Spread::PerJudgment(vec![vec![0; 4]; 3]))),
        Err(SensitivityError::SpreadShape { row: 3 })
    );
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// A random small matrix: 2–5 descriptors of 2–4 variants, judgments in −3…+3, diagonal blocks
/// included (zero or not) so that self-impacts are exercised too.
fn small_matrix() -> impl Strategy<Value = CibMatrix> {
    prop::collection::vec(2usize..=4, 2..=5).prop_flat_map(|counts| {
        let v: usize = counts.iter().sum();
        prop::collection::vec(prop::collection::vec(-3i64..=3, v), v).prop_map(move |rows| {
            let ds = counts.iter().enumerate().map(|(j, &c)| desc(&format!("D{j}"), c)).collect();
            CibMatrix::new(ds, rows).unwrap()
        })
    })
}

/// The matrix with every judgment between descriptor 0 and the others set to 0.
fn isolate_first(m: &CibMatrix) -> CibMatrix {
    let k = m.variant_counts()[0];
    let mut rows = m.rows();
    for (r, row) in rows.iter_mut().enumerate() {
        for (c, x) in row.iter_mut().enumerate() {
            if (r < k) != (c < k) {
                *x = 0;
            }
        }
    }
    CibMatrix::new(m.descriptors().to_vec(), rows).unwrap()
}

#[test]
fn independent_components_are_solved_apart() {
    // Two copies of the 2 × 2 example with nothing between them: 2 × 2 consistent scenarios.
    let block = [[0, 0, 2, -2], [0, 0, -2, 2], [1, -1, 0, 0], [-1, 1, 0, 0]];
    let rows: Vec<Vec<i64>> = (0..8)
        .map(|r| (0..8).map(|c| if r / 4 == c / 4 { block[r % 4][c % 4] } else { 0 }).collect())
        .collect();
    let ds = ["A", "B", "C", "D"].iter().map(|n| desc(n, 2)).collect();
    let m = CibMatrix::new(ds, rows).unwrap();
    let a = solve(&m, &options(Method::Exhaustive, 0)).unwrap();
    let b = solve(&m, &options(Method::BranchAndBound, 0)).unwrap();
    assert_eq!(a.scenarios, b.scenarios);
    assert_eq!(b.scenarios.len(), 4);
    let few = SolveOptions { max_scenarios: 3, ..options(Method::BranchAndBound, 0) };
    assert_eq!(solve(&m, &few), Err(SolveError::TooManyScenarios { max: 3 }));
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(f)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn both_methods_find_exactly_the_naive_set(m in small_matrix(), t in 0u32..=2, cut in any::<bool>()) {
        // With `cut`, descriptor 0 is made independent of the others, so that branch-and-bound
        // solves two components apart.
        let m = if cut { isolate_first(&m) } else { m };
        let naive: Vec<Vec<usize>> = all_scenarios(m.variant_counts())
            .into_iter()
            .filter(|z| naive_ic(&m, z) <= i64::from(t))
            .collect();
        for method in [Method::Exhaustive, Method::BranchAndBound] {
            let s = solve(&m, &options(method, t)).unwrap();
            let got: Vec<Vec<usize>> = s.scenarios.iter().map(|x| x.variants.clone()).collect();
            prop_assert_eq!(&got, &naive);
            for x in &s.scenarios {
                prop_assert_eq!(i64::from(x.ic), naive_ic(&m, &x.variants));
            }
        }
    }

    #[test]
    fn fixed_points_of_succession_are_the_consistent_scenarios(m in small_matrix()) {
        let s = solve(&m, &options(Method::BranchAndBound, 0)).unwrap();
        for rule in [SuccessionRule::Global, SuccessionRule::Local] {
            let g = run(&m, rule, Starts::All);
            let mut fixed: Vec<Vec<usize>> = g.attractors.iter()
                .filter(|a| a.kind == AttractorKind::FixedPoint)
                .map(|a| a.members[0].clone())
                .collect();
            fixed.sort();
            let consistent: Vec<Vec<usize>> = s.scenarios.iter().map(|x| x.variants.clone()).collect();
            prop_assert_eq!(fixed, consistent);
            prop_assert_eq!(g.attractors.iter().map(|a| a.basin).sum::<u64>(), g.starts);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn results_do_not_depend_on_the_thread_count(m in small_matrix()) {
        let go = || {
            (
                solve(&m, &options(Method::BranchAndBound, 1)).unwrap(),
                solve(&m, &options(Method::Exhaustive, 1)).unwrap(),
                run(&m, SuccessionRule::Global, Starts::All),
                run(&m, SuccessionRule::Local, Starts::Sample { count: 9000, seed: 5 }),
            )
        };
        let one = in_pool(1, go);
        let two = in_pool(2, go);
        let three = in_pool(3, go);
        prop_assert_eq!(&one, &two);
        prop_assert_eq!(&one, &three);
    }
}

#[test]
fn large_fixture_results_do_not_depend_on_the_thread_count() {
    let m = scw("CIB_natl_regional.scw");
    let go = || solve(&m, &options(Method::BranchAndBound, 1)).unwrap();
    assert_eq!(in_pool(1, go), in_pool(2, go));
}
