//! The HTML report of `statecraft run --format html`: one self-contained page that a reader can
//! open offline, mail, archive or print.
//!
//! The page follows the order of the other reports: the title and the question; the answer (the
//! headline in the estimative words of ICD 203 on a probability scale, the confidence in it
//! apart from its likelihood, then each reason with footnote links to its sources); where the
//! lenses disagree, and why, when they do; what would change the judgment ([`Change`]: the linchpin
//! evidence, the indicators to watch, how far the headline moves with each root driver, the
//! decision's margin, the value of information and the judgments with the largest tornado
//! swing), when the lenses give that data;
//! the scenario overview (actors, issues, hypotheses, evidence, drivers, decisions, games,
//! derived figures with their formulas and inputs); one section per lens, its [`Doc`] as
//! semantic HTML (paragraphs, tables with column headers, lists, definition lists) and its
//! charts ([`crate::chart::Chart`], placed by `chart.lens`);
//! the sources; and the notes.
//!
//! **Self-contained.** CSS and SVG are inline; the page has no script, no external reference of
//! any kind, and a Content-Security-Policy ([`CONTENT_SECURITY_POLICY`]) that forbids the
//! browser to fetch anything, so a stray reference would be blocked and reported rather than
//! loaded. A source's address is shown as text, not as a link.
//!
//! **Provenance.** Every number the page shows that comes from a judgment in the scenario (an
//! actor's capability, a stance's position and salience, a prior, a payoff, a quantity behind a
//! derived figure) carries that judgment's `why`, source and locator twice: in a `title`
//! attribute (shown on hover) and as a numbered footnote link to the Notes, where the note
//! links on to the source. Citations of the answer's reasons are footnotes of the same series.
//! Identical provenance shares one note. A number with no reason or source says so on hover.
//!
//! **Width.** Nothing is wider than the window, down to a phone's 390 px: tables wrap their
//! cells (on a narrow screen long words break and the small bars beside numbers are left out),
//! a table of many columns scrolls sideways in its own box (`div.wide`, see
//! [`crate::doc::WIDE_COLUMNS`]) rather than break every word, and charts shrink to fit.
//!
//! **Print.** A print style sheet starts each part on a new page, keeps charts and table rows
//! whole, repeats a table's header on each page it spans, and drops every background.
//!
//! All text from the scenario is escaped; charts are inserted as the chart module drew them.

use std::fmt::Write as _;

use analysis::answer::Answer;
use model::figures::Figure;
use model::scenario::Scenario;
use serde_json::Value;

use crate::chart::Chart;
use crate::doc::Doc;
use crate::provenance::Prov;
use crate::sheet::{Block, Grid, Inline};
use crate::svg::escape as esc;
use crate::table::Align;
use analysis::change::{Change, Given};

/// The Content-Security-Policy of the page, in a `<meta http-equiv>` element: nothing may be
/// fetched (`default-src 'none'`), styles come from the page itself, and images only from `data:`
/// addresses. The page has no script, so none is allowed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// One lens's part of the report.
#[derive(Debug)]
pub struct Section<'a> {
    /// The lens's key, as in the JSON `lenses` object and [`Chart::lens`] (`ach`, `actors`, …).
    pub key: &'a str,
    /// The heading, such as `Competing hypotheses (ACH)`.
    pub title: &'a str,
    /// The section, or why the lens did not run.
    pub outcome: Result<&'a Doc, &'a str>,
}

/// Everything the page shows.
#[derive(Debug)]
pub struct Page<'a> {
    /// The scenario as loaded.
    pub scenario: &'a Scenario,
    /// Where the scenario came from (a file name or `<built-in korea-2024>`).
    pub source: &'a str,
    /// The answer to the scenario's question.
    pub answer: &'a Answer,
    /// The scenario's derived figures.
    pub figures: &'a [Figure],
    /// One section per lens that the scenario feeds, in the order of the report.
    pub sections: &'a [Section<'a>],
    /// The charts, each placed in the section of its lens.
    pub charts: &'a [Chart],
    /// What would change the judgment.
    pub change: &'a Change,
}

/// One part of the page: the answer, what would change it, the scenario, a lens's section, the
/// sources or the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's `id` on the page, which the contents link to (`answer`, `lens-bayes`, …).
    pub id: String,
    /// The part's heading.
    pub title: String,
    /// The part's body, HTML with every text from the scenario escaped.
    pub body: String,
}

/// The parts of the page in order, each as HTML, for a page laid out by another program (the
/// workbench of `statecraft serve` shows them in its own frame, with [`STYLE`]).
pub fn parts(page: &Page<'_>) -> Vec<Part> {
    body_parts(page).into_iter().map(|(id, title, body)| Part { id, title, body }).collect()
}

