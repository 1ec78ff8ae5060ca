//! Succession: the dynamics that move an inconsistent scenario towards a consistent one, run from
//! every start scenario (exact basins) or from seeded Monte Carlo starts (estimated basins).
//!
//! Exact mode stores one successor per scenario (4 bytes each), computed in parallel with
//! incremental balances, then labels every scenario with its attractor in one sequential pass
//! that follows successor chains and marks the path it is on. Monte Carlo mode draws its starts in
//! fixed blocks, each from its own ChaCha8 stream, so its counts do not depend on the thread count.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{CibMatrix, FixError, fixed_variants};

/// The largest space [`Starts::All`] accepts (one 4-byte successor is stored per scenario).
pub const ALL_STARTS_MAX: u64 = 1 << 30;

/// Monte Carlo starts are drawn in blocks of this many, block `b` from ChaCha8 stream `b`.
const BLOCK: u64 = 4096;

/// How a descriptor is adjusted in one succession step (Weimer-Jehle 2006, section 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessionRule {
    /// Every descriptor moves at once to the variant with the highest impact score; a descriptor
    /// whose current variant ties for the highest stays, otherwise the lowest-numbered best wins.
    Global,
    /// Only the most inconsistent descriptor (the lowest-numbered on ties) moves, to its
    /// lowest-numbered best variant.
    Local,
}

/// Which start scenarios succession runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starts {
    /// Every scenario once: exact basin sizes. At most [`ALL_STARTS_MAX`] scenarios.
    All,
    /// `count` starts drawn uniformly at random, reproducibly from `seed`.
    Sample {
        /// Number of starts.
        count: u64,
        /// The random seed.
        seed: u64,
    },
    /// [`Starts::All`] when the space has at most `limit` scenarios, else [`Starts::Sample`].
    Auto {
        /// The largest space run exactly.
        limit: u64,
        /// Number of Monte Carlo starts otherwise.
        count: u64,
        /// The random seed.
        seed: u64,
    },
}

/// Options of [`succession`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessionOptions {
    /// Global or local succession.
    pub rule: SuccessionRule,
    /// Which starts.
    pub starts: Starts,
    /// Interventions: (descriptor, variant) pairs held fixed; fixed descriptors never move.
    pub fixed: Vec<(usize, usize)>,
}

/// Whether an attractor is a single scenario or a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AttractorKind {
    /// A scenario that succession leaves unchanged (a consistent scenario).
    FixedPoint,
    /// Two or more scenarios that succession visits in turn forever.
    Cycle,
}

/// One attractor of the succession, with its basin.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Attractor {
    /// Fixed point or cycle.
    pub kind: AttractorKind,
    /// Its scenarios (variants from 0), in succession order starting from the lexicographically
    /// smallest; one for a fixed point.
    pub members: Vec<Vec<usize>>,
    /// How many starts end in it (its weight).
    pub basin: u64,
}

/// The result of [`succession`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Succession {
    /// The attractors, largest basin first (ties in lexicographic order of members).
    pub attractors: Vec<Attractor>,
    /// How many starts were run.
    pub starts: u64,
    /// Whether every scenario was a start (basins exact) rather than a Monte Carlo sample.
    pub exact: bool,
}

impl Succession {
    /// The basin of `scenario` when it is a fixed point, else `None`.
    pub fn basin_of(&self, scenario: &[usize]) -> Option<u64> {
        self.attractors
            .iter()
            .find(|a| a.kind == AttractorKind::FixedPoint && a.members[0] == scenario)
            .map(|a| a.basin)
    }
}

/// Why [`succession`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SuccessionError {
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
    /// [`Starts::All`] on a space larger than [`ALL_STARTS_MAX`].
    #[error(
        "the space has 10^{log10:.1} scenarios, too many to run from every start (limit {max}); use Monte Carlo starts"
    )]
    SpaceTooLarge {
        /// log10 of the space's size.
        log10: f64,
        /// The limit.
        max: u64,
    },
    /// A Monte Carlo run with no starts.
    #[error("a Monte Carlo succession needs at least one start")]
    NoStarts,
}

impl From<FixError> for SuccessionError {
    fn from(e: FixError) -> SuccessionError {
        match e {
            FixError::Descriptor { descriptor } => SuccessionError::FixedDescriptor { descriptor },
            FixError::Variant { descriptor, variant, count } => {
                SuccessionError::FixedVariant { descriptor, variant, count }
            }
            FixError::Twice { descriptor } => SuccessionError::FixedTwice { descriptor },
        }
    }
}

