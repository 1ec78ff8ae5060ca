//! The bargaining models' CSV files: KTAB's spatial-model input, the 4-column
//! `Actor,Capability,Position,Salience` table of the expected-utility replications, and the
//! position history that `statecraft bargain --history` writes.
//!
//! KTAB's format (KAPSARC/KTAB `examples/smp/libsrc/smpread.cpp`, `SMPModel::csvRead`):
//! ```text
//! DummyData_3Dim ,"Dummy scenario to test reading format",7,3,
//! Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,Pstn3,Sal3,
//! SActor-00, Random Spatial Actor, 102.543, 75.79, 49.53,  6.37,  5.91, 70.45, 28.15,
//! ```
//! Line 1 gives the scenario's name, description, number of actors and of dimensions; line 2
//! names the columns (a position column and a salience column per dimension); then one row per
//! actor. Positions and saliences are on 0–100 and an actor's saliences sum to at most 100.
//!
//! The 4-column format has a header `Actor,Capability,Position,Salience` (any case) and one
//! row per actor; lines starting with `#` are comments. Saliences are on 0–1, or on 0–100 when
//! any exceeds 1 (as in Bueno de Mesquita's tables); the issue's scale is 0–100 when every
//! position lies within it, else the positions' own range.
//!
//! Both readers return a [`BargainTable`]: names beside a checked [`BargainInput`].

use engines::bargain::{BargainInput, InputError, IssueData};

/// A bargaining input read from a file, with the names it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainTable {
    /// The scenario's name (KTAB format), if any.
    pub name: Option<String>,
    /// The scenario's description (KTAB format), if any.
    pub description: Option<String>,
    /// Actor names, in order.
    pub actors: Vec<String>,
    /// Issue (dimension) names, in order.
    pub issues: Vec<String>,
    /// The checked engine input.
    pub input: BargainInput,
}

/// Why a bargaining CSV could not be read. Lines are numbered from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BargainCsvError {
    /// The text is not CSV.
    #[error("line {line}: {message}")]
    Csv {
        /// The line.
        line: u64,
        /// The CSV reader's message.
        message: String,
    },
    /// The file ends before the header or first actor.
    #[error("the file has no {what}")]
    Missing {
        /// What is missing.
        what: &'static str,
    },
    /// A header does not have the expected columns.
    #[error("line {line}: expected {expected}")]
    Header {
        /// The line.
        line: u64,
        /// What was expected.
        expected: String,
    },
    /// A row has too few fields.
    #[error("line {line}: expected {expected} fields, found {found}")]
    Fields {
        /// The line.
        line: u64,
        /// The number expected.
        expected: usize,
        /// The number found.
        found: usize,
    },
    /// A field is not a number.
    #[error("line {line}: {column} `{text}` is not a number")]
    Number {
        /// The line.
        line: u64,
        /// The column's name.
        column: String,
        /// The text found.
        text: String,
    },
    /// A value is outside its range (position or salience outside 0–100 in KTAB's format,
    /// a negative salience or capability).
    #[error("line {line}: {column} {value} is outside {range}")]
    Range {
        /// The line.
        line: u64,
        /// The column's name.
        column: String,
        /// The value.
        value: f64,
        /// The allowed range.
        range: &'static str,
    },
    /// An actor's saliences sum to more than 100 (KTAB's format).
    #[error("line {line}: actor `{actor}`'s saliences sum to {sum}, more than 100")]
    SalienceSum {
        /// The line.
        line: u64,
        /// The actor.
        actor: String,
        /// The sum.
        sum: f64,
    },
    /// The number of actor rows differs from the count on line 1 (KTAB's format).
    #[error("line 1 announces {announced} actors but {found} rows follow")]
    ActorCount {
        /// The count on line 1.
        announced: usize,
        /// The rows found.
        found: usize,
    },
    /// The data are well formed but not a valid bargaining input (e.g. every capability 0).
    #[error("{0}")]
    Input(#[from] InputError),
}

fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, BargainCsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| BargainCsvError::Csv {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = r.position().map_or(0, |p| p.line());
        let mut fields: Vec<String> = r.iter().map(str::to_string).collect();
        // KTAB's rows end with a comma: drop empty trailing fields.
        while fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        if !fields.is_empty() {
            out.push((line, fields));
        }
    }
    Ok(out)
}

