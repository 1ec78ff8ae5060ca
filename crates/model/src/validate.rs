//! Validation: the checks that need more than one value at a time. Every cross-reference must
//! resolve, every range hold, every matrix have its shape, every probability table sum to 1 and
//! cover its parents' states exactly once, every id be unique. All problems are collected and
//! returned together; no lens runs on a scenario that has any.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use engines::prec;

use crate::diag::{Diagnostic, did_you_mean};
use crate::figures;
use crate::load::{Seg, Spans, path_string};
use crate::scenario::{Date, FORMAT_VERSION, Influence, Judged, Scenario};

/// Every problem in `s`, with spans found in `spans`.
pub fn validate(s: &Scenario, spans: &Spans<'_>) -> Vec<Diagnostic> {
    let mut v = Validator::new(s, spans);
    v.meta();
    v.sources_and_evidence();
    v.actors_and_issues();
    v.hypotheses();
    v.drivers();
    v.cross_impacts();
    v.decisions();
    v.games();
    v.indicators();
    v.figures();
    v.updates();
    v.uncertainty();
    v.items
}

/// The ids of each kind of element, in file order, for lookups and "did you mean".
struct Ids<'s> {
    sources: Vec<&'s str>,
    evidence: Vec<&'s str>,
    actors: Vec<&'s str>,
    hypotheses: Vec<&'s str>,
    drivers: Vec<&'s str>,
    decisions: Vec<&'s str>,
}

struct Validator<'s, 'a> {
    s: &'s Scenario,
    spans: &'s Spans<'a>,
    ids: Ids<'s>,
    items: Vec<Diagnostic>,
}

impl<'s, 'a> Validator<'s, 'a> {
    fn new(s: &'s Scenario, spans: &'s Spans<'a>) -> Self {
        let ids = Ids {
            sources: s.sources.iter().map(|x| x.id.as_str()).collect(),
            evidence: s.evidence.iter().map(|x| x.id.as_str()).collect(),
            actors: s.actors.iter().map(|x| x.id.as_str()).collect(),
            hypotheses: s.hypotheses.iter().map(|x| x.id.as_str()).collect(),
            drivers: s.drivers.iter().map(|x| x.id.as_str()).collect(),
            decisions: s.decisions.iter().map(|x| x.id.as_str()).collect(),
        };
        Validator { s, spans, ids, items: Vec::new() }
    }

