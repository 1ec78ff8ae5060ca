//! `statecraft run --save DIR` and `statecraft run --verify DIR`: a reproducible run folder, and
//! the check that re-running it gives the same bytes.
//!
//! # The folder
//!
//! ```text
//! DIR/
//!   scenario.toml    the scenario's bytes as read (for a built-in, its embedded text)
//!   <csv files>      every CSV file the scenario names, copied to the same relative path
//!   options.json     the options of the run: the tool's version, the schema version, the
//!                    command that reproduces run.json, each lens's options, the seeds
//!   inputs.sha256    the SHA-256 of each input (the two files above, and options.json), as
//!                    `sha256sum -c` reads them, then the combined hash on a `#` line
//!   scenario.json    the scenario as parsed, with CSV matrices read in and defaults filled
//!   run.json         what `statecraft run scenario.toml --format json` prints inside DIR
//!   lenses/<lens>.json  each lens's `result` exactly as it stands in run.json's `lenses`
//!   report.txt       the report as `--format table` prints it
//!   report.md        the report as `--format md` prints it
//!   report.html      the report as `--format html` prints it
//! ```
//!
//! `docs/run-folder.md` describes each file for users; this comment is for whoever changes it.
//!
//! # One analysis, renamed
//!
//! The folder's files come from the same `Analysis` as the run on standard output, with its
//! `source` renamed to `scenario.toml`: that name is all that reaches the files (the envelope's
//! `source`), so nothing in them says where the folder or the original scenario was, and
//! `statecraft run DIR/scenario.toml --format json` prints `run.json` but for that name, and
//! `cd DIR && statecraft run scenario.toml --format json` prints it byte for byte. No lens runs
//! again for the folder, and the current directory never changes.
//!
//! # Never half a folder
//!
//! The folder is built in a hidden scratch folder beside DIR and renamed into place once every
//! file is written and synced. A DIR that exists and is not empty is refused unless `--force` is
//! given, and `--force` replaces only a run folder (one holding `inputs.sha256`): the old folder
//! is renamed aside, the new one renamed in, and the old one removed. A crash between the two
//! renames leaves both complete folders beside DIR, never a mixture.
//!
//! # Verifying
//!
//! `--verify DIR` loads DIR's `scenario.toml` (its CSV files from DIR), analyses it afresh as
//! `run` does, and compares every file the run writes with the one in DIR, byte for byte. `options.json` is made afresh,
//! so a folder saved by another version of statecraft is reported as differing there (and in
//! `inputs.sha256`), since the same inputs through another program are not promised the same
//! result. The one option that changes a result, `--as-of`, is recorded in `options.json` (`as_of`,
//! and in each command line), and `--verify` reads it back from there.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use analysis::{Analysis, Settings};
use clap::Args;
use miette::miette;
use model::load::Loaded;
use model::scenario::{Matrix, Scenario};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::args::{Format, Global};
use crate::failure::Failure;
use crate::output::{self, cannot_write, json_text};

/// The name of the scenario in a run folder.
const SCENARIO: &str = "scenario.toml";
/// The name of the options file.
const OPTIONS: &str = "options.json";
/// The name of the hash file; its presence marks a run folder, which `--force` may replace.
const HASHES: &str = "inputs.sha256";
/// Every file a run writes besides the lenses' JSON (under `lenses/`) and the inputs.
const WRITTEN: &[&str] =
    &[OPTIONS, HASHES, "scenario.json", "run.json", "report.txt", "report.md", "report.html"];

/// The options of `statecraft run` that save or verify a run folder.
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Also write a reproducible run folder to DIR: the scenario as read, its CSV files, the
    /// options and seeds, every lens's JSON, the report, and a hash of the inputs
    /// (docs/run-folder.md).
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,
    /// With --save: replace DIR when it is a run folder already (the new folder is written
    /// beside it, then swapped in).
    #[arg(long, requires = "save")]
    pub force: bool,
    /// Re-run the inputs saved in the run folder DIR and check that every file the run writes
    /// is byte-identical to the saved one (exit 1 with the files that differ).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["save", "scenario"])]
    pub verify: Option<PathBuf>,
}

