//! Rendering of the ACH lens ([`engines::ach`]): the JSON body of `statecraft ach --format json`,
//! the terminal tables of `statecraft ach`, and the short section `statecraft run` prints.
//!
//! # JSON schema (`result` of the envelope, schema version 1)
//!
//! Hypotheses and evidence are named by their ids. Fields marked "(mode)" appear only in that
//! mode; `sensitivity`, `linchpins` and `timeline` appear only when asked for (`--sensitivity`,
//! `--timeline`). A number that does not exist is `null`.
//!
//! - `mode`: `"parc"`, `"parc-weighted"`, `"shortfall"` or `"bayes"`.
//! - `as_of`: the `--as-of` date (`"YYYY-MM-DD"`) or `null`.
//! - `hypotheses`: ids in input order. `evidence_used`: ids of the items scored.
//! - `scores`: id → score. `parc`, `parc-weighted`: the inconsistency score (≤ 0, closest to 0
//!   leads). `shortfall`: the inconsistency (≥ 0, lowest leads). `bayes`: the posterior probability.
//! - `consistency` (shortfall): id → consistency, the tie-breaker (highest leads).
//! - `posteriors`, `estimative` (bayes): id → posterior probability (summing to 1), and id →
//!   its ICD 203 words ("likely", …). Only this mode gives probabilities.
//! - `ranking`: ids, the leader first, ties in input order. `leaders`: the ids tied for first.
//! - `diagnosticity`: per item, `evidence`, `std_dev` (population standard deviation of its
//!   ratings on 1..5), `max_log_lr` (bayes: largest |ln likelihood ratio|; `null` otherwise or when
//!   infinite) and `diagnostic` (false when the item cannot tell hypotheses apart).
//! - `sensitivity`: per item, `evidence`, and for `removed` and `reversed` either
//!   `{"ranking": [...], "leaders": [...], "changes_leader": bool}` or `{"impossible": true}`
//!   (bayes: every posterior would be 0). `linchpins`: ids of the items whose single removal or
//!   reversal changes the leaders.
//! - `timeline`: one row per date, each `{"date", "evidence_count", "scores", "leaders"}` plus
//!   `"posteriors"` in bayes; `date` is `null` on a first row of undated items.
//! - `indicators`: most consequential first, each `{"indicator", "changes_leader",
//!   "leaders_if_seen", "leader_shift", "expected_shift"}`; `leader_shift` is the change of the
//!   current leader's score (its posterior in bayes), `expected_shift` (bayes, else `null`) its
//!   expected absolute change; `leaders_if_seen` is `null` if seeing it would be impossible.
//!
//! A complete sample, `statecraft ach tests/fixtures/ach/worked.toml --sensitivity --timeline
//! --format json` (the test `doc_sample_is_current` checks it against the code):
//!
//! ```json
//! {
//!   "lens": "ach",
//!   "result": {
//!     "as_of": "2024-10-31",
//!     "diagnosticity": [
//!       {"diagnostic": true, "evidence": "E1", "max_log_lr": null, "std_dev": 1.247219128924647},
//!       {"diagnostic": true, "evidence": "E2", "max_log_lr": null, "std_dev": 1.247219128924647},
//!       {"diagnostic": true, "evidence": "E3", "max_log_lr": null, "std_dev": 0.8164965809277259},
//!       {"diagnostic": false, "evidence": "E4", "max_log_lr": null, "std_dev": 0.0},
//!       {"diagnostic": true, "evidence": "E5", "max_log_lr": null, "std_dev": 1.247219128924647}
//!     ],
//!     "evidence_used": ["E1", "E2", "E3", "E4", "E5"],
//!     "hypotheses": ["H1", "H2", "H3"],
//!     "indicators": [
//!       {"changes_leader": true, "expected_shift": null, "indicator": "I1", "leader_shift": -2.0, "leaders_if_seen": ["H1", "H2", "H3"]},
//!       {"changes_leader": false, "expected_shift": null, "indicator": "I2", "leader_shift": 0.0, "leaders_if_seen": ["H1"]}
//!     ],
//!     "leaders": ["H1"],
//!     "linchpins": ["E1", "E2", "E5"],
//!     "mode": "parc",
//!     "ranking": ["H1", "H2", "H3"],
//!     "scores": {"H1": -1.0, "H2": -3.0, "H3": -3.0},
//!     "sensitivity": [
//!       {"evidence": "E1", "removed": {"changes_leader": true, "leaders": ["H1", "H3"], "ranking": ["H1", "H3", "H2"]}, "reversed": {"changes_leader": true, "leaders": ["H3"], "ranking": ["H3", "H1", "H2"]}},
//!       {"evidence": "E2", "removed": {"changes_leader": false, "leaders": ["H1"], "ranking": ["H1", "H3", "H2"]}, "reversed": {"changes_leader": true, "leaders": ["H3"], "ranking": ["H3", "H1", "H2"]}},
//!       {"evidence": "E3", "removed": {"changes_leader": false, "leaders": ["H1"], "ranking": ["H1", "H2", "H3"]}, "reversed": {"changes_leader": false, "leaders": ["H1"], "ranking": ["H1", "H2", "H3"]}},
//!       {"evidence": "E4", "removed": {"changes_leader": false, "leaders": ["H1"], "ranking": ["H1", "H2", "H3"]}, "reversed": {"changes_leader": false, "leaders": ["H1"], "ranking": ["H1", "H2", "H3"]}},
//!       {"evidence": "E5", "removed": {"changes_leader": true, "leaders": ["H1", "H2"], "ranking": ["H1", "H2", "H3"]}, "reversed": {"changes_leader": true, "leaders": ["H1", "H2"], "ranking": ["H1", "H2", "H3"]}}
//!     ],
//!     "timeline": [
//!       {"date": "2023-12-01", "evidence_count": 1, "leaders": ["H1", "H2", "H3"], "scores": {"H1": 0.0, "H2": 0.0, "H3": 0.0}},
//!       {"date": "2024-01-10", "evidence_count": 2, "leaders": ["H1"], "scores": {"H1": 0.0, "H2": -1.0, "H3": -2.0}},
//!       {"date": "2024-03-05", "evidence_count": 4, "leaders": ["H1", "H2"], "scores": {"H1": -1.0, "H2": -1.0, "H3": -3.0}},
//!       {"date": "2024-06-19", "evidence_count": 5, "leaders": ["H1"], "scores": {"H1": -1.0, "H2": -3.0, "H3": -3.0}}
//!     ]
//!   },
//!   "schema_version": 1,
//!   "source": "tests/fixtures/ach/worked.toml"
//! }
//! ```
//!
//! In `bayes` mode `scores` and `posteriors` are both `{"H1": 0.719347357387421, ...}`,
//! `estimative` is `{"H1": "likely", "H2": "unlikely", "H3": "very unlikely"}`, `max_log_lr` is a
//! number, timeline rows carry `posteriors`, and indicators carry an `expected_shift`.

