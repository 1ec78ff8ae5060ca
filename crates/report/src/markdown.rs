//! The Markdown report of `statecraft run --format md`: the question, the answer with its
//! confidence and reasons, where the lenses disagree (when they do), what would change the judgment ([`Change`], as in the HTML report), the scenario's
//! overview as tables, each lens's section (its [`Doc`] as Markdown: paragraphs, lists and
//! tables), then the sources and the footnotes.
//!
//! Every number in the overview that comes from a judgment of the scenario (an actor's
//! capability, a stance, a prior, a payoff, a quantity behind a derived figure) carries a
//! footnote with the judgment's `why`, source and locator; each reason of the answer carries
//! footnotes for the evidence and sources it cites. The tables are GitHub-flavoured Markdown;
//! a CommonMark reader without tables shows their rows as lines, with the footnotes intact.
//!
//! The layout, for the built-in korea-2024 (abridged):
//!
//! ````markdown
//! # North Korean troops in Russia: is the Ukraine war becoming a Korean war?
//!
//! **Question.** Will the Ukraine war become a 'Korean' war, … and what should Seoul do about it?
//!
//! *Scenario `korea-2024`, as of 2024-10-31.*
//!
//! In October 2024 North Korea began sending soldiers to fight for Russia (about 3,000 by late October by South Korea's count, …
//!
//! ## Answer
//!
//! Unlikely (20–45 %): the model gives “The Ukraine war becomes a Korean war” (korean\_war.korean = Korean) a 25 % chance, …
//!
//! - **bayes**: The Bayesian network gives P(korean\_war.korean) = 24.6 %; ….[^analyst][^lee2024]
//! - **ach**: Of the competing hypotheses, H2 (Treaty-based alliance commitment) fits the evidence best …[^e07][^e08][^e17]
//!
//! ## What would change this judgment
//!
//! ### Linchpin evidence
//!
//! The lead of H2 (Treaty-based alliance commitment) among the competing explanations rests on these items: …
//!
//! | item | claim | reported | source |
//! | --- | --- | --- | --- |
//! | e07 | The soldiers left roughly four months after the June 2024 treaty was signed, … | 2024-10 | lee2024, P5 (C7) |
//!
//! …indicators to watch, the headline given each root driver, the decision's margin, EVPI, the
//! tornado…
//!
//! ## Overview
//!
//! ### Actors
//!
//! | actor | kind | capability | why modelled so |
//! | --- | --- | ---: | --- |
//! | North Korea (DPRK) (`dprk`) | state | 15[^j1] | The sender of the troops; Kim Jong Un decides alone. |
//!
//! *Capability is on the analyst's scale; only ratios matter.*
//!
//! ### Issues
//!
//! #### South Korean support to Ukraine (`rok_support`)
//!
//! **0** none · **25** humanitarian and non-lethal aid · … · **100** troops
//!
//! | actor | position | salience | why |
//! | --- | ---: | ---: | --- |
//! | South Korea (ROK) | 35[^j9] | 60[^j9] | analyst assumption: Seoul gives non-lethal aid … |
//!
//! …hypotheses, evidence, drivers (with priors), decisions, games (with payoffs), derived
//! figures (with the quantities they rest on), as the HTML report shows them (both render the
//! one model of `crate::sheet`)…
//!
//! ## Competing hypotheses (ACH)
//!
//! Leading hypothesis: H2, Treaty-based alliance commitment (51 %, roughly even chance).
//!
//! *The hypotheses, the one that fits the evidence best first*
//!
//! | rank | hypothesis | posterior | estimative words | title |
//! | ---: | --- | ---: | --- | --- |
//! | 1 | H2 | 0.5136 | roughly even chance | Treaty-based alliance commitment |
//!
//! …the rest of each lens's section, as paragraphs, lists and tables…
//!
//! ## Sources
//!
//! - **lee2024**: Is the Ukraine War Destined to Become a 'Korean' War?. Sangsoo Lee, …, 2024-10.
//!
//! [^analyst]: Analyst assumptions of the korea-2024 scenario (analyst).
//! [^lee2024]: Is the Ukraine War Destined to Become a 'Korean' War? (lee2024), P8–P9 (C13, C14).
//! [^e07]: e07: The soldiers left roughly four months after the June 2024 treaty was signed, … — Is the Ukraine War Destined to Become a 'Korean' War? (lee2024), P5 (C7).
//! [^j1]: analyst assumption: a nuclear-armed state with a large army … — Analyst assumptions of the korea-2024 scenario (analyst).
//! ````
//!
//! A citation that names an evidence item (`e07 (lee2024, P5 (C7))`) becomes the footnote `[^e07]`
//! with the item's claim, source and locator; one that names a source (`lee2024, P8–P9`) becomes
//! `[^lee2024]` (then `[^lee2024-2]`, … for other places in the same source) with its title and
//! locator. A judgment's provenance becomes `[^j1]`, `[^j2]`, …, one note for each distinct reason,
//! source and locator. Every footnote referenced is defined, and every one defined is referenced.

