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

/// A signed integer of `64 · N` bits in two's complement, limbs least significant first: the
/// tiers between `i128` and `BigInt` (256, 512 and 1024 bits). Products are formed in `2N`
/// limbs and divided exactly by Hensel division modulo `2^(64N)`, with no allocation, which is
/// what keeps games with payoffs in the thousands or millions off big integers (issue 17).
/// `L` is `2N`, the limbs of a product (a separate parameter, as stable Rust cannot write
/// `2 * N` in a type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Wide<const N: usize, const L: usize>([u64; N]);

/// 256-bit values, 512-bit products.
pub(crate) type Wide4 = Wide<4, 8>;
/// 384-bit values, 768-bit products.
pub(crate) type Wide6 = Wide<6, 12>;
/// 512-bit values, 1024-bit products.
pub(crate) type Wide8 = Wide<8, 16>;
/// 1024-bit values, 2048-bit products.
pub(crate) type Wide16 = Wide<16, 32>;

/// Two's-complement negation in place.
#[inline]
fn negate(x: &mut [u64]) {
    let mut carry = 1u64;
    for l in x.iter_mut() {
        let (v, c) = (!*l).overflowing_add(carry);
        *l = v;
        carry = u64::from(c);
    }
}

/// Whether a two's-complement limb slice is negative.
#[inline]
fn is_negative(x: &[u64]) -> bool {
    x.last().is_some_and(|&l| (l as i64) < 0)
}

/// The number of significant limbs of an unsigned limb slice.
#[inline]
fn used(x: &[u64]) -> usize {
    x.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1)
}

/// The bit length of an unsigned limb slice (0 for zero).
#[inline]
fn bit_len(x: &[u64]) -> usize {
    match x.iter().rposition(|&l| l != 0) {
        Some(i) => 64 * i + 64 - x[i].leading_zeros() as usize,
        None => 0,
    }
}

impl<const N: usize, const L: usize> Wide<N, L> {
    /// An approximation in floating point (infinite beyond `f64`'s range).
    #[inline]
    fn approx(&self) -> f64 {
        let m = self.magnitude();
        let mut acc = 0.0;
        for &l in m[..used(&m)].iter().rev() {
            acc = acc * 18_446_744_073_709_551_616.0 + l as f64;
        }
        if is_negative(&self.0) { -acc } else { acc }
    }

    /// The magnitude, as unsigned limbs (exact even for the most negative value).
    #[inline]
    fn magnitude(&self) -> [u64; N] {
        let mut m = self.0;
        if is_negative(&m) {
            negate(&mut m);
        }
        m
    }

    /// `a · b` in `2N` limbs of two's complement, written into `out[..2N]`.
    #[inline]
    fn mul_into(a: &Self, b: &Self, out: &mut [u64; L]) {
        let (ma, mb) = (a.magnitude(), b.magnitude());
        let (la, lb) = (used(&ma), used(&mb));
        for i in 0..la {
            let ai = u128::from(ma[i]);
            let mut carry = 0u128;
            for j in 0..lb {
                let t = ai * u128::from(mb[j]) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + lb] = carry as u64;
        }
        if is_negative(&a.0) != is_negative(&b.0) {
            negate(out);
        }
    }

    /// `a · b − c · d` in `2N` limbs (it fits: each product is below `2^(128N − 2)`).
    #[inline]
    fn diff_of_products(a: &Self, b: &Self, c: &Self, d: &Self) -> [u64; L] {
        let mut x = [0u64; L];
        let mut y = [0u64; L];
        Self::mul_into(a, b, &mut x);
        Self::mul_into(c, d, &mut y);
        let mut borrow = false;
        for k in 0..L {
            let (v, b1) = x[k].overflowing_sub(y[k]);
            let (v, b2) = v.overflowing_sub(u64::from(borrow));
            x[k] = v;
            borrow = b1 || b2;
        }
        x
    }

