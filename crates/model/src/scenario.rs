//! The typed scenario, as written in a scenario file (format version 1).
//!
//! A scenario is one TOML document. Its top-level sections are arrays of tables, one entry per
//! element, each with an `id` that other sections refer to:
//!
//! - [`Meta`] (`[scenario]`): the question, the date it is asked on, the focal actor, the headline.
//! - [`Source`], [`Evidence`]: where every judgment comes from.
//! - [`Actor`], [`Issue`]: who is involved, their power, influence and positions.
//! - [`Hypothesis`]: competing explanations, rated against the evidence.
//! - [`Driver`], [`CrossImpact`]: variables with discrete states, their influences, impacts and
//!   probabilities.
//! - [`Decision`], [`Game`]: choices of actors, with utilities and payoffs; a game's
//!   [`Meaning`]s tie its strategies to decision options and issue ranges.
//! - [`Indicator`]: what to watch for.
//! - [`Quantity`], [`Derived`]: figures taken from the sources and figures computed from them.
//! - Dated updates, made after `as_of` and never editing its judgments: [`Evidence`] rated with
//!   its own `bears_on`, [`Observation`]s of indicators and drivers, [`Revision`]s of
//!   quantities, and [`Resolution`]s of the scenario's questions (see [`crate::updates`]).
//!
//! Every numeric judgment may carry its reason (`why`) and provenance (`source`, `locator`),
//! either on the enclosing table or, for a bare number, by writing it as a [`Judged`] table
//! `{ value = 3, why = "…", source = "…", locator = "…" }`. `docs/scenario-format.md` documents
//! every key. Types here only describe the shape of the file; the checks that need more than one
//! value at a time (cross-references, sums, ranges) live in [`crate::validate`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// The format version this crate reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario is about.
    pub scenario: Meta,
    /// Documents that judgments cite.
    #[serde(default, rename = "source", skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Dated claims taken from sources.
    #[serde(default, rename = "evidence", skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// States and organisations.
    #[serde(default, rename = "actor", skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    /// Contested policy dimensions.
    #[serde(default, rename = "issue", skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    /// Competing explanations.
    #[serde(default, rename = "hypothesis", skip_serializing_if = "Vec::is_empty")]
    pub hypotheses: Vec<Hypothesis>,
    /// Variables with discrete states.
    #[serde(default, rename = "driver", skip_serializing_if = "Vec::is_empty")]
    pub drivers: Vec<Driver>,
    /// Cross-impact judgments between the states of two drivers.
    #[serde(default, rename = "cross_impact", skip_serializing_if = "Vec::is_empty")]
    pub cross_impacts: Vec<CrossImpact>,
    /// Choices that actors control.
    #[serde(default, rename = "decision", skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    /// Strategic interactions in normal form.
    #[serde(default, rename = "game", skip_serializing_if = "Vec::is_empty")]
    pub games: Vec<Game>,
    /// Observables to watch.
    #[serde(default, rename = "indicator", skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    /// Figures taken from the sources, with their ranges.
    #[serde(default, rename = "quantity", skip_serializing_if = "Vec::is_empty")]
    pub quantities: Vec<Quantity>,
    /// Figures computed from quantities.
    #[serde(default, rename = "derived", skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<Derived>,
    /// Dated sightings of indicators and observations of drivers, made after `as_of`.
    #[serde(default, rename = "observation", skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    /// Dated revisions of quantities, made after `as_of`.
    #[serde(default, rename = "revision", skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<Revision>,
    /// What actually happened: the outcome of each question the scenario forecasts.
    #[serde(default, rename = "resolution", skip_serializing_if = "Vec::is_empty")]
    pub resolutions: Vec<Resolution>,
    /// How far judgments without a range of their own may move in `statecraft ensemble`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

/// The `[uncertainty]` table: the scenario-wide spread of every judgment that gives none of
/// its own, for `statecraft ensemble`. Either key may be left out, and then the ensemble's
/// built-in default applies (its report says which judgments took a default).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// The Dirichlet concentration of every probability row (a driver's `prior`, a `cpt` row, the
    /// hypotheses' priors) that gives neither a concentration nor ranges: larger keeps draws
    /// closer to the stated row (each entry's variance is `p (1 − p) / (concentration + 1)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concentration: Option<f64>,
    /// The half-width of the range of every other judged number that gives none, as a fraction
    /// of its scale: of the span of the decision's utilities or the game's payoffs, of 100 for
    /// positions and saliences, of 6 for impacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread: Option<f64>,
    /// Why these spreads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A closed range `[low, high]` of a judged number.
