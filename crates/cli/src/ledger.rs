//! Finding and opening the forecast ledger for `forecast`, `resolve` and `score`: `--ledger
//! PATH`, else `STATECRAFT_LEDGER`, else the default in the user's data folder
//! (`ledger::default_path`), and the exit code of each ledger error.

use std::path::PathBuf;

use clap::Args;
use ledger::{Ledger, LedgerError};
use miette::miette;

use crate::failure::Failure;

/// The `--ledger PATH` option.
#[derive(Debug, Args)]
pub struct LedgerArg {
    /// The ledger file (SQLite). Default: `$STATECRAFT_LEDGER`, else
    /// `$XDG_DATA_HOME/statecraft/ledger.sqlite` (`~/.local/share/statecraft/ledger.sqlite`).
    #[arg(long = "ledger", value_name = "PATH")]
    pub ledger: Option<PathBuf>,
}

/// The ledger file the option names, or the default.
pub fn path(arg: &LedgerArg) -> Result<PathBuf, Failure> {
    if let Some(p) = &arg.ledger {
        return Ok(p.clone());
    }
    ledger::default_path(&|k| std::env::var_os(k)).ok_or_else(|| {
        Failure::bad_input(miette!(
            help = "give --ledger PATH, or set STATECRAFT_LEDGER",
            "no default ledger: neither XDG_DATA_HOME nor HOME is set"
        ))
    })
}

/// Opens (creating or migrating) the ledger the option names.
pub fn open(arg: &LedgerArg) -> Result<Ledger, Failure> {
    let p = path(arg)?;
    Ledger::open(&p).map_err(failure)
}

/// A ledger error as a failure: bad input for what the user can fix in what they gave (a
/// resolution, a newer or foreign file, a folder), an analysis error for SQLite failing.
pub fn failure(e: LedgerError) -> Failure {
    let help = match &e {
        LedgerError::Resolution(_) => {
            "see the scenario's drivers and decisions with `statecraft show`"
        }
        LedgerError::BeforeForecast { .. } => {
            "a question resolves after the forecasts of it were made; check --date"
        }
        LedgerError::NewerSchema { .. } => "or give another file with --ledger",
        LedgerError::NotALedger { .. } => "give another file with --ledger",
        LedgerError::Folder { .. } => "check that the folder can be created, or give --ledger",
        _ => "another statecraft may hold the ledger for longer than the busy timeout; try again",
    };
    let report = miette!(help = help, "{e}");
    match e {
        LedgerError::Sqlite { .. } | LedgerError::Corrupt { .. } | LedgerError::Score(_) => {
            Failure::analysis(report)
        }
        _ => Failure::bad_input(report),
    }
}
