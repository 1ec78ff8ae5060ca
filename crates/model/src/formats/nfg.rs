//! Gambit's strategic-form game file, `.nfg` (version 1), read into an [`engines::games::Game`]
//! and written back, in both of its forms:
//!
//! - payoff form: after the header, one payoff per player for every profile, the first player's
//!   strategy changing fastest;
//! - outcome form: a list of outcomes `{ "name" payoff, payoff, … }`, then one outcome number per
//!   profile (`0` is the null outcome, paying everyone zero).
//!
//! The header is `NFG 1 R "title" { "player" … }` followed either by the strategy counts
//! `{ 3 2 }` or by the strategy names `{ { "a" "b" } { "c" "d" } }`, then an optional comment
//! string. Payoffs may be integers, decimals (`1.25`, `2e-3`), or rationals (`1/3`); all are read
//! exactly. Reference: the Gambit documentation, "Game representation formats: the strategic
//! game (.nfg) file format, version 1" (Gambit 16, gambit.sourceforge.net/gambit16).
//!
//! ```
//! let text = r#"NFG 1 R "Matching pennies" { "1" "2" } { 2 2 }
//! 1 -1 -1 1 -1 1 1 -1"#;
//! let game = model::formats::nfg::read(text).unwrap();
//! assert_eq!(game.shape(), vec![2, 2]);
//! let back = model::formats::nfg::read(&model::formats::nfg::write(&game)).unwrap();
//! assert_eq!(back, game);
//! ```

use std::fmt::Write as _;

use engines::games::{BigRational, Game, GameError};
use num_bigint::BigInt;
use num_traits::Zero;

/// Why an `.nfg` text could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NfgError {
    /// A token other than the one the format requires.
    #[error("line {line}: expected {expected}, found {found}")]
    Expected {
        /// 1-based line.
        line: usize,
        /// What the format requires here.
        expected: &'static str,
        /// What was there (`end of file` at the end).
        found: String,
    },
    /// A number that is not an integer, decimal or rational.
    #[error(
        "line {line}: `{text}` is not a number (write an integer, a decimal or a rational like 1/3)"
    )]
    BadNumber {
        /// 1-based line.
        line: usize,
        /// The text.
        text: String,
    },
    /// A string that is not closed.
    #[error("line {line}: unterminated string")]
    Unterminated {
        /// 1-based line where it starts.
        line: usize,
    },
    /// An outcome has a different number of payoffs than there are players.
    #[error("line {line}: outcome {outcome} has {found} payoffs for {expected} players")]
    OutcomePayoffs {
        /// 1-based line.
        line: usize,
        /// The outcome (1-based, as in the file).
        outcome: usize,
        /// The number of players.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A profile refers to an outcome that does not exist.
    #[error(
        "line {line}: profile {profile} uses outcome {outcome}, but there are {outcomes} outcomes"
    )]
    UnknownOutcome {
        /// 1-based line.
        line: usize,
        /// The profile's index (first player fastest).
        profile: usize,
        /// The outcome number.
        outcome: usize,
        /// The number of outcomes.
        outcomes: usize,
    },
    /// The wrong number of payoffs or outcome numbers for the game's profiles.
    #[error("{found} {what} for a game with {expected}")]
    Count {
        /// "payoffs" or "outcome numbers".
        what: &'static str,
        /// How many the game needs.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// The numbers read do not make a valid game.
    #[error("{0}")]
    Game(#[from] GameError),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Str(String),
    Word(String),
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, NfgError> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() || c == ',' => {}
            '{' => out.push((Tok::Open, line)),
            '}' => out.push((Tok::Close, line)),
            '"' => {
                let start = line;
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err(NfgError::Unterminated { line: start }),
                        Some('\\') => {
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        Some('"') => break,
                        Some(ch) => {
                            if ch == '\n' {
                                line += 1;
                            }
                            s.push(ch);
                        }
                    }
                }
                out.push((Tok::Str(s), start));
            }
            c => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || n == ',' || n == '{' || n == '}' || n == '"' {
                        break;
                    }
                    w.push(n);
                    chars.next();
                }
                out.push((Tok::Word(w), line));
            }
        }
    }
    Ok(out)
}

