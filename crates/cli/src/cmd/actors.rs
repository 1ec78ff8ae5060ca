//! `statecraft actors`: MACTOR on a MID (and a 2MAO), MICMAC on a driver matrix, each read
//! from labelled CSV. The arguments are checked into a [`Plan`] first; the engines then run on
//! it, and `report::actors` renders the result.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use engines::actors::mactor::{self, BalanceFormula, MactorOptions};
use engines::actors::micmac::{self, Indirect, MicmacOptions, Potential, Powers};
use miette::miette;
use model::formats::matrix_csv::{self, MatrixCsvError};
use report::actors::{MactorView, MicmacView};

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
    #[arg(long, value_name = "K", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_power: u32,
    /// The weight of a potential influence P: 1..3, or 0 to leave P out.
    #[arg(long, value_name = "W", default_value_t = 3, value_parser = clap::value_parser!(u8).range(0..=3))]
    pub p_weight: u8,
    /// Which indirect values classify the drivers.
    #[arg(long, value_enum, default_value_t = IndirectArg::Powers)]
    pub indirect: IndirectArg,
    /// Half-width of the regulating zone around the map's centre, as a fraction of the means.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.2)]
    pub regulating_band: f64,
    /// For a scenario: the point of each issue's 0-100 scale that separates for from against
    /// in the 2MAO (see docs/actors.md).
    #[arg(long, value_enum, default_value_t = ReferenceArg::WeightedMean)]
    pub reference: ReferenceArg,
    /// The formula of the balance-of-power coefficient.
    #[arg(long, value_enum, default_value_t = BalanceArg::Retroaction)]
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

/// The checked plan: inputs read and parsed, options built.
struct Plan {
    mactor: Option<MactorInput>,
    micmac: Option<MicmacInput>,
    source: String,
}

struct MactorInput {
    actors: Vec<String>,
    objectives: Vec<String>,
    mid: mactor::Mid,
    mao: Option<mactor::Mao>,
    options: MactorOptions,
}

struct MicmacInput {
    drivers: Vec<String>,
    matrix: micmac::DriverMatrix,
    options: MicmacOptions,
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
    let plan = plan(global, args)?;
    let (mactor, micmac) = analyse(&plan)?;
    let (mactor_view, micmac_view) = views(&plan, args, mactor.as_ref(), micmac.as_ref());

    let text = match global.format {
        Format::Json => {
            let body = report::actors::json(mactor_view.as_ref(), micmac_view.as_ref());
            return Ok(Rendered::Json(report::envelope("actors", &plan.source, body)));
        }
        _ => {
            let mut parts = Vec::new();
            if let Some(v) = &mactor_view {
                parts.push(report::actors::mactor_text(v));
            }
            if let Some(v) = &micmac_view {
                parts.push(report::actors::micmac_text(v));
            }
            parts.join("\n")
        }
    };
    Ok(Rendered::Text(text))
}

/// Runs MACTOR and MICMAC on whatever the plan holds.
fn analyse(plan: &Plan) -> Result<(Option<mactor::Mactor>, Option<micmac::Micmac>), Failure> {
    let mactor = match &plan.mactor {
        None => None,
        Some(input) => Some(run_mactor(input)?),
    };
    let micmac = match &plan.micmac {
        None => None,
        Some(input) => Some(
            micmac::analyse(&input.matrix, &input.options).map_err(|e| {
                let help = match e {
                    micmac::MicmacError::NoPerronLimit => "classify by the powers instead: --indirect powers",
                    micmac::MicmacError::NoInfluence => "a row's cells say how much that driver acts on each column's driver; give at least one above 0 (with --p-weight 0, P counts as 0)",
                    _ => "see statecraft actors --help for the options' ranges",
                };
                Failure::analysis(miette!(help = help, "MICMAC: {e}"))
            })?,
        ),
    };
    Ok((mactor, micmac))
}

/// The report's views of the results.
fn views<'a>(
    plan: &'a Plan,
    args: &ActorsArgs,
    mactor: Option<&'a mactor::Mactor>,
    micmac: Option<&'a micmac::Micmac>,
) -> (Option<MactorView<'a>>, Option<MicmacView<'a>>) {
    let mactor_view = plan.mactor.as_ref().zip(mactor).map(|(input, result)| MactorView {
        actors: &input.actors,
        objectives: &input.objectives,
        result,
        formula: input.options.balance,
        level: args.level,
    });
    let micmac_view = plan.micmac.as_ref().zip(micmac).map(|(input, result)| MicmacView {
        drivers: &input.drivers,
        result,
        potential: input.options.potential,
        indirect: input.options.indirect,
    });
    (mactor_view, micmac_view)
}

