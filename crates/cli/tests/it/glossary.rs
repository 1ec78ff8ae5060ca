//! The glossary (issue #14): every term of art the korea-2024 HTML report uses shows its
//! definition on hover, every hover is a glossary entry, and no entry goes unused.

use report::glossary::{ENTRIES, NOTATION};

use crate::util::{root, statecraft};

/// `html` without the elements that open with `open` (up to their closing tag).
fn without(html: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(k) = rest.find(open) {
        out.push_str(&rest[..k]);
        rest = rest[k..].find(close).map_or("", |e| &rest[k + e + close.len()..]);
    }
    out.push_str(rest);
    out
}

/// Whether `form` stands in `text` as a whole word.
fn has_word(text: &str, form: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(form).any(|(k, _)| {
        text[..k].chars().next_back().is_none_or(|c| !word(c))
            && text[k + form.len()..].chars().next().is_none_or(|c| !word(c))
    })
}

#[test]
fn every_term_of_the_html_report_is_defined_on_hover_and_in_the_glossary() {
    let out = statecraft(&root(), &["run", "--format", "html", "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let escape = report::svg::escape;

    // Each hover is the definition of an entry, shown on one of its forms.
    let mut hovered = Vec::new();
    for abbr in html.split("<abbr title=\"").skip(1) {
        let (title, rest) = abbr.split_once("\">").unwrap();
        let text = &rest[..rest.find("</abbr>").unwrap()];
        let e = ENTRIES.iter().find(|e| escape(e.definition) == title);
        let e = e.unwrap_or_else(|| panic!("<abbr> on {text:?} has no glossary entry: {title}"));
        let is_form =
            e.forms.iter().any(|f| escape(f) == text) || (e.term == NOTATION && text.contains('.'));
        assert!(is_form, "{text:?} is not a form of {}", e.term);
        hovered.push(e.term);
    }

    // No entry unused: every entry is hovered somewhere and listed in the glossary part.
    let glossary = &html[html.find("id=\"glossary\"").expect("a glossary part")..];
    for e in ENTRIES {
        assert!(hovered.contains(&e.term), "{} is never used in the report", e.term);
        assert!(glossary.contains(&format!("<dfn>{}</dfn>", escape(e.term))), "{}", e.term);
    }

    // Each term that the parts' text uses is wrapped: with the hovers, the charts, the
    // headings and table of contents (not annotated), the glossary itself and every tag taken
    // out, no form of a term is left.
    let body = &html[html.find("</header>").unwrap()..html.find("id=\"glossary\"").unwrap()];
    let mut text = without(body, "<abbr", "</abbr>");
    for (open, close) in [("<svg", "</svg>"), ("<h2", "</h2>"), ("<", ">")] {
        text = without(&text, open, close);
    }
    for e in ENTRIES {
        for form in e.forms {
            assert!(!has_word(&text, &escape(form)), "{form:?} appears without its definition");
        }
    }
}
