//! Bueno de Mesquita's expected utility model of bargaining on one issue, as reconstructed by
//! Scholz, Calbert & Smith (2011), run round by round.
//!
//! Each round every actor's risk exponent is set from how exposed its position is (its
//! "danger"), then every actor weighs every other actor's challenge against its own, receives
//! offers (confrontation, compromise, capitulation), accepts one, and all actors move at once.
//! Probabilities of winning a challenge come from capability × salience weighted votes.
//!
//! The votes behind every win probability are summed with prefix sums over the actors sorted by
//! position, and the global denominator once per round, so a round costs O(n u + u² log u) for
//! n actors at u distinct positions instead of the O(n³) of a direct transcription.

use rayon::prelude::*;

use super::{BargainInput, weighted_mean, weighted_median};

/// How the probability that position a beats position b is normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum WinProbability {
    /// Scholz et al.'s code: the votes for a over b divided by the sum of the absolute votes of
    /// every actor over every pair of actors' positions (one denominator per round). This
    /// reproduces the published replication; probabilities are small and do not sum to 1.
    Global,
    /// The paper's printed formula: the votes for a over b divided by the absolute votes on
    /// this pair only, so that P(a beats b) + P(b beats a) = 1.
    Pairwise,
}

/// Which offer an actor accepts when it receives several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum OfferSelection {
    /// Scholz et al.'s code: a confrontation before a compromise before a capitulation; among
    /// confrontations and capitulations the smallest move; among compromises the one whose
    /// EU-weighted position (|e_ij| x_i + |e_ji| x_j) / (|e_ij| + |e_ji|) is lowest.
    Scholz,
    /// Bueno de Mesquita's verbal rule: the offer that moves the actor least, whatever its kind.
    LeastMove,
}

/// Whether capitulation offers are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Capitulation {
    /// Scholz et al.'s code: its capitulation test compares e_ji with its own absolute value,
    /// so it never holds and no capitulation is ever offered. This reproduces the published
    /// runs (the 17-actor case in which nobody moves depends on it).
    ScholzCode,
    /// The rule as printed (Scholz et al. 2011, fig. 2): when e_ji > 0 > e_ij and
    /// e_ji < |e_ij|, the receiver capitulates to the proposer's position.
    Printed,
}

/// How much of each round is kept in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Detail {
    /// Positions, risk, the accepted offer of each actor, mean and median: O(n) per round.
    Accepted,
    /// Also every offer made and the round's table of win probabilities (all exponents 1):
    /// O(n²) per round.
    Full,
}

/// The options of [`eum`]. There is no `Default`: [`EumOptions::scholz`] gives the published
/// settings.
#[derive(Debug, Clone, PartialEq)]
pub struct EumOptions {
    /// How win probabilities are normalised.
    pub win_probability: WinProbability,
    /// Which offer an actor accepts.
    pub offer_selection: OfferSelection,
    /// Whether capitulations are offered.
    pub capitulation: Capitulation,
    /// Q, the probability that the status quo persists if nobody challenges, in `[0, 1]`
    /// (1 in Scholz et al.'s code).
    pub q: f64,
    /// T, the probability that the status quo improves when it changes, in `[0, 1]`; only used
    /// when `q < 1`.
    pub t: f64,
    /// The most rounds to run (10 in the published runs).
    pub max_rounds: usize,
    /// The run has settled once no position moves by more than this (on the input's scale).
    pub tolerance: f64,
    /// How much of each round to keep.
    pub detail: Detail,
}

impl EumOptions {
    /// The settings of Scholz et al.'s code: global win probability, Scholz offer selection,
    /// Q = 1, T = 1, 10 rounds, tolerance 1e-9 of the scale, accepted offers only.
    pub fn scholz() -> EumOptions {
        EumOptions {
            win_probability: WinProbability::Global,
            offer_selection: OfferSelection::Scholz,
            capitulation: Capitulation::ScholzCode,
            q: 1.0,
            t: 1.0,
            max_rounds: 10,
            tolerance: 1e-9,
            detail: Detail::Accepted,
        }
    }
}

