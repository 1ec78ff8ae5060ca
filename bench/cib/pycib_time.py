#!/usr/bin/env python3
"""Times PyCIB's exact solver (`find_all_consistent_exact`) on the CIB fixtures.

PyCIB is not on PyPI: export its repository (github ag-ross/PyCIB) outside this one and point
PYCIB at it, then run with the venv from install-peers.sh:
  PYCIB=/tmp/pycib bench/.venv-cib/bin/python bench/cib/pycib_time.py

PyCIB has no notion of diagonal (self-impact) blocks, so they are left out; on files without
them (bench_typical, and natl_regional with its diagonal block zeroed) it must find what
statecraft finds. Prints one line per fixture: consistent scenarios and best-of-3 seconds.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("PYCIB", "/tmp/pycib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import FIX, read_scw, zero_diagonal  # noqa: E402
from cib.core import CIBMatrix  # noqa: E402
from cib.solvers.exact_pruned import find_all_consistent_exact  # noqa: E402
from cib.solvers.config import ExactSolverConfig  # noqa: E402


def to_pycib(descriptors, m):
    names = [f"{j}:{name}" for j, (name, _) in enumerate(descriptors)]
    matrix = CIBMatrix({n: list(vs) for n, (_, vs) in zip(names, descriptors)})
    offsets = [0]
    for _, vs in descriptors:
        offsets.append(offsets[-1] + len(vs))
    for i, (_, vi) in enumerate(descriptors):
        for j, (_, vj) in enumerate(descriptors):
            if i == j:
                continue
            for a, sa in enumerate(vi):
                for b, sb in enumerate(vj):
                    x = int(m[offsets[i] + a, offsets[j] + b])
                    if x:
                        matrix.set_impact(names[i], sa, names[j], sb, x)
    return matrix


for label, name in [
    ("bench_typical", "bench_typical.scw"),
    ("CIB_natl_regional, no diagonal", "CIB_natl_regional.scw"),
    ("CIB_nested_standardized, no diagonal", "CIB_nested_simplified_standardized.scw"),
]:
    descriptors, m = read_scw(FIX / name)
    matrix = to_pycib(descriptors, zero_diagonal(descriptors, m))
    best, found = float("inf"), None
    for _ in range(3):
        t = time.perf_counter()
        res = find_all_consistent_exact(matrix=matrix, config=ExactSolverConfig())
        best = min(best, time.perf_counter() - t)
        found = len(res.scenarios)
    print(f"| {label} | {found} | {best:.3f} |")
