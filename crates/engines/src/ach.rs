//! Analysis of Competing Hypotheses (ACH): hypotheses scored against rated evidence, with
//! diagnosticity, sensitivity (linchpins), an evidence timeline and indicators to watch.
//!
//! Brief overview:
//! - An analyst rates every evidence item against every hypothesis on Heuer's scale ([`Rating`]:
//!   CC, C, N, I, II, NA) and gives each item a [`Weight`] for credibility and one for relevance.
//!   [`AchMatrix::new`] checks hypotheses, items ([`Item`]) and ratings once; a matrix is valid
//!   from then on.
//! - [`analyze`] scores the hypotheses under one [`Mode`] (a published scoring rule, or Bayesian
//!   updating) and returns an [`AchResult`]: scores, ranking, leaders, posteriors (Bayes only),
//!   per-item diagnosticity, and on request per-item sensitivity, a timeline by evidence date, and
//!   the indicators whose sighting would move the leading hypothesis most.
//! - Dates are [`IsoDate`]s (`YYYY-MM-DD`, checked), so `--as-of` filtering needs no date crate.
//!
//! Every score in every mode is a sum over evidence items of a contribution that depends only on
//! the item's rating, credibility and relevance. The engine therefore tallies, per hypothesis,
//! how many items fall in each of the 6 × 3 × 3 = 54 (rating, credibility, relevance) classes and
//! computes scores from the tallies. This makes results exactly independent of the order of the
//! evidence, makes ties exact, and makes "remove or reverse one item" (sensitivity) a change of two
//! tallies instead of a rescan. The weighted PARC score, a sum of terms in {2, √2, 1, 1/√2, 1/2},
//! is compared exactly as (a + b√2)/2 with integers a and b.
//!
//! References:
//! - Heuer, R. J. Jr. (1999). *Psychology of Intelligence Analysis*. Center for the Study of
//!   Intelligence, Central Intelligence Agency. Chapter 8, "Analysis of Competing Hypotheses",
//!   pp. 95–110: the matrix, the eight steps, diagnosticity (step 3), refutation rather than
//!   confirmation (step 5), sensitivity to a few linchpin items (step 6) and milestones (step 8).
//! - Palo Alto Research Center and R. J. Heuer Jr. (2005–2006). *ACH 2.0* software and its user
//!   guide: the inconsistency score (I = −1, II = −2, other ratings 0), its weighted variant
//!   (credibility and relevance High = √2, Medium = 1, Low = 1/√2).
//! - Schiller, T. (2016–2018). *Open Synthesis*, an open platform for ACH
//!   (github.com/twschiller/open-synthesis), `openach/metrics.py`: ratings on 1..5 with N/A
//!   as neutral, inconsistency as a sum of squared shortfalls below neutral, and diagnosticity as
//!   the population standard deviation of an item's ratings.
//! - ODNI (2015). *Intelligence Community Directive 203: Analytic Standards*: probabilities are
//!   reported with estimative words, see [`crate::estimative`].

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;

use crate::prec;

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Ratings, weights, dates
// ---------------------------------------------------------------------------------------------

/// How an evidence item bears on a hypothesis, on Heuer's (1999, ch. 8, step 2) scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Rating {
    /// Very consistent: the item is strongly expected if the hypothesis is true.
    CC,
    /// Consistent.
    C,
    /// Neutral: the item neither supports nor undermines the hypothesis.
    N,
    /// Inconsistent.
    I,
    /// Very inconsistent: the item is hard to explain if the hypothesis is true.
    II,
    /// Not applicable: the item does not bear on the hypothesis. Scored as neutral in every mode.
    NA,
}

impl Rating {
    /// All ratings, in the order CC, C, N, I, II, NA.
    pub const ALL: [Rating; 6] =
        [Rating::CC, Rating::C, Rating::N, Rating::I, Rating::II, Rating::NA];

    /// The rating a deceiver would have produced: CC ↔ II, C ↔ I; N and NA stay as they are.
    /// Used by the sensitivity analysis's reversal (Heuer 1999, ch. 8, step 6: "what if this item
    /// were deliberate deception?").
    pub fn reversed(self) -> Rating {
        match self {
            Rating::CC => Rating::II,
            Rating::C => Rating::I,
            Rating::I => Rating::C,
            Rating::II => Rating::CC,
            Rating::N => Rating::N,
            Rating::NA => Rating::NA,
        }
    }

    /// The PARC ACH 2.0 inconsistency value: II = −2, I = −1, every other rating 0.
    pub fn parc_value(self) -> i64 {
        match self {
            Rating::II => -2,
            Rating::I => -1,
            _ => 0,
        }
    }

