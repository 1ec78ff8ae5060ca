//! The search for consistent scenarios: exhaustive enumeration and an exact branch-and-bound,
//! both depth-first over descriptors with incremental impact balances, split over rayon tasks by
//! a fixed set of prefixes so that the result never depends on the thread count.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::{CibMatrix, FixError, fixed_variants};
use crate::budget::{Budget, Limit, Stopped};

/// The largest scenario space [`Method::Exhaustive`] accepts, as a power of ten: beyond it an
/// enumeration could never finish, and [`Method::BranchAndBound`] is the right mode.
pub const EXHAUSTIVE_MAX_LOG10: f64 = 30.0;

/// How the consistent scenarios are searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Visit every scenario (depth-first, one row added per step) and test each completely.
    /// Simple and predictable; for spaces up to about 10⁸.
    Exhaustive,
    /// Depth-first with pruning: a partial scenario is abandoned as soon as some descriptor
    /// already chosen cannot reach IC ≤ tolerance whatever the unassigned descriptors add. Exact
    /// (it finds the same scenarios as [`Method::Exhaustive`]) and usually far faster.
    BranchAndBound,
}

/// Options of [`solve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolveOptions {
    /// The search method.
    pub method: Method,
    /// Report every scenario whose inconsistency IC is at most this (0: the consistent ones).
    pub tolerance: u32,
    /// Interventions: (descriptor, variant) pairs fixed in every scenario; a fixed descriptor's
    /// own consistency condition is dropped (Weimer-Jehle 2023, section 5.4).
    pub fixed: Vec<(usize, usize)>,
    /// Stop with [`SolveError::TooManyScenarios`] when more scenarios than this qualify.
    pub max_scenarios: usize,
}

/// A scenario that [`solve`] found, with its measures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Solved {
    /// The chosen variant of each descriptor, from 0.
    pub variants: Vec<usize>,
    /// Inconsistency IC (over the free descriptors).
    pub ic: i32,
    /// Consistency value CV (over the free descriptors; 0 when every descriptor is fixed).
    pub cv: i32,
    /// Total impact score TIS (over all descriptors).
    pub tis: i64,
}

/// The result of [`solve`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Solution {
    /// The qualifying scenarios in lexicographic order of their variants.
    pub scenarios: Vec<Solved>,
    /// How many partial or complete scenarios the search visited.
    pub nodes: u64,
    /// The base-10 logarithm of the number of scenarios that fit the interventions.
    pub space_log10: f64,
}

/// The result of [`solve_within`]: the scenarios found, and when the budget ran out, what was
/// not searched.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BoundedSolution {
    /// The qualifying scenarios found: all of them when `stopped` is `None`, else those in the
    /// part of the space searched (each one qualifies; others may exist in `unsearched`).
    pub solution: Solution,
    /// Set when the budget ran out before the search finished; `done` and `total` count the
    /// search's tasks.
    pub stopped: Option<Stopped>,
    /// The partial scenarios, as (descriptor, variant) pairs, whose completions were not
    /// searched or not searched to the end; empty when the search finished.
    pub unsearched: Vec<Vec<(usize, usize)>>,
}

/// Why [`solve`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    /// An intervention names a descriptor that does not exist.
    #[error("intervention on descriptor {descriptor}, which does not exist")]
    FixedDescriptor {
        /// The descriptor index given.
        descriptor: usize,
    },
    /// An intervention names a variant its descriptor does not have.
    #[error("intervention sets descriptor {descriptor} to variant {variant}, but it has {count}")]
    FixedVariant {
        /// The descriptor's index.
        descriptor: usize,
        /// The variant index given (from 0).
        variant: usize,
        /// How many variants the descriptor has.
        count: usize,
    },
    /// Two interventions fix the same descriptor.
    #[error("descriptor {descriptor} is fixed twice")]
    FixedTwice {
        /// The descriptor's index.
        descriptor: usize,
    },
    /// The space is too large to enumerate.
    #[error(
        "the space has 10^{log10:.1} scenarios, too many to enumerate (limit 10^{max_log10}); use branch-and-bound"
    )]
    SpaceTooLarge {
        /// log10 of the space's size.
        log10: f64,
        /// log10 of the limit, [`EXHAUSTIVE_MAX_LOG10`].
        max_log10: f64,
    },
    /// More scenarios qualify than `max_scenarios`.
    #[error("more than {max} scenarios qualify; lower the tolerance or raise the limit")]
    TooManyScenarios {
        /// The limit given.
        max: usize,
    },
}

