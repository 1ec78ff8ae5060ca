//! BIF, the Bayesian network Interchange Format (F. G. Cozman, "The Interchange Format for
//! Bayesian Networks", version 0.15, 1998), as read and written by pgmpy, bnlearn and GeNIe.
//!
//! ```text
//! network asia { }
//! variable smoke { type discrete [ 2 ] { yes, no }; }
//! probability ( lung | smoke ) {
//!   (yes) 0.1, 0.9;
//!   (no) 0.01, 0.99;
//! }
//! ```
//!
//! A `probability` block gives rows `(parent states) values;` with one value per state of the
//! child, or a `table` listing every entry with the child varying slowest and the last parent
//! fastest (the reading pgmpy uses), or `default values;` for the rows not listed. `property`
//! lines and `//` and `/* */` comments are skipped. Names may hold any character except white
//! space and `{}()[];,|"`, or be quoted.
//!
//! Rows that do not sum to 1: published files round their entries, so a row whose sum is within
//! [`engines::prec::ROW_REPAIR`] of 1 is divided by its sum and reported in
//! [`BifNetwork::warnings`] under [`RowSums::Normalise`]; a row further off, or any row off by more
//! than [`engines::prec::PROB_SUM`] under [`RowSums::Reject`], is an error naming the variable and
//! the row.

use std::fmt::Write as _;

use engines::bayes::{BayesNet, Cpt, NetError, Variable};
use engines::prec;

/// A network read from a file, with its name and any repairs made.
#[derive(Debug, Clone)]
pub struct BifNetwork {
    /// The name in the `network` block (`unknown` when absent).
    pub name: String,
    /// The checked network.
    pub net: BayesNet,
    /// One line per repaired row (normalised), naming the variable and the parents' states.
    pub warnings: Vec<String>,
}

/// What to do with a CPT row that does not sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSums {
    /// Divide rows within [`engines::prec::ROW_REPAIR`] of 1 by their sum, with a warning.
    Normalise,
    /// Reject any row off by more than [`engines::prec::PROB_SUM`].
    Reject,
}

/// Why a BIF (or XMLBIF) file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BifError {
    /// The text does not follow the grammar.
    #[error("line {line}: {message}")]
    Syntax {
        /// The 1-based line.
        line: usize,
        /// What was expected.
        message: String,
    },
    /// A name is used but never declared.
    #[error("line {line}: unknown variable `{name}`")]
    UnknownVariable {
        /// The 1-based line.
        line: usize,
        /// The name.
        name: String,
    },
    /// A state name is not a state of its variable.
    #[error("line {line}: `{state}` is not a state of `{variable}`")]
    UnknownState {
        /// The 1-based line.
        line: usize,
        /// The variable.
        variable: String,
        /// The state given.
        state: String,
    },
    /// A variable has no probability block, or two.
    #[error("variable `{variable}` has {blocks} probability blocks, expected 1")]
    Blocks {
        /// The variable.
        variable: String,
        /// How many were found.
        blocks: usize,
    },
    /// A row of a probability block is missing (and there is no `default`).
    #[error("the table of `{variable}` has no row for parents ({row})")]
    MissingRow {
        /// The variable.
        variable: String,
        /// The parents' states.
        row: String,
    },
    /// A row does not sum to 1 (beyond the repair tolerance).
    #[error("the table of `{variable}` has a row for parents ({row}) summing to {sum}, not 1")]
    RowSum {
        /// The variable.
        variable: String,
        /// The parents' states (empty for a root).
        row: String,
        /// The sum.
        sum: f64,
    },
    /// A probability block would fill, from a `default` line, a table far larger than the
    /// values the file gives: more than [`MAX_FILLED_ENTRIES`] entries.
    #[error(
        "the table of `{variable}` has {entries} entries, more than the {limit} a `default` line may fill (list the rows, or split the variable's parents)"
    )]
    TooLarge {
        /// The variable.
        variable: String,
        /// Its table's entries (saturated at `usize::MAX`).
        entries: usize,
        /// [`MAX_FILLED_ENTRIES`].
        limit: usize,
    },
    /// The network fails its checks (a cycle, a bad entry…), named by variable.
    #[error("variable `{variable}`: {source}")]
    Net {
        /// The variable concerned.
        variable: String,
        /// The engine's error.
        source: NetError,
    },
}

