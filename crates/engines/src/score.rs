//! Scoring rules for probability forecasts: how good a forecast was, once the question resolved.
//!
//! Brief overview: a forecast is a [`Distribution`] over a question's categories; what happened
//! is another [`Distribution`] over the same categories, crisp ([`Distribution::certain`]) or
//! soft (a judgment call, weights over several categories). Three scores compare the two:
//!
//! - [`brier`]: Brier's (1950) probability score, the sum over categories of squared
//!   differences, in [0, 2];
//! - [`log_score`]: the logarithmic score, the natural log of the probability given to what
//!   happened (Good 1952), in (−∞, 0];
//! - [`baseline`]: the same in bits, relative to a uniform forecast over the categories.
//!
//! Many forecasts are judged together by pooling every probability they gave to every category
//! as a [`Binary`] item ("this category happens, with probability f"): [`calibration`] gives the
//! reliability table (the data of a reliability chart) and [`decompose`] the Murphy (1973)
//! decomposition of the pooled Brier score into reliability, resolution and uncertainty.
//!
//! # Soft resolutions
//!
//! A soft resolution `q` is scored by the **expectation of the score under `q`**: the score the
//! forecast would get on average if the outcome were drawn from `q`. For the log and baseline
//! scores this is `Σ_k q_k·S(p, k)`. For Brier's score it has a closed form: with `o` the one-hot
//! vector of the drawn category, `E[(p_k − o_k)²] = (p_k − q_k)² + q_k(1 − q_k)`, so
//!
//! ```text
//! E_q[BS(p)] = Σ_k (p_k − q_k)² + Σ_k q_k(1 − q_k) = Σ_k (p_k − q_k)² + 1 − Σ_k q_k²
//! ```
//!
//! The rule keeps the scores proper (a forecaster who believes `q` minimises the expected
//! score by issuing `q`, Gneiting & Raftery 2007, section 2), reduces to the crisp score when `q`
//! is one-hot, and charges the resolution's own uncertainty (`1 − Σ q_k²`) to every forecast
//! alike. Plugging `q` into the squared error alone, `Σ_k (p_k − q_k)²`, would instead reward a
//! forecast for matching the resolver's hesitation, which is not what was forecast.
//!
//! The Murphy decomposition holds exactly for the expected Brier score with soft outcomes, with
//! the observed frequency of a bin read as the mean of its `q`: the within-bin variance of `q`
//! that a plug-in would leave over is exactly what the `q(1 − q)` terms add back
//! (derivation in [`decompose`]).
//!
//! # References
//! - Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
//!   *Monthly Weather Review* 78(1), 1–3. doi:10.1175/1520-0493(1950)078<0001:VOFEIT>2.0.CO;2.
//!   The score is its equation (1), `P = (1/n) Σ_j Σ_i (f_ij − E_ij)²`, summed over all `r`
//!   categories, so that it runs from 0 (perfect) to 2 (certain and wrong).
//! - Murphy, A. H. (1973). A new vector partition of the probability score. *Journal of
//!   Applied Meteorology* 12(4), 595–600. doi:10.1175/1520-0450(1973)012<0595:ANVPOT>2.0.CO;2.
//! - Stephenson, D. B., Coelho, C. A. S. & Jolliffe, I. T. (2008). Two extra components in the
//!   Brier score decomposition. *Weather and Forecasting* 23(4), 752–757.
//!   doi:10.1175/2007WAF2006116.1. The within-bin terms when forecasts are binned.
//! - Good, I. J. (1952). Rational decisions. *Journal of the Royal Statistical Society B* 14(1),
//!   107–114. The logarithmic score.
//! - Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
//!   estimation. *Journal of the American Statistical Association* 102(477), 359–378.
//!   doi:10.1198/016214506000001437.
//! - Metaculus, "Scores FAQ", section "What is the Baseline score?"
//!   (<https://www.metaculus.com/help/scores-faq/>): the log score relative to a uniform
//!   forecast, in bits, which Metaculus then scales.

use crate::prec;