/// The whole page, as the module's documentation describes it.
pub fn run(page: &Page<'_>) -> String {
    let s = page.scenario;
    let parts = body_parts(page);
    let m = &s.scenario;
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"color-scheme\" content=\"light\">\n");
    out.push_str("<meta name=\"generator\" content=\"statecraft\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&m.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");

    out.push_str("<header class=\"top\">\n<p class=\"kicker\">Strategic assessment</p>\n");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&m.title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Scenario <code>{}</code> · {} · {}</p>",
        esc(&m.id),
        m.dating(),
        esc(page.source)
    );
    let _ = writeln!(
        out,
        "<div class=\"question\"><span class=\"label\">Question</span><p>{}</p></div>",
        esc(&m.question)
    );
    if let Some(summary) = &m.summary {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", esc(summary.trim()));
    }
    out.push_str("<nav class=\"toc\"><span class=\"label\">Contents</span><ol>");
    for (n, (id, title, _)) in parts.iter().enumerate() {
        let _ = write!(
            out,
            "<li><span class=\"num\">{}</span> <a href=\"#{id}\">{}</a></li>",
            n + 1,
            esc(title)
        );
    }
    out.push_str("</ol></nav>\n</header>\n");

    for (n, (id, title, body)) in parts.iter().enumerate() {
        let _ = writeln!(
            out,
            "<section class=\"part\" id=\"{id}\">\n<h2><span class=\"num\">{}</span>{}</h2>\n{body}</section>",
            n + 1,
            esc(title)
        );
    }
    let _ = writeln!(
        out,
        "<footer>Written by statecraft from {} (scenario format {}). Every number from a judgment links to its note; hover a number for its reason and source.</footer>",
        esc(page.source),
        m.format
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The page's parts as `(id, title, body)`.
fn body_parts(page: &Page<'_>) -> Vec<(String, String, String)> {
    let s = page.scenario;
    let mut doc = Writer { s, notes: Vec::new() };
    let mut parts: Vec<(String, String, String)> = Vec::new(); // (id, title, body)

    // The answer's own charts (its robustness) sit under it.
    let mut answer = doc.answer(page.answer);
    answer.extend(page.charts.iter().filter(|c| c.lens == "answer").map(figure));
    parts.push(("answer".into(), "The answer".into(), answer));
    if !page.answer.disagreements.is_empty() {
        let mut body = String::from("<ul class=\"reasons\">\n");
        for d in &page.answer.disagreements {
            let _ = writeln!(
                body,
                "<li><span class=\"tag\">{}</span> {} (<code>{}</code>). <em>Why:</em> {}</li>",
                esc(d.code.trim_start_matches("statecraft::")),
                esc(&d.text),
                esc(&d.path),
                esc(&d.why)
            );
        }
        body.push_str("</ul>\n");
        parts.push(("disagree".into(), "Where the lenses disagree, and why".into(), body));
    }
    let change = doc.change(page.change);
    if !change.is_empty() {
        parts.push(("change".into(), "What would change this judgment".into(), change));
    }
    parts.push(("scenario".into(), "The scenario".into(), doc.overview(page.figures)));
    let mut placed: Vec<bool> = page.charts.iter().map(|c| c.lens == "answer").collect();
    for section in page.sections {
        let mut body = String::new();
        match section.outcome {
            Ok(doc) => body.push_str(&doc.html()),
            Err(why) => {
                let _ = writeln!(body, "<p class=\"failed\">Not run: {}</p>", esc(why));
            }
        }
        for (chart, done) in page.charts.iter().zip(&mut placed) {
            if chart.lens == section.key {
                body.push_str(&figure(chart));
                *done = true;
            }
        }
        parts.push((format!("lens-{}", id_safe(section.key)), section.title.to_string(), body));
    }
    let rest: String = page
        .charts
        .iter()
        .zip(&placed)
        .filter(|(_, done)| !**done)
        .map(|(c, _)| figure(c))
        .collect();
    if !rest.is_empty() {
        parts.push(("charts".into(), "Other charts".into(), rest));
    }
    if !s.sources.is_empty() {
        parts.push(("sources".into(), "Sources".into(), doc.sources()));
    }
    if !doc.notes.is_empty() {
        parts.push(("notes".into(), "Notes".into(), doc.notes_list()));
    }
    // Every use of a term of art shows its definition on hover, and the terms used are listed
    // last (`crate::glossary`).
    let notation = crate::glossary::notation(s);
    let annotator = crate::glossary::Annotator::new(&notation);
    for part in &mut parts {
        part.2 = annotator.annotate(&part.2);
    }
    let annotated: String = parts.iter().map(|p| p.2.as_str()).collect();
    let used = crate::glossary::used_in_html(&annotated);
    if !used.is_empty() {
        parts.push(("glossary".into(), "Glossary".into(), crate::glossary::html_section(&used)));
    }
    parts
}

/// A chart as a `<figure>`: its title, the drawing and the caption.
fn figure(c: &Chart) -> String {
    format!(
        "<figure class=\"chart\" id=\"chart-{}\">\n<div class=\"chart-title\">{}</div>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        id_safe(&c.id),
        esc(&c.title),
        c.svg.trim(),
        esc(&c.caption)
    )
}

/// The page being written: the scenario, and the notes numbered so far.
struct Writer<'a> {
    s: &'a Scenario,
    /// Each note's plain text (its identity and its hover text) and its HTML, in order.
    notes: Vec<(String, String)>,
}