/// Runs global or local succession from every start (or from seeded random starts) and reports
/// its attractors, fixed points (the consistent scenarios) and cycles, with their basins: how
/// many starts end in each, ScenarioWizard's "weight".
///
/// Method: Weimer-Jehle (2006), section 4.3 (succession), and the ScenarioWizard manual (the
/// tie rules: a global step keeps a current variant that ties for the best, otherwise takes the
/// lowest-numbered best; a local step adjusts only the most inconsistent descriptor, the
/// lowest-numbered on ties). Impact scores include diagonal blocks.
///
/// # Errors
/// [`SuccessionError`]: a bad intervention, [`Starts::All`] on more than [`ALL_STARTS_MAX`]
/// scenarios, or a sample of zero starts.
///
/// # Complexity
/// Exact: O(S·V) time and 4·S bytes for S scenarios and V variants (plus the path lengths).
/// Monte Carlo: O(count · steps · N·V).
///
/// # Example
/// ```
/// use engines::cib::{succession, CibMatrix, Descriptor, Starts, SuccessionError, SuccessionOptions, SuccessionRule};
/// let d = |n: &str| Descriptor { name: n.into(), variants: vec!["lo".into(), "hi".into()] };
/// let m = CibMatrix::new(
///     vec![d("A"), d("B")],
///     vec![vec![0, 0, 2, -2], vec![0, 0, -2, 2], vec![1, -1, 0, 0], vec![-1, 1, 0, 0]],
/// )
/// .unwrap();
/// let run = |starts| SuccessionOptions { rule: SuccessionRule::Global, starts, fixed: vec![] };
/// let s = succession(&m, &run(Starts::All)).unwrap();
/// // (lo, lo) and (hi, hi) are fixed points; (lo, hi) and (hi, lo) swap forever.
/// assert_eq!(s.basin_of(&[0, 0]), Some(1));
/// assert_eq!(s.attractors.len(), 3);
/// assert_eq!(
///     succession(&m, &run(Starts::Sample { count: 0, seed: 1 })),
///     Err(SuccessionError::NoStarts)
/// );
/// ```
pub fn succession(
    matrix: &CibMatrix,
    options: &SuccessionOptions,
) -> Result<Succession, SuccessionError> {
    let fixed = fixed_variants(matrix, &options.fixed)?;
    let stepper = Stepper::new(matrix, &fixed, options.rule);
    let log10: f64 =
        stepper.free.iter().map(|&j| (matrix.variant_counts()[j] as f64).log10()).sum();
    let size = stepper.size();
    let all = |limit: u64| size.is_some_and(|s| s <= limit.min(ALL_STARTS_MAX));
    match options.starts {
        Starts::All => {
            if !all(ALL_STARTS_MAX) {
                return Err(SuccessionError::SpaceTooLarge { log10, max: ALL_STARTS_MAX });
            }
            Ok(stepper.exact())
        }
        Starts::Sample { count, seed } => stepper.sample(count, seed),
        Starts::Auto { limit, count, seed } => {
            if all(limit) {
                Ok(stepper.exact())
            } else {
                stepper.sample(count, seed)
            }
        }
    }
}

/// One succession step, and the numbering of the scenarios that fit the interventions.
struct Stepper<'a> {
    m: &'a CibMatrix,
    rule: SuccessionRule,
    /// The fixed variant of each descriptor, if any.
    fixed: Vec<Option<usize>>,
    /// The free descriptors, in order; the first is the most significant digit of an index.
    free: Vec<usize>,
    /// `stride[j]` for each descriptor (0 for fixed ones).
    stride: Vec<u64>,
}

