//! Criterion benchmark of the ACH engine: a 1,000-item × 20-hypothesis matrix with
//! sensitivity (2,000 what-ifs) and timeline, in `parc` and `bayes` modes. The matrix is random
//! but seeded (`ChaCha8Rng`, seed 2024), so every run measures the same work.
//!
//! Run: `cargo bench -p engines --bench ach`.

use criterion::{Criterion, criterion_group, criterion_main};
use engines::ach::{
    AchMatrix, AchOptions, BayesSettings, IsoDate, Item, LikelihoodTable, Mode, Priors, Rating,
    Sensitivity, Timeline, Weight, analyze,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn matrix(items: usize, hypotheses: usize, indicators: usize) -> AchMatrix {
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let mut item = |id: String, dated: bool| Item {
        id,
        credibility: Weight::ALL[rng.random_range(0..3)],
        relevance: Weight::ALL[rng.random_range(0..3)],
        // About 100 distinct dates over 2024, so the timeline has ~100 rows.
        date: dated.then(|| {
            let day = rng.random_range(1..=100u8);
            IsoDate::new(2024, 1 + (day - 1) / 28, 1 + (day - 1) % 28).expect("valid day")
        }),
        ratings: (0..hypotheses).map(|_| Rating::ALL[rng.random_range(0..6)]).collect(),
    };
    let evidence = (0..items).map(|e| item(format!("E{e}"), true)).collect();
    let inds = (0..indicators).map(|i| item(format!("I{i}"), false)).collect();
    AchMatrix::new((0..hypotheses).map(|h| format!("H{h}")).collect(), evidence, inds)
        .expect("valid matrix")
}

fn bench(c: &mut Criterion) {
    let m = matrix(1000, 20, 50);
    for mode in [Mode::Parc, Mode::ParcWeighted, Mode::Bayes] {
        let options = AchOptions {
            mode,
            bayes: BayesSettings {
                likelihoods: LikelihoodTable::standard(),
                priors: Priors::Uniform,
            },
            as_of: None,
            sensitivity: Sensitivity::Run,
            timeline: Timeline::Run,
        };
        c.bench_function(&format!("ach {} 1000x20 sensitivity+timeline", mode.name()), |b| {
            b.iter(|| analyze(std::hint::black_box(&m), &options).expect("analysable"))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