    /// The Open Synthesis value on 1..5: II = 1, I = 2, N = 3, C = 4, CC = 5, NA treated as 3.
    pub fn scale_value(self) -> i64 {
        match self {
            Rating::II => 1,
            Rating::I => 2,
            Rating::N | Rating::NA => 3,
            Rating::C => 4,
            Rating::CC => 5,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The rating's usual abbreviation (`"CC"`, …, `"NA"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::CC => "CC",
            Rating::C => "C",
            Rating::N => "N",
            Rating::I => "I",
            Rating::II => "II",
            Rating::NA => "NA",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not one of CC, C, N, I, II, NA (or a [`Weight`] name), kept for the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{text}`, expected {expected}")]
pub struct ParseNameError {
    what: &'static str,
    expected: &'static str,
    /// The text that did not parse.
    pub text: String,
}

impl FromStr for Rating {
    type Err = ParseNameError;

    /// Parses `CC`, `C`, `N`, `I`, `II` or `NA`, in any case; `N/A` is accepted for `NA`.
    fn from_str(s: &str) -> Result<Rating, ParseNameError> {
        let t = s.trim();
        Ok(match t.to_ascii_uppercase().as_str() {
            "CC" => Rating::CC,
            "C" => Rating::C,
            "N" => Rating::N,
            "I" => Rating::I,
            "II" => Rating::II,
            "NA" | "N/A" => Rating::NA,
            _ => {
                return Err(ParseNameError {
                    what: "rating",
                    expected: "one of CC, C, N, I, II, NA",
                    text: t.to_string(),
                });
            }
        })
    }
}

/// The credibility or relevance of an evidence item (PARC ACH 2.0's three levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Weight {
    /// High: √2 in `parc-weighted`; discount factor 1 in `bayes`.
    High,
    /// Medium: 1 in `parc-weighted`; discount factor 3/4 in `bayes`.
    Medium,
    /// Low: 1/√2 in `parc-weighted`; discount factor 1/2 in `bayes`.
    Low,
}

impl Weight {
    /// All weights, High first.
    pub const ALL: [Weight; 3] = [Weight::High, Weight::Medium, Weight::Low];

    /// The PARC ACH 2.0 multiplier: High = √2, Medium = 1, Low = 1/√2.
    pub fn parc_factor(self) -> f64 {
        match self {
            Weight::High => std::f64::consts::SQRT_2,
            Weight::Medium => 1.0,
            Weight::Low => std::f64::consts::FRAC_1_SQRT_2,
        }
    }

    /// The probability that an item of this credibility (or relevance) is genuine, used by the
    /// `bayes` discount: High = 1, Medium = 3/4, Low = 1/2 (statecraft's choice; see [`Mode::Bayes`]).
    pub fn reliability(self) -> f64 {
        match self {
            Weight::High => 1.0,
            Weight::Medium => 0.75,
            Weight::Low => 0.5,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// `"High"`, `"Medium"` or `"Low"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Weight::High => "High",
            Weight::Medium => "Medium",
            Weight::Low => "Low",
        }
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Weight {
    type Err = ParseNameError;

    /// Parses `High`, `Medium` or `Low` (or `H`, `M`, `L`), in any case.
    fn from_str(s: &str) -> Result<Weight, ParseNameError> {
        let t = s.trim();
        Ok(match t.to_ascii_lowercase().as_str() {
            "high" | "h" => Weight::High,
            "medium" | "m" => Weight::Medium,
            "low" | "l" => Weight::Low,
            _ => {
                return Err(ParseNameError {
                    what: "weight",
                    expected: "one of High, Medium, Low",
                    text: t.to_string(),
                });
            }
        })
    }
}

/// A calendar date written `YYYY-MM-DD` (ISO 8601, proleptic Gregorian), checked on parsing.
/// Dates order chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not an [`IsoDate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not ten characters of the form `YYYY-MM-DD` with digits.
    #[error("`{0}` is not a date of the form YYYY-MM-DD")]
    Shape(String),
    /// The month is not 1..=12 or the day does not exist in that month.
    #[error("`{0}` is not a calendar date")]
    NoSuchDay(String),
}

impl IsoDate {
    /// The earliest date, 0000-01-01.
    pub const MIN: IsoDate = IsoDate { year: 0, month: 1, day: 1 };

    /// The date `year-month-day`, or `None` if no such day exists (February 29 only in leap years).
    pub fn new(year: u16, month: u8, day: u8) -> Option<IsoDate> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(IsoDate { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl FromStr for IsoDate {
    type Err = DateError;

    /// Parses `YYYY-MM-DD` exactly (four-digit year, two-digit month and day).
    fn from_str(s: &str) -> Result<IsoDate, DateError> {
        let t = s.trim();
        let b = t.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
            return Err(DateError::Shape(t.to_string()));
        }
        if !digits(8..10) {
            return Err(DateError::Shape(t.to_string()));
        }
        let num =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        // Month and day have two digits, so they fit in u8.
        IsoDate::new(y, m as u8, d as u8).ok_or_else(|| DateError::NoSuchDay(t.to_string()))
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// ---------------------------------------------------------------------------------------------
// The checked input
// ---------------------------------------------------------------------------------------------

/// One row of the matrix: an evidence item (or an indicator not yet seen) with its weights and
/// its rating against each hypothesis, in the order of [`AchMatrix::new`]'s `hypotheses`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The item's id, unique among evidence (or among indicators).
    pub id: String,
    /// How far the source can be trusted.
    pub credibility: Weight,
    /// How much the item bears on the question.
    pub relevance: Weight,
    /// When the item became known; `None` means known throughout (it is used at every date).
    pub date: Option<IsoDate>,
    /// One rating per hypothesis.
    pub ratings: Vec<Rating>,
}

/// Which list an item belongs to, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ItemKind {
    /// An evidence item (index into the evidence list).
    Evidence,
    /// An indicator (index into the indicator list).
    Indicator,
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ItemKind::Evidence => "evidence item",
            ItemKind::Indicator => "indicator",
        })
    }
}

/// Why [`AchMatrix::new`] rejected its input. Indices are 0-based positions in the lists given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// There are no hypotheses.
    #[error("the matrix has no hypotheses")]
    NoHypotheses,
    /// There are no evidence items.
    #[error("the matrix has no evidence items")]
    NoEvidence,
    /// A hypothesis id is empty (or only blanks).
    #[error("hypothesis {hypothesis} has an empty id")]
    EmptyHypothesisId {
        /// The hypothesis.
        hypothesis: usize,
    },
    /// Two hypotheses have the same id.
    #[error("hypotheses {first} and {second} have the same id `{id}`")]
    DuplicateHypothesis {
        /// The first with this id.
        first: usize,
        /// The second with this id.
        second: usize,
        /// The id.
        id: String,
    },
    /// An item's id is empty (or only blanks).
    #[error("{kind} {item} has an empty id")]
    EmptyItemId {
        /// Evidence or indicator.
        kind: ItemKind,
        /// The item.
        item: usize,
    },
    /// Two items of the same kind have the same id.
    #[error("{kind}s {first} and {second} have the same id `{id}`")]
    DuplicateItem {
        /// Evidence or indicator.
        kind: ItemKind,
        /// The first with this id.
        first: usize,
        /// The second with this id.
        second: usize,
        /// The id.
        id: String,
    },
    /// An item has more or fewer ratings than there are hypotheses. More ratings than hypotheses
    /// is a rating for a hypothesis that does not exist.
    #[error("{kind} `{id}` has {found} ratings but there are {expected} hypotheses")]
    RatingCount {
        /// Evidence or indicator.
        kind: ItemKind,
        /// The item.
        item: usize,
        /// The item's id.
        id: String,
        /// How many ratings it has.
        found: usize,
        /// How many hypotheses there are.
        expected: usize,
    },
}

/// A checked ACH matrix: hypotheses, evidence items rated against each, and indicators (items
/// that might yet be seen, rated the same way).
#[derive(Debug, Clone, PartialEq)]
pub struct AchMatrix {
    hypotheses: Vec<String>,
    evidence: Vec<Item>,
    indicators: Vec<Item>,
}

