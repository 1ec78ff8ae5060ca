//! The scenario → actors lens mapping: the MID from the actors' `influence` tables, the 2MAO
//! from the issues' stances, and the MICMAC driver matrix from the drivers' `influence` tables.
//!
//! The 2MAO rule (documented for users in `docs/actors.md`): each issue becomes one objective,
//! "the issue settles above the reference point". An actor's value on it is `side · intensity`,
//! where side is the sign of `position − reference` and intensity is `round(salience / 25)`
//! (salience 0–100 onto Godet's 0–4 importance scale), at least 1 when the actor takes a side
//! with a salience above 0. An actor with no stance on the issue, or exactly at the reference,
//! has 0. The reference is a [`Reference`].

use engines::actors::mactor::{Mao, MaoError, Mid, MidError};
use engines::actors::micmac::{Cell, DriverMatrix, DriverMatrixError};

use crate::scenario::{Influence, Issue, Scenario};

/// Which point of an issue's 0–100 scale separates "for" from "against" in the 2MAO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The middle of the scale, 50.
    Midpoint,
    /// The salience-weighted mean of the stances on the issue: where the issue would settle if
    /// the positions were averaged by how much each actor cares (50 when no one cares).
    WeightedMean,
}

/// The MACTOR input drawn from a scenario, with the names that go with it.
#[derive(Debug, Clone)]
pub struct MactorInput {
    /// The actors' ids, in the scenario's order.
    pub actor_ids: Vec<String>,
    /// The actors' display names.
    pub actors: Vec<String>,
    /// The issues' ids, one objective each.
    pub issue_ids: Vec<String>,
    /// The objectives' names: the issue's name and the reference point.
    pub objectives: Vec<String>,
    /// The reference point of each issue.
    pub references: Vec<f64>,
    /// The matrix of direct influences.
    pub mid: Mid,
    /// The valued positions, or `None` when the scenario has no issues.
    pub mao: Option<Mao>,
}

/// The MICMAC input drawn from a scenario.
#[derive(Debug, Clone)]
pub struct MicmacInput {
    /// The drivers' ids, in the scenario's order.
    pub driver_ids: Vec<String>,
    /// The drivers' display names.
    pub drivers: Vec<String>,
    /// The matrix of direct influences.
    pub matrix: DriverMatrix,
}

/// Why a scenario could not be mapped onto the actors lens. A validated scenario never gives
/// these; they name the scenario's ids so that an unvalidated one still gets a useful message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActorsMapError {
    /// An `influence` key is not an actor.
    #[error("actor `{actor}` has an influence on `{other}`, which is not an actor")]
    UnknownActor {
        /// The actor whose table has the key.
        actor: String,
        /// The key.
        other: String,
    },
    /// An actor's influence is outside 0..=4 or on itself.
    #[error(
        "actor `{actor}`'s influence on `{other}` is {value}; it must be 0..=4, and 0 on itself"
    )]
    ActorInfluence {
        /// The actor.
        actor: String,
        /// The other actor.
        other: String,
        /// The value.
        value: i64,
    },
    /// A driver `influence` key is not a driver.
    #[error("driver `{driver}` has an influence on `{other}`, which is not a driver")]
    UnknownDriver {
        /// The driver whose table has the key.
        driver: String,
        /// The key.
        other: String,
    },
    /// A driver's influence is outside 0..=3 or on itself.
    #[error(
        "driver `{driver}`'s influence on `{other}` is {value}; it must be 0..=3 or P, and 0 on itself"
    )]
    DriverInfluence {
        /// The driver.
        driver: String,
        /// The other driver.
        other: String,
        /// The value as written.
        value: String,
    },
}

