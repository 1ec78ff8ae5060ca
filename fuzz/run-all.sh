#!/bin/sh
# Runs every reader's fuzz target in turn, one at a time, SECONDS each (default 600), and prints
# the number of executions of each. Logs go to LOGDIR (default fuzz/logs, not committed).
# Usage, from the repository root: fuzz/run-all.sh [SECONDS] [TARGET...]
set -u
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-nfg bif xmlbif scw sl ach_csv matrix_csv bargain_csv ktab_csv}
logdir=${LOGDIR:-fuzz/logs}
mkdir -p "$logdir"
fuzz/seed.sh
for t in $targets; do
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -jobs=1 -workers=1 \
        -max_total_time="$secs" -rss_limit_mb=2048 -timeout=60 > "$logdir/$t.run" 2>&1
    rc=$?
    [ -f fuzz-0.log ] && mv fuzz-0.log "$logdir/$t.log"
    runs=$(grep -ho 'Done [0-9]* runs in [0-9]* second' "$logdir/$t.log" "$logdir/$t.run" 2>/dev/null | tail -n 1)
    echo "$t exit=$rc ${runs:-no summary (see $logdir/$t.log)}"
done
