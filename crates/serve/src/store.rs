//! The scenarios a workbench may open, and the only code of the server that touches files.
//!
//! The [`Store`] holds a fixed list of [`Entry`]s: the files named on the command line, the
//! built-in scenarios, and the files created from the page. A request names a scenario by its
//! entry's `slug`, which is looked up in that list; no path ever comes from a request, except
//! the *name* of a new file, which must be a plain name of letters, digits, `-` and `_` (no
//! separator, no dot, so no `..`), and is written into the folder the server started in.
//!
//! Every version of a scenario's text that a page was made from is kept by its SHA-256 hash
//! ([`Store::remember`]), so that an edit applies to exactly the text the page showed, and a
//! save can tell whether the file changed on disk since (then it is refused, with a diff).
//! Writes are atomic: a temporary file in the same folder, synced, then renamed over the file.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use model::builtin::{BUILTINS, Builtin};
use sha2::{Digest, Sha256};

/// Where a scenario's text lives.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A file on disk, named on the command line or created from the page.
    File(PathBuf),
    /// A scenario embedded in the binary; it cannot be saved, only saved as a new file.
    Builtin(&'static Builtin),
}

/// One scenario the workbench may open.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The name in the page's addresses (`/s/{slug}`): letters, digits, `-` and `_`.
    pub slug: String,
    /// Where its text lives.
    pub origin: Origin,
}

impl Entry {
    /// How the page names where the scenario comes from.
    pub fn source_name(&self) -> String {
        match &self.origin {
            Origin::File(p) => p.display().to_string(),
            Origin::Builtin(b) => format!("<built-in {}>", b.name),
        }
    }

    /// The folder CSV files named by the scenario are read from (none for a built-in).
    pub fn dir(&self) -> Option<PathBuf> {
        match &self.origin {
            Origin::File(p) => Some(p.parent().map(Path::to_path_buf).unwrap_or_default()),
            Origin::Builtin(_) => None,
        }
    }
}

/// Why a scenario could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No scenario has this slug.
    #[error("no scenario called `{0}`")]
    Unknown(String),
    /// The name of a new file is not a plain name.
    #[error("`{0}` is not a plain file name: use 1 to 64 letters, digits, `-` or `_`")]
    BadName(String),
    /// A file of that name exists already.
    #[error("{0} already exists")]
    Exists(String),
    /// Reading or writing failed.
    #[error("cannot {what} {path}: {error}")]
    Io {
        /// `read` or `write`.
        what: &'static str,
        /// The file.
        path: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// A built-in scenario cannot be overwritten.
    #[error("a built-in scenario cannot be saved: save it as a new file")]
    ReadOnly,
}

/// How many versions of scenario texts are remembered; the oldest are forgotten first. A page
/// older than that is told to reload.
const VERSIONS_KEPT: usize = 256;

/// The scenarios the workbench may open, and the versions of their texts that pages showed.
#[derive(Debug)]
pub struct Store {
    entries: RwLock<Vec<Entry>>,
    /// The folder the server started in, where new files are created.
    start: PathBuf,
    versions: Mutex<Versions>,
    /// Held while a file is compared and replaced, so that two saves never interleave.
    writing: Mutex<()>,
}

/// Remembered texts by hash, with their order of arrival.
#[derive(Debug, Default)]
struct Versions {
    by_hash: HashMap<String, Arc<str>>,
    order: std::collections::VecDeque<String>,
}