impl<'a> Stepper<'a> {
    fn new(m: &'a CibMatrix, fixed: &[Option<usize>], rule: SuccessionRule) -> Stepper<'a> {
        let n = m.descriptor_count();
        // Enumeration order: the descriptors that influence the most others outermost, so that
        // the inner loops decide many successors early (see `plan`).
        let mut free: Vec<usize> = (0..n).filter(|&j| fixed[j].is_none()).collect();
        let reach = |i: usize| free_reach(m, fixed, i);
        let degree: Vec<usize> = (0..n).map(reach).collect();
        free.sort_by_key(|&j| std::cmp::Reverse(degree[j]));
        let mut stride = vec![0u64; n];
        let mut s = 1u64;
        for &j in free.iter().rev() {
            stride[j] = s;
            s = s.saturating_mul(m.variant_counts()[j] as u64);
        }
        Stepper { m, rule, fixed: fixed.to_vec(), free, stride }
    }

    /// The number of scenarios that fit the interventions, if it fits a `u64`.
    fn size(&self) -> Option<u64> {
        self.free
            .iter()
            .try_fold(1u64, |acc, &j| acc.checked_mul(self.m.variant_counts()[j] as u64))
    }

    /// Writes the successor of `z` (balance `bal`) into `out`; returns whether it differs.
    #[inline]
    fn step(&self, z: &[u8], bal: &[i32], out: &mut [u8]) -> bool {
        let offsets = self.m.offsets();
        out.copy_from_slice(z);
        match self.rule {
            SuccessionRule::Global => {
                let mut moved = false;
                for &j in &self.free {
                    let block = &bal[offsets[j]..offsets[j + 1]];
                    let (best_l, best) = first_max(block);
                    if block[usize::from(z[j])] < best {
                        out[j] = best_l as u8;
                        moved = true;
                    }
                }
                moved
            }
            SuccessionRule::Local => {
                let mut worst: Option<(i32, usize, usize)> = None;
                for &j in &self.free {
                    let block = &bal[offsets[j]..offsets[j + 1]];
                    let (best_l, best) = first_max(block);
                    let ic = best - block[usize::from(z[j])];
                    if ic > 0 && worst.is_none_or(|(w, _, _)| ic > w) {
                        worst = Some((ic, j, best_l));
                    }
                }
                match worst {
                    Some((_, j, l)) => {
                        out[j] = l as u8;
                        true
                    }
                    None => false,
                }
            }
        }
    }

    fn decode(&self, mut index: u64, z: &mut [u8]) {
        for &j in &self.free {
            z[j] = (index / self.stride[j]) as u8;
            index %= self.stride[j];
        }
        for (j, f) in self.fixed.iter().enumerate() {
            if let Some(k) = f {
                z[j] = *k as u8;
            }
        }
    }

    /// Exact succession over every scenario (the caller has checked the size).
    fn exact(&self) -> Succession {
        let size = self.size().unwrap_or(0);
        let v = self.m.variant_total();
        let n = self.m.descriptor_count();
        let plan = self.plan();
        // Split over the first free descriptors into about 256 contiguous blocks of indices.
        let mut split = 0;
        let mut blocks = 1u64;
        while split < self.free.len() && blocks < 256 {
            blocks *= self.m.variant_counts()[self.free[split]] as u64;
            split += 1;
        }
        let block_len = (size / blocks).max(1) as usize;
        let mut next = vec![0u32; size as usize];
        next.par_chunks_mut(block_len).enumerate().for_each(|(b, chunk)| {
            let mut z = vec![0u8; n];
            self.decode(b as u64 * block_len as u64, &mut z);
            let prefix: Vec<u8> = self.free[..split].iter().map(|&j| z[j]).collect();
            let mut bals = vec![0i32; (self.free.len() + 1) * v];
            for (j, f) in self.fixed.iter().enumerate() {
                if let Some(k) = f {
                    self.m.add_row(&mut bals[..v], self.m.offsets()[j] + k);
                }
            }
            let mut walk = Walk { plan: &plan, prefix: &prefix, bals, z, chunk, at: 0 };
            self.fill(&mut walk, 0, 0, 0, None);
        });
        // Label every scenario with its attractor, following successor chains.
        const RESOLVED: u32 = 1 << 31;
        const ON_PATH: u32 = 1 << 30;
        const MASK: u32 = ON_PATH - 1;
        let mut cycles: Vec<Vec<u32>> = Vec::new();
        let mut basins: Vec<u64> = Vec::new();
        let mut path: Vec<u32> = Vec::new();
        for start in 0..size as u32 {
            if next[start as usize] & RESOLVED != 0 {
                continue;
            }
            path.clear();
            let mut cur = start;
            let id = loop {
                let val = next[cur as usize];
                if val & RESOLVED != 0 {
                    break (val & !RESOLVED) as usize;
                }
                if val & ON_PATH != 0 {
                    let p = path.iter().rposition(|&x| x == cur).unwrap_or(0);
                    cycles.push(path[p..].to_vec());
                    basins.push(0);
                    break cycles.len() - 1;
                }
                path.push(cur);
                next[cur as usize] = val | ON_PATH;
                cur = val & MASK;
            };
            for &x in &path {
                next[x as usize] = RESOLVED | id as u32;
            }
            basins[id] += path.len() as u64;
        }
        let mut z = vec![0u8; n];
        let attractors = cycles
            .iter()
            .zip(basins)
            .map(|(members, basin)| {
                let members: Vec<Vec<u8>> = members
                    .iter()
                    .map(|&x| {
                        self.decode(u64::from(x), &mut z);
                        z.clone()
                    })
                    .collect();
                attractor(members, basin)
            })
            .collect();
        Succession { attractors: sorted(attractors), starts: size, exact: true }
    }

    /// When each free descriptor's successor can be decided during the enumeration: at the first
    /// depth where it and every free descriptor influencing it are assigned. Deciding it there,
    /// and updating only the balance columns still undecided, is what keeps the innermost loop
    /// short (the enumeration order puts the least influential descriptors innermost).
    fn plan(&self) -> Plan {
        let n = self.m.descriptor_count();
        let depth_of: Vec<Option<usize>> =
            (0..n).map(|j| self.free.iter().position(|&x| x == j)).collect();
        let levels = self.free.len();
        let mut settle = vec![0usize; n];
        let mut decide_at = vec![Vec::new(); levels + 1];
        for &j in &self.free {
            let mut s = depth_of[j].unwrap_or(0) + 1;
            for &i in &self.free {
                if self.m.influences(i, j) {
                    s = s.max(depth_of[i].unwrap_or(0) + 1);
                }
            }
            settle[j] = s;
            decide_at[s].push(j);
        }
        let offsets = self.m.offsets();
        // Columns to update when descending from depth q to q + 1: blocks decided at q + 1 or later.
        let live = (0..levels)
            .map(|q| {
                let mut ranges: Vec<(usize, usize)> = Vec::new();
                for &j in &self.free {
                    if settle[j] > q {
                        ranges.push((offsets[j], offsets[j + 1]));
                    }
                }
                ranges.sort_unstable();
                // Merge adjacent blocks into longer runs.
                let mut merged: Vec<(usize, usize)> = Vec::new();
                for r in ranges {
                    match merged.last_mut() {
                        Some(last) if last.1 == r.0 => last.1 = r.1,
                        _ => merged.push(r),
                    }
                }
                merged
            })
            .collect();
        Plan { decide_at, live }
    }

    /// Enumerates the scenarios below depth `q` of one block, writing their successors' indices.
    /// `code` is the successor's index so far (global rule), `zcode` the current scenario's
    /// index so far, `worst` the most inconsistent decided descriptor (local rule).
    fn fill(
        &self,
        w: &mut Walk<'_>,
        q: usize,
        mut code: u64,
        zcode: u64,
        mut worst: Option<(i32, usize, usize)>,
    ) {
        let v = self.m.variant_total();
        let offsets = self.m.offsets();
        {
            let bal = &w.bals[q * v..(q + 1) * v];
            for &j in &w.plan.decide_at[q] {
                let block = &bal[offsets[j]..offsets[j + 1]];
                let (best_l, best) = first_max(block);
                let cur = usize::from(w.z[j]);
                match self.rule {
                    SuccessionRule::Global => {
                        let to = if block[cur] < best { best_l } else { cur };
                        code += self.stride[j] * to as u64;
                    }
                    SuccessionRule::Local => {
                        let ic = best - block[cur];
                        let worse = match worst {
                            None => ic > 0,
                            Some((wic, wj, _)) => ic > wic || (ic == wic && j < wj),
                        };
                        if worse {
                            worst = Some((ic, j, best_l));
                        }
                    }
                }
            }
        }
        if q == self.free.len() {
            if w.at < w.chunk.len() {
                let to = match self.rule {
                    SuccessionRule::Global => code,
                    SuccessionRule::Local => match worst {
                        None => zcode,
                        Some((_, j, l)) => {
                            zcode - self.stride[j] * u64::from(w.z[j]) + self.stride[j] * l as u64
                        }
                    },
                };
                w.chunk[w.at] = to as u32;
                w.at += 1;
            }
            return;
        }
        let d = self.free[q];
        let range = match w.prefix.get(q) {
            Some(&k) => usize::from(k)..usize::from(k) + 1,
            None => 0..self.m.variant_counts()[d],
        };
        for k in range {
            w.z[d] = k as u8;
            let (prev, nextb) = w.bals.split_at_mut((q + 1) * v);
            let prev = &prev[q * v..];
            let nextb = &mut nextb[..v];
            let row = (offsets[d] + k) * v;
            let row = &self.m.flat()[row..row + v];
            for &(a, b) in &w.plan.live[q] {
                for ((nx, &p), &r) in nextb[a..b].iter_mut().zip(&prev[a..b]).zip(&row[a..b]) {
                    *nx = p + r;
                }
            }
            self.fill(w, q + 1, code, zcode + self.stride[d] * k as u64, worst);
        }
    }

    /// Monte Carlo succession from `count` random starts.
    fn sample(&self, count: u64, seed: u64) -> Result<Succession, SuccessionError> {
        if count == 0 {
            return Err(SuccessionError::NoStarts);
        }
        let blocks = count.div_ceil(BLOCK);
        let tallies: Vec<BTreeMap<Vec<Vec<u8>>, u64>> = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(b);
                let in_block = BLOCK.min(count - b * BLOCK);
                let mut tally = BTreeMap::new();
                let n = self.m.descriptor_count();
                let mut z = vec![0u8; n];
                for _ in 0..in_block {
                    for ((zj, f), &c) in z.iter_mut().zip(&self.fixed).zip(self.m.variant_counts())
                    {
                        *zj = match f {
                            Some(k) => *k as u8,
                            None => rng.random_range(0..c) as u8,
                        };
                    }
                    *tally.entry(self.follow(&z)).or_insert(0) += 1;
                }
                tally
            })
            .collect();
        let mut total: BTreeMap<Vec<Vec<u8>>, u64> = BTreeMap::new();
        for t in tallies {
            for (k, c) in t {
                *total.entry(k).or_insert(0) += c;
            }
        }
        let attractors =
            total.into_iter().map(|(members, basin)| attractor(members, basin)).collect();
        Ok(Succession { attractors: sorted(attractors), starts: count, exact: false })
    }

    /// Follows succession from `z` to its attractor, given in canonical form (rotated to start at
    /// its smallest member).
    fn follow(&self, z: &[u8]) -> Vec<Vec<u8>> {
        let offsets = self.m.offsets();
        let mut bal = self.m.balance(&z.iter().map(|&x| usize::from(x)).collect::<Vec<_>>());
        let mut path: Vec<Vec<u8>> = vec![z.to_vec()];
        let mut out = z.to_vec();
        loop {
            let cur = path[path.len() - 1].clone();
            if !self.step(&cur, &bal, &mut out) {
                return vec![cur];
            }
            if let Some(p) = path.iter().position(|x| *x == out) {
                return canonical(path[p..].to_vec());
            }
            // Update the balance for the descriptors that moved.
            let v = bal.len();
            for j in 0..cur.len() {
                if cur[j] != out[j] {
                    let old = (offsets[j] + usize::from(cur[j])) * v;
                    let new = (offsets[j] + usize::from(out[j])) * v;
                    let flat = self.m.flat();
                    for (c, b) in bal.iter_mut().enumerate() {
                        *b += flat[new + c] - flat[old + c];
                    }
                }
            }
            path.push(out.clone());
        }
    }
}