/// The most entries a BIF `default` line may fill in one table (2^20). A table the file spells
/// out in full may be larger, as its size is then bounded by the text; this limit keeps a few
/// lines from claiming gigabytes.
pub const MAX_FILLED_ENTRIES: usize = 1 << 20;

/// One token and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    punct: bool,
    line: usize,
}

fn tokenize(text: &str) -> Result<Vec<Token>, BifError> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut line = 1;
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => {
                chars.next();
                let mut prev = ' ';
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if prev == '*' && c == '/' {
                        closed = true;
                        break;
                    }
                    prev = c;
                }
                if !closed {
                    return Err(BifError::Syntax { line, message: "unclosed comment".into() });
                }
            }
            '"' => {
                let start = line;
                let mut s = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        closed = true;
                        break;
                    }
                    if c == '\n' {
                        line += 1;
                    }
                    s.push(c);
                }
                if !closed {
                    return Err(BifError::Syntax { line: start, message: "unclosed quote".into() });
                }
                out.push(Token { text: s, punct: false, line: start });
            }
            '{' | '}' | '(' | ')' | '[' | ']' | ';' | ',' | '|' => {
                out.push(Token { text: c.to_string(), punct: true, line });
            }
            c => {
                let mut s = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_whitespace() || "{}()[];,|\"".contains(d) {
                        break;
                    }
                    s.push(d);
                    chars.next();
                }
                out.push(Token { text: s, punct: false, line });
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn line(&self) -> usize {
        self.tokens.get(self.pos).or(self.tokens.last()).map_or(1, |t| t.line)
    }
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }
    fn err<T>(&self, message: impl Into<String>) -> Result<T, BifError> {
        Err(BifError::Syntax { line: self.line(), message: message.into() })
    }
    fn next(&mut self) -> Result<Token, BifError> {
        match self.tokens.get(self.pos) {
            Some(t) => {
                self.pos += 1;
                Ok(t.clone())
            }
            None => self.err("unexpected end of file"),
        }
    }
    fn is(&self, p: &str) -> bool {
        self.peek().is_some_and(|t| t.punct && t.text == p)
    }
    fn expect(&mut self, p: &str) -> Result<(), BifError> {
        if self.is(p) {
            self.pos += 1;
            Ok(())
        } else {
            let found = self.peek().map_or("end of file".to_string(), |t| format!("`{}`", t.text));
            self.err(format!("expected `{p}`, found {found}"))
        }
    }
    fn word(&mut self) -> Result<String, BifError> {
        let t = self.next()?;
        if t.punct {
            self.pos -= 1;
            return self.err(format!("expected a name, found `{}`", t.text));
        }
        Ok(t.text)
    }
    /// Skips to just after the next `;` at this nesting level.
    fn skip_statement(&mut self) -> Result<(), BifError> {
        while !self.is(";") {
            self.next()?;
        }
        self.pos += 1;
        Ok(())
    }
    /// Names separated by commas (or blanks) up to `close`.
    fn list(&mut self, close: &str) -> Result<Vec<String>, BifError> {
        let mut out = Vec::new();
        while !self.is(close) {
            if self.is(",") {
                self.pos += 1;
                continue;
            }
            out.push(self.word()?);
        }
        self.pos += 1;
        Ok(out)
    }
    fn numbers(&mut self) -> Result<Vec<f64>, BifError> {
        let mut out = Vec::new();
        while !self.is(";") {
            if self.is(",") {
                self.pos += 1;
                continue;
            }
            let w = self.word()?;
            match w.parse::<f64>() {
                Ok(x) => out.push(x),
                Err(_) => return self.err(format!("expected a number, found `{w}`")),
            }
        }
        self.pos += 1;
        Ok(out)
    }
}

struct Block {
    child: usize,
    parents: Vec<usize>,
    line: usize,
    rows: Vec<(Vec<String>, Vec<f64>, usize)>,
    table: Option<Vec<f64>>,
    default: Option<Vec<f64>>,
}

