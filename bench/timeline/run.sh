#!/usr/bin/env bash
# Times `statecraft timeline` over 100 dated updates on korea-2024 (issue #15: "the timeline
# over 100 updates on korea-2024 runs in under a second"). The built-in scenario has 77 dated
# updates (evidence, observations, revisions); this script appends 23 more indicator
# observations, dated one a day from 2025-12-01, to a copy, so that the timeline has 100 steps
# after the first, and times it (table output) three times. A benchmark, not a test.
#
#   bash bench/timeline/run.sh [path/to/statecraft]      (default: a release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release -p cli --quiet
    bin=target/release/statecraft
fi
bin=$(realpath "$bin")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp scenarios/korea-2024.toml "$dir/korea-100.toml"
for day in $(seq 1 23); do
    # Alternate the sighting so that every update moves the network a little.
    seen=$([ $((day % 2)) -eq 0 ] && echo true || echo false)
    printf '\n[[observation]]\ndate = "2025-12-%02d"\nindicator = "russian_presence"\nseen = %s\nsource = "brief2025"\nwhy = "Synthetic update for the timeline benchmark."\n' \
        "$day" "$seen" >> "$dir/korea-100.toml"
done
steps=$("$bin" timeline "$dir/korea-100.toml" --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["result"]["steps"]) - 1)')
echo "updates in the timeline: $steps"
for i in 1 2 3; do
    /usr/bin/time -f "timeline, $steps updates: %e s wall, %U s user, %S s system, %M KiB" \
        "$bin" timeline "$dir/korea-100.toml" > /dev/null
done
