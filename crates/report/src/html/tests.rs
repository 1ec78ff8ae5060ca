//! Tests of the HTML report: escaping, number formatting, and the page built from the built-in
//! korea-2024 with a made-up answer and charts (the whole run is tested in the CLI's
//! `tests/it/html.rs`, in a real browser).

use analysis::answer::{Answer, Reason};
use model::scenario::Scenario;

use super::*;
use crate::sheet::group;

fn korea() -> Scenario {
    let b = model::builtin::find("korea-2024").expect("built in");
    model::builtin::load(b).expect("valid").scenario
}

fn answer() -> Answer {
    Answer {
        headline: "Unlikely (20–45 %): a 25 % chance.".into(),
        probability: Some(0.25),
        words: Some("unlikely"),
        reasons: vec![Reason {
            lens: "ach",
            text: "H2 leads <because> of e07 & e08.".into(),
            cites: vec!["e07 (lee2024, P5 (C7))".into(), "lee2024, P8–P9".into(), "analyst".into()],
        }],
        futures: None,
        timing: None,
        disagreements: Vec::new(),
        confidence: None,
        robustness: None,
    }
}

fn chart(lens: &'static str, id: &str) -> Chart {
    Chart {
        lens,
        id: id.into(),
        title: format!("Chart {id}"),
        caption: "Read the bars.".into(),
        svg: "<svg viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>".into(),
    }
}

/// The page of `s` with two lens sections (one failed) and four charts, one of them for a
/// lens without a section and one for the answer.
fn page(s: &Scenario) -> String {
    let mut t = crate::table::Table::new(["rank", "hypothesis"]);
    t.row(["1", "H2 <1>"]);
    let mut ach = Doc::new();
    ach.table(t);
    let sections = [
        Section { key: "ach", title: "Competing hypotheses (ACH)", outcome: Ok(&ach) },
        Section {
            key: "cib",
            title: "Self-consistent futures (CIB)",
            outcome: Err("no <futures>"),
        },
    ];
    let charts = [
        chart("ach", "ach-matrix"),
        chart("cib", "cib-bars"),
        chart("games", "orphan"),
        chart("answer", "robust"),
    ];
    let title = s.hypotheses.iter().find(|h| h.id == "H2").map(|h| h.title.clone());
    let change = Change {
        leaders: vec![("H2".into(), title.unwrap_or_default())],
        linchpins: vec!["e07".into()],
        ..Change::default()
    };
    run_page(&Page {
        scenario: s,
        source: "<built-in korea-2024>",
        answer: &answer(),
        figures: &model::figures::compute(s),
        sections: &sections,
        charts: &charts,
        change: &change,
    })
}

fn run_page(p: &Page<'_>) -> String {
    super::run(p)
}

/// Every value of `attr="…"` in `html`.
fn attrs<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .map(|(at, _)| {
            let rest = &html[at + key.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

/// The part of `html` from the element with id `id` to the end of its section.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<section class=\"part\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let len = html[start..].find("</section>").unwrap_or(0);
    &html[start..start + len]
}

fn check_esc(raw: &str, want: &str) {
    assert_eq!(esc(raw), want, "{raw}");
}

#[test]
fn esc_plain() {
    check_esc("Seoul", "Seoul");
}
#[test]
fn esc_markup() {
    check_esc("<script>", "&lt;script&gt;");
}
#[test]
fn esc_ampersand_first() {
    check_esc("&lt;", "&amp;lt;");
}
#[test]
fn esc_quotes() {
    check_esc("\"a\" 'b'", "&quot;a&quot; &#39;b&#39;");
}
#[test]
fn esc_unicode_kept() {
    check_esc("20–45 % “x”", "20–45 % “x”");
}

fn check_group(x: f64, want: &str) {
    assert_eq!(group(x), want, "{x}");
}

#[test]
fn group_small() {
    check_group(999.0, "999");
}
#[test]
fn group_thousands() {
    check_group(12000.0, "12,000");
}
#[test]
fn group_millions() {
    check_group(288_000_000.0, "288,000,000");
}
#[test]
fn group_negative_fraction() {
    check_group(-1234.5, "-1,234.5");
}

#[test]
fn page_is_self_contained() {
    let html = page(&korea());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!("content=\"{CONTENT_SECURITY_POLICY}\"")));
    assert!(!html.contains("<script"), "a script in the page");
    for attr in ["src", "href", "action", "data"] {
        for v in attrs(&html, attr) {
            assert!(v.starts_with('#'), "{attr}=\"{v}\" leaves the page");
        }
    }
    assert!(!html.contains("url("), "a CSS reference");
    assert!(!html.contains("@import"), "a CSS import");
}