/// Reads a BIF network.
///
/// # Errors
/// A [`BifError`] for a syntax error (with its line), an unknown variable or state, a missing or
/// repeated probability block or row, a row not summing to 1 (see the module documentation), or
/// a network the engine rejects (a cycle, an entry outside [0, 1]).
pub fn read(text: &str, rows: RowSums) -> Result<BifNetwork, BifError> {
    let mut p = Parser { tokens: tokenize(text)?, pos: 0 };
    let mut name = "unknown".to_string();
    let mut variables: Vec<Variable> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    while let Some(t) = p.peek().cloned() {
        match t.text.as_str() {
            "network" if !t.punct => {
                p.pos += 1;
                if !p.is("{") {
                    name = p.word()?;
                }
                p.expect("{")?;
                while !p.is("}") {
                    p.skip_statement()?;
                }
                p.expect("}")?;
            }
            "variable" if !t.punct => {
                p.pos += 1;
                let var = p.word()?;
                p.expect("{")?;
                let mut states = None;
                while !p.is("}") {
                    let kw = p.word()?;
                    if kw == "type" {
                        let kind = p.word()?;
                        if kind != "discrete" {
                            return p.err(format!(
                                "only discrete variables are supported, not `{kind}`"
                            ));
                        }
                        p.expect("[")?;
                        let n = p.word()?;
                        let n: usize = match n.parse() {
                            Ok(n) => n,
                            Err(_) => {
                                return p.err(format!("expected a number of states, found `{n}`"));
                            }
                        };
                        p.expect("]")?;
                        p.expect("{")?;
                        let s = p.list("}")?;
                        if s.len() != n {
                            return p
                                .err(format!("`{var}` declares {n} states but lists {}", s.len()));
                        }
                        states = Some(s);
                        p.expect(";")?;
                    } else {
                        p.skip_statement()?;
                    }
                }
                p.expect("}")?;
                match states {
                    Some(states) => variables.push(Variable { name: var, states }),
                    None => return p.err(format!("variable `{var}` has no `type discrete` line")),
                }
            }
            "probability" if !t.punct => {
                p.pos += 1;
                let line = p.line();
                p.expect("(")?;
                let mut names = Vec::new();
                while !p.is(")") {
                    if p.is(",") || p.is("|") {
                        p.pos += 1;
                        continue;
                    }
                    names.push(p.word()?);
                }
                p.pos += 1;
                let find = |n: &str| variables.iter().position(|v| v.name == n);
                let mut idx = Vec::with_capacity(names.len());
                for n in &names {
                    match find(n) {
                        Some(i) => idx.push(i),
                        None => return Err(BifError::UnknownVariable { line, name: n.clone() }),
                    }
                }
                let Some((&child, parents)) = idx.split_first() else {
                    return p.err("a probability block names no variable");
                };
                let mut block = Block {
                    child,
                    parents: parents.to_vec(),
                    line,
                    rows: Vec::new(),
                    table: None,
                    default: None,
                };
                p.expect("{")?;
                while !p.is("}") {
                    if p.is("(") {
                        let row_line = p.line();
                        p.pos += 1;
                        let states = p.list(")")?;
                        let values = p.numbers()?;
                        block.rows.push((states, values, row_line));
                        continue;
                    }
                    let kw = p.word()?;
                    match kw.as_str() {
                        "table" => block.table = Some(p.numbers()?),
                        "default" => block.default = Some(p.numbers()?),
                        _ => p.skip_statement()?,
                    }
                }
                p.expect("}")?;
                blocks.push(block);
            }
            _ => {
                return p.err(format!(
                    "expected `network`, `variable` or `probability`, found `{}`",
                    t.text
                ));
            }
        }
    }
    build(name, variables, blocks, rows)
}

