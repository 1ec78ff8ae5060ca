//! Loading a scenario: text → syntax tree with spans → typed [`Scenario`] → validated
//! [`Loaded`] scenario, or every problem found as [`Diagnostics`].
//!
//! The TOML is parsed once into `toml`'s spanned tree, which is kept only long enough to
//! deserialize the typed scenario and to find the span of any key path that validation
//! complains about (as cargo finds `package.homepage` in its manifest). Syntax errors are all
//! reported together, as are validation errors; a type error (a string where a number belongs,
//! an unknown key) stops deserialization at the first one, as in cargo.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::scenario::{Matrix, Scenario};
use crate::validate;

/// A scenario that loaded and validated, with its source.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed scenario; every cross-reference in it resolves.
    pub scenario: Scenario,
    /// The text it was read from.
    pub source: SourceFile,
    /// Warnings: problems that do not stop the analysis.
    pub warnings: Vec<Diagnostic>,
}

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    /// A key in a table.
    Key(&'a str),
    /// An element of an array.
    Index(usize),
}

/// Writes a key path as `actor[2].influence.rus`.
pub fn path_string(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The spanned syntax tree of a document, for finding where a key path is.
#[derive(Debug)]
pub struct Spans<'a> {
    root: Spanned<DeTable<'a>>,
}

impl<'a> Spans<'a> {
    /// The byte span of the value at `path`, or of the nearest enclosing value that exists.
    pub fn value(&self, path: &[Seg<'_>]) -> Range<usize> {
        self.find(path).1
    }

    /// The byte span of the key of the table entry at `path` (its value's span for an array
    /// element), or of the nearest enclosing one that exists.
    pub fn key(&self, path: &[Seg<'_>]) -> Range<usize> {
        self.find(path).0
    }

    fn find(&self, path: &[Seg<'_>]) -> (Range<usize>, Range<usize>) {
        let mut key_span = self.root.span();
        let mut value_span = self.root.span();
        let mut table = Some(self.root.get_ref());
        let mut array: Option<&[Spanned<DeValue<'a>>]> = None;
        for seg in path {
            let next = match (*seg, table, array) {
                (Seg::Key(k), Some(t), _) => t.get_key_value(k).map(|(key, v)| (key.span(), v)),
                (Seg::Index(i), _, Some(a)) => a.get(i).map(|v| (v.span(), v)),
                _ => None,
            };
            let Some((k, v)) = next else { break };
            key_span = k;
            value_span = v.span();
            (table, array) = match v.get_ref() {
                DeValue::Table(t) => (Some(t), None),
                DeValue::Array(a) => (None, Some(a.as_ref())),
                _ => (None, None),
            };
        }
        (key_span, value_span)
    }
}

/// The byte span of the value at `path` in a scenario's text, for a diagnostic found after
/// loading (by a lens); `None` when the text does not parse.
pub fn value_span(text: &str, path: &[Seg<'_>]) -> Option<Range<usize>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    errors.is_empty().then(|| Spans { root }.value(path))
}

/// Loads and validates a scenario file. CSV files it names are read relative to its folder.
///
/// # Errors
/// Every problem found, with the file's text, when the file cannot be read, is not a valid
/// scenario, or fails validation.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostics> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        let d = Diagnostic::error("statecraft::unreadable", format!("cannot read {name}: {e}"))
            .with_help("check the path; `statecraft list` shows the built-in scenarios");
        Diagnostics {
            source: SourceFile { name: name.clone(), text: Arc::from("") },
            items: vec![d],
        }
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    load_bytes(&name, &bytes, Some(&dir))
}

/// Loads and validates a scenario from memory. With `dir`, CSV files it names are read relative
/// to that folder; without, a scenario that names a CSV file is an error.
///
/// # Errors
/// Every problem found, as for [`load_file`].
pub fn load_bytes(name: &str, bytes: &[u8], dir: Option<&Path>) -> Result<Loaded, Diagnostics> {
    let fail = |text: &str, items| Diagnostics {
        source: SourceFile { name: name.to_owned(), text: Arc::from(text) },
        items,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => t,
        _ => {
            let d = Diagnostic::error("statecraft::not_text", format!("{name} is not a text file"))
                .with_note("a scenario is a UTF-8 TOML text file; this one holds binary data or another encoding")
                .with_help("`statecraft new my-scenario.toml` writes a scenario to start from");
            return Err(fail("", vec![d]));
        }
    };
    if text.trim().is_empty() {
        let d = Diagnostic::error("statecraft::empty", format!("{name} is empty"))
            .with_help("a scenario needs at least a `[scenario]` table; `statecraft new my-scenario.toml` writes one to start from");
        return Err(fail(text, vec![d]));
    }

    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        // The parser recovers and goes on, which can give one error per character of a bad
        // line (a merge marker `=======`, say): keep the first error of each line.
        let mut lines_seen = std::collections::BTreeSet::new();
        let items = syntax_errors
            .iter()
            .filter(|e| {
                let end = e.span().map_or(0, |s| s.start.min(text.len()));
                let line = text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count();
                lines_seen.insert(line)
            })
            .map(|e| {
                let mut d = Diagnostic::error(
                    "statecraft::syntax",
                    format!("invalid TOML: {}", e.message().trim()),
                )
                .with_help("see docs/scenario-format.md for the syntax of a scenario");
                d.primary = e.span().map(|s| (widen(s, text.len()), String::from("here")));
                d
            })
            .collect();
        return Err(fail(text, items));
    }
    let spans = Spans { root: root.clone() };

    let mut scenario = match Scenario::deserialize(toml::de::Deserializer::from(root)) {
        Ok(s) => s,
        Err(e) => return Err(fail(text, vec![type_error(&e, text.len())])),
    };

    let mut items = read_matrices(&mut scenario, &spans, dir);
    if items.is_empty() {
        items = validate::validate(&scenario, &spans);
    }
    if items.is_empty() {
        items = crate::coherence::check(&scenario, &spans);
    }
    let source = SourceFile { name: name.to_owned(), text: Arc::from(text) };
    items.sort_by_key(|d| d.primary.as_ref().map_or(0, |(r, _)| r.start));
    let diagnostics = Diagnostics { source, items };
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Loaded { scenario, source: diagnostics.source, warnings: diagnostics.items })
}

/// Gives an empty span one byte, so that it can be shown, without running past the text.
fn widen(span: Range<usize>, len: usize) -> Range<usize> {
    if span.is_empty() && span.start < len { span.start..span.start + 1 } else { span }
}

/// Turns a deserialization error into a diagnostic, with "did you mean" for unknown keys.
fn type_error(e: &toml::de::Error, len: usize) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let mut d = if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let d = Diagnostic::error("statecraft::unknown_key", format!("unknown key `{field}`"));
        match did_you_mean(field, candidates.iter().copied()) {
            Some(m) => d.with_help(format!("did you mean `{m}`?")),
            None if !candidates.is_empty() => {
                d.with_help(format!("the keys allowed here are {}", candidates.join(", ")))
            }
            None => d,
        }
    } else if message.starts_with("missing field") {
        let field = message.split('`').nth(1).unwrap_or("?");
        Diagnostic::error("statecraft::missing_key", format!("missing key `{field}`"))
            .with_help(format!("add `{field} = …` to this table (see docs/scenario-format.md)"))
    } else {
        let message = message
            .replace("expected f64", "expected a number")
            .replace("expected i64", "expected a whole number")
            .replace("expected a sequence", "expected an array");
        Diagnostic::error("statecraft::wrong_type", message)
            .with_help("see docs/scenario-format.md for the type of each key")
    };
    d.primary = e.span().map(|s| (widen(s, len), String::from("here")));
    d
}

