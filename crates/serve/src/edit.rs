//! The judged numbers a page can edit, and edits applied to the scenario's TOML document.
//!
//! [`Sheet::of`] lists, for one version of a scenario's text, every judgment the workbench
//! offers for editing, grouped into [`Table`]s the way a page shows them: the network's
//! probability rows (a driver's prior, each row of its conditional probability table), the ACH
//! ratings, each cross-impact matrix, each decision's utilities, each issue's positions and
//! saliences, and each game's payoffs. A [`Judgment`] is one value with one reason (`why`): a
//! whole probability row, a cross-impact matrix, one rating; its [`Cell`]s are the numbers in it.
//!
//! [`Sheet::apply`] writes a set of new cell values and reasons into the document with
//! `toml_edit`: only the edited values and `why` keys change, every comment, blank line, key
//! order and number elsewhere stays byte for byte as it was. A value written bare
//! (`e03 = "C"`) that gains a reason becomes an inline table (`e03 = { value = "C", why = "…" }`),
//! which the loader reads as the same judgment.
//!
//! **The row rule.** A probability row is kept summing to 1 ([`keep_row_summing_to_one`]): the
//! entries the user changed are kept, and the others are scaled in proportion to take up the
//! difference. When the changed entries alone exceed 1, or every entry changed, nothing is
//! rescaled and validation reports the sum, as `statecraft check` would.

use std::fmt::Write as _;

use model::scenario::{Matrix, Scenario};
use toml_edit::{DocumentMut, InlineTable, Item, Table as TomlTable, Value};

/// One step of a path into the document: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key in a table.
    Key(String),
    /// An element of an array (or array of tables).
    Index(usize),
}

/// The path `driver[2].cpt[0]` from its steps.
fn path(segs: &[Seg]) -> String {
    let borrowed: Vec<model::load::Seg<'_>> = segs
        .iter()
        .map(|s| match s {
            Seg::Key(k) => model::load::Seg::Key(k),
            Seg::Index(i) => model::load::Seg::Index(*i),
        })
        .collect();
    model::load::path_string(&borrowed)
}

/// What kind of number a cell holds, and so how a typed value is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A probability, 0 to 1, in a row kept summing to 1.
    Probability,
    /// Any finite number (a utility, a payoff, a position or salience).
    Real,
    /// An integer (a cross impact).
    Integer,
    /// An ACH rating: `CC`, `C`, `N`, `I`, `II` or `NA`.
    Rating,
}

/// The ACH ratings, in the order a page offers them.
pub const RATINGS: [&str; 6] = ["CC", "C", "N", "I", "II", "NA"];

/// Where a judgment's value and reason are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A table (a `[[driver.cpt]]` row, a `[[cross_impact]]`) that holds the value under `key`
    /// and the reason under `why`.
    Field {
        /// The key of the value in the table.
        key: &'static str,
    },
    /// A judged value (`prior`, a rating): written bare, or as `{ value = …, why = "…" }`.
    Judged,
}

/// One value with one reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgment {
    /// What it is, for people: `P(dprk_russia | war = stalemate, us_policy = engagement)`.
    pub label: String,
    /// The path of its table (for [`Place::Field`]) or of the judged value.
    pub at: Vec<Seg>,
    /// How the value and its reason are written.
    pub place: Place,
    /// The reason given now, if any.
    pub why: Option<String>,
    /// Whether the value is a probability row kept summing to 1.
    pub row: bool,
}

impl Judgment {
    /// The key path of the value, as diagnostics write it (`driver[2].cpt[0].p`).
    pub fn value_path(&self) -> String {
        match self.place {
            Place::Field { key } => {
                let mut p = self.at.clone();
                p.push(Seg::Key(key.into()));
                path(&p)
            }
            Place::Judged => path(&self.at),
        }
    }
}