/// The SHA-256 of a text, in hexadecimal.
pub fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `name` is a plain name for a new file (without its `.toml`).
pub fn plain_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Store {
    /// The store of `files` (in order) and every built-in scenario, creating new files in `start`.
    pub fn new(files: &[PathBuf], start: PathBuf) -> Store {
        let mut entries: Vec<Entry> = Vec::new();
        for f in files {
            let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let slug = unique(&entries, &slugify(&stem));
            entries.push(Entry { slug, origin: Origin::File(f.clone()) });
        }
        for b in BUILTINS {
            let slug = unique(&entries, &format!("builtin-{}", slugify(b.name)));
            entries.push(Entry { slug, origin: Origin::Builtin(b) });
        }
        Store {
            entries: RwLock::new(entries),
            start,
            versions: Mutex::default(),
            writing: Mutex::new(()),
        }
    }

    /// Every scenario, in order: the files given, the built-ins, then the files created.
    pub fn entries(&self) -> Vec<Entry> {
        self.entries.read().map(|e| e.clone()).unwrap_or_default()
    }

    /// The scenario called `slug`.
    ///
    /// # Errors
    /// [`StoreError::Unknown`] when there is none.
    pub fn entry(&self, slug: &str) -> Result<Entry, StoreError> {
        self.entries()
            .into_iter()
            .find(|e| e.slug == slug)
            .ok_or_else(|| StoreError::Unknown(slug.to_owned()))
    }

    /// The scenario's text as it is now, remembered as a version.
    ///
    /// # Errors
    /// When the file cannot be read or is not UTF-8 text.
    pub fn read(&self, entry: &Entry) -> Result<Arc<str>, StoreError> {
        let text: Arc<str> = match &entry.origin {
            Origin::Builtin(b) => Arc::from(b.text),
            Origin::File(p) => Arc::from(read_text(p)?),
        };
        self.remember(&text);
        Ok(text)
    }

    /// Keeps `text` as a version, findable by its hash.
    pub fn remember(&self, text: &Arc<str>) {
        let Ok(mut v) = self.versions.lock() else { return };
        let h = hash(text);
        if v.by_hash.contains_key(&h) {
            return;
        }
        v.by_hash.insert(h.clone(), Arc::clone(text));
        v.order.push_back(h);
        while v.order.len() > VERSIONS_KEPT {
            if let Some(old) = v.order.pop_front() {
                v.by_hash.remove(&old);
            }
        }
    }

    /// The version with this hash, if it is remembered.
    pub fn version(&self, hash: &str) -> Option<Arc<str>> {
        self.versions.lock().ok()?.by_hash.get(hash).cloned()
    }

    /// Replaces the scenario's file by `text` if it still holds the version `base`; otherwise
    /// returns the text it holds now.
    ///
    /// # Errors
    /// When the scenario is built in, or the file cannot be read or written.
    pub fn save(
        &self,
        entry: &Entry,
        base: &str,
        text: &str,
    ) -> Result<Result<(), String>, StoreError> {
        let Origin::File(path) = &entry.origin else { return Err(StoreError::ReadOnly) };
        // One save at a time: the comparison and the rename must not interleave with another.
        let _guard =
            self.writing.lock().map_err(|_| io_error("write", path, "a save failed midway"))?;
        let now = read_text(path)?;
        if hash(&now) != base {
            return Ok(Err(now));
        }
        write_atomically(path, text)?;
        self.remember(&Arc::from(text));
        Ok(Ok(()))
    }

    /// Creates `name`.toml in the start folder holding `text`, and adds it to the scenarios.
    ///
    /// # Errors
    /// When the name is not plain, the file exists, or it cannot be written.
    pub fn create(&self, name: &str, text: &str) -> Result<Entry, StoreError> {
        if !plain_name(name) {
            return Err(StoreError::BadName(name.to_owned()));
        }
        let path = self.start.join(format!("{name}.toml"));
        let _guard =
            self.writing.lock().map_err(|_| io_error("write", &path, "a save failed midway"))?;
        // `create_new` refuses an existing file (or a link) atomically, so no file is overwritten.
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
        let mut file = match file {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::Exists(path.display().to_string()));
            }
            Err(e) => {
                return Err(StoreError::Io {
                    what: "write",
                    path: path.display().to_string(),
                    error: e,
                });
            }
        };
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| {
            StoreError::Io { what: "write", path: path.display().to_string(), error: e }
        })?;
        let mut entries = self
            .entries
            .write()
            .map_err(|_| io_error("write", &path, "the list of scenarios is unusable"))?;
        let slug = unique(&entries, name);
        let entry = Entry { slug, origin: Origin::File(path) };
        entries.push(entry.clone());
        Ok(entry)
    }
}

fn io_error(what: &'static str, path: &Path, why: &str) -> StoreError {
    StoreError::Io {
        what,
        path: path.display().to_string(),
        error: std::io::Error::other(why.to_owned()),
    }
}

/// A file's text.
fn read_text(path: &Path) -> Result<String, StoreError> {
    std::fs::read_to_string(path).map_err(|e| StoreError::Io {
        what: "read",
        path: path.display().to_string(),
        error: e,
    })
}

/// Writes `text` to `path` through a temporary file in the same folder, synced and renamed
/// over it; the file keeps its permissions.
fn write_atomically(path: &Path, text: &str) -> Result<(), StoreError> {
    let fail = |e: std::io::Error| StoreError::Io {
        what: "write",
        path: path.display().to_string(),
        error: e,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    if let Ok(m) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(m.permissions()).map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// `name` with every character other than a letter, digit, `-` or `_` replaced by `-`.
fn slugify(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(64)
        .collect();
    if s.is_empty() { "scenario".into() } else { s }
}

/// `slug`, or `slug-2`, `slug-3`, … when it is taken.
fn unique(entries: &[Entry], slug: &str) -> String {
    let taken = |s: &str| entries.iter().any(|e| e.slug == s);
    if !taken(slug) {
        return slug.to_owned();
    }
    (2..).map(|n| format!("{slug}-{n}")).find(|s| !taken(s)).unwrap_or_default()
}
