//! The scenario → ACH mapping: a validated [`Scenario`]'s hypotheses, the evidence they rate,
//! their priors and the indicators that bear on them, as an [`engines::ach::AchMatrix`] with its
//! Bayes priors and the scenario's as-of date.
//!
//! How the scenario's elements become the engine's:
//! - hypotheses: every `[[hypothesis]]`, in file order;
//! - evidence: every `[[evidence]]` item that at least one hypothesis rates, in file order, with
//!   its `credibility` and `relevance` (low/medium/high → Low/Medium/High), each lowered by
//!   [`speculative_weights`] when the item is flagged `speculative`, and its `reported` date
//!   (a partial date `2024-06` or `2024` counts from its first day, as the scenario orders it);
//!   a hypothesis that does not rate an item is taken to rate it NA;
//! - priors: the hypotheses' `prior`s when all have one, else uniform;
//! - indicators: every `[[indicator]]` with a `bears_on` table, rated NA for the hypotheses it does
//!   not name, at High credibility and relevance (an indicator is something seen directly),
//!   except one whose latest observation as of the knowledge date says it was seen: it is no
//!   longer something to watch for, and what it showed enters as the dated evidence that
//!   reported it;
//! - as of: the scenario's knowledge date (its `as_of`, or the date its updates were applied
//!   to by [`crate::updates::known_by`]); an evidence item reported after `as_of` is rated by
//!   its own `bears_on`.
//!
//! Errors name the scenario's ids, never engine indices.

use engines::ach::{AchMatrix, IsoDate, Item, ItemKind, MatrixError, Priors, Rating, Weight};

use crate::scenario::{self, Date, EvidenceFlag, Level, Scenario};
use crate::updates;

/// A scenario's ACH input: the matrix, the priors for `bayes` mode and the date the scenario
/// is set on.
#[derive(Debug, Clone, PartialEq)]
pub struct AchInput {
    /// Hypotheses, rated evidence and indicators.
    pub matrix: AchMatrix,
    /// The hypotheses' priors (uniform when the scenario gives none).
    pub priors: Priors,
    /// The scenario's knowledge date: evidence reported later is not used.
    pub as_of: IsoDate,
}

/// Why a scenario cannot feed the ACH lens. Every variant names the scenario's ids.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AchMappingError {
    /// The scenario has no `[[hypothesis]]`.
    #[error("the scenario has no hypotheses, so there is nothing for ACH to compare")]
    NoHypotheses,
    /// No hypothesis rates any evidence item.
    #[error("no hypothesis rates any evidence item (`ratings = {{ E1 = \"C\", ... }}`)")]
    NoRatings,
    /// A hypothesis rates an evidence id the scenario does not define.
    #[error(
        "hypothesis `{hypothesis}` rates evidence `{evidence}`, which the scenario does not define"
    )]
    UnknownEvidence {
        /// The hypothesis id.
        hypothesis: String,
        /// The unknown evidence id.
        evidence: String,
    },
    /// An indicator bears on a hypothesis id the scenario does not define.
    #[error(
        "indicator `{indicator}` bears on hypothesis `{hypothesis}`, which the scenario does not define"
    )]
    UnknownHypothesis {
        /// The indicator id.
        indicator: String,
        /// The unknown hypothesis id.
        hypothesis: String,
    },
    /// The engine rejected the matrix (duplicate or empty ids), with the scenario's ids in the message.
    #[error("{message}")]
    Matrix {
        /// The engine's complaint, in terms of the scenario's ids.
        message: String,
        /// The engine's error.
        source: MatrixError,
    },
}

