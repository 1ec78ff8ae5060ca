//! Labelled matrices in CSV, as spreadsheets and the LIPSOR tools (MICMAC, MACTOR) export
//! them: a header row of column names (its first cell, the corner, is ignored), then one row
//! per item with its name in the first column.
//!
//! ```text
//! MID,USA,China,DPRK
//! USA,0,3,2
//! China,2,0,3
//! DPRK,1,1,0
//! ```
//!
//! Three readers turn such a text into an engine input, with the names beside it:
//! [`read_mid`] (actor × actor, integers 0..=4), [`read_mao`] (actor × objective, integers
//! −4..=4, `+3` allowed) and [`read_drivers`] (driver × driver, integers 0..=3 or `P`).
//! Square matrices must list the same names in the same order across and down. The delimiter
//! is a comma, or a semicolon when the header has semicolons and no comma (the French-locale
//! export). Cells and names are trimmed; an empty cell reads as 0, since spreadsheets often
//! leave zeros and the diagonal blank. The writers produce the same layout with commas, so a
//! file read and written back is equal up to blanks and quoting.

use engines::actors::mactor::{Mao, MaoError, Mid, MidError};
use engines::actors::micmac::{Cell, DriverMatrix, DriverMatrixError};

/// Why a matrix CSV could not be read. Lines count from 1, as an editor shows them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixCsvError {
    /// The CSV itself is malformed (for instance an unclosed quote).
    #[error("line {line}: {message}")]
    Csv {
        /// The line.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// The text is empty.
    #[error("the file is empty; it should start with a header row of column names")]
    NoHeader,
    /// There is a header but no row under it.
    #[error("the file has a header row but no rows under it")]
    NoRows,
    /// A row has a different number of fields from the header.
    #[error("line {line} has {len} fields but the header has {expected}")]
    Ragged {
        /// The line.
        line: u64,
        /// Its number of fields, the name included.
        len: usize,
        /// The header's number of fields.
        expected: usize,
    },
    /// Two rows or two columns have the same name.
    #[error("the name `{name}` appears twice")]
    Duplicate {
        /// The repeated name.
        name: String,
    },
    /// A square matrix has a different number of rows and columns.
    #[error("the matrix has {rows} rows but {columns} columns; it must be square")]
    NotSquare {
        /// Rows under the header.
        rows: usize,
        /// Columns after the corner.
        columns: usize,
    },
    /// Row `row` of a square matrix is not named as column `column` in the same place.
    #[error(
        "line {line}: row `{row}` is where column `{column}` is; list the names in the same order across and down"
    )]
    Names {
        /// The line.
        line: u64,
        /// The row's name.
        row: String,
        /// The name of the column in the same place.
        column: String,
    },
    /// A cell is not a value this matrix allows.
    #[error("line {line}, column `{column}`: `{text}` is not {expected}")]
    Cell {
        /// The line.
        line: u64,
        /// The column's name.
        column: String,
        /// The cell as written.
        text: String,
        /// What the cell may hold.
        expected: &'static str,
    },
    /// A diagonal cell is not 0 (or empty).
    #[error(
        "line {line}: the diagonal cell of `{name}` is {value}; an item's influence on itself must be 0"
    )]
    Diagonal {
        /// The line.
        line: u64,
        /// The item.
        name: String,
        /// The value found.
        value: String,
    },
}

/// A matrix as read: the column names, then each row's line, name and cells as text.
struct Table {
    columns: Vec<String>,
    rows: Vec<(u64, String, Vec<String>)>,
}

fn read_table(text: &str) -> Result<Table, MatrixCsvError> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains(';') && !first_line.contains(',') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_error = |e: csv::Error| MatrixCsvError::Csv {
        line: e.position().map_or(0, csv::Position::line),
        message: e.to_string(),
    };
    let header = records.next().ok_or(MatrixCsvError::NoHeader)?.map_err(csv_error)?;
    let columns: Vec<String> = header.iter().skip(1).map(str::to_owned).collect();
    duplicates(&columns)?;
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.len() {
            return Err(MatrixCsvError::Ragged { line, len: record.len(), expected: header.len() });
        }
        let name = record.get(0).unwrap_or("").to_owned();
        rows.push((line, name, record.iter().skip(1).map(str::to_owned).collect()));
    }
    if rows.is_empty() {
        return Err(MatrixCsvError::NoRows);
    }
    let names: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    duplicates(&names)?;
    Ok(Table { columns, rows })
}