/// One editable number (or rating).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The judgment it belongs to, an index into [`Sheet::judgments`].
    pub judgment: usize,
    /// Where in the judgment's value: empty for a single value, `[k]` for an entry of a row,
    /// `[r, c]` for an entry of a matrix.
    pub index: Vec<usize>,
    /// What kind of value.
    pub kind: Kind,
    /// The value as the document has it, written as a page shows it.
    pub value: String,
}

/// A table as a page shows it: rows of cells under column headings.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Which lens it feeds, for the page's grouping (`bayes`, `ach`, `cib`, `decision`,
    /// `bargain`, `games`).
    pub lens: &'static str,
    /// The table's caption.
    pub title: String,
    /// The column headings (after the row label's).
    pub columns: Vec<String>,
    /// Each row: its label and one cell (an index into [`Sheet::cells`]) per column, `None`
    /// where the scenario gives no value.
    pub rows: Vec<(String, Vec<Option<usize>>)>,
}

/// Every editable judgment of one version of a scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The judgments.
    pub judgments: Vec<Judgment>,
    /// The cells, each in one judgment.
    pub cells: Vec<Cell>,
    /// The cells laid out as tables.
    pub tables: Vec<Table>,
}

/// A number as a page shows it and as it is compared: the shortest text that reads back the
/// same `f64`.
fn num(x: f64) -> String {
    format!("{x}")
}

impl Sheet {
    /// The editable judgments of a scenario, read from the loaded scenario (its shapes are
    /// checked) and from its document (for what the typed scenario does not keep, such as
    /// the place of a reason).
    pub fn of(s: &Scenario, doc: &DocumentMut) -> Sheet {
        let mut sheet = Sheet::default();
        sheet.network(s);
        sheet.ach(s);
        sheet.cross_impacts(s, doc);
        sheet.utilities(s);
        sheet.stances(s);
        sheet.payoffs(s);
        sheet
    }

    fn judgment(&mut self, label: String, at: Vec<Seg>, place: Place, why: Option<&str>) -> usize {
        let row = false;
        self.judgments.push(Judgment { label, at, place, why: why.map(str::to_owned), row });
        self.judgments.len() - 1
    }

    fn cell(&mut self, judgment: usize, index: Vec<usize>, kind: Kind, value: String) -> usize {
        self.cells.push(Cell { judgment, index, kind, value });
        self.cells.len() - 1
    }

    /// A probability row: one judgment, one cell per state.
    fn prob_row(
        &mut self,
        label: String,
        at: Vec<Seg>,
        place: Place,
        why: Option<&str>,
        p: &[f64],
    ) -> Vec<Option<usize>> {
        let j = self.judgment(label, at, place, why);
        self.judgments[j].row = true;
        p.iter()
            .enumerate()
            .map(|(k, x)| Some(self.cell(j, vec![k], Kind::Probability, num(*x))))
            .collect()
    }

    fn network(&mut self, s: &Scenario) {
        use Seg::{Index, Key};
        for (i, d) in s.drivers.iter().enumerate() {
            let columns =
                if d.labels.len() == d.states.len() { d.labels.clone() } else { d.states.clone() };
            let mut rows = Vec::new();
            if let Some(prior) = &d.prior {
                let at = vec![Key("driver".into()), Index(i), Key("prior".into())];
                let label = format!("P({})", d.id);
                let cells =
                    self.prob_row(label, at, Place::Judged, prior.why.as_deref(), &prior.value);
                rows.push(("prior".to_string(), cells));
            }
            for (r, row) in d.cpt.iter().enumerate() {
                let when: Vec<String> = d
                    .parents
                    .iter()
                    .filter_map(|p| row.when.get(p).map(|v| format!("{p} = {v}")))
                    .collect();
                let when = when.join(", ");
                let at = vec![Key("driver".into()), Index(i), Key("cpt".into()), Index(r)];
                let label = format!("P({} | {when})", d.id);
                let cells =
                    self.prob_row(label, at, Place::Field { key: "p" }, row.why.as_deref(), &row.p);
                rows.push((when, cells));
            }
            if !rows.is_empty() {
                let title = format!("{} ({})", d.name, d.id);
                self.tables.push(Table { lens: "bayes", title, columns, rows });
            }
        }
    }

