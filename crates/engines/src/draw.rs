//! Seeded draws of uncertain judgments: a number uniform over its range, and a probability row
//! from a Dirichlet distribution centred on the stated row.
//!
//! A Dirichlet row with concentration `c` around a stated row `p` has parameters `α_k = c p_k`:
//! its mean is `p`, and each entry's variance is `p_k (1 − p_k) / (c + 1)`, so a larger
//! concentration keeps the draws closer to the stated row. It is drawn as independent gamma
//! variates `G_k ~ Gamma(α_k, 1)` divided by their sum (Devroye 1986, ch. XI, §4), the gamma
//! variates by Marsaglia and Tsang's squeeze method (with the boost `G(α) = G(α + 1) U^{1/α}`
//! for `α < 1`), and the normal variates it needs by Marsaglia's polar method. An entry stated
//! as 0 stays 0, so a row never gains an outcome its author ruled out.
//!
//! References: G. Marsaglia and W. W. Tsang (2000), "A simple method for generating gamma
//! variables", *ACM Transactions on Mathematical Software* 26(3):363–372,
//! doi:10.1145/358407.358414; L. Devroye (1986), *Non-Uniform Random Variate Generation*,
//! Springer, ch. V §4.4 (the polar method) and ch. XI §4 (the Dirichlet distribution).

use rand::Rng;

/// A number uniform on `[low, high)` (`low` when the two are equal).
pub fn uniform(rng: &mut impl Rng, low: f64, high: f64) -> f64 {
    let u: f64 = rng.random();
    low + (high - low) * u
}

/// A standard normal variate, by Marsaglia's polar method (the second variate of each pair is
/// dropped, so each call depends only on the stream's position).
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * s.ln() / s).sqrt();
        }
    }
}

/// A `Gamma(shape, 1)` variate by Marsaglia and Tsang (2000); 0 for a shape of 0 or less.
pub fn gamma(rng: &mut impl Rng, shape: f64) -> f64 {
    if shape.is_nan() || shape <= 0.0 {
        return 0.0;
    }
    if shape < 1.0 {
        // G(α) = G(α + 1) U^{1/α} (Marsaglia and Tsang 2000, §6).
        let u: f64 = rng.random();
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u: f64 = rng.random();
        if u < 1.0 - 0.0331 * x * x * x * x || u.ln() < 0.5 * x * x + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// Writes into `out` a row drawn from the Dirichlet distribution of concentration
/// `concentration` around `row` (parameters `concentration × row[k]`). Entries of `row` that are
/// 0 stay 0. When every gamma variate underflows to 0 (only for tiny concentrations) the stated
/// row is returned unchanged.
///
/// # Panics
/// When `out` and `row` differ in length.
pub fn dirichlet(rng: &mut impl Rng, row: &[f64], concentration: f64, out: &mut [f64]) {
    assert_eq!(row.len(), out.len(), "dirichlet: row and out differ in length");
    let mut sum = 0.0;
    for (o, &p) in out.iter_mut().zip(row) {
        *o = gamma(rng, concentration * p);
        sum += *o;
    }
    if sum > 0.0 && sum.is_finite() {
        out.iter_mut().for_each(|o| *o /= sum);
    } else {
        out.copy_from_slice(row);
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::prec;

    /// The sample mean and variance of `n` draws.
    fn moments(n: usize, mut f: impl FnMut() -> f64) -> (f64, f64) {
        let xs: Vec<f64> = (0..n).map(|_| f()).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        (m, xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n as f64 - 1.0))
    }

    #[test]
    fn gamma_has_mean_and_variance_equal_to_its_shape() {
        // Gamma(α, 1) has mean α and variance α; with 40,000 draws the mean's standard error is
        // √(α / 40,000).
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 40_000;
        for shape in [0.3, 1.0, 2.5, 30.0] {
            let (m, v) = moments(n, || gamma(&mut rng, shape));
            let se = (shape / n as f64).sqrt();
            assert!((m - shape).abs() <= prec::SAMPLING_Z * se, "shape {shape}: mean {m}");
            // The sample variance of a gamma variate has a standard error of about
            // α √(2/n) · √(1 + 3/α); four of them is a loose but failing bound.
            let se_v = shape * (2.0 / n as f64).sqrt() * (1.0 + 3.0 / shape).sqrt();
            assert!((v - shape).abs() <= prec::SAMPLING_Z * se_v, "shape {shape}: variance {v}");
        }
    }

    #[test]
    fn dirichlet_rows_sum_to_one_keep_zeros_and_centre_on_the_row() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let row = [0.6, 0.3, 0.0, 0.1];
        let c = 20.0;
        let n = 20_000;
        let mut sums = [0.0; 4];
        let mut out = [0.0; 4];
        let mut first = Vec::with_capacity(n);
        for _ in 0..n {
            dirichlet(&mut rng, &row, c, &mut out);
            assert!((out.iter().sum::<f64>() - 1.0).abs() <= prec::REORDER);
            assert_eq!(out[2], 0.0);
            sums.iter_mut().zip(&out).for_each(|(s, o)| *s += o);
            first.push(out[0]);
        }
        for (k, &p) in row.iter().enumerate() {
            let se = (p * (1.0 - p) / (c + 1.0) / n as f64).sqrt();
            assert!((sums[k] / n as f64 - p).abs() <= prec::SAMPLING_Z * se + prec::REORDER);
        }
        // Var = p (1 − p) / (c + 1) = 0.24 / 21.
        let m = sums[0] / n as f64;
        let v = first.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n as f64 - 1.0);
        // The sample variance's standard error is about √((m₄ − v²) / n).
        let m4 = first.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n as f64;
        let se = ((m4 - v * v) / n as f64).sqrt();
        assert!((v - 0.24 / 21.0).abs() <= prec::SAMPLING_Z * se, "{v}");
    }

    #[test]
    fn uniform_stays_in_its_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..1000 {
            let x = uniform(&mut rng, -2.0, 5.0);
            assert!((-2.0..5.0).contains(&x));
        }
        assert_eq!(uniform(&mut rng, 4.0, 4.0), 4.0);
    }
}
