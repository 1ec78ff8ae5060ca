//! The scenario → bargaining mapping: the scenario's issues, and the positions, saliences and
//! capabilities of the actors who take a stance on them, as a [`BargainStudy`] that every
//! bargaining model runs on. A bargaining CSV file (KTAB's or the 4-column table) becomes a
//! study too, so the command line treats both alike.
//!
//! Scenario conventions: issues are on 0–100 and saliences are 0–100 per issue; they are
//! divided by 100. The joint input (for the spatial model and the baseline) holds every actor
//! with a stance on at least one issue. An actor without a stance on an issue gets salience 0
//! there and, as its position, the issue's weighted mean (it does not care, so where it stands
//! only matters to others). KTAB's spatial model treats saliences as shares of attention
//! summing to at most 1: an actor whose saliences sum to more than 100 has them divided by
//! their sum for that model ([`BargainStudy::smp_input`]). The expected utility model runs on
//! each issue with only the actors who take a stance on it ([`IssueStudy`]).

use engines::bargain::{BargainInput, InputError, IssueData, weighted_mean};

use crate::formats::bargain_csv::BargainTable;
use crate::scenario::Scenario;

/// One issue's own input: the actors with a stance on it.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueStudy {
    /// For each actor of `input`, its index in [`BargainStudy::actors`].
    pub actors: Vec<usize>,
    /// The one-issue input.
    pub input: BargainInput,
}

/// Everything the bargaining models need, with names to report by.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainStudy {
    /// What was analysed (scenario title or file's scenario name), if known.
    pub title: Option<String>,
    /// Actor ids (for a CSV file, its names).
    pub actor_ids: Vec<String>,
    /// Actor display names.
    pub actors: Vec<String>,
    /// Issue ids (for a CSV file, its dimension names).
    pub issue_ids: Vec<String>,
    /// Issue display names.
    pub issues: Vec<String>,
    /// All actors on all issues.
    pub joint: BargainInput,
    /// Each issue on its own, in issue order.
    pub per_issue: Vec<IssueStudy>,
}

/// Why a scenario cannot be bargained over. Errors name the scenario's ids.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BargainMapError {
    /// The scenario has no `[[issue]]`.
    #[error("the scenario has no issue to bargain over")]
    NoIssues,
    /// `--issue` named an issue that does not exist.
    #[error("there is no issue `{id}`")]
    UnknownIssue {
        /// The id given.
        id: String,
    },
    /// The actors with a stance on an issue all have capability 0.
    #[error("every actor with a stance on issue `{issue}` has capability 0")]
    NoCapability {
        /// The issue's id.
        issue: String,
    },
    /// Any other input the engine rejects, with the issue it concerns.
    #[error("issue `{issue}`: {error}")]
    Input {
        /// The issue's id.
        issue: String,
        /// The engine's error.
        error: InputError,
    },
}

impl BargainStudy {
    /// A study from a bargaining CSV file: every actor on every issue.
    pub fn from_table(table: BargainTable) -> BargainStudy {
        let n = table.input.n_actors();
        let per_issue = (0..table.input.n_issues())
            .map(|d| IssueStudy { actors: (0..n).collect(), input: single(&table.input, d) })
            .collect();
        BargainStudy {
            title: table.name.clone(),
            actor_ids: table.actors.clone(),
            actors: table.actors,
            issue_ids: table.issues.clone(),
            issues: table.issues,
            joint: table.input,
            per_issue,
        }
    }