use std::fmt::Write as _;

use engines::ach::{AchMatrix, AchResult, Mode, Outcome};
use engines::estimative::estimative_words;
use model::scenario::Scenario;
use serde_json::{Map, Value, json};

use crate::doc::Doc;
use crate::table::{Align, Table};

/// The JSON body (the envelope's `result`) for one ACH analysis; schema in the module docs.
pub fn json(matrix: &AchMatrix, result: &AchResult, as_of: Option<&str>) -> Value {
    let hyp = |h: usize| Value::from(matrix.hypotheses()[h].as_str());
    let hyps = |hs: &[usize]| Value::Array(hs.iter().map(|&h| hyp(h)).collect());
    let ev = |e: usize| Value::from(matrix.evidence()[e].id.as_str());
    let by_hyp = |v: &[f64]| {
        Value::Object(
            matrix.hypotheses().iter().zip(v).map(|(h, &x)| (h.clone(), number(x))).collect(),
        )
    };
    let outcome = |o: &Outcome| match o {
        Outcome::Ranked { ranking, leaders, changes_leader } => json!({
            "ranking": hyps(ranking), "leaders": hyps(leaders), "changes_leader": changes_leader,
        }),
        Outcome::Impossible => json!({"impossible": true}),
    };

    let mut body = Map::new();
    body.insert("mode".into(), result.mode.name().into());
    body.insert("as_of".into(), as_of.map_or(Value::Null, Value::from));
    body.insert("hypotheses".into(), hyps(&(0..matrix.hypotheses().len()).collect::<Vec<_>>()));
    body.insert(
        "evidence_used".into(),
        Value::Array(result.evidence_used.iter().map(|&e| ev(e)).collect()),
    );
    body.insert("scores".into(), by_hyp(&result.scores));
    if let Some(c) = &result.consistency {
        body.insert("consistency".into(), by_hyp(c));
    }
    if let Some(p) = &result.posteriors {
        body.insert("posteriors".into(), by_hyp(p));
        let words = matrix
            .hypotheses()
            .iter()
            .zip(p)
            .map(|(h, &x)| (h.clone(), estimative_words(x).map_or(Value::Null, Value::from)))
            .collect();
        body.insert("estimative".into(), Value::Object(words));
    }
    body.insert("ranking".into(), hyps(&result.ranking));
    body.insert("leaders".into(), hyps(&result.leaders));
    body.insert(
        "diagnosticity".into(),
        result
            .diagnosticity
            .iter()
            .map(|d| {
                json!({
                    "evidence": ev(d.evidence),
                    "std_dev": number(d.std_dev),
                    "max_log_lr": d.max_log_lr.map_or(Value::Null, number),
                    "diagnostic": d.diagnostic,
                })
            })
            .collect(),
    );
    if let Some(rows) = &result.sensitivity {
        body.insert(
            "sensitivity".into(),
            rows.iter()
                .map(|r| {
                    json!({
                        "evidence": ev(r.evidence),
                        "removed": outcome(&r.removed),
                        "reversed": outcome(&r.reversed),
                    })
                })
                .collect(),
        );
    }
    if let Some(l) = &result.linchpins {
        body.insert("linchpins".into(), l.iter().map(|&e| ev(e)).collect());
    }
    if let Some(rows) = &result.timeline {
        body.insert(
            "timeline".into(),
            rows.iter()
                .map(|t| {
                    let mut row = Map::new();
                    row.insert(
                        "date".into(),
                        t.date.map_or(Value::Null, |d| Value::from(d.to_string())),
                    );
                    row.insert("evidence_count".into(), t.evidence_count.into());
                    row.insert("scores".into(), by_hyp(&t.scores));
                    if let Some(p) = &t.posteriors {
                        row.insert("posteriors".into(), by_hyp(p));
                    }
                    row.insert("leaders".into(), hyps(&t.leaders));
                    Value::Object(row)
                })
                .collect(),
        );
    }
    body.insert(
        "indicators".into(),
        result
            .indicators
            .iter()
            .map(|i| {
                let leaders = match &i.if_seen {
                    Outcome::Ranked { leaders, .. } => hyps(leaders),
                    Outcome::Impossible => Value::Null,
                };
                json!({
                    "indicator": matrix.indicators()[i.indicator].id,
                    "changes_leader": i.if_seen.changes_leader(),
                    "leaders_if_seen": leaders,
                    "leader_shift": i.leader_shift.map_or(Value::Null, number),
                    "expected_shift": i.expected_shift.map_or(Value::Null, number),
                })
            })
            .collect(),
    );
    Value::Object(body)
}