/// What to do with a DIR that exists and is not empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    /// Refuse, and say how to replace it.
    Refuse,
    /// Replace it if it is a run folder (`--force`).
    Replace,
}

/// Writes the run folder of `--save DIR`, if asked, for the scenario `loaded` that `arg` named
/// (`None`: the default built-in), from its `analysis` made with `settings`. Does nothing
/// without `--save`.
pub fn save(
    global: &Global,
    args: &SaveArgs,
    loaded: &Loaded,
    analysis: &Analysis,
    settings: &Settings,
    arg: Option<&str>,
) -> Result<(), Failure> {
    let Some(dir) = &args.save else { return Ok(()) };
    let existing = if args.force { Existing::Replace } else { Existing::Refuse };
    let inputs = Inputs::read(loaded, arg)?;
    let target = Target::resolve(dir, existing)?;

    let scratch = tempfile::Builder::new()
        .prefix(&format!(".{}.statecraft-", target.name))
        .tempdir_in(&target.parent)
        .map_err(|e| cannot_write(&target.parent, &e))?;
    for (rel, bytes) in inputs.files() {
        write_file(scratch.path(), rel, bytes)?;
    }
    let files = outputs(analysis, settings, &inputs)?;
    for (rel, bytes) in &files.outputs {
        write_file(scratch.path(), rel, bytes)?;
    }
    sync_folder(scratch.path());
    target.put(scratch)?;
    if !global.quiet {
        eprintln!(
            "statecraft: saved the run in {} (inputs {})",
            target.path.display(),
            &files.combined[..16]
        );
    }
    Ok(())
}

/// Re-runs the inputs saved in `dir` and compares every file the run writes with the saved one.
/// Prints one line per file (`OK`, `DIFFERS`, `MISSING`, or `NOT WRITTEN BY A RUN`); fails with
/// exit 1 when any is not `OK`.
pub fn verify(global: &Global, dir: &Path) -> Result<(), Failure> {
    if !matches!(global.format, Format::Table | Format::Json) {
        return Err(output::unsupported_format("run --verify", global.format, "table, json"));
    }
    if !dir.join(SCENARIO).is_file() || !dir.join(HASHES).is_file() {
        return Err(Failure::bad_input(miette!(
            help = "give a folder that `statecraft run --save DIR` wrote",
            "{} is not a run folder: it has no {SCENARIO} or no {HASHES}",
            dir.display()
        )));
    }
    let inputs = Inputs::read_folder(dir)?;
    let mut loaded = load_folder(dir, &inputs)?;
    if let Some(date) = saved_as_of(dir) {
        loaded.scenario = model::updates::known_by(&loaded.scenario, date)
            .map_err(|e| Failure::bad_input(miette!("{}: {e}", dir.join(OPTIONS).display())))?;
    }
    let settings = Settings::default();
    let files = outputs(&analysis::analyse(&loaded, &settings), &settings, &inputs)?;

    let mut checks: BTreeMap<String, Status> = BTreeMap::new();
    for (rel, bytes) in &files.outputs {
        let status = match fs::read(dir.join(rel)) {
            Ok(saved) if &saved == bytes => Status::Same,
            Ok(_) => Status::Differs,
            Err(_) => Status::Missing,
        };
        checks.insert(rel.clone(), status);
    }
    let inputs_named: Vec<&str> = inputs.files().map(|(rel, _)| rel).collect();
    for rel in list_files(dir)? {
        if !checks.contains_key(&rel) && !inputs_named.contains(&rel.as_str()) {
            checks.insert(rel, Status::Stray);
        }
    }
    let bad: Vec<&str> =
        checks.iter().filter(|(_, s)| **s != Status::Same).map(|(f, _)| f.as_str()).collect();
    let text = match global.format {
        Format::Json => json_text(&json!({
            "identical": bad.is_empty(),
            "files": checks.iter().map(|(f, s)| json!({"file": f, "status": s.word()})).collect::<Vec<_>>(),
            "inputs": files.combined,
        }))?,
        _ => checks.iter().map(|(f, s)| format!("{f}: {}\n", s.word())).collect(),
    };
    output::emit(global, &text)?;
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Failure::analysis(miette!(
            help = "the saved files were edited, or this statecraft computes differently from the one that saved them (see options.json)",
            "not as a new run of the inputs saved in {} writes them ({} of {} files): {}",
            dir.display(),
            bad.len(),
            checks.len(),
            bad.join(", ")
        )))
    }
}

