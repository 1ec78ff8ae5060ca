//! `statecraft run`: every lens the scenario feeds, and the answer to its question.
//!
//! The report has three parts: the question and the answer (`model::answer::answer`, which reads
//! the ACH, CIB and Bayes results), the scenario's overview (`report::overview`), then one part per lens
//! that the scenario feeds. A lens the scenario does not feed is left out; one that fails is
//! noted, and the others still run.
//!
//! `--format md` writes the same report as Markdown, laid out by `report::markdown::run`: the
//! answer, what would change it (`report::change`), the overview as tables, then each lens's
//! section; the answer's sources and the provenance of every judged number in the overview's
//! tables are footnotes.
//!
//! `--format html` writes one self-contained HTML page, laid out by `report::html::run`: inline
//! CSS and SVG, no script, and a Content-Security-Policy that forbids the browser to fetch
//! anything. It has the same parts, puts each chart of `report::chart::for_run` (drawn from the
//! JSON below) in its lens's section, and gives every number taken from a judgment of the
//! scenario its reason and source, on hover and as a footnote. It prints on A4 with each part on
//! a new page.
//!
//! # JSON (`--format json`)
//!
//! The envelope of `report::envelope` with `"lens": "run"`. Its `result` holds the overview
//! (`scenario`, `figures`, as `report::overview::to_json` writes them), the `answer`, and
//! `lenses`: one key per lens that ran, in alphabetical order, each holding exactly the `result`
//! that `statecraft <lens> SCENARIO --format json` writes with every option at its default (so
//! each lens's own module documents its schema; ACH runs as `--mode bayes --sensitivity`, the
//! settings of the answer and the ACH section; Bayes as `--decide --voi --tornado meu` when the
//! scenario has decisions, else `--tornado <headline>`, what the Bayes section reports), or
//! `{"error": "<message>"}` when that lens failed on the scenario. Abridged (`…`) from the built-in korea-2024:
//!
//! ```json
//! {
//!   "lens": "run",
//!   "result": {
//!     "answer": {
//!       "headline": "Unlikely (20–45 %): the model gives “The Ukraine war becomes a Korean war” (korean_war.korean = Korean) a 25 % chance, if South Korea (ROK) takes its best option, status_quo_nato.",
//!       "probability": 0.24585441699,
//!       "reasons": [
//!         {
//!           "cites": ["e07 (lee2024, P5 (C7))", "e08 (treaty2024, Art. 4)"],
//!           "lens": "ach",
//!           "text": "Of the competing hypotheses, H2 (Treaty-based alliance commitment) fits the evidence best …"
//!         }
//!       ]
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

use std::cell::OnceCell;

use clap::Args;
use miette::miette;
use model::answer::{Answer, answer};
use model::lens::bayes::BayesSummary;
use model::load::Loaded;
use model::scenario::Scenario;
use serde_json::json;

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, Rendered, emit, unsupported_format};
use crate::scenario;

/// Arguments of `statecraft run`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  statecraft run\n  statecraft run --format html -o report.html\n  statecraft run my-scenario.toml --format json -o result.json\n  statecraft run --format md -o report.md\n  statecraft run my-scenario.toml --save runs/mine\n  statecraft run --verify runs/mine"
)]
pub struct RunArgs {
    /// A scenario file or a built-in scenario's name (default: korea-2024).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// `--save DIR`, `--force`, `--verify DIR`.
    #[command(flatten)]
    pub save: crate::save::SaveArgs,
}

/// One lens's part of the report: its key in the JSON `lenses` object, its title, and its text
/// or why it could not run.
struct Part {
    key: &'static str,
    title: &'static str,
    outcome: Result<String, String>,
}

/// Runs every lens on the scenario and prints the answer, then each lens's findings, in the form
/// the module's documentation describes.
pub fn run(global: &Global, args: &RunArgs) -> Result<(), Failure> {
    if let Some(dir) = &args.save.verify {
        return crate::save::verify(global, dir);
    }
    let loaded = scenario::load(args.scenario.as_deref(), global.quiet)?;
    let report = Report::build(&loaded, args.scenario.as_deref());
    let out = match global.format {
        Format::Table => report.text(),
        Format::Json => output::json_text(report.json())?,
        Format::Md => report.markdown(),
        Format::Html => report.html(),
        other => return Err(unsupported_format("run", other, "table, json, md, html")),
    };
    crate::save::save(global, &args.save, &loaded, args.scenario.as_deref())?;
    emit(global, &out)
}

