#!/bin/sh
# Fills fuzz/corpus/TARGET (not committed) with the committed small seeds in fuzz/seeds/TARGET
# and every fixture of the target's format in tests/fixtures, large ones included.
# Usage, from the repository root: fuzz/seed.sh
set -eu
add() {
    target=$1; shift
    mkdir -p "fuzz/corpus/$target"
    cp fuzz/seeds/"$target"/* "fuzz/corpus/$target/"
    for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/"; done
}
add nfg tests/fixtures/games/*.nfg
add bif tests/fixtures/bayes/networks/*.bif
add xmlbif tests/fixtures/bayes/diagrams/*.bifxml
add scw tests/fixtures/cib/*.scw
add sl tests/fixtures/cib/*.sl
add ach_csv tests/fixtures/ach/*.csv
add matrix_csv tests/fixtures/actors/*.csv
add bargain_csv tests/fixtures/bargain/*.csv
add ktab_csv tests/fixtures/bargain/*.csv
