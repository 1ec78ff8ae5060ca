//! Criterion benchmarks of the CIB engine on the ScenarioWizard fixtures in
//! `tests/fixtures/cib/`: branch-and-bound on the 22.7-million-scenario projects (with and
//! without their diagonal block, since PyCIB ignores diagonal blocks), exhaustive enumeration of
//! `bench_typical` (10 descriptors × 3 variants), and exact global succession.
//!
//! Run with `cargo bench -p engines --bench cib`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use engines::cib::{
    CibMatrix, Descriptor, Method, SolveOptions, Starts, SuccessionOptions, SuccessionRule, solve,
    succession,
};

/// A minimal `.scw` reader (the full one is `model::formats::scw`, which the engines crate may
/// not depend on): descriptors until the first `#` line, the matrix after the fifth.
fn scw(name: &str, zero_diagonal: bool) -> CibMatrix {
    let path = format!("{}/../../tests/fixtures/cib/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut descriptors: Vec<Descriptor> = Vec::new();
    let mut hashes = 0;
    let mut rows: Vec<Vec<i64>> = Vec::new();
    for line in text.lines().skip(2) {
        if line.starts_with('#') {
            hashes += 1;
        } else if hashes == 0 && line.starts_with('&') {
            descriptors.push(Descriptor { name: line[1..].into(), variants: vec![] });
        } else if hashes == 0 && line.starts_with(" -") {
            descriptors.last_mut().expect("descriptor").variants.push(line[2..].into());
        } else if hashes == 5 {
            rows.push(line.split(',').map(|x| x.trim().parse().expect("integer")).collect());
        }
    }
    if zero_diagonal {
        let mut start = 0;
        for d in &descriptors {
            let end = start + d.variants.len();
            for row in &mut rows[start..end] {
                row[start..end].iter_mut().for_each(|x| *x = 0);
            }
            start = end;
        }
    }
    CibMatrix::new(descriptors, rows).expect("valid fixture")
}

fn options(method: Method) -> SolveOptions {
    SolveOptions { method, tolerance: 0, fixed: vec![], max_scenarios: 1_000_000 }
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("cib");
    g.sample_size(20);
    for (label, name, zero) in [
        ("bnb/natl_regional", "CIB_natl_regional.scw", false),
        ("bnb/natl_regional_no_diagonal", "CIB_natl_regional.scw", true),
        ("bnb/nested_standardized", "CIB_nested_simplified_standardized.scw", false),
        ("bnb/nested_nonstandard", "CIB_nested_simplified_nonstandard.scw", false),
        ("bnb/bench_typical", "bench_typical.scw", false),
    ] {
        let m = scw(name, zero);
        g.bench_function(label, |b| {
            b.iter(|| solve(black_box(&m), &options(Method::BranchAndBound)))
        });
    }
    let typical = scw("bench_typical.scw", false);
    g.bench_function("exhaustive/bench_typical", |b| {
        b.iter(|| solve(black_box(&typical), &options(Method::Exhaustive)))
    });
    let global =
        SuccessionOptions { rule: SuccessionRule::Global, starts: Starts::All, fixed: vec![] };
    g.bench_function("succession_all/bench_typical", |b| {
        b.iter(|| succession(black_box(&typical), &global))
    });
    g.finish();
}

criterion_group!(cib, benches);
criterion_main!(cib);