pub type Bounds = [f64; 2];

/// The `[scenario]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The scenario format version; must be 1.
    pub format: i64,
    /// A short identifier, such as `korea-2024`.
    pub id: String,
    /// A human title.
    pub title: String,
    /// The question the scenario answers.
    pub question: String,
    /// The date the question is asked on (`YYYY-MM-DD`); evidence after it is ignored.
    pub as_of: Date,
    /// The actor whose decisions the analysis serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focal_actor: Option<String>,
    /// The outcome the question asks about, as `driver.state`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<StateRef>,
    /// A paragraph on what the scenario covers and leaves out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Whether the hypotheses are declared mutually exclusive and exhaustive (then ACH's
    /// Bayesian weights are probabilities) or left open (the default: relative support).
    #[serde(default, skip_serializing_if = "HypothesisSet::is_open")]
    pub hypotheses: HypothesisSet,
    /// When the event the hypotheses explain began: evidence about something that happened
    /// earlier predates it, and ACH's reports flag it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Date>,
    /// The date through which dated updates have been applied, when later than `as_of`: set by
    /// [`crate::updates::known_by`], never read from a file.
    #[serde(skip)]
    pub known_by: Option<Date>,
}

impl Meta {
    /// The date of what the scenario knows: `known_by` when updates were applied, else `as_of`.
    pub fn knowledge_date(&self) -> Date {
        self.known_by.unwrap_or(self.as_of)
    }

    /// How the reports date the scenario: `as of 2024-10-31`, or, with updates applied,
    /// `judged as of 2024-10-31, updated to 2025-06-30`.
    pub fn dating(&self) -> String {
        match self.known_by {
            Some(k) => format!("judged as of {}, updated to {k}", self.as_of),
            None => format!("as of {}", self.as_of),
        }
    }
}

/// A document that judgments cite.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Identifier other sections cite.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Author or issuing body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// What kind of document it is.
    pub kind: SourceKind,
    /// How far the source is trusted.
    pub reliability: Level,
    /// Where to find it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why it is trusted as much as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// How the scenario's hypotheses relate to each other (`[scenario] hypotheses`).
///
/// Heuer's method does not need exclusive hypotheses: it asks which one the evidence
/// contradicts least. Bayesian updating normalises the weights to sum to 1 either way, but the
/// result is the probability that a hypothesis is true only when exactly one of them is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HypothesisSet {
    /// Not declared exclusive: several may hold at once, or none; the Bayesian weights are
    /// relative support.
    #[default]
    Open,
    /// Mutually exclusive and exhaustive: exactly one holds, and the Bayesian weights are
    /// probabilities.
    Exclusive,
}

impl HypothesisSet {
    /// Whether the set is left open (the default, not written out).
    pub fn is_open(&self) -> bool {
        *self == HypothesisSet::Open
    }
}

/// The kind of a source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// An opinion piece or commentary.
    OpEd,
    /// A news report.
    News,
    /// A scholarly article or book.
    Academic,
    /// A treaty, law or official text.
    Treaty,
    /// A government statement or briefing.
    Official,
    /// An intelligence service's public assessment.
    Intelligence,
    /// A data set.
    Dataset,
    /// The analyst's own judgment.
    Analyst,
}

/// A three-step judgment of strength: credibility, relevance, reliability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Weak.
    Low,
    /// Moderate.
    Medium,
    /// Strong.
    High,
}

/// A dated claim from a source, in the analyst's own words.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Identifier hypotheses rate against.
    pub id: String,
    /// The claim, paraphrased.
    pub claim: String,
    /// The source it comes from.
    pub source: String,
    /// Where in the source (paragraph, page, article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// When it was reported.
    pub reported: Date,
    /// When the event it describes happened, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Date>,
    /// How credible the claim is.
    pub credibility: Level,
    /// How much it bears on the question.
    pub relevance: Level,
    /// Warnings about the claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<EvidenceFlag>,
    /// Why it is rated as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// For an item reported after `as_of` (a dated update): how consistent it is with each
    /// hypothesis, keyed by hypothesis id. Items known by `as_of` are rated in the
    /// hypotheses' `ratings` instead, so that an update never edits those judgments.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bears_on: BTreeMap<String, Rating>,
}

/// A warning attached to an evidence item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceFlag {
    /// Other sources contradict it.
    Disputed,
    /// A party may have planted it.
    DeceptionPossible,
    /// It is a forecast or conjecture, not an observation.
    Speculative,
}

