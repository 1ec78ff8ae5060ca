//! ScenarioWizard's files: the `.scw` project (descriptors, variants and the cross-impact
//! matrix) and the `.sl` solution list, read into and written from [`engines::cib`] types; and a
//! plain CSV layout for a CIB matrix.
//!
//! # The `.scw` project (ScenarioWizard 4.x/5.x, plain text)
//! ```text
//! $ ScenarioWizard 4.0        header
//! name.scw                    project name
//! &WTRD                       a descriptor ...
//!  -FT                        ... and its variants, one per line
//! #                           then `#`-separated sections: descriptions, colours, ...
//! ...
//! #                           the fifth `#` line is followed by the matrix:
//!  0 , 0 ,-3 , 1              one row per source variant, one column per target variant
//! #                           then texts (ignored when reading)
//! ```
//! Reading keeps the descriptors and the matrix and ignores descriptions, colours and texts;
//! writing produces the minimal layout ScenarioWizard 5 itself writes for a new project (so
//! `write_scw(read_scw(t))` gives `t` back for such files).
//!
//! # The `.sl` solution list
//! `$ ScenarioWizard 3.0`, `Solution set`, the count, a blank line, then one line per scenario:
//! `" 2 3 2",weight,CV,IC,TIS,""` with variants numbered from 1.
//!
//! # CSV matrix
//! Two header rows name the descriptor and the variant of each column; each following row starts
//! with its descriptor and variant, then the judgments:
//! ```text
//! ,,A,A,B,B
//! ,,lo,hi,lo,hi
//! A,lo,0,0,2,-2
//! A,hi,0,0,-2,2
//! B,lo,1,-1,0,0
//! B,hi,-1,1,0,0
//! ```

use std::fmt::Write as _;

use engines::cib::{CibMatrix, Descriptor, MatrixError};

/// Why a `.scw` project could not be read. Lines are counted from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScwError {
    /// The first line is not a ScenarioWizard header.
    #[error("line 1: not a ScenarioWizard project (expected `$ ScenarioWizard`)")]
    Header,
    /// A variant line comes before any descriptor.
    #[error("line {line}: a variant before any descriptor")]
    OrphanVariant {
        /// The line.
        line: usize,
    },
    /// The file ends before its matrix is complete.
    #[error(
        "the file ends at line {line} before the matrix is complete ({rows} of {expected} rows); it may be truncated"
    )]
    Truncated {
        /// The last line.
        line: usize,
        /// Matrix rows read.
        rows: usize,
        /// Matrix rows expected (the number of variants).
        expected: usize,
    },
    /// A matrix entry is not an integer.
    #[error("line {line}, entry {entry}: `{text}` is not an integer judgment")]
    Number {
        /// The line.
        line: usize,
        /// The entry's position in the row, from 1.
        entry: usize,
        /// The text found.
        text: String,
    },
    /// A matrix row does not have one entry per variant.
    #[error("line {line}: the row has {found} entries; expected {expected} (one per variant)")]
    Ragged {
        /// The line.
        line: usize,
        /// Entries found.
        found: usize,
        /// Entries expected.
        expected: usize,
    },
    /// The descriptors or matrix are not a valid CIB input.
    #[error("{0}")]
    Matrix(#[from] MatrixError),
}