/// The kind of an offer, from the receiver's point of view (Bueno de Mesquita 1994, fig. 4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum OfferKind {
    /// Both expect to gain by challenging, the proposer more: the receiver expects to lose the
    /// confrontation and moves to the proposer's position.
    Confrontation,
    /// The proposer expects to gain more than the receiver expects to lose: the receiver moves
    /// part of the way, in proportion |e_ij / e_ji|.
    Compromise,
    /// The receiver expects to lose more than the proposer gains: it gives in fully.
    Capitulation,
}

/// One offer: `proposer` asks `receiver` to move to `position`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Offer {
    /// The actor asked to move (i).
    pub receiver: usize,
    /// The actor making the offer (j).
    pub proposer: usize,
    /// The kind of offer.
    pub kind: OfferKind,
    /// e_ij: the receiver's expected utility of challenging the proposer, as it sees it.
    pub eu_receiver: f64,
    /// e_ji: the proposer's expected utility of challenging the receiver, as the receiver sees it.
    pub eu_proposer: f64,
    /// Where the receiver would move.
    pub position: f64,
}

/// Win probabilities between the distinct positions of a round.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProbabilityTable {
    /// The distinct positions, ascending.
    pub positions: Vec<f64>,
    /// `p[a][b]`: the probability that `positions[a]` beats `positions[b]` (0 on the diagonal).
    pub p: Vec<Vec<f64>>,
}

/// One round of the model.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EumRound {
    /// The round's number, from 1.
    pub round: usize,
    /// Each actor's danger D_i: the sum of every other actor's expected utility of challenging
    /// it, with every risk exponent 1.
    pub danger: Vec<f64>,
    /// Each actor's risk acceptance R_i in `[-1, 1]`.
    pub risk_acceptance: Vec<f64>,
    /// Each actor's risk exponent r_i = (1 − R_i/3) / (1 + R_i/3), in `[0.5, 2]`.
    pub risk_exponent: Vec<f64>,
    /// The offer each actor accepted (`None`: it received none and stays).
    pub accepted: Vec<Option<Offer>>,
    /// Every offer made, by receiver then proposer (empty unless [`Detail::Full`]).
    pub offers: Vec<Offer>,
    /// The win probabilities used for danger (empty unless [`Detail::Full`]).
    pub danger_probabilities: Option<ProbabilityTable>,
    /// Every actor's position at the end of the round.
    pub positions: Vec<f64>,
    /// The capability × salience weighted mean of those positions.
    pub mean: f64,
    /// Their weighted median.
    pub median: f64,
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "kebab-case"))]
pub enum Termination {
    /// Every actor starts at the same position (or there is one actor): nothing to bargain
    /// over, no round is run.
    Consensus,
    /// No position moved by more than the tolerance in this round.
    Settled {
        /// The round in which nobody moved.
        round: usize,
    },
    /// The round cap was reached with positions still moving.
    RoundCap,
}

/// The result of [`eum`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EumOutcome {
    /// The issue bargained over.
    pub issue: usize,
    /// Positions before the first round.
    pub initial_positions: Vec<f64>,
    /// Their weighted mean.
    pub initial_mean: f64,
    /// Their weighted median.
    pub initial_median: f64,
    /// The rounds run, in order.
    pub rounds: Vec<EumRound>,
    /// Why the run stopped.
    pub termination: Termination,
    /// The actors whose direction of movement reversed at least twice: the run oscillates
    /// rather than converges for them (empty if it settles cleanly).
    pub oscillating: Vec<usize>,
}

impl EumOutcome {
    /// Final positions (the initial ones when no round ran).
    pub fn final_positions(&self) -> &[f64] {
        self.rounds.last().map_or(&self.initial_positions, |r| &r.positions)
    }
}

