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
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "korea-2024",
        about: "North Korean troops in Russia (autumn 2024): is the Ukraine war becoming a \"Korean\" war?",
        text: include_str!("../../../scenarios/korea-2024.toml"),
    },
    Builtin {
        name: "minimal",
        about: "An invented two-state dam dispute: the smallest scenario that uses every section",
        text: include_str!("../../../scenarios/minimal.toml"),
    },
];

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

#[cfg(test)]
mod citations;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_without_warnings_and_names_itself() {
        for b in BUILTINS {
            let loaded = load(b).unwrap_or_else(|d| panic!("{}: {:?}", b.name, d.items));
            assert!(loaded.warnings.is_empty(), "{}: {:?}", b.name, loaded.warnings);
            assert_eq!(loaded.scenario.scenario.id, b.name);
        }
    }

    #[test]
    fn korea_troop_pay_is_derived_not_typed() {
        // 3,000–10,000 troops (NIS, 23 October 2024: about 3,000 sent, about 10,000 expected by
        // December; the case brief's correction) × US$2,000 a month (lee2024, P3).
        let loaded = load(&BUILTINS[0]).unwrap();
        let figures = crate::figures::compute(&loaded.scenario);
        let month = figures.iter().find(|f| f.unit == "USD per month").expect("monthly figure");
        assert_eq!((month.low, month.high), (6e6, 20e6));
    }
}
