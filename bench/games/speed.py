#!/usr/bin/env python3
"""Side-by-side timing of `statecraft games` (every extreme equilibrium, exact) against lrsnash
on generated two-player games of every kind and size, with a check that both list the same
extreme equilibria.

Usage (after `apt-get install lrslib` and `cargo build --release -p cli`):
    python3 bench/games/speed.py [--runs N] [--timeout SECONDS] [--only SUBSTRING,...]

Kinds (fixed seed, so every run times the same games):
    generic:  payoffs uniform in 0..999 or 0..10^6 (nondegenerate with probability 1);
    ties:     payoffs in 0..2, heavily degenerate (many ties, many equilibria);
    zerosum:  A uniform in -999..999 or -10^6..10^6, B = -A;
    dup:      payoffs 0..999 with two rows and two columns duplicated (degenerate).
Sizes 10x10, 15x15 and 20x20 (ties up to 15x15: lrsnash alone takes minutes beyond).
Each program runs in its own process, one at a time; times are the median of N runs of CPU time
(user + system, all threads) and of wall time. The ratio is ours / lrsnash (below 1: faster).
Only the standard library is needed.
"""

import argparse
import fractions
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BIN = os.path.join(ROOT, "target", "release", "statecraft")
SEED = 20261207


def games():
    rng = random.Random(SEED)

    def rand(m, n, lo, hi):
        return [[rng.randint(lo, hi) for _ in range(n)] for _ in range(m)]

    out = []
    for size in (10, 15, 20):
        for hi, tag in ((999, "1e3"), (10**6, "1e6")):
            out.append(("generic_%dx%d_%s" % (size, size, tag), rand(size, size, 0, hi),
                        rand(size, size, 0, hi)))
    for size in (10, 12, 15):
        out.append(("ties_%dx%d" % (size, size), rand(size, size, 0, 2), rand(size, size, 0, 2)))
    for size in (10, 15, 20):
        for hi, tag in ((999, "1e3"), (10**6, "1e6")):
            A = rand(size, size, -hi, hi)
            out.append(("zerosum_%dx%d_%s" % (size, size, tag), A, [[-v for v in r] for r in A]))
    for size in (10, 15, 20):
        A, B = rand(size, size, 0, 999), rand(size, size, 0, 999)
        A[1], B[1] = list(A[0]), list(B[0])
        for ra, rb in zip(A, B):
            ra[2], rb[2] = ra[0], rb[0]
        out.append(("dup_%dx%d_1e3" % (size, size), A, B))
    return out


def write_nfg(path, A, B):
    m, n = len(A), len(A[0])
    with open(path, "w") as f:
        f.write('NFG 1 R "bench" { "1" "2" } { %d %d }\n' % (m, n))
        f.write(" ".join("%d %d" % (A[i][j], B[i][j]) for j in range(n) for i in range(m)))
        f.write("\n")


def write_nash(path, A, B):
    m, n = len(A), len(A[0])
    with open(path, "w") as f:
        f.write("%d %d\n\n" % (m, n))
        f.write("\n".join(" ".join(map(str, r)) for r in A) + "\n\n")
        f.write("\n".join(" ".join(map(str, r)) for r in B) + "\n")


def timed(cmd, timeout):
    """(wall seconds, cpu seconds, stdout), or None on timeout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        sys.exit("%s failed (%d): %s" % (cmd[0], r.returncode, r.stderr[-500:]))
    return wall, cpu, r.stdout


def lrs_set(text, m, n):
    """lrsnash's extreme equilibria, each as (x, y) tuples of Fractions."""
    eqs, ys = set(), []
    for line in text.splitlines():
        p = line.split()
        if not p or p[0].startswith("*"):
            if not p:
                ys = []
            continue
        if p[0] == "2":
            ys.append(tuple(fractions.Fraction(v) for v in p[1:1 + n]))
        elif p[0] == "1":
            x = tuple(fractions.Fraction(v) for v in p[1:1 + m])
            eqs.update((x, y) for y in ys)
    return eqs


def our_set(text):
    import json
    res = json.loads(text)["result"]
    return {tuple(tuple(fractions.Fraction(v) for v in s) for s in e["profile"])
            for e in res["equilibria"]}


def median_run(cmd, runs, timeout):
    got = []
    for _ in range(runs):
        r = timed(cmd, timeout)
        if r is None:
            return None
        got.append(r)
        if r[0] > 20:
            break
    wall = statistics.median(g[0] for g in got)
    cpu = statistics.median(g[1] for g in got)
    return wall, cpu, got[-1][2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--only", default="",
                    help="comma-separated substrings: time only the games whose name holds one")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="statecraft-games-speed-")
    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    print("%-20s %6s %10s %10s %10s %10s %8s %8s" % (
        "game", "eq", "ours wall", "lrs wall", "ours cpu", "lrs cpu", "wall r", "cpu r"))
    worst = 0.0
    for name, A, B in games():
        if not any(part in name for part in args.only.split(",")):
            continue
        m, n = len(A), len(A[0])
        nfg, nash = os.path.join(tmp, name + ".nfg"), os.path.join(tmp, name + ".nash")
        write_nfg(nfg, A, B)
        write_nash(nash, A, B)
        ours = median_run([BIN, "games", nfg, "--exact", "--format", "json", "--max-bases",
                           "100000000"], args.runs, args.timeout)
        lrs = median_run(["lrsnash", nash], args.runs, args.timeout)
        if ours is None or lrs is None:
            print("%-20s timeout (%s)" % (name, "ours" if ours is None else "lrsnash"))
            continue
        a, b = our_set(ours[2]), lrs_set(lrs[2], m, n)
        if a != b:
            sys.exit("%s: the equilibria differ (%d ours, %d lrsnash)" % (name, len(a), len(b)))
        rw, rc = ours[0] / lrs[0], ours[1] / lrs[1]
        worst = max(worst, rw, rc)
        print("%-20s %6d %10.3f %10.3f %10.3f %10.3f %8.2f %8.2f" % (
            name, len(a), ours[0], lrs[0], ours[1], lrs[1], rw, rc), flush=True)
    print("worst ratio (ours / lrsnash): %.2f" % worst)


if __name__ == "__main__":
    main()
