//! `statecraft ensemble` on korea-2024: the golden output (issue #18), with the headline's
//! 90 % interval, how often each option is best and the judgments of largest total effect.

use crate::util::{root, snapshot, statecraft};

#[test]
fn korea_ensemble_golden() {
    let args = ["ensemble", "korea-2024", "--samples", "400", "--seed", "2024"];
    let out = statecraft(&root(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    // What the issue asks the golden output to show.
    assert!(text.contains("P(korean_war.korean) (answer)"), "{text}");
    assert!(text.contains("How often each option of `seoul` is best"), "{text}");
    assert!(text.contains("Sobol indices for the answer's probability"), "{text}");
    snapshot(&root().join("tests/fixtures/run/ensemble-korea-2024.txt"), &text);

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = statecraft(&root(), &json_args);
    assert_eq!(out.status.code(), Some(0));
    let json = String::from_utf8(out.stdout).expect("utf-8");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let shares: f64 = v["result"]["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["best_share"].as_f64().expect("share"))
        .sum();
    assert!((shares - 1.0).abs() <= engines::prec::REORDER, "{shares}");
    // The cost of tension, one term for every option, is one judgment among the utilities.
    let names: Vec<&str> = v["result"]["judgments"]
        .as_array()
        .expect("judgments")
        .iter()
        .map(|j| j["name"].as_str().expect("name"))
        .collect();
    let utilities = names.iter().filter(|n| n.starts_with("decision.seoul.")).count();
    assert_eq!(utilities, 7, "six terms of one option each and the shared cost: {names:?}");
    let h = &v["result"]["headline"];
    assert!(h["p05"].as_f64() <= h["p50"].as_f64() && h["p50"].as_f64() <= h["p95"].as_f64());
    snapshot(&root().join("tests/fixtures/run/ensemble-korea-2024.json"), &json);
}

#[test]
fn err_ensemble_of_a_scenario_without_a_headline() {
    // minimal.toml without its headline: refused with exit code 2 and a reason, not a panic.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/minimal.toml")).unwrap();
    let text: String =
        text.lines().filter(|l| !l.starts_with("headline")).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let out = statecraft(dir.path(), &["ensemble", "s.toml", "--samples", "8"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("headline"), "{stderr}");
    let ok = statecraft(&root(), &["ensemble", "scenarios/minimal.toml", "--samples", "8"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
}

#[test]
fn korea_ensemble_html_has_the_histogram_and_the_best_options() {
    let args = ["ensemble", "korea-2024", "--samples", "50", "--no-sobol", "--format", "html"];
    let out = statecraft(&root(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).expect("utf-8");
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert_eq!(html.matches("<svg").count(), 2, "the histogram and the options' bars");
    assert!(html.contains("id=\"ensemble-korean_war-korean\""), "{html}");
    assert!(html.contains("In 90 % of the 50 draws"), "{html}");
    assert!(html.contains("How often each option of `seoul` is best"), "{html}");
    // The other lenses' tables follow the charts.
    assert!(html.contains("ACH (Bayesian scoring)"), "{html}");
}
