#!/usr/bin/env python3
"""Side-by-side timing of statecraft's CIB lens against its peers, on one machine.

Peers:
  - a plain NumPy exhaustive reference written here (every scenario's balances, in chunks);
  - prophesy-cib 2.0.1 (PyPI), whose unit of work is a succession trial from one start scenario.

Usage (after `bash bench/cib/install-peers.sh` and `cargo build --release -p cli`):
  bench/.venv-cib/bin/python bench/cib/compare.py [--skip-numpy-large]

Prints a Markdown table of times and ratios (peer time / statecraft time). Every figure is the
best of a few runs; nothing here is run more than needed, to be kind to a shared machine.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "cib"
BIN = ROOT / "target" / "release" / "statecraft"


def read_scw(path):
    """Descriptors (name, [variants]) until the first `#`, the matrix after the fifth."""
    descriptors, rows, hashes = [], [], 0
    for line in path.read_text().splitlines()[2:]:
        if line.startswith("#"):
            hashes += 1
        elif hashes == 0 and line.startswith("&"):
            descriptors.append((line[1:], []))
        elif hashes == 0 and line.startswith(" -"):
            descriptors[-1][1].append(line[2:])
        elif hashes == 5 and line.strip():
            rows.append([int(x) for x in line.split(",")])
    return descriptors, np.array(rows, dtype=np.int32)


def zero_diagonal(descriptors, m):
    m = m.copy()
    start = 0
    for _, vs in descriptors:
        end = start + len(vs)
        m[start:end, start:end] = 0
        start = end
    return m


def numpy_exhaustive(descriptors, m, chunk=1 << 20):
    """Every scenario, chunk by chunk: balances = sum of selected rows; consistent when each
    descriptor's chosen variant has the highest balance (ties allowed). Returns the count."""
    counts = [len(vs) for _, vs in descriptors]
    offsets = np.cumsum([0] + counts)
    total = int(np.prod(counts))
    strides = np.array([int(np.prod(counts[j + 1:])) for j in range(len(counts))], dtype=np.int64)
    found = 0
    for lo in range(0, total, chunk):
        idx = np.arange(lo, min(total, lo + chunk), dtype=np.int64)
        digits = (idx[:, None] // strides[None, :]) % np.array(counts)[None, :]
        rows = digits + offsets[:-1][None, :]
        bal = m[rows[:, 0]].astype(np.int32)
        for j in range(1, len(counts)):
            bal += m[rows[:, j]]
        ok = np.ones(len(idx), dtype=bool)
        for j in range(len(counts)):
            block = bal[:, offsets[j]:offsets[j + 1]]
            chosen = block[np.arange(len(idx)), digits[:, j]]
            ok &= chosen >= block.max(axis=1)
        found += int(ok.sum())
    return found


def best_of(f, runs):
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def statecraft(path, *extra):
    cmd = [str(BIN), "cib", str(path), "--format", "json", *extra]
    r = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(r.stdout)["result"]


def prophesy_rate(descriptors, m, starts=200, seed=1):
    """prophesy-cib succession trials per second from random starts (10 steps, conservative
    ties: a tied current variant stays, as in ScenarioWizard)."""
    from prophesy_cib import CrossImpact, Descriptor, Model, Scenario, SuccessionConfig, Variant
    from prophesy_cib.succession import run_succession_trial

    ds = [
        Descriptor(index=j + 1, name=name, type="nominal",
                   variants=tuple(Variant(index=k + 1, name=v) for k, v in enumerate(vs)))
        for j, (name, vs) in enumerate(descriptors)
    ]
    offsets = np.cumsum([0] + [len(vs) for _, vs in descriptors])
    impacts = []
    for i in range(len(descriptors)):
        for a in range(offsets[i], offsets[i + 1]):
            for j in range(len(descriptors)):
                for b in range(offsets[j], offsets[j + 1]):
                    if m[a, b] != 0:
                        impacts.append(CrossImpact(i + 1, int(a - offsets[i]) + 1, j + 1,
                                                   int(b - offsets[j]) + 1, float(m[a, b])))
    model = Model(ds, impacts)
    matrices = model.build_matrices()
    config = SuccessionConfig(steps=10, trials=1)
    rng = np.random.default_rng(seed)
    inits = [
        Scenario.from_model({d.index: int(rng.integers(len(d.variants))) + 1 for d in ds}, model)
        for _ in range(starts)
    ]

    def go():
        for sc in inits:
            run_succession_trial(sc, model, config, rng, matrices=matrices)

    t, _ = best_of(go, 1)
    return starts / t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-numpy-large", action="store_true",
                    help="skip the NumPy enumeration of the 22.7-million-scenario fixture")
    args = ap.parse_args()
    if not BIN.exists():
        sys.exit(f"build first: cargo build --release -p cli ({BIN} is missing)")
    rows = []
    cases = [
        ("bench_typical (10x3, 59,049)", FIX / "bench_typical.scw", False),
        ("CIB_natl_regional (22.7M)", FIX / "CIB_natl_regional.scw", False),
        ("CIB_nested_standardized (22.7M)", FIX / "CIB_nested_simplified_standardized.scw", False),
        ("CIB_natl_regional, no diagonal (22.7M)", FIX / "CIB_natl_regional.scw", True),
    ]
    tmp = ROOT / "target" / "cib-bench"
    tmp.mkdir(parents=True, exist_ok=True)
    for label, path, nodiag in cases:
        descriptors, m = read_scw(path)
        if nodiag:
            m = zero_diagonal(descriptors, m)
            path = tmp / "natl_regional_no_diagonal.scw"
            write_scw(path, descriptors, m)
        t_bnb, res = best_of(lambda: statecraft(path, "--succession", "none"), 5)
        t_exh, res_e = best_of(
            lambda: statecraft(path, "--succession", "none", "--method", "exhaustive"), 1)
        assert len(res["scenarios"]) == len(res_e["scenarios"])
        n_ours = len(res["scenarios"])
        large = m.shape[0] > 40
        if large and args.skip_numpy_large:
            t_np, n_np = float("nan"), None
        else:
            t_np, n_np = best_of(lambda: numpy_exhaustive(descriptors, m), 1)
            assert n_np == n_ours, f"numpy found {n_np}, statecraft {n_ours}"
        rows.append((label, n_ours, t_bnb, t_exh, t_np))
    print("| fixture | consistent | statecraft b&b (s) | statecraft exhaustive (s) | NumPy exhaustive (s) | NumPy / b&b |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, n, t_bnb, t_exh, t_np in rows:
        print(f"| {label} | {n} | {t_bnb:.4f} | {t_exh:.3f} | {t_np:.2f} | {t_np / t_bnb:.0f}x |")
    # Succession: starts per second.
    descriptors, m = read_scw(FIX / "CIB_natl_regional.scw")
    t_all, _ = best_of(lambda: statecraft(FIX / "CIB_natl_regional.scw"), 1)
    t_mc, _ = best_of(lambda: statecraft(FIX / "CIB_natl_regional.scw", "--exact-limit", "0",
                                         "--starts", "1000000"), 1)
    ours_all = 22_674_816 / t_all
    ours_mc = 1_000_000 / t_mc
    theirs = prophesy_rate(descriptors, m)
    print()
    print("| succession on CIB_natl_regional | starts per second | ratio to prophesy-cib |")
    print("|---|---:|---:|")
    print(f"| prophesy-cib 2.0.1, 10-step trials | {theirs:,.0f} | 1x |")
    print(f"| statecraft, Monte Carlo (1,000,000 starts) | {ours_mc:,.0f} | {ours_mc / theirs:,.0f}x |")
    print(f"| statecraft, every start (22,674,816) | {ours_all:,.0f} | {ours_all / theirs:,.0f}x |")


def write_scw(path, descriptors, m):
    """The minimal ScenarioWizard 5 layout (as `model::formats::scw::write_scw` writes it)."""
    out = ["$ ScenarioWizard 4.0", path.name]
    for name, vs in descriptors:
        out.append("&" + name)
        out += [" -" + v for v in vs]
    out.append("#")
    for _, vs in descriptors:
        out.append("&")
        out += [" "] * len(vs)
    out += ["#", "#"] + ["FFFFFF"] * m.shape[0] + ["#", "#"]
    for row in m:
        out.append(",".join(f"{x} " if x < 0 else f" {x} " for x in row))
    out += ["#", "# 0-0", '""', "#", "#"]
    path.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
