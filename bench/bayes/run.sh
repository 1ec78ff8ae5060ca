#!/usr/bin/env bash
# Side-by-side timing of all posterior marginals: statecraft's junction tree (criterion) versus
# pgmpy's VariableElimination and BeliefPropagation, on alarm and two 100-node random networks,
# with and without evidence. Prints the ratios (pgmpy time / statecraft time).
#
#   bench/bayes/install-peers.sh   # once
#   bench/bayes/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/bayes/results
PYTHONHASHSEED=0 bench/.venv-bayes/bin/python bench/bayes/peers.py > bench/bayes/results/peers.json
cargo bench -p engines --bench bayes -- --warm-up-time 1 --measurement-time 3 > bench/bayes/results/criterion.txt
python3 - <<'PY'
import json, os
peers = json.load(open("bench/bayes/results/peers.json"))
def ours(task):
    p = os.path.join("target", "criterion", task.replace("/", "_"), "new", "estimates.json")
    if not os.path.exists(p):
        p = os.path.join("target", "criterion", "bayes_" + task.replace("/", "_"), "new", "estimates.json")
    return json.load(open(p))["mean"]["point_estimate"] * 1e-9
rows = []
for net in ["alarm", "random100_100", "random100_101"]:
    for label in ["marginals", "marginals_evidence"]:
        t = ours(f"bayes/{net}/{label}")
        ve = peers[f"{net}/{label}/pgmpy_ve"]
        bp = peers[f"{net}/{label}/pgmpy_bp"]
        rows.append((net, label, t, ve, bp))
print(f"{'network':15} {'task':20} {'statecraft':>12} {'pgmpy VE':>10} {'pgmpy BP':>10} {'VE/ours':>9} {'BP/ours':>9}")
for net, label, t, ve, bp in rows:
    print(f"{net:15} {label:20} {t*1e6:10.1f}us {ve*1e3:8.1f}ms {bp*1e3:8.1f}ms {ve/t:9.0f} {bp/t:9.0f}")
PY
