//! Derived figures: formulas over the scenario's quantities, evaluated over their ranges.
//!
//! A formula is `+ - * /`, parentheses, numbers and the ids of quantities (or of derived figures
//! declared before it). Every quantity is a range `[low, high]`, so a formula is evaluated by
//! interval arithmetic (Moore 1966, *Interval Analysis*, ch. 2): the result is the smallest range
//! that holds every value the formula takes when each quantity varies over its range
//! independently. Division by a range that contains 0 is an error.

use crate::scenario::Scenario;

/// A closed range of real numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// The lower end.
    pub low: f64,
    /// The upper end.
    pub high: f64,
}

/// A derived figure with its computed range and the quantities it rests on.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Figure {
    /// The derived figure's id.
    pub id: String,
    /// What it measures.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// The formula, as written.
    pub formula: String,
    /// The lowest value.
    pub low: f64,
    /// The highest value.
    pub high: f64,
    /// The ids of the quantities and derived figures the formula names.
    pub inputs: Vec<String>,
}

/// Evaluates every derived figure of a validated scenario.
pub fn compute(s: &Scenario) -> Vec<Figure> {
    s.derived
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let r = evaluate(s, &d.formula, i).ok()?;
            Some(Figure {
                id: d.id.clone(),
                name: d.name.clone(),
                unit: d.unit.clone(),
                formula: d.formula.clone(),
                low: r.low,
                high: r.high,
                inputs: identifiers(&d.formula),
            })
        })
        .collect()
}

/// The ids a formula names, in order of first appearance.
fn identifiers(formula: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tok in tokens(formula).unwrap_or_default() {
        if let Token::Id(id) = tok {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// Evaluates the formula of derived figure number `index` (which may use quantities and the
/// derived figures before it).
///
/// # Errors
/// A message when the formula does not parse, names an unknown id, or divides by a range that
/// contains zero.
pub fn evaluate(s: &Scenario, formula: &str, index: usize) -> Result<Range, String> {
    let toks = tokens(formula)?;
    let mut p = Parser { toks: &toks, pos: 0, s, index };
    let r = p.sum()?;
    if p.pos != toks.len() {
        return Err(format!("unexpected `{}`", toks[p.pos]));
    }
    Ok(r)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Id(String),
    Op(char),
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Token::Num(n) => write!(f, "{n}"),
            Token::Id(s) => f.write_str(s),
            Token::Op(c) => write!(f, "{c}"),
        }
    }
}

fn tokens(s: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if "+-*/()".contains(c) {
            out.push(Token::Op(c));
            chars.next();
        } else if c.is_ascii_digit() || c == '.' {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() || d == '.' || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let text = s[i..end].replace('_', "");
            out.push(Token::Num(
                text.parse().map_err(|_| format!("`{}` is not a number", &s[i..end]))?,
            ));
        } else if c.is_ascii_alphabetic() {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_alphanumeric() || d == '_' || d == '-' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token::Id(s[i..end].to_owned()));
        } else {
            return Err(format!("unexpected character `{c}`"));
        }
    }
    Ok(out)
}

struct Parser<'t, 's> {
    toks: &'t [Token],
    pos: usize,
    s: &'s Scenario,
    index: usize,
}

impl Parser<'_, '_> {
    fn sum(&mut self) -> Result<Range, String> {
        let mut acc = self.product()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.toks.get(self.pos) {
            self.pos += 1;
            let r = self.product()?;
            acc = if *op == '+' {
                Range { low: acc.low + r.low, high: acc.high + r.high }
            } else {
                Range { low: acc.low - r.high, high: acc.high - r.low }
            };
        }
        Ok(acc)
    }

    fn product(&mut self) -> Result<Range, String> {
        let mut acc = self.atom()?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.toks.get(self.pos) {
            self.pos += 1;
            let r = self.atom()?;
            let r = if *op == '*' {
                r
            } else if r.low <= 0.0 && r.high >= 0.0 {
                return Err("division by a range that contains 0".into());
            } else {
                Range { low: 1.0 / r.high, high: 1.0 / r.low }
            };
            let c = [acc.low * r.low, acc.low * r.high, acc.high * r.low, acc.high * r.high];
            acc = Range {
                low: c.iter().copied().fold(f64::INFINITY, f64::min),
                high: c.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            };
        }
        Ok(acc)
    }

    fn atom(&mut self) -> Result<Range, String> {
        let tok = self.toks.get(self.pos).ok_or("the formula ends too early")?.clone();
        self.pos += 1;
        match tok {
            Token::Num(n) => Ok(Range { low: n, high: n }),
            Token::Op('-') => {
                let r = self.atom()?;
                Ok(Range { low: -r.high, high: -r.low })
            }
            Token::Op('(') => {
                let r = self.sum()?;
                match self.toks.get(self.pos) {
                    Some(Token::Op(')')) => {
                        self.pos += 1;
                        Ok(r)
                    }
                    _ => Err("a `(` is not closed".into()),
                }
            }
            Token::Id(id) => {
                if let Some(q) = self.s.quantities.iter().find(|q| q.id == id) {
                    return Ok(Range { low: q.low, high: q.high });
                }
                if let Some(k) = self.s.derived[..self.index.min(self.s.derived.len())]
                    .iter()
                    .position(|d| d.id == id)
                {
                    return evaluate(self.s, &self.s.derived[k].formula, k);
                }
                Err(format!(
                    "`{id}` is neither a quantity nor a derived figure declared before this one"
                ))
            }
            Token::Op(c) => Err(format!("unexpected `{c}`")),
        }
    }
}
