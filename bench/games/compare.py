#!/usr/bin/env python3
"""Side-by-side timing of `statecraft games` (every extreme equilibrium) against lrsnash,
pygambit (enummixed, lcp) and nashpy (support enumeration) on the 10x10 and 15x15 fixtures.

Usage (after bash bench/games/install-peers.sh and cargo build --release -p cli):
    bench/.venv-games/bin/python bench/games/compare.py [--timeout SECONDS] [--runs N]

Each program runs in its own process; a peer that exceeds the timeout is killed and reported as
"> timeout". Times are the median of N wall-clock runs (the peers slower than 5 s run once),
with the CPU time (user + system, all threads) of the same run. Ratios are peer / statecraft.
The Python peers' times include reading the game but not starting the interpreter.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIX = os.path.join(ROOT, "tests", "fixtures", "games")
BIN = os.path.join(ROOT, "target", "release", "statecraft")
GAMES = ["generic_10x10_0", "generic_10x10_1", "ties_10x10", "zerosum_10x10", "generic_15x15_0"]

PY_PEER = r'''
import sys, time
kind, path = sys.argv[1], sys.argv[2]
import pygambit as gbt
g = gbt.read_nfg(path)
if kind == "nashpy":
    import numpy as np, nashpy
    toks = open(path).read().replace("{", " { ").replace("}", " } ").split()
    i = toks.index("}", toks.index("{")); j = toks.index("{", i); k = toks.index("}", j)
    m, n = int(toks[j + 1]), int(toks[j + 2])
    v = [float(x) for x in toks[k + 1:]]
    A = np.array([[v[2 * (r + m * c)] for c in range(n)] for r in range(m)])
    B = np.array([[v[2 * (r + m * c) + 1] for c in range(n)] for r in range(m)])
    t = time.perf_counter()
    k = sum(1 for _ in nashpy.Game(A, B).support_enumeration())
else:
    t = time.perf_counter()
    if kind == "enummixed":
        k = len(gbt.nash.enummixed_solve(g, rational=True).equilibria)
    else:
        k = len(gbt.nash.lcp_solve(g, rational=True).equilibria)
print(time.perf_counter() - t, k)
'''


def nash_input(name):
    """The fixture as lrsnash input (m n, blank, A, blank, B)."""
    toks = open(os.path.join(FIX, name + ".nfg")).read().replace("{", " { ").replace("}", " } ").split()
    i = toks.index("}", toks.index("{"))
    j = toks.index("{", i)
    k = toks.index("}", j)
    m, n = int(toks[j + 1]), int(toks[j + 2])
    nums = toks[k + 1:]
    A = [[nums[2 * (r + m * c)] for c in range(n)] for r in range(m)]
    B = [[nums[2 * (r + m * c) + 1] for c in range(n)] for r in range(m)]
    path = os.path.join("/tmp", "statecraft-bench-%s.nash" % name)
    with open(path, "w") as f:
        f.write("%d %d\n\n%s\n\n%s\n" % (m, n, "\n".join(" ".join(r) for r in A),
                                        "\n".join(" ".join(r) for r in B)))
    return path


def timed(cmd, timeout):
    """(wall seconds, cpu seconds, stdout) or None on timeout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, r.stdout


def median_run(cmd, timeout, runs, inner=None):
    results = []
    for _ in range(runs):
        r = timed(cmd, timeout)
        if r is None:
            return None
        if inner:
            if not r[2].split():
                return None
            r = (float(r[2].split()[0]), r[1], r[2])
        results.append(r)
        if r[0] > 5:
            break
    results.sort(key=lambda r: r[0])
    return results[len(results) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    print("%-16s %-18s %10s %10s %9s" % ("game", "program", "wall s", "cpu s", "ratio"))
    for name in GAMES:
        nfg = os.path.join(FIX, name + ".nfg")
        ours = median_run([BIN, "games", nfg, "--format", "json"], args.timeout, args.runs)
        rows = [("statecraft enum", ours)]
        rows.append(("lrsnash", median_run(["lrsnash", nash_input(name)], args.timeout, args.runs)))
        for kind in ["lcp", "enummixed", "nashpy"]:
            rows.append(("pygambit " + kind if kind != "nashpy" else "nashpy supp.enum",
                         median_run([py, "-c", PY_PEER, kind, nfg], args.timeout, 1, inner=True)))
        for label, r in rows:
            if r is None:
                print("%-16s %-18s %10s %10s %9s" % (name, label, "> %g" % args.timeout, "", ""))
            else:
                ratio = r[0] / ours[0] if ours else float("nan")
                print("%-16s %-18s %10.3f %10.3f %8.1fx" % (name, label, r[0], r[1], ratio))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
