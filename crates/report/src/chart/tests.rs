//! Tests of the charts: on the analysis of the built-in korea-2024 with the settings of
//! `statecraft run` (the run whose JSON is `tests/fixtures/run/korea-2024.json`), on richer Bayes
//! settings whose charts that run does not have, on hostile labels, and on typed results that
//! are empty, inconsistent or not finite.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use analysis::bayes::{BayesSettings, ScenarioBayes};
use analysis::{Analysis, LensError, Outcome, Settings};
use quick_xml::events::Event;

use super::{Chart, for_run};
use crate::bayes::BayesReport;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The analysis of the built-in korea-2024 with the settings of `statecraft run`, made once.
fn korea() -> Analysis {
    static KOREA: OnceLock<Analysis> = OnceLock::new();
    KOREA
        .get_or_init(|| {
            let b = model::builtin::find("korea-2024").expect("korea-2024 is built in");
            let mut loaded = model::builtin::load(b).unwrap_or_else(|d| panic!("{d}"));
            // Bargain all three issues, own choices included, so that the charts of several
            // issues (ids, escaping, a failed issue) have more than one to work on.
            for issue in &mut loaded.scenario.issues {
                issue.decided_by = None;
            }
            analysis::analyse(&loaded, &Settings::default())
        })
        .clone()
}

/// A lens's result in an analysis, to change it.
fn lens<T>(outcome: &mut Outcome<T>) -> &mut T {
    match outcome {
        Some(Ok(x)) => x,
        _ => panic!("the lens ran and succeeded"),
    }
}

/// The ids of the charts of an analysis.
fn ids(a: &Analysis) -> Vec<String> {
    for_run(a).into_iter().map(|c| c.id).collect()
}

/// What an SVG holds once parsed: its text content, the `<title>` text, the root's attributes
/// and how many marks (shapes) it draws. Panics with the parser's message if it is not
/// well-formed XML.
#[derive(Debug, Default)]
struct Parsed {
    text: String,
    title: String,
    root: Vec<(String, String)>,
    marks: usize,
    elements: Vec<String>,
}

