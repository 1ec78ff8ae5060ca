//! Tests of the ledger: idempotent recording, resolutions refused with nothing written,
//! migration from version 1, refusal of a newer or foreign database, two processes writing at
//! once, and a writer killed mid-write.
//!
//! The process tests run this test binary again as the writer (`LEDGER_WRITER` set in its
//! environment), as cargo's own tests re-run their binary.

use std::process::{Command, Stdio};

use analysis::forecasts::{Forecast, Issued, Kind, Resolved, issue};
use engines::prec;

use super::*;

fn korea() -> (model::load::Loaded, Issued) {
    let b = model::builtin::find("korea-2024").expect("built in");
    let loaded = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}"));
    let a = analysis::analyse(&loaded, &analysis::Settings::default());
    let issued = issue(&a, &loaded.source.text, "test");
    (loaded, issued)
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

fn resolved(question: &str, state: &str, soft: &[(&str, f64)]) -> Resolved {
    Resolved {
        question: question.into(),
        date: date("2025-12-31"),
        state: state.into(),
        soft: soft.iter().map(|(k, w)| ((*k).to_string(), *w)).collect(),
    }
}

/// A small synthetic issue: `n` three-state forecasts, distinguished by `tag` in the hash.
fn synthetic(tag: &str, n: usize) -> Issued {
    Issued {
        scenario: "synthetic".into(),
        scenario_hash: format!("hash-{tag}"),
        as_of: date("2024-10-31"),
        tool_version: "test".into(),
        forecasts: (0..n)
            .map(|i| Forecast {
                question: format!("q{i}"),
                kind: Kind::Driver,
                categories: vec!["a".into(), "b".into(), "c".into()],
                probabilities: vec![0.5, 0.3, 0.2],
                driver: format!("q{i}"),
                state: None,
                condition: None,
            })
            .collect(),
    }
}

fn count(l: &Ledger, table: &str) -> i64 {
    l.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn recording_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
    let (_, issued) = korea();
    let n = issued.forecasts.len();
    assert_eq!(l.record(&issued).unwrap(), Recorded { added: n, already: 0 });
    assert_eq!(l.record(&issued).unwrap(), Recorded { added: 0, already: n });
    assert_eq!(count(&l, "forecast"), n as i64);
    // Another tool version or as-of date is another forecast.
    let later = Issued { tool_version: "other".into(), ..issued.clone() };
    assert_eq!(l.record(&later).unwrap().added, n);
    let back = l.forecasts(Some("korea-2024")).unwrap();
    assert_eq!(back.len(), 2 * n);
    assert_eq!(back[0].forecast, issued.forecasts[0], "read back as written");
    assert_eq!(l.version().unwrap(), schema::VERSION);
}

/// The ledger scores what `analysis::forecasts::score` scores on the same forecasts.
#[test]
fn the_ledger_scores_as_the_library_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
    let (loaded, issued) = korea();
    l.record(&issued).unwrap();
    let rs = [
        resolved("korean_war", "contained", &[("contained", 0.95), ("korean", 0.05)]),
        resolved(
            "seoul",
            "nuclear_hedging",
            &[("nuclear_hedging", 0.55), ("status_quo_nato", 0.45)],
        ),
        resolved("war", "russian_gains", &[]),
    ];
    assert_eq!(l.resolve(&loaded.scenario, &rs, Origin::Scenario).unwrap(), 3);
    let direct = forecasts::score(&issued.forecasts, issued.as_of, &rs).unwrap();
    let scores = l.score(None).unwrap();
    assert_eq!(scores.scenarios.len(), 1);
    let s = &scores.scenarios[0];
    assert_eq!(s.scored.len(), direct.scored.len());
    let (a, b) = (s.summary.brier.unwrap(), direct.summary.brier.unwrap());
    assert!((a - b).abs() <= prec::REORDER, "{a} {b}");
    assert_eq!(scores.overall.count, direct.summary.count);
    let back = l.resolutions(Some("korea-2024")).unwrap();
    assert_eq!(back.len(), 3);
    assert_eq!(back[0].resolved.soft.len(), 2);
    assert_eq!(back[0].origin, "scenario");
}

/// Issue #15: a resolution for an unknown question, a state that does not exist, a date
/// before the forecast, or soft weights that do not sum to 1 is refused, and nothing of the
/// batch is written.
#[test]
fn err_bad_resolutions_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
    let (loaded, issued) = korea();
    l.record(&issued).unwrap();
    let good = resolved("war", "russian_gains", &[]);
    let early = Resolved { date: date("2024-06-01"), ..resolved("tension", "elevated", &[]) };
    let cases = [
        (resolved("weather", "rain", &[]), "not a question"),
        (resolved("war", "victory", &[]), "has no state"),
        (resolved("war", "stalemate", &[("stalemate", 0.5), ("russian_gains", 0.4)]), "sum to 0.9"),
        (early, "before the forecast"),
    ];
    for (bad, message) in cases {
        let e = l.resolve(&loaded.scenario, &[good.clone(), bad], Origin::Given).unwrap_err();
        assert!(e.to_string().contains(message), "{e}");
        assert_eq!(count(&l, "resolution"), 0, "nothing written after: {e}");
        assert_eq!(count(&l, "resolution_weight"), 0);
    }
}