use std::fmt::Write as _;

use analysis::answer::Answer;
use model::figures::Figure;
use model::scenario::Scenario;

use crate::doc::Doc;
use crate::provenance::Prov;
use crate::sheet::{Block, Grid, Inline};
use crate::table::Align;
use analysis::change::Change;

/// One lens's part of the report: its title, and its section or why it could not run.
#[derive(Debug)]
pub struct Section<'a> {
    /// The heading, such as `Competing hypotheses (ACH)`.
    pub title: &'a str,
    /// The section, or why the lens did not run.
    pub outcome: Result<&'a Doc, &'a str>,
}

/// The whole Markdown report: the scenario's title, question and summary, the answer, what
/// would change it, the overview as tables (with `figures`, the derived figures), each section,
/// and the footnotes.
pub fn run(
    s: &Scenario,
    figures: &[Figure],
    answer: &Answer,
    change: &Change,
    sections: &[Section<'_>],
) -> String {
    let mut out = format!("# {}\n\n", escape(&s.scenario.title));
    let _ = writeln!(out, "**Question.** {}\n", escape(&s.scenario.question));
    let _ = writeln!(
        out,
        "*Scenario `{}`, {}.*\n",
        s.scenario.id.replace('`', "'"),
        s.scenario.dating()
    );
    if let Some(summary) = &s.scenario.summary {
        let _ = writeln!(out, "{}\n", escape(summary.trim()));
    }

    let mut notes = Footnotes::default();
    out.push_str("## Answer\n\n");
    let _ = writeln!(out, "{}\n", escape(&answer.headline));
    if let Some(c) = &answer.confidence {
        let _ = writeln!(out, "*{}*\n", escape(&c.line()));
    }
    if let Some(r) = &answer.robustness {
        let _ = writeln!(out, "{}\n", escape(&r.sentence()));
    }
    for r in &answer.reasons {
        let _ = write!(out, "- **{}**: {}", r.lens, escape(&r.text));
        for cite in &r.cites {
            let label = notes.label(s, cite);
            let _ = write!(out, "[^{label}]");
        }
        out.push('\n');
    }
    if !answer.disagreements.is_empty() {
        out.push_str("\n## Where the lenses disagree, and why\n\n");
        for d in &answer.disagreements {
            let _ = writeln!(
                out,
                "- `{}` at `{}`: {}. *Why:* {}",
                d.code,
                d.path,
                escape(&d.text),
                escape(&d.why)
            );
        }
    }

    if !change.is_empty() {
        out.push_str("\n## What would change this judgment\n");
        out.push_str(&what_would_change(s, change));
    }

    out.push_str("\n## Overview\n");
    out.push_str(&overview(s, figures, &mut notes));

    for section in sections {
        let _ = writeln!(out, "\n## {}\n", escape(section.title));
        match section.outcome {
            Ok(doc) => out.push_str(&doc.markdown()),
            Err(why) => {
                let _ = writeln!(out, "Not run: {}", escape(why));
            }
        }
    }

    if !notes.defined.is_empty() || !s.sources.is_empty() {
        out.push_str("\n## Sources\n\n");
        for src in &s.sources {
            let _ = write!(out, "- **{}**: {}", escape(&src.id), escape(&src.title));
            if let Some(a) = &src.author {
                let stop = if src.title.ends_with(['.', '?', '!']) { "" } else { "." };
                let _ = write!(out, "{stop} {}", escape(a));
            }
            if let Some(d) = &src.date {
                let _ = write!(out, ", {d}");
            }
            if let Some(u) = &src.url {
                let _ = write!(out, ". {}", escape(u));
            }
            out.push_str(".\n");
        }
        if !s.sources.is_empty() {
            out.push('\n');
        }
        for (label, text) in &notes.defined {
            let _ = writeln!(out, "[^{label}]: {text}");
        }
    }
    let glossary = crate::glossary::markdown_section(&out, &crate::glossary::notation(s));
    out.push_str(&glossary);
    out
}

/// What would change the judgment, as the HTML report shows it, in tables.
fn what_would_change(s: &Scenario, c: &Change) -> String {
    let mut out = String::new();
    if !c.linchpins.is_empty() {
        let lead: Vec<String> = c
            .leaders
            .iter()
            .map(|(h, title)| format!("{} ({})", escape(h), escape(title)))
            .collect();
        let _ = writeln!(
            out,
            "\n### Linchpin evidence\n\nThe lead of {} among the competing explanations rests on these items: removing or reversing any one of them changes which hypothesis leads.\n\n| item | claim | reported | source |\n| --- | --- | --- | --- |",
            lead.join(", ")
        );
        for id in &c.linchpins {
            match s.evidence.iter().find(|e| e.id == *id) {
                Some(e) => {
                    let mut src = escape(&e.source);
                    if let Some(l) = &e.locator {
                        let _ = write!(src, ", {}", escape(l));
                    }
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {src} |",
                        escape(&e.id),
                        escape(&e.claim),
                        e.reported
                    );
                }
                None => {
                    let _ = writeln!(out, "| {} |  |  |  |", escape(id));
                }
            }
        }
    }
    if !c.indicators.is_empty() {
        out.push_str("\n### Indicators to watch\n\nWhat seeing each would do to the competing explanations: the expected shift of the posteriors, and the leader if it were seen.\n\n| indicator | seen when | expected shift | leader if seen |\n| --- | --- | ---: | --- |\n");
        for i in &c.indicators {
            let shift = i.expected_shift.map_or("–".into(), |x| format!("{x:.3}"));
            let changes = if i.changes_leader { " (changes the leader)" } else { "" };
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {shift} | {}{changes} |",
                escape(&i.name),
                escape(&i.id),
                escape(&i.seen_when),
                escape(&i.leaders_if_seen.join(", "))
            );
        }
    }
    if let Some(h) = c.headline.as_ref().filter(|h| !h.given.is_empty()) {
        let _ = writeln!(
            out,
            "\n### What the headline would be if we knew\n\nP({} = {}) is {:.1} % now. Learning the state of each driver below (the one that moves it most first) would move it to:\n\n| driver | if it turns out | P(headline) |\n| --- | --- | ---: |",
            escape(&h.driver),
            escape(&h.state),
            100.0 * h.probability
        );
        for g in &h.given {
            for (k, (label, x)) in g.states.iter().enumerate() {
                let driver = if k == 0 { escape(&g.name) } else { String::new() };
                let value = x.map_or("–".into(), |x| format!("{:.1} %", 100.0 * x));
                let _ = writeln!(out, "| {driver} | {} | {value} |", escape(label));
            }
        }
        if !h.indicators.is_empty() {
            let _ = writeln!(
                out,
                "\nIf an indicator were seen (each sighting taken as {}-to-1 evidence for the driver states it signals, a default), the headline would move to:\n\n| indicator | P(headline) |\n| --- | ---: |",
                analysis::bayes::SIGNAL_LIKELIHOOD_RATIO
            );
            for (id, name, x) in &h.indicators {
                let value = x.map_or("–".into(), |x| format!("{:.1} %", 100.0 * x));
                let _ =
                    writeln!(out, "| {} (`{}`) | {value} |", escape(name), id.replace('`', "'"));
            }
        }
    }
    for d in &c.decisions {
        let _ = writeln!(out, "\n### The decision: {}\n", escape(&d.name));
        if let [(best, eu), (next, eu2), ..] = &d.ranked[..] {
            let _ = writeln!(
                out,
                "For {}, the best option is **{}** (expected utility {eu:.2}), ahead of {} ({eu2:.2}) by {:.2}: judgments that moved the expected utilities by that much would change the advice.",
                escape(&d.owner),
                escape(best),
                escape(next),
                eu - eu2
            );
        }
    }
    if let Some(e) = c.evpi {
        let _ = writeln!(
            out,
            "\n### The most valuable information to collect\n\nKnowing every uncertainty before deciding would be worth {e:.2} in expected utility (the expected value of perfect information, EVPI).{}",
            if c.evpi_by_driver.is_empty() { "" } else { " Learning one driver first is worth:" }
        );
        if !c.evpi_by_driver.is_empty() {
            out.push_str("\n| driver | EVPI |\n| --- | ---: |\n");
            for (id, name, x) in &c.evpi_by_driver {
                let _ = writeln!(out, "| {} ({}) | {x:.2} |", escape(name), escape(id));
            }
        }
    }
    if !c.tornado.is_empty() {
        out.push_str("\n### The judgments that matter most\n\nThe judgments (probabilities and utilities) whose plausible range moves the maximum expected utility most (the tornado), and the value at which the best option would change, where it does.\n\n| judgment | MEU low | MEU high | swing | flips at |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (name, lo, hi, swing, th) in &c.tornado {
            let _ = writeln!(
                out,
                "| {} | {lo:.2} | {hi:.2} | {swing:.2} | {} |",
                escape(name),
                th.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"))
            );
        }
    }
    out
}

