//! The scenario → CIB mapping: every driver that takes part in a `[[cross_impact]]` becomes a
//! descriptor (in the scenario's driver order), its states the variants, and each
//! `[[cross_impact]]` block fills the rows of its `from` driver and the columns of its `to`
//! driver. Blocks the scenario does not write are zero (no judged influence), as in
//! ScenarioWizard. Descriptor and variant names are the driver and state ids, so interventions
//! are written `--fix war=stalemate`.

use engines::cib::{CibMatrix, Descriptor, MatrixError};

use crate::scenario::Scenario;

/// A CIB input built from a scenario, with the driver ids behind its descriptors.
#[derive(Debug, Clone, PartialEq)]
pub struct CibStudy {
    /// The scenario's title.
    pub title: String,
    /// The driver id of each descriptor.
    pub drivers: Vec<String>,
    /// The display name of each descriptor's driver.
    pub driver_names: Vec<String>,
    /// The checked matrix.
    pub matrix: CibMatrix,
}

/// Why a scenario cannot be analysed with CIB. Errors name the scenario's ids.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CibMapError {
    /// The scenario has no `[[cross_impact]]`.
    #[error("the scenario has no cross_impact judgments")]
    NoCrossImpacts,
    /// A cross-impact names a driver the scenario does not have (validation rules this out).
    #[error("cross_impact {index} names driver `{driver}`, which does not exist")]
    UnknownDriver {
        /// The cross-impact's index in the file.
        index: usize,
        /// The id given.
        driver: String,
    },
    /// A cross-impact's matrix does not have one row per state of `from` and one column per
    /// state of `to` (validation rules this out).
    #[error("cross_impact {index} (`{from}` → `{to}`) does not fit the drivers' states")]
    Shape {
        /// The cross-impact's index in the file.
        index: usize,
        /// The acting driver.
        from: String,
        /// The driver acted upon.
        to: String,
    },
    /// A driver has fewer than two states.
    #[error("driver `{driver}` has {count} state(s); cib needs at least 2")]
    TooFewStates {
        /// The driver's id.
        driver: String,
        /// Its number of states.
        count: usize,
    },
    /// Any other problem the engine finds, with the driver it concerns when known.
    #[error("{0}")]
    Matrix(MatrixError),
}

impl CibStudy {
    /// Builds the CIB input from a validated scenario.
    ///
    /// # Errors
    /// [`CibMapError`]: no cross-impacts, or (for a scenario that skipped validation) an unknown
    /// driver, a block of the wrong shape, or a driver with fewer than two states.
    pub fn from_scenario(s: &Scenario) -> Result<CibStudy, CibMapError> {
        if s.cross_impacts.is_empty() {
            return Err(CibMapError::NoCrossImpacts);
        }
        let find = |index: usize, id: &str| {
            s.drivers
                .iter()
                .position(|d| d.id == id)
                .ok_or_else(|| CibMapError::UnknownDriver { index, driver: id.to_string() })
        };
        let mut used = vec![false; s.drivers.len()];
        for (k, ci) in s.cross_impacts.iter().enumerate() {
            used[find(k, &ci.from)?] = true;
            used[find(k, &ci.to)?] = true;
        }
        let members: Vec<usize> = (0..s.drivers.len()).filter(|&d| used[d]).collect();
        let mut offset = vec![0usize; s.drivers.len()];
        let mut total = 0;
        for &d in &members {
            let count = s.drivers[d].states.len();
            if count < 2 {
                return Err(CibMapError::TooFewStates { driver: s.drivers[d].id.clone(), count });
            }
            offset[d] = total;
            total += count;
        }
        let mut rows = vec![vec![0i64; total]; total];
        for (k, ci) in s.cross_impacts.iter().enumerate() {
            let (f, t) = (find(k, &ci.from)?, find(k, &ci.to)?);
            let block = ci.impacts.rows();
            let (nf, nt) = (s.drivers[f].states.len(), s.drivers[t].states.len());
            if block.len() != nf || block.iter().any(|r| r.len() != nt) {
                return Err(CibMapError::Shape {
                    index: k,
                    from: ci.from.clone(),
                    to: ci.to.clone(),
                });
            }
            for (a, row) in block.iter().enumerate() {
                for (b, &x) in row.iter().enumerate() {
                    rows[offset[f] + a][offset[t] + b] = x;
                }
            }
        }
        let descriptors = members
            .iter()
            .map(|&d| Descriptor {
                name: s.drivers[d].id.clone(),
                variants: s.drivers[d].states.clone(),
            })
            .collect();
        let matrix = CibMatrix::new(descriptors, rows).map_err(CibMapError::Matrix)?;
        Ok(CibStudy {
            title: s.scenario.title.clone(),
            drivers: members.iter().map(|&d| s.drivers[d].id.clone()).collect(),
            driver_names: members.iter().map(|&d| s.drivers[d].name.clone()).collect(),
            matrix,
        })
    }
}

#[cfg(test)]
mod tests {
    use engines::cib::{Method, SolveOptions, solve};

    use super::*;
    use crate::builtin::{BUILTINS, load};

    #[test]
    fn korea_maps_every_driver_with_cross_impacts() {
        let loaded = load(&BUILTINS[0]).unwrap();
        let study = CibStudy::from_scenario(&loaded.scenario).unwrap();
        assert!(study.drivers.contains(&"war".to_string()));
        assert_eq!(study.matrix.descriptor_count(), study.drivers.len());
        // The war → sanctions block of korea-2024.toml: [[-2, 2], [-1, 1], [1, -1]].
        let m = &study.matrix;
        let w = study.drivers.iter().position(|d| d == "war").unwrap();
        let s = study.drivers.iter().position(|d| d == "sanctions").unwrap();
        assert_eq!(m.impact(m.index(w, 0).unwrap(), m.index(s, 1).unwrap()), Some(2));
        let o = SolveOptions {
            method: Method::BranchAndBound,
            tolerance: 0,
            fixed: vec![],
            max_scenarios: 1000,
        };
        assert!(!solve(m, &o).unwrap().scenarios.is_empty());
    }

    #[test]
    fn err_no_cross_impacts() {
        let mut s = load(&BUILTINS[0]).unwrap().scenario;
        s.cross_impacts.clear();
        assert_eq!(CibStudy::from_scenario(&s), Err(CibMapError::NoCrossImpacts));
    }

    #[test]
    fn err_unknown_driver() {
        let mut s = load(&BUILTINS[0]).unwrap().scenario;
        s.cross_impacts[0].to = "nowhere".into();
        assert_eq!(
            CibStudy::from_scenario(&s),
            Err(CibMapError::UnknownDriver { index: 0, driver: "nowhere".into() })
        );
    }
}