/// Everything `run` found on one scenario, ready to be written in any format.
pub struct Report<'a> {
    /// The scenario as loaded, with where it came from.
    loaded: &'a Loaded,
    /// The scenario argument as given (`None` for the default built-in), so that each lens's
    /// JSON can be made exactly as `statecraft LENS SCENARIO` makes it.
    arg: Option<&'a str>,
    /// The derived figures of the scenario.
    figures: Vec<model::figures::Figure>,
    /// One part per lens that the scenario feeds, in the order of the report.
    parts: Vec<Part>,
    /// The answer to the scenario's question.
    answer: Answer,
    /// The Bayes lens's summary, when the scenario has probabilities and it could be solved:
    /// the answer's headline rests on it, and so does what would change the judgment.
    bayes: Option<BayesSummary>,
    /// The JSON document, made on first use: every format but the terminal's reads it, and it
    /// runs every lens again.
    json: OnceCell<serde_json::Value>,
}

impl<'a> Report<'a> {
    /// Runs every lens the scenario feeds and synthesises the answer. A lens that fails becomes
    /// a part that says why; the others still run.
    pub fn build(loaded: &'a Loaded, arg: Option<&'a str>) -> Self {
        let s = &loaded.scenario;
        let figures = model::figures::compute(s);
        let mut parts = Vec::new();
        let note = |key, title, outcome: Result<String, Failure>| Part {
            key,
            title,
            outcome: outcome.map_err(|e| e.message()),
        };

        let ach = (!s.hypotheses.is_empty()).then(|| {
            let input =
                model::lens::ach::input(s).map_err(|e| Failure::bad_input(miette!("{e}")))?;
            let result = engines::ach::analyze(&input.matrix, &input.run_options())
                .map_err(|e| Failure::analysis(miette!("ACH: {e}")))?;
            Ok::<_, Failure>((input.matrix, result))
        });
        if let Some(a) = &ach {
            let text = match a {
                Ok((matrix, result)) => Ok(report::ach::scenario_section(s, matrix, result)),
                Err(e) => Err(Failure::analysis(miette!("{}", e.message()))),
            };
            parts.push(note("ach", "Competing hypotheses (ACH)", text));
        }
        if !s.actors.is_empty() || s.drivers.iter().any(|d| !d.influence.is_empty()) {
            parts.push(note(
                "actors",
                "Actors and structure (MACTOR, MICMAC)",
                super::actors::section(arg),
            ));
        }
        if !s.issues.is_empty() {
            let text = super::bargain::run_section(s)
                .ok_or_else(|| Failure::analysis(miette!("the issues cannot be bargained")));
            parts.push(note("bargain", "Where the issues settle (bargaining)", text));
        }
        let cib = if s.cross_impacts.is_empty() {
            None
        } else {
            match super::cib::run_section(s, &loaded.source.name) {
                Ok(Some((study, solution, text))) => {
                    parts.push(note("cib", "Self-consistent futures (CIB)", Ok(text)));
                    Some((study, solution))
                }
                Ok(None) => None,
                Err(e) => {
                    parts.push(note("cib", "Self-consistent futures (CIB)", Err(e)));
                    None
                }
            }
        };
        let bayes = if s.drivers.iter().any(|d| d.prior.is_some() || !d.cpt.is_empty()) {
            let summary = model::lens::bayes::BayesStudy::from_scenario(s)
                .map_err(|e| Failure::analysis(miette!("{e}")))
                .and_then(|study| {
                    model::lens::bayes::summarise(&study, 5)
                        .map_err(|e| Failure::analysis(miette!("{e}")))
                });
            let text = summary
                .as_ref()
                .map(report::bayes::section)
                .map_err(|e| Failure::analysis(miette!("{}", e.message())));
            parts.push(note(
                "bayes",
                "How likely, and which option is best (Bayesian network)",
                text,
            ));
            summary.ok()
        } else {
            None
        };
        if !s.games.is_empty() {
            let text = super::games::run_section(s).map(|section| section.unwrap_or_default());
            parts.push(note("games", "What the players will do (games)", text));
        }

        let ach_ok = ach.as_ref().and_then(|a| a.as_ref().ok()).map(|(m, r)| (m, r));
        let answer = answer(s, bayes.as_ref(), cib.as_ref().map(|(st, so)| (st, so)), ach_ok);
        Report { loaded, arg, figures, parts, answer, bayes, json: OnceCell::new() }
    }

    /// The report for the terminal: the question and the answer first, before the tables it
    /// rests on, then the scenario and each lens's section.
    pub fn text(&self) -> String {
        let s = &self.loaded.scenario;
        let mut text = report::overview::header(s);
        text.push_str(&render_answer(&self.answer));
        text.push_str("\n== The scenario ==\n");
        text.push_str(report::overview::body(s, &self.figures).trim_start_matches('\n'));
        for p in &self.parts {
            text.push_str(&format!("\n== {} ==\n", p.title));
            match &p.outcome {
                Ok(body) => text.push_str(body),
                Err(why) => text.push_str(&format!("(not run: {why})\n")),
            }
        }
        text
    }

