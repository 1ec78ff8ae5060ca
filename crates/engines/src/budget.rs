//! Budgets for long computations: how much work, time or memory a caller allows an engine
//! before it stops with what it has (a search) or refuses to start (an estimate above the
//! memory allowed). Engines that accept a [`Budget`] return their result together with a
//! [`Stopped`] when the budget ran out, so an incomplete result is never mistaken for a
//! complete one.

use std::time::{Duration, Instant};

/// What a caller allows one engine call to use. Every field is optional; [`Budget::UNLIMITED`]
/// allows everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Stop a search after visiting about this many nodes. A search split into tasks gives each
    /// the same share, so what a node budget covers never depends on the thread count.
    pub max_nodes: Option<u64>,
    /// Stop a search once this much time has passed since it began. What a time budget covers
    /// depends on the machine's speed and load.
    pub max_time: Option<Duration>,
    /// Refuse to start when the engine's own estimate of the memory it needs exceeds this many
    /// bytes.
    pub max_bytes: Option<u64>,
}

impl Budget {
    /// No limit on nodes, time or memory.
    pub const UNLIMITED: Budget = Budget { max_nodes: None, max_time: None, max_bytes: None };

    /// Whether `bytes` (an engine's estimate) is within [`Budget::max_bytes`].
    pub fn allows_bytes(&self, bytes: u64) -> bool {
        self.max_bytes.is_none_or(|m| bytes <= m)
    }

    /// The deadline of [`Budget::max_time`] counted from now, `None` without a time limit (or
    /// one too far in the future to represent).
    pub fn deadline(&self) -> Option<Instant> {
        self.max_time.and_then(|t| Instant::now().checked_add(t))
    }
}

/// Which limit of a [`Budget`] stopped a computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Limit {
    /// [`Budget::max_nodes`].
    Nodes,
    /// [`Budget::max_time`].
    Time,
}

/// Why and where a computation stopped before finishing: attached to a result that is correct
/// as far as it goes but incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Stopped {
    /// The limit that ran out.
    pub limit: Limit,
    /// Units of work finished (search tasks, or rounds), out of [`Stopped::total`].
    pub done: u64,
    /// Units of work the complete computation has.
    pub total: u64,
}

