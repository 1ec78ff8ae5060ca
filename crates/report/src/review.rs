//! The after-action review of `statecraft review`: one [`Doc`] rendered as terminal text,
//! Markdown or an HTML page, and its JSON.
//!
//! Nothing here computes analysis: the review ([`analysis::review::Review`]) holds every number.

use std::fmt::Write as _;

use analysis::review::{Review, confidence_words};
use engines::estimative::estimative_words;
use serde_json::{Value, json};

use crate::doc::Doc;
use crate::svg::escape;
use crate::table::{Align, Table};

fn percent(p: f64) -> String {
    format!("{:.1} %", 100.0 * p)
}

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "-".into(), percent)
}

/// How many of the timeline's largest moves the review names.
const LARGEST_MOVES: usize = 5;

/// The review as a document: what was forecast, what happened, the assumptions that failed and
/// what drove them, the indicators, and how the estimate would have moved.
pub fn doc(r: &Review, title: &str) -> Doc {
    let mut d = Doc::new();
    d.title(format!("After-action review: {title}"));
    let last = r.questions.iter().map(|q| q.resolution.date).max();
    d.para(format!(
        "The forecast was made as of {}{}. Its judgments are read as they stood then; the updates and resolutions written since are set against them.",
        r.as_of,
        last.map(|l| format!(", and resolved as of {l}")).unwrap_or_default()
    ));

    d.gap();
    d.heading("What was forecast");
    let mut said = Vec::new();
    if let Some((h, p)) = &r.headline {
        let words = estimative_words(*p).unwrap_or("");
        said.push(format!("P({h}) = {} ({words}).", percent(*p)));
    }
    if !r.by_option.is_empty() {
        let each: Vec<String> = r
            .by_option
            .iter()
            .map(|o| format!("{} {}", o.option, percent(o.probability)))
            .collect();
        said.push(format!(
            "Under each option of {}: {}.",
            r.by_option[0].decision,
            each.join(", ")
        ));
    }
    if let Some((decision, option)) = &r.recommended {
        said.push(format!("The decision analysis recommended {decision} = {option}."));
    }
    d.list(said);

    d.gap();
    d.heading("What happened");
    let mut t = Table::new([
        "question",
        "resolved to",
        "confidence",
        "resolution",
        "given as of",
        "verdict",
    ])
    .align(4, Align::Right);
    for q in &r.questions {
        let verdict = if q.decision {
            "a decision (forecast = the recommended policy)"
        } else if q.failed {
            "failed assumption"
        } else if q.forecast.is_empty() {
            "not in the network"
        } else {
            "held"
        };
        let resolution = if q.soft() {
            let w: Vec<String> =
                q.resolution.soft.iter().map(|(s, w)| format!("{s} {w}")).collect();
            format!("soft: {}", w.join(", "))
        } else {
            "crisp".into()
        };
        t.row([
            q.resolution.question.clone(),
            q.resolution.state.clone(),
            confidence_words(q.resolution.confidence).to_string(),
            resolution,
            if q.decision { "-".into() } else { pct(q.given_to_outcome()) },
            verdict.to_string(),
        ]);
    }
    d.table(t);
    d.para("\"Given as of\" is the probability the forecast gave, as of its date, to the state that happened. An assumption failed when that state got less than a uniform forecast over the question's states would have given it. A soft resolution is a judgment call written as a distribution over the states; scoring uses it in place of the crisp state.");
    if let (Some((decision, chosen)), Some(q)) = (
        &r.recommended,
        r.questions.iter().find(|q| {
            q.decision && r.recommended.as_ref().is_some_and(|(d, _)| *d == q.resolution.question)
        }),
    ) {
        let under = r.by_option.iter().find(|o| o.option == q.resolution.state);
        d.para(format!(
            "{decision}: the analysis recommended {chosen}; what was chosen in practice was {}{}.",
            q.resolution.state,
            under
                .map(|o| format!(
                    ", under which the forecast put the headline at {}",
                    percent(o.probability)
                ))
                .unwrap_or_default()
        ));
    }

    d.gap();
    d.heading("Scores");
    let sm = &r.scores.summary;
    let num =
        |x: Option<f64>, digits: usize| x.map_or_else(|| "-".into(), |v| format!("{v:.digits$}"));
    d.para(format!(
        "{} forecasts scored; {} pooled (weight {:.2}): mean Brier score {} (0 is perfect, 2 the worst; Brier 1950, summed over the categories), mean log score {} (natural log; 0 is perfect), {} bits better than a uniform forecast on average.{}",
        r.scores.scored.len(),
        sm.count,
        sm.weight,
        num(sm.brier, 3),
        num(sm.log, 3),
        num(sm.baseline, 2),
        if sm.soft.is_empty() {
            String::new()
        } else {
            format!(" Scored against soft resolutions (the expected score under the resolution's distribution): {}.", sm.soft.join(", "))
        }
    ));
    let mut t =
        Table::new(["forecast", "weight", "Brier", "log", "bits vs uniform", "soft", "pooled"])
            .align(1, Align::Right)
            .align(2, Align::Right)
            .align(3, Align::Right)
            .align(4, Align::Right);
    for x in &r.scores.scored {
        t.row([
            x.forecast.question.clone(),
            format!("{:.2}", x.weight),
            format!("{:.3}", x.brier),
            num(x.log, 3),
            num(x.baseline, 2),
            if x.soft { "yes".into() } else { "no".into() },
            if x.pooled { "yes".into() } else { "no".into() },
        ]);
    }
    d.table(t);
    if r.scores.scored.iter().any(|x| !x.pooled) {
        d.para("A forecast not pooled restates a question already scored through its driver's marginal (the headline is one state of that driver; a forecast under an option is the same question given the option): it is shown, but counting it again would weigh one question twice.");
    }
    if sm.decomposition.is_none() {
        d.para("Too few forecasts for the Murphy decomposition (see docs/ledger.md); statecraft score gives it across a whole ledger.");
    }

    let failed: Vec<_> = r.questions.iter().filter(|q| q.failed).collect();
    d.gap();
    d.heading("Assumptions that failed");
    if failed.is_empty() {
        d.para("None: every resolved state got at least the probability of a uniform forecast.");
    }
    for q in failed {
        let k = q.states.len();
        d.para(format!(
            "{} resolved to {}, which the forecast gave {} (a uniform forecast gives {}). {}",
            q.resolution.question,
            q.resolution.state,
            pct(q.given_to_outcome()),
            percent(1.0 / k as f64),
            q.resolution.why
        ));
        if !q.drivers_of_miss.is_empty() {
            let items = q
                .drivers_of_miss
                .iter()
                .map(|(label, lo, hi)| {
                    format!("{label}: {} to {} over its ±0.1 range", percent(*lo), percent(*hi))
                })
                .collect();
            d.para("The judgments that moved it most:");
            d.list(items);
        }
    }

    d.gap();
    d.heading("Indicators");
    let mut t = Table::new([
        "indicator",
        "first seen",
        "latest report",
        "signals (happened?)",
        "verdict",
        "headline move",
    ])
    .align(5, Align::Right);
    for i in &r.indicators {
        let latest = i.latest.map_or_else(
            || "none".into(),
            |(d, seen)| format!("{} on {d}", if seen { "seen" } else { "not seen" }),
        );
        let signals: Vec<String> = i
            .signals
            .iter()
            .map(|(s, h)| format!("{s} ({})", if *h { "yes" } else { "no" }))
            .collect();
        t.row([
            i.id.clone(),
            i.first_seen.map_or_else(|| "-".into(), |d| d.to_string()),
            latest,
            if signals.is_empty() { "-".into() } else { signals.join(", ") },
            i.verdict().to_string(),
            i.headline_move.map_or_else(|| "-".into(), |m| format!("{:+.1} pts", 100.0 * m)),
        ]);
    }
    d.table(t);
    d.para("A hit is an indicator seen when a state it signals happened; a false alarm, seen when none did; a miss, not seen when one did. The headline moves add up what entering each of its reports did to the headline, in the order they came.");

    d.gap();
    d.heading("How the estimate would have moved");
    let steps = &r.timeline.steps;
    if let (Some(first), Some(last)) = (steps.first(), steps.last()) {
        d.para(format!(
            "Entered as they came, the {} updates take the headline from {} ({}) to {} ({}).",
            steps.len() - 1,
            pct(first.headline),
            first.date,
            pct(last.headline),
            last.date
        ));
        let mut moves: Vec<(usize, f64)> =
            (1..steps.len()).filter_map(|i| Some((i, r.timeline.headline_move(i)?))).collect();
        moves.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        let items: Vec<String> = moves
            .iter()
            .take(LARGEST_MOVES)
            .filter(|(_, m)| m.abs() >= 5e-4)
            .filter_map(|&(i, m)| {
                let u = steps[i].update.as_ref()?;
                Some(format!("{} {} ({}): {:+.1} pts", steps[i].date, u.label, u.lens, 100.0 * m))
            })
            .collect();
        if !items.is_empty() {
            d.para("The largest moves:");
            d.list(items);
        }
        if first.leaders() != last.leaders() {
            d.para(format!(
                "ACH's least-inconsistent hypothesis went from {} to {}.",
                first.leaders(),
                last.leaders()
            ));
        } else {
            d.para(format!("ACH's least-inconsistent hypothesis stayed {}.", last.leaders()));
        }
    }
    d
}