/// Reads a ScenarioWizard `.scw` project into a checked CIB matrix.
///
/// # Errors
/// [`ScwError`]: a missing header, a variant before any descriptor, a file that ends before the
/// matrix is complete, a non-integer or missing entry, or descriptors the engine rejects (for
/// instance one with a single variant).
pub fn read_scw(text: &str) -> Result<CibMatrix, ScwError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    match lines.next() {
        Some((_, l)) if l.starts_with("$ ScenarioWizard") => {}
        _ => return Err(ScwError::Header),
    }
    let _name = lines.next();
    let mut descriptors: Vec<Descriptor> = Vec::new();
    let mut hashes = 0;
    let mut last = 2;
    let mut rows: Vec<Vec<i64>> = Vec::new();
    let mut expected = 0;
    for (no, line) in lines {
        last = no;
        if line.starts_with('#') {
            hashes += 1;
            if hashes == 1 {
                expected = descriptors.iter().map(|d| d.variants.len()).sum();
            }
            if hashes == 6 {
                break;
            }
            continue;
        }
        match hashes {
            0 => {
                if let Some(name) = line.strip_prefix('&') {
                    descriptors.push(Descriptor { name: name.to_string(), variants: Vec::new() });
                } else if let Some(variant) = line.strip_prefix(" -") {
                    let d = descriptors.last_mut().ok_or(ScwError::OrphanVariant { line: no })?;
                    d.variants.push(variant.to_string());
                }
            }
            5 if !line.trim().is_empty() => {
                let row = line
                    .split(',')
                    .enumerate()
                    .map(|(k, x)| {
                        x.trim().parse::<i64>().map_err(|_| ScwError::Number {
                            line: no,
                            entry: k + 1,
                            text: x.trim().to_string(),
                        })
                    })
                    .collect::<Result<Vec<i64>, _>>()?;
                if row.len() != expected {
                    return Err(ScwError::Ragged { line: no, found: row.len(), expected });
                }
                rows.push(row);
            }
            _ => {}
        }
    }
    if hashes < 6 || rows.len() != expected {
        return Err(ScwError::Truncated { line: last, rows: rows.len(), expected });
    }
    Ok(CibMatrix::new(descriptors, rows)?)
}

/// Writes a CIB matrix as a ScenarioWizard `.scw` project named `name` (descriptions empty,
/// colours white), in the layout ScenarioWizard 5 writes.
pub fn write_scw(matrix: &CibMatrix, name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "$ ScenarioWizard 4.0\n{name}");
    for d in matrix.descriptors() {
        let _ = writeln!(out, "&{}", d.name);
        for v in &d.variants {
            let _ = writeln!(out, " -{v}");
        }
    }
    out.push_str("#\n");
    for d in matrix.descriptors() {
        out.push_str("&\n");
        for _ in &d.variants {
            out.push_str(" \n");
        }
    }
    out.push_str("#\n#\n");
    for _ in 0..matrix.variant_total() {
        out.push_str("FFFFFF\n");
    }
    out.push_str("#\n#\n");
    for row in matrix.rows() {
        let cells: Vec<String> =
            row.iter().map(|&x| if x < 0 { format!("{x} ") } else { format!(" {x} ") }).collect();
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out.push_str("#\n# 0-0\n\"\"\n#\n#\n");
    out
}

/// One scenario of a ScenarioWizard solution list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SlEntry {
    /// The chosen variant of each descriptor, from 0 (the file counts from 1).
    pub variants: Vec<usize>,
    /// Succession weight (basin size or Monte Carlo count; 0 when not computed).
    pub weight: u64,
    /// Consistency value.
    pub cv: i32,
    /// Inconsistency.
    pub ic: i32,
    /// Total impact score.
    pub tis: i64,
}

/// Why a `.sl` solution list could not be read. Lines are counted from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SlError {
    /// The file does not start with a ScenarioWizard header and `Solution set`.
    #[error("not a ScenarioWizard solution list (expected `$ ScenarioWizard` and `Solution set`)")]
    Header,
    /// The count line is not a number.
    #[error("line 3: `{text}` is not a scenario count")]
    Count {
        /// The text found.
        text: String,
    },
    /// A scenario line is malformed.
    #[error("line {line}: expected `\" 1 2 3\",weight,CV,IC,TIS,\"\"`")]
    Line {
        /// The line.
        line: usize,
    },
    /// Fewer or more scenario lines than the count says.
    #[error("the list announces {expected} scenarios but has {found}")]
    CountMismatch {
        /// The announced count.
        expected: usize,
        /// Lines found.
        found: usize,
    },
}

