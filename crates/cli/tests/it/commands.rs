//! The everyday commands on the built-in scenario: list, show, check, new, run.

use crate::util::{root, statecraft};

#[test]
fn builtin_scenario_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.toml");
    let out = statecraft(dir.path(), &["new", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = statecraft(dir.path(), &["check", "k.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "k.toml: ok\n");
    // Issue #14: the built-in scenario raises no static coherence warning; the two that remain
    // (ACH against the network on the depth of DPRK–Russia cooperation) are explained in
    // docs/coherence.md and in the report's "Where the lenses disagree, and why".
    let err = String::from_utf8_lossy(&out.stderr);
    let codes: Vec<&str> = err.lines().filter(|l| l.starts_with("statecraft::")).collect();
    assert_eq!(codes, ["statecraft::hypothesis_far_from_state"; 2], "warnings: {err}");
}

/// Issue #13: `check` takes built-in names as every other command does; a file of that name
/// in the current folder comes first.
#[test]
fn check_takes_builtin_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = statecraft(dir.path(), &["check", "korea-2024", "minimal"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "korea-2024: ok\nminimal: ok\n");
    std::fs::write(dir.path().join("minimal"), "not = [valid").unwrap();
    let out = statecraft(dir.path(), &["check", "minimal"]);
    assert_eq!(out.status.code(), Some(2), "the file named minimal is checked, not the built-in");
    let out = statecraft(dir.path(), &["check", "no-such-scenario"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read no-such-scenario"), "{err}");
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("k.toml"), "keep me").unwrap();
    let out = statecraft(dir.path(), &["new", "k.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.path().join("k.toml")).unwrap(), "keep me");
}

#[test]
fn list_names_korea() {
    let out = statecraft(&root(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("korea-2024"));
}

#[test]
fn show_json_is_an_envelope_with_the_scenario() {
    let out = statecraft(&root(), &["show", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["lens"], "show");
    assert_eq!(doc["result"]["scenario"]["scenario"]["id"], "korea-2024");
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = statecraft(dir.path(), &["show", "--format", "json", "-o", "show.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(dir.path().join("show.json")).unwrap();
    assert!(text.starts_with('{'));
}

/// `-o` on a named pipe writes into the pipe: renaming a file over it, as the atomic write of a
/// regular file does, would replace it (and, with `-o /dev/null`, the null device itself).
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_writes_into_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = statecraft(dir.path(), &["list", "-o", "pipe"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // The pipe first: had it been replaced, the reader would wait for a writer forever.
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(reader.join().unwrap().contains("korea-2024"));
}

/// `-o` through a symbolic link replaces the file it points to and leaves the link.
#[cfg(unix)]
#[test]
fn output_through_a_symlink_replaces_its_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("real.txt"), "old").unwrap();
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    let out = statecraft(dir.path(), &["list", "-o", "link.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let link = std::fs::symlink_metadata(dir.path().join("link.txt")).unwrap();
    assert!(link.file_type().is_symlink());
    let text = std::fs::read_to_string(dir.path().join("real.txt")).unwrap();
    assert!(text.contains("korea-2024"), "{text}");
}

/// Replacing an existing file keeps its permissions.
#[cfg(unix)]
#[test]
fn output_over_an_existing_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("private.txt");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = statecraft(dir.path(), &["list", "-o", "private.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn err_output_to_a_folder_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = statecraft(dir.path(), &["list", "-o", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("it is a folder"));
}

/// A report written with `-o` is an ordinary file that others may read (as the umask allows),
/// not a private temporary.
#[cfg(unix)]
#[test]
fn output_file_has_the_permissions_of_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = statecraft(dir.path(), &["list", "-o", "list.txt"]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::File::create(dir.path().join("plain.txt")).unwrap();
    let mode =
        |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("list.txt"), mode("plain.txt"));
}

#[test]
fn err_unknown_scenario_name_exits_2_with_a_hint() {
    let out = statecraft(&root(), &["run", "korea-2025"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no scenario file or built-in scenario called `korea-2025`"),
        "{stderr}"
    );
}

#[test]
fn run_prints_the_question() {
    let out = statecraft(&root(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Question:"));
}