/// The review as Markdown, under a title.
pub fn markdown(r: &Review, title: &str) -> String {
    let heading = crate::markdown::escape(&title.replace('\n', " "));
    format!("# After-action review: {heading}\n\n{}", doc(r, title).markdown())
}

/// The review as a self-contained HTML page.
pub fn html(r: &Review, title: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>After-action review: {t}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}}table{{border-collapse:collapse;font-size:.9rem}}td,th{{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}}.r{{text-align:right}}</style>\n</head>\n<body>\n<main>\n<h1>After-action review: {t}</h1>\n",
        t = escape(title)
    );
    out.push_str(&doc(r, title).html());
    if let Some(svg) = crate::timeline::svg(&r.timeline) {
        out.push_str("<figure>\n");
        out.push_str(&svg);
        out.push_str("<figcaption>The headline after each dated update.</figcaption>\n</figure>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The review as the `result` of the JSON envelope: `as_of`, `headline` (`{outcome,
/// probability}` or null), `by_option`, `recommended` (`{decision, option}` or null),
/// `questions` (each `{question, decision, resolved_to, soft, confidence, date, states,
/// forecast, given_to_outcome, failed, drivers_of_miss: [{judgment, low, high}]}`),
/// `indicators` (each `{id, first_seen, latest: {date, seen} | null, signals: [{state,
/// happened}], verdict, headline_move}`), `timeline` (as `statecraft timeline` writes it) and
/// `scores` (`analysis::forecasts::Scores` as serialised: `scored`, `unresolved`, `summary`).
pub fn json(r: &Review) -> Value {
    let questions: Vec<Value> = r
        .questions
        .iter()
        .map(|q| {
            json!({
                "question": q.resolution.question,
                "decision": q.decision,
                "resolved_to": q.resolution.state,
                "soft": q.resolution.soft,
                "confidence": confidence_words(q.resolution.confidence),
                "date": q.resolution.date.to_string(),
                "states": q.states,
                "forecast": q.forecast,
                "given_to_outcome": q.given_to_outcome(),
                "failed": q.failed,
                "drivers_of_miss": q.drivers_of_miss.iter().map(|(j, lo, hi)| json!({"judgment": j, "low": lo, "high": hi})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let indicators: Vec<Value> = r
        .indicators
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "first_seen": i.first_seen.map(|d| d.to_string()),
                "latest": i.latest.map(|(d, seen)| json!({"date": d.to_string(), "seen": seen})),
                "signals": i.signals.iter().map(|(s, h)| json!({"state": s, "happened": h})).collect::<Vec<_>>(),
                "verdict": i.verdict(),
                "headline_move": i.headline_move,
            })
        })
        .collect();
    json!({
        "as_of": r.as_of.to_string(),
        "headline": r.headline.as_ref().map(|(h, p)| json!({"outcome": h, "probability": p})),
        "by_option": r.by_option.iter().map(|o| json!({"decision": o.decision, "option": o.option, "probability": o.probability, "expected_utility": o.expected_utility})).collect::<Vec<_>>(),
        "recommended": r.recommended.as_ref().map(|(d, o)| json!({"decision": d, "option": o})),
        "questions": questions,
        "indicators": indicators,
        "timeline": crate::timeline::json(&r.timeline),
        "scores": serde_json::to_value(&r.scores).unwrap_or(Value::Null),
    })
}