/// A state or organisation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Identifier other sections refer to.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What kind of actor it is.
    pub kind: ActorKind,
    /// Relative power to shape outcomes, on a scale from 0 up (the scale is the analyst's, and
    /// only ratios matter).
    pub capability: Judged<f64>,
    /// Direct influence on other actors, MACTOR scale 0–4 (0 none, 1 operating procedures,
    /// 2 projects, 3 missions, 4 existence), keyed by the other actor's id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub influence: BTreeMap<String, Judged<i64>>,
    /// Why the actor is modelled as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorKind {
    /// A sovereign state.
    State,
    /// An alliance or international organisation.
    Alliance,
    /// A government agency or faction within a state.
    Agency,
    /// A non-state group.
    Group,
}

/// A contested policy dimension on a 0–100 scale.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Labels of points on the scale, keyed by the point (`"0"`, `"50"`, `"100"`).
    pub scale: BTreeMap<String, String>,
    /// Each actor's position and salience.
    #[serde(rename = "stance")]
    pub stances: Vec<Stance>,
    /// The actor that decides the issue alone, when it is one actor's own choice rather than a
    /// collective outcome (such as a state's own nuclear programme). Such an issue is not
    /// bargained: the bargaining models leave it out, and the reports give that actor's
    /// stated position instead. The actor must have a stance on the issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

/// One actor's stance on an issue.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    /// The actor.
    pub actor: String,
    /// Where the actor stands, 0–100 on the issue's scale.
    pub position: f64,
    /// How much the actor cares, 0–100.
    pub salience: f64,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The range the position may take in an ensemble, holding `position`, within 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_range: Option<Bounds>,
    /// The range the salience may take in an ensemble, holding `salience`, within 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience_range: Option<Bounds>,
}

/// A competing explanation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hypothesis {
    /// Identifier.
    pub id: String,
    /// A short title.
    pub title: String,
    /// What the hypothesis claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Prior probability for Bayesian ACH; uniform when every hypothesis omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<Judged<f64>>,
    /// The ACH rating of each evidence item under this hypothesis, keyed by evidence id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<String, Judged<Rating>>,
    /// The driver state this hypothesis stands for in the drivers' lenses, as `driver.state`;
    /// the coherence checks compare the hypothesis's ACH weight with that state's probability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maps_to: Option<StateRef>,
}

/// An ACH rating: how consistent an item of evidence is with a hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Rating {
    /// Very consistent.
    CC,
    /// Consistent.
    C,
    /// Neutral.
    N,
    /// Inconsistent.
    I,
    /// Very inconsistent.
    II,
    /// Not applicable.
    NA,
}

/// A variable with discrete states.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Driver {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The state identifiers, in order.
    pub states: Vec<String>,
    /// Display labels of the states, in the same order (defaults to the identifiers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// MICMAC direct influence on other drivers, keyed by driver id: 0 none, 1 weak,
    /// 2 moderate, 3 strong, or `"P"` potential.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub influence: BTreeMap<String, Judged<Influence>>,
    /// Parents in the Bayesian network: drivers or decisions, whose states condition this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<String>,
    /// Prior probabilities of the states, for a driver without parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<Judged<Vec<f64>>>,
    /// Conditional probability rows, one per combination of the parents' states.
    #[serde(default, rename = "cpt", skip_serializing_if = "Vec::is_empty")]
    pub cpt: Vec<CptRow>,
    /// Why the driver is modelled as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// The Dirichlet concentration of the `prior` in an ensemble (see [`CptRow::concentration`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_concentration: Option<f64>,
    /// A range for each entry of the `prior` in an ensemble (see [`CptRow::range`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_range: Option<Vec<Bounds>>,
}

/// A MICMAC influence: a number 0–3 or a potential influence `"P"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Influence {
    /// 0 none, 1 weak, 2 moderate, 3 strong.
    Level(i64),
    /// A potential influence, not yet at work.
    Potential,
}

/// One row of a conditional probability table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CptRow {
    /// The parents' states this row applies to, keyed by parent id.
    pub when: BTreeMap<String, String>,
    /// The probability of each state of the driver, in the driver's state order.
    pub p: Vec<f64>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// In an ensemble, the row is drawn from a Dirichlet distribution centred on `p` with this
    /// concentration (greater than 0); not together with `range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concentration: Option<f64>,
    /// In an ensemble, each entry is drawn uniformly from its range (one `[low, high]` per
    /// state, holding the entry, within 0–1) and the row is then rescaled to sum to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Vec<Bounds>>,
}