/// Why [`eum`] could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EumError {
    /// The issue index is out of range.
    #[error("there is no issue {issue} (there are {n_issues})")]
    Issue {
        /// The index asked for.
        issue: usize,
        /// The number of issues.
        n_issues: usize,
    },
    /// An option is out of range: `q` or `t` outside `[0, 1]`, or a negative tolerance.
    #[error("option {name} = {value} is out of range")]
    Option {
        /// The option's name.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// Every actor has zero capability × salience on this issue: nobody's vote counts.
    #[error("every actor has zero capability x salience on issue {issue}")]
    NoWeight {
        /// The issue.
        issue: usize,
    },
}

/// Runs the expected utility model on one issue.
///
/// Bueno de Mesquita, B. (1994), "Political forecasting: an expected utility method", in
/// Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP, pp. 71–104;
/// as reconstructed by Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011), "Unravelling Bueno De
/// Mesquita's group decision model", *Journal of Theoretical Politics* 23(4):510–531,
/// doi:10.1177/0951629811418142, eqs. 1–11. Names follow the paper: x (position), c
/// (capability), s (salience), r (risk exponent), R (risk acceptance), Q and T. Where the paper's
/// expected utility E^j(U_ji) prints s_j, the target's salience is used, as in the authors' code.
/// The status-quo terms U_b and U_w (only when Q < 1) use the challenger's distances to the
/// median and to the target.
///
/// Δ, the scale of distances, is the spread of the initial positions and stays fixed.
///
/// # Errors
/// [`EumError::Issue`] for an issue index out of range, [`EumError::Option`] for Q or T outside
/// `[0, 1]` or a negative or non-finite tolerance, [`EumError::NoWeight`] when every c s on the
/// issue is 0. All positions equal (including a single actor) is not an error: the result has
/// no rounds and [`Termination::Consensus`].
///
/// # Complexity
/// Per round O(n² + n u + u² log n) time for n actors at u distinct positions (the n² is the
/// offers), O(n u) memory; rounds ≤ `max_rounds`. Receivers are processed in parallel; the
/// result does not depend on the number of threads.
///
/// # Example
/// ```
/// use engines::bargain::{BargainInput, IssueData};
/// use engines::bargain::eum::{EumError, EumOptions, Termination, eum};
/// let issue = IssueData {
///     scale_min: 0.0, scale_max: 10.0,
///     position: vec![4.0, 7.0, 10.0], salience: vec![0.8, 0.4, 0.9],
/// };
/// let input = BargainInput::new(vec![0.3, 0.2, 0.5], vec![issue]).unwrap();
/// let out = eum(&input, 0, &EumOptions::scholz()).unwrap();
/// assert!(out.rounds.len() <= 10);
/// // A Q outside [0, 1] is refused.
/// let bad = EumOptions { q: 1.5, ..EumOptions::scholz() };
/// assert_eq!(eum(&input, 0, &bad), Err(EumError::Option { name: "q", value: 1.5 }));
/// ```
pub fn eum(
    input: &BargainInput,
    issue: usize,
    options: &EumOptions,
) -> Result<EumOutcome, EumError> {
    if issue >= input.n_issues() {
        return Err(EumError::Issue { issue, n_issues: input.n_issues() });
    }
    for (name, value) in [("q", options.q), ("t", options.t)] {
        if !(0.0..=1.0).contains(&value) {
            return Err(EumError::Option { name, value });
        }
    }
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(EumError::Option { name: "tolerance", value: options.tolerance });
    }
    let data = input.issue(issue);
    let w: Vec<f64> = input.capability().iter().zip(&data.salience).map(|(c, s)| c * s).collect();
    let (Some(initial_mean), Some(initial_median)) =
        (weighted_mean(&w, &data.position), weighted_median(&w, &data.position))
    else {
        return Err(EumError::NoWeight { issue });
    };
    let x0 = data.position.clone();
    let lo = x0.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x0.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let delta = hi - lo;
    let mut out = EumOutcome {
        issue,
        initial_positions: x0.clone(),
        initial_mean,
        initial_median,
        rounds: Vec::new(),
        termination: Termination::Consensus,
        oscillating: Vec::new(),
    };
    if delta <= 0.0 {
        return Ok(out);
    }
    let model = Model { w: &w, s: &data.salience, delta, options };
    let mut x = x0;
    out.termination = Termination::RoundCap;
    for round in 1..=options.max_rounds {
        let r = model.round(round, &x);
        let moved = x.iter().zip(&r.positions).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        x.clone_from(&r.positions);
        out.rounds.push(r);
        if moved <= options.tolerance {
            out.termination = Termination::Settled { round };
            break;
        }
    }
    out.oscillating = oscillating(&out, options.tolerance);
    Ok(out)
}

