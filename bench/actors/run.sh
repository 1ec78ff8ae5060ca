#!/usr/bin/env bash
# Whole-run timing of `statecraft actors` (release build): MICMAC on generated driver matrices of
# 50, 100 and 200 drivers, and MACTOR on the korea-2024 fixture. No peer program is timed: LIPSOR's
# MICMAC and MACTOR are Windows GUI applications, and no installable package (PyPI, crates.io,
# Debian) implements either method, so there is nothing to run side by side.
#
# Usage: bench/actors/run.sh [RUNS]      (from the repository root; RUNS defaults to 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
cargo build --release -p cli --quiet
bin=target/release/statecraft
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A driver matrix with about 60% of cells nonzero and 5% potential, from a fixed seed.
gen() {
    awk -v n="$1" 'BEGIN {
        srand(2024);
        printf "MDI"; for (j = 1; j <= n; j++) printf ",v%d", j; printf "\n";
        for (i = 1; i <= n; i++) {
            printf "v%d", i;
            for (j = 1; j <= n; j++) {
                r = rand();
                if (i == j || r < 0.35) c = 0; else if (r < 0.40) c = "P"; else c = 1 + int(rand() * 3);
                printf ",%s", c;
            }
            printf "\n";
        }
    }'
}

time_it() {
    local label="$1"; shift
    local start end best=""
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$bin" "$@" --format json -o "$work/out.json"
        end=$(date +%s%N)
        ms=$(( (end - start) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    printf '%-40s best of %s: %5d ms\n' "$label" "$runs" "$best"
}

for n in 50 100 200; do
    gen "$n" > "$work/d$n.csv"
    time_it "micmac ${n}x${n} until stable" actors --micmac "$work/d$n.csv"
done
time_it "mactor korea-2024 fixture" actors \
    --mid tests/fixtures/actors/korea-mid.csv --mao tests/fixtures/actors/korea-mao.csv