impl From<FixError> for SolveError {
    fn from(e: FixError) -> SolveError {
        match e {
            FixError::Descriptor { descriptor } => SolveError::FixedDescriptor { descriptor },
            FixError::Variant { descriptor, variant, count } => {
                SolveError::FixedVariant { descriptor, variant, count }
            }
            FixError::Twice { descriptor } => SolveError::FixedTwice { descriptor },
        }
    }
}

/// Finds every scenario whose inconsistency is at most `options.tolerance` (the consistent
/// scenarios when it is 0), with their IC, CV and TIS.
///
/// Method: the consistency principle of Weimer-Jehle (2006), section 3.2 (a scenario is
/// consistent when each descriptor's chosen variant has a maximal impact score; ties count as
/// consistent) and the IC tolerance of Weimer-Jehle (2023), section 3.6. The branch-and-bound
/// assigns descriptors in a fixed order and keeps, for each assigned descriptor `j`, chosen
/// variant `a` and rival `l`, the exact partial balance difference; it prunes when that
/// difference plus the least that the unassigned descriptors can add to it still exceeds the
/// tolerance (the bound is precomputed per depth from each unassigned descriptor's most
/// favourable row). Branch-and-bound also splits the impact graph into its weakly connected
/// components, solves each apart and combines them (their IC and CV combine by max and min).
/// Both methods are exact.
///
/// # Errors
/// [`SolveError`]: a bad intervention, a space beyond 10^[`EXHAUSTIVE_MAX_LOG10`] in exhaustive
/// mode (use branch-and-bound), or more than `max_scenarios` results.
///
/// # Complexity
/// Exhaustive: O(S·V) for S scenarios and V variants. Branch-and-bound: O(visited nodes · V),
/// exponential in the worst case but typically a tiny fraction of S.
///
/// # Example
/// ```
/// use engines::cib::{solve, CibMatrix, Descriptor, Method, SolveError, SolveOptions};
/// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
/// // A and B reinforce each other: both low or both high.
/// let m = CibMatrix::new(
///     vec![d("A"), d("B")],
///     vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
/// )
/// .unwrap();
/// let options = |fixed| SolveOptions {
///     method: Method::BranchAndBound,
///     tolerance: 0,
///     fixed,
///     max_scenarios: 1000,
/// };
/// let s = solve(&m, &options(vec![])).unwrap();
/// let found: Vec<_> = s.scenarios.iter().map(|x| x.variants.clone()).collect();
/// assert_eq!(found, vec![vec![0, 0], vec![1, 1]]);
/// assert_eq!(solve(&m, &options(vec![(2, 0)])), Err(SolveError::FixedDescriptor { descriptor: 2 }));
/// ```
pub fn solve(matrix: &CibMatrix, options: &SolveOptions) -> Result<Solution, SolveError> {
    solve_with_progress(matrix, options, &|_, _| {})
}

