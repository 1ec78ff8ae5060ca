//! Tests of the editable judgments and of edits written into the document.

use super::*;

fn korea() -> (String, Scenario) {
    let b = model::builtin::find("korea-2024").expect("built in");
    let loaded = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}"));
    (b.text.to_owned(), loaded.scenario)
}

fn sheet_of(text: &str, s: &Scenario) -> Sheet {
    Sheet::of(s, &text.parse().expect("toml"))
}

/// The cell of judgment `label` at `index`.
fn cell(sheet: &Sheet, label: &str, index: &[usize]) -> usize {
    let j = sheet
        .judgments
        .iter()
        .position(|j| j.label == label)
        .unwrap_or_else(|| panic!("no judgment {label}"));
    sheet.cells.iter().position(|c| c.judgment == j && c.index == index).expect("a cell")
}

fn post(sheet: &Sheet, edits: &[(usize, &str)]) -> Posted {
    let mut p =
        Posted { values: vec![None; sheet.cells.len()], whys: vec![None; sheet.judgments.len()] };
    for (k, v) in edits {
        p.values[*k] = Some((*v).to_owned());
    }
    p
}

#[test]
fn korea_offers_every_kind_of_judgment() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    for lens in ["bayes", "ach", "cib", "decision", "bargain", "games"] {
        assert!(sheet.tables.iter().any(|t| t.lens == lens), "no {lens} table");
    }
    let cpt_rows: usize = s.drivers.iter().map(|d| d.cpt.len()).sum();
    let priors = s.drivers.iter().filter(|d| d.prior.is_some()).count();
    assert_eq!(sheet.judgments.iter().filter(|j| j.row).count(), cpt_rows + priors);
    assert_eq!(sheet.tables.iter().filter(|t| t.lens == "cib").count(), s.cross_impacts.len());
}

#[test]
fn no_change_gives_back_the_same_text() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    let values: Vec<(usize, &str)> =
        sheet.cells.iter().enumerate().map(|(k, c)| (k, c.value.as_str())).collect();
    let applied = sheet.apply(&text, &post(&sheet, &values), true).expect("applies");
    assert!(applied.changed.is_empty());
    assert_eq!(applied.text, text);
}

#[test]
fn a_changed_prior_keeps_comments_and_its_row_sums_to_one() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    let k = cell(&sheet, "P(us_policy)", &[0]);
    let mut p = post(&sheet, &[(k, "0.5")]);
    let j = sheet.cells[k].judgment;
    p.whys[j] = Some("a test: continuity likelier".into());
    let applied = sheet.apply(&text, &p, true).expect("applies");
    assert_eq!(applied.changed, vec![j]);
    assert_eq!(applied.rescaled, vec![j]);
    // 0.20 and 0.35 share the remaining 0.5 in proportion 4:7.
    let row: Vec<f64> = (0..3)
        .map(|i| applied.values[cell(&sheet, "P(us_policy)", &[i])].parse().unwrap())
        .collect();
    assert_eq!(row, vec![0.5, 0.1818, 0.3182]);
    let loaded = model::load::load_bytes("edited.toml", applied.text.as_bytes(), None)
        .unwrap_or_else(|d| panic!("{d}"));
    let us = loaded.scenario.drivers.iter().find(|d| d.id == "us_policy").unwrap();
    let prior = us.prior.as_ref().unwrap();
    assert_eq!(prior.value, row);
    assert_eq!(prior.why.as_deref(), Some("a test: continuity likelier"));
    // Every comment line of the original is still there, and only the prior's line changed.
    let comments = |t: &str| {
        t.lines().filter(|l| l.trim_start().starts_with('#')).map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(comments(&applied.text), comments(&text));
    let differing: Vec<(&str, &str)> =
        text.lines().zip(applied.text.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(differing.len(), 1, "{differing:#?}");
    assert!(
        differing[0].1.starts_with("prior = { value = [0.5, 0.1818, 0.3182], why = \"a test"),
        "{}",
        differing[0].1
    );
}

#[test]
fn a_cpt_cell_and_its_reason_are_written_in_its_table() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    let label = "P(dprk_russia | war = stalemate, us_policy = engagement)";
    let k = cell(&sheet, label, &[2]);
    let mut p = post(&sheet, &[(k, "0.2")]);
    p.whys[sheet.cells[k].judgment] = Some("more presence".into());
    let applied = sheet.apply(&text, &p, true).expect("applies");
    assert!(applied.text.contains("when = { war = \"stalemate\", us_policy = \"engagement\" }\np = [0.4167, 0.3833, 0.2]\nwhy = \"more presence\"\n"), "{}", applied.text.lines().skip(718).take(8).collect::<Vec<_>>().join("\n"));
}

#[test]
fn a_bare_rating_becomes_a_judged_table_when_given_a_reason() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    let k = cell(&sheet, "rating of e03 under H1", &[]);
    assert_eq!(sheet.cells[k].value, "C");
    let mut p = post(&sheet, &[(k, "II")]);
    p.whys[sheet.cells[k].judgment] = Some("re-read the source".into());
    let applied = sheet.apply(&text, &p, true).expect("applies");
    assert!(applied.text.contains("e03 = { value = \"II\", why = \"re-read the source\" }\n"));
    // Without saving, the reason is not written.
    let previewed = sheet.apply(&text, &p, false).expect("applies");
    assert!(previewed.text.contains("e03 = \"II\"\n"));
}