    fn ach(&mut self, s: &Scenario) {
        use Seg::{Index, Key};
        if s.hypotheses.is_empty() {
            return;
        }
        let columns = s.hypotheses.iter().map(|h| h.id.clone()).collect();
        let mut rows = Vec::new();
        for e in &s.evidence {
            let mut cells = Vec::new();
            for (h, hyp) in s.hypotheses.iter().enumerate() {
                cells.push(hyp.ratings.get(&e.id).map(|r| {
                    let at = vec![
                        Key("hypothesis".into()),
                        Index(h),
                        Key("ratings".into()),
                        Key(e.id.clone()),
                    ];
                    let label = format!("rating of {} under {}", e.id, hyp.id);
                    let j = self.judgment(label, at, Place::Judged, r.why.as_deref());
                    let value = format!("{:?}", r.value);
                    self.cell(j, Vec::new(), Kind::Rating, value)
                }));
            }
            rows.push((e.id.clone(), cells));
        }
        self.tables.push(Table {
            lens: "ach",
            title: "Ratings of the evidence under each hypothesis".into(),
            columns,
            rows,
        });
    }

    fn cross_impacts(&mut self, s: &Scenario, doc: &DocumentMut) {
        use Seg::{Index, Key};
        for (k, ci) in s.cross_impacts.iter().enumerate() {
            // A matrix kept in a CSV file beside the scenario is not edited here: only the
            // TOML document is written back.
            // The loader replaces a file's path with its rows, so the document says which.
            let at = vec![Key("cross_impact".into()), Index(k)];
            let mut impacts = at.clone();
            impacts.push(Key("impacts".into()));
            let inline = find(doc, &impacts).is_some_and(|v| v.is_array());
            if matches!(ci.impacts, Matrix::File(_)) || !inline {
                continue;
            }
            let (Some(from), Some(to)) = (driver(s, &ci.from), driver(s, &ci.to)) else { continue };
            let label = format!("impact of {} on {}", ci.from, ci.to);
            let j = self.judgment(label, at, Place::Field { key: "impacts" }, ci.why.as_deref());
            let mut rows = Vec::new();
            for (r, row) in ci.impacts.rows().iter().enumerate() {
                let cells = row
                    .iter()
                    .enumerate()
                    .map(|(c, x)| Some(self.cell(j, vec![r, c], Kind::Integer, x.to_string())))
                    .collect();
                rows.push((
                    format!("{} = {}", ci.from, from.states.get(r).cloned().unwrap_or_default()),
                    cells,
                ));
            }
            let columns = to.states.iter().map(|st| format!("{} = {st}", ci.to)).collect();
            self.tables.push(Table {
                lens: "cib",
                title: format!("How {} acts on {}", ci.from, ci.to),
                columns,
                rows,
            });
        }
    }

    fn utilities(&mut self, s: &Scenario) {
        use Seg::{Index, Key};
        for (d, dec) in s.decisions.iter().enumerate() {
            // One table per driver the utilities depend on: rows are options, columns states.
            let mut drivers: Vec<&str> = Vec::new();
            for u in &dec.utilities {
                if !drivers.contains(&u.driver.as_str()) {
                    drivers.push(&u.driver);
                }
            }
            for drv in drivers {
                let Some(states) = driver(s, drv).map(|x| x.states.clone()) else { continue };
                let mut rows = Vec::new();
                for (t, u) in dec.utilities.iter().enumerate().filter(|(_, u)| u.driver == drv) {
                    let at =
                        vec![Key("decision".into()), Index(d), Key("utility".into()), Index(t)];
                    let option = u.option.as_deref().unwrap_or("every option");
                    let label = format!("utility of {option} by {}", u.driver);
                    let j =
                        self.judgment(label, at, Place::Field { key: "values" }, u.why.as_deref());
                    let cells = u
                        .values
                        .iter()
                        .enumerate()
                        .map(|(k, x)| Some(self.cell(j, vec![k], Kind::Real, num(*x))))
                        .collect();
                    rows.push((option.to_string(), cells));
                }
                let columns = states.iter().map(|st| format!("{drv} = {st}")).collect();
                let title = format!("Utilities of {} ({}) by {drv}", dec.name, dec.id);
                self.tables.push(Table { lens: "decision", title, columns, rows });
            }
        }
    }