/// Cross-impact judgments (CIB): how each state of one driver promotes (+) or restricts (−) each
/// state of another, integers −3..+3.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrossImpact {
    /// The acting driver.
    pub from: String,
    /// The driver acted upon.
    pub to: String,
    /// One row per state of `from`, one column per state of `to`: inline, or the path of a CSV
    /// file relative to the scenario file.
    pub impacts: Matrix,
    /// Why the Bayesian network deliberately has no path from `from` to `to` (a feedback loop
    /// that an acyclic network cannot hold, say); the coherence check then does not warn about
    /// the missing link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in_network: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// In an ensemble, how many points (0–6) each impact may move either way: it is drawn
    /// uniformly from `[impact − spread, impact + spread]`, rounded to the nearest integer and
    /// kept within −3..+3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread: Option<f64>,
}

/// An integer matrix written inline in the scenario, or kept in a CSV file beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Matrix {
    /// Rows written inline.
    Inline(Vec<Vec<i64>>),
    /// The path of a CSV file (integers, one row per line, no header), relative to the scenario
    /// file. The loader reads it and replaces this with [`Matrix::Inline`].
    File(String),
}

impl Matrix {
    /// The rows, once the loader has read any CSV file (empty before).
    pub fn rows(&self) -> &[Vec<i64>] {
        match self {
            Matrix::Inline(rows) => rows,
            Matrix::File(_) => &[],
        }
    }
}

impl<'de> Deserialize<'de> for Matrix {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Matrix, D::Error> {
        struct MatrixVisitor;
        impl<'de> Visitor<'de> for MatrixVisitor {
            type Value = Matrix;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of rows of integers, or the path of a CSV file")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Matrix, E> {
                Ok(Matrix::File(s.to_owned()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Matrix, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Matrix::Inline)
            }
        }
        d.deserialize_any(MatrixVisitor)
    }
}

/// A choice an actor controls, with additive utilities over the states of drivers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Identifier; drivers may name it as a parent.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The actor who decides.
    pub owner: String,
    /// The option identifiers, in order.
    pub options: Vec<String>,
    /// Drivers whose state is known when the decision is taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observes: Vec<String>,
    /// Drivers whose state the decision-maker could learn by deciding later (say, after an
    /// election): the answer reports both readings, deciding now and deciding once these are
    /// known, with the value of waiting and the policy that waiting allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awaits: Vec<String>,
    /// Utility terms; the utility of an option in a future is the sum of its terms.
    #[serde(rename = "utility")]
    pub utilities: Vec<UtilityTerm>,
    /// Why the decision is framed as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// One additive utility term: what an option is worth in each state of one driver.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UtilityTerm {
    /// The option; `None` ties the term to every option of the decision: one judgment, the
    /// same whatever the option, which a sensitivity analysis moves for all options at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// The driver whose state matters.
    pub driver: String,
    /// The utility in each state of the driver, in the driver's state order.
    pub values: Vec<f64>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// In an ensemble, the range of each value (one `[low, high]` per state, holding the value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Vec<Bounds>>,
    /// A name shared by terms that are one judgment written several times (the same cost under
    /// every option): tied terms have the same values and ranges, and move together in an
    /// ensemble and in a tornado.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie: Option<String>,
}

/// A strategic interaction in normal form.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Game {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The players: actor ids, in order.
    pub players: Vec<String>,
    /// Each player's strategies, keyed by actor id.
    pub strategies: BTreeMap<String, Vec<String>>,
    /// The payoffs of every strategy profile.
    #[serde(rename = "payoff")]
    pub payoffs: Vec<Payoff>,
    /// What some strategies stand for elsewhere in the scenario, at most one entry per
    /// strategy; a strategy without one is left out of comparisons with the other lenses.
    #[serde(default, rename = "meaning", skip_serializing_if = "Vec::is_empty")]
    pub meanings: Vec<Meaning>,
    /// Why the game is set up as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// What one player's strategy stands for elsewhere in the scenario: an option of a decision
/// the player owns, a range of an issue's scale where the strategy would have the issue
/// settle, or both.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meaning {
    /// The player (an actor id).
    pub player: String,
    /// One of the player's strategies.
    pub strategy: String,
    /// A decision the player owns; written together with `option`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The option of `decision` that the strategy amounts to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// An issue; written together with `position`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// `[low, high]` on the issue's 0–100 scale: the strategy amounts to the issue settling in
    /// this range (both ends included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Vec<f64>>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

