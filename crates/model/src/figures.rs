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

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario with the quantities `a` in [2, 3], `n` in [−2, −1] and `z` in [−1, 1], and
    /// the derived figures `twice` = 2a and `later`, declared after it.
    fn scenario() -> Scenario {
        let quantity = |id: &str, low: f64, high: f64| {
            format!(
                "[[quantity]]\nid = \"{id}\"\nname = \"{id}\"\nunit = \"u\"\nlow = {low:?}\n\
                 high = {high:?}\nsource = \"s\"\n\n"
            )
        };
        let text = format!(
            "[scenario]\nformat = 1\nid = \"f\"\ntitle = \"t\"\nquestion = \"q\"\n\
             as_of = \"2024-10-31\"\n\n[[source]]\nid = \"s\"\ntitle = \"t\"\nkind = \"op-ed\"\n\
             reliability = \"medium\"\n\n{}{}{}\
             [[derived]]\nid = \"twice\"\nname = \"t\"\nunit = \"u\"\nformula = \"2 * a\"\n\n\
             [[derived]]\nid = \"later\"\nname = \"l\"\nunit = \"u\"\nformula = \"twice + 1\"\n",
            quantity("a", 2.0, 3.0),
            quantity("n", -2.0, -1.0),
            quantity("z", -1.0, 1.0),
        );
        match crate::load::load_bytes("f.toml", text.as_bytes(), None) {
            Ok(loaded) => loaded.scenario,
            Err(d) => panic!("the test scenario does not load: {d:?}"),
        }
    }

    fn range(formula: &str, index: usize) -> (f64, f64) {
        let r = evaluate(&scenario(), formula, index).unwrap();
        (r.low, r.high)
    }

    fn error(formula: &str) -> String {
        evaluate(&scenario(), formula, 0).unwrap_err()
    }

    #[test]
    fn intervals_by_hand() {
        assert_eq!(range("a * n", 0), (-6.0, -2.0));
        // 1/n is [−1, −0.5]; the four products with a are −2, −1, −3 and −1.5.
        assert_eq!(range("a / n", 0), (-3.0, -1.0));
        assert_eq!(range("a / a", 0), (2.0 / 3.0, 1.5));
        // Each occurrence varies on its own, so a − a is not 0.
        assert_eq!(range("a - a", 0), (-1.0, 1.0));
        assert_eq!(range("-a + z", 0), (-4.0, -1.0));
        assert_eq!(range("2 + 3 * 4", 0), (14.0, 14.0));
        assert_eq!(range("(2 + 3) * 4 - 1_000", 0), (-980.0, -980.0));
    }

    #[test]
    fn division_by_a_range_holding_zero_is_refused() {
        assert!(error("a / z").contains("contains 0"));
        assert!(error("a / 0").contains("contains 0"));
        assert!(error("a / (n + 1)").contains("contains 0"));
    }

    #[test]
    fn derived_figures_only_from_those_declared_before() {
        assert_eq!(range("twice", 1), (4.0, 6.0));
        assert_eq!(range("later", 2), (5.0, 7.0));
        let e = evaluate(&scenario(), "later", 1).unwrap_err();
        assert!(e.contains("`later` is neither"), "{e}");
        let f = compute(&scenario());
        assert_eq!(f.len(), 2);
        assert_eq!((f[1].low, f[1].high), (5.0, 7.0));
        assert_eq!(f[1].inputs, ["twice"]);
    }

    #[test]
    fn malformed_formulas_say_what_is_wrong() {
        assert!(error("(2").contains("not closed"));
        assert!(error("2 )").contains("unexpected `)`"));
        assert!(error("2 +").contains("ends too early"));
        assert!(error("2 # 3").contains("unexpected character `#`"));
        assert!(error("1.2.3").contains("is not a number"));
        assert!(error("b").contains("`b` is neither"));
    }
}
