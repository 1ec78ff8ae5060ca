//! Bargaining: where contested issues settle when actors with different capabilities, positions
//! and saliences bargain over them.
//!
//! Brief overview:
//! - [`BargainInput`] holds the checked data: per actor a capability, and per issue (a dimension
//!   with its own scale) every actor's position and salience. It is built once with
//!   [`BargainInput::new`] and is valid from then on.
//! - [`baseline`] gives, per issue, the capability × salience weighted mean and weighted median:
//!   the compromise forecast that the more elaborate models are measured against.
//! - [`eum`] runs Bueno de Mesquita's expected utility model on one issue, as reconstructed by
//!   Scholz, Calbert & Smith (2011), round by round.
//! - [`smp`] runs KTAB's multi-dimensional Spatial Model of Politics (Wise, Lester et al., KAPSARC)
//!   on all issues jointly, turn by turn.
//! - [`perturb`] reruns a model on seeded perturbations of the input and reports each issue's
//!   distribution of outcomes (a fan rather than one number).
//!
//! Every model reports positions on the input's own scale.

mod baseline_impl;
pub mod eum;
pub mod perturb;
pub mod smp;

#[cfg(test)]
mod tests;

pub use baseline_impl::{Baseline, IssueBaseline, baseline, weighted_mean, weighted_median};

/// One issue's data as the caller supplies it, before checking: a scale and, per actor, a
/// position on that scale and a salience in `[0, 1]`.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueData {
    /// The low end of the issue's scale (for KTAB's format, 0).
    pub scale_min: f64,
    /// The high end of the issue's scale (for KTAB's format, 100).
    pub scale_max: f64,
    /// Each actor's position, in actor order, within `[scale_min, scale_max]`.
    pub position: Vec<f64>,
    /// Each actor's salience (how much the issue matters to it), in actor order, in `[0, 1]`.
    pub salience: Vec<f64>,
}

/// The checked input of every bargaining model: actors' capabilities and, per issue, their
/// positions and saliences. Fields are private so that an unchecked value cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainInput {
    capability: Vec<f64>,
    issues: Vec<IssueData>,
}

/// Why [`BargainInput::new`] rejected its data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// There are no actors.
    #[error("there are no actors")]
    NoActors,
    /// There are no issues.
    #[error("there are no issues")]
    NoIssues,
    /// An issue's position or salience list does not have one entry per actor.
    #[error("issue {issue} has {found} entries where there are {expected} actors")]
    Length {
        /// The issue's index.
        issue: usize,
        /// The number of actors.
        expected: usize,
        /// The number of entries found.
        found: usize,
    },
    /// A capability is negative, infinite or NaN.
    #[error("actor {actor} has capability {value}, which is not a finite number >= 0")]
    Capability {
        /// The actor's index.
        actor: usize,
        /// The value given.
        value: f64,
    },
    /// Every capability is zero, so nobody can move anybody.
    #[error("every actor has capability 0")]
    AllCapabilitiesZero,
    /// An issue's scale is not a finite interval with `scale_min < scale_max`.
    #[error("issue {issue} has scale [{min}, {max}], which is not a finite interval")]
    Scale {
        /// The issue's index.
        issue: usize,
        /// The low end given.
        min: f64,
        /// The high end given.
        max: f64,
    },
    /// A position is outside its issue's scale, or not finite.
    #[error(
        "actor {actor} has position {value} on issue {issue}, outside the scale [{min}, {max}]"
    )]
    Position {
        /// The actor's index.
        actor: usize,
        /// The issue's index.
        issue: usize,
        /// The value given.
        value: f64,
        /// The low end of the scale.
        min: f64,
        /// The high end of the scale.
        max: f64,
    },
    /// A salience is outside `[0, 1]`, or not finite.
    #[error("actor {actor} has salience {value} on issue {issue}, outside [0, 1]")]
    Salience {
        /// The actor's index.
        actor: usize,
        /// The issue's index.
        issue: usize,
        /// The value given.
        value: f64,
    },
}