/// A finite number as JSON; a non-finite one (never produced by the engine) as `null`.
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A score as shown in tables: integers without decimals, others to 4 decimals.
fn score_text(mode: Mode, x: f64) -> String {
    match mode {
        Mode::Parc | Mode::Shortfall => format!("{x:.0}"),
        Mode::ParcWeighted | Mode::Bayes => format!("{x:.4}"),
    }
}

fn names(matrix: &AchMatrix, hs: &[usize]) -> String {
    hs.iter().map(|&h| matrix.hypotheses()[h].as_str()).collect::<Vec<_>>().join(", ")
}

fn score_header(mode: Mode) -> &'static str {
    match mode {
        Mode::Parc | Mode::ParcWeighted => "inconsistency score",
        Mode::Shortfall => "inconsistency",
        Mode::Bayes => "posterior",
    }
}

/// The ranking table: one row per hypothesis, leader first.
fn ranking_table(matrix: &AchMatrix, result: &AchResult) -> String {
    ranking_table_titled(matrix, result, &[]).render()
}

/// The ranking table, with a title column when `titles` (one per hypothesis) is not empty.
fn ranking_table_titled(matrix: &AchMatrix, result: &AchResult, titles: &[String]) -> Table {
    let mut header = vec!["rank", "hypothesis", score_header(result.mode)];
    match result.mode {
        Mode::Shortfall => header.push("consistency"),
        Mode::Bayes => header.push("estimative words"),
        _ => {}
    }
    if !titles.is_empty() {
        header.push("title");
    }
    let mut t = Table::new(header)
        .align(0, Align::Right)
        .align(2, Align::Right)
        .caption("The hypotheses, the one that fits the evidence best first");
    if result.mode == Mode::Shortfall {
        t = t.align(3, Align::Right);
    }
    for (k, &h) in result.ranking.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            matrix.hypotheses()[h].clone(),
            score_text(result.mode, result.scores[h]),
        ];
        if let Some(c) = &result.consistency {
            row.push(format!("{:.0}", c[h]));
        }
        if result.mode == Mode::Bayes {
            row.push(estimative_words(result.scores[h]).unwrap_or("").to_string());
        }
        if let Some(title) = titles.get(h) {
            row.push(title.clone());
        }
        t.row(row);
    }
    t
}

