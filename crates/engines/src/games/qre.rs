//! The logit quantal response equilibrium (QRE) path of an n-player game, followed from the
//! centroid (`λ = 0`) toward a Nash equilibrium (`λ → ∞`), in floating point; the end point is
//! checked as an `ε`-equilibrium and `ε` is reported.

use super::Game;
use super::game::pure_values_f64;

/// The largest number of profiles [`logit_qre`] accepts (each Newton step sums over all of
/// them for every pair of players).
pub const QRE_MAX_PROFILES: usize = 1 << 20;

/// Options of [`logit_qre`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QreOptions {
    /// Stop once the largest regret (ε) of the current point is at most this, relative to the
    /// largest absolute payoff. For example `1e-8`.
    pub epsilon: f64,
    /// Stop at this precision `λ`, in units of the reciprocal of the largest absolute payoff.
    /// For example `1e7`.
    pub lambda_max: f64,
    /// Stop after this many accepted steps along the path. For example `10_000`.
    pub max_steps: usize,
}

/// Why [`logit_qre`] could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QreError {
    /// An option is not a positive finite number.
    #[error("option {name} must be a positive finite number, got {value}")]
    BadOption {
        /// The option's name.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// Too many profiles for path following.
    #[error("the game has {profiles} profiles, more than the {limit} logit path following accepts")]
    TooLarge {
        /// The game's number of profiles.
        profiles: usize,
        /// [`QRE_MAX_PROFILES`].
        limit: usize,
    },
}

/// Why the path following stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum QreStop {
    /// ε fell to [`QreOptions::epsilon`].
    Epsilon,
    /// `λ` reached [`QreOptions::lambda_max`].
    LambdaMax,
    /// [`QreOptions::max_steps`] steps were taken.
    MaxSteps,
    /// The corrector failed even with a tiny step, or the tangent could not be computed.
    Stalled,
}

/// The end of the logit QRE path.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct QreSolution {
    /// For each player, the probability of each strategy.
    pub profile: Vec<Vec<f64>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<f64>,
    /// The largest regret of any player at `profile`: it is an `ε`-Nash equilibrium for this ε
    /// (in payoff units).
    pub epsilon: f64,
    /// The precision `λ` reached, in reciprocal payoff units.
    pub lambda: f64,
    /// Accepted steps.
    pub steps: usize,
    /// Why it stopped.
    pub stop: QreStop,
}