/// The actors whose direction of movement reversed at least twice.
fn oscillating(out: &EumOutcome, tol: f64) -> Vec<usize> {
    (0..out.initial_positions.len())
        .filter(|&i| {
            let mut prev = out.initial_positions[i];
            let mut last_sign = 0.0;
            let mut reversals = 0;
            for r in &out.rounds {
                let step = r.positions[i] - prev;
                prev = r.positions[i];
                if step.abs() > tol {
                    let sign = step.signum();
                    if last_sign != 0.0 && sign != last_sign {
                        reversals += 1;
                    }
                    last_sign = sign;
                }
            }
            reversals >= 2
        })
        .collect()
}

/// The fixed data of a run.
struct Model<'a> {
    /// c s per actor.
    w: &'a [f64],
    s: &'a [f64],
    delta: f64,
    options: &'a EumOptions,
}

/// The distinct positions of a round and each actor's place among them.
pub(super) struct Positions {
    /// Distinct positions, ascending.
    pub(super) y: Vec<f64>,
    /// Actor → index into `y`.
    pub(super) at: Vec<usize>,
    /// Actors at each distinct position.
    pub(super) count: Vec<usize>,
}

impl Positions {
    pub(super) fn new(x: &[f64]) -> Positions {
        let mut y = x.to_vec();
        y.sort_by(f64::total_cmp);
        y.dedup();
        let at: Vec<usize> = x.iter().map(|v| y.partition_point(|u| u < v)).collect();
        let mut count = vec![0; y.len()];
        for &a in &at {
            count[a] += 1;
        }
        Positions { y, at, count }
    }
}

/// The weighted votes of one round between distinct positions, for one set of risk exponents.
pub(super) struct Votes {
    u: usize,
    /// `num[a * u + b]`: Σ_k w_k max(0, d(x_k, y_b)^r_k − d(x_k, y_a)^r_k), the votes for y_a
    /// over y_b.
    num: Vec<f64>,
    /// The transpose of `num`, so that both P(a beats b) and P(b beats a) are read along a row.
    num_t: Vec<f64>,
    /// The global denominator Σ_k Σ_m Σ_q |v_k(x_m, x_q)|.
    global: f64,
    pairwise: bool,
}