/// The Bayesian ranking as relative support, for hypotheses not declared exclusive: the
/// normalised weights without the ICD 203 words, which would read them as probabilities.
fn support_table(matrix: &AchMatrix, result: &AchResult, titles: &[String]) -> Table {
    let mut header = vec!["rank", "hypothesis", "relative support"];
    if !titles.is_empty() {
        header.push("title");
    }
    let mut t = Table::new(header).align(0, Align::Right).align(2, Align::Right).caption(
        "Bayesian reading: relative support, summing to 1 (not probabilities: the hypotheses are not declared exclusive)",
    );
    for (k, &h) in result.ranking.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            matrix.hypotheses()[h].clone(),
            score_text(result.mode, result.scores[h]),
        ];
        if let Some(title) = titles.get(h) {
            row.push(title.clone());
        }
        t.row(row);
    }
    t
}

/// The full terminal output of `statecraft ach`: the ranking, diagnosticity, and the
/// sensitivity, timeline and indicators when the result has them.
pub fn table(matrix: &AchMatrix, result: &AchResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ACH, {} mode: {} hypotheses against {} of {} evidence items",
        result.mode.name(),
        matrix.hypotheses().len(),
        result.evidence_used.len(),
        matrix.evidence().len()
    );
    let _ = writeln!(out, "{}", mode_note(result.mode));
    out.push('\n');
    out.push_str(&ranking_table(matrix, result));
    let _ = writeln!(out, "\nleading: {}", names(matrix, &result.leaders));

    out.push_str("\ndiagnosticity (std dev of ratings on 1..5");
    out.push_str(if result.mode == Mode::Bayes { "; max |ln LR|)\n" } else { ")\n" });
    let mut header = vec!["evidence", "std dev"];
    if result.mode == Mode::Bayes {
        header.push("max |ln LR|");
    }
    header.push("diagnostic");
    let mut t = Table::new(header).align(1, Align::Right).align(2, Align::Right);
    for d in &result.diagnosticity {
        let mut row = vec![matrix.evidence()[d.evidence].id.clone(), format!("{:.3}", d.std_dev)];
        if result.mode == Mode::Bayes {
            row.push(d.max_log_lr.map_or("inf".to_string(), |x| format!("{x:.3}")));
        }
        row.push(if d.diagnostic { "yes" } else { "no" }.to_string());
        t.row(row);
    }
    out.push_str(&t.render());

    if let Some(rows) = &result.sensitivity {
        out.push_str("\nsensitivity (leaders if the item is removed / reversed)\n");
        let mut t = Table::new(["evidence", "removed", "reversed", "linchpin"]);
        let show = |o: &Outcome| match o {
            Outcome::Ranked { leaders, changes_leader, .. } => {
                let mark = if *changes_leader { " *" } else { "" };
                format!("{}{mark}", names(matrix, leaders))
            }
            Outcome::Impossible => "impossible".to_string(),
        };
        for r in rows {
            let linchpin = r.removed.changes_leader() || r.reversed.changes_leader();
            t.row([
                matrix.evidence()[r.evidence].id.clone(),
                show(&r.removed),
                show(&r.reversed),
                if linchpin { "yes" } else { "" }.to_string(),
            ]);
        }
        out.push_str(&t.render());
    }
    if let Some(l) = &result.linchpins {
        let ids: Vec<&str> = l.iter().map(|&e| matrix.evidence()[e].id.as_str()).collect();
        let _ = writeln!(
            out,
            "linchpins: {}",
            if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
        );
    }

    if let Some(rows) = &result.timeline {
        out.push_str("\ntimeline\n");
        let mut header = vec!["date".to_string(), "items".to_string()];
        header.extend(matrix.hypotheses().iter().cloned());
        header.push("leading".to_string());
        let n = header.len();
        let mut t = Table::new(header);
        for c in 1..n - 1 {
            t = t.align(c, Align::Right);
        }
        for r in rows {
            let mut row = vec![
                r.date.map_or("undated".to_string(), |d| d.to_string()),
                r.evidence_count.to_string(),
            ];
            row.extend(r.scores.iter().map(|&x| score_text(result.mode, x)));
            row.push(names(matrix, &r.leaders));
            t.row(row);
        }
        out.push_str(&t.render());
    }

    if !result.indicators.is_empty() {
        out.push_str(&indicator_table(matrix, result));
    }
    out
}

