//! `cargo xtask`: the project's own commands, in Rust so that they need nothing but cargo.
//!
//! - `cargo xtask test [ARGS...]` is the README's test command. The suite checks the HTML report
//!   and its layout in a real headless Chromium, and drives the workbench of `statecraft serve`
//!   in it over WebDriver, so this installs Chromium and its WebDriver server with the system's
//!   package manager when either is missing (Debian's `chromium` and `chromium-driver`, through
//!   `apt-get`, with `sudo` when not root), then runs `cargo test --workspace --locked ARGS...`.
//!   With `STATECRAFT_SKIP_BROWSER=1` it installs nothing and the browser checks are skipped.
//!
//! Plain `cargo test --workspace` runs the same tests wherever Chromium is already installed.

use std::env;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("xtask: no task called `{other}`\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

const HELP: &str = "\
usage: cargo xtask <task>

tasks:
  test [ARGS...]   install what the tests need (headless Chromium), then
                   run `cargo test --workspace --locked ARGS...`

Set STATECRAFT_SKIP_BROWSER=1 to skip the browser checks and install nothing.";

/// Provisions the browser, then runs the whole test suite with the given extra arguments.
fn test(extra: &[String]) -> ExitCode {
    let skip = env::var_os("STATECRAFT_SKIP_BROWSER").is_some_and(|v| v == "1");
    if !skip {
        if let Err(why) = ensure_chromium() {
            eprintln!(
                "xtask: the tests need Chromium and it could not be installed: {why}\n\
                 xtask: install it yourself (Debian: `apt-get install chromium chromium-driver`), or run \
                 `STATECRAFT_SKIP_BROWSER=1 cargo xtask test` to skip the browser checks"
            );
            return ExitCode::FAILURE;
        }
    }
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo).args(["test", "--workspace", "--locked"]).args(extra).status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Chromium's names on the systems we know: Debian's `chromium`, others' `chromium-browser`.
const CHROMIUM: [&str; 2] = ["chromium", "chromium-browser"];

/// Whether a program answers `--version`.
fn runs(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Installs Debian's Chromium and chromedriver with `apt-get` unless some Chromium and a
/// chromedriver are already on the path.
fn ensure_chromium() -> Result<(), String> {
    let ready = || CHROMIUM.iter().any(|c| runs(c)) && runs("chromedriver");
    if ready() {
        return Ok(());
    }
    if !runs("apt-get") {
        return Err("Chromium is not on the path and there is no apt-get to install it".into());
    }
    eprintln!(
        "xtask: installing Chromium for the browser tests (apt-get install chromium chromium-driver)"
    );
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
    let apt = |args: &[&str]| -> Result<(), String> {
        let mut cmd = if root { Command::new("apt-get") } else { Command::new("sudo") };
        if !root {
            cmd.arg("apt-get");
        }
        let status = cmd
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("apt-get {} failed", args.join(" "))) }
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"])?;
    if ready() {
        Ok(())
    } else {
        Err("apt-get installed chromium and chromium-driver, but they do not run".into())
    }
}