/// Why a forecast or an outcome cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// A distribution has no categories.
    #[error("a distribution needs at least one category")]
    Empty,
    /// A probability is NaN, infinite, below 0 or above 1.
    #[error("probability {index} is {value}, not a number between 0 and 1")]
    Probability {
        /// Which category.
        index: usize,
        /// The value given.
        value: f64,
    },
    /// The probabilities do not sum to 1 (within [`prec::PROB_SUM`]).
    #[error("the probabilities sum to {sum}, not 1")]
    Sum {
        /// Their sum.
        sum: f64,
    },
    /// A crisp outcome names a category the question does not have.
    #[error("category {index} does not exist: the question has {categories}")]
    Category {
        /// The category named.
        index: usize,
        /// How many there are.
        categories: usize,
    },
    /// The forecast and the outcome have different numbers of categories.
    #[error("the forecast has {forecast} categories and the outcome {outcome}")]
    Lengths {
        /// The forecast's categories.
        forecast: usize,
        /// The outcome's categories.
        outcome: usize,
    },
    /// A weight is NaN, infinite or negative.
    #[error("weight {value} is not a finite number of at least 0")]
    Weight {
        /// The value given.
        value: f64,
    },
    /// An equal-width binning with no bins.
    #[error("a calibration table needs at least one bin")]
    NoBins,
}

/// A probability distribution over a question's categories: each entry finite and in [0, 1],
/// the entries summing to 1 within [`prec::PROB_SUM`]. Kept exactly as given (not
/// renormalised), so that a hand-computed score is reproduced to the last bit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Distribution(Vec<f64>);

impl Distribution {
    /// Checks and wraps a distribution.
    ///
    /// # Errors
    /// [`ScoreError::Empty`], [`ScoreError::Probability`] for an entry that is not a
    /// probability, [`ScoreError::Sum`] when they do not sum to 1.
    pub fn new(p: Vec<f64>) -> Result<Distribution, ScoreError> {
        if p.is_empty() {
            return Err(ScoreError::Empty);
        }
        if let Some((index, &value)) =
            p.iter().enumerate().find(|(_, x)| !(x.is_finite() && (0.0..=1.0).contains(*x)))
        {
            return Err(ScoreError::Probability { index, value });
        }
        let sum: f64 = p.iter().sum();
        if (sum - 1.0).abs() > prec::PROB_SUM {
            return Err(ScoreError::Sum { sum });
        }
        Ok(Distribution(p))
    }

    /// The crisp outcome: all weight on category `index` of `categories`.
    ///
    /// # Errors
    /// [`ScoreError::Category`] when `index` is not below `categories`.
    pub fn certain(index: usize, categories: usize) -> Result<Distribution, ScoreError> {
        if index >= categories {
            return Err(ScoreError::Category { index, categories });
        }
        let mut p = vec![0.0; categories];
        p[index] = 1.0;
        Ok(Distribution(p))
    }

    /// The probabilities.
    pub fn probabilities(&self) -> &[f64] {
        &self.0
    }

    /// How many categories.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a distribution has at least one category.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether all the weight is on one category (a crisp outcome).
    pub fn is_crisp(&self) -> bool {
        self.0.contains(&1.0)
    }
}

fn same_length(f: &Distribution, o: &Distribution) -> Result<(), ScoreError> {
    if f.len() == o.len() {
        Ok(())
    } else {
        Err(ScoreError::Lengths { forecast: f.len(), outcome: o.len() })
    }
}

/// Brier's (1950) score of forecast `f` for the outcome `o`, in [0, 2]: with a crisp outcome
/// `Σ_k (f_k − o_k)²`; with a soft one, its expectation under `o`,
/// `Σ_k (f_k − o_k)² + 1 − Σ_k o_k²` (see the module documentation). Lower is better.
///
/// The normalisation is Brier's own: summed over every category, so a binary question counts
/// its error twice (`2 (f − o)²`) and a uniform forecast over `K` categories scores `1 − 1/K`
/// for any crisp outcome. The common binary "Brier score" `(f − o)²` is [`brier_binary`].
///
/// # Errors
/// [`ScoreError::Lengths`] when `f` and `o` have different numbers of categories.
///
/// # Complexity
/// O(K).
///
/// # Example
/// ```
/// use engines::score::{Distribution, brier};
/// let f = Distribution::new(vec![0.7, 0.3]).unwrap();
/// let rain = Distribution::certain(0, 2).unwrap();
/// assert!((brier(&f, &rain).unwrap() - 0.18).abs() <= engines::prec::REORDER);
/// assert!(brier(&f, &Distribution::certain(0, 3).unwrap()).is_err());
/// ```
pub fn brier(f: &Distribution, o: &Distribution) -> Result<f64, ScoreError> {
    same_length(f, o)?;
    let squared: f64 = f.0.iter().zip(&o.0).map(|(p, q)| (p - q) * (p - q)).sum();
    let spread: f64 = o.0.iter().map(|q| q * (1.0 - q)).sum();
    Ok(squared + spread)
}

