//! The living estimate (issue 15): `--as-of`, `statecraft timeline` and `statecraft review` on
//! korea-2024 with its dated updates of November 2024 – December 2025.

use engines::prec;
use serde_json::Value;

use crate::util::{root, snapshot, statecraft};

fn ok(args: &[&str]) -> String {
    let out = statecraft(&root(), args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

fn err(args: &[&str], code: i32, needle: &str) {
    let out = statecraft(&root(), args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.contains(needle), "{args:?}: expected `{needle}` in\n{stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on standard output");
}

/// The headline probability of a `run --format json`.
fn headline(run: &Value) -> f64 {
    run["result"]["answer"]["probability"].as_f64().unwrap()
}

/// Issue #15: "`statecraft timeline korea-2024` shows the headline moving through the 2025
/// updates, with every move attributed to an update" (golden test).
#[test]
fn timeline_of_korea_2024() {
    let text = ok(&["timeline", "korea-2024"]);
    snapshot(&root().join("tests/fixtures/living/timeline-korea-2024.txt"), &text);
    let t = json(&["timeline", "korea-2024", "--format", "json"]);
    let steps = t["result"]["steps"].as_array().unwrap();
    assert!(steps.len() > 60, "the 2025 updates are in the built-in scenario");
    let mut moved = 0.0;
    for s in &steps[1..] {
        let update = &s["update"];
        assert!(update["label"].is_string() && update["lens"].is_string(), "{s}");
        moved += s["delta"].as_f64().unwrap();
    }
    let first = steps[0]["headline"].as_f64().unwrap();
    let last = steps.last().unwrap()["headline"].as_f64().unwrap();
    assert!(
        (moved - (last - first)).abs() <= prec::REORDER,
        "the moves add up: {moved} vs {}",
        last - first
    );
    assert!(last < first, "the headline falls as 2025 unfolds: {first} → {last}");
    // The timeline's last step is the run as of the last update.
    let latest = json(&["run", "korea-2024", "--as-of", "latest", "--format", "json"]);
    assert!((headline(&latest) - last).abs() <= prec::REORDER);
    // Without --as-of, run keeps the judgments of 31 October 2024.
    let original = json(&["run", "korea-2024", "--format", "json"]);
    assert!((headline(&original) - first).abs() <= prec::REORDER);
}

#[test]
fn review_of_korea_2024() {
    let md = ok(&["review", "korea-2024", "--format", "md"]);
    snapshot(&root().join("tests/fixtures/living/review-korea-2024.md"), &md);
}

#[test]
fn as_of_a_date_before_the_judgments_is_refused() {
    err(&["run", "korea-2024", "--as-of", "2024-06-01"], 2, "before the scenario's own");
    err(&["timeline", "korea-2024", "--as-of", "2025-02-30"], 2, "is not a calendar date");
}

#[test]
fn review_without_resolutions_is_refused() {
    err(&["review", "minimal"], 2, "nothing to review");
}

/// A run saved `--as-of` a date records it, and `--verify` reproduces it byte for byte.
#[test]
fn a_run_saved_as_of_a_date_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("run");
    let folder = folder.to_str().unwrap();
    ok(&["run", "korea-2024", "--as-of", "2025-06-30", "--save", folder]);
    let options: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("run/options.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(options["as_of"], "2025-06-30");
    ok(&["run", "--verify", folder]);
}
