//! A small document model for the lens sections of `statecraft run`, written once and rendered
//! three ways: as terminal text ([`Doc::text`]), as Markdown with GitHub-flavoured tables
//! ([`Doc::markdown`]) and as semantic HTML ([`Doc::html`]).
//!
//! A [`Doc`] is a list of [`Block`]s: paragraphs, headings, [`Table`]s, lists, definition
//! lists, and two blocks that only the terminal sees: the lens's own title line ([`Block::Title`],
//! which the other formats leave out because their section heading already says it) and a blank
//! line ([`Block::Gap`]). The terminal rendering is exactly the text the sections printed before
//! they were built as documents, which the golden files under `tests/fixtures/run/` pin.
//!
//! ```
//! use report::doc::Doc;
//! use report::table::{Align, Table};
//! let mut t = Table::new(["hypothesis", "score"]).align(1, Align::Right);
//! t.row(["H1 <cash>", "-2"]);
//! let mut d = Doc::new();
//! d.para("H1 leads.");
//! d.table(t);
//! assert_eq!(d.text(), "H1 leads.\nhypothesis  score\n----------  -----\nH1 <cash>      -2\n");
//! assert!(d.html().contains("<th scope=\"col\" class=\"r\">score</th>"));
//! assert!(d.html().contains("<td>H1 &lt;cash&gt;</td>"));
//! assert!(d.markdown().contains("| hypothesis | score |\n| --- | ---: |\n| H1 \\<cash\\> | -2 |\n"));
//! ```
//!
//! Everything is escaped for the format it is written in; nothing here computes analysis.

use std::fmt::Write as _;

use crate::svg::escape as html_escape;
use crate::table::{Align, Table};

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The lens's own title line, as the terminal prints it; Markdown and HTML leave it out,
    /// since their section heading says the same.
    Title(String),
    /// A heading inside a section.
    Heading(String),
    /// A paragraph (one line on the terminal).
    Paragraph(String),
    /// A table with a header row.
    Table(Table),
    /// A bulleted list.
    List(Vec<String>),
    /// Terms and what they mean (on the terminal, one indented `term: meaning` line each).
    Definitions(Vec<(String, String)>),
    /// A blank line on the terminal; the other formats space their blocks themselves.
    Gap,
}

/// A document: blocks in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// An empty document.
    pub fn new() -> Doc {
        Doc::default()
    }

    /// Appends a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// Appends the lens's own title line ([`Block::Title`]).
    pub fn title(&mut self, text: impl Into<String>) {
        self.push(Block::Title(text.into()));
    }

    /// Appends a heading.
    pub fn heading(&mut self, text: impl Into<String>) {
        self.push(Block::Heading(text.into()));
    }

    /// Appends a paragraph.
    pub fn para(&mut self, text: impl Into<String>) {
        self.push(Block::Paragraph(text.into()));
    }

    /// Appends a table.
    pub fn table(&mut self, table: Table) {
        self.push(Block::Table(table));
    }

    /// Appends a bulleted list; an empty one is left out.
    pub fn list(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.push(Block::List(items));
        }
    }

    /// Appends a definition list; an empty one is left out.
    pub fn definitions(&mut self, items: Vec<(String, String)>) {
        if !items.is_empty() {
            self.push(Block::Definitions(items));
        }
    }

    /// Appends a blank line of the terminal ([`Block::Gap`]).
    pub fn gap(&mut self) {
        self.push(Block::Gap);
    }

    /// Appends every block of `other`.
    pub fn append(&mut self, other: Doc) {
        self.blocks.extend(other.blocks);
    }

    /// The document as terminal text: every line ends in a newline; tables are aligned as
    /// [`Table::render`] aligns them and show no caption.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Title(t) | Block::Heading(t) | Block::Paragraph(t) => {
                    let _ = writeln!(out, "{t}");
                }
                Block::Table(t) => out.push_str(&t.render()),
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(out, "- {i}");
                    }
                }
                Block::Definitions(items) => {
                    for (term, meaning) in items {
                        let _ = writeln!(out, "  {term}: {meaning}");
                    }
                }
                Block::Gap => out.push('\n'),
            }
        }
        out
    }

    /// The document as Markdown: blocks separated by a blank line, headings at level 3,
    /// tables as GitHub-flavoured tables (the caption, if any, in italics above), definitions
    /// as a list with the terms in bold. Titles and gaps are left out.
    pub fn markdown(&self) -> String {
        let chunks: Vec<String> = self
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Title(_) | Block::Gap => None,
                Block::Heading(t) => Some(format!("### {}\n", md_escape(t))),
                Block::Paragraph(t) => Some(format!("{}\n", md_line(t))),
                Block::Table(t) => Some(md_table(t)),
                Block::List(items) => {
                    Some(items.iter().map(|i| format!("- {}\n", md_escape(i))).collect())
                }
                Block::Definitions(items) => Some(
                    items
                        .iter()
                        .map(|(t, m)| format!("- **{}**: {}\n", md_escape(t), md_escape(m)))
                        .collect(),
                ),
            })
            .collect();
        chunks.join("\n")
    }

    /// The document as HTML: `<h3>`, `<p>`, `<table class="data">` with a `<caption>`, a
    /// `<thead>` of `<th scope="col">` and right-aligned cells of class `r`, `<ul>`, and
    /// `<dl class="defs">`. Titles and gaps are left out; every string is escaped.
    pub fn html(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Title(_) | Block::Gap => {}
                Block::Heading(t) => {
                    let _ = writeln!(out, "<h3>{}</h3>", html_escape(t));
                }
                Block::Paragraph(t) => {
                    let _ = writeln!(out, "<p>{}</p>", html_escape(t));
                }
                Block::Table(t) => out.push_str(&html_table(t)),
                Block::List(items) => {
                    out.push_str("<ul class=\"plain\">\n");
                    for i in items {
                        let _ = writeln!(out, "<li>{}</li>", html_escape(i));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Definitions(items) => {
                    out.push_str("<dl class=\"defs\">\n");
                    for (term, meaning) in items {
                        let _ = writeln!(
                            out,
                            "<dt>{}</dt><dd>{}</dd>",
                            html_escape(term),
                            html_escape(meaning)
                        );
                    }
                    out.push_str("</dl>\n");
                }
            }
        }
        out
    }
}