/// How a file in a run folder compares with a new run of its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// The run writes the same bytes.
    Same,
    /// The run writes other bytes.
    Differs,
    /// The run writes the file, and the folder lacks it.
    Missing,
    /// The folder holds the file, and it is neither an input nor written by the run.
    Stray,
}

impl Status {
    /// The word `--verify` prints.
    fn word(self) -> &'static str {
        match self {
            Status::Same => "OK",
            Status::Differs => "DIFFERS",
            Status::Missing => "MISSING",
            Status::Stray => "NOT WRITTEN BY A RUN",
        }
    }
}

/// Where the run folder goes: DIR as an absolute path, its parent (created if missing) and name.
struct Target {
    path: PathBuf,
    parent: PathBuf,
    name: String,
    /// Whether a run folder is there already and is to be replaced.
    replace: bool,
}

impl Target {
    /// Resolves DIR and decides what to do with what is there: refuses a file, a non-empty
    /// folder (without `--force`), and a non-empty folder that is not a run folder.
    fn resolve(dir: &Path, existing: Existing) -> Result<Target, Failure> {
        let path = if dir.exists() { fs::canonicalize(dir) } else { std::path::absolute(dir) }
            .map_err(|e| cannot_write(dir, &e))?;
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(Failure::bad_input(miette!(
                help = "name a new folder, such as `--save runs/korea`",
                "cannot save a run as {}",
                dir.display()
            )));
        };
        let (parent, name) = (parent.to_path_buf(), name.to_string_lossy().into_owned());
        let mut replace = false;
        if path.exists() {
            if !path.is_dir() {
                return Err(Failure::bad_input(miette!(
                    help = "name a folder, new or empty, such as `--save runs/korea`",
                    "{} exists and is not a folder",
                    dir.display()
                )));
            }
            let empty = fs::read_dir(&path).map_err(|e| cannot_write(dir, &e))?.next().is_none();
            if !empty {
                match existing {
                    Existing::Refuse => {
                        return Err(Failure::bad_input(miette!(
                            help = "add --force to replace it (only a folder that --save wrote), or name another folder",
                            "{} is not empty",
                            dir.display()
                        )));
                    }
                    Existing::Replace if !path.join(HASHES).is_file() => {
                        return Err(Failure::bad_input(miette!(
                            help = "--force replaces only a run folder that --save wrote; name another folder, or empty this one yourself",
                            "{} is not a run folder (it has no {HASHES}), so it is left as it is",
                            dir.display()
                        )));
                    }
                    Existing::Replace => replace = true,
                }
            }
        } else {
            fs::create_dir_all(&parent).map_err(|e| cannot_write(&parent, &e))?;
        }
        Ok(Target { path, parent, name, replace })
    }

    /// Renames the finished scratch folder into place, swapping out an old run folder with
    /// `--force`. An empty folder at DIR is replaced by the rename itself.
    fn put(&self, scratch: tempfile::TempDir) -> Result<(), Failure> {
        let new = scratch.keep();
        let undo = |e: std::io::Error| {
            let _ = fs::remove_dir_all(&new);
            cannot_write(&self.path, &e)
        };
        if !self.replace {
            fs::rename(&new, &self.path).map_err(undo)?;
            sync_folder(&self.parent);
            return Ok(());
        }
        // The old folder moves onto an empty scratch folder of its own (a rename may replace an
        // empty folder), so that its name cannot clash with anything the user keeps.
        let old = tempfile::Builder::new()
            .prefix(&format!(".{}.old-", self.name))
            .tempdir_in(&self.parent)
            .map_err(undo)?
            .keep();
        if let Err(e) = fs::rename(&self.path, &old) {
            let _ = fs::remove_dir(&old);
            return Err(undo(e));
        }
        if let Err(e) = fs::rename(&new, &self.path) {
            // Put the old folder back; if even that fails, both are beside DIR, complete.
            let _ = fs::rename(&old, &self.path);
            return Err(undo(e));
        }
        sync_folder(&self.parent);
        if let Err(e) = fs::remove_dir_all(&old) {
            eprintln!(
                "statecraft: warning: the new run is in {}, but the old one could not be removed from {}: {e}",
                self.path.display(),
                old.display()
            );
        }
        Ok(())
    }
}

