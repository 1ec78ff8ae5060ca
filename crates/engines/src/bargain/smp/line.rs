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

/// What [`Line::bound`] needs of a span of third parties. Only third parties with a vote
/// weight above 0 count: the others vote 0.
#[derive(Clone, Copy)]
struct Span {
    /// The span's third parties are `start..end` in position order.
    start: usize,
    end: usize,
    /// Σ w and Σ w a (a = 1 − u_ki, k's loss at i's position).
    weight: f64,
    stake: f64,
    /// The ranges of w, of a and of the risk attitudes as i estimates them.
    w_lo: f64,
    w_hi: f64,
    a_lo: f64,
    a_hi: f64,
    r_lo: f64,
    r_hi: f64,
    /// The lowest and the highest position.
    lo: f64,
    hi: f64,
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
    spans: Vec<Span>,
    /// The order in which spans are summed: farthest from i first, where the large votes
    /// are. It depends on i alone, so that targets at one position get their votes summed
    /// in the same order and tie exactly.
    visit: Vec<usize>,
    /// Each span's rank in `visit`.
    rank: Vec<usize>,
    /// The actors farthest from i first.
    far: Vec<usize>,
    /// For the target being weighed, in `visit` order: the most the spans from rank r on can
    /// add to i's votes, and the least they must add to j's.
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
            spans: Vec::with_capacity(spans),
            visit: Vec::with_capacity(spans),
            rank: vec![0; spans],
            far: Vec::with_capacity(n),
            to_i: vec![0.0; spans + 1],
            to_j: vec![0.0; spans + 1],
        }
    }

    /// The actors, farthest from i's position first (ties: the lower first).
    pub(super) fn farthest_first(&self) -> &[usize] {
        &self.far
    }

    /// Sets up challenger i at `x_i`, from everybody's positions `pos` sorted as `sorted`,
    /// i's utilities `u_i`, its risk estimates `r_est` and the vote weights `weight` (0 for
    /// i).
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
        self.spans.clear();
        for start in (0..n).step_by(SPAN) {
            let end = (start + SPAN).min(n);
            let mut s = Span {
                start,
                end,
                weight: 0.0,
                stake: 0.0,
                w_lo: f64::INFINITY,
                w_hi: 0.0,
                a_lo: f64::INFINITY,
                a_hi: 0.0,
                r_lo: f64::INFINITY,
                r_hi: f64::NEG_INFINITY,
                lo: f64::INFINITY,
                hi: f64::NEG_INFINITY,
            };
            for t in start..end {
                let (w, a) = (self.weight[t], self.loss_i[t]);
                if w > 0.0 {
                    s.weight += w;
                    s.stake += w * a.max(0.0);
                    s.w_lo = s.w_lo.min(w);
                    s.w_hi = s.w_hi.max(w);
                    s.a_lo = s.a_lo.min(a);
                    s.a_hi = s.a_hi.max(a);
                    s.r_lo = s.r_lo.min(self.r_est[t]);
                    s.r_hi = s.r_hi.max(self.r_est[t]);
                    s.lo = s.lo.min(self.x[t]);
                    s.hi = s.hi.max(self.x[t]);
                }
            }
            self.spans.push(s);
        }
        // Spans and actors farthest from x_i first: a merge from both ends.
        self.visit.clear();
        let (mut lo, mut hi) = (0, self.spans.len());
        while lo < hi {
            if x_i - self.x[self.spans[lo].start] >= self.x[self.spans[hi - 1].end - 1] - x_i {
                self.visit.push(lo);
                lo += 1;
            } else {
                hi -= 1;
                self.visit.push(hi);
            }
        }
        for (r, &s) in self.visit.iter().enumerate() {
            self.rank[s] = r;
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
    pub(super) fn weigh(
        &mut self,
        contest: &Contest,
        j: usize,
        x_j: f64,
        floor: f64,
    ) -> Option<(f64, f64)> {
        let n_spans = self.spans.len();
        self.to_i[n_spans] = 0.0;
        self.to_j[n_spans] = 0.0;
        for r in (0..n_spans).rev() {
            let (to_i, to_j) = Self::bound(&self.spans[self.visit[r]], contest, x_j);
            self.to_i[r] = self.to_i[r + 1] + to_i;
            self.to_j[r] = self.to_j[r + 1] + to_j;
        }
        let beaten = |chij: f64, chji: f64, r: usize| {
            contest.outcome(chij + self.to_i[r], chji + self.to_j[r]).1 + 1e-12 < floor
        };
        if beaten(contest.c_i, contest.c_j, 0) {
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
            let Span { start, end, .. } = self.spans[self.visit[r]];
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
                let (chij, chji) = totals(&sum, &abs, r + 1);
                if beaten(chij, chji, r + 1) {
                    return None;
                }
            }
        }
        let (chij, chji) = totals(&sum, &abs, n_spans);
        Some(contest.outcome(chij, chji))
    }

    /// The most the third parties of `span` can add to i's votes and the least they must add
    /// to j's, in i's challenge of j at `x_j`.
    ///
    /// Third party k's vote is w (p a − (1 − p) b) (see [`Contest::vote_lanes`]), with a and
    /// b its losses at i's and j's positions and p its estimate of i's chance, which grows
    /// with t = w (b − a): p = (c_i + t) / (C + t) for t ≥ 0 and c_i / (C − t) below, with
    /// c_i, c_j the contenders' own votes and C = c_i + c_j. The vote grows with p and a and
    /// falls with b. In the span, b is at least the loss at the least distance from x_j
    /// with the highest risk attitude (the loss grows with the distance and falls with the
    /// risk attitude) and at most the loss at the greatest distance with the lowest; so t is
    /// at most the largest b minus the least a times the largest (or, when negative, the
    /// least) weight, which bounds p by P, and every vote is at most w g with
    /// g = P a_max − (1 − P) b_min. When g ≥ 0 the votes add at most g Σ w (and Σ w a) to
    /// i's side; when g < 0 each adds at least w |g| to j's.
    fn bound(span: &Span, contest: &Contest, x_j: f64) -> (f64, f64) {
        if span.weight <= 0.0 {
            return (0.0, 0.0);
        }
        let loss = |d: f64, r: f64| 1.0 - (1.0 - d) * (1.0 + d * r);
        let near = (span.lo - x_j).max(x_j - span.hi).max(0.0);
        let far = (x_j - span.lo).max(span.hi - x_j);
        let (b_lo, b_hi) = (loss(near, span.r_hi), loss(far, span.r_lo));
        let gap = b_hi - span.a_lo;
        let t = gap * if gap >= 0.0 { span.w_hi } else { span.w_lo };
        let p = (contest.c_i + t.max(0.0)) / (contest.c_i + contest.c_j + t.abs());
        let g = p * span.a_hi - (1.0 - p) * b_lo;
        if g >= 0.0 { ((g * span.weight).min(span.stake), 0.0) } else { (0.0, -g * span.weight) }
    }
}
