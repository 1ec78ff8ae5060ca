//! `statecraft run`: the whole JSON report pinned for korea-2024, and one changed judgment
//! changing the report where it should and nowhere else (issue 9).

use std::path::Path;

use serde_json::Value;

use crate::util::{root, snapshot, statecraft};

/// Runs `statecraft ARGS` in `dir`, checks it succeeded, and returns its standard output.
fn stdout(dir: &Path, args: &[&str]) -> String {
    let out = statecraft(dir, args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The `result` of `statecraft run FILE --format json`.
fn run_json(dir: &Path, file: &str) -> Value {
    let text = stdout(dir, &["run", file, "--format", "json", "--quiet"]);
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["result"].take()
}

/// Writes the built-in korea-2024 to `k.toml` in `dir`, and beside it `edited.toml` with the
/// first occurrence of `old` after `after` replaced by `new`.
fn korea_with(dir: &Path, after: &str, old: &str, new: &str) {
    builtin_with(dir, "korea-2024", after, old, new);
}

/// As [`korea_with`], from the built-in scenario `from`.
fn builtin_with(dir: &Path, from: &str, after: &str, old: &str, new: &str) {
    stdout(dir, &["new", "k.toml", "--from", from, "--quiet"]);
    let text = std::fs::read_to_string(dir.join("k.toml")).unwrap();
    let start = text.find(after).unwrap_or_else(|| panic!("`{after}` is not in korea-2024"));
    let at =
        start + text[start..].find(old).unwrap_or_else(|| panic!("no `{old}` after `{after}`"));
    let edited = format!("{}{new}{}", &text[..at], &text[at + old.len()..]);
    std::fs::write(dir.join("edited.toml"), edited).unwrap();
}

/// The lenses whose JSON differs between two reports.
fn changed_lenses(a: &Value, b: &Value) -> Vec<String> {
    let (a, b) = (a["lenses"].as_object().unwrap(), b["lenses"].as_object().unwrap());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    a.keys().filter(|k| a[*k] != b[*k]).cloned().collect()
}

#[test]
fn run_json_korea_2024_golden() {
    let first = stdout(&root(), &["run", "--format", "json"]);
    // The same input gives the same bytes: no map order or thread timing leaks into the report.
    let second = stdout(&root(), &["run", "--format", "json"]);
    assert!(first == second, "two runs of `statecraft run --format json` differ");
    snapshot(&root().join("tests/fixtures/run/korea-2024.json"), &first);
}

/// The terminal report of each built-in scenario, pinned byte for byte: the Markdown and HTML
/// reports are built from the same section models, and changing how those look must not move
/// a byte of the text (issue 13).
#[test]
fn run_text_golden() {
    for name in ["korea-2024", "minimal"] {
        let text = stdout(&root(), &["run", name]);
        snapshot(&root().join(format!("tests/fixtures/run/{name}.txt")), &text);
    }
}

#[test]
fn run_json_lenses_are_each_lens_own_result() {
    let run = run_json(&root(), "korea-2024");
    let lenses = run["lenses"].as_object().unwrap();
    let keys: Vec<&str> = lenses.keys().map(String::as_str).collect();
    assert_eq!(keys, ["ach", "actors", "bargain", "bayes", "cib", "games"]);
    for (lens, body) in lenses {
        let mut args = vec![lens.as_str(), "korea-2024", "--format", "json", "--quiet"];
        match lens.as_str() {
            // `run` scores ACH as its answer does (`analysis::ach::AchSettings::for_run`).
            "ach" => args.extend(["--mode", "bayes", "--sensitivity"]),
            // And solves Seoul's decision as its Bayes section does (see `bayes_in_run`).
            "bayes" => args.extend(["--decide", "--voi", "--tornado", "meu"]),
            _ => {}
        }
        let text = stdout(&root(), &args);
        let own: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body, &own["result"], "`lenses.{lens}` differs from `statecraft {lens}`");
    }
}

/// Raising P(korean | status_quo, low) by 0.5 in the headline driver's CPT raises the headline
/// probability by 0.5 × P(status_quo, low), so by more than nothing and less than 0.5; only
/// the Bayes lens reads CPTs, so the other lenses' JSON stays as it was.
#[test]
fn run_cpt_row_moves_the_headline_only() {
    let dir = tempfile::tempdir().unwrap();
    korea_with(
        dir.path(),
        "id = \"korean_war\"",
        "when = { rok_posture = \"status_quo\", tension = \"low\" }\np = [0.97, 0.03]",
        "when = { rok_posture = \"status_quo\", tension = \"low\" }\np = [0.47, 0.53]",
    );
    let before = run_json(dir.path(), "k.toml");
    let after = run_json(dir.path(), "edited.toml");
    let (p0, p1) = (
        before["answer"]["probability"].as_f64().unwrap(),
        after["answer"]["probability"].as_f64().unwrap(),
    );
    assert!(p1 > p0 && p1 < p0 + 0.5, "headline probability {p0} became {p1}");
    assert_eq!(after["lenses"]["bayes"]["marginals"]["korean_war"]["korean"].as_f64(), Some(p1));
    assert_eq!(changed_lenses(&before, &after), ["bayes"]);
}

/// Rating e02 (a wage per soldier) doubly inconsistent with H3 lowers H3's posterior in the
/// Bayesian ACH that `run` uses; the headline probability comes from the Bayesian network and
/// does not move, and only the ACH lens's JSON changes.
#[test]
fn run_hypothesis_rating_moves_the_ach_posteriors_only() {
    let dir = tempfile::tempdir().unwrap();
    korea_with(dir.path(), "id = \"H3\"", "e02 = \"N\"", "e02 = \"II\"");

    let before = run_json(dir.path(), "k.toml");
    let after = run_json(dir.path(), "edited.toml");
    let h3 = |doc: &serde_json::Value| doc["lenses"]["ach"]["posteriors"]["H3"].as_f64().unwrap();
    assert!(h3(&after) < h3(&before), "H3 {} became {}", h3(&before), h3(&after));
    assert_eq!(before["lenses"]["ach"]["leaders"], serde_json::json!(["H2"]));
    assert_eq!(before["answer"]["probability"], after["answer"]["probability"]);
    assert_eq!(changed_lenses(&before, &after), ["ach"]);
}

/// `statecraft run --format md` read back by a CommonMark parser: the expected headings in order,
/// the answer's citations all resolved to footnotes, and each lens section as prose and tables,
/// with no fenced terminal text (issue 13).
#[test]
fn run_md_korea_2024_is_commonmark_with_resolved_footnotes() {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

    let md = stdout(&root(), &["run", "--format", "md"]);
    snapshot(&root().join("tests/fixtures/run/korea-2024.md"), &md);

    let mut headings = Vec::new();
    let mut heading: Option<(HeadingLevel, String)> = None;
    let (mut references, mut definitions, mut fences, mut tables) = (Vec::new(), Vec::new(), 0, 0);
    for event in Parser::new_ext(&md, Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(&t);
                }
                assert!(!t.contains("[^"), "an unresolved footnote reference: {t}");
            }
            Event::FootnoteReference(label) => references.push(label.to_string()),
            Event::Start(Tag::FootnoteDefinition(label)) => definitions.push(label.to_string()),
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::CodeBlock(_)) => fences += 1,
            _ => {}
        }
    }

    let h1: Vec<_> = headings.iter().filter(|(l, _)| *l == HeadingLevel::H1).collect();
    assert_eq!(h1.len(), 1, "one title: {headings:?}");
    let h2: Vec<&str> =
        headings.iter().filter(|(l, _)| *l == HeadingLevel::H2).map(|(_, h)| h.as_str()).collect();
    let lenses = [
        "Competing hypotheses (ACH)",
        "Actors and structure (MACTOR, MICMAC)",
        "Where the issues settle (bargaining)",
        "Self-consistent futures (CIB)",
        "How likely, and which option is best (Bayesian network)",
        "What the players will do (games)",
    ];
    let expected: Vec<&str> = [
        "Answer",
        "Where the lenses disagree, and why",
        "What would change this judgment",
        "Overview",
    ]
    .into_iter()
    .chain(lenses)
    .chain(["Sources", "Glossary"])
    .collect();
    // The lens sections add no level-2 heading of their own.
    assert_eq!(h2, expected);
    // Nothing is fenced: the overview and the lens sections are prose and tables.
    assert_eq!(fences, 0, "no lens section is fenced terminal text");
    // What would change the judgment (linchpins, indicators, the headline given each driver
    // and given each indicator seen, EVPI, tornado: 6), the overview (actors, 3 issues, hypotheses, evidence, drivers, the game,
    // the derived figures: 9, the same as the HTML report's) and the lenses (ACH's ranking by
    // Heuer's rule and by Bayes; the balance of power and the pairs that
    // converge and diverge; eum's and smp's settlements; CIB's futures; the decision and the
    // tornado; the game's equilibria: 11) are GitHub-flavoured tables.
    assert_eq!(tables, 6 + 9 + 11, "the tables of the report");

    assert!(references.iter().any(|r| r == "e07"), "the ACH reason cites e07: {references:?}");
    assert!(
        references.iter().any(|r| r == "j1"),
        "the first capability has a note: {references:?}"
    );
    for r in &references {
        assert!(definitions.contains(r), "footnote [^{r}] is not defined");
    }
    for d in &definitions {
        assert!(references.contains(d), "footnote [^{d}] is defined but never cited");
    }
}

/// With every driver influence at 0 MICMAC has nothing to rank, so the actors lens fails as a
/// whole; `run` still succeeds, says why under `lenses.actors`, and gives the other lenses.
#[test]
fn run_json_failed_lens_is_an_error_object() {
    let dir = tempfile::tempdir().unwrap();
    builtin_with(dir.path(), "minimal", "id = \"talks\"", "water = 2", "water = 0");
    let text = std::fs::read_to_string(dir.path().join("edited.toml")).unwrap();
    let text = text.replace("talks = { value = \"P\",", "talks = { value = 0,");
    std::fs::write(dir.path().join("edited.toml"), text).unwrap();

    let run = run_json(dir.path(), "edited.toml");
    let lenses = run["lenses"].as_object().unwrap();
    assert_eq!(
        lenses["actors"],
        serde_json::json!({"error": "MICMAC: no driver influences another, so there is nothing to rank"})
    );
    for (lens, body) in lenses.iter().filter(|(k, _)| *k != "actors") {
        assert!(body.get("error").is_none(), "{lens} failed: {body}");
    }
}
