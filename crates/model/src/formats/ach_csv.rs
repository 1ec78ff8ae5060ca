//! The ACH matrix as CSV, the form in which ACH matrices are kept in spreadsheets and exported
//! from ACH tools (PARC ACH 2.0 exports its matrix to a spreadsheet): read into an
//! [`AchMatrix`] and written back.
//!
//! The format:
//!
//! ```text
//! evidence,credibility,relevance,date,H1,H2,H3
//! E1,High,High,2024-01-10,C,I,II
//! E2,Medium,High,2024-03-05,CC,C,I
//! E4,Medium,Medium,,N,N,N
//! ```
//!
//! - The header is `evidence,credibility,relevance,<hypothesis ids...>` (the first three names in
//!   any case), optionally with a `date` column right after `relevance`.
//! - Each row is one evidence item: its id, its credibility and relevance (`High`, `Medium`,
//!   `Low`, or `H`, `M`, `L`, any case), its date (`YYYY-MM-DD`, or blank for "known throughout")
//!   if the column exists, then one rating per hypothesis (`CC`, `C`, `N`, `I`, `II`, `NA`, any
//!   case). A blank rating means not rated and is read as `NA`.
//! - Blank lines are skipped; fields may be quoted as usual in CSV.
//! - Indicators are not part of this format; a matrix read from CSV has none, and [`write()`]
//!   leaves a matrix's indicators out.
//!
//! Errors name the line (1-based, as a spreadsheet or editor shows it) and the item.

use std::fmt::Write as _;

use engines::ach::{AchMatrix, IsoDate, Item, ItemKind, MatrixError, Rating, Weight};

/// Why a text is not an ACH matrix CSV. Lines are 1-based.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AchCsvError {
    /// The CSV itself could not be read (an unterminated quote, invalid UTF-8).
    #[error("line {line}: {message}")]
    Csv {
        /// Where.
        line: u64,
        /// The CSV reader's message.
        message: String,
    },
    /// The text is empty.
    #[error(
        "the file is empty; an ACH matrix starts with the header `evidence,credibility,relevance,<hypothesis ids...>`"
    )]
    Empty,
    /// The header does not start with `evidence,credibility,relevance`.
    #[error(
        "line 1: the header starts with `{found}`, expected `evidence,credibility,relevance,<hypothesis ids...>`"
    )]
    Header {
        /// The first three header cells as found.
        found: String,
    },
    /// The header names no hypothesis after the fixed columns.
    #[error("line 1: the header names no hypothesis after `{last}`")]
    NoHypotheses {
        /// The last fixed column (`relevance` or `date`).
        last: String,
    },
    /// A row has more cells than the header: a rating for a hypothesis that does not exist.
    #[error(
        "line {line}: evidence `{evidence}` has a rating `{text}` in column {column}, but the header names only {hypotheses} hypotheses"
    )]
    UnknownHypothesis {
        /// Where.
        line: u64,
        /// The evidence id.
        evidence: String,
        /// The 1-based column of the first extra cell.
        column: usize,
        /// Its text.
        text: String,
        /// How many hypotheses the header names.
        hypotheses: usize,
    },
    /// A row has fewer cells than the header.
    #[error("line {line}: evidence `{evidence}` has {found} cells, but the header has {expected}")]
    MissingCells {
        /// Where.
        line: u64,
        /// The evidence id.
        evidence: String,
        /// Cells found.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// A credibility or relevance cell is not a weight.
    #[error(
        "line {line}: the {column} of evidence `{evidence}` is `{text}`, expected High, Medium or Low"
    )]
    Weight {
        /// Where.
        line: u64,
        /// The evidence id.
        evidence: String,
        /// `credibility` or `relevance`.
        column: &'static str,
        /// The text found.
        text: String,
    },
    /// A date cell is not a date.
    #[error(
        "line {line}: the date of evidence `{evidence}` is `{text}`, expected YYYY-MM-DD (a calendar date) or blank"
    )]
    Date {
        /// Where.
        line: u64,
        /// The evidence id.
        evidence: String,
        /// The text found.
        text: String,
    },
    /// A rating cell is not a rating.
    #[error(
        "line {line}: evidence `{evidence}` is rated `{text}` against hypothesis `{hypothesis}`, expected one of CC, C, N, I, II, NA"
    )]
    Rating {
        /// Where.
        line: u64,
        /// The evidence id.
        evidence: String,
        /// The hypothesis id.
        hypothesis: String,
        /// The text found.
        text: String,
    },
    /// The matrix is not valid (no rows, duplicate or empty ids).
    #[error("{}{source}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Matrix {
        /// The line of the culprit, when it is one row (1 for a header problem).
        line: Option<u64>,
        /// The engine's complaint.
        source: MatrixError,
    },
}

