//! How many times each lens has been evaluated on this thread: instrumentation that lets a test
//! show that a whole run, in every output format, evaluates each lens exactly once.
//!
//! The counts are per thread, so that tests running side by side do not see each other's
//! evaluations. A lens is counted where this crate calls its engine, on the calling thread
//! (an engine may still use other threads inside).

use std::cell::Cell;

/// The lenses, in the order of the report.
pub const LENSES: [&str; 6] = ["ach", "actors", "bargain", "cib", "bayes", "games"];

thread_local! {
    static COUNTS: Cell<[u64; 6]> = const { Cell::new([0; 6]) };
}

/// Counts one evaluation of `lens` (one of [`LENSES`]).
pub(crate) fn count(lens: &str) {
    if let Some(k) = LENSES.iter().position(|l| *l == lens) {
        COUNTS.with(|c| {
            let mut v = c.get();
            v[k] += 1;
            c.set(v);
        });
    }
}

/// How many times each lens has been evaluated on this thread since it started, in the order
/// of [`LENSES`].
pub fn evaluations() -> [u64; 6] {
    COUNTS.with(Cell::get)
}
