//! Each lens's subcommand on a peer's native file, end to end: exit code, the JSON envelope, and
//! one fact that the reference data fixes.

use crate::util::{root, statecraft};

/// Runs `statecraft ARGS --format json` in `tests/fixtures` and returns the `result` object,
/// after checking the envelope.
fn json(lens: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec![lens];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = statecraft(&root().join("tests/fixtures"), &all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "statecraft {}: {stderr}", all.join(" "));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["lens"], lens);
    doc["result"].clone()
}

#[test]
fn cib_on_a_scenariowizard_project() {
    // bench_typical's two solutions have TIS 40 and 38 (cib_fixtures/README.md, from ScenarioWizard).
    let r = json("cib", &["cib/bench_typical.scw"]);
    let tis: Vec<i64> =
        r["scenarios"].as_array().unwrap().iter().map(|s| s["tis"].as_i64().unwrap()).collect();
    assert_eq!(tis, [40, 38]);
}

#[test]
fn bargain_on_the_eu_emissions_case() {
    // The initial weighted mean 7.389955687 and median 7.0 (eum_fixtures/README.md).
    let r = json("bargain", &["bargain/eu_emissions_bdm1994.csv"]);
    let base = &r["issues"][0]["baseline"];
    assert!((base["mean"].as_f64().unwrap() - 7.389_955_687).abs() < engines::prec::REFERENCE);
    assert_eq!(base["median"], 7.0);
}

#[test]
fn games_on_a_gambit_file() {
    // lrsnash lists four extreme equilibria for this degenerate game (tests/fixtures/games).
    let r = json("games", &["games/duplicates_4x4.nfg"]);
    assert_eq!(r["equilibria"].as_array().unwrap().len(), 4);
}

#[test]
fn actors_on_matrix_csv_files() {
    // Ri* averages 1 by construction (Godet's balance-of-power coefficient).
    let r = json("actors", &["--mid", "actors/korea-mid.csv", "--mao", "actors/korea-mao.csv"]);
    let ri: Vec<f64> =
        r["mactor"]["ri_star"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let mean = ri.iter().sum::<f64>() / ri.len() as f64;
    assert!((mean - 1.0).abs() < engines::prec::REORDER, "{mean}");
}

#[test]
fn bayes_on_a_bif_network() {
    // P(asia = yes) is the network's own prior, 0.01 (asia.bif, as shipped with pgmpy).
    let r = json("bayes", &["bayes/networks/asia.bif"]);
    assert!(
        (r["marginals"]["asia"]["yes"].as_f64().unwrap() - 0.01).abs() < engines::prec::REORDER
    );
}

#[test]
fn err_a_missing_native_file_is_bad_input() {
    let out = statecraft(&root(), &["games", "no-such-game.nfg"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}
