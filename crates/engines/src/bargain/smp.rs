//! KTAB's Spatial Model of Politics (SMP): actors bargain over several issues at once, turn by
//! turn, with KTAB's default parameters.
//!
//! Each turn: (1) every actor's risk attitude is inferred from how likely its own position is
//! to win a contest among all positions (a "probabilistic Condorcet election", PCE); (2) every
//! actor picks the other actor whose challenge gains it most, weighing third parties' votes;
//! (3) the two positions of each challenge are interpolated into a bargain; (4) each actor
//! chooses, by a PCE among everybody's utilities, between the status quo and the bargains it
//! is party to, and moves. The run stops when the total movement of a turn falls below 2% of
//! the first turn's.
//!
//! The defaults reproduced are those of KTAB's `smpc`: victory probability Linear, PCE
//! Conditional, Deterministic state transitions, Proportional voting, risk range Mid, risk
//! adjustment OneThird, third-party commitment SemiCommit, bargain interpolation S2P2, bargain
//! model InitOnlyInterp, and the identity accommodation matrix (ideals follow positions).
//! Up to [`EXACT_LIMIT`] actors (KTAB's own limit) quantities are computed in KTAB's order of
//! operations, so that positions (which KTAB rounds to 4 decimals on [0, 1]) agree turn by
//! turn. Above it a faster order is used (`Order::Lanes`: interleaved partial sums, a risk
//! PCE over distinct positions, third parties weighed farthest first and dropped once a
//! target cannot win, see [`line`] for one issue) whose results differ by rounding only.
//! The heavy loops are compiled once per instruction set and the widest the processor has
//! is picked at run time ([`pulp`]); the arithmetic is the same in each, so are the results.

use std::time::Instant;

use rayon::prelude::*;

use super::{BargainInput, weighted_mean, weighted_median};
use crate::budget::{Budget, Limit, Stopped};

mod line;

/// The options of [`smp`]. There is no `Default`: [`SmpOptions::ktab`] gives KTAB's.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpOptions {
    /// The fewest turns before the run may stop (KTAB: 2).
    pub min_turns: usize,
    /// The most turns (KTAB: 100).
    pub max_turns: usize,
    /// The run stops once a turn's total movement is below this fraction of the first turn's
    /// (KTAB: 0.02).
    pub stop_ratio: f64,
}

impl SmpOptions {
    /// KTAB `smpc`'s stopping rule: at least 2 and at most 100 turns, stop below 2% of the
    /// first turn's movement.
    pub fn ktab() -> SmpOptions {
        SmpOptions { min_turns: 2, max_turns: 100, stop_ratio: 0.02 }
    }
}

/// A challenge: `initiator` challenges `target` and proposes a bargain.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Challenge {
    /// The actor challenged.
    pub target: usize,
    /// The initiator's estimate of the probability that it would win.
    pub probability: f64,
    /// The initiator's expected gain from the challenge over the status quo.
    pub gain: f64,
    /// The position the bargain proposes for the initiator, one entry per issue (input scale).
    pub initiator_position: Vec<f64>,
    /// The position the bargain proposes for the target (input scale).
    pub target_position: Vec<f64>,
}

/// One turn of the model.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SmpTurn {
    /// The turn's number, from 1.
    pub turn: usize,
    /// Each actor's risk attitude R at the start of the turn, in `[-1/2, 1]` (KTAB's Mid range).
    pub risk: Vec<f64>,
    /// The challenge each actor made (`None`: no challenge gained it more than 1e-5).
    pub challenges: Vec<Option<Challenge>>,
    /// For each actor, the initiator of the bargain it adopted (`None`: it kept the status quo).
    pub adopted: Vec<Option<usize>>,
    /// Every actor's position at the end of the turn: `positions[actor][issue]`, input scale.
    pub positions: Vec<Vec<f64>>,
    /// Σ over actors of the Euclidean length of their move this turn (on [0, 1] scales).
    pub movement: f64,
    /// Each issue's capability × salience weighted mean of the positions (`None` when nobody
    /// cares about the issue).
    pub mean: Vec<Option<f64>>,
    /// Each issue's weighted median of the positions.
    pub median: Vec<Option<f64>>,
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "kebab-case"))]
pub enum SmpTermination {
    /// The turn's movement fell below the stop ratio of the first turn's.
    Settled {
        /// The last turn run.
        turn: usize,
    },
    /// The turn cap was reached.
    TurnCap,
}

/// The result of [`smp`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SmpOutcome {
    /// Positions before the first turn: `[actor][issue]`, input scale.
    pub initial_positions: Vec<Vec<f64>>,
    /// Each issue's weighted mean before the first turn.
    pub initial_mean: Vec<Option<f64>>,
    /// Each issue's weighted median before the first turn.
    pub initial_median: Vec<Option<f64>>,
    /// The turns run, in order.
    pub turns: Vec<SmpTurn>,
    /// Why the run stopped.
    pub termination: SmpTermination,
}

impl SmpOutcome {
    /// Final positions `[actor][issue]` (the initial ones when no turn ran).
    pub fn final_positions(&self) -> &[Vec<f64>] {
        self.turns.last().map_or(&self.initial_positions, |t| &t.positions)
    }
}

/// Why [`smp`] could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SmpError {
    /// An actor's saliences sum to more than 1 (more than 100% of its attention).
    #[error("actor {actor}'s saliences sum to {sum}, more than 1")]
    SalienceSum {
        /// The actor.
        actor: usize,
        /// The sum.
        sum: f64,
    },
    /// An actor's saliences are all zero, so its distance to any position is undefined.
    #[error("actor {actor} has zero salience on every issue")]
    NoSalience {
        /// The actor.
        actor: usize,
    },
    /// An option is out of range: `max_turns` 0 or below `min_turns`, or `stop_ratio` not a
    /// finite number `>= 0`.
    #[error("option {name} is out of range")]
    Option {
        /// The option's name.
        name: &'static str,
    },
    /// The run would need more memory than the budget allows ([`estimate_bytes`] against
    /// [`Budget::max_bytes`]); refused before anything is allocated.
    #[error(
        "a run with {actors} actors would need about {bytes} bytes, more than the limit of {limit} bytes"
    )]
    TooLarge {
        /// The number of actors.
        actors: usize,
        /// The estimate.
        bytes: u64,
        /// [`Budget::max_bytes`].
        limit: u64,
    },
}

/// The result of [`smp_within`]: the outcome, and whether the time budget cut it short.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BoundedSmp {
    /// The turns run (all of them when `stopped` is `None`).
    pub outcome: SmpOutcome,
    /// Set when the budget ran out first: `done` turns were run of at most `total`, and the
    /// outcome's termination is [`SmpTermination::TurnCap`] though the cap was not reached.
    pub stopped: Option<Stopped>,
}

/// The memory, in bytes, that [`smp`] needs for `actors` actors, `issues` issues and
/// `options.max_turns` turns: the two `n × n` tables of a turn (distances and their
/// transpose) and every turn's record (risks, challenges, adoptions, positions). An estimate
/// within a small factor, for refusing runs that cannot fit before they start.
pub fn estimate_bytes(actors: usize, issues: usize, options: &SmpOptions) -> u64 {
    let (n, m) = (actors as u64, issues as u64);
    let tables = n.saturating_mul(n).saturating_mul(16);
    let per_turn = n.saturating_mul(160 + 40 * m);
    let record = per_turn.saturating_mul(options.max_turns as u64);
    tables.saturating_add(record).saturating_add(n.saturating_mul(m).saturating_mul(32))
}

/// KTAB's minimum coalition strength in a PCE (`Model::coalitions`).
const MIN_COALITION: f64 = 1e-8;
/// KTAB's minimum coalition strength in a challenge (`SMPState::probEduChlg`).
const MIN_CHALLENGE_COALITION: f64 = 1e-10;
/// A challenge must gain more than this (`SMPState::bestChallenge`).
const MIN_GAIN: f64 = 1e-5;
/// Weight added to the initiator's side in a bargain (`interpBrgnSnPm`).
const MIN_BARGAIN_WEIGHT: f64 = 1e-6;
/// Added to the first turn's movement in the stopping rule (`configExec`).
const MIN_FIRST_MOVE: f64 = 1e-4;
/// Up to this many actors (KTAB's own limit) every sum of a turn is taken in KTAB's order, so
/// that runs agree with KTAB's turn by turn. Above it the sums run in a faster order that
/// changes results by rounding only (see [`smp`]'s complexity).
pub const EXACT_LIMIT: usize = 250;
/// How many promising targets [`Order::Lanes`] weighs before the others.
const FIRST_TRIED: usize = 4;
/// The number of interleaved partial sums of [`Order::Lanes`].
const LANES: usize = 4;

