//! `statecraft run --save DIR` and `--verify DIR`: a run folder that reproduces byte for byte
//! (issue 9, "--save DIR"), written atomically, never over someone's work.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::util::statecraft;

/// Runs `statecraft ARGS` in `dir` and checks that it succeeded.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = statecraft(dir, args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every file under `dir` by its `/`-separated relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_str().unwrap().replace('\\', "/");
                found.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

/// The names of the files in a folder.
fn names(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

/// The combined hash on the last line of `inputs.sha256`.
fn combined(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("inputs.sha256")).unwrap();
    let last = text.lines().last().unwrap();
    last.strip_prefix("# combined ").unwrap()[..64].to_string()
}

/// Everything in the folder's parent besides the folder and `keep`: leftovers of a save.
fn leftovers(parent: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

/// A scenario whose cross-impact matrix is the CSV file `data/war-tension.csv` (adapted from
/// `tests/fixtures/bad/missing_csv.toml`, with the file it misses).
const CSV_SCENARIO: &str = r#"[scenario]
format = 1
id = "csv"
title = "A scenario with a CSV matrix"
question = "Is the matrix copied?"
as_of = "2024-10-31"

[[driver]]
id = "war"
name = "War outcome"
states = ["gains", "stalemate", "setback"]
prior = [0.3, 0.5, 0.2]

[[driver]]
id = "tension"
name = "Peninsula tension"
states = ["low", "crisis"]

[[cross_impact]]
from = "war"
to = "tension"
impacts = "data/war-tension.csv"
"#;

/// The matrix of [`CSV_SCENARIO`]: war gains raise tension, a setback lowers it.
const CSV_MATRIX: &str = "# war -> tension\n1,-1\n0,0\n-1,1\n";

/// Writes [`CSV_SCENARIO`] and its matrix into `dir/src`.
fn csv_scenario(dir: &Path) {
    std::fs::create_dir_all(dir.join("src/data")).unwrap();
    std::fs::write(dir.join("src/s.toml"), CSV_SCENARIO).unwrap();
    std::fs::write(dir.join("src/data/war-tension.csv"), CSV_MATRIX).unwrap();
}

#[test]
fn save_twice_gives_identical_bytes_and_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let stdout = ok(tmp.path(), &["run", "--save", "a", "--format", "json", "-q"]);
    ok(tmp.path(), &["run", "korea-2024", "--save", "b", "-q"]);
    let (a, b) = (files(&tmp.path().join("a")), files(&tmp.path().join("b")));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        [
            "inputs.sha256",
            "lenses/ach.json",
            "lenses/actors.json",
            "lenses/bargain.json",
            "lenses/bayes.json",
            "lenses/cib.json",
            "lenses/games.json",
            "options.json",
            "report.html",
            "report.md",
            "report.txt",
            "run.json",
            "scenario.json",
            "scenario.toml",
        ]
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two saves of the same run");
    }
    assert_eq!(combined(&tmp.path().join("a")), combined(&tmp.path().join("b")));
    assert_eq!(leftovers(tmp.path(), &["a", "b"]), Vec::<String>::new());

    // The run on standard output is the ordinary one; the folder's names only itself.
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let run: serde_json::Value = serde_json::from_slice(&a["run.json"]).unwrap();
    assert_eq!(out["source"], "<built-in korea-2024>");
    assert_eq!(run["source"], "scenario.toml");
    assert_eq!(out["result"], run["result"]);
    // Each lens's file is its part of run.json.
    for (lens, result) in run["result"]["lenses"].as_object().unwrap() {
        let own: serde_json::Value =
            serde_json::from_slice(&a[&format!("lenses/{lens}.json")]).unwrap();
        assert_eq!(&own, result, "lenses/{lens}.json");
    }
    // No absolute path of the machine that saved it.
    let where_ = tmp.path().to_str().unwrap();
    for (name, bytes) in &a {
        assert!(!String::from_utf8_lossy(bytes).contains(where_), "{name} names {where_}");
    }
}

#[test]
fn saved_scenario_reruns_to_the_same_folder() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["run", "minimal", "--save", "a", "-q"]);
    ok(tmp.path(), &["run", "a/scenario.toml", "--save", "b", "-q"]);
    assert_eq!(files(&tmp.path().join("a")), files(&tmp.path().join("b")));
    // Inside the folder, a plain run prints run.json byte for byte.
    let json = ok(&tmp.path().join("a"), &["run", "scenario.toml", "--format", "json", "-q"]);
    assert_eq!(json.as_bytes(), std::fs::read(tmp.path().join("a/run.json")).unwrap());
    // The text, Markdown and HTML reports are what --format table, md and html print.
    let text = ok(tmp.path(), &["run", "minimal", "-q"]);
    assert_eq!(text, std::fs::read_to_string(tmp.path().join("a/report.txt")).unwrap());
    let md = ok(tmp.path(), &["run", "minimal", "--format", "md", "-q"]);
    assert_eq!(md, std::fs::read_to_string(tmp.path().join("a/report.md")).unwrap());
    let html = ok(&tmp.path().join("a"), &["run", "scenario.toml", "--format", "html", "-q"]);
    assert_eq!(html, std::fs::read_to_string(tmp.path().join("a/report.html")).unwrap());
}