/// Maps a validated scenario onto the ACH engine's input.
///
/// # Errors
/// [`AchMappingError`]: no hypotheses, no ratings, a rating of an undefined evidence item or an
/// indicator bearing on an undefined hypothesis (both also caught by validation), or a matrix the
/// engine rejects.
pub fn input(s: &Scenario) -> Result<AchInput, AchMappingError> {
    if s.hypotheses.is_empty() {
        return Err(AchMappingError::NoHypotheses);
    }
    for h in &s.hypotheses {
        if let Some(e) = h.ratings.keys().find(|e| !s.evidence.iter().any(|x| &x.id == *e)) {
            return Err(AchMappingError::UnknownEvidence {
                hypothesis: h.id.clone(),
                evidence: e.clone(),
            });
        }
    }
    for ind in &s.indicators {
        if let Some(h) = ind.bears_on.keys().find(|h| !s.hypotheses.iter().any(|x| &x.id == *h)) {
            return Err(AchMappingError::UnknownHypothesis {
                indicator: ind.id.clone(),
                hypothesis: h.clone(),
            });
        }
    }
    let hypotheses: Vec<String> = s.hypotheses.iter().map(|h| h.id.clone()).collect();
    let evidence: Vec<Item> = s
        .evidence
        .iter()
        .filter(|e| {
            !e.bears_on.is_empty() || s.hypotheses.iter().any(|h| h.ratings.contains_key(&e.id))
        })
        .map(|e| {
            let (credibility, relevance) = if e.flags.contains(&EvidenceFlag::Speculative) {
                speculative_weights(weight(e.credibility), weight(e.relevance))
            } else {
                (weight(e.credibility), weight(e.relevance))
            };
            Item {
                id: e.id.clone(),
                credibility,
                relevance,
                date: Some(iso(e.reported)),
                ratings: s
                    .hypotheses
                    .iter()
                    .map(|h| match e.bears_on.get(&h.id) {
                        Some(&r) => rating(r),
                        None if !e.bears_on.is_empty() => Rating::NA,
                        None => h.ratings.get(&e.id).map_or(Rating::NA, |j| rating(j.value)),
                    })
                    .collect(),
            }
        })
        .collect();
    if evidence.is_empty() {
        return Err(AchMappingError::NoRatings);
    }
    let known = s.scenario.knowledge_date();
    let seen = |id: &str| {
        s.observations
            .iter()
            .enumerate()
            .filter(|(_, o)| o.date <= known && o.indicator.as_deref() == Some(id))
            .max_by_key(|&(j, o)| (o.date, j))
            .is_some_and(|(_, o)| {
                updates::observed(o) == updates::Observed::Indicator { id, seen: true }
            })
    };
    let indicators: Vec<Item> = s
        .indicators
        .iter()
        .filter(|i| !i.bears_on.is_empty() && !seen(&i.id))
        .map(|i| Item {
            id: i.id.clone(),
            credibility: Weight::High,
            relevance: Weight::High,
            date: None,
            ratings: s
                .hypotheses
                .iter()
                .map(|h| i.bears_on.get(&h.id).map_or(Rating::NA, |&r| rating(r)))
                .collect(),
        })
        .collect();
    let priors = if s.hypotheses.iter().all(|h| h.prior.is_some()) {
        Priors::Given(
            s.hypotheses.iter().filter_map(|h| h.prior.as_ref()).map(|p| p.value).collect(),
        )
    } else {
        Priors::Uniform
    };
    let matrix = AchMatrix::new(hypotheses, evidence.clone(), indicators.clone())
        .map_err(|e| matrix_error(e, &evidence, &indicators))?;
    Ok(AchInput { matrix, priors, as_of: iso(s.scenario.knowledge_date()) })
}

fn matrix_error(source: MatrixError, evidence: &[Item], indicators: &[Item]) -> AchMappingError {
    let items = |kind: ItemKind| match kind {
        ItemKind::Evidence => evidence,
        ItemKind::Indicator => indicators,
    };
    let id = |kind: ItemKind, k: usize| items(kind).get(k).map_or("?", |i| i.id.as_str());
    let message = match &source {
        MatrixError::EmptyHypothesisId { hypothesis } => {
            format!("hypothesis number {} has an empty id", hypothesis + 1)
        }
        MatrixError::DuplicateHypothesis { id, .. } => format!("two hypotheses have the id `{id}`"),
        MatrixError::EmptyItemId { kind, item } => {
            format!("{kind} number {} has an empty id", item + 1)
        }
        MatrixError::DuplicateItem { kind, id, .. } => format!("two {kind}s have the id `{id}`"),
        MatrixError::RatingCount { kind, item, .. } => {
            format!("{kind} `{}` is not rated against every hypothesis", id(*kind, *item))
        }
        other => other.to_string(),
    };
    AchMappingError::Matrix { message, source }
}

/// The weights an evidence item flagged `speculative` (a forecast or conjecture, not an
/// observation) enters ACH with: one level lower in credibility (High → Medium → Low), or,
/// when its credibility is already Low, one level lower in relevance; an item Low on both
/// stays there, the floor of PARC ACH 2.0's scale.
///
/// The rule is statecraft's, documented in docs/ach.md. One level is a fixed factor in the
/// weighted modes: 1/√2 on the item's `parc-weighted` multiplier (credibility × relevance),
/// and on its `bayes` reliability 3/4 (High → Medium) or 2/3 (Medium → Low). Plain PARC and
/// shortfall count every item alike whatever its weights, as Heuer's count does, so a
/// speculative item still counts there in full.
pub fn speculative_weights(credibility: Weight, relevance: Weight) -> (Weight, Weight) {
    let lower = |w: Weight| match w {
        Weight::High => Weight::Medium,
        Weight::Medium | Weight::Low => Weight::Low,
    };
    if credibility == Weight::Low {
        (credibility, lower(relevance))
    } else {
        (lower(credibility), relevance)
    }
}

