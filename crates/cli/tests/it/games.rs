//! The games lens set against the other lenses (issue 8): `statecraft run` states, for each
//! game, whether its equilibria agree with the Bayes lens's best option and the bargaining
//! forecasts, through the strategies' `[[game.meaning]]` entries; editing a meaning in a copy
//! of korea-2024 changes the verdict.

use std::path::Path;

use serde_json::Value;

use crate::util::{root, statecraft};

/// Runs `statecraft ARGS` in `dir`, checks it succeeded, and returns its standard output.
fn stdout(dir: &Path, args: &[&str]) -> String {
    let out = statecraft(dir, args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The `comparison` of the first game in `statecraft games FILE --format json`.
fn comparison(dir: &Path, file: &str) -> Value {
    let text = stdout(dir, &["games", file, "--format", "json", "--quiet"]);
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["result"]["games"][0]["comparison"].take()
}

/// Writes korea-2024 to `k.toml` in `dir` and `edited.toml` beside it, with each `(old, new)`
/// replaced once, in order, after the `[[game.meaning]]` of Seoul's escalation.
fn korea_with_escalation(dir: &Path, edits: &[(&str, &str)]) {
    stdout(dir, &["new", "k.toml", "--from", "korea-2024", "--force", "--quiet"]);
    let mut text = std::fs::read_to_string(dir.join("k.toml")).unwrap();
    let start = text.find("strategy = \"escalate\"").expect("korea-2024 links Seoul's escalation");
    for (old, new) in edits {
        let at = start + text[start..].find(old).unwrap_or_else(|| panic!("no `{old}`"));
        text = format!("{}{new}{}", &text[..at], &text[at + old.len()..]);
    }
    std::fs::write(dir.join("edited.toml"), text).unwrap();
}

#[test]
fn run_states_whether_the_korea_2024_game_agrees_with_the_other_lenses() {
    let text = stdout(&root(), &["run"]);
    let games =
        &text[text.find("== What the players will do (games) ==").expect("games section")..];
    // The one equilibrium has Seoul escalate, which stands for arming Ukraine and for
    // rok_support at 62.5 or more; the diagram's best option is status_quo_nato and every
    // bargaining forecast of rok_support is below 62.5 (baseline median 60, the highest).
    assert!(
        games.contains(
            "- South Korea (ROK) plays escalate and North Korea (DPRK) plays escalate (payoffs 3, 4).\n\
             Compared with the Bayes and bargaining lenses: disagrees. The equilibrium disagrees: \
             the Bayes lens's best option for Seoul's response to the deployment (seoul) is \
             status_quo_nato, which South Korea (ROK) plays with probability 0 (escalate stands for arms_to_ukraine)"
        ),
        "{games}"
    );
    assert!(games.contains("baseline median 60,"), "{games}");
    // The answer carries it as a reason, with the meanings' sources.
    let answer =
        &text[text.find("== Answer ==").unwrap()..text.find("== The scenario ==").unwrap()];
    assert!(
        answer.contains("- [games] The game “The two Koreas in Ukraine” (koreas_in_ukraine), compared with the Bayes and bargaining lenses: disagrees."),
        "{answer}"
    );
    assert!(
        answer.contains("Sources: lee2024, P7 (C11), P8 (C13); lee2024, P8 (C13), P9 (C14)."),
        "{answer}"
    );
}

#[test]
fn editing_a_meaning_in_a_copy_of_korea_2024_changes_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let before = comparison(&root(), "korea-2024");
    assert_eq!(before["verdict"], "disagrees");

    // Escalation read as keeping the status quo: the Bayes check now agrees, the bargaining
    // checks (the baseline's mean and median: the expected utility model cycles and gives no
    // point forecast) still disagree.
    korea_with_escalation(
        dir.path(),
        &[("option = \"arms_to_ukraine\"", "option = \"status_quo_nato\"")],
    );
    let partly = comparison(dir.path(), "edited.toml");
    assert_eq!(partly["verdict"], "partly_agrees", "{partly}");
    let checks = partly["equilibria"][0]["checks"].as_array().unwrap();
    let verdicts: Vec<(&str, &str)> = checks
        .iter()
        .map(|c| (c["lens"].as_str().unwrap(), c["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(verdicts, [("bayes", "agrees"), ("bargain", "disagrees"), ("bargain", "disagrees")]);

    // And its range widened to the whole scale: everything agrees.
    korea_with_escalation(
        dir.path(),
        &[
            ("option = \"arms_to_ukraine\"", "option = \"status_quo_nato\""),
            ("position = [62.5, 100]", "position = [0, 100]"),
        ],
    );
    assert_eq!(comparison(dir.path(), "edited.toml")["verdict"], "agrees");

    // Without the meaning of the strategy the equilibrium plays, nothing can be compared.
    korea_with_escalation(dir.path(), &[("strategy = \"escalate\"", "strategy = \"restraint\"")]);
    let out = statecraft(dir.path(), &["check", "edited.toml"]);
    assert_eq!(out.status.code(), Some(2), "two meanings of restraint are an error");
}

#[test]
fn a_game_without_meanings_cannot_be_compared_and_says_why() {
    // The built-in minimal scenario with its game's `[[game.meaning]]` tables taken out.
    let dir = tempfile::tempdir().unwrap();
    stdout(dir.path(), &["new", "m.toml", "--from", "minimal", "--quiet"]);
    let text = std::fs::read_to_string(dir.path().join("m.toml")).unwrap();
    let kept: Vec<&str> = text
        .split("\n\n")
        .filter(|block| !block.trim_start().starts_with("[[game.meaning]]"))
        .collect();
    assert!(kept.len() < text.split("\n\n").count(), "minimal links its game's strategies");
    std::fs::write(dir.path().join("plain.toml"), kept.join("\n\n")).unwrap();
    let c = comparison(dir.path(), "plain.toml");
    assert_eq!(c["verdict"], "cannot_compare");
    assert_eq!(c["equilibria"][0]["checks"], serde_json::json!([]));
    let summary = c["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Compared with the Bayes and bargaining lenses: cannot compare: no strategy of game `release_game` has a `[[game.meaning]]`"),
        "{summary}"
    );
}