    fn stances(&mut self, s: &Scenario) {
        use Seg::{Index, Key};
        for (i, issue) in s.issues.iter().enumerate() {
            let mut rows = Vec::new();
            for (k, st) in issue.stances.iter().enumerate() {
                let at = vec![Key("issue".into()), Index(i), Key("stance".into()), Index(k)];
                let mut cells = Vec::new();
                for (key, x) in [("position", st.position), ("salience", st.salience)] {
                    let label = format!("{key} of {} on {}", st.actor, issue.id);
                    let j =
                        self.judgment(label, at.clone(), Place::Field { key }, st.why.as_deref());
                    cells.push(Some(self.cell(j, Vec::new(), Kind::Real, num(x))));
                }
                rows.push((st.actor.clone(), cells));
            }
            let title = format!("Positions and saliences on {} ({})", issue.name, issue.id);
            self.tables.push(Table {
                lens: "bargain",
                title,
                columns: vec!["position".into(), "salience".into()],
                rows,
            });
        }
    }

    fn payoffs(&mut self, s: &Scenario) {
        use Seg::{Index, Key};
        for (g, game) in s.games.iter().enumerate() {
            let mut rows = Vec::new();
            for (p, pay) in game.payoffs.iter().enumerate() {
                let at = vec![Key("game".into()), Index(g), Key("payoff".into()), Index(p)];
                let label = format!("payoffs of ({}) in {}", pay.profile.join(", "), game.id);
                let j =
                    self.judgment(label, at, Place::Field { key: "values" }, pay.why.as_deref());
                let cells = pay
                    .values
                    .iter()
                    .enumerate()
                    .map(|(k, x)| Some(self.cell(j, vec![k], Kind::Real, num(*x))))
                    .collect();
                rows.push((pay.profile.join(", "), cells));
            }
            let title = format!("Payoffs of {} ({})", game.name, game.id);
            self.tables.push(Table { lens: "games", title, columns: game.players.clone(), rows });
        }
    }
}

fn driver<'a>(s: &'a Scenario, id: &str) -> Option<&'a model::scenario::Driver> {
    s.drivers.iter().find(|d| d.id == id)
}

/// A place in the document that can hold a value: an entry of a table, a standard table (an
/// element of an array of tables), or a value inside an inline table or an array.
enum Slot<'a> {
    Item(&'a mut Item),
    Table(&'a mut TomlTable),
    Value(&'a mut Value),
}

/// One step down from `slot`.
fn step<'a>(slot: Slot<'a>, seg: &Seg) -> Option<Slot<'a>> {
    match (slot, seg) {
        (Slot::Item(Item::Table(t)) | Slot::Table(t), Seg::Key(k)) => t.get_mut(k).map(Slot::Item),
        (Slot::Item(Item::Value(v)) | Slot::Value(v), Seg::Key(k)) => {
            v.as_inline_table_mut()?.get_mut(k).map(Slot::Value)
        }
        (Slot::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => a.get_mut(*i).map(Slot::Table),
        (Slot::Item(Item::Value(v)) | Slot::Value(v), Seg::Index(i)) => {
            v.as_array_mut()?.get_mut(*i).map(Slot::Value)
        }
        _ => None,
    }
}

/// The slot at `segs`.
fn slot<'a>(doc: &'a mut DocumentMut, segs: &[Seg]) -> Option<Slot<'a>> {
    segs.iter().try_fold(Slot::Table(doc.as_table_mut()), step)
}

