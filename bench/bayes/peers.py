#!/usr/bin/env python3
"""Times pgmpy on the networks of crates/engines/benches/bayes.rs: every marginal by
VariableElimination (one query per variable, as pgmpy offers no all-marginals call for VE) and by
BeliefPropagation (one calibration, then one query of all variables), with no evidence and with
the hard evidence of the reference fixtures.  Prints JSON {network/task: seconds (best of N)}.

    PYTHONHASHSEED=0 bench/.venv-bayes/bin/python bench/bayes/peers.py > bench/bayes/results/peers.json
"""
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import logging

logging.disable(logging.WARNING)

from pgmpy.inference import BeliefPropagation, VariableElimination
from pgmpy.readwrite import BIFReader

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIX = os.path.join(ROOT, "tests", "fixtures", "bayes")
NETWORKS = ["alarm", "random100_100", "random100_101"]
REPEAT = int(os.environ.get("REPEAT", "3"))


def best(f):
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ref = json.load(open(os.path.join(FIX, "reference.json")))
    out = {"pgmpy_repeat": REPEAT}
    for name in NETWORKS:
        model = BIFReader(os.path.join(FIX, "networks", f"{name}.bif")).get_model()
        entry = [n for n in ref["networks"] if n["network"] == f"networks/{name}.bif"][0]
        ev = entry["cases"][1]["evidence"]
        names = list(model.nodes())
        for label, evidence in [("marginals", None), ("marginals_evidence", ev)]:
            free = [v for v in names if not evidence or v not in evidence]
            ve = VariableElimination(model)

            def run_ve():
                for v in free:
                    ve.query([v], evidence=evidence, show_progress=False)

            out[f"{name}/{label}/pgmpy_ve"] = best(run_ve)

            def run_bp():
                bp = BeliefPropagation(model)
                bp.query(free, evidence=evidence, joint=False, show_progress=False)

            out[f"{name}/{label}/pgmpy_bp"] = best(run_bp)
            print(name, label, file=sys.stderr)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
