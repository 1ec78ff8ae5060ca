//! `statecraft ach` end to end: the worked example of `docs/ach.md` as CSV and as a scenario,
//! each output compared whole with a snapshot in `tests/fixtures/ach/cli/`, and bad input.

use crate::util::{root, snapshot, statecraft};

fn stdout_of(args: &[&str]) -> String {
    let out = statecraft(&root(), args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn check(args: &[&str], name: &str) {
    snapshot(&root().join("tests/fixtures/ach/cli").join(name), &stdout_of(args));
}

#[test]
fn csv_parc_with_sensitivity_and_timeline() {
    check(
        &["ach", "tests/fixtures/ach/worked.csv", "--sensitivity", "--timeline"],
        "worked-csv-parc.stdout",
    );
}

#[test]
fn scenario_bayes_with_indicators() {
    check(
        &[
            "ach",
            "tests/fixtures/ach/worked.toml",
            "--mode",
            "bayes",
            "--sensitivity",
            "--timeline",
        ],
        "worked-toml-bayes.stdout",
    );
}

#[test]
fn shortfall_as_of() {
    check(
        &["ach", "tests/fixtures/ach/worked.csv", "--mode", "shortfall", "--as-of", "2024-03-31"],
        "worked-csv-shortfall-as-of.stdout",
    );
}

#[test]
fn json_is_an_envelope_with_scores_ranking_posteriors() {
    let text =
        stdout_of(&["ach", "tests/fixtures/ach/worked.csv", "--mode", "bayes", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["lens"], "ach");
    assert_eq!(doc["result"]["mode"], "bayes");
    assert_eq!(doc["result"]["ranking"], serde_json::json!(["H1", "H2", "H3"]));
    // docs/ach.md, "Bayes": 0.7193.
    let p = doc["result"]["posteriors"]["H1"].as_f64().unwrap();
    assert!((p - 0.7193).abs() <= engines::prec::PRINTED_4DP, "{p}");
    assert_eq!(doc["result"]["estimative"]["H1"], "likely");
}

#[test]
fn csv_export_of_a_scenario_reads_back() {
    let text = stdout_of(&["ach", "tests/fixtures/ach/worked.toml", "--format", "csv"]);
    assert!(text.starts_with("evidence,credibility,relevance,date,H1,H2,H3\n"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.csv"), &text).unwrap();
    let out = statecraft(dir.path(), &["ach", "m.csv", "--format", "csv"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), text);
}

fn err(args: &[&str], code: i32, message: &str) {
    let out = statecraft(&root(), args);
    assert_eq!(out.status.code(), Some(code));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(message), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn err_rating_for_unknown_hypothesis() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.csv"),
        "evidence,credibility,relevance,H1,H2\nE1,High,High,C,C\nE2,High,High,C,I,II\n",
    )
    .unwrap();
    let out = statecraft(dir.path(), &["ach", "m.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3: evidence `E2` has a rating `II` in column 6"), "{stderr}");
}

#[test]
fn err_bad_as_of() {
    err(
        &["ach", "tests/fixtures/ach/worked.csv", "--as-of", "2024-02-30"],
        2,
        "is not a calendar date",
    );
}

#[test]
fn err_scenario_without_hypotheses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "[scenario]\nformat = 1\nid = \"x\"\ntitle = \"x\"\nquestion = \"x\"\nas_of = \"2024-01-01\"\n",
    )
    .unwrap();
    let out = statecraft(dir.path(), &["ach", "s.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the scenario has no hypotheses"));
}

#[test]
fn err_unsupported_format() {
    err(&["ach", "tests/fixtures/ach/worked.csv", "--format", "md"], 2, "cannot write --format Md");
}

#[test]
fn err_every_posterior_zero_names_the_item() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.csv"),
        "evidence,credibility,relevance,A,B\nE1,High,High,C,C\nE2,High,High,II,I\n",
    )
    .unwrap();
    let args = ["ach", "m.csv", "--mode", "bayes", "--likelihoods", "1,0.8,0.5,0,0,0.5"];
    let out = statecraft(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("evidence item `E2` has likelihood 0"), "{stderr}");
}

#[test]
fn err_likelihoods() {
    err(
        &["ach", "tests/fixtures/ach/worked.csv", "--likelihoods", "1,0.5"],
        2,
        "2 numbers given, 6 needed",
    );
}