impl Votes {
    /// Builds the table of votes between distinct positions and the global denominator. `x`
    /// are the actors' positions.
    ///
    /// Voters strictly nearer y_a than y_b vote for a, so the votes for a over b are a
    /// difference of two prefix sums over the voters sorted by position, cut at the midpoint
    /// of y_a and y_b; a voter exactly at the midpoint is indifferent. Sweeping b away from a
    /// moves the cut monotonically, so no search is needed.
    pub(super) fn new(
        x: &[f64],
        p: &Positions,
        w: &[f64],
        r: &[f64],
        delta: f64,
        rule: WinProbability,
    ) -> Votes {
        let n = x.len();
        let u = p.y.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
        // prefix[m * (n + 1) + t]: Σ over the first t voters by position of
        // w_k (|x_k − y_m| / Δ)^r_k. Each column is written in order (a shared table of the
        // powers would be read across its rows here, which profiled slower than computing the
        // powers twice).
        let mut prefix = vec![0.0; u * (n + 1)];
        prefix.par_chunks_mut(n + 1).enumerate().for_each(|(m, col)| {
            let ym = p.y[m];
            let mut acc = 0.0;
            for (t, &k) in order.iter().enumerate() {
                acc += w[k] * power((x[k] - ym).abs() / delta, r[k]);
                col[t + 1] = acc;
            }
        });
        let mut below = vec![0; u + 1];
        for c in 0..u {
            below[c + 1] = below[c] + p.count[c];
        }
        let col = |m: usize| &prefix[m * (n + 1)..(m + 1) * (n + 1)];
        let mut num = vec![0.0; u * u];
        num.par_chunks_mut(u).enumerate().for_each(|(a, row)| {
            let ca = col(a);
            // b above a: voters below the midpoint vote for a.
            let mut c = a;
            for (b, v) in row.iter_mut().enumerate().skip(a + 1) {
                let mid = 0.5 * (p.y[a] + p.y[b]);
                while c < u && p.y[c] < mid {
                    c += 1;
                }
                let t = below[c];
                *v = (col(b)[t] - ca[t]).max(0.0);
            }
            // b below a: voters above the midpoint vote for a.
            let mut c = a + 1;
            for b in (0..a).rev() {
                let mid = 0.5 * (p.y[a] + p.y[b]);
                while c > 0 && p.y[c - 1] > mid {
                    c -= 1;
                }
                let t = below[c];
                let cb = col(b);
                row[b] = ((cb[n] - cb[t]) - (ca[n] - ca[t])).max(0.0);
            }
        });
        let global = match rule {
            WinProbability::Pairwise => 0.0,
            WinProbability::Global => {
                let per_voter: Vec<f64> = (0..n)
                    .into_par_iter()
                    .map(|k| w[k] * abs_differences(p, p.at[k], r[k], delta))
                    .collect();
                per_voter.iter().sum()
            }
        };
        let mut num_t = vec![0.0; u * u];
        const BLOCK: usize = 64;
        for a0 in (0..u).step_by(BLOCK) {
            for b0 in (0..u).step_by(BLOCK) {
                for a in a0..(a0 + BLOCK).min(u) {
                    for b in b0..(b0 + BLOCK).min(u) {
                        num_t[b * u + a] = num[a * u + b];
                    }
                }
            }
        }
        Votes { u, num, num_t, global, pairwise: rule == WinProbability::Pairwise }
    }

    /// P(y_a beats y_b), read along row a.
    pub(super) fn probability(&self, a: usize, b: usize) -> f64 {
        let k = a * self.u + b;
        self.ratio(a == b, self.num[k], self.num_t[k])
    }

    /// P(y_a beats y_b), read along row b.
    pub(super) fn probability_against(&self, b: usize, a: usize) -> f64 {
        let k = b * self.u + a;
        self.ratio(a == b, self.num_t[k], self.num[k])
    }

    /// `num` over the global denominator, or over `num + back` for pairwise probabilities.
    fn ratio(&self, same: bool, num: f64, back: f64) -> f64 {
        if same {
            return 0.0;
        }
        let den = if self.pairwise { num + back } else { self.global };
        if den > 0.0 {
            num / den
        } else if self.pairwise {
            0.5
        } else {
            0.0
        }
    }
}

/// Σ_m Σ_q |d_km^r − d_kq^r| over ordered pairs of actors, for the voter at distinct position
/// `home`: the distinct positions are visited in order of distance from it (a merge of the two
/// sides), so the values come sorted without a sort.
fn abs_differences(p: &Positions, home: usize, r: f64, delta: f64) -> f64 {
    let y = &p.y;
    let here = y[home];
    let (mut left, mut right) = (home as isize - 1, home);
    let (mut count, mut sum, mut total) = (0.0, 0.0, 0.0);
    loop {
        let pick_right = match (left >= 0, right < y.len()) {
            (false, false) => break,
            (true, false) => false,
            (false, true) => true,
            (true, true) => (y[right] - here) <= (here - y[left as usize]),
        };
        let m = if pick_right {
            right += 1;
            right - 1
        } else {
            left -= 1;
            (left + 1) as usize
        };
        let v = power((y[m] - here).abs() / delta, r);
        let c = p.count[m] as f64;
        total += c * (count * v - sum);
        count += c;
        sum += c * v;
    }
    2.0 * total
}

