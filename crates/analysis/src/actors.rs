//! The actors lens: MACTOR (the actors' balance of power and their convergences on the
//! objectives) and MICMAC (the structural influence of the drivers on one another), from a
//! scenario or from matrices read from peers' files.
//!
//! [`ActorsSettings`] holds every choice, with the defaults of `statecraft actors`;
//! [`from_scenario`] maps a scenario onto an [`ActorsInput`], and [`analyse`] runs both methods
//! on whatever the input holds.

use engines::actors::mactor::{self, BalanceFormula, Mactor, MactorOptions, Mao, Mid};
use engines::actors::micmac::{
    self, DriverMatrix, Indirect, Micmac, MicmacError, MicmacOptions, Potential, Powers,
};
use model::lens::actors::Reference;
use model::scenario::Scenario;

use crate::LensError;

/// Every choice of the actors lens.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorsSettings {
    /// The MACTOR level to show (1 signs, 2 valued positions, 3 weighted by the balance of
    /// power), or `None` for every level.
    pub level: Option<u8>,
    /// How far the MICMAC powers go.
    pub powers: Powers,
    /// How a potential influence `P` counts.
    pub potential: Potential,
    /// Which indirect values classify the drivers.
    pub indirect: Indirect,
    /// Half-width of the regulating zone around the map's centre, as a fraction of the means,
    /// in `[0, 1)`.
    pub regulating_band: f64,
    /// For a scenario: the point of each issue's scale that separates for from against.
    pub reference: Reference,
    /// The formula of the balance-of-power coefficient.
    pub balance: BalanceFormula,
}

/// The highest MICMAC power tried while looking for stable rankings, by default.
pub const DEFAULT_MAX_POWER: u32 = 50;

impl Default for ActorsSettings {
    fn default() -> Self {
        ActorsSettings {
            level: None,
            powers: Powers::UntilStable { max: DEFAULT_MAX_POWER },
            potential: Potential::Weight(3),
            indirect: Indirect::Powers,
            regulating_band: 0.2,
            reference: Reference::WeightedMean,
            balance: BalanceFormula::Retroaction,
        }
    }
}

/// MACTOR's input: the matrices and the names that go with them.
#[derive(Debug, Clone)]
pub struct MactorInput {
    /// The actors, in the matrices' order.
    pub actors: Vec<String>,
    /// The objectives, in the 2MAO's order (empty without one).
    pub objectives: Vec<String>,
    /// The matrix of direct influences.
    pub mid: Mid,
    /// The valued positions on the objectives, if any.
    pub mao: Option<Mao>,
}

/// MICMAC's input: the driver matrix and the drivers' names.
#[derive(Debug, Clone)]
pub struct MicmacInput {
    /// The drivers, in the matrix's order.
    pub drivers: Vec<String>,
    /// The matrix of direct influences.
    pub matrix: DriverMatrix,
}

/// What the actors lens analyses: either method, or both.
#[derive(Debug, Clone, Default)]
pub struct ActorsInput {
    /// MACTOR's input, if any.
    pub mactor: Option<MactorInput>,
    /// MICMAC's input, if any.
    pub micmac: Option<MicmacInput>,
}

/// MACTOR's result with its input.
#[derive(Debug, Clone)]
pub struct MactorPart {
    /// What was analysed.
    pub input: MactorInput,
    /// The result.
    pub result: Mactor,
}

/// MICMAC's result with its input.
#[derive(Debug, Clone)]
pub struct MicmacPart {
    /// What was analysed.
    pub input: MicmacInput,
    /// The result.
    pub result: Micmac,
}

/// What the actors lens found.
#[derive(Debug, Clone)]
pub struct ActorsAnalysis {
    /// MACTOR's part, when the input had a MID.
    pub mactor: Option<MactorPart>,
    /// MICMAC's part, when the input had a driver matrix.
    pub micmac: Option<MicmacPart>,
    /// The settings it ran with.
    pub settings: ActorsSettings,
}