fn parse(svg: &str) -> Parsed {
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut out = Parsed::default();
    let mut depth = 0usize;
    let mut in_title = false;
    let mut root_closed = false;
    loop {
        let event =
            reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
        let open = |e: &quick_xml::events::BytesStart<'_>, out: &mut Parsed, depth: usize| {
            let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            assert!(!root_closed, "content after the root element");
            if depth == 0 {
                out.root = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("well-formed attribute");
                        let value =
                            a.unescape_value().expect("attribute value unescapes").into_owned();
                        (String::from_utf8_lossy(a.key.as_ref()).into_owned(), value)
                    })
                    .collect();
            } else {
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    let value = a.unescape_value().expect("attribute value unescapes");
                    assert!(!value.contains("NaN") && !value.contains("inf"), "{name}: {value}");
                }
            }
            if matches!(name.as_str(), "rect" | "line" | "polyline" | "polygon" | "circle" | "path")
            {
                out.marks += 1;
            }
            out.elements.push(name);
        };
        match event {
            Event::Start(e) => {
                open(&e, &mut out, depth);
                in_title = e.name().as_ref() == b"title" && depth == 1;
                depth += 1;
            }
            Event::Empty(e) => {
                open(&e, &mut out, depth);
                root_closed |= depth == 0;
            }
            Event::End(_) => {
                depth -= 1;
                in_title = false;
                root_closed |= depth == 0;
            }
            Event::Text(t) => {
                let s = t.decode().expect("utf-8 text");
                out.text.push_str(&s);
                if in_title {
                    out.title.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("valid character reference") {
                    Some(c) => c.to_string(),
                    None => match r.decode().expect("utf-8 reference").as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("unknown entity &{other};"),
                    },
                };
                out.text.push_str(&c);
                if in_title {
                    out.title.push_str(&c);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => panic!("no prolog expected"),
            Event::Comment(_) | Event::CData(_) => {}
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    out
}

fn attr<'a>(p: &'a Parsed, key: &str) -> Option<&'a str> {
    p.root.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Checks what every chart must be: one `<svg>` with a viewBox, `role="img"`, a title and a
/// description, marks, no script and no external reference.
fn check(c: &Chart) -> Parsed {
    let p = parse(&c.svg);
    assert_eq!(p.elements.first().map(String::as_str), Some("svg"), "{}", c.id);
    assert_eq!(attr(&p, "role"), Some("img"), "{}", c.id);
    let view = attr(&p, "viewBox").unwrap_or_else(|| panic!("{} has no viewBox", c.id));
    assert!(view.starts_with("0 0 640 "), "{}: {view}", c.id);
    assert_eq!(p.title, c.title, "{}", c.id);
    assert!(p.elements.iter().any(|e| e == "desc"), "{}", c.id);
    assert!(p.text.contains(&c.caption), "{}: the caption is the description", c.id);
    assert!(p.marks >= 5, "{} draws only {} marks", c.id, p.marks);
    assert!(
        !p.elements.iter().any(|e| e == "script" || e == "image" || e == "foreignObject"),
        "{}",
        c.id
    );
    assert!(!c.svg.contains("href"), "{}", c.id);
    assert!(!c.title.is_empty() && !c.caption.is_empty(), "{}", c.id);
    assert!(
        c.id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'),
        "{} is not a plain HTML id",
        c.id
    );
    p
}

#[test]
fn korea_has_every_chart_its_run_supports() {
    // The run solves Seoul's decision with the value of information and the tornado, so every
    // chart is there.
    assert_eq!(
        ids(&korea()),
        [
            "ach-matrix",
            "ach-scores",
            "micmac-map",
            "mactor-map",
            "mactor-balance",
            "mactor-convergence",
            "bargain-rok_support",
            "bargain-rok_nuclear",
            "bargain-rus_tech",
            "cib-futures",
            "bayes-options-seoul",
            "bayes-tornado",
            "bayes-evpi",
            "ensemble-korean_war-korean",
            "ensemble-best-seoul",
        ]
    );
}

#[test]
fn every_korea_chart_is_well_formed_and_has_marks() {
    for c in for_run(&korea()) {
        check(&c);
    }
}

#[test]
fn charts_are_deterministic() {
    assert_eq!(for_run(&korea()), for_run(&korea()));
}

#[test]
fn ids_are_unique() {
    let mut a = korea();
    // Two issues whose ids differ only in characters an HTML id cannot hold.
    let b = lens(&mut a.bargain);
    b.study.issue_ids[0] = "a b".into();
    b.study.issue_ids[1] = "a.b".into();
    let ids = ids(&a);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(
        ids.contains(&"bargain-a-b".to_owned()) && ids.contains(&"bargain-a-b-2".to_owned()),
        "{ids:?}"
    );
}

/// The list of korea-2024's charts with their titles and captions, compared with
/// `src/chart/testdata/korea-2024-charts.txt` so that a change shows in review; run with
/// `UPDATE_SNAPSHOTS=1` to rewrite it after an intended change.
#[test]
fn korea_chart_list_snapshot() {
    let mut actual = String::new();
    for c in for_run(&korea()) {
        actual.push_str(&format!("[{}] {} ({})\n{}\n\n", c.id, c.title, c.lens, c.caption));
    }
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/chart/testdata/korea-2024-charts.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &actual).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual,
        expected,
        "the chart list differs from {}; rerun with UPDATE_SNAPSHOTS=1 if the change is intended",
        path.display()
    );
}

/// Writes korea-2024's charts to `target/charts/ID.svg` (and a page showing them all,
/// `target/charts/index.html`) so that they can be looked at.
#[test]
fn write_korea_charts_for_review() {
    let dir = root().join("target/charts");
    std::fs::create_dir_all(&dir).expect("target/charts is writable");
    let mut page = String::from(
        "<!doctype html><meta charset=\"utf-8\"><title>korea-2024 charts</title><body style=\"max-width:680px;font-family:sans-serif\">\n",
    );
    for c in for_run(&korea()).iter().chain(&samples()) {
        std::fs::write(dir.join(format!("{}.svg", c.id)), &c.svg).expect("chart written");
        page.push_str(&format!(
            "<figure id=\"{}\"><h3>{}</h3>{}<figcaption>{}</figcaption></figure>\n",
            c.id,
            crate::svg::escape(&c.title),
            c.svg,
            crate::svg::escape(&c.caption)
        ));
    }
    std::fs::write(dir.join("index.html"), page).expect("page written");
}