/// `base^r`, exact for r = 1 (the danger pass) and for base 0.
fn power(base: f64, r: f64) -> f64 {
    if r == 1.0 { base } else { base.powf(r) }
}

/// The utilities of Scholz et al. (2011) eqs. 2–5 for one perspective h (exponent r).
struct Utility {
    r: f64,
    q: f64,
    t: f64,
    u_sq: f64,
}

impl Utility {
    fn new(r: f64, q: f64, t: f64) -> Utility {
        Utility { r, q, t, u_sq: 2.0 - 4.0 * power(0.5, r) }
    }

    /// U_s and U_f at distance d.
    fn success_failure(&self, d: f64) -> (f64, f64) {
        (2.0 - 4.0 * power(0.5 - 0.5 * d, self.r), 2.0 - 4.0 * power(0.5 + 0.5 * d, self.r))
    }

    /// E^h(U_ab): the expected utility of a challenging b, with d = d(a, b), p = P(a beats b),
    /// `s_target` = s_b and `sq` = (|x_a − μ| + |x_a − x_b|) / Δ.
    fn eu(&self, d: f64, p: f64, s_target: f64, sq: f64) -> f64 {
        let (u_s, u_f) = self.success_failure(d);
        self.eu_with(u_s, u_f, p, s_target, sq)
    }

    /// [`Utility::eu`] with U_s and U_f already known.
    fn eu_with(&self, u_s: f64, u_f: f64, p: f64, s_target: f64, sq: f64) -> f64 {
        let mut e =
            s_target * (p * u_s + (1.0 - p) * u_f) + (1.0 - s_target) * u_s - self.q * self.u_sq;
        if self.q < 1.0 {
            let u_b = 2.0 - 4.0 * power(0.5 - 0.25 * sq, self.r);
            let u_w = 2.0 - 4.0 * power(0.5 + 0.25 * sq, self.r);
            e -= (1.0 - self.q) * (self.t * u_b + (1.0 - self.t) * u_w);
        }
        e
    }
}