fn mode_note(mode: Mode) -> &'static str {
    match mode {
        Mode::Parc => {
            "scores count inconsistency only (I = -1, II = -2); the score closest to 0 leads"
        }
        Mode::ParcWeighted => {
            "scores count inconsistency weighted by credibility x relevance; closest to 0 leads"
        }
        Mode::Shortfall => "lowest inconsistency leads; consistency breaks ties",
        Mode::Bayes => {
            "posterior probabilities with uniform priors unless given; the only mode that gives probabilities"
        }
    }
}

fn indicator_table(matrix: &AchMatrix, result: &AchResult) -> String {
    let mut out = String::from("\nindicators to watch (most consequential first)\n");
    let bayes = result.mode == Mode::Bayes;
    let mut header = vec!["indicator", "if seen, leading", "leader shift"];
    if bayes {
        header.push("expected shift");
    }
    let mut t = Table::new(header).align(2, Align::Right).align(3, Align::Right);
    for i in &result.indicators {
        let leaders = match &i.if_seen {
            Outcome::Ranked { leaders, changes_leader, .. } => {
                format!("{}{}", names(matrix, leaders), if *changes_leader { " *" } else { "" })
            }
            Outcome::Impossible => "impossible".to_string(),
        };
        let mut row = vec![
            matrix.indicators()[i.indicator].id.clone(),
            leaders,
            i.leader_shift.map_or(String::new(), |x| format!("{x:+.4}")),
        ];
        if let Some(x) = i.expected_shift {
            row.push(format!("{x:.4}"));
        }
        t.row(row);
    }
    out.push_str(&t.render());
    out
}

/// The short ACH section of `statecraft run`: the leading hypothesis, the scores of all, the
/// linchpins and the indicators to watch, in a few lines and one table. Hypotheses and
/// indicators are named by id; [`scenario_section`] adds their titles.
pub fn section(matrix: &AchMatrix, result: &AchResult) -> Doc {
    section_titled(matrix, result, &[], &[], &[], Shown { lead: true, probabilities: true })
}

/// [`section`] for a scenario's ACH lens (`analysis::ach::from_scenario`), with each
/// hypothesis's title in the tables and each indicator's name in the watch list, Heuer's
/// reading first: the ranking by least inconsistency (PARC ACH 2.0, Heuer 1999, ch. 8, step 5),
/// then the lens's own rule (Bayesian in `statecraft run`) and where the two disagree, then the
/// evidence that predates the event or is rated alike under every hypothesis. Bayesian weights
/// are called probabilities only when the scenario declares its hypotheses exclusive.
pub fn scenario_section(scenario: &Scenario, a: &analysis::ach::AchAnalysis) -> Doc {
    let matrix = &a.matrix;
    let titles: Vec<String> = matrix
        .hypotheses()
        .iter()
        .map(|id| {
            scenario
                .hypotheses
                .iter()
                .find(|h| &h.id == id)
                .map_or(String::new(), |h| h.title.clone())
        })
        .collect();
    let names: Vec<String> = matrix
        .indicators()
        .iter()
        .map(|i| {
            scenario
                .indicators
                .iter()
                .find(|x| x.id == i.id)
                .map_or(i.id.clone(), |x| format!("{} ({})", x.name, x.id))
        })
        .collect();
    // A linchpin the scenario flags as possibly planted is exactly what Heuer's step 6 asks the
    // analyst to re-examine, so say so beside it.
    let flagged: Vec<bool> = matrix
        .evidence()
        .iter()
        .map(|e| {
            scenario.evidence.iter().any(|x| {
                x.id == e.id && x.flags.contains(&model::scenario::EvidenceFlag::DeceptionPossible)
            })
        })
        .collect();
    let mut doc = Doc::new();
    if let Some(heuer) = &a.heuer {
        doc.para(heuer_sentence(matrix, heuer, &titles));
        doc.table(ranking_table_titled(matrix, heuer, &titles).caption(
            "Heuer's reading: the hypotheses, the one the evidence contradicts least first",
        ));
        doc.para(second_reading(a, &titles));
    }
    // With Heuer's reading first, the second reading's lead was said just above.
    let shown = Shown { lead: a.heuer.is_none(), probabilities: a.exclusive };
    doc.append(section_titled(matrix, &a.result, &titles, &names, &flagged, shown));
    let ids = |items: &[usize]| -> String {
        let v: Vec<&str> =
            items.iter().filter_map(|&e| matrix.evidence().get(e).map(|i| i.id.as_str())).collect();
        v.join(", ")
    };
    if !a.predates.is_empty() {
        doc.para(format!(
            "Predates the event ({}), so it would exist whichever hypothesis is true: {}.",
            a.event.as_deref().unwrap_or("as the scenario dates it"),
            ids(&a.predates)
        ));
    }
    if !a.alike.is_empty() {
        doc.para(format!(
            "Rated alike under every hypothesis, so it cannot tell them apart: {}.",
            ids(&a.alike)
        ));
    }
    doc
}

