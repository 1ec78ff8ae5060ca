//! `statecraft actors`: MACTOR on a MID (and a 2MAO), MICMAC on a driver matrix, each read
//! from labelled CSV or drawn from a scenario. The flags become `analysis::actors::ActorsSettings`,
//! `analysis::actors::analyse` runs both methods, and `report::actors` renders the result.

use std::path::{Path, PathBuf};

use analysis::actors::{ActorsInput, ActorsSettings, MactorInput, MicmacInput};
use clap::{Args, ValueEnum};
use engines::actors::mactor::BalanceFormula;
use engines::actors::micmac::{Indirect, Potential, Powers};
use miette::miette;
use model::formats::matrix_csv::{self, MatrixCsvError};
use model::lens::actors::Reference;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered};

/// Arguments of `statecraft actors`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  statecraft actors
  statecraft actors my-scenario.toml --level 3 --reference midpoint
  statecraft actors --mid MID.csv --mao MAO.csv --level 2
  statecraft actors --micmac DRIVERS.csv --power 4 --format json

A matrix file has a header row of column names and each row's name in its first column:
  MID,USA,China,DPRK
  USA,0,3,2
  ...
MID cells are 0..4, 2MAO cells -4..4, driver cells 0..3 or P (potential).")]
pub struct ActorsArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024), unless the
    /// matrices are given as CSV files.
    #[arg(value_name = "SCENARIO", conflicts_with_all = ["mid", "mao", "micmac"])]
    pub scenario: Option<String>,
    /// The matrix of direct influences between actors (0..4), CSV.
    #[arg(long, value_name = "MID.csv")]
    pub mid: Option<PathBuf>,
    /// The actors' positions on the objectives (2MAO, -4..4), CSV; needs --mid.
    #[arg(long, value_name = "MAO.csv", requires = "mid")]
    pub mao: Option<PathBuf>,
    /// The MICMAC matrix of direct influences between drivers (0..3 or P), CSV.
    #[arg(long, value_name = "DRIVERS.csv")]
    pub micmac: Option<PathBuf>,
    /// Show only this MACTOR level: 1 signs, 2 valued positions, 3 weighted by Ri*.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub level: Option<u8>,
    /// Stop the MICMAC powers at exactly M^K instead of when both rankings are stable.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
    pub power: Option<u32>,
    /// The highest power tried while looking for stable rankings.
    #[arg(long, value_name = "K", default_value_t = default_max_power(), value_parser = clap::value_parser!(u32).range(1..))]
    pub max_power: u32,
    /// The weight of a potential influence P: 1..3, or 0 to leave P out.
    #[arg(long, value_name = "W", default_value_t = default_p_weight(), value_parser = clap::value_parser!(u8).range(0..=3))]
    pub p_weight: u8,
    /// Which indirect values classify the drivers.
    #[arg(long, value_enum, default_value_t = IndirectArg::from(ActorsSettings::default().indirect))]
    pub indirect: IndirectArg,
    /// Half-width of the regulating zone around the map's centre, as a fraction of the means.
    #[arg(long, value_name = "FRACTION", default_value_t = ActorsSettings::default().regulating_band)]
    pub regulating_band: f64,
    /// For a scenario: the point of each issue's 0-100 scale that separates for from against
    /// in the 2MAO (see docs/actors.md).
    #[arg(long, value_enum, default_value_t = ReferenceArg::from(ActorsSettings::default().reference))]
    pub reference: ReferenceArg,
    /// The formula of the balance-of-power coefficient.
    #[arg(long, value_enum, default_value_t = BalanceArg::from(ActorsSettings::default().balance))]
    pub balance: BalanceArg,
}

/// `--indirect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndirectArg {
    /// Row and column sums of M^k at the stable (or given) power.
    Powers,
    /// Their limit: the Perron vectors.
    Perron,
}

/// `--reference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReferenceArg {
    /// The salience-weighted mean of the stances on the issue: where it would settle.
    WeightedMean,
    /// 50, the middle of the scale.
    Midpoint,
}

/// `--balance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BalanceArg {
    /// Arcade et al. (2009): sums with the retroaction.
    Retroaction,
    /// Sums without the MIDI diagonal.
    WithoutRetroaction,
}

impl From<IndirectArg> for Indirect {
    fn from(a: IndirectArg) -> Indirect {
        match a {
            IndirectArg::Powers => Indirect::Powers,
            IndirectArg::Perron => Indirect::Perron,
        }
    }
}