impl Model<'_> {
    fn round(&self, round: usize, x: &[f64]) -> EumRound {
        let n = x.len();
        let o = self.options;
        let p = Positions::new(x);
        let u = p.y.len();
        let delta = self.delta;
        let mu = weighted_median(self.w, x).unwrap_or(x[0]);
        let sq = |a: f64, b: f64| ((a - mu).abs() + (a - b).abs()) / delta;

        // 1. Danger with every exponent 1.
        let ones = vec![1.0; n];
        let votes1 = Votes::new(x, &p, self.w, &ones, delta, o.win_probability);
        let neutral = Utility::new(1.0, o.q, o.t);
        let danger: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|i| {
                let b = p.at[i];
                (0..u)
                    .map(|a| {
                        let others = p.count[a] - usize::from(a == b);
                        if others == 0 {
                            return 0.0;
                        }
                        let d = (p.y[a] - p.y[b]).abs() / delta;
                        let pr = votes1.probability_against(b, a);
                        others as f64 * neutral.eu(d, pr, self.s[i], sq(p.y[a], p.y[b]))
                    })
                    .sum()
            })
            .collect();
        let danger_probabilities = (o.detail == Detail::Full).then(|| ProbabilityTable {
            positions: p.y.clone(),
            p: (0..u).map(|a| (0..u).map(|b| votes1.probability(a, b)).collect()).collect(),
        });

        // 2. Risk acceptance and exponents, all at once.
        let dmax = danger.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let dmin = danger.iter().copied().fold(f64::INFINITY, f64::min);
        let risk_acceptance: Vec<f64> = danger
            .iter()
            .map(|&d| if dmax > dmin { (2.0 * d - dmax - dmin) / (dmax - dmin) } else { 0.0 })
            .collect();
        let r: Vec<f64> =
            risk_acceptance.iter().map(|&big| (1.0 - big / 3.0) / (1.0 + big / 3.0)).collect();

        // 3. Offers, with the new exponents.
        let votes = Votes::new(x, &p, self.w, &r, delta, o.win_probability);
        let per_receiver: Vec<(Option<Offer>, Vec<Offer>)> = (0..n)
            .into_par_iter()
            .map(|i| {
                let util = Utility::new(r[i], o.q, o.t);
                let ai = p.at[i];
                let mut offers = Vec::new();
                let mut best: Option<(Offer, f64, u8)> = None;
                for j in 0..n {
                    let aj = p.at[j];
                    if aj == ai {
                        continue;
                    }
                    let d = (x[i] - x[j]).abs() / delta;
                    let (u_s, u_f) = util.success_failure(d);
                    let e_ij = util.eu_with(
                        u_s,
                        u_f,
                        votes.probability(ai, aj),
                        self.s[j],
                        sq(x[i], x[j]),
                    );
                    let e_ji = util.eu_with(
                        u_s,
                        u_f,
                        votes.probability_against(ai, aj),
                        self.s[i],
                        sq(x[j], x[i]),
                    );
                    let Some(offer) = classify(i, j, x, e_ij, e_ji, o.capitulation) else {
                        continue;
                    };
                    let (key, rank) = match (o.offer_selection, offer.kind) {
                        (OfferSelection::LeastMove, _) => ((offer.position - x[i]).abs(), 0),
                        (OfferSelection::Scholz, OfferKind::Confrontation) => {
                            ((offer.position - x[i]).abs(), 0)
                        }
                        (OfferSelection::Scholz, OfferKind::Compromise) => {
                            let (a, b) = (e_ij.abs(), e_ji.abs());
                            ((a * x[i] + b * x[j]) / (a + b), 1)
                        }
                        (OfferSelection::Scholz, OfferKind::Capitulation) => {
                            ((offer.position - x[i]).abs(), 2)
                        }
                    };
                    let better = match &best {
                        None => true,
                        Some((_, k, rk)) => rank < *rk || (rank == *rk && key < *k),
                    };
                    if o.detail == Detail::Full {
                        offers.push(offer.clone());
                    }
                    if better {
                        best = Some((offer, key, rank));
                    }
                }
                (best.map(|b| b.0), offers)
            })
            .collect();

        // 4. Everybody moves at once.
        let mut positions = x.to_vec();
        let mut accepted = Vec::with_capacity(n);
        let mut offers = Vec::new();
        for (i, (best, all)) in per_receiver.into_iter().enumerate() {
            if let Some(b) = &best {
                positions[i] = b.position;
            }
            accepted.push(best);
            offers.extend(all);
        }
        let mean = weighted_mean(self.w, &positions).unwrap_or(positions[0]);
        let median = weighted_median(self.w, &positions).unwrap_or(positions[0]);
        EumRound {
            round,
            danger,
            risk_acceptance,
            risk_exponent: r,
            accepted,
            offers,
            danger_probabilities,
            positions,
            mean,
            median,
        }
    }
}

/// Scholz et al. (2011) fig. 2: the offer j makes to i, if any.
fn classify(
    i: usize,
    j: usize,
    x: &[f64],
    e_ij: f64,
    e_ji: f64,
    capitulation: Capitulation,
) -> Option<Offer> {
    let (kind, position) = if e_ji > e_ij && e_ij > 0.0 {
        (OfferKind::Confrontation, x[j])
    } else if e_ji > 0.0 && 0.0 > e_ij && e_ji > e_ij.abs() {
        (OfferKind::Compromise, x[i] + (x[j] - x[i]) * (e_ij / e_ji).abs())
    } else if capitulation == Capitulation::Printed && e_ji > 0.0 && 0.0 > e_ij && e_ji < e_ij.abs()
    {
        (OfferKind::Capitulation, x[j])
    } else {
        return None;
    };
    Some(Offer { receiver: i, proposer: j, kind, eu_receiver: e_ij, eu_proposer: e_ji, position })
}