/// A ledger written by schema version 1 (built here with the first migration only, as
/// statecraft's first ledger release wrote it) is migrated to the current version on open,
/// with its forecasts and resolutions intact and read as before.
#[test]
fn a_version_1_ledger_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(schema::MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
        c.execute_batch(
            "INSERT INTO forecast (id, scenario, scenario_hash, as_of, tool_version, question, kind, driver)
               VALUES (1, 'old', 'h', '2024-10-31', '0.0.0', 'war', 'driver', 'war');
             INSERT INTO probability VALUES (1, 0, 'gains', 0.6), (1, 1, 'stalemate', 0.4);
             INSERT INTO resolution (id, scenario, question, state, date)
               VALUES (1, 'old', 'war', 'gains', '2025-12-31');",
        )
        .unwrap();
    }
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.version().unwrap(), schema::VERSION);
    let f = l.forecasts(None).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].forecast.probabilities, [0.6, 0.4]);
    let r = l.resolutions(None).unwrap();
    assert_eq!(r[0].origin, "unknown", "version 1 did not record where a resolution came from");
    let s = l.score(None).unwrap();
    // Brier (1950): (0.6 − 1)² + 0.4² = 0.32.
    assert!((s.overall.brier.unwrap() - 0.32).abs() <= prec::REORDER);
    drop(l);
    // Opening again changes nothing.
    assert_eq!(Ledger::open(&path).unwrap().version().unwrap(), schema::VERSION);
}

#[test]
fn err_a_newer_ledger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
        c.pragma_update(None, "user_version", schema::VERSION + 1).unwrap();
    }
    let e = Ledger::open(&path).unwrap_err();
    assert!(matches!(e, LedgerError::NewerSchema { found, .. } if found == schema::VERSION + 1));
    assert!(e.to_string().contains("upgrade statecraft"), "{e}");
}

#[test]
fn err_another_database_is_not_a_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let e = Ledger::open(&path).unwrap_err();
    assert!(matches!(e, LedgerError::NotALedger { .. }), "{e}");
    let c = Connection::open(&path).unwrap();
    let tables: i64 = c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 1, "left as it was");
}

#[test]
fn the_default_path_follows_xdg() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).into())
    };
    let p = default_path(&env(&[("HOME", "/home/a")])).unwrap();
    assert_eq!(p, Path::new("/home/a/.local/share/statecraft/ledger.sqlite"));
    let p = default_path(&env(&[("HOME", "/home/a"), ("XDG_DATA_HOME", "/d")])).unwrap();
    assert_eq!(p, Path::new("/d/statecraft/ledger.sqlite"));
    let p = default_path(&env(&[("HOME", "/home/a"), ("STATECRAFT_LEDGER", "x.sqlite")])).unwrap();
    assert_eq!(p, Path::new("x.sqlite"));
    assert_eq!(default_path(&env(&[])), None);
}

/// How many issues each writer process records, and forecasts per issue.
const ISSUES: usize = 150;
const PER_ISSUE: usize = 8;

/// The writer the process tests spawn: records `ISSUES` issues tagged with `LEDGER_WRITER`
/// into the ledger at `LEDGER_PATH`, one transaction each (or forever, with `LEDGER_FOREVER`).
/// Does nothing when run as an ordinary test.
#[test]
fn writer_process() {
    let (Some(tag), Some(path)) =
        (std::env::var_os("LEDGER_WRITER"), std::env::var_os("LEDGER_PATH"))
    else {
        return;
    };
    let tag = tag.to_string_lossy().into_owned();
    let forever = std::env::var_os("LEDGER_FOREVER").is_some();
    let mut l = Ledger::open(Path::new(&path)).unwrap();
    let mut i = 0;
    while forever || i < ISSUES {
        l.record(&synthetic(&format!("{tag}-{i}"), PER_ISSUE)).unwrap();
        i += 1;
    }
}

fn spawn_writer(path: &Path, tag: &str, forever: bool) -> std::process::Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "tests::writer_process", "--nocapture", "--test-threads=1"])
        .env("LEDGER_WRITER", tag)
        .env("LEDGER_PATH", path)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if forever {
        c.env("LEDGER_FOREVER", "1");
    }
    c.spawn().unwrap()
}

/// Issue #15: two processes writing to one ledger at once lose nothing and corrupt nothing.
#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite");
    let mut a = spawn_writer(&path, "a", false);
    let mut b = spawn_writer(&path, "b", false);
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let l = Ledger::open(&path).unwrap();
    let ok: String = l.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    assert_eq!(count(&l, "forecast"), (2 * ISSUES * PER_ISSUE) as i64);
    assert_eq!(count(&l, "probability"), (2 * ISSUES * PER_ISSUE * 3) as i64);
}

/// Issue #15: a writer killed mid-write leaves a consistent ledger: it passes SQLite's
/// integrity check, every forecast has all its probabilities, and whole issues only were kept.
#[test]
fn a_writer_killed_mid_write_leaves_the_ledger_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.sqlite");
    let mut w = spawn_writer(&path, "k", true);
    // Wait until it has committed something, then kill it while it writes more.
    let start = std::time::Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let committed = Connection::open(&path)
            .and_then(|c| c.query_row("SELECT count(*) FROM forecast", [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if committed >= (10 * PER_ISSUE) as i64 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    w.kill().unwrap();
    w.wait().unwrap();
    let l = Ledger::open(&path).unwrap();
    let ok: String = l.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let forecasts = count(&l, "forecast");
    assert!(forecasts >= (10 * PER_ISSUE) as i64, "{forecasts}");
    assert_eq!(forecasts % PER_ISSUE as i64, 0, "whole issues only");
    assert_eq!(count(&l, "probability"), 3 * forecasts, "every forecast has its probabilities");
}