#[test]
fn hashes_are_sha256sum_lines_and_their_hash() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["run", "minimal", "--save", "a", "-q"]);
    let dir = tmp.path().join("a");
    let text = std::fs::read_to_string(dir.join("inputs.sha256")).unwrap();
    let lines: String =
        text.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect();
    let mut named = Vec::new();
    for line in lines.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        assert_eq!(hash, format!("{:x}", Sha256::digest(std::fs::read(dir.join(name)).unwrap())));
        named.push(name);
    }
    assert_eq!(named, ["scenario.toml", "options.json"]);
    assert_eq!(combined(&dir), format!("{:x}", Sha256::digest(lines.as_bytes())));
}

#[test]
fn hash_changes_with_one_judgment() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["new", "k.toml", "--from", "minimal", "-q"]);
    let text = std::fs::read_to_string(tmp.path().join("k.toml")).unwrap();
    // One prior of the minimal scenario (scenarios/minimal.toml, `[[driver]]` `prior`).
    let edited = text.replacen("value = [0.6, 0.4]", "value = [0.5, 0.5]", 1);
    assert_ne!(edited, text);
    std::fs::write(tmp.path().join("edited.toml"), edited).unwrap();
    ok(tmp.path(), &["run", "k.toml", "--save", "a", "-q"]);
    ok(tmp.path(), &["run", "edited.toml", "--save", "b", "-q"]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_ne!(combined(&a), combined(&b));
    let (ha, hb) = (
        std::fs::read_to_string(a.join("inputs.sha256")).unwrap(),
        std::fs::read_to_string(b.join("inputs.sha256")).unwrap(),
    );
    let differing: Vec<&str> =
        ha.lines().zip(hb.lines()).filter(|(x, y)| x != y).map(|(x, _)| x).collect();
    // The scenario's line and the combined line; the options are the same.
    assert_eq!(differing.len(), 2, "{differing:?}");
    assert!(differing[0].ends_with("  scenario.toml"));
    // The saved scenario is the file's bytes as read.
    assert_eq!(std::fs::read(a.join("scenario.toml")).unwrap(), text.as_bytes());
}

#[test]
fn err_refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("work")).unwrap();
    std::fs::write(tmp.path().join("work/notes.txt"), "keep me").unwrap();
    let out = statecraft(tmp.path(), &["run", "minimal", "--save", "work", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "statecraft:   × work is not empty\n  help: add --force to replace it (only a folder that --save wrote), or name\n        another folder\n\n"
    );
    assert!(out.stdout.is_empty(), "nothing is printed when nothing is saved");
    // --force does not replace a folder that --save did not write.
    let out = statecraft(tmp.path(), &["run", "minimal", "--save", "work", "--force", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("work is not a run folder"));
    assert_eq!(names(&tmp.path().join("work")), ["notes.txt"]);
    assert_eq!(std::fs::read_to_string(tmp.path().join("work/notes.txt")).unwrap(), "keep me");
    assert_eq!(leftovers(tmp.path(), &["work"]), Vec::<String>::new());
}

#[test]
fn an_empty_folder_is_filled() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    ok(tmp.path(), &["run", "minimal", "--save", "empty", "--format", "md", "-o", "r.md", "-q"]);
    assert!(tmp.path().join("empty/run.json").is_file());
    // `-o` is relative to where statecraft was started, not to the folder it saved.
    let md = std::fs::read(tmp.path().join("r.md")).unwrap();
    assert_eq!(md, std::fs::read(tmp.path().join("empty/report.md")).unwrap());
}