fn duplicates(names: &[String]) -> Result<(), MatrixCsvError> {
    let mut seen = std::collections::HashSet::new();
    match names.iter().find(|n| !seen.insert(n.as_str())) {
        Some(name) => Err(MatrixCsvError::Duplicate { name: name.clone() }),
        None => Ok(()),
    }
}

impl Table {
    /// Checks that the matrix is square with the same names across and down.
    fn square(&self) -> Result<Vec<String>, MatrixCsvError> {
        if self.rows.len() != self.columns.len() {
            return Err(MatrixCsvError::NotSquare {
                rows: self.rows.len(),
                columns: self.columns.len(),
            });
        }
        for ((line, row, _), column) in self.rows.iter().zip(&self.columns) {
            if row != column {
                return Err(MatrixCsvError::Names {
                    line: *line,
                    row: row.clone(),
                    column: column.clone(),
                });
            }
        }
        Ok(self.columns.clone())
    }

    /// Parses every cell with `parse`, which returns `None` for a cell it does not accept.
    fn cells<T>(
        &self,
        expected: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Vec<Vec<T>>, MatrixCsvError> {
        self.rows
            .iter()
            .map(|(line, _, cells)| {
                cells
                    .iter()
                    .zip(&self.columns)
                    .map(|(text, column)| {
                        parse(text).ok_or_else(|| MatrixCsvError::Cell {
                            line: *line,
                            column: column.clone(),
                            text: text.clone(),
                            expected,
                        })
                    })
                    .collect()
            })
            .collect()
    }

    fn line(&self, row: usize) -> u64 {
        self.rows.get(row).map_or(0, |r| r.0)
    }

    fn text(&self, row: usize, column: usize) -> String {
        self.rows.get(row).and_then(|r| r.2.get(column)).cloned().unwrap_or_default()
    }

    fn column(&self, column: usize) -> String {
        self.columns.get(column).cloned().unwrap_or_default()
    }
}

fn integer<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() { "0".parse().ok() } else { text.parse().ok() }
}

const MID_CELL: &str = "an integer from 0 to 4 (a `P` is allowed only in a MICMAC driver matrix)";
const MAO_CELL: &str = "an integer from -4 to 4 (a `P` is allowed only in a MICMAC driver matrix)";
const DRIVER_CELL: &str = "an integer from 0 to 3 or `P`";

/// Reads a MID (actor × actor direct influences, 0..=4): the actors' names and the matrix.
///
/// # Errors
/// [`MatrixCsvError`]: malformed CSV, a non-square matrix or mismatched names, a cell that is
/// not an integer in 0..=4, a nonzero diagonal.
pub fn read_mid(text: &str) -> Result<(Vec<String>, Mid), MatrixCsvError> {
    let table = read_table(text)?;
    let names = table.square()?;
    let cells = table.cells(MID_CELL, integer::<u8>)?;
    let mid = Mid::from_rows(cells).map_err(|e| match e {
        MidError::Diagonal { index, value } => MatrixCsvError::Diagonal {
            line: table.line(index),
            name: table.column(index),
            value: value.to_string(),
        },
        MidError::OutOfScale { row, column, .. } => MatrixCsvError::Cell {
            line: table.line(row),
            column: table.column(column),
            text: table.text(row, column),
            expected: MID_CELL,
        },
        // The table is square and has rows, so nothing else can happen; say what did anyway.
        other => MatrixCsvError::Csv { line: 0, message: other.to_string() },
    })?;
    Ok((names, mid))
}