/// The short section `statecraft run` shows for a scenario, with the default options.
pub fn section(scenario: Option<&str>) -> Result<String, Failure> {
    let args: ActorsArgs = super::defaults("actors", scenario, &[])?;
    let plan = plan(&super::quiet_table(), &args)?;
    let (mactor, micmac) = analyse(&plan)?;
    let (m, d) = views(&plan, &args, mactor.as_ref(), micmac.as_ref());
    Ok(report::actors::section(m.as_ref(), d.as_ref()))
}

fn run_mactor(input: &MactorInput) -> Result<mactor::Mactor, Failure> {
    let fail = |e: mactor::MactorError| {
        Failure::analysis(miette!(
            help =
                "a MID row's cells say how much that actor can act on each column's actor, 0 to 4",
            "MACTOR: {e}"
        ))
    };
    match &input.mao {
        Some(mao) => mactor::analyse(&input.mid, mao, &input.options).map_err(fail),
        None => {
            let balance = mactor::balance(&input.mid, &input.options).map_err(fail)?;
            Ok(mactor::Mactor { balance, levels: Vec::new() })
        }
    }
}

fn plan(global: &Global, args: &ActorsArgs) -> Result<Plan, Failure> {
    let balance = match args.balance {
        BalanceArg::Retroaction => BalanceFormula::Retroaction,
        BalanceArg::WithoutRetroaction => BalanceFormula::WithoutRetroaction,
    };
    if args.mid.is_none() && args.micmac.is_none() {
        return scenario_plan(global, args, balance);
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
            Some(MactorInput { actors, objectives, mid, mao, options: MactorOptions { balance } })
        }
    };
    let micmac = match &args.micmac {
        None => None,
        Some(path) => {
            let (drivers, matrix) = read(path, matrix_csv::read_drivers)?;
            sources.push(path.display().to_string());
            let options = micmac_options(args)?;
            Some(MicmacInput { drivers, matrix, options })
        }
    };
    Ok(Plan { mactor, micmac, source: sources.join(" + ") })
}

/// The plan for a scenario file or a built-in scenario.
fn scenario_plan(
    global: &Global,
    args: &ActorsArgs,
    balance: BalanceFormula,
) -> Result<Plan, Failure> {
    use model::lens::actors::{self as lens, Reference};
    let loaded = crate::scenario::load(args.scenario.as_deref(), global.quiet)?;
    let s = &loaded.scenario;
    let reference = match args.reference {
        ReferenceArg::Midpoint => Reference::Midpoint,
        ReferenceArg::WeightedMean => Reference::WeightedMean,
    };
    let fail = |e: lens::ActorsMapError| Failure::bad_input(miette!("{}: {e}", loaded.source.name));
    let mactor = lens::mactor_input(s, reference).map_err(fail)?.map(|m| MactorInput {
        actors: m.actors,
        objectives: m.objectives,
        mid: m.mid,
        mao: m.mao,
        options: MactorOptions { balance },
    });
    let micmac = match lens::micmac_input(s).map_err(fail)? {
        None => None,
        Some(m) => Some(MicmacInput {
            drivers: m.drivers,
            matrix: m.matrix,
            options: micmac_options(args)?,
        }),
    };
    if mactor.is_none() && micmac.is_none() {
        return Err(Failure::analysis(miette!(
            help = "give actors `influence` tables (MACTOR) or drivers `influence` tables (MICMAC)",
            "{} has neither actors nor driver influences for the actors lens",
            loaded.source.name
        )));
    }
    Ok(Plan { mactor, micmac, source: loaded.source.name.clone() })
}

fn micmac_options(args: &ActorsArgs) -> Result<MicmacOptions, Failure> {
    let band = args.regulating_band;
    if !(0.0..1.0).contains(&band) {
        return Err(Failure::bad_input(miette!(
            help = "0.2 puts drivers within 20% of both means in the regulating zone",
            "--regulating-band is {band}, it must be at least 0 and below 1"
        )));
    }
    Ok(MicmacOptions {
        potential: match args.p_weight {
            0 => Potential::Exclude,
            w => Potential::Weight(w),
        },
        powers: match args.power {
            Some(k) => Powers::Fixed(k),
            None => Powers::UntilStable { max: args.max_power },
        },
        indirect: match args.indirect {
            IndirectArg::Powers => Indirect::Powers,
            IndirectArg::Perron => Indirect::Perron,
        },
        regulating_band: band,
    })
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
