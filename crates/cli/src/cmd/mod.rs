//! One module per subcommand, each with its clap arguments and a `run` function that parses,
//! calls the `analysis` library and renders with `report`.

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod check;
pub mod cib;
pub mod ensemble;
pub mod forecast;
pub mod games;
pub mod list;
pub mod new;
pub mod resolve;
pub mod review;
pub mod run;
pub mod score;
pub mod serve;
pub mod show;
pub mod timeline;

use analysis::Settings;
use model::scenario::Scenario;

/// The flags of `statecraft LENS` that give the lens's part of a `run` made with `settings` on
/// scenario `s`, for the run folder's `options.json`. ACH and Bayes run with settings of their
/// own in `run` (`AchSettings::for_run`, `BayesSettings::for_run`); the other lenses run with
/// the defaults their subcommands show.
pub fn run_flags(lens: &str, s: &Scenario, settings: &Settings) -> Vec<String> {
    let mut flags = Vec::new();
    match lens {
        "ach" => {
            let mode = ach::ModeArg::from(settings.ach.mode);
            if mode != ach::ModeArg::Parc {
                flags.extend(["--mode".to_string(), mode.name()]);
            }
            if settings.ach.sensitivity {
                flags.push("--sensitivity".into());
            }
        }
        "bayes" => {
            let run = analysis::bayes::BayesSettings::for_run(s);
            let b = settings.bayes.as_ref().unwrap_or(&run);
            if b.decide {
                flags.push("--decide".into());
            }
            if b.voi {
                flags.push("--voi".into());
            }
            if let Some(t) = &b.tornado {
                flags.extend(["--tornado".to_string(), t.clone()]);
            }
        }
        _ => {}
    }
    flags
}
