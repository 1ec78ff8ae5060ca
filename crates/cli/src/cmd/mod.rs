//! One module per subcommand, each with its clap arguments and a `run` function.

pub mod ach;
pub mod actors;
pub mod bargain;
pub mod bayes;
pub mod check;
pub mod cib;
pub mod games;
pub mod list;
pub mod new;
pub mod run;
pub mod show;