/// Follows the principal branch of the logit quantal response equilibrium correspondence from
/// `λ = 0` (every strategy equally likely) toward a Nash equilibrium.
///
/// Method: McKelvey & Palfrey 1995, "Quantal response equilibria for normal form games", Games
/// and Economic Behavior 10(1), 6–38 (the logit QRE, section 3, and its limit as `λ → ∞`,
/// theorem 2); path following as in Turocy 2005, "A dynamic homotopy interpretation of the
/// logistic quantal response equilibrium correspondence", Games and Economic Behavior 51(2),
/// 243–263, by pseudo-arclength continuation in `(ln π, λ)`: an Euler predictor along the unit tangent and a Newton corrector on
/// `ln π_pj − ln π_p0 = λ (u_pj(π) − u_p0(π))`, `Σ_j π_pj = 1` (plus the arclength condition),
/// with the step cut when the corrector fails and grown when it succeeds, so the path may turn
/// back in `λ`. The tangent is found from `J_z`, so a path through a point where `J_z` is
/// exactly singular stops as [`QreStop::Stalled`].
///
/// # Errors
/// [`QreError::BadOption`]; [`QreError::TooLarge`] above [`QRE_MAX_PROFILES`] profiles.
///
/// # Complexity
/// Each Newton iteration costs `O(P · n³ + N³)` for `P` profiles, `n` players and `N` strategies
/// in all; the number of steps grows with `log λ_max`.
///
/// # Example
/// ```
/// use engines::games::{logit_qre, Game, QreError, QreOptions};
/// let g = Game::bimatrix_int(&[vec![1, -1], vec![-1, 1]], &[vec![-1, 1], vec![1, -1]]).unwrap();
/// let opts = QreOptions { epsilon: 1e-8, lambda_max: 1e7, max_steps: 10_000 };
/// let s = logit_qre(&g, &opts).unwrap();
/// // Matching pennies: the path stays at the centroid, its equilibrium; ε is within what was asked.
/// assert!((s.profile[0][0] - 0.5).abs() <= engines::prec::REORDER && s.epsilon <= opts.epsilon);
/// let bad = QreOptions { epsilon: -1.0, ..opts };
/// assert!(matches!(logit_qre(&g, &bad), Err(QreError::BadOption { name: "epsilon", .. })));
/// ```
pub fn logit_qre(game: &Game, options: &QreOptions) -> Result<QreSolution, QreError> {
    for (name, value) in [("epsilon", options.epsilon), ("lambda_max", options.lambda_max)] {
        if !(value.is_finite() && value > 0.0) {
            return Err(QreError::BadOption { name, value });
        }
    }
    if game.num_profiles() > QRE_MAX_PROFILES {
        return Err(QreError::TooLarge { profiles: game.num_profiles(), limit: QRE_MAX_PROFILES });
    }
    let scale = game.max_abs_payoff();
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let fl: Vec<Vec<f64>> = game
        .payoffs_f64()
        .into_iter()
        .map(|u| u.into_iter().map(|v| v / scale).collect())
        .collect();
    let shape = game.shape();
    let n = shape.len();
    let offsets: Vec<usize> = shape
        .iter()
        .scan(0, |acc, &m| {
            let o = *acc;
            *acc += m;
            Some(o)
        })
        .collect();
    let total: usize = shape.iter().sum();
    let mut z: Vec<f64> =
        shape.iter().flat_map(|&m| std::iter::repeat_n(-(m as f64).ln(), m)).collect();
    let mut lambda = 0.0f64;
    let mut h = 0.1f64;
    let mut steps = 0usize;
    let solver = Solver { game, fl: &fl, shape: &shape, offsets: &offsets, total, n };
    let mut previous: Option<Vec<f64>> = None;
    let stop = loop {
        let profile = solver.profile(&z);
        let eps = max_regret(game, &fl, &profile);
        if eps <= options.epsilon {
            break QreStop::Epsilon;
        }
        if lambda >= options.lambda_max {
            break QreStop::LambdaMax;
        }
        if steps >= options.max_steps {
            break QreStop::MaxSteps;
        }
        // The unit tangent of the path in (z, λ), oriented as the previous one (λ increasing
        // at the start).
        let Some(mut t) = solver.tangent(&z, lambda) else { break QreStop::Stalled };
        let dot: f64 = match &previous {
            Some(p) => p.iter().zip(&t).map(|(a, b)| a * b).sum(),
            None => t[total],
        };
        if dot < 0.0 {
            t.iter_mut().for_each(|v| *v = -*v);
        }
        let mut w: Vec<f64> = z.clone();
        w.push(lambda);
        let pred: Vec<f64> = w.iter().zip(&t).map(|(a, b)| a + h * b).collect();
        match solver.correct(pred, &t, h) {
            Some(next) => {
                lambda = next[total];
                z = next[..total].to_vec();
                previous = Some(t);
                steps += 1;
                h *= 1.5;
            }
            None => {
                h /= 4.0;
                if h < 1e-12 * (1.0 + lambda) {
                    break QreStop::Stalled;
                }
            }
        }
    };
    let profile = solver.profile(&z);
    let epsilon = max_regret(game, &fl, &profile) * scale;
    let payoffs: Vec<f64> = (0..n)
        .map(|p| {
            let v = pure_values_f64(game, &fl, p, &profile);
            v.iter().zip(&profile[p]).map(|(a, b)| a * b).sum::<f64>() * scale
        })
        .collect();
    Ok(QreSolution { profile, payoffs, epsilon, lambda: lambda / scale, steps, stop })
}

fn max_regret(game: &Game, fl: &[Vec<f64>], profile: &[Vec<f64>]) -> f64 {
    (0..profile.len())
        .map(|p| {
            let v = pure_values_f64(game, fl, p, profile);
            let own: f64 = v.iter().zip(&profile[p]).map(|(a, b)| a * b).sum();
            let best = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (best - own).max(0.0)
        })
        .fold(0.0, f64::max)
}

struct Solver<'a> {
    game: &'a Game,
    fl: &'a [Vec<f64>],
    shape: &'a [usize],
    offsets: &'a [usize],
    total: usize,
    n: usize,
}