fn weight(l: Level) -> Weight {
    match l {
        Level::Low => Weight::Low,
        Level::Medium => Weight::Medium,
        Level::High => Weight::High,
    }
}

fn rating(r: scenario::Rating) -> Rating {
    match r {
        scenario::Rating::CC => Rating::CC,
        scenario::Rating::C => Rating::C,
        scenario::Rating::N => Rating::N,
        scenario::Rating::I => Rating::I,
        scenario::Rating::II => Rating::II,
        scenario::Rating::NA => Rating::NA,
    }
}

/// A scenario date as an engine date; a partial date counts from its first day.
fn iso(d: Date) -> IsoDate {
    // The scenario's dates are checked on loading, so the fallback is never taken; it keeps
    // this function total.
    IsoDate::new(d.year, d.month.max(1), d.day.max(1))
        .or_else(|| IsoDate::new(d.year, d.month.clamp(1, 12), 1))
        .unwrap_or(IsoDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;

    /// The worked example of `docs/ach.md` as a scenario, with two indicators.
    const WORKED: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/ach/worked.toml"));

    fn load(text: &str) -> Scenario {
        match load_bytes("test.toml", text.as_bytes(), None) {
            Ok(l) => l.scenario,
            Err(d) => panic!("{d:?}"),
        }
    }

    #[test]
    fn maps_the_worked_example() {
        let input = input(&load(WORKED)).unwrap();
        let csv = crate::formats::ach_csv::read(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/ach/worked.csv"
        )))
        .unwrap();
        let m = &input.matrix;
        assert_eq!(m.hypotheses(), csv.hypotheses());
        // Same items, weights and ratings as the CSV; E4 is dated in the scenario.
        for (a, b) in m.evidence().iter().zip(csv.evidence()) {
            assert_eq!(
                (&a.id, a.credibility, a.relevance, &a.ratings),
                (&b.id, b.credibility, b.relevance, &b.ratings)
            );
        }
        assert_eq!(m.evidence().len(), 5, "the unrated E6 is left out");
        assert_eq!(m.indicators().len(), 2, "the indicator without bears_on is left out");
        assert_eq!(m.indicators()[0].ratings, vec![Rating::II, Rating::C, Rating::C]);
        assert_eq!(m.indicators()[1].ratings, vec![Rating::N, Rating::I, Rating::NA]);
        assert_eq!(input.priors, Priors::Uniform);
        assert_eq!(input.as_of.to_string(), "2024-10-31");
        // What `statecraft run` shows: the posteriors of docs/ach.md and E1 as the linchpin.
        let options = engines::ach::AchOptions {
            mode: engines::ach::Mode::Bayes,
            bayes: engines::ach::BayesSettings {
                likelihoods: engines::ach::LikelihoodTable::standard(),
                priors: input.priors.clone(),
            },
            as_of: Some(input.as_of),
            sensitivity: engines::ach::Sensitivity::Run,
            timeline: engines::ach::Timeline::Skip,
        };
        let r = engines::ach::analyze(&input.matrix, &options).unwrap();
        assert!((r.scores[0] - 0.719_347_357_387_421).abs() <= engines::prec::REFERENCE);
        assert_eq!(r.linchpins, Some(vec![0]));
        assert_eq!(r.indicators[0].indicator, 0);
    }

    /// Issue #14: `speculative` lowers an item's weight by one level (docs/ach.md), credibility
    /// first, relevance once credibility is Low, never below Low/Low; the weighted scores move.
    #[test]
    fn speculative_lowers_an_items_weight_by_one_level() {
        use Weight::{High, Low, Medium};
        assert_eq!(speculative_weights(High, High), (Medium, High));
        assert_eq!(speculative_weights(Medium, Low), (Low, Low));
        assert_eq!(speculative_weights(Low, High), (Low, Medium));
        assert_eq!(speculative_weights(Low, Low), (Low, Low));
        // E1 is High/High and E3 Low/Medium in the worked example.
        let flag = |text: &str, id: &str| {
            text.replacen(
                &format!("id = \"{id}\"\n"),
                &format!("id = \"{id}\"\nflags = [\"speculative\"]\n"),
                1,
            )
        };
        let plain = input(&load(WORKED)).unwrap();
        let flagged = input(&load(&flag(&flag(WORKED, "E1"), "E3"))).unwrap();
        let weights = |i: &AchInput, k: usize| {
            let e = &i.matrix.evidence()[k];
            (e.credibility, e.relevance)
        };
        assert_eq!(weights(&plain, 0), (High, High));
        assert_eq!(weights(&flagged, 0), (Medium, High));
        assert_eq!(weights(&flagged, 2), (Low, Low));
        assert_eq!(weights(&flagged, 1), weights(&plain, 1), "E2 is not flagged");
        let weighted = |i: &AchInput| {
            let options = engines::ach::AchOptions {
                mode: engines::ach::Mode::ParcWeighted,
                bayes: engines::ach::BayesSettings {
                    likelihoods: engines::ach::LikelihoodTable::standard(),
                    priors: i.priors.clone(),
                },
                as_of: Some(i.as_of),
                sensitivity: engines::ach::Sensitivity::Skip,
                timeline: engines::ach::Timeline::Skip,
            };
            engines::ach::analyze(&i.matrix, &options).unwrap().scores
        };
        // H2's inconsistent E1 now weighs √2·1 instead of 2 (docs/ach.md's worked example
        // gives H2 −4 unflagged): −√2 − 2 · 1.
        let h2 = weighted(&flagged)[1];
        assert!((weighted(&plain)[1] + 4.0).abs() <= engines::prec::REFERENCE);
        assert!((h2 + std::f64::consts::SQRT_2 + 2.0).abs() <= engines::prec::REFERENCE, "{h2}");
    }

    #[test]
    fn priors_and_partial_dates() {
        let text = WORKED
            .replace("title = \"H1\"", "title = \"H1\"\nprior = 0.5")
            .replace("title = \"H2\"", "title = \"H2\"\nprior = 0.25")
            .replace("title = \"H3\"", "title = \"H3\"\nprior = 0.25")
            .replace("reported = \"2023-12-01\"", "reported = \"2023-12\"");
        let input = input(&load(&text)).unwrap();
        assert_eq!(input.priors, Priors::Given(vec![0.5, 0.25, 0.25]));
        assert_eq!(input.matrix.evidence()[3].date.unwrap().to_string(), "2023-12-01");
    }

    #[test]
    fn an_indicator_seen_is_no_longer_watched() {
        let observe = |date: &str, id: &str, seen: bool| {
            format!(
                "\n[[observation]]\ndate = \"{date}\"\nindicator = \"{id}\"\nseen = {seen}\nsource = \"s1\"\nwhy = \"test\"\n"
            )
        };
        let text = format!(
            "{WORKED}{}{}{}",
            observe("2024-11-05", "I1", true),
            observe("2024-11-06", "I2", true),
            observe("2024-12-01", "I2", false),
        );
        let ids = |as_of: &str| {
            let mut s = load(&text);
            if as_of != "as_of" {
                s = crate::updates::known_by(&s, Date::parse(as_of).unwrap()).unwrap();
            }
            input(&s).unwrap().matrix.indicators().iter().map(|i| i.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids("as_of"), ["I1", "I2"], "nothing was known of them on as_of");
        assert_eq!(ids("2024-11-05"), ["I2"], "I1 seen");
        assert_eq!(ids("2024-11-30"), Vec::<String>::new(), "both seen");
        assert_eq!(ids("2024-12-31"), ["I2"], "I2's latest report says not seen");
    }

    #[test]
    fn err_no_hypotheses() {
        let text = "[scenario]\nformat = 1\nid = \"x\"\ntitle = \"x\"\nquestion = \"x\"\nas_of = \"2024-01-01\"\n";
        assert_eq!(input(&load(text)).unwrap_err(), AchMappingError::NoHypotheses);
    }

    #[test]
    fn err_no_ratings() {
        let mut s = load(WORKED);
        for h in &mut s.hypotheses {
            h.ratings.clear();
        }
        assert_eq!(input(&s).unwrap_err(), AchMappingError::NoRatings);
    }

    #[test]
    fn err_unknown_ids_name_them() {
        let mut s = load(WORKED);
        s.hypotheses[1]
            .ratings
            .insert("E9".into(), crate::scenario::Judged::bare(scenario::Rating::C));
        assert_eq!(
            input(&s).unwrap_err().to_string(),
            "hypothesis `H2` rates evidence `E9`, which the scenario does not define"
        );
        let mut s = load(WORKED);
        s.indicators[0].bears_on.insert("H9".into(), scenario::Rating::C);
        assert_eq!(
            input(&s).unwrap_err().to_string(),
            "indicator `I1` bears on hypothesis `H9`, which the scenario does not define"
        );
    }

    #[test]
    fn err_duplicate_hypothesis_named() {
        let mut s = load(WORKED);
        s.hypotheses[2].id = "H1".into();
        s.indicators.clear();
        assert_eq!(input(&s).unwrap_err().to_string(), "two hypotheses have the id `H1`");
    }
}