/// The inputs of a run: the scenario's bytes and every CSV file it names, by relative path.
struct Inputs {
    scenario: Vec<u8>,
    csv: BTreeMap<String, Vec<u8>>,
}

impl Inputs {
    /// The inputs of the scenario `loaded`, which `arg` named: its text as read, and the CSV
    /// files it names, read from beside it.
    fn read(loaded: &Loaded, arg: Option<&str>) -> Result<Inputs, Failure> {
        let scenario = loaded.source.text.as_bytes().to_vec();
        // A built-in cannot name CSV files (the loader refuses), so only a file has a folder.
        let base = arg.map(Path::new).and_then(Path::parent).unwrap_or(Path::new(""));
        Inputs::with_csv(scenario, base, &loaded.source.name)
    }

    /// The inputs saved in a run folder.
    fn read_folder(dir: &Path) -> Result<Inputs, Failure> {
        let path = dir.join(SCENARIO);
        let scenario = fs::read(&path)
            .map_err(|e| Failure::bad_input(miette!("cannot read {}: {e}", path.display())))?;
        Inputs::with_csv(scenario, dir, &path.display().to_string())
    }

    /// Reads the CSV files that `scenario` names from `base`.
    fn with_csv(scenario: Vec<u8>, base: &Path, name: &str) -> Result<Inputs, Failure> {
        let mut csv = BTreeMap::new();
        for file in csv_files(&scenario, name)? {
            let rel = inside(&file).ok_or_else(|| {
                Failure::bad_input(miette!(
                    help = "move the CSV file into the scenario's folder (or below it) and name it by a plain relative path",
                    "{name} names the CSV file `{file}`, which cannot be copied into a run folder at the same relative path"
                ))
            })?;
            let bytes = fs::read(base.join(&file)).map_err(|e| {
                Failure::bad_input(miette!("cannot read {}: {e}", base.join(&file).display()))
            })?;
            csv.insert(rel, bytes);
        }
        Ok(Inputs { scenario, csv })
    }

    /// Every input file by its path in the run folder: the scenario, then the CSV files in
    /// the order of their paths.
    fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        std::iter::once((SCENARIO, self.scenario.as_slice()))
            .chain(self.csv.iter().map(|(rel, bytes)| (rel.as_str(), bytes.as_slice())))
    }
}

/// The CSV files a scenario's text names, as written. Only a cross-impact matrix
/// (`impacts = "file.csv"`) can name a file today.
fn csv_files(scenario: &[u8], name: &str) -> Result<Vec<String>, Failure> {
    let text = std::str::from_utf8(scenario)
        .map_err(|_| Failure::bad_input(miette!("{name} is not a UTF-8 text file")))?;
    let parsed: Scenario = toml::from_str(text)
        .map_err(|e| Failure::bad_input(miette!("{name}: {}", e.message().trim())))?;
    Ok(parsed
        .cross_impacts
        .iter()
        .filter_map(|ci| match &ci.impacts {
            Matrix::File(file) => Some(file.clone()),
            Matrix::Inline(_) => None,
        })
        .collect())
}

