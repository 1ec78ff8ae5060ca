//! Confidence in the headline, kept apart from its likelihood, as US Intelligence Community
//! Directive 203, *Analytic Standards* (2015), §D.6.b(2) asks: an assessment says how likely
//! something is *and* how much confidence the analyst has in that judgment, which rests on the
//! quality and quantity of the sources, the assumptions, and how well the reasoning holds.
//!
//! The rule rates four factors strong, fair or weak:
//!
//! | factor | strong | fair | weak |
//! |---|---|---|---|
//! | sources: independent non-analyst sources behind the evidence, and how many are of high reliability | ≥ 3 sources, ≥ 2 high | otherwise | ≤ 1 source, or none high |
//! | speculation: share of evidence items flagged `speculative` | < 10 % | 10–25 % | > 25 % |
//! | lenses: coherence warnings and lens disagreements ([`crate::coherence`]) | none | — | one or more |
//! | range: the lowest and highest headline across every judged probability moved by ± the summary swing (the headline's tornado) | stays in the headline's ICD 203 band | reaches one neighbouring band | spans three bands or more |
//! | robustness (when the ensemble ran): the headline's 90 % interval over seeded draws of every judgment at once ([`crate::ensemble`]), and the share of draws in which the option best as stated stays best | the interval stays in one band and the option stays best in ≥ 90 % of the draws | otherwise | the interval spans three bands or more, or the option stays best in fewer than half of the draws |
//!
//! The level is **high** when no factor is weak and all but one are strong (three of four, four
//! of five), **low** when two or more are weak, and **moderate** otherwise. The rule is ours, documented in docs/bayes.md;
//! ICD 203 names the grounds of confidence but prescribes no formula.

use engines::bayes::Tornado;
use engines::estimative::{Band, band};
use model::scenario::{EvidenceFlag, Level as Reliability, Scenario, SourceKind};

use crate::coherence::Disagreement;
use crate::ensemble::Robustness;

/// The share of draws in which the option best as stated must stay best for the robustness
/// factor to be strong.
pub const STAYS_BEST_STRONG: f64 = 0.9;

/// The share of draws below which the robustness factor is weak: another option is best more
/// often than the stated one.
pub const STAYS_BEST_WEAK: f64 = 0.5;

impl Confidence {
    /// The confidence in one line: the level, then each factor's rating and reason.
    pub fn line(&self) -> String {
        let reasons: Vec<String> = self
            .factors
            .iter()
            .map(|f| {
                let r = match f.rating {
                    Rating::Weak => "weak",
                    Rating::Fair => "fair",
                    Rating::Strong => "strong",
                };
                format!("{} {r}: {}", f.factor, f.reason)
            })
            .collect();
        format!(
            "Confidence in this judgment (ICD 203, apart from its likelihood): {}. {}.",
            self.level.words(),
            reasons.join("; ")
        )
    }
}

/// Confidence in a judgment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Low confidence.
    Low,
    /// Moderate confidence.
    Moderate,
    /// High confidence.
    High,
}

impl Level {
    /// The level in words.
    pub fn words(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Moderate => "moderate",
            Level::High => "high",
        }
    }
}

/// How one factor bears on confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Lowers confidence.
    Weak,
    /// Neither.
    Fair,
    /// Supports confidence.
    Strong,
}

/// One factor with its rating and the reason in words.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Factor {
    /// `sources`, `speculation`, `lenses`, `range` or `robustness`.
    pub factor: &'static str,
    /// How it bears on confidence.
    pub rating: Rating,
    /// Why, in a sentence.
    pub reason: String,
}

/// The confidence in the headline and its reasons.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Confidence {
    /// Low, moderate or high.
    pub level: Level,
    /// The factors, in the order of the module's table.
    pub factors: Vec<Factor>,
}