/// The order in which a turn's sums over actors are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// KTAB's: every sum over actors is taken one actor after another, in actor order.
    Ktab,
    /// Faster, for many actors: every sum over actors is split into [`LANES`] interleaved
    /// partial sums (actor k goes to partial sum k mod LANES), added at the end, so that the
    /// processor can overlap the additions; and on one issue the risk PCE is computed over
    /// the distinct positions with prefix sums and logarithms. The results differ from
    /// [`Order::Ktab`]'s by rounding only (checked in the tests to
    /// [`crate::prec::FAST_PATH`]).
    Lanes,
}

impl Order {
    /// KTAB's order up to [`EXACT_LIMIT`] actors, the faster one above.
    pub(super) fn for_actors(n: usize) -> Order {
        if n <= EXACT_LIMIT { Order::Ktab } else { Order::Lanes }
    }
}

/// Runs KTAB's Spatial Model of Politics on all issues of `input` jointly.
///
/// Wise, B., Lester, B. et al. (2015–2017), KAPSARC Toolkit for Behavioral Analysis (KTAB),
/// `examples/smp` (MIT licence), <https://github.com/KAPSARC/KTAB>; the model is described in
/// Wise, B. (2015), "Spatial Model of Politics", KAPSARC discussion paper KS-1517-DP019A, and
/// Efird, B. et al. (2016), "KTAB: a toolkit for behavioral analysis", KAPSARC. Names follow
/// KTAB's `smp.cpp`/`smpbcn.cpp`: utility u = (1 − d)(1 + d R) at salience-weighted distance
/// d; votes w_k (u_ki − u_kj); Linear victory probability c_ij / (c_ij + c_ji); Conditional
/// PCE p_i ∝ Π_j P(i > j); Mid risk R = (3p − (p_max + 2 p_min)) / (2 (p_max − p_min));
/// OneThird estimate (2 R_h + R_i) / 3; expected gain of a challenge
/// (1 − s_j) euVict + s_j euCntst − euSQ with SemiCommit third parties; S2P2 bargains
/// (weights s² p², rounded to 4 decimals); Deterministic choice of the most probable bargain.
///
/// Positions are mapped to [0, 1] by each issue's scale and back; saliences are as given (each
/// actor's total at most 1). Capabilities are KTAB's "power".
///
/// Degenerate inputs: an actor alone, or all actors at one position, makes no challenge and
/// the run settles after `min_turns` turns; when every position is equally likely to win, all
/// risk attitudes are 0 (KTAB would divide by zero).
///
/// # Errors
/// [`SmpError::SalienceSum`] when an actor's saliences sum to more than 1 (KTAB rejects the
/// same), [`SmpError::NoSalience`] when they are all 0, [`SmpError::Option`] for bad options.
///
/// # Complexity
/// Per turn O(n³) time for n actors in the worst case: each challenge weighs every third
/// party, and each actor's choice is a PCE over everybody's utilities for its options.
/// Challenges whose best possible gain cannot beat the best found are skipped, which does not
/// change the result. O(n²) memory. Actors are processed in parallel; the result does not
/// depend on the number of threads.
///
/// Up to [`EXACT_LIMIT`] actors every sum is taken in KTAB's order. Above it (beyond KTAB's
/// own limit) the sums run in interleaved partial sums, the risk PCE of a one-issue run costs
/// O(n log n + u²) for u distinct positions, and a challenge stops weighing third parties
/// once it cannot beat the best found (on one issue: spans of neighbouring third parties
/// bounded and summed farthest first; targets at one position skipped when one weighed
/// before dominates them): the results differ from the exact order's by rounding only
/// (tested to [`crate::prec::FAST_PATH`] on random 60–150 actor runs). A one-issue turn of
/// 1,000 actors costs about 0.16 s of one core (AVX2) instead of 2.
///
/// # Example
/// ```
/// use engines::bargain::{BargainInput, IssueData};
/// use engines::bargain::smp::{SmpError, SmpOptions, smp};
/// let issue = |position: Vec<f64>, salience: Vec<f64>| IssueData {
///     scale_min: 0.0, scale_max: 100.0, position, salience,
/// };
/// let input = BargainInput::new(
///     vec![100.0, 60.0, 35.0],
///     vec![issue(vec![30.0, 45.0, 80.0], vec![0.5, 0.4, 0.3])],
/// ).unwrap();
/// let out = smp(&input, &SmpOptions::ktab()).unwrap();
/// assert!(out.turns.len() >= 2);
/// // An actor whose saliences sum to more than 1 is refused.
/// let two = BargainInput::new(
///     vec![1.0, 1.0],
///     vec![issue(vec![10.0, 90.0], vec![0.7, 0.5]), issue(vec![10.0, 90.0], vec![0.7, 0.5])],
/// ).unwrap();
/// assert!(matches!(smp(&two, &SmpOptions::ktab()), Err(SmpError::SalienceSum { actor: 0, .. })));
/// ```
pub fn smp(input: &BargainInput, options: &SmpOptions) -> Result<SmpOutcome, SmpError> {
    let order = Order::for_actors(input.n_actors());
    smp_in_order(input, options, order)
}