/// The value at `segs` (read only), when it is a value rather than a table.
fn find(doc: &DocumentMut, segs: &[Seg]) -> Option<Value> {
    // Reading goes through a clone so that one walker serves both reads and writes; only the
    // scenario's document is walked, once per page.
    let mut copy = doc.clone();
    match slot(&mut copy, segs)? {
        Slot::Item(Item::Value(v)) | Slot::Value(v) => Some(v.clone()),
        _ => None,
    }
}

/// Replaces the value in `slot` by `new`, keeping the spaces and comments around it.
fn put(slot: Slot<'_>, new: Value) -> bool {
    let old = match slot {
        Slot::Item(Item::Value(v)) | Slot::Value(v) => v,
        _ => return false,
    };
    let decor = old.decor().clone();
    *old = new;
    *old.decor_mut() = decor;
    true
}

/// Sets the key `key` of the table or inline table in `slot` to the string `text`, keeping the
/// place and decoration of an existing entry.
fn put_key(slot: Slot<'_>, key: &str, text: &str) -> bool {
    match slot {
        Slot::Item(Item::Table(t)) | Slot::Table(t) => match t.get_mut(key) {
            Some(item) => put(Slot::Item(item), Value::from(text)),
            None => {
                t.insert(key, toml_edit::value(text));
                true
            }
        },
        Slot::Item(Item::Value(v)) | Slot::Value(v) => {
            let Some(t) = v.as_inline_table_mut() else { return false };
            match t.get_mut(key) {
                Some(old) => put(Slot::Value(old), Value::from(text)),
                None => {
                    t.insert(key, Value::from(text));
                    true
                }
            }
        }
        _ => false,
    }
}

/// Whether the judged value in `slot` is written as a table (`{ value = …, why = … }`).
fn is_wrapped(slot: &Slot<'_>) -> bool {
    match slot {
        Slot::Item(Item::Table(_)) | Slot::Table(_) => true,
        Slot::Item(Item::Value(v)) => v.is_inline_table(),
        Slot::Value(v) => v.is_inline_table(),
        Slot::Item(_) => false,
    }
}

/// A cell's value as typed, checked for its kind.
#[derive(Debug, Clone, PartialEq)]
enum Typed {
    Number(f64),
    Integer(i64),
    Rating(String),
}

impl Typed {
    /// Reads `text` as a value of `kind`, or says what is wrong with it.
    fn parse(kind: Kind, text: &str) -> Result<Typed, String> {
        let t = text.trim();
        match kind {
            Kind::Probability | Kind::Real => match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Typed::Number(x)),
                _ => Err(format!("`{t}` is not a number")),
            },
            Kind::Integer => t
                .parse::<i64>()
                .map(Typed::Integer)
                .map_err(|_| format!("`{t}` is not a whole number")),
            Kind::Rating => match RATINGS.iter().find(|r| **r == t) {
                Some(r) => Ok(Typed::Rating((*r).to_string())),
                None => Err(format!("`{t}` is not a rating (one of {})", RATINGS.join(", "))),
            },
        }
    }

    /// As the document writes it, integral numbers as integers where the document had one.
    fn toml(&self, was_integer: bool) -> Value {
        match self {
            Typed::Number(x) if was_integer && x.fract() == 0.0 && x.abs() < 9.0e15 => {
                // A whole number below 2^53 converts exactly.
                #[allow(clippy::cast_possible_truncation)]
                Value::from(*x as i64)
            }
            Typed::Number(x) => Value::from(*x),
            Typed::Integer(i) => Value::from(*i),
            Typed::Rating(r) => Value::from(r.as_str()),
        }
    }
}