/// `file` as a `/`-separated path inside the folder, or `None` when it leaves the folder, is
/// absolute, would not survive a `sha256sum` line, or has the name of a file the run writes.
fn inside(file: &str) -> Option<String> {
    if file.contains(['\n', '\r', '\\']) {
        return None;
    }
    let mut parts = Vec::new();
    for c in Path::new(file).components() {
        match c {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    let rel = parts.join("/");
    let taken =
        rel == SCENARIO || WRITTEN.contains(&rel.as_str()) || parts.first() == Some(&"lenses");
    (!parts.is_empty() && !taken).then_some(rel)
}

/// The files a run writes in its folder (besides the inputs), by relative path, and the
/// combined hash of the inputs.
struct Outputs {
    outputs: Vec<(String, Vec<u8>)>,
    combined: String,
}

/// The scenario saved in a run folder, loaded under the name `scenario.toml` with its CSV
/// files read from the folder.
/// The `--as-of` date the run in `dir` was made with, as its `options.json` records it.
fn saved_as_of(dir: &Path) -> Option<model::scenario::Date> {
    let text = fs::read_to_string(dir.join(OPTIONS)).ok()?;
    let options: serde_json::Value = serde_json::from_str(&text).ok()?;
    model::scenario::Date::parse(options.get("as_of")?.as_str()?)
}

fn load_folder(dir: &Path, inputs: &Inputs) -> Result<Loaded, Failure> {
    model::load::load_bytes(SCENARIO, &inputs.scenario, Some(dir)).map_err(|d| {
        eprint!("{}", crate::scenario::render(&d));
        Failure::bad_input(miette!("the scenario saved in {} does not load: {d}", dir.display()))
    })
}

/// Every file of the folder that is not an input, from the analysis renamed to the folder's
/// `scenario.toml`.
fn outputs(analysis: &Analysis, settings: &Settings, inputs: &Inputs) -> Result<Outputs, Failure> {
    let mut a = analysis.clone();
    a.source = SCENARIO.to_string();
    let run = report::run::json(&a);
    let lenses = run["result"]["lenses"].as_object().cloned().unwrap_or_default();

    let options = options(&a.scenario, settings, lenses.keys().map(String::as_str));
    let options = json_text(&options)?.into_bytes();
    let (hashes, combined) = hashes(inputs, &options);
    let scenario = serde_json::to_value(&a.scenario)
        .map_err(|e| Failure::analysis(miette!("cannot write the scenario as JSON: {e}")))?;

    let mut outputs = vec![
        (OPTIONS.to_string(), options),
        (HASHES.to_string(), hashes.into_bytes()),
        ("scenario.json".to_string(), json_text(&scenario)?.into_bytes()),
        ("run.json".to_string(), json_text(&run)?.into_bytes()),
        ("report.txt".to_string(), report::run::text(&a).into_bytes()),
        ("report.md".to_string(), report::run::markdown(&a).into_bytes()),
        ("report.html".to_string(), report::run::html(&a).into_bytes()),
    ];
    for (lens, result) in &lenses {
        outputs.push((format!("lenses/{lens}.json"), json_text(result)?.into_bytes()));
    }
    Ok(Outputs { outputs, combined })
}

/// `options.json`: what, besides the inputs, decides the run's results: for each lens that ran,
/// the command line of `statecraft LENS scenario.toml` that gives its result (a test runs each
/// and compares), and the seeds of the lenses that draw at random with these settings.
fn options<'a>(
    s: &Scenario,
    settings: &Settings,
    lenses: impl Iterator<Item = &'a str>,
) -> serde_json::Value {
    let mut argv = serde_json::Map::new();
    let mut seeds = serde_json::Map::new();
    // A run made `--as-of` a later date analysed the scenario as known by then.
    let as_of: Vec<String> =
        s.scenario.known_by.iter().flat_map(|d| ["--as-of".to_string(), d.to_string()]).collect();
    for lens in lenses {
        let line: Vec<String> = ["statecraft", lens, SCENARIO]
            .into_iter()
            .map(String::from)
            .chain(crate::cmd::run_flags(lens, s, settings))
            .chain(as_of.iter().cloned())
            .collect();
        argv.insert(lens.to_string(), json!(line));
        // Only CIB draws at random with the settings of `run` (Monte Carlo succession starts
        // beyond its exact limit), bargaining only with perturbations, and ACH, actors, Bayes
        // and games never.
        match lens {
            "cib" => {
                seeds.insert(lens.to_string(), json!(settings.cib.seed));
            }
            "bargain" => {
                if let Some(p) = &settings.bargain.perturb {
                    seeds.insert(lens.to_string(), json!(p.seed));
                }
            }
            _ => {}
        }
    }
    let command: Vec<String> = ["statecraft", "run", SCENARIO, "--format", "json"]
        .into_iter()
        .map(String::from)
        .chain(as_of.iter().cloned())
        .collect();
    json!({
        "as_of": s.scenario.known_by.map(|d| d.to_string()),
        "command": command,
        "lenses": argv,
        "schema_version": report::SCHEMA_VERSION,
        "seeds": seeds,
        "statecraft": env!("CARGO_PKG_VERSION"),
    })
}

/// `inputs.sha256`: one `sha256sum` line per input (the scenario, its CSV files in path
/// order, `options.json`), then the combined hash, which is the SHA-256 of those lines.
fn hashes(inputs: &Inputs, options: &[u8]) -> (String, String) {
    let lines: String = inputs
        .files()
        .chain(std::iter::once((OPTIONS, options)))
        .map(|(rel, bytes)| format!("{:x}  {rel}\n", Sha256::digest(bytes)))
        .collect();
    let combined = format!("{:x}", Sha256::digest(lines.as_bytes()));
    let text = format!(
        "# The SHA-256 of each input of this run; `sha256sum -c {HASHES}` in this folder checks them.\n\
         {lines}\
         # combined {combined}: the SHA-256 of the lines above that do not start with #\n"
    );
    (text, combined)
}

/// Writes `bytes` to `dir/rel`, creating folders on the way, and syncs the file.
fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Failure> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| cannot_write(parent, &e))?;
    }
    let mut file = fs::File::create(&path).map_err(|e| cannot_write(&path, &e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| cannot_write(&path, &e))
}

