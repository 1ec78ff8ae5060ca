//! Tests of the BIF and XMLBIF readers and writers, and the reference tests of the bayes engine
//! against pgmpy 1.1.2 and pyAgrum 3.3.1 on the committed fixtures under `tests/fixtures/bayes/`
//! (made by `PYTHONHASHSEED=0 bench/.venv-bayes/bin/python bench/bayes/make_fixtures.py`).

use std::path::PathBuf;

use engines::bayes::{
    BayesNet, CompileOptions, DEFAULT_MAX_CLIQUE, DecideOptions, Finding, Heuristic, JunctionTree,
    ValueOfInformation, solve,
};
use engines::prec;
use serde_json::Value;

use crate::formats::bif::{BifError, RowSums, read, write};
use crate::formats::xmlbif;

fn fixture(path: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bayes").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn compile_options() -> CompileOptions {
    CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: DEFAULT_MAX_CLIQUE }
}

fn state_index(net: &BayesNet, var: usize, state: &str) -> usize {
    net.variables()[var].states.iter().position(|s| s == state).expect("state in fixture exists")
}

fn findings(net: &BayesNet, case: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, state) in case["evidence"].as_object().into_iter().flatten() {
        let node = net.find(name).expect("variable in fixture exists");
        out.push(Finding::State {
            node,
            state: state_index(net, node, state.as_str().unwrap_or("")),
        });
    }
    for (name, lik) in case.get("likelihood").and_then(Value::as_object).into_iter().flatten() {
        let node = net.find(name).expect("variable in fixture exists");
        let likelihood = lik.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
        out.push(Finding::Likelihood { node, likelihood });
    }
    out
}

