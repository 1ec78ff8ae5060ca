//! Every JSON sample in the documentation of a lens's report module is what the code writes.
//!
//! Each sample is read out of the doc comment it sits in, and the command it documents is run;
//! the output must have the sample's shape:
//!
//! - an object has exactly the sample's keys, except where the keys are data (ids, states,
//!   hypotheses: the paths listed as `maps`), where each key the sample shows is compared with
//!   the output's value of that key, or with its first value when the output names other ones;
//! - an array matches element by element, the sample's extra elements against the output's last
//!   one, and an empty sample array stands for any array; an output array must not be empty
//!   where the sample shows elements (the command is chosen to fill every field it documents);
//! - strings, numbers and booleans match by type only, since samples are abridged or rounded;
//! - `null` in the sample stands for any value (the field may be `null`), and so do the
//!   elisions `…` (a string), `[...]` and `{...}`;
//! - a fragment such as `"comparison": {...}` is read as the object it would be a member of.
//!
//! The sample of `statecraft run` (in `crates/cli/src/cmd/run.rs`) is not checked here.

use std::path::Path;

use serde_json::Value;

use crate::util::{root, statecraft};

/// The ```json blocks of the doc comments (`//!` and `///`) of a source file, in order.
fn doc_samples(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(root().join(file)).expect("source file");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed.strip_prefix("//!").or_else(|| trimmed.strip_prefix("///")) else {
            continue;
        };
        let doc = doc.strip_prefix(' ').unwrap_or(doc);
        match (&mut current, doc.trim()) {
            (None, "```json") => current = Some(String::new()),
            (Some(_), "```") => blocks.push(current.take().expect("open block")),
            (Some(block), _) => {
                block.push_str(doc);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks.iter().map(|b| parse_sample(b).unwrap_or_else(|e| panic!("{file}: {e}\n{b}"))).collect()
}

/// A sample as JSON, with its elisions made values and a lone member made an object.
fn parse_sample(block: &str) -> Result<Value, serde_json::Error> {
    let text = block.replace("[...]", "\"…\"").replace("{...}", "\"…\"");
    let text = if text.trim_start().starts_with('"') { format!("{{{text}}}") } else { text };
    serde_json::from_str(&text)
}

/// The JSON a command writes, run from the repository's root (or `dir`).
fn output(dir: &Path, args: &[&str]) -> Value {
    let out = statecraft(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json on standard output")
}

/// Whether `at` (a path such as `result.issues[].fan`) is one of the `maps`, whose keys are data.
fn is_map(at: &str, maps: &[&str]) -> bool {
    maps.contains(&at)
}

/// The differences between the shape of `code` (what the command wrote) and the `sample`, as
/// messages naming the path.
fn shape(code: &Value, sample: &Value, at: &str, maps: &[&str], out: &mut Vec<String>) {
    match (code, sample) {
        (_, Value::Null) => {}
        (_, Value::String(s)) if s == "…" => {}
        (Value::Null, _) => {
            out.push(format!("{at}: the output is null where the sample has {sample}"))
        }
        (Value::Object(c), Value::Object(s)) if is_map(at, maps) => {
            for (k, v) in s {
                let here = format!("{at}.*");
                match c.get(k).or_else(|| c.values().next()) {
                    Some(cv) => shape(cv, v, &here, maps, out),
                    None => {
                        out.push(format!("{at}: the output is empty where the sample shows `{k}`"))
                    }
                }
            }
        }
        (Value::Object(c), Value::Object(s)) => {
            for k in s.keys().filter(|k| !c.contains_key(*k)) {
                out.push(format!("{at}.{k}: in the sample, not in the output"));
            }
            for k in c.keys().filter(|k| !s.contains_key(*k)) {
                out.push(format!("{at}.{k}: in the output, not in the sample"));
            }
            for (k, v) in s {
                if let Some(cv) = c.get(k) {
                    shape(cv, v, &format!("{at}.{k}"), maps, out);
                }
            }
        }
        (Value::Array(c), Value::Array(s)) => {
            if c.is_empty() && !s.is_empty() {
                out.push(format!("{at}: the output is empty where the sample shows elements"));
                return;
            }
            for (k, v) in s.iter().enumerate() {
                shape(&c[k.min(c.len() - 1)], v, &format!("{at}[]"), maps, out);
            }
        }
        (Value::String(_), Value::String(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        _ => out.push(format!("{at}: the output has {code}, the sample {sample}")),
    }
}

/// `code` has the shape of `sample`, or the test fails listing every difference.
fn check(what: &str, code: &Value, sample: &Value, maps: &[&str]) {
    let mut out = Vec::new();
    shape(code, sample, "", maps, &mut out);
    assert!(
        out.is_empty(),
        "{what}: the output differs from its documented sample:\n{}",
        out.join("\n")
    );
}

/// `sample`'s keys only: a sample that lists what a variant adds to another.
fn check_added(what: &str, code: &Value, sample: &Value, maps: &[&str]) {
    let (Value::Object(c), Value::Object(s)) = (code, sample) else { panic!("{what}: objects") };
    let mut out = Vec::new();
    for (k, v) in s {
        match c.get(k) {
            Some(cv) => shape(cv, v, &format!(".{k}"), maps, &mut out),
            None => out.push(format!(".{k}: in the sample, not in the output")),
        }
    }
    assert!(
        out.is_empty(),
        "{what}: the output differs from its documented sample:\n{}",
        out.join("\n")
    );
}

#[test]
fn the_checker_sees_a_difference() {
    // The rules themselves: a renamed key, a changed type and an empty output array all show.
    let sample = parse_sample(r#"{"a": [{"b": 1}], "c": "x", "d": [...], "m": {"k": 1}}"#).unwrap();
    let good =
        serde_json::json!({"a": [{"b": 2}, {"b": 3}], "c": "y", "d": {"z": 1}, "m": {"q": 2}});
    let mut out = Vec::new();
    shape(&good, &sample, "", &[".m"], &mut out);
    assert!(out.is_empty(), "{out:?}");
    for bad in [
        serde_json::json!({"a": [{"bb": 2}], "c": "y", "d": 1, "m": {"q": 2}}),
        serde_json::json!({"a": [{"b": "2"}], "c": "y", "d": 1, "m": {"q": 2}}),
        serde_json::json!({"a": [], "c": "y", "d": 1, "m": {"q": 2}}),
        serde_json::json!({"a": [{"b": 2}], "c": "y", "d": 1, "m": {"q": "2"}}),
        serde_json::json!({"a": [{"b": 2}], "c": "y", "d": 1, "m": {"q": 2}, "e": 0}),
    ] {
        let mut out = Vec::new();
        shape(&bad, &sample, "", &[".m"], &mut out);
        assert!(!out.is_empty(), "{bad} passed");
    }
}

#[test]
fn ach_sample() {
    let samples = doc_samples("crates/report/src/ach.rs");
    assert_eq!(samples.len(), 1);
    let code = output(
        &root(),
        &[
            "ach",
            "tests/fixtures/ach/worked.toml",
            "--sensitivity",
            "--timeline",
            "--format",
            "json",
        ],
    );
    check("ach", &code, &samples[0], &[".result.scores", ".result.timeline[].scores"]);
}

#[test]
fn cib_sample() {
    let samples = doc_samples("crates/report/src/cib.rs");
    assert_eq!(samples.len(), 1);
    let scw = "tests/fixtures/cib/CIB_global.scw";
    let code = output(
        &root(),
        &[
            "cib",
            scw,
            "--fix",
            "WTRD=FT",
            "--succession",
            "global",
            "--ensemble",
            scw,
            scw,
            "--sensitivity",
            "20",
            "--format",
            "json",
        ],
    );
    check("cib", &code["result"], &samples[0], &[]);
}

#[test]
fn bargain_sample() {
    let samples = doc_samples("crates/report/src/bargain.rs");
    assert_eq!(samples.len(), 1);
    let code = output(
        &root(),
        &[
            "bargain",
            "tests/fixtures/bargain/eu_emissions_bdm1994.csv",
            "--model",
            "eum",
            "--perturb",
            "20",
            "--format",
            "json",
        ],
    );
    check("bargain", &code["result"], &samples[0], &[]);
}

#[test]
fn bayes_samples() {
    let samples = doc_samples("crates/report/src/bayes.rs");
    assert_eq!(samples.len(), 2);
    let network = output(
        &root(),
        &[
            "bayes",
            "tests/fixtures/bayes/networks/asia.bif",
            "--evidence",
            "smoke=yes",
            "--likelihood",
            "xray=0.9,0.2",
            "--mpe",
            "--tornado",
            "lung=yes",
            "--format",
            "json",
        ],
    );
    let maps = [".evidence", ".likelihood", ".marginals", ".marginals.*", ".mpe.states"];
    check("bayes network", &network["result"], &samples[0], &maps);
    let diagram = output(
        &root(),
        &[
            "bayes",
            "tests/fixtures/bayes/diagrams/umbrella.bifxml",
            "--decide",
            "--voi",
            "--format",
            "json",
        ],
    );
    assert_eq!(diagram["result"]["kind"], "diagram");
    let maps = [
        ".expected_utility",
        ".expected_utility.*",
        ".best",
        ".policy",
        ".policy.*[].observed",
        ".evpi_by_node",
    ];
    check_added("bayes diagram", &diagram["result"], &samples[1], &maps);
}

#[test]
fn games_samples() {
    let samples = doc_samples("crates/report/src/games.rs");
    assert_eq!(samples.len(), 2);
    let korea = output(&root(), &["games", "--format", "json"]);
    let comparison = &korea["result"]["games"][0]["comparison"];
    check("games comparison", comparison, &samples[0]["comparison"], &[]);
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("battle.nfg"),
        "NFG 1 R \"Battle of the sexes\" { \"1\" \"2\" } { 2 2 }\n2 1 0 0 0 0 1 2\n",
    )
    .expect("written");
    let battle = output(dir.path(), &["games", "--format", "json", "--exact", "battle.nfg"]);
    check("games battle", &battle, &samples[1], &[]);
}

#[test]
fn actors_sample() {
    let samples = doc_samples("crates/report/src/actors.rs");
    assert_eq!(samples.len(), 1);
    let dir = "tests/fixtures/actors";
    let code = output(
        &root(),
        &[
            "actors",
            "--mid",
            &format!("{dir}/korea-mid.csv"),
            "--mao",
            &format!("{dir}/korea-mao.csv"),
            "--micmac",
            &format!("{dir}/korea-drivers.csv"),
            "--level",
            "2",
            "--regulating-band",
            "0",
            "--format",
            "json",
        ],
    );
    check("actors", &code["result"], &samples[0], &[]);
}

#[test]
fn overview_sample() {
    let samples = doc_samples("crates/report/src/overview.rs");
    assert_eq!(samples.len(), 1);
    let code = output(&root(), &["show", "--format", "json"]);
    check("overview", &code["result"], &samples[0], &[]);
}

#[test]
fn ensemble_sample() {
    let samples = doc_samples("crates/report/src/ensemble.rs");
    assert_eq!(samples.len(), 1);
    let code = output(&root(), &["ensemble", "--samples", "32", "--format", "json"]);
    check("ensemble", &code, &samples[0], &[]);
}
