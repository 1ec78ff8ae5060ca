//! The glossary: one plain definition, in our own words, for each term of art the `run`
//! reports use, and the two ways a reader meets it: on hover in the HTML report (each use of a
//! term in the page's text is an `<abbr title="…">`, no script) and in a glossary section at the
//! end of the Markdown and HTML reports, which lists the terms the report uses.
//!
//! A term is matched as written, case and all, as a whole word (so `MEU` is not found inside
//! another word); an entry may list several forms (singular and plural). The `driver.state`
//! notation is not one word but a pattern: its forms are the scenario's own `driver.state`
//! pairs, which the caller passes in.

use std::fmt::Write;

use aho_corasick::AhoCorasick;

use crate::svg::escape as esc;

/// One term of art and what it means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// The term as the glossary lists it.
    pub term: &'static str,
    /// The forms in which the reports write it, longest first where one contains another.
    pub forms: &'static [&'static str],
    /// A one-line plain definition.
    pub definition: &'static str,
}

/// The term under which the `driver.state` notation is listed.
pub const NOTATION: &str = "driver.state";

/// Every entry, in the order the glossary lists them (alphabetical, the notation first).
pub const ENTRIES: &[Entry] = &[
    Entry {
        term: NOTATION,
        forms: &[],
        definition: "A driver of the scenario in one of its states, written with a dot: korean_war.korean is the driver korean_war in its state korean.",
    },
    Entry {
        term: "ACH",
        forms: &["ACH"],
        definition: "Analysis of competing hypotheses (Heuer 1999): every item of evidence is rated against every explanation, and the explanation the evidence contradicts least is preferred.",
    },
    Entry {
        term: "Bayesian network",
        forms: &["Bayesian network"],
        definition: "A model of drivers linked by cause, where each driver's chances are given for every combination of the states of its causes; from these it works out how likely each state is.",
    },
    Entry {
        term: "CIB",
        forms: &["CIB"],
        definition: "Cross-impact balance analysis (Weimer-Jehle 2006): finds the combinations of driver states in which every driver is in the state the others push it towards most.",
    },
    Entry {
        term: "constant-sum",
        forms: &["constant-sum"],
        definition: "A game in which the players' payoffs add up to the same total whatever they play, so one's gain is the others' loss.",
    },
    Entry {
        term: "degenerate",
        forms: &["degenerate"],
        definition: "Said of a game in which some mixed strategy has more best replies than it uses strategies; such a game can have infinitely many equilibria and needs exact arithmetic.",
    },
    Entry {
        term: "equilibrium",
        forms: &["equilibrium", "equilibria"],
        definition: "A Nash equilibrium: a choice (or mix of choices) for each player from which no player gains by changing alone.",
    },
    Entry {
        term: "EVPI",
        forms: &["EVPI"],
        definition: "Expected value of perfect information (Howard 1966): how much better, in expected utility, the decision would turn out if every uncertain driver were known before deciding.",
    },
    Entry {
        term: "expected utility",
        forms: &["expected utility"],
        definition: "The average of an option's utilities over the outcomes it may lead to, each weighted by its probability.",
    },
    Entry {
        term: "expected utility model",
        forms: &["expected utility model"],
        definition: "Bueno de Mesquita's bargaining model: actors with a position, a salience and a capability challenge each other round by round when they expect to gain, and positions move until no challenge pays.",
    },
    Entry {
        term: "global succession",
        forms: &["global succession"],
        definition: "CIB's way of searching: from a starting combination, move every driver at once to the state the others favour most, and repeat until a combination repeats itself.",
    },
    Entry {
        term: "ICD 203",
        forms: &["ICD 203"],
        definition: "US Intelligence Community Directive 203 (2015), on analytic standards: it fixes the words for likelihood (unlikely: 20–45 %) and asks for confidence to be stated apart from likelihood.",
    },
    Entry {
        term: "inconsistency score",
        forms: &["inconsistency score"],
        definition: "In ACH, the sum of how strongly the evidence contradicts a hypothesis (0 when nothing contradicts it); the smaller in magnitude, the better the hypothesis holds up.",
    },
    Entry {
        term: "linchpin",
        forms: &["Linchpins", "linchpins", "linchpin"],
        definition: "An item of evidence whose rating, changed by one step, would change which hypothesis leads.",
    },
    Entry {
        term: "MACTOR",
        forms: &["MACTOR"],
        definition: "Godet's method of actors' strategies: from how actors influence each other and where they stand on objectives, it rates each actor's power and finds who converges and who diverges.",
    },
    Entry {
        term: "MEU",
        forms: &["MEU"],
        definition: "Maximum expected utility: the expected utility of the best option, or of the best policy when the decision-maker observes something first.",
    },
    Entry {
        term: "MICMAC",
        forms: &["MICMAC"],
        definition: "Godet's structural analysis: ranks drivers by their direct and indirect influence on and dependence on the others, as influential, relay or dependent.",
    },
    Entry {
        term: "PARC",
        forms: &["PARC"],
        definition: "The scoring of the Palo Alto Research Center's ACH software: each rating counts as more or less inconsistent, and only inconsistency is summed.",
    },
    Entry {
        term: "relative support",
        forms: &["relative support"],
        definition: "ACH's Bayesian weights of hypotheses that the scenario does not declare exclusive: how the evidence shares out support among them, not the probability that each is true.",
    },
    Entry {
        term: "Ri*",
        forms: &["Ri*"],
        definition: "MACTOR's relative power of an actor: its direct and indirect influence, scaled so that the actors average 1, and weighted by how little the others influence it.",
    },
    Entry {
        term: "round cap",
        forms: &["round cap"],
        definition: "The number of rounds after which a bargaining model is stopped whether or not the positions have settled.",
    },
    Entry {
        term: "salience",
        forms: &["salience"],
        definition: "How much an issue matters to an actor, from 0 (not at all) to 100 (above everything): the share of its capability it would spend on the issue.",
    },
    Entry {
        term: "self-consistent future",
        forms: &[
            "self-consistent futures",
            "self-consistent future",
            "consistent futures",
            "consistent future",
        ],
        definition: "In CIB, a combination of driver states in which no driver is pushed by the others towards a state other than its own.",
    },
    Entry {
        term: "spatial model",
        forms: &["spatial model"],
        definition: "A bargaining model in which each actor's position moves towards where the votes of the others, weighted by capability and salience, would carry the issue.",
    },
    Entry {
        term: "TIS",
        forms: &["TIS"],
        definition: "CIB's total impact score: the sum of the impacts the chosen states receive from each other; a larger score means a more strongly self-reinforcing future.",
    },
    Entry {
        term: "tornado",
        forms: &["tornado"],
        definition: "A chart of one-at-a-time sensitivity: each judgment moved across its range alone, with the bars sorted by how far they move the result.",
    },
    Entry {
        term: "zero-sum",
        forms: &["zero-sum"],
        definition: "A two-player game in which one player's gain is exactly the other's loss.",
    },
];

