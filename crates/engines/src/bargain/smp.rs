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
//! Quantities are computed in KTAB's order of operations, so that positions (which KTAB rounds
//! to 4 decimals on [0, 1]) agree turn by turn.

use rayon::prelude::*;

use super::{BargainInput, weighted_mean, weighted_median};

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
/// Above this many actors (KTAB's own limit) the risk PCE of a one-issue run uses prefix sums.
const DIRECT_LIMIT: usize = 250;

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
/// Per turn O(n³) time for n actors (every challenge weighs every third party; the risk PCE
/// of one-issue runs above 250 actors uses prefix sums, O(n² log n)); challenges whose best
/// possible gain cannot beat the best found are skipped, which does not change the result.
/// O(n²) memory. Actors are processed in parallel; the result does not depend on the number
/// of threads.
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
    let model = Model { n, m, cap: input.capability(), sal, total };
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
    for turn in 1..=options.max_turns {
        let step = model.turn(&pos);
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
    }
    Ok(out)
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
fn bs_util(sd: f64, r: f64) -> f64 {
    if sd <= 1.0 { (1.0 - sd) * (1.0 + sd * r) } else { (1.0 - sd) * (1.0 + r) }
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

    fn turn(&self, pos: &[f64]) -> Step {
        let (n, m) = (self.n, self.m);
        let p = |i: usize| &pos[i * m..(i + 1) * m];
        // vDiff(i, j): i's ideal (its current position) to j's position.
        let mut vdiff = vec![0.0; n * n];
        vdiff.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
            for (j, v) in row.iter_mut().enumerate() {
                *v = self.distance_to(i, p(i), p(j));
            }
        });

        // 1. Risk attitudes from the risk-neutral PCE over all actors' positions.
        let p_win = if m == 1 && n > DIRECT_LIMIT {
            risk_pce_sorted(pos, self.cap)
        } else {
            let rn: Vec<f64> = vdiff.iter().map(|&d| bs_util(d, 0.0)).collect();
            cond_pce(n, n, self.cap, &rn)
        };
        let risk = big_r_mid(&p_win);

        // 2. Each actor's best challenge.
        let challenges: Vec<Option<RawChallenge>> =
            (0..n).into_par_iter().map(|i| self.best_challenge(i, pos, &vdiff, &risk)).collect();

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
            .map(|a| {
                let r = est_risk(risk[a], risk[a]);
                (0..n).fold(0.0, |acc, k| acc + bs_util(vdiff[a * n + k], r))
            })
            .collect();
        let chosen: Vec<(Option<usize>, Vec<f64>)> = (0..n)
            .into_par_iter()
            .map(|k| {
                let options = &involved[k];
                let nb = options.len() + 1;
                let mut u = vec![0.0; n * nb];
                for a in 0..n {
                    let ra = est_risk(risk[a], risk[a]);
                    u[a * nb] = own_sum[a] / n as f64;
                    for (b, &init) in options.iter().enumerate() {
                        let Some(c) = &challenges[init] else { continue };
                        let rcvr = c.target;
                        let u_init = bs_util(self.distance_to(a, p(a), &c.init), risk[a]);
                        let u_rcvr = bs_util(self.distance_to(a, p(a), &c.rcvr), risk[a]);
                        let rest = own_sum[a]
                            - bs_util(vdiff[a * n + init], ra)
                            - if rcvr == init { 0.0 } else { bs_util(vdiff[a * n + rcvr], ra) };
                        u[a * nb + b + 1] = (u_init + u_rcvr + rest) / n as f64;
                    }
                }
                let pce = cond_pce(n, nb, self.cap, &u);
                // KTAB `ndxMaxAbs`: the first of the most probable.
                let mut best = 0;
                for (b, &v) in pce.iter().enumerate() {
                    if pce[best] < v {
                        best = b;
                    }
                }
                if best == 0 {
                    return (None, p(k).to_vec());
                }
                let init = options[best - 1];
                let c = challenges[init].as_ref().map_or_else(
                    || p(k).to_vec(),
                    |c| {
                        if init == k { c.init.clone() } else { c.rcvr.clone() }
                    },
                );
                (Some(init), c)
            })
            .collect();
        let mut positions = vec![0.0; n * m];
        let mut adopted = Vec::with_capacity(n);
        for (k, (who, new)) in chosen.into_iter().enumerate() {
            positions[k * m..(k + 1) * m].copy_from_slice(&new);
            adopted.push(who);
        }
        Step { risk, challenges, adopted, positions }
    }

    /// KTAB `SMPState::bestChallengeUtils` + `bestChallenge` + `interpolateBrgn` for actor i.
    fn best_challenge(
        &self,
        i: usize,
        pos: &[f64],
        vdiff: &[f64],
        risk: &[f64],
    ) -> Option<RawChallenge> {
        let (n, m) = (self.n, self.m);
        // i's estimates of everybody's risk attitude.
        let r_est: Vec<f64> = (0..n).map(|x| est_risk(risk[i], risk[x])).collect();
        let util = |x: usize, y: usize| bs_util(vdiff[x * n + y], r_est[x]);
        // The gain of challenging j is at most 1 − u_ij (when i is sure to win), so targets
        // are tried in decreasing order of that bound and the search stops once the bound
        // cannot beat the best gain found.
        let mut order: Vec<(f64, usize)> =
            (0..n).filter(|&j| j != i).map(|j| (1.0 - util(i, j), j)).collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut best: Option<(usize, f64, f64)> = None;
        for &(bound, j) in &order {
            let floor = best.map_or(MIN_GAIN, |b| b.2);
            if bound + 1e-12 < floor {
                break;
            }
            let (phij, gain) = self.prob_edu_challenge(i, j, &util);
            let better = match best {
                None => MIN_GAIN < gain,
                Some((bj, _, bg)) => bg < gain || (bg == gain && j < bj),
            };
            if better {
                best = Some((j, phij, gain));
            }
        }
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

    /// KTAB `SMPState::probEduChlg(h = i, k = i, i, j)`: i's estimate of the probability that
    /// it beats j, and of its expected gain from challenging j. `util(x, y)` is i's estimate
    /// of x's utility for y's position.
    fn prob_edu_challenge(
        &self,
        i: usize,
        j: usize,
        util: &impl Fn(usize, usize) -> f64,
    ) -> (f64, f64) {
        let (uii, uij, uji, ujj) = (util(i, i), util(i, j), util(j, i), util(j, j));
        let eu_sq = util(i, i) + util(i, j);
        let uhkij = util(i, i) + util(i, i);
        let uhkji = util(i, j) + util(i, j);
        let (si, ci) = (self.total[i], self.cap[i]);
        let (sj, cj) = (self.total[j], self.cap[j]);
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
        let (c_i, c_j) = (chij, chji);
        for k in 0..self.n {
            if k == i || k == j {
                continue;
            }
            let wk = self.total[k] * self.cap[k];
            let (uki, ukj, ukk) = (util(k, i), util(k, j), util(k, k));
            // Actor::vProbLittle: k's estimate of the chance that i wins with k's help.
            let contrib_k = wk * (uki - ukj);
            let cki = if contrib_k > 0.0 { c_i + contrib_k } else { c_i };
            let ckj = if contrib_k < 0.0 { c_j - contrib_k } else { c_j };
            let pik = cki / (cki + ckj);
            let pjk = 1.0 - pik;
            // Actor::thirdPartyVoteSU with SemiCommit.
            let u_ik_def_j = uki + uki + ukk;
            let u_j_def_ik = ukj + ukj + ukj;
            let u_i_def_jk = uki + uki + uki;
            let u_jk_def_i = ukj + ukj + ukk;
            let u_ik_j = (pik * u_ik_def_j) + (pjk * u_j_def_ik);
            let u_i_jk = (pik * u_i_def_jk) + (pjk * u_jk_def_i);
            let vk = wk * (u_ik_j - u_i_jk);
            if vk > 0.0 {
                chij += vk;
            }
            if vk < 0.0 {
                chji -= vk;
            }
        }
        let phij = chij / (chij + chji);
        let phji = chji / (chij + chji);
        let eu_vict = uhkij;
        let eu_cntst = phij * uhkij + phji * uhkji;
        let eu_chlg = (1.0 - sj) * eu_vict + sj * eu_cntst;
        (phij, eu_chlg - eu_sq)
    }
}

