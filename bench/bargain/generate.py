#!/usr/bin/env python3
"""Writes the synthetic inputs of the bargaining benchmarks (deterministic, standard library only).

usage: python3 bench/bargain/generate.py OUT_DIR
  OUT_DIR/eum-1000.csv   1,000 actors, Actor,Capability,Position,Salience (salience 0-1)
  OUT_DIR/smp-1000.csv   1,000 actors on one issue, KTAB's CSV format
"""
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(20261127)
with open(out / "eum-1000.csv", "w") as f:
    f.write("Actor,Capability,Position,Salience\n")
    for i in range(1000):
        f.write(f"a{i:04},{rng.uniform(0.05, 1.0):.4f},{rng.uniform(0, 100):.2f},{rng.uniform(0.1, 1.0):.3f}\n")
with open(out / "smp-1000.csv", "w") as f:
    f.write("Synthetic-1000,one issue thousand actors,1000,1,\n")
    f.write("Actor,Description,Power,Position,Salience,\n")
    for i in range(1000):
        f.write(f"a{i:04},synthetic,{rng.uniform(10, 200):.3f},{rng.uniform(0, 100):.2f},{rng.uniform(10, 95):.2f},\n")
