//! Coherence across lens results: where two lenses say different things about the same part of
//! the world, and why. The static checks (cross impacts against the network's parents and CPTs)
//! are `model::coherence` warnings, which the loader gives; this module adds the one that needs
//! the lenses to run, and gathers both into the "where the lenses disagree, and why" part of the
//! report.
//!
//! `statecraft::hypothesis_far_from_state`: a hypothesis declares `maps_to = "driver.state"`,
//! and its ACH weight (summed over every hypothesis mapped to the same state, since ACH weighs
//! explanations that need not exclude each other) differs from the network's probability of that
//! state by at least [`MAPPING_GAP`]. The two lenses answer different questions: ACH weighs the
//! evidence as of the scenario's date about what is happening; the network gives how likely a
//! state is over the scenario's horizon from its causes, and sees none of the evidence. A wide
//! gap says that one of them is missing what the other knows.

use model::diag::{Diagnostic, Severity};
use model::load::{Loaded, Seg, path_string, value_span};
use model::scenario::Scenario;

use crate::ach::AchAnalysis;
use crate::bayes::ScenarioBayes;

/// How far apart (in probability) an ACH weight and the probability of its mapped state must
/// be for a warning: 0.25, a quarter of the scale, is more than any band of ICD 203's
/// estimative words spans but one.
pub const MAPPING_GAP: f64 = 0.25;

/// One place where the lenses disagree, with why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Disagreement {
    /// The warning's code, such as `statecraft::hypothesis_far_from_state`.
    pub code: &'static str,
    /// The key path of the scenario value concerned.
    pub path: String,
    /// What disagrees, in a sentence.
    pub text: String,
    /// Why the lenses can disagree there, or what to do about it.
    pub why: String,
}

/// The lens-level disagreements: each state that hypotheses map to whose ACH weight and network
/// probability differ by at least [`MAPPING_GAP`]. Empty without ACH weights (a scoring rule
/// other than Bayes mode) or without the network.
pub fn disagreements(s: &Scenario, ach: &AchAnalysis, bayes: &ScenarioBayes) -> Vec<Disagreement> {
    let Some(weights) = ach.result.posteriors.as_ref() else { return Vec::new() };
    let hyps = ach.matrix.hypotheses();
    let vars = bayes.analysis.net.variables();
    let mut out = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for (i, h) in s.hypotheses.iter().enumerate() {
        let Some(m) = &h.maps_to else { continue };
        let key = m.to_string();
        if done.contains(&key) {
            continue;
        }
        done.push(key.clone());
        let Some(v) = vars.iter().position(|x| x.name == m.driver) else { continue };
        let Some(k) = vars[v].states.iter().position(|x| *x == m.state) else { continue };
        let p = bayes.analysis.posterior.marginals[v][k];
        let mapped: Vec<&str> = s
            .hypotheses
            .iter()
            .filter(|x| x.maps_to.as_ref().is_some_and(|y| y.to_string() == key))
            .map(|x| x.id.as_str())
            .collect();
        let w: f64 = hyps
            .iter()
            .zip(weights)
            .filter(|(id, _)| mapped.contains(&id.as_str()))
            .map(|(_, w)| w)
            .sum();
        if (w - p).abs() < MAPPING_GAP {
            continue;
        }
        let path = path_string(&[Seg::Key("hypothesis"), Seg::Index(i), Seg::Key("maps_to")]);
        out.push(Disagreement {
            code: "statecraft::hypothesis_far_from_state",
            path,
            text: format!(
                "ACH gives {} {:.0} % of its weight, but the Bayesian network gives the state {} for, {key}, {:.0} %",
                mapped.join(" + "),
                w * 100.0,
                if mapped.len() > 1 { "they stand" } else { "it stands" },
                p * 100.0
            ),
            why: "ACH weighs the evidence as of the scenario's date about what is happening now; the network derives the state's probability over the horizon from its parents and sees none of that evidence. Either the evidence should inform the network's judgment of this driver, or the hypothesis and the state are not the same thing.".into(),
        });
    }
    out
}

/// The disagreements as warnings pointing into the scenario's source, for `statecraft check`.
pub fn diagnostics(loaded: &Loaded, found: &[Disagreement]) -> Vec<Diagnostic> {
    found
        .iter()
        .map(|d| {
            let mut diag = Diagnostic::error(d.code, d.text.clone()).with_note(d.why.clone()).with_help(
                "check the hypothesis's `maps_to`, its ratings, and the CPT of the driver it maps to",
            );
            diag.severity = Severity::Warning;
            diag.path = d.path.clone();
            let segs = parse_path(&d.path);
            diag.primary = value_span(&loaded.source.text, &segs)
                .map(|r| (r, "ACH and the network disagree".to_string()));
            diag
        })
        .collect()
}

/// The segments of a key path written by [`path_string`] (`hypothesis[0].maps_to`).
fn parse_path(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        out.push(Seg::Key(key));
        if let Some(i) = rest.strip_suffix(']').and_then(|x| x.parse().ok()) {
            out.push(Seg::Index(i));
        }
    }
    out
}

/// Every coherence warning of a loaded scenario that needs lens results: runs ACH (Bayes mode)
/// and the Bayes lens when a hypothesis maps to a driver state. `statecraft check` adds these to
/// the loader's warnings.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let s = &loaded.scenario;
    if !s.hypotheses.iter().any(|h| h.maps_to.is_some()) {
        return Vec::new();
    }
    let Ok(ach) = crate::ach::from_scenario(s, &crate::ach::AchSettings::for_run()) else {
        return Vec::new();
    };
    let Ok(bayes) = crate::bayes::scenario(s, &crate::bayes::BayesSettings::for_run(s)) else {
        return Vec::new();
    };
    diagnostics(loaded, &disagreements(s, &ach, &bayes))
}