/// Reads an ACH matrix from CSV text (format in the module documentation).
///
/// # Errors
/// [`AchCsvError`], naming the line and item: malformed CSV, a wrong header, a row with too many
/// cells (a rating for an unknown hypothesis) or too few, an unknown weight, date or rating, or
/// a matrix the engine rejects (no hypotheses, no evidence, duplicate ids).
///
/// # Example
/// ```
/// use model::formats::ach_csv::{read, AchCsvError};
/// let m = read("evidence,credibility,relevance,H1,H2\nE1,High,Low,C,II\n").unwrap();
/// assert_eq!(m.hypotheses(), ["H1", "H2"]);
/// let e = read("evidence,credibility,relevance,H1\nE1,High,Low,C,II\n").unwrap_err();
/// assert!(matches!(e, AchCsvError::UnknownHypothesis { line: 2, column: 5, .. }));
/// ```
pub fn read(text: &str) -> Result<AchMatrix, AchCsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_error = |e: csv::Error| AchCsvError::Csv {
        line: e.position().map_or(1, csv::Position::line),
        message: e.to_string(),
    };
    let header = loop {
        match records.next() {
            None => return Err(AchCsvError::Empty),
            Some(r) => {
                let r = r.map_err(csv_error)?;
                if !blank(&r) {
                    break r;
                }
            }
        }
    };
    let fixed: Vec<String> = header.iter().take(3).map(str::to_ascii_lowercase).collect();
    if fixed != ["evidence", "credibility", "relevance"] {
        let found = header.iter().take(3).collect::<Vec<_>>().join(",");
        return Err(AchCsvError::Header { found });
    }
    let has_date = header.get(3).is_some_and(|c| c.eq_ignore_ascii_case("date"));
    let first = if has_date { 4 } else { 3 };
    let hypotheses: Vec<String> = header.iter().skip(first).map(str::to_string).collect();
    if hypotheses.is_empty() {
        let last = if has_date { "date" } else { "relevance" }.to_string();
        return Err(AchCsvError::NoHypotheses { last });
    }

    let mut evidence = Vec::new();
    let mut lines = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        if blank(&record) {
            continue;
        }
        let line = record.position().map_or(0, csv::Position::line);
        let id = record.get(0).unwrap_or_default().to_string();
        if record.len() > header.len() {
            return Err(AchCsvError::UnknownHypothesis {
                line,
                evidence: id,
                column: header.len() + 1,
                text: record.get(header.len()).unwrap_or_default().to_string(),
                hypotheses: hypotheses.len(),
            });
        }
        if record.len() < header.len() {
            return Err(AchCsvError::MissingCells {
                line,
                evidence: id,
                found: record.len(),
                expected: header.len(),
            });
        }
        let weight = |column: &'static str, k: usize| {
            record[k].parse::<Weight>().map_err(|_| AchCsvError::Weight {
                line,
                evidence: id.clone(),
                column,
                text: record[k].to_string(),
            })
        };
        let credibility = weight("credibility", 1)?;
        let relevance = weight("relevance", 2)?;
        let date = match has_date {
            true if !record[3].is_empty() => Some(record[3].parse::<IsoDate>().map_err(|_| {
                AchCsvError::Date { line, evidence: id.clone(), text: record[3].to_string() }
            })?),
            _ => None,
        };
        let ratings = hypotheses
            .iter()
            .enumerate()
            .map(|(h, hyp)| {
                let cell = &record[first + h];
                if cell.is_empty() {
                    return Ok(Rating::NA);
                }
                cell.parse::<Rating>().map_err(|_| AchCsvError::Rating {
                    line,
                    evidence: id.clone(),
                    hypothesis: hyp.clone(),
                    text: cell.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        evidence.push(Item { id, credibility, relevance, date, ratings });
        lines.push(line);
    }

    AchMatrix::new(hypotheses, evidence, Vec::new()).map_err(|source| {
        let line = match &source {
            MatrixError::EmptyHypothesisId { .. } | MatrixError::DuplicateHypothesis { .. } => {
                Some(1)
            }
            MatrixError::EmptyItemId { kind: ItemKind::Evidence, item }
            | MatrixError::DuplicateItem { kind: ItemKind::Evidence, second: item, .. }
            | MatrixError::RatingCount { kind: ItemKind::Evidence, item, .. } => {
                lines.get(*item).copied()
            }
            _ => None,
        };
        AchCsvError::Matrix { line, source }
    })
}

fn blank(record: &csv::StringRecord) -> bool {
    record.iter().all(str::is_empty)
}

/// Writes a matrix as CSV (format in the module documentation), with a `date` column when some
/// item is dated. Reading the text back gives the same matrix, indicators aside.
///
/// # Example
/// ```
/// use model::formats::ach_csv::{read, write};
/// let text = "evidence,credibility,relevance,H1,H2\nE1,High,Low,C,II\n";
/// assert_eq!(write(&read(text).unwrap()), text);
/// ```
pub fn write(matrix: &AchMatrix) -> String {
    let dated = matrix.evidence().iter().any(|e| e.date.is_some());
    let mut out = String::new();
    let mut header = vec!["evidence", "credibility", "relevance"];
    if dated {
        header.push("date");
    }
    header.extend(matrix.hypotheses().iter().map(String::as_str));
    push_row(&mut out, header.iter().copied());
    for e in matrix.evidence() {
        let date = e.date.map(|d| d.to_string()).unwrap_or_default();
        let mut cells = vec![e.id.as_str(), e.credibility.as_str(), e.relevance.as_str()];
        if dated {
            cells.push(&date);
        }
        cells.extend(e.ratings.iter().map(|r| r.as_str()));
        push_row(&mut out, cells.into_iter());
    }
    out
}

fn push_row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (k, cell) in cells.enumerate() {
        if k > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) || cell.trim() != cell {
            let _ = write!(out, "\"{}\"", cell.replace('"', "\"\""));
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of `docs/ach.md`, as shipped in `tests/fixtures/ach/worked.csv`.
    const WORKED: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/ach/worked.csv"));

    fn err(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_the_worked_example() {
        let m = read(WORKED).unwrap();
        assert_eq!(m.hypotheses(), ["H1", "H2", "H3"]);
        assert_eq!(m.evidence().len(), 5);
        let e5 = &m.evidence()[4];
        assert_eq!((e5.credibility, e5.relevance), (Weight::High, Weight::Low));
        assert_eq!(e5.date.map(|d| d.to_string()).as_deref(), Some("2024-06-19"));
        assert_eq!(e5.ratings, vec![Rating::NA, Rating::II, Rating::C]);
        assert_eq!(m.evidence()[3].date, None);
    }

    /// docs/ach.md shows the same matrix that the tests compute with.
    #[test]
    fn docs_show_the_worked_example() {
        let docs = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/ach.md"));
        assert!(docs.contains(&format!("```text\n{WORKED}```")));
    }

    #[test]
    fn round_trips() {
        let m = read(WORKED).unwrap();
        assert_eq!(read(&write(&m)).unwrap(), m);
        let plain = "evidence,credibility,relevance,\"H, one\",H2\nE1,Medium,Medium,CC,NA\n";
        assert_eq!(write(&read(plain).unwrap()), plain);
    }

    #[test]
    fn lenient_cells() {
        let m = read("Evidence,Credibility,Relevance,A,B\n\n e1 , h , low , cc ,\n").unwrap();
        assert_eq!(m.evidence()[0].id, "e1");
        assert_eq!(m.evidence()[0].ratings, vec![Rating::CC, Rating::NA]);
        assert_eq!(m.evidence()[0].credibility, Weight::High);
    }

    #[test]
    fn err_rating_for_unknown_hypothesis() {
        assert_eq!(
            err("evidence,credibility,relevance,H1,H2\nE1,High,High,C,C\nE2,High,High,C,I,II\n"),
            "line 3: evidence `E2` has a rating `II` in column 6, but the header names only 2 hypotheses"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any text gives a matrix or an error, never a panic.
        #[test]
        fn prop_any_text_reads_or_errs(text in "[a-zA-Z0-9,\"\n /-]{0,120}") {
            let prefixed = format!("evidence,credibility,relevance,{text}");
            for t in [text.as_str(), prefixed.as_str()] {
                let _ = read(t);
            }
        }
    }

    /// Text shaped like an ACH CSV (header, optional date column, one row per item) whose cells
    /// are valid in any accepted spelling, except that about one cell in forty is garbage and
    /// about one row in forty has a cell too many or too few: most texts read, some fail.
    fn csv_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        use proptest::sample::select;
        fn cell(valid: &'static [&'static str], junk: &'static str) -> BoxedStrategy<String> {
            prop_oneof![39 => select(valid).prop_map(str::to_string), 1 => junk].boxed()
        }
        let weight = || cell(&["High", "medium", "LOW", "h", "M", "l"], "[a-z]{1,4}");
        let rating =
            || cell(&["CC", "C", "N", "I", "II", "NA", "", "cc", "na", "ii"], "[A-Z]{1,3}");
        let date = || {
            prop_oneof![
                20 => Just(String::new()),
                19 => (2000u32..2030, 1u32..13, 1u32..29)
                    .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
                1 => "[0-9-]{1,10}",
            ]
        };
        let ids = proptest::collection::vec("[A-Za-z][A-Za-z0-9_ ]{0,6}", 1..5);
        (ids, any::<bool>()).prop_flat_map(move |(hypotheses, dated)| {
            let n = hypotheses.len();
            let row = (
                "[A-Za-z][A-Za-z0-9_]{0,5}",
                weight(),
                weight(),
                date(),
                proptest::collection::vec(rating(), n),
                prop_oneof![38 => Just(0i8), 1 => Just(1i8), 1 => Just(-1i8)],
                " ?",
            )
                .prop_map(move |(id, c, r, d, mut ratings, extra, pad)| {
                    match extra {
                        1 => ratings.push("C".into()),
                        -1 => drop(ratings.pop()),
                        _ => {}
                    }
                    let mut cells = vec![id, c, r];
                    if dated {
                        cells.push(d);
                    }
                    cells.extend(ratings);
                    cells.iter().map(|c| format!("{pad}{c}")).collect::<Vec<_>>().join(",")
                });
            let mut header = String::from("Evidence,credibility,RELEVANCE");
            if dated {
                header.push_str(",date");
            }
            for h in &hypotheses {
                header.push(',');
                header.push_str(h);
            }
            proptest::collection::vec(row, 1..6)
                .prop_map(move |rows| format!("{header}\n{}\n", rows.join("\n")))
        })
    }

    /// A matrix read from CSV writes back to text that reads as the same matrix. The texts are
    /// generated so that most of them read (a round trip needs a matrix to start from); the
    /// share that does is checked, so that a generator that stops producing valid text fails.
    #[test]
    fn generated_csv_round_trips() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = csv_like();
        let (cases, mut read_ok) = (1000, 0);
        for _ in 0..cases {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            if let Ok(m) = read(&text) {
                read_ok += 1;
                assert_eq!(read(&write(&m)).as_ref(), Ok(&m), "{text}");
            }
        }
        assert!(read_ok * 2 >= cases, "only {read_ok} of {cases} generated texts read");
        assert!(read_ok < cases, "every generated text read: the junk cells never show");
    }

    #[test]
    fn err_cases() {
        assert_eq!(err(""), AchCsvError::Empty.to_string());
        assert_eq!(
            err("id,credibility,relevance,H1\n"),
            "line 1: the header starts with `id,credibility,relevance`, expected `evidence,credibility,relevance,<hypothesis ids...>`"
        );
        assert_eq!(
            err("evidence,credibility,relevance,date\n"),
            "line 1: the header names no hypothesis after `date`"
        );
        assert_eq!(
            err("evidence,credibility,relevance,H1,H2\nE1,High,High,C\n"),
            "line 2: evidence `E1` has 4 cells, but the header has 5"
        );
        assert_eq!(
            err("evidence,credibility,relevance,H1\nE1,Huge,High,C\n"),
            "line 2: the credibility of evidence `E1` is `Huge`, expected High, Medium or Low"
        );
        assert_eq!(
            err("evidence,credibility,relevance,H1\nE1,High,High,X\n"),
            "line 2: evidence `E1` is rated `X` against hypothesis `H1`, expected one of CC, C, N, I, II, NA"
        );
        assert_eq!(
            err("evidence,credibility,relevance,date,H1\nE1,High,High,2024-02-30,C\n"),
            "line 2: the date of evidence `E1` is `2024-02-30`, expected YYYY-MM-DD (a calendar date) or blank"
        );
        assert_eq!(err("evidence,credibility,relevance,H1\n"), "the matrix has no evidence items");
        assert_eq!(
            err("evidence,credibility,relevance,H1\nE1,H,H,C\nE1,H,H,I\n"),
            "line 3: evidence items 0 and 1 have the same id `E1`"
        );
        assert_eq!(
            err("evidence,credibility,relevance,H1,H1\nE1,H,H,C,C\n"),
            "line 1: hypotheses 0 and 1 have the same id `H1`"
        );
    }
}