    /// Records an error at `path`, labelled on the value there.
    fn error(
        &mut self,
        code: &'static str,
        path: &[Seg<'_>],
        message: String,
        label: &str,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::error(code, message);
        d.path = path_string(path);
        d.primary = Some((self.spans.value(path), label.to_owned()));
        self.items.push(d);
        self.items.last_mut().expect("just pushed")
    }

    /// Records a problem with a value that is out of its range.
    fn range(&mut self, path: &[Seg<'_>], what: &str, value: f64, range: &str) {
        self.error(
            "statecraft::out_of_range",
            path,
            format!("{} = {value} is outside {range}", path_string(path)),
            &format!("expected {range}"),
        )
        .help = Some(format!("{what} must lie in {range}"));
    }

    /// Checks that `id` names one of `known` (a `kind` such as "actor"), declared under `list`.
    fn reference(
        &mut self,
        path: &[Seg<'_>],
        kind: &str,
        list: &str,
        id: &str,
        known: &[&str],
    ) -> bool {
        if known.contains(&id) {
            return true;
        }
        let help = match did_you_mean(id, known.iter().copied()) {
            Some(m) => format!("did you mean `{m}`?"),
            None if known.is_empty() => format!("declare it in a `[[{list}]]` table"),
            None => format!("the {kind}s declared are: {}", known.join(", ")),
        };
        let related = self.spans.key(&[Seg::Key(list)]);
        let d = self.error(
            "statecraft::unknown_reference",
            path,
            format!("{} names the unknown {kind} `{id}`", path_string(path)),
            &format!("no {kind} `{id}`"),
        );
        d.help = Some(help);
        if !known.is_empty() {
            d.related.push((related, format!("the {kind}s are declared here")));
        }
        false
    }

    /// Checks that the ids of a list are unique and well formed.
    fn unique_ids<'i>(&mut self, list: &str, ids: impl IntoIterator<Item = &'i str>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            let path = [Seg::Key(list), Seg::Index(i), Seg::Key("id")];
            if !is_identifier(id) {
                self.error(
                    "statecraft::bad_id",
                    &path,
                    format!("{list} id `{id}` is not an identifier"),
                    "here",
                )
                .help =
                    Some("ids use letters, digits, `_` and `-`, and start with a letter".into());
            }
            if let Some(&first) = seen.get(id) {
                let first_span =
                    self.spans.value(&[Seg::Key(list), Seg::Index(first), Seg::Key("id")]);
                let d = self.error(
                    "statecraft::duplicate_id",
                    &path,
                    format!("{list} id `{id}` is used twice"),
                    "second use",
                );
                d.related.push((first_span, "first use".into()));
                d.help = Some(format!("give each {list} its own id"));
            } else {
                seen.insert(id, i);
            }
        }
    }

    /// Checks the provenance of a judgment: its source, if any, must exist.
    fn provenance(&mut self, path: &[Seg<'_>], source: Option<&str>) {
        if let Some(src) = source {
            let mut p = path.to_vec();
            p.push(Seg::Key("source"));
            let known = self.ids.sources.clone();
            self.reference(&p, "source", "source", src, &known);
        }
    }

    fn judged<T>(&mut self, path: &[Seg<'_>], j: &Judged<T>) {
        self.provenance(path, j.source.as_deref());
    }

    fn meta(&mut self) {
        let m = &self.s.scenario;
        if m.format != FORMAT_VERSION {
            self.error(
                "statecraft::format_version",
                &[Seg::Key("scenario"), Seg::Key("format")],
                format!("scenario.format = {} is not a version this statecraft reads", m.format),
                "unsupported version",
            )
            .help = Some(format!("write `format = {FORMAT_VERSION}`"));
        }
        if let Some(actor) = &m.focal_actor {
            let known = self.ids.actors.clone();
            self.reference(
                &[Seg::Key("scenario"), Seg::Key("focal_actor")],
                "actor",
                "actor",
                actor,
                &known,
            );
        }
        if let Some(h) = &m.headline {
            self.state_ref(&[Seg::Key("scenario"), Seg::Key("headline")], &h.driver, &h.state);
        }
    }

    /// Checks a `driver.state` reference.
    fn state_ref(&mut self, path: &[Seg<'_>], driver: &str, state: &str) {
        let known = self.ids.drivers.clone();
        if !self.reference(path, "driver", "driver", driver, &known) {
            return;
        }
        let d = self.s.drivers.iter().find(|d| d.id == driver).expect("checked above");
        if !d.states.iter().any(|s| s == state) {
            let states: Vec<&str> = d.states.iter().map(String::as_str).collect();
            let help = match did_you_mean(state, states.iter().copied()) {
                Some(m) => format!("did you mean `{driver}.{m}`?"),
                None => format!("the states of `{driver}` are: {}", states.join(", ")),
            };
            self.error(
                "statecraft::unknown_state",
                path,
                format!("`{driver}` has no state `{state}`"),
                "no such state",
            )
            .help = Some(help);
        }
    }

    fn sources_and_evidence(&mut self) {
        let s = self.s;
        self.unique_ids("source", s.sources.iter().map(|x| x.id.as_str()));
        self.unique_ids("evidence", s.evidence.iter().map(|x| x.id.as_str()));
        let known = self.ids.sources.clone();
        for (i, e) in s.evidence.iter().enumerate() {
            let path = [Seg::Key("evidence"), Seg::Index(i), Seg::Key("source")];
            self.reference(&path, "source", "source", &e.source, &known);
            if let Some(event) = e.event {
                if event > e.reported {
                    self.error(
                        "statecraft::event_after_report",
                        &[Seg::Key("evidence"), Seg::Index(i), Seg::Key("event")],
                        format!(
                            "evidence `{}` reports an event dated {event} before it happened ({})",
                            e.id, e.reported
                        ),
                        "after the report date",
                    )
                    .help = Some(
                        "an event cannot be reported before it happens: check both dates".into(),
                    );
                }
            }
        }
    }

    fn actors_and_issues(&mut self) {
        let s = self.s;
        self.unique_ids("actor", s.actors.iter().map(|x| x.id.as_str()));
        self.unique_ids("issue", s.issues.iter().map(|x| x.id.as_str()));
        let actors = self.ids.actors.clone();
        for (i, a) in s.actors.iter().enumerate() {
            let base = [Seg::Key("actor"), Seg::Index(i)];
            let cap = [base[0], base[1], Seg::Key("capability")];
            if !(a.capability.value.is_finite() && a.capability.value >= 0.0) {
                self.range(&cap, "a capability", a.capability.value, "0 or more");
            }
            self.judged(&cap, &a.capability);
            for (other, j) in &a.influence {
                let path = [base[0], base[1], Seg::Key("influence"), Seg::Key(other)];
                if self.reference(&path, "actor", "actor", other, &actors) && *other == a.id {
                    self.error(
                        "statecraft::self_reference",
                        &path,
                        format!("actor `{}` is given an influence on itself", a.id),
                        "here",
                    )
                    .help = Some(
                        "MACTOR works out an actor's retroaction itself: remove this entry".into(),
                    );
                }
                if !(0..=4).contains(&j.value) {
                    self.range(&path, "a MACTOR influence", j.value as f64, "0..=4");
                }
                self.judged(&path, j);
            }
        }
        for (i, issue) in s.issues.iter().enumerate() {
            let base = [Seg::Key("issue"), Seg::Index(i)];
            for point in issue.scale.keys() {
                let ok = point.parse::<f64>().is_ok_and(|p| (0.0..=100.0).contains(&p));
                if !ok {
                    self.error(
                        "statecraft::bad_scale",
                        &[base[0], base[1], Seg::Key("scale"), Seg::Key(point)],
                        format!(
                            "issue `{}` labels the point `{point}`, which is not a number 0–100",
                            issue.id
                        ),
                        "not a point of the scale",
                    )
                    .help = Some(
                        "write the scale as `scale = { \"0\" = \"none\", \"100\" = \"all\" }`"
                            .into(),
                    );
                }
            }
            if issue.stances.is_empty() {
                self.error(
                    "statecraft::empty",
                    &base,
                    format!("issue `{}` has no stance", issue.id),
                    "no `[[issue.stance]]`",
                )
                .help = Some(
                    "give each actor involved a `[[issue.stance]]` with position and salience"
                        .into(),
                );
            }
            let mut seen = BTreeSet::new();
            for (k, st) in issue.stances.iter().enumerate() {
                let sp = [base[0], base[1], Seg::Key("stance"), Seg::Index(k)];
                let actor_path = [sp[0], sp[1], sp[2], sp[3], Seg::Key("actor")];
                if self.reference(&actor_path, "actor", "actor", &st.actor, &actors)
                    && !seen.insert(&st.actor)
                {
                    self.error(
                        "statecraft::duplicate_id",
                        &actor_path,
                        format!("actor `{}` has two stances on issue `{}`", st.actor, issue.id),
                        "second stance",
                    )
                    .help = Some("keep one stance per actor and issue".into());
                }
                for (key, value, what) in [
                    ("position", st.position, "a position"),
                    ("salience", st.salience, "a salience"),
                ] {
                    if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
                        self.range(
                            &[sp[0], sp[1], sp[2], sp[3], Seg::Key(key)],
                            what,
                            value,
                            "0..=100",
                        );
                    }
                }
                self.provenance(&sp, st.source.as_deref());
            }
            if let Some(who) = &issue.decided_by {
                let path = [base[0], base[1], Seg::Key("decided_by")];
                if self.reference(&path, "actor", "actor", who, &actors)
                    && !issue.stances.iter().any(|st| &st.actor == who)
                {
                    self.error(
                        "statecraft::decider_without_stance",
                        &path,
                        format!(
                            "issue `{}` is decided by `{who}`, who has no stance on it",
                            issue.id
                        ),
                        "no `[[issue.stance]]` of this actor",
                    )
                    .help = Some(format!(
                        "give `{who}` a `[[issue.stance]]` on `{}`: its position is the issue's outcome",
                        issue.id
                    ));
                }
            }
        }
    }

    fn hypotheses(&mut self) {
        let s = self.s;
        self.unique_ids("hypothesis", s.hypotheses.iter().map(|x| x.id.as_str()));
        let evidence = self.ids.evidence.clone();
        let with_prior = s.hypotheses.iter().filter(|h| h.prior.is_some()).count();
        for (i, h) in s.hypotheses.iter().enumerate() {
            let base = [Seg::Key("hypothesis"), Seg::Index(i)];
            for (e, j) in &h.ratings {
                let path = [base[0], base[1], Seg::Key("ratings"), Seg::Key(e)];
                self.reference(&path, "evidence item", "evidence", e, &evidence);
                self.judged(&path, j);
            }
            if let Some(m) = &h.maps_to {
                self.state_ref(&[base[0], base[1], Seg::Key("maps_to")], &m.driver, &m.state);
            }
            match &h.prior {
                Some(p) => {
                    let path = [base[0], base[1], Seg::Key("prior")];
                    if !(p.value.is_finite() && (0.0..=1.0).contains(&p.value)) {
                        self.range(&path, "a probability", p.value, "0..=1");
                    }
                    self.judged(&path, p);
                }
                None if with_prior > 0 => {
                    self.error(
                        "statecraft::missing_key",
                        &base,
                        format!("hypothesis `{}` has no prior, but others do", h.id),
                        "no `prior`",
                    )
                    .help = Some("give every hypothesis a prior, or none (uniform priors)".into());
                }
                None => {}
            }
        }
        if with_prior == s.hypotheses.len() && with_prior > 0 {
            let sum: f64 =
                s.hypotheses.iter().filter_map(|h| h.prior.as_ref()).map(|p| p.value).sum();
            if (sum - 1.0).abs() > prec::PROB_SUM {
                self.error(
                    "statecraft::probability_sum",
                    &[Seg::Key("hypothesis")],
                    format!("the hypotheses' priors sum to {sum}, not 1"),
                    "priors declared here",
                )
                .help = Some("priors over competing hypotheses must sum to 1".into());
            }
        }
    }

    fn drivers(&mut self) {
        let s = self.s;
        self.unique_ids("driver", s.drivers.iter().map(|x| x.id.as_str()));
        let drivers = self.ids.drivers.clone();
        for (i, d) in s.drivers.iter().enumerate() {
            let base = [Seg::Key("driver"), Seg::Index(i)];
            let states_path = [base[0], base[1], Seg::Key("states")];
            if d.states.len() < 2 {
                self.error(
                    "statecraft::too_few_states",
                    &states_path,
                    format!("driver `{}` has {} state(s)", d.id, d.states.len()),
                    "needs at least two",
                )
                .help =
                    Some("a driver needs at least two states; a fixed fact is not a driver".into());
            }
            let mut seen = BTreeSet::new();
            for (k, st) in d.states.iter().enumerate() {
                let path = [base[0], base[1], Seg::Key("states"), Seg::Index(k)];
                if !is_identifier(st) {
                    self.error(
                        "statecraft::bad_id",
                        &path,
                        format!("state `{st}` of `{}` is not an identifier", d.id),
                        "here",
                    )
                    .help = Some(
                        "state ids use letters, digits, `_` and `-`; put display names in `labels`"
                            .into(),
                    );
                }
                if !seen.insert(st) {
                    self.error(
                        "statecraft::duplicate_id",
                        &path,
                        format!("driver `{}` lists state `{st}` twice", d.id),
                        "second use",
                    )
                    .help = Some("each state appears once".into());
                }
            }
            if !d.labels.is_empty() && d.labels.len() != d.states.len() {
                self.error(
                    "statecraft::shape",
                    &[base[0], base[1], Seg::Key("labels")],
                    format!(
                        "driver `{}` has {} labels for {} states",
                        d.id,
                        d.labels.len(),
                        d.states.len()
                    ),
                    "one label per state",
                );
            }
            for (other, j) in &d.influence {
                let path = [base[0], base[1], Seg::Key("influence"), Seg::Key(other)];
                if self.reference(&path, "driver", "driver", other, &drivers) && *other == d.id {
                    self.error(
                        "statecraft::self_reference",
                        &path,
                        format!("driver `{}` is given an influence on itself", d.id),
                        "here",
                    )
                    .help = Some("MICMAC's diagonal is 0: remove this entry".into());
                }
                if let Influence::Level(l) = j.value {
                    if !(0..=3).contains(&l) {
                        self.range(&path, "a MICMAC influence", l as f64, "0..=3 (or \"P\")");
                    }
                }
                self.judged(&path, j);
            }
            self.probabilities(i);
        }
        self.acyclic();
    }

    /// Checks a driver's prior or conditional probability table.
    fn probabilities(&mut self, i: usize) {
        let d = &self.s.drivers[i];
        let base = [Seg::Key("driver"), Seg::Index(i)];
        let n = d.states.len();
        let mut parents_known = self.ids.drivers.clone();
        parents_known.extend(self.ids.decisions.iter().copied());
        let mut parent_states: Vec<(&str, Vec<&str>)> = Vec::new();
        let mut parents_ok = true;
        for (k, p) in d.parents.iter().enumerate() {
            let path = [base[0], base[1], Seg::Key("parents"), Seg::Index(k)];
            if !self.reference(&path, "driver or decision", "driver", p, &parents_known) {
                parents_ok = false;
                continue;
            }
            if *p == d.id || parent_states.iter().any(|(q, _)| q == p) {
                self.error(
                    "statecraft::bad_parent",
                    &path,
                    format!("driver `{}` lists parent `{p}` twice or itself", d.id),
                    "here",
                );
                parents_ok = false;
                continue;
            }
            parent_states.push((p, self.states_of(p)));
        }
        if let Some(prior) = &d.prior {
            let path = [base[0], base[1], Seg::Key("prior")];
            if !d.parents.is_empty() {
                self.error(
                    "statecraft::prior_with_parents",
                    &path,
                    format!("driver `{}` has parents and a prior", d.id),
                    "here",
                )
                .help = Some(
                    "a driver with parents takes `[[driver.cpt]]` rows instead of a prior".into(),
                );
            }
            self.distribution(&path, &prior.value, n, &d.id);
            self.judged(&path, prior);
        }
        if !d.cpt.is_empty() && d.parents.is_empty() {
            self.error(
                "statecraft::cpt_without_parents",
                &[base[0], base[1], Seg::Key("cpt")],
                format!("driver `{}` has cpt rows but no parents", d.id),
                "here",
            )
            .help = Some("name the parents in `parents = [...]`, or give a `prior` instead".into());
            return;
        }
        if d.parents.is_empty() || !parents_ok {
            return;
        }
        if d.cpt.is_empty() {
            self.error(
                "statecraft::missing_key",
                &[base[0], base[1], Seg::Key("parents")],
                format!("driver `{}` has parents but no `[[driver.cpt]]` rows", d.id),
                "parents named here",
            )
            .help =
                Some("add one `[[driver.cpt]]` row per combination of the parents' states".into());
            return;
        }
        let mut covered: BTreeMap<Vec<&str>, usize> = BTreeMap::new();
        for (r, row) in d.cpt.iter().enumerate() {
            let rp = [base[0], base[1], Seg::Key("cpt"), Seg::Index(r)];
            self.provenance(&rp, row.source.as_deref());
            let when = [rp[0], rp[1], rp[2], rp[3], Seg::Key("when")];
            let mut key = Vec::new();
            let mut ok = true;
            for (p, states) in &parent_states {
                match row.when.get(*p) {
                    Some(st) if states.contains(&st.as_str()) => key.push(st.as_str()),
                    Some(st) => {
                        ok = false;
                        let help = match did_you_mean(st, states.iter().copied()) {
                            Some(m) => format!("did you mean `{m}`?"),
                            None => format!("the states of `{p}` are: {}", states.join(", ")),
                        };
                        self.error(
                            "statecraft::unknown_state",
                            &[when[0], when[1], when[2], when[3], when[4], Seg::Key(p)],
                            format!("`{p}` has no state `{st}`"),
                            "no such state",
                        )
                        .help = Some(help);
                    }
                    None => {
                        ok = false;
                        self.error(
                            "statecraft::missing_key",
                            &when,
                            format!(
                                "cpt row {r} of `{}` does not say the state of parent `{p}`",
                                d.id
                            ),
                            "incomplete",
                        )
                        .help = Some(format!("add `{p} = \"…\"` to `when`"));
                    }
                }
            }
            for extra in row.when.keys().filter(|k| !d.parents.contains(k)) {
                ok = false;
                self.error(
                    "statecraft::unknown_reference",
                    &[when[0], when[1], when[2], when[3], when[4], Seg::Key(extra)],
                    format!(
                        "cpt row {r} of `{}` conditions on `{extra}`, which is not a parent",
                        d.id
                    ),
                    "not a parent",
                )
                .help = Some(format!("the parents are: {}", d.parents.join(", ")));
            }
            self.distribution(&[rp[0], rp[1], rp[2], rp[3], Seg::Key("p")], &row.p, n, &d.id);
            if ok {
                if let Some(first) = covered.insert(key.clone(), r) {
                    let first_span = self.spans.value(&[
                        base[0],
                        base[1],
                        Seg::Key("cpt"),
                        Seg::Index(first),
                        Seg::Key("when"),
                    ]);
                    let dd = self.error(
                        "statecraft::duplicate_row",
                        &when,
                        format!("driver `{}` has two cpt rows for {}", d.id, key.join(", ")),
                        "second row",
                    );
                    dd.related.push((first_span, "first row".into()));
                }
            }
        }
        let total: usize = parent_states.iter().map(|(_, s)| s.len()).product();
        if covered.len() < total {
            let missing = first_missing(&parent_states, &covered);
            if let Some(missing) = missing {
                self.error(
                    "statecraft::incomplete_cpt",
                    &[base[0], base[1], Seg::Key("cpt")],
                    format!(
                        "driver `{}` has {} of its {total} cpt rows; no row for {missing}",
                        d.id,
                        covered.len()
                    ),
                    "rows here",
                )
                .help = Some(
                    "add a `[[driver.cpt]]` row for every combination of the parents' states"
                        .into(),
                );
            }
        }
    }

    /// Checks one probability distribution over `n` states.
    fn distribution(&mut self, path: &[Seg<'_>], p: &[f64], n: usize, driver: &str) {
        if p.len() != n {
            self.error(
                "statecraft::shape",
                path,
                format!(
                    "{} has {} probabilities for the {n} states of `{driver}`",
                    path_string(path),
                    p.len()
                ),
                &format!("expected {n}"),
            );
            return;
        }
        if let Some(bad) = p.iter().position(|x| !(x.is_finite() && (0.0..=1.0).contains(x))) {
            let mut q = path.to_vec();
            q.push(Seg::Index(bad));
            self.range(&q, "a probability", p[bad], "0..=1");
            return;
        }
        let sum: f64 = p.iter().sum();
        if (sum - 1.0).abs() > prec::PROB_SUM {
            self.error(
                "statecraft::probability_sum",
                path,
                format!("{} sums to {sum}, not 1", path_string(path)),
                "does not sum to 1",
            )
            .help =
                Some("the probabilities of a driver's states must sum to 1 (within 1e-9)".into());
        }
    }

    /// The state or option ids of a driver or decision.
    fn states_of(&self, id: &str) -> Vec<&'s str> {
        if let Some(d) = self.s.drivers.iter().find(|d| d.id == id) {
            return d.states.iter().map(String::as_str).collect();
        }
        self.s
            .decisions
            .iter()
            .find(|d| d.id == id)
            .map_or_else(Vec::new, |d| d.options.iter().map(String::as_str).collect())
    }

    /// Checks that the parent graph of the drivers has no cycle.
    fn acyclic(&mut self) {
        let s = self.s;
        let index: HashMap<&str, usize> =
            s.drivers.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
        // 0 unvisited, 1 on the stack, 2 done.
        let mut mark = vec![0u8; s.drivers.len()];
        for start in 0..s.drivers.len() {
            if mark[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            mark[start] = 1;
            while let Some((node, next)) = stack.pop() {
                let parents = &s.drivers[node].parents;
                if next < parents.len() {
                    stack.push((node, next + 1));
                    let Some(&p) = index.get(parents[next].as_str()) else { continue };
                    if mark[p] == 1 {
                        let cycle: Vec<&str> = stack
                            .iter()
                            .skip_while(|(n, _)| *n != p)
                            .map(|(n, _)| s.drivers[*n].id.as_str())
                            .collect();
                        self.error(
                            "statecraft::cycle",
                            &[
                                Seg::Key("driver"),
                                Seg::Index(node),
                                Seg::Key("parents"),
                                Seg::Index(next),
                            ],
                            format!(
                                "the drivers' parents form a cycle: {} → {}",
                                cycle.join(" → "),
                                s.drivers[p].id
                            ),
                            "closes the cycle",
                        )
                        .help = Some(
                            "a Bayesian network is acyclic: remove one of these parent links"
                                .into(),
                        );
                        return;
                    }
                    if mark[p] == 0 {
                        mark[p] = 1;
                        stack.push((p, 0));
                    }
                } else {
                    mark[node] = 2;
                }
            }
        }
    }

    fn cross_impacts(&mut self) {
        let s = self.s;
        let drivers = self.ids.drivers.clone();
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, ci) in s.cross_impacts.iter().enumerate() {
            let base = [Seg::Key("cross_impact"), Seg::Index(i)];
            let from_ok = self.reference(
                &[base[0], base[1], Seg::Key("from")],
                "driver",
                "driver",
                &ci.from,
                &drivers,
            );
            let to_ok = self.reference(
                &[base[0], base[1], Seg::Key("to")],
                "driver",
                "driver",
                &ci.to,
                &drivers,
            );
            self.provenance(&base, ci.source.as_deref());
            if let Some(first) = seen.insert((&ci.from, &ci.to), i) {
                let first_span = self.spans.value(&[Seg::Key("cross_impact"), Seg::Index(first)]);
                let d = self.error(
                    "statecraft::duplicate_row",
                    &base,
                    format!("two cross_impact blocks from `{}` to `{}`", ci.from, ci.to),
                    "second block",
                );
                d.related.push((first_span, "first block".into()));
            }
            if !(from_ok && to_ok) {
                continue;
            }
            let rows = self.states_of(&ci.from).len();
            let cols = self.states_of(&ci.to).len();
            let m = ci.impacts.rows();
            let mp = [base[0], base[1], Seg::Key("impacts")];
            if m.len() != rows {
                self.error(
                    "statecraft::shape",
                    &mp,
                    format!(
                        "cross_impact `{}` → `{}` has {} rows; `{}` has {rows} states",
                        ci.from,
                        ci.to,
                        m.len(),
                        ci.from
                    ),
                    &format!("expected {rows} rows"),
                )
                .help = Some(format!(
                    "one row per state of `{}`, one column per state of `{}`",
                    ci.from, ci.to
                ));
                continue;
            }
            for (r, row) in m.iter().enumerate() {
                let rp = [mp[0], mp[1], mp[2], Seg::Index(r)];
                if row.len() != cols {
                    self.error("statecraft::shape", &rp, format!("row {r} of cross_impact `{}` → `{}` has {} columns; `{}` has {cols} states", ci.from, ci.to, row.len(), ci.to), &format!("expected {cols} columns"))
                        .help = Some("the matrix must be rectangular: one column per state of `to`".into());
                } else if let Some(c) = row.iter().position(|v| !(-3..=3).contains(v)) {
                    self.range(
                        &[rp[0], rp[1], rp[2], rp[3], Seg::Index(c)],
                        "a cross impact",
                        row[c] as f64,
                        "-3..=3",
                    );
                }
            }
        }
    }

    /// Checks that the driver `driver`, which decision `decision` observes or awaits (at
    /// `path`), does not depend on a decision through the drivers' parents: what a decision
    /// brings about cannot be known before it is taken.
    fn known_before(&mut self, path: &[Seg<'_>], decision: &str, driver: &str) {
        let decisions = &self.ids.decisions;
        let mut seen: Vec<&str> = Vec::new();
        let mut stack = vec![driver];
        let mut found = None;
        while let Some(v) = stack.pop() {
            if seen.contains(&v) {
                continue;
            }
            seen.push(v);
            if let Some(d) = self.s.drivers.iter().find(|d| d.id == v) {
                for p in &d.parents {
                    if decisions.contains(&p.as_str()) {
                        found = found.or(Some((v, p.as_str())));
                    } else {
                        stack.push(p);
                    }
                }
            }
        }
        let Some((child, dec)) = found else { return };
        let related = self.spans.value(&[
            Seg::Key("driver"),
            Seg::Index(self.s.drivers.iter().position(|d| d.id == child).unwrap_or(0)),
            Seg::Key("parents"),
        ]);
        let d = self.error(
            "statecraft::observed_after",
            path,
            format!("decision `{decision}` cannot know `{driver}` before it is taken"),
            "depends on a decision",
        );
        d.related.push((related, format!("`{child}` depends on decision `{dec}` here")));
        d.note = Some(format!(
            "`{driver}` depends on decision `{dec}` through the drivers' parents, so its state is not known until after the decision"
        ));
        d.help = Some("observe or await only drivers that no decision acts on".into());
    }

    fn decisions(&mut self) {
        let s = self.s;
        self.unique_ids("decision", s.decisions.iter().map(|x| x.id.as_str()));
        let actors = self.ids.actors.clone();
        let drivers = self.ids.drivers.clone();
        for (i, dec) in s.decisions.iter().enumerate() {
            let base = [Seg::Key("decision"), Seg::Index(i)];
            if self.ids.drivers.contains(&dec.id.as_str()) {
                self.error(
                    "statecraft::duplicate_id",
                    &[base[0], base[1], Seg::Key("id")],
                    format!("`{}` is both a driver and a decision", dec.id),
                    "here",
                )
                .help = Some(
                    "drivers and decisions share one namespace, since both can be parents".into(),
                );
            }
            self.reference(
                &[base[0], base[1], Seg::Key("owner")],
                "actor",
                "actor",
                &dec.owner,
                &actors,
            );
            if dec.options.is_empty() {
                self.error(
                    "statecraft::empty",
                    &[base[0], base[1], Seg::Key("options")],
                    format!("decision `{}` has no option", dec.id),
                    "empty",
                );
            }
            for key in ["observes", "awaits"] {
                let list = if key == "observes" { &dec.observes } else { &dec.awaits };
                for (k, o) in list.iter().enumerate() {
                    let path = [base[0], base[1], Seg::Key(key), Seg::Index(k)];
                    if self.reference(&path, "driver", "driver", o, &drivers) {
                        self.known_before(&path, &dec.id, o);
                    }
                }
            }
            let options: Vec<&str> = dec.options.iter().map(String::as_str).collect();
            for (k, u) in dec.utilities.iter().enumerate() {
                let up = [base[0], base[1], Seg::Key("utility"), Seg::Index(k)];
                if let Some(option) = &u.option {
                    self.reference(
                        &[up[0], up[1], up[2], up[3], Seg::Key("option")],
                        "option",
                        "decision",
                        option,
                        &options,
                    );
                }
                // A term tied to every option leaves no room for another term on its driver.
                let tied =
                    dec.utilities.iter().position(|t| t.option.is_none() && t.driver == u.driver);
                if tied.is_some_and(|t| t != k) {
                    self.error(
                        "statecraft::duplicate_id",
                        &[up[0], up[1], up[2], up[3], Seg::Key("driver")],
                        format!(
                            "decision `{}` has a term over `{}` for every option, and this one besides",
                            dec.id, u.driver
                        ),
                        "second term over this driver",
                    )
                    .help = Some("a term without `option` holds for every option: remove this one, or give every term an `option`".into());
                }
                self.provenance(&up, u.source.as_deref());
                if self.reference(
                    &[up[0], up[1], up[2], up[3], Seg::Key("driver")],
                    "driver",
                    "driver",
                    &u.driver,
                    &drivers,
                ) {
                    let n = self.states_of(&u.driver).len();
                    let vp = [up[0], up[1], up[2], up[3], Seg::Key("values")];
                    if u.values.len() != n {
                        self.error(
                            "statecraft::shape",
                            &vp,
                            format!(
                                "utility of `{}` over `{}` has {} values for {n} states",
                                u.option.as_deref().unwrap_or("every option"),
                                u.driver,
                                u.values.len()
                            ),
                            &format!("expected {n}"),
                        );
                    } else if let Some(b) = u.values.iter().position(|v| !v.is_finite()) {
                        self.range(
                            &[vp[0], vp[1], vp[2], vp[3], vp[4], Seg::Index(b)],
                            "a utility",
                            u.values[b],
                            "finite numbers",
                        );
                    }
                }
            }
        }
    }

    fn games(&mut self) {
        let s = self.s;
        self.unique_ids("game", s.games.iter().map(|x| x.id.as_str()));
        let actors = self.ids.actors.clone();
        for (i, g) in s.games.iter().enumerate() {
            let base = [Seg::Key("game"), Seg::Index(i)];
            if g.players.len() < 2 {
                self.error(
                    "statecraft::too_few_players",
                    &[base[0], base[1], Seg::Key("players")],
                    format!("game `{}` has {} player(s)", g.id, g.players.len()),
                    "needs at least two",
                );
                continue;
            }
            let mut ok = true;
            for (k, p) in g.players.iter().enumerate() {
                ok &= self.reference(
                    &[base[0], base[1], Seg::Key("players"), Seg::Index(k)],
                    "actor",
                    "actor",
                    p,
                    &actors,
                );
                match g.strategies.get(p) {
                    Some(st) if !st.is_empty() => {}
                    _ => {
                        ok = false;
                        self.error(
                            "statecraft::missing_key",
                            &[base[0], base[1], Seg::Key("strategies")],
                            format!("game `{}` gives player `{p}` no strategy", g.id),
                            "here",
                        )
                        .help = Some(format!("add `{p} = [\"…\", \"…\"]` to `strategies`"));
                    }
                }
            }
            for extra in g.strategies.keys().filter(|k| !g.players.contains(k)) {
                ok = false;
                self.error(
                    "statecraft::unknown_reference",
                    &[base[0], base[1], Seg::Key("strategies"), Seg::Key(extra)],
                    format!("game `{}` gives strategies to `{extra}`, who is not a player", g.id),
                    "not a player",
                );
            }
            if !ok {
                continue;
            }
            let mut seen: BTreeMap<&[String], usize> = BTreeMap::new();
            for (k, pay) in g.payoffs.iter().enumerate() {
                let pp = [base[0], base[1], Seg::Key("payoff"), Seg::Index(k)];
                self.provenance(&pp, pay.source.as_deref());
                let n = g.players.len();
                if pay.profile.len() != n || pay.values.len() != n {
                    self.error("statecraft::shape", &pp, format!("payoff {k} of game `{}` has {} strategies and {} values for {n} players", g.id, pay.profile.len(), pay.values.len()), &format!("expected {n} of each"));
                    continue;
                }
                let mut valid = true;
                for (j, (player, strategy)) in g.players.iter().zip(&pay.profile).enumerate() {
                    let list: Vec<&str> = g.strategies[player].iter().map(String::as_str).collect();
                    valid &= self.reference(
                        &[pp[0], pp[1], pp[2], pp[3], Seg::Key("profile"), Seg::Index(j)],
                        &format!("strategy of `{player}`"),
                        "game",
                        strategy,
                        &list,
                    );
                }
                if let Some(b) = pay.values.iter().position(|v| !v.is_finite()) {
                    self.range(
                        &[pp[0], pp[1], pp[2], pp[3], Seg::Key("values"), Seg::Index(b)],
                        "a payoff",
                        pay.values[b],
                        "finite numbers",
                    );
                }
                if valid {
                    if let Some(first) = seen.insert(&pay.profile, k) {
                        let first_span = self.spans.value(&[
                            base[0],
                            base[1],
                            Seg::Key("payoff"),
                            Seg::Index(first),
                        ]);
                        let d = self.error(
                            "statecraft::duplicate_row",
                            &pp,
                            format!(
                                "game `{}` gives the profile ({}) two payoffs",
                                g.id,
                                pay.profile.join(", ")
                            ),
                            "second payoff",
                        );
                        d.related.push((first_span, "first payoff".into()));
                    }
                }
            }
            let total: usize = g.players.iter().map(|p| g.strategies[p].len()).product();
            if seen.len() < total {
                self.error(
                    "statecraft::incomplete_game",
                    &[base[0], base[1], Seg::Key("payoff")],
                    format!(
                        "game `{}` gives payoffs for {} of its {total} strategy profiles",
                        g.id,
                        seen.len()
                    ),
                    "payoffs here",
                )
                .help = Some(
                    "add a `[[game.payoff]]` for every combination of the players' strategies"
                        .into(),
                );
            }
            self.game_meanings(i);
        }
    }

    /// Checks the `[[game.meaning]]` entries of game `i`, whose players and strategies are
    /// known to be valid: each names a player and one of its strategies once, and an option of
    /// a decision that player owns and/or a range of an issue's scale.
    fn game_meanings(&mut self, i: usize) {
        let g = &self.s.games[i];
        let decisions = self.ids.decisions.clone();
        let issues: Vec<&str> = self.s.issues.iter().map(|x| x.id.as_str()).collect();
        let players: Vec<&str> = g.players.iter().map(String::as_str).collect();
        let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (k, m) in g.meanings.iter().enumerate() {
            let mp = [Seg::Key("game"), Seg::Index(i), Seg::Key("meaning"), Seg::Index(k)];
            let at = |key| [mp[0], mp[1], mp[2], mp[3], Seg::Key(key)];
            self.provenance(&mp, m.source.as_deref());
            if self.reference(&at("player"), "player", "game", &m.player, &players) {
                let list: Vec<&str> = g.strategies[&m.player].iter().map(String::as_str).collect();
                let kind = format!("strategy of `{}`", m.player);
                if self.reference(&at("strategy"), &kind, "game", &m.strategy, &list) {
                    if let Some(first) = seen.insert((&m.player, &m.strategy), k) {
                        let first_span =
                            self.spans.value(&[mp[0], mp[1], mp[2], Seg::Index(first)]);
                        let d = self.error(
                            "statecraft::duplicate_row",
                            &at("strategy"),
                            format!(
                                "game `{}` gives `{}`'s strategy `{}` two meanings",
                                g.id, m.player, m.strategy
                            ),
                            "second meaning",
                        );
                        d.related.push((first_span, "first meaning".into()));
                        d.help = Some("merge them into one `[[game.meaning]]`".into());
                    }
                }
            }
            let pairs = [
                ("decision", "option", m.decision.is_some(), m.option.is_some()),
                ("issue", "position", m.issue.is_some(), m.position.is_some()),
            ];
            for (a, b, has_a, has_b) in pairs {
                if has_a != has_b {
                    let (given, missing) = if has_a { (a, b) } else { (b, a) };
                    self.error(
                        "statecraft::missing_key",
                        &at(given),
                        format!("meaning {k} of game `{}` has `{given}` without `{missing}`", g.id),
                        &format!("needs `{missing}` beside it"),
                    )
                    .help = Some(format!("write `{a}` and `{b}` together"));
                }
            }
            if m.decision.is_none()
                && m.option.is_none()
                && m.issue.is_none()
                && m.position.is_none()
            {
                self.error(
                    "statecraft::missing_key",
                    &mp,
                    format!(
                        "meaning {k} of game `{}` says nothing about `{}`'s strategy `{}`",
                        g.id, m.player, m.strategy
                    ),
                    "no decision or issue",
                )
                .help =
                    Some("give it `decision` and `option`, `issue` and `position`, or both".into());
            }
            if let (Some(dec), Some(opt)) = (&m.decision, &m.option) {
                if self.reference(&at("decision"), "decision", "decision", dec, &decisions) {
                    let d = self.s.decisions.iter().find(|d| &d.id == dec).expect("checked above");
                    let options: Vec<&str> = d.options.iter().map(String::as_str).collect();
                    let kind = format!("option of `{dec}`");
                    self.reference(&at("option"), &kind, "decision", opt, &options);
                    if d.owner != m.player && players.contains(&m.player.as_str()) {
                        self.error(
                            "statecraft::not_owner",
                            &at("decision"),
                            format!(
                                "decision `{dec}` belongs to `{}`, not to the player `{}`",
                                d.owner, m.player
                            ),
                            "another actor's decision",
                        )
                        .help = Some(
                            "a strategy can stand only for an option of a decision its own player takes"
                                .into(),
                        );
                    }
                }
            }
            if let Some(issue) = &m.issue {
                self.reference(&at("issue"), "issue", "issue", issue, &issues);
            }
            if let Some(range) = &m.position {
                let pp = at("position");
                if range.len() != 2 {
                    self.error(
                        "statecraft::shape",
                        &pp,
                        format!(
                            "position of meaning {k} of game `{}` has {} values",
                            g.id,
                            range.len()
                        ),
                        "expected 2",
                    )
                    .help = Some("write the range as `[low, high]`, such as `[60, 100]`".into());
                    continue;
                }
                let mut inside = true;
                for (b, &v) in range.iter().enumerate() {
                    if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                        inside = false;
                        self.range(
                            &[pp[0], pp[1], pp[2], pp[3], pp[4], Seg::Index(b)],
                            "an issue position",
                            v,
                            "0–100",
                        );
                    }
                }
                if inside && range[0] > range[1] {
                    self.error(
                        "statecraft::out_of_range",
                        &pp,
                        format!(
                            "position of meaning {k} of game `{}` runs from {} down to {}",
                            g.id, range[0], range[1]
                        ),
                        "low end above high end",
                    )
                    .help = Some("write the range with low ≤ high".into());
                }
            }
        }
    }

    fn indicators(&mut self) {
        let s = self.s;
        self.unique_ids("indicator", s.indicators.iter().map(|x| x.id.as_str()));
        for (i, ind) in s.indicators.iter().enumerate() {
            let base = [Seg::Key("indicator"), Seg::Index(i)];
            self.bears_on(&base, &ind.bears_on);
            for (k, r) in ind.signals.iter().enumerate() {
                self.state_ref(
                    &[base[0], base[1], Seg::Key("signals"), Seg::Index(k)],
                    &r.driver,
                    &r.state,
                );
            }
        }
    }

    /// Dated updates: each made after `as_of`, naming things that exist, with well-formed
    /// likelihoods and resolutions; and no judgment made as of `as_of` rating evidence reported
    /// after it.
    fn updates(&mut self) {
        let s = self.s;
        let as_of = s.scenario.as_of;
        let sources = self.ids.sources.clone();
        for (i, e) in s.evidence.iter().enumerate() {
            let base = [Seg::Key("evidence"), Seg::Index(i)];
            if !e.bears_on.is_empty() {
                self.after_as_of(
                    &[base[0], base[1], Seg::Key("reported")],
                    e.reported,
                    &format!("evidence `{}` (rated by `bears_on`)", e.id),
                );
                self.bears_on(&base, &e.bears_on);
            }
        }
        for (i, h) in s.hypotheses.iter().enumerate() {
            for e in h.ratings.keys() {
                let Some(item) = s.evidence.iter().find(|x| &x.id == e) else { continue };
                if crate::updates::is_update(s, item) {
                    let path =
                        [Seg::Key("hypothesis"), Seg::Index(i), Seg::Key("ratings"), Seg::Key(e)];
                    self.error(
                        "statecraft::hindsight_rating",
                        &path,
                        format!("hypothesis `{}` rates `{e}`, reported {} after the scenario's as_of ({as_of})", h.id, item.reported),
                        "rated with hindsight",
                    )
                    .help = Some(format!("the ratings of `{}` are judgments as of {as_of}; rate a later item with `bears_on` on the item itself", h.id));
                }
            }
        }
        let indicators: Vec<&str> = s.indicators.iter().map(|x| x.id.as_str()).collect();
        let drivers = self.ids.drivers.clone();
        for (i, o) in s.observations.iter().enumerate() {
            let base = [Seg::Key("observation"), Seg::Index(i)];
            self.after_as_of(&[base[0], base[1], Seg::Key("date")], o.date, "an observation");
            self.reference(
                &[base[0], base[1], Seg::Key("source")],
                "source",
                "source",
                &o.source,
                &sources,
            );
            match (&o.indicator, &o.driver) {
                (Some(ind), None) => {
                    self.reference(
                        &[base[0], base[1], Seg::Key("indicator")],
                        "indicator",
                        "indicator",
                        ind,
                        &indicators,
                    );
                    if o.seen.is_none() {
                        self.observation_shape(&base, "an indicator's observation needs `seen`");
                    }
                    if let Some(r) = o.ratio.filter(|r| !(r.is_finite() && *r > 1.0)) {
                        self.range(
                            &[base[0], base[1], Seg::Key("ratio")],
                            "a likelihood ratio",
                            r,
                            "above 1",
                        );
                    }
                    if o.state.is_some() || !o.likelihood.is_empty() {
                        self.observation_shape(&base, "`state` and `likelihood` belong to a driver's observation, not an indicator's");
                    }
                }
                (None, Some(d)) => {
                    if !self.reference(
                        &[base[0], base[1], Seg::Key("driver")],
                        "driver",
                        "driver",
                        d,
                        &drivers,
                    ) {
                        continue;
                    }
                    if o.seen.is_some() || o.ratio.is_some() {
                        self.observation_shape(&base, "`seen` and `ratio` belong to an indicator's observation; a driver's gives `state` or `likelihood`");
                    }
                    match (&o.state, o.likelihood.is_empty()) {
                        (Some(st), true) => {
                            self.state_ref(&[base[0], base[1], Seg::Key("state")], d, st)
                        }
                        (None, false) => self.weights(
                            &[base[0], base[1], Seg::Key("likelihood")],
                            &o.likelihood,
                            d,
                            false,
                        ),
                        _ => self.observation_shape(
                            &base,
                            "it gives both or neither of `state` and `likelihood`",
                        ),
                    }
                }
                _ => self.observation_shape(
                    &base,
                    "it names both or neither of `indicator` and `driver`",
                ),
            }
        }
        let quantities: Vec<&str> = s.quantities.iter().map(|x| x.id.as_str()).collect();
        for (i, r) in s.revisions.iter().enumerate() {
            let base = [Seg::Key("revision"), Seg::Index(i)];
            self.after_as_of(&[base[0], base[1], Seg::Key("date")], r.date, "a revision");
            self.reference(
                &[base[0], base[1], Seg::Key("quantity")],
                "quantity",
                "quantity",
                &r.quantity,
                &quantities,
            );
            self.reference(
                &[base[0], base[1], Seg::Key("source")],
                "source",
                "source",
                &r.source,
                &sources,
            );
            if !(r.low.is_finite() && r.high.is_finite() && r.low <= r.high) {
                self.error(
                    "statecraft::out_of_range",
                    &[base[0], base[1], Seg::Key("high")],
                    format!(
                        "the revision of `{}` has low = {} and high = {}",
                        r.quantity, r.low, r.high
                    ),
                    "high is below low",
                )
                .help = Some("write the range with low ≤ high".into());
            }
        }
        let mut questions: Vec<&str> = drivers.clone();
        questions.extend(self.ids.decisions.iter().copied());
        let mut resolved: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, r) in s.resolutions.iter().enumerate() {
            let base = [Seg::Key("resolution"), Seg::Index(i)];
            self.after_as_of(&[base[0], base[1], Seg::Key("date")], r.date, "a resolution");
            self.reference(
                &[base[0], base[1], Seg::Key("source")],
                "source",
                "source",
                &r.source,
                &sources,
            );
            if !self.reference(
                &[base[0], base[1], Seg::Key("question")],
                "driver or decision",
                "driver",
                &r.question,
                &questions,
            ) {
                continue;
            }
            if let Some(&first) = resolved.get(r.question.as_str()) {
                let first_span = self.spans.value(&[
                    Seg::Key("resolution"),
                    Seg::Index(first),
                    Seg::Key("question"),
                ]);
                let d = self.error(
                    "statecraft::duplicate_resolution",
                    &[base[0], base[1], Seg::Key("question")],
                    format!("`{}` is resolved twice", r.question),
                    "second resolution",
                );
                d.related.push((first_span, "first resolution".into()));
                d.help = Some("a question resolves once; put a judgment call in `soft`".into());
            } else {
                resolved.insert(&r.question, i);
            }
            let states = self.states_of(&r.question);
            if !states.contains(&r.state.as_str()) {
                let help = match did_you_mean(&r.state, states.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!("the states of `{}` are: {}", r.question, states.join(", ")),
                };
                self.error(
                    "statecraft::unknown_state",
                    &[base[0], base[1], Seg::Key("state")],
                    format!("`{}` has no state `{}`", r.question, r.state),
                    "no such state",
                )
                .help = Some(help);
                continue;
            }
            if !r.soft.is_empty() {
                self.weights(&[base[0], base[1], Seg::Key("soft")], &r.soft, &r.question, true);
                let top = r.soft.values().copied().fold(f64::NEG_INFINITY, f64::max);
                if r.soft.get(&r.state).is_some_and(|w| *w < top) {
                    self.error(
                        "statecraft::bad_weights",
                        &[base[0], base[1], Seg::Key("state")],
                        format!(
                            "`{}` resolves to `{}`, which its soft resolution does not weigh most",
                            r.question, r.state
                        ),
                        "not the heaviest state",
                    )
                    .help =
                        Some("name in `state` the state that `soft` gives the most weight".into());
                }
            }
        }
    }

    /// Checks that every hypothesis a `bears_on` table (of the element at `base`) rates exists.
    fn bears_on<V>(&mut self, base: &[Seg<'_>; 2], ratings: &BTreeMap<String, V>) {
        let hyps = self.ids.hypotheses.clone();
        for h in ratings.keys() {
            self.reference(
                &[base[0], base[1], Seg::Key("bears_on"), Seg::Key(h)],
                "hypothesis",
                "hypothesis",
                h,
                &hyps,
            );
        }
    }

    /// Checks that an update is dated after the scenario's `as_of`.
    fn after_as_of(&mut self, path: &[Seg<'_>], date: Date, what: &str) {
        let as_of = self.s.scenario.as_of;
        if date <= as_of {
            self.error(
                "statecraft::update_before_as_of",
                path,
                format!("{what} is dated {date}, not after the scenario's as_of ({as_of})"),
                "on or before as_of",
            )
            .help = Some(format!(
                "an update records what became known after {as_of}; what was known by then belongs in the judgments themselves"
            ));
        }
    }

    fn observation_shape(&mut self, base: &[Seg<'_>], problem: &str) {
        let n = match base[1] {
            Seg::Index(i) => i + 1,
            _ => 0,
        };
        self.error(
            "statecraft::bad_observation",
            base,
            format!("observation {n}: {problem}"),
            "this observation",
        )
        .help = Some(
            "an observation names an `indicator` with `seen = true|false`, or a `driver` with `state` or `likelihood`".into(),
        );
    }

    /// Checks a map of weights over a driver's (or decision's) states: known states, finite
    /// non-negative weights, not all zero; a distribution (`sums_to_one`) sums to 1.
    fn weights(
        &mut self,
        path: &[Seg<'_>],
        w: &BTreeMap<String, f64>,
        of: &str,
        sums_to_one: bool,
    ) {
        let states = self.states_of(of);
        for (state, x) in w {
            let mut p = path.to_vec();
            p.push(Seg::Key(state));
            if !states.contains(&state.as_str()) {
                self.error(
                    "statecraft::unknown_state",
                    &p,
                    format!("`{of}` has no state `{state}`"),
                    "no such state",
                )
                .help = Some(format!("the states of `{of}` are: {}", states.join(", ")));
            } else if !(x.is_finite() && *x >= 0.0 && (!sums_to_one || *x <= 1.0)) {
                let range = if sums_to_one { "0..=1" } else { "0.. (a likelihood)" };
                self.range(&p, "a weight", *x, range);
            }
        }
        if !sums_to_one {
            if let Some(missing) = states.iter().find(|st| !w.contains_key(**st)) {
                self.error(
                    "statecraft::bad_weights",
                    path,
                    format!("{} gives no weight for `{of}.{missing}`", path_string(path)),
                    "incomplete",
                )
                .help = Some(
                    "a likelihood gives a weight for every state (0 rules a state out)".into(),
                );
                return;
            }
        }
        let sum: f64 = w.values().sum();
        let problem = if sums_to_one && (sum - 1.0).abs() > prec::PROB_SUM {
            Some(format!("{} sums to {sum}, not 1", path_string(path)))
        } else if !sums_to_one && sum.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            Some(format!("{} gives every state a weight of zero", path_string(path)))
        } else {
            None
        };
        if let Some(message) = problem {
            let help = if sums_to_one {
                "a soft resolution is a distribution over the states: its weights sum to 1 (within 1e-9)"
            } else {
                "a likelihood needs some state with a positive weight"
            };
            self.error("statecraft::bad_weights", path, message, "here").help = Some(help.into());
        }
    }

    fn figures(&mut self) {
        let s = self.s;
        self.unique_ids("quantity", s.quantities.iter().map(|x| x.id.as_str()));
        self.unique_ids("derived", s.derived.iter().map(|x| x.id.as_str()));
        let sources = self.ids.sources.clone();
        for (i, q) in s.quantities.iter().enumerate() {
            let base = [Seg::Key("quantity"), Seg::Index(i)];
            self.reference(
                &[base[0], base[1], Seg::Key("source")],
                "source",
                "source",
                &q.source,
                &sources,
            );
            if !(q.low.is_finite() && q.high.is_finite() && q.low <= q.high) {
                self.error(
                    "statecraft::out_of_range",
                    &[base[0], base[1], Seg::Key("high")],
                    format!("quantity `{}` has low = {} and high = {}", q.id, q.low, q.high),
                    "high is below low",
                )
                .help = Some("write the range with low ≤ high".into());
            }
        }
        for (i, d) in s.derived.iter().enumerate() {
            if let Err(e) = figures::evaluate(s, &d.formula, i) {
                self.error("statecraft::bad_formula", &[Seg::Key("derived"), Seg::Index(i), Seg::Key("formula")], format!("formula of `{}`: {e}", d.id), "here")
                    .help = Some("formulas use numbers, quantity ids, earlier derived ids, + - * / and parentheses".into());
            }
        }
    }
}

/// The first combination of parent states that no row covers, as `a = x, b = y`.
fn first_missing(
    parents: &[(&str, Vec<&str>)],
    covered: &BTreeMap<Vec<&str>, usize>,
) -> Option<String> {
    let total: usize = parents.iter().map(|(_, s)| s.len()).product();
    (0..total).find_map(|mut idx| {
        let mut key = vec![""; parents.len()];
        for (k, (_, states)) in parents.iter().enumerate().rev() {
            key[k] = states[idx % states.len()];
            idx /= states.len();
        }
        (!covered.contains_key(&key)).then(|| {
            parents
                .iter()
                .zip(&key)
                .map(|((p, _), s)| format!("{p} = {s}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
    })
}

/// Whether `s` is an id: a letter, then letters, digits, `_` and `-`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The checks of the keys that say how far judgments may move in an ensemble: `[uncertainty]`,
/// a probability row's `concentration` and `range`, the ranges of utilities, payoffs,
/// positions and saliences, an impact's `spread`, and ties between utility terms.
impl Validator<'_, '_> {
    fn uncertainty(&mut self) {
        let s = self.s;
        if let Some(u) = &s.uncertainty {
            if let Some(c) = u.concentration {
                self.concentration(&[Seg::Key("uncertainty"), Seg::Key("concentration")], c);
            }
            if let Some(x) = u.spread.filter(|x| !(0.0..=1.0).contains(x)) {
                self.error(
                    "statecraft::bad_spread",
                    &[Seg::Key("uncertainty"), Seg::Key("spread")],
                    format!("uncertainty.spread = {x} is outside 0–1"),
                    "expected 0–1",
                )
                .help = Some(
                    "the spread is a fraction of each judgment's scale: 0.1 lets a utility move by a tenth of the decision's span of utilities".into(),
                );
            }
        }
        for (i, d) in s.drivers.iter().enumerate() {
            let base = [Seg::Key("driver"), Seg::Index(i)];
            if let Some(prior) = &d.prior {
                let c = d.prior_concentration;
                let r = d.prior_range.as_deref();
                let cp = [base[0], base[1], Seg::Key("prior_concentration")];
                let rp = [base[0], base[1], Seg::Key("prior_range")];
                self.row_spread(&cp, &rp, c, r, &prior.value, "the state");
            } else if d.prior_concentration.is_some() || d.prior_range.is_some() {
                let key =
                    if d.prior_range.is_some() { "prior_range" } else { "prior_concentration" };
                self.error(
                    "statecraft::conflicting_spread",
                    &[base[0], base[1], Seg::Key(key)],
                    format!("driver `{}` has a `{key}` but no `prior`", d.id),
                    "nothing to spread",
                )
                .help = Some(
                    "give the spread of a driver with parents on each `[[driver.cpt]]` row".into(),
                );
            }
            for (r, row) in d.cpt.iter().enumerate() {
                let rowp = [base[0], base[1], Seg::Key("cpt"), Seg::Index(r)];
                let cp = [rowp[0], rowp[1], rowp[2], rowp[3], Seg::Key("concentration")];
                let rp = [rowp[0], rowp[1], rowp[2], rowp[3], Seg::Key("range")];
                self.row_spread(
                    &cp,
                    &rp,
                    row.concentration,
                    row.range.as_deref(),
                    &row.p,
                    "the state",
                );
            }
        }
        for (i, st) in s.issues.iter().enumerate() {
            for (k, x) in st.stances.iter().enumerate() {
                let sp = [Seg::Key("issue"), Seg::Index(i), Seg::Key("stance"), Seg::Index(k)];
                for (key, value, range) in [
                    ("position_range", x.position, x.position_range),
                    ("salience_range", x.salience, x.salience_range),
                ] {
                    if let Some(b) = range {
                        let path = [sp[0], sp[1], sp[2], sp[3], Seg::Key(key)];
                        self.bounds(&path, b, value, Some((0.0, 100.0)));
                    }
                }
            }
        }
        for (i, c) in s.cross_impacts.iter().enumerate() {
            if let Some(x) = c.spread.filter(|x| !(0.0..=6.0).contains(x)) {
                self.error(
                    "statecraft::bad_spread",
                    &[Seg::Key("cross_impact"), Seg::Index(i), Seg::Key("spread")],
                    format!("cross_impact.spread = {x} is outside 0–6"),
                    "expected 0–6",
                )
                .help = Some("an impact lies in −3..+3, so it can move at most 6 points".into());
            }
        }
        for (i, dec) in s.decisions.iter().enumerate() {
            let mut ties: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (k, u) in dec.utilities.iter().enumerate() {
                let up = [Seg::Key("decision"), Seg::Index(i), Seg::Key("utility"), Seg::Index(k)];
                if let Some(r) = &u.range {
                    self.ranges(
                        &[up[0], up[1], up[2], up[3], Seg::Key("range")],
                        r,
                        &u.values,
                        "state",
                        None,
                    );
                }
                if let Some(t) = &u.tie {
                    ties.entry(t.as_str()).or_default().push(k);
                }
            }
            for (name, terms) in ties {
                self.tie(i, name, &terms);
            }
        }
        for (i, g) in s.games.iter().enumerate() {
            for (k, pay) in g.payoffs.iter().enumerate() {
                if let Some(r) = &pay.range {
                    let pp = [
                        Seg::Key("game"),
                        Seg::Index(i),
                        Seg::Key("payoff"),
                        Seg::Index(k),
                        Seg::Key("range"),
                    ];
                    self.ranges(&pp, r, &pay.values, "player", None);
                }
            }
        }
    }

    /// A Dirichlet concentration must be a positive finite number.
    fn concentration(&mut self, path: &[Seg<'_>], c: f64) {
        if !(c.is_finite() && c > 0.0) {
            self.error(
                "statecraft::bad_spread",
                path,
                format!("{} = {c} is not a positive number", path_string(path)),
                "expected a number above 0",
            )
            .help = Some(
                "a concentration of 10 lets a probability of 0.5 move by about ±0.15 (one standard deviation); larger keeps it closer".into(),
            );
        }
    }

    /// A probability row's spread: a concentration or ranges, not both.
    fn row_spread(
        &mut self,
        cpath: &[Seg<'_>],
        rpath: &[Seg<'_>],
        concentration: Option<f64>,
        range: Option<&[crate::scenario::Bounds]>,
        p: &[f64],
        what: &str,
    ) {
        if let Some(c) = concentration {
            self.concentration(cpath, c);
        }
        if let Some(r) = range {
            if concentration.is_some() {
                self.error(
                    "statecraft::conflicting_spread",
                    rpath,
                    format!("{} is given together with a concentration", path_string(rpath)),
                    "second spread",
                )
                .help = Some(
                    "give a probability row either a `concentration` or per-entry ranges, not both"
                        .into(),
                );
            }
            self.ranges(rpath, r, p, what, Some((0.0, 1.0)));
        }
    }

    /// One range per value, each holding its value (and within `limits`).
    fn ranges(
        &mut self,
        path: &[Seg<'_>],
        ranges: &[crate::scenario::Bounds],
        values: &[f64],
        per: &str,
        limits: Option<(f64, f64)>,
    ) {
        if ranges.len() != values.len() {
            self.error(
                "statecraft::bad_range",
                path,
                format!(
                    "{} has {} ranges for {} values",
                    path_string(path),
                    ranges.len(),
                    values.len()
                ),
                &format!("expected {}", values.len()),
            )
            .help = Some(format!("give one `[low, high]` per {per}, in order"));
            return;
        }
        for (k, (&b, &v)) in ranges.iter().zip(values).enumerate() {
            let mut p = path.to_vec();
            p.push(Seg::Index(k));
            self.bounds(&p, b, v, limits);
        }
    }

    /// A range `[low, high]` that holds `value` and lies within `limits`.
    fn bounds(
        &mut self,
        path: &[Seg<'_>],
        [low, high]: [f64; 2],
        value: f64,
        limits: Option<(f64, f64)>,
    ) {
        let within = limits.is_none_or(|(lo, hi)| lo <= low && high <= hi);
        if low.is_finite() && high.is_finite() && low <= value && value <= high && within {
            return;
        }
        let limit = limits.map_or(String::new(), |(lo, hi)| format!(", within {lo}–{hi}"));
        self.error(
            "statecraft::bad_range",
            path,
            format!(
                "{} = [{low}, {high}] does not hold the stated value {value}{limit}",
                path_string(path)
            ),
            "this range",
        )
        .help = Some(format!("write `[low, high]` with low ≤ {value} ≤ high{limit}"));
    }

    /// Terms tied by one name are one judgment: at least two, with equal values and ranges.
    fn tie(&mut self, decision: usize, name: &str, terms: &[usize]) {
        let dec = &self.s.decisions[decision];
        let path = |k: usize| {
            [
                Seg::Key("decision"),
                Seg::Index(decision),
                Seg::Key("utility"),
                Seg::Index(k),
                Seg::Key("tie"),
            ]
        };
        if let [only] = terms {
            self.error(
                "statecraft::bad_tie",
                &path(*only),
                format!("tie `{name}` of decision `{}` has only one term", dec.id),
                "alone",
            )
            .help = Some("a tie names one judgment written under several options: give it to every term that shares it, or remove it".into());
            return;
        }
        let first = &dec.utilities[terms[0]];
        for &k in &terms[1..] {
            let u = &dec.utilities[k];
            if u.values != first.values || u.range != first.range {
                let first_span = self.spans.value(&path(terms[0]));
                let d = self.error(
                    "statecraft::bad_tie",
                    &path(k),
                    format!("tie `{name}`: this term's values or ranges differ from the first tied term's"),
                    "differs",
                );
                d.related.push((first_span, "first tied term".into()));
                d.help = Some(
                    "tied terms are one judgment: give them the same `values` and `range`".into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
