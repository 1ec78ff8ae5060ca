//! The overview of a scenario: its question, actors, issues, hypotheses, drivers, decisions,
//! games and derived figures, as `statecraft show` and the top of `statecraft run` print them.

use std::fmt::Write as _;

use model::figures::Figure;
use model::scenario::Scenario;

use crate::table::{Align, Table};

/// The overview as plain text: [`header`] then [`body`].
pub fn render(s: &Scenario, figures: &[Figure]) -> String {
    header(s) + &body(s, figures)
}

/// The title, the question and the summary.
pub fn header(s: &Scenario) -> String {
    let m = &s.scenario;
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}, {})", m.title, m.id, m.dating());
    let _ = writeln!(out, "Question: {}", m.question);
    if let Some(summary) = &m.summary {
        let _ = writeln!(out, "\n{}", summary.trim());
    }
    out
}

/// The tables of actors, issues, hypotheses, drivers, decisions, games and derived figures.
pub fn body(s: &Scenario, figures: &[Figure]) -> String {
    let mut out = String::new();

    if !s.actors.is_empty() {
        let _ = writeln!(out, "\nActors");
        let mut t = Table::new(["id", "name", "kind", "capability"]).align(3, Align::Right);
        for a in &s.actors {
            t.row([
                a.id.clone(),
                a.name.clone(),
                format!("{:?}", a.kind).to_lowercase(),
                fmt_num(a.capability.value),
            ]);
        }
        out.push_str(&t.render());
    }
    if !s.issues.is_empty() {
        let _ = writeln!(out, "\nIssues (positions 0–100)");
        let mut t = Table::new(["issue", "stances (actor position/salience)"]);
        for i in &s.issues {
            let stances: Vec<String> = i
                .stances
                .iter()
                .map(|st| format!("{} {}/{}", st.actor, fmt_num(st.position), fmt_num(st.salience)))
                .collect();
            t.row([i.name.clone(), stances.join(", ")]);
        }
        out.push_str(&t.render());
    }
    if !s.hypotheses.is_empty() {
        let _ = writeln!(out, "\nHypotheses ({} evidence items)", s.evidence.len());
        let mut t = Table::new(["id", "hypothesis"]);
        for h in &s.hypotheses {
            t.row([h.id.clone(), h.title.clone()]);
        }
        out.push_str(&t.render());
    }
    if !s.drivers.is_empty() {
        let _ = writeln!(out, "\nDrivers");
        let mut t = Table::new(["id", "driver", "states"]);
        for d in &s.drivers {
            t.row([d.id.clone(), d.name.clone(), d.states.join(" / ")]);
        }
        out.push_str(&t.render());
    }
    for d in &s.decisions {
        let _ = writeln!(out, "\nDecision `{}` ({}): {}", d.id, d.owner, d.options.join(" / "));
    }
    for g in &s.games {
        let _ = writeln!(out, "\nGame `{}`: {} ({})", g.id, g.name, g.players.join(" vs "));
    }
    if !figures.is_empty() {
        let _ = writeln!(out, "\nDerived figures");
        let mut t = Table::new(["figure", "low", "high", "unit", "formula"])
            .align(1, Align::Right)
            .align(2, Align::Right);
        for f in figures {
            t.row([
                f.name.clone(),
                fmt_num(f.low),
                fmt_num(f.high),
                f.unit.clone(),
                f.formula.clone(),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

/// The overview as JSON: the scenario as read (every key as in the file, defaults filled in)
/// and the derived figures with their ranges.
///
/// ```json
/// {"scenario": {"scenario": {"format": 1, "id": "korea-2024", "title": "…", "question": "…",
///   "as_of": "2024-10-31", "focal_actor": "rok", "headline": "korean_war.korean", "summary": "…",
///   "event": "2024-10"},
///   "source": [...], "evidence": [...], "actor": [...], "issue": [...], "hypothesis": [...],
///   "driver": [...], "cross_impact": [...], "decision": [...], "game": [...],
///   "indicator": [...], "quantity": [...], "derived": [...]},
///  "figures": [{"id": "troop_pay_month", "name": "…", "unit": "USD", "formula": "troops * pay",
///   "low": 20000000.0, "high": 24000000.0, "inputs": ["troops", "pay"]}]}
/// ```
pub fn to_json(s: &Scenario, figures: &[Figure]) -> serde_json::Value {
    serde_json::json!({ "scenario": s, "figures": figures })
}

/// A number with at most 6 significant digits after the point, and thousands unseparated;
/// integers print without a fraction.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}
