//! One challenger's third parties on a single issue, for [`Order::Lanes`](super::Order):
//! the votes in a challenge are summed span by span of neighbouring positions, and the spans
//! not summed yet are bounded, so that a target that cannot beat the best gain found is
//! dropped after few votes or none.
//!
//! A span holds [`SPAN`] third parties adjacent in position. Within it the losses at i's and
//! at j's positions, the weights and the risk attitudes lie in narrow ranges, and every vote
//! is at most w g for one number g per span (see [`Line::bound`]): a sum of such bounds over
//! the spans is a tight bound on what the third parties can give either side.

use super::{Contest, LANES, Own};

/// Third parties per span (a multiple of [`LANES`]).
const SPAN: usize = 32;

/// What [`Line::bound`] needs of the spans of third parties, one entry per span in the order
/// they are summed (arrays rather than a struct per span, so that the bound over all spans
/// is computed without a branch and vectorises). Only third parties with a vote weight above
/// 0 count (the others vote 0); a span with none has every entry 0 and bounds nothing.
#[derive(Default)]
struct Spans {
    /// The span's third parties are `start..end` in position order.
    start: Vec<usize>,
    end: Vec<usize>,
    /// Σ w and Σ w a (a = 1 − u_ki, k's loss at i's position).
    weight: Vec<f64>,
    stake: Vec<f64>,
    /// The ranges of w, of a and of the risk attitudes as i estimates them.
    w_lo: Vec<f64>,
    w_hi: Vec<f64>,
    a_lo: Vec<f64>,
    a_hi: Vec<f64>,
    r_lo: Vec<f64>,
    r_hi: Vec<f64>,
    /// The lowest and the highest position.
    lo: Vec<f64>,
    hi: Vec<f64>,
}

/// The third parties of one challenger i on one issue, by position, with their spans.
pub(super) struct Line {
    /// In position order: positions, losses at i's position a = 1 − u_ki, i's estimates of
    /// their risk attitudes, and their weights (0 for i).
    x: Vec<f64>,
    loss_i: Vec<f64>,
    r_est: Vec<f64>,
    weight: Vec<f64>,
    /// Each actor's place in position order.
    place: Vec<usize>,
    /// The spans in the order in which they are summed: farthest from i first, where the
    /// large votes are. The order depends on i alone, so that targets at one position get
    /// their votes summed in the same order and tie exactly.
    spans: Spans,
    /// The rank in that order of the span starting at position-order place `SPAN * s`.
    rank: Vec<usize>,
    /// The actors farthest from i first.
    far: Vec<usize>,
    /// For the target being weighed, one entry per span: the most its third parties can add
    /// to i's votes and the least they must add to j's.
    to_i: Vec<f64>,
    to_j: Vec<f64>,
}

impl Line {
    /// Work space for `n` actors.
    pub(super) fn new(n: usize) -> Line {
        let spans = n.div_ceil(SPAN);
        Line {
            x: vec![0.0; n],
            loss_i: vec![0.0; n],
            r_est: vec![0.0; n],
            weight: vec![0.0; n],
            place: vec![0; n],
            spans: Spans::default(),
            rank: vec![0; spans],
            far: Vec::with_capacity(n),
            to_i: vec![0.0; spans],
            to_j: vec![0.0; spans],
        }
    }

    /// The actors, farthest from i's position first (ties: the lower first).
    pub(super) fn farthest_first(&self) -> &[usize] {
        &self.far
    }

