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
    /// `(a * b - c * d) / e`, where the caller knows the division is exact (integer pivoting).
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &Self) -> Option<Self>;
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
    #[inline]
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &Self) -> Option<Self> {
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
    #[inline]
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &Self) -> Option<Self> {
        if let (Some(x), Some(y)) = (a.checked_mul(*b), c.checked_mul(*d)) {
            if let Some(n) = x.checked_sub(y) {
                return n.checked_div(*e);
            }
        }
        // Two products of i128 need up to 255 bits; their difference fits in 256.
        let n = I256::from(*a) * I256::from(*b) - I256::from(*c) * I256::from(*d);
        i128::try_from(n / I256::from(*e)).ok()
    }
    #[inline]
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering> {
        if let (Some(x), Some(y)) = (a.checked_mul(*b), c.checked_mul(*d)) {
            return Some(x.cmp(&y));
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
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &Self) -> Option<Self> {
        Some((a * b - c * d) / e)
    }
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering> {
        Some((a * b).cmp(&(c * d)))
    }
}