/// Every marginal of every case of `network` agrees with pgmpy's VariableElimination to
/// [`prec::REFERENCE`]; P(evidence) agrees relatively; the MPE found is as probable as pgmpy's
/// MAP assignment (assignments may differ on ties).
fn check_network(network: &str) {
    let reference: Value = serde_json::from_str(&fixture("reference.json")).expect("valid JSON");
    let entry = reference["networks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["network"] == format!("networks/{network}.bif"))
        .expect("network in reference.json");
    let bif =
        read(&fixture(&format!("networks/{network}.bif")), RowSums::Normalise).expect("reads");
    let net = &bif.net;
    let jt = JunctionTree::compile(net, &compile_options()).expect("compiles");
    let mut compared = 0;
    for case in entry["cases"].as_array().into_iter().flatten() {
        let ev = findings(net, case);
        let post = jt.marginals(&ev).expect("possible evidence");
        for (name, states) in case["marginals"].as_object().into_iter().flatten() {
            let v = net.find(name).expect("variable exists");
            for (s, p) in states.as_object().into_iter().flatten() {
                let want = p.as_f64().unwrap_or(f64::NAN);
                let got = post.marginals[v][state_index(net, v, s)];
                assert!(
                    (got - want).abs() <= prec::REFERENCE,
                    "{network} P({name}={s}): {got} vs pgmpy {want}"
                );
                compared += 1;
            }
        }
        if case.get("likelihood").is_none() {
            let want = case["evidence_probability"].as_f64().unwrap_or(f64::NAN);
            let got = post.evidence_probability;
            assert!(
                (got - want).abs() <= prec::REFERENCE * want,
                "{network} P(e): {got} vs pgmpy {want}"
            );
        }
        if let Some(map) = case.get("map").and_then(Value::as_object) {
            let mpe = jt.mpe(&ev).expect("possible evidence");
            let mut x = mpe.states.clone();
            for (name, s) in map {
                let v = net.find(name).expect("variable exists");
                x[v] = state_index(net, v, s.as_str().unwrap_or(""));
            }
            let card: Vec<usize> = (0..net.len()).map(|v| net.card(v)).collect();
            let p: f64 = net
                .cpts()
                .iter()
                .enumerate()
                .map(|(v, c)| {
                    c.table[c.parents.iter().fold(0, |r, &q| r * card[q] + x[q]) * card[v] + x[v]]
                })
                .product();
            assert!(
                (mpe.probability - p).abs() <= prec::REFERENCE * p,
                "{network} MPE {} vs pgmpy {p}",
                mpe.probability
            );
        }
    }
    let states: usize = (0..net.len()).map(|v| net.card(v)).sum();
    assert!(compared >= 2 * states, "{network}: only {compared} marginals compared");
}

#[test]
fn pgmpy_asia() {
    check_network("asia");
}
#[test]
fn pgmpy_cancer() {
    check_network("cancer");
}
#[test]
fn pgmpy_earthquake() {
    check_network("earthquake");
}
#[test]
fn pgmpy_sachs() {
    check_network("sachs");
}
#[test]
fn pgmpy_survey() {
    check_network("survey");
}
#[test]
fn pgmpy_alarm() {
    check_network("alarm");
}
#[test]
fn pgmpy_child() {
    check_network("child");
}
#[test]
fn pgmpy_insurance() {
    check_network("insurance");
}
#[test]
fn pgmpy_water() {
    check_network("water");
}
#[test]
fn pgmpy_hailfinder() {
    check_network("hailfinder");
}
#[test]
fn pgmpy_hepar2() {
    check_network("hepar2");
}
#[test]
fn pgmpy_win95pts() {
    check_network("win95pts");
}
#[test]
fn pgmpy_andes() {
    check_network("andes");
}
#[test]
fn random_20() {
    check_network("random20_20");
}
#[test]
fn random_50() {
    check_network("random50_50");
}
#[test]
fn random_100() {
    check_network("random100_100");
}
#[test]
fn random_100_second() {
    check_network("random100_101");
}
#[test]
fn hand_diamond() {
    check_network("hand_diamond");
}
#[test]
fn hand_xor() {
    check_network("hand_xor");
}
#[test]
fn hand_chain5() {
    check_network("hand_chain5");
}

/// Expected utilities of every option, and the MEU, agree with pyAgrum's
/// ShaferShenoyLIMIDInference (no-forgetting; the option forced by evidence).
fn check_diagram(name: &str) {
    let reference: Value = serde_json::from_str(&fixture("diagrams.json")).expect("valid JSON");
    let entry = reference["diagrams"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["diagram"] == format!("diagrams/{name}.bifxml"))
        .expect("diagram in diagrams.json");
    let xml =
        xmlbif::read_diagram(&fixture(&format!("diagrams/{name}.bifxml")), RowSums::Normalise)
            .expect("reads");
    let id = &xml.diagram;
    let options = DecideOptions {
        max_table_entries: 1 << 20,
        value_of_information: ValueOfInformation::Compute,
    };
    let s = solve(id, &options).expect("solves");
    let close = |a: f64, b: f64| (a - b).abs() <= prec::REFERENCE * b.abs().max(1.0);
    let meu = entry["meu"].as_f64().unwrap_or(f64::NAN);
    assert!(close(s.meu, meu), "{name} MEU {} vs pyAgrum {meu}", s.meu);
    for (dname, options) in entry["expected_utility"].as_object().into_iter().flatten() {
        let node = id.variables().iter().position(|v| &v.name == dname).expect("decision exists");
        let d = s.decisions.iter().find(|d| d.node == node).expect("decision solved");
        for (option, eu) in options.as_object().into_iter().flatten() {
            let o = id.variables()[node]
                .states
                .iter()
                .position(|s| s == option)
                .expect("option exists");
            let want = eu.as_f64().unwrap_or(f64::NAN);
            assert!(
                close(d.expected_utility[o], want),
                "{name} EU({dname}={option}) {} vs {want}",
                d.expected_utility[o]
            );
        }
    }
    assert!(s.evpi.is_some_and(|e| e >= 0.0));
}

#[test]
fn pyagrum_umbrella() {
    check_diagram("umbrella");
}
#[test]
fn pyagrum_oil() {
    check_diagram("oil");
}
#[test]
fn pyagrum_diplomacy() {
    check_diagram("diplomacy");
}
#[test]
fn pyagrum_invest() {
    check_diagram("invest");
}

// The readers and writers.

const SMALL: &str = "network t { }
variable a { type discrete [ 2 ] { yes, no }; }
variable b { type discrete [ 3 ] { lo, mid, hi }; property weight = 3 ; }
probability ( a ) { table 0.25, 0.75; }
probability ( b | a ) {
  (yes) 0.1, 0.2, 0.7;
  (no) 0.3, 0.3, 0.4;
}
";

#[test]
fn reads_small() {
    let b = read(SMALL, RowSums::Reject).expect("reads");
    assert_eq!(b.name, "t");
    assert_eq!(b.net.cpts()[1].table, vec![0.1, 0.2, 0.7, 0.3, 0.3, 0.4]);
}

#[test]
fn table_with_parents_is_child_slowest() {
    // pgmpy reads a `table` with parents as [child state][parent configuration].
    let text = SMALL.replace(
        "(yes) 0.1, 0.2, 0.7;\n  (no) 0.3, 0.3, 0.4;",
        "table 0.1, 0.3, 0.2, 0.3, 0.7, 0.4;",
    );
    let b = read(&text, RowSums::Reject).expect("reads");
    assert_eq!(b.net.cpts()[1].table, vec![0.1, 0.2, 0.7, 0.3, 0.3, 0.4]);
}

#[test]
fn default_row_fills_the_rest() {
    let text = SMALL.replace("(no) 0.3, 0.3, 0.4;", "default 0.3, 0.3, 0.4;");
    let b = read(&text, RowSums::Reject).expect("reads");
    assert_eq!(b.net.cpts()[1].table[3..], [0.3, 0.3, 0.4]);
}

#[test]
fn bif_round_trip() {
    let a = read(&fixture("networks/alarm.bif"), RowSums::Normalise).expect("reads");
    let b = read(&write("alarm", &a.net), RowSums::Reject).expect("reads back");
    assert_eq!(a.net, b.net);
}

#[test]
fn xmlbif_round_trip() {
    let a = read(&fixture("networks/insurance.bif"), RowSums::Normalise).expect("reads");
    let b = xmlbif::read(&xmlbif::write("insurance", &a.net), RowSums::Reject).expect("reads back");
    assert_eq!(a.net, b.net);
}

#[test]
fn normalises_rounded_rows_with_a_warning() {
    // alarm.bif as shipped with pgmpy 1.1.2 has 6 rows summing to 1 ± 1e-7.
    let a = read(&fixture("networks/alarm.bif"), RowSums::Normalise).expect("reads");
    assert_eq!(a.warnings.len(), 6, "{:?}", a.warnings);
}

#[test]
fn err_rounded_rows_rejected_when_asked() {
    let e = read(&fixture("networks/alarm.bif"), RowSums::Reject);
    assert!(matches!(e, Err(BifError::RowSum { .. })), "{e:?}");
}

#[test]
fn err_row_far_from_one() {
    let e = read(&SMALL.replace("0.25, 0.75", "0.25, 0.7"), RowSums::Normalise);
    assert!(matches!(e, Err(BifError::RowSum { ref variable, .. }) if variable == "a"), "{e:?}");
}

#[test]
fn err_unknown_state() {
    let e = read(&SMALL.replace("(no)", "(maybe)"), RowSums::Reject);
    assert!(
        matches!(e, Err(BifError::UnknownState { ref state, .. }) if state == "maybe"),
        "{e:?}"
    );
}

#[test]
fn err_missing_row() {
    let e = read(&SMALL.replace("(no) 0.3, 0.3, 0.4;", ""), RowSums::Reject);
    assert!(matches!(e, Err(BifError::MissingRow { .. })), "{e:?}");
}

#[test]
fn err_unknown_variable() {
    let e = read(&SMALL.replace("( b | a )", "( b | c )"), RowSums::Reject);
    assert!(matches!(e, Err(BifError::UnknownVariable { line: 5, .. })), "{e:?}");
}

#[test]
fn err_cycle() {
    let text = "variable a { type discrete [ 2 ] { y, n }; }\nvariable b { type discrete [ 2 ] { y, n }; }\n\
                probability ( a | b ) { (y) 0.5, 0.5; (n) 0.5, 0.5; }\nprobability ( b | a ) { (y) 0.5, 0.5; (n) 0.5, 0.5; }\n";
    let e = read(text, RowSums::Reject);
    assert!(matches!(e, Err(BifError::Net { .. })), "{e:?}");
    assert!(e.err().map(|e| e.to_string()).unwrap_or_default().contains("cycle"));
}

#[test]
fn err_syntax_has_a_line() {
    let e = read("variable a {\n type discrete [ 2 ] { y, n } \n}", RowSums::Reject);
    assert!(matches!(e, Err(BifError::Syntax { line: 3, .. })), "{e:?}");
}

#[test]
fn err_xmlbif_diagram_read_as_network() {
    let e = xmlbif::read(&fixture("diagrams/oil.bifxml"), RowSums::Reject);
    assert!(matches!(e, Err(BifError::Syntax { .. })), "{e:?}");
}

/// Issue 17: a block whose parents declare a table of billions of entries is refused before the
/// table is allocated, whether the file gives a `default` line, a short `table` or a few rows.
#[test]
fn err_issue_17_table_larger_than_the_data() {
    let mut text = String::from("network n {}\nvariable b { type discrete [ 2 ] { x, y }; }\n");
    let states: Vec<String> = (0..2000).map(|i| format!("s{i}")).collect();
    let mut root = vec!["0"; 2000];
    root[0] = "1";
    for v in ["a", "c", "d"] {
        text +=
            &format!("variable {v} {{ type discrete [ 2000 ] {{ {} }}; }}\n", states.join(", "));
        text += &format!("probability ( {v} ) {{ table {} ; }}\n", root.join(" "));
    }
    let with = |body: &str| format!("{text}probability ( b | a, c, d ) {{ {body} }}\n");
    for body in ["default 1 0 ;", "table 1 0 ;", "( s0, s0, s0 ) 1 0 ;"] {
        let e = read(&with(body), RowSums::Reject).unwrap_err();
        assert!(matches!(e, BifError::TooLarge { .. } | BifError::Syntax { .. }), "{body}: {e:?}");
    }
}

/// Issue 17: in XMLBIF, parents whose state counts multiply past `usize` are refused, not
/// overflowed.
#[test]
fn err_issue_17_xmlbif_table_size_overflows() {
    let outcomes: String = (0..70_000).map(|i| format!("<OUTCOME>s{i}</OUTCOME>")).collect();
    let mut text = String::from("<BIF VERSION=\"0.3\"><NETWORK><NAME>n</NAME>");
    for v in ["a", "b", "c", "d", "e"] {
        text += &format!("<VARIABLE TYPE=\"nature\"><NAME>{v}</NAME>{outcomes}</VARIABLE>");
    }
    text += "<DEFINITION><FOR>e</FOR><GIVEN>a</GIVEN><GIVEN>b</GIVEN><GIVEN>c</GIVEN>\
             <GIVEN>d</GIVEN><TABLE>1</TABLE></DEFINITION></NETWORK></BIF>";
    let e = xmlbif::read(&text, RowSums::Reject).unwrap_err();
    assert!(matches!(e, BifError::Net { .. } | BifError::Blocks { .. }), "{e:?}");
}
