//! The `statecraft` binary: a switchboard. It parses the arguments, calls one function per
//! subcommand, and turns the outcome into an exit code (0 ok, 1 analysis error, 2 bad input).
//! Nothing below this file exits the process.

mod args;
mod cmd;
mod failure;
mod ledger;
mod output;
mod save;
mod scenario;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(a) => cmd::run::run(&cli.global, a),
        Command::Check(a) => cmd::check::run(&cli.global, a),
        Command::Show(a) => cmd::show::run(&cli.global, a),
        Command::List(a) => cmd::list::run(&cli.global, a),
        Command::New(a) => cmd::new::run(&cli.global, a),
        Command::Ach(a) => cmd::ach::run(&cli.global, a),
        Command::Actors(a) => cmd::actors::run(&cli.global, a),
        Command::Bargain(a) => cmd::bargain::run(&cli.global, a),
        Command::Bayes(a) => cmd::bayes::run(&cli.global, a),
        Command::Cib(a) => cmd::cib::run(&cli.global, a),
        Command::Games(a) => cmd::games::run(&cli.global, a),
        Command::Timeline(a) => cmd::timeline::run(&cli.global, a),
        Command::Review(a) => cmd::review::run(&cli.global, a),
        Command::Serve(a) => cmd::serve::run(&cli.global, a),
        Command::Ensemble(a) => cmd::ensemble::run(&cli.global, a),
        Command::Forecast(a) => cmd::forecast::run(&cli.global, a),
        Command::Resolve(a) => cmd::resolve::run(&cli.global, a),
        Command::Score(a) => cmd::score::run(&cli.global, a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
