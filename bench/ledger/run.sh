#!/usr/bin/env bash
# Scoring a ledger of 100,008 forecasts (issue #15): korea-2024's twelve forecasts recorded by
# `statecraft forecast`, copied 8,334 times under distinct scenario hashes with Python's
# built-in sqlite3 (no third-party package), every driver and Seoul's decision resolved by
# `statecraft resolve`, then `statecraft score` over the whole ledger, timed.
#
#   bash bench/ledger/run.sh [path/to/statecraft]
#
# The criterion bench `cargo bench -p ledger --bench score` measures `Ledger::score` alone on
# the same ledger.
set -euo pipefail
bin=${1:-target/release/statecraft}
bin=$(realpath "$bin")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$bin" forecast --ledger big.sqlite --quiet > /dev/null
python3 - <<'PY'
import sqlite3
c = sqlite3.connect("big.sqlite")
rows = c.execute("SELECT id, scenario, as_of, tool_version, question, kind, driver, state, decision, option FROM forecast").fetchall()
probs = {fid: c.execute("SELECT position, category, probability FROM probability WHERE forecast_id = ?", (fid,)).fetchall() for (fid, *_) in rows}
with c:
    for i in range(1, 8334):
        h = f"{i:064d}"
        for (fid, scen, as_of, tool, q, kind, drv, st, dec, opt) in rows:
            cur = c.execute("INSERT INTO forecast (scenario, scenario_hash, as_of, tool_version, question, kind, driver, state, decision, option) VALUES (?,?,?,?,?,?,?,?,?,?)", (scen, h, as_of, tool, q, kind, drv, st, dec, opt))
            c.executemany("INSERT INTO probability VALUES (?,?,?,?)", [(cur.lastrowid, p, cat, pr) for (p, cat, pr) in probs[fid]])
print(c.execute("SELECT count(*) FROM forecast").fetchone()[0], "forecasts")
PY
for r in "war russian_gains" "us_policy retrenchment" "dprk_russia alliance_tech" "rok_posture nuclear_hedging" \
         "tension elevated" "sanctions eroded" "rok_politics weak_government" "korean_war contained"; do
  set -- $r
  "$bin" resolve --ledger big.sqlite --quiet --question "$1" --state "$2" --date 2025-12-31 > /dev/null
done
"$bin" resolve --ledger big.sqlite --quiet --question seoul --state nuclear_hedging --date 2025-11-14 \
  --soft nuclear_hedging=0.55,status_quo_nato=0.45 > /dev/null
for i in 1 2 3; do
  /usr/bin/time -f "score, whole ledger, JSON: %e s wall, %U s user, %S s system, %M KiB" "$bin" score --ledger big.sqlite --format json > /dev/null
done
/usr/bin/time -f "score, whole ledger, table: %e s wall, %U s user, %S s system, %M KiB" "$bin" score --ledger big.sqlite > /dev/null