impl BargainInput {
    /// Checks and stores the data: at least one actor and one issue, one position and one
    /// salience per actor and issue, finite capabilities `>= 0` not all zero, finite scales,
    /// positions within their scale and saliences in `[0, 1]`.
    ///
    /// # Errors
    /// One [`InputError`] variant per condition above, naming the first culprit by index.
    ///
    /// # Example
    /// ```
    /// use engines::bargain::{BargainInput, InputError, IssueData};
    /// let issue = |position: Vec<f64>| IssueData {
    ///     scale_min: 0.0, scale_max: 10.0, position, salience: vec![0.5, 1.0],
    /// };
    /// assert!(BargainInput::new(vec![1.0, 2.0], vec![issue(vec![2.0, 8.0])]).is_ok());
    /// assert_eq!(
    ///     BargainInput::new(vec![0.0, 0.0], vec![issue(vec![2.0, 8.0])]),
    ///     Err(InputError::AllCapabilitiesZero)
    /// );
    /// ```
    pub fn new(capability: Vec<f64>, issues: Vec<IssueData>) -> Result<BargainInput, InputError> {
        let n = capability.len();
        if n == 0 {
            return Err(InputError::NoActors);
        }
        if issues.is_empty() {
            return Err(InputError::NoIssues);
        }
        for (actor, &value) in capability.iter().enumerate() {
            if !(value.is_finite() && value >= 0.0) {
                return Err(InputError::Capability { actor, value });
            }
        }
        if capability.iter().all(|&c| c == 0.0) {
            return Err(InputError::AllCapabilitiesZero);
        }
        for (issue, data) in issues.iter().enumerate() {
            let (min, max) = (data.scale_min, data.scale_max);
            if !(min.is_finite() && max.is_finite() && min < max) {
                return Err(InputError::Scale { issue, min, max });
            }
            for found in [data.position.len(), data.salience.len()] {
                if found != n {
                    return Err(InputError::Length { issue, expected: n, found });
                }
            }
            for (actor, &value) in data.position.iter().enumerate() {
                if !(value.is_finite() && (min..=max).contains(&value)) {
                    return Err(InputError::Position { actor, issue, value, min, max });
                }
            }
            for (actor, &value) in data.salience.iter().enumerate() {
                if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
                    return Err(InputError::Salience { actor, issue, value });
                }
            }
        }
        Ok(BargainInput { capability, issues })
    }

    /// The number of actors.
    pub fn n_actors(&self) -> usize {
        self.capability.len()
    }

    /// The number of issues.
    pub fn n_issues(&self) -> usize {
        self.issues.len()
    }

    /// Every actor's capability, in actor order.
    pub fn capability(&self) -> &[f64] {
        &self.capability
    }

    /// One issue's data (scale, positions, saliences).
    ///
    /// # Panics
    /// If `issue >= self.n_issues()`.
    pub fn issue(&self, issue: usize) -> &IssueData {
        &self.issues[issue]
    }

    /// All issues, in order.
    pub fn issues(&self) -> &[IssueData] {
        &self.issues
    }

    /// The same input with the actors reordered: actor `k` of the result is actor `order[k]`
    /// of `self`. Returns `None` unless `order` is a permutation of `0..n_actors`.
    pub fn permuted(&self, order: &[usize]) -> Option<BargainInput> {
        let n = self.n_actors();
        let mut seen = vec![false; n];
        if order.len() != n {
            return None;
        }
        for &k in order {
            if k >= n || std::mem::replace(&mut seen[k], true) {
                return None;
            }
        }
        let pick = |v: &[f64]| order.iter().map(|&k| v[k]).collect::<Vec<_>>();
        Some(BargainInput {
            capability: pick(&self.capability),
            issues: self
                .issues
                .iter()
                .map(|d| IssueData {
                    scale_min: d.scale_min,
                    scale_max: d.scale_max,
                    position: pick(&d.position),
                    salience: pick(&d.salience),
                })
                .collect(),
        })
    }
}