/// The enumeration plan of exact succession (see [`Stepper::plan`]).
struct Plan {
    /// The free descriptors whose successor is decided at each depth.
    decide_at: Vec<Vec<usize>>,
    /// Column ranges to update when descending from each depth.
    live: Vec<Vec<(usize, usize)>>,
}

/// The working state of one block of exact succession.
struct Walk<'a> {
    plan: &'a Plan,
    /// The block's fixed leading digits.
    prefix: &'a [u8],
    /// Balances per depth.
    bals: Vec<i32>,
    /// The current scenario.
    z: Vec<u8>,
    /// The block's successors.
    chunk: &'a mut [u32],
    /// How many are written.
    at: usize,
}

/// How many free descriptors other than `i` descriptor `i` influences.
fn free_reach(m: &CibMatrix, fixed: &[Option<usize>], i: usize) -> usize {
    (0..m.descriptor_count())
        .filter(|&j| j != i && fixed[j].is_none() && m.influences(i, j))
        .count()
}

/// The first index of the largest entry, and the entry.
#[inline]
fn first_max(block: &[i32]) -> (usize, i32) {
    let mut best = (0, block[0]);
    for (l, &s) in block.iter().enumerate().skip(1) {
        if s > best.1 {
            best = (l, s);
        }
    }
    best
}

/// A cycle rotated to start at its lexicographically smallest member.
fn canonical(mut members: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let first = (0..members.len()).min_by(|&a, &b| members[a].cmp(&members[b])).unwrap_or(0);
    members.rotate_left(first);
    members
}

fn attractor(members: Vec<Vec<u8>>, basin: u64) -> Attractor {
    let members = canonical(members);
    let kind = if members.len() == 1 { AttractorKind::FixedPoint } else { AttractorKind::Cycle };
    let members = members.iter().map(|m| m.iter().map(|&x| usize::from(x)).collect()).collect();
    Attractor { kind, members, basin }
}

fn sorted(mut attractors: Vec<Attractor>) -> Vec<Attractor> {
    attractors.sort_by(|a, b| b.basin.cmp(&a.basin).then_with(|| a.members.cmp(&b.members)));
    attractors
}