/// The MACTOR input of a scenario, or `None` when it has no actors.
///
/// # Errors
/// [`ActorsMapError`] for an influence on an unknown actor or out of range (which validation
/// already rules out).
pub fn mactor_input(
    s: &Scenario,
    reference: Reference,
) -> Result<Option<MactorInput>, ActorsMapError> {
    if s.actors.is_empty() {
        return Ok(None);
    }
    let ids: Vec<String> = s.actors.iter().map(|a| a.id.clone()).collect();
    let index = |id: &str| ids.iter().position(|x| x == id);
    let n = ids.len();
    let mut rows = vec![vec![0u8; n]; n];
    for (a, actor) in s.actors.iter().enumerate() {
        for (other, judged) in &actor.influence {
            let b = index(other).ok_or_else(|| ActorsMapError::UnknownActor {
                actor: actor.id.clone(),
                other: other.clone(),
            })?;
            let bad = || ActorsMapError::ActorInfluence {
                actor: actor.id.clone(),
                other: other.clone(),
                value: judged.value,
            };
            rows[a][b] = u8::try_from(judged.value).map_err(|_| bad())?;
        }
    }
    let mid = Mid::from_rows(rows).map_err(|e| match e {
        MidError::OutOfScale { row, column, value } => ActorsMapError::ActorInfluence {
            actor: ids[row].clone(),
            other: ids[column].clone(),
            value: i64::from(value),
        },
        MidError::Diagonal { index, value } => ActorsMapError::ActorInfluence {
            actor: ids[index].clone(),
            other: ids[index].clone(),
            value: i64::from(value),
        },
        // The rows are square and there is at least one actor.
        _ => {
            ActorsMapError::ActorInfluence { actor: String::new(), other: String::new(), value: 0 }
        }
    })?;

    let references: Vec<f64> = s.issues.iter().map(|i| reference_point(i, reference)).collect();
    let mao = if s.issues.is_empty() {
        None
    } else {
        let rows: Vec<Vec<i8>> = ids
            .iter()
            .map(|id| {
                s.issues
                    .iter()
                    .zip(&references)
                    .map(|(issue, &r)| {
                        issue
                            .stances
                            .iter()
                            .find(|st| &st.actor == id)
                            .map_or(0, |st| mao_value(st.position, st.salience, r))
                    })
                    .collect()
            })
            .collect();
        // Every value is in −4..=4 by construction, and there is at least one issue.
        Some(Mao::from_rows(rows).map_err(|e: MaoError| ActorsMapError::ActorInfluence {
            actor: e.to_string(),
            other: String::new(),
            value: 0,
        })?)
    };
    Ok(Some(MactorInput {
        actors: s.actors.iter().map(|a| a.name.clone()).collect(),
        actor_ids: ids,
        issue_ids: s.issues.iter().map(|i| i.id.clone()).collect(),
        objectives: s
            .issues
            .iter()
            .zip(&references)
            .map(|(i, r)| format!("{} > {}", i.name, trim_number(*r)))
            .collect(),
        references,
        mid,
        mao,
    }))
}

fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") }
}

/// The reference point of an issue under a [`Reference`] rule.
pub fn reference_point(issue: &Issue, reference: Reference) -> f64 {
    match reference {
        Reference::Midpoint => 50.0,
        Reference::WeightedMean => {
            let weight: f64 = issue.stances.iter().map(|s| s.salience.max(0.0)).sum();
            if weight > 0.0 {
                issue.stances.iter().map(|s| s.salience.max(0.0) * s.position).sum::<f64>() / weight
            } else {
                50.0
            }
        }
    }
}

/// An actor's 2MAO value on an issue's objective: `side · intensity` (see the module
/// documentation). `position` and `reference` are on the issue's 0–100 scale, `salience` 0–100.
///
/// ```
/// use model::lens::actors::mao_value;
/// assert_eq!(mao_value(85.0, 90.0, 50.0), 4);   // for, 90/25 = 3.6 → 4
/// assert_eq!(mao_value(0.0, 70.0, 50.0), -3);   // against, 70/25 = 2.8 → 3
/// assert_eq!(mao_value(60.0, 10.0, 50.0), 1);   // a side taken counts at least 1
/// assert_eq!(mao_value(50.0, 100.0, 50.0), 0);  // at the reference: no side
/// assert_eq!(mao_value(20.0, 0.0, 50.0), 0);    // does not care
/// ```
pub fn mao_value(position: f64, salience: f64, reference: f64) -> i8 {
    let side: i8 = if position > reference {
        1
    } else if position < reference {
        -1
    } else {
        0
    };
    if side == 0 || salience.is_nan() || salience <= 0.0 {
        return 0;
    }
    // The clamp keeps the cast in range; the value is 1..=4.
    let intensity = (salience / 25.0).round().clamp(1.0, 4.0) as i8;
    side * intensity
}

