#!/bin/sh
# Whole-run timings of `statecraft bargain` (release build), one run each, on the machine at hand.
# usage: sh bench/bargain/run.sh            (from the repository root)
# Inputs: KTAB's dummyData-a040/a080/a160.csv (copied from KAPSARC/KTAB examples/smp/doc, MIT
# licence) and the synthetic 1,000-actor files written by generate.py.
# Each line gives wall time and the CPU time (user + system, all threads) from /usr/bin/time, and
# the script prints `uptime` first: on a shared machine the wall time depends on the load, the CPU
# time much less.
# KTAB's own smpc is not built here; the issue quotes about 5.6 s for 40 actors and 63 s for 80
# (most of it writing its SQLite database).
set -eu
cargo build --release -p cli --quiet
bin=target/release/statecraft
gen=target/bench-bargain
python3 bench/bargain/generate.py "$gen"
echo "load: $(uptime)"
echo "cores: $(nproc)"
time_one() {
    label=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$gen/time.txt" "$bin" "$@" --format json -o /dev/null
    read -r wall user sys < "$gen/time.txt"
    printf '%-40s %8.2f s wall %8.2f s user %6.2f s sys\n' "$label" "$wall" "$user" "$sys"
}
time_one "smp  KTAB dummyData-a040 (40 actors)" bargain bench/bargain/dummyData-a040.csv --model smp
time_one "smp  KTAB dummyData-a080 (80 actors)" bargain bench/bargain/dummyData-a080.csv --model smp
time_one "smp  KTAB dummyData-a160 (160 actors)" bargain bench/bargain/dummyData-a160.csv --model smp
time_one "eum  1000 actors x 10 rounds" bargain "$gen/eum-1000.csv" --model eum --rounds 10
time_one "smp  1000 actors, 1 issue" bargain "$gen/smp-1000.csv" --model smp