struct Cursor {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Cursor {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn line(&self) -> usize {
        self.toks.get(self.pos).or_else(|| self.toks.last()).map_or(1, |t| t.1)
    }
    fn found(&self) -> String {
        match self.peek() {
            None => "end of file".into(),
            Some(Tok::Open) => "`{`".into(),
            Some(Tok::Close) => "`}`".into(),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(Tok::Word(w)) => format!("`{w}`"),
        }
    }
    fn err(&self, expected: &'static str) -> NfgError {
        NfgError::Expected { line: self.line(), expected, found: self.found() }
    }
    fn open(&mut self) -> Result<(), NfgError> {
        match self.peek() {
            Some(Tok::Open) => {
                self.pos += 1;
                Ok(())
            }
            _ => Err(self.err("`{`")),
        }
    }
    fn close(&mut self) -> bool {
        if self.peek() == Some(&Tok::Close) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn string(&mut self, what: &'static str) -> Result<String, NfgError> {
        match self.peek() {
            Some(Tok::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.err(what)),
        }
    }
    fn word(&mut self, what: &'static str) -> Result<String, NfgError> {
        match self.peek() {
            Some(Tok::Word(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.err(what)),
        }
    }
    fn number(&mut self) -> Result<BigRational, NfgError> {
        let line = self.line();
        let w = self.word("a number")?;
        parse_number(&w).ok_or(NfgError::BadNumber { line, text: w })
    }
}

/// Parses an integer, a decimal with optional exponent, or a rational `p/q`, exactly.
pub fn parse_number(w: &str) -> Option<BigRational> {
    if let Some((p, q)) = w.split_once('/') {
        let p: BigInt = p.parse().ok()?;
        let q: BigInt = q.parse().ok()?;
        if q.is_zero() {
            return None;
        }
        return Some(BigRational::new(p, q));
    }
    let (mant, exp) = match w.find(['e', 'E']) {
        Some(i) => (&w[..i], w[i + 1..].parse::<i32>().ok()?),
        None => (w, 0),
    };
    let (neg, digits) = match mant.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, mant.strip_prefix('+').unwrap_or(mant)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) || exp.abs() > 1000 {
        return None;
    }
    let all: BigInt = format!("{int}{frac}").parse().ok()?;
    let scale = exp - i32::try_from(frac.len()).ok()?;
    let ten = BigInt::from(10);
    let mut q = BigRational::from_integer(all);
    let factor = BigRational::from_integer(num_traits::pow(ten, scale.unsigned_abs() as usize));
    if scale >= 0 {
        q *= factor;
    } else {
        q /= factor;
    }
    Some(if neg { -q } else { q })
}

/// Reads a Gambit `.nfg` file (payoff or outcome form).
///
/// # Errors
/// [`NfgError`] naming the line of the first problem; a valid file describing an invalid game
/// (a player with no strategy, too many profiles) gives [`NfgError::Game`].
pub fn read(text: &str) -> Result<Game, NfgError> {
    let mut c = Cursor { toks: lex(text)?, pos: 0 };
    if c.word("`NFG`")? != "NFG" {
        c.pos -= 1;
        return Err(c.err("`NFG`"));
    }
    if c.word("version `1`")? != "1" {
        c.pos -= 1;
        return Err(c.err("version `1`"));
    }
    let kind = c.word("`R` or `D`")?;
    if kind != "R" && kind != "D" {
        c.pos -= 1;
        return Err(c.err("`R` or `D`"));
    }
    let title = c.string("the title string")?;
    c.open()?;
    let mut players = Vec::new();
    while !c.close() {
        players.push(c.string("a player name or `}`")?);
    }
    c.open()?;
    // A strategy count is kept as a number until the payoffs are read: a header may declare
    // billions of strategies, and naming them before checking the file holds that much data
    // would allocate what the text cannot justify.
    let mut strategies: Vec<Vec<String>> = Vec::new();
    let mut counts: Vec<Option<usize>> = Vec::new();
    while !c.close() {
        match c.peek() {
            Some(Tok::Open) => {
                c.pos += 1;
                let mut names = Vec::new();
                while !c.close() {
                    names.push(c.string("a strategy name or `}`")?);
                }
                strategies.push(names);
                counts.push(None);
            }
            Some(Tok::Word(_)) => {
                let line = c.line();
                let w = c.word("a strategy count")?;
                let k: usize = w.parse().map_err(|_| NfgError::BadNumber { line, text: w })?;
                // A placeholder of the right emptiness, for the game's own checks below.
                strategies.push(if k == 0 { Vec::new() } else { vec![String::new()] });
                counts.push(Some(k));
            }
            _ => return Err(c.err("a strategy count, `{` or `}`")),
        }
    }
    // An optional comment.
    if let Some(Tok::Str(_)) = c.peek() {
        c.pos += 1;
    }
    let n = players.len();
    let sizes = strategies.iter().zip(&counts).map(|(s, k)| k.unwrap_or(s.len()));
    let profiles = sizes.clone().try_fold(1usize, usize::checked_mul).unwrap_or(usize::MAX);
    if strategies.len() != n || n == 0 || sizes.clone().any(|k| k == 0) {
        // Let the game's own checks name the problem.
        Game::new(players.clone(), strategies.clone(), Vec::new())?;
    }
    if profiles > engines::games::MAX_PROFILES {
        return Err(GameError::TooLarge { profiles, limit: engines::games::MAX_PROFILES }.into());
    }
    let payoffs: Vec<Vec<BigRational>> = if c.peek() == Some(&Tok::Open) {
        c.pos += 1;
        let mut outcomes: Vec<Vec<BigRational>> = Vec::new();
        while !c.close() {
            let line = c.line();
            c.open()?;
            c.string("the outcome's name")?;
            let mut v = Vec::new();
            while !c.close() {
                v.push(c.number()?);
            }
            if v.len() != n {
                return Err(NfgError::OutcomePayoffs {
                    line,
                    outcome: outcomes.len() + 1,
                    expected: n,
                    found: v.len(),
                });
            }
            outcomes.push(v);
        }
        let mut out = Vec::with_capacity(profiles.min(c.toks.len() - c.pos));
        while c.peek().is_some() {
            let line = c.line();
            let w = c.word("an outcome number")?;
            let k: usize = w.parse().map_err(|_| NfgError::BadNumber { line, text: w })?;
            if k > outcomes.len() {
                return Err(NfgError::UnknownOutcome {
                    line,
                    profile: out.len(),
                    outcome: k,
                    outcomes: outcomes.len(),
                });
            }
            out.push(if k == 0 { vec![BigRational::zero(); n] } else { outcomes[k - 1].clone() });
        }
        if out.len() != profiles {
            return Err(NfgError::Count {
                what: "outcome numbers",
                expected: profiles,
                found: out.len(),
            });
        }
        out
    } else {
        let mut flat = Vec::new();
        while c.peek().is_some() {
            flat.push(c.number()?);
        }
        if flat.len() != profiles * n {
            return Err(NfgError::Count {
                what: "payoffs",
                expected: profiles * n,
                found: flat.len(),
            });
        }
        flat.chunks(n).map(<[BigRational]>::to_vec).collect()
    };
    // The data matched the declared counts, so naming the strategies costs no more than it.
    for (names, k) in strategies.iter_mut().zip(counts) {
        if let Some(k) = k {
            *names = (1..=k).map(|i| i.to_string()).collect();
        }
    }
    Ok(Game::new(players, strategies, payoffs)?.with_title(title))
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn header(game: &Game, out: &mut String) {
    let _ = write!(out, "NFG 1 R {} {{", quote(game.title()));
    for p in game.players() {
        let _ = write!(out, " {}", quote(p));
    }
    out.push_str(" }\n{");
    for s in game.strategies() {
        out.push_str(" {");
        for name in s {
            let _ = write!(out, " {}", quote(name));
        }
        out.push_str(" }");
    }
    out.push_str(" }\n\"\"\n\n");
}

/// Writes a game as a Gambit `.nfg` file in payoff form, with strategy names and exact payoffs
/// (rationals as `p/q`).
pub fn write(game: &Game) -> String {
    let mut out = String::new();
    header(game, &mut out);
    let n = game.num_players();
    for k in 0..game.num_profiles() {
        let cells: Vec<String> = (0..n).map(|p| game.payoff(p, k).to_string()).collect();
        out.push_str(&cells.join(" "));
        out.push('\n');
    }
    out
}

/// Writes a game as a Gambit `.nfg` file in outcome form: one outcome per distinct payoff
/// vector (in order of first use; an all-zero vector is the null outcome `0`), then the outcome
/// of each profile.
pub fn write_outcomes(game: &Game) -> String {
    let mut out = String::new();
    header(game, &mut out);
    let n = game.num_players();
    let mut outcomes: Vec<Vec<BigRational>> = Vec::new();
    let mut index = Vec::with_capacity(game.num_profiles());
    for k in 0..game.num_profiles() {
        let v: Vec<BigRational> = (0..n).map(|p| game.payoff(p, k).clone()).collect();
        if v.iter().all(Zero::is_zero) {
            index.push(0);
            continue;
        }
        let pos = outcomes.iter().position(|o| *o == v).unwrap_or_else(|| {
            outcomes.push(v);
            outcomes.len() - 1
        });
        index.push(pos + 1);
    }
    out.push_str("{\n");
    for (i, o) in outcomes.iter().enumerate() {
        let cells: Vec<String> = o.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "{{ \"{}\" {} }}", i + 1, cells.join(", "));
    }
    out.push_str("}\n");
    let idx: Vec<String> = index.iter().map(ToString::to_string).collect();
    out.push_str(&idx.join(" "));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
