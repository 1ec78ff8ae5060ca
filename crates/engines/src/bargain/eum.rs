//! Bueno de Mesquita's expected utility model of bargaining on one issue, as reconstructed by
//! Scholz, Calbert & Smith (2011), run round by round.
//!
//! Each round every actor's risk exponent is set from how exposed its position is (its
//! "danger"), then every actor weighs every other actor's challenge against its own, receives
//! offers (confrontation, compromise, capitulation), accepts one, and all actors move at once.
//! Probabilities of winning a challenge come from capability × salience weighted votes.
//!
//! How a round stays fast (n actors at u distinct positions; a direct transcription, kept for
//! the tests in `eum/direct.rs`, is O(n³) per round):
//! - The votes for y_a over y_b are a difference of prefix sums over the voters sorted by
//!   position, cut at the midpoint, so a distinct position's row of votes costs O(u) once the
//!   O(n u) prefix sums are there; rows are filled only for positions whose receivers need them.
//!   The global denominator is taken once per round, as a dot product per voter with rank
//!   weights that depend on positions only (computed once per round, shared by both passes).
//! - The danger pass (every exponent 1) has its votes in closed form (prefix sums of w and w x),
//!   and an actor's danger is linear in its salience, so it costs O(u²) and no table.
//! - Powers d^r are exp(r ln d): the logarithms depend on positions only and are taken once per
//!   distinct position, shared by every voter and receiver there; a voter's powers serve both
//!   its prefix sums and its share of the denominator.
//! - A receiver works out U_s, U_f and e_ji once per distinct proposer position; a receiver that
//!   provably gets no offer (Q = 1, r ≥ 1, σ ≥ 1/2) is skipped.
//! - Buffers are kept from round to round; distinct positions and receivers are processed in
//!   parallel, and every sum is taken in a fixed order, so the result does not depend on the
//!   number of threads.
//!
//! These change the order of rounding only: the tests compare every round with the direct
//! transcription to `prec::FAST_PATH`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::{BargainInput, weighted_mean, weighted_median};
use crate::budget::{Budget, Limit, Stopped};

#[cfg(test)]
pub(super) mod direct;

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

    /// The cycle the run ended in, if it ended in one: the shortest `period >= 2` such that every
    /// position after the last round is within `tolerance` of the same actor's position
    /// `period` rounds earlier (the initial positions count as round 0), with the range of the
    /// weighted mean over the last `period` rounds.
    ///
    /// A round is a function of the positions before it alone, so positions that repeat after
    /// `period` rounds repeat for ever: no further round limit gives a point the cycle does not
    /// already hold. `None` for a run that settled, ran fewer than two rounds, or oscillates
    /// without repeating.
    ///
    /// # Example
    /// ```
    /// use engines::bargain::eum::{Cycle, EumOptions, eum};
    /// use engines::bargain::{BargainInput, IssueData};
    /// // South Korean support to Ukraine in the built-in korea-2024 scenario: the United
    /// // States moves 70 → 50 → 13.9 and back to 70 for ever.
    /// let issue = IssueData {
    ///     scale_min: 0.0, scale_max: 100.0,
    ///     position: vec![0.0, 0.0, 35.0, 60.0, 70.0, 85.0],
    ///     salience: vec![0.70, 0.75, 0.60, 0.45, 0.55, 0.90],
    /// };
    /// let input = BargainInput::new(vec![15.0, 60.0, 30.0, 100.0, 55.0, 20.0], vec![issue]).unwrap();
    /// let out = eum(&input, 0, &EumOptions::scholz()).unwrap();
    /// let c: Cycle = out.cycle(engines::prec::CYCLE).expect("it cycles");
    /// assert_eq!(c.period, 3);
    /// assert!(c.mean_min < c.mean_max);
    /// // A run that settles has no cycle.
    /// let calm = IssueData {
    ///     scale_min: 0.0, scale_max: 100.0, position: vec![40.0, 40.0], salience: vec![0.5, 0.5],
    /// };
    /// let calm = BargainInput::new(vec![1.0, 1.0], vec![calm]).unwrap();
    /// assert_eq!(eum(&calm, 0, &EumOptions::scholz()).unwrap().cycle(engines::prec::CYCLE), None);
    /// ```
    pub fn cycle(&self, tolerance: f64) -> Option<Cycle> {
        if matches!(self.termination, Termination::Settled { .. } | Termination::Consensus) {
            return None;
        }
        let t = self.rounds.len();
        let at = |k: usize| -> &[f64] {
            if k == 0 { &self.initial_positions } else { &self.rounds[k - 1].positions }
        };
        let last = at(t);
        let period = (2..=t)
            .find(|&p| at(t - p).iter().zip(last).all(|(a, b)| (a - b).abs() <= tolerance))?;
        let tail = &self.rounds[t - period..];
        let fold = |f: fn(&EumRound) -> f64| {
            tail.iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
        };
        let (mean_min, mean_max) = fold(|r| r.mean);
        let (median_min, median_max) = fold(|r| r.median);
        Some(Cycle { period, mean_min, mean_max, median_min, median_max })
    }
}

/// A cycle a run ended in (see [`EumOutcome::cycle`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cycle {
    /// The number of rounds after which the positions repeat.
    pub period: usize,
    /// The lowest weighted mean of the rounds in one turn of the cycle.
    pub mean_min: f64,
    /// The highest.
    pub mean_max: f64,
    /// The lowest weighted median of those rounds.
    pub median_min: f64,
    /// The highest.
    pub median_max: f64,
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
    /// The run would need more memory than the budget allows ([`estimate_bytes`] against
    /// [`Budget::max_bytes`]); refused before anything is allocated.
    #[error(
        "a run with {actors} actors at {positions} distinct positions would need about {bytes} bytes, more than the limit of {limit} bytes"
    )]
    TooLarge {
        /// The number of actors.
        actors: usize,
        /// Their distinct initial positions.
        positions: usize,
        /// The estimate.
        bytes: u64,
        /// [`Budget::max_bytes`].
        limit: u64,
    },
}