fn number(line: u64, column: &str, text: &str) -> Result<f64, BargainCsvError> {
    text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| BargainCsvError::Number {
        line,
        column: column.to_string(),
        text: text.to_string(),
    })
}

/// Reads KTAB's spatial-model CSV input.
///
/// # Errors
/// A [`BargainCsvError`] naming the line: malformed CSV, a missing or short header or row, a
/// field that is not a number, a position or salience outside 0–100, a negative capability,
/// saliences summing over 100, an actor count that disagrees with line 1, or an input the
/// engine rejects (such as every capability 0).
pub fn read_ktab(text: &str) -> Result<BargainTable, BargainCsvError> {
    let rows = records(text)?;
    let mut it = rows.into_iter();
    let (l1, first) = it.next().ok_or(BargainCsvError::Missing { what: "scenario line" })?;
    if first.len() < 4 {
        return Err(BargainCsvError::Header {
            line: l1,
            expected: "scenario name, description, number of actors, number of dimensions".into(),
        });
    }
    let announced = number(l1, "number of actors", &first[2])? as usize;
    let m = number(l1, "number of dimensions", &first[3])? as usize;
    if m == 0 {
        return Err(BargainCsvError::Range {
            line: l1,
            column: "number of dimensions".into(),
            value: 0.0,
            range: "1 or more",
        });
    }
    let (l2, header) = it.next().ok_or(BargainCsvError::Missing { what: "column header" })?;
    // The declared count of dimensions is checked against the header's columns before any
    // table is sized by it.
    if m > header.len() / 2 || header.len() < 3 + 2 * m {
        return Err(BargainCsvError::Header {
            line: l2,
            expected: format!(
                "Actor, Description, Power and a position and salience column for each of {m} dimensions"
            ),
        });
    }
    let issues: Vec<String> = (0..m).map(|d| header[3 + 2 * d].clone()).collect();
    let (mut actors, mut cap) = (Vec::new(), Vec::new());
    let mut pos = vec![Vec::new(); m];
    let mut sal = vec![Vec::new(); m];
    for (line, row) in it {
        if row.len() < 3 + 2 * m {
            return Err(BargainCsvError::Fields { line, expected: 3 + 2 * m, found: row.len() });
        }
        let c = number(line, &header[2], &row[2])?;
        if c < 0.0 {
            return Err(BargainCsvError::Range {
                line,
                column: header[2].clone(),
                value: c,
                range: "0 or more",
            });
        }
        let mut total = 0.0;
        for d in 0..m {
            let x = number(line, &header[3 + 2 * d], &row[3 + 2 * d])?;
            let s = number(line, &header[4 + 2 * d], &row[4 + 2 * d])?;
            for (col, v) in [(3 + 2 * d, x), (4 + 2 * d, s)] {
                if !(0.0..=100.0).contains(&v) {
                    return Err(BargainCsvError::Range {
                        line,
                        column: header[col].clone(),
                        value: v,
                        range: "0-100",
                    });
                }
            }
            total += s;
            pos[d].push(x);
            sal[d].push(s / 100.0);
        }
        if total > 100.0 {
            return Err(BargainCsvError::SalienceSum { line, actor: row[0].clone(), sum: total });
        }
        actors.push(row[0].clone());
        cap.push(c);
    }
    if actors.len() != announced {
        return Err(BargainCsvError::ActorCount { announced, found: actors.len() });
    }
    let data = pos
        .into_iter()
        .zip(sal)
        .map(|(position, salience)| IssueData {
            scale_min: 0.0,
            scale_max: 100.0,
            position,
            salience,
        })
        .collect();
    Ok(BargainTable {
        name: Some(first[0].clone()),
        description: Some(first[1].clone()),
        actors,
        issues,
        input: BargainInput::new(cap, data)?,
    })
}

