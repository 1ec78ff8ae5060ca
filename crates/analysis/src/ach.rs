//! The ACH lens: Analysis of Competing Hypotheses on a scenario's hypotheses and evidence, or
//! on a matrix read from a peer's file.
//!
//! [`AchSettings`] holds every choice the lens offers, with the defaults of
//! `statecraft ach`; [`analyse`] runs the engine (`engines::ach::analyze`) on a matrix and
//! returns an [`AchAnalysis`]; [`from_scenario`] maps a scenario onto the matrix first.

use engines::ach::{
    self, AchError, AchMatrix, AchOptions, AchResult, BayesSettings, IsoDate, LikelihoodTable,
    Mode, Priors, Sensitivity, Timeline,
};
use model::scenario::{Date, HypothesisSet, Scenario};

use crate::LensError;

/// Every choice of the ACH lens.
#[derive(Debug, Clone, PartialEq)]
pub struct AchSettings {
    /// The scoring rule (default PARC ACH 2.0's inconsistency count).
    pub mode: Mode,
    /// Remove and reverse each evidence item in turn, and find the linchpins.
    pub sensitivity: bool,
    /// Score the evidence date by date, as it arrived.
    pub timeline: bool,
    /// Use only evidence dated on or before this date; `None` takes the scenario's own
    /// `as_of` (a matrix file has none: every item is used).
    pub as_of: Option<IsoDate>,
    /// The likelihood P(e | h) of each rating in Bayesian mode.
    pub likelihoods: LikelihoodTable,
}

impl Default for AchSettings {
    fn default() -> Self {
        AchSettings {
            mode: Mode::Parc,
            sensitivity: false,
            timeline: false,
            as_of: None,
            likelihoods: LikelihoodTable::standard(),
        }
    }
}

impl AchSettings {
    /// The settings of `statecraft run`: Bayesian scoring (the one rule with probabilities)
    /// with sensitivity, so that the answer can name the posteriors and the linchpins.
    pub fn for_run() -> AchSettings {
        AchSettings { mode: Mode::Bayes, sensitivity: true, ..AchSettings::default() }
    }
}

/// What the ACH lens found.
#[derive(Debug, Clone, PartialEq)]
pub struct AchAnalysis {
    /// The matrix analysed: hypotheses, rated evidence, indicators.
    pub matrix: AchMatrix,
    /// The engine's result.
    pub result: AchResult,
    /// The date the evidence was cut at, as `YYYY-MM-DD`, if any.
    pub as_of: Option<String>,
    /// Heuer's own reading, PARC ACH 2.0's count of inconsistent evidence, when the settings
    /// asked for another scoring rule (`None` when `result` is that reading already).
    pub heuer: Option<AchResult>,
    /// Whether the hypotheses are declared mutually exclusive and exhaustive (`[scenario]
    /// hypotheses = "exclusive"`), so that Bayesian weights may be called probabilities; a
    /// matrix file declares nothing, so `false`.
    pub exclusive: bool,
    /// The evidence items (indices into the matrix's evidence) about something that happened
    /// before the event the hypotheses explain (`[scenario] event`): each would exist whichever
    /// hypothesis is true, so it can say little about what the event is.
    pub predates: Vec<usize>,
    /// The evidence items rated alike under every hypothesis: they cannot tell the hypotheses
    /// apart, whatever their weight (Heuer 1999, ch. 8, step 3).
    pub alike: Vec<usize>,
    /// The date the event the hypotheses explain began, as the scenario writes it.
    pub event: Option<String>,
}

impl AchAnalysis {
    /// Heuer's reading: which hypothesis the evidence contradicts least (Heuer 1999, ch. 8,
    /// step 5), whatever rule `result` used.
    pub fn least_inconsistent(&self) -> &AchResult {
        self.heuer.as_ref().unwrap_or(&self.result)
    }
}

/// Maps a scenario onto the ACH matrix (with its priors and `as_of`) and analyses it.
///
/// # Errors
/// Bad input when the scenario cannot feed ACH (no hypotheses, no ratings); otherwise those of
/// [`analyse`].
pub fn from_scenario(s: &Scenario, settings: &AchSettings) -> Result<AchAnalysis, LensError> {
    let input = model::lens::ach::input(s).map_err(|e| {
        LensError::bad_input(e.to_string()).with_help(
            "ACH needs `[[hypothesis]]` tables whose `ratings` rate `[[evidence]]` items; see docs/ach.md",
        )
    })?;
    let mut a = analyse(input.matrix, input.priors, Some(input.as_of), settings)?;
    a.exclusive = s.scenario.hypotheses == HypothesisSet::Exclusive;
    if let Some(event) = s.scenario.event {
        a.event = Some(event.to_string());
        a.predates = predating(s, &a.matrix, event);
    }
    Ok(a)
}