/// Maps a scenario onto the actors lens: the MID and 2MAO from its actors and issues, the
/// driver matrix from its drivers' influences.
///
/// # Errors
/// Bad input when the scenario has neither actors' nor drivers' influences.
pub fn input_from_scenario(
    s: &Scenario,
    settings: &ActorsSettings,
) -> Result<ActorsInput, LensError> {
    use model::lens::actors as lens;
    let fail = |e: lens::ActorsMapError| LensError::bad_input(e.to_string());
    let mactor = lens::mactor_input(s, settings.reference).map_err(fail)?.map(|m| MactorInput {
        actors: m.actors,
        objectives: m.objectives,
        mid: m.mid,
        mao: m.mao,
    });
    let micmac = lens::micmac_input(s)
        .map_err(fail)?
        .map(|m| MicmacInput { drivers: m.drivers, matrix: m.matrix });
    if mactor.is_none() && micmac.is_none() {
        return Err(LensError::analysis(
            "the scenario has neither actors nor driver influences for the actors lens",
        )
        .with_help(
            "give actors `influence` tables (MACTOR) or drivers `influence` tables (MICMAC)",
        ));
    }
    Ok(ActorsInput { mactor, micmac })
}

/// Maps a scenario onto the lens and analyses it.
///
/// # Errors
/// Those of [`input_from_scenario`] and [`analyse`].
pub fn from_scenario(s: &Scenario, settings: &ActorsSettings) -> Result<ActorsAnalysis, LensError> {
    analyse(input_from_scenario(s, settings)?, settings)
}

/// Runs MACTOR and MICMAC on whatever the input holds.
///
/// # Errors
/// Bad input for a regulating band outside `[0, 1)`; an analysis error when a matrix is
/// degenerate (no influence at all, no Perron limit).
pub fn analyse(input: ActorsInput, settings: &ActorsSettings) -> Result<ActorsAnalysis, LensError> {
    crate::count::count("actors");
    let band = settings.regulating_band;
    if !(0.0..1.0).contains(&band) {
        return Err(LensError::bad_input(format!(
            "--regulating-band is {band}, it must be at least 0 and below 1"
        ))
        .with_help("0.2 puts drivers within 20% of both means in the regulating zone"));
    }
    let mactor = match input.mactor {
        None => None,
        Some(input) => {
            let result = run_mactor(&input, settings.balance)?;
            Some(MactorPart { input, result })
        }
    };
    let micmac = match input.micmac {
        None => None,
        Some(input) => {
            let options = MicmacOptions {
                potential: settings.potential,
                powers: settings.powers,
                indirect: settings.indirect,
                regulating_band: band,
            };
            let result = micmac::analyse(&input.matrix, &options).map_err(|e| {
                let help = match e {
                    MicmacError::NoPerronLimit => {
                        "classify by the powers instead: --indirect powers"
                    }
                    MicmacError::NoInfluence => {
                        "a row's cells say how much that driver acts on each column's driver; give at least one above 0 (with --p-weight 0, P counts as 0)"
                    }
                    _ => "see statecraft actors --help for the options' ranges",
                };
                LensError::analysis(format!("MICMAC: {e}")).with_help(help)
            })?;
            Some(MicmacPart { input, result })
        }
    };
    Ok(ActorsAnalysis { mactor, micmac, settings: settings.clone() })
}

fn run_mactor(input: &MactorInput, balance: BalanceFormula) -> Result<Mactor, LensError> {
    let fail = |e: mactor::MactorError| {
        LensError::analysis(format!("MACTOR: {e}")).with_help(
            "a MID row's cells say how much that actor can act on each column's actor, 0 to 4",
        )
    };
    let options = MactorOptions { balance };
    match &input.mao {
        Some(mao) => mactor::analyse(&input.mid, mao, &options).map_err(fail),
        None => {
            let balance = mactor::balance(&input.mid, &options).map_err(fail)?;
            Ok(Mactor { balance, levels: Vec::new() })
        }
    }
}