/// Reads a ScenarioWizard `.sl` solution list.
///
/// # Errors
/// [`SlError`]: a missing header, a bad count, a malformed scenario line (including a variant
/// numbered 0), or a count that does not match the lines.
pub fn read_sl(text: &str) -> Result<Vec<SlEntry>, SlError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    if lines.len() < 3 || !lines[0].starts_with("$ ScenarioWizard") || lines[1] != "Solution set" {
        return Err(SlError::Header);
    }
    let expected: usize =
        lines[2].trim().parse().map_err(|_| SlError::Count { text: lines[2].trim().into() })?;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(3) {
        if line.trim().is_empty() {
            continue;
        }
        let bad = || SlError::Line { line: i + 1 };
        let rest = line.strip_prefix('"').ok_or_else(bad)?;
        let (quoted, rest) = rest.split_once('"').ok_or_else(bad)?;
        let variants = quoted
            .split_whitespace()
            .map(|x| x.parse::<usize>().ok().and_then(|v| v.checked_sub(1)))
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(bad)?;
        let f: Vec<&str> = rest.split(',').collect();
        if f.len() < 5 || variants.is_empty() {
            return Err(bad());
        }
        out.push(SlEntry {
            variants,
            weight: f[1].trim().parse().map_err(|_| bad())?,
            cv: f[2].trim().parse().map_err(|_| bad())?,
            ic: f[3].trim().parse().map_err(|_| bad())?,
            tis: f[4].trim().parse().map_err(|_| bad())?,
        });
    }
    if out.len() != expected {
        return Err(SlError::CountMismatch { expected, found: out.len() });
    }
    Ok(out)
}

/// Writes a ScenarioWizard `.sl` solution list (variants are written from 1).
pub fn write_sl(entries: &[SlEntry]) -> String {
    let mut out = format!("$ ScenarioWizard 3.0\nSolution set\n {} \n\n", entries.len());
    for e in entries {
        let vs: String = e.variants.iter().map(|v| format!(" {}", v + 1)).collect();
        let _ = writeln!(out, "\"{vs}\",{},{},{},{},\"\"", e.weight, e.cv, e.ic, e.tis);
    }
    out
}

/// Why a CSV CIB matrix could not be read. Lines are counted from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CibCsvError {
    /// The CSV itself is malformed.
    #[error("line {line}: {message}")]
    Csv {
        /// The line.
        line: usize,
        /// The CSV reader's message.
        message: String,
    },
    /// Fewer than two header rows.
    #[error("a cib csv needs two header rows (descriptor and variant of each column)")]
    Header,
    /// A row's descriptor and variant differ from the column headers' at the same position.
    #[error("line {line}: row `{descriptor}, {variant}` does not match column {column}'s header")]
    Label {
        /// The line.
        line: usize,
        /// The row's descriptor.
        descriptor: String,
        /// The row's variant.
        variant: String,
        /// The column it should match, from 1.
        column: usize,
    },
    /// A judgment is not an integer.
    #[error("line {line}, column {column}: `{text}` is not an integer judgment")]
    Number {
        /// The line.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// The text found.
        text: String,
    },
    /// A row does not have one judgment per column.
    #[error("line {line}: {found} judgments; expected {expected}")]
    Ragged {
        /// The line.
        line: usize,
        /// Judgments found.
        found: usize,
        /// Judgments expected.
        expected: usize,
    },
    /// The matrix is not a valid CIB input.
    #[error("{0}")]
    Matrix(#[from] MatrixError),
}