/// [`smp`] within a [`Budget`]: refused with [`SmpError::TooLarge`] when [`estimate_bytes`]
/// exceeds `budget.max_bytes`, and stopped after the turn during which `budget.max_time` ran
/// out (or after `budget.max_nodes` turns), with the turns run so far marked incomplete.
/// `progress(turn, max_turns)` is called after each turn.
///
/// # Errors
/// As [`smp`], and [`SmpError::TooLarge`].
///
/// # Complexity
/// As [`smp`]; the estimate is O(1).
///
/// # Example
/// ```
/// use engines::bargain::{BargainInput, IssueData};
/// use engines::bargain::smp::{SmpError, SmpOptions, smp_within};
/// use engines::budget::Budget;
/// let issue = IssueData {
///     scale_min: 0.0, scale_max: 100.0,
///     position: vec![10.0, 50.0, 90.0], salience: vec![0.5, 0.5, 0.5],
/// };
/// let input = BargainInput::new(vec![1.0, 2.0, 3.0], vec![issue]).unwrap();
/// let ok = smp_within(&input, &SmpOptions::ktab(), &Budget::UNLIMITED, &|_, _| {}).unwrap();
/// assert!(ok.stopped.is_none());
/// let tiny = Budget { max_bytes: Some(100), ..Budget::UNLIMITED };
/// let e = smp_within(&input, &SmpOptions::ktab(), &tiny, &|_, _| {});
/// assert!(matches!(e, Err(SmpError::TooLarge { actors: 3, .. })));
/// ```
pub fn smp_within(
    input: &BargainInput,
    options: &SmpOptions,
    budget: &Budget,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<BoundedSmp, SmpError> {
    let bytes = estimate_bytes(input.n_actors(), input.n_issues(), options);
    if !budget.allows_bytes(bytes) {
        return Err(SmpError::TooLarge {
            actors: input.n_actors(),
            bytes,
            limit: budget.max_bytes.unwrap_or(u64::MAX),
        });
    }
    let order = Order::for_actors(input.n_actors());
    run(input, options, order, budget, progress)
        .map(|(outcome, stopped)| BoundedSmp { outcome, stopped })
}

/// [`smp`] with the order of summation given.
pub(super) fn smp_in_order(
    input: &BargainInput,
    options: &SmpOptions,
    order: Order,
) -> Result<SmpOutcome, SmpError> {
    run(input, options, order, &Budget::UNLIMITED, &|_, _| {}).map(|(outcome, _)| outcome)
}

/// The run, turn by turn, until it settles, reaches the turn cap or exhausts the budget.
fn run(
    input: &BargainInput,
    options: &SmpOptions,
    order: Order,
    budget: &Budget,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(SmpOutcome, Option<Stopped>), SmpError> {
    let deadline = budget.deadline();
    if options.max_turns == 0 || options.max_turns < options.min_turns {
        return Err(SmpError::Option { name: "max_turns" });
    }
    if !(options.stop_ratio.is_finite() && options.stop_ratio >= 0.0) {
        return Err(SmpError::Option { name: "stop_ratio" });
    }
    let n = input.n_actors();
    let m = input.n_issues();
    let mut sal = vec![0.0; n * m];
    let mut total = vec![0.0; n];
    for i in 0..n {
        for d in 0..m {
            sal[i * m + d] = input.issue(d).salience[i];
        }
        // KTAB's `KBase::sum(vSal)`: summed in issue order.
        total[i] = sal[i * m..(i + 1) * m].iter().fold(0.0, |a, s| a + s);
        if total[i] > 1.0 + crate::prec::PROB_SUM {
            return Err(SmpError::SalienceSum { actor: i, sum: total[i] });
        }
        if total[i] <= 0.0 {
            return Err(SmpError::NoSalience { actor: i });
        }
    }
    let scale: Vec<(f64, f64)> =
        input.issues().iter().map(|d| (d.scale_min, d.scale_max - d.scale_min)).collect();
    let mut pos = vec![0.0; n * m];
    for i in 0..n {
        for d in 0..m {
            let (lo, width) = scale[d];
            pos[i * m + d] = (input.issue(d).position[i] - lo) / width;
        }
    }
    // KTAB's `wk = s_k c_k`, the weight of a third party's vote in a challenge.
    let weight: Vec<f64> = (0..n).map(|k| total[k] * input.capability()[k]).collect();
    let model = Model { n, m, cap: input.capability(), sal, total, weight, order };
    let to_scale = |p: &[f64]| -> Vec<Vec<f64>> {
        (0..n).map(|i| (0..m).map(|d| scale[d].0 + p[i * m + d] * scale[d].1).collect()).collect()
    };
    let summary = |p: &[Vec<f64>]| -> (Vec<Option<f64>>, Vec<Option<f64>>) {
        (0..m)
            .map(|d| {
                let w: Vec<f64> =
                    (0..n).map(|i| input.capability()[i] * input.issue(d).salience[i]).collect();
                let x: Vec<f64> = p.iter().map(|row| row[d]).collect();
                (weighted_mean(&w, &x), weighted_median(&w, &x))
            })
            .unzip()
    };
    let initial_positions = to_scale(&pos);
    let (initial_mean, initial_median) = summary(&initial_positions);
    let mut out = SmpOutcome {
        initial_positions,
        initial_mean,
        initial_median,
        turns: Vec::new(),
        termination: SmpTermination::TurnCap,
    };
    let mut first_move = 0.0;
    let mut last_targets = vec![None; n];
    for turn in 1..=options.max_turns {
        let step = model.turn(&pos, &last_targets);
        last_targets = step.challenges.iter().map(|c| c.as_ref().map(|c| c.target)).collect();
        let movement = model.distance(&pos, &step.positions);
        if turn == 1 {
            first_move = movement + MIN_FIRST_MOVE;
        }
        pos = step.positions;
        let positions = to_scale(&pos);
        let (mean, median) = summary(&positions);
        out.turns.push(SmpTurn {
            turn,
            risk: step.risk,
            challenges: step
                .challenges
                .into_iter()
                .map(|c| {
                    c.map(|c| Challenge {
                        target: c.target,
                        probability: c.probability,
                        gain: c.gain,
                        initiator_position: (0..m)
                            .map(|d| scale[d].0 + c.init[d] * scale[d].1)
                            .collect(),
                        target_position: (0..m)
                            .map(|d| scale[d].0 + c.rcvr[d] * scale[d].1)
                            .collect(),
                    })
                })
                .collect(),
            adopted: step.adopted,
            positions,
            movement,
            mean,
            median,
        });
        if turn >= options.min_turns && movement / first_move < options.stop_ratio {
            out.termination = SmpTermination::Settled { turn };
            break;
        }
        let total = options.max_turns as u64;
        progress(turn as u64, total);
        let limit = if budget.max_nodes.is_some_and(|k| turn as u64 >= k) {
            Some(Limit::Nodes)
        } else if deadline.is_some_and(|t| Instant::now() >= t) {
            Some(Limit::Time)
        } else {
            None
        };
        if let Some(limit) = limit {
            if turn < options.max_turns {
                return Ok((out, Some(Stopped { limit, done: turn as u64, total })));
            }
        }
    }
    Ok((out, None))
}

/// The fixed data of a run, on KTAB's internal [0, 1] scale.
struct Model<'a> {
    n: usize,
    m: usize,
    cap: &'a [f64],
    /// `sal[i * m + d]`.
    sal: Vec<f64>,
    /// Each actor's total salience.
    total: Vec<f64>,
    /// Each actor's total salience times its capability.
    weight: Vec<f64>,
    /// The order of the sums over actors.
    order: Order,
}

/// A challenge and its bargain, on the [0, 1] scale.
struct RawChallenge {
    target: usize,
    probability: f64,
    gain: f64,
    init: Vec<f64>,
    rcvr: Vec<f64>,
}

struct Step {
    risk: Vec<f64>,
    challenges: Vec<Option<RawChallenge>>,
    adopted: Vec<Option<usize>>,
    positions: Vec<f64>,
}

/// KTAB `SMPModel::bsUtil`: utility at normalised distance `sd` with risk attitude `r`.
/// Written without a branch (`sd.min(1.0)` is `sd` up to 1) so that loops over it vectorise.
fn bs_util(sd: f64, r: f64) -> f64 {
    (1.0 - sd) * (1.0 + sd.min(1.0) * r)
}

/// KTAB `Model::estNRA` with OneThird adjustment: h's estimate of i's risk attitude.
fn est_risk(rh: f64, ri: f64) -> f64 {
    ((2.0 * rh) + ri) / 3.0
}

/// KTAB `interpBrgnSnPm`'s rounding to 4 decimals (half up, values are >= 0).
fn round4(x: f64) -> f64 {
    let y = (0.5 + x * 10000.0).floor();
    y / 10000.0
}

impl Model<'_> {
    /// KTAB `SMPModel::bvDiff`: the salience-weighted distance from actor i's ideal `from` to
    /// the position `to`.
    fn distance_to(&self, i: usize, from: &[f64], to: &[f64]) -> f64 {
        let m = self.m;
        let (mut ds_sqr, mut s_sqr) = (0.0, 0.0);
        for d in 0..m {
            let s = self.sal[i * m + d];
            let ds = (from[d] - to[d]) * s;
            ds_sqr += ds * ds;
            s_sqr += s * s;
        }
        (ds_sqr / s_sqr).sqrt()
    }

    /// KTAB `SMPModel::stateDist`: Σ over actors of the Euclidean length of their move.
    fn distance(&self, a: &[f64], b: &[f64]) -> f64 {
        let m = self.m;
        (0..self.n)
            .map(|i| (0..m).map(|d| (a[i * m + d] - b[i * m + d]).powi(2)).sum::<f64>().sqrt())
            .fold(0.0, |acc, v| acc + v)
    }

    /// One turn from positions `pos`; `last_targets` are the actors' targets in the turn
    /// before, tried first in [`Order::Lanes`] (a good target found early lets the search drop
    /// the others sooner; the result does not depend on it).
    fn turn(&self, pos: &[f64], last_targets: &[Option<usize>]) -> Step {
        let (n, m) = (self.n, self.m);
        let p = |i: usize| &pos[i * m..(i + 1) * m];
        // vDiff(i, j): i's ideal (its current position) to j's position.
        let mut vdiff = vec![0.0; n * n];
        vdiff.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
            for (j, v) in row.iter_mut().enumerate() {
                *v = self.distance_to(i, p(i), p(j));
            }
        });
        // Sums over actors read vDiff down its columns, so a transposed copy keeps those reads
        // in memory order.
        let vdiff_t = transpose(n, &vdiff);

        // 1. Risk attitudes from the risk-neutral PCE over all actors' positions.
        let p_win = if m == 1 && self.order == Order::Lanes {
            risk_pce_sorted(pos, self.cap)
        } else {
            // Option j's column: every actor's risk-neutral utility for j's position.
            let neutral: Vec<f64> = vdiff_t.iter().map(|&d| bs_util(d, 0.0)).collect();
            let columns: Vec<&[f64]> = neutral.chunks(n).collect();
            cond_pce(&columns, self.cap, self.order)
        };
        let risk = big_r_mid(&p_win);

        // 2. Each actor's best challenge, with work space reused from actor to actor. On one
        // issue with many actors, the actors sorted by position give every challenger its
        // targets and third parties from the farthest in O(n).
        let by_position: Option<Vec<usize>> = (m == 1 && self.order == Order::Lanes).then(|| {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| pos[a].total_cmp(&pos[b]).then(a.cmp(&b)));
            order
        });
        let arch = pulp::Arch::new();
        let challenges: Vec<Option<RawChallenge>> = (0..n)
            .into_par_iter()
            .map_init(
                || Scratch::new(self),
                |scratch, i| {
                    let sorted = by_position.as_deref();
                    let hint = last_targets[i].filter(|_| self.order == Order::Lanes);
                    // Compiled for the widest instruction set the processor has; the
                    // arithmetic is the same in each, so the results are identical.
                    let vdiff = (&vdiff[..], &vdiff_t[..]);
                    arch.dispatch(Challenger {
                        model: self,
                        i,
                        pos,
                        vdiff,
                        risk: &risk,
                        sorted,
                        hint,
                        scratch,
                    })
                },
            )
            .collect();

        // 3. Each actor's options: the status quo, then the bargains it is party to, by
        // initiator (KTAB collects them from threads in no fixed order; only exact ties of
        // different positions could depend on it).
        let mut involved: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, c) in challenges.iter().enumerate() {
            if let Some(c) = c {
                involved[i].push(i);
                involved[c.target].push(i);
            }
        }
        for list in &mut involved {
            list.sort_unstable();
        }
        // Σ_n aUtil[a](a, n) for every a, in KTAB's order.
        let own_sum: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|a| {
                let r = est_risk(risk[a], risk[a]);
                (0..n).fold(0.0, |acc, k| acc + bs_util(vdiff[a * n + k], r))
            })
            .collect();
        // Every actor's utility for the status quo, and for the state after each bargain
        // (the mean of its utilities for all actors' positions). A bargain's column is the
        // same in the initiator's and the target's choice, so it is computed once.
        let n_f = n as f64;
        let status_quo: Vec<f64> = own_sum.iter().map(|s| s / n_f).collect();
        let columns: Vec<Option<Vec<f64>>> = challenges
            .par_iter()
            .enumerate()
            .map(|(init, c)| {
                let c = c.as_ref()?;
                let rcvr = c.target;
                let column = (0..n)
                    .map(|a| {
                        let ra = est_risk(risk[a], risk[a]);
                        let u_init = bs_util(self.distance_to(a, p(a), &c.init), risk[a]);
                        let u_rcvr = bs_util(self.distance_to(a, p(a), &c.rcvr), risk[a]);
                        let rest = own_sum[a]
                            - bs_util(vdiff[a * n + init], ra)
                            - if rcvr == init { 0.0 } else { bs_util(vdiff[a * n + rcvr], ra) };
                        (u_init + u_rcvr + rest) / n_f
                    })
                    .collect();
                Some(column)
            })
            .collect();
        // Order::Lanes: each bargain's column as its deviation from the status quo.
        let deviations: Vec<Option<Deviation>> = if self.order == Order::Lanes {
            columns
                .par_iter()
                .map(|c| c.as_ref().map(|c| Deviation::new(c, &status_quo, self.cap)))
                .collect()
        } else {
            Vec::new()
        };
        let adopted: Vec<Option<usize>> = (0..n)
            .into_par_iter()
            .map(|k| {
                if self.order == Order::Lanes {
                    let mut options: Vec<(usize, &Deviation)> = Vec::new();
                    for &init in &involved[k] {
                        if let Some(d) = &deviations[init] {
                            options.push((init, d));
                        }
                    }
                    let devs: Vec<&Deviation> = options.iter().map(|o| o.1).collect();
                    let best = choose_by_deviation(&devs, self.cap);
                    return best.map(|b| options[b].0);
                }
                let mut options: Vec<(Option<usize>, &[f64])> = vec![(None, &status_quo)];
                for &init in &involved[k] {
                    if let Some(column) = &columns[init] {
                        options.push((Some(init), column));
                    }
                }
                let utilities: Vec<&[f64]> = options.iter().map(|o| o.1).collect();
                let pce = cond_pce(&utilities, self.cap, self.order);
                // KTAB `ndxMaxAbs`: the first of the most probable.
                let mut best = 0;
                for (b, &v) in pce.iter().enumerate() {
                    if pce[best] < v {
                        best = b;
                    }
                }
                options[best].0
            })
            .collect();
        let mut positions = pos.to_vec();
        for (k, who) in adopted.iter().enumerate() {
            if let Some(c) = who.and_then(|init| challenges[init].as_ref()) {
                let new = if c.target == k { &c.rcvr } else { &c.init };
                positions[k * m..(k + 1) * m].copy_from_slice(new);
            }
        }
        Step { risk, challenges, adopted, positions }
    }

    /// KTAB `SMPState::bestChallengeUtils` + `bestChallenge` + `interpolateBrgn` for actor i.
    /// `by_position`: on one issue in [`Order::Lanes`], the actors sorted by position; `hint`:
    /// a target to try first.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn best_challenge(
        &self,
        i: usize,
        pos: &[f64],
        vdiff: &[f64],
        vdiff_t: &[f64],
        risk: &[f64],
        by_position: Option<&[usize]>,
        hint: Option<usize>,
        scratch: &mut Scratch,
    ) -> Option<RawChallenge> {
        let (n, m) = (self.n, self.m);
        let Scratch { r_est, u_i, weight, targets, by_stake, line, peers } = scratch;
        peers.clear();
        // i's estimates of everybody's risk attitude, and of everybody's utility for i's
        // position.
        for (x, r) in r_est.iter_mut().enumerate() {
            *r = est_risk(risk[i], risk[x]);
        }
        for ((u, &d), &r) in u_i.iter_mut().zip(&vdiff_t[i * n..(i + 1) * n]).zip(r_est.iter()) {
            *u = bs_util(d, r);
        }
        let util = |x: usize, y: usize| bs_util(vdiff[x * n + y], r_est[x]);
        // The contenders are not third parties: a zero weight gives them a zero vote.
        weight[i] = 0.0;
        match by_position {
            Some(sorted) => line.fill(pos[i], pos, sorted, u_i, r_est, weight),
            None if self.order == Order::Lanes => by_stake.fill(u_i, r_est, weight),
            None => {}
        }
        // The gain of challenging j is at most 1 − u_ij (when i is sure to win), so targets
        // are tried in decreasing order of that bound and the search stops once the bound
        // cannot beat the best gain found.
        targets.clear();
        if by_position.is_some() {
            // On one issue the bound falls with the distance |x_i − x_j| (KTAB's distance
            // differs from it by a few ulps, far below the 1e-12 of slack below), so the
            // third parties' farthest-first order is already in order.
            let far = line.farthest_first();
            targets.extend(far.iter().filter(|&&j| j != i).map(|&j| (1.0 - util(i, j), j)));
        } else {
            targets.extend((0..n).filter(|&j| j != i).map(|j| (1.0 - util(i, j), j)));
            targets.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let mut best: Option<(usize, f64, f64)> = None;
        // The hint first, whatever its bound; then the others in order.
        // In Order::Lanes, the hint and the few targets that look best if i's chance were
        // one half, (1 − u_ij)(1 − s_j), are tried first, whatever their bound, so that the
        // best gain found is high early; then the others in order of their bound.
        let mut first = [usize::MAX; FIRST_TRIED + 1];
        if self.order == Order::Lanes {
            let mut looks = [f64::NEG_INFINITY; FIRST_TRIED];
            for &(bound, j) in targets.iter() {
                let v = bound * (1.0 - self.total[j]);
                if v > looks[FIRST_TRIED - 1] {
                    let mut at = FIRST_TRIED - 1;
                    while at > 0 && looks[at - 1] < v {
                        looks[at] = looks[at - 1];
                        first[at] = first[at - 1];
                        at -= 1;
                    }
                    looks[at] = v;
                    first[at] = j;
                }
            }
            if let Some(h) = hint.filter(|&h| h != i && !first.contains(&h)) {
                first[FIRST_TRIED] = h;
            }
        }
        let tried = first
            .iter()
            .filter(|&&j| j != usize::MAX)
            .map(|&j| (f64::INFINITY, j))
            .chain(targets.iter().copied().filter(|(_, j)| !first.contains(j)));
        for (bound, j) in tried {
            let floor = best.map_or(MIN_GAIN, |b| b.2);
            if bound + 1e-12 < floor {
                break;
            }
            let contest = Contest::new(self, i, j, &util);
            if by_position.is_some()
                && peers.dominated(pos[j], contest.c_j, self.total[j], self.weight[j], j)
            {
                continue;
            }
            let d_j = &vdiff_t[j * n..(j + 1) * n];
            let outcome = match self.order {
                Order::Ktab => {
                    weight[j] = 0.0;
                    let (mut chij, mut chji) = (contest.c_i, contest.c_j);
                    for (((&uki, &dkj), &rk), &wk) in u_i.iter().zip(d_j).zip(&*r_est).zip(&*weight)
                    {
                        let vk = contest.vote(uki, dkj, rk, wk);
                        // Exactly KTAB's `if (vk > 0) chij += vk; if (vk < 0) chji -= vk;`
                        // (see `Contest::vote`).
                        chij += vk.max(0.0);
                        chji -= vk.min(0.0);
                    }
                    weight[j] = self.weight[j];
                    Some(contest.outcome(chij, chji))
                }
                Order::Lanes if by_position.is_some() => line.weigh(&contest, j, pos[j], floor),
                Order::Lanes => by_stake.weigh(&contest, j, d_j, floor),
            };
            let Some((phij, gain)) = outcome else { continue };
            let better = match best {
                None => MIN_GAIN < gain,
                Some((bj, _, bg)) => bg < gain || (bg == gain && j < bj),
            };
            if better {
                best = Some((j, phij, gain));
            }
        }
        weight[i] = self.weight[i];
        let (j, p_ij, gain) = best?;
        // S2P2 interpolation with i's estimate of its chance.
        let (prb_i, prb_j) = (p_ij, 1.0 - p_ij);
        let mut init = vec![0.0; m];
        let mut rcvr = vec![0.0; m];
        for d in 0..m {
            let (tik, sik) = (pos[i * m + d], self.sal[i * m + d]);
            let (tjk, sjk) = (pos[j * m + d], self.sal[j * m + d]);
            let wik = (sik * sik) * (prb_i * prb_i);
            let wjk = (sjk * sjk) * (prb_j * prb_j);
            let den = wik + MIN_BARGAIN_WEIGHT + wjk;
            init[d] = round4(((wik + MIN_BARGAIN_WEIGHT) * tik + wjk * tjk) / den);
            rcvr[d] = round4((wik * tik + (MIN_BARGAIN_WEIGHT + wjk) * tjk) / den);
        }
        Some(RawChallenge { target: j, probability: p_ij, gain, init, rcvr })
    }
}

