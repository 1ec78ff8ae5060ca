//! `statecraft forecast`, `resolve` and `score` (issue #15): a ledger recorded, resolved and
//! scored through the binary; scores recomputed here from the forecast JSON and the
//! resolutions; bad resolutions refused with nothing written.

use std::path::Path;

use crate::util::{root, statecraft};

/// korea-2024 with two resolutions appended: the headline's driver (soft, as the 2025 brief
/// suggests) and Seoul's decision (soft).
const RESOLUTIONS: &str = r#"
[[resolution]]
question = "korean_war"
date = "2025-12-31"
state = "contained"
soft = { contained = 0.95, korean = 0.05 }
confidence = "high"
source = "analyst"
why = "test resolution"

[[resolution]]
question = "seoul"
date = "2025-11-14"
state = "nuclear_hedging"
soft = { nuclear_hedging = 0.55, status_quo_nato = 0.45 }
confidence = "medium"
source = "analyst"
why = "test resolution"
"#;

/// `text` without its `[[resolution]]` tables (korea-2024 carries its own; these tests write
/// theirs).
fn without_resolutions(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line.trim() == "[[resolution]]";
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn scenario(dir: &Path) -> String {
    let text = without_resolutions(
        &std::fs::read_to_string(root().join("scenarios/korea-2024.toml")).unwrap(),
    );
    let path = dir.join("korea.toml");
    std::fs::write(&path, format!("{text}{RESOLUTIONS}")).unwrap();
    path.to_str().unwrap().to_string()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = statecraft(dir, args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

/// Forecast, forecast again (nothing added), resolve from the scenario, score: the Brier and
/// log scores of the JSON agree with those recomputed from the forecast JSON and the
/// resolutions, to 1e-12 (Brier 1950, equation 1; soft: the expectation under the weights).
#[test]
fn forecast_resolve_score_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = scenario(d);
    let issued = json(d, &["forecast", &s, "--ledger", "l.sqlite", "--format", "json"]);
    let n = issued["result"]["issued"]["forecasts"].as_array().unwrap().len();
    assert_eq!(issued["result"]["recorded"]["added"], n);
    let again = json(d, &["forecast", &s, "--ledger", "l.sqlite", "--format", "json"]);
    assert_eq!(again["result"]["recorded"]["added"], 0, "recording is idempotent");
    ok(d, &["resolve", &s, "--ledger", "l.sqlite"]);
    let scores = json(d, &["score", &s, "--ledger", "l.sqlite", "--format", "json"]);
    let scored = scores["result"]["scenarios"][0]["scored"].as_array().unwrap();
    // The headline (soft), the korean_war driver (soft) and two options (weights 0.55, 0.45).
    assert_eq!(scored.len(), 4, "{scored:#?}");
    let forecasts = issued["result"]["issued"]["forecasts"].as_array().unwrap();
    let p_of = |q: &str| -> f64 {
        let f = forecasts.iter().find(|f| f["question"] == q).unwrap();
        f["probabilities"][0].as_f64().unwrap()
    };
    for s in scored {
        let q = s["forecast"]["question"].as_str().unwrap();
        // P(korean) is the first probability of every binary question here; of the driver
        // korean_war it is the second (states contained, korean).
        let p = if q == "korean_war" { 1.0 - p_of(q) } else { p_of(q) };
        let brier = 2.0 * (p - 0.05) * (p - 0.05) + 2.0 * 0.05 * 0.95;
        let log = 0.05 * p.ln() + 0.95 * (1.0 - p).ln();
        assert!((s["brier"].as_f64().unwrap() - brier).abs() <= engines::prec::REORDER, "{q}");
        assert!((s["log"].as_f64().unwrap() - log).abs() <= engines::prec::REORDER, "{q}");
        let weight = s["weight"].as_f64().unwrap();
        let expected = match q {
            "korean_war.korean|seoul=nuclear_hedging" => 0.55,
            "korean_war.korean|seoul=status_quo_nato" => 0.45,
            _ => 1.0,
        };
        assert_eq!(weight, expected, "{q}");
        assert_eq!(s["soft"], true, "{q}");
        assert_eq!(s["pooled"], q == "korean_war", "only the driver's marginal is pooled: {q}");
    }
    assert_eq!(scores["result"]["scenarios"][0]["summary"]["count"], 1);
    let html = ok(d, &["score", "--ledger", "l.sqlite", "--format", "html"]);
    assert!(html.contains("<svg") && html.contains("Reliability: the whole ledger"), "{html}");
    assert_eq!(html.matches("<svg").count(), 2, "one chart for the scenario, one for the ledger");
    let table = ok(d, &["score", "--ledger", "l.sqlite"]);
    assert!(table.contains("scored against a soft resolution"), "{table}");
    assert!(table.contains("the whole ledger"), "{table}");
    let csv = ok(d, &["score", "--ledger", "l.sqlite", "--show", "forecasts", "--format", "csv"]);
    assert!(csv.starts_with(
        "scenario,scenario_hash,as_of,tool_version,question,kind,category,probability\n"
    ));
    let rows = csv.lines().count() - 1;
    let categories: usize =
        forecasts.iter().map(|f| f["categories"].as_array().unwrap().len()).sum();
    assert_eq!(rows, categories);
}

/// Issue #15: an unknown question, a state that does not exist, a date before the forecast
/// and soft weights that do not sum to 1 are refused (exit 2) with nothing written.
#[test]
fn err_bad_resolutions_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["forecast", "--ledger", "l.sqlite"]);
    let cases: [(&[&str], &str); 5] = [
        (
            &["--question", "weather", "--state", "rain", "--date", "2025-12-31"],
            "not a question of the scenario",
        ),
        (
            &["--question", "war", "--state", "victory", "--date", "2025-12-31"],
            "has no state `victory`",
        ),
        (
            &["--question", "war", "--state", "stalemate", "--date", "2024-06-01"],
            "before the forecast",
        ),
        (
            &[
                "--question",
                "war",
                "--state",
                "stalemate",
                "--date",
                "2025-12-31",
                "--soft",
                "stalemate=0.5,russian_gains=0.4",
            ],
            "sum to 0.9",
        ),
        (&["--question", "war", "--state", "stalemate", "--date", "2025-13-01"], "not a date"),
    ];
    for (args, message) in cases {
        let mut all = vec!["resolve", "--ledger", "l.sqlite"];
        all.extend_from_slice(args);
        let out = statecraft(d, &all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let csv = ok(d, &["score", "--ledger", "l.sqlite", "--show", "resolutions", "--format", "csv"]);
    assert_eq!(csv, "scenario,question,date,state,weight_state,weight\n", "nothing written");
    // A good one is taken.
    ok(
        d,
        &[
            "resolve",
            "--ledger",
            "l.sqlite",
            "--question",
            "war",
            "--state",
            "russian_gains",
            "--date",
            "2025-12-31",
        ],
    );
    let csv = ok(d, &["score", "--ledger", "l.sqlite", "--show", "resolutions", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

/// A ledger from a newer statecraft is refused, not misread.
#[test]
fn err_a_newer_ledger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    {
        let c = rusqlite::Connection::open(d.join("new.sqlite")).unwrap();
        c.pragma_update(None, "application_id", ledger::schema::APPLICATION_ID).unwrap();
        c.pragma_update(None, "user_version", ledger::schema::VERSION + 1).unwrap();
    }
    let out = statecraft(d, &["score", "--ledger", "new.sqlite"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer than this statecraft knows"));
}
