//! Where results go: standard output, or a file written atomically (a temporary file in the same
//! folder, renamed over the target once complete, so a failed run never leaves half a file).

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use miette::miette;

use crate::args::{Format, Global};
use crate::failure::Failure;

/// A progress bar on standard error for a long computation, drawn only for a person watching a
/// terminal: never with `--quiet`, never when standard error is a file or a pipe.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar whose line starts with `what` (such as "searching") when the computation is `long`;
    /// otherwise one that draws nothing.
    pub fn new(global: &Global, long: bool, what: &str) -> Progress {
        let shown = long && !global.quiet && io::stderr().is_terminal();
        Progress(shown.then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{what} {{bar:40}} {{percent}}% ({{eta}} left)"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    /// Shows `done` units of work of `total`.
    pub fn set(&self, done: u64, total: u64) {
        if let Some(b) = &self.0 {
            b.set_length(total);
            b.set_position(done);
        }
    }

    /// Clears the bar, before anything else is written to standard error.
    pub fn finish(self) {
        if let Some(b) = self.0 {
            b.finish_and_clear();
        }
    }
}

/// Writes `text` to `-o FILE` if given, else to standard output. A closed pipe (as in
/// `statecraft run | head`) is not an error.
pub fn emit(global: &Global, text: &str) -> Result<(), Failure> {
    match &global.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => {
            let styled;
            let text = match terminal(global) {
                Some(t) => {
                    styled = report::terminal::style(text, &t);
                    &styled
                }
                None => text,
            };
            let mut stdout = io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    Err(Failure::analysis(miette!("cannot write to standard output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// How to fit text for the terminal that standard output is, if it is one and the format is
/// `table`: prose wrapped to its width, and headings in bold unless `NO_COLOR` is set
/// (<https://no-color.org>). Piped or redirected output is left exactly as rendered.
fn terminal(global: &Global) -> Option<report::terminal::Terminal> {
    if global.format != Format::Table || !io::stdout().is_terminal() {
        return None;
    }
    let width = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    Some(report::terminal::Terminal { colour, width })
}

/// What a subcommand produced, before it is written: text as it will appear, or a JSON document
/// kept as a value so that `statecraft run` can embed a lens's document in its own.
#[derive(Debug)]
pub enum Rendered {
    /// Tables, sentences, CSV or Markdown, written as they are.
    Text(String),
    /// A JSON envelope, written pretty-printed with a final newline.
    Json(serde_json::Value),
}

/// Writes a rendered result as [`emit`] writes text.
pub fn emit_rendered(global: &Global, rendered: Rendered) -> Result<(), Failure> {
    match rendered {
        Rendered::Text(text) => emit(global, &text),
        Rendered::Json(doc) => emit(global, &json_text(&doc)?),
    }
}

/// A JSON document as pretty-printed text with a final newline.
pub fn json_text(doc: &serde_json::Value) -> Result<String, Failure> {
    let mut s = serde_json::to_string_pretty(doc)
        .map_err(|e| Failure::analysis(miette!("cannot write JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that a
/// failed run never leaves half a file. A path that is not a regular file (`/dev/null`, a
/// named pipe, a terminal) is written directly, since renaming over it would replace the device
/// with a plain file; a symbolic link is followed, and the file it points to is replaced; an
/// existing file keeps its permissions.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: &dyn std::fmt::Display| cannot_write(path, e);
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(fail(&"it is a folder"));
        }
        let mut file = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| fail(&e))?;
        return file.write_all(bytes).and_then(|()| file.flush()).map_err(|e| fail(&e));
    }
    // Through a symbolic link, the file it points to is the one to replace.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| fail(&e))?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = temp_file(dir).map_err(|e| fail(&e))?;
    tmp.write_all(bytes).map_err(|e| fail(&e))?;
    if let Some(m) = &existing {
        tmp.as_file().set_permissions(m.permissions()).map_err(|e| fail(&e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(&target).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// The error for a file or folder that cannot be written (exit 2).
pub fn cannot_write(path: &Path, e: &dyn std::fmt::Display) -> Failure {
    Failure::bad_input(miette!(
        help = "check that the folder exists and is writable",
        "cannot write {}: {e}",
        path.display()
    ))
}

/// A temporary file in `dir` that becomes an ordinary file when persisted: on Unix created with
/// mode 0666 less the umask, as any other program's output, not the private 0600 of a temporary.
fn temp_file(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Reads a whole input file as text, with an error that names it.
#[allow(dead_code)] // Used by the lens subcommands that read native files.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::bad_input(miette!(
            help = "check the path; relative paths start from the current folder",
            "cannot read {}: {e}",
            path.display()
        ))
    })
}

/// The error for a `--format` a subcommand does not write.
pub fn unsupported_format(command: &str, format: Format, supported: &str) -> Failure {
    Failure::bad_input(miette!(
        help = format!("use one of: {supported}"),
        "`statecraft {command}` cannot write --format {format:?}",
    ))
}
