//! Scoring a ledger of 100,008 forecasts (issue #15: "scoring a ledger of 100,000 forecasts in
//! under a second"): korea-2024's twelve forecasts recorded 8,334 times under distinct hashes,
//! every driver and Seoul's decision resolved (three of them soft), then `Ledger::score` over
//! the whole ledger, which reads every row back and scores it.
//!
//! `cargo bench -p ledger --bench score`

use std::collections::BTreeMap;

use analysis::forecasts::{Issued, Resolved, issue};
use criterion::{Criterion, criterion_group, criterion_main};
use ledger::{Ledger, Origin};
use model::scenario::Date;

const ISSUES: usize = 8_334;

fn bench(c: &mut Criterion) {
    let b = model::builtin::find("korea-2024").expect("built in");
    let loaded = model::builtin::load(b).expect("valid");
    let a = analysis::analyse(&loaded, &analysis::Settings::default());
    let issued = issue(&a, &loaded.source.text, "bench");
    let dir = tempfile::tempdir().expect("a folder");
    let mut l = Ledger::open(&dir.path().join("bench.sqlite")).expect("a ledger");
    for i in 0..ISSUES {
        l.record(&Issued { scenario_hash: format!("{i:064}"), ..issued.clone() })
            .expect("recorded");
    }
    let date = Date::parse("2025-12-31").expect("a date");
    let soft = |pairs: &[(&str, f64)]| -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, w)| ((*k).to_string(), *w)).collect()
    };
    let mut resolutions: Vec<Resolved> = loaded
        .scenario
        .drivers
        .iter()
        .map(|d| Resolved {
            question: d.id.clone(),
            date,
            state: d.states[0].clone(),
            soft: BTreeMap::new(),
        })
        .collect();
    resolutions.push(Resolved {
        question: "seoul".into(),
        date,
        state: "nuclear_hedging".into(),
        soft: soft(&[("nuclear_hedging", 0.55), ("status_quo_nato", 0.45)]),
    });
    resolutions[0].soft = soft(&[
        (&loaded.scenario.drivers[0].states[0], 0.8),
        (&loaded.scenario.drivers[0].states[1], 0.2),
    ]);
    l.resolve(&loaded.scenario, &resolutions, Origin::Given).expect("resolved");
    let n = l.forecasts(None).expect("read").len();
    eprintln!("ledger of {n} forecasts");
    let mut g = c.benchmark_group("ledger");
    g.sample_size(10);
    g.bench_function("score 100k forecasts", |bench| {
        bench.iter(|| l.score(None).expect("scored"));
    });
    g.bench_function("read 100k forecasts", |bench| {
        bench.iter(|| l.forecasts(None).expect("read"));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
