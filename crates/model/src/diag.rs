//! Diagnostics: what is wrong with a scenario, and where.
//!
//! A [`Diagnostic`] carries a stable code (`statecraft::unknown_reference`), a one-line message
//! naming the key and value, a primary byte span in the source with a label, optional related
//! spans, a note saying why it matters and a help line saying what to write instead. A
//! [`Diagnostics`] holds the source text once and every problem found in it, so that all of them
//! are shown together. Line and column are worked out from the byte spans only when printing.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceSpan};

/// A scenario's source text and the name it is shown under.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file name as the user gave it (or `<built-in korea-2024>`).
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
}

impl SourceFile {
    /// The 1-based line and column of a byte offset (the column counts characters).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The scenario cannot be analysed.
    Error,
    /// The scenario can be analysed, but probably not as meant.
    Warning,
}

/// One problem in a scenario.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// A stable code, such as `statecraft::unknown_reference`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// One line naming the key and value.
    pub message: String,
    /// The key path of the offending value, such as `actor[2].influence.rus`.
    pub path: String,
    /// Where the offending value is, with its label.
    pub primary: Option<(Range<usize>, String)>,
    /// Other places involved, each with a label.
    pub related: Vec<(Range<usize>, String)>,
    /// Why this is a problem.
    pub note: Option<String>,
    /// What to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a code and message, and nothing else yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            path: String::new(),
            primary: None,
            related: Vec::new(),
            note: None,
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }
}

/// Every problem found in one scenario file, with its source.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    /// The file the problems are in.
    pub source: SourceFile,
    /// The problems, in the order of their place in the file.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Whether any item is an error (as opposed to a warning).
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Each problem as a `miette` diagnostic that borrows the shared source, for rendering.
    pub fn reports(&self) -> impl Iterator<Item = Rendered<'_>> {
        let named = Arc::new(NamedSource::new(self.source.name.clone(), self.source.text.clone()));
        self.items.iter().map(move |d| Rendered { diag: d, source: named.clone() })
    }

    /// The problems as JSON: one object per problem with its code, severity, message, key
    /// path, help, file, line, column and labelled byte spans.
    pub fn to_json(&self) -> serde_json::Value {
        let span = |r: &Range<usize>, label: &str| {
            let (line, column) = self.source.line_col(r.start);
            serde_json::json!({
                "offset": r.start, "length": r.len(), "line": line, "column": column, "label": label,
            })
        };
        let items: Vec<_> = self
            .items
            .iter()
            .map(|d| {
                let (line, column) =
                    d.primary.as_ref().map_or((None, None), |(r, _)| {
                        let (l, c) = self.source.line_col(r.start);
                        (Some(l), Some(c))
                    });
                let mut labels: Vec<_> = d.primary.iter().map(|(r, l)| span(r, l)).collect();
                labels.extend(d.related.iter().map(|(r, l)| span(r, l)));
                serde_json::json!({
                    "code": d.code,
                    "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                    "message": d.message,
                    "file": self.source.name,
                    "line": line,
                    "column": column,
                    "path": d.path,
                    "labels": labels,
                    "note": d.note,
                    "help": d.help,
                })
            })
            .collect();
        serde_json::Value::Array(items)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.items.len();
        write!(f, "{} has {n} problem{}", self.source.name, if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// One diagnostic ready for `miette` to render, with the source it points into.
#[derive(Debug)]
pub struct Rendered<'a> {
    diag: &'a Diagnostic,
    source: Arc<NamedSource<Arc<str>>>,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match (&self.diag.note, &self.diag.help) {
            (None, None) => None,
            (Some(n), None) => Some(Box::new(format!("note: {n}"))),
            (None, Some(h)) => Some(Box::new(h)),
            (Some(n), Some(h)) => Some(Box::new(format!("{h}\nnote: {n}"))),
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diag.primary.as_ref().map(|_| &*self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.diag.primary.as_ref()?;
        let label = |(r, text): &(Range<usize>, String), is_primary: bool| {
            let span = SourceSpan::from(r.clone());
            let text = (!text.is_empty()).then(|| text.clone());
            if is_primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        };
        Some(Box::new(
            std::iter::once(label(primary, true))
                .chain(self.diag.related.iter().map(move |r| label(r, false))),
        ))
    }
}

/// A case-insensitive edit distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word` within an edit distance of 3 (and less than the word's own
/// length, so that short words are not matched to anything at all), as cargo does.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= 3 && d < word.chars().count().max(2))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_is_case_insensitive() {
        assert_eq!(edit_distance("Capabilty", "capability"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(did_you_mean("capabilty", ["name", "capability"]), Some("capability"));
        assert_eq!(did_you_mean("zz", ["name", "kind"]), None);
    }

    #[test]
    fn line_col_counts_characters() {
        let s = SourceFile { name: "x".into(), text: "ab\nçd".into() };
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(5), (2, 2));
    }
}
