//! Running the binary and comparing its output with snapshots.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `statecraft ARGS` in `dir`, without colour, and returns its output.
pub fn statecraft(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the statecraft binary runs")
}

/// Compares `actual` with the snapshot file `path`; with `UPDATE_SNAPSHOTS=1` in the
/// environment (exactly `1`: `UPDATE_SNAPSHOTS=0` compares), writes the snapshot instead.
pub fn snapshot(path: &Path, actual: &str) {
    if updating(std::env::var_os("UPDATE_SNAPSHOTS")) {
        std::fs::write(path, actual).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!("no snapshot {}; run the tests with UPDATE_SNAPSHOTS=1 to write it", path.display())
    });
    assert_eq!(
        actual,
        expected,
        "output differs from {}; rerun with UPDATE_SNAPSHOTS=1 if the change is intended",
        path.display()
    );
}

/// Whether the value of `UPDATE_SNAPSHOTS` asks for snapshots to be rewritten: only `1` does.
fn updating(value: Option<std::ffi::OsString>) -> bool {
    value.is_some_and(|v| v == "1")
}

#[test]
fn only_update_snapshots_1_rewrites() {
    assert!(updating(Some("1".into())));
    for other in ["0", "", "true", "yes"] {
        assert!(!updating(Some(other.into())), "{other:?}");
    }
    assert!(!updating(None));
}