fn build(
    name: String,
    variables: Vec<Variable>,
    blocks: Vec<Block>,
    rows: RowSums,
) -> Result<BifNetwork, BifError> {
    let n = variables.len();
    let mut count = vec![0usize; n];
    for b in &blocks {
        count[b.child] += 1;
    }
    if let Some(v) = (0..n).find(|&v| count[v] != 1) {
        return Err(BifError::Blocks { variable: variables[v].name.clone(), blocks: count[v] });
    }
    let mut cpts: Vec<Option<Cpt>> = vec![None; n];
    let mut warnings = Vec::new();
    for b in blocks {
        let card = variables[b.child].states.len();
        let pcards: Vec<usize> = b.parents.iter().map(|&q| variables[q].states.len()).collect();
        let child_name = &variables[b.child].name;
        // Check the declared size against the values given before allocating the table.
        let nrows = pcards.iter().try_fold(1usize, |a, &k| a.checked_mul(k));
        let entries = nrows.and_then(|r| r.checked_mul(card));
        let held = b.table.as_ref().map_or(0, Vec::len) + b.rows.len().saturating_mul(card);
        let (Some(nrows), Some(entries)) = (nrows, entries) else {
            return Err(BifError::TooLarge {
                variable: child_name.clone(),
                entries: usize::MAX,
                limit: MAX_FILLED_ENTRIES,
            });
        };
        if entries > held && entries > MAX_FILLED_ENTRIES {
            if b.default.is_none() {
                if let Some(t) = &b.table {
                    return Err(BifError::Syntax {
                        line: b.line,
                        message: format!(
                            "the table of `{child_name}` has {} values where {entries} are expected",
                            t.len()
                        ),
                    });
                }
                return Err(BifError::Syntax {
                    line: b.line,
                    message: format!(
                        "the table of `{child_name}` lists {} rows where {nrows} are expected",
                        b.rows.len()
                    ),
                });
            }
            return Err(BifError::TooLarge {
                variable: child_name.clone(),
                entries,
                limit: MAX_FILLED_ENTRIES,
            });
        }
        let size_err = |line: usize, found: usize, expected: usize| BifError::Syntax {
            line,
            message: format!(
                "the table of `{child_name}` has {found} values where {expected} are expected"
            ),
        };
        let mut table: Vec<Option<f64>> = vec![None; nrows * card];
        if let Some(t) = &b.table {
            if t.len() != nrows * card {
                return Err(size_err(b.line, t.len(), nrows * card));
            }
            // Child slowest, last parent fastest.
            for s in 0..card {
                for r in 0..nrows {
                    table[r * card + s] = Some(t[s * nrows + r]);
                }
            }
        }
        for (states, values, line) in &b.rows {
            if states.len() != b.parents.len() {
                return Err(BifError::Syntax {
                    line: *line,
                    message: format!(
                        "a row of `{child_name}` names {} parent states",
                        states.len()
                    ),
                });
            }
            if values.len() != card {
                return Err(size_err(*line, values.len(), card));
            }
            let mut r = 0;
            for (k, s) in states.iter().enumerate() {
                let pv = &variables[b.parents[k]];
                match pv.states.iter().position(|x| x == s) {
                    Some(i) => r = r * pcards[k] + i,
                    None => {
                        return Err(BifError::UnknownState {
                            line: *line,
                            variable: pv.name.clone(),
                            state: s.clone(),
                        });
                    }
                }
            }
            for (s, &x) in values.iter().enumerate() {
                table[r * card + s] = Some(x);
            }
        }
        let mut full = Vec::with_capacity(nrows * card);
        for r in 0..nrows {
            for s in 0..card {
                match (table[r * card + s], &b.default) {
                    (Some(x), _) => full.push(x),
                    (None, Some(d)) if d.len() == card => full.push(d[s]),
                    (None, Some(d)) => return Err(size_err(b.line, d.len(), card)),
                    (None, None) => {
                        return Err(BifError::MissingRow {
                            variable: child_name.clone(),
                            row: row_label(&variables, &b.parents, r),
                        });
                    }
                }
            }
        }
        repair_rows(&variables, b.child, &b.parents, &mut full, rows, &mut warnings)?;
        cpts[b.child] = Some(Cpt { parents: b.parents, table: full });
    }
    let cpts: Vec<Cpt> = cpts.into_iter().flatten().collect();
    let net = BayesNet::new(variables.clone(), cpts).map_err(|e| net_error(&variables, e))?;
    Ok(BifNetwork { name, net, warnings })
}