/// Rescales the entries of a probability row that did not change so that the row sums to 1,
/// keeping those that did: the module's row rule. `base` holds the values before the edit,
/// `new` after it. Rescaled entries are rounded to 4 decimals, and the largest of them takes
/// up the rounding, so that the row sums to 1 within `engines::prec::PROB_SUM`. Returns whether
/// it rescaled anything.
pub fn keep_row_summing_to_one(base: &[f64], new: &mut [f64]) -> bool {
    let changed: Vec<bool> = base.iter().zip(new.iter()).map(|(b, n)| b != n).collect();
    let sum: f64 = new.iter().sum();
    if !changed.iter().any(|c| *c) || (sum - 1.0).abs() <= engines::prec::PROB_SUM {
        return false;
    }
    let kept: f64 = new.iter().zip(&changed).filter(|(_, c)| **c).map(|(x, _)| x).sum();
    let others: f64 = base.iter().zip(&changed).filter(|(_, c)| !**c).map(|(x, _)| x).sum();
    let target = 1.0 - kept;
    let free: Vec<usize> = (0..new.len()).filter(|k| !changed[*k]).collect();
    if free.is_empty() || target < 0.0 || new.iter().any(|x| *x < 0.0) {
        return false;
    }
    for &k in &free {
        let share = if others > 0.0 { base[k] / others } else { 1.0 / free.len() as f64 };
        new[k] = round_to(target * share, 1e4);
    }
    // The largest rescaled entry takes up what rounding left over.
    let Some(&big) = free.iter().max_by(|a, b| new[**a].total_cmp(&new[**b])) else { return true };
    let rest: f64 = (0..new.len()).filter(|k| *k != big).map(|k| new[k]).sum();
    new[big] = round_to((1.0 - rest).max(0.0), 1e12);
    true
}

/// `x` rounded to a multiple of `1 / scale`.
fn round_to(x: f64, scale: f64) -> f64 {
    (x * scale).round() / scale
}

/// What the page posted: one text per cell, and a reason per judgment when saving.
#[derive(Debug, Clone, Default)]
pub struct Posted {
    /// The new text of each cell, in [`Sheet::cells`]' order (`None` keeps the value).
    pub values: Vec<Option<String>>,
    /// The reason for each judgment, in [`Sheet::judgments`]' order (`None` or empty: none
    /// given).
    pub whys: Vec<Option<String>>,
}

/// The document with the posted values applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The new text of the scenario.
    pub text: String,
    /// The judgments whose value changed, in order.
    pub changed: Vec<usize>,
    /// Each cell's text as the page should now show it (after the row rule; what was posted
    /// when it could not be read).
    pub values: Vec<String>,
    /// The cells whose text could not be read, with why.
    pub problems: Vec<(usize, String)>,
    /// The judgments whose row the row rule rescaled.
    pub rescaled: Vec<usize>,
}

/// Why an edit could not be applied to the document at all.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The text is not TOML (it loaded before, so this is a file changed under us).
    #[error("the scenario is not valid TOML: {0}")]
    Syntax(#[from] toml_edit::TomlError),
    /// A judgment's place was not found in the document.
    #[error("`{0}` is not where the scenario's judgments say it is")]
    Missing(String),
}

