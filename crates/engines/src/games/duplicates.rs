//! Strategies that are identical in both payoff matrices: merged before vertex enumeration and
//! expanded after, which leaves the extreme equilibria unchanged and removes the degeneracy the
//! copies cause.
//!
//! If rows `i` and `i'` have the same payoffs for both players, no vertex of `P` plays both
//! (moving weight between them stays in `P` and keeps every label), and in `Q` their
//! constraints coincide, so label `i` is present exactly when `i'` is. The vertices of `P` are
//! therefore the vertices of the merged game's `P` with each merged row's weight put on one of
//! its copies, `Q` is the merged game's `Q`, and a pair is completely labelled in the game
//! exactly when the merged pair is in the merged game. The same holds for columns. So the
//! extreme equilibria are those of the merged game with every choice of copy for each merged
//! strategy played.

use std::collections::HashMap;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Zero};

use super::Game;
use super::extreme::{ExtremeSolution, RawVertex, Vertex, assemble};

/// The classes of identical strategies of each player, each class in increasing order and the
/// classes in the order of their first member.
#[derive(Debug)]
pub(crate) struct Classes {
    pub rows: Vec<Vec<usize>>,
    pub cols: Vec<Vec<usize>>,
}

impl Classes {
    /// Rows with equal payoff rows in `a` and `b`, and columns with equal payoff columns.
    pub fn of(a: &[Vec<BigInt>], b: &[Vec<BigInt>]) -> Classes {
        let (m, n) = (a.len(), a[0].len());
        let rows = group(m, |i| (0..n).map(|j| (&a[i][j], &b[i][j])).collect::<Vec<_>>());
        let cols = group(n, |j| (0..m).map(|i| (&a[i][j], &b[i][j])).collect::<Vec<_>>());
        Classes { rows, cols }
    }

    /// Whether some strategy has a copy.
    pub fn merges(&self) -> bool {
        self.rows.iter().chain(&self.cols).any(|c| c.len() > 1)
    }

    /// The first member of each class: the strategies the merged game keeps.
    pub fn kept(&self) -> [Vec<usize>; 2] {
        [self.rows.iter().map(|c| c[0]).collect(), self.cols.iter().map(|c| c[0]).collect()]
    }
}

/// Classes of `0..len` by equal `key`, in the order of their first member.
fn group<K: std::hash::Hash + Eq>(len: usize, key: impl Fn(usize) -> K) -> Vec<Vec<usize>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for s in 0..len {
        let k = *index.entry(key(s)).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push(s);
    }
    out
}

/// The solution of `game` from `merged`, the solution of the game restricted to
/// [`Classes::kept`]. Vertex and basis counts stay those of the merged game.
pub(crate) fn expand(game: &Game, classes: &Classes, merged: &ExtremeSolution) -> ExtremeSolution {
    let (m, n) = (game.strategies()[0].len(), game.strategies()[1].len());
    let mr = classes.rows.len();
    // Label k of the merged game as labels of the game: a row class's rows, a column class's
    // columns (offset by m).
    let labels_of = |k: usize| -> Vec<usize> {
        if k < mr {
            classes.rows[k].clone()
        } else {
            classes.cols[k - mr].iter().map(|&j| m + j).collect()
        }
    };
    let lift = |v: &Vertex, own: &[Vec<usize>], offset: usize, size: usize| -> Vec<RawVertex> {
        // Labels that do not depend on the copy chosen: the other player's best responses.
        let mut fixed = 0u64;
        for &k in &v.labels {
            let own_label = if offset == 0 { k < mr } else { k >= mr };
            if !own_label {
                for l in labels_of(k) {
                    fixed |= 1u64 << l;
                }
            }
        }
        let denom = v.strategy.iter().fold(BigInt::one(), |acc, p| acc.lcm(p.denom()));
        let mut out = vec![(vec![BigRational::zero(); size], fixed)];
        for (c, p) in v.strategy.iter().enumerate() {
            if p.is_zero() {
                for o in &mut out {
                    for &s in &own[c] {
                        o.1 |= 1u64 << (offset + s);
                    }
                }
                continue;
            }
            let mut next = Vec::with_capacity(out.len() * own[c].len());
            for (x, lab) in &out {
                for &s in &own[c] {
                    let mut x = x.clone();
                    x[s] = p.clone();
                    let others = own[c].iter().filter(|&&t| t != s);
                    let lab = others.fold(*lab, |acc, &t| acc | 1u64 << (offset + t));
                    next.push((x, lab));
                }
            }
            out = next;
        }
        out.into_iter()
            .map(|(x, labels)| RawVertex {
                labels,
                point: x.iter().map(|p| (p * &denom).to_integer()).collect(),
            })
            .collect()
    };
    let mut rows: Vec<RawVertex> = Vec::new();
    let mut row_lifts: Vec<std::ops::Range<usize>> = Vec::new();
    for v in &merged.row_vertices {
        let start = rows.len();
        rows.extend(lift(v, &classes.rows, 0, m));
        row_lifts.push(start..rows.len());
    }
    let mut cols: Vec<RawVertex> = Vec::new();
    let mut col_lifts: Vec<std::ops::Range<usize>> = Vec::new();
    for v in &merged.col_vertices {
        let start = cols.len();
        cols.extend(lift(v, &classes.cols, m, n));
        col_lifts.push(start..cols.len());
    }
    let mut pairs = Vec::new();
    for &(r, c) in &merged.pairs {
        for i in row_lifts[r].clone() {
            pairs.extend(col_lifts[c].clone().map(|k| (i, k)));
        }
    }
    // A copy that is a best response at an equilibrium vertex gives that vertex's mixed strategy
    // (support k, k best responses in the merged game) one best response too many.
    let copied = |k: usize| labels_of(k).len() > 1;
    let shows = |v: &Vertex, other_side: &dyn Fn(usize) -> bool| {
        v.labels.iter().any(|&k| other_side(k) && copied(k))
    };
    let degenerate = merged.degenerate == Some(true)
        || merged.row_vertices.iter().any(|v| shows(v, &|k| k >= mr))
        || merged.col_vertices.iter().any(|v| shows(v, &|k| k < mr));
    let counts = (merged.polytope_vertices, merged.bases_visited);
    assemble(game, &rows, &cols, pairs, degenerate.then_some(true), counts)
}