/// How many receivers' offers [`eum_within`] weighs between two calls of its `progress`.
pub const PROGRESS_EVERY: u64 = 1024;

/// The result of [`eum_within`]: the outcome, and whether the budget cut it short.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BoundedEum {
    /// The rounds run (all of them when `stopped` is `None`).
    pub outcome: EumOutcome,
    /// Set when the budget ran out first: `done` rounds were run of at most `total`, and the
    /// outcome's termination is [`Termination::RoundCap`] though the cap was not reached.
    pub stopped: Option<Stopped>,
}

/// The memory, in bytes, that [`eum`] needs for `actors` actors starting at `positions`
/// distinct positions: the round's tables over distinct positions (O(u²)), each round's record
/// (O(n), or O(n²) with [`Detail::Full`]) for `options.max_rounds` rounds. Offers may create new
/// positions, so this is the need of the first rounds, within a small factor.
pub fn estimate_bytes(actors: usize, positions: usize, options: &EumOptions) -> u64 {
    let (n, u) = (actors as u64, positions as u64);
    let rounds = options.max_rounds as u64;
    let tables = u.saturating_mul(u).saturating_mul(40);
    let per_round = match options.detail {
        Detail::Accepted => n.saturating_mul(96),
        Detail::Full => n.saturating_mul(n).saturating_mul(56),
    };
    tables.saturating_add(per_round.saturating_mul(rounds)).saturating_add(n.saturating_mul(64))
}