impl AchMatrix {
    /// Checks and builds a matrix.
    ///
    /// # Errors
    /// [`MatrixError`]: no hypotheses, no evidence, an empty or duplicate id, or an item whose
    /// number of ratings differs from the number of hypotheses.
    ///
    /// # Complexity
    /// O((m + n) log(m + n) + n m) for m hypotheses and n items.
    ///
    /// # Example
    /// ```
    /// use engines::ach::{AchMatrix, Item, MatrixError, Rating, Weight};
    /// let e = |ratings: Vec<Rating>| Item {
    ///     id: "E1".into(), credibility: Weight::High, relevance: Weight::High, date: None, ratings,
    /// };
    /// let m = AchMatrix::new(vec!["H1".into(), "H2".into()], vec![e(vec![Rating::C, Rating::I])], vec![]);
    /// assert!(m.is_ok());
    /// // A third rating is a rating for a hypothesis that does not exist.
    /// let bad = AchMatrix::new(
    ///     vec!["H1".into(), "H2".into()],
    ///     vec![e(vec![Rating::C, Rating::I, Rating::N])],
    ///     vec![],
    /// );
    /// assert!(matches!(bad, Err(MatrixError::RatingCount { item: 0, found: 3, expected: 2, .. })));
    /// ```
    pub fn new(
        hypotheses: Vec<String>,
        evidence: Vec<Item>,
        indicators: Vec<Item>,
    ) -> Result<AchMatrix, MatrixError> {
        if hypotheses.is_empty() {
            return Err(MatrixError::NoHypotheses);
        }
        if evidence.is_empty() {
            return Err(MatrixError::NoEvidence);
        }
        if let Some(h) = hypotheses.iter().position(|h| h.trim().is_empty()) {
            return Err(MatrixError::EmptyHypothesisId { hypothesis: h });
        }
        if let Some((first, second)) = first_duplicate(hypotheses.iter().map(String::as_str)) {
            let id = hypotheses[first].clone();
            return Err(MatrixError::DuplicateHypothesis { first, second, id });
        }
        for (kind, items) in [(ItemKind::Evidence, &evidence), (ItemKind::Indicator, &indicators)] {
            if let Some(item) = items.iter().position(|e| e.id.trim().is_empty()) {
                return Err(MatrixError::EmptyItemId { kind, item });
            }
            if let Some((first, second)) = first_duplicate(items.iter().map(|e| e.id.as_str())) {
                let id = items[first].id.clone();
                return Err(MatrixError::DuplicateItem { kind, first, second, id });
            }
            if let Some(item) = items.iter().position(|e| e.ratings.len() != hypotheses.len()) {
                return Err(MatrixError::RatingCount {
                    kind,
                    item,
                    id: items[item].id.clone(),
                    found: items[item].ratings.len(),
                    expected: hypotheses.len(),
                });
            }
        }
        Ok(AchMatrix { hypotheses, evidence, indicators })
    }

    /// The hypothesis ids, in input order.
    pub fn hypotheses(&self) -> &[String] {
        &self.hypotheses
    }

    /// The evidence items, in input order.
    pub fn evidence(&self) -> &[Item] {
        &self.evidence
    }

    /// The indicators, in input order.
    pub fn indicators(&self) -> &[Item] {
        &self.indicators
    }
}

/// The first pair `(i, j)`, `i < j`, of equal strings (by the later index `j`), if any.
fn first_duplicate<'a>(ids: impl Iterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut seen: Vec<(&str, usize)> = ids.enumerate().map(|(i, s)| (s, i)).collect();
    seen.sort_unstable();
    seen.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| (w[0].1, w[1].1)).min_by_key(|p| p.1)
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/// How hypotheses are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Mode {
    /// PARC ACH 2.0 inconsistency score: Σ over items of II = −2, I = −1, any other rating 0.
    /// Scores are ≤ 0; the hypothesis closest to 0 (least inconsistent) leads. Consistent
    /// ratings never add support (Heuer 1999, ch. 8, step 5: seek to refute, not to confirm).
    Parc,
    /// PARC ACH 2.0 weighted inconsistency: Σ credibility × relevance × value, with High = √2,
    /// Medium = 1, Low = 1/√2 and the values of [`Mode::Parc`]. Closest to 0 leads.
    ParcWeighted,
    /// Open Synthesis: ratings on 1..5 (II = 1, I = 2, N = NA = 3, C = 4, CC = 5);
    /// inconsistency = Σ (3 − r)² over ratings below 3 and consistency = Σ (r − 3)² over ratings
    /// above 3. Hypotheses are ordered by inconsistency (lowest first), then by consistency
    /// (highest first). The score reported is the inconsistency; weights are not used.
    Shortfall,
    /// Bayesian updating. Each rating gives a likelihood P(e | h) through a [`LikelihoodTable`]
    /// (default [`LikelihoodTable::standard`]). An item is discounted by its reliability
    /// w = credibility.reliability() × relevance.reliability() (High 1, Medium 3/4, Low 1/2):
    /// with probability w it is genuine and has likelihood L, and with probability 1 − w it would
    /// have been reported whatever the truth (likelihood 1), so the likelihood used is
    /// L' = w·L + (1 − w). Items are taken as conditionally independent given the hypothesis,
    /// so the posterior is P(h | E) ∝ P(h) Π L'(e, h), with priors from [`BayesSettings`]
    /// (uniform by default). The score reported is the posterior probability; this is the only
    /// mode whose scores are probabilities.
    Bayes,
}

impl Mode {
    /// The name used on the command line and in JSON (`parc`, `parc-weighted`, `shortfall`, `bayes`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Parc => "parc",
            Mode::ParcWeighted => "parc-weighted",
            Mode::Shortfall => "shortfall",
            Mode::Bayes => "bayes",
        }
    }
}

/// The likelihood P(e | h) of an item rated CC, C, N, I, II or NA against h.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LikelihoodTable {
    values: [f64; 6],
}

/// Why a [`LikelihoodTable`] was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LikelihoodError {
    /// A likelihood is not a number in [0, 1].
    #[error("the likelihood for {rating} is {value}, which is not in [0, 1]")]
    OutOfRange {
        /// The rating.
        rating: Rating,
        /// Its value.
        value: f64,
    },
}

