//! The ledger's schema: numbered migrations, embedded, applied in order inside one transaction
//! each, the version kept in SQLite's `PRAGMA user_version` and the file marked as a ledger by
//! `PRAGMA application_id`. docs/ledger.md documents every table for users' own SQL.
//!
//! A migration is never edited once released: a change to the schema is a new migration.

/// `PRAGMA application_id` of a ledger: the bytes `SCLG` ("statecraft ledger"), so that
/// `file(1)` and this crate can tell a ledger from any other SQLite database.
pub const APPLICATION_ID: i32 = 0x5343_4C47;

/// The migrations, in order: `MIGRATIONS[i]` takes a ledger from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // Version 1: forecasts with their probabilities, resolutions with their weights.
    r"
CREATE TABLE forecast (
    id            INTEGER PRIMARY KEY,
    scenario      TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    tool_version  TEXT NOT NULL,
    question      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('headline', 'driver', 'option')),
    driver        TEXT NOT NULL,
    state         TEXT,
    decision      TEXT,
    option        TEXT,
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (scenario_hash, as_of, question, tool_version)
);
CREATE TABLE probability (
    forecast_id INTEGER NOT NULL REFERENCES forecast (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    category    TEXT NOT NULL,
    probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
    PRIMARY KEY (forecast_id, position)
);
CREATE TABLE resolution (
    id          INTEGER PRIMARY KEY,
    scenario    TEXT NOT NULL,
    question    TEXT NOT NULL,
    state       TEXT NOT NULL,
    date        TEXT NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (scenario, question)
);
CREATE TABLE resolution_weight (
    resolution_id INTEGER NOT NULL REFERENCES resolution (id) ON DELETE CASCADE,
    state         TEXT NOT NULL,
    weight        REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
    PRIMARY KEY (resolution_id, state)
);
",
    // Version 2: where each resolution came from (the scenario file, or the command line),
    // and an index for scoring one scenario of a large ledger. Resolutions recorded by
    // version 1 did not say; they read `unknown`.
    r"
ALTER TABLE resolution ADD COLUMN origin TEXT NOT NULL DEFAULT 'unknown';
CREATE INDEX forecast_by_scenario ON forecast (scenario, as_of);
",
];

/// The schema version this build writes and reads.
pub const VERSION: i64 = MIGRATIONS.len() as i64;