    /// Sets up challenger i at `x_i`, from everybody's positions `pos` sorted as `sorted`,
    /// i's utilities `u_i`, its risk estimates `r_est` and the vote weights `weight` (0 for
    /// i).
    #[inline(always)]
    pub(super) fn fill(
        &mut self,
        x_i: f64,
        pos: &[f64],
        sorted: &[usize],
        u_i: &[f64],
        r_est: &[f64],
        weight: &[f64],
    ) {
        let n = sorted.len();
        for (t, &k) in sorted.iter().enumerate() {
            self.x[t] = pos[k];
            self.loss_i[t] = 1.0 - u_i[k];
            self.r_est[t] = r_est[k];
            self.weight[t] = weight[k];
            self.place[k] = t;
        }
        // Spans farthest from x_i first: a merge from both ends.
        let n_spans = n.div_ceil(SPAN);
        let spans = &mut self.spans;
        spans.clear();
        let (mut lo, mut hi) = (0, n_spans);
        while lo < hi {
            let s = if x_i - self.x[lo * SPAN] >= self.x[(hi * SPAN).min(n) - 1] - x_i {
                lo += 1;
                lo - 1
            } else {
                hi -= 1;
                hi
            };
            self.rank[s] = spans.start.len();
            spans.push(
                s * SPAN,
                ((s + 1) * SPAN).min(n),
                &self.x,
                &self.loss_i,
                &self.r_est,
                &self.weight,
            );
        }
        self.far.clear();
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let (a, b) = (sorted[lo], sorted[hi - 1]);
            if x_i - pos[a] >= pos[b] - x_i {
                self.far.push(a);
                lo += 1;
            } else {
                self.far.push(b);
                hi -= 1;
            }
        }
    }

    /// The outcome of i's challenge of j at `x_j` (the probability that i wins and its gain),
    /// or `None` once it is sure that the gain stays below `floor`. Third party k's distance
    /// to j's position is |x_k − x_j| (KTAB's salience-weighted distance, up to rounding).
    #[inline(always)]
    pub(super) fn weigh(
        &mut self,
        contest: &Contest,
        j: usize,
        x_j: f64,
        floor: f64,
    ) -> Option<(f64, f64)> {
        let n_spans = self.spans.start.len();
        self.spans.bound(contest, x_j, &mut self.to_i[..n_spans], &mut self.to_j[..n_spans]);
        // What the spans not summed yet can add: the sum over all, less each span's share
        // once it is summed. Rounding in these few subtractions is ~1e-16 of the votes, far
        // below the 1e-12 of slack on the gain.
        let mut rest_i = self.to_i[..n_spans].iter().sum::<f64>();
        let mut rest_j = self.to_j[..n_spans].iter().sum::<f64>();
        let beaten = |chij: f64, chji: f64, rest_i: f64, rest_j: f64| {
            contest.outcome(chij + rest_i.max(0.0), chji + rest_j.max(0.0)).1 + 1e-12 < floor
        };
        if beaten(contest.c_i, contest.c_j, rest_i, rest_j) {
            return None;
        }
        // j is no third party of its own challenge. Its vote (at distance 0 from its own
        // position) is added with the others and taken off afterwards, rather than given a
        // zero weight, so that targets at one position get the same sums bit for bit and tie
        // exactly, as in KTAB's order.
        let t_j = self.place[j];
        let own = Own {
            at: self.rank[t_j / SPAN],
            vote: contest.vote_lanes(self.loss_i[t_j], 0.0, self.weight[t_j]),
        };
        let mut sum = [0.0; LANES];
        let mut abs = [0.0; LANES];
        let totals = |sum: &[f64; LANES], abs: &[f64; LANES], done: usize| {
            let s = (sum[0] + sum[1]) + (sum[2] + sum[3]);
            let a = (abs[0] + abs[1]) + (abs[2] + abs[3]);
            let (s, a) = own.take_off(s, a, done);
            (contest.c_i + 0.5 * (a + s), contest.c_j + 0.5 * (a - s))
        };
        let vote = |x: f64, r: f64, a: f64, w: f64| {
            let d = (x - x_j).abs();
            contest.vote_lanes(a, 1.0 - (1.0 - d) * (1.0 + d * r), w)
        };
        for r in 0..n_spans {
            let (start, end) = (self.spans.start[r], self.spans.end[r]);
            let full = start + (end - start) / LANES * LANES;
            let lanes = self.x[start..full]
                .chunks_exact(LANES)
                .zip(self.r_est[start..full].chunks_exact(LANES))
                .zip(self.loss_i[start..full].chunks_exact(LANES))
                .zip(self.weight[start..full].chunks_exact(LANES));
            for (((x, rk), a), w) in lanes {
                for l in 0..LANES {
                    let v = vote(x[l], rk[l], a[l], w[l]);
                    sum[l] += v;
                    abs[l] += v.abs();
                }
            }
            for t in full..end {
                let v = vote(self.x[t], self.r_est[t], self.loss_i[t], self.weight[t]);
                sum[t - full] += v;
                abs[t - full] += v.abs();
            }
            if r + 1 < n_spans {
                rest_i -= self.to_i[r];
                rest_j -= self.to_j[r];
                let (chij, chji) = totals(&sum, &abs, r + 1);
                if beaten(chij, chji, rest_i, rest_j) {
                    return None;
                }
            }
        }
        let (chij, chji) = totals(&sum, &abs, n_spans);
        Some(contest.outcome(chij, chji))
    }
}

