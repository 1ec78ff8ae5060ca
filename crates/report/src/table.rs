//! A plain-text table for the terminal: a header row, aligned columns, and a rule under the
//! header. Numbers are right-aligned, text left-aligned. Every lens's terminal output is built
//! from these, so all of them look alike.
//!
//! ```
//! use report::table::{Align, Table};
//! let mut t = Table::new(["hypothesis", "score"]).align(1, Align::Right);
//! t.row(["H1 cash for troops", "-2"]);
//! t.row(["H2 alliance", "0"]);
//! assert_eq!(
//!     t.render(),
//!     "hypothesis          score\n\
//!      ------------------  -----\n\
//!      H1 cash for troops     -2\n\
//!      H2 alliance             0\n"
//! );
//! ```

use std::fmt::Write as _;

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// A table of text cells with a header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
    caption: Option<String>,
}

impl Table {
    /// A table with these column headers, every column left-aligned.
    pub fn new<I, S>(header: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let align = vec![Align::Left; header.len()];
        Table { header, align, rows: Vec::new(), caption: None }
    }

    /// Sets the alignment of column `column` (ignored when there is no such column).
    pub fn align(mut self, column: usize, align: Align) -> Table {
        if let Some(a) = self.align.get_mut(column) {
            *a = align;
        }
        self
    }

    /// Sets what the table shows, for the Markdown and HTML reports (the terminal's text says
    /// it in the line before the table, so [`Table::render`] leaves it out).
    pub fn caption(mut self, caption: impl Into<String>) -> Table {
        self.caption = Some(caption.into());
        self
    }

    /// The column headers.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The rows, each as long as the header.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// How column `column` is aligned (left when there is no such column).
    pub fn alignment(&self, column: usize) -> Align {
        self.align.get(column).copied().unwrap_or(Align::Left)
    }

    /// The caption, if one was set.
    pub fn caption_text(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// Appends a row; missing cells are blank and extra cells are dropped.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut row: Vec<String> = cells.into_iter().map(Into::into).collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, two spaces between columns, each line ending in a newline and without
    /// trailing blanks.
    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|c| {
                std::iter::once(&self.header[c])
                    .chain(self.rows.iter().map(|r| &r[c]))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        self.line(&mut out, &self.header, &widths);
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        self.line(&mut out, &rule, &widths);
        for row in &self.rows {
            self.line(&mut out, row, &widths);
        }
        out
    }

    fn line(&self, out: &mut String, cells: &[String], widths: &[usize]) {
        let mut line = String::new();
        for (c, cell) in cells.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = widths[c].saturating_sub(cell.chars().count());
            match self.align[c] {
                Align::Left => {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                }
                Align::Right => {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_rows_are_padded_and_unicode_counts_as_one_column() {
        let mut t = Table::new(["a", "bb"]);
        t.row(["é"]);
        assert_eq!(t.render(), "a  bb\n-  --\né\n");
    }
}