impl LikelihoodTable {
    /// statecraft's default table: CC = 0.9, C = 0.7, N = 0.5, I = 0.3, II = 0.1, NA = 0.5.
    ///
    /// Heuer (1999) gives ratings, not numbers; this table is statecraft's own choice. It is
    /// symmetric about 0.5, so reversing every rating inverts every likelihood ratio's direction
    /// and N and NA carry no information; a single CC-against-II item is a likelihood ratio of 9
    /// and a C-against-I item one of 7/3, so a handful of strong items can lead but never
    /// make a hypothesis impossible (no entry is 0).
    pub fn standard() -> LikelihoodTable {
        LikelihoodTable { values: [0.9, 0.7, 0.5, 0.3, 0.1, 0.5] }
    }

    /// A table with `values[k]` the likelihood of rating `Rating::ALL[k]` (CC, C, N, I, II, NA).
    ///
    /// # Errors
    /// [`LikelihoodError::OutOfRange`] if a value is NaN or outside [0, 1].
    ///
    /// # Example
    /// ```
    /// use engines::ach::LikelihoodTable;
    /// assert!(LikelihoodTable::new([1.0, 0.8, 0.5, 0.2, 0.0, 0.5]).is_ok());
    /// assert!(LikelihoodTable::new([1.2, 0.8, 0.5, 0.2, 0.0, 0.5]).is_err());
    /// ```
    pub fn new(values: [f64; 6]) -> Result<LikelihoodTable, LikelihoodError> {
        for (k, &value) in values.iter().enumerate() {
            if !(0.0..=1.0).contains(&value) {
                return Err(LikelihoodError::OutOfRange { rating: Rating::ALL[k], value });
            }
        }
        Ok(LikelihoodTable { values })
    }

    /// The likelihood of `rating`.
    pub fn get(&self, rating: Rating) -> f64 {
        self.values[rating.index()]
    }
}

/// Prior probabilities of the hypotheses, for [`Mode::Bayes`].
#[derive(Debug, Clone, PartialEq)]
pub enum Priors {
    /// Every hypothesis equally likely a priori.
    Uniform,
    /// One prior per hypothesis, in the matrix's order; each in [0, 1], summing to 1 within
    /// [`prec::PROB_SUM`].
    Given(Vec<f64>),
}

/// The settings of [`Mode::Bayes`] (ignored by the other modes).
#[derive(Debug, Clone, PartialEq)]
pub struct BayesSettings {
    /// Rating → likelihood.
    pub likelihoods: LikelihoodTable,
    /// Prior probabilities.
    pub priors: Priors,
}

/// Whether to run the sensitivity analysis (remove or reverse each item in turn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// Do not.
    Skip,
    /// Do.
    Run,
}

/// Whether to compute the timeline (scores after each evidence date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeline {
    /// Do not.
    Skip,
    /// Do.
    Run,
}

/// What [`analyze`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct AchOptions {
    /// The scoring rule.
    pub mode: Mode,
    /// Used when `mode` is [`Mode::Bayes`].
    pub bayes: BayesSettings,
    /// Use only items dated on or before this date (undated items are always used).
    pub as_of: Option<IsoDate>,
    /// Whether to run the sensitivity analysis.
    pub sensitivity: Sensitivity,
    /// Whether to compute the timeline.
    pub timeline: Timeline,
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/// The diagnosticity of one evidence item (Heuer 1999, ch. 8, step 3).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Diagnosticity {
    /// The evidence item (index into [`AchMatrix::evidence`]).
    pub evidence: usize,
    /// Population standard deviation of the item's ratings across hypotheses on the 1..5 scale
    /// of [`Rating::scale_value`] (NA as neutral), as Open Synthesis computes it.
    pub std_dev: f64,
    /// [`Mode::Bayes`] only: the largest |ln (L'(e, h) / L'(e, k))| over pairs of hypotheses.
    /// `None` in other modes, and when some but not all hypotheses have likelihood 0 (the ratio
    /// is infinite: the item rules a hypothesis out).
    pub max_log_lr: Option<f64>,
    /// `false` when the item cannot tell any two hypotheses apart: all its ratings score alike
    /// (standard deviation 0), or in [`Mode::Bayes`] all its likelihoods are equal. Removing such
    /// an item changes no ranking.
    pub diagnostic: bool,
}

/// The ranking after one change to the evidence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Outcome {
    /// The hypotheses can still be ranked.
    Ranked {
        /// Hypothesis indices, best first.
        ranking: Vec<usize>,
        /// The hypotheses tied for first place (ascending index).
        leaders: Vec<usize>,
        /// Whether `leaders` differs from the unchanged analysis's leaders.
        changes_leader: bool,
    },
    /// [`Mode::Bayes`] only: after the change every hypothesis has posterior 0.
    Impossible,
}

impl Outcome {
    /// Whether this outcome changes who leads.
    pub fn changes_leader(&self) -> bool {
        matches!(self, Outcome::Ranked { changes_leader: true, .. })
    }
}

/// What removing or reversing one evidence item does (Heuer 1999, ch. 8, step 6).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SensitivityRow {
    /// The evidence item (index into [`AchMatrix::evidence`]).
    pub evidence: usize,
    /// The ranking without the item.
    pub removed: Outcome,
    /// The ranking with the item's ratings reversed ([`Rating::reversed`]): what if it were deception?
    pub reversed: Outcome,
}

/// Scores after all evidence known by one date.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TimelineRow {
    /// The date; `None` for the first row when some items are undated (they are known throughout).
    pub date: Option<IsoDate>,
    /// How many evidence items are known by then.
    pub evidence_count: usize,
    /// Per hypothesis, as [`AchResult::scores`].
    pub scores: Vec<f64>,
    /// [`Mode::Bayes`] only: per hypothesis, the posterior.
    pub posteriors: Option<Vec<f64>>,
    /// The hypotheses tied for first place.
    pub leaders: Vec<usize>,
}