/// [`eum`] within a [`Budget`]: refused with [`EumError::TooLarge`] when [`estimate_bytes`]
/// exceeds `budget.max_bytes`; stopped after `budget.max_nodes` rounds; and stopped as soon as
/// `budget.max_time` runs out, the round under way abandoned (a round on many actors takes
/// minutes), with the rounds completed so far marked incomplete.
/// `progress(done, total)` counts receivers: it is called every [`PROGRESS_EVERY`] receivers
/// and after each round, with `total` = n × `max_rounds`.
///
/// # Errors
/// As [`eum`], and [`EumError::TooLarge`].
///
/// # Complexity
/// As [`eum`], plus O(n log n) for the estimate.
///
/// # Example
/// ```
/// use engines::bargain::{BargainInput, IssueData};
/// use engines::bargain::eum::{EumError, EumOptions, eum_within};
/// use engines::budget::Budget;
/// let issue = IssueData {
///     scale_min: 0.0, scale_max: 10.0,
///     position: vec![4.0, 7.0, 10.0], salience: vec![0.8, 0.4, 0.9],
/// };
/// let input = BargainInput::new(vec![0.3, 0.2, 0.5], vec![issue]).unwrap();
/// let one = Budget { max_nodes: Some(1), ..Budget::UNLIMITED };
/// let b = eum_within(&input, 0, &EumOptions::scholz(), &one, &|_, _| {}).unwrap();
/// assert!(b.outcome.rounds.len() <= 1);
/// let tiny = Budget { max_bytes: Some(10), ..Budget::UNLIMITED };
/// let e = eum_within(&input, 0, &EumOptions::scholz(), &tiny, &|_, _| {});
/// assert!(matches!(e, Err(EumError::TooLarge { actors: 3, .. })));
/// ```
pub fn eum_within(
    input: &BargainInput,
    issue: usize,
    options: &EumOptions,
    budget: &Budget,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<BoundedEum, EumError> {
    if issue >= input.n_issues() {
        return Err(EumError::Issue { issue, n_issues: input.n_issues() });
    }
    let mut x: Vec<f64> = input.issue(issue).position.clone();
    x.sort_by(f64::total_cmp);
    x.dedup();
    let bytes = estimate_bytes(input.n_actors(), x.len(), options);
    if !budget.allows_bytes(bytes) {
        return Err(EumError::TooLarge {
            actors: input.n_actors(),
            positions: x.len(),
            bytes,
            limit: budget.max_bytes.unwrap_or(u64::MAX),
        });
    }
    drop(x);
    run(input, issue, options, budget, progress)
        .map(|(outcome, stopped)| BoundedEum { outcome, stopped })
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
/// Per round O(n² + n u + u²) time for n actors at u distinct positions (the n² is the offers,
/// the n u the exponentials of the powers d^r), O(u²) memory; rounds ≤ `max_rounds`. Distinct
/// positions and receivers are processed in parallel; the result does not depend on the number
/// of threads.
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
    run(input, issue, options, &Budget::UNLIMITED, &|_, _| {}).map(|(outcome, _)| outcome)
}

/// The run, round by round, until it settles, reaches the round cap or exhausts the budget.
fn run(
    input: &BargainInput,
    issue: usize,
    options: &EumOptions,
    budget: &Budget,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(EumOutcome, Option<Stopped>), EumError> {
    let deadline = budget.deadline();
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
        return Ok((out, None));
    }
    let model = Model { w: &w, s: &data.salience, delta, options };
    let mut work = Work::new();
    let mut x = x0;
    out.termination = Termination::RoundCap;
    // Progress counts receivers weighed: n a round.
    let (rounds, n) = (options.max_rounds as u64, x.len() as u64);
    let weighed = AtomicU64::new(0);
    let tick = || {
        let k = weighed.fetch_add(1, Ordering::Relaxed) + 1;
        if k % PROGRESS_EVERY == 0 {
            progress(k, rounds * n);
        }
    };
    let mut stopped = None;
    for round in 1..=options.max_rounds {
        let Some(r) = model.round(round, &x, &mut work, deadline, &tick) else {
            stopped = Some(Stopped { limit: Limit::Time, done: round as u64 - 1, total: rounds });
            break;
        };
        let moved = x.iter().zip(&r.positions).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        x.clone_from(&r.positions);
        out.rounds.push(r);
        if moved <= options.tolerance {
            out.termination = Termination::Settled { round };
            break;
        }
        weighed.store(round as u64 * n, Ordering::Relaxed);
        progress(round as u64 * n, rounds * n);
        let limit = if budget.max_nodes.is_some_and(|k| round as u64 >= k) {
            Some(Limit::Nodes)
        } else if deadline.is_some_and(|t| Instant::now() >= t) {
            Some(Limit::Time)
        } else {
            None
        };
        if let Some(limit) = limit.filter(|_| round < options.max_rounds) {
            stopped = Some(Stopped { limit, done: round as u64, total: rounds });
            break;
        }
    }
    out.oscillating = oscillating(&out, options.tolerance);
    Ok((out, stopped))
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

/// The buffers of a run, kept from round to round so that a round allocates only its result.
struct Work {
    p: Positions,
    /// `rank[c * u + m]`: [`rank_weights`] from y_c, shared by both passes of a round.
    rank: Vec<f64>,
    /// The votes with every exponent 1 (danger).
    neutral: Neutral,
    /// The votes with the round's exponents (offers).
    votes: Votes,
}

impl Work {
    fn new() -> Work {
        Work {
            p: Positions::empty(),
            rank: Vec::new(),
            neutral: Neutral::empty(),
            votes: Votes::empty(),
        }
    }
}

/// The distinct positions of a round and each actor's place among them.
pub(super) struct Positions {
    /// Distinct positions, ascending.
    pub(super) y: Vec<f64>,
    /// Actor → index into `y`.
    pub(super) at: Vec<usize>,
    /// Actors at each distinct position.
    pub(super) count: Vec<usize>,
    /// The actors sorted by position, then by index: those at `y[c]` are
    /// `members[start[c]..start[c + 1]]`.
    members: Vec<usize>,
    start: Vec<usize>,
    /// `y` between the sentinels −∞ and +∞ (`padded[c + 1] == y[c]`), so that the sweeps below
    /// step without bounds checks.
    padded: Vec<f64>,
}

impl Positions {
    #[cfg(test)]
    pub(super) fn new(x: &[f64]) -> Positions {
        let mut p = Positions::empty();
        p.fill(x);
        p
    }

    fn empty() -> Positions {
        Positions {
            y: Vec::new(),
            at: Vec::new(),
            count: Vec::new(),
            members: Vec::new(),
            start: Vec::new(),
            padded: Vec::new(),
        }
    }

    fn fill(&mut self, x: &[f64]) {
        let n = x.len();
        self.members.clear();
        self.members.extend(0..n);
        self.members.sort_unstable_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
        self.y.clear();
        self.count.clear();
        self.start.clear();
        self.at.clear();
        self.at.resize(n, 0);
        for (t, &k) in self.members.iter().enumerate() {
            // `!=` rather than the sort's order, so that -0 and 0 are one position.
            if self.y.last() != Some(&x[k]) {
                self.y.push(x[k]);
                self.count.push(0);
                self.start.push(t);
            }
            let c = self.y.len() - 1;
            self.at[k] = c;
            self.count[c] += 1;
        }
        self.start.push(n);
        self.padded.clear();
        self.padded.push(f64::NEG_INFINITY);
        self.padded.extend_from_slice(&self.y);
        self.padded.push(f64::INFINITY);
    }

    /// The actors at `y[c]`, in input order.
    fn members(&self, c: usize) -> &[usize] {
        &self.members[self.start[c]..self.start[c + 1]]
    }
}

/// The relative rounding allowed for in a sum of votes (prefix sums of at most a few thousand
/// terms, each with a relative error of a few ulps), so that a bound on them stays a bound.
const VOTE_ROUNDING: f64 = 1e-9;

/// The weighted votes of one round between distinct positions, for one set of risk exponents.
pub(super) struct Votes {
    u: usize,
    /// The global denominator Σ_k Σ_m Σ_q |v_k(x_m, x_q)|.
    global: f64,
    /// 1 / `global`, or 0 when it is 0 (every probability is then 0).
    inv_global: f64,
    /// Σ_k w_k, a bound on the votes for any position over any other (every d^r ≤ 1).
    total_weight: f64,
    pairwise: bool,
    /// `prefix[c * u + m]`: Σ over the voters at y_0 … y_{c−1} of w_k d(x_k, y_m)^r_k, for c in
    /// 0..=u (scratch, kept for its allocation, as is the one below).
    prefix: Vec<f64>,
    /// Each distinct position's voters' share of the global denominator (scratch).
    spread: Vec<f64>,
}

impl Votes {
    /// Builds the table of votes between distinct positions and the global denominator.
    #[cfg(test)]
    pub(super) fn new(
        p: &Positions,
        w: &[f64],
        r: &[f64],
        delta: f64,
        rule: WinProbability,
    ) -> Votes {
        let mut rank = Vec::new();
        fill_ranks(p, rule, &mut rank);
        let mut v = Votes::empty();
        v.fill(p, w, r, &rank, delta, rule);
        v
    }

    fn empty() -> Votes {
        Votes {
            u: 0,
            global: 0.0,
            inv_global: 0.0,
            total_weight: 0.0,
            pairwise: false,
            prefix: Vec::new(),
            spread: Vec::new(),
        }
    }

    /// Fills the tables for the positions `p`, weights `w` and exponents `r`; `rank` holds
    /// [`rank_weights`] from every distinct position (empty unless the rule is `Global`).
    ///
    /// Voters strictly nearer y_a than y_b vote for a, so the votes for a over b are a
    /// difference of two prefix sums over the voters sorted by position, cut at the midpoint
    /// of y_a and y_b; a voter exactly at the midpoint is indifferent. Sweeping b away from a
    /// moves the cut monotonically, so no search is needed. The voters at one distinct position
    /// share their distances, so the logarithms behind their powers d^r = exp(r ln d) are taken
    /// once per distinct position; a voter's powers serve both the prefix sums and its share
    /// of the global denominator.
    fn fill(
        &mut self,
        p: &Positions,
        w: &[f64],
        r: &[f64],
        rank: &[f64],
        delta: f64,
        rule: WinProbability,
    ) {
        let u = p.y.len();
        self.u = u;
        self.pairwise = rule == WinProbability::Pairwise;
        let global = rule == WinProbability::Global;
        self.prefix.resize((u + 1) * u, 0.0);
        self.spread.resize(u, 0.0);
        // Row c + 1 first holds the summed powers of the voters at y_c alone, then running sums
        // are taken down the rows.
        let (head, rows) = self.prefix.split_at_mut(u);
        head.fill(0.0);
        rows.par_chunks_mut(u).zip(self.spread.par_iter_mut()).enumerate().for_each_init(
            || (vec![0.0; u], vec![0.0; u]),
            |(d, ln_d), (c, (row, spread))| {
                let rank = if global { &rank[c * u..(c + 1) * u] } else { &[] };
                *spread = group_powers(p, c, w, r, delta, rank, d, ln_d, row);
            },
        );
        for c in 1..u {
            let (done, rest) = self.prefix.split_at_mut((c + 1) * u);
            for (v, before) in rest[..u].iter_mut().zip(&done[c * u..]) {
                *v += before;
            }
        }
        self.global = if global { self.spread.iter().sum() } else { 0.0 };
        self.inv_global = if self.global > 0.0 { 1.0 / self.global } else { 0.0 };
        self.total_weight = w.iter().sum();
    }

    /// Fills row a of the table of votes between distinct positions: `row[b]` the votes for
    /// y_a over y_b, Σ_k w_k max(0, d(x_k, y_b)^r_k − d(x_k, y_a)^r_k), and `row_t[b]` those for
    /// y_b over y_a. Rows are filled when a receiver needs them, so that positions whose
    /// receivers all get no offer cost nothing here.
    fn row(&self, p: &Positions, a: usize, row: &mut [f64], row_t: &mut [f64]) {
        let u = self.u;
        let prefix = &self.prefix;
        let (y, yp) = (&p.y, &p.padded);
        let at = |c: usize, m: usize| prefix[c * u + m];
        row[a] = 0.0;
        row_t[a] = 0.0;
        // b above a: voters below the midpoint (before `lo`, the first position at or above
        // it) vote for a, voters above it (from `hi`, the first position above it) for b.
        let (mut lo, mut hi) = (a, a);
        for b in a + 1..u {
            cuts_up(yp, 0.5 * (y[a] + y[b]), &mut lo, &mut hi);
            row[b] = (at(lo, b) - at(lo, a)).max(0.0);
            row_t[b] = ((at(u, a) - at(hi, a)) - (at(u, b) - at(hi, b))).max(0.0);
        }
        // b below a: voters above the midpoint vote for a, voters below it for b.
        let (mut lo, mut hi) = (a + 1, a + 1);
        for b in (0..a).rev() {
            cuts_down(yp, 0.5 * (y[a] + y[b]), &mut lo, &mut hi);
            row[b] = ((at(u, b) - at(hi, b)) - (at(u, a) - at(hi, a))).max(0.0);
            row_t[b] = (at(lo, a) - at(lo, b)).max(0.0);
        }
    }

    /// P(y_a beats y_b), from row a (tests only: it fills the row for every call).
    #[cfg(test)]
    pub(super) fn probability(&self, p: &Positions, a: usize, b: usize) -> f64 {
        let mut row = vec![0.0; self.u];
        let mut row_t = vec![0.0; self.u];
        self.row(p, a, &mut row, &mut row_t);
        self.ratio(a == b, row[b], row_t[b])
    }

    /// A bound on every P(y_a beats y_b) that needs no row, for the global denominator: the
    /// votes for any position are at most Σ_k w_k (with a margin for the rounding of the
    /// prefix sums). `None` for pairwise probabilities.
    fn max_probability(&self) -> Option<f64> {
        if self.pairwise {
            None
        } else if self.global > 0.0 {
            Some((self.total_weight * (1.0 + VOTE_ROUNDING) / self.global).min(1.0))
        } else {
            Some(0.0)
        }
    }

    /// `num` over the global denominator, or over `num + back` for pairwise probabilities.
    fn ratio(&self, same: bool, num: f64, back: f64) -> f64 {
        if same {
            return 0.0;
        }
        if !self.pairwise {
            return num * self.inv_global;
        }
        let den = num + back;
        if den > 0.0 { num / den } else { 0.5 }
    }
}

/// Writes into `row` Σ_k w_k d(y_c, y_m)^r_k over the voters k at y_c, for every m, and returns
/// their share Σ_k w_k Σ_m Σ_q |d_km^r_k − d_kq^r_k| of the global denominator (0 unless
/// `global`). `d`, `ln_d` and `rank` are scratch of length u.
///
/// For a voter at y_c the powers rise with the distance from y_c, so over ordered pairs of
/// actors Σ_m Σ_q |v_m − v_q| = 2 Σ_m count_m v_m (L_m − G_m), with L_m and G_m the numbers of
/// actors nearer to and farther from y_c than y_m (ties contribute nothing either way): one dot
/// product per voter with weights that depend on c only.
#[allow(clippy::too_many_arguments)]
fn group_powers(
    p: &Positions,
    c: usize,
    w: &[f64],
    r: &[f64],
    delta: f64,
    rank: &[f64],
    d: &mut [f64],
    ln_d: &mut [f64],
    row: &mut [f64],
) -> f64 {
    let here = p.y[c];
    let members = p.members(c);
    row.fill(0.0);
    for (v, &ym) in d.iter_mut().zip(&p.y) {
        *v = (ym - here).abs() / delta;
    }
    if members.iter().any(|&k| r[k] != 1.0) {
        for (l, &v) in ln_d.iter_mut().zip(d.iter()) {
            *l = v.ln();
        }
    }
    let mut spread = 0.0;
    for &k in members {
        let (wk, rk) = (w[k], r[k]);
        if rk == 1.0 {
            for (v, &dm) in row.iter_mut().zip(d.iter()) {
                *v += wk * dm;
            }
            if !rank.is_empty() {
                spread += wk * (2.0 * dot(rank, d));
            }
        } else if rank.is_empty() {
            for (v, &l) in row.iter_mut().zip(ln_d.iter()) {
                *v += wk * (rk * l).exp();
            }
        } else {
            let mut dot = 0.0;
            for ((v, &l), &g) in row.iter_mut().zip(ln_d.iter()).zip(rank) {
                let dm = (rk * l).exp();
                *v += wk * dm;
                dot += g * dm;
            }
            spread += wk * (2.0 * dot);
        }
    }
    spread
}

/// Σ a_m b_m, in order.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fills `rank` with [`rank_weights`] from every distinct position (u × u), or empties it when
/// the global denominator is not used.
fn fill_ranks(p: &Positions, rule: WinProbability, rank: &mut Vec<f64>) {
    let u = p.y.len();
    rank.clear();
    if rule == WinProbability::Global {
        rank.resize(u * u, 0.0);
        rank.par_chunks_mut(u).enumerate().for_each(|(c, row)| rank_weights(p, c, row));
    }
}

/// The votes of one round with every exponent 1 (the danger pass), in closed form.
///
/// With r = 1 a voter at x gains (|x − y_b| − |x − y_a|) / Δ from y_a over y_b: (y_b − y_a) / Δ
/// for x at or beyond y_a, and (y_a + y_b − 2x) / Δ for x between y_a and the midpoint. So the
/// votes for y_a over y_b are a few prefix sums of w and w x over the positions, and no table of
/// votes is needed.
struct Neutral {
    /// `below[c]`: Σ w over the actors at y_0 … y_{c−1}, for c in 0..=u.
    below: Vec<f64>,
    /// `below_x[c]`: Σ w x over the same actors.
    below_x: Vec<f64>,
    /// Σ w of the actors at each distinct position.
    weight: Vec<f64>,
    /// Each distinct position's voters' share of the global denominator (scratch).
    spread: Vec<f64>,
    global: f64,
    /// 1 / (Δ × the global denominator), or 0 when that denominator is 0.
    scale: f64,
    pairwise: bool,
}

impl Neutral {
    fn empty() -> Neutral {
        Neutral {
            below: Vec::new(),
            below_x: Vec::new(),
            weight: Vec::new(),
            spread: Vec::new(),
            global: 0.0,
            scale: 0.0,
            pairwise: false,
        }
    }

    fn fill(&mut self, p: &Positions, w: &[f64], rank: &[f64], delta: f64, rule: WinProbability) {
        let u = p.y.len();
        self.pairwise = rule == WinProbability::Pairwise;
        self.weight.clear();
        self.weight.extend((0..u).map(|c| p.members(c).iter().map(|&k| w[k]).sum::<f64>()));
        self.below.clear();
        self.below_x.clear();
        let (mut acc, mut acc_x) = (0.0, 0.0);
        self.below.push(acc);
        self.below_x.push(acc_x);
        for (&wc, &yc) in self.weight.iter().zip(&p.y) {
            acc += wc;
            acc_x += wc * yc;
            self.below.push(acc);
            self.below_x.push(acc_x);
        }
        self.global = if rule == WinProbability::Global {
            self.spread.resize(u, 0.0);
            let weight = &self.weight;
            self.spread.par_iter_mut().enumerate().for_each(|(c, spread)| {
                let here = p.y[c];
                let row = &rank[c * u..(c + 1) * u];
                let dot: f64 = row.iter().zip(&p.y).map(|(g, &ym)| g * (ym - here).abs()).sum();
                *spread = weight[c] * (2.0 * dot / delta);
            });
            self.spread.iter().sum()
        } else {
            0.0
        };
        self.scale = if self.global > 0.0 { 1.0 / (delta * self.global) } else { 0.0 };
    }

    /// The votes for y_r over y_c, r < c, times Δ: the voters below `lo`, the first position
    /// at or above the midpoint.
    fn below_votes(&self, y: &[f64], r: usize, c: usize, lo: usize) -> f64 {
        let (w, wx) = (&self.below, &self.below_x);
        let beyond = w[r + 1] * (y[c] - y[r]);
        let between = (w[lo] - w[r + 1]) * (y[r] + y[c]) - 2.0 * (wx[lo] - wx[r + 1]);
        (beyond + between).max(0.0)
    }

    /// The votes for y_r over y_c, r > c, times Δ: the voters from `hi`, the first position
    /// above the midpoint.
    fn above_votes(&self, y: &[f64], r: usize, c: usize, hi: usize) -> f64 {
        let (w, wx) = (&self.below, &self.below_x);
        let total = w[y.len()];
        let beyond = (total - w[r]) * (y[r] - y[c]);
        let between = 2.0 * (wx[r] - wx[hi]) - (w[r] - w[hi]) * (y[r] + y[c]);
        (beyond + between).max(0.0)
    }

    /// P(y_a beats y_b), given `lo` and `hi`, the first positions at or above, and above,
    /// their midpoint.
    fn probability(&self, y: &[f64], a: usize, b: usize, lo: usize, hi: usize) -> f64 {
        if a == b {
            return 0.0;
        }
        let num = if a < b { self.below_votes(y, a, b, lo) } else { self.above_votes(y, a, b, hi) };
        if !self.pairwise {
            // The global denominator, times Δ like the votes, as one reciprocal.
            return num * self.scale;
        }
        let den =
            num + if a < b { self.above_votes(y, b, a, hi) } else { self.below_votes(y, b, a, lo) };
        if den > 0.0 { num / den } else { 0.5 }
    }
}

/// Moves `lo` and `hi` up to the first positions at or above, and above, `mid` (`yp` is the
/// padded positions). They move about half a position per step, unpredictably: two steps are
/// taken without branches (with `yp`'s sentinels they cannot overrun) and a loop takes the
/// rare rest.
fn cuts_up(yp: &[f64], mid: f64, lo: &mut usize, hi: &mut usize) {
    *lo += usize::from(yp[*lo + 1] < mid);
    *lo += usize::from(yp[*lo + 1] < mid);
    while yp[*lo + 1] < mid {
        *lo += 1;
    }
    *hi += usize::from(yp[*hi + 1] <= mid);
    *hi += usize::from(yp[*hi + 1] <= mid);
    while yp[*hi + 1] <= mid {
        *hi += 1;
    }
}

/// Moves `hi` and `lo` down to one past the last positions at or below, and below, `mid`
/// (`yp` is the padded positions, so `yp[k]` is the position before `k`): the mirror of
/// [`cuts_up`], with its two steps without branches.
fn cuts_down(yp: &[f64], mid: f64, lo: &mut usize, hi: &mut usize) {
    *hi -= usize::from(yp[*hi] > mid);
    *hi -= usize::from(yp[*hi] > mid);
    while yp[*hi] > mid {
        *hi -= 1;
    }
    *lo -= usize::from(yp[*lo] >= mid);
    *lo -= usize::from(yp[*lo] >= mid);
    while yp[*lo] >= mid {
        *lo -= 1;
    }
}

/// `rank[m] = count_m (L_m − G_m)`: the actors strictly nearer to y_c than y_m minus those
/// strictly farther, times the actors at y_m. Going outwards from y_c on one side, the nearer
/// positions on the other side form a growing run, so two pointers find them without a sort.
fn rank_weights(p: &Positions, c: usize, rank: &mut [f64]) {
    let (y, count, start) = (&p.y, &p.count, &p.start);
    let u = y.len();
    let n = p.at.len();
    let here = y[c];
    // In i64, which converts to f64 in one instruction (exactly: |rank| ≤ n²).
    let weight = |m: usize, nearer: usize, tie: usize| {
        let (here, nearer, tie) = (count[m] as i64, nearer as i64, tie as i64);
        let farther = n as i64 - nearer - here - tie;
        (here * (nearer - farther)) as f64
    };
    rank[c] = weight(c, 0, 0);
    // Above y_c, the positions lq..m are nearer than y_m; below it, the positions m + 1..rq.
    // Each pointer moves by about one position per step, unpredictably: one step is taken
    // without a branch (`padded[lq]` is y[lq − 1], or −∞ at 0; `padded[rq + 1]` is y[rq], or
    // +∞ at u) and a loop takes the rest. The two sides are walked in the same loop, so that
    // the processor overlaps their chains of dependent loads.
    let yp = &p.padded;
    let (mut up, mut lq) = (c + 1, c);
    let (mut down, mut rq) = (c, c + 1);
    while up < u || down > 0 {
        if up < u {
            let m = up;
            let dist = y[m] - here;
            lq -= usize::from(here - yp[lq] < dist);
            while here - yp[lq] < dist {
                lq -= 1;
            }
            let tie = if lq > 0 && here - y[lq - 1] == dist { count[lq - 1] } else { 0 };
            rank[m] = weight(m, start[m] - start[lq], tie);
            up += 1;
        }
        if down > 0 {
            let m = down - 1;
            let dist = here - y[m];
            rq += usize::from(yp[rq + 1] - here < dist);
            while yp[rq + 1] - here < dist {
                rq += 1;
            }
            let tie = if rq < u && y[rq] - here == dist { count[rq] } else { 0 };
            rank[m] = weight(m, start[rq] - start[m + 1], tie);
            down -= 1;
        }
    }
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

    /// U_s and U_f from ln(0.5 − 0.5 d) and ln(0.5 + 0.5 d), as 2 − 4 exp(r ln(·)).
    fn success_failure_ln(&self, d: f64, ln_s: f64, ln_f: f64) -> (f64, f64) {
        if self.r == 1.0 {
            self.success_failure(d)
        } else {
            (2.0 - 4.0 * (self.r * ln_s).exp(), 2.0 - 4.0 * (self.r * ln_f).exp())
        }
    }

    /// The part of E^h(U_ab) that does not depend on the target's salience:
    /// s_b A + (1 − s_b) U_s − Q U_sq − C, with A = P U_s + (1 − P) U_f and C the status-quo
    /// term (0 when Q = 1).
    fn parts(&self, u_s: f64, u_f: f64, p: f64, sq: f64) -> (f64, f64) {
        let a = p * u_s + (1.0 - p) * u_f;
        let c = if self.q < 1.0 {
            let u_b = 2.0 - 4.0 * power(0.5 - 0.25 * sq, self.r);
            let u_w = 2.0 - 4.0 * power(0.5 + 0.25 * sq, self.r);
            (1.0 - self.q) * (self.t * u_b + (1.0 - self.t) * u_w)
        } else {
            0.0
        };
        (a, c)
    }

    /// E^h(U_ab) from [`Utility::parts`]: the expected utility of a challenging b, with
    /// `s_target` = s_b.
    fn eu_from(&self, a: f64, u_s: f64, c: f64, s_target: f64) -> f64 {
        s_target * a + (1.0 - s_target) * u_s - self.q * self.u_sq - c
    }
}

/// What a receiver's offers need from one distinct position b of the proposers (scratch).
#[derive(Clone, Copy, Default)]
struct Toward {
    /// P U_s + (1 − P) U_f for i challenging b.
    a: f64,
    /// U_s at d(x_i, y_b).
    u_s: f64,
    /// The status-quo term of i challenging b.
    c: f64,
    /// e_ji for a proposer at y_b (it does not depend on which).
    e_ji: f64,
}

/// A thread's scratch for the offers: the logarithms of the distance terms from one distinct
/// position, shared by every receiver there, and one receiver's per-position quantities.
struct OfferScratch {
    /// The distinct position from which `ln_s` and `ln_f` are taken (`usize::MAX`: none yet).
    group: usize,
    dist: Vec<f64>,
    ln_s: Vec<f64>,
    ln_f: Vec<f64>,
    /// The distinct position whose rows of votes `row` and `row_t` hold ([`Votes::row`]).
    row_group: usize,
    row: Vec<f64>,
    row_t: Vec<f64>,
    toward: Vec<Toward>,
}

impl OfferScratch {
    fn new(u: usize) -> OfferScratch {
        OfferScratch {
            group: usize::MAX,
            dist: vec![0.0; u],
            ln_s: vec![0.0; u],
            ln_f: vec![0.0; u],
            row_group: usize::MAX,
            row: vec![0.0; u],
            row_t: vec![0.0; u],
            toward: vec![Toward::default(); u],
        }
    }

    /// Fills the rows of votes of y_a unless they are already there.
    fn load_row(&mut self, votes: &Votes, p: &Positions, a: usize) {
        if self.row_group != a {
            self.row_group = a;
            votes.row(p, a, &mut self.row, &mut self.row_t);
        }
    }
}

impl Model<'_> {
    /// One round from positions `x`, or `None` when `deadline` passed before every receiver's
    /// offers were weighed; `tick` is called after each receiver.
    fn round(
        &self,
        round: usize,
        x: &[f64],
        work: &mut Work,
        deadline: Option<Instant>,
        tick: &(dyn Fn() + Sync),
    ) -> Option<EumRound> {
        let n = x.len();
        let o = self.options;
        let Work { p, rank, neutral, votes } = work;
        p.fill(x);
        let p = &*p;
        let u = p.y.len();
        let delta = self.delta;
        let mu = weighted_median(self.w, x).unwrap_or(x[0]);
        // The status-quo distance, used only when Q < 1.
        let sq = |a: f64, b: f64| {
            if o.q < 1.0 { ((a - mu).abs() + (a - b).abs()) / delta } else { 0.0 }
        };

        // 1. Danger with every exponent 1, whose votes have a closed form. An actor's danger
        // is linear in its salience, D_i = s_i X_b + Y_b, with X_b and Y_b sums over the other
        // positions that every actor at y_b shares.
        fill_ranks(p, o.win_probability, rank);
        neutral.fill(p, self.w, rank, delta, o.win_probability);
        let neutral = &*neutral;
        let unit = Utility::new(1.0, o.q, o.t);
        let linear: Vec<(f64, f64)> = (0..u)
            .into_par_iter()
            .map(|b| {
                let (mut lo, mut hi) = (0, 0);
                let (mut x_b, mut y_b) = (0.0, 0.0);
                for a in 0..u {
                    let mid = 0.5 * (p.y[a] + p.y[b]);
                    cuts_up(&p.padded, mid, &mut lo, &mut hi);
                    let others = (p.count[a] - usize::from(a == b)) as f64;
                    if others == 0.0 {
                        continue;
                    }
                    let d = (p.y[a] - p.y[b]).abs() / delta;
                    let pr = neutral.probability(&p.y, a, b, lo, hi);
                    let (u_s, u_f) = unit.success_failure(d);
                    let (pa, c) = unit.parts(u_s, u_f, pr, sq(p.y[a], p.y[b]));
                    // E = s A + (1 − s) U_s − Q U_sq − C = s (A − U_s) + (U_s − Q U_sq − C).
                    x_b += others * (pa - u_s);
                    y_b += others * (u_s - unit.q * unit.u_sq - c);
                }
                (x_b, y_b)
            })
            .collect();
        let danger: Vec<f64> = (0..n)
            .map(|i| {
                let (x_b, y_b) = linear[p.at[i]];
                self.s[i] * x_b + y_b
            })
            .collect();
        let danger_probabilities = (o.detail == Detail::Full).then(|| ProbabilityTable {
            positions: p.y.clone(),
            p: (0..u)
                .map(|a| {
                    let (mut lo, mut hi) = (0, 0);
                    (0..u)
                        .map(|b| {
                            cuts_up(&p.padded, 0.5 * (p.y[a] + p.y[b]), &mut lo, &mut hi);
                            neutral.probability(&p.y, a, b, lo, hi)
                        })
                        .collect()
                })
                .collect(),
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
        votes.fill(p, self.w, &r, rank, delta, o.win_probability);
        let votes = &*votes;
        let late = AtomicBool::new(false);
        let per_member: Vec<(Option<Offer>, Vec<Offer>)> = p
            .members
            .par_iter()
            .map_init(
                || OfferScratch::new(u),
                |sc, &i| {
                    if late.load(Ordering::Relaxed) || deadline.is_some_and(|t| Instant::now() >= t)
                    {
                        late.store(true, Ordering::Relaxed);
                        return (None, Vec::new());
                    }
                    let offers = self.offers_to(i, x, p, votes, &r, &sq, sc);
                    tick();
                    offers
                },
            )
            .collect();
        if late.into_inner() {
            return None;
        }

        // 4. Everybody moves at once.
        let mut positions = x.to_vec();
        let mut accepted: Vec<Option<Offer>> = vec![None; n];
        let mut all: Vec<Vec<Offer>> =
            vec![Vec::new(); if o.detail == Detail::Full { n } else { 0 }];
        for (&i, (best, offers)) in p.members.iter().zip(per_member) {
            if let Some(b) = &best {
                positions[i] = b.position;
            }
            accepted[i] = best;
            if o.detail == Detail::Full {
                all[i] = offers;
            }
        }
        let offers = all.into_iter().flatten().collect();
        let mean = weighted_mean(self.w, &positions).unwrap_or(positions[0]);
        let median = weighted_median(self.w, &positions).unwrap_or(positions[0]);
        Some(EumRound {
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
        })
    }

    /// The offers receiver i gets this round: the one it accepts and, with [`Detail::Full`],
    /// all of them in proposer order.
    #[allow(clippy::too_many_arguments)]
    fn offers_to(
        &self,
        i: usize,
        x: &[f64],
        p: &Positions,
        votes: &Votes,
        r: &[f64],
        sq: &(impl Fn(f64, f64) -> f64 + Sync),
        sc: &mut OfferScratch,
    ) -> (Option<Offer>, Vec<Offer>) {
        let o = self.options;
        let delta = self.delta;
        let u = p.y.len();
        let ai = p.at[i];
        let util = Utility::new(r[i], o.q, o.t);
        // Every kind of offer needs e_ji > 0. With Q = 1, e_ji = 4 · 0.5^r [1 − (1 − σ)(1 − d)^r
        // − σ (1 + d)^r] with σ = s_i (1 − P(y_b beats x_i)); for r ≥ 1 Bernoulli's inequality
        // (1 + z)^r ≥ 1 + r z bounds the bracket by r d (1 − 2σ), so a receiver with σ ≥ 1/2
        // against every position gets no offer.
        if o.q == 1.0 && util.r >= 1.0 && self.s[i] > 0.5 {
            let max_back = match votes.max_probability() {
                Some(bound) => bound,
                None => {
                    sc.load_row(votes, p, ai);
                    let (row, row_t) = (&sc.row, &sc.row_t);
                    (0..u).map(|b| votes.ratio(b == ai, row_t[b], row[b])).fold(0.0, f64::max)
                }
            };
            if self.s[i] * (1.0 - max_back) >= 0.5 {
                return (None, Vec::new());
            }
        }
        sc.load_row(votes, p, ai);
        // The logarithms depend on the positions only: every receiver at y_ai shares them.
        if sc.group != ai {
            sc.group = ai;
            for b in 0..u {
                let d = (p.y[ai] - p.y[b]).abs() / delta;
                sc.dist[b] = d;
                sc.ln_s[b] = (0.5 - 0.5 * d).ln();
                sc.ln_f[b] = (0.5 + 0.5 * d).ln();
            }
        }
        for b in 0..u {
            if b == ai {
                continue;
            }
            let (yi, yb) = (p.y[ai], p.y[b]);
            let (u_s, u_f) = util.success_failure_ln(sc.dist[b], sc.ln_s[b], sc.ln_f[b]);
            let (num, num_t) = (sc.row[b], sc.row_t[b]);
            let (a, c) = util.parts(u_s, u_f, votes.ratio(false, num, num_t), sq(yi, yb));
            let (back, c_back) = util.parts(u_s, u_f, votes.ratio(false, num_t, num), sq(yb, yi));
            let e_ji = util.eu_from(back, u_s, c_back, self.s[i]);
            sc.toward[b] = Toward { a, u_s, c, e_ji };
        }
        // Proposers are visited by position, skipping the positions from which no offer can
        // come (every kind of offer needs e_ji > 0); ties still go to the first proposer in
        // input order, and with `Detail::Full` the offers are put back in proposer order.
        let mut offers = Vec::new();
        let mut best: Option<(Offer, f64, u8)> = None;
        for (b, t) in sc.toward.iter().enumerate() {
            if b == ai || t.e_ji.is_nan() || t.e_ji <= 0.0 {
                continue;
            }
            let e_ji = t.e_ji;
            for &j in p.members(b) {
                let e_ij = util.eu_from(t.a, t.u_s, t.c, self.s[j]);
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
                    Some((first, k, rk)) => {
                        rank < *rk
                            || (rank == *rk && (key < *k || (key == *k && j < first.proposer)))
                    }
                };
                if o.detail == Detail::Full {
                    offers.push(offer.clone());
                }
                if better {
                    best = Some((offer, key, rank));
                }
            }
        }
        offers.sort_by_key(|o| o.proposer);
        (best.map(|b| b.0), offers)
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