/// korea-2024's Bayes lens run with `decide`, `voi` and the tornado `target` (`korean_war=korean`,
/// or `meu`), as `statecraft bayes korea-2024 --decide --voi --tornado TARGET` runs it.
fn korea_bayes(target: &str) -> ScenarioBayes {
    let s = korea().scenario;
    let settings = BayesSettings {
        decide: true,
        voi: true,
        tornado: Some(target.into()),
        ..BayesSettings::default()
    };
    analysis::bayes::scenario(&s, &settings).expect("korea-2024's Bayes lens runs")
}

/// The Bayes charts of the tornado of `korean_war=korean`, and the tornado of `meu` (which the
/// run draws) under another id, for review.
fn samples() -> Vec<Chart> {
    let b = korea_bayes("korean_war=korean");
    let mut charts = bayes_charts(&BayesReport::of(&b.analysis));
    let meu = korea_bayes("meu");
    let tornado = super::bayes::tornado(&BayesReport::of(&meu.analysis)).expect("a tornado");
    charts.push(Chart { id: "bayes-tornado-meu".into(), ..tornado });
    charts
}

/// The charts of the Bayes lens, in the order of [`for_run`].
fn bayes_charts(r: &BayesReport<'_>) -> Vec<Chart> {
    let mut charts = super::bayes::options(r);
    charts.extend(super::bayes::tornado(r));
    charts.extend(super::bayes::evpi(r));
    charts
}

#[test]
fn korea_bayes_charts_when_the_lens_decides_and_has_a_tornado() {
    let b = korea_bayes("korean_war=korean");
    let charts = bayes_charts(&BayesReport::of(&b.analysis));
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["bayes-options-seoul", "bayes-tornado", "bayes-evpi"]);
    for c in &charts {
        check(c);
    }
    // The numbers are those `statecraft bayes korea-2024 --decide --voi --format json` writes:
    // status_quo_nato -38.69, arms_to_ukraine -42.50; EVPI of us_policy 22.30 out of 24.26.
    assert!(
        charts[0].caption.starts_with("The best option for seoul is status_quo_nato (expected utility -38.69). The next best, arms_to_ukraine, gives -42.5 (3.82 less)."),
        "{}",
        charts[0].caption
    );
    assert!(
        charts[2].caption.starts_with("Learning us_policy before deciding is worth the most: up to 22.3 in expected utility. Knowing everything in advance would be worth 24.26."),
        "{}",
        charts[2].caption
    );
    let meu = korea_bayes("meu");
    let tornado = super::bayes::tornado(&BayesReport::of(&meu.analysis)).expect("a tornado of meu");
    check(&tornado);
    // The shared cost of tension moves for every option at once and flips nothing; the first
    // bar that flips the advice is the status quo's utility under US continuity, at 11.52.
    assert!(tornado.caption.contains("The best option changes if U(seoul:us_policy | seoul=status_quo_nato, us_policy=continuity) reaches 11.52."), "{}", tornado.caption);
}

/// korea-2024's Bayes lens with round numbers: seoul's options at 70, 35 and -12.5, EVPI 21 in
/// all (21, 6.5 and 0 on three nodes), and a tornado of three bars.
fn round_bayes() -> ScenarioBayes {
    let mut b = korea_bayes("korean_war=korean");
    let a = &mut b.analysis;
    let vars = a.net.variables().to_vec();
    let s = a.solution.as_mut().expect("a solution");
    let seoul =
        s.decisions.iter_mut().find(|d| vars[d.node].name == "seoul").expect("seoul decides");
    let states = &vars[seoul.node].states;
    for (k, o) in states.iter().enumerate() {
        seoul.expected_utility[k] = match o.as_str() {
            "status_quo_nato" => 70.0,
            "arms_to_ukraine" => 35.0,
            _ => -12.5,
        };
    }
    seoul.best = states.iter().position(|o| o == "status_quo_nato").expect("an option");
    s.evpi = Some(21.0);
    let mut evpi = [21.0, 6.5, 0.0].into_iter();
    for e in s.evpi_by_node.iter_mut() {
        *e = e.and_then(|_| evpi.next());
    }
    let (_, t) = a.tornado.as_mut().expect("a tornado");
    t.base = 0.246;
    t.bars.truncate(3);
    let numbers = [
        (0.5, 0.7, 0.226, 0.266, 0.04, None),
        (0.25, 0.45, 0.238, 0.254, 0.016, Some(0.41)),
        (0.4, 0.6, 0.2455, 0.2465, 0.001, None),
    ];
    for (bar, (low, high, tl, th, swing, threshold)) in t.bars.iter_mut().zip(numbers) {
        (bar.low, bar.high, bar.swing, bar.threshold) = (low, high, swing, threshold);
        (bar.target_low, bar.target_high) = (Some(tl), Some(th));
    }
    b
}