    /// The low `N` limbs of `a · b` (multiplication modulo `2^(64N)`).
    #[inline]
    fn mul_low(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut out = [0u64; N];
        for i in 0..N {
            if a[i] == 0 {
                continue;
            }
            let ai = u128::from(a[i]);
            let mut carry = 0u128;
            for j in 0..N - i {
                let t = ai * u128::from(b[j]) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
        }
        out
    }
}

/// A [`Wide`] divisor prepared for exact division: the shift of its power of two, the inverse
/// of its odd part modulo `2^(64N)` and the bit length of its magnitude.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WideDivisor<const N: usize> {
    shift: usize,
    inverse: [u64; N],
    bits: usize,
}

impl<const N: usize, const L: usize> Num for Wide<N, L> {
    fn from_big(b: &BigInt) -> Option<Self> {
        // Two spare bits, as every result of `pivot` has.
        if b.bits() + 2 > 64 * N as u64 {
            return None;
        }
        let bytes = b.to_signed_bytes_le();
        let fill = if b.is_negative() { 0xff } else { 0 };
        let mut limbs = [0u64; N];
        for (k, l) in limbs.iter_mut().enumerate() {
            let mut w = [fill; 8];
            for (i, byte) in w.iter_mut().enumerate() {
                if let Some(&v) = bytes.get(8 * k + i) {
                    *byte = v;
                }
            }
            *l = u64::from_le_bytes(w);
        }
        Some(Wide(limbs))
    }
    fn to_big(&self) -> BigInt {
        let bytes: Vec<u8> = self.0.iter().flat_map(|l| l.to_le_bytes()).collect();
        BigInt::from_signed_bytes_le(&bytes)
    }
    fn int_one() -> Self {
        let mut l = [0u64; N];
        l[0] = 1;
        Wide(l)
    }
    fn int_zero() -> Self {
        Wide([0u64; N])
    }
    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }
    fn is_pos(&self) -> bool {
        !is_negative(&self.0) && !Num::is_zero(self)
    }
    fn neg(&self) -> Option<Self> {
        let mut l = self.0;
        negate(&mut l);
        // Only the most negative value is its own negation.
        if l != [0u64; N] && l == self.0 {
            return None;
        }
        Some(Wide(l))
    }
    type Div = WideDivisor<N>;
    fn divisor(e: &Self) -> WideDivisor<N> {
        let mag = e.magnitude();
        let bits = bit_len(&mag);
        let shift =
            e.0.iter()
                .position(|&l| l != 0)
                .map_or(0, |i| 64 * i + e.0[i].trailing_zeros() as usize);
        let odd: [u64; N] = shift_right(&e.0, shift);
        // Newton's iteration doubles the correct low bits from 3: 6, 12, …, 1536 ≥ 64N.
        let mut inverse = odd;
        let mut two = [0u64; N];
        two[0] = 2;
        for _ in 0..9 {
            let mut t = Self::mul_low(&odd, &inverse);
            // 2 − t modulo 2^(64N).
            negate(&mut t);
            let mut carry = 0u64;
            for (k, l) in t.iter_mut().enumerate() {
                let (v, c1) = l.overflowing_add(two[k]);
                let (v, c2) = v.overflowing_add(carry);
                *l = v;
                carry = u64::from(c1) + u64::from(c2);
            }
            inverse = Self::mul_low(&inverse, &t);
        }
        WideDivisor { shift, inverse, bits }
    }
    #[inline]
    fn pivot(a: &Self, b: &Self, c: &Self, d: &Self, e: &WideDivisor<N>) -> Option<Self> {
        let n = Self::diff_of_products(a, b, c, d);
        let mut mag = n;
        if is_negative(&n) {
            negate(&mut mag);
        }
        let bits = bit_len(&mag);
        if bits == 0 {
            return Some(Self::int_zero());
        }
        // |q| ≤ |n| / |e| < 2^(bits − e.bits + 1), kept below 2^(64N − 2) so that every value
        // has two spare bits and `a · b − c · d` always fits in 2N limbs.
        if bits + 3 > e.bits + 64 * N {
            return None;
        }
        let low: [u64; N] = shift_right(&n, e.shift);
        Some(Wide(Self::mul_low(&low, &e.inverse)))
    }
    #[inline]
    fn cmp_prod(a: &Self, b: &Self, c: &Self, d: &Self) -> Option<Ordering> {
        // Floating point decides unless the products are within a relative 2^-40 of each
        // other (each approximation is within a relative 2^-52 of the value).
        let (x, y) = (a.approx() * b.approx(), c.approx() * d.approx());
        if x.is_finite() && y.is_finite() && (x - y).abs() > x.abs().max(y.abs()) * 1e-12 {
            return Some(if x < y { Ordering::Less } else { Ordering::Greater });
        }
        let n = Self::diff_of_products(a, b, c, d);
        let n = &n[..];
        Some(if is_negative(n) {
            Ordering::Less
        } else if n.iter().all(|&l| l == 0) {
            Ordering::Equal
        } else {
            Ordering::Greater
        })
    }
}

