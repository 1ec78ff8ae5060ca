//! The integer types that exact pivoting runs in, from fastest to widest: `i64` (products in
//! `i128`), `i128` (products in 256 bits) and `BigInt`. A tableau starts in the narrowest type;
//! an operation whose exact result does not fit reports `None`, and the caller restarts the whole
//! computation one type wider, so every result is exact whatever type produced it.

use std::cmp::Ordering;

use ethnum::I256;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

/// An integer type the integer-pivoting tableaux can run in. Every operation is exact or `None`.
pub(crate) trait Num: Clone + std::fmt::Debug + Send + Sync {
    /// Converts from a big integer, `None` when it does not fit.
    fn from_big(b: &BigInt) -> Option<Self>;
    /// Converts to a big integer.
    fn to_big(&self) -> BigInt;
    /// `1`.
    fn int_one() -> Self;
    /// `0`.
    fn int_zero() -> Self;
    /// Whether the value is zero.
    fn is_zero(&self) -> bool;
    /// Whether the value is strictly positive.
    fn is_pos(&self) -> bool;
    /// The negation, `None` on overflow.
    fn neg(&self) -> Option<Self>;
    /// A divisor prepared for many exact divisions.
    type Div;
    /// Prepares `e` (non-zero) as a divisor.
    fn divisor(e: &Self) -> Self::Div;
    /// `(a * b - c * d) / e`, where the caller knows the division is exact (integer pivoting).
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &Self::Div) -> Option<Self>;
    /// Compares `a * b` with `c * d`.
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering>;
}

impl Num for i64 {
    fn from_big(b: &BigInt) -> Option<Self> {
        b.to_i64()
    }
    fn to_big(&self) -> BigInt {
        BigInt::from(*self)
    }
    fn int_one() -> Self {
        1
    }
    fn int_zero() -> Self {
        0
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn is_pos(&self) -> bool {
        *self > 0
    }
    fn neg(&self) -> Option<Self> {
        self.checked_neg()
    }
    type Div = i64;
    fn divisor(e: &Self) -> i64 {
        *e
    }
    #[inline]
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &i64) -> Option<Self> {
        // Two products of i64 fit in i128 and so does their difference (each is at most 2^126).
        let n = i128::from(*a) * i128::from(*b) - i128::from(*c) * i128::from(*d);
        let e = *e;
        if let Ok(n) = i64::try_from(n) {
            return Some(n / e);
        }
        i64::try_from(n / i128::from(e)).ok()
    }
    #[inline]
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering> {
        Some((i128::from(*a) * i128::from(*b)).cmp(&(i128::from(*c) * i128::from(*d))))
    }
}

impl Num for i128 {
    fn from_big(b: &BigInt) -> Option<Self> {
        b.to_i128()
    }
    fn to_big(&self) -> BigInt {
        BigInt::from(*self)
    }
    fn int_one() -> Self {
        1
    }
    fn int_zero() -> Self {
        0
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn is_pos(&self) -> bool {
        *self > 0
    }
    fn neg(&self) -> Option<Self> {
        self.checked_neg()
    }
    type Div = Divisor;
    fn divisor(e: &Self) -> Divisor {
        let shift = e.trailing_zeros().min(127);
        let odd = (*e >> shift) as u128;
        // Newton's iteration doubles the correct low bits: 3, 6, …, 192 ≥ 128.
        let mut inverse = odd;
        for _ in 0..6 {
            inverse = inverse.wrapping_mul(2u128.wrapping_sub(odd.wrapping_mul(inverse)));
        }
        Divisor { value: *e, shift, inverse, float: *e as f64 }
    }
    #[inline]
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &Divisor) -> Option<Self> {
        if let (Some(x), Some(y)) = (a.checked_mul(*b), c.checked_mul(*d)) {
            if let Some(n) = x.checked_sub(y) {
                // Exact division: shift out the power of two, multiply by the odd part's inverse.
                return Some(((n >> e.shift) as u128).wrapping_mul(e.inverse) as i128);
            }
        }
        // When floating point shows the quotient fits comfortably, compute it modulo 2^128
        // (exact, since the division is exact and the result fits); else in 256 bits.
        let (af, bf, cf, df, ef) = (*a as f64, *b as f64, *c as f64, *d as f64, e.float);
        let (x, y) = (af * bf, cf * df);
        let bound = ((x - y).abs() + (x.abs() + y.abs()) * 1e-15) / ef.abs();
        if bound < 2f64.powi(125) {
            return Some(exact_quotient(mul_wide(*a, *b), mul_wide(*c, *d), e));
        }
        let n = I256::from(*a) * I256::from(*b) - I256::from(*c) * I256::from(*d);
        i128::try_from(n / I256::from(e.value)).ok()
    }
    #[inline]
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering> {
        if let (Some(x), Some(y)) = (a.checked_mul(*b), c.checked_mul(*d)) {
            return Some(x.cmp(&y));
        }
        // Floating point decides unless the products are within a relative 2^-40 of each other
        // (each f64 product is within a relative 2^-51 of the exact one).
        let (x, y) = (*a as f64 * *b as f64, *c as f64 * *d as f64);
        if (x - y).abs() > (x.abs().max(y.abs())) * 1e-12 {
            return Some(if x < y { Ordering::Less } else { Ordering::Greater });
        }
        Some((I256::from(*a) * I256::from(*b)).cmp(&(I256::from(*c) * I256::from(*d))))
    }
}

