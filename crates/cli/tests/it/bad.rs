//! Every malformed scenario in `tests/fixtures/bad/` is rejected with exit code 2 and the
//! diagnostics in its `.stderr` snapshot, and nothing on standard output; every diagnostic code
//! that `model` can give is shown by at least one of them.

use crate::util::{root, snapshot, statecraft};

#[test]
fn every_bad_fixture_is_rejected_with_its_diagnostics() {
    let dir = root().join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 25, "only {} bad fixtures", names.len());
    for name in &names {
        let out = statecraft(&dir, &["check", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: exit code");
        assert!(out.stdout.is_empty(), "{name}: stdout should be empty");
        let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
        assert!(
            stderr.contains(&format!("statecraft: {name} has")),
            "{name}: summary line\n{stderr}"
        );
        snapshot(&dir.join(name.replace(".toml", ".stderr")), &stderr);
    }
}

/// Every scenario in `tests/fixtures/warn/` passes `check` (exit code 0) with the coherence
/// warnings of its `.stderr` snapshot, exactly one each, and `ok` on standard output (issue #14).
#[test]
fn every_warn_fixture_passes_with_its_one_warning() {
    let dir = root().join("tests/fixtures/warn");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "only {} warn fixtures", names.len());
    for name in &names {
        let out = statecraft(&dir, &["check", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: exit code");
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{name}: ok\n"));
        let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
        let code = format!("statecraft::{}", name.trim_end_matches(".toml"));
        let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("statecraft::")).collect();
        assert_eq!(lines, [code.as_str()], "{name}: one warning, named after the file\n{stderr}");
        snapshot(&dir.join(name.replace(".toml", ".stderr")), &stderr);
    }
}

/// The diagnostic codes written in `crates/model/src` and `crates/analysis/src` (each a string
/// literal `"statecraft::NAME"`), sorted.
fn model_codes() -> Vec<String> {
    let mut codes = std::collections::BTreeSet::new();
    let mut dirs = vec![root().join("crates/model/src"), root().join("crates/analysis/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                for rest in text.split("\"statecraft::").skip(1) {
                    let name: String =
                        rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if !name.is_empty() && rest[name.len()..].starts_with('"') {
                        codes.insert(format!("statecraft::{name}"));
                    }
                }
            }
        }
    }
    codes.into_iter().collect()
}

/// A code without a fixture is a diagnostic that no test has ever shown to a user.
#[test]
fn every_diagnostic_code_has_a_fixture() {
    let codes = model_codes();
    assert!(codes.len() >= 30, "only {} codes found: {codes:?}", codes.len());
    let mut shown = std::collections::BTreeSet::new();
    for folder in ["tests/fixtures/bad", "tests/fixtures/warn"] {
        for entry in std::fs::read_dir(root().join(folder)).expect("fixtures folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "stderr") {
                let text = std::fs::read_to_string(&path).expect("snapshot");
                shown.extend(text.lines().map(|l| l.trim().to_string()));
            }
        }
    }
    let missing: Vec<&String> = codes.iter().filter(|c| !shown.contains(*c)).collect();
    assert!(missing.is_empty(), "no fixture in tests/fixtures/bad/ or warn/ shows {missing:?}");
}

#[test]
fn check_json_gives_code_line_column_and_help() {
    let dir = root().join("tests/fixtures/bad");
    let out = statecraft(&dir, &["check", "--format", "json", "unknown_key_actor.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &doc["result"][0]["diagnostics"][0];
    assert_eq!(d["code"], "statecraft::unknown_key");
    assert_eq!(d["line"], 12);
    assert_eq!(d["column"], 1);
    assert_eq!(d["help"], "did you mean `capability`?");
    assert_eq!(doc["result"][0]["ok"], false);
}
