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
    /// The issues left out because one actor decides them alone (`decided_by`), in the
    /// scenario's order.
    pub own_choices: Vec<OwnChoice>,
}

/// An issue that one actor decides alone, which is not bargained: its outcome is what that
/// actor chooses, and the scenario's best estimate of it is the actor's stated position.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnChoice {
    /// The issue's id.
    pub issue_id: String,
    /// The issue's display name.
    pub issue: String,
    /// The deciding actor's id.
    pub actor_id: String,
    /// The deciding actor's display name.
    pub actor: String,
    /// The deciding actor's stated position, 0–100.
    pub position: f64,
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
    /// `--issue` named an issue that one actor decides alone (`decided_by`).
    #[error("issue `{issue}` is decided by `{actor}` alone, so it is not bargained")]
    OwnChoice {
        /// The issue's id.
        issue: String,
        /// The deciding actor's id.
        actor: String,
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
            own_choices: Vec::new(),
        }
    }

    /// A study from a validated scenario, restricted to the issues whose ids are in `only`
    /// (all issues when `only` is empty).
    ///
    /// # Errors
    /// [`BargainMapError::NoIssues`] when there is no issue, [`BargainMapError::UnknownIssue`]
    /// for an id in `only` that is not an issue, [`BargainMapError::NoCapability`] when every
    /// actor with a stance on an issue has capability 0, [`BargainMapError::OwnChoice`] for an
    /// id in `only` of an issue that one actor decides alone. Such issues (`decided_by`) are
    /// left out of the study and listed in [`BargainStudy::own_choices`].
    pub fn from_scenario(s: &Scenario, only: &[String]) -> Result<BargainStudy, BargainMapError> {
        for id in only {
            match s.issues.iter().find(|i| &i.id == id) {
                None => return Err(BargainMapError::UnknownIssue { id: id.clone() }),
                Some(i) => {
                    if let Some(actor) = &i.decided_by {
                        let (issue, actor) = (id.clone(), actor.clone());
                        return Err(BargainMapError::OwnChoice { issue, actor });
                    }
                }
            }
        }
        let chosen = |i: &&crate::scenario::Issue| only.is_empty() || only.contains(&i.id);
        let own_choices: Vec<OwnChoice> = s
            .issues
            .iter()
            .filter(chosen)
            .filter_map(|i| {
                let who = i.decided_by.as_ref()?;
                let actor = s.actors.iter().find(|a| &a.id == who)?;
                let stance = i.stances.iter().find(|st| &st.actor == who)?;
                Some(OwnChoice {
                    issue_id: i.id.clone(),
                    issue: i.name.clone(),
                    actor_id: who.clone(),
                    actor: actor.name.clone(),
                    position: stance.position,
                })
            })
            .collect();
        let issues: Vec<_> =
            s.issues.iter().filter(chosen).filter(|i| i.decided_by.is_none()).collect();
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
            own_choices,
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

#[cfg(test)]
mod tests {
    use engines::bargain::smp::{SmpOptions, smp};

    use super::*;
    use crate::load::load_bytes;

    const KOREA: &str = include_str!("../../../../tests/fixtures/bargain/korea-issues.toml");

    fn study(only: &[&str]) -> Result<BargainStudy, BargainMapError> {
        let loaded = match load_bytes("korea-issues.toml", KOREA.as_bytes(), None) {
            Ok(l) => l,
            Err(d) => panic!("fixture does not load: {d}"),
        };
        let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
        BargainStudy::from_scenario(&loaded.scenario, &only)
    }

    #[test]
    fn maps_stances() {
        let s = study(&[]).unwrap();
        assert_eq!(s.actor_ids, ["rok", "dprk", "rus", "usa", "ukr"]);
        assert_eq!(s.issue_ids, ["arms", "nukes", "tech"]);
        // nukes: rok, dprk, usa in actor order.
        assert_eq!(s.per_issue[1].actors, [0, 1, 3]);
        assert_eq!(s.per_issue[1].input.issue(0).salience, [0.4, 0.3, 0.8]);
        // Ukraine has no stance on nukes: salience 0 in the joint input.
        assert_eq!(s.joint.issue(1).salience[4], 0.0);
    }

    #[test]
    fn smp_input_scales_attention_to_one() {
        let s = study(&[]).unwrap();
        // The United States' saliences sum to 1.9; for KTAB's model they sum to 1.
        let total: f64 = s.smp_input().issues().iter().map(|d| d.salience[3]).sum();
        assert!((total - 1.0).abs() <= engines::prec::REORDER);
        assert!(smp(&s.smp_input(), &SmpOptions::ktab()).is_ok());
    }

    #[test]
    fn only_some_issues() {
        let s = study(&["tech"]).unwrap();
        assert_eq!(s.issue_ids, ["tech"]);
        assert_eq!(s.actor_ids, ["rok", "dprk", "rus", "usa"]);
    }

    /// An issue that one actor decides alone is left out of the study and listed with that
    /// actor's position; naming it with `--issue` is refused.
    #[test]
    fn own_choices_are_not_bargained() {
        let text = KOREA.replace("id = \"nukes\"", "id = \"nukes\"\ndecided_by = \"rok\"");
        let loaded = load_bytes("korea-issues.toml", text.as_bytes(), None)
            .unwrap_or_else(|d| panic!("{d}"));
        let s = BargainStudy::from_scenario(&loaded.scenario, &[]).unwrap();
        assert_eq!(s.issue_ids, ["arms", "tech"]);
        assert_eq!(s.own_choices.len(), 1);
        assert_eq!(
            (s.own_choices[0].issue_id.as_str(), s.own_choices[0].actor_id.as_str()),
            ("nukes", "rok")
        );
        assert_eq!(
            BargainStudy::from_scenario(&loaded.scenario, &["nukes".to_string()]),
            Err(BargainMapError::OwnChoice { issue: "nukes".into(), actor: "rok".into() })
        );
    }

    #[test]
    fn err_unknown_issue() {
        assert_eq!(study(&["nuke"]), Err(BargainMapError::UnknownIssue { id: "nuke".into() }));
    }
}
