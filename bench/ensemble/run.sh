#!/usr/bin/env bash
# Times `statecraft ensemble` on korea-2024 (release build): 100,000 draws of the network and the
# answer without Sobol indices or the other lenses, with 1 and 2 threads (RAYON_NUM_THREADS), a
# Sobol run of 2,000 rows (2,000 × 54 = 108,000 evaluations), and 1,000 draws with the other
# lenses redrawn too; then what the small ensemble of `statecraft run` (500 draws, network and
# answer) costs: `run` itself beside the same ensemble alone and a 2-draw ensemble (loading and
# compiling only). `--lenses` adds 100,000 draws with the other lenses redrawn too (slow).
# Prints wall-clock seconds per run.
#
#   bench/ensemble/run.sh [--lenses]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p cli --quiet
bin=target/release/statecraft
time_it() {
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    printf '%-48s %6.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}
for threads in 1 2; do
    RAYON_NUM_THREADS=$threads time_it "100,000 draws, no Sobol, $threads thread(s)" \
        env RAYON_NUM_THREADS=$threads $bin ensemble korea-2024 --samples 100000 --no-sobol --no-lenses --quiet
done
for threads in 1 2; do
    time_it "Sobol, 2,000 rows (108,000 evaluations), $threads thread(s)" \
        env RAYON_NUM_THREADS=$threads $bin ensemble korea-2024 --samples 2000 --no-lenses --quiet
done
time_it "1,000 draws with the other lenses, no Sobol" \
    $bin ensemble korea-2024 --samples 1000 --no-sobol --quiet
time_it "run korea-2024 (table), with its 500-draw ensemble" $bin run korea-2024
time_it "500 draws, no Sobol, no lenses (what run adds)" \
    $bin ensemble korea-2024 --samples 500 --seed 1 --no-sobol --no-lenses --quiet
time_it "2 draws, no Sobol, no lenses (loading only)" \
    $bin ensemble korea-2024 --samples 2 --seed 1 --no-sobol --no-lenses --quiet
if [[ "${1:-}" == "--lenses" ]]; then
    for threads in 1 2; do
        time_it "100,000 draws with the other lenses, $threads thread(s)" \
            env RAYON_NUM_THREADS=$threads $bin ensemble korea-2024 --samples 100000 --no-sobol --quiet
    done
fi
