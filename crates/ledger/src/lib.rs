//! The forecast ledger: every probability statecraft issued, what happened, and how well the
//! forecasts scored, kept in an embedded SQLite database (no server).
//!
//! Brief overview: [`Ledger::open`] opens (or creates) a ledger file, migrating an older schema
//! ([`schema`]) and refusing a newer one or a database that is not a ledger. [`Ledger::record`]
//! writes the forecasts of one analysis ([`analysis::forecasts::issue`]), idempotently;
//! [`Ledger::resolve`] writes resolutions after checking them against the scenario and the
//! forecasts already recorded; [`Ledger::score`] reads everything back and scores it with
//! [`analysis::forecasts::score`], per scenario and across the whole ledger.
//!
//! This module is the only place that speaks SQL. Every write is one transaction, begun
//! `IMMEDIATE` so that two writers queue on the busy timeout instead of failing on a lock
//! upgrade; the journal is in WAL mode, so readers never block the writer, and a process
//! killed mid-write leaves the last committed state. docs/ledger.md documents the schema, the
//! default path and the scoring rules.

#![deny(missing_docs)]

pub mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use analysis::forecasts::{self, Forecast, Issued, Kind, Resolved, Scored, Summary};
use engines::score::ScoreError;
use model::scenario::{Date, Scenario};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The ledger's file name in its default folder.
pub const FILE_NAME: &str = "ledger.sqlite";

/// Why the ledger could not be read or written. Nothing is written when an error is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// SQLite failed (the file cannot be opened, is locked for longer than the busy timeout,
    /// is corrupt, or the disk is full).
    #[error("ledger {path}: {source}")]
    Sqlite {
        /// The ledger file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The ledger was written by a newer statecraft, with a schema this one does not know.
    #[error(
        "ledger {path} has schema version {found}, newer than this statecraft knows ({known}): upgrade statecraft to read it"
    )]
    NewerSchema {
        /// The ledger file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// The file is an SQLite database but not a ledger.
    #[error("{path} is an SQLite database but not a statecraft ledger (application id {found:#x})")]
    NotALedger {
        /// The file.
        path: PathBuf,
        /// Its application id.
        found: i64,
    },
    /// A resolution does not fit the scenario.
    #[error(transparent)]
    Resolution(#[from] forecasts::ResolutionError),
    /// A resolution is dated before a forecast of its question was made.
    #[error(
        "`{question}` is resolved on {date}, before the forecast of `{forecast}` made as of {as_of}"
    )]
    BeforeForecast {
        /// The question resolved.
        question: String,
        /// The resolution's date.
        date: Date,
        /// The forecast's question.
        forecast: String,
        /// Its as-of date.
        as_of: Date,
    },
    /// A value read back from the ledger is not what the schema promises (edited by hand?).
    #[error("ledger {path}: {what}")]
    Corrupt {
        /// The ledger file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// A forecast or outcome cannot be scored.
    #[error("cannot score: {0}")]
    Score(#[from] ScoreError),
    /// The folder of the ledger cannot be created.
    #[error("cannot create the folder of ledger {path}: {source}")]
    Folder {
        /// The ledger file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The default ledger file: `$XDG_DATA_HOME/statecraft/ledger.sqlite`, else
/// `$HOME/.local/share/statecraft/ledger.sqlite` (the XDG Base Directory default), else
/// `%APPDATA%\statecraft\ledger.sqlite`; `None` when none of these is set. One ledger per user,
/// shared by every scenario and folder, is what lets `statecraft score` judge a forecaster's
/// whole record; the data folder is where the XDG specification puts such user data (atuin
/// keeps its shell history there the same way). `STATECRAFT_LEDGER` and `--ledger` override it.
pub fn default_path(env: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let nonempty = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = nonempty("STATECRAFT_LEDGER") {
        return Some(p);
    }
    let data = nonempty("XDG_DATA_HOME")
        .or_else(|| nonempty("HOME").map(|h| h.join(".local").join("share")))
        .or_else(|| nonempty("APPDATA"))?;
    Some(data.join("statecraft").join(FILE_NAME))
}

/// An open ledger.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// What [`Ledger::record`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// Forecasts written.
    pub added: usize,
    /// Forecasts already in the ledger (same scenario hash, as-of date, question and tool
    /// version), left as they were.
    pub already: usize,
}

/// Where a resolution came from, as the ledger records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The scenario file's `[[resolution]]`.
    Scenario,
    /// Given on the command line (or by a program).
    Given,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Scenario => "scenario",
            Origin::Given => "given",
        }
    }
}