impl Num for BigInt {
    fn from_big(b: &BigInt) -> Option<Self> {
        Some(b.clone())
    }
    fn to_big(&self) -> BigInt {
        self.clone()
    }
    fn int_one() -> Self {
        BigInt::from(1)
    }
    fn int_zero() -> Self {
        BigInt::from(0)
    }
    fn is_zero(&self) -> bool {
        Zero::is_zero(self)
    }
    fn is_pos(&self) -> bool {
        self.is_positive()
    }
    fn neg(&self) -> Option<Self> {
        Some(-self)
    }
    type Div = BigInt;
    fn divisor(e: &Self) -> BigInt {
        e.clone()
    }
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &BigInt) -> Option<Self> {
        Some((a * b - c * d) / e)
    }
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering> {
        Some((a * b).cmp(&(c * d)))
    }
}

/// `a · b` as a 256-bit two's-complement number `(high, low)`.
#[inline]
pub(crate) fn mul_wide(a: i128, b: i128) -> (u128, u128) {
    const M: u128 = u64::MAX as u128;
    let negative = (a < 0) != (b < 0);
    let (ua, ub) = (a.unsigned_abs(), b.unsigned_abs());
    let (a1, a0, b1, b0) = (ua >> 64, ua & M, ub >> 64, ub & M);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & M) + (p10 & M);
    let lo = (p00 & M) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    if negative {
        let lo_n = (!lo).wrapping_add(1);
        let hi_n = (!hi).wrapping_add(u128::from(lo == 0));
        (hi_n, lo_n)
    } else {
        (hi, lo)
    }
}

/// An `i128` divisor prepared for exact division: `value = odd · 2^shift`, and the inverse of
/// `odd` modulo 2^128.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Divisor {
    value: i128,
    shift: u32,
    inverse: u128,
    float: f64,
}

/// `(x − y) / e` for 256-bit `x`, `y`, when the division is exact and the quotient fits in
/// `i128`: the low 128 bits of `(x − y) / 2^shift` times the inverse of the odd part of `e`
/// modulo 2^128 (Hensel division; Jebelean 1993, "An algorithm for exact division", J. Symbolic
/// Computation 15(2), 169–180).
#[inline]
pub(crate) fn exact_quotient(x: (u128, u128), y: (u128, u128), e: &Divisor) -> i128 {
    let lo = x.1.wrapping_sub(y.1);
    let hi = x.0.wrapping_sub(y.0).wrapping_sub(u128::from(x.1 < y.1));
    let t = e.shift;
    let low = if t == 0 { lo } else { (lo >> t) | (hi << (128 - t)) };
    low.wrapping_mul(e.inverse) as i128
}
