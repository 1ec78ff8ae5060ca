//! The standard words of estimative probability, so that every probability statecraft prints
//! carries the same words an intelligence analyst would use.
//!
//! The bands are those of the US Intelligence Community's analytic standards: Office of the
//! Director of National Intelligence (2015), *Intelligence Community Directive 203: Analytic
//! Standards*, 2 January 2015, section D.6.e(2)(a), the table of expressions of likelihood
//! ("almost no chance" 1–5 %, … "almost certain" 95–99 %). The directive leaves the ends of the
//! scale (below 1 %, above 99 %) and the band edges unassigned; here each band is closed below and
//! open above (`0.05` is "very unlikely"), and the end bands extend to 0 and to 1.
//!
//! [`band`] gives the [`Band`] of a probability; [`estimative_words`] gives its words directly.

use std::fmt;

/// One band of the ICD 203 likelihood scale, from least to most likely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Band {
    /// 0 ≤ p < 0.05 ("remote" in the directive's alternative wording).
    AlmostNoChance,
    /// 0.05 ≤ p < 0.20 ("highly improbable").
    VeryUnlikely,
    /// 0.20 ≤ p < 0.45 ("improbable").
    Unlikely,
    /// 0.45 ≤ p < 0.55 ("roughly even odds").
    RoughlyEvenChance,
    /// 0.55 ≤ p < 0.80 ("probable").
    Likely,
    /// 0.80 ≤ p < 0.95 ("highly probable").
    VeryLikely,
    /// 0.95 ≤ p ≤ 1 ("nearly certain").
    AlmostCertain,
}

impl Band {
    /// The words of this band, as ICD 203 writes them (lower case).
    pub fn words(self) -> &'static str {
        match self {
            Band::AlmostNoChance => "almost no chance",
            Band::VeryUnlikely => "very unlikely",
            Band::Unlikely => "unlikely",
            Band::RoughlyEvenChance => "roughly even chance",
            Band::Likely => "likely",
            Band::VeryLikely => "very likely",
            Band::AlmostCertain => "almost certain",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

/// The ICD 203 band of probability `p`, or `None` when `p` is not a probability (NaN, infinite,
/// below 0 or above 1).
///
/// Reference: ODNI (2015), *ICD 203: Analytic Standards*, section D.6.e(2)(a).
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use engines::estimative::{band, Band};
/// assert_eq!(band(0.5), Some(Band::RoughlyEvenChance));
/// assert_eq!(band(0.05), Some(Band::VeryUnlikely));
/// assert_eq!(band(1.2), None);
/// assert_eq!(band(f64::NAN), None);
/// ```
pub fn band(p: f64) -> Option<Band> {
    if !(0.0..=1.0).contains(&p) {
        return None;
    }
    Some(if p < 0.05 {
        Band::AlmostNoChance
    } else if p < 0.20 {
        Band::VeryUnlikely
    } else if p < 0.45 {
        Band::Unlikely
    } else if p < 0.55 {
        Band::RoughlyEvenChance
    } else if p < 0.80 {
        Band::Likely
    } else if p < 0.95 {
        Band::VeryLikely
    } else {
        Band::AlmostCertain
    })
}

/// The ICD 203 words for probability `p` ("likely", "very unlikely", …), or `None` when `p` is
/// not a probability. Shorthand for `band(p).map(Band::words)`.
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use engines::estimative::estimative_words;
/// assert_eq!(estimative_words(0.7), Some("likely"));
/// assert_eq!(estimative_words(0.999), Some("almost certain"));
/// assert_eq!(estimative_words(-0.1), None);
/// ```
pub fn estimative_words(p: f64) -> Option<&'static str> {
    band(p).map(Band::words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: f64, expected: Option<&str>) {
        assert_eq!(estimative_words(p), expected, "p = {p}");
    }

    // The band edges are from ICD 203's table; each edge belongs to the band above it.
    #[test]
    fn bands_and_their_edges() {
        check(0.0, Some("almost no chance"));
        check(0.01, Some("almost no chance"));
        check(0.049, Some("almost no chance"));
        check(0.05, Some("very unlikely"));
        check(0.19, Some("very unlikely"));
        check(0.20, Some("unlikely"));
        check(0.45, Some("roughly even chance"));
        check(0.55, Some("likely"));
        check(0.80, Some("very likely"));
        check(0.95, Some("almost certain"));
        check(1.0, Some("almost certain"));
    }

    #[test]
    fn err_not_a_probability() {
        check(f64::NAN, None);
        check(f64::INFINITY, None);
        check(-0.01, None);
        check(1.01, None);
    }
}