impl Spans {
    fn clear(&mut self) {
        for v in [
            &mut self.weight,
            &mut self.stake,
            &mut self.w_lo,
            &mut self.w_hi,
            &mut self.a_lo,
            &mut self.a_hi,
            &mut self.r_lo,
            &mut self.r_hi,
            &mut self.lo,
            &mut self.hi,
        ] {
            v.clear();
        }
        self.start.clear();
        self.end.clear();
    }

    /// Adds the span of the third parties `start..end` in position order, with their
    /// positions `x`, losses at i's position `loss_i`, risk attitudes `r_est` and weights.
    fn push(
        &mut self,
        start: usize,
        end: usize,
        x: &[f64],
        loss_i: &[f64],
        r_est: &[f64],
        weight: &[f64],
    ) {
        let (mut total, mut stake) = (0.0, 0.0);
        let (mut w_lo, mut w_hi) = (f64::INFINITY, 0.0f64);
        let (mut a_lo, mut a_hi) = (f64::INFINITY, 0.0f64);
        let (mut r_lo, mut r_hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for t in start..end {
            let (w, a) = (weight[t], loss_i[t]);
            if w > 0.0 {
                total += w;
                stake += w * a.max(0.0);
                w_lo = w_lo.min(w);
                w_hi = w_hi.max(w);
                a_lo = a_lo.min(a);
                a_hi = a_hi.max(a);
                r_lo = r_lo.min(r_est[t]);
                r_hi = r_hi.max(r_est[t]);
                lo = lo.min(x[t]);
                hi = hi.max(x[t]);
            }
        }
        if total <= 0.0 {
            (w_lo, a_lo, r_lo, r_hi, lo, hi) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        }
        self.start.push(start);
        self.end.push(end);
        self.weight.push(total);
        self.stake.push(stake);
        self.w_lo.push(w_lo);
        self.w_hi.push(w_hi);
        self.a_lo.push(a_lo);
        self.a_hi.push(a_hi);
        self.r_lo.push(r_lo);
        self.r_hi.push(r_hi);
        self.lo.push(lo);
        self.hi.push(hi);
    }

    /// For each span, the most its third parties can add to i's votes (`to_i`) and the
    /// least they must add to j's (`to_j`), in i's challenge of j at `x_j`.
    ///
    /// Third party k's vote is w (p a − (1 − p) b) (see [`Contest::vote_lanes`]), with a and
    /// b its losses at i's and j's positions and p its estimate of i's chance, which grows
    /// with t = w (b − a): p = (c_i + t) / (C + t) for t ≥ 0 and c_i / (C − t) below, with
    /// c_i, c_j the contenders' own votes and C = c_i + c_j. The vote grows with p and a and
    /// falls with b. In a span, b is at least the loss at the least distance from x_j with
    /// the highest risk attitude (the loss grows with the distance and falls with the risk
    /// attitude) and at most the loss at the greatest distance with the lowest; so t is at
    /// most the largest b minus the least a times the largest (or, when negative, the least)
    /// weight, which bounds p by P, and every vote is at most w g with
    /// g = P a_max − (1 − P) b_min. When g ≥ 0 the votes add at most g Σ w (and Σ w a) to
    /// i's side; when g < 0 each adds at least w |g| to j's.
    #[inline(always)]
    fn bound(&self, contest: &Contest, x_j: f64, to_i: &mut [f64], to_j: &mut [f64]) {
        let loss = |d: f64, r: f64| 1.0 - (1.0 - d) * (1.0 + d * r);
        let (c_i, c) = (contest.c_i, contest.c_i + contest.c_j);
        // Every array cut to one length, so that the loop runs without bounds checks and
        // vectorises.
        let n = to_i.len().min(to_j.len()).min(self.lo.len());
        let (to_i, to_j) = (&mut to_i[..n], &mut to_j[..n]);
        let (lo, hi, weight, stake) =
            (&self.lo[..n], &self.hi[..n], &self.weight[..n], &self.stake[..n]);
        let (r_lo, r_hi, a_lo, a_hi) =
            (&self.r_lo[..n], &self.r_hi[..n], &self.a_lo[..n], &self.a_hi[..n]);
        let (w_lo, w_hi) = (&self.w_lo[..n], &self.w_hi[..n]);
        for s in 0..n {
            let near = (lo[s] - x_j).max(x_j - hi[s]).max(0.0);
            let far = (x_j - lo[s]).max(hi[s] - x_j);
            let (b_lo, b_hi) = (loss(near, r_hi[s]), loss(far, r_lo[s]));
            let gap = b_hi - a_lo[s];
            let t = gap * if gap >= 0.0 { w_hi[s] } else { w_lo[s] };
            let p = (c_i + t.max(0.0)) / (c + t.abs());
            let g = p * a_hi[s] - (1.0 - p) * b_lo;
            to_i[s] = (g.max(0.0) * weight[s]).min(stake[s]);
            to_j[s] = (-g).max(0.0) * weight[s];
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::prec;

    /// A contest with the contenders' own votes `c_i`, `c_j` (the rest does not enter the
    /// votes).
    fn contest(c_i: f64, c_j: f64) -> Contest {
        Contest { c_i, c_j, sj: 0.5, eu_sq: 1.5, uhkij: 2.0, uhkji: 1.0 }
    }

    /// Every span's bound holds for its third parties' votes: what they add to i's side is at
    /// most `to_i`, what they add to j's at least `to_j`, on random spans that are narrow
    /// (neighbouring positions) and wide, with weights and risk attitudes over their whole
    /// ranges, and contests from even to lopsided.
    #[test]
    fn span_bounds_hold_for_every_vote() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261127);
        let mut tight = 0;
        for case in 0..4000 {
            let n = rng.random_range(1..=SPAN);
            let centre: f64 = rng.random_range(0.0..1.0);
            let width = if case % 2 == 0 { 0.02 } else { 1.0 };
            let x_i: f64 = rng.random_range(0.0..1.0);
            let x_j: f64 = rng.random_range(0.0..1.0);
            let (mut x, mut a, mut r, mut w) = (vec![], vec![], vec![], vec![]);
            for _ in 0..n {
                let xk: f64 = (centre + rng.random_range(-width..width)).clamp(0.0, 1.0);
                let rk: f64 = rng.random_range(-0.5..=1.0);
                let d = (xk - x_i).abs();
                x.push(xk);
                r.push(rk);
                a.push(1.0 - (1.0 - d) * (1.0 + d * rk));
                w.push(if rng.random_bool(0.1) { 0.0 } else { rng.random_range(0.01..200.0) });
            }
            let mut spans = Spans::default();
            spans.push(0, n, &x, &a, &r, &w);
            let c = contest(rng.random_range(1e-8..100.0), rng.random_range(1e-8..100.0));
            let (mut to_i, mut to_j) = ([0.0], [0.0]);
            spans.bound(&c, x_j, &mut to_i, &mut to_j);
            let (mut plus, mut minus) = (0.0, 0.0);
            for k in 0..n {
                let d = (x[k] - x_j).abs();
                let v = c.vote_lanes(a[k], 1.0 - (1.0 - d) * (1.0 + d * r[k]), w[k]);
                plus += v.max(0.0);
                minus += (-v).max(0.0);
            }
            let slack = prec::REORDER * (1.0 + plus + minus);
            assert!(plus <= to_i[0] + slack, "case {case}: votes for i {plus} > bound {}", to_i[0]);
            assert!(
                minus + slack >= to_j[0],
                "case {case}: votes for j {minus} < bound {}",
                to_j[0]
            );
            if to_j[0] > 0.0 {
                tight += 1;
            }
        }
        // The bound is not trivially loose: many spans are shown to side with j.
        assert!(tight > 200, "only {tight} spans bounded j's votes from below");
    }
}