impl From<Indirect> for IndirectArg {
    fn from(i: Indirect) -> IndirectArg {
        match i {
            Indirect::Powers => IndirectArg::Powers,
            Indirect::Perron => IndirectArg::Perron,
        }
    }
}

impl From<ReferenceArg> for Reference {
    fn from(a: ReferenceArg) -> Reference {
        match a {
            ReferenceArg::WeightedMean => Reference::WeightedMean,
            ReferenceArg::Midpoint => Reference::Midpoint,
        }
    }
}

impl From<Reference> for ReferenceArg {
    fn from(r: Reference) -> ReferenceArg {
        match r {
            Reference::WeightedMean => ReferenceArg::WeightedMean,
            Reference::Midpoint => ReferenceArg::Midpoint,
        }
    }
}

impl From<BalanceArg> for BalanceFormula {
    fn from(a: BalanceArg) -> BalanceFormula {
        match a {
            BalanceArg::Retroaction => BalanceFormula::Retroaction,
            BalanceArg::WithoutRetroaction => BalanceFormula::WithoutRetroaction,
        }
    }
}

impl From<BalanceFormula> for BalanceArg {
    fn from(b: BalanceFormula) -> BalanceArg {
        match b {
            BalanceFormula::Retroaction => BalanceArg::Retroaction,
            BalanceFormula::WithoutRetroaction => BalanceArg::WithoutRetroaction,
        }
    }
}

/// The default of `--max-power`.
fn default_max_power() -> u32 {
    match ActorsSettings::default().powers {
        Powers::UntilStable { max } => max,
        Powers::Fixed(k) => k,
    }
}

/// The default of `--p-weight`.
fn default_p_weight() -> u8 {
    match ActorsSettings::default().potential {
        Potential::Exclude => 0,
        Potential::Weight(w) => w,
    }
}

/// Runs `statecraft actors`.
pub fn run(global: &Global, args: &ActorsArgs) -> Result<(), Failure> {
    output::emit_rendered(global, render(global, args)?)
}

/// Reads, analyses and renders, without writing anything.
pub fn render(global: &Global, args: &ActorsArgs) -> Result<Rendered, Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(output::unsupported_format("actors", global.format, "table, json"));
    }
    let settings = settings(args);
    let (input, source) = input(global, args, &settings)?;
    let a = analysis::actors::analyse(input, &settings).map_err(|e| Failure::lens(e, ""))?;
    let (mactor, micmac) = report::actors::views(&a);
    if global.format == Format::Json {
        let body = report::actors::json(mactor.as_ref(), micmac.as_ref());
        return Ok(Rendered::Json(report::envelope("actors", &source, body)));
    }
    let mut parts = Vec::new();
    if let Some(v) = &mactor {
        parts.push(report::actors::mactor_text(v));
    }
    if let Some(v) = &micmac {
        parts.push(report::actors::micmac_text(v));
    }
    Ok(Rendered::Text(parts.join("\n")))
}

/// The settings the flags ask for.
fn settings(args: &ActorsArgs) -> ActorsSettings {
    ActorsSettings {
        level: args.level,
        powers: match args.power {
            Some(k) => Powers::Fixed(k),
            None => Powers::UntilStable { max: args.max_power },
        },
        potential: match args.p_weight {
            0 => Potential::Exclude,
            w => Potential::Weight(w),
        },
        indirect: args.indirect.into(),
        regulating_band: args.regulating_band,
        reference: args.reference.into(),
        balance: args.balance.into(),
    }
}

/// The matrices to analyse, from CSV files or a scenario, and what to call them.
fn input(
    global: &Global,
    args: &ActorsArgs,
    settings: &ActorsSettings,
) -> Result<(ActorsInput, String), Failure> {
    if args.mid.is_none() && args.micmac.is_none() {
        let loaded = crate::scenario::load(args.scenario.as_deref(), global)?;
        let source = loaded.source.name.clone();
        let input = analysis::actors::input_from_scenario(&loaded.scenario, settings)
            .map_err(|e| Failure::lens(e, &source))?;
        return Ok((input, source));
    }
    let mut sources = Vec::new();
    let mactor = match &args.mid {
        None => None,
        Some(mid_path) => {
            let (actors, mid) = read(mid_path, matrix_csv::read_mid)?;
            sources.push(mid_path.display().to_string());
            let (objectives, mao) = match &args.mao {
                None => (Vec::new(), None),
                Some(mao_path) => {
                    let (mao_actors, objectives, mao) = read(mao_path, matrix_csv::read_mao)?;
                    sources.push(mao_path.display().to_string());
                    if mao_actors != actors {
                        return Err(Failure::bad_input(miette!(
                            help = "list the same actors in the same order in both files",
                            "the actors of {} ({}) differ from those of {} ({})",
                            mao_path.display(),
                            mao_actors.join(", "),
                            mid_path.display(),
                            actors.join(", "),
                        )));
                    }
                    (objectives, Some(mao))
                }
            };
            Some(MactorInput { actors, objectives, mid, mao })
        }
    };
    let micmac = match &args.micmac {
        None => None,
        Some(path) => {
            let (drivers, matrix) = read(path, matrix_csv::read_drivers)?;
            sources.push(path.display().to_string());
            Some(MicmacInput { drivers, matrix })
        }
    };
    Ok((ActorsInput { mactor, micmac }, sources.join(" + ")))
}

