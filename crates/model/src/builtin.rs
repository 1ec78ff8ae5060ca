//! The built-in scenarios, embedded in the binary so that `statecraft run` works anywhere.

use crate::diag::Diagnostics;
use crate::load::{Loaded, load_bytes};

/// A built-in scenario: its name and its TOML text.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The name users type (`korea-2024`).
    pub name: &'static str,
    /// One line on what it covers.
    pub about: &'static str,
    /// The scenario file's text.
    pub text: &'static str,
}

/// Every built-in scenario; the first is the default.
pub const BUILTINS: &[Builtin] = &[Builtin {
    name: "korea-2024",
    about: "North Korean troops in Russia (autumn 2024): is the Ukraine war becoming a \"Korean\" war?",
    text: include_str!("../../../scenarios/korea-2024.toml"),
}];

/// The built-in scenario called `name`.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// Loads a built-in scenario.
///
/// # Errors
/// The diagnostics of a built-in that does not validate (a bug, which a test rules out).
pub fn load(builtin: &Builtin) -> Result<Loaded, Diagnostics> {
    load_bytes(&format!("<built-in {}>", builtin.name), builtin.text.as_bytes(), None)
}