/// [`solve`], calling `progress(done, total)` as the search's tasks finish (from any thread, in
/// no particular order; `done` only grows), so that a caller can show a progress bar on a long
/// search. The result is exactly [`solve`]'s.
///
/// # Errors
/// As [`solve`].
///
/// # Complexity
/// As [`solve`], plus one call of `progress` per task (about 256 in all).
///
/// # Example
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use engines::cib::{solve_with_progress, CibMatrix, Descriptor, Method, SolveError, SolveOptions};
/// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
/// let m = CibMatrix::new(
///     vec![d("A"), d("B")],
///     vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
/// )
/// .unwrap();
/// let o = SolveOptions { method: Method::Exhaustive, tolerance: 0, fixed: vec![], max_scenarios: 10 };
/// let last = AtomicU64::new(0);
/// let s = solve_with_progress(&m, &o, &|done, _| { last.fetch_max(done, Ordering::Relaxed); }).unwrap();
/// assert_eq!(s.scenarios.len(), 2);
/// assert!(last.load(Ordering::Relaxed) >= 1);
/// let bad = SolveOptions { fixed: vec![(5, 0)], ..o };
/// assert_eq!(solve_with_progress(&m, &bad, &|_, _| {}), Err(SolveError::FixedDescriptor { descriptor: 5 }));
/// ```
pub fn solve_with_progress(
    matrix: &CibMatrix,
    options: &SolveOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Solution, SolveError> {
    solve_within(matrix, options, &Budget::UNLIMITED, progress).map(|b| b.solution)
}

/// [`solve_with_progress`] within a [`Budget`] of nodes or time: when it runs out the search
/// stops and returns the scenarios found so far, marked incomplete, with the partial scenarios
/// it did not search to the end (issue 17).
///
/// A node budget is split evenly over the search's tasks, so the result is the same whatever
/// the thread count; a time budget's result depends on the machine. `budget.max_bytes` is not
/// used: the search's memory is proportional to the scenarios found, bounded by
/// `options.max_scenarios`.
///
/// # Errors
/// As [`solve`].
///
/// # Complexity
/// As [`solve`], at most about `budget.max_nodes` nodes.
///
/// # Example
/// ```
/// use engines::budget::{Budget, Limit};
/// use engines::cib::{solve_within, CibMatrix, Descriptor, Method, SolveOptions};
/// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
/// // Twelve unrelated descriptors, each free: 4096 consistent scenarios.
/// let n = 12;
/// let rows = vec![vec![0; 2 * n]; 2 * n];
/// let m = CibMatrix::new((0..n).map(|i| d(&i.to_string())).collect(), rows).unwrap();
/// let o = SolveOptions { method: Method::Exhaustive, tolerance: 0, fixed: vec![], max_scenarios: 10_000 };
/// let tight = Budget { max_nodes: Some(300), ..Budget::UNLIMITED };
/// let b = solve_within(&m, &o, &tight, &|_, _| {}).unwrap();
/// let stopped = b.stopped.unwrap();
/// assert_eq!(stopped.limit, Limit::Nodes);
/// assert!(b.solution.scenarios.len() < 4096 && !b.unsearched.is_empty());
/// let all = solve_within(&m, &o, &Budget::UNLIMITED, &|_, _| {}).unwrap();
/// assert!(all.stopped.is_none());
/// assert_eq!(all.solution.scenarios.len(), 4096);
/// ```
pub fn solve_within(
    matrix: &CibMatrix,
    options: &SolveOptions,
    budget: &Budget,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<BoundedSolution, SolveError> {
    let fixed = fixed_variants(matrix, &options.fixed)?;
    let n = matrix.descriptor_count();
    let counts = matrix.variant_counts();
    let space_log10: f64 =
        (0..n).filter(|&j| fixed[j].is_none()).map(|j| (counts[j] as f64).log10()).sum();
    if options.method == Method::Exhaustive && space_log10 > EXHAUSTIVE_MAX_LOG10 {
        return Err(SolveError::SpaceTooLarge {
            log10: space_log10,
            max_log10: EXHAUSTIVE_MAX_LOG10,
        });
    }
    let tolerance = i32::try_from(options.tolerance).unwrap_or(i32::MAX);
    let parts = match options.method {
        Method::BranchAndBound => components(matrix),
        Method::Exhaustive => vec![(0..matrix.descriptor_count()).collect()],
    };
    let limits = Limits { budget: *budget, deadline: budget.deadline() };
    let (found, nodes, stop) = if parts.len() == 1 {
        Search::new(matrix, &fixed, tolerance, options.method).run(
            options.max_scenarios,
            &limits,
            progress,
        )?
    } else {
        solve_apart(matrix, &parts, &fixed, tolerance, options.max_scenarios, &limits, progress)?
    };
    let exempt: Vec<bool> = fixed.iter().map(Option::is_some).collect();
    let mut scenarios: Vec<Solved> = found
        .into_iter()
        .map(|z| {
            let variants: Vec<usize> = z.iter().map(|&x| usize::from(x)).collect();
            let bal = matrix.balance(&variants);
            let e = matrix.evaluation_from(&variants, &bal, Some(&exempt));
            Solved { variants, ic: e.ic, cv: e.cv, tis: e.tis }
        })
        .collect();
    scenarios.sort_by(|a, b| a.variants.cmp(&b.variants));
    let solution = Solution { scenarios, nodes, space_log10 };
    let (stopped, unsearched) = match stop {
        Some((stopped, unsearched)) => (Some(stopped), unsearched),
        None => (None, Vec::new()),
    };
    Ok(BoundedSolution { solution, stopped, unsearched })
}

/// A [`Budget`] as a search applies it.
struct Limits {
    budget: Budget,
    deadline: Option<Instant>,
}

/// Where a search stopped: the limit and tasks, and the prefixes not searched to the end.
type Stop = Option<(Stopped, Vec<Vec<(usize, usize)>>)>;

/// The weakly connected components of the impact graph (descriptor `i` → `j` when their block
/// has a non-zero judgment), each in ascending order, ordered by their first descriptor.
fn components(m: &CibMatrix) -> Vec<Vec<usize>> {
    let n = m.descriptor_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for i in 0..n {
        for j in i + 1..n {
            if m.influences(i, j) || m.influences(j, i) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; n];
    for j in 0..n {
        let r = root(&mut parent, j);
        if slot[r] == usize::MAX {
            slot[r] = parts.len();
            parts.push(Vec::new());
        }
        parts[slot[r]].push(j);
    }
    parts
}

/// Solves each independent component on its own and combines the results: a scenario's IC is
/// the largest of its components' (and CV the smallest), so the qualifying scenarios are exactly
/// the Cartesian product of each component's qualifying partial scenarios.
fn solve_apart(
    m: &CibMatrix,
    parts: &[Vec<usize>],
    fixed: &[Option<usize>],
    t: i32,
    max: usize,
    limits: &Limits,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(Vec<Vec<u8>>, u64, Stop), SolveError> {
    let offsets = m.offsets();
    let mut stop: Stop = None;
    let flat = m.flat();
    let v = m.variant_total();
    let mut nodes = 0;
    let mut combined: Vec<Vec<u8>> = vec![vec![0u8; m.descriptor_count()]];
    for part in parts {
        let cols: Vec<usize> = part.iter().flat_map(|&j| offsets[j]..offsets[j + 1]).collect();
        let rows: Vec<Vec<i64>> = cols
            .iter()
            .map(|&r| cols.iter().map(|&c| i64::from(flat[r * v + c])).collect())
            .collect();
        let descriptors = part.iter().map(|&j| m.descriptors()[j].clone()).collect();
        // The sub-matrix of a checked matrix is itself valid.
        let Ok(sub) = CibMatrix::new(descriptors, rows) else {
            unreachable!("a sub-matrix of a checked matrix is valid")
        };
        let sub_fixed: Vec<Option<usize>> = part.iter().map(|&j| fixed[j]).collect();
        let (found, k, part_stop) =
            Search::new(&sub, &sub_fixed, t, Method::BranchAndBound).run(max, limits, progress)?;
        nodes += k;
        if let Some((s, unsearched)) = part_stop {
            // A component not searched to the end leaves every combination with its unsearched
            // prefixes unsearched; name them in the whole matrix's descriptors.
            let named = unsearched
                .into_iter()
                .map(|p| p.into_iter().map(|(j, x)| (part[j], x)).collect::<Vec<_>>());
            match &mut stop {
                Some((_, all)) => all.extend(named),
                None => stop = Some((s, named.collect())),
            }
        }
        if combined.len().saturating_mul(found.len()) > max {
            return Err(SolveError::TooManyScenarios { max });
        }
        let mut next = Vec::with_capacity(combined.len() * found.len());
        for base in &combined {
            for z in &found {
                let mut full = base.clone();
                for (&j, &x) in part.iter().zip(z) {
                    full[j] = x;
                }
                next.push(full);
            }
        }
        combined = next;
    }
    Ok((combined, nodes, stop))
}

/// The number of prefix tasks the search is split into (about): enough for load balance on many
/// cores, few enough that the per-task set-up stays negligible. It depends on the problem only,
/// never on the thread count.
const TASKS: usize = 256;

/// The state shared by every task of one search.
struct Search<'a> {
    m: &'a CibMatrix,
    v: usize,
    n: usize,
    /// Descriptor assigned at each depth.
    order: Vec<usize>,
    /// The variants each descriptor may take: `(first, end)`.
    domain: Vec<(usize, usize)>,
    /// Whether each descriptor's consistency condition is tested (not fixed).
    checked: Vec<bool>,
    t: i32,
    method: Method,
    /// Widest descriptor.
    maxv: usize,
    /// `bound[q * v * maxv + (offset_j + a) * maxv + l]`: the least that the descriptors at
    /// depths q.. can add to `balance(j, l) − balance(j, a)` (branch-and-bound only).
    bound: Vec<i32>,
}

impl<'a> Search<'a> {
    fn new(m: &'a CibMatrix, fixed: &[Option<usize>], t: i32, method: Method) -> Search<'a> {
        let n = m.descriptor_count();
        let v = m.variant_total();
        let counts = m.variant_counts();
        let maxv = counts.iter().copied().max().unwrap_or(0);
        let domain: Vec<(usize, usize)> = (0..n)
            .map(|j| match fixed[j] {
                Some(k) => (k, k + 1),
                None => (0, counts[j]),
            })
            .collect();
        let checked: Vec<bool> = fixed.iter().map(Option::is_none).collect();
        let order = match method {
            Method::Exhaustive => (0..n).collect(),
            Method::BranchAndBound => branching_order(m, &domain),
        };
        let mut s = Search { m, v, n, order, domain, checked, t, method, maxv, bound: Vec::new() };
        if method == Method::BranchAndBound {
            s.bound = s.bounds();
        }
        s
    }

    /// The per-depth bound tables (see the `bound` field).
    fn bounds(&self) -> Vec<i32> {
        let (n, v, maxv) = (self.n, self.v, self.maxv);
        let offsets = self.m.offsets();
        let flat = self.m.flat();
        let layer = v * maxv;
        let mut bound = vec![0i32; (n + 1) * layer];
        for q in (0..n).rev() {
            let i = self.order[q];
            let (lo, hi) = self.domain[i];
            let (head, tail) = bound.split_at_mut((q + 1) * layer);
            let here = &mut head[q * layer..];
            let below = &tail[..layer];
            for j in 0..n {
                let (oj, cj) = (offsets[j], offsets[j + 1] - offsets[j]);
                for a in 0..cj {
                    for l in 0..cj {
                        let least = (lo..hi)
                            .map(|k| {
                                let row = (offsets[i] + k) * v;
                                flat[row + oj + l] - flat[row + oj + a]
                            })
                            .min()
                            .unwrap_or(0);
                        let at = (oj + a) * maxv + l;
                        here[at] = below[at] + least;
                    }
                }
            }
        }
        bound
    }

    /// Whether the partial scenario assigned at depths `..q` (balance `bal`) can still be
    /// completed into one with IC ≤ t.
    #[inline]
    fn feasible(&self, q: usize, bal: &[i32], z: &[u8]) -> bool {
        let offsets = self.m.offsets();
        let layer = &self.bound[q * self.v * self.maxv..(q + 1) * self.v * self.maxv];
        for &j in &self.order[..q] {
            if !self.checked[j] {
                continue;
            }
            let (oj, end) = (offsets[j], offsets[j + 1]);
            let a = usize::from(z[j]);
            let chosen = bal[oj + a];
            let row = &layer[(oj + a) * self.maxv..];
            for (l, &b) in bal[oj..end].iter().enumerate() {
                if b - chosen + row[l] > self.t {
                    return false;
                }
            }
        }
        true
    }

    /// Whether a complete scenario with balance `bal` has IC ≤ t (exhaustive mode's test, which
    /// stops at the first failing descriptor).
    #[inline]
    fn complete_ok(&self, bal: &[i32], z: &[u8]) -> bool {
        let offsets = self.m.offsets();
        for j in 0..self.n {
            if !self.checked[j] {
                continue;
            }
            let (oj, end) = (offsets[j], offsets[j + 1]);
            let chosen = bal[oj + usize::from(z[j])];
            if bal[oj..end].iter().any(|&b| b - chosen > self.t) {
                return false;
            }
        }
        true
    }

    /// Runs the whole search: prefixes first (sequentially), then one rayon task per prefix.
    fn run(
        &self,
        max: usize,
        limits: &Limits,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<(Vec<Vec<u8>>, u64, Stop), SolveError> {
        let (n, v) = (self.n, self.v);
        // Split depth: the first depth at which the prefixes number at least TASKS.
        let mut split = 0;
        let mut prefixes = 1usize;
        while split < n && prefixes < TASKS {
            let (lo, hi) = self.domain[self.order[split]];
            prefixes = prefixes.saturating_mul(hi - lo);
            split += 1;
        }
        if split == n {
            // Small: one sequential task.
            split = 0;
        }
        let mut tasks: Vec<Task> = Vec::new();
        let mut nodes = 0u64;
        let mut bals = vec![0i32; (n + 1) * v];
        let mut z = vec![0u8; n];
        self.collect_prefixes(0, split, &mut bals, &mut z, &mut tasks, &mut nodes);
        let total = tasks.len() as u64;
        let done = AtomicU64::new(0);
        // Each task gets the same share of a node budget, whatever the thread count.
        let cap = limits.budget.max_nodes.map_or(u64::MAX, |b| (b / total.max(1)).max(1));
        let results: Vec<TaskResult> = tasks
            .into_par_iter()
            .map(|task| {
                let mut bals = vec![0i32; (n + 1) * v];
                bals[split * v..(split + 1) * v].copy_from_slice(&task.balance);
                let mut z = task.z;
                let prefix = z.clone();
                let mut out = Vec::new();
                let mut nodes = 0;
                let mut halt = None;
                if limits.deadline.is_some_and(|d| Instant::now() >= d) {
                    halt = Some(Limit::Time);
                } else if split == n {
                    out.push(z.clone());
                } else {
                    let stop = TaskStop { cap, deadline: limits.deadline };
                    self.dfs(split, &mut bals, &mut z, &mut out, &mut nodes, max, &stop, &mut halt);
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                TaskResult { found: out, nodes, halt, prefix }
            })
            .collect();
        let mut found = Vec::new();
        let mut stop: Stop = None;
        let mut finished = 0;
        for TaskResult { found: out, nodes: k, halt, prefix } in results {
            nodes += k;
            found.extend(out);
            if found.len() > max {
                return Err(SolveError::TooManyScenarios { max });
            }
            match halt {
                None => finished += 1,
                Some(limit) => {
                    let named: Vec<(usize, usize)> =
                        self.order[..split].iter().map(|&j| (j, usize::from(prefix[j]))).collect();
                    let entry =
                        stop.get_or_insert_with(|| (Stopped { limit, done: 0, total }, Vec::new()));
                    entry.1.push(named);
                }
            }
        }
        if let Some((s, _)) = &mut stop {
            s.done = finished;
        }
        Ok((found, nodes, stop))
    }

    /// Enumerates the feasible prefixes of depth `split` into tasks.
    fn collect_prefixes(
        &self,
        q: usize,
        split: usize,
        bals: &mut [i32],
        z: &mut [u8],
        tasks: &mut Vec<Task>,
        nodes: &mut u64,
    ) {
        let v = self.v;
        if q == split {
            tasks.push(Task { balance: bals[q * v..(q + 1) * v].to_vec(), z: z.to_vec() });
            return;
        }
        let d = self.order[q];
        let (lo, hi) = self.domain[d];
        for k in lo..hi {
            *nodes += 1;
            z[d] = k as u8;
            self.step(q, d, k, bals);
            if self.method == Method::BranchAndBound
                && !self.feasible(q + 1, &bals[(q + 1) * v..(q + 2) * v], z)
            {
                continue;
            }
            self.collect_prefixes(q + 1, split, bals, z, tasks, nodes);
        }
    }

    /// Sets the balance at depth q + 1 to the balance at depth q plus descriptor d's row k.
    #[inline]
    fn step(&self, q: usize, d: usize, k: usize, bals: &mut [i32]) {
        let v = self.v;
        let (prev, next) = bals.split_at_mut((q + 1) * v);
        let prev = &prev[q * v..];
        let next = &mut next[..v];
        let row = (self.m.offsets()[d] + k) * v;
        let row = &self.m.flat()[row..row + v];
        for ((nx, &p), &r) in next.iter_mut().zip(prev).zip(row) {
            *nx = p + r;
        }
    }

    /// Depth-first search below depth `q`, until `stop` halts it (then `halt` says why).
    #[allow(clippy::too_many_arguments)]
    fn dfs(
        &self,
        q: usize,
        bals: &mut [i32],
        z: &mut [u8],
        out: &mut Vec<Vec<u8>>,
        nodes: &mut u64,
        max: usize,
        stop: &TaskStop,
        halt: &mut Option<Limit>,
    ) {
        let v = self.v;
        let d = self.order[q];
        let (lo, hi) = self.domain[d];
        let last = q + 1 == self.n;
        for k in lo..hi {
            if out.len() > max || halt.is_some() {
                return;
            }
            if *nodes >= stop.cap {
                *halt = Some(Limit::Nodes);
                return;
            }
            // Reading the clock costs about as much as a node: look every 4096 nodes.
            if *nodes % 4096 == 0 && stop.deadline.is_some_and(|t| Instant::now() >= t) {
                *halt = Some(Limit::Time);
                return;
            }
            *nodes += 1;
            z[d] = k as u8;
            self.step(q, d, k, bals);
            let bal = &bals[(q + 1) * v..(q + 2) * v];
            let keep = match self.method {
                Method::BranchAndBound => self.feasible(q + 1, bal, z),
                Method::Exhaustive => !last || self.complete_ok(bal, z),
            };
            if !keep {
                continue;
            }
            if last {
                out.push(z.to_vec());
            } else {
                self.dfs(q + 1, bals, z, out, nodes, max, stop, halt);
            }
        }
    }
}

/// What one task of the search returns: the scenarios it found, the nodes it visited, the
/// limit that halted it (if one did) and its prefix.
struct TaskResult {
    found: Vec<Vec<u8>>,
    nodes: u64,
    halt: Option<Limit>,
    prefix: Vec<u8>,
}

/// The limits of one task: its share of the node budget and the common deadline.
struct TaskStop {
    cap: u64,
    deadline: Option<Instant>,
}

/// A prefix of the search: the balance and assignment after its first `split` depths.
struct Task {
    balance: Vec<i32>,
    z: Vec<u8>,
}

/// The order in which branch-and-bound assigns descriptors: greedily, the descriptor most
/// strongly tied (sum of absolute judgments, both directions) to those already placed, starting
/// with the most connected one; fixed descriptors first since they do not branch. Placing
/// tightly coupled descriptors together lets their conditions be decided, and pruned, early.
fn branching_order(m: &CibMatrix, domain: &[(usize, usize)]) -> Vec<usize> {
    let n = m.descriptor_count();
    let v = m.variant_total();
    let offsets = m.offsets();
    let flat = m.flat();
    let mut weight = vec![0i64; n * n];
    for i in 0..n {
        for j in 0..n {
            let mut s = 0i64;
            for r in offsets[i]..offsets[i + 1] {
                for c in offsets[j]..offsets[j + 1] {
                    s += i64::from(flat[r * v + c].abs());
                }
            }
            weight[i * n + j] = s;
        }
    }
    let tie = |i: usize, j: usize| weight[i * n + j] + weight[j * n + i];
    let mut order: Vec<usize> = (0..n).filter(|&j| domain[j].1 - domain[j].0 == 1).collect();
    let mut placed = vec![false; n];
    for &j in &order {
        placed[j] = true;
    }
    while order.len() < n {
        let score = |j: usize| -> i64 {
            if order.iter().all(|&i| domain[i].1 - domain[i].0 == 1) {
                (0..n).filter(|&i| i != j).map(|i| tie(i, j)).sum()
            } else {
                order.iter().map(|&i| tie(i, j)).sum()
            }
        };
        let mut best: Option<(i64, usize)> = None;
        for j in (0..n).filter(|&j| !placed[j]) {
            let s = score(j);
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, j));
            }
        }
        let Some((_, j)) = best else { break };
        placed[j] = true;
        order.push(j);
    }
    order
}
