//! The loader's side of the bad-input fixtures: every scenario in `tests/fixtures/bad/` fails to
//! load with exactly the diagnostic codes, in order, of its `.stderr` snapshot. The CLI's tests
//! compare the rendered text; this checks the same judgments from the library, so that a change
//! to validation is seen by the model crate's own tests.

use std::path::PathBuf;

fn bad_fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad")
}

#[test]
fn every_bad_fixture_fails_with_the_codes_of_its_snapshot() {
    let dir = bad_fixtures();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 25, "only {} bad fixtures", names.len());
    for name in &names {
        let snapshot = std::fs::read_to_string(dir.join(name.replace(".toml", ".stderr")))
            .expect("each bad fixture has a .stderr snapshot");
        let expected: Vec<&str> =
            snapshot.lines().filter(|l| l.starts_with("statecraft::")).collect();
        let found: Vec<&str> = match crate::load::load_file(&dir.join(name)) {
            Ok(_) => panic!("{name} loads, but it is a bad fixture"),
            Err(d) => d.items.iter().map(|i| i.code).collect(),
        };
        assert_eq!(found, expected, "{name}");
    }
}