#[test]
fn options_tornado_and_evpi_with_round_numbers() {
    let b = round_bayes();
    let r = BayesReport::of(&b.analysis);
    let charts = bayes_charts(&r);
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["bayes-options-seoul", "bayes-tornado", "bayes-evpi"]);
    for c in &charts {
        check(c);
    }
    // Every number below is one of round_bayes()'s.
    let name = |k: usize| {
        let (_, t) = r.tornado.expect("a tornado");
        crate::bayes::parameter_name(&r, &t.bars[k].parameter)
    };
    let captions: Vec<&str> = charts.iter().map(|c| c.caption.as_str()).collect();
    assert_eq!(
        captions[0],
        "The best option for seoul is status_quo_nato (expected utility 70). \
         The next best, arms_to_ukraine, gives 35 (35 less)."
    );
    let first = format!(
        "P(korean_war=korean) (now 25 %) depends most on {}: as that judgment goes from 50 % to 70 %, P(korean_war=korean) goes from 23 % to 27 %.",
        name(0)
    );
    assert!(captions[1].starts_with(&first), "{}", captions[1]);
    let threshold = format!("The best option changes if {} reaches 41 %.", name(1));
    assert!(captions[1].contains(&threshold), "{}", captions[1]);
    assert!(
        captions[2].starts_with("Learning ")
            && captions[2].contains(" before deciding is worth the most: up to 21 in expected utility. Knowing everything in advance would be worth 21."),
        "{}",
        captions[2]
    );
}

const HOSTILE: [&str; 3] =
    ["<script>alert(1)</script>", "Tom & Jerry's \"war\"", "]]> <!-- --> &amp;"];

/// Every chart of korea-2024 with every label it shows made hostile: the analysis's own names
/// where they can be changed, and the views of the CIB and Bayes charts (whose names live in the
/// engines' checked inputs) otherwise.
fn hostile_charts() -> Vec<Chart> {
    let mut a = korea();
    for (k, h) in a.scenario.hypotheses.iter_mut().enumerate() {
        h.title = HOSTILE[k % 3].into();
    }
    let actors = lens(&mut a.actors);
    let micmac = actors.micmac.as_mut().expect("micmac");
    for (k, d) in micmac.input.drivers.iter_mut().enumerate().take(3) {
        *d = HOSTILE[k].into();
    }
    let mactor = actors.mactor.as_mut().expect("mactor");
    for (k, x) in mactor.input.actors.iter_mut().enumerate() {
        *x = HOSTILE[k % 3].into();
    }
    let b = lens(&mut a.bargain);
    for (k, x) in b.study.actors.iter_mut().enumerate() {
        *x = HOSTILE[k % 3].into();
    }
    b.study.issues[0] = HOSTILE[1].into();
    let r = a.answer.robustness.as_mut().expect("the answer's robustness");
    r.headline_state = HOSTILE[0].into();
    r.decision = HOSTILE[2].into();
    for (k, (o, _)) in r.best.iter_mut().enumerate() {
        *o = HOSTILE[k % 3].into();
    }
    r.stated_best = r.best[0].0.clone();
    let mut charts: Vec<Chart> =
        for_run(&a).into_iter().filter(|c| c.lens != "cib" && c.lens != "bayes").collect();

    let mut futures = super::cib::futures_of(&lens(&mut a.cib).analysis);
    let old = futures.list[0].variants[0].clone();
    futures.list[0].variants[0] = HOSTILE[0].into();
    let mut mass = a.answer.futures.clone().expect("futures with probabilities");
    for f in mass.futures.iter_mut().filter(|f| f.first() == Some(&old)) {
        f[0] = HOSTILE[0].into();
    }
    charts.extend(super::cib::futures(&futures, Some(&mass)));

    let b = round_bayes();
    let mut vars = b.analysis.net.variables().to_vec();
    for (k, v) in vars.iter_mut().enumerate() {
        v.name = HOSTILE[k % 3].into();
        for s in v.states.iter_mut() {
            *s = format!("{}{s}", HOSTILE[(k + 1) % 3]);
        }
    }
    let r = BayesReport { variables: &vars, ..BayesReport::of(&b.analysis) };
    charts.extend(bayes_charts(&r));
    charts
}