/// What seeing one indicator would do to the leading hypothesis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IndicatorEffect {
    /// The indicator (index into [`AchMatrix::indicators`]).
    pub indicator: usize,
    /// The ranking if the indicator were seen, as a new evidence item.
    pub if_seen: Outcome,
    /// The change of the current leader's score if the indicator were seen: its posterior in
    /// [`Mode::Bayes`], its score in the other modes. `None` if seeing it would be impossible.
    pub leader_shift: Option<f64>,
    /// [`Mode::Bayes`] only: the expected absolute change of the leader's posterior,
    /// P(seen)·|Δ if seen| + P(not seen)·|Δ if not seen|, with P(seen) = Σ_h P(h | E) L'(i, h)
    /// and P(not seen | h) = 1 − L'(i, h).
    pub expected_shift: Option<f64>,
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AchResult {
    /// The scoring rule used.
    pub mode: Mode,
    /// The evidence items used (indices into [`AchMatrix::evidence`], ascending): all of them, or
    /// those known by the `as_of` date.
    pub evidence_used: Vec<usize>,
    /// Per hypothesis: the PARC score (≤ 0, higher is better) in `parc` and `parc-weighted`; the
    /// inconsistency (≥ 0, lower is better) in `shortfall`; the posterior probability in `bayes`.
    pub scores: Vec<f64>,
    /// [`Mode::Shortfall`] only: per hypothesis, the consistency (the tie-breaker, higher is better).
    pub consistency: Option<Vec<f64>>,
    /// [`Mode::Bayes`] only: per hypothesis, the posterior probability (sums to 1).
    pub posteriors: Option<Vec<f64>>,
    /// Hypothesis indices, best first; ties keep input order.
    pub ranking: Vec<usize>,
    /// The hypotheses tied for first place (ascending index).
    pub leaders: Vec<usize>,
    /// One row per evidence item used, in `evidence_used` order.
    pub diagnosticity: Vec<Diagnosticity>,
    /// With [`Sensitivity::Run`]: one row per evidence item used.
    pub sensitivity: Option<Vec<SensitivityRow>>,
    /// With [`Sensitivity::Run`]: the items whose removal or reversal alone changes the leaders.
    pub linchpins: Option<Vec<usize>>,
    /// With [`Timeline::Run`]: one row per distinct date (up to `as_of`).
    pub timeline: Option<Vec<TimelineRow>>,
    /// The indicators, the most consequential first: in `bayes` by expected shift, otherwise
    /// those that would change the leader first, then by |leader shift|.
    pub indicators: Vec<IndicatorEffect>,
}

/// Why [`analyze`] could not score the matrix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AchError {
    /// The priors are not one per hypothesis.
    #[error("there are {found} priors for {expected} hypotheses")]
    PriorCount {
        /// How many were given.
        found: usize,
        /// How many hypotheses there are.
        expected: usize,
    },
    /// A prior is not a number in [0, 1].
    #[error("the prior of hypothesis {hypothesis} is {value}, which is not in [0, 1]")]
    PriorRange {
        /// The hypothesis.
        hypothesis: usize,
        /// Its prior.
        value: f64,
    },
    /// The priors do not sum to 1 within [`prec::PROB_SUM`].
    #[error("the priors sum to {sum}, not 1")]
    PriorSum {
        /// Their sum.
        sum: f64,
    },
    /// No evidence item is dated on or before `as_of` (and none is undated).
    #[error("no evidence is known as of {as_of}")]
    NothingKnownAsOf {
        /// The date asked for.
        as_of: IsoDate,
    },
    /// [`Mode::Bayes`]: after this item every hypothesis has posterior 0 (every hypothesis still
    /// possible gives it likelihood 0), so no posterior exists.
    #[error(
        "evidence item `{id}` has likelihood 0 under every hypothesis still possible, so every posterior is 0"
    )]
    ImpossibleEvidence {
        /// The evidence item (index into [`AchMatrix::evidence`]).
        evidence: usize,
        /// Its id.
        id: String,
    },
}

// ---------------------------------------------------------------------------------------------
// Tallies and scores
// ---------------------------------------------------------------------------------------------

/// Number of (rating, credibility, relevance) classes.
const CLASSES: usize = 6 * 3 * 3;

/// Per hypothesis, how many items fall in each class.
type Tally = [u32; CLASSES];

fn class(rating: Rating, credibility: Weight, relevance: Weight) -> usize {
    (rating.index() * 3 + credibility.index()) * 3 + relevance.index()
}

fn class_parts(c: usize) -> (Rating, Weight, Weight) {
    (Rating::ALL[c / 9], Weight::ALL[(c / 3) % 3], Weight::ALL[c % 3])
}

/// credibility × relevance for `parc-weighted`, as (a, b) with product = (a + b√2)/2.
fn surd_weight(c: Weight, r: Weight) -> (i64, i64) {
    // √2 ↦ (0, 2), 1 ↦ (2, 0), 1/√2 ↦ (0, 1) in halves; products: √2·√2 = 2, √2·1 = √2,
    // √2·(1/√2) = 1, 1·1 = 1, 1·(1/√2) = √2/2, (1/√2)² = 1/2.
    let rank = |w: Weight| match w {
        Weight::High => 0,
        Weight::Medium => 1,
        Weight::Low => 2,
    };
    match rank(c) + rank(r) {
        0 => (4, 0),
        1 => (0, 2),
        2 => (2, 0),
        3 => (0, 1),
        _ => (1, 0),
    }
}

/// A hypothesis's score in a form that compares exactly (or, for Bayes, as well as floats can).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    /// PARC: higher is better.
    Int(i64),
    /// Weighted PARC: (a + b√2)/2, higher is better.
    Surd(i64, i64),
    /// Shortfall: (inconsistency, consistency); lower inconsistency, then higher consistency.
    Pair(i64, i64),
    /// Bayes: ln of the unnormalised posterior (−∞ when impossible); higher is better.
    Log(f64),
}

impl Key {
    /// `Less` when `self` ranks before `other`.
    fn rank_cmp(&self, other: &Key) -> Ordering {
        match (*self, *other) {
            (Key::Int(a), Key::Int(b)) => b.cmp(&a),
            (Key::Surd(a1, b1), Key::Surd(a2, b2)) => surd_cmp(a2 - a1, b1 - b2),
            (Key::Pair(i1, c1), Key::Pair(i2, c2)) => i1.cmp(&i2).then(c2.cmp(&c1)),
            (Key::Log(a), Key::Log(b)) => b.total_cmp(&a),
            // Keys of one analysis are all of one kind.
            _ => Ordering::Equal,
        }
    }

