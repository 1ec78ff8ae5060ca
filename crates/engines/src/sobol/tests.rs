//! Tests of the Sobol estimators: the analytic indices of the Ishigami function and of Sobol's
//! g-function within sampling error, agreement with SALib 1.5.1 on the same matrices, and the
//! same runs whatever the number of threads.

use std::f64::consts::PI;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::prec;

/// The Ishigami function with a = 7, b = 0.1 (Ishigami and Homma 1990).
fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// The analytic indices of the Ishigami function (a = 7, b = 0.1), first-order then total,
/// from its variance decomposition (Saltelli et al. 2008, *Global Sensitivity Analysis: The
/// Primer*, §4.3): V₁ = ½(1 + bπ⁴/5)², V₂ = a²/8, V₁₃ = b²π⁸(1/18 − 1/50), V₃ = 0.
fn ishigami_exact() -> ([f64; 3], [f64; 3]) {
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

/// The g-function's coefficients (Saltelli and Sobol' 1995): important, less, then negligible.
const G_A: [f64; 8] = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];

/// Sobol's g-function.
fn g_function(x: &[f64]) -> f64 {
    x.iter().zip(G_A).map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a)).product()
}

/// The g-function's analytic indices (Sobol' 2001, §5): V_i = 1 / (3 (1 + a_i)²),
/// V = Π(1 + V_i) − 1, S_i = V_i / V and S_Ti = V_i Π_{j≠i}(1 + V_j) / V.
fn g_exact() -> (Vec<f64>, Vec<f64>) {
    let vi: Vec<f64> = G_A.iter().map(|a| 1.0 / (3.0 * (1.0 + a) * (1.0 + a))).collect();
    let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
    let v = prod - 1.0;
    let first = vi.iter().map(|x| x / v).collect();
    let total = vi.iter().map(|x| x * prod / (1.0 + x) / v).collect();
    (first, total)
}

/// Runs a scalar function of `d` independent uniforms on `[low, high)`.
fn run(f: fn(&[f64]) -> f64, d: usize, (low, high): (f64, f64), n: usize, seed: u64) -> Runs {
    let design = Design::new(n, &vec![1; d], seed).unwrap();
    let draw = move |_: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| {
        out[0] = low + (high - low) * rng.random::<f64>();
    };
    design.run(1, true, || (), draw, |_, x, out| out[0] = f(x)).unwrap()
}

/// Every estimate lies within [`prec::SAMPLING_Z`] standard errors of its exact value.
fn check_within_error(s: &Indices, first: &[f64], total: &[f64]) {
    for i in 0..first.len() {
        let e1 = (s.first[i] - first[i]).abs();
        let et = (s.total[i] - total[i]).abs();
        assert!(e1 <= prec::SAMPLING_Z * s.first_se[i], "S{i}: {} vs {}", s.first[i], first[i]);
        assert!(et <= prec::SAMPLING_Z * s.total_se[i], "ST{i}: {} vs {}", s.total[i], total[i]);
    }
}

#[test]
fn ishigami_indices_match_the_analytic_values_within_sampling_error() {
    let runs = run(ishigami, 3, (-PI, PI), 8192, 11);
    let (first, total) = ishigami_exact();
    check_within_error(&indices(&runs, 0, FirstOrder::Jansen).unwrap(), &first, &total);
    check_within_error(&indices(&runs, 0, FirstOrder::Saltelli2010).unwrap(), &first, &total);
}

#[test]
fn g_function_indices_match_the_analytic_values_within_sampling_error() {
    let runs = run(g_function, 8, (0.0, 1.0), 8192, 12);
    let (first, total) = g_exact();
    check_within_error(&indices(&runs, 0, FirstOrder::Jansen).unwrap(), &first, &total);
}

#[test]
fn the_standard_errors_shrink_like_one_over_root_n() {
    // Quadrupling N halves the standard error (the per-row terms' spread is the same).
    let small = indices(&run(ishigami, 3, (-PI, PI), 1024, 5), 0, FirstOrder::Jansen).unwrap();
    let large = indices(&run(ishigami, 3, (-PI, PI), 4096, 5), 0, FirstOrder::Jansen).unwrap();
    let ratio = small.total_se[0] / large.total_se[0];
    assert!((1.5..2.5).contains(&ratio), "{ratio}");
}

/// A fixture written by `bench/sobol/make_fixtures.py`: the matrices, SALib's outputs and
/// indices.
struct Fixture {
    a: Vec<Vec<f64>>,
    b: Vec<Vec<f64>>,
    y: Vec<f64>,
    s1_saltelli: Vec<f64>,
    st_jansen: Vec<f64>,
    s1_jansen: Vec<f64>,
}

fn read_fixture(text: &str) -> Fixture {
    let mut f = Fixture {
        a: vec![],
        b: vec![],
        y: vec![],
        s1_saltelli: vec![],
        st_jansen: vec![],
        s1_jansen: vec![],
    };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut words = line.split_whitespace();
        let key = words.next().unwrap();
        let nums: Vec<f64> = words.map(|w| w.parse().unwrap()).collect();
        match key {
            "A" => f.a.push(nums),
            "B" => f.b.push(nums),
            "Y" => f.y = nums,
            "S1_saltelli2010" => f.s1_saltelli = nums,
            "ST_jansen" => f.st_jansen = nums,
            "S1_jansen" => f.s1_jansen = nums,
            "n" | "d" => {}
            other => panic!("unknown fixture key {other}"),
        }
    }
    f
}