/// The binary Brier score `(f − o)²` of a probability `f` that an event happens, when it
/// happened with probability `o` (1 or 0 when crisp), as the expectation under `o`:
/// `(f − o)² + o(1 − o)`. In [0, 1]; half of [`brier`] on the two categories (event, no event).
///
/// # Errors
/// [`ScoreError::Probability`] (index 0 for `f`, 1 for `o`) when either is not in [0, 1].
///
/// # Example
/// ```
/// use engines::score::brier_binary;
/// assert_eq!(brier_binary(0.8, 0.0).unwrap(), 0.6400000000000001);
/// assert!(brier_binary(1.2, 1.0).is_err());
/// ```
pub fn brier_binary(f: f64, o: f64) -> Result<f64, ScoreError> {
    check_probability(f, 0)?;
    check_probability(o, 1)?;
    Ok((f - o) * (f - o) + o * (1.0 - o))
}

fn check_probability(value: f64, index: usize) -> Result<(), ScoreError> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(ScoreError::Probability { index, value })
    }
}

/// The logarithmic score of forecast `f` for the outcome `o`: `Σ_k o_k ln f_k` (for a crisp
/// outcome, the natural log of the probability given to what happened). Higher is better; 0 is
/// a certain and right forecast. Categories the outcome gives no weight contribute nothing.
///
/// `None` when the forecast gave probability 0 to a category the outcome gives weight: the
/// score is then −∞, which no average can absorb (the caller reports it as such).
///
/// # Errors
/// [`ScoreError::Lengths`] when `f` and `o` have different numbers of categories.
///
/// # Example
/// ```
/// use engines::score::{Distribution, log_score};
/// let f = Distribution::new(vec![0.5, 0.5]).unwrap();
/// let s = log_score(&f, &Distribution::certain(1, 2).unwrap()).unwrap();
/// assert_eq!(s, Some(0.5_f64.ln()));
/// let sure = Distribution::new(vec![1.0, 0.0]).unwrap();
/// assert_eq!(log_score(&sure, &Distribution::certain(1, 2).unwrap()).unwrap(), None);
/// ```
pub fn log_score(f: &Distribution, o: &Distribution) -> Result<Option<f64>, ScoreError> {
    same_length(f, o)?;
    let mut total = 0.0;
    for (&p, &q) in f.0.iter().zip(&o.0) {
        if q == 0.0 {
            continue;
        }
        if p == 0.0 {
            return Ok(None);
        }
        total += q * p.ln();
    }
    Ok(Some(total))
}

/// The baseline-relative score in bits: `Σ_k o_k log2(f_k / (1/K))`, how many bits better than
/// a uniform forecast over the `K` categories the forecast did (for a crisp outcome,
/// `log2(K f_outcome)`). 0 for the uniform forecast, `log2 K` for a certain and right one,
/// negative when worse than uniform. Metaculus's baseline score is this in bits scaled to 100
/// for a binary question (see the module's references). `None` as for [`log_score`].
///
/// # Errors
/// [`ScoreError::Lengths`] when `f` and `o` have different numbers of categories.
///
/// # Example
/// ```
/// use engines::score::{Distribution, baseline};
/// let f = Distribution::new(vec![0.8, 0.2]).unwrap();
/// let s = baseline(&f, &Distribution::certain(0, 2).unwrap()).unwrap().unwrap();
/// assert!((s - 1.6_f64.log2()).abs() <= engines::prec::REORDER);
/// assert!(baseline(&f, &Distribution::certain(0, 3).unwrap()).is_err());
/// ```
pub fn baseline(f: &Distribution, o: &Distribution) -> Result<Option<f64>, ScoreError> {
    same_length(f, o)?;
    let k = f.len() as f64;
    let mut total = 0.0;
    for (&p, &q) in f.0.iter().zip(&o.0) {
        if q == 0.0 {
            continue;
        }
        if p == 0.0 {
            return Ok(None);
        }
        total += q * (k * p).log2();
    }
    Ok(Some(total))
}