/// Reads a CIB matrix from CSV (layout in the module documentation).
///
/// # Errors
/// [`CibCsvError`]: malformed CSV, missing headers, row labels that do not match the columns, a
/// non-integer judgment, a ragged row, or an invalid matrix.
pub fn read_cib_csv(text: &str) -> Result<CibMatrix, CibCsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| CibCsvError::Csv {
            line: e.position().map_or(0, |p| p.line() as usize),
            message: e.to_string(),
        })?;
        let line = r.position().map_or(0, |p| p.line() as usize);
        records.push((line, r));
    }
    if records.len() < 2 {
        return Err(CibCsvError::Header);
    }
    let heads: Vec<(String, String)> = records[0]
        .1
        .iter()
        .skip(2)
        .zip(records[1].1.iter().skip(2))
        .map(|(d, v)| (d.to_string(), v.to_string()))
        .collect();
    let mut descriptors: Vec<Descriptor> = Vec::new();
    for (d, v) in &heads {
        match descriptors.last_mut() {
            Some(last) if &last.name == d => last.variants.push(v.clone()),
            _ => descriptors.push(Descriptor { name: d.clone(), variants: vec![v.clone()] }),
        }
    }
    let mut rows = Vec::new();
    for (k, (line, r)) in records.iter().skip(2).enumerate() {
        let (d, v) = (r.get(0).unwrap_or(""), r.get(1).unwrap_or(""));
        if heads.get(k).is_none_or(|(hd, hv)| hd != d || hv != v) {
            return Err(CibCsvError::Label {
                line: *line,
                descriptor: d.into(),
                variant: v.into(),
                column: k + 1,
            });
        }
        let row = r
            .iter()
            .skip(2)
            .enumerate()
            .map(|(c, x)| {
                x.parse::<i64>().map_err(|_| CibCsvError::Number {
                    line: *line,
                    column: c + 3,
                    text: x.into(),
                })
            })
            .collect::<Result<Vec<i64>, _>>()?;
        if row.len() != heads.len() {
            return Err(CibCsvError::Ragged {
                line: *line,
                found: row.len(),
                expected: heads.len(),
            });
        }
        rows.push(row);
    }
    Ok(CibMatrix::new(descriptors, rows)?)
}

