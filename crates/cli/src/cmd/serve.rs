//! `statecraft serve`: the workbench, a local web server to explore and edit scenarios with
//! every lens live (the `serve` crate; docs/serve.md is the user's guide).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use clap::Args;
use miette::miette;

use crate::args::Global;
use crate::failure::Failure;

/// Arguments of `statecraft serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft serve\n  statecraft serve my-scenario.toml --open\n  statecraft serve my-scenario.toml --port 8080\n  statecraft serve --bind 192.0.2.10 --port 8080 --token \"$(openssl rand -hex 16)\""
)]
pub struct ServeArgs {
    /// Scenario files it may open and save (the built-in scenarios are always there).
    #[arg(value_name = "SCENARIO")]
    pub scenarios: Vec<String>,
    /// The port to listen on (0: a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The address to listen on; anything but loopback needs --token.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// An access token every request must carry (required with a non-loopback --bind).
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Open the workbench in the system's web browser.
    #[arg(long)]
    pub open: bool,
}

/// Checks the scenarios and the address, starts the server and prints its address on
/// standard output; serves until interrupted.
pub fn run(global: &Global, args: &ServeArgs) -> Result<(), Failure> {
    let mut files: Vec<PathBuf> = Vec::new();
    for a in &args.scenarios {
        let path = Path::new(a);
        if path.is_file() {
            files.push(path.to_path_buf());
        } else if model::builtin::find(a).is_none() {
            return Err(Failure::bad_input(miette!(
                help = "give scenario files, or names of built-in scenarios (`statecraft list`)",
                "no scenario file or built-in scenario called `{a}`"
            )));
        }
    }
    if let Some(t) = &args.token {
        if t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic() && b != b';' && b != b'&') {
            return Err(Failure::bad_input(miette!(
                help = "use at least 16 letters or digits, for instance `openssl rand -hex 16`",
                "the access token is too short or holds characters a cookie cannot carry"
            )));
        }
    }
    let start = std::env::current_dir().map_err(|e| {
        Failure::bad_input(miette!("cannot tell which folder new scenario files go in: {e}"))
    })?;
    let config = serve::Config {
        addr: SocketAddr::new(args.bind, args.port),
        token: args.token.clone(),
        files,
        start,
    };
    let quiet = global.quiet;
    let open = args.open;
    serve::run_blocking(config, |url| {
        println!("{url}");
        if !quiet {
            eprintln!("statecraft: serving the workbench at {url} (Ctrl-C stops it)");
        }
        if open {
            open_browser(url);
        }
    })
    .map_err(|e| match e {
        serve::ServeError::NeedsToken(_) => Failure::bad_input(miette!(
            help = "pass --token with a secret of at least 16 characters, or leave out --bind",
            "{e}"
        )),
        other => Failure::bad_input(miette!("{other}")),
    })
}

/// Asks the system to open `url` in the user's browser; says so when it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("statecraft: cannot run `{opener}` to open a browser; open {url} yourself");
    }
}
