//! Stopping the work of a request nobody waits for any more.
//!
//! A handler runs its analysis on one of tokio's blocking threads, which nothing can interrupt:
//! when the request times out (the 408 of the time limit) or its client goes away, tower drops
//! the handler's future, but the analysis would run on to its end, holding one of the
//! [`crate::App::analyses`] permits while later requests wait. So the handler keeps an
//! [`Armed`] guard while it waits for the analysis: dropping it (with the handler's future)
//! raises the analysis's [`Cancel`] flag, which the analysis reads before each lens
//! (`analysis::analyse_unless`) and the handler's blocking code reads between its steps; the
//! analysis then gives up, and its permit goes to the next request.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag raised when the request that started some work no longer wants its result.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag not raised, and the guard that raises it when dropped.
    pub fn armed() -> (Cancel, Armed) {
        let c = Cancel::default();
        (c.clone(), Armed(c))
    }

    /// Whether the result is no longer wanted.
    pub fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Raises its [`Cancel`] flag when dropped: held by a handler while it awaits its work, so that
/// the flag goes up when the handler is dropped before the work ends (and, harmlessly, when the
/// handler returns after it).
#[derive(Debug)]
pub struct Armed(Cancel);

impl Drop for Armed {
    fn drop(&mut self) {
        self.0.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dropping the guard, and only that, raises the flag seen by every clone.
    #[test]
    fn dropping_the_guard_raises_the_flag() {
        let (cancel, armed) = Cancel::armed();
        let seen = cancel.clone();
        assert!(!cancel.is_raised());
        drop(armed);
        assert!(cancel.is_raised() && seen.is_raised());
    }
}