/// One forecast as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// The scenario's id.
    pub scenario: String,
    /// The SHA-256 of its source text.
    pub scenario_hash: String,
    /// The date it was issued as of.
    pub as_of: Date,
    /// The tool version that issued it.
    pub tool_version: String,
    /// When it was recorded (UTC, ISO 8601).
    pub recorded_at: String,
    /// The forecast.
    pub forecast: Forecast,
}

/// One resolution as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolutionRecord {
    /// The scenario's id.
    pub scenario: String,
    /// The resolution.
    pub resolved: Resolved,
    /// `scenario`, `given`, or `unknown` (recorded by schema version 1).
    pub origin: String,
}

/// The scores of one scenario's forecasts in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioScores {
    /// The scenario's id.
    pub scenario: String,
    /// Each scored forecast, by as-of date then in issue order.
    pub scored: Vec<Scored>,
    /// Forecasts not resolved yet, as `question @ as_of`.
    pub unresolved: Vec<String>,
    /// The scores pooled.
    pub summary: Summary,
}

/// The scores of a ledger: each scenario's, then all pooled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerScores {
    /// Per scenario, by id.
    pub scenarios: Vec<ScenarioScores>,
    /// Every scored forecast of every scenario, pooled.
    pub overall: Summary,
}

/// Puts `conn` in WAL mode: readers do not block the writer, and a commit is one append to the
/// log. Switching takes the file's exclusive lock from under a shared one, so when another
/// process holds a lock (two processes opening one new ledger at once) SQLite answers "database
/// is locked" at once instead of waiting on the busy timeout, which could deadlock there; the
/// switch is tried again until [`BUSY_TIMEOUT`] has passed.
fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = Instant::now();
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            done => return done,
        }
    }
}