/// One probability given to one event, with what happened and how much it counts: the unit of
/// [`calibration`] and [`decompose`]. A forecast over `K` categories gives `K` items, one per
/// category ("this category happens, with probability `f_k`", outcome `o_k`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Binary {
    forecast: f64,
    outcome: f64,
    weight: f64,
}

impl Binary {
    /// Checks and builds an item: `forecast` and `outcome` in [0, 1] (an outcome strictly
    /// between is a soft resolution), `weight` finite and at least 0 (1 for an ordinary
    /// forecast; a conditional forecast is weighted by the probability of its condition).
    ///
    /// # Errors
    /// [`ScoreError::Probability`] (index 0 for the forecast, 1 for the outcome) or
    /// [`ScoreError::Weight`].
    pub fn new(forecast: f64, outcome: f64, weight: f64) -> Result<Binary, ScoreError> {
        check_probability(forecast, 0)?;
        check_probability(outcome, 1)?;
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(ScoreError::Weight { value: weight });
        }
        Ok(Binary { forecast, outcome, weight })
    }

    /// The probability forecast.
    pub fn forecast(&self) -> f64 {
        self.forecast
    }

    /// What happened: 1, 0, or the weight of a soft resolution.
    pub fn outcome(&self) -> f64 {
        self.outcome
    }

    /// How much it counts.
    pub fn weight(&self) -> f64 {
        self.weight
    }
}

/// How forecasts are grouped for [`calibration`] and [`decompose`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Binning {
    /// One bin per distinct forecast value, as Murphy (1973) stratifies: the decomposition is
    /// then exact with no within-bin terms.
    Distinct,
    /// `n` bins of equal width on [0, 1], each closed below and open above but the last
    /// (which holds 1), as a reliability chart groups them.
    Equal(usize),
}

/// One bin of a calibration table: the forecasts that fell in it, how often what they forecast
/// happened, and a point of the reliability chart.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bin {
    /// The lowest forecast the bin holds (its lower edge for equal bins, its value for
    /// distinct ones).
    pub lower: f64,
    /// The bin's upper edge (equal to `lower` for distinct values).
    pub upper: f64,
    /// How many items fell in it.
    pub count: usize,
    /// Their total weight.
    pub weight: f64,
    /// Their mean forecast, weighted (the chart's x).
    pub mean_forecast: f64,
    /// Their mean outcome, weighted: the observed frequency (the chart's y).
    pub observed: f64,
}

/// A calibration table: the non-empty bins in increasing order, and the overall base rate.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Calibration {
    /// The bins that hold at least one item of positive weight.
    pub bins: Vec<Bin>,
    /// The items' total weight.
    pub weight: f64,
    /// The weighted mean outcome over all items (`ō`).
    pub base_rate: f64,
}

/// The calibration table of `items` binned as asked: for each bin, the mean forecast against
/// the observed frequency (a perfectly calibrated forecaster's points lie on the diagonal).
/// Items of weight 0 are left out. `None` when no item has positive weight.
///
/// # Errors
/// [`ScoreError::NoBins`] for `Binning::Equal(0)`.
///
/// # Complexity
/// O(n log n) for distinct values (a sort), O(n + bins) for equal bins.
///
/// # Example
/// ```
/// use engines::score::{Binary, Binning, calibration};
/// let items = [Binary::new(0.2, 0.0, 1.0).unwrap(), Binary::new(0.2, 1.0, 1.0).unwrap()];
/// let t = calibration(&items, Binning::Distinct).unwrap().unwrap();
/// assert_eq!((t.bins.len(), t.bins[0].observed), (1, 0.5));
/// assert!(calibration(&items, Binning::Equal(0)).is_err());
/// ```
pub fn calibration(items: &[Binary], binning: Binning) -> Result<Option<Calibration>, ScoreError> {
    let groups = group(items, binning)?;
    let weight: f64 = groups.iter().map(|g| g.weight).sum();
    if weight <= 0.0 {
        return Ok(None);
    }
    let base_rate = groups.iter().map(|g| g.sum_outcome).sum::<f64>() / weight;
    let bins = groups
        .iter()
        .map(|g| Bin {
            lower: g.lower,
            upper: g.upper,
            count: g.members.len(),
            weight: g.weight,
            mean_forecast: g.sum_forecast / g.weight,
            observed: g.sum_outcome / g.weight,
        })
        .collect();
    Ok(Some(Calibration { bins, weight, base_rate }))
}