#[test]
fn hostile_labels_are_escaped() {
    let charts = hostile_charts();
    assert_eq!(charts.len(), 15, "every chart is still drawn");
    for c in &charts {
        let p = check(c);
        assert!(!c.svg.contains("<script"), "{}", c.id);
        assert!(!c.svg.contains("<!--"), "{}", c.id);
        let shown = HOSTILE.iter().filter(|h| p.text.contains(*h)).count();
        assert!(shown >= 1, "{} shows no hostile label verbatim", c.id);
    }
}

/// A lens that failed.
fn failed<T>() -> Outcome<T> {
    Some(Err(LensError::analysis("x")))
}

#[test]
fn nothing_to_draw_gives_no_chart() {
    let mut cases: Vec<(&str, Analysis)> = Vec::new();
    let mut a = korea();
    (a.ach, a.actors, a.bargain, a.cib, a.bayes, a.games) = (None, None, None, None, None, None);
    a.answer.robustness = None;
    cases.push(("no lens ran", a));
    let mut a = korea();
    (a.ach, a.actors, a.bargain, a.cib, a.bayes, a.games) =
        (failed(), failed(), failed(), failed(), failed(), failed());
    a.answer.robustness = None;
    cases.push(("every lens failed", a));
    let mut a = korea();
    let x = lens(&mut a.ach);
    x.result.evidence_used.clear();
    x.result.posteriors = Some(Vec::new());
    let x = lens(&mut a.actors);
    (x.mactor, x.micmac) = (None, None);
    let b = lens(&mut a.bargain);
    b.study.issues.clear();
    b.study.issue_ids.clear();
    lens(&mut a.cib).analysis.solution.scenarios.clear();
    let x = &mut lens(&mut a.bayes).analysis;
    x.solution = None;
    x.tornado.as_mut().expect("a tornado").1.bars.clear();
    let r = a.answer.robustness.as_mut().expect("the answer's robustness");
    r.headline.histogram.clear();
    r.best.clear();
    cases.push(("every lens empty", a));
    let mut a = korea();
    (a.ach, a.bargain, a.cib) = (None, None, None);
    let x = lens(&mut a.actors);
    x.mactor.as_mut().expect("mactor").input.actors.clear();
    x.micmac.as_mut().expect("micmac").input.drivers.clear();
    let x = &mut lens(&mut a.bayes).analysis;
    let s = x.solution.as_mut().expect("a solution");
    s.decisions.clear();
    s.evpi_by_node.iter_mut().for_each(|e| *e = None);
    x.tornado = None;
    a.answer.robustness = None;
    cases.push(("no actor, no driver, no decision", a));
    for (what, a) in &cases {
        assert_eq!(ids(a), Vec::<String>::new(), "{what}");
    }
}

/// The ids of korea-2024's charts after `change`.
fn ids_after(change: impl FnOnce(&mut Analysis)) -> Vec<String> {
    let mut a = korea();
    change(&mut a);
    ids(&a)
}

#[test]
fn a_missing_part_drops_only_its_chart() {
    let all = ids(&korea());
    let without = |ids: &[&str]| -> Vec<String> {
        all.iter().filter(|i| !ids.contains(&i.as_str())).cloned().collect()
    };
    type Change = fn(&mut Analysis);
    let cases: [(&str, Change, &[&str]); 9] = [
        (
            "ratings",
            |a| a.scenario.hypotheses.iter_mut().for_each(|h| h.ratings.clear()),
            &["ach-matrix"],
        ),
        ("evidence used", |a| lens(&mut a.ach).result.evidence_used.clear(), &["ach-matrix"]),
        ("posteriors", |a| lens(&mut a.ach).result.posteriors = None, &[]),
        ("micmac", |a| lens(&mut a.actors).micmac = None, &["micmac-map"]),
        ("ri*", |a| mactor(a).result.balance.ri_star.clear(), &["mactor-balance"]),
        ("levels", |a| mactor(a).result.levels.clear(), &["mactor-convergence"]),
        ("issue 2's forecast", no_forecast_on_issue_2, &["bargain-rok_nuclear"]),
        ("futures", |a| lens(&mut a.cib).analysis.solution.scenarios.clear(), &["cib-futures"]),
        (
            "dependence",
            |a| {
                mactor(a).result.balance.dependence.pop();
            },
            &["mactor-map"],
        ),
    ];
    for (what, change, gone) in cases {
        assert_eq!(ids_after(change), without(gone), "without {what}");
    }
}