/// Heuer's sentence: which hypothesis the evidence contradicts least, with its score.
fn heuer_sentence(matrix: &AchMatrix, heuer: &AchResult, titles: &[String]) -> String {
    let name = |h: usize| {
        let id = &matrix.hypotheses()[h];
        match titles.get(h).filter(|t| !t.is_empty()) {
            Some(t) => format!("{id} ({t})"),
            None => id.clone(),
        }
    };
    match heuer.leaders.as_slice() {
        [h] => format!(
            "Heuer's reading (least inconsistency, PARC): the evidence contradicts {} least (score {}).",
            name(*h),
            score_text(heuer.mode, heuer.scores[*h])
        ),
        hs => format!(
            "Heuer's reading (least inconsistency, PARC): tied for the least contradicted: {}.",
            hs.iter().map(|&h| name(h)).collect::<Vec<_>>().join("; ")
        ),
    }
}

/// The second reading, the lens's own rule: who it puts first, with how much weight (a
/// probability only for exclusive hypotheses), and whether it agrees with Heuer's.
fn second_reading(a: &analysis::ach::AchAnalysis, titles: &[String]) -> String {
    let matrix = &a.matrix;
    let r = &a.result;
    let heuer = a.least_inconsistent();
    let lead = names(matrix, &r.leaders);
    let title = match r.leaders.as_slice() {
        [h] => titles.get(*h).filter(|t| !t.is_empty()).map_or(String::new(), |t| format!(", {t}")),
        _ => String::new(),
    };
    let weight = match (&r.posteriors, r.leaders.as_slice()) {
        (Some(p), [h]) if a.exclusive => {
            format!(
                " (probability {:.0} %, {})",
                p[*h] * 100.0,
                estimative_words(p[*h]).unwrap_or("")
            )
        }
        (Some(p), [h]) => format!(
            " ({:.0} % of the relative support; not a probability, since the scenario does not declare its hypotheses exclusive)",
            p[*h] * 100.0
        ),
        _ => String::new(),
    };
    let agree = r.leaders.iter().any(|h| heuer.leaders.contains(h));
    let verdict = if agree {
        "It agrees with Heuer's reading.".to_owned()
    } else {
        "It disagrees with Heuer's reading: it also counts the consistent evidence, weighted by each item's credibility and relevance, which the count of inconsistencies leaves out.".to_owned()
    };
    format!("Second reading, {} scoring: {lead}{title} leads{weight}. {verdict}", r.mode.name())
}

/// What a section shows besides its tables.
#[derive(Debug, Clone, Copy)]
struct Shown {
    /// Whether it opens with the lead sentence.
    lead: bool,
    /// Whether Bayesian weights are shown as probabilities (with ICD 203 words), or as
    /// relative support.
    probabilities: bool,
}

fn section_titled(
    matrix: &AchMatrix,
    result: &AchResult,
    titles: &[String],
    indicator_names: &[String],
    deception_possible: &[bool],
    shown: Shown,
) -> Doc {
    let mut doc = Doc::new();
    if shown.lead {
        doc.para(lead_sentence(matrix, result, titles));
    }
    let mut table = ranking_table_titled(matrix, result, titles);
    if result.mode == Mode::Bayes && !shown.probabilities {
        table = support_table(matrix, result, titles);
    }
    doc.table(table);
    if let Some(l) = &result.linchpins {
        let ids: Vec<String> = l
            .iter()
            .map(|&e| {
                let id = &matrix.evidence()[e].id;
                match deception_possible.get(e) {
                    Some(true) => format!("{id} (flagged: deception possible)"),
                    _ => id.clone(),
                }
            })
            .collect();
        doc.para(format!(
            "Linchpins (one change alters the lead): {}.",
            if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
        ));
    }
    let watch: Vec<&str> = result
        .indicators
        .iter()
        .take(3)
        .map(|i| {
            indicator_names
                .get(i.indicator)
                .map_or(matrix.indicators()[i.indicator].id.as_str(), String::as_str)
        })
        .collect();
    if !watch.is_empty() {
        doc.para(format!("Indicators to watch: {}.", watch.join("; ")));
    }
    doc
}