impl Ledger {
    /// Opens the ledger at `path`, creating it (and its folder) if missing, migrating an older
    /// schema to [`schema::VERSION`] in one transaction.
    ///
    /// # Errors
    /// [`LedgerError::NewerSchema`] for a ledger from a newer statecraft;
    /// [`LedgerError::NotALedger`] for another SQLite database; [`LedgerError::Sqlite`] when
    /// SQLite fails; [`LedgerError::Folder`] when the folder cannot be made.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| LedgerError::Folder { path: path.to_path_buf(), source })?;
        }
        let sql = |source| LedgerError::Sqlite { path: path.to_path_buf(), source };
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        use_wal(&conn).map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        let mut ledger = Ledger { conn, path: path.to_path_buf() };
        ledger.migrate()?;
        Ok(ledger)
    }

    /// The ledger's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> LedgerError + '_ {
        move |source| LedgerError::Sqlite { path: self.path.clone(), source }
    }

    /// The schema version of the open ledger.
    ///
    /// # Errors
    /// [`LedgerError::Sqlite`].
    pub fn version(&self) -> Result<i64, LedgerError> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(self.sql())
    }

    fn migrate(&mut self) -> Result<(), LedgerError> {
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite { path: path.clone(), source };
        // The version is read again inside the write transaction, so two processes opening a
        // new ledger at once migrate it once.
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        let version: i64 =
            tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sql)?;
        let app: i64 = tx.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(sql)?;
        if version > schema::VERSION {
            return Err(LedgerError::NewerSchema { path, found: version, known: schema::VERSION });
        }
        if version == 0 {
            let tables: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(sql)?;
            if tables > 0 || app != 0 {
                return Err(LedgerError::NotALedger { path, found: app });
            }
        } else if app != i64::from(schema::APPLICATION_ID) {
            return Err(LedgerError::NotALedger { path, found: app });
        }
        if version == schema::VERSION {
            return Ok(());
        }
        for (from, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration).map_err(sql)?;
            tx.pragma_update(None, "user_version", from as i64 + 1).map_err(sql)?;
        }
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Records every forecast of one analysis, in one transaction. A forecast already recorded
    /// (same scenario hash, as-of date, question and tool version) is left as it was.
    ///
    /// # Errors
    /// [`LedgerError::Sqlite`]; nothing is written then.
    pub fn record(&mut self, issued: &Issued) -> Result<Recorded, LedgerError> {
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite { path: path.clone(), source };
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        let mut out = Recorded { added: 0, already: 0 };
        {
            let mut forecast = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO forecast (scenario, scenario_hash, as_of, tool_version,
                     question, kind, driver, state, decision, option)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(sql)?;
            let mut probability = tx
                .prepare_cached(
                    "INSERT INTO probability (forecast_id, position, category, probability)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sql)?;
            let as_of = issued.as_of.to_string();
            for f in &issued.forecasts {
                let (decision, option) = f.condition.clone().unzip();
                let n = forecast
                    .execute(params![
                        issued.scenario,
                        issued.scenario_hash,
                        as_of,
                        issued.tool_version,
                        f.question,
                        f.kind.name(),
                        f.driver,
                        f.state,
                        decision,
                        option,
                    ])
                    .map_err(sql)?;
                if n == 0 {
                    out.already += 1;
                    continue;
                }
                out.added += 1;
                let id = tx.last_insert_rowid();
                for (k, (c, p)) in f.categories.iter().zip(&f.probabilities).enumerate() {
                    probability.execute(params![id, k as i64, c, p]).map_err(sql)?;
                }
            }
        }
        tx.commit().map_err(sql)?;
        Ok(out)
    }

    /// Records resolutions of the scenario's questions, all or none, in one transaction. Each
    /// is checked first ([`forecasts::check`]: a question, state and soft weights the scenario
    /// has) and against the forecasts of its question already recorded (its date on or after
    /// their as-of date). A question already resolved is resolved again with the new outcome.
    ///
    /// # Errors
    /// [`LedgerError::Resolution`] or [`LedgerError::BeforeForecast`] for the first resolution
    /// that does not fit; [`LedgerError::Sqlite`]. Nothing is written then.
    pub fn resolve(
        &mut self,
        scenario: &Scenario,
        resolutions: &[Resolved],
        origin: Origin,
    ) -> Result<usize, LedgerError> {
        for r in resolutions {
            forecasts::check(scenario, r)?;
        }
        let path = self.path.clone();
        let sql = |source| LedgerError::Sqlite { path: path.clone(), source };
        let id = &scenario.scenario.id;
        let tx =
            self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        {
            let mut latest = tx
                .prepare_cached(
                    "SELECT question, as_of FROM forecast
                     WHERE scenario = ?1 AND (driver = ?2 OR decision = ?2)
                     ORDER BY as_of DESC LIMIT 1",
                )
                .map_err(sql)?;
            for r in resolutions {
                let found: Option<(String, String)> = latest
                    .query_row(params![id, r.question], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
                    .map_err(sql)?;
                if let Some((forecast, as_of)) = found {
                    let as_of = parse_date(&path, &as_of)?;
                    if r.date < as_of {
                        return Err(LedgerError::BeforeForecast {
                            question: r.question.clone(),
                            date: r.date,
                            forecast,
                            as_of,
                        });
                    }
                }
            }
            let mut resolution = tx
                .prepare_cached(
                    "INSERT INTO resolution (scenario, question, state, date, origin)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (scenario, question) DO UPDATE SET
                       state = excluded.state, date = excluded.date, origin = excluded.origin,
                       recorded_at = excluded.recorded_at
                     RETURNING id",
                )
                .map_err(sql)?;
            let mut clear = tx
                .prepare_cached("DELETE FROM resolution_weight WHERE resolution_id = ?1")
                .map_err(sql)?;
            let mut weight = tx
                .prepare_cached(
                    "INSERT INTO resolution_weight (resolution_id, state, weight) VALUES (?1, ?2, ?3)",
                )
                .map_err(sql)?;
            for r in resolutions {
                let rid: i64 = resolution
                    .query_row(
                        params![id, r.question, r.state, r.date.to_string(), origin.name()],
                        |row| row.get(0),
                    )
                    .map_err(sql)?;
                clear.execute([rid]).map_err(sql)?;
                for (state, w) in &r.soft {
                    weight.execute(params![rid, state, w]).map_err(sql)?;
                }
            }
        }
        tx.commit().map_err(sql)?;
        Ok(resolutions.len())
    }

    /// Every forecast in the ledger (of one scenario, when given), by scenario, as-of date and
    /// the order they were recorded in.
    ///
    /// # Errors
    /// [`LedgerError::Sqlite`], or [`LedgerError::Corrupt`] for a value the schema forbids.
    pub fn forecasts(&self, scenario: Option<&str>) -> Result<Vec<Record>, LedgerError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT f.id, f.scenario, f.scenario_hash, f.as_of, f.tool_version, f.recorded_at,
                        f.question, f.kind, f.driver, f.state, f.decision, f.option,
                        p.category, p.probability
                 FROM forecast f JOIN probability p ON p.forecast_id = f.id
                 WHERE ?1 IS NULL OR f.scenario = ?1
                 ORDER BY f.scenario, f.as_of, f.id, p.position",
            )
            .map_err(&sql)?;
        let mut rows = stmt.query([scenario]).map_err(&sql)?;
        let mut out: Vec<Record> = Vec::new();
        let mut last_id = None;
        while let Some(row) = rows.next().map_err(&sql)? {
            let id: i64 = row.get(0).map_err(&sql)?;
            if last_id != Some(id) {
                last_id = Some(id);
                let kind: String = row.get(7).map_err(&sql)?;
                let kind = Kind::from_name(&kind)
                    .ok_or_else(|| self.corrupt(format!("forecast {id} has kind `{kind}`")))?;
                let decision: Option<String> = row.get(10).map_err(&sql)?;
                let option: Option<String> = row.get(11).map_err(&sql)?;
                out.push(Record {
                    scenario: row.get(1).map_err(&sql)?,
                    scenario_hash: row.get(2).map_err(&sql)?,
                    as_of: parse_date(&self.path, &row.get::<_, String>(3).map_err(&sql)?)?,
                    tool_version: row.get(4).map_err(&sql)?,
                    recorded_at: row.get(5).map_err(&sql)?,
                    forecast: Forecast {
                        question: row.get(6).map_err(&sql)?,
                        kind,
                        categories: Vec::new(),
                        probabilities: Vec::new(),
                        driver: row.get(8).map_err(&sql)?,
                        state: row.get(9).map_err(&sql)?,
                        condition: decision.zip(option),
                    },
                });
            }
            let f = &mut out.last_mut().expect("pushed above").forecast;
            f.categories.push(row.get(12).map_err(&sql)?);
            f.probabilities.push(row.get(13).map_err(&sql)?);
        }
        Ok(out)
    }

    /// Every resolution in the ledger (of one scenario, when given), by scenario and question.
    ///
    /// # Errors
    /// [`LedgerError::Sqlite`], or [`LedgerError::Corrupt`] for a date the schema forbids.
    pub fn resolutions(
        &self,
        scenario: Option<&str>,
    ) -> Result<Vec<ResolutionRecord>, LedgerError> {
        let sql = self.sql();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.scenario, r.question, r.state, r.date, r.origin, w.state, w.weight
                 FROM resolution r LEFT JOIN resolution_weight w ON w.resolution_id = r.id
                 WHERE ?1 IS NULL OR r.scenario = ?1
                 ORDER BY r.scenario, r.question, w.state",
            )
            .map_err(&sql)?;
        let mut rows = stmt.query([scenario]).map_err(&sql)?;
        let mut out: Vec<ResolutionRecord> = Vec::new();
        let mut last_id = None;
        while let Some(row) = rows.next().map_err(&sql)? {
            let id: i64 = row.get(0).map_err(&sql)?;
            if last_id != Some(id) {
                last_id = Some(id);
                out.push(ResolutionRecord {
                    scenario: row.get(1).map_err(&sql)?,
                    resolved: Resolved {
                        question: row.get(2).map_err(&sql)?,
                        state: row.get(3).map_err(&sql)?,
                        date: parse_date(&self.path, &row.get::<_, String>(4).map_err(&sql)?)?,
                        soft: BTreeMap::new(),
                    },
                    origin: row.get(5).map_err(&sql)?,
                });
            }
            let state: Option<String> = row.get(6).map_err(&sql)?;
            if let Some(state) = state {
                let w: f64 = row.get(7).map_err(&sql)?;
                out.last_mut().expect("pushed above").resolved.soft.insert(state, w);
            }
        }
        Ok(out)
    }

    /// Scores the ledger's forecasts (of one scenario, when given) against its resolutions:
    /// per scenario, then pooled across them all.
    ///
    /// # Errors
    /// Those of [`Ledger::forecasts`] and [`Ledger::resolutions`]; [`LedgerError::Score`] for a
    /// forecast whose probabilities are not a distribution (edited by hand).
    pub fn score(&self, scenario: Option<&str>) -> Result<LedgerScores, LedgerError> {
        let records = self.forecasts(scenario)?;
        let resolutions = self.resolutions(scenario)?;
        score_records(records, &resolutions)
    }

    fn corrupt(&self, what: String) -> LedgerError {
        LedgerError::Corrupt { path: self.path.clone(), what }
    }
}