/// The expected utility model fails on korea-2024's second issue, so it has no paths.
fn no_forecast_on_issue_2(a: &mut Analysis) {
    if let analysis::bargain::Run::Eum(o) = &mut lens(&mut a.bargain).eum.run {
        o[1] = Err(engines::bargain::eum::EumError::NoWeight { issue: 1 });
    }
}

/// A bargaining result whose lists do not fit its study leaves the charts out.
#[test]
fn inconsistent_bargaining_gives_no_chart() {
    let ids = ids_after(|a| lens(&mut a.bargain).study.per_issue[1].actors.clear());
    assert!(ids.iter().all(|i| !i.starts_with("bargain-")), "{ids:?}");
}

/// MACTOR's part of korea-2024's actors lens.
fn mactor(a: &mut Analysis) -> &mut analysis::actors::MactorPart {
    lens(&mut a.actors).mactor.as_mut().expect("mactor")
}

#[test]
fn numbers_that_are_not_finite_drop_the_chart() {
    let ids = ids_after(|a| {
        mactor(a).result.balance.ri_star[2] = f64::NAN;
        let m = &mut lens(&mut a.actors).micmac.as_mut().expect("micmac").result;
        m.indirect.influence.truncate(2);
        m.direct.influence[0] = f64::INFINITY;
    });
    assert!(!ids.contains(&"mactor-balance".to_owned()), "{ids:?}");
    assert!(!ids.contains(&"micmac-map".to_owned()), "{ids:?}");
    assert!(ids.contains(&"mactor-map".to_owned()), "{ids:?}");
}

#[test]
fn cib_probabilities_follow_the_variants() {
    // The answer lists P(future) in the engine's order (by variant numbers); the lens lists the
    // futures by TIS. Future 2 of the chart (russian_setback, …) is the last by numbers, so it
    // gets the last probability of the answer, 0.0053 (korea-2024's golden run).
    let c = for_run(&korea()).into_iter().find(|c| c.id == "cib-futures").expect("cib chart");
    assert!(c.svg.contains("<title>future 2: P = 0.53 %</title>"), "{}", c.svg);
    assert!(
        c.caption.contains(
            "finds future 5 (stalemate, continuity, alliance_tech, …) the most likely (2.0 %)"
        ),
        "{}",
        c.caption
    );
}

#[test]
fn without_bayes_the_futures_show_weights_only() {
    let mut a = korea();
    a.answer.futures = None;
    let c = for_run(&a).into_iter().find(|c| c.id == "cib-futures").expect("cib chart");
    check(&c);
    assert!(!c.caption.contains("Bayesian"), "{}", c.caption);
}

/// A change that puts `x` at the `k`-th place of one list of numbers a chart draws (or cuts
/// the list there when `x` is `None`).
type Damage = fn(&mut Analysis, usize, Option<f64>);

/// Puts `x` at `v[k]`, or cuts `v` to `k` entries when `x` is `None`.
fn damage(v: &mut Vec<f64>, k: usize, x: Option<f64>) {
    match x {
        Some(x) => {
            if let Some(slot) = v.get_mut(k) {
                *slot = x;
            }
        }
        None => v.truncate(k),
    }
}

/// Puts `x` in an optional number.
fn damage_one(v: &mut Option<f64>, x: Option<f64>) {
    *v = x;
}

