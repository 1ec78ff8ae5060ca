//! Checks of the project's invariants that are cheap to automate (as rust-analyzer's
//! `xtask/src/tidy.rs`): every Rust file opens with a `//!` overview, and the engines crate
//! depends on no I/O, format, CLI or terminal crate.

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