fn read<T>(path: &Path, parse: impl Fn(&str) -> Result<T, MatrixCsvError>) -> Result<T, Failure> {
    let text = output::read_text(path)?;
    parse(&text).map_err(|e| {
        Failure::bad_input(miette!(
            help = "a matrix file has a header row of column names and each row's name in its first column",
            "{}: {e}",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        global: Global,
        #[command(flatten)]
        args: ActorsArgs,
    }

    fn fixture(name: &str) -> String {
        format!("{}/../../tests/fixtures/actors/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn json(argv: &[&str]) -> serde_json::Value {
        let cli =
            Cli::try_parse_from(["statecraft", "--format", "json", "--quiet"].iter().chain(argv))
                .expect("arguments parse");
        match render(&cli.global, &cli.args).expect("analysis runs") {
            Rendered::Json(doc) => doc,
            Rendered::Text(text) => panic!("JSON expected, got {text}"),
        }
    }

    fn fails(argv: &[&str]) -> bool {
        let cli = Cli::try_parse_from(["statecraft", "--quiet"].iter().chain(argv));
        match cli {
            Err(_) => true,
            Ok(cli) => render(&cli.global, &cli.args).is_err(),
        }
    }

    #[test]
    fn korea_builtin_feeds_both_methods() {
        let doc = json(&[]);
        assert_eq!(doc["lens"], "actors");
        let m = &doc["result"]["mactor"];
        assert_eq!(m["levels"].as_array().map(Vec::len), Some(3));
        let ri: Vec<f64> = serde_json::from_value(m["ri_star"].clone()).unwrap();
        let mean = ri.iter().sum::<f64>() / ri.len() as f64;
        assert!((mean - 1.0).abs() < engines::prec::REORDER);
        assert!(doc["result"]["micmac"]["stable_power"].is_u64());
    }

    #[test]
    fn csv_fixtures_with_one_level() {
        let doc = json(&[
            "--mid",
            &fixture("korea-mid.csv"),
            "--mao",
            &fixture("korea-mao.csv"),
            "--level",
            "3",
        ]);
        let levels = doc["result"]["mactor"]["levels"].as_array().unwrap();
        assert_eq!((levels.len(), levels[0]["level"].as_u64()), (1, Some(3)));
        assert!(doc["result"]["micmac"].is_null());
    }

    #[test]
    fn micmac_fixed_power() {
        let doc = json(&["--micmac", &fixture("korea-drivers.csv"), "--power", "3"]);
        let m = &doc["result"]["micmac"];
        assert_eq!((m["power"].as_u64(), m["stop"].as_str()), (Some(3), Some("fixed")));
        assert_eq!(m["potential_weight"], 3);
    }

    #[test]
    fn err_bad_inputs() {
        assert!(fails(&["--mao", &fixture("korea-mao.csv")])); // --mao needs --mid
        assert!(fails(&["--micmac", &fixture("korea-mid.csv")])); // a 4 in a driver matrix
        assert!(fails(&["--mid", &fixture("korea-drivers.csv")])); // a P in a MID
        assert!(fails(&[
            "--mid",
            &fixture("korea-mid.csv"),
            "--mao",
            &fixture("korea-drivers.csv")
        ])); // other actors
        assert!(fails(&["--micmac", &fixture("korea-drivers.csv"), "--regulating-band", "1.5"]));
        assert!(fails(&["--micmac", &fixture("korea-drivers.csv"), "--p-weight", "4"]));
        assert!(fails(&["--level", "4"]));
        assert!(fails(&["no-such-scenario"]));
        assert!(fails(&["--format", "csv"]));
    }
}
