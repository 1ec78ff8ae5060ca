//! Checks of the project's invariants that are cheap to automate (as rust-analyzer's
//! `xtask/src/tidy.rs`): every Rust file opens with a `//!` overview, the engines crate
//! depends on no I/O, format, CLI or terminal crate, and no assertion writes its tolerance
//! inline (they are named in `engines::prec`).

use std::path::Path;

use crate::util::root;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` overview:\n{}", missing.join("\n"));
}

#[test]
fn engines_depend_on_no_io_or_format_crate() {
    let manifest = std::fs::read_to_string(root().join("crates/engines/Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or("");
    let deps = deps.split("\n[").next().unwrap_or("");
    for banned in [
        "toml",
        "serde_json",
        "csv",
        "clap",
        "miette",
        "quick-xml",
        "tempfile",
        "indicatif",
        "model",
        "report",
        "cli",
        "termcolor",
        "anstream",
        "std-fs",
        "rusqlite",
        "ledger",
    ] {
        let found = deps.lines().any(|l| {
            let name = l.split(['=', '.', ' ']).next().unwrap_or("").trim();
            name == banned
        });
        assert!(
            !found,
            "crates/engines depends on `{banned}`: engines do no I/O and know no formats"
        );
    }
}

/// The crates depend one way (engines ← model ← analysis ← report ← serve ← cli, and analysis ←
/// ledger ← cli): the library crates know nothing of the command line, the terminal or the
/// crates above them, the workbench server is a client of `analysis` and `report`, and only the
/// ledger speaks SQL.
#[test]
fn crates_depend_one_way() {
    let deps = |krate: &str| -> Vec<String> {
        let manifest =
            std::fs::read_to_string(root().join(format!("crates/{krate}/Cargo.toml"))).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or("");
        let deps = deps.split("\n[").next().unwrap_or("");
        deps.lines()
            .map(|l| l.split(['=', '.', ' ']).next().unwrap_or("").trim().to_string())
            .filter(|n| !n.is_empty() && !n.starts_with('#'))
            .collect()
    };
    for (krate, banned) in [
        (
            "model",
            &[
                "analysis",
                "report",
                "serve",
                "cli",
                "clap",
                "indicatif",
                "axum",
                "tokio",
                "ledger",
                "rusqlite",
            ][..],
        ),
        (
            "analysis",
            &[
                "report",
                "serve",
                "cli",
                "clap",
                "miette",
                "toml",
                "csv",
                "indicatif",
                "tempfile",
                "ledger",
                "rusqlite",
            ],
        ),
        (
            "report",
            &[
                "serve",
                "cli",
                "clap",
                "indicatif",
                "tempfile",
                "axum",
                "tokio",
                "ledger",
                "rusqlite",
            ],
        ),
        ("serve", &["cli", "clap", "miette", "indicatif", "ledger", "rusqlite"]),
        // The ledger is a client of analysis: it knows nothing of the command line, and only
        // it speaks SQL.
        ("ledger", &["report", "serve", "cli", "clap", "miette", "indicatif"]),
    ] {
        let deps = deps(krate);
        for b in banned {
            assert!(!deps.iter().any(|d| d == b), "crates/{krate} depends on `{b}`");
        }
    }
}

/// `cmd/` and the workbench server only parse, call the `analysis` library and render: no
/// engine entry point is called from there (issues #13, #16).
#[test]
fn commands_run_no_engine_themselves() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/cli/src/cmd"), &mut files);
    rust_files(&root().join("crates/serve/src"), &mut files);
    let entry_points = [
        "ach::analyze",
        "mactor::analyse",
        "micmac::analyse",
        "eum::eum(",
        "smp::smp(",
        "perturb::fan",
        "solve_with_progress",
        "succession(",
        "enumerate_extreme",
        "lemke_howson",
        "logit_qre",
        "solve_zero_sum",
        "JunctionTree::compile",
        "tornado_utility",
        "tornado_probability",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for e in entry_points {
            assert!(!text.contains(e), "{} calls `{e}`: call the analysis library", f.display());
        }
    }
}

/// Whether a line of Rust compares with a literal tolerance: an assertion holding a number
/// written with an exponent such as `1e-9`.
fn inline_tolerance(line: &str) -> bool {
    let code = line.trim_start().trim_start_matches("///").trim_start_matches("//!");
    if !code.contains("assert") {
        return false;
    }
    let b = code.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| {
        b[i] == b'e' && b[i - 1].is_ascii_digit() && b[i + 1] == b'-' && b[i + 2].is_ascii_digit()
    })
}

#[test]
fn no_assertion_writes_a_tolerance_inline() {
    assert!(inline_tolerance("    assert!((x - y).abs() < 1e-9);"));
    assert!(inline_tolerance("/// assert!((s - 0.14).abs() < 1e-12);"));
    assert!(!inline_tolerance("    assert!((x - y).abs() <= prec::REFERENCE);"));
    assert!(!inline_tolerance("    let opts = QreOptions { epsilon: 1e-9 };"));
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (k, line) in text.lines().enumerate() {
            if inline_tolerance(line) {
                found.push(format!("{}:{}: {}", f.display(), k + 1, line.trim()));
            }
        }
    }
    // The tidy test's own examples above are the only exception.
    found.retain(|l| !l.contains("tidy.rs"));
    assert!(
        found.is_empty(),
        "tolerances written inline (name them in crates/engines/src/prec.rs):\n{}",
        found.join("\n")
    );
}