/// Reads every cross-impact matrix that names a CSV file, relative to `dir`.
fn read_matrices(
    scenario: &mut Scenario,
    spans: &Spans<'_>,
    dir: Option<&Path>,
) -> Vec<Diagnostic> {
    let mut items = Vec::new();
    for (i, ci) in scenario.cross_impacts.iter_mut().enumerate() {
        let Matrix::File(file) = &ci.impacts else { continue };
        let path = [Seg::Key("cross_impact"), Seg::Index(i), Seg::Key("impacts")];
        let here = spans.value(&path);
        let result = match dir {
            Some(dir) => read_csv_matrix(&dir.join(file)),
            None => Err(String::from("a scenario read from memory cannot name CSV files")),
        };
        match result {
            Ok(rows) => ci.impacts = Matrix::Inline(rows),
            Err(why) => {
                let mut d = Diagnostic::error("statecraft::bad_csv", format!("cross_impact[{i}].impacts: {why}"))
                    .with_help("the path is relative to the scenario file's folder; the file holds integers, one row per line, no header");
                d.path = path_string(&path);
                d.primary = Some((here, format!("`{file}`")));
                items.push(d);
            }
        }
    }
    items
}

/// Reads a CSV file of integers (no header; `#` starts a comment line).
fn read_csv_matrix(path: &PathBuf) -> Result<Vec<Vec<i64>>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let row = line
            .split(',')
            .enumerate()
            .map(|(c, cell)| {
                cell.trim().parse::<i64>().map_err(|_| {
                    format!(
                        "{} line {}, column {}: `{}` is not an integer",
                        path.display(),
                        n + 1,
                        c + 1,
                        cell.trim()
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(row);
    }
    Ok(rows)
}
