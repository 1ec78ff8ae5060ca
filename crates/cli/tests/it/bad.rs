//! Every malformed scenario in `tests/fixtures/bad/` is rejected with exit code 2 and the
//! diagnostics in its `.stderr` snapshot, and nothing on standard output.

use crate::util::{root, snapshot, statecraft};

#[test]
fn every_bad_fixture_is_rejected_with_its_diagnostics() {
    let dir = root().join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 25, "only {} bad fixtures", names.len());
    for name in &names {
        let out = statecraft(&dir, &["check", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: exit code");
        assert!(out.stdout.is_empty(), "{name}: stdout should be empty");
        let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
        assert!(
            stderr.contains(&format!("statecraft: {name} has")),
            "{name}: summary line\n{stderr}"
        );
        snapshot(&dir.join(name.replace(".toml", ".stderr")), &stderr);
    }
}

#[test]
fn check_json_gives_code_line_column_and_help() {
    let dir = root().join("tests/fixtures/bad");
    let out = statecraft(&dir, &["check", "--format", "json", "unknown_key_actor.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &doc["result"][0]["diagnostics"][0];
    assert_eq!(d["code"], "statecraft::unknown_key");
    assert_eq!(d["line"], 12);
    assert_eq!(d["column"], 1);
    assert_eq!(d["help"], "did you mean `capability`?");
    assert_eq!(doc["result"][0]["ok"], false);
}