/// [`Model::best_challenge`] as a [`pulp::WithSimd`] operation, so that [`pulp::Arch`]
/// compiles it, and all it calls inline, once per instruction set and runs the widest the
/// processor has.
struct Challenger<'a> {
    model: &'a Model<'a>,
    i: usize,
    pos: &'a [f64],
    /// vDiff and its transpose.
    vdiff: (&'a [f64], &'a [f64]),
    risk: &'a [f64],
    sorted: Option<&'a [usize]>,
    hint: Option<usize>,
    scratch: &'a mut Scratch,
}

impl pulp::WithSimd for Challenger<'_> {
    type Output = Option<RawChallenge>;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> Self::Output {
        let Challenger { model, i, pos, vdiff, risk, sorted, hint, scratch } = self;
        model.best_challenge(i, pos, vdiff.0, vdiff.1, risk, sorted, hint, scratch)
    }
}

/// KTAB `SMPState::probEduChlg(h = i, k = i, i, j)` for one challenge: i's estimate of the
/// probability that it beats j, and of its expected gain from challenging j. This holds the
/// contenders' own votes and the utilities of the outcomes; the third parties' votes are
/// added by the caller, one [`Contest::vote`] each.
struct Contest {
    /// The votes for i before the third parties'.
    c_i: f64,
    /// The votes for j before the third parties'.
    c_j: f64,
    /// j's total salience.
    sj: f64,
    /// i's utility for the status quo, for its victory and for its defeat.
    eu_sq: f64,
    uhkij: f64,
    uhkji: f64,
}

