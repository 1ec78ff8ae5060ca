//! How a subcommand fails: a diagnostic to print and the exit code that goes with it. The exit
//! code is chosen here and only here.

use std::process::ExitCode;

/// A failed subcommand: what to tell the user, and which kind of failure it was.
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    report: Option<miette::Report>,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// The analysis could not be done on valid input (exit 1).
    Analysis,
    /// The input was malformed or the arguments contradict each other (exit 2).
    BadInput,
}

impl Failure {
    /// The input (a file, an argument) is malformed: exit code 2.
    pub fn bad_input(report: impl Into<miette::Report>) -> Failure {
        Failure { kind: Kind::BadInput, report: Some(report.into()) }
    }

    /// The analysis failed on valid input (a degenerate case, impossible evidence): exit code 1.
    pub fn analysis(report: impl Into<miette::Report>) -> Failure {
        Failure { kind: Kind::Analysis, report: Some(report.into()) }
    }

    /// Bad input whose diagnostics have already been printed (such as `check`'s): exit code 2
    /// without printing anything more.
    pub fn already_printed_bad_input() -> Failure {
        Failure { kind: Kind::BadInput, report: None }
    }

    /// Prints the diagnostic (if not printed already) and gives the exit code.
    pub fn report(self) -> ExitCode {
        if let Some(report) = self.report {
            eprintln!("statecraft: {report:?}");
        }
        match self.kind {
            Kind::Analysis => ExitCode::from(1),
            Kind::BadInput => ExitCode::from(2),
        }
    }
}

impl Failure {
    /// A lens's error, with what was analysed before its message; its kind decides the exit
    /// code.
    pub fn lens(e: analysis::LensError, source: &str) -> Failure {
        let message =
            if source.is_empty() { e.message } else { format!("{source}: {}", e.message) };
        let report = match e.help {
            Some(help) => miette::miette!(help = help, "{message}"),
            None => miette::miette!("{message}"),
        };
        match e.kind {
            analysis::ErrorKind::BadInput => Failure::bad_input(report),
            analysis::ErrorKind::Analysis => Failure::analysis(report),
        }
    }
}