    /// Whether two keys adjacent in a ranking are tied.
    fn tied(&self, other: &Key) -> bool {
        match (*self, *other) {
            (Key::Log(a), Key::Log(b)) => a == b || (a - b).abs() <= prec::LOG_SCORE_TIE,
            _ => self.rank_cmp(other) == Ordering::Equal,
        }
    }

    /// The score shown to users (before Bayes normalisation).
    fn shown(&self) -> f64 {
        match *self {
            Key::Int(v) => v as f64,
            Key::Surd(a, b) => (a as f64 + b as f64 * std::f64::consts::SQRT_2) / 2.0,
            Key::Pair(inconsistency, _) => inconsistency as f64,
            Key::Log(v) => v,
        }
    }
}

/// The sign of x − y√2 for integers x, y, exactly.
fn surd_cmp(x: i64, y: i64) -> Ordering {
    let (x, y) = (i128::from(x), i128::from(y));
    match (x.signum(), y.signum()) {
        (sx, sy) if sx >= 0 && sy <= 0 => {
            if sx == 0 && sy == 0 {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (sx, sy) if sx <= 0 && sy >= 0 => Ordering::Less,
        // Same strict sign: compare x² with 2y², flipped when both are negative.
        (sx, _) => {
            let c = (x * x).cmp(&(2 * y * y));
            if sx > 0 { c } else { c.reverse() }
        }
    }
}

/// Everything scoring needs that does not change between what-if variants.
struct Scorer {
    mode: Mode,
    /// Per class, the mode's contribution of one item (Int: value; Surd: a, b; Pair: incons, cons;
    /// Log: ln L').
    int_a: [i64; CLASSES],
    int_b: [i64; CLASSES],
    log_l: [f64; CLASSES],
    /// ln prior per hypothesis (Bayes).
    log_prior: Vec<f64>,
}

impl Scorer {
    fn new(mode: Mode, likelihoods: &LikelihoodTable, priors: Vec<f64>) -> Scorer {
        let mut int_a = [0; CLASSES];
        let mut int_b = [0; CLASSES];
        let mut log_l = [0.0; CLASSES];
        for c in 0..CLASSES {
            let (rating, cred, rel) = class_parts(c);
            match mode {
                Mode::Parc => int_a[c] = rating.parc_value(),
                Mode::ParcWeighted => {
                    let (a, b) = surd_weight(cred, rel);
                    int_a[c] = a * rating.parc_value();
                    int_b[c] = b * rating.parc_value();
                }
                Mode::Shortfall => {
                    let d = rating.scale_value() - 3;
                    int_a[c] = if d < 0 { d * d } else { 0 };
                    int_b[c] = if d > 0 { d * d } else { 0 };
                }
                Mode::Bayes => log_l[c] = discounted(likelihoods.get(rating), cred, rel).ln(),
            }
        }
        let log_prior = priors.iter().map(|p| p.ln()).collect();
        Scorer { mode, int_a, int_b, log_l, log_prior }
    }

    fn key(&self, h: usize, tally: &Tally) -> Key {
        match self.mode {
            Mode::Parc => Key::Int(dot_i(tally, &self.int_a)),
            Mode::ParcWeighted => Key::Surd(dot_i(tally, &self.int_a), dot_i(tally, &self.int_b)),
            Mode::Shortfall => Key::Pair(dot_i(tally, &self.int_a), dot_i(tally, &self.int_b)),
            Mode::Bayes => {
                // Summed in class order, so the key depends only on the tally; a class with no
                // items adds nothing even if its likelihood is 0 (0 × −∞ would be NaN).
                let mut s = self.log_prior[h];
                for (c, &n) in tally.iter().enumerate() {
                    if n > 0 {
                        s += f64::from(n) * self.log_l[c];
                    }
                }
                Key::Log(s)
            }
        }
    }
}

fn dot_i(tally: &Tally, v: &[i64; CLASSES]) -> i64 {
    tally.iter().zip(v).map(|(&n, &x)| i64::from(n) * x).sum()
}

/// L' = w·L + (1 − w), the `bayes` credibility discount of [`Mode::Bayes`].
fn discounted(l: f64, credibility: Weight, relevance: Weight) -> f64 {
    let w = credibility.reliability() * relevance.reliability();
    w * l + (1.0 - w)
}

/// Ranking (best first, ties in index order) and leaders (tied for first, ascending).
fn rank(keys: &[Key]) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].rank_cmp(&keys[b]).then(a.cmp(&b)));
    // Chain adjacent near-equal Bayes keys into tie groups, then order each group by index, so
    // rounding noise never decides between hypotheses that score the same.
    let mut start = 0;
    let mut leaders = Vec::new();
    for i in 1..=order.len() {
        if i == order.len() || !keys[order[i - 1]].tied(&keys[order[i]]) {
            order[start..i].sort_unstable();
            if start == 0 {
                leaders = order[..i].to_vec();
            }
            start = i;
        }
    }
    (order, leaders)
}

/// Posteriors from Bayes keys, or `None` when every key is −∞.
fn posteriors(keys: &[Key]) -> Option<Vec<f64>> {
    let logs: Vec<f64> = keys.iter().map(Key::shown).collect();
    let max = logs.iter().copied().filter(|v| v.is_finite()).reduce(f64::max)?;
    let w: Vec<f64> =
        logs.iter().map(|&v| if v.is_finite() { (v - max).exp() } else { 0.0 }).collect();
    let total: f64 = w.iter().sum();
    Some(w.into_iter().map(|x| x / total).collect())
}

// ---------------------------------------------------------------------------------------------
// The analysis
// ---------------------------------------------------------------------------------------------