/// The payoffs of one strategy profile.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Payoff {
    /// One strategy per player, in the players' order.
    pub profile: Vec<String>,
    /// One payoff per player, in the players' order.
    pub values: Vec<f64>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// In an ensemble, the range of each payoff (one `[low, high]` per player, holding it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Vec<Bounds>>,
}

/// An observable that would bear on hypotheses or signal driver states.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Identifier.
    pub id: String,
    /// What to watch.
    pub name: String,
    /// What would count as seeing it.
    pub seen_when: String,
    /// How consistent seeing it would be with each hypothesis, keyed by hypothesis id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bears_on: BTreeMap<String, Rating>,
    /// Driver states that seeing it would signal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<StateRef>,
    /// Why seeing it bears on the hypotheses and signals the states it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A figure taken from the sources, as a range.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// Identifier that formulas use.
    pub id: String,
    /// What it measures.
    pub name: String,
    /// The unit (`USD`, `troops`, `months`).
    pub unit: String,
    /// The lowest plausible value.
    pub low: f64,
    /// The highest plausible value.
    pub high: f64,
    /// Source.
    pub source: String,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// Why this range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A dated observation made after `as_of`: an indicator seen (or watched for and not seen), or
/// a driver found in a state (hard) or judged with a likelihood over its states (soft).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// When it became known.
    pub date: Date,
    /// The indicator observed, for a sighting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// With `indicator`: whether it was seen by `date` (`false`: watched for and not seen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<bool>,
    /// With `indicator`: how much more likely this report is when a state the indicator
    /// signals holds than when none does (seen), or how much less likely (not seen); above 1.
    /// Default 4 (`SIGNAL_LIKELIHOOD_RATIO` of the Bayes lens). A short watch that saw nothing
    /// says little: give it a ratio near 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// The driver observed, for an observation of a driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// With `driver`: the state it was found in (hard evidence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// With `driver`, instead of `state`: how likely what was seen is under each state, up to
    /// a common factor (soft, "virtual" evidence), keyed by state id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub likelihood: BTreeMap<String, f64>,
    /// The source it comes from.
    pub source: String,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// Why it is read as it is.
    pub why: String,
}

/// A dated revision of a quantity's range, made after `as_of`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// When it became known.
    pub date: Date,
    /// The quantity revised.
    pub quantity: String,
    /// The new lowest plausible value.
    pub low: f64,
    /// The new highest plausible value.
    pub high: f64,
    /// The source it comes from.
    pub source: String,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// Why this range.
    pub why: String,
}

/// What actually happened to one of the scenario's questions: the state a driver (or the
/// option a decision) resolved to, crisp or as a distribution over its states when the
/// resolution is a judgment call.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The driver or decision resolved.
    pub question: String,
    /// When it was resolved.
    pub date: Date,
    /// The state (or option) that happened; with `soft`, the one given the most weight.
    pub state: String,
    /// A soft resolution: the weight of each state, summing to 1. Scoring uses it instead of
    /// `state` when given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub soft: BTreeMap<String, f64>,
    /// How sure the resolution is.
    pub confidence: Level,
    /// The source it comes from.
    pub source: String,
    /// Where in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// Why it is resolved so.
    pub why: String,
}

/// A figure computed from quantities by a formula (`+ − × ÷`, parentheses, numbers, ids).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// Identifier.
    pub id: String,
    /// What it measures.
    pub name: String,
    /// The unit of the result.
    pub unit: String,
    /// The formula, such as `troops * pay_per_month * 12`.
    pub formula: String,
}

/// A reference to a driver's state, written `driver.state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct StateRef {
    /// The driver id.
    pub driver: String,
    /// The state id.
    pub state: String,
}

impl fmt::Display for StateRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.driver, self.state)
    }
}

impl From<StateRef> for String {
    fn from(r: StateRef) -> String {
        r.to_string()
    }
}

impl<'de> Deserialize<'de> for StateRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StateRef, D::Error> {
        let s = String::deserialize(d)?;
        match s.split_once('.') {
            Some((driver, state)) if !driver.is_empty() && !state.is_empty() => {
                Ok(StateRef { driver: driver.to_owned(), state: state.to_owned() })
            }
            _ => Err(de::Error::custom(format!(
                "expected `driver.state`, such as `war.stalemate`, found `{s}`"
            ))),
        }
    }
}