/// The Murphy decomposition of the (weighted, expected) binary Brier score of some items.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Decomposition {
    /// The weighted mean binary Brier score, `Σ w (f − o)² + w o(1 − o)` over `Σ w`.
    pub brier: f64,
    /// Reliability: `Σ_k W_k (f̄_k − ō_k)² / W`, how far each bin's mean forecast is from its
    /// observed frequency (0 is perfectly calibrated; lower is better).
    pub reliability: f64,
    /// Resolution: `Σ_k W_k (ō_k − ō)² / W`, how far the bins' frequencies spread from the base
    /// rate (higher is better).
    pub resolution: f64,
    /// Uncertainty: `ō (1 − ō)`, the score of always forecasting the base rate.
    pub uncertainty: f64,
    /// Within-bin variance of the forecasts, `Σ_k Σ_{i∈k} w_i (f_i − f̄_k)² / W` (Stephenson et
    /// al. 2008); 0 with [`Binning::Distinct`].
    pub within_bin_variance: f64,
    /// Within-bin covariance term, `2 Σ_k Σ_{i∈k} w_i (f_i − f̄_k)(o_i − ō_k) / W` (Stephenson et
    /// al. 2008); 0 with [`Binning::Distinct`].
    pub within_bin_covariance: f64,
    /// The items' total weight `W`.
    pub weight: f64,
    /// How many bins held items.
    pub bins: usize,
}

impl Decomposition {
    /// `reliability − resolution + uncertainty + within_bin_variance − within_bin_covariance`,
    /// which equals `brier` up to rounding.
    pub fn total(&self) -> f64 {
        self.reliability - self.resolution + self.uncertainty + self.within_bin_variance
            - self.within_bin_covariance
    }
}

