//! Criterion benchmarks of the bayes engine: every posterior marginal of the networks that
//! `bench/bayes/run.sh` also gives to pgmpy (alarm and two 100-node random networks), with no
//! evidence and with the hard evidence of the reference fixtures, plus compilation.
//!
//!     cargo bench -p engines --bench bayes
//!
//! The BIF reader lives in the `model` crate, which depends on this one; rather than copy it, the
//! benchmark compiles the same source file in (it only uses `engines` and `thiserror`).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use engines::bayes::{
    CompileOptions, DEFAULT_MAX_CLIQUE, Finding, Heuristic, JunctionTree, Posterior, Workspace,
};

#[allow(dead_code, unreachable_pub)]
#[path = "../../model/src/formats/bif.rs"]
mod bif;

/// The networks timed (fixtures under `tests/fixtures/bayes/networks/`).
const CASES: &[&str] = &["alarm", "random100_100", "random100_101"];

fn load(name: &str) -> bif::BifNetwork {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../tests/fixtures/bayes/networks/{name}.bif"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bif::read(&text, bif::RowSums::Normalise).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The evidence of the reference fixture's second case, read from reference.json by a plain
/// text search (no JSON crate here).
fn evidence(net: &engines::bayes::BayesNet, name: &str) -> Vec<Finding> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bayes/reference.json");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let key = format!("\"networks/{name}.bif\"");
    let Some(at) = text.find(&key) else { return Vec::new() };
    let rest = &text[at..];
    // The first "evidence": {} is the prior case; the second holds the findings.
    let mut parts = rest.match_indices("\"evidence\": {");
    parts.next();
    let Some((i, _)) = parts.next() else { return Vec::new() };
    let body = &rest[i + "\"evidence\": {".len()..];
    let body = &body[..body.find('}').unwrap_or(0)];
    body.split(',')
        .filter_map(|kv| {
            let (k, v) = kv.split_once(':')?;
            let k = k.trim().trim_matches('"');
            let v = v.trim().trim_matches('"');
            let node = net.find(k)?;
            let state = net.variables()[node].states.iter().position(|s| s == v)?;
            Some(Finding::State { node, state })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let options =
        CompileOptions { heuristic: Heuristic::MinFill, max_clique_entries: DEFAULT_MAX_CLIQUE };
    for name in CASES {
        let net = load(name).net;
        let ev = evidence(&net, name);
        let jt = JunctionTree::compile(&net, &options).expect("compiles");
        let mut ws = Workspace::new();
        let mut post = jt.marginals(&[]).expect("prior");
        c.bench_function(&format!("bayes/{name}/compile"), |b| {
            b.iter(|| JunctionTree::compile(black_box(&net), &options).map(|j| j.table_entries()))
        });
        c.bench_function(&format!("bayes/{name}/marginals"), |b| {
            b.iter(|| {
                jt.marginals_into(black_box(&[]), &mut ws, &mut post)
                    .map(|()| post.evidence_probability)
            })
        });
        c.bench_function(&format!("bayes/{name}/marginals_evidence"), |b| {
            b.iter(|| {
                jt.marginals_into(black_box(&ev), &mut ws, &mut post)
                    .map(|()| post.evidence_probability)
            })
        });
        let _: &Posterior = &post;
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