/// The low `N` limbs of `x >> shift` (two's complement, sign-extended), for `shift < 64 · len`.
#[inline]
fn shift_right<const N: usize>(x: &[u64], shift: usize) -> [u64; N] {
    let (limbs, bits) = (shift / 64, shift % 64);
    let fill = if is_negative(x) { u64::MAX } else { 0 };
    let get = |k: usize| x.get(k).copied().unwrap_or(fill);
    let mut out = [0u64; N];
    for (k, o) in out.iter_mut().enumerate() {
        let lo = get(limbs + k);
        *o = if bits == 0 { lo } else { (lo >> bits) | (get(limbs + k + 1) << (64 - bits)) };
    }
    out
}

#[cfg(test)]
mod tests {
    use num_bigint::{BigInt, Sign};
    use proptest::prelude::*;

    use super::{Num, Wide};

    /// A big integer of up to `limbs` 64-bit limbs, either sign.
    fn big(limbs: usize) -> impl Strategy<Value = BigInt> {
        (proptest::collection::vec(any::<u32>(), 0..=2 * limbs), any::<bool>()).prop_map(
            |(digits, negative)| {
                BigInt::from_slice(if negative { Sign::Minus } else { Sign::Plus }, &digits)
            },
        )
    }

    /// `Wide<N>` pivots and comparisons agree with big integers, or report overflow only when
    /// the quotient really leaves the type's range.
    fn check<const N: usize, const L: usize>(q: &BigInt, e: &BigInt, c: &BigInt, d: &BigInt) {
        if e.sign() == Sign::NoSign {
            return;
        }
        let a = q * e + c * d;
        let one = BigInt::from(1);
        let (Some(wa), Some(we), Some(wc), Some(wd), Some(w1)) = (
            Wide::<N, L>::from_big(&a),
            Wide::<N, L>::from_big(e),
            Wide::<N, L>::from_big(c),
            Wide::<N, L>::from_big(d),
            Wide::<N, L>::from_big(&one),
        ) else {
            return;
        };
        assert_eq!(wa.to_big(), a);
        let div = Wide::<N, L>::divisor(&we);
        match Wide::<N, L>::pivot(&wa, &w1, &wc, &wd, &div) {
            Some(got) => assert_eq!(got.to_big(), *q, "a {a} c {c} d {d} e {e}"),
            None => assert!(q.bits() + 3 > 64 * N as u64, "spurious overflow for q {q}"),
        }
        assert_eq!(Wide::<N, L>::cmp_prod(&wa, &w1, &wc, &wd), Some(a.cmp(&(c * d))));
        assert_eq!(we.neg().map(|x| x.to_big()), Some(-e));
    }

    proptest! {
        #[test]
        fn wide_pivots_match_big_integers(
            q in big(3), e in big(3), c in big(4), d in big(3), shift in 0u32..70
        ) {
            let e = e << shift;
            check::<4, 8>(&q, &e, &c, &d);
            check::<6, 12>(&q, &e, &c, &d);
            check::<8, 16>(&q, &e, &c, &d);
            check::<16, 32>(&q, &e, &c, &d);
        }
    }
}