#[test]
fn every_link_in_the_page_has_its_target() {
    let html = page(&korea());
    let ids = attrs(&html, "id");
    for target in attrs(&html, "href") {
        assert!(ids.contains(&&target[1..]), "href=\"{target}\" has no target");
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "an id is used twice");
}

#[test]
fn charts_go_to_their_lens_and_the_rest_at_the_end() {
    let html = page(&korea());
    assert!(section(&html, "lens-ach").contains("id=\"chart-ach-matrix\""));
    assert!(section(&html, "lens-cib").contains("id=\"chart-cib-bars\""));
    assert!(section(&html, "lens-cib").contains("Not run: no &lt;futures&gt;"));
    assert!(section(&html, "charts").contains("id=\"chart-orphan\""));
    // The answer's robustness sits under the answer, and only there.
    assert!(section(&html, "answer").contains("id=\"chart-robust\""));
    assert!(!section(&html, "charts").contains("id=\"chart-robust\""));
    assert_eq!(html.matches("<figcaption>Read the bars.</figcaption>").count(), 4);
}

#[test]
fn lens_tables_are_escaped_html_tables() {
    let html = page(&korea());
    let ach = section(&html, "lens-ach");
    assert!(ach.contains("<th scope=\"col\">hypothesis</th>"), "{ach}");
    assert!(ach.contains("<td>H2 &lt;1&gt;</td>"), "{ach}");
    assert!(!html.contains("<pre"), "no preformatted text in the page");
}

#[test]
fn reasons_cite_notes_that_name_the_source_and_place() {
    let html = page(&korea());
    let answer = section(&html, "answer");
    assert!(answer.contains("H2 leads &lt;because&gt; of e07 &amp; e08."));
    assert!(answer.contains("href=\"#n1\"") && answer.contains("href=\"#n3\""), "{answer}");
    let notes = section(&html, "notes");
    // The evidence item's claim, its source's title and its locator.
    assert!(notes.contains("<li id=\"n1\"><b>e07</b> (reported 2024-10): The soldiers left"));
    assert!(notes.contains("P5 (C7)</li>"));
    assert!(notes.contains("<li id=\"n2\"><a href=\"#src-0\">Is the Ukraine War"));
}

#[test]
fn judged_numbers_carry_why_and_source() {
    let html = page(&korea());
    let scenario = section(&html, "scenario");
    // korea-2024's DPRK capability is 15, judged by the analyst with a reason.
    let at = scenario
        .find("title=\"capability of North Korea (DPRK): analyst assumption: a nuclear-armed state")
        .expect("the capability's reason on hover");
    let cell = &scenario[at..at + 600];
    assert!(cell.contains("Analyst assumptions of the korea-2024 scenario (analyst)"), "{cell}");
    assert!(cell.contains(">15</span><sup class=\"fn\"><a href=\"#n"), "{cell}");
    // The troop estimate behind the derived figures: its range, source and locator.
    assert!(scenario.contains(">3,000–10,000</span>"));
    let notes = section(&html, "notes");
    assert!(notes.contains("about 3,000 sent by the NIS&#39;s count (the low end)"), "{notes}");
    assert!(notes.contains("— <a href=\"#src-2\">Public briefings"), "{notes}");
    assert!(notes.contains("23 October 2024 briefing</li>"));
}

#[test]
fn identical_provenance_shares_one_note() {
    let html = page(&korea());
    let notes = section(&html, "notes");
    let items: Vec<&str> =
        notes.split("<li id=").skip(1).map(|li| &li[li.find('>').unwrap_or(0)..]).collect();
    let mut unique = items.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), items.len(), "two notes say the same");
}

#[test]
fn change_lists_the_linchpins() {
    let html = page(&korea());
    let change = section(&html, "change");
    assert!(change.contains("The lead of H2 (Treaty-based alliance commitment)"));
    assert!(change.contains("<td class=\"id\"><a href=\"#ev-e07\">e07</a></td>"));
}

