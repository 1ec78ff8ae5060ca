//! Criterion benchmark of the Sobol kernel: Saltelli's design on the Ishigami function (draws,
//! evaluations and Jansen's estimators), with 1,024 rows (5,120 evaluations).
//!
//!     cargo bench -p engines --bench sobol

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use engines::sobol::{Design, FirstOrder, indices};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

fn bench(c: &mut Criterion) {
    let design = Design::new(1024, &[1, 1, 1], 1).expect("a valid design");
    let pi = std::f64::consts::PI;
    let draw = |_: usize, rng: &mut ChaCha8Rng, out: &mut [f64]| {
        out[0] = -pi + 2.0 * pi * rng.random::<f64>();
    };
    c.bench_function("sobol/ishigami_1024/run", |b| {
        b.iter(|| design.run(1, true, || (), draw, |_, x, out| out[0] = ishigami(x)).expect("runs"))
    });
    let runs = design.run(1, true, || (), draw, |_, x, out| out[0] = ishigami(x)).expect("runs");
    c.bench_function("sobol/ishigami_1024/indices", |b| {
        b.iter(|| indices(black_box(&runs), 0, FirstOrder::Jansen))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