/// The parents' states of row `r`, as `a, b`.
pub(crate) fn row_label(variables: &[Variable], parents: &[usize], r: usize) -> String {
    row_states(variables, parents, r).join(", ")
}

/// The parents' states of row `r` (the first parent varying slowest).
pub(crate) fn row_states<'a>(
    variables: &'a [Variable],
    parents: &[usize],
    mut r: usize,
) -> Vec<&'a str> {
    let mut states = vec![""; parents.len()];
    for (k, &q) in parents.iter().enumerate().rev() {
        let c = variables[q].states.len();
        states[k] = &variables[q].states[r % c];
        r /= c;
    }
    states
}

/// Applies the row-sum policy to one table (see the module documentation).
pub(crate) fn repair_rows(
    variables: &[Variable],
    child: usize,
    parents: &[usize],
    table: &mut [f64],
    rows: RowSums,
    warnings: &mut Vec<String>,
) -> Result<(), BifError> {
    let card = variables[child].states.len();
    for (r, row) in table.chunks_mut(card).enumerate() {
        let sum: f64 = row.iter().sum();
        let off = (sum - 1.0).abs();
        if off <= prec::PROB_SUM || !sum.is_finite() {
            continue;
        }
        if rows == RowSums::Normalise && off <= prec::ROW_REPAIR && row.iter().all(|&x| x >= 0.0) {
            row.iter_mut().for_each(|x| *x /= sum);
            let label = row_label(variables, parents, r);
            warnings.push(format!(
                "normalised the row of `{}` for parents ({label}): it summed to {sum}",
                variables[child].name
            ));
        } else {
            return Err(BifError::RowSum {
                variable: variables[child].name.clone(),
                row: row_label(variables, parents, r),
                sum,
            });
        }
    }
    Ok(())
}

/// Names the variable of an engine error.
pub(crate) fn net_error(variables: &[Variable], e: NetError) -> BifError {
    let node = e.node();
    let variable =
        node.and_then(|v| variables.get(v)).map_or_else(|| "?".to_string(), |v| v.name.clone());
    BifError::Net { variable, source: e }
}

/// Quotes a name when it would not read back as one token.
fn name(s: &str) -> String {
    if s.is_empty() || s.chars().any(|c| c.is_whitespace() || "{}()[];,|\"/".contains(c)) {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

/// Writes a network as BIF, with every entry at full precision (Rust's shortest round-trip form),
/// so that reading it back gives the same network.
pub fn write(net_name: &str, net: &BayesNet) -> String {
    let mut out = String::new();
    let vars = net.variables();
    let _ = writeln!(out, "network {} {{\n}}", name(net_name));
    for v in vars {
        let states: Vec<String> = v.states.iter().map(|s| name(s)).collect();
        let _ = writeln!(
            out,
            "variable {} {{\n  type discrete [ {} ] {{ {} }};\n}}",
            name(&v.name),
            v.states.len(),
            states.join(", ")
        );
    }
    for (c, cpt) in net.cpts().iter().enumerate() {
        let card = vars[c].states.len();
        let parents: Vec<String> = cpt.parents.iter().map(|&q| name(&vars[q].name)).collect();
        let nums =
            |row: &[f64]| row.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ");
        if cpt.parents.is_empty() {
            let _ = writeln!(
                out,
                "probability ( {} ) {{\n  table {};\n}}",
                name(&vars[c].name),
                nums(&cpt.table)
            );
            continue;
        }
        let _ =
            writeln!(out, "probability ( {} | {} ) {{", name(&vars[c].name), parents.join(", "));
        for (r, row) in cpt.table.chunks(card).enumerate() {
            let label: Vec<String> =
                row_states(vars, &cpt.parents, r).into_iter().map(name).collect();
            let _ = writeln!(out, "  ({}) {};", label.join(", "), nums(row));
        }
        let _ = writeln!(out, "}}");
    }
    out
}