/// KTAB `Model::scalarPCE` with Proportional votes, Linear victory probability and
/// Conditional PCE: the probability of each of `n_opt` options, from `n_act` actors' weights
/// `w` and utilities `u[actor * n_opt + option]`.
fn cond_pce(n_act: usize, n_opt: usize, w: &[f64], u: &[f64]) -> Vec<f64> {
    // Model::coalitions, then Model::vProb (Linear): pv(i, j) = c_ij / (c_ij + c_ji).
    let mut pv = vec![0.5; n_opt * n_opt];
    let rows: Vec<Vec<(f64, f64)>> = (0..n_opt)
        .into_par_iter()
        .map(|i| {
            (0..i)
                .map(|j| {
                    let (mut cij, mut cji) = (MIN_COALITION, MIN_COALITION);
                    for k in 0..n_act {
                        let v = w[k] * (u[k * n_opt + i] - u[k * n_opt + j]);
                        if v > 0.0 {
                            cij += v;
                        }
                        if v < 0.0 {
                            cji -= v;
                        }
                    }
                    (cij, cji)
                })
                .collect()
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        for (j, &(cij, cji)) in row.iter().enumerate() {
            pv[i * n_opt + j] = cij / (cij + cji);
            pv[j * n_opt + i] = cji / (cij + cji);
        }
    }
    condition(n_opt, &pv)
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

/// The risk-neutral PCE over all actors' positions on one issue, for many actors: the
/// coalition sums use prefix sums over the actors sorted by position (the utility of actor k
/// for position y is 1 − |x_k − y|), O(n² log n) instead of O(n³).
fn risk_pce_sorted(pos: &[f64], w: &[f64]) -> Vec<f64> {
    let n = pos.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| pos[a].total_cmp(&pos[b]));
    let xs: Vec<f64> = order.iter().map(|&k| pos[k]).collect();
    let mut cw = vec![0.0; n + 1];
    let mut cwx = vec![0.0; n + 1];
    for (t, &k) in order.iter().enumerate() {
        cw[t + 1] = cw[t] + w[k];
        cwx[t + 1] = cwx[t] + w[k] * pos[k];
    }
    // Σ over voters strictly nearer a than b of w_k (|x_k − b| − |x_k − a|), for a < b:
    // voters at or below a gain b − a; voters between a and the midpoint gain a + b − 2 x_k.
    let support_low = |a: f64, b: f64| -> f64 {
        let mid = 0.5 * (a + b);
        let ta = xs.partition_point(|&v| v <= a);
        let tm = xs.partition_point(|&v| v < mid);
        let tm = tm.max(ta);
        cw[ta] * (b - a) + (cw[tm] - cw[ta]) * (a + b) - 2.0 * (cwx[tm] - cwx[ta])
    };
    let support_high = |a: f64, b: f64| -> f64 {
        // a > b: voters at or above a gain a − b; voters between the midpoint and a gain
        // 2 x_k − a − b.
        let mid = 0.5 * (a + b);
        let ta = xs.partition_point(|&v| v < a);
        let tm = xs.partition_point(|&v| v <= mid).min(ta);
        (cw[n] - cw[ta]) * (a - b) + 2.0 * (cwx[ta] - cwx[tm]) - (cw[ta] - cw[tm]) * (a + b)
    };
    let mut pv = vec![0.5; n * n];
    pv.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
        for (j, v) in row.iter_mut().enumerate() {
            if i == j {
                continue;
            }
            let (a, b) = (pos[i], pos[j]);
            let (cij, cji) = if a == b {
                (MIN_COALITION, MIN_COALITION)
            } else if a < b {
                (
                    MIN_COALITION + support_low(a, b).max(0.0),
                    MIN_COALITION + support_high(b, a).max(0.0),
                )
            } else {
                (
                    MIN_COALITION + support_high(a, b).max(0.0),
                    MIN_COALITION + support_low(b, a).max(0.0),
                )
            };
            *v = cij / (cij + cji);
        }
    });
    condition(n, &pv)
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
    let rn: Vec<f64> = (0..n)
        .flat_map(|k| (0..n).map(move |j| (k, j)))
        .map(|(k, j)| bs_util((pos[k] - pos[j]).abs(), 0.0))
        .collect();
    (cond_pce(n, n, w, &rn), risk_pce_sorted(pos, w))
}