/// The overview model of [`crate::sheet`] as Markdown: headings, paragraphs and GitHub tables.
/// Every number from a judgment of the scenario gets a footnote with its reason, source and
/// locator.
fn overview(s: &Scenario, figures: &[Figure], notes: &mut Footnotes) -> String {
    let mut out = String::new();
    for block in crate::sheet::overview(s, figures) {
        match block {
            Block::Heading(level, cell) => {
                let _ =
                    writeln!(out, "\n{} {}", "#".repeat(level.into()), cell_md(s, &cell, notes));
            }
            Block::Para(cell) => {
                let _ = writeln!(out, "\n{}", cell_md(s, &cell, notes));
            }
            Block::Note(text) => {
                let _ = writeln!(out, "\n*{}*", escape(&text));
            }
            Block::Grid(grid) => {
                out.push('\n');
                out.push_str(&grid_md(s, &grid, notes));
            }
        }
    }
    out
}

/// A table of the overview as a GitHub table, without the columns that only HTML shows.
fn grid_md(s: &Scenario, g: &Grid<'_>, notes: &mut Footnotes) -> String {
    let shown: Vec<usize> = (0..g.columns.len()).filter(|&c| g.columns[c].in_markdown).collect();
    let mut out = String::from("|");
    for &c in &shown {
        let _ = write!(out, " {} |", escape(&g.columns[c].name));
    }
    out.push_str("\n|");
    for &c in &shown {
        out.push_str(if g.columns[c].align == Align::Right { " ---: |" } else { " --- |" });
    }
    out.push('\n');
    for row in &g.rows {
        out.push('|');
        for &c in &shown {
            let cell = row.cells.get(c).map_or(String::new(), |x| cell_md(s, x, notes));
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    out
}

/// The pieces of a cell, paragraph or heading as Markdown; judged numbers get footnotes.
fn cell_md(s: &Scenario, cell: &[Inline<'_>], notes: &mut Footnotes) -> String {
    let mut out = String::new();
    for piece in cell {
        match piece {
            Inline::Text(t) | Inline::Small(t) | Inline::Muted(t) => out.push_str(&escape(t)),
            Inline::Titled { text, .. } => out.push_str(&escape(text)),
            Inline::Strong(t) => {
                let _ = write!(out, "**{}**", escape(t));
            }
            Inline::Code(t) => {
                let _ = write!(out, "`{}`", t.replace('`', "'"));
            }
            Inline::Id(t) => {
                let _ = write!(out, " (`{}`)", t.replace('`', "'"));
            }
            Inline::Flag(t) => {
                let _ = write!(out, " *{}*", escape(t));
            }
            Inline::Judged { value, prov, .. } => {
                let _ = write!(out, "{}{}", escape(value), notes.judged(s, *prov));
            }
            Inline::Source { id, locator } => {
                out.push_str(&escape(id));
                if let Some(l) = locator {
                    let _ = write!(out, ", {}", escape(l));
                }
            }
            Inline::Position(_) => {}
            Inline::Break => out.push_str("; "),
        }
    }
    out
}

/// The footnotes given so far: each citation's label and its definition, in order of first use.
#[derive(Default)]
struct Footnotes {
    cites: Vec<(String, String)>,
    defined: Vec<(String, String)>,
}

impl Footnotes {
    /// The footnote reference (`[^j3]`) for a judgment's provenance, defining it the first time
    /// that provenance is seen; empty when the judgment has no reason, source or locator.
    fn judged(&mut self, s: &Scenario, p: Prov<'_>) -> String {
        if p.why.is_none() && p.source.is_none() && p.locator.is_none() {
            return String::new();
        }
        let mut text = escape(p.why.map_or("No reason given.", str::trim));
        let _ = write!(
            text,
            " — {}",
            p.source.map_or("no source given".into(), |id| source_name(s, id))
        );
        if let Some(l) = p.locator {
            let _ = write!(text, ", {}", escape(l));
        }
        if !text.ends_with('.') {
            text.push('.');
        }
        let key = format!("\u{0}judgment {text}");
        if let Some((_, label)) = self.cites.iter().find(|(c, _)| *c == key) {
            return format!("[^{label}]");
        }
        let mut n = self.cites.iter().filter(|(c, _)| c.starts_with('\u{0}')).count() + 1;
        let mut label = format!("j{n}");
        while self.defined.iter().any(|(l, _)| *l == label) {
            n += 1;
            label = format!("j{n}");
        }
        self.cites.push((key, label.clone()));
        self.defined.push((label.clone(), text));
        format!("[^{label}]")
    }

    /// The label of `cite`, defining a footnote for it the first time it is seen.
    fn label(&mut self, s: &Scenario, cite: &str) -> String {
        if let Some((_, label)) = self.cites.iter().find(|(c, _)| c == cite) {
            return label.clone();
        }
        let (base, text) = describe(s, cite);
        let mut label = base.clone();
        let mut n = 1;
        while self.defined.iter().any(|(l, _)| *l == label) {
            n += 1;
            label = format!("{base}-{n}");
        }
        self.cites.push((cite.to_string(), label.clone()));
        self.defined.push((label.clone(), text));
        label
    }
}

/// A citation's footnote label (before de-duplication) and definition.
fn describe(s: &Scenario, cite: &str) -> (String, String) {
    let head = cite.split([' ', ',']).next().unwrap_or(cite);
    if let Some(e) = s.evidence.iter().find(|e| e.id == head) {
        let mut text = format!("{}: {} — {}", e.id, escape(&e.claim), source_name(s, &e.source));
        if let Some(l) = &e.locator {
            let _ = write!(text, ", {}", escape(l));
        }
        text.push('.');
        return (label_safe(&e.id), text);
    }
    let (id, locator) = match cite.split_once(", ") {
        Some((id, l)) => (id, Some(l)),
        None => (cite, None),
    };
    let mut text = source_name(s, id);
    if let Some(l) = locator {
        let _ = write!(text, ", {}", escape(l));
    }
    text.push('.');
    (label_safe(id), text)
}

/// A source as `Title (id)`, or just its id when the scenario does not list it.
fn source_name(s: &Scenario, id: &str) -> String {
    match s.sources.iter().find(|src| src.id == id) {
        Some(src) => format!("{} ({})", escape(&src.title), escape(id)),
        None => escape(id),
    }
}

/// A footnote label: letters, digits, `-` and `_` kept, anything else (spaces, brackets) as `-`.
fn label_safe(id: &str) -> String {
    let label: String = id
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if label.is_empty() { "source".into() } else { label }
}

/// `text` with the characters that Markdown could read as markup escaped (see
/// [`crate::doc`]).
pub(crate) fn escape(text: &str) -> String {
    crate::doc::md_escape(text)
}
