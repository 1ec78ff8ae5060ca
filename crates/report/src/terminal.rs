//! Text reports made fit for a terminal: prose lines wrapped to its width and section headings
//! in bold. Tables are left as they are, since a wrapped row no longer lines up; the pager or
//! the terminal's own scrolling shows their right-hand side.

/// What the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// Whether to use ANSI bold for headings (off when `NO_COLOR` is set or output is piped).
    pub colour: bool,
    /// The width in columns to wrap prose to, or `None` not to wrap.
    pub width: Option<usize>,
}

/// The narrowest width prose is wrapped to: below it, wrapping makes text harder to read.
const MIN_WIDTH: usize = 40;

/// `text` with every prose line longer than the terminal wrapped at spaces (continuation lines
/// indented under the text of a `- ` bullet) and every `== Heading ==` line in bold.
///
/// A line counts as prose when, after its indentation, it has no run of two spaces: table rows
/// and aligned columns do, and are kept whole.
///
/// ```
/// use report::terminal::{Terminal, style};
/// let t = Terminal { colour: false, width: Some(40) };
/// let text = "- a reason that is long enough to need a second line on a narrow screen\n";
/// assert_eq!(
///     style(text, &t),
///     "- a reason that is long enough to need a\n  second line on a narrow screen\n"
/// );
/// ```
pub fn style(text: &str, terminal: &Terminal) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if terminal.colour && is_heading(body) {
            out.push_str("\x1b[1m");
            out.push_str(body);
            out.push_str("\x1b[0m");
        } else {
            match terminal.width.map(|w| w.max(MIN_WIDTH)) {
                Some(width) if is_prose(body) && body.chars().count() > width => {
                    wrap(body, width, &mut out)
                }
                _ => out.push_str(body),
            }
        }
        out.push_str(newline);
    }
    out
}

/// A section heading of the text reports: `== The answer ==`.
fn is_heading(line: &str) -> bool {
    line.len() > 6 && line.starts_with("== ") && line.ends_with(" ==")
}

/// A line of running text rather than a table row or aligned columns.
fn is_prose(line: &str) -> bool {
    !line.trim_start().contains("  ")
}

/// Appends `line` wrapped at spaces to `width` columns, without the final newline. A word longer
/// than the width stays whole on its own line.
fn wrap(line: &str, width: usize, out: &mut String) {
    let text = line.trim_start();
    let indent = &line[..line.len() - text.len()];
    let hanging = if text.starts_with("- ") { 2 } else { 0 };
    let continuation = indent.chars().count() + hanging;
    let mut column = 0;
    out.push_str(indent);
    column += indent.chars().count();
    let mut first_on_line = true;
    for word in text.split(' ') {
        let len = word.chars().count();
        if !first_on_line && column + 1 + len > width {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', continuation));
            column = continuation;
            first_on_line = true;
        }
        if !first_on_line {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
        first_on_line = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, colour: bool, width: Option<usize>, expected: &str) {
        assert_eq!(style(text, &Terminal { colour, width }), expected, "{text:?}");
    }

    #[test]
    fn plain_pipe_is_unchanged() {
        let text =
            "== Answer ==\na line that is far longer than forty columns, without a doubt at all\n";
        check(text, false, None, text);
    }

    #[test]
    fn headings_are_bold_with_colour_only() {
        check("== Answer ==\n", true, None, "\x1b[1m== Answer ==\x1b[0m\n");
        check("== Answer ==\n", false, None, "== Answer ==\n");
        check("==\n", true, None, "==\n");
    }

    #[test]
    fn prose_wraps_at_spaces() {
        check(
            "one two three four five six seven eight nine ten eleven twelve",
            false,
            Some(40),
            "one two three four five six seven eight\nnine ten eleven twelve",
        );
    }

    #[test]
    fn bullets_hang_and_indentation_is_kept() {
        check(
            "  - alpha beta gamma delta epsilon zeta eta theta iota kappa\n",
            false,
            Some(40),
            "  - alpha beta gamma delta epsilon zeta\n    eta theta iota kappa\n",
        );
    }

    #[test]
    fn table_rows_are_never_wrapped() {
        let row =
            "seoul     status_quo_nato            -38.68  best and a long tail of words here\n";
        check(row, false, Some(40), row);
    }

    #[test]
    fn a_word_longer_than_the_width_stays_whole() {
        let long = "x".repeat(50);
        check(&format!("a {long} b"), false, Some(40), &format!("a\n{long}\nb"));
    }

    #[test]
    fn narrow_terminals_wrap_at_the_minimum_width() {
        let text = "one two three four five six seven eight nine ten";
        check(text, false, Some(10), "one two three four five six seven eight\nnine ten");
    }

    #[test]
    fn wrapping_keeps_every_word_in_order() {
        let text = "Unlikely (20–45 %): the model gives “The Ukraine war becomes a Korean war” a 25 % chance, if South Korea takes its best option.";
        let out = style(text, &Terminal { colour: false, width: Some(44) });
        assert!(out.lines().all(|l| l.chars().count() <= 44), "{out}");
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }
}
