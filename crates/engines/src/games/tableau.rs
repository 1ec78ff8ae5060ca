//! An integer-pivoting dictionary for a best-response polytope `{z ≥ 0 : M z ≤ 1}` (von Stengel
//! 2002, section 2.6 "Integer pivoting"), with the lexicographic minimum ratio test that makes
//! every pivot behave as on a nondegenerate polytope (section 2.5). Vertex enumeration, Lemke–Howson
//! and the zero-sum linear program all pivot on it.
//!
//! The dictionary keeps only the nonbasic columns: `a[i][k]` for row `i` and column slot `k`, and
//! the right-hand side in slot `d`. All entries are integers: the true coefficients times the
//! current determinant `det`, so a basic variable's value is `a[i][d] / det`.
//!
//! Variables `0..d` are the player's own strategies (`z_k`), variables `d..d + rows` the slacks of
//! the constraint rows. Bit `v` of `mask` is set when variable `v` is basic; the masks
//! are only meaningful for at most 64 variables, which vertex enumeration checks.

use std::cmp::Ordering;

use num_bigint::BigInt;

use super::num::Num;

/// The mask bit of variable `v` (none past 63: only vertex enumeration, limited to 64
/// variables, reads the masks).
#[inline]
fn bit(v: usize) -> u64 {
    u32::try_from(v).ok().and_then(|v| 1u64.checked_shl(v)).unwrap_or(0)
}

/// Integer pivoting failed because a number left the current integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overflow;

/// The dictionary. `extra_rows` are rows pivoted along but never chosen by the ratio test (the
/// objective of a linear program).
#[derive(Debug, Clone)]
pub(crate) struct Tableau<T> {
    pub rows: usize,
    pub d: usize,
    width: usize,
    pub a: Vec<T>,
    /// The variable in each row.
    pub basic: Vec<usize>,
    /// The variable in each column slot.
    pub nonbasic: Vec<usize>,
    pub det: T,
    /// Bit `v` set when variable `v` is basic.
    pub mask: u64,
    /// Where each variable is: `Ok(row)` if basic, `Err(slot)` if not.
    place: Vec<Result<usize, usize>>,
}

impl<T: Num> Tableau<T> {
    /// The dictionary of `{z ≥ 0 : M z ≤ 1}` at the origin (every slack basic), with the rows of
    /// `m` (each of length `d`) and then `extra` rows pivoted along (each of length `d + 1`, the
    /// last entry in the right-hand-side slot).
    pub fn new(m: &[Vec<BigInt>], d: usize, extra: &[Vec<BigInt>]) -> Result<Tableau<T>, Overflow> {
        let rows = m.len();
        let width = d + 1;
        let mut a = Vec::with_capacity((rows + extra.len()) * width);
        for row in m {
            for v in row {
                a.push(T::from_big(v).ok_or(Overflow)?);
            }
            a.push(T::int_one());
        }
        for row in extra {
            for v in row {
                a.push(T::from_big(v).ok_or(Overflow)?);
            }
        }
        let basic: Vec<usize> = (d..d + rows).collect();
        let nonbasic: Vec<usize> = (0..d).collect();
        let mut place = Vec::with_capacity(d + rows);
        place.extend((0..d).map(Err));
        place.extend((0..rows).map(Ok));
        let mask = basic.iter().fold(0u64, |m, &v| m | bit(v));
        Ok(Tableau { rows, d, width, a, basic, nonbasic, det: T::int_one(), mask, place })
    }

    /// Entry at row `i`, slot `k` (`k == d` is the right-hand side).
    #[inline]
    pub fn at(&self, i: usize, k: usize) -> &T {
        &self.a[i * self.width + k]
    }

    /// The right-hand side of row `i`.
    #[inline]
    pub fn rhs(&self, i: usize) -> &T {
        self.at(i, self.d)
    }

    /// The column slot of a nonbasic variable, `None` when it is basic.
    #[inline]
    pub fn slot_of(&self, var: usize) -> Option<usize> {
        self.place[var].err()
    }

