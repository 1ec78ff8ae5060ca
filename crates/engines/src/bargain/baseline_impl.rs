//! The baseline forecast: per issue, the capability × salience weighted mean and weighted median.

use super::BargainInput;

/// The baseline forecast of one issue.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IssueBaseline {
    /// Σ c s x / Σ c s; `None` when every actor has zero weight c s on this issue.
    pub mean: Option<f64>,
    /// The weighted median (the Condorcet winner among the actors' positions when utility falls
    /// with distance): the lowest position with at least half the weight at or below it;
    /// `None` when every actor has zero weight.
    pub median: Option<f64>,
}

/// The baseline forecast of every issue, in issue order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Baseline {
    /// One entry per issue.
    pub issues: Vec<IssueBaseline>,
}

/// The baseline forecast: each issue's capability × salience weighted mean and weighted median.
///
/// Achen (2006), "Evaluating political decision-making models", in Thomson, Stokman, Achen &
/// König (eds.), *The European Union Decides*, Cambridge UP, ch. 10, finds this compromise
/// (the "weighted mean" model) hard to beat; the weighted median is the Condorcet winner of
/// Black's (1948) median voter theorem, "On the rationale of group decision-making", *Journal of
/// Political Economy* 56(1):23–34.
///
/// # Errors
/// None: an issue on which every actor has zero weight gets `None` for its mean and median.
///
/// # Complexity
/// O(m n log n) for n actors and m issues.
///
/// # Example
/// ```
/// use engines::bargain::{BargainInput, IssueData, baseline};
/// let issue = |salience: Vec<f64>| IssueData {
///     scale_min: 0.0, scale_max: 10.0, position: vec![2.0, 8.0], salience,
/// };
/// let input = BargainInput::new(vec![1.0, 3.0], vec![issue(vec![1.0, 1.0]), issue(vec![0.0, 0.0])]).unwrap();
/// let b = baseline(&input);
/// assert_eq!(b.issues[0].mean, Some(6.5));
/// assert_eq!(b.issues[0].median, Some(8.0));
/// assert_eq!(b.issues[1].mean, None); // nobody cares about issue 1
/// ```
pub fn baseline(input: &BargainInput) -> Baseline {
    let c = input.capability();
    Baseline {
        issues: input
            .issues()
            .iter()
            .map(|d| {
                let w: Vec<f64> = c.iter().zip(&d.salience).map(|(c, s)| c * s).collect();
                IssueBaseline {
                    mean: weighted_mean(&w, &d.position),
                    median: weighted_median(&w, &d.position),
                }
            })
            .collect(),
    }
}

/// Σ w x / Σ w, or `None` when Σ w = 0 (weights are assumed `>= 0`).
pub fn weighted_mean(weight: &[f64], x: &[f64]) -> Option<f64> {
    let total: f64 = weight.iter().sum();
    if total > 0.0 {
        Some(weight.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() / total)
    } else {
        None
    }
}

/// The lowest `x` with at least half the total weight at or below it, or `None` when the
/// total weight is 0 (weights are assumed `>= 0`).
pub fn weighted_median(weight: &[f64], x: &[f64]) -> Option<f64> {
    let total: f64 = weight.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut below = 0.0;
    let mut k = 0;
    while k < order.len() {
        // Add every actor at this position before testing, so ties count together.
        let here = x[order[k]];
        while k < order.len() && x[order[k]] == here {
            below += weight[order[k]];
            k += 1;
        }
        if 2.0 * below >= total {
            return Some(here);
        }
    }
    order.last().map(|&k| x[k])
}