/// Issue 17: oversized inputs built at run time are refused, or stopped, within seconds and
/// without allocating what they describe.
#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{Budget, Limit};
    use crate::bargain::eum::{EumError, EumOptions, eum_within};
    use crate::bargain::smp::{SmpError, SmpOptions, smp_within};
    use crate::bargain::{BargainInput, IssueData};
    use crate::cib::{CibMatrix, Descriptor, Method, SolveOptions, solve_within};

    const GIB: u64 = 1 << 30;

    fn crowd(n: usize) -> BargainInput {
        let issue = IssueData {
            scale_min: 0.0,
            scale_max: 100.0,
            position: (0..n).map(|i| (i % 101) as f64).collect(),
            salience: vec![0.5; n],
        };
        let Ok(input) = BargainInput::new(vec![1.0; n], vec![issue]) else {
            unreachable!("a valid input")
        };
        input
    }

    #[test]
    fn err_issue_17_smp_on_100_000_actors_is_refused_before_allocating() {
        let t = Instant::now();
        let budget = Budget { max_bytes: Some(4 * GIB), ..Budget::UNLIMITED };
        let e = smp_within(&crowd(100_000), &SmpOptions::ktab(), &budget, &|_, _| {});
        assert!(matches!(e, Err(SmpError::TooLarge { actors: 100_000, .. })), "{e:?}");
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn err_issue_17_eum_with_full_detail_on_100_000_actors_is_refused() {
        let options =
            EumOptions { detail: crate::bargain::eum::Detail::Full, ..EumOptions::scholz() };
        let budget = Budget { max_bytes: Some(4 * GIB), ..Budget::UNLIMITED };
        let e = eum_within(&crowd(100_000), 0, &options, &budget, &|_, _| {});
        assert!(matches!(e, Err(EumError::TooLarge { actors: 100_000, .. })), "{e:?}");
    }

    #[test]
    fn issue_17_eum_stops_at_its_round_budget() {
        let budget = Budget { max_nodes: Some(2), ..Budget::UNLIMITED };
        let options = EumOptions { tolerance: 0.0, ..EumOptions::scholz() };
        let Ok(b) = eum_within(&crowd(300), 0, &options, &budget, &|_, _| {}) else {
            unreachable!("a valid run")
        };
        if let Some(s) = b.stopped {
            assert_eq!((s.limit, s.done, b.outcome.rounds.len()), (Limit::Nodes, 2, 2));
        } else {
            assert!(b.outcome.rounds.len() <= 2);
        }
    }

    /// A round on 100,000 actors weighs 10^10 offers and takes minutes: the time budget stops
    /// the round under way, so the run ends within seconds with no round completed.
    #[test]
    fn issue_17_eum_on_100_000_actors_stops_within_its_time_budget() {
        let t = Instant::now();
        let budget = Budget { max_time: Some(Duration::from_secs(1)), ..Budget::UNLIMITED };
        let Ok(b) = eum_within(&crowd(100_000), 0, &EumOptions::scholz(), &budget, &|_, _| {})
        else {
            unreachable!("a valid run")
        };
        let s = b.stopped.expect("stopped by the time budget");
        assert_eq!((s.limit, s.done, s.total, b.outcome.rounds.len()), (Limit::Time, 0, 10, 0));
        assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    }

    /// Progress counts receivers, every `PROGRESS_EVERY` of them and at the end of each round.
    #[test]
    fn issue_17_eum_reports_progress_within_a_round() {
        let calls = std::sync::Mutex::new(Vec::new());
        let options = EumOptions { max_rounds: 1, ..EumOptions::scholz() };
        let record = |done, total| calls.lock().expect("not poisoned").push((done, total));
        let Ok(b) = eum_within(&crowd(3000), 0, &options, &Budget::UNLIMITED, &record) else {
            unreachable!("a valid run")
        };
        assert_eq!(b.stopped, None);
        let mut calls = calls.into_inner().expect("not poisoned");
        calls.sort_unstable();
        assert_eq!(calls, [(1024, 3000), (2048, 3000), (3000, 3000)]);
    }

    /// A valid 40-descriptor × 5-variant matrix (about 10^28 scenarios) with strong couplings:
    /// the search stops at its node or time budget with what it found, marked incomplete.
    #[test]
    fn issue_17_cib_on_10_pow_28_scenarios_stops_at_its_budget() {
        let (n, k) = (40, 5);
        let v = n * k;
        let mut rows = vec![vec![0i64; v]; v];
        for (r, row) in rows.iter_mut().enumerate() {
            for (c, x) in row.iter_mut().enumerate() {
                if r / k != c / k {
                    // A deterministic pseudo-random judgment in −3..=3.
                    *x = ((r * 7919 + c * 104_729) % 7) as i64 - 3;
                }
            }
        }
        let descriptors = (0..n)
            .map(|d| Descriptor {
                name: format!("d{d}"),
                variants: (0..k).map(|x| format!("v{x}")).collect(),
            })
            .collect();
        let Ok(m) = CibMatrix::new(descriptors, rows) else { unreachable!("a valid matrix") };
        let o = SolveOptions {
            method: Method::BranchAndBound,
            tolerance: 3,
            fixed: vec![],
            max_scenarios: 1_000_000,
        };
        let t = Instant::now();
        let nodes = Budget { max_nodes: Some(2_000_000), ..Budget::UNLIMITED };
        let Ok(b) = solve_within(&m, &o, &nodes, &|_, _| {}) else { unreachable!("valid options") };
        let s = b.stopped.expect("10^28 scenarios are not searched in 2 million nodes");
        assert_eq!(s.limit, Limit::Nodes);
        assert!(s.done < s.total && !b.unsearched.is_empty());
        assert!(b.solution.nodes <= 2_000_000 + s.total * 64);
        let time = Budget { max_time: Some(Duration::from_millis(300)), ..Budget::UNLIMITED };
        let Ok(b) = solve_within(&m, &o, &time, &|_, _| {}) else { unreachable!("valid options") };
        assert_eq!(b.stopped.map(|s| s.limit), Some(Limit::Time));
        assert!(t.elapsed() < Duration::from_secs(60));
    }
}