impl Contest {
    /// `util(x, y)` is i's estimate of x's utility for y's position.
    fn new(model: &Model, i: usize, j: usize, util: &impl Fn(usize, usize) -> f64) -> Contest {
        let (uii, uij, uji, ujj) = (util(i, i), util(i, j), util(j, i), util(j, j));
        let eu_sq = util(i, i) + util(i, j);
        let uhkij = util(i, i) + util(i, i);
        let uhkji = util(i, j) + util(i, j);
        let (si, ci) = (model.total[i], model.cap[i]);
        let (sj, cj) = (model.total[j], model.cap[j]);
        let contrib_i = (si * ci) * (uii - uij);
        let contrib_j = (sj * cj) * (uji - ujj);
        let mut chij = MIN_CHALLENGE_COALITION;
        let mut chji = MIN_CHALLENGE_COALITION;
        if contrib_i > 0.0 {
            chij += contrib_i;
        }
        if contrib_i < 0.0 {
            chji -= contrib_i;
        }
        if contrib_j > 0.0 {
            chij += contrib_j;
        }
        if contrib_j < 0.0 {
            chji -= contrib_j;
        }
        Contest { c_i: chij, c_j: chji, sj, eu_sq, uhkij, uhkji }
    }

    /// Third party k's vote for i (negative: for j), from its utility `uki` for i's position,
    /// its distance `dkj` to j's, its risk attitude `rk` as i estimates it, and its weight
    /// `wk` (0 for i and j themselves, so that they add nothing).
    fn vote(&self, uki: f64, dkj: f64, rk: f64, wk: f64) -> f64 {
        let ukj = bs_util(dkj, rk);
        // An actor's distance to its own position (its ideal) is exactly 0, so its utility
        // for it is exactly (1 − 0)(1 + 0 R) = 1.
        let ukk = 1.0;
        // Actor::vProbLittle: k's estimate of the chance that i wins with k's help.
        // `x + v.max(0.0)` adds v when it is positive and leaves x as it is otherwise (x > 0),
        // exactly as KTAB's `if (v > 0) x += v` does, without a branch.
        let contrib_k = wk * (uki - ukj);
        let cki = self.c_i + contrib_k.max(0.0);
        let ckj = self.c_j - contrib_k.min(0.0);
        let pik = cki / (cki + ckj);
        let pjk = 1.0 - pik;
        // Actor::thirdPartyVoteSU with SemiCommit.
        let u_ik_def_j = uki + uki + ukk;
        let u_j_def_ik = ukj + ukj + ukj;
        let u_i_def_jk = uki + uki + uki;
        let u_jk_def_i = ukj + ukj + ukk;
        let u_ik_j = (pik * u_ik_def_j) + (pjk * u_j_def_ik);
        let u_i_jk = (pik * u_i_def_jk) + (pjk * u_jk_def_i);
        wk * (u_ik_j - u_i_jk)
    }

    /// [`Contest::vote`] rearranged for [`Order::Lanes`] (equal up to rounding), from k's
    /// losses a = 1 − u_ki and b = 1 − u_kj: w (c_ki a − c_kj b) / (c_ki + c_kj), where
    /// c_ki and c_kj are i's and j's votes with k's added to the side it prefers.
    fn vote_lanes(&self, a: f64, b: f64, wk: f64) -> f64 {
        let t = wk * (b - a);
        let at = t.abs();
        let cki = self.c_i + 0.5 * (t + at);
        let ckj = self.c_j + 0.5 * (at - t);
        wk * (cki * a - ckj * b) / (self.c_i + self.c_j + at)
    }

    /// The probability that i wins and i's expected gain, from all votes for i (`chij`) and
    /// for j (`chji`). The gain increases with `chij` and decreases with `chji`.
    fn outcome(&self, chij: f64, chji: f64) -> (f64, f64) {
        let phij = chij / (chij + chji);
        let phji = chji / (chij + chji);
        let eu_vict = self.uhkij;
        let eu_cntst = phij * self.uhkij + phji * self.uhkji;
        let eu_chlg = (1.0 - self.sj) * eu_vict + self.sj * eu_cntst;
        (phij, eu_chlg - self.eu_sq)
    }
}