/// Our radial points and estimators on SALib's matrices give SALib's outputs and indices.
fn check_salib(text: &str, f: fn(&[f64]) -> f64) {
    let fx = read_fixture(text);
    let (n, d) = (fx.a.len(), fx.a[0].len());
    let design = Design::new(n, &vec![1; d], 0).unwrap();
    let mut point = vec![0.0; d];
    let (mut ya, mut yb, mut yab) = (vec![], vec![], vec![vec![]; d]);
    for j in 0..n {
        ya.push(f(&fx.a[j]));
        yb.push(f(&fx.b[j]));
        for (i, col) in yab.iter_mut().enumerate() {
            radial_point(&design, &fx.a[j], &fx.b[j], i, &mut point);
            col.push(f(&point));
        }
    }
    // SALib's order for each row: A, A_B^1 … A_B^d, B.
    for j in 0..n {
        let step = d + 2;
        assert!((fx.y[j * step] - ya[j]).abs() <= prec::REORDER);
        assert!((fx.y[j * step + step - 1] - yb[j]).abs() <= prec::REORDER);
        for (i, col) in yab.iter().enumerate() {
            assert!((fx.y[j * step + 1 + i] - col[j]).abs() <= prec::REORDER, "row {j}");
        }
    }
    let runs = Runs::from_outputs(&ya, &yb, &yab).unwrap();
    let saltelli = indices(&runs, 0, FirstOrder::Saltelli2010).unwrap();
    let jansen = indices(&runs, 0, FirstOrder::Jansen).unwrap();
    for i in 0..d {
        assert!((saltelli.first[i] - fx.s1_saltelli[i]).abs() <= prec::REORDER, "S1 {i}");
        assert!((saltelli.total[i] - fx.st_jansen[i]).abs() <= prec::REORDER, "ST {i}");
        assert!((jansen.first[i] - fx.s1_jansen[i]).abs() <= prec::REORDER, "Jansen S1 {i}");
        assert_eq!(jansen.total[i], saltelli.total[i]);
    }
}

#[test]
fn ishigami_agrees_with_salib_on_the_same_matrices() {
    check_salib(include_str!("../../../../tests/fixtures/sobol/ishigami-salib.txt"), ishigami);
}

#[test]
fn g_function_agrees_with_salib_on_the_same_matrices() {
    check_salib(include_str!("../../../../tests/fixtures/sobol/gfunction-salib.txt"), g_function);
}

#[test]
fn the_runs_are_the_same_whatever_the_number_of_threads() {
    let runs: Vec<Runs> = [1, 2, 4]
        .iter()
        .map(|&t| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
            pool.install(|| run(g_function, 8, (0.0, 1.0), 500, 3))
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn each_value_comes_from_its_own_stream() {
    // Row 3 of A is the same whether or not other rows are drawn, and differs from row 3 of B.
    let design = Design::new(10, &[2, 1], 9).unwrap();
    let draw = |_: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| {
        out.iter_mut().for_each(|o| *o = rng.random());
    };
    let (mut a, mut b) = ([0.0; 3], [0.0; 3]);
    design.draw_row(Base::A, 3, &mut a, &draw);
    design.draw_row(Base::B, 3, &mut b, &draw);
    assert_ne!(a, b);
    let runs = design.run(3, true, || (), draw, |_, x, out| out.copy_from_slice(x)).unwrap();
    assert_eq!(runs.base(Base::A, 3), a);
    assert_eq!(runs.base(Base::B, 3), b);
    // A_B^0 of row 3 takes factor 0's two columns from B.
    assert_eq!(runs.ab(0, 3).unwrap(), [b[0], b[1], a[2]]);
    assert_eq!(runs.ab(1, 3).unwrap(), [a[0], a[1], b[2]]);
}

#[test]
fn err_designs_without_rows_or_columns() {
    assert_eq!(Design::new(0, &[1], 1), Err(SobolError::TooFewSamples { samples: 0 }));
    assert_eq!(Design::new(5, &[1, 0], 1), Err(SobolError::EmptyFactor { factor: 1 }));
    let plain = run_plain();
    assert_eq!(indices(&plain, 0, FirstOrder::Jansen), None);
}

fn run_plain() -> Runs {
    let design = Design::new(4, &[1], 1).unwrap();
    let draw = |_: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| out[0] = rng.random();
    design.run(1, false, || (), draw, |_, x, out| out[0] = x[0]).unwrap()
}

#[test]
fn a_factor_draws_the_same_values_whatever_follows_it() {
    let draw = |_: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| {
        out.iter_mut().for_each(|o| *o = rng.random());
    };
    let short = Design::new(10, &[2], 4).unwrap();
    let long = Design::new(10, &[2, 3, 1], 4).unwrap();
    let (mut a, mut b) = ([0.0; 2], [0.0; 6]);
    short.draw_row(Base::B, 7, &mut a, &draw);
    long.draw_row(Base::B, 7, &mut b, &draw);
    assert_eq!(a, b[..2]);
}

#[test]
fn a_plain_run_evaluates_the_a_rows_of_a_radial_one() {
    let design = Design::new(6, &[1, 2], 8).unwrap();
    let draw = |_: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| {
        out.iter_mut().for_each(|o| *o = rng.random());
    };
    let eval = |_: &mut (), x: &[f64], out: &mut [f64]| out[0] = x.iter().sum();
    let plain = design.run(1, false, || (), draw, eval).unwrap();
    let radial = design.run(1, true, || (), draw, eval).unwrap();
    assert_eq!(plain.draws(0).count(), 6);
    for j in 0..6 {
        assert_eq!(plain.base(Base::A, j), radial.base(Base::A, j));
    }
}
