//! Every format of `statecraft run`, each a pure function of one [`Analysis`]: nothing here runs
//! a lens.
//!
//! The report has three parts: the question and the answer, the scenario's overview
//! ([`crate::overview`]), then one part per lens that the scenario feeds ([`parts`], in the
//! order of the report). A lens the scenario does not feed is left out; one that failed is
//! noted with why.
//!
//! [`text`] is the terminal report; [`markdown`] the same as Markdown, laid out by
//! [`crate::markdown::run`] (the answer, what would change it, the overview as tables, then
//! each lens's section, with the answer's sources and the provenance of every judged number as
//! footnotes); [`html`] one self-contained page, laid out by [`crate::html::run`], with the
//! charts of [`crate::chart::for_run`] (drawn from the typed results); [`json()`] the document
//! below.
//!
//! # JSON (`--format json`)
//!
//! The envelope of `report::envelope` with `"lens": "run"`. Its `result` holds the overview
//! (`scenario`, `figures`, as `report::overview::to_json` writes them), the `answer` (the
//! headline and its probability in words, the confidence apart from the likelihood with its
//! factors, the reasons, the futures' mass, the decision's `timing` when it awaits something,
//! the `disagreements` between lenses, and the `robustness`: the summary of a small seeded
//! ensemble, `analysis::ensemble::Robustness`), and
//! `lenses`: one key per lens that ran, in alphabetical order, each holding exactly the `result`
//! that `statecraft <lens> SCENARIO --format json` writes with the settings of the analysis (so
//! each lens's own module documents its schema; by default ACH runs as `--mode bayes
//! --sensitivity`, the settings of the answer and the ACH section; Bayes as `--decide --voi
//! --tornado meu` when the scenario has decisions, else `--tornado <headline>`, what the Bayes
//! section reports; bargaining as the expected utility model), or `{"error": "<message>"}` when
//! that lens failed on the scenario. Abridged (`…`) from the built-in korea-2024:
//!
//! ```json
//! {
//!   "lens": "run",
//!   "result": {
//!     "answer": {
//!       "confidence": {
//!         "factors": [
//!           {"factor": "sources", "rating": "strong", "reason": "the evidence rests on 3 independent sources, 2 of high reliability"},
//!           {"factor": "speculation", "rating": "weak", "reason": "7 of 20 evidence items are flagged speculative"},
//!           {"factor": "lenses", "rating": "weak", "reason": "the lenses disagree in 2 places (see where the lenses disagree)"},
//!           {"factor": "range", "rating": "fair", "reason": "moving each judged probability by ±10 points moves the headline between 19 % and 30 % …"},
//!           {"factor": "robustness", "rating": "weak", "reason": "over 500 seeded draws of every judgment at once, the headline's 90 % interval is 19–64 % …"}
//!         ],
//!         "level": "low"
//!       },
//!       "disagreements": [
//!         {"code": "statecraft::hypothesis_far_from_state", "path": "hypothesis[0].maps_to", "text": "ACH gives H1 1 % of its weight, but the Bayesian network gives the state it stands for, dprk_russia.transactional, 39 %", "why": "ACH weighs the evidence as of the scenario's date …"}
//!       ],
//!       "futures": {"futures": [["russian_gains", "retrenchment", …], …], "inconsistent": 0.97, "probabilities": [0.0046, …]},
//!       "headline": "Unlikely (20–45 %): the model gives “The Ukraine war becomes a Korean war” (korean_war.korean = Korean) a 25 % chance, if South Korea (ROK) takes its best option, status_quo_nato.",
//!       "probability": 0.245964535995,
//!       "reasons": [
//!         {
//!           "cites": ["e07 (lee2024, P5 (C7))", "e08 (treaty2024, Art. 4)"],
//!           "lens": "ach",
//!           "text": "Of the competing hypotheses, H2 (Treaty-based alliance commitment) fits the evidence best …"
//!         }
//!       ],
//!       "robustness": {"best": [["status_quo_nato", 0.464], ["arms_to_ukraine", 0.256], ["nuclear_hedging", 0.28]], "decision": "seoul", "headline": {"histogram": [5, 25, …], "max": 0.702, "mean": 0.357, "min": 0.137, "p05": 0.188, "p50": 0.308, "p95": 0.639}, "headline_state": "korean_war.korean", "samples": 500, "seed": 1, "stated_best": "status_quo_nato"},
//!       "timing": {
//!         "awaits": ["us_policy"],
//!         "decision": "seoul",
//!         "lead_now": 3.82,
//!         "later": {"best": null, "meu": -16.38, "probability": 0.450},
//!         "now": {"best": "status_quo_nato", "meu": -38.69, "probability": 0.246},
//!         "policy": [{"given": [["us_policy", "continuity"]], "headline": 0.593, "lead": 5.4, "option": "arms_to_ukraine", "probability": 0.45}, …],
//!         "thresholds": [{"above": "status_quo_nato", "at": 0.404, "below": "nuclear_hedging", "driver": "us_policy", "now": 0.45, "state": "continuity"}, …],
//!         "value_of_waiting": 22.30
//!       },
//!       "words": "unlikely"
//!     },
//!     "figures": [{"formula": "troops * pay_per_month", "high": 24000000.0, "id": "currency_per_month", "inputs": ["troops", "pay_per_month"], "low": 20000000.0, "name": "Hard currency to Pyongyang from troop pay, per month", "unit": "USD per month"}, …],
//!     "lenses": {
//!       "ach": {"as_of": "2024-10-31", "diagnosticity": […], "evidence_used": ["e01", …, "e20"], "hypotheses": […], "indicators": […], "leaders": […], "mode": "bayes", "ranking": […], "scores": […]},
//!       "actors": {"mactor": {"actors": ["North Korea (DPRK)", …], "balance_formula": "retroaction", …}, "micmac": {…}},
//!       "bargain": {"actors": [{"id": "dprk", "name": "North Korea (DPRK)"}, …], "detail": […], "issues": […], "model": "eum", "options": "win probability global, offers scholz, capitulation scholz-code, Q 1, T 1, at most 10 rounds"},
//!       "bayes": {"evidence": {}, "evidence_probability": 1.0000000000000002, "kind": "diagram", "marginals": {"korean_war": {"contained": 0.75414558301, "korean": 0.24585441699}, …}, …},
//!       "cib": {"descriptors": [{"name": "war", "variants": ["russian_gains", "stalemate", "russian_setback"]}, …], "scenarios": […], "succession": {…}, …},
//!       "games": {"games": [{"id": "…", "equilibria": [{"payoffs": [3.0, 4.0], "profile": [[0.0, 1.0], [0.0, 1.0]], "pure": true}], …}]}
//!     },
//!     "scenario": {"scenario": {"format": 1, "id": "korea-2024", "question": "…", …}, "evidence": […], "hypothesis": […], "driver": […], …}
//!   },
//!   "schema_version": 1,
//!   "source": "<built-in korea-2024>"
//! }
//! ```
//!
//! A lens that fails appears as, for instance, `"cib": {"error": "scenario.toml: …"}`.