/// A calendar date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a partial date sorts before the full
/// dates it contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Date {
    /// The year.
    pub year: u16,
    /// The month 1–12, or 0 when only the year is known.
    pub month: u8,
    /// The day 1–31, or 0 when not known.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the month and the day of the month.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month = match parts.next() {
            Some(m) if m.len() == 2 => m.parse().ok().filter(|m| (1..=12).contains(m))?,
            Some(_) => return None,
            None => 0,
        };
        let day = match parts.next() {
            Some(d) if d.len() == 2 => d.parse().ok().filter(|d| *d >= 1)?,
            Some(_) => return None,
            None => 0,
        };
        if parts.next().is_some() || (day > 0 && day > days_in_month(year, month)) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month > 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day > 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date `YYYY-MM-DD`, `YYYY-MM` or `YYYY`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s).ok_or_else(|| {
                    E::custom(format!(
                        "invalid date `{s}`: expected `YYYY-MM-DD`, `YYYY-MM` or `YYYY`"
                    ))
                })
            }
            // A bare TOML date (`as_of = 2024-10-31`) arrives as a datetime map; accept it
            // by reading its string form.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, value)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                self.visit_str(&value)
            }
        }
        d.deserialize_any(DateVisitor)
    }
}

impl<'de> Deserialize<'de> for Influence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Influence, D::Error> {
        struct InfluenceVisitor;
        impl Visitor<'_> for InfluenceVisitor {
            type Value = Influence;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an influence 0–3 or \"P\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Influence, E> {
                Ok(Influence::Level(v))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Influence, E> {
                if s.eq_ignore_ascii_case("p") {
                    Ok(Influence::Potential)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(s), &self))
                }
            }
        }
        d.deserialize_any(InfluenceVisitor)
    }
}

/// A judgment: a bare value, or a table with the value and its reason and provenance:
/// `{ value = 3, why = "…", source = "lee2024", locator = "P5" }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged<T> {
    /// The value.
    pub value: T,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Source of the judgment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where in the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

impl<T> Judged<T> {
    /// A bare value with no reason or provenance.
    pub fn bare(value: T) -> Judged<T> {
        Judged { value, why: None, source: None, locator: None }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Judged<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Judged<T>, D::Error> {
        // A table is read field by field; anything else is the bare value. Going through
        // `deserialize_any` keeps the deserializer's own type errors and spans.
        struct JudgedVisitor<T>(std::marker::PhantomData<T>);
        macro_rules! bare {
            ($($method:ident: $ty:ty),*) => {$(
                fn $method<E: de::Error>(self, v: $ty) -> Result<Judged<T>, E> {
                    T::deserialize(de::IntoDeserializer::into_deserializer(v)).map(Judged::bare)
                }
            )*};
        }
        impl<'de, T: Deserialize<'de>> Visitor<'de> for JudgedVisitor<T> {
            type Value = Judged<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value, or a table `{ value = …, why = \"…\", source = \"…\" }`")
            }
            bare!(visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_bool: bool);
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Judged<T>, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v)).map(Judged::bare)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Judged<T>, A::Error> {
                T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Judged::bare)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Judged<T>, A::Error> {
                const FIELDS: &[&str] = &["value", "why", "source", "locator"];
                let (mut value, mut why, mut source, mut locator) = (None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value::<T>()?),
                        "why" => why = Some(map.next_value()?),
                        "source" => source = Some(map.next_value()?),
                        "locator" => locator = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
                Ok(Judged { value, why, source, locator })
            }
        }
        d.deserialize_any(JudgedVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        let d = |s| Date::parse(s).unwrap();
        assert!(d("2024") < d("2024-06"));
        assert!(d("2024-06") < d("2024-06-19"));
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        assert_eq!(d("2000-02-29").to_string(), "2000-02-29");
        assert_eq!(d("2024-04-30").to_string(), "2024-04-30");
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-01-32",
            "2024-01-00",
            "2024-00",
            "2024-13",
            "24-01-01",
            "2024-1-1",
            "2024-01-1",
            "2024-01-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_state_reference_needs_a_driver_and_a_state() {
        use serde::de::value::{Error, StrDeserializer};
        let parse = |s| StateRef::deserialize(StrDeserializer::<Error>::new(s));
        let r = parse("war.stalemate").unwrap();
        assert_eq!((r.driver.as_str(), r.state.as_str()), ("war", "stalemate"));
        assert_eq!(parse("us.policy.x").unwrap().state, "policy.x");
        for bad in ["war.", ".stalemate", "war", ""] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains("expected `driver.state`"), "{bad}: {e}");
        }
    }
}