/// The third parties of one challenger i in [`Order::Lanes`] on several issues (one issue
/// has [`line::Line`]), ordered so that large stakes come early. A third party's stake is the
/// most it can add to i's side, w_k (1 − u_ki): its vote w_k (p a − (1 − p) b), with p in
/// [0, 1] and its losses a = 1 − u_ki and b = 1 − u_kj in [0, 1], is at most w_k a.
///
/// Weighing a target, the votes are added in that order, and after each block the gain is
/// bounded by giving i every remaining stake and j nothing more: once that bound cannot beat
/// the best gain found, the target is dropped. Dropping a target that cannot win changes
/// nothing (the bound holds whatever the order); it saves most of the work when many targets
/// come close.
struct ByStake {
    /// Third parties, large stakes first.
    order: Vec<usize>,
    /// Each actor's place in `order`.
    place: Vec<usize>,
    /// In that order: their losses at i's position a = 1 − u_ki, i's estimates of their
    /// risk attitudes, and their weights.
    loss_i: Vec<f64>,
    r_est: Vec<f64>,
    weight: Vec<f64>,
    /// `rest[t]`: the stakes of the third parties from t on.
    rest: Vec<f64>,
}

/// The target's own vote in a challenge's sums, taken off once they include it.
#[derive(Clone, Copy)]
struct Own {
    /// Its place in the order of the sums.
    at: usize,
    /// Its vote.
    vote: f64,
}

impl Own {
    /// The sums of the votes `s` and of their absolute values `a` over the first `done`
    /// third parties (or blocks), without the target's.
    fn take_off(self, s: f64, a: f64, done: usize) -> (f64, f64) {
        if self.at < done { (s - self.vote, a - self.vote.abs()) } else { (s, a) }
    }
}

/// Votes added between two checks of [`ByStake::weigh`]'s bound (a multiple of [`LANES`]).
const BLOCK: usize = 16 * LANES;

impl ByStake {
    fn new(n: usize) -> ByStake {
        ByStake {
            order: Vec::with_capacity(n),
            place: vec![0; n],
            loss_i: vec![0.0; n],
            r_est: vec![0.0; n],
            weight: vec![0.0; n],
            rest: vec![0.0; n + 1],
        }
    }

    /// Orders challenger i's third parties by stake, from i's utilities `u_i`, its risk
    /// estimates `r_est` and the weights `weight` (0 for i).
    fn fill(&mut self, u_i: &[f64], r_est: &[f64], weight: &[f64]) {
        let n = u_i.len();
        let stake = |k: usize| weight[k] * (1.0 - u_i[k]);
        self.order.clear();
        self.order.extend(0..n);
        self.order.sort_by(|&a, &b| stake(b).total_cmp(&stake(a)).then(a.cmp(&b)));
        for (t, &k) in self.order.iter().enumerate() {
            self.place[k] = t;
            self.loss_i[t] = 1.0 - u_i[k];
            self.r_est[t] = r_est[k];
            self.weight[t] = weight[k];
        }
        self.rest[n] = 0.0;
        for t in (0..n).rev() {
            self.rest[t] = self.rest[t + 1] + stake(self.order[t]).max(0.0);
        }
    }

    /// The outcome of challenging j, or `None` once it is sure that its gain stays below
    /// `floor`, with `d_j[k]` third party k's distance to j's position.
    fn weigh(
        &mut self,
        contest: &Contest,
        j: usize,
        d_j: &[f64],
        floor: f64,
    ) -> Option<(f64, f64)> {
        // j is no third party of its own challenge. Its vote (at distance 0 from its own
        // position) is added with the others and taken off afterwards, rather than given a
        // zero weight, so that identical targets get the same sums bit for bit and tie
        // exactly, as in KTAB's order (a zero in a different partial sum for each would make
        // the tie depend on rounding).
        let t_j = self.place[j];
        let own =
            Own { at: t_j, vote: contest.vote_lanes(self.loss_i[t_j], 0.0, self.weight[t_j]) };
        self.add_votes(contest, floor, |t| d_j[self.order[t]].min(1.0), own)
    }

    /// [`ByStake::weigh`] once j's weight is 0, with `distance(t)` the t-th third party's
    /// distance to j's position (at most 1). The votes v are summed with their absolute
    /// values, in [`LANES`] partial sums: the votes for i are (Σ|v| + Σv) / 2, those for j
    /// (Σ|v| − Σv) / 2.
    fn add_votes(
        &self,
        contest: &Contest,
        floor: f64,
        distance: impl Fn(usize) -> f64,
        own: Own,
    ) -> Option<(f64, f64)> {
        let n = self.order.len();
        let mut sum = [0.0; LANES];
        let mut abs = [0.0; LANES];
        let votes = |sum: &[f64; LANES], abs: &[f64; LANES], done: usize| {
            let (s, a) =
                ((sum[0] + sum[1]) + (sum[2] + sum[3]), (abs[0] + abs[1]) + (abs[2] + abs[3]));
            let (s, a) = own.take_off(s, a, done);
            (contest.c_i + 0.5 * (a + s), contest.c_j + 0.5 * (a - s))
        };
        let mut t = 0;
        while t < n {
            let end = (t + BLOCK).min(n);
            while t < end {
                for l in 0..LANES.min(end - t) {
                    let k = t + l;
                    let d = distance(k);
                    let loss_j = 1.0 - (1.0 - d) * (1.0 + d * self.r_est[k]);
                    let v = contest.vote_lanes(self.loss_i[k], loss_j, self.weight[k]);
                    sum[l] += v;
                    abs[l] += v.abs();
                }
                t += LANES;
            }
            let t_done = t.min(n);
            let (chij, chji) = votes(&sum, &abs, t_done);
            if t_done < n && contest.outcome(chij + self.rest[t_done], chji).1 + 1e-12 < floor {
                return None;
            }
        }
        let (chij, chji) = votes(&sum, &abs, n);
        Some(contest.outcome(chij, chji))
    }
}

/// The work space of [`Model::best_challenge`], reused from actor to actor by each thread.
struct Scratch {
    /// The challenger's estimates of everybody's risk attitude.
    r_est: Vec<f64>,
    /// Its estimates of everybody's utility for its position.
    u_i: Vec<f64>,
    /// Everybody's vote weight, set to 0 for the two contenders while they are weighed.
    weight: Vec<f64>,
    /// The possible targets, with the bound on the gain of challenging them.
    targets: Vec<(f64, usize)>,
    /// The third parties by stake ([`Order::Lanes`] on several issues).
    by_stake: ByStake,
    /// The third parties by position ([`Order::Lanes`] on one issue).
    line: line::Line,
    /// The targets weighed at the position being tried ([`Order::Lanes`] on one issue).
    peers: Peers,
}

impl Scratch {
    fn new(model: &Model) -> Scratch {
        let lanes = model.order == Order::Lanes;
        Scratch {
            r_est: vec![0.0; model.n],
            u_i: vec![0.0; model.n],
            weight: model.weight.clone(),
            targets: Vec::with_capacity(model.n),
            by_stake: ByStake::new(if lanes && model.m > 1 { model.n } else { 0 }),
            line: line::Line::new(if lanes && model.m == 1 { model.n } else { 0 }),
            peers: Peers::default(),
        }
    }
}

/// The targets of one challenger weighed so far at one position, for [`Peers::dominated`].
#[derive(Default)]
struct Peers {
    /// Their position.
    at: f64,
    /// Of each: its votes before the third parties' c_j, its total salience s_j, its vote
    /// weight w_j and its index.
    weighed: Vec<(f64, f64, f64, usize)>,
}

impl Peers {
    fn clear(&mut self) {
        self.weighed.clear();
    }