    /// The leaving row for entering slot `c` by the lexicographic minimum ratio test, `None` when
    /// the column has no positive entry (an unbounded direction).
    ///
    /// Rows are compared by `(rhs, column of slack 0, column of slack 1, …) / a[i][c]`: the
    /// right-hand side perturbed by `(ε, ε², …)` in the order of the initial basis, so ties never
    /// remain (the slack columns form the inverse basis matrix, whose rows are independent).
    pub fn lex_ratio(&self, c: usize) -> Result<Option<usize>, Overflow> {
        let mut best: Option<usize> = None;
        for i in 0..self.rows {
            if !self.at(i, c).is_pos() {
                continue;
            }
            best = match best {
                None => Some(i),
                Some(b) => {
                    if self.lex_less(i, b, c)? {
                        Some(i)
                    } else {
                        Some(b)
                    }
                }
            };
        }
        Ok(best)
    }

    /// Whether row `i`'s perturbed ratio is below row `j`'s for entering slot `c`.
    fn lex_less(&self, i: usize, j: usize, c: usize) -> Result<bool, Overflow> {
        let (ci, cj) = (self.at(i, c), self.at(j, c));
        // ratio_i < ratio_j  ⇔  x_i * c_j < x_j * c_i, both pivots being positive.
        match T::cmp_prod(self.rhs(i), cj, self.rhs(j), ci).ok_or(Overflow)? {
            Ordering::Less => return Ok(true),
            Ordering::Greater => return Ok(false),
            Ordering::Equal => {}
        }
        for s in 0..self.rows {
            let var = self.d + s;
            let ord = match self.place[var] {
                Err(slot) => {
                    T::cmp_prod(self.at(i, slot), cj, self.at(j, slot), ci).ok_or(Overflow)?
                }
                // A basic slack's column is `det` on its own row and zero elsewhere.
                Ok(row) => {
                    if row == i {
                        Ordering::Greater
                    } else if row == j {
                        Ordering::Less
                    } else {
                        continue;
                    }
                }
            };
            match ord {
                Ordering::Less => return Ok(true),
                Ordering::Greater => return Ok(false),
                Ordering::Equal => {}
            }
        }
        // Unreachable for a valid dictionary: the inverse basis has independent rows.
        Ok(i < j)
    }

    /// Integer pivot on row `r`, slot `c`: the variable in slot `c` enters and the one in row
    /// `r` leaves (taking slot `c`). Pivoting again on the same `(r, c)` undoes it exactly.
    pub fn pivot(&mut self, r: usize, c: usize) -> Result<(), Overflow> {
        let w = self.width;
        let p = self.a[r * w + c].clone();
        let det = self.det.clone();
        let div = T::divisor(&det);
        let (before, rest) = self.a.split_at_mut(r * w);
        let (prow, after) = rest.split_at_mut(w);
        for row in before.chunks_exact_mut(w).chain(after.chunks_exact_mut(w)) {
            let aic = row[c].clone();
            for (k, v) in row.iter_mut().enumerate() {
                if k != c {
                    *v = T::pivot(v, &p, &aic, &prow[k], &div).ok_or(Overflow)?;
                }
            }
            row[c] = aic.neg().ok_or(Overflow)?;
        }
        prow[c] = det;
        self.det = p;
        let entering = self.nonbasic[c];
        let leaving = self.basic[r];
        self.basic[r] = entering;
        self.nonbasic[c] = leaving;
        self.place[entering] = Ok(r);
        self.place[leaving] = Err(c);
        self.mask = (self.mask & !bit(leaving)) | bit(entering);
        Ok(())
    }

    /// The basis mask after entering slot `c` and leaving row `r`, without pivoting.
    #[inline]
    pub fn mask_after(&self, r: usize, c: usize) -> u64 {
        (self.mask & !bit(self.basic[r])) | bit(self.nonbasic[c])
    }

    /// The variables at zero: every nonbasic one and every basic one with a zero right-hand side.
    pub fn zero_vars(&self) -> u64 {
        let n = self.d + self.rows;
        let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        let mut z = !self.mask & all;
        for i in 0..self.rows {
            if self.rhs(i).is_zero() {
                z |= bit(self.basic[i]);
            }
        }
        z
    }

    /// The numerators of the own variables `z_0 … z_{d-1}` (over `det`; zero when nonbasic).
    pub fn point(&self) -> Vec<T> {
        let mut z = vec![T::int_zero(); self.d];
        for i in 0..self.rows {
            let v = self.basic[i];
            if v < self.d {
                z[v] = self.rhs(i).clone();
            }
        }
        z
    }

    /// Entry of extra row `e` at slot `k`.
    pub fn extra(&self, e: usize, k: usize) -> &T {
        self.at(self.rows + e, k)
    }
}
