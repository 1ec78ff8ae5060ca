//! Every claim id that the built-in scenario korea-2024 cites exists in its case brief's claim
//! table, at the paragraph the locator gives.
//!
//! The brief (`tests/fixtures/case/korea-2024.md`, a copy of `shared/case/korea-2024.md`) tables
//! each claim of `lee2024` as `| C13 | P8 | … |`. The scenario cites them in locators such as
//! `P8 (C13)`, `P8–P9 (C13, C14)` or `P8 (C13), P9 (C14)`, and names them in reasons as `(C19)`.
//! The test walks every table of the scenario's TOML, whatever its kind (evidence, stance, CPT
//! row, impact, utility, payoff, quantity, or an inline judged value), and checks:
//! - every claim id in any string exists in the brief;
//! - a locator's claim ids are cited with the source `lee2024`, and each claim's paragraph lies
//!   within the paragraphs the locator names beside it;
//! - the claim ids that a `lee2024`-sourced table names in its `why` or `claim` are among those
//!   its locator gives, so that a reason cannot cite a claim its locator does not point at.

use std::collections::{BTreeMap, BTreeSet};

const BRIEF: &str = include_str!("../../../../tests/fixtures/case/korea-2024.md");
const SCENARIO: &str = include_str!("../../../../scenarios/korea-2024.toml");

/// The brief's claim table: claim id → the paragraphs it comes from.
fn claims(brief: &str) -> BTreeMap<String, BTreeSet<u32>> {
    brief
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            // `| C13 | P8 | claim |` splits into ["", "C13", "P8", "claim", ""].
            let id = cells.get(1)?;
            let paragraphs = paragraphs(cells.get(2)?)?;
            (id.starts_with('C') && id[1..].parse::<u32>().is_ok())
                .then(|| (id.to_string(), paragraphs))
        })
        .collect()
}

/// The paragraphs of `P8` or `P8–P9` (an en dash or a hyphen).
fn paragraphs(text: &str) -> Option<BTreeSet<u32>> {
    let p = |x: &str| x.trim().strip_prefix('P')?.parse::<u32>().ok();
    let (a, b) = match text.split_once(['–', '-']) {
        Some((a, b)) => (p(a)?, p(b)?),
        None => (p(text)?, p(text)?),
    };
    (a <= b).then(|| (a..=b).collect())
}

/// The claim ids named in a text: `C` followed by digits, not inside a longer word.
fn claim_ids(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('C') {
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let digits: String = text[i + 1..].chars().take_while(char::is_ascii_digit).collect();
        let after = text[i + 1 + digits.len()..].chars().next();
        if !digits.is_empty() && !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            out.push(format!("C{digits}"));
        }
    }
    out
}

/// A locator's groups: `P8–P9 (C13, C14)` → [({8, 9}, [C13, C14])]; `P8 (C13), P9 (C14)` → two
/// groups. `None` for a locator that names no claim (such as `23 October 2024 briefing`).
fn locator_groups(locator: &str) -> Option<Vec<(BTreeSet<u32>, Vec<String>)>> {
    let mut groups = Vec::new();
    let mut rest = locator;
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')')? + open;
        let head = rest[..open].trim().trim_start_matches(',').trim();
        groups.push((paragraphs(head)?, claim_ids(&rest[open + 1..close])));
        rest = &rest[close + 1..];
    }
    (!groups.is_empty()).then_some(groups)
}

/// Every table of a TOML value, with the path that leads to it.
fn tables<'a>(v: &'a toml::Value, path: String, out: &mut Vec<(String, &'a toml::Table)>) {
    match v {
        toml::Value::Table(t) => {
            out.push((path.clone(), t));
            for (k, x) in t {
                tables(x, format!("{path}.{k}"), out);
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                tables(x, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Every problem with the scenario's citations against the brief's table.
fn problems(brief: &str, scenario: &str) -> Vec<String> {
    let table = claims(brief);
    let root: toml::Value = toml::from_str(scenario).expect("korea-2024 parses");
    let mut all = Vec::new();
    tables(&root, String::new(), &mut all);
    let mut out = Vec::new();
    for (path, t) in all {
        let text = |k: &str| t.get(k).and_then(toml::Value::as_str);
        for (k, v) in t {
            let Some(s) = v.as_str() else { continue };
            for c in claim_ids(s) {
                if !table.contains_key(&c) {
                    out.push(format!("{path}.{k} names {c}, which the brief does not table"));
                }
            }
        }
        let Some(locator) = text("locator") else { continue };
        let Some(groups) = locator_groups(locator) else {
            if !claim_ids(locator).is_empty() {
                out.push(format!("{path}: locator `{locator}` is not `P.. (C..)`"));
            }
            continue;
        };
        if text("source") != Some("lee2024") {
            out.push(format!(
                "{path}: locator `{locator}` cites claims of lee2024 for another source"
            ));
        }
        let mut located = BTreeSet::new();
        for (ps, cs) in &groups {
            for c in cs {
                located.insert(c.clone());
                if let Some(at) = table.get(c) {
                    if at.is_disjoint(ps) {
                        out.push(format!(
                            "{path}: locator `{locator}` puts {c} in {ps:?}, the brief in {at:?}"
                        ));
                    }
                }
            }
        }
        for k in ["why", "claim"] {
            for c in text(k).map(claim_ids).unwrap_or_default() {
                if !located.contains(&c) {
                    out.push(format!(
                        "{path}.{k} names {c}, which its locator `{locator}` does not"
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_claim_korea_2024_cites_is_in_the_brief_at_its_paragraph() {
    let table = claims(BRIEF);
    assert_eq!(table.len(), 21, "the brief tables C1–C21");
    assert_eq!(table["C1"], BTreeSet::from([1, 2]));
    let found = problems(BRIEF, SCENARIO);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The checks fail where they should: a claim the brief lacks, a claim at the wrong paragraph,
/// a claim of the article cited for another source, and a reason naming a claim its locator
/// does not give.
#[test]
fn wrong_citations_are_found() {
    let cases = [
        ("source = \"lee2024\"\nlocator = \"P3 (C22)\"", "which the brief does not table"),
        ("source = \"lee2024\"\nlocator = \"P9 (C13)\"", "the brief in {8}"),
        ("source = \"analyst\"\nlocator = \"P8 (C13)\"", "for another source"),
        ("why = \"(C14)\"\nsource = \"lee2024\"\nlocator = \"P8 (C13)\"", "does not"),
    ];
    for (toml, expected) in cases {
        let found = problems(BRIEF, &format!("[x]\n{toml}\n"));
        assert!(found.iter().any(|p| p.contains(expected)), "{toml}: {found:?}");
    }
    assert!(
        problems(BRIEF, "[x]\nsource = \"lee2024\"\nlocator = \"P8 (C13), P9 (C14)\"\n").is_empty()
    );
}

/// The copy of the brief is the shared one, where the shared folder is present (it is beside
/// the project's worktrees, not in the repository).
#[test]
fn the_brief_is_the_shared_one() {
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/case/korea-2024.md");
    match std::fs::read_to_string(&shared) {
        Ok(text) => assert!(
            text == BRIEF,
            "tests/fixtures/case/korea-2024.md differs from {}: copy it again",
            shared.display()
        ),
        Err(_) => eprintln!("{} is absent: the copy is not compared", shared.display()),
    }
}