    /// A study from a validated scenario, restricted to the issues whose ids are in `only`
    /// (all issues when `only` is empty).
    ///
    /// # Errors
    /// [`BargainMapError::NoIssues`] when there is no issue, [`BargainMapError::UnknownIssue`]
    /// for an id in `only` that is not an issue, [`BargainMapError::NoCapability`] when every
    /// actor with a stance on an issue has capability 0.
    pub fn from_scenario(s: &Scenario, only: &[String]) -> Result<BargainStudy, BargainMapError> {
        for id in only {
            if !s.issues.iter().any(|i| &i.id == id) {
                return Err(BargainMapError::UnknownIssue { id: id.clone() });
            }
        }
        let issues: Vec<_> =
            s.issues.iter().filter(|i| only.is_empty() || only.contains(&i.id)).collect();
        if issues.is_empty() {
            return Err(BargainMapError::NoIssues);
        }
        // Actors with at least one stance, in the scenario's actor order.
        let involved: Vec<usize> = (0..s.actors.len())
            .filter(|&a| {
                issues.iter().any(|i| i.stances.iter().any(|st| st.actor == s.actors[a].id))
            })
            .collect();
        let cap: Vec<f64> = involved.iter().map(|&a| s.actors[a].capability.value).collect();
        let mut joint_issues = Vec::new();
        let mut per_issue = Vec::new();
        for issue in &issues {
            let stance = |a: usize| issue.stances.iter().find(|st| st.actor == s.actors[a].id);
            let map_err = |error: InputError| match error {
                InputError::AllCapabilitiesZero => {
                    BargainMapError::NoCapability { issue: issue.id.clone() }
                }
                error => BargainMapError::Input { issue: issue.id.clone(), error },
            };
            let members: Vec<usize> =
                (0..involved.len()).filter(|&k| stance(involved[k]).is_some()).collect();
            let pos: Vec<f64> =
                members.iter().filter_map(|&k| stance(involved[k])).map(|st| st.position).collect();
            let sal: Vec<f64> = members
                .iter()
                .filter_map(|&k| stance(involved[k]))
                .map(|st| st.salience / 100.0)
                .collect();
            let mcap: Vec<f64> = members.iter().map(|&k| cap[k]).collect();
            let input = BargainInput::new(
                mcap.clone(),
                vec![IssueData {
                    scale_min: 0.0,
                    scale_max: 100.0,
                    position: pos.clone(),
                    salience: sal.clone(),
                }],
            )
            .map_err(map_err)?;
            let w: Vec<f64> = mcap.iter().zip(&sal).map(|(c, s)| c * s).collect();
            let centre = weighted_mean(&w, &pos).unwrap_or(50.0);
            let (mut jp, mut js) = (Vec::new(), Vec::new());
            for &a in &involved {
                match stance(a) {
                    Some(st) => {
                        jp.push(st.position);
                        js.push(st.salience / 100.0);
                    }
                    None => {
                        jp.push(centre);
                        js.push(0.0);
                    }
                }
            }
            joint_issues.push(IssueData {
                scale_min: 0.0,
                scale_max: 100.0,
                position: jp,
                salience: js,
            });
            per_issue.push(IssueStudy { actors: members, input });
        }
        let joint = BargainInput::new(cap, joint_issues)
            .map_err(|error| BargainMapError::Input { issue: issues[0].id.clone(), error })?;
        Ok(BargainStudy {
            title: Some(s.scenario.title.clone()),
            actor_ids: involved.iter().map(|&a| s.actors[a].id.clone()).collect(),
            actors: involved.iter().map(|&a| s.actors[a].name.clone()).collect(),
            issue_ids: issues.iter().map(|i| i.id.clone()).collect(),
            issues: issues.iter().map(|i| i.name.clone()).collect(),
            joint,
            per_issue,
        })
    }

    /// The joint input for KTAB's spatial model: every actor whose saliences sum to more than 1
    /// has them divided by their sum (KTAB reads saliences as shares of attention). Inputs
    /// read from KTAB's own format are returned unchanged.
    pub fn smp_input(&self) -> BargainInput {
        let j = &self.joint;
        let n = j.n_actors();
        let mut issues: Vec<IssueData> = j.issues().to_vec();
        for a in 0..n {
            let total: f64 = issues.iter().map(|d| d.salience[a]).sum();
            if total > 1.0 {
                for d in &mut issues {
                    d.salience[a] /= total;
                }
            }
        }
        // Dividing valid saliences by their sum keeps every value in [0, 1].
        BargainInput::new(j.capability().to_vec(), issues).unwrap_or_else(|_| j.clone())
    }
}

/// Issue `d` of `input` on its own.
fn single(input: &BargainInput, d: usize) -> BargainInput {
    let data = input.issue(d).clone();
    // The data came from a checked input, so they check again.
    BargainInput::new(input.capability().to_vec(), vec![data]).unwrap_or_else(|_| input.clone())
}