#[test]
fn no_change_section_without_data() {
    let s = korea();
    let html = run_page(&Page {
        scenario: &s,
        source: "x",
        answer: &answer(),
        figures: &[],
        sections: &[],
        charts: &[],
        change: &Change::default(),
    });
    assert!(!html.contains("id=\"change\""));
    assert!(!html.contains("id=\"charts\""));
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let mut s = korea();
    let evil = "<script>alert(\"x\")</script> & 'q' <img src=x onerror=alert(1)>";
    s.scenario.title = evil.into();
    s.scenario.question = evil.into();
    s.actors[0].name = evil.into();
    s.actors[0].capability.why = Some(evil.into());
    s.sources[0].title = evil.into();
    s.sources[0].url = Some(format!("https://example.org/\"{evil}"));
    s.evidence[6].claim = evil.into();
    let html = page(&s);
    assert!(!html.contains("<script"), "a script got through");
    assert!(!html.contains("<img"), "an image got through");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
    for v in attrs(&html, "src").into_iter().chain(attrs(&html, "href")) {
        assert!(v.starts_with('#'), "a reference leaves the page: {v}");
    }
}

#[test]
fn probability_scale_marks_the_band() {
    let svg = scale(0.25);
    assert!(svg.contains(">25.0 %</text>"));
    // The 20–45 band is shaded, the others not.
    assert_eq!(svg.matches("fill=\"#c9d6ea\"").count(), 1);
    assert_eq!(scale(1.0).matches("fill=\"#c9d6ea\"").count(), 1);
    assert_eq!(scale(0.0).matches("fill=\"#c9d6ea\"").count(), 1);
}

#[test]
fn lens_title_is_dropped() {
    let s = korea();
    let mut doc = Doc::new();
    doc.title("## Actors (MACTOR)");
    doc.gap();
    doc.para("Most power: x.");
    let sections = [Section { key: "actors", title: "Actors", outcome: Ok(&doc) }];
    let html = run_page(&Page {
        scenario: &s,
        source: "x",
        answer: &answer(),
        figures: &[],
        sections: &sections,
        charts: &[],
        change: &Change::default(),
    });
    let actors = section(&html, "lens-actors");
    assert!(actors.contains("<p>Most power: x.</p>"), "{actors}");
    assert!(!actors.contains("MACTOR)"), "{actors}");
}

#[test]
fn prints_each_part_on_a_new_page_without_backgrounds() {
    let print = &STYLE[STYLE.find("@media print").expect("a print style sheet")..];
    assert!(print.contains("section.part { break-before: page;"));
    assert!(print.contains("background: none !important"));
    // A table that runs over a page break shows its header again on the next page.
    assert!(print.contains("thead { display: table-header-group; }"));
    assert!(!STYLE.contains("pre.lens-text"), "no preformatted text left to style");
}

#[test]
fn change_has_the_decision_the_value_of_information_and_the_tornado() {
    use model::lens::bayes::{BayesStudy, summarise};
    let s = korea();
    let summary = summarise(&BayesStudy::from_scenario(&s).expect("maps"), 5).expect("solves");
    let html = run_page(&Page {
        scenario: &s,
        source: "x",
        answer: &answer(),
        figures: &[],
        sections: &[],
        charts: &[],
        change: &Change::gather(&s, None, Some(&summary), &[]),
    });
    let change = without_hovers(section(&html, "change"));
    // The numbers are those `statecraft run` prints for korea-2024 in its Bayes section.
    // The headline given each root driver's state, by the driver's name and the state's label.
    assert!(change.contains("P(korean_war = korean) is 24.6 % now."), "{change}");
    assert!(change.contains("<td>Continuity</td><td class=\"r\">24.3 %</td>"), "{change}");
    // The focal decision: its owner, its best option and the margin over the runner-up.
    assert!(change.contains("For South Korea (ROK), the best option is <b>status_quo_nato</b>"));
    assert!(
        change.contains("(expected utility −38.69), ahead of arms_to_ukraine (−42.50) by 3.82")
    );
    assert!(change.contains("would be worth 24.26 in expected utility"));
    assert!(change.contains("<td class=\"r\">22.30</td>"), "us_policy's EVPI");
    assert_eq!(change.matches("<code>U(seoul:").count(), 5, "five tornado rows");
}

/// `html` with the glossary's hovers taken out (each `<abbr title="…">` and `</abbr>`), so that
/// a test can look for a sentence that has a term of art in it.
fn without_hovers(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(k) = rest.find("<abbr title=\"") {
        out.push_str(&rest[..k]);
        rest = rest[k..].split_once("\">").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out.replace("</abbr>", "")
}