/// Tables with more columns than this are wrapped in a `<div class="wide">` that scrolls
/// sideways when the window is too narrow for them (a phone), rather than breaking every word
/// of every cell; narrower tables wrap their cells.
pub const WIDE_COLUMNS: usize = 6;

/// A table as HTML: caption, header row of column headers, body rows; a table of more than
/// [`WIDE_COLUMNS`] columns inside a `<div class="wide">`.
fn html_table(t: &Table) -> String {
    let class = |c: usize| match t.alignment(c) {
        Align::Right => " class=\"r\"",
        Align::Left => "",
    };
    let wide = t.header().len() > WIDE_COLUMNS;
    let mut out = String::from(if wide { "<div class=\"wide\">" } else { "" });
    out.push_str("<table class=\"data\">");
    if let Some(c) = t.caption_text() {
        let _ = write!(out, "<caption>{}</caption>", html_escape(c));
    }
    out.push_str("<thead><tr>");
    for (c, h) in t.header().iter().enumerate() {
        let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class(c), html_escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in t.rows() {
        out.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(c), html_escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str(if wide { "</tbody></table></div>\n" } else { "</tbody></table>\n" });
    out
}

/// A table as GitHub-flavoured Markdown, its caption in italics above it.
fn md_table(t: &Table) -> String {
    let mut out = String::new();
    if let Some(c) = t.caption_text() {
        let _ = writeln!(out, "*{}*\n", md_escape(c));
    }
    let cells = |row: &[String]| -> String {
        row.iter().map(|c| format!(" {} |", md_escape(c))).collect::<String>()
    };
    let _ = writeln!(out, "|{}", cells(t.header()));
    let rule: String = (0..t.header().len())
        .map(|c| match t.alignment(c) {
            Align::Right => " ---: |",
            Align::Left => " --- |",
        })
        .collect();
    let _ = writeln!(out, "|{rule}");
    for row in t.rows() {
        let _ = writeln!(out, "|{}", cells(row));
    }
    out
}

/// A paragraph's text escaped for Markdown, with a leading list or heading marker escaped too
/// so that the line stays a paragraph.
fn md_line(text: &str) -> String {
    let out = md_escape(text);
    if out.starts_with(['-', '+']) || out.starts_with(|c: char| c.is_ascii_digit()) {
        // A line such as `- x`, `+ x` or `1. x` would start a list.
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return format!("\\{out}");
        }
        if out[digits..].starts_with(['.', ')']) {
            return format!("{}\\{}", &out[..digits], &out[digits..]);
        }
    }
    out
}

/// `text` with the characters that Markdown could read as markup escaped, so that it shows as
/// written; a newline becomes a space.
pub(crate) fn md_escape(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Doc {
        let mut t = Table::new(["a|b", "n"]).align(1, Align::Right).caption("The <caption>");
        t.row(["x & y", "1"]);
        let mut d = Doc::new();
        d.title("## The lens");
        d.gap();
        d.para("- not a list");
        d.table(t);
        d.list(vec!["one".into()]);
        d.definitions(vec![("term".into(), "what it means".into())]);
        d.list(Vec::new());
        d
    }

    #[test]
    fn text_is_the_terminal_layout() {
        assert_eq!(
            sample().text(),
            "## The lens\n\n- not a list\na|b    n\n-----  -\nx & y  1\n- one\n  term: what it means\n"
        );
    }

    #[test]
    fn markdown_escapes_and_aligns() {
        assert_eq!(
            sample().markdown(),
            "\\- not a list\n\n*The \\<caption\\>*\n\n| a\\|b | n |\n| --- | ---: |\n| x & y | 1 |\n\n- one\n\n- **term**: what it means\n"
        );
    }

    #[test]
    fn html_is_semantic_and_escaped() {
        let html = sample().html();
        assert!(!html.contains("The lens"), "the title is left out: {html}");
        assert!(html.contains("<p>- not a list</p>"));
        assert!(html.contains("<caption>The &lt;caption&gt;</caption>"));
        assert!(html.contains("<th scope=\"col\">a|b</th><th scope=\"col\" class=\"r\">n</th>"));
        assert!(html.contains("<td>x &amp; y</td><td class=\"r\">1</td>"));
        assert!(html.contains("<dt>term</dt><dd>what it means</dd>"));
        assert_eq!(html.matches("<ul").count(), 1, "the empty list is left out");
        assert!(!html.contains("class=\"wide\""), "two columns are not wide");
    }

    #[test]
    fn many_columns_scroll_in_their_own_box() {
        let mut d = Doc::new();
        d.table(Table::new(["a"; WIDE_COLUMNS + 1]));
        let html = d.html();
        assert!(html.starts_with("<div class=\"wide\"><table"), "{html}");
        assert!(html.ends_with("</table></div>\n"), "{html}");
    }

    #[test]
    fn numbered_line_stays_a_paragraph() {
        assert_eq!(md_line("2. x"), "2\\. x");
        assert_eq!(md_line("2 of 4"), "2 of 4");
    }
}