/// Writes a CIB matrix as CSV (layout in the module documentation).
pub fn write_cib_csv(matrix: &CibMatrix) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut names = vec![String::new(), String::new()];
    let mut variants = vec![String::new(), String::new()];
    let mut labels = Vec::new();
    for d in matrix.descriptors() {
        for v in &d.variants {
            names.push(d.name.clone());
            variants.push(v.clone());
            labels.push((d.name.clone(), v.clone()));
        }
    }
    let _ = w.write_record(&names);
    let _ = w.write_record(&variants);
    for ((d, v), row) in labels.into_iter().zip(matrix.rows()) {
        let mut rec = vec![d, v];
        rec.extend(row.iter().map(i64::to_string));
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/../../tests/fixtures/cib/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    fn check_shape(name: &str, descriptors: usize, variants: usize) {
        let m = read_scw(&fixture(name)).unwrap();
        assert_eq!((m.descriptor_count(), m.variant_total()), (descriptors, variants), "{name}");
    }

    #[test]
    fn reads_every_fixture() {
        // Shapes from the fixtures' README (and the variant lines of each file).
        check_shape("CIB_global.scw", 3, 10);
        check_shape("bench_typical.scw", 10, 30);
        check_shape("CIB_natl_regional.scw", 15, 47);
        check_shape("CIB_nested_simplified_standardized.scw", 15, 47);
        check_shape("CIB_nested_simplified_nonstandard.scw", 15, 47);
    }

    #[test]
    fn reads_names_and_the_diagonal_block() {
        let m = read_scw(&fixture("CIB_natl_regional.scw")).unwrap();
        assert_eq!(m.descriptors()[14].name, "WSCEN");
        assert_eq!(m.descriptors()[14].variants, vec!["1_2", "3_4"]);
        // WSCEN's self-impact block (bottom-right of the file's matrix).
        assert_eq!(m.impact(45, 45), Some(15));
        assert_eq!(m.impact(46, 46), Some(9));
    }

    #[test]
    fn writes_scenariowizard_5_layout_byte_for_byte() {
        let text = fixture("bench_typical.scw");
        let m = read_scw(&text).unwrap();
        assert_eq!(write_scw(&m, "bench_typical.scw"), text);
    }

    #[test]
    fn round_trips_a_full_project() {
        let m = read_scw(&fixture("CIB_natl_regional.scw")).unwrap();
        assert_eq!(read_scw(&write_scw(&m, "x.scw")).unwrap(), m);
    }

    #[test]
    fn sl_round_trips_byte_for_byte() {
        for name in ["CIB_global.sl", "bench_typical.sl", "CIB_natl_regional.sl"] {
            let text = fixture(name);
            let entries = read_sl(&text).unwrap();
            assert_eq!(write_sl(&entries), text, "{name}");
        }
        let e = read_sl(&fixture("CIB_global.sl")).unwrap();
        assert_eq!(e[0], SlEntry { variants: vec![1, 2, 1], weight: 4, cv: 0, ic: 0, tis: 15 });
    }

    #[test]
    fn csv_round_trips() {
        let m = read_scw(&fixture("CIB_global.scw")).unwrap();
        assert_eq!(read_cib_csv(&write_cib_csv(&m)).unwrap(), m);
        let text = ",,A,A,B,B\n,,lo,hi,lo,hi\nA,lo,0,0,2,-2\nA,hi,0,0,-2,2\nB,lo,1,-1,0,0\nB,hi,-1,1,0,0\n";
        assert_eq!(read_cib_csv(text).unwrap().variant_counts(), &[2, 2]);
    }

    #[test]
    fn err_truncated_scw() {
        let text = fixture("CIB_global.scw");
        let cut: String = text.lines().take(50).map(|l| format!("{l}\n")).collect();
        assert_eq!(read_scw(&cut), Err(ScwError::Truncated { line: 50, rows: 7, expected: 10 }));
        let cut: String = text.lines().take(10).map(|l| format!("{l}\n")).collect();
        assert!(matches!(read_scw(&cut), Err(ScwError::Truncated { rows: 0, .. })));
    }

    #[test]
    fn err_scw_cases() {
        assert_eq!(read_scw("hello\n"), Err(ScwError::Header));
        let text = fixture("CIB_global.scw");
        let ragged = text.replacen(" 0 , 0 , 0 , 1 , 2 ,-3 ,-4 ,-2 , 3 , 3 ", " 0 , 0 , 1 ", 1);
        assert_eq!(read_scw(&ragged), Err(ScwError::Ragged { line: 44, found: 3, expected: 10 }));
        let word = text.replacen(" 0 , 0 , 0 , 1 , 2 ,-3", " 0 , x , 0 , 1 , 2 ,-3", 1);
        assert!(matches!(read_scw(&word), Err(ScwError::Number { line: 44, entry: 2, .. })));
        // A descriptor with a single variant.
        let one = "$ ScenarioWizard 4.0\nx\n&A\n -a\n -b\n&B\n -c\n#\n#\n#\n#\n#\n0,0,1\n0,0,1\n1,1,0\n#\n";
        assert_eq!(
            read_scw(one),
            Err(ScwError::Matrix(MatrixError::TooFewVariants { descriptor: 1, count: 1 }))
        );
    }

    #[test]
    fn err_sl_and_csv_cases() {
        assert_eq!(read_sl("x"), Err(SlError::Header));
        let bad = "$ ScenarioWizard 3.0\nSolution set\n 2 \n\n\" 1 2\",0,0,0,1,\"\"\n";
        assert_eq!(read_sl(bad), Err(SlError::CountMismatch { expected: 2, found: 1 }));
        let zero = "$ ScenarioWizard 3.0\nSolution set\n 1 \n\n\" 0 2\",0,0,0,1,\"\"\n";
        assert_eq!(read_sl(zero), Err(SlError::Line { line: 5 }));
        let ragged = ",,A,A\n,,lo,hi\nA,lo,0,0\nA,hi,0\n";
        assert_eq!(
            read_cib_csv(ragged),
            Err(CibCsvError::Ragged { line: 4, found: 1, expected: 2 })
        );
        let label = ",,A,A\n,,lo,hi\nA,lo,0,0\nB,hi,0,0\n";
        assert!(matches!(read_cib_csv(label), Err(CibCsvError::Label { line: 4, .. })));
    }
}