use analysis::Analysis;

use crate::doc::Doc;
use analysis::answer::Answer;
use serde_json::{Value, json};

/// One lens's part of the report: its key in the JSON `lenses` object, its title, and its
/// section as a document (which the terminal, Markdown and HTML reports each render) or why
/// the lens could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The lens's key (`ach`, `actors`, `bargain`, `cib`, `bayes`, `games`).
    pub key: &'static str,
    /// The heading, such as `Competing hypotheses (ACH)`.
    pub title: &'static str,
    /// The section, or why the lens did not run.
    pub outcome: Result<Doc, String>,
}

/// One part per lens that the scenario feeds, in the order of the report.
pub fn parts(a: &Analysis) -> Vec<Part> {
    let s = &a.scenario;
    let mut parts = Vec::new();
    let mut push = |key, title, outcome: Option<Result<Doc, String>>| {
        if let Some(outcome) = outcome {
            parts.push(Part { key, title, outcome });
        }
    };
    push(
        "ach",
        "Competing hypotheses (ACH)",
        rendered(&a.ach, |x: &analysis::ach::AchAnalysis| crate::ach::scenario_section(s, x)),
    );
    push(
        "actors",
        "Actors and structure (MACTOR, MICMAC)",
        rendered(&a.actors, |x: &analysis::actors::ActorsAnalysis| {
            let (m, d) = crate::actors::views(x);
            crate::actors::section(m.as_ref(), d.as_ref())
        }),
    );
    push(
        "bargain",
        "Where the issues settle (bargaining)",
        rendered(&a.bargain, |x: &analysis::bargain::ScenarioBargain| {
            let mut doc = crate::bargain::section(&x.study, &x.eum);
            if let Ok(smp) = &x.smp {
                doc.gap();
                doc.append(crate::bargain::section(&x.study, smp));
            }
            doc
        }),
    );
    push(
        "cib",
        "Self-consistent futures (CIB)",
        rendered(&a.cib, |x: &analysis::cib::ScenarioCib| {
            crate::cib::section(&crate::cib::CibFindings::of(&a.source, &x.analysis))
        }),
    );
    push(
        "bayes",
        "How likely, and which option is best (Bayesian network)",
        rendered(&a.bayes, |x: &analysis::bayes::ScenarioBayes| crate::bayes::section(&x.summary)),
    );
    push(
        "games",
        "What the players will do (games)",
        rendered(&a.games, |x: &Vec<analysis::games::ScenarioGame>| crate::games::section(x)),
    );
    parts
}

