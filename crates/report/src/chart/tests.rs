//! Tests of the charts: on the golden run of korea-2024 (`tests/fixtures/run/korea-2024.json`,
//! written by `statecraft run --format json`), on the documented samples of the lenses whose
//! charts korea-2024's run does not have, on hostile labels and on missing data.

use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use serde_json::{Value, json};

use super::{Chart, for_run};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `result` of the golden run of korea-2024.
fn korea() -> Value {
    let path = root().join("tests/fixtures/run/korea-2024.json");
    let text = std::fs::read_to_string(&path).expect("the golden run is readable");
    let doc: Value = serde_json::from_str(&text).expect("the golden run is JSON");
    doc["result"].clone()
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
    let ids: Vec<String> = for_run(&korea()).into_iter().map(|c| c.id).collect();
    // The golden run solves Seoul's decision with the value of information and the tornado, so
    // every chart is there.
    assert_eq!(
        ids,
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
    let mut run = korea();
    // Two issues whose ids differ only in characters an HTML id cannot hold.
    let issues = run["lenses"]["bargain"]["issues"].as_array_mut().expect("issues");
    issues[0]["id"] = json!("a b");
    issues[1]["id"] = json!("a.b");
    let ids: Vec<String> = for_run(&run).into_iter().map(|c| c.id).collect();
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
    let meu: Vec<Chart> = for_run(&korea_with_bayes("korea-2024-bayes-meu.json"))
        .into_iter()
        .filter(|c| c.id == "bayes-tornado")
        .map(|c| Chart { id: "bayes-tornado-meu".into(), ..c })
        .collect();
    for c in for_run(&korea()).iter().chain(&samples()).chain(&meu) {
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

/// A bayes body with a tornado and EVPI, as `crate::bayes` documents them, in a run with no
/// other lens.
fn bayes_run() -> Value {
    json!({"lenses": {"bayes": {
        "model": "umbrella",
        "kind": "diagram",
        "meu": 70.0,
        "expected_utility": {"seoul": {"status_quo_nato": 70.0, "arms_to_ukraine": 35.0, "nuclear_hedging": -12.5}},
        "best": {"seoul": "status_quo_nato"},
        "evpi": 21.0,
        "evpi_by_node": {"weather": 21.0, "forecast": 6.5, "season": 0.0},
        "tornado": {
            "target": "P(korean_war=korean)",
            "base": 0.246,
            "bars": [
                {"parameter": "P(korean_war=korean | tension=crisis)", "base": 0.6, "low": 0.5, "high": 0.7,
                 "target_low": 0.226, "target_high": 0.266, "swing": 0.04, "threshold": null},
                {"parameter": "P(war=russian_gains)", "base": 0.35, "low": 0.25, "high": 0.45,
                 "target_low": 0.238, "target_high": 0.254, "swing": 0.016, "threshold": 0.41},
                {"parameter": "P(tension=crisis | dprk_russia=presence, rok_posture=arms_to_ukraine)", "base": 0.5,
                 "low": 0.4, "high": 0.6, "target_low": 0.2455, "target_high": 0.2465, "swing": 0.001, "threshold": null}
            ]
        }
    }}})
}

/// The charts korea-2024's run does not have, drawn from [`korea_with_bayes`].
fn samples() -> Vec<Chart> {
    for_run(&korea_with_bayes("korea-2024-bayes.json"))
        .into_iter()
        .filter(|c| c.lens == "bayes")
        .collect()
}

/// korea-2024's run with its bayes lens replaced by the `result` of a richer bayes run stored
/// in `src/chart/testdata/` (only the fields the charts read, and the 12 largest tornado
/// bars). They were made on korea-2024 by the commit that added them, with
/// `statecraft bayes --decide --voi --tornado korean_war=korean --format json` (`korea-2024-bayes.json`)
/// and `statecraft bayes --decide --tornado meu --format json` (`korea-2024-bayes-meu.json`),
/// each piped through `jq '{lens, source, result: (.result | {model, kind, meu,
/// expected_utility, best, evpi, evpi_by_node, tornado} | .tornado.bars |= .[:12])}'`.
fn korea_with_bayes(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/chart/testdata").join(file);
    let text = std::fs::read_to_string(&path).expect("the bayes sample is readable");
    let doc: Value = serde_json::from_str(&text).expect("the bayes sample is JSON");
    let mut run = korea();
    run["lenses"]["bayes"] = doc["result"].clone();
    run
}

#[test]
fn korea_bayes_charts_when_the_lens_decides_and_has_a_tornado() {
    let charts = samples();
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["bayes-options-seoul", "bayes-tornado", "bayes-evpi"]);
    for c in &charts {
        check(c);
    }
    // The numbers come from korea-2024-bayes.json: status_quo_nato -38.68, arms_to_ukraine
    // -42.50; EVPI of us_policy 20.99 out of 23.15.
    assert!(
        charts[0].caption.starts_with("The best option for seoul is status_quo_nato (expected utility -38.68). The next best, arms_to_ukraine, gives -42.5 (3.82 less)."),
        "{}",
        charts[0].caption
    );
    assert!(
        charts[2].caption.starts_with("Learning us_policy before deciding is worth the most: up to 20.99 in expected utility. Knowing everything in advance would be worth 23.15."),
        "{}",
        charts[2].caption
    );
    let meu = for_run(&korea_with_bayes("korea-2024-bayes-meu.json"));
    let tornado = meu.iter().find(|c| c.id == "bayes-tornado").expect("a tornado of meu");
    check(tornado);
    // The first bar of korea-2024-bayes-meu.json has a threshold of -36.459.
    assert!(tornado.caption.contains("The best option changes if U(seoul:tension | seoul=status_quo_nato, tension=elevated) reaches -36.46."), "{}", tornado.caption);
}

/// The charts of the synthetic [`bayes_run`], whose numbers are round.
fn synthetic() -> Vec<Chart> {
    for_run(&bayes_run())
}

#[test]
fn options_tornado_and_evpi_from_the_documented_sample() {
    let charts = synthetic();
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["bayes-options-seoul", "bayes-tornado", "bayes-evpi"]);
    for c in &charts {
        check(c);
    }
    // Every number below is one of bayes_run()'s.
    let captions: Vec<&str> = charts.iter().map(|c| c.caption.as_str()).collect();
    assert_eq!(
        captions[0],
        "The best option for seoul is status_quo_nato (expected utility 70). \
         The next best, arms_to_ukraine, gives 35 (35 less)."
    );
    assert!(
        captions[1].starts_with(
            "P(korean_war=korean) (now 25 %) depends most on P(korean_war=korean | tension=crisis): \
             as that judgment goes from 50 % to 70 %, P(korean_war=korean) goes from 23 % to 27 %."
        ),
        "{}",
        captions[1]
    );
    assert!(
        captions[1].contains("The best option changes if P(war=russian_gains) reaches 41 %."),
        "{}",
        captions[1]
    );
    assert!(
        captions[2].starts_with("Learning weather before deciding is worth the most: up to 21 "),
        "{}",
        captions[2]
    );
}

const HOSTILE: [&str; 3] =
    ["<script>alert(1)</script>", "Tom & Jerry's \"war\"", "]]> <!-- --> &amp;"];

/// A run in which every label a chart shows is hostile.
fn hostile_run() -> Value {
    let names: Vec<&str> = (0..6).map(|k| HOSTILE[k % 3]).collect();
    let mut run = korea();
    let l = &mut run["lenses"];
    l["actors"]["micmac"]["drivers"] =
        json!([HOSTILE[0], HOSTILE[1], HOSTILE[2], "d", "e", "f", "g", "h"]);
    l["actors"]["mactor"]["actors"] = json!(names);
    for (k, h) in
        run["scenario"]["hypothesis"].as_array_mut().expect("hypotheses").iter_mut().enumerate()
    {
        h["title"] = json!(HOSTILE[k % 3]);
    }
    for (k, a) in
        run["lenses"]["bargain"]["actors"].as_array_mut().expect("actors").iter_mut().enumerate()
    {
        a["name"] = json!(HOSTILE[k % 3]);
    }
    run["lenses"]["bargain"]["issues"][0]["name"] = json!(HOSTILE[1]);
    run["lenses"]["cib"]["scenarios"][0]["variants"][0] = json!(HOSTILE[0]);
    run["lenses"]["bayes"] = bayes_run()["lenses"]["bayes"].clone();
    run["lenses"]["bayes"]["tornado"]["bars"][0]["parameter"] = json!(HOSTILE[2]);
    run["lenses"]["bayes"]["evpi_by_node"] = json!({HOSTILE[0]: 3.0, HOSTILE[1]: 2.0});
    run["lenses"]["bayes"]["expected_utility"] =
        json!({HOSTILE[1]: {HOSTILE[0]: 1.0, HOSTILE[2]: 2.0}});
    run
}

#[test]
fn hostile_labels_are_escaped() {
    let charts = for_run(&hostile_run());
    assert_eq!(charts.len(), 13, "every chart is still drawn");
    for c in &charts {
        let p = check(c);
        assert!(!c.svg.contains("<script"), "{}", c.id);
        assert!(!c.svg.contains("<!--"), "{}", c.id);
        let shown = HOSTILE.iter().filter(|h| p.text.contains(*h)).count();
        assert!(shown >= 1, "{} shows no hostile label verbatim", c.id);
    }
}

#[test]
fn nothing_to_draw_gives_no_chart() {
    let cases = [
        json!({}),
        json!(null),
        json!([1, 2]),
        json!({"lenses": {}}),
        json!({"lenses": {"ach": {"error": "x"}, "actors": {"error": "x"}, "bargain": {"error": "x"},
                          "bayes": {"error": "x"}, "cib": {"error": "x"}, "games": {"error": "x"}}}),
        json!({"lenses": {"actors": {"mactor": null, "micmac": null}}}),
        json!({"lenses": {"actors": {"mactor": {"actors": [], "ri_star": [], "influence": [], "dependence": [], "levels": []},
                                     "micmac": {"drivers": [], "influence": {"direct": []}, "dependence": {"direct": []}}}}}),
        json!({"lenses": {"bargain": {"issues": []}, "cib": {"scenarios": []}, "bayes": {"tornado": {"target": "t", "base": 0.5, "bars": []}, "evpi_by_node": {}}}}),
        json!({"lenses": {"ach": {"hypotheses": [], "evidence_used": []}}}),
    ];
    for (k, run) in cases.iter().enumerate() {
        let ids: Vec<String> = for_run(run).into_iter().map(|c| c.id).collect();
        assert!(ids.is_empty(), "case {k}: {ids:?}");
    }
}

/// Removes the value at `path` (keys and indices) from a copy of korea-2024's run and returns
/// the ids of the charts still drawn.
fn ids_without(path: &[&str]) -> Vec<String> {
    let mut run = korea();
    let (last, parents) = path.split_last().expect("a path");
    let mut v = &mut run;
    for p in parents {
        v = match p.parse::<usize>() {
            Ok(i) => &mut v[i],
            Err(_) => &mut v[*p],
        };
    }
    match v {
        Value::Object(m) => {
            m.remove(*last);
        }
        Value::Array(a) => {
            a.remove(last.parse::<usize>().expect("an index"));
        }
        _ => panic!("nothing at {path:?}"),
    }
    for_run(&run).into_iter().map(|c| c.id).collect()
}

#[test]
fn a_missing_field_drops_only_its_chart() {
    let all: Vec<String> = for_run(&korea()).into_iter().map(|c| c.id).collect();
    let without = |ids: &[&str]| -> Vec<String> {
        all.iter().filter(|i| !ids.contains(&i.as_str())).cloned().collect()
    };
    let cases: [(&[&str], &[&str]); 9] = [
        (&["scenario"], &["ach-matrix"]),
        (&["lenses", "ach", "evidence_used"], &["ach-matrix"]),
        (&["lenses", "ach", "posteriors"], &[]),
        (&["lenses", "actors", "micmac"], &["micmac-map"]),
        (&["lenses", "actors", "mactor", "ri_star"], &["mactor-balance"]),
        (&["lenses", "actors", "mactor", "levels"], &["mactor-convergence"]),
        (&["lenses", "bargain", "issues", "1", "paths"], &["bargain-rok_nuclear"]),
        (&["lenses", "cib", "scenarios"], &["cib-futures"]),
        (&["lenses", "actors", "mactor", "dependence"], &["mactor-map"]),
    ];
    for (path, gone) in cases {
        assert_eq!(ids_without(path), without(gone), "without {path:?}");
    }
}

#[test]
fn malformed_numbers_drop_the_chart() {
    let mut run = korea();
    run["lenses"]["actors"]["mactor"]["ri_star"][2] = json!("high");
    run["lenses"]["actors"]["micmac"]["influence"]["indirect"] = json!([1, 2]);
    run["lenses"]["actors"]["micmac"]["influence"]["direct"] = json!(null);
    let ids: Vec<String> = for_run(&run).into_iter().map(|c| c.id).collect();
    assert!(!ids.contains(&"mactor-balance".to_owned()), "{ids:?}");
    assert!(!ids.contains(&"micmac-map".to_owned()), "{ids:?}");
    assert!(ids.contains(&"mactor-map".to_owned()), "{ids:?}");
}

#[test]
fn cib_probabilities_follow_the_variant_numbers() {
    // The answer lists P(future) in the engine's order (by variant numbers); the lens lists the
    // futures by TIS. Future 2 of the chart (russian_setback, …) is the last by numbers, so it
    // gets the last probability of the answer, 0.0065 (korea-2024's golden run).
    let c = for_run(&korea()).into_iter().find(|c| c.id == "cib-futures").expect("cib chart");
    assert!(c.svg.contains("<title>future 2: P = 0.65 %</title>"), "{}", c.svg);
    assert!(
        c.caption.contains(
            "finds future 5 (stalemate, continuity, alliance_tech, …) the most likely (2.9 %)"
        ),
        "{}",
        c.caption
    );
}

#[test]
fn without_bayes_the_futures_show_weights_only() {
    let mut run = korea();
    run["answer"]["futures"] = json!(null);
    let c = for_run(&run).into_iter().find(|c| c.id == "cib-futures").expect("cib chart");
    check(&c);
    assert!(!c.caption.contains("Bayesian"), "{}", c.caption);
}

/// A step of a path into a JSON document.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The paths of every node under `v` (only the first two items of each array, which is where
/// the shapes differ), prefixed with `at`.
fn paths(v: &Value, at: &[Step], out: &mut Vec<Vec<Step>>) {
    out.push(at.to_vec());
    let mut child = |step: Step, x: &Value| {
        let mut p = at.to_vec();
        p.push(step);
        paths(x, &p, out);
    };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| child(Step::Key(k.clone()), x)),
        Value::Array(a) => a.iter().take(2).enumerate().for_each(|(i, x)| child(Step::Index(i), x)),
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Whatever node of the JSON the charts read is replaced by (null, a string, an empty list, a
/// huge number), `for_run` does not panic and every chart it still draws is well-formed. Each
/// lens is damaged in a run that holds only what its charts read, to keep the test fast.
#[test]
fn any_damaged_node_gives_well_formed_charts_or_none() {
    let full = korea();
    let lens = |name: &str| json!({"lenses": {name: full["lenses"][name]}});
    let key = |k: &str| Step::Key(k.into());
    let mut ach = lens("ach");
    ach["scenario"] = json!({"hypothesis": full["scenario"]["hypothesis"]});
    let mut bargain = lens("bargain");
    bargain["scenario"] = json!({"issue": full["scenario"]["issue"]});
    let mut cib = lens("cib");
    cib["answer"] = full["answer"].clone();
    let mut bayes = lens("bayes");
    bayes["lenses"]["bayes"] = korea_with_bayes("korea-2024-bayes.json")["lenses"]["bayes"].clone();
    let scopes = [
        (ach, vec![vec![key("lenses")], vec![key("scenario")]]),
        (lens("actors"), vec![vec![key("lenses")]]),
        (bargain, vec![vec![key("lenses")], vec![key("scenario")]]),
        (cib, vec![vec![key("lenses")], vec![key("answer")]]),
        (bayes, vec![vec![key("lenses")]]),
    ];
    let damage = [json!(null), json!("x"), json!([]), json!(-1.0e300)];
    let mut count = 0;
    for (run, roots) in &scopes {
        assert!(!for_run(run).is_empty(), "{run}");
        let mut all = Vec::new();
        for root in roots {
            let mut v = run.clone();
            paths(at_mut(&mut v, root), root, &mut all);
        }
        for path in &all {
            for d in &damage {
                let mut v = run.clone();
                *at_mut(&mut v, path) = d.clone();
                for c in for_run(&v) {
                    check(&c);
                }
                count += 1;
            }
        }
    }
    assert!(count > 2000, "{count} damaged runs");
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
    let mut run = korea();
    let ach = &mut run["lenses"]["ach"];
    ach["mode"] = json!("parc");
    ach["scores"] = json!({"H1": -5.0, "H2": -1.0, "H3": -2.0, "H4": -3.0});
    ach["posteriors"] = json!(null);
    ach["estimative"] = json!(null);
    let c = for_run(&run).into_iter().find(|c| c.id == "ach-scores").expect("scores chart");
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
    let mut run = korea();
    let m = &mut run["lenses"]["actors"]["micmac"];
    m["influence"]["indirect"] = json!(null);
    let c = for_run(&run).into_iter().find(|c| c.id == "micmac-map").expect("micmac map");
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