#[test]
fn force_replaces_a_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["run", "korea-2024", "--save", "r", "-q"]);
    std::fs::write(tmp.path().join("r/extra.txt"), "from the old run").unwrap();
    let out = statecraft(tmp.path(), &["run", "minimal", "--save", "r", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    ok(tmp.path(), &["run", "minimal", "--save", "r", "--force", "-q"]);
    ok(tmp.path(), &["run", "minimal", "--save", "fresh", "-q"]);
    // The old folder is gone entirely, the new one is whole, and nothing is left beside it.
    assert_eq!(files(&tmp.path().join("r")), files(&tmp.path().join("fresh")));
    assert_eq!(leftovers(tmp.path(), &["r", "fresh"]), Vec::<String>::new());
}

#[test]
fn csv_matrix_is_copied_to_the_same_relative_path() {
    let tmp = tempfile::tempdir().unwrap();
    csv_scenario(tmp.path());
    ok(tmp.path(), &["run", "src/s.toml", "--save", "out", "-q"]);
    let out = tmp.path().join("out");
    assert_eq!(std::fs::read_to_string(out.join("data/war-tension.csv")).unwrap(), CSV_MATRIX);
    assert_eq!(std::fs::read_to_string(out.join("scenario.toml")).unwrap(), CSV_SCENARIO);
    let hashes = std::fs::read_to_string(out.join("inputs.sha256")).unwrap();
    let named: Vec<&str> = hashes
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once("  ").unwrap().1)
        .collect();
    assert_eq!(named, ["scenario.toml", "data/war-tension.csv", "options.json"]);
    // The parsed scenario holds the matrix read from the file.
    let parsed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("scenario.json")).unwrap()).unwrap();
    assert_eq!(parsed["cross_impact"][0]["impacts"], serde_json::json!([[1, -1], [0, 0], [-1, 1]]));
    ok(tmp.path(), &["run", "--verify", "out", "-q"]);
}

#[test]
fn err_csv_outside_the_scenario_folder() {
    let tmp = tempfile::tempdir().unwrap();
    csv_scenario(tmp.path());
    let up = CSV_SCENARIO.replace("\"data/war-tension.csv\"", "\"../src/data/war-tension.csv\"");
    std::fs::write(tmp.path().join("src/up.toml"), up).unwrap();
    let out = statecraft(tmp.path(), &["run", "src/up.toml", "--save", "out", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("names the CSV file `../src/data/war-tension.csv`")
    );
    assert_eq!(leftovers(tmp.path(), &["src"]), Vec::<String>::new());
}

#[test]
fn verify_passes_then_detects_a_tampered_file() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["run", "minimal", "--save", "r", "-q"]);
    let all_ok = ok(tmp.path(), &["run", "--verify", "r"]);
    assert_eq!(
        all_ok,
        "inputs.sha256: OK\nlenses/ach.json: OK\nlenses/actors.json: OK\nlenses/bargain.json: OK\nlenses/bayes.json: OK\n\
         lenses/cib.json: OK\nlenses/games.json: OK\noptions.json: OK\nreport.html: OK\nreport.md: OK\nreport.txt: OK\n\
         run.json: OK\nscenario.json: OK\n"
    );
    let bayes = tmp.path().join("r/lenses/bayes.json");
    let text = std::fs::read_to_string(&bayes).unwrap();
    std::fs::write(&bayes, text.replacen('1', "2", 1)).unwrap();
    std::fs::remove_file(tmp.path().join("r/report.md")).unwrap();
    std::fs::write(tmp.path().join("r/lenses/extra.json"), "{}\n").unwrap();
    let out = statecraft(tmp.path(), &["run", "--verify", "r"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("lenses/bayes.json: DIFFERS\n"), "{stdout}");
    assert!(stdout.contains("report.md: MISSING\n"), "{stdout}");
    assert!(stdout.contains("lenses/extra.json: NOT WRITTEN BY A RUN\n"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lenses/bayes.json, lenses/extra.json, report.md"), "{stderr}");
}

#[test]
fn verify_detects_an_edited_input() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["run", "minimal", "--save", "r", "-q"]);
    let scenario = tmp.path().join("r/scenario.toml");
    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, text.replacen("value = [0.6, 0.4]", "value = [0.5, 0.5]", 1))
        .unwrap();
    let out = statecraft(tmp.path(), &["run", "--verify", "r"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("inputs.sha256: DIFFERS\n"), "{stdout}");
    assert!(stdout.contains("run.json: DIFFERS\n"), "{stdout}");
}

#[test]
fn err_verify_needs_a_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = statecraft(tmp.path(), &["run", "--verify", "nothing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing is not a run folder"));
}

/// Each lens's command in `options.json`, run inside the folder, writes that lens's file: the
/// options recorded are the options `run` used.
#[test]
fn options_name_each_lens_command() {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["run", "minimal", "--save", "r", "-q"]);
    let dir = tmp.path().join("r");
    let options: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("options.json")).unwrap()).unwrap();
    let lenses = options["lenses"].as_object().unwrap();
    assert_eq!(lenses.len(), names(&dir).iter().filter(|n| n.starts_with("lenses/")).count());
    for (lens, argv) in lenses {
        let mut args: Vec<&str> =
            argv.as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(args.remove(0), "statecraft");
        args.extend(["--format", "json", "-q"]);
        let doc: serde_json::Value = serde_json::from_str(&ok(&dir, &args)).unwrap();
        let saved: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("lenses/{lens}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(doc["result"], saved, "{lens}: {args:?}");
    }
}