impl Writer<'_> {
    /// The number of the note with this text, adding it the first time.
    fn note(&mut self, plain: String, html: String) -> usize {
        if let Some(k) = self.notes.iter().position(|(p, _)| *p == plain) {
            return k + 1;
        }
        self.notes.push((plain, html));
        self.notes.len()
    }

    /// A footnote marker linking to note `k`, with `title` on hover.
    fn marker(k: usize, title: &str) -> String {
        format!("<sup class=\"fn\"><a href=\"#n{k}\" title=\"{}\">{k}</a></sup>", esc(title))
    }

    /// `value` (already HTML) from a judgment: its provenance on hover and as a footnote.
    fn judged(&mut self, value: &str, what: &str, p: Prov<'_>) -> String {
        if p.is_empty() {
            return format!(
                "<span class=\"j bare\" title=\"{}: no reason or source given\">{value}</span>",
                esc(what)
            );
        }
        let plain = self.prov_plain(p);
        let html = self.prov_html(p);
        let k = self.note(plain.clone(), html);
        let title = format!("{what}: {plain}");
        format!(
            "<span class=\"j\" title=\"{}\">{value}</span>{}",
            esc(&title),
            Self::marker(k, &title)
        )
    }

    /// The index of a source in the scenario's list.
    fn source_index(&self, id: &str) -> Option<usize> {
        self.s.sources.iter().position(|src| src.id == id)
    }

    /// A source as plain text: `Title (id)`, or its id when the scenario does not list it.
    fn source_plain(&self, id: &str) -> String {
        match self.source_index(id) {
            Some(i) => format!("{} ({id})", self.s.sources[i].title),
            None => id.to_string(),
        }
    }

    /// A source as its id linking to its entry in the Sources, its title on hover.
    fn source_short(&self, id: &str) -> String {
        match self.source_index(id) {
            Some(i) => format!(
                "<a href=\"#src-{i}\" title=\"{}\">{}</a>",
                esc(&self.s.sources[i].title),
                esc(id)
            ),
            None => esc(id),
        }
    }

    /// A source as HTML: its title linking to its entry in the Sources.
    fn source_html(&self, id: &str) -> String {
        match self.source_index(id) {
            Some(i) => format!(
                "<a href=\"#src-{i}\">{}</a> <span class=\"id\">[{}]</span>",
                esc(&self.s.sources[i].title),
                esc(id)
            ),
            None => format!("<span class=\"id\">[{}]</span>", esc(id)),
        }
    }

    fn prov_plain(&self, p: Prov<'_>) -> String {
        let mut text = p.why.map(str::trim).unwrap_or("no reason given").to_string();
        let _ = write!(
            text,
            " — {}",
            p.source.map_or("no source given".into(), |id| self.source_plain(id))
        );
        if let Some(l) = p.locator {
            let _ = write!(text, ", {l}");
        }
        text
    }

    fn prov_html(&self, p: Prov<'_>) -> String {
        let mut html = esc(p.why.map(str::trim).unwrap_or("No reason given."));
        html.push_str(" — ");
        match p.source {
            Some(id) => html.push_str(&self.source_html(id)),
            None => html.push_str("<span class=\"muted\">no source given</span>"),
        }
        if let Some(l) = p.locator {
            let _ = write!(html, ", {}", esc(l));
        }
        html
    }

    /// The footnote marker of one of the answer's citations: an evidence item (`e07 (lee2024,
    /// P5 (C7))`) or a source with a place in it (`lee2024, P8–P9`).
    fn cite(&mut self, cite: &str) -> String {
        let head = cite.split([' ', ',']).next().unwrap_or(cite);
        let (plain, html) = if let Some(e) = self.s.evidence.iter().find(|e| e.id == head) {
            let mut plain = format!("{}: {} — {}", e.id, e.claim, self.source_plain(&e.source));
            let mut html = format!(
                "<b>{}</b> (reported {}): {} — {}",
                esc(&e.id),
                e.reported,
                esc(&e.claim),
                self.source_html(&e.source)
            );
            if let Some(l) = &e.locator {
                let _ = write!(plain, ", {l}");
                let _ = write!(html, ", {}", esc(l));
            }
            (plain, html)
        } else {
            let (id, locator) = match cite.split_once(", ") {
                Some((id, l)) => (id, Some(l)),
                None => (cite, None),
            };
            let mut plain = self.source_plain(id);
            let mut html = self.source_html(id);
            if let Some(l) = locator {
                let _ = write!(plain, ", {l}");
                let _ = write!(html, ", {}", esc(l));
            }
            (plain, html)
        };
        let k = self.note(plain.clone(), html);
        Self::marker(k, &plain)
    }

    /// The answer: the headline, the probability scale, the reasons.
    fn answer(&mut self, a: &Answer) -> String {
        let mut out = String::from("<div class=\"judgment\">\n");
        if let (Some(words), Some(p)) = (a.words, a.probability) {
            let _ = writeln!(
                out,
                "<p class=\"words\">{}<span class=\"p\">{:.0} %</span></p>",
                esc(&capitalise(words)),
                100.0 * p
            );
        }
        let _ = writeln!(out, "<p class=\"headline\">{}</p>", esc(&a.headline));
        if let Some(p) = a.probability {
            out.push_str(&scale(p));
        }
        if let Some(c) = &a.confidence {
            let _ = writeln!(out, "<p class=\"confidence\">{}</p>", esc(&c.line()));
        }
        out.push_str("</div>\n");
        if !a.reasons.is_empty() {
            out.push_str("<h3>Why</h3>\n<ul class=\"reasons\">\n");
            for r in &a.reasons {
                let _ = write!(
                    out,
                    "<li><span class=\"tag\">{}</span> {}",
                    esc(&lens_name(r.lens)),
                    esc(&r.text)
                );
                for c in &r.cites {
                    out.push_str(&self.cite(c));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        out
    }

    /// What would change the judgment; empty when the lenses have nothing to say.
    fn change(&mut self, c: &Change) -> String {
        let s = self.s;
        let mut out = String::new();
        if !c.linchpins.is_empty() {
            let lead = c
                .leaders
                .iter()
                .map(|(h, title)| format!("{} ({})", esc(h), esc(title)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str("<h3>Linchpin evidence</h3>\n");
            let _ = writeln!(
                out,
                "<p>The lead of {lead} among the competing explanations rests on these items: removing or reversing any one of them changes which hypothesis leads.</p>"
            );
            out.push_str("<table class=\"data\"><thead><tr><th>item</th><th>claim</th><th>reported</th><th>source</th></tr></thead><tbody>\n");
            for id in &c.linchpins {
                match s.evidence.iter().find(|e| e.id == *id) {
                    Some(e) => {
                        let mut src = self.source_short(&e.source);
                        if let Some(l) = &e.locator {
                            let _ = write!(src, ", {}", esc(l));
                        }
                        let _ = writeln!(
                            out,
                            "<tr><td class=\"id\"><a href=\"#ev-{}\">{}</a></td><td>{}</td><td class=\"nowrap\">{}</td><td>{src}</td></tr>",
                            id_safe(&e.id),
                            esc(&e.id),
                            esc(&e.claim),
                            e.reported
                        );
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "<tr><td class=\"id\">{}</td><td colspan=\"3\"></td></tr>",
                            esc(id)
                        );
                    }
                }
            }
            out.push_str("</tbody></table>\n");
        }

        if !c.indicators.is_empty() {
            out.push_str("<h3>Indicators to watch</h3>\n");
            out.push_str("<p>What seeing each would do to the competing explanations: the expected shift of the posteriors, and whether it would change the leader.</p>\n");
            out.push_str("<table class=\"data\"><thead><tr><th>indicator</th><th>seen when</th><th class=\"r\">expected shift</th><th>leader if seen</th></tr></thead><tbody>\n");
            for i in &c.indicators {
                let shift = i.expected_shift.map_or("–".into(), |x| format!("{x:.3}"));
                let leaders: Vec<String> = i.leaders_if_seen.iter().map(|h| esc(h)).collect();
                let changes = if i.changes_leader {
                    " <span class=\"flag\">changes the leader</span>"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<tr><td>{} <span class=\"id\">[{}]</span></td><td>{}</td><td class=\"r\">{shift}</td><td>{}{changes}</td></tr>",
                    esc(&i.name),
                    esc(&i.id),
                    esc(&i.seen_when),
                    leaders.join(", ")
                );
            }
            out.push_str("</tbody></table>\n");
        }

        if let Some(h) = c.headline.as_ref().filter(|h| !h.given.is_empty()) {
            let _ = writeln!(
                out,
                "<h3>What the headline would be if we knew</h3>\n<p>P({} = {}) is {:.1} % now. Learning the state of each driver below (the one that moves it most first) would move it to:</p>",
                esc(&h.driver),
                esc(&h.state),
                100.0 * h.probability
            );
            out.push_str("<table class=\"data\"><thead><tr><th>driver</th><th>if it turns out</th><th class=\"r\">P(headline)</th><th class=\"bar-col\">against now</th></tr></thead><tbody>\n");
            for Given { driver: id, name, states } in &h.given {
                let widest = states
                    .iter()
                    .filter_map(|(_, x)| *x)
                    .map(|x| (x - h.probability).abs())
                    .fold(0.0, f64::max);
                for (k, (label, x)) in states.iter().enumerate() {
                    let driver = if k == 0 {
                        format!("{} <span class=\"id\">[{}]</span>", esc(name), esc(id))
                    } else {
                        String::new()
                    };
                    let (value, bar) = match x {
                        Some(x) => {
                            (format!("{:.1} %", 100.0 * x), shift(*x - h.probability, widest))
                        }
                        None => ("–".into(), String::new()),
                    };
                    let class = if k + 1 == states.len() { " class=\"group-end\"" } else { "" };
                    let _ = writeln!(
                        out,
                        "<tr{class}><td>{driver}</td><td>{}</td><td class=\"r\">{value}</td><td class=\"bar-col\">{bar}</td></tr>",
                        esc(label)
                    );
                }
            }
            out.push_str("</tbody></table>\n");
        }
        if let Some(h) = c.headline.as_ref().filter(|h| !h.indicators.is_empty()) {
            let _ = writeln!(
                out,
                "<h3>What the headline would be if an indicator were seen</h3>\n<p>Each sighting is taken as {}-to-1 evidence for the driver states the indicator signals (a default, not a judgment about any one indicator); the one that moves the headline most comes first.</p>",
                analysis::bayes::SIGNAL_LIKELIHOOD_RATIO
            );
            out.push_str("<table class=\"data\"><thead><tr><th scope=\"col\">indicator</th><th scope=\"col\" class=\"r\">P(headline)</th><th scope=\"col\" class=\"bar-col\">against now</th></tr></thead><tbody>\n");
            let widest = h
                .indicators
                .iter()
                .filter_map(|(_, _, x)| *x)
                .map(|x| (x - h.probability).abs())
                .fold(0.0, f64::max);
            for (id, name, x) in &h.indicators {
                let (value, bar) = match x {
                    Some(x) => (format!("{:.1} %", 100.0 * x), shift(*x - h.probability, widest)),
                    None => ("–".into(), String::new()),
                };
                let _ = writeln!(
                    out,
                    "<tr><td>{} <span class=\"id\">[{}]</span></td><td class=\"r\">{value}</td><td class=\"bar-col\">{bar}</td></tr>",
                    esc(name),
                    esc(id)
                );
            }
            out.push_str("</tbody></table>\n");
        }

        for d in &c.decisions {
            let _ = writeln!(out, "<h3>The decision: {}</h3>", esc(&d.name));
            if let [(best, eu), (next, eu2), ..] = &d.ranked[..] {
                let _ = writeln!(
                    out,
                    "<p>For {}, the best option is <b>{}</b> (expected utility {}), ahead of {} ({}) by {:.2}: judgments that moved the expected utilities by that much would change the advice.</p>",
                    esc(&d.owner),
                    esc(best),
                    fmt_signed(*eu),
                    esc(next),
                    fmt_signed(*eu2),
                    eu - eu2
                );
            }
        }
        if let Some(e) = c.evpi {
            out.push_str("<h3>The most valuable information to collect</h3>\n");
            let _ = writeln!(
                out,
                "<p>Knowing every uncertainty before deciding would be worth {e:.2} in expected utility (the expected value of perfect information, EVPI).{}</p>",
                if c.evpi_by_driver.is_empty() {
                    ""
                } else {
                    " Learning one driver first is worth:"
                }
            );
            if !c.evpi_by_driver.is_empty() {
                out.push_str("<table class=\"data narrow\"><thead><tr><th>driver</th><th class=\"r\">EVPI</th><th class=\"bar-col\"></th></tr></thead><tbody>\n");
                for (id, name, x) in &c.evpi_by_driver {
                    let _ = writeln!(
                        out,
                        "<tr><td>{} <span class=\"id\">[{}]</span></td><td class=\"r\">{x:.2}</td><td class=\"bar-col\">{}</td></tr>",
                        esc(name),
                        esc(id),
                        bar(x / e)
                    );
                }
                out.push_str("</tbody></table>\n");
            }
        }
        if !c.tornado.is_empty() {
            out.push_str("<h3>The judgments that matter most</h3>\n<p>The judgments (probabilities and utilities) whose plausible range moves the maximum expected utility most (the tornado), and the value at which the best option would change, where it does.</p>\n");
            out.push_str("<table class=\"data\"><thead><tr><th>judgment</th><th class=\"r\">MEU low</th><th class=\"r\">MEU high</th><th class=\"r\">swing</th><th class=\"r\">flips at</th></tr></thead><tbody>\n");
            for (name, lo, hi, swing, th) in &c.tornado {
                let _ = writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td class=\"r\">{}</td><td class=\"r\">{}</td><td class=\"r\">{swing:.2}</td><td class=\"r\">{}</td></tr>",
                    esc(name),
                    fmt_signed(*lo),
                    fmt_signed(*hi),
                    th.map_or_else(|| "–".to_string(), fmt_signed_precise)
                );
            }
            out.push_str("</tbody></table>\n");
        }
        out
    }

    /// The scenario: the overview model of [`crate::sheet`] as HTML.
    fn overview(&mut self, figures: &[Figure]) -> String {
        let mut out = String::new();
        for block in crate::sheet::overview(self.s, figures) {
            match block {
                Block::Heading(level, cell) => {
                    let _ = writeln!(out, "<h{level}>{}</h{level}>", self.cell(&cell));
                }
                Block::Para(cell) => {
                    let class = match cell.as_slice() {
                        [Inline::Small(_)] => " class=\"small\"",
                        [Inline::Strong(_), ..] => " class=\"scale\"",
                        _ => "",
                    };
                    let _ = writeln!(out, "<p{class}>{}</p>", self.cell(&cell));
                }
                Block::Note(text) => {
                    let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&text));
                }
                Block::Grid(grid) => out.push_str(&self.grid(&grid)),
            }
        }
        out
    }

    /// A table of the overview, with a `<colgroup>` when its columns are laid out by width.
    fn grid(&mut self, g: &Grid<'_>) -> String {
        let mut out = format!(
            "<table class=\"data{}{}\">",
            if g.class.is_empty() { "" } else { " " },
            g.class
        );
        if g.columns.iter().any(|c| c.col.is_some()) {
            out.push_str("<colgroup>");
            for c in &g.columns {
                match c.col {
                    Some(col) => {
                        let _ = write!(out, "<col class=\"{col}\">");
                    }
                    None => out.push_str("<col>"),
                }
            }
            out.push_str("</colgroup>");
        }
        out.push_str("<thead><tr>");
        for c in &g.columns {
            let mut class: Vec<&str> = Vec::new();
            if c.align == Align::Right {
                class.push("r");
            }
            if c.class == Some("bar-col") {
                class.push("bar-col");
            }
            let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class_attr(&class), esc(&c.name));
        }
        out.push_str("</tr></thead><tbody>\n");
        for row in &g.rows {
            match &row.anchor {
                Some(a) => {
                    let _ = write!(out, "<tr id=\"{}\">", id_safe(a));
                }
                None => out.push_str("<tr>"),
            }
            for (c, cell) in g.columns.iter().zip(&row.cells) {
                let mut class: Vec<&str> = Vec::new();
                if c.align == Align::Right {
                    class.push("r");
                }
                class.extend(c.class);
                let _ = write!(out, "<td{}>{}</td>", class_attr(&class), self.cell(cell));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
        out
    }

    /// The pieces of a cell, paragraph or heading as HTML; judged numbers get their notes.
    fn cell(&mut self, cell: &[Inline<'_>]) -> String {
        let mut out = String::new();
        for (k, piece) in cell.iter().enumerate() {
            let html = match piece {
                Inline::Text(t) => esc(t),
                Inline::Strong(t) => format!("<b>{}</b>", esc(t)),
                Inline::Code(t) => format!("<code>{}</code>", esc(t)),
                Inline::Id(t) => format!(" <span class=\"id\">[{}]</span>", esc(t)),
                Inline::Small(t) if k == 0 && cell.len() == 1 => esc(t),
                Inline::Small(t) => format!("<span class=\"small\">{}</span>", esc(t)),
                Inline::Muted(t) => format!("<span class=\"muted\">{}</span>", esc(t)),
                Inline::Flag(t) => format!(" <span class=\"flag\">{}</span>", esc(t)),
                Inline::Titled { text, title } => {
                    format!("<span title=\"{}\">{}</span>", esc(title), esc(text))
                }
                Inline::Judged { value, what, prov } => self.judged(&esc(value), what, *prov),
                Inline::Source { id, locator } => {
                    let mut src = self.source_short(id);
                    if let Some(l) = locator {
                        let _ = write!(src, ", {}", esc(l));
                    }
                    src
                }
                Inline::Position(x) => position_mark(*x),
                Inline::Break => "<br>".into(),
            };
            out.push_str(&html);
        }
        out
    }

    /// The Sources: each source with its title, author, date, kind, reliability, address and why.
    fn sources(&self) -> String {
        let mut out = String::from("<ol class=\"sources\">\n");
        for (i, src) in self.s.sources.iter().enumerate() {
            let _ = write!(
                out,
                "<li id=\"src-{i}\"><span class=\"id\">[{}]</span> <b>{}</b>",
                esc(&src.id),
                esc(&src.title)
            );
            if let Some(a) = &src.author {
                let stop = if src.title.ends_with(['.', '?', '!']) { "" } else { "." };
                let _ = write!(out, "{stop} {}", esc(a));
            }
            if let Some(d) = &src.date {
                let _ = write!(out, ", {d}");
            }
            let _ = write!(
                out,
                ". <span class=\"muted\">{}; reliability {}.</span>",
                esc(&serde_name(&src.kind)),
                level(src.reliability)
            );
            if let Some(u) = &src.url {
                let _ = write!(out, " <span class=\"url\">{}</span>", esc(u));
            }
            if let Some(w) = &src.why {
                let _ = write!(out, "<br><span class=\"small\">{}</span>", esc(w));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
        out
    }

    /// The Notes: the provenance of each number and each citation, numbered as their markers.
    fn notes_list(&self) -> String {
        let mut out = String::from("<ol class=\"notes\">\n");
        for (k, (_, html)) in self.notes.iter().enumerate() {
            let _ = writeln!(out, "<li id=\"n{}\">{html}</li>", k + 1);
        }
        out.push_str("</ol>\n");
        out
    }
}

/// The ICD 203 bands as (low, high) per cent, for the probability scale.
const BANDS: [(f64, f64); 7] = [
    (0.0, 5.0),
    (5.0, 20.0),
    (20.0, 45.0),
    (45.0, 55.0),
    (55.0, 80.0),
    (80.0, 95.0),
    (95.0, 100.0),
];

/// A horizontal probability scale 0–100 % with the ICD 203 bands, the band of `p` shaded and
/// `p` marked.
fn scale(p: f64) -> String {
    let (w, x0, x1) = (720.0, 10.0, 710.0);
    let x = |pct: f64| x0 + (x1 - x0) * pct / 100.0;
    let pct = (100.0 * p).clamp(0.0, 100.0);
    let mut svg = format!(
        "<svg class=\"scale\" viewBox=\"0 0 {w} 58\" width=\"{w}\" height=\"58\" role=\"img\" aria-label=\"probability {pct:.1} per cent on the ICD 203 scale\">\n"
    );
    for (lo, hi) in BANDS {
        let inside = pct >= lo && (pct < hi || (hi == 100.0 && pct <= hi));
        let fill = if inside { "#c9d6ea" } else { "#eef1f5" };
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"16\" width=\"{:.1}\" height=\"14\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
            x(lo),
            x(hi) - x(lo)
        );
    }
    for t in [0.0, 5.0, 20.0, 45.0, 55.0, 80.0, 95.0, 100.0] {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"44\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6472\">{t:.0}</text>",
            x(t)
        );
    }
    let _ = writeln!(
        svg,
        "<line x1=\"{0:.1}\" y1=\"11\" x2=\"{0:.1}\" y2=\"35\" stroke=\"#1f3a60\" stroke-width=\"2.5\"/><text x=\"{0:.1}\" y=\"9\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"{1}\" fill=\"#1f3a60\">{2:.1} %</text>",
        x(pct),
        if pct < 6.0 {
            "start"
        } else if pct > 94.0 {
            "end"
        } else {
            "middle"
        },
        pct
    );
    let _ = writeln!(
        svg,
        "<text x=\"{x1}\" y=\"56\" font-size=\"9\" text-anchor=\"end\" fill=\"#5b6472\">per cent; bands of ICD 203</text>"
    );
    svg.push_str("</svg>\n");
    svg
}

/// A small bar for a share `x` in 0–1.
fn bar(x: f64) -> String {
    let w = 120.0;
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 {w} 10\" width=\"{w}\" height=\"10\" aria-hidden=\"true\"><rect x=\"0\" y=\"1\" width=\"{w}\" height=\"8\" fill=\"#eef1f5\"/><rect x=\"0\" y=\"1\" width=\"{:.1}\" height=\"8\" fill=\"#5b7fb0\"/></svg>",
        w * x.clamp(0.0, 1.0)
    )
}

/// A small bar from a centre line: `delta` to the right when positive, to the left when
/// negative, `widest` reaching the end.
fn shift(delta: f64, widest: f64) -> String {
    let (w, c) = (120.0, 60.0);
    let len = if widest > 0.0 { (c - 2.0) * (delta / widest).clamp(-1.0, 1.0) } else { 0.0 };
    let (x, fill) = if len < 0.0 { (c + len, "#b0603a") } else { (c, "#5b7fb0") };
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 {w} 10\" width=\"{w}\" height=\"10\" aria-hidden=\"true\"><rect x=\"{x:.1}\" y=\"1\" width=\"{:.1}\" height=\"8\" fill=\"{fill}\"/><line x1=\"{c}\" y1=\"0\" x2=\"{c}\" y2=\"10\" stroke=\"#1d232b\" stroke-width=\"1\"/></svg>",
        len.abs()
    )
}