/// The section's first sentence: which hypothesis leads, with its posterior when there is one.
fn lead_sentence(matrix: &AchMatrix, result: &AchResult, titles: &[String]) -> String {
    let lead = names(matrix, &result.leaders);
    match (&result.posteriors, result.leaders.as_slice()) {
        (Some(p), [h]) => format!(
            "Leading hypothesis: {lead}{} ({:.0} %, {}).",
            titles.get(*h).map_or(String::new(), |t| format!(", {t}")),
            p[*h] * 100.0,
            estimative_words(p[*h]).unwrap_or("")
        ),
        (_, [_]) => format!("Leading hypothesis: {lead} ({} mode).", result.mode.name()),
        _ => format!("Tied for the lead: {lead} ({} mode).", result.mode.name()),
    }
}

#[cfg(test)]
mod tests {
    use engines::ach::{
        AchOptions, BayesSettings, Item, LikelihoodTable, Priors, Rating, Sensitivity, Timeline,
        Weight,
    };
    use engines::prec;

    use analysis::ach::AchSettings;

    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/../../tests/fixtures/ach/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn options(mode: Mode) -> AchOptions {
        AchOptions {
            mode,
            bayes: BayesSettings {
                likelihoods: LikelihoodTable::standard(),
                priors: Priors::Uniform,
            },
            as_of: None,
            sensitivity: Sensitivity::Run,
            timeline: Timeline::Run,
        }
    }

