#!/bin/sh
# Times `statecraft run` on the built-in korea-2024 in every format, and `run --save`, with two
# builds side by side in one run (hyperfine, from Debian's packages), so that a change to the
# pipeline can be shown to be no slower than before.
#
#   sh bench/run/compare.sh OLD_BINARY NEW_BINARY
#
# Build the old one from a worktree of the earlier commit, for instance:
#   git worktree add --detach /tmp/old <commit> && (cd /tmp/old && cargo build --release -p cli)
#   cargo build --release -p cli
#   sh bench/run/compare.sh /tmp/old/target/release/statecraft target/release/statecraft
# hyperfine prints each command's mean and the ratio of the slower to the faster.
set -eu
old=$1
new=$2
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for format in table json md html; do
    hyperfine --warmup 2 --runs 15 -N \
        -n "old $format" "$old run --format $format -o $out/old.$format" \
        -n "new $format" "$new run --format $format -o $out/new.$format"
done
hyperfine --warmup 1 --runs 10 \
    -n "old run --save" "rm -rf $out/s-old; $old run -q --save $out/s-old -o $out/o-old" \
    -n "new run --save" "rm -rf $out/s-new; $new run -q --save $out/s-new -o $out/o-new"