/// The entry of a term, if the glossary has one.
pub fn entry(term: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.term == term)
}

/// The entries whose terms `text` uses, in glossary order; `notation` are the scenario's
/// `driver.state` pairs, which count as a use of the notation.
pub fn used_in(text: &str, notation: &[String]) -> Vec<&'static Entry> {
    ENTRIES
        .iter()
        .filter(|e| {
            let forms: Vec<&str> = forms(e, notation);
            forms.iter().any(|f| find_word(text, f, 0).is_some())
        })
        .collect()
}

/// The forms of an entry, with the scenario's `driver.state` pairs for the notation.
fn forms<'a>(e: &'a Entry, notation: &'a [String]) -> Vec<&'a str> {
    if e.term == NOTATION {
        notation.iter().map(String::as_str).collect()
    } else {
        e.forms.to_vec()
    }
}

/// Whether `c` may continue a word, so that a match next to it is not a whole word.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text[start..end]` is a whole word: no word character just before or after it.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back().is_none_or(|c| !word_char(c));
    let after = text[end..].chars().next().is_none_or(|c| !word_char(c));
    before && after
}

/// The first position at or after `from` where `form` stands in `text` as a whole word.
fn find_word(text: &str, form: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(k) = text.get(at..)?.find(form) {
        let start = at + k;
        if whole_word(text, start, start + form.len()) {
            return Some(start);
        }
        at = start + form.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// What wraps the uses of glossary terms in an HTML page: every form of every entry (the
/// notation's forms are the scenario's own pairs), escaped as the page's text is, and an
/// automaton that finds all of them in one pass over a text.
#[derive(Debug, Clone)]
pub struct Annotator<'a> {
    /// The forms, longest first, each with its entry: where two forms start at one position,
    /// the longer wins, so that "expected utility model" wins over "expected utility".
    forms: Vec<(String, &'a Entry)>,
    finder: AhoCorasick,
}

impl<'a> Annotator<'a> {
    /// The annotator of a page whose scenario's `driver.state` pairs are `notation`.
    pub fn new(notation: &'a [String]) -> Annotator<'a> {
        let mut all: Vec<(String, &Entry)> = ENTRIES
            .iter()
            .flat_map(|e| forms(e, notation).into_iter().map(move |f| (esc(f), e)))
            .collect();
        all.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        // A few hundred short forms: far below any limit of the automaton's size.
        let finder = AhoCorasick::new(all.iter().map(|(f, _)| f)).expect("forms are small");
        Annotator { forms: all, finder }
    }

    /// The HTML fragment `html` with every use of a glossary term in its text wrapped in
    /// `<abbr title="definition">`. Tags and attribute values, SVG charts, and text already
    /// inside an `<abbr>` are left as they are.
    pub fn annotate(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        let mut rest = html;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                self.wrap_text(rest, &mut out);
                break;
            };
            self.wrap_text(&rest[..lt], &mut out);
            rest = &rest[lt..];
            // Copy a tag, or a whole element whose text must not be touched.
            let skip_to = ["<svg", "<abbr", "<style", "<script"]
                .iter()
                .find(|open| rest.starts_with(*open))
                .and_then(|open| {
                    rest.find(&format!("</{}>", &open[1..])).map(|e| e + open.len() + 2)
                });
            let end = skip_to.or_else(|| rest.find('>').map(|e| e + 1)).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
        out
    }

    /// Appends `text` (a text node, already escaped) to `out`, wrapping each use of a form:
    /// from left to right, the use that starts first, the longest of those starting there.
    fn wrap_text(&self, text: &str, out: &mut String) {
        // Every whole-word use of every form, by where it starts and then by the forms' order
        // (longest first).
        let mut uses: Vec<(usize, usize)> = self
            .finder
            .find_overlapping_iter(text)
            .filter(|m| whole_word(text, m.start(), m.end()))
            .map(|m| (m.start(), m.pattern().as_usize()))
            .collect();
        uses.sort_unstable();
        let mut at = 0;
        for (k, p) in uses {
            if k < at {
                continue;
            }
            let (form, e) = &self.forms[p];
            out.push_str(&text[at..k]);
            let _ = write!(out, "<abbr title=\"{}\">{form}</abbr>", esc(e.definition));
            at = k + form.len();
        }
        out.push_str(&text[at..]);
    }
}

/// The glossary part of the HTML report: the entries used, as a definition list.
pub fn html_section(used: &[&Entry]) -> String {
    let mut out = String::from("<dl class=\"glossary\">\n");
    for e in used {
        let _ = writeln!(out, "<dt><dfn>{}</dfn></dt><dd>{}</dd>", esc(e.term), esc(e.definition));
    }
    out.push_str("</dl>\n");
    out
}

/// The glossary section of the Markdown report: the entries `markdown` uses, one line each;
/// empty when it uses none. Markdown escapes `_`, so the text is read unescaped.
pub fn markdown_section(markdown: &str, notation: &[String]) -> String {
    let used = used_in(&markdown.replace("\\_", "_").replace("\\*", "*"), notation);
    if used.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## Glossary\n\n");
    for e in used {
        let term = crate::markdown::escape(e.term);
        let _ = writeln!(out, "- **{term}**: {}", crate::markdown::escape(e.definition));
    }
    out
}

/// The entries whose definition an annotated HTML page shows on hover, in glossary order.
pub fn used_in_html(annotated: &str) -> Vec<&'static Entry> {
    ENTRIES
        .iter()
        .filter(|e| annotated.contains(&format!("<abbr title=\"{}\">", esc(e.definition))))
        .collect()
}

/// The scenario's `driver.state` pairs, the forms of the notation.
pub fn notation(s: &model::scenario::Scenario) -> Vec<String> {
    s.drivers.iter().flat_map(|d| d.states.iter().map(move |st| format!("{}.{st}", d.id))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_wrapped_as_a_whole_word_outside_tags_and_charts() {
        let html = "<p title=\"MEU\">MEU and EVPI, not MEUS; the expected utility model</p><svg><text>MEU</text></svg>";
        let out = Annotator::new(&[]).annotate(html);
        assert!(
            out.starts_with("<p title=\"MEU\"><abbr title=\"Maximum expected utility"),
            "{out}"
        );
        assert_eq!(out.matches("<abbr").count(), 3, "{out}");
        assert!(out.contains("not MEUS"), "{out}");
        assert!(out.contains(">expected utility model</abbr>"), "{out}");
        assert!(out.ends_with("<svg><text>MEU</text></svg>"), "{out}");
    }

    #[test]
    fn the_notation_is_found_through_the_scenarios_pairs() {
        let pairs = vec!["korean_war.korean".to_string()];
        let used = used_in("P(korean_war.korean) = 25 %", &pairs);
        assert_eq!(used.iter().map(|e| e.term).collect::<Vec<_>>(), [NOTATION]);
        assert!(
            Annotator::new(&pairs)
                .annotate("<code>korean_war.korean</code>")
                .contains("<abbr title=\"A driver")
        );
    }

    /// The scan [`Annotator`] replaced, as the reference: from where the last use ended, each
    /// form is searched for on its own, and the first use wins, the longest among equals.
    fn wrap_by_search(text: &str, forms: &[(String, &Entry)]) -> String {
        let mut out = String::new();
        let mut at = 0;
        while at < text.len() {
            let next = forms
                .iter()
                .filter_map(|(f, e)| find_word(text, f, at).map(|k| (k, f, *e)))
                .min_by_key(|(k, f, _)| (*k, std::cmp::Reverse(f.len())));
            let Some((k, form, e)) = next else { break };
            out.push_str(&text[at..k]);
            let _ = write!(out, "<abbr title=\"{}\">{form}</abbr>", esc(e.definition));
            at = k + form.len();
        }
        out.push_str(&text[at..]);
        out
    }

    proptest::proptest! {
        /// One pass of the automaton wraps what the form-by-form search wraps, on texts made of
        /// forms that overlap, contain one another and touch word characters.
        #[test]
        fn one_pass_wraps_what_the_search_wraps(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "expected utility", "expected utility model", "utility", "MEU", "MEUS", "EVPI", "a.b",
            "a.bc", "x", "_", " ", ", ", "é", "(", "expected",
        ]), 0..24)) {
            let text: String = pieces.concat();
            let notation = vec!["a.b".to_string(), "a.bc".to_string()];
            let annotator = Annotator::new(&notation);
            let mut one_pass = String::new();
            annotator.wrap_text(&text, &mut one_pass);
            proptest::prop_assert_eq!(one_pass, wrap_by_search(&text, &annotator.forms));
        }
    }

    #[test]
    fn every_entry_has_a_form_or_is_the_notation_and_terms_are_unique() {
        for (i, e) in ENTRIES.iter().enumerate() {
            assert!(!e.forms.is_empty() || e.term == NOTATION, "{}", e.term);
            assert!(ENTRIES[..i].iter().all(|o| o.term != e.term), "{} twice", e.term);
        }
    }
}
