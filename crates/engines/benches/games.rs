//! Criterion benchmarks of the games lens: every extreme equilibrium of the 10×10 and 15×15
//! fixture games (the sizes `bench/games/compare.py` runs against lrsnash), and Lemke–Howson
//! from every label. The games are read from `tests/fixtures/games/` by a minimal payoff-form
//! reader (the engines crate cannot depend on `model`'s `.nfg` reader).

use criterion::{Criterion, criterion_group, criterion_main};
use engines::games::{
    EnumOptions, Game, LhOptions, LhStart, Search, enumerate_extreme, lemke_howson,
};

/// Reads a two-player payoff-form `.nfg` with integer payoffs and strategy counts.
fn load(name: &str) -> Game {
    let path = format!("{}/../../tests/fixtures/games/{name}.nfg", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spaced = text.replace('{', " { ").replace('}', " } ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let players_end = toks.iter().position(|t| *t == "}").expect("players");
    let counts_end =
        players_end + 1 + toks[players_end + 1..].iter().position(|t| *t == "}").expect("counts");
    let m: usize = toks[players_end + 2].parse().expect("m");
    let n: usize = toks[players_end + 3].parse().expect("n");
    let nums: Vec<i64> =
        toks[counts_end + 1..].iter().map(|t| t.parse().expect("payoff")).collect();
    let mut a = vec![vec![0; n]; m];
    let mut b = vec![vec![0; n]; m];
    for k in 0..m * n {
        a[k % m][k / m] = nums[2 * k];
        b[k % m][k / m] = nums[2 * k + 1];
    }
    Game::bimatrix_int(&a, &b).expect("valid game")
}

fn bench(c: &mut Criterion) {
    let opts = EnumOptions { max_bases: 10_000_000, search: Search::Auto };
    let mut group = c.benchmark_group("games");
    group.sample_size(10);
    for name in
        ["generic_10x10_0", "generic_10x10_1", "ties_10x10", "zerosum_10x10", "generic_15x15_0"]
    {
        let g = load(name);
        group.bench_function(format!("enum/{name}"), |bch| {
            bch.iter(|| enumerate_extreme(&g, &opts))
        });
        group.bench_function(format!("lh/{name}"), |bch| {
            bch.iter(|| lemke_howson(&g, &LhOptions { start: LhStart::AllLabels }))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