/// Reads the 4-column `Actor,Capability,Position,Salience` table (one issue).
///
/// # Errors
/// A [`BargainCsvError`] naming the line: malformed CSV, a missing header or row, a field that
/// is not a number, a negative capability or salience or a salience over 100, or an input the
/// engine rejects (such as every capability 0).
pub fn read_four_column(text: &str) -> Result<BargainTable, BargainCsvError> {
    let rows = records(text)?;
    let mut it = rows.into_iter();
    let (l1, header) = it.next().ok_or(BargainCsvError::Missing { what: "header" })?;
    let want = ["actor", "capability", "position", "salience"];
    if header.len() < 4 || !header.iter().zip(want).all(|(h, w)| h.eq_ignore_ascii_case(w)) {
        return Err(BargainCsvError::Header {
            line: l1,
            expected: "Actor,Capability,Position,Salience".into(),
        });
    }
    let (mut actors, mut cap, mut x, mut s) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (line, row) in it {
        if row.len() < 4 {
            return Err(BargainCsvError::Fields { line, expected: 4, found: row.len() });
        }
        let c = number(line, "Capability", &row[1])?;
        let sv = number(line, "Salience", &row[3])?;
        if c < 0.0 {
            return Err(BargainCsvError::Range {
                line,
                column: "Capability".into(),
                value: c,
                range: "0 or more",
            });
        }
        if !(0.0..=100.0).contains(&sv) {
            return Err(BargainCsvError::Range {
                line,
                column: "Salience".into(),
                value: sv,
                range: "0-1 or 0-100",
            });
        }
        actors.push(row[0].clone());
        cap.push(c);
        x.push(number(line, "Position", &row[2])?);
        s.push(sv);
    }
    if actors.is_empty() {
        return Err(BargainCsvError::Missing { what: "actor rows" });
    }
    if s.iter().any(|&v| v > 1.0) {
        s.iter_mut().for_each(|v| *v /= 100.0);
    }
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (scale_min, scale_max) = if lo >= 0.0 && hi <= 100.0 {
        (0.0, 100.0)
    } else {
        (lo, if hi > lo { hi } else { lo + 1.0 })
    };
    Ok(BargainTable {
        name: None,
        description: None,
        actors,
        issues: vec!["Position".into()],
        input: BargainInput::new(
            cap,
            vec![IssueData { scale_min, scale_max, position: x, salience: s }],
        )?,
    })
}

/// Reads either format: KTAB's when the first line's fourth field is a whole number (its
/// count of dimensions), else the 4-column table.
///
/// # Errors
/// As [`read_ktab`] or [`read_four_column`].
pub fn read(text: &str) -> Result<BargainTable, BargainCsvError> {
    let first = text.lines().find(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty());
    let ktab = first.is_some_and(|l| {
        let f: Vec<&str> = l.split(',').map(str::trim).collect();
        f.len() >= 4 && f[3].parse::<u32>().is_ok() && f[2].parse::<u32>().is_ok()
    });
    if ktab { read_ktab(text) } else { read_four_column(text) }
}

