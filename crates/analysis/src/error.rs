//! Why a lens could not run: a message in the style of every statecraft error (lower case, no
//! final full stop), a hint, and whether the input or the analysis was at fault.

/// Whose fault a [`LensError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is malformed or the settings contradict it (the command line exits with 2).
    BadInput,
    /// The input is valid but the analysis cannot be done on it: a degenerate case, impossible
    /// evidence, a search over its limit (the command line exits with 1).
    Analysis,
}

/// Why one lens could not run on its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{message}")]
pub struct LensError {
    /// Whose fault it is.
    pub kind: ErrorKind,
    /// What went wrong, naming the culprit.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
}

impl LensError {
    /// Malformed input or contradictory settings.
    pub fn bad_input(message: impl Into<String>) -> LensError {
        LensError { kind: ErrorKind::BadInput, message: message.into(), help: None }
    }

    /// Valid input on which the analysis cannot be done.
    pub fn analysis(message: impl Into<String>) -> LensError {
        LensError { kind: ErrorKind::Analysis, message: message.into(), help: None }
    }

    /// The same error with a hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> LensError {
        self.help = Some(help.into());
        self
    }

    /// The same error with its message prefixed, such as by the name of what was analysed.
    #[must_use]
    pub fn context(mut self, prefix: &str) -> LensError {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
}