#[test]
fn impacts_utilities_stances_and_payoffs_are_written_back() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    let edits = [
        (cell(&sheet, "impact of war on dprk_russia", &[0, 0]), "-3"),
        (cell(&sheet, "utility of every option by tension", &[1]), "-35.5"),
        (cell(&sheet, "salience of dprk on rok_support", &[]), "60"),
        (cell(&sheet, "payoffs of (restraint, restraint) in koreas_in_ukraine", &[1]), "2"),
    ];
    let applied = sheet.apply(&text, &post(&sheet, &edits), false).expect("applies");
    assert_eq!(applied.changed.len(), 4);
    for needle in [
        "impacts = [[-3, 2, 1], [-1, 2, -1], [2, -1, -2]]",
        "values = [0, -35.5, -80]",
        "salience = 60\n",
        "values = [6, 2]",
    ] {
        assert!(applied.text.contains(needle), "{needle}");
    }
    model::load::load_bytes("edited.toml", applied.text.as_bytes(), None)
        .unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn err_unreadable_values_are_reported_and_leave_the_text() {
    let (text, s) = korea();
    let sheet = sheet_of(&text, &s);
    let k = cell(&sheet, "P(us_policy)", &[0]);
    let r = cell(&sheet, "rating of e03 under H1", &[]);
    let i = cell(&sheet, "impact of war on dprk_russia", &[0, 0]);
    let applied = sheet
        .apply(&text, &post(&sheet, &[(k, "lots"), (r, "<script>"), (i, "1.5")]), false)
        .expect("applies");
    let mut bad: Vec<usize> = applied.problems.iter().map(|(c, _)| *c).collect();
    let mut want = vec![k, r, i];
    bad.sort_unstable();
    want.sort_unstable();
    assert_eq!(bad, want);
    assert_eq!(applied.text, text);
    assert_eq!(applied.values[k], "lots", "what was typed is shown again");
}

#[test]
fn row_rule_rescales_the_others_or_leaves_an_impossible_row() {
    let check = |base: &[f64], new: &[f64], want: &[f64], rescaled: bool| {
        let mut n = new.to_vec();
        assert_eq!(keep_row_summing_to_one(base, &mut n), rescaled, "{base:?} {new:?}");
        assert_eq!(n, want);
    };
    check(&[0.35, 0.45, 0.20], &[0.5, 0.45, 0.20], &[0.5, 0.3462, 0.1538], true);
    check(&[0.5, 0.5], &[0.2, 0.5], &[0.2, 0.8], true);
    // Both changed and still summing to 1: kept as typed.
    check(&[0.5, 0.5], &[0.3, 0.7], &[0.3, 0.7], false);
    // The changed entries exceed 1: nothing to rescale, validation will say so.
    check(&[0.3, 0.7], &[1.2, 0.7], &[1.2, 0.7], false);
    // Every other entry was 0: they share the rest equally.
    check(&[1.0, 0.0, 0.0], &[0.5, 0.0, 0.0], &[0.5, 0.25, 0.25], true);
    // Nothing changed.
    check(&[0.3, 0.7], &[0.3, 0.7], &[0.3, 0.7], false);
    let mut n = [0.123_456, 0.5, 0.3, 0.2];
    keep_row_summing_to_one(&[0.1, 0.5, 0.3, 0.1], &mut n);
    assert!((n.iter().sum::<f64>() - 1.0).abs() <= engines::prec::PROB_SUM, "{n:?}");
}

/// A value laid out unusually (one entry a line, each with its comment) keeps its layout and
/// comments when one entry changes: only the value's own text is replaced.
#[test]
fn an_edited_entry_keeps_the_layout_and_comments_around_it() {
    let (text, _) = korea();
    let row = "p = [0.30, 0.60, 0.10]";
    let laid_out = "p = [\n    0.30,  # transactional\n    0.60,  # alliance with technology\n    0.10,  # presence\n]";
    assert_eq!(text.matches(row).count(), 1);
    let text = text.replacen(row, laid_out, 1);
    let s = model::load::load_bytes("laid-out.toml", text.as_bytes(), None)
        .unwrap_or_else(|d| panic!("{d}"))
        .scenario;
    let sheet = sheet_of(&text, &s);
    let k = cell(&sheet, "P(dprk_russia | war = russian_gains, us_policy = continuity)", &[1]);
    let applied =
        sheet.apply(&text, &post(&sheet, &[(k, "0.5"), (k - 1, "0.4")]), false).expect("applies");
    let want = "p = [\n    0.4,  # transactional\n    0.5,  # alliance with technology\n    0.10,  # presence\n]";
    assert!(
        applied.text.contains(want),
        "{}",
        &applied.text[applied.text.find("p = [\n").unwrap_or(0)..][..120]
    );
}