    /// Whether target j at `x_j`, with its own votes `c_j`, total salience `s_j` and vote
    /// weight `w_j`, cannot beat a target k already weighed at the same position (on one
    /// issue); if it can, j is recorded.
    ///
    /// Two targets at one position differ in a challenge only by c_j, s_j and each other:
    /// the challenger's utilities, the risk attitude (a function of the position) and every
    /// other third party's losses are the same. Every third party's vote falls as c_j grows,
    /// so j's chance of winning grows with c_j; and in j's challenge k is a third party at
    /// distance 0 from the target, voting w_k c_i a / (C + w_k a) for the challenger, which
    /// grows with w_k, where in k's challenge j votes the same with w_j. So with c_k ≤ c_j
    /// and w_k ≤ w_j, j's chance is at least k's, and the challenger's gain
    /// (1 − u_ij)(1 − 2 s_j P(j wins)) with s_k ≤ s_j is at most its gain against k, which
    /// was either dropped already or loses to the best found. When all three are equal, the
    /// lower index wins the tie, as in KTAB.
    fn dominated(&mut self, x_j: f64, c_j: f64, s_j: f64, w_j: f64, j: usize) -> bool {
        if self.at != x_j {
            self.at = x_j;
            self.weighed.clear();
        }
        let beaten = self.weighed.iter().any(|&(c, s, w, k)| {
            c <= c_j && s <= s_j && w <= w_j && (c < c_j || s < s_j || w < w_j || k < j)
        });
        if !beaten {
            self.weighed.push((c_j, s_j, w_j, j));
        }
        beaten
    }
}

/// The transpose of the `n` × `n` row-major matrix `a`, copied in blocks that fit the cache.
fn transpose(n: usize, a: &[f64]) -> Vec<f64> {
    const BLOCK: usize = 64;
    let mut t = vec![0.0; n * n];
    for a0 in (0..n).step_by(BLOCK) {
        for b0 in (0..n).step_by(BLOCK) {
            for x in a0..(a0 + BLOCK).min(n) {
                for y in b0..(b0 + BLOCK).min(n) {
                    t[y * n + x] = a[x * n + y];
                }
            }
        }
    }
    t
}

/// Σ_k max(v_k, 0) and Σ_k max(−v_k, 0) for k in `0..n`, in [`LANES`] interleaved partial
/// sums ([`Order::Lanes`]).
fn lane_sums(n: usize, vote: impl Fn(usize) -> f64) -> (f64, f64) {
    let mut plus = [0.0; LANES];
    let mut minus = [0.0; LANES];
    let full = n - n % LANES;
    for k0 in (0..full).step_by(LANES) {
        for l in 0..LANES {
            let v = vote(k0 + l);
            plus[l] += v.max(0.0);
            minus[l] -= v.min(0.0);
        }
    }
    for k in full..n {
        let v = vote(k);
        plus[k - full] += v.max(0.0);
        minus[k - full] -= v.min(0.0);
    }
    ((plus[0] + plus[1]) + (plus[2] + plus[3]), (minus[0] + minus[1]) + (minus[2] + minus[3]))
}

/// KTAB `Model::scalarPCE` with Proportional votes, Linear victory probability and
/// Conditional PCE: the probability of each option, from the actors' weights `w` and each
/// option's column of utilities `columns[option][actor]`.
fn cond_pce(columns: &[&[f64]], w: &[f64], order: Order) -> Vec<f64> {
    let n_opt = columns.len();
    // Model::coalitions for every pair j < i, then Model::vProb (Linear):
    // pv(i, j) = c_ij / (c_ij + c_ji).
    let mut lower = vec![(0.0, 0.0); n_opt * n_opt];
    lower.par_chunks_mut(n_opt).enumerate().for_each(|(i, row)| {
        for (j, c) in row[..i].iter_mut().enumerate() {
            *c = coalitions(columns[i], columns[j], w, order);
        }
    });
    let mut pv = vec![0.5; n_opt * n_opt];
    for i in 0..n_opt {
        for j in 0..i {
            let (cij, cji) = lower[i * n_opt + j];
            pv[i * n_opt + j] = cij / (cij + cji);
            pv[j * n_opt + i] = cji / (cij + cji);
        }
    }
    condition(n_opt, &pv)
}

/// A bargain's column of utilities as its deviation δ from the status quo's, with Σ c δ and
/// Σ c |δ| (c the capabilities), for [`choose_by_deviation`].
struct Deviation {
    dev: Vec<f64>,
    sum: f64,
    abs: f64,
}

impl Deviation {
    fn new(column: &[f64], status_quo: &[f64], cap: &[f64]) -> Deviation {
        let dev: Vec<f64> = column.iter().zip(status_quo).map(|(c, s)| c - s).collect();
        let (plus, minus) = lane_sums(dev.len(), |k| cap[k] * dev[k]);
        Deviation { dev, sum: plus - minus, abs: plus + minus }
    }
}

/// [`cond_pce`]'s choice ([`Order::Lanes`]) among the status quo and the bargains `options`:
/// `None` for the status quo, `Some(b)` for `options[b]` (the first of the most probable).
///
/// The votes for option x over y and for y over x are (T + D) / 2 and (T − D) / 2 with
/// D = Σ c (δ_x − δ_y), the difference of two sums known beforehand, and T = Σ c |δ_x − δ_y|:
/// one sum of absolute values per pair instead of two sums of signed parts, and none for the
/// pairs with the status quo (δ = 0). Equal to [`cond_pce`]'s up to rounding.
fn choose_by_deviation(options: &[&Deviation], cap: &[f64]) -> Option<usize> {
    let n_opt = options.len() + 1;
    // lower[x][y] for y < x: the votes for x over y and for y over x; option 0 is the status
    // quo. Rows are taken [`TILE`] at a time, so that each other column is read once for all
    // of them (the columns of a much challenged actor do not fit in the cache).
    let mut lower = vec![(0.0, 0.0); n_opt * n_opt];
    let arch = pulp::Arch::new();
    lower.par_chunks_mut(TILE * n_opt).enumerate().for_each(|(tile, rows)| {
        arch.dispatch(VoteTile { options, cap, tile, rows });
    });
    // As in cond_pce, both probabilities of a pair are ratios of the same two votes, so that
    // two identical options get identical rows and tie exactly (the first is chosen).
    let mut pv = vec![0.5; n_opt * n_opt];
    for x in 0..n_opt {
        for y in 0..x {
            let (cxy, cyx) = lower[x * n_opt + y];
            pv[x * n_opt + y] = cxy / (cxy + cyx);
            pv[y * n_opt + x] = cyx / (cxy + cyx);
        }
    }
    let pce = condition(n_opt, &pv);
    let mut best = 0;
    for (b, &v) in pce.iter().enumerate() {
        if pce[best] < v {
            best = b;
        }
    }
    best.checked_sub(1)
}

/// Rows of [`choose_by_deviation`] taken together.
const TILE: usize = 8;

/// The votes between options for [`choose_by_deviation`]'s rows `tile * TILE..` (`rows`), as
/// a [`pulp::WithSimd`] operation compiled once per instruction set (see [`Challenger`]).
struct VoteTile<'a> {
    options: &'a [&'a Deviation],
    cap: &'a [f64],
    tile: usize,
    rows: &'a mut [(f64, f64)],
}

impl pulp::WithSimd for VoteTile<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        let VoteTile { options, cap, tile, rows } = self;
        let n_opt = options.len() + 1;
        let pair = |t: f64, d: f64| {
            (MIN_COALITION + 0.5 * (t + d).max(0.0), MIN_COALITION + 0.5 * (t - d).max(0.0))
        };
        let x0 = tile * TILE;
        let tile_rows = rows.len() / n_opt;
        if tile_rows == TILE && x0 >= 1 {
            let xs: [&[f64]; TILE] = std::array::from_fn(|r| &options[x0 + r - 1].dev[..]);
            for y in 1..x0 {
                let oy = options[y - 1];
                let t = lane_abs_many(cap, &xs, &oy.dev);
                for r in 0..TILE {
                    rows[r * n_opt + y] = pair(t[r], options[x0 + r - 1].sum - oy.sum);
                }
            }
        }
        for r in 0..tile_rows {
            let x = x0 + r;
            if x == 0 {
                continue;
            }
            let ox = options[x - 1];
            let row = &mut rows[r * n_opt..(r + 1) * n_opt];
            row[0] = pair(ox.abs, ox.sum);
            let from = if tile_rows == TILE { x0.max(1) } else { 1 };
            for (y, c) in row.iter_mut().enumerate().take(x).skip(from) {
                let oy = options[y - 1];
                *c = pair(lane_abs(cap, &ox.dev, &oy.dev), ox.sum - oy.sum);
            }
        }
    }
}