/// A lens's outcome rendered by `f`, or why it did not run; `None` when the scenario does not
/// feed the lens.
fn rendered<T>(
    outcome: &analysis::Outcome<T>,
    f: impl Fn(&T) -> Doc,
) -> Option<Result<Doc, String>> {
    outcome.as_ref().map(|r| r.as_ref().map(f).map_err(|e| e.message.clone()))
}

/// The report for the terminal: the question and the answer first, before the tables it
/// rests on, then the scenario and each lens's section.
pub fn text(a: &Analysis) -> String {
    let s = &a.scenario;
    let mut text = crate::overview::header(s);
    text.push_str(&answer_text(&a.answer));
    text.push_str("\n== The scenario ==\n");
    text.push_str(crate::overview::body(s, &a.figures).trim_start_matches('\n'));
    for p in parts(a) {
        text.push_str(&format!("\n== {} ==\n", p.title));
        match &p.outcome {
            Ok(body) => text.push_str(&body.text()),
            Err(why) => text.push_str(&format!("(not run: {why})\n")),
        }
    }
    text
}

/// The answer as text: the headline, then one line per reason with its sources.
fn answer_text(a: &Answer) -> String {
    let mut out = format!("\n== Answer ==\n{}\n", a.headline);
    if let Some(c) = &a.confidence {
        out.push_str(&format!("{}\n", c.line()));
    }
    if let Some(r) = &a.robustness {
        out.push_str(&format!("{}\n", r.sentence()));
    }
    for r in &a.reasons {
        out.push_str(&format!("- [{}] {}", r.lens, r.text));
        if !r.cites.is_empty() {
            out.push_str(&format!(" Sources: {}.", r.cites.join("; ")));
        }
        out.push('\n');
    }
    if !a.disagreements.is_empty() {
        out.push_str("\n== Where the lenses disagree, and why ==\n");
        for d in &a.disagreements {
            out.push_str(&format!("- [{}] {} ({}). Why: {}\n", d.code, d.text, d.path, d.why));
        }
    }
    out
}

/// Each lens's JSON `result`, keyed by lens, as the module documentation describes.
fn lenses_json(a: &Analysis) -> serde_json::Map<String, Value> {
    use crate::cib::CibFindings;
    let mut lenses = serde_json::Map::new();
    let mut put = |key: &str, v: Option<Value>| {
        if let Some(v) = v {
            lenses.insert(key.into(), v);
        }
    };
    put("ach", as_json(&a.ach, |x| crate::ach::json(&x.matrix, &x.result, x.as_of.as_deref())));
    put(
        "actors",
        as_json(&a.actors, |x| {
            let (m, d) = crate::actors::views(x);
            crate::actors::json(m.as_ref(), d.as_ref())
        }),
    );
    put("bargain", as_json(&a.bargain, |x| crate::bargain::to_json(&x.study, &x.eum)));
    put("cib", as_json(&a.cib, |x| crate::cib::json(&CibFindings::of(&a.source, &x.analysis))));
    put(
        "bayes",
        as_json(&a.bayes, |x| crate::bayes::json_body(&crate::bayes::BayesReport::of(&x.analysis))),
    );
    put("games", as_json(&a.games, |x| crate::games::scenario_json(x)));
    lenses
}

