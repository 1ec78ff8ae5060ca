//! Criterion kernels of the bargaining lens: KTAB's spatial model on 80 actors (3 issues) and
//! on 1,000 actors (1 issue), and the expected utility model on 1,000 actors for 10 rounds.
//! Inputs are drawn from a seeded ChaCha8 stream.

use criterion::{Criterion, criterion_group, criterion_main};
use engines::bargain::eum::{EumOptions, eum};
use engines::bargain::smp::{SmpOptions, smp};
use engines::bargain::{BargainInput, IssueData};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `n` actors on `m` issues on 0–100, each actor's saliences summing to at most 0.95.
fn random_input(n: usize, m: usize, seed: u64) -> BargainInput {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cap: Vec<f64> = (0..n).map(|_| rng.random_range(10.0..200.0)).collect();
    let mut issues: Vec<IssueData> = (0..m)
        .map(|_| IssueData {
            scale_min: 0.0,
            scale_max: 100.0,
            position: Vec::new(),
            salience: Vec::new(),
        })
        .collect();
    for _ in 0..n {
        let raw: Vec<f64> = (0..m).map(|_| rng.random_range(0.1..1.0)).collect();
        let total: f64 = raw.iter().sum();
        let share = rng.random_range(0.5..0.95);
        for (d, issue) in issues.iter_mut().enumerate() {
            issue.position.push(rng.random_range(0.0..100.0));
            issue.salience.push(share * raw[d] / total);
        }
    }
    match BargainInput::new(cap, issues) {
        Ok(input) => input,
        Err(e) => panic!("generated input is invalid: {e}"),
    }
}

fn kernels(c: &mut Criterion) {
    let mut g = c.benchmark_group("bargain");
    g.sample_size(10);
    let smp80 = random_input(80, 3, 1);
    g.bench_function("smp 80 actors x 3 issues", |b| b.iter(|| smp(&smp80, &SmpOptions::ktab())));
    let smp1000 = random_input(1000, 1, 2);
    g.bench_function("smp 1000 actors x 1 issue", |b| {
        b.iter(|| smp(&smp1000, &SmpOptions::ktab()))
    });
    let eum1000 = random_input(1000, 1, 3);
    g.bench_function("eum 1000 actors x 10 rounds", |b| {
        b.iter(|| eum(&eum1000, 0, &EumOptions::scholz()))
    });
    g.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