/// The matrix's evidence items whose own event (or, without one, their report) is dated before
/// `event`, in the scenario's order of dates (a partial date sorts before the full dates it
/// contains), so an item of "2024-10" does not predate an event of "2024-10".
fn predating(s: &Scenario, matrix: &AchMatrix, event: Date) -> Vec<usize> {
    matrix
        .evidence()
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            s.evidence
                .iter()
                .find(|e| e.id == item.id)
                .is_some_and(|e| e.event.unwrap_or(e.reported) < event)
        })
        .map(|(k, _)| k)
        .collect()
}

/// The matrix's evidence items rated the same under every hypothesis (with more than one
/// hypothesis to tell apart).
fn alike(matrix: &AchMatrix) -> Vec<usize> {
    if matrix.hypotheses().len() < 2 {
        return Vec::new();
    }
    matrix
        .evidence()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.ratings.windows(2).all(|w| w[0] == w[1]))
        .map(|(k, _)| k)
        .collect()
}

/// Analyses a matrix: `priors` are the hypotheses' priors in Bayesian mode, and `as_of` the
/// matrix's own date, used when the settings give none.
///
/// # Errors
/// An analysis error when the evidence is impossible under every hypothesis (Bayesian mode);
/// bad input when no evidence is known by the date, or the engine rejects the matrix.
pub fn analyse(
    matrix: AchMatrix,
    priors: Priors,
    as_of: Option<IsoDate>,
    settings: &AchSettings,
) -> Result<AchAnalysis, LensError> {
    crate::count::count("ach");
    let as_of = settings.as_of.or(as_of);
    let options = AchOptions {
        mode: settings.mode,
        bayes: BayesSettings { likelihoods: settings.likelihoods, priors },
        as_of,
        sensitivity: if settings.sensitivity { Sensitivity::Run } else { Sensitivity::Skip },
        timeline: if settings.timeline { Timeline::Run } else { Timeline::Skip },
    };
    let result = ach::analyze(&matrix, &options).map_err(|e| match e {
        AchError::ImpossibleEvidence { .. } => LensError::analysis(e.to_string()).with_help(
            "a likelihood of 0 rules a hypothesis out; check the ratings of that item, or lower its credibility",
        ),
        AchError::NothingKnownAsOf { .. } => LensError::bad_input(e.to_string()).with_help(
            "choose a later --as-of date, or run --timeline to see the evidence dates",
        ),
        e => LensError::bad_input(e.to_string()),
    })?;
    // Heuer's reading beside any other rule, so that a report can lead with it.
    let heuer = (settings.mode != Mode::Parc)
        .then(|| {
            let parc = AchOptions {
                mode: Mode::Parc,
                sensitivity: Sensitivity::Skip,
                timeline: Timeline::Skip,
                ..options.clone()
            };
            ach::analyze(&matrix, &parc)
        })
        .transpose()
        .map_err(|e| LensError::bad_input(e.to_string()))?;
    let alike = alike(&matrix);
    Ok(AchAnalysis {
        matrix,
        result,
        as_of: as_of.map(|d| d.to_string()),
        heuer,
        exclusive: false,
        predates: Vec::new(),
        alike,
        event: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of docs/ach.md as a scenario.
    const WORKED: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/ach/worked.toml"));

    fn scenario(text: &str) -> Scenario {
        model::load::load_bytes("w.toml", text.as_bytes(), None).unwrap().scenario
    }

    /// Issue #14: E4 is rated N under every hypothesis of the worked example, so it cannot tell
    /// them apart; with `event` declared, the items about earlier happenings predate it.
    #[test]
    fn flags_evidence_rated_alike_and_evidence_before_the_event() {
        let a = from_scenario(&scenario(WORKED), &AchSettings::for_run()).unwrap();
        let ids = |k: &[usize]| -> Vec<String> {
            k.iter().map(|&k| a.matrix.evidence()[k].id.clone()).collect()
        };
        assert_eq!(ids(&a.alike), ["E4"]);
        assert!(a.predates.is_empty() && a.event.is_none() && !a.exclusive);
        // E1 is reported on 2024-01-10, E2 and E3 on 2024-03-05 (E4 in 2023-12).
        let text = WORKED.replacen(
            "as_of = \"2024-10-31\"",
            "as_of = \"2024-10-31\"\nevent = \"2024-03\"\nhypotheses = \"exclusive\"",
            1,
        );
        let a = from_scenario(&scenario(&text), &AchSettings::for_run()).unwrap();
        assert_eq!(ids(&a.predates), ["E1", "E4"]);
        assert_eq!(a.event.as_deref(), Some("2024-03"));
        assert!(a.exclusive);
    }
}
