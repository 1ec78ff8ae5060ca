#!/usr/bin/env bash
# Mutation testing with cargo-mutants: the numeric kernels of engines (ach, actors, bargain,
# bayes, cib, games) and the model crate, one run per module, each sampled by sharding.
#
# Usage: bash bench/mutants/run.sh [MODULE...]      (default: ach actors bargain bayes cib games model)
# Environment:
#   SAMPLE   test about this many mutants of each module (default: all of them): the module's
#            mutants are dealt round-robin into shards of that size and shard SHARD runs, an even
#            sample over its files and functions
#   SHARD    which of those shards runs (default 0): another shard is a fresh sample, disjoint
#            from shard 0 when SAMPLE is the same
#   IN_PLACE 1 to mutate the working tree itself and reuse its target folder (much faster on a
#            small machine; do not edit sources while it runs), else a copy is built
#   OPT_LEVEL opt-level of the mutated crate (default 0, but 1 for cib): at 0 a mutant builds in
#            about a sixth of the time it takes at the dev profile's 1, and the tests of every
#            module but cib still run in under a minute (cib's take about six minutes at 0)
#   TIMEOUT  seconds before a mutant's test run counts as timed out (default 300)
#   OUT      where the reports go (default target/mutants); OUT/MODULE/mutants.out/ holds
#            caught.txt, missed.txt, timeout.txt and unviable.txt
#
# Each mutant of an engines module is tested by that module's own unit tests only
# (`cargo test -p engines --lib MODULE::`), and each mutant of model by model's unit tests:
# doctests and the reference tests of other crates (the peer fixtures read by model) do not
# run, so a mutant they would catch counts as missed here, and the figures are a lower bound.
# docs/testing.md records the figures of the last run and the command that produced them.
set -euo pipefail
cd "$(dirname "$0")/../.."

timeout="${TIMEOUT:-300}"
out="${OUT:-$PWD/target/mutants}"
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(ach actors bargain bayes cib games model)

if ! cargo mutants --version >/dev/null 2>&1; then
    cargo install cargo-mutants --locked
fi
cargo mutants --version

for m in "${modules[@]}"; do
    case "$m" in
        model)
            crate=model
            opt=0
            args=(--package model --file 'crates/model/src/**/*.rs' --exclude '**/tests.rs')
            tests=()
            ;;
        ach | actors | bargain | bayes | cib | games)
            crate=engines
            opt=0
            [ "$m" != cib ] || opt=1
            args=(--package engines --file "crates/engines/src/$m.rs" --file "crates/engines/src/$m/**/*.rs"
                --exclude '**/tests.rs')
            tests=("$m::")
            ;;
        *)
            echo "unknown module $m" >&2
            exit 2
            ;;
    esac
    total=$(cargo mutants --list "${args[@]}" | wc -l)
    shards=1
    [ -z "${SAMPLE:-}" ] || shards=$(((total + SAMPLE - 1) / SAMPLE))
    extra=(--jobs 1)
    [ "${IN_PLACE:-0}" != 1 ] || extra=(--in-place) # one job only, in place
    shard="${SHARD:-0}"
    echo "== $m: $total mutants, shard $shard/$shards"
    mkdir -p "$out/$m"
    # The suite passes on the unmutated tree (CI checks it), so the baseline run is skipped and
    # the timeout is fixed instead of measured from it.
    # --cargo-arg=--lib: build only the unit-test binary, not the library a second time for
    # doctests, which do not run here.
    # No debug information and little or no optimisation for the mutated crate: no test reads the
    # debug information, and both make each of the thousands of rebuilds shorter (the
    # dependencies keep their profile, so they are not rebuilt). Neither changes what a test sees.
    cargo mutants "${args[@]}" "${extra[@]}" --shard "$shard/$shards" --sharding round-robin --cargo-arg=--lib \
        --cargo-arg=--config="profile.dev.package.$crate.debug=false" \
        --cargo-arg=--config="profile.dev.package.$crate.opt-level=${OPT_LEVEL:-$opt}" \
        --baseline skip --timeout "$timeout" --output "$out/$m" -- "${tests[@]}" || true
    for kind in caught missed timeout unviable; do
        f="$out/$m/mutants.out/$kind.txt"
        printf '%s %s: %s\n' "$m" "$kind" "$([ -f "$f" ] && wc -l <"$f" || echo 0)"
    done
done
