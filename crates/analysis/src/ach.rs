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
use model::scenario::Scenario;

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
    analyse(input.matrix, input.priors, Some(input.as_of), settings)
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
    Ok(AchAnalysis { matrix, result, as_of: as_of.map(|d| d.to_string()), heuer })
}