/// Reads a 2MAO (actor × objective positions, −4..=4): the actors', the objectives' names and
/// the matrix.
///
/// # Errors
/// [`MatrixCsvError`]: malformed CSV, no objectives, a cell that is not an integer in −4..=4.
pub fn read_mao(text: &str) -> Result<(Vec<String>, Vec<String>, Mao), MatrixCsvError> {
    let table = read_table(text)?;
    let cells = table.cells(MAO_CELL, integer::<i8>)?;
    let mao = Mao::from_rows(cells).map_err(|e| match e {
        MaoError::OutOfScale { row, column, .. } => MatrixCsvError::Cell {
            line: table.line(row),
            column: table.column(column),
            text: table.text(row, column),
            expected: MAO_CELL,
        },
        MaoError::NoObjectives => MatrixCsvError::NotSquare { rows: table.rows.len(), columns: 0 },
        other => MatrixCsvError::Csv { line: 0, message: other.to_string() },
    })?;
    let actors = table.rows.iter().map(|r| r.1.clone()).collect();
    Ok((actors, table.columns, mao))
}

/// Reads a MICMAC driver matrix (driver × driver, 0..=3 or `P`): the drivers' names and the
/// matrix.
///
/// # Errors
/// [`MatrixCsvError`]: malformed CSV, a non-square matrix or mismatched names, a cell that is
/// neither an integer in 0..=3 nor `P`, a nonzero diagonal.
pub fn read_drivers(text: &str) -> Result<(Vec<String>, DriverMatrix), MatrixCsvError> {
    let table = read_table(text)?;
    let names = table.square()?;
    let cells = table.cells(DRIVER_CELL, |t| {
        if t.eq_ignore_ascii_case("p") {
            Some(Cell::Potential)
        } else {
            integer(t).map(Cell::Level)
        }
    })?;
    let matrix = DriverMatrix::from_rows(cells).map_err(|e| match e {
        DriverMatrixError::Diagonal { index } => MatrixCsvError::Diagonal {
            line: table.line(index),
            name: table.column(index),
            value: table.text(index, index),
        },
        DriverMatrixError::OutOfScale { row, column, .. } => MatrixCsvError::Cell {
            line: table.line(row),
            column: table.column(column),
            text: table.text(row, column),
            expected: DRIVER_CELL,
        },
        other => MatrixCsvError::Csv { line: 0, message: other.to_string() },
    })?;
    Ok((names, matrix))
}