/// Whatever number a chart draws is replaced by (NaN, ±∞, a huge number, or a list cut
/// short), `for_run` does not panic and every chart it still draws is well-formed.
#[test]
fn any_damaged_number_gives_well_formed_charts_or_none() {
    let damages: [(&str, Damage); 16] = [
        ("ach scores", |a, k, x| damage(&mut lens(&mut a.ach).result.scores, k, x)),
        ("ach posteriors", |a, k, x| {
            damage(lens(&mut a.ach).result.posteriors.as_mut().expect("posteriors"), k, x)
        }),
        ("micmac indirect influence", |a, k, x| {
            let m = lens(&mut a.actors).micmac.as_mut().expect("micmac");
            damage(&mut m.result.indirect.influence, k, x);
        }),
        ("micmac direct dependence", |a, k, x| {
            let m = lens(&mut a.actors).micmac.as_mut().expect("micmac");
            m.result.indirect.dependence.clear();
            damage(&mut m.result.direct.dependence, k, x);
        }),
        ("ri*", |a, k, x| damage(&mut mactor(a).result.balance.ri_star, k, x)),
        ("caa", |a, k, x| {
            for l in &mut mactor(a).result.levels {
                damage(&mut l.caa[k % 2], (k + 1) % 3, x);
            }
        }),
        ("degree of convergence", |a, _, x| {
            for l in &mut mactor(a).result.levels {
                damage_one(&mut l.degree_of_convergence, x);
            }
        }),
        ("bargaining baseline", |a, k, x| {
            let b = lens(&mut a.bargain);
            if let Some(i) = b.eum.baseline.get_mut(k) {
                damage_one(&mut i.mean, x);
            }
        }),
        ("bargaining positions", |a, k, x| {
            if let analysis::bargain::Run::Eum(o) = &mut lens(&mut a.bargain).eum.run {
                if let Some(Ok(o)) = o.get_mut(k % 3) {
                    if let (Some(x), Some(p)) = (x, o.initial_positions.get_mut(k)) {
                        *p = x;
                    }
                    if let Some(r) = o.rounds.last_mut() {
                        r.mean = x.unwrap_or(r.mean);
                    }
                }
            }
        }),
        ("future probabilities", |a, k, x| {
            damage(&mut a.answer.futures.as_mut().expect("futures").probabilities, k, x);
        }),
        ("inconsistent mass", |a, _, x| {
            a.answer.futures.as_mut().expect("futures").inconsistent = x.unwrap_or(f64::NAN);
        }),
        ("expected utilities", |a, k, x| {
            let s = lens(&mut a.bayes).analysis.solution.as_mut().expect("a solution");
            damage(&mut s.decisions[0].expected_utility, k, x);
        }),
        ("evpi", |a, k, x| {
            let s = lens(&mut a.bayes).analysis.solution.as_mut().expect("a solution");
            damage_one(&mut s.evpi, x);
            if let Some(e) = s.evpi_by_node.get_mut(k) {
                damage_one(e, x);
            }
        }),
        ("tornado base", |a, _, x| {
            let (_, t) = lens(&mut a.bayes).analysis.tornado.as_mut().expect("a tornado");
            t.base = x.unwrap_or(f64::NAN);
        }),
        ("tornado bar", |a, k, x| {
            let (_, t) = lens(&mut a.bayes).analysis.tornado.as_mut().expect("a tornado");
            if let Some(b) = t.bars.get_mut(k) {
                b.low = x.unwrap_or(b.low);
                b.swing = x.unwrap_or(b.swing);
                damage_one(&mut b.target_high, x);
                damage_one(&mut b.threshold, x);
            }
        }),
        ("tornado bars", |a, k, x| {
            let (_, t) = lens(&mut a.bayes).analysis.tornado.as_mut().expect("a tornado");
            if x.is_none() {
                t.bars.truncate(k);
            }
        }),
    ];
    let values = [
        None,
        Some(f64::NAN),
        Some(f64::INFINITY),
        Some(f64::NEG_INFINITY),
        Some(-1e300),
        Some(1e300),
        Some(0.0),
    ];
    let mut count = 0;
    for (what, change) in damages {
        for k in 0..4 {
            for x in values {
                let mut a = korea();
                change(&mut a, k, x);
                for c in for_run(&a) {
                    let p = std::panic::catch_unwind(|| check(&c));
                    assert!(p.is_ok(), "{what} [{k}] = {x:?}: {} is not well-formed", c.id);
                }
                count += 1;
            }
        }
    }
    assert!(count >= 400, "{count} damaged analyses");
}

