//! The one-sided search's partner step: for a vertex `x` of the row player's polytope `P`, the
//! vertex `y` of the column player's polytope `Q = {y ≥ 0 : A y ≤ 1}` that carries every label
//! `x` lacks, found by pivoting a second dictionary of `Q` to the basis those labels name and
//! reading its basic solution, instead of enumerating `Q`.
//!
//! When `x` has exactly `m` labels, the `n` missing ones name `n` variables of `Q` (a column
//! `y_j` for a missing column label, a slack for a missing row label). If they are linearly
//! independent, the only point of `Q`'s hyperplanes where all of them are zero is the basic
//! solution of the basis made of the other variables, so `x` has a partner exactly when that
//! solution is feasible, and the partner is then a vertex of `Q` (it has `n` independent tight
//! constraints). The dictionary moves from the previous vertex's basis by one integer pivot per
//! label that changed, on any non-zero entry: feasibility is not kept along the way, so the
//! determinant may turn negative and a solution is feasible when each right-hand side is zero or
//! has the determinant's sign.
//!
//! A vertex with more than `m` labels (a degenerate game) or missing labels that are linearly
//! dependent (a singular basis) leaves a face of `Q` that may hold several vertices or none:
//! the step then reports [`Partner::Face`] and the caller enumerates both polytopes instead.

use super::extreme::RawVertex;
use super::num::Num;
use super::tableau::{Overflow, Tableau};

/// What the partner step found for one vertex of `P`.
#[derive(Debug)]
pub(crate) enum Partner {
    /// No vertex of `Q` carries the missing labels (or only the origin does).
    None,
    /// The one vertex of `Q` that carries them.
    One(RawVertex),
    /// The missing labels leave a face of `Q` of dimension above zero, or a singular basis.
    Face,
}

/// A dictionary of `Q` that follows the vertices of `P`.
#[derive(Debug)]
pub(crate) struct PartnerSearch<T> {
    tab: Tableau<T>,
    /// The label of each variable of `Q`: `y_j` has `m + j`, the slack of row `i` has `i`.
    labels: Vec<usize>,
    /// Strategies of the row player (`m`) and the column player (`n`).
    m: usize,
    n: usize,
}

impl<T: Num> PartnerSearch<T> {
    /// The dictionary of `Q = {y ≥ 0 : A y ≤ 1}` for the positive payoff matrix `a` (`m × n`).
    pub fn new(a: &[Vec<num_bigint::BigInt>], m: usize, n: usize) -> Result<Self, Overflow> {
        let tab = Tableau::new(a, n, &[])?;
        let labels = (m..m + n).chain(0..m).collect();
        Ok(PartnerSearch { tab, labels, m, n })
    }

    /// The variable of `Q` that carries `label`.
    fn var_of(&self, label: usize) -> usize {
        if label < self.m { self.n + label } else { label - self.m }
    }

    /// The partner of a vertex of `P` with label set `x_labels` (a bit mask over `0..m + n`).
    pub fn partner(&mut self, x_labels: u64) -> Result<Partner, Overflow> {
        let (m, n) = (self.m, self.n);
        if x_labels.count_ones() as usize != m {
            return Ok(Partner::Face);
        }
        let all = if m + n == 64 { u64::MAX } else { (1u64 << (m + n)) - 1 };
        let missing = all & !x_labels;
        // The variables that must be nonbasic, as a mask over Q's variables.
        let mut target = 0u64;
        let mut rest = missing;
        while rest != 0 {
            let l = rest.trailing_zeros() as usize;
            target |= 1u64 << self.var_of(l);
            rest &= rest - 1;
        }
        // Move every basic variable of the target out, each by a pivot on a non-zero entry of
        // a slot whose variable may be basic; none means the target is linearly dependent.
        for r in 0..self.tab.rows {
            let v = self.tab.basic[r];
            if target & (1u64 << v) == 0 {
                continue;
            }
            let slot = (0..self.tab.d).find(|&c| {
                target & (1u64 << self.tab.nonbasic[c]) == 0 && !self.tab.at(r, c).is_zero()
            });
            match slot {
                Some(c) => self.tab.pivot(r, c)?,
                None => return Ok(Partner::Face),
            }
        }
        // Feasible when every right-hand side is zero or has the determinant's sign.
        let det_pos = self.tab.det.is_pos();
        let feasible = (0..self.tab.rows).all(|i| {
            let v = self.tab.rhs(i);
            v.is_zero() || v.is_pos() == det_pos
        });
        if !feasible {
            return Ok(Partner::None);
        }
        let mut point: Vec<num_bigint::BigInt> = self.tab.point().iter().map(T::to_big).collect();
        if point.iter().all(num_traits::Zero::is_zero) {
            return Ok(Partner::None);
        }
        if !det_pos {
            for v in &mut point {
                *v = -std::mem::take(v);
            }
        }
        let zero = self.tab.zero_vars();
        let mut labels = 0u64;
        for (var, &l) in self.labels.iter().enumerate() {
            if zero & (1u64 << var) != 0 {
                labels |= 1u64 << l;
            }
        }
        Ok(Partner::One(RawVertex { labels, point }))
    }
}