/// Syncs a folder's entries to disk where the platform allows; a failure only weakens the
/// guarantee against a power cut, so it is not an error.
fn sync_folder(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Every file under `dir`, as `/`-separated relative paths.
fn list_files(dir: &Path) -> Result<Vec<String>, Failure> {
    let mut found = Vec::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        let entries = fs::read_dir(dir.join(&rel)).map_err(|e| {
            Failure::bad_input(miette!("cannot read {}: {e}", dir.join(&rel).display()))
        })?;
        for entry in entries.flatten() {
            let path = rel.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(path);
            } else {
                let parts: Vec<_> =
                    path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
                found.push(parts.join("/"));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::inside;

    /// `file`, as a scenario names it, is kept in the run folder at `expected` (`None`: refused).
    fn check(file: &str, expected: Option<&str>) {
        assert_eq!(inside(file).as_deref(), expected, "{file:?}");
    }

    #[test]
    fn beside() {
        check("m.csv", Some("m.csv"));
    }

    #[test]
    fn below() {
        check("data/m.csv", Some("data/m.csv"));
    }

    #[test]
    fn dots_dropped() {
        check("./data/./m.csv", Some("data/m.csv"));
    }

    #[test]
    fn err_parent() {
        check("../m.csv", None);
    }

    #[test]
    fn err_parent_inside() {
        check("data/../m.csv", None);
    }

    #[test]
    fn err_absolute() {
        check("/srv/m.csv", None);
    }

    #[test]
    fn err_name_of_an_output() {
        check("run.json", None);
    }

    #[test]
    fn err_the_scenario() {
        check("./scenario.toml", None);
    }

    #[test]
    fn err_under_lenses() {
        check("lenses/m.csv", None);
    }

    #[test]
    fn err_newline() {
        check("a\nb.csv", None);
    }

    #[test]
    fn err_backslash() {
        check("data\\m.csv", None);
    }

    #[test]
    fn err_no_name() {
        check(".", None);
    }
}