/// Writes a position history as CSV rows `turn,actor,dimension,position` (turn 0 is the
/// start), positions on the input's scale. Each row of `rows` is (turn, actor index, issue
/// index, position), indices into `actors` and `issues`.
pub fn write_history(
    actors: &[String],
    issues: &[String],
    rows: impl IntoIterator<Item = (usize, usize, usize, f64)>,
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = w.write_record(["turn", "actor", "dimension", "position"]);
    for (t, a, d, x) in rows {
        let actor = actors.get(a).map_or("", String::as_str);
        let issue = issues.get(d).map_or("", String::as_str);
        let _ = w.write_record([t.to_string().as_str(), actor, issue, &x.to_string()]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KTAB_3DIM: &str = include_str!("../../../../tests/fixtures/bargain/dummyData_3Dim.csv");
    const SOE: &str = include_str!("../../../../tests/fixtures/bargain/SOE-Pol-Comp.csv");
    const EU: &str = include_str!("../../../../tests/fixtures/bargain/eu_emissions_bdm1994.csv");

    #[test]
    fn ktab_dummy() {
        let t = read(KTAB_3DIM).unwrap();
        assert_eq!((t.actors.len(), t.issues.len()), (7, 3));
        assert_eq!(t.issues, ["Pstn1", "Pstn2", "Pstn3"]);
        assert_eq!(t.input.capability()[0], 102.543);
        assert_eq!(t.input.issue(1).salience[0], 0.0591);
    }

    #[test]
    fn ktab_soe() {
        let t = read(SOE).unwrap();
        assert_eq!((t.actors.len(), t.issues.len()), (13, 2));
        assert_eq!(t.actors[4], "LH");
        assert_eq!(t.issues[1], "Competitive Position");
    }

    #[test]
    fn four_column_eu_percent_salience() {
        let t = read(EU).unwrap();
        assert_eq!(t.actors.len(), 10);
        assert_eq!(t.input.issue(0).salience[0], 0.8);
        assert_eq!(t.input.issue(0).scale_max, 100.0);
    }

    #[test]
    fn four_column_outside_0_100_uses_range() {
        let t = read("Actor,Capability,Position,Salience\na,1,-5,0.5\nb,1,200,0.5\n").unwrap();
        assert_eq!((t.input.issue(0).scale_min, t.input.issue(0).scale_max), (-5.0, 200.0));
    }

    #[test]
    fn err_ktab_salience_sum_over_100() {
        let text = "s,d,3,2,\nActor,D,Power,P1,S1,P2,S2,\na,x,10,50,60,50,50,\nb,x,10,40,10,40,10,\nc,x,10,30,10,30,10,\n";
        assert_eq!(
            read(text),
            Err(BargainCsvError::SalienceSum { line: 3, actor: "a".into(), sum: 110.0 })
        );
    }

    #[test]
    fn err_ktab_position_out_of_range() {
        let text = "s,d,1,1,\nActor,D,Power,P1,S1,\na,x,10,150,60,\n";
        assert!(matches!(read(text), Err(BargainCsvError::Range { line: 3, value: 150.0, .. })));
    }

    /// An error in the second dimension names that dimension's column, and values are read from
    /// that dimension's columns.
    #[test]
    fn ktab_second_dimension_columns() {
        let text = "s,d,1,2,\nActor,D,Power,P1,S1,P2,S2,\na,x,10,50,20,70,30,\n";
        let t = read(text).unwrap();
        assert_eq!((t.input.issue(1).position[0], t.input.issue(1).salience[0]), (70.0, 0.3));
        let column = |text: &str| match read(text) {
            Err(BargainCsvError::Number { column, .. } | BargainCsvError::Range { column, .. }) => {
                column
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(column(&text.replace(",70,", ",x,")), "P2");
        assert_eq!(column(&text.replace(",30,", ",y,")), "S2");
        assert_eq!(column(&text.replace(",70,", ",170,")), "P2");
        assert_eq!(column(&text.replace(",30,", ",130,")), "S2");
    }

    #[test]
    fn err_ktab_actor_count() {
        let text = "s,d,2,1,\nActor,D,Power,P1,S1,\na,x,10,50,60,\n";
        assert_eq!(read(text), Err(BargainCsvError::ActorCount { announced: 2, found: 1 }));
    }

    /// Issue 17: a dimension count of 10^30 used to size the issue tables before the header was
    /// checked.
    #[test]
    fn err_issue_17_ktab_dimension_count_beyond_the_header() {
        let text = "s,d,1,1e30,\nActor,D,Power,P1,S1,\na,x,10,50,60,\n";
        assert!(matches!(read_ktab(text), Err(BargainCsvError::Header { line: 2, .. })));
    }

    #[test]
    fn err_four_column_all_capabilities_zero() {
        let text = "Actor,Capability,Position,Salience\na,0,1,0.5\nb,0,2,0.5\n";
        assert_eq!(read(text), Err(BargainCsvError::Input(InputError::AllCapabilitiesZero)));
    }

    #[test]
    fn err_four_column_not_a_number() {
        let text = "Actor,Capability,Position,Salience\na,1,x,0.5\n";
        assert!(matches!(read(text), Err(BargainCsvError::Number { line: 2, .. })));
    }

    #[test]
    fn err_four_column_bad_header() {
        assert!(matches!(
            read("Name,Power,X,S\na,1,1,1\n"),
            Err(BargainCsvError::Header { line: 1, .. })
        ));
    }

    #[test]
    fn history_rows() {
        let h = write_history(
            &["a".into(), "b, c".into()],
            &["x".into()],
            [(0, 0, 0, 1.0), (0, 1, 0, 2.5)],
        );
        assert_eq!(h, "turn,actor,dimension,position\n0,a,x,1\n0,\"b, c\",x,2.5\n");
    }
}