impl Sheet {
    /// Applies `posted` to `text` (the version this sheet was made from). With `save`, each
    /// changed judgment's reason is written into its `why`.
    ///
    /// # Errors
    /// When `text` is not TOML or a judgment is not found in it, which means `text` is not
    /// the version this sheet was made from.
    pub fn apply(&self, text: &str, posted: &Posted, save: bool) -> Result<Applied, EditError> {
        let mut doc: DocumentMut = text.parse()?;
        let mut problems = Vec::new();
        let mut shown = Vec::with_capacity(self.cells.len());
        let mut typed = Vec::with_capacity(self.cells.len());
        let mut base = Vec::with_capacity(self.cells.len());
        for (k, cell) in self.cells.iter().enumerate() {
            let before = Typed::parse(cell.kind, &cell.value)
                .map_err(|_| EditError::Missing(self.judgments[cell.judgment].value_path()))?;
            let posted = posted.values.get(k).cloned().flatten();
            let now = match posted.as_deref().map(|t| Typed::parse(cell.kind, t)) {
                None => before.clone(),
                Some(Ok(v)) => v,
                Some(Err(why)) => {
                    problems.push((k, why));
                    before.clone()
                }
            };
            shown.push(posted.unwrap_or_else(|| cell.value.clone()));
            base.push(before);
            typed.push(now);
        }
        // The row rule, judgment by judgment.
        let mut rescaled = Vec::new();
        for (j, judgment) in self.judgments.iter().enumerate() {
            let cells: Vec<usize> =
                (0..self.cells.len()).filter(|k| self.cells[*k].judgment == j).collect();
            if !judgment.row || cells.iter().any(|k| problems.iter().any(|(p, _)| p == k)) {
                continue;
            }
            let number = |t: &Typed| if let Typed::Number(x) = t { *x } else { f64::NAN };
            let b: Vec<f64> = cells.iter().map(|k| number(&base[*k])).collect();
            let mut n: Vec<f64> = cells.iter().map(|k| number(&typed[*k])).collect();
            if keep_row_summing_to_one(&b, &mut n) {
                rescaled.push(j);
                for (k, x) in cells.iter().zip(n) {
                    typed[*k] = Typed::Number(x);
                    shown[*k] = num(x);
                }
            }
        }
        let mut changed = Vec::new();
        for (k, cell) in self.cells.iter().enumerate() {
            if typed[k] == base[k] {
                continue;
            }
            let judgment = &self.judgments[cell.judgment];
            if changed.last() != Some(&cell.judgment) && !changed.contains(&cell.judgment) {
                changed.push(cell.judgment);
            }
            let missing = || EditError::Missing(judgment.value_path());
            let mut at = judgment.at.clone();
            match judgment.place {
                Place::Field { key } => at.push(Seg::Key(key.into())),
                Place::Judged => {
                    if is_wrapped(&slot(&mut doc, &at).ok_or_else(missing)?) {
                        at.push(Seg::Key("value".into()));
                    }
                }
            }
            at.extend(cell.index.iter().map(|i| Seg::Index(*i)));
            let target = slot(&mut doc, &at).ok_or_else(missing)?;
            let was_integer = matches!(
                &target,
                Slot::Item(Item::Value(Value::Integer(_))) | Slot::Value(Value::Integer(_))
            );
            if !put(target, typed[k].toml(was_integer)) {
                return Err(missing());
            }
        }
        changed.sort_unstable();
        if save {
            for &j in &changed {
                let why = posted.whys.get(j).cloned().flatten().unwrap_or_default();
                let why = why.trim();
                if why.is_empty() {
                    continue;
                }
                let judgment = &self.judgments[j];
                let missing = || EditError::Missing(judgment.value_path());
                let target = slot(&mut doc, &judgment.at).ok_or_else(missing)?;
                let done = match judgment.place {
                    Place::Field { .. } => put_key(target, "why", why),
                    Place::Judged if is_wrapped(&target) => put_key(target, "why", why),
                    Place::Judged => wrap(target, why),
                };
                if !done {
                    return Err(missing());
                }
            }
        }
        let mut text_out = String::new();
        let _ = write!(text_out, "{doc}");
        Ok(Applied { text: text_out, changed, values: shown, problems, rescaled })
    }
}

/// Turns a bare judged value into `{ value = …, why = "…" }`, in place.
fn wrap(slot: Slot<'_>, why: &str) -> bool {
    let v = match slot {
        Slot::Item(Item::Value(v)) | Slot::Value(v) => v,
        _ => return false,
    };
    let decor = v.decor().clone();
    let mut bare = v.clone();
    bare.decor_mut().clear();
    let mut t = InlineTable::new();
    t.insert("value", bare);
    t.insert("why", Value::from(why));
    t.fmt();
    *v = Value::InlineTable(t);
    *v.decor_mut() = decor;
    true
}

#[cfg(test)]
mod tests;