/// Rates the confidence in a headline of probability `p` by the rule of the module
/// documentation; `tornado` is the headline's tornado (`None` rates the range fair, unknown),
/// and `robustness` the ensemble's summary (`None` leaves the robustness factor out).
pub fn assess(
    s: &Scenario,
    p: f64,
    tornado: Option<&Tornado>,
    disagreements: &[Disagreement],
    robustness: Option<&Robustness>,
) -> Confidence {
    let mut factors = Vec::new();

    // Sources: the independent sources the evidence rests on, not counting the analyst.
    let mut used: Vec<&str> = s.evidence.iter().map(|e| e.source.as_str()).collect();
    used.sort_unstable();
    used.dedup();
    let sources: Vec<_> = s
        .sources
        .iter()
        .filter(|x| used.contains(&x.id.as_str()) && x.kind != SourceKind::Analyst)
        .collect();
    let high = sources.iter().filter(|x| x.reliability == Reliability::High).count();
    let rating = if sources.len() >= 3 && high >= 2 {
        Rating::Strong
    } else if sources.len() <= 1 || high == 0 {
        Rating::Weak
    } else {
        Rating::Fair
    };
    factors.push(Factor {
        factor: "sources",
        rating,
        reason: format!(
            "the evidence rests on {} independent source{}, {high} of high reliability",
            sources.len(),
            if sources.len() == 1 { "" } else { "s" }
        ),
    });

    // Speculation.
    let total = s.evidence.len();
    let speculative =
        s.evidence.iter().filter(|e| e.flags.contains(&EvidenceFlag::Speculative)).count();
    let share = if total == 0 { 0.0 } else { speculative as f64 / total as f64 };
    let rating = if share > 0.25 {
        Rating::Weak
    } else if share >= 0.10 {
        Rating::Fair
    } else {
        Rating::Strong
    };
    factors.push(Factor {
        factor: "speculation",
        rating,
        reason: format!("{speculative} of {total} evidence items are flagged speculative"),
    });

    // Lenses.
    let n = disagreements.len();
    factors.push(Factor {
        factor: "lenses",
        rating: if n == 0 { Rating::Strong } else { Rating::Weak },
        reason: if n == 0 {
            "the lenses raise no coherence warning".to_string()
        } else {
            format!(
                "the lenses disagree in {n} place{} (see where the lenses disagree)",
                if n == 1 { "" } else { "s" }
            )
        },
    });

    // Range of the headline over the judged ranges.
    let (rating, reason) = match tornado {
        Some(t) => {
            let values =
                t.bars.iter().flat_map(|b| [b.target_low, b.target_high]).flatten().chain([t.base]);
            let (lo, hi) = values.fold((p, p), |(l, h), x| (l.min(x), h.max(x)));
            let spanned = bands_spanned(lo, hi);
            let rating = match spanned {
                1 => Rating::Strong,
                2 => Rating::Fair,
                _ => Rating::Weak,
            };
            let top = t.bars.first().map_or(0.0, |b| b.swing);
            (
                rating,
                format!(
                    "moving each judged probability by ±{:.0} points moves the headline between {:.0} % and {:.0} % ({spanned} estimative band{}; the largest single swing is {:.0} points)",
                    model::lens::bayes::SUMMARY_SWING * 100.0,
                    lo * 100.0,
                    hi * 100.0,
                    if spanned == 1 { "" } else { "s" },
                    top * 100.0
                ),
            )
        }
        None => (Rating::Fair, "the headline's sensitivity could not be computed".to_string()),
    };
    factors.push(Factor { factor: "range", rating, reason });

    // Robustness: every judgment moved at once.
    if let Some(r) = robustness {
        let (lo, hi) = (r.headline.p05, r.headline.p95);
        let spanned = bands_spanned(lo, hi);
        let stays = r.stays_best();
        let rating = if spanned >= 3 || stays < STAYS_BEST_WEAK {
            Rating::Weak
        } else if spanned == 1 && stays >= STAYS_BEST_STRONG {
            Rating::Strong
        } else {
            Rating::Fair
        };
        factors.push(Factor {
            factor: "robustness",
            rating,
            reason: format!(
                "over {} seeded draws of every judgment at once, the headline's 90 % interval is {:.0}–{:.0} % ({spanned} estimative band{}) and {} stays the best option in {:.0} % of them",
                r.samples,
                lo * 100.0,
                hi * 100.0,
                if spanned == 1 { "" } else { "s" },
                r.stated_best,
                stays * 100.0
            ),
        });
    }

    let weak = factors.iter().filter(|f| f.rating == Rating::Weak).count();
    let strong = factors.iter().filter(|f| f.rating == Rating::Strong).count();
    let level = if weak >= 2 {
        Level::Low
    } else if weak == 0 && strong + 1 >= factors.len() {
        Level::High
    } else {
        Level::Moderate
    };
    Confidence { level, factors }
}

/// How many ICD 203 bands the interval from `lo` to `hi` touches (3 when a bound has no band).
fn bands_spanned(lo: f64, hi: f64) -> usize {
    match (band(lo), band(hi)) {
        (Some(a), Some(b)) => index(b) - index(a) + 1,
        _ => 3,
    }
}