/// A lens's outcome as JSON by `f`, or `{"error": "<message>"}`; `None` when the scenario does
/// not feed the lens.
fn as_json<T>(outcome: &analysis::Outcome<T>, f: impl Fn(&T) -> Value) -> Option<Value> {
    outcome.as_ref().map(|r| match r {
        Ok(x) => f(x),
        Err(e) => json!({"error": e.message}),
    })
}

/// The JSON document of the module's documentation, in its envelope.
pub fn json(a: &Analysis) -> Value {
    let mut body = crate::overview::to_json(&a.scenario, &a.figures);
    body["answer"] = serde_json::to_value(&a.answer).unwrap_or_default();
    body["lenses"] = Value::Object(lenses_json(a));
    crate::envelope("run", &a.source, body)
}

/// The Markdown report of [`crate::markdown::run`].
pub fn markdown(a: &Analysis) -> String {
    let parts = parts(a);
    let sections: Vec<_> = parts
        .iter()
        .map(|p| crate::markdown::Section {
            title: p.title,
            outcome: p.outcome.as_ref().map_err(String::as_str),
        })
        .collect();
    crate::markdown::run(&a.scenario, &a.figures, &a.answer, &a.change, &sections)
}

/// The self-contained HTML page of [`crate::html::run`], with the charts of
/// [`crate::chart::for_run`].
pub fn html(a: &Analysis) -> String {
    with_html_page(a, crate::html::run)
}

/// The parts of the HTML page of [`html`], each as HTML ([`crate::html::parts`]), for a page
/// laid out by another program, such as the workbench of `statecraft serve`.
pub fn html_parts(a: &Analysis) -> Vec<crate::html::Part> {
    with_html_page(a, crate::html::parts)
}

/// `f` of the HTML page of `a`.
fn with_html_page<T>(a: &Analysis, f: impl Fn(&crate::html::Page<'_>) -> T) -> T {
    let charts = crate::chart::for_run(a);
    let parts = parts(a);
    let sections: Vec<_> = parts
        .iter()
        .map(|p| crate::html::Section {
            key: p.key,
            title: p.title,
            outcome: p.outcome.as_ref().map_err(String::as_str),
        })
        .collect();
    f(&crate::html::Page {
        scenario: &a.scenario,
        source: &a.source,
        answer: &a.answer,
        figures: &a.figures,
        sections: &sections,
        charts: &charts,
        change: &a.change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bargaining part shows the expected utility model and KTAB's spatial model, each
    /// beside the baseline.
    #[test]
    fn bargain_part_reports_both_models() {
        let text = include_str!("../../../tests/fixtures/bargain/korea-issues.toml");
        let loaded = model::load::load_bytes("korea-issues.toml", text.as_bytes(), None)
            .unwrap_or_else(|d| panic!("the fixture does not load: {d}"));
        let a = analysis::analyse(&loaded, &analysis::Settings::default());
        let part = parts(&a).into_iter().find(|p| p.key == "bargain").expect("a bargaining part");
        let section = part.outcome.unwrap_or_else(|e| panic!("{e}")).text();
        assert!(section.starts_with("Bargaining (eum)"), "{section}");
        assert!(section.contains("Bargaining (smp)"), "{section}");
        assert!(section.contains("ROK nuclear weapons"), "{section}");
    }

    /// A lens that fails is reported with why, in the text and in the JSON, and the others
    /// still run.
    #[test]
    fn a_failed_lens_is_noted_and_the_others_run() {
        let b = model::builtin::find("korea-2024").expect("built in");
        let loaded = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}"));
        let settings = analysis::Settings {
            cib: analysis::cib::CibSettings { max_scenarios: 1, ..Default::default() },
            ..Default::default()
        };
        let a = analysis::analyse(&loaded, &settings);
        let text = text(&a);
        assert!(text.contains("== Self-consistent futures (CIB) ==\n(not run: "), "{text}");
        assert!(text.contains("== How likely, and which option is best (Bayesian network) =="));
        let doc = json(&a);
        assert!(doc["result"]["lenses"]["cib"]["error"].is_string(), "{doc:#}");
        assert!(doc["result"]["lenses"]["bayes"]["marginals"].is_object());
    }
}
