//! Serialisation of exact rationals as strings such as `"1/3"` (and `"2"` for integers), so JSON
//! readers never see a rounded number.

use num_rational::BigRational;
use serde::ser::{SerializeSeq, Serializer};

/// A list of rationals as a list of strings.
pub(crate) fn rationals<S: Serializer>(v: &[BigRational], s: S) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for q in v {
        seq.serialize_element(&q.to_string())?;
    }
    seq.end()
}

/// A list of lists of rationals as lists of strings.
pub(crate) fn profile<S: Serializer>(v: &[Vec<BigRational>], s: S) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for row in v {
        let strs: Vec<String> = row.iter().map(ToString::to_string).collect();
        seq.serialize_element(&strs)?;
    }
    seq.end()
}

/// One rational as a string.
pub(crate) fn rational<S: Serializer>(q: &BigRational, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&q.to_string())
}
