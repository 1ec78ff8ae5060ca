//! The Markdown report of `statecraft run --format md`: the question, the answer with its
//! reasons, each reason's sources as footnotes, then each lens's section as a fenced block.
//!
//! The layout, for the built-in korea-2024 (abridged):
//!
//! ````markdown
//! # North Korean troops in Russia: is the Ukraine war becoming a Korean war?
//!
//! **Question.** Will the Ukraine war become a 'Korean' war, … and what should Seoul do about it?
//!
//! ## Overview
//!
//! ```text
//! …the overview as `statecraft show` prints it…
//! ```
//!
//! ## Answer
//!
//! Unlikely (20–45 %): the model gives “The Ukraine war becomes a Korean war” (korean\_war.korean = Korean) a 25 % chance, …
//!
//! - **bayes**: The Bayesian network gives P(korean\_war.korean) = 24.6 %; ….[^analyst][^lee2024]
//! - **ach**: Of the competing explanations of the deployment, H2 (Treaty-based alliance commitment) fits the evidence best …[^e07][^e08][^e17]
//!
//! ## Competing hypotheses (ACH)
//!
//! ```text
//! …the lens's section as `statecraft run` prints it…
//! ```
//!
//! ## Sources
//!
//! [^analyst]: Analyst assumptions of the korea-2024 scenario (analyst).
//! [^lee2024]: Is the Ukraine War Destined to Become a 'Korean' War? (lee2024), P8–P9 (C13, C14).
//! [^e07]: e07: The soldiers left roughly four months after the June 2024 treaty was signed, … — Is the Ukraine War Destined to Become a 'Korean' War? (lee2024), P5 (C7).
//! ````
//!
//! A citation that names an evidence item (`e07 (lee2024, P5 (C7))`) becomes the footnote `[^e07]`
//! with the item's claim, source and locator; one that names a source (`lee2024, P8–P9`) becomes
//! `[^lee2024]` (then `[^lee2024-2]`, … for other places in the same source) with its title and
//! locator. Every footnote referenced is defined, and every one defined is referenced.

use std::fmt::Write as _;

use model::answer::Answer;
use model::scenario::Scenario;

/// One lens's part of the report: its title, and its section text or why it could not run.
#[derive(Debug)]
pub struct Section<'a> {
    /// The heading, such as `Competing hypotheses (ACH)`.
    pub title: &'a str,
    /// The section as `statecraft run` prints it, or why the lens did not run.
    pub outcome: Result<&'a str, &'a str>,
}

/// The whole Markdown report: the scenario's title and question, `overview` (the plain-text
/// overview) in a fenced block, the answer, each section, and the footnotes.
pub fn run(s: &Scenario, overview: &str, answer: &Answer, sections: &[Section<'_>]) -> String {
    let mut out = format!("# {}\n\n", escape(&s.scenario.title));
    let _ = writeln!(out, "**Question.** {}\n", escape(&s.scenario.question));
    out.push_str("## Overview\n\n");
    out.push_str(&fenced(overview));

    let mut notes = Footnotes::default();
    out.push_str("\n## Answer\n\n");
    let _ = writeln!(out, "{}\n", escape(&answer.headline));
    for r in &answer.reasons {
        let _ = write!(out, "- **{}**: {}", r.lens, escape(&r.text));
        for cite in &r.cites {
            let label = notes.label(s, cite);
            let _ = write!(out, "[^{label}]");
        }
        out.push('\n');
    }

    for section in sections {
        let _ = writeln!(out, "\n## {}\n", escape(section.title));
        match section.outcome {
            Ok(text) => out.push_str(&fenced(text)),
            Err(why) => {
                let _ = writeln!(out, "Not run: {}", escape(why));
            }
        }
    }

    if !notes.defined.is_empty() {
        out.push_str("\n## Sources\n\n");
        for (label, text) in &notes.defined {
            let _ = writeln!(out, "[^{label}]: {text}");
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

/// `text` in a fenced code block whose fence is longer than any run of backticks inside it.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = text.trim_end_matches('\n');
    format!("{fence}text\n{body}\n{fence}\n")
}

/// `text` with the characters that Markdown could read as markup escaped, so that it shows as
/// written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!') {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}