/// A small 0–100 track with a dot at `x` (0–1).
fn position_mark(x: f64) -> String {
    let w = 120.0;
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 {w} 10\" width=\"{w}\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"{w}\" y2=\"5\" stroke=\"#c4cbd6\" stroke-width=\"2\"/><circle cx=\"{:.1}\" cy=\"5\" r=\"4\" fill=\"#1f3a60\"/></svg>",
        4.0 + (w - 8.0) * x.clamp(0.0, 1.0)
    )
}

/// The name of the lens a reason comes from.
fn lens_name(key: &str) -> String {
    match key {
        "ach" => "ACH".into(),
        "bayes" => "Bayes".into(),
        "cib" => "CIB".into(),
        "cib+bayes" => "CIB + Bayes".into(),
        "actors" => "Actors".into(),
        "bargain" => "Bargaining".into(),
        "games" => "Games".into(),
        "decision" => "Decision".into(),
        "timing" => "Timing".into(),
        other => other.to_string(),
    }
}

fn level(l: model::scenario::Level) -> &'static str {
    match l {
        model::scenario::Level::Low => "low",
        model::scenario::Level::Medium => "medium",
        model::scenario::Level::High => "high",
    }
}

/// The name a value has in the scenario file (`op-ed`, `deception_possible`), with `_` as a space.
fn serde_name<T: serde::Serialize>(x: &T) -> String {
    match serde_json::to_value(x) {
        Ok(Value::String(s)) => s.replace('_', " "),
        _ => String::new(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A utility with two decimals and a true minus sign.
fn fmt_signed(x: f64) -> String {
    format!("{x:.2}").replace('-', "−")
}

/// A threshold with three decimals and a true minus sign.
fn fmt_signed_precise(x: f64) -> String {
    format!("{x:.3}").replace('-', "−")
}

/// ` class="a b"` for a non-empty list of classes, else nothing.
fn class_attr(classes: &[&str]) -> String {
    if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", classes.join(" ")) }
}

/// An id usable in an HTML `id` attribute: letters, digits, `-` and `_` kept, anything else `-`.
fn id_safe(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect()
}

/// The page's style sheet: a quiet, readable screen layout and a print layout that starts each
/// part on a new page and drops backgrounds.
/// The page's style sheet.
pub const STYLE: &str = r#"
:root { --ink: #1d232b; --muted: #5b6472; --rule: #d5dae1; --soft: #f4f6f9; --accent: #1f3a60; }
* { box-sizing: border-box; }
html { background: #ffffff; }
body { margin: 0; color: var(--ink); background: #ffffff;
  font: 15px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
  font-variant-numeric: tabular-nums; }
main { max-width: 64rem; margin: 0 auto; padding: 2.5rem 2rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: .2rem 0 .4rem; color: var(--accent); font-weight: 700; }
h2 { font-size: 1.35rem; margin: 0 0 1rem; padding-bottom: .35rem; border-bottom: 2px solid var(--accent); color: var(--accent); }
h2 .num { color: var(--muted); font-weight: 400; margin-right: .6rem; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; color: var(--ink); }
h4 { font-size: .95rem; margin: 1.1rem 0 .2rem; }
p { margin: .4rem 0 .7rem; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .86em; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.kicker, .label { text-transform: uppercase; letter-spacing: .08em; font-size: .72rem; color: var(--muted); font-weight: 600; }
.kicker { margin: 0; }
.meta { color: var(--muted); font-size: .85rem; margin: 0 0 1.2rem; }
.question { border-left: 4px solid var(--accent); padding: .5rem 1rem; background: var(--soft); margin: 0 0 1rem; }
.question p { margin: .15rem 0 0; font-size: 1.08rem; font-weight: 600; }
.summary { color: #333b46; }
.toc { margin: 1.2rem 0 0; padding: .6rem 0; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); font-size: .86rem; }
.toc ol { display: inline; margin: 0; padding: 0; list-style: none; }
.toc li { display: inline; margin-left: 1rem; }
.toc .num { color: var(--muted); }
header.top { margin-bottom: 2.2rem; }
section.part { margin: 0 0 2.8rem; }
.judgment { border: 1px solid var(--rule); border-left: 6px solid var(--accent); padding: 1rem 1.2rem .6rem; margin-bottom: 1rem; }
.judgment .words { font-size: 1.6rem; font-weight: 700; margin: 0; color: var(--accent); }
.judgment .words .p { font-size: 1rem; font-weight: 400; color: var(--muted); margin-left: .8rem; }
.judgment .headline { font-size: 1.05rem; margin: .3rem 0 .6rem; }
.judgment .confidence { font-size: .92rem; margin: .4rem 0 0; }
svg.scale { display: block; max-width: 100%; height: auto; margin: .2rem 0 .3rem; }
ul.reasons { padding-left: 1.1rem; }
ul.reasons li { margin-bottom: .55rem; }
.tag { display: inline-block; font-size: .7rem; font-weight: 700; letter-spacing: .04em; color: var(--accent);
  border: 1px solid var(--accent); border-radius: 3px; padding: 0 .35rem; margin-right: .2rem; vertical-align: 1px; }
sup.fn { font-size: .68em; line-height: 0; margin-left: 1px; }
sup.fn a { padding: 0 1px; }
sup.fn + sup.fn::before { content: ","; }
.j { border-bottom: 1px dotted #8a94a3; cursor: help; }
.j.bare { border-bottom-style: none; }
table.data { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .86rem; }
table.data.narrow { width: auto; min-width: 50%; }
table.data th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1.5px solid #9aa3af; padding: .3rem .6rem .3rem 0; }
table.data td { border-bottom: 1px solid var(--rule); padding: .3rem .6rem .3rem 0; vertical-align: top; }
table.data tr.group-end td { border-bottom-color: #b8c0cb; }
table.data tr:not(.group-end) td:first-child:empty { border-bottom-color: transparent; }
.r { text-align: right !important; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.bar-col { width: 130px; }
table.issue td:first-child { width: 12rem; }
table.issue td:nth-child(2), table.issue td:nth-child(4) { width: 4.5rem; }
table.evidence { table-layout: fixed; }
table.evidence col.c-id { width: 3.2rem; }
table.evidence col.c-date { width: 6.2rem; }
table.evidence col.c-src { width: 12rem; }
table.evidence col.c-level { width: 5.4rem; }
td.bar-col svg { display: block; margin-top: .35rem; }
.id { color: var(--muted); font-size: .85em; }
td.id { white-space: nowrap; font-weight: 600; color: var(--ink); }
.small { font-size: .82rem; color: #3c4450; }
.muted { color: var(--muted); }
.note { font-size: .8rem; color: var(--muted); margin-top: -.4rem; }
.scale-labels, .scale { font-size: .8rem; color: #3c4450; margin: 0 0 .3rem; }
.flag { display: inline-block; font-size: .7rem; color: #8a3b12; border: 1px solid #d9a27f; border-radius: 3px; padding: 0 .3rem; margin-left: .25rem; }
.failed { color: #8a3b12; font-weight: 600; }
table.data caption { caption-side: top; text-align: left; font-weight: 600; font-size: .82rem; color: var(--ink); padding: 0 0 .25rem; }
table.data td, table.data th { overflow-wrap: break-word; }
div.wide { overflow-x: auto; margin: 0 0 1rem; }
div.wide table.data { margin-bottom: .2rem; }
ul.plain { padding-left: 1.1rem; }
ul.plain li { margin-bottom: .3rem; }
dl.defs { margin: .4rem 0 1rem; font-size: .9rem; }
dl.defs dt { font-weight: 600; }
dl.defs dd { margin: 0 0 .35rem 1.2rem; }
figure.chart { margin: 1.2rem 0 1.6rem; padding: 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.chart-title { font-weight: 700; font-size: .95rem; margin-bottom: .4rem; }
figcaption { font-size: .82rem; color: #3c4450; margin-top: .4rem; border-top: 1px solid var(--rule); padding-top: .35rem; }
ol.sources, ol.notes { padding-left: 1.8rem; font-size: .86rem; }
ol.sources li, ol.notes li { margin-bottom: .45rem; }
ol.notes li:target, tr:target { background: #fff6d6; }
.url { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8rem; word-break: break-all; color: var(--muted); }
footer { margin-top: 3rem; padding-top: .6rem; border-top: 1px solid var(--rule); font-size: .78rem; color: var(--muted); }
@media (max-width: 40rem) {
  main { padding: 1.2rem .9rem 2rem; }
  h1 { font-size: 1.5rem; }
  table.data { font-size: .78rem; }
  table.data th, table.data td { padding: .25rem .35rem .25rem 0; overflow-wrap: anywhere; }
  table.data th { white-space: normal; overflow-wrap: normal; }
  div.wide table.data td { overflow-wrap: normal; }
  div.wide caption { max-width: calc(100vw - 1.8rem); }
  table.data.narrow { min-width: 0; }
  table.issue td:first-child, table.issue td:nth-child(2), table.issue td:nth-child(4) { width: auto; }
  table.evidence { table-layout: auto; }
  table.evidence col.c-id, table.evidence col.c-date, table.evidence col.c-src, table.evidence col.c-level { width: auto; }
  .bar-col { display: none; }
  .nowrap { white-space: normal; }
}
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html, body { background: none !important; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section.part { break-before: page; margin: 0; }
  section#answer { break-before: auto; }
  h2, h3, h4, h3 + p { break-after: avoid; }
  figure.chart, tr, .judgment, li { break-inside: avoid; }
  .question, .judgment { background: none !important; }
  table.data { font-size: 8.5pt; }
  thead { display: table-header-group; }
  table.data td, table.data th { overflow-wrap: anywhere; }
  div.wide { overflow: visible; }
  nav.toc { display: none; }
  a { color: inherit; }
  .j { border-bottom: none; }
  ol.notes li:target, tr:target { background: none; }
}
"#;

#[cfg(test)]
mod tests;