/// The MICMAC input of a scenario, or `None` when no driver has an `influence` table.
///
/// # Errors
/// [`ActorsMapError`] for an influence on an unknown driver or out of range (which validation
/// already rules out).
pub fn micmac_input(s: &Scenario) -> Result<Option<MicmacInput>, ActorsMapError> {
    if s.drivers.iter().all(|d| d.influence.is_empty()) {
        return Ok(None);
    }
    let ids: Vec<String> = s.drivers.iter().map(|d| d.id.clone()).collect();
    let n = ids.len();
    let mut rows = vec![vec![Cell::Level(0); n]; n];
    for (a, driver) in s.drivers.iter().enumerate() {
        for (other, judged) in &driver.influence {
            let b = ids.iter().position(|x| x == other).ok_or_else(|| {
                ActorsMapError::UnknownDriver { driver: driver.id.clone(), other: other.clone() }
            })?;
            rows[a][b] = match judged.value {
                Influence::Potential => Cell::Potential,
                Influence::Level(v) => {
                    Cell::Level(u8::try_from(v).map_err(|_| ActorsMapError::DriverInfluence {
                        driver: driver.id.clone(),
                        other: other.clone(),
                        value: v.to_string(),
                    })?)
                }
            };
        }
    }
    let matrix = DriverMatrix::from_rows(rows).map_err(|e| {
        let (row, column) = match e {
            DriverMatrixError::OutOfScale { row, column, .. } => (row, column),
            DriverMatrixError::Diagonal { index } => (index, index),
            _ => (0, 0),
        };
        let value = match s.drivers[row].influence.get(&ids[column]).map(|j| j.value) {
            Some(Influence::Level(v)) => v.to_string(),
            Some(Influence::Potential) => "P".to_owned(),
            None => "0".to_owned(),
        };
        ActorsMapError::DriverInfluence {
            driver: ids[row].clone(),
            other: ids[column].clone(),
            value,
        }
    })?;
    Ok(Some(MicmacInput {
        drivers: s.drivers.iter().map(|d| d.name.clone()).collect(),
        driver_ids: ids,
        matrix,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    fn korea() -> Scenario {
        builtin::load(&builtin::BUILTINS[0]).expect("korea-2024 loads").scenario
    }

    #[test]
    fn korea_mid_comes_from_the_influence_tables() {
        let input = mactor_input(&korea(), Reference::Midpoint).unwrap().unwrap();
        let dprk = input.actor_ids.iter().position(|x| x == "dprk").unwrap();
        let rok = input.actor_ids.iter().position(|x| x == "rok").unwrap();
        let nato = input.actor_ids.iter().position(|x| x == "nato").unwrap();
        // korea-2024.toml: dprk influence rok = 3, nato = 0.
        assert_eq!(input.mid.get(dprk, rok), Some(3));
        assert_eq!(input.mid.get(dprk, nato), Some(0));
    }

    #[test]
    fn korea_mao_follows_the_rule() {
        let input = mactor_input(&korea(), Reference::Midpoint).unwrap().unwrap();
        let mao = input.mao.unwrap();
        let dprk = input.actor_ids.iter().position(|x| x == "dprk").unwrap();
        let support = input.issue_ids.iter().position(|x| x == "rok_support").unwrap();
        // korea-2024.toml: dprk on rok_support at 0 with salience 70 → −round(2.8) = −3.
        assert_eq!(mao.get(dprk, support), Some(-3));
        assert_eq!(input.objectives[support], "South Korean support to Ukraine > 50");
    }

    #[test]
    fn weighted_mean_reference_splits_a_one_sided_issue() {
        let s = korea();
        let nuclear = s.issues.iter().find(|i| i.id == "rok_nuclear").unwrap();
        let r = reference_point(nuclear, Reference::WeightedMean);
        assert!(r > 0.0 && r < 50.0);
    }

    #[test]
    fn korea_micmac_has_every_driver() {
        let s = korea();
        let input = micmac_input(&s).unwrap().unwrap();
        assert_eq!(input.matrix.len(), s.drivers.len());
    }
}