/// The Murphy (1973) decomposition of the mean binary Brier score of `items`:
/// `BS = REL − RES + UNC`, exactly when binned by distinct value; with equal-width bins, two
/// within-bin terms complete it (Stephenson, Coelho & Jolliffe 2008, their equation 6):
/// `BS = REL − RES + UNC + WBV − WBC`. Weights count each item as that many forecasts.
///
/// With soft outcomes the score decomposed is the expected score (see the module
/// documentation) and the identity still holds exactly, with `ō_k` the bin's mean outcome:
/// `Σ_{i∈k} w_i (f_i − o_i)² = W_k (f̄_k − ō_k)² + [within-bin terms] + Σ_{i∈k} w_i (o_i − ō_k)²`,
/// and the last sum, added over bins to `Σ w_i o_i (1 − o_i)`, is `W ō (1 − ō) − Σ_k W_k (ō_k − ō)²`
/// whatever the outcomes, because `Σ w o (1 − o) + Σ w (o − ō)² = W ō (1 − ō)`.
///
/// `None` when no item has positive weight. Whether there are enough items for the terms to
/// mean anything is the caller's judgment; [`enough_for_decomposition`] is ours.
///
/// # Errors
/// [`ScoreError::NoBins`] for `Binning::Equal(0)`.
///
/// # Complexity
/// O(n log n) for distinct values, O(n + bins) for equal bins.
///
/// # Example
/// ```
/// use engines::score::{Binary, Binning, decompose};
/// let items: Vec<Binary> = [(0.2, 0.0), (0.2, 1.0), (0.8, 1.0)]
///     .iter()
///     .map(|&(f, o)| Binary::new(f, o, 1.0).unwrap())
///     .collect();
/// let d = decompose(&items, Binning::Distinct).unwrap().unwrap();
/// assert!((d.total() - d.brier).abs() <= engines::prec::REORDER);
/// assert!(decompose(&items, Binning::Equal(0)).is_err());
/// ```
pub fn decompose(items: &[Binary], binning: Binning) -> Result<Option<Decomposition>, ScoreError> {
    let groups = group(items, binning)?;
    let weight: f64 = groups.iter().map(|g| g.weight).sum();
    if weight <= 0.0 {
        return Ok(None);
    }
    let base = groups.iter().map(|g| g.sum_outcome).sum::<f64>() / weight;
    let (mut brier, mut rel, mut res, mut wbv, mut wbc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for g in &groups {
        let f_bar = g.sum_forecast / g.weight;
        let o_bar = g.sum_outcome / g.weight;
        rel += g.weight * (f_bar - o_bar) * (f_bar - o_bar);
        res += g.weight * (o_bar - base) * (o_bar - base);
        for it in &g.members {
            let (f, o, w) = (it.forecast, it.outcome, it.weight);
            brier += w * ((f - o) * (f - o) + o * (1.0 - o));
            if binning != Binning::Distinct {
                wbv += w * (f - f_bar) * (f - f_bar);
                wbc += 2.0 * w * (f - f_bar) * (o - o_bar);
            }
        }
    }
    Ok(Some(Decomposition {
        brier: brier / weight,
        reliability: rel / weight,
        resolution: res / weight,
        uncertainty: base * (1.0 - base),
        within_bin_variance: wbv / weight,
        within_bin_covariance: wbc / weight,
        weight,
        bins: groups.len(),
    }))
}

/// The fewest items per occupied bin, on average, for which [`decompose`]'s terms are worth
/// reporting. A bin's observed frequency is a sample mean: with one forecast in a bin it is 0
/// or 1, so the reliability term is just that forecast's squared error and resolution is the
/// outcomes' variance, which says nothing about calibration or discrimination. The empirical
/// reliability of even a perfectly calibrated forecaster is biased upward by about
/// `Σ_k f̄_k(1 − f̄_k)/W`, one binomial variance per bin over the total (Bröcker, J. 2012,
/// Estimating reliability and resolution of probability forecasts through decomposition of the
/// empirical score, *Climate Dynamics* 39, 655–667, doi:10.1007/s00382-011-1191-1, section 3),
/// so the number of items per bin is what governs whether the term can be read. Five per bin is
/// the rule of thumb for expected counts of Cochran (1954, *Biometrics* 10(4), 417–451) that
/// makes a binomial frequency roughly normal; below it, the decomposition is not shown.
pub const MIN_PER_BIN: f64 = 5.0;

/// Whether a decomposition rests on enough items to be read: at least [`MIN_PER_BIN`] of
/// weight per occupied bin on average.
pub fn enough_for_decomposition(d: &Decomposition) -> bool {
    d.bins > 0 && d.weight / d.bins as f64 >= MIN_PER_BIN
}

/// The items of one bin, with their sums.
struct Group {
    lower: f64,
    upper: f64,
    weight: f64,
    sum_forecast: f64,
    sum_outcome: f64,
    members: Vec<Binary>,
}

impl Group {
    fn new(lower: f64, upper: f64) -> Group {
        Group {
            lower,
            upper,
            weight: 0.0,
            sum_forecast: 0.0,
            sum_outcome: 0.0,
            members: Vec::new(),
        }
    }

    fn add(&mut self, it: Binary) {
        self.weight += it.weight;
        self.sum_forecast += it.weight * it.forecast;
        self.sum_outcome += it.weight * it.outcome;
        self.members.push(it);
    }
}

/// The items of positive weight in bins, the empty bins left out, in increasing order.
fn group(items: &[Binary], binning: Binning) -> Result<Vec<Group>, ScoreError> {
    let live = items.iter().copied().filter(|it| it.weight > 0.0);
    let groups = match binning {
        Binning::Distinct => {
            let mut sorted: Vec<Binary> = live.collect();
            sorted.sort_by(|a, b| a.forecast.total_cmp(&b.forecast));
            let mut groups: Vec<Group> = Vec::new();
            for it in sorted {
                match groups.last_mut() {
                    Some(g) if g.lower == it.forecast => g.add(it),
                    _ => {
                        let mut g = Group::new(it.forecast, it.forecast);
                        g.add(it);
                        groups.push(g);
                    }
                }
            }
            groups
        }
        Binning::Equal(0) => return Err(ScoreError::NoBins),
        Binning::Equal(n) => {
            let width = 1.0 / n as f64;
            let mut groups: Vec<Group> =
                (0..n).map(|k| Group::new(k as f64 * width, (k + 1) as f64 * width)).collect();
            for it in live {
                // Truncation picks the bin; 1.0 belongs to the last one.
                let k = ((it.forecast * n as f64) as usize).min(n - 1);
                groups[k].add(it);
            }
            groups.retain(|g| g.weight > 0.0);
            groups
        }
    };
    Ok(groups)
}

#[cfg(test)]
mod tests;