fn write(
    corner: &str,
    columns: &[String],
    rows: &[String],
    cell: impl Fn(usize, usize) -> String,
) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail, and csv quotes any name that needs it.
    let mut record = vec![corner.to_owned()];
    record.extend(columns.iter().cloned());
    let _ = writer.write_record(&record);
    for (i, name) in rows.iter().enumerate() {
        let mut record = vec![name.clone()];
        record.extend((0..columns.len()).map(|j| cell(i, j)));
        let _ = writer.write_record(&record);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes a MID with the actors' names (the corner cell says `MID`). Missing names are
/// written as `A1`, `A2`, ….
pub fn write_mid(names: &[String], mid: &Mid) -> String {
    let names = fill(names, mid.len(), "A");
    write("MID", &names, &names, |i, j| mid.get(i, j).unwrap_or(0).to_string())
}

/// Writes a 2MAO with the actors' and the objectives' names (corner `2MAO`). Missing names are
/// written as `A1`, … and `O1`, ….
pub fn write_mao(actors: &[String], objectives: &[String], mao: &Mao) -> String {
    let actors = fill(actors, mao.actors(), "A");
    let objectives = fill(objectives, mao.objectives(), "O");
    write("2MAO", &objectives, &actors, |i, k| mao.get(i, k).unwrap_or(0).to_string())
}

/// Writes a MICMAC driver matrix with the drivers' names (corner `MDI`), `P` for potential
/// influences. Missing names are written as `V1`, `V2`, ….
pub fn write_drivers(names: &[String], matrix: &DriverMatrix) -> String {
    let names = fill(names, matrix.len(), "V");
    write("MDI", &names, &names, |i, j| match matrix.get(i, j) {
        Some(Cell::Potential) => "P".to_owned(),
        Some(Cell::Level(v)) => v.to_string(),
        None => "0".to_owned(),
    })
}

fn fill(names: &[String], n: usize, prefix: &str) -> Vec<String> {
    (0..n).map(|i| names.get(i).cloned().unwrap_or_else(|| format!("{prefix}{}", i + 1))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MID: &str = "MID,USA,China,DPRK\nUSA,0,3,2\nChina,2,0,3\nDPRK,1,1,0\n";

    fn err<T: std::fmt::Debug>(r: Result<T, MatrixCsvError>) -> String {
        r.expect_err("should fail").to_string()
    }

    #[test]
    fn mid_round_trip() {
        let (names, mid) = read_mid(MID).unwrap();
        assert_eq!(names, ["USA", "China", "DPRK"]);
        assert_eq!(mid.get(1, 2), Some(3));
        assert_eq!(write_mid(&names, &mid), MID);
    }

    #[test]
    fn semicolons_blanks_and_empty_cells() {
        let (_, mid) = read_mid(" ; a ; b \n a ; ; 4\n b ; 1 ;  \n").unwrap();
        assert_eq!((mid.get(0, 1), mid.get(1, 0), mid.get(1, 1)), (Some(4), Some(1), Some(0)));
    }

    #[test]
    fn mao_is_rectangular_and_signed() {
        let (actors, objectives, mao) = read_mao("2MAO,o1,o2\nUSA,+3,-4\nChina,0,2\n").unwrap();
        assert_eq!((actors.len(), objectives.len()), (2, 2));
        assert_eq!(mao.get(0, 0), Some(3));
        assert_eq!(write_mao(&actors, &objectives, &mao), "2MAO,o1,o2\nUSA,3,-4\nChina,0,2\n");
    }

    #[test]
    fn drivers_with_p_round_trip() {
        let text = "MDI,x,\"y, z\"\nx,0,P\n\"y, z\",3,0\n";
        let (names, m) = read_drivers(text).unwrap();
        assert_eq!(m.get(0, 1), Some(Cell::Potential));
        assert_eq!(write_drivers(&names, &m), text);
    }

    #[test]
    fn err_not_square() {
        assert_eq!(
            err(read_mid("MID,a,b\na,0,1\n")),
            "the matrix has 1 rows but 2 columns; it must be square"
        );
    }

    #[test]
    fn err_names_out_of_order() {
        assert_eq!(
            err(read_mid("MID,a,b\nb,0,1\na,1,0\n")),
            "line 2: row `b` is where column `a` is; list the names in the same order across and down"
        );
    }

    #[test]
    fn err_out_of_scale() {
        assert_eq!(
            err(read_mid("MID,a,b\na,0,5\nb,1,0\n")),
            "line 2, column `b`: `5` is not an integer from 0 to 4 (a `P` is allowed only in a MICMAC driver matrix)"
        );
        assert!(err(read_mao("x,o\na,-5\n")).contains("`-5` is not an integer from -4 to 4"));
        assert!(
            err(read_drivers("x,a,b\na,0,4\nb,0,0\n"))
                .contains("`4` is not an integer from 0 to 3 or `P`")
        );
    }

    #[test]
    fn err_p_where_only_numbers() {
        assert!(
            err(read_mid("MID,a,b\na,0,P\nb,1,0\n")).starts_with("line 2, column `b`: `P` is not")
        );
        assert!(err(read_mao("x,o\na,P\n")).contains("`P` is not"));
    }

    #[test]
    fn err_not_a_number() {
        assert!(err(read_mid("MID,a,b\na,0,2.5\nb,1,0\n")).contains("`2.5` is not"));
    }

    #[test]
    fn err_diagonal() {
        assert_eq!(
            err(read_drivers("x,a,b\na,P,1\nb,0,0\n")),
            "line 2: the diagonal cell of `a` is P; an item's influence on itself must be 0"
        );
        assert!(
            err(read_mid("MID,a,b\na,0,1\nb,1,2\n"))
                .starts_with("line 3: the diagonal cell of `b` is 2")
        );
    }

    #[test]
    fn err_ragged() {
        assert_eq!(
            err(read_mid("MID,a,b\na,0\nb,1,0\n")),
            "line 2 has 2 fields but the header has 3"
        );
    }

    #[test]
    fn err_empty_and_headless() {
        assert_eq!(read_mid("").map(|_| ()), Err(MatrixCsvError::NoHeader));
        assert_eq!(read_mid("MID,a\n").map(|_| ()), Err(MatrixCsvError::NoRows));
    }

    #[test]
    fn err_duplicate() {
        assert_eq!(err(read_mao("x,o,o\na,1,1\n")), "the name `o` appears twice");
    }
}