/// Scores forecast records against resolution records, as [`Ledger::score`] does, without a
/// database: each scenario's forecasts, one issue (hash, as-of date, tool version) at a time,
/// against that scenario's resolutions; then all pooled. Takes the records by value: each
/// forecast moves into its score.
///
/// # Errors
/// [`LedgerError::Score`] for a forecast whose probabilities are not a distribution.
pub fn score_records(
    records: Vec<Record>,
    resolutions: &[ResolutionRecord],
) -> Result<LedgerScores, LedgerError> {
    let mut issues: BTreeMap<String, BTreeMap<IssueKey, Vec<Forecast>>> = BTreeMap::new();
    for r in records {
        issues
            .entry(r.scenario)
            .or_default()
            .entry((r.as_of, r.scenario_hash, r.tool_version))
            .or_default()
            .push(r.forecast);
    }
    let mut scenarios = Vec::new();
    for (scenario, by_issue) in issues {
        let resolved: Vec<Resolved> = resolutions
            .iter()
            .filter(|r| r.scenario == scenario)
            .map(|r| r.resolved.clone())
            .collect();
        let mut scored = Vec::new();
        let mut unresolved = Vec::new();
        for ((as_of, _, _), forecasts) in by_issue {
            let (s, u) = forecasts::score_each(forecasts, as_of, &resolved)?;
            unresolved.extend(u.into_iter().map(|q| format!("{q} @ {as_of}")));
            scored.extend(s);
        }
        let summary = forecasts::summarise(&scored)?;
        scenarios.push(ScenarioScores { scenario, scored, unresolved, summary });
    }
    let overall = forecasts::summarise(scenarios.iter().flat_map(|s| &s.scored))?;
    Ok(LedgerScores { scenarios, overall })
}

/// One issue of a scenario's forecasts: its as-of date, scenario hash and tool version.
type IssueKey = (Date, String, String);

fn parse_date(path: &Path, text: &str) -> Result<Date, LedgerError> {
    Date::parse(text).ok_or_else(|| LedgerError::Corrupt {
        path: path.to_path_buf(),
        what: format!("`{text}` is not a date"),
    })
}

#[cfg(test)]
mod tests;