/// The position of a band on the scale, from "almost no chance" (0) up.
fn index(b: Band) -> usize {
    match b {
        Band::AlmostNoChance => 0,
        Band::VeryUnlikely => 1,
        Band::Unlikely => 2,
        Band::RoughlyEvenChance => 3,
        Band::Likely => 4,
        Band::VeryLikely => 5,
        Band::AlmostCertain => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn korea() -> Scenario {
        let b = model::builtin::find("korea-2024").expect("built in");
        model::builtin::load(b).unwrap_or_else(|d| panic!("{d}")).scenario
    }

    fn disagreement() -> Disagreement {
        Disagreement {
            code: "statecraft::hypothesis_far_from_state",
            path: String::new(),
            text: String::new(),
            why: String::new(),
        }
    }

    /// Three high-rated factors and no weak one give high; two weak ones give low.
    #[test]
    fn the_level_follows_the_counts_of_weak_and_strong_factors() {
        let mut s = korea();
        for e in &mut s.evidence {
            e.flags.retain(|f| *f != EvidenceFlag::Speculative);
        }
        let t = Tornado { base: 0.3, bars: Vec::new() };
        let c = assess(&s, 0.3, Some(&t), &[], None);
        assert_eq!(c.factors.iter().map(|f| f.rating).collect::<Vec<_>>(), [Rating::Strong; 4]);
        assert_eq!(c.level, Level::High);
        // One disagreement: one weak factor, moderate.
        assert_eq!(assess(&s, 0.3, Some(&t), &[disagreement()], None).level, Level::Moderate);
        // And most evidence speculative: two weak, low.
        for e in &mut s.evidence {
            e.flags.push(EvidenceFlag::Speculative);
        }
        assert_eq!(assess(&s, 0.3, Some(&t), &[disagreement()], None).level, Level::Low);
    }

    fn robustness(p05: f64, p95: f64, stays: f64) -> Robustness {
        let d = crate::ensemble::distribution(vec![p05, 0.3, p95]);
        Robustness {
            samples: 500,
            seed: 1,
            headline_state: "war.korean".into(),
            decision: "seoul".into(),
            stated_best: "wait".into(),
            headline: crate::ensemble::Distribution { p05, p95, ..d },
            best: vec![("act".into(), 1.0 - stays), ("wait".into(), stays)],
        }
    }

    /// The ensemble's factor: strong when the 90 % interval stays in one band and the stated
    /// best option stays best in at least 90 % of the draws, weak when the interval spans three
    /// bands or the option loses more often than not; with five factors, high needs four strong.
    #[test]
    fn the_ensemble_rates_robustness_by_its_interval_and_how_often_the_best_stays_best() {
        let mut s = korea();
        for e in &mut s.evidence {
            e.flags.retain(|f| *f != EvidenceFlag::Speculative);
        }
        let t = Tornado { base: 0.3, bars: Vec::new() };
        let rate = |r: &Robustness| {
            let c = assess(&s, 0.3, Some(&t), &[], Some(r));
            assert_eq!(c.factors.len(), 5);
            (c.factors[4].rating, c.level)
        };
        assert_eq!(rate(&robustness(0.25, 0.40, 0.95)), (Rating::Strong, Level::High));
        assert_eq!(rate(&robustness(0.25, 0.40, 0.90)), (Rating::Strong, Level::High));
        assert_eq!(rate(&robustness(0.25, 0.40, 0.89)), (Rating::Fair, Level::High));
        assert_eq!(rate(&robustness(0.15, 0.40, 0.95)), (Rating::Fair, Level::High));
        assert_eq!(rate(&robustness(0.15, 0.50, 0.95)), (Rating::Weak, Level::Moderate));
        assert_eq!(rate(&robustness(0.25, 0.40, 0.45)), (Rating::Weak, Level::Moderate));
        // Two fair factors out of five leave three strong: moderate, not high.
        let narrow = Tornado {
            base: 0.3,
            bars: vec![engines::bayes::Bar {
                parameter: engines::bayes::Parameter::Probability { node: 0, row: 0, state: 0 },
                base: 0.5,
                low: 0.4,
                high: 0.6,
                target_low: Some(0.15),
                target_high: Some(0.35),
                swing: 0.2,
                threshold: None,
            }],
        };
        let c = assess(&s, 0.3, Some(&narrow), &[], Some(&robustness(0.25, 0.40, 0.89)));
        assert_eq!(c.factors[3].rating, Rating::Fair);
        assert_eq!(c.level, Level::Moderate);
    }
}