/// Scores and ranks competing hypotheses against the evidence (Heuer's Analysis of Competing
/// Hypotheses), with diagnosticity, and on request sensitivity, a timeline and indicators.
///
/// Method: Heuer (1999), *Psychology of Intelligence Analysis*, ch. 8, steps 2–8, with the
/// scoring rule of [`Mode`]: PARC ACH 2.0's inconsistency score (plain or weighted), Open
/// Synthesis's shortfall scores, or Bayesian updating with the likelihood table and credibility
/// discount documented at [`Mode::Bayes`]. Items dated after `options.as_of` are left out.
/// Diagnosticity is the population standard deviation of an item's ratings (Open Synthesis) and,
/// in `bayes`, the largest |ln likelihood ratio| between two hypotheses. Sensitivity removes,
/// then reverses ([`Rating::reversed`]), each item in turn and reports the linchpins: the items
/// whose single change alters who leads. The timeline rescores after each evidence date.
/// Indicators are scored as if seen next.
///
/// # Errors
/// [`AchError`]: priors of the wrong number, out of range or not summing to 1 (`bayes`), no
/// evidence known by `as_of`, or (`bayes`) an item that every remaining hypothesis gives
/// likelihood 0, so that every posterior would be 0.
///
/// # Complexity
/// O(n m) to tally n items against m hypotheses; then O(m log m) per what-if (54 m to rescore):
/// sensitivity is O(n m log m), parallel over items; the timeline O(d m log m) for d dates.
/// Results do not depend on the number of threads.
///
/// # Example
/// ```
/// use engines::ach::*;
/// let item = |id: &str, ratings: Vec<Rating>| Item {
///     id: id.into(), credibility: Weight::High, relevance: Weight::Medium, date: None, ratings,
/// };
/// let matrix = AchMatrix::new(
///     vec!["H1".into(), "H2".into()],
///     vec![item("E1", vec![Rating::C, Rating::II]), item("E2", vec![Rating::I, Rating::N])],
///     vec![],
/// )
/// .unwrap();
/// let mut options = AchOptions {
///     mode: Mode::Parc,
///     bayes: BayesSettings { likelihoods: LikelihoodTable::standard(), priors: Priors::Uniform },
///     as_of: None,
///     sensitivity: Sensitivity::Skip,
///     timeline: Timeline::Skip,
/// };
/// let result = analyze(&matrix, &options).unwrap();
/// assert_eq!(result.scores, vec![-1.0, -2.0]); // H1: I = −1; H2: II = −2
/// assert_eq!(result.ranking, vec![0, 1]);
///
/// // Degenerate: priors that do not sum to 1.
/// options.mode = Mode::Bayes;
/// options.bayes.priors = Priors::Given(vec![0.5, 0.6]);
/// assert!(matches!(analyze(&matrix, &options), Err(AchError::PriorSum { .. })));
/// ```
pub fn analyze(matrix: &AchMatrix, options: &AchOptions) -> Result<AchResult, AchError> {
    let m = matrix.hypotheses.len();
    let priors = match options.mode {
        Mode::Bayes => check_priors(&options.bayes.priors, m)?,
        _ => vec![1.0 / m as f64; m],
    };
    let scorer = Scorer::new(options.mode, &options.bayes.likelihoods, priors);

    let used: Vec<usize> = (0..matrix.evidence.len())
        .filter(|&e| match (options.as_of, matrix.evidence[e].date) {
            (Some(as_of), Some(date)) => date <= as_of,
            _ => true,
        })
        .collect();
    if used.is_empty() {
        if let Some(as_of) = options.as_of {
            return Err(AchError::NothingKnownAsOf { as_of });
        }
    }

    let mut tallies: Vec<Tally> = vec![[0; CLASSES]; m];
    for &e in &used {
        add(&mut tallies, &matrix.evidence[e]);
    }
    let keys: Vec<Key> = (0..m).map(|h| scorer.key(h, &tallies[h])).collect();
    let posteriors = match options.mode {
        Mode::Bayes => Some(posteriors(&keys).ok_or_else(|| impossible(matrix, &used, &scorer))?),
        _ => None,
    };
    let (ranking, leaders) = rank(&keys);
    let scores = match &posteriors {
        Some(p) => p.clone(),
        None => keys.iter().map(Key::shown).collect(),
    };
    let consistency = match options.mode {
        Mode::Shortfall => Some(
            keys.iter()
                .map(|k| match k {
                    Key::Pair(_, c) => *c as f64,
                    _ => 0.0,
                })
                .collect(),
        ),
        _ => None,
    };

    let diagnosticity =
        used.iter().map(|&e| diagnosticity(e, &matrix.evidence[e], &scorer)).collect();

    let base = Base { scorer: &scorer, tallies: &tallies, leaders: &leaders };
    let sensitivity = match options.sensitivity {
        Sensitivity::Skip => None,
        Sensitivity::Run => Some(
            used.par_iter()
                .map(|&e| {
                    let item = &matrix.evidence[e];
                    let removed = base.what_if(|h, t| {
                        t[class(item.ratings[h], item.credibility, item.relevance)] -= 1
                    });
                    let reversed = base.what_if(|h, t| {
                        t[class(item.ratings[h], item.credibility, item.relevance)] -= 1;
                        t[class(item.ratings[h].reversed(), item.credibility, item.relevance)] += 1;
                    });
                    SensitivityRow { evidence: e, removed: removed.0, reversed: reversed.0 }
                })
                .collect::<Vec<_>>(),
        ),
    };
    let linchpins = sensitivity.as_ref().map(|rows| {
        rows.iter()
            .filter(|r| r.removed.changes_leader() || r.reversed.changes_leader())
            .map(|r| r.evidence)
            .collect()
    });

    let timeline = match options.timeline {
        Timeline::Skip => None,
        Timeline::Run => Some(timeline(matrix, &used, &scorer)),
    };

    let indicators = indicator_effects(matrix, &base, &keys, &ranking, posteriors.as_deref());

    Ok(AchResult {
        mode: options.mode,
        evidence_used: used,
        scores,
        consistency,
        posteriors,
        ranking,
        leaders,
        diagnosticity,
        sensitivity,
        linchpins,
        timeline,
        indicators,
    })
}

fn check_priors(priors: &Priors, m: usize) -> Result<Vec<f64>, AchError> {
    match priors {
        Priors::Uniform => Ok(vec![1.0 / m as f64; m]),
        Priors::Given(p) => {
            if p.len() != m {
                return Err(AchError::PriorCount { found: p.len(), expected: m });
            }
            if let Some(h) = p.iter().position(|v| !(0.0..=1.0).contains(v)) {
                return Err(AchError::PriorRange { hypothesis: h, value: p[h] });
            }
            let sum: f64 = p.iter().sum();
            if (sum - 1.0).abs() > prec::PROB_SUM {
                return Err(AchError::PriorSum { sum });
            }
            Ok(p.clone())
        }
    }
}

fn add(tallies: &mut [Tally], item: &Item) {
    for (h, &r) in item.ratings.iter().enumerate() {
        tallies[h][class(r, item.credibility, item.relevance)] += 1;
    }
}

