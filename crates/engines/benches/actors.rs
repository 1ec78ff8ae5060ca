//! Criterion benchmarks of the actors lens: MICMAC on a dense random 200 × 200 driver matrix
//! (the issue asks for well under a second) and MACTOR on 30 actors × 20 objectives. The
//! matrices come from `ChaCha8Rng` with a fixed seed, so every run measures the same input.

use criterion::{Criterion, criterion_group, criterion_main};
use engines::actors::mactor::{self, BalanceFormula, MactorOptions, Mao, Mid};
use engines::actors::micmac::{
    self, Cell, DriverMatrix, Indirect, MicmacOptions, Potential, Powers,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A driver matrix with about 60% of cells nonzero (levels 1–3) and 5% potential.
fn drivers(n: usize, seed: u64) -> DriverMatrix {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rows = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let roll: f64 = rng.random();
                    if i == j || roll < 0.35 {
                        Cell::Level(0)
                    } else if roll < 0.40 {
                        Cell::Potential
                    } else {
                        Cell::Level(rng.random_range(1..=3))
                    }
                })
                .collect()
        })
        .collect();
    DriverMatrix::from_rows(rows).expect("generated matrices are valid")
}

fn bench_micmac(c: &mut Criterion) {
    let m = drivers(200, 2024);
    let options = MicmacOptions {
        potential: Potential::Weight(3),
        powers: Powers::UntilStable { max: 50 },
        indirect: Indirect::Powers,
        regulating_band: 0.2,
    };
    c.bench_function("micmac 200x200 until stable", |b| {
        b.iter(|| micmac::analyse(std::hint::black_box(&m), &options))
    });
    let fixed = MicmacOptions { powers: Powers::Fixed(20), ..options };
    c.bench_function("micmac 200x200 power 20", |b| {
        b.iter(|| micmac::analyse(std::hint::black_box(&m), &fixed))
    });
}

fn bench_mactor(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let n = 30;
    let mid = Mid::from_rows(
        (0..n)
            .map(|i| (0..n).map(|j| if i == j { 0 } else { rng.random_range(0..=4) }).collect())
            .collect(),
    )
    .expect("generated matrices are valid");
    let mao = Mao::from_rows(
        (0..n).map(|_| (0..20).map(|_| rng.random_range(-4..=4)).collect()).collect(),
    )
    .expect("generated matrices are valid");
    let options = MactorOptions { balance: BalanceFormula::Retroaction };
    c.bench_function("mactor 30 actors x 20 objectives", |b| {
        b.iter(|| mactor::analyse(std::hint::black_box(&mid), &mao, &options))
    });
}

criterion_group!(benches, bench_micmac, bench_mactor);
criterion_main!(benches);