    /// The JSON document the module's documentation describes, in its envelope.
    pub fn json(&self) -> &serde_json::Value {
        self.json.get_or_init(|| {
            let s = &self.loaded.scenario;
            let mut body = report::overview::to_json(s, &self.figures);
            body["answer"] = serde_json::to_value(&self.answer).unwrap_or_default();
            let lenses: serde_json::Map<_, _> = self
                .parts
                .iter()
                .map(|p| (p.key.to_string(), lens_json(p.key, self.arg, s)))
                .collect();
            body["lenses"] = serde_json::Value::Object(lenses);
            report::envelope("run", &self.loaded.source.name, body)
        })
    }

    /// What would change the judgment, from the `result` of [`Report::json`] and the Bayes
    /// lens's summary.
    fn change(&self) -> report::change::Change {
        let s = &self.loaded.scenario;
        report::change::Change::gather(s, &self.json()["result"], self.bayes.as_ref())
    }

    /// The Markdown report of `report::markdown::run`.
    pub fn markdown(&self) -> String {
        let s = &self.loaded.scenario;
        let sections: Vec<_> = self
            .parts
            .iter()
            .map(|p| report::markdown::Section {
                title: p.title,
                outcome: p.outcome.as_deref().map_err(String::as_str),
            })
            .collect();
        report::markdown::run(s, &self.figures, &self.answer, &self.change(), &sections)
    }

    /// The self-contained HTML page of `report::html::run`, with the charts of
    /// `report::chart::for_run` drawn from this report's JSON.
    pub fn html(&self) -> String {
        let s = &self.loaded.scenario;
        let charts = report::chart::for_run(&self.json()["result"]);
        let sections: Vec<_> = self
            .parts
            .iter()
            .map(|p| report::html::Section {
                key: p.key,
                title: p.title,
                outcome: p.outcome.as_deref().map_err(String::as_str),
            })
            .collect();
        report::html::run(&report::html::Page {
            scenario: s,
            source: &self.loaded.source.name,
            answer: &self.answer,
            figures: &self.figures,
            sections: &sections,
            charts: &charts,
            change: &self.change(),
        })
    }
}

/// The options `run` gives the ACH lens: Bayesian scoring with sensitivity, so that the lens's
/// JSON holds the posteriors and linchpins that the answer and the ACH section report.
pub(crate) const ACH_IN_RUN: &[&str] = &["--mode", "bayes", "--sensitivity"];

/// The options `run` gives the Bayes lens, so that its JSON holds what the Bayes section reports:
/// for an influence diagram the options' expected utilities, the value of information and the
/// tornado of the maximum expected utility; otherwise the tornado of the headline's probability.
pub(crate) fn bayes_in_run(s: &Scenario) -> Vec<String> {
    let strings = |args: &[&str]| args.iter().map(|a| a.to_string()).collect();
    match &s.scenario.headline {
        _ if !s.decisions.is_empty() => strings(&["--decide", "--voi", "--tornado", "meu"]),
        Some(h) => strings(&["--tornado", &format!("{}={}", h.driver, h.state)]),
        None => Vec::new(),
    }
}

/// The `result` that `statecraft <lens> --format json` writes for the scenario, with every option
/// at its default but for ACH ([`ACH_IN_RUN`]) and Bayes ([`bayes_in_run`]), or
/// `{"error": "..."}` when that lens fails on it.
fn lens_json(key: &str, scenario: Option<&str>, s: &Scenario) -> serde_json::Value {
    use super::{ach, actors, bargain, bayes, cib, defaults, games};
    let global = Global { format: Format::Json, output: None, quiet: true };
    let rendered = match key {
        "ach" => defaults("ach", scenario, ACH_IN_RUN).and_then(|a| ach::render(&global, &a)),
        "actors" => defaults("actors", scenario, &[]).and_then(|a| actors::render(&global, &a)),
        "bargain" => defaults("bargain", scenario, &[]).and_then(|a| bargain::render(&global, &a)),
        "cib" => defaults("cib", scenario, &[]).and_then(|a| cib::render(&global, &a)),
        "bayes" => {
            let options = bayes_in_run(s);
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            defaults("bayes", scenario, &options).and_then(|a| bayes::render(&global, &a))
        }
        "games" => defaults("games", scenario, &[]).and_then(|a| games::render(&global, &a)),
        other => Err(Failure::analysis(miette!("no lens is called {other}"))),
    };
    match rendered {
        Ok(Rendered::Json(mut doc)) => doc["result"].take(),
        Ok(Rendered::Text(_)) => json!({"error": format!("the {key} lens wrote no JSON")}),
        Err(e) => json!({"error": e.message()}),
    }
}

/// The answer as text: the headline, then one line per reason with its sources.
fn render_answer(a: &Answer) -> String {
    let mut out = format!("\n== Answer ==\n{}\n", a.headline);
    for r in &a.reasons {
        out.push_str(&format!("- [{}] {}", r.lens, r.text));
        if !r.cites.is_empty() {
            out.push_str(&format!(" Sources: {}.", r.cites.join("; ")));
        }
        out.push('\n');
    }
    out
}