/// The item after which no hypothesis remains possible (Bayes), for the error.
fn impossible(matrix: &AchMatrix, used: &[usize], scorer: &Scorer) -> AchError {
    let mut alive: Vec<bool> = scorer.log_prior.iter().map(|p| p.is_finite()).collect();
    let mut last = used.first().copied().unwrap_or(0);
    for &e in used {
        let item = &matrix.evidence[e];
        for (h, a) in alive.iter_mut().enumerate() {
            if scorer.log_l[class(item.ratings[h], item.credibility, item.relevance)]
                == f64::NEG_INFINITY
            {
                *a = false;
            }
        }
        last = e;
        if !alive.iter().any(|&a| a) {
            break;
        }
    }
    AchError::ImpossibleEvidence { evidence: last, id: matrix.evidence[last].id.clone() }
}

fn diagnosticity(e: usize, item: &Item, scorer: &Scorer) -> Diagnosticity {
    let m = item.ratings.len() as i64;
    let (sum, sum_sq) = item.ratings.iter().fold((0i64, 0i64), |(s, q), r| {
        let v = r.scale_value();
        (s + v, q + v * v)
    });
    // Population variance = (m Σv² − (Σv)²) / m², exact in integers before the division.
    let num = m * sum_sq - sum * sum;
    let std_dev = (num as f64).sqrt() / m as f64;
    let (max_log_lr, diagnostic) = match scorer.mode {
        Mode::Bayes => {
            let logs = item
                .ratings
                .iter()
                .map(|&r| scorer.log_l[class(r, item.credibility, item.relevance)]);
            let hi = logs.clone().fold(f64::NEG_INFINITY, f64::max);
            let lo = logs.fold(f64::INFINITY, f64::min);
            if hi == lo {
                (Some(0.0), false)
            } else if lo == f64::NEG_INFINITY {
                (None, true)
            } else {
                (Some(hi - lo), true)
            }
        }
        _ => (None, num != 0),
    };
    Diagnosticity { evidence: e, std_dev, max_log_lr, diagnostic }
}

/// The unchanged analysis, for what-if variants.
struct Base<'a> {
    scorer: &'a Scorer,
    tallies: &'a [Tally],
    leaders: &'a [usize],
}

impl Base<'_> {
    /// The outcome (and keys) after `change(h, tally)` is applied to every hypothesis's tally.
    fn what_if(&self, change: impl Fn(usize, &mut Tally)) -> (Outcome, Vec<Key>) {
        let keys: Vec<Key> = self
            .tallies
            .iter()
            .enumerate()
            .map(|(h, t)| {
                let mut t = *t;
                change(h, &mut t);
                self.scorer.key(h, &t)
            })
            .collect();
        if self.scorer.mode == Mode::Bayes && keys.iter().all(|k| k.shown() == f64::NEG_INFINITY) {
            return (Outcome::Impossible, keys);
        }
        let (ranking, leaders) = rank(&keys);
        let changes_leader = leaders != self.leaders;
        (Outcome::Ranked { ranking, leaders, changes_leader }, keys)
    }
}

fn timeline(matrix: &AchMatrix, used: &[usize], scorer: &Scorer) -> Vec<TimelineRow> {
    let m = matrix.hypotheses.len();
    let mut order: Vec<usize> = used.to_vec();
    // Undated items (None) sort first: they are known throughout.
    order.sort_by_key(|&e| (matrix.evidence[e].date, e));
    let mut tallies: Vec<Tally> = vec![[0; CLASSES]; m];
    let mut rows = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let date = matrix.evidence[order[i]].date;
        while i < order.len() && matrix.evidence[order[i]].date == date {
            add(&mut tallies, &matrix.evidence[order[i]]);
            i += 1;
        }
        let keys: Vec<Key> = (0..m).map(|h| scorer.key(h, &tallies[h])).collect();
        let posteriors = match scorer.mode {
            // A prefix of the evidence cannot be impossible when the whole of it is not.
            Mode::Bayes => posteriors(&keys),
            _ => None,
        };
        let scores = match &posteriors {
            Some(p) => p.clone(),
            None => keys.iter().map(Key::shown).collect(),
        };
        let (_, leaders) = rank(&keys);
        rows.push(TimelineRow { date, evidence_count: i, scores, posteriors, leaders });
    }
    rows
}

fn indicator_effects(
    matrix: &AchMatrix,
    base: &Base<'_>,
    keys: &[Key],
    ranking: &[usize],
    posteriors: Option<&[f64]>,
) -> Vec<IndicatorEffect> {
    let leader = ranking[0];
    let mut effects: Vec<IndicatorEffect> = matrix
        .indicators
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let cls = |h: usize| class(item.ratings[h], item.credibility, item.relevance);
            let (if_seen, new_keys) = base.what_if(|h, t| t[cls(h)] += 1);
            let (leader_shift, expected_shift) = match posteriors {
                None => (Some(new_keys[leader].shown() - keys[leader].shown()), None),
                Some(p) => {
                    let l: Vec<f64> =
                        (0..p.len()).map(|h| base.scorer.log_l[cls(h)].exp()).collect();
                    let p_seen: f64 = p.iter().zip(&l).map(|(p, l)| p * l).sum();
                    let p_not = 1.0 - p_seen;
                    let seen = (p_seen > 0.0).then(|| p[leader] * l[leader] / p_seen - p[leader]);
                    let not =
                        (p_not > 0.0).then(|| p[leader] * (1.0 - l[leader]) / p_not - p[leader]);
                    let expected = p_seen * seen.map_or(0.0, f64::abs)
                        + p_not.max(0.0) * not.map_or(0.0, f64::abs);
                    (seen, Some(expected))
                }
            };
            IndicatorEffect { indicator: i, if_seen, leader_shift, expected_shift }
        })
        .collect();
    // Bayes: the largest expected shift first. Other modes have no probabilities to take an
    // expectation with, so those that would change the leader come first, then |shift|.
    let changes = |e: &IndicatorEffect| posteriors.is_none() && e.if_seen.changes_leader();
    let weight = |e: &IndicatorEffect| match e.expected_shift {
        Some(x) => x,
        None => e.leader_shift.map_or(0.0, f64::abs),
    };
    effects.sort_by(|a, b| {
        changes(b)
            .cmp(&changes(a))
            .then(weight(b).total_cmp(&weight(a)))
            .then(a.indicator.cmp(&b.indicator))
    });
    effects
}