#[test]
fn words_and_numbers_for_captions() {
    use super::{and_list, fixed, percent, slug};
    assert_eq!(percent(0.5135), "51 %");
    assert_eq!(percent(0.029), "2.9 %");
    assert_eq!(percent(0.0002), "0.02 %");
    assert_eq!(percent(0.0), "0 %");
    assert_eq!(fixed(2.0, 2), "2");
    assert_eq!(fixed(-0.001, 2), "0");
    assert_eq!(fixed(1.756, 2), "1.76");
    assert_eq!(and_list(&[]), "");
    assert_eq!(and_list(&["a"]), "a");
    assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    assert_eq!(slug("rok support/2"), "rok-support-2");
    assert_eq!(slug(""), "x");
}

#[test]
fn ach_scores_in_an_inconsistency_mode() {
    let mut a = korea();
    let x = lens(&mut a.ach);
    assert_eq!(x.matrix.hypotheses(), ["H1", "H2", "H3", "H4"]);
    x.result.mode = engines::ach::Mode::Parc;
    x.result.scores = vec![-5.0, -1.0, -2.0, -3.0];
    x.result.posteriors = None;
    let c = for_run(&a).into_iter().find(|c| c.id == "ach-scores").expect("scores chart");
    check(&c);
    assert_eq!(c.title, "Evidence against each hypothesis (ACH inconsistency)");
    assert!(
        c.caption.starts_with("H2 (Treaty-based alliance commitment) leads with -1, ahead of H3 (Bid for Russian weapons technology) at -2."),
        "{}",
        c.caption
    );
}

#[test]
fn micmac_falls_back_to_the_direct_map() {
    let mut a = korea();
    let m = lens(&mut a.actors).micmac.as_mut().expect("micmac");
    m.result.indirect.influence.clear();
    let c = for_run(&a).into_iter().find(|c| c.id == "micmac-map").expect("micmac map");
    check(&c);
    assert_eq!(c.title, "Drivers: influence and dependence (MICMAC, direct)");
    // Direct influences of korea-2024: Depth of DPRK–Russia cooperation has the largest row
    // sum (12), The Ukraine war becomes a Korean war the largest column sum (8).
    assert!(
        c.caption.starts_with("Depth of DPRK–Russia cooperation is the most influential driver. The most dependent is The Ukraine war becomes a Korean war."),
        "{}",
        c.caption
    );
}

/// Issue #14: an issue whose expected utility run cycles under its round cap has no forecast,
/// so its chart marks none: the caption says so and gives the cycle's range, and the chart
/// shades that range instead of drawing the last round as a forecast. Give the verdict a
/// point and the forecast comes back.
#[test]
fn regression_14_a_cycling_issue_has_no_forecast_on_its_chart() {
    let chart = |a: &Analysis| {
        for_run(a).into_iter().find(|c| c.id == "bargain-rok_support").expect("the chart")
    };
    let a = korea();
    let c = chart(&a);
    assert!(c.caption.starts_with("No forecast: "), "{}", c.caption);
    assert!(
        c.caption.contains("3-round cycle whose weighted mean runs from 29.4 to 44.5"),
        "{}",
        c.caption
    );
    assert!(!c.caption.contains("settles at"), "{}", c.caption);
    let text = check(&c).text;
    assert!(text.contains("no forecast: 29.4–44.5") && !text.contains("forecast 29.4"), "{text}");

    let mut b = korea();
    let v = lens(&mut b.bargain).eum.verdicts[0].as_mut().expect("a verdict");
    v.point = Some(29.4);
    let c = chart(&b);
    assert!(c.caption.starts_with("The issue settles at 29.4"), "{}", c.caption);
    assert!(check(&c).text.contains("forecast 29.4"), "{}", check(&c).text);
}

/// Issue #14: the CIB chart draws basin shares and the network's probabilities, two different
/// quantities, on two axes, each from zero, not on one shared percentage axis.
#[test]
fn regression_14_cib_shares_and_probabilities_have_their_own_axes() {
    let c = for_run(&korea()).into_iter().find(|c| c.id == "cib-futures").expect("the chart");
    let text = check(&c).text;
    assert!(text.contains("Share of the succession starts (%)"), "{text}");
    assert!(text.contains("Bayesian probability (%)"), "{text}");
    assert!(!text.contains("Percent (of the succession starts"), "{text}");
    // Two axes, each with its own 0 tick.
    assert_eq!(c.svg.matches(">0</text>").count(), 2, "{}", c.svg);
}