/// [`lane_abs`] of each of `xs` against `b` (the same sums, in the same order), reading `w`
/// and `b` once.
#[inline(always)]
fn lane_abs_many<const R: usize>(w: &[f64], xs: &[&[f64]; R], b: &[f64]) -> [f64; R] {
    let n = w.len().min(b.len());
    let mut acc = [[0.0; LANES]; R];
    let full = n - n % LANES;
    for k0 in (0..full).step_by(LANES) {
        let (w, b) = (&w[k0..k0 + LANES], &b[k0..k0 + LANES]);
        for (acc, x) in acc.iter_mut().zip(xs) {
            let x = &x[k0..k0 + LANES];
            for l in 0..LANES {
                acc[l] += w[l] * (x[l] - b[l]).abs();
            }
        }
    }
    for k in full..n {
        for (acc, x) in acc.iter_mut().zip(xs) {
            acc[k - full] += w[k] * (x[k] - b[k]).abs();
        }
    }
    acc.map(|a| (a[0] + a[1]) + (a[2] + a[3]))
}

/// Σ_k w_k |a_k − b_k| in [`LANES`] interleaved partial sums.
#[inline(always)]
fn lane_abs(w: &[f64], a: &[f64], b: &[f64]) -> f64 {
    let n = w.len().min(a.len()).min(b.len());
    let (w, a, b) = (&w[..n], &a[..n], &b[..n]);
    let mut acc = [0.0; LANES];
    let full = n - n % LANES;
    for ((w, a), b) in
        w[..full].chunks_exact(LANES).zip(a[..full].chunks_exact(LANES)).zip(b.chunks_exact(LANES))
    {
        for l in 0..LANES {
            acc[l] += w[l] * (a[l] - b[l]).abs();
        }
    }
    for k in full..n {
        acc[k - full] += w[k] * (a[k] - b[k]).abs();
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// KTAB `Model::coalitions` for options i and j: the votes for i over j and for j over i.
fn coalitions(ui: &[f64], uj: &[f64], w: &[f64], order: Order) -> (f64, f64) {
    match order {
        Order::Ktab => {
            let (mut cij, mut cji) = (MIN_COALITION, MIN_COALITION);
            for ((&wk, &a), &b) in w.iter().zip(ui).zip(uj) {
                let v = wk * (a - b);
                // Exactly KTAB's `if (v > 0) cij += v; if (v < 0) cji -= v;` (see `vote`).
                cij += v.max(0.0);
                cji -= v.min(0.0);
            }
            (cij, cji)
        }
        Order::Lanes => {
            let (ui, uj) = (&ui[..w.len()], &uj[..w.len()]);
            let (plus, minus) = lane_sums(w.len(), |k| w[k] * (ui[k] - uj[k]));
            (MIN_COALITION + plus, MIN_COALITION + minus)
        }
    }
}

/// KTAB `Model::condPCE`: p_i ∝ Π_j pv(i, j). When the products underflow (hundreds of
/// options, beyond KTAB's own limit) the same is computed with logarithms.
fn condition(n_opt: usize, pv: &[f64]) -> Vec<f64> {
    let p: Vec<f64> =
        (0..n_opt).map(|i| pv[i * n_opt..(i + 1) * n_opt].iter().fold(1.0, |a, v| a * v)).collect();
    let one = p.iter().fold(0.0, |a, v| a + v);
    if one.is_normal() {
        return p.iter().map(|v| v / one).collect();
    }
    let logs: Vec<f64> = (0..n_opt)
        .map(|i| pv[i * n_opt..(i + 1) * n_opt].iter().map(|v| v.ln()).sum::<f64>())
        .collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let sum: f64 = e.iter().sum();
    e.iter().map(|v| v / sum).collect()
}

/// The risk-neutral PCE over all actors' positions on one issue, for many actors
/// ([`Order::Lanes`]).
///
/// An actor at x values position y at 1 − |x − y| when risk neutral, so between positions
/// a < b the voters at or below a give a the votes (b − a) w, those between a and the midpoint
/// give it (a + b − 2x) w, and the mirror holds for b: differences of prefix sums of w and w x
/// over the distinct positions. Sweeping b away from a moves the midpoint one way only, so the
/// cuts need no search. Actors at one position share their product of Conditional PCE, which
/// is taken as a sum of logarithms (hundreds of factors underflow). O(n log n + u²) for u
/// distinct positions.
fn risk_pce_sorted(pos: &[f64], w: &[f64]) -> Vec<f64> {
    let mut y = pos.to_vec();
    y.sort_by(f64::total_cmp);
    y.dedup();
    let u = y.len();
    let at: Vec<usize> = pos.iter().map(|v| y.partition_point(|t| t < v)).collect();
    let mut count = vec![0usize; u];
    let mut cw = vec![0.0; u + 1];
    let mut cwx = vec![0.0; u + 1];
    for (k, &g) in at.iter().enumerate() {
        count[g] += 1;
        cw[g + 1] += w[k];
        cwx[g + 1] += w[k] * pos[k];
    }
    // cw[t], cwx[t]: Σ w and Σ w x over the first t distinct positions.
    for t in 0..u {
        cw[t + 1] += cw[t];
        cwx[t + 1] += cwx[t];
    }
    let (total_w, ln_half) = (cw[u], 0.5f64.ln());
    let log_p: Vec<f64> = (0..u)
        .into_par_iter()
        .map(|ia| {
            let a = y[ia];
            let mut sum = (count[ia] - 1) as f64 * ln_half;
            let mut add = |for_a: f64, for_b: f64, count: usize| {
                let (cab, cba) = (MIN_COALITION + for_a.max(0.0), MIN_COALITION + for_b.max(0.0));
                sum += count as f64 * (cab / (cab + cba)).ln();
            };
            // b above a: positions [0, lo) are below the midpoint, [hi, u) above it. Both cuts
            // start at a itself, below every midpoint, as the cuts for b below a start at a.
            let (mut lo, mut hi) = (ia, ia);
            for ib in ia + 1..u {
                let b = y[ib];
                let mid = 0.5 * (a + b);
                while lo < u && y[lo] < mid {
                    lo += 1;
                }
                while hi < u && y[hi] <= mid {
                    hi += 1;
                }
                let for_a = cw[ia + 1] * (b - a) + (cw[lo] - cw[ia + 1]) * (a + b)
                    - 2.0 * (cwx[lo] - cwx[ia + 1]);
                let for_b = (total_w - cw[ib]) * (b - a) + 2.0 * (cwx[ib] - cwx[hi])
                    - (cw[ib] - cw[hi]) * (a + b);
                add(for_a, for_b, count[ib]);
            }
            // b below a: positions [hi, u) are above the midpoint, [0, lo) below it.
            let (mut lo, mut hi) = (ia, ia);
            for ib in (0..ia).rev() {
                let b = y[ib];
                let mid = 0.5 * (a + b);
                while hi > 0 && y[hi - 1] > mid {
                    hi -= 1;
                }
                while lo > 0 && y[lo - 1] >= mid {
                    lo -= 1;
                }
                let for_a = (total_w - cw[ia]) * (a - b) + 2.0 * (cwx[ia] - cwx[hi])
                    - (cw[ia] - cw[hi]) * (a + b);
                let for_b = cw[ib + 1] * (a - b) + (cw[lo] - cw[ib + 1]) * (a + b)
                    - 2.0 * (cwx[lo] - cwx[ib + 1]);
                add(for_a, for_b, count[ib]);
            }
            sum
        })
        .collect();
    let top = log_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = at.iter().map(|&g| (log_p[g] - top).exp()).collect();
    let sum = e.iter().fold(0.0, |acc, v| acc + v);
    e.iter().map(|v| v / sum).collect()
}

/// KTAB `Model::bigRfromProb` with the Mid range; all 0 when every probability is equal.
fn big_r_mid(p: &[f64]) -> Vec<f64> {
    let mut p_min = 1.0;
    let mut p_max = 0.0;
    for &v in p {
        p_min = if v < p_min { v } else { p_min };
        p_max = if v > p_max { v } else { p_max };
    }
    if p_max <= p_min {
        return vec![0.0; p.len()];
    }
    p.iter().map(|&v| (3.0 * v - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min))).collect()
}

#[cfg(test)]
pub(super) fn risk_pce_both(pos: &[f64], w: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let n = pos.len();
    let neutral: Vec<f64> = (0..n)
        .flat_map(|j| (0..n).map(move |k| (k, j)))
        .map(|(k, j)| bs_util((pos[k] - pos[j]).abs(), 0.0))
        .collect();
    let columns: Vec<&[f64]> = neutral.chunks(n).collect();
    (cond_pce(&columns, w, Order::Ktab), risk_pce_sorted(pos, w))
}
