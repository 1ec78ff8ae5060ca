//! Named numeric tolerances, in one place, with a note on when to use which (after statrs's
//! `prec` module). No engine or test writes a tolerance inline: a test of the `cli` crate
//! (`tidy.rs`) fails on an assertion that compares with a literal such as `1e-9`.

/// Tolerance for a probability table's row sum: a row whose sum differs from 1 by more than this
/// is rejected. Loose enough for hand-typed decimals such as 0.1 + 0.2 + 0.7.
pub const PROB_SUM: f64 = 1e-9;

/// Tolerance for comparing two results of the same computation done in a different order
/// (summation order, elimination order, thread count): a few ulps of accumulated rounding.
pub const REORDER: f64 = 1e-12;

/// Tolerance for comparing a model's fast path with its exact path on the same input (the
/// spatial model above `bargain::smp::EXACT_LIMIT` actors: sums over actors split into
/// interleaved partial sums, and the risk PCE over distinct positions through logarithms).
/// The two differ by rounding only, but a risk attitude divides by the spread of the win
/// probabilities, which magnifies a few ulps: the tests' 60–150 actor runs differ by at most
/// 4e-13 (risk) and 5e-14 (probabilities, gains), with identical positions. This leaves a wide
/// margin.
pub const FAST_PATH: f64 = 1e-9;

/// Tolerance for agreement with a reference program's printed output (pgmpy, KTAB, the published
/// expected-utility replication), which prints at least 10 significant digits.
pub const REFERENCE: f64 = 1e-9;

/// Tolerance for agreement with a reference that prints only about 6 significant digits (KTAB's
/// position logs on the 0–100 scale).
pub const REFERENCE_COARSE: f64 = 1e-4;

/// Tolerance for calling two Bayesian log-scores (natural-log unnormalised posteriors, sums of up
/// to a few thousand log-likelihoods) tied. Their rounding error is below 1e-12; hypotheses whose
/// log-scores differ by less than this are ranked as tied, in input order, so that rounding noise
/// never decides a ranking (`ach`).
pub const LOG_SCORE_TIE: f64 = 1e-9;

/// How far a CPT row read from a BIF or XMLBIF file may sum from 1 and still be normalised (with
/// a warning) rather than rejected. Published networks round their entries to 4–7 decimals: the
/// BIF files pgmpy 1.1.2 ships have rows off by up to 3e-7 (barley, pathfinder).
pub const ROW_REPAIR: f64 = 1e-4;

/// Tolerance for agreement with a reference value printed with 6 decimals (the published
/// expected-utility replication's round-1 diagnostics): half a unit in the last place, plus slack.
pub const PRINTED_6DP: f64 = 1e-6;

/// Convergence tolerance of a power iteration (the MICMAC Perron limit): it stops when no
/// component moves by more than this in one step.
pub const PERRON: f64 = 1e-13;

/// Tolerance for comparing the shares of a high finite power `M^k` with the Perron limit they
/// converge to: the gap shrinks like `(λ₂/λ₁)^k`, so it is loose.
pub const LIMIT: f64 = 1e-6;

/// Probability at or below which a strategy of an equilibrium counts as not played, and the
/// slack with which a forecast on a 0–100 scale counts as inside a range. Exact equilibria are
/// exactly 0 off their support; a logit QRE end point puts small but positive probability on
/// every strategy, below this once its regret is small.
pub const SUPPORT: f64 = 1e-6;

/// Tolerance for a converged power iteration against the exact Perron root and vectors (the
/// MICMAC limit): it stops once a step moves no component by more than [`PERRON`], and on the
/// tests' matrices it then lies within 5e-14 of the closed form.
pub const PERRON_EXACT: f64 = 1e-12;

/// Tolerance for agreement of a logit QRE end point with pygambit's `logit_solve` end point.
/// pygambit stops its path at a finite `λ`, where its printed profiles lie up to 1.4e-7 from
/// the limit (the n-player fixtures under `tests/fixtures/games/`); ours stops at a regret of
/// 1e-9 of the largest payoff, and the two differ by at most 1.3e-7 on those fixtures.
pub const PEER_QRE: f64 = 5e-7;

/// Tolerance for agreement with a number printed with 4 decimals (the posteriors quoted in
/// `docs/ach.md`): half a unit in the last place.
pub const PRINTED_4DP: f64 = 5e-5;

/// How many standard errors a Monte Carlo estimate may lie from the exact value it estimates
/// and still pass (the Sobol indices of the Ishigami and g-functions, the moments of seeded
/// gamma and Dirichlet draws). At 4 standard errors a correct estimator fails about once in
/// 16,000 seeds, and the seeds are fixed, so a test fails only when the estimator is wrong.
pub const SAMPLING_Z: f64 = 4.0;

/// How close an actor's position (on its issue's own scale) must come to the one it held some
/// rounds earlier for an expected-utility run to count as cycling
/// (`bargain::eum::EumOutcome::cycle`). A round's arithmetic on a 0–100 scale rounds at about
/// 1e-13; a position that returns to within this has returned.
pub const CYCLE: f64 = 1e-9;

/// How far apart, as a share of an issue's scale, the expected-utility model's final weighted
/// means under neighbouring round limits may be for its result to count as stable, so that a
/// point forecast is stated (`analysis::bargain`): 1 % of the scale, a point on 0–100, finer
/// than the unit to which the answer rounds positions.
pub const BARGAIN_STABLE: f64 = 0.01;