impl Solver<'_> {
    fn profile(&self, z: &[f64]) -> Vec<Vec<f64>> {
        self.shape
            .iter()
            .zip(self.offsets)
            .map(|(&m, &o)| {
                let v: Vec<f64> = z[o..o + m].iter().map(|x| x.exp()).collect();
                let s: f64 = v.iter().sum();
                v.into_iter().map(|x| x / s).collect()
            })
            .collect()
    }

    /// The residual H(z, λ) and its Jacobian in z (row-major, total × total).
    fn system(&self, z: &[f64], lambda: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let t = self.total;
        let pi: Vec<Vec<f64>> = self
            .shape
            .iter()
            .zip(self.offsets)
            .map(|(&m, &o)| z[o..o + m].iter().map(|x| x.exp()).collect())
            .collect();
        let mut h = vec![0.0; t];
        let mut dl = vec![0.0; t];
        let mut jac = vec![0.0; t * t];
        // Pairwise payoff tables: u2[p][q][j][k] = E u_p | p plays j, q plays k.
        let mut u1: Vec<Vec<f64>> = self.shape.iter().map(|&m| vec![0.0; m]).collect();
        let mut u2: Vec<Vec<Vec<f64>>> = (0..self.n)
            .map(|p| (0..self.n).map(|q| vec![0.0; self.shape[p] * self.shape[q]]).collect())
            .collect();
        let mut prof = vec![0usize; self.n];
        for k in 0..self.game.num_profiles() {
            for p in 0..self.n {
                let u = self.fl[p][k];
                let w: f64 = (0..self.n).filter(|&r| r != p).map(|r| pi[r][prof[r]]).product();
                u1[p][prof[p]] += w * u;
                for q in 0..self.n {
                    if q == p {
                        continue;
                    }
                    let w2: f64 =
                        (0..self.n).filter(|&r| r != p && r != q).map(|r| pi[r][prof[r]]).product();
                    u2[p][q][prof[p] * self.shape[q] + prof[q]] += w2 * u;
                }
            }
            for (q, s) in prof.iter_mut().enumerate() {
                *s += 1;
                if *s < self.shape[q] {
                    break;
                }
                *s = 0;
            }
        }
        for p in 0..self.n {
            let (o, m) = (self.offsets[p], self.shape[p]);
            // Row o: Σ π − 1.
            h[o] = pi[p].iter().sum::<f64>() - 1.0;
            for k in 0..m {
                jac[o * t + o + k] = pi[p][k];
            }
            for j in 1..m {
                let row = o + j;
                h[row] = z[o + j] - z[o] - lambda * (u1[p][j] - u1[p][0]);
                dl[row] = -(u1[p][j] - u1[p][0]);
                jac[row * t + o + j] += 1.0;
                jac[row * t + o] -= 1.0;
                for q in 0..self.n {
                    if q == p {
                        continue;
                    }
                    let mq = self.shape[q];
                    for k in 0..mq {
                        let d = u2[p][q][j * mq + k] - u2[p][q][k];
                        jac[row * t + self.offsets[q] + k] -= lambda * d * pi[q][k];
                    }
                }
            }
        }
        (h, jac, dl)
    }

    /// The unit tangent `(dz, dλ)` of `H = 0`: `J_z dz = −∂H/∂λ · dλ` with `dλ = 1`, scaled.
    fn tangent(&self, z: &[f64], lambda: f64) -> Option<Vec<f64>> {
        let (_, jac, dl) = self.system(z, lambda);
        let neg: Vec<f64> = dl.iter().map(|v| -v).collect();
        let mut t = solve(jac, neg, self.total)?;
        t.push(1.0);
        let norm = t.iter().map(|v| v * v).sum::<f64>().sqrt();
        Some(t.into_iter().map(|v| v / norm).collect())
    }

    /// Newton's method on `H(z, λ) = 0` together with `t · (w − w_pred) = 0` (pseudo-arclength).
    fn correct(&self, mut w: Vec<f64>, t: &[f64], step_len: f64) -> Option<Vec<f64>> {
        let nt = self.total;
        let pred = w.clone();
        for _ in 0..12 {
            let (h, jac, dl) = self.system(&w[..nt], w[nt]);
            let norm = h.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            // Each residual is a difference of terms of size about λ: ask for relative accuracy.
            if norm < 1e-11 * (1.0 + w[nt].abs()) {
                return Some(w);
            }
            let m = nt + 1;
            let mut big = vec![0.0; m * m];
            for i in 0..nt {
                big[i * m..i * m + nt].copy_from_slice(&jac[i * nt..(i + 1) * nt]);
                big[i * m + nt] = dl[i];
            }
            big[nt * m..].copy_from_slice(t);
            let mut rhs: Vec<f64> = h.iter().map(|v| -v).collect();
            rhs.push(
                -t.iter().zip(w.iter().zip(&pred)).map(|(a, (x, p))| a * (x - p)).sum::<f64>(),
            );
            let dw = solve(big, rhs, m)?;
            let step = dw.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            if !step.is_finite() || step > 1.0 + step_len {
                return None;
            }
            for (a, d) in w.iter_mut().zip(&dw) {
                *a += d;
            }
        }
        None
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, t: usize) -> Option<Vec<f64>> {
    for col in 0..t {
        let piv =
            (col..t).max_by(|&i, &j| a[i * t + col].abs().total_cmp(&a[j * t + col].abs()))?;
        if a[piv * t + col].abs() < 1e-300 {
            return None;
        }
        if piv != col {
            for k in 0..t {
                a.swap(piv * t + k, col * t + k);
            }
            b.swap(piv, col);
        }
        for i in col + 1..t {
            let f = a[i * t + col] / a[col * t + col];
            if f != 0.0 {
                for k in col..t {
                    a[i * t + k] -= f * a[col * t + k];
                }
                b[i] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; t];
    for i in (0..t).rev() {
        let s: f64 = (i + 1..t).map(|k| a[i * t + k] * x[k]).sum();
        x[i] = (b[i] - s) / a[i * t + i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}