    /// Equal JSON, numbers within [`prec::REFERENCE`] (libm's `exp`/`ln` may differ by an ulp
    /// between platforms).
    fn same(a: &Value, b: &Value, at: &str) {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                assert!((x - y).abs() <= prec::REFERENCE, "{at}: {x} != {y}");
            }
            (Value::Array(x), Value::Array(y)) => {
                assert_eq!(x.len(), y.len(), "{at}: lengths");
                for (k, (x, y)) in x.iter().zip(y).enumerate() {
                    same(x, y, &format!("{at}[{k}]"));
                }
            }
            (Value::Object(x), Value::Object(y)) => {
                assert_eq!(
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>(),
                    "{at}: keys"
                );
                for (k, v) in x {
                    same(v, &y[k], &format!("{at}.{k}"));
                }
            }
            _ => assert_eq!(a, b, "{at}"),
        }
    }

    #[test]
    fn json_matches_the_golden_files() {
        let matrix = model::formats::ach_csv::read(&fixture("worked.csv")).unwrap();
        for mode in [Mode::Parc, Mode::ParcWeighted, Mode::Shortfall, Mode::Bayes] {
            let result = engines::ach::analyze(&matrix, &options(mode)).unwrap();
            let golden: Value =
                serde_json::from_str(&fixture(&format!("worked.{}.json", mode.name()))).unwrap();
            assert_eq!(golden["schema_version"], crate::SCHEMA_VERSION);
            same(&json(&matrix, &result, None), &golden["result"], mode.name());
        }
    }

    fn with_indicators() -> AchMatrix {
        let item = |id: &str, ratings: [Rating; 2]| Item {
            id: id.into(),
            credibility: Weight::High,
            relevance: Weight::High,
            date: None,
            ratings: ratings.to_vec(),
        };
        AchMatrix::new(
            vec!["A".into(), "B".into()],
            vec![item("E1", [Rating::C, Rating::I])],
            vec![item("watch", [Rating::II, Rating::CC]), item("quiet", [Rating::N, Rating::N])],
        )
        .unwrap()
    }

    #[test]
    fn json_indicators() {
        let m = with_indicators();
        let r = engines::ach::analyze(&m, &options(Mode::Parc)).unwrap();
        let v = json(&m, &r, Some("2024-01-01"));
        assert_eq!(v["as_of"], "2024-01-01");
        // E1 alone: A 0, B −1. Seeing `watch` (II for A) makes A −2: B leads.
        assert_eq!(
            v["indicators"][0],
            json!({"indicator": "watch", "changes_leader": true, "leaders_if_seen": ["B"],
                   "leader_shift": -2.0, "expected_shift": null})
        );
        assert_eq!(v["indicators"][1]["indicator"], "quiet");
    }

    #[test]
    fn table_of_the_worked_example() {
        let matrix = model::formats::ach_csv::read(&fixture("worked.csv")).unwrap();
        let mut o = options(Mode::Shortfall);
        o.sensitivity = Sensitivity::Skip;
        o.timeline = Timeline::Skip;
        let r = engines::ach::analyze(&matrix, &o).unwrap();
        let text = table(&matrix, &r);
        let head: String = text.lines().take(8).map(|l| format!("{l}\n")).collect();
        assert_eq!(
            head,
            "\
ACH, shortfall mode: 3 hypotheses against 5 of 5 evidence items
lowest inconsistency leads; consistency breaks ties

rank  hypothesis  inconsistency  consistency
----  ----------  -------------  -----------
   1  H1                      1            5
   2  H3                      5            2
   3  H2                      5            1
"
        );
    }

    /// The sample in this module's documentation is what the code writes.
    #[test]
    fn doc_sample_is_current() {
        let doc: String = include_str!("ach.rs")
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.strip_prefix("//! ").unwrap_or("").to_string() + "\n")
            .collect();
        let sample = doc.split("```json\n").nth(1).unwrap().split("```").next().unwrap();
        let sample: Value = serde_json::from_str(sample).unwrap();
        let loaded =
            model::load::load_bytes("worked.toml", fixture("worked.toml").as_bytes(), None)
                .unwrap();
        let input = model::lens::ach::input(&loaded.scenario).unwrap();
        let mut o = options(Mode::Parc);
        o.as_of = Some(input.as_of);
        let r = engines::ach::analyze(&input.matrix, &o).unwrap();
        let body = json(&input.matrix, &r, Some("2024-10-31"));
        let doc = crate::envelope("ach", "tests/fixtures/ach/worked.toml", body);
        same(&doc, &sample, "sample");
    }

    #[test]
    fn section_for_korea() {
        let b = model::builtin::find("korea-2024").unwrap();
        let loaded = model::builtin::load(b).unwrap();
        let a = analysis::ach::from_scenario(&loaded.scenario, &AchSettings::for_run()).unwrap();
        let text = scenario_section(&loaded.scenario, &a).text();
        // Issue #14: Heuer's reading first, the Bayesian one second as relative support (the
        // hypotheses are not declared exclusive), where they disagree, and the treaty text
        // flagged as predating the deployment.
        assert!(
            text.starts_with(
                "Heuer's reading (least inconsistency, PARC): the evidence contradicts H3 (Bid for Russian weapons technology) least (score 0).\n"
            ),
            "{text}"
        );
        assert!(text.contains("Second reading, bayes scoring: H2, "), "{text}");
        assert!(text.contains("It disagrees with Heuer's reading"), "{text}");
        assert!(text.contains("relative support") && !text.contains("estimative words"), "{text}");
        assert!(text.contains("Predates the event (2024-10), so it would exist whichever hypothesis is true: e08.\n"), "{text}");
        assert!(text.contains("  title\n"), "{text}");
        assert!(text.contains("Indicators to watch: "), "{text}");
        assert!(
            text.find("Heuer's reading").unwrap() < text.find("relative support").unwrap(),
            "{text}"
        );
    }

    #[test]
    fn scenario_section_marks_a_flagged_linchpin() {
        // E1 is the bayes linchpin of the worked example (docs/ach.md); flag it.
        let text = fixture("worked.toml").replacen(
            "relevance = \"high\"\n",
            "relevance = \"high\"\nflags = [\"deception_possible\"]\n",
            1,
        );
        let loaded = model::load::load_bytes("w.toml", text.as_bytes(), None).unwrap();
        let a = analysis::ach::from_scenario(&loaded.scenario, &AchSettings::for_run()).unwrap();
        let text = scenario_section(&loaded.scenario, &a).text();
        assert!(
            text.starts_with("Heuer's reading (least inconsistency, PARC): the evidence contradicts H1 (H1) least (score -1).\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "Second reading, bayes scoring: H1, H1 leads (72 % of the relative support; "
            ),
            "{text}"
        );
        assert!(text.contains("It agrees with Heuer's reading."), "{text}");
        assert!(
            text.contains(
                "Rated alike under every hypothesis, so it cannot tell them apart: E4.\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "Linchpins (one change alters the lead): E1 (flagged: deception possible).\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("Indicators to watch: an observation H1 does not expect (I1); "),
            "{text}"
        );
    }

    #[test]
    fn section_for_run() {
        let matrix = model::formats::ach_csv::read(&fixture("worked.csv")).unwrap();
        let r = engines::ach::analyze(&matrix, &options(Mode::Bayes)).unwrap();
        let text = section(&matrix, &r).text();
        assert!(text.starts_with("Leading hypothesis: H1 (72 %, likely).\n"), "{text}");
        assert!(text.contains("Linchpins (one change alters the lead): "), "{text}");
    }
}
