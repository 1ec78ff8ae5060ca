//! A direct transcription of one round of the expected utility model, equation by equation as
//! `tests/fixtures/bargain/SPEC.md` §1 writes them (Scholz, Calbert & Smith 2011, eqs. 1–11):
//! every win probability summed over every voter, the global denominator over every voter and
//! every ordered pair of actors (O(n³) per round), `powf` for every power, nothing shared. It is
//! slow and plain on purpose: the tests check the fast path of `eum.rs` against it.

use super::{Capitulation, EumOptions, OfferKind, OfferSelection, WinProbability, weighted_median};

/// What one round decides, as the direct transcription computes it.
pub(in crate::bargain) struct DirectRound {
    /// D_i, with every exponent 1.
    pub(in crate::bargain) danger: Vec<f64>,
    /// r_i.
    pub(in crate::bargain) risk_exponent: Vec<f64>,
    /// The accepted offer's proposer and kind, per receiver.
    pub(in crate::bargain) accepted: Vec<Option<(usize, OfferKind)>>,
    /// The positions after the round.
    pub(in crate::bargain) positions: Vec<f64>,
}

/// One round from positions `x`, with weights w = c s, saliences `s` and the scale `delta`.
pub(in crate::bargain) fn direct_round(
    w: &[f64],
    s: &[f64],
    delta: f64,
    x: &[f64],
    o: &EumOptions,
) -> DirectRound {
    let n = x.len();
    let pairwise = o.win_probability == WinProbability::Pairwise;
    let mu = weighted_median(w, x).unwrap_or(x[0]);
    let dist = |a: f64, b: f64| (a - b).abs() / delta;
    // v_k(y, z) = c_k s_k [d(x_k, z)^r_k − d(x_k, y)^r_k].
    let vote = |r: &[f64], k: usize, y: f64, z: f64| {
        w[k] * (dist(x[k], z).powf(r[k]) - dist(x[k], y).powf(r[k]))
    };
    let global = |r: &[f64]| {
        let mut total = 0.0;
        for k in 0..n {
            for m in 0..n {
                for q in 0..n {
                    total += vote(r, k, x[m], x[q]).abs();
                }
            }
        }
        total
    };
    // P(a beats b).
    let probability = |r: &[f64], global: f64, a: usize, b: usize| {
        if x[a] == x[b] {
            return 0.0;
        }
        let num: f64 = (0..n).map(|k| vote(r, k, x[a], x[b]).max(0.0)).sum();
        let den = if pairwise {
            num + (0..n).map(|k| vote(r, k, x[b], x[a]).max(0.0)).sum::<f64>()
        } else {
            global
        };
        if den > 0.0 {
            num / den
        } else if pairwise {
            0.5
        } else {
            0.0
        }
    };
    // E^h(U_ab) with exponent r_h and P(a beats b) = p: target salience s_b; the status-quo
    // terms use the challenger's distances to the median and to the target.
    let eu = |r_h: f64, a: usize, b: usize, p: f64| {
        let u = |z: f64| 2.0 - 4.0 * z.powf(r_h);
        let d = dist(x[a], x[b]);
        let (u_s, u_f, u_sq) = (u(0.5 - 0.5 * d), u(0.5 + 0.5 * d), u(0.5));
        let mut e = s[b] * (p * u_s + (1.0 - p) * u_f) + (1.0 - s[b]) * u_s - o.q * u_sq;
        if o.q < 1.0 {
            let sq = ((x[a] - mu).abs() + (x[a] - x[b]).abs()) / delta;
            let (u_b, u_w) = (u(0.5 - 0.25 * sq), u(0.5 + 0.25 * sq));
            e -= (1.0 - o.q) * (o.t * u_b + (1.0 - o.t) * u_w);
        }
        e
    };

    // D_i = Σ_{j≠i} E^i(U_ji), every exponent 1.
    let ones = vec![1.0; n];
    let g1 = global(&ones);
    let danger: Vec<f64> = (0..n)
        .map(|i| {
            (0..n).filter(|&j| j != i).map(|j| eu(1.0, j, i, probability(&ones, g1, j, i))).sum()
        })
        .collect();
    let dmax = danger.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let dmin = danger.iter().copied().fold(f64::INFINITY, f64::min);
    let risk_exponent: Vec<f64> = danger
        .iter()
        .map(|&d| {
            let big = if dmax > dmin { (2.0 * d - dmax - dmin) / (dmax - dmin) } else { 0.0 };
            (1.0 - big / 3.0) / (1.0 + big / 3.0)
        })
        .collect();

    let g = global(&risk_exponent);
    let mut accepted = vec![None; n];
    let mut positions = x.to_vec();
    for i in 0..n {
        let r_i = risk_exponent[i];
        // (rank, key, proposer, kind, position) of the best offer so far.
        let mut best: Option<(u8, f64, usize, OfferKind, f64)> = None;
        for j in 0..n {
            if x[j] == x[i] {
                continue;
            }
            let e_ij = eu(r_i, i, j, probability(&risk_exponent, g, i, j));
            let e_ji = eu(r_i, j, i, probability(&risk_exponent, g, j, i));
            let (kind, to) = if e_ji > e_ij && e_ij > 0.0 {
                (OfferKind::Confrontation, x[j])
            } else if e_ji > 0.0 && 0.0 > e_ij && e_ji > e_ij.abs() {
                (OfferKind::Compromise, x[i] + (x[j] - x[i]) * (e_ij / e_ji).abs())
            } else if o.capitulation == Capitulation::Printed
                && e_ji > 0.0
                && 0.0 > e_ij
                && e_ji < e_ij.abs()
            {
                (OfferKind::Capitulation, x[j])
            } else {
                continue;
            };
            let (rank, key) = match (o.offer_selection, kind) {
                (OfferSelection::LeastMove, _) => (0, (to - x[i]).abs()),
                (OfferSelection::Scholz, OfferKind::Confrontation) => (0, (to - x[i]).abs()),
                (OfferSelection::Scholz, OfferKind::Compromise) => {
                    let (a, b) = (e_ij.abs(), e_ji.abs());
                    (1, (a * x[i] + b * x[j]) / (a + b))
                }
                (OfferSelection::Scholz, OfferKind::Capitulation) => (2, (to - x[i]).abs()),
            };
            // Strictly better only, so that ties go to the first proposer in input order.
            if best.is_none_or(|(rk, k, ..)| rank < rk || (rank == rk && key < k)) {
                best = Some((rank, key, j, kind, to));
            }
        }
        if let Some((_, _, j, kind, to)) = best {
            accepted[i] = Some((j, kind));
            positions[i] = to;
        }
    }
    DirectRound { danger, risk_exponent, accepted, positions }
}
