"""Reference Sobol indices from SALib, on sample matrices this script draws and stores.

For the Ishigami function (a = 7, b = 0.1) and Sobol's g-function (a = 0, 1, 4.5, 9, 99, 99,
99, 99), it draws the base samples A and B with numpy (seeded), builds the radial points A_B^i
(A with column i from B) in SALib's order (A, A_B^1 … A_B^d, B for each row), evaluates the
function, and runs SALib's `sobol.analyze` on those outputs (no second order, no bootstrap
intervals needed). SALib's first-order estimator is Saltelli et al. (2010), Table 2 (b), and
its total-effect estimator Jansen (1999); Jansen's first-order estimator, which SALib does not
offer, is computed here with numpy from SALib's own split of the outputs
(`separate_output_values`), after the same normalisation SALib applies.

Each fixture holds, one line each, the matrices A and B (row by row), the outputs Y in SALib's
order, SALib's S1 and ST, and numpy's Jansen S1, every number written with repr (17 significant
digits), so the Rust test (crates/engines/src/sobol/tests.rs) reads exactly the same matrices.

    bench/sobol/install-peers.sh   # once
    bench/.venv-sobol/bin/python bench/sobol/make_fixtures.py
"""

import importlib.metadata
import os

import numpy as np
from SALib.analyze import sobol
from SALib.analyze.sobol import separate_output_values

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "sobol")
COMMAND = "bench/.venv-sobol/bin/python bench/sobol/make_fixtures.py"


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0])


def g_function(x):
    return np.prod((np.abs(4.0 * x - 2.0) + G_A) / (1.0 + G_A), axis=1)


def radial(a, b):
    """SALib's layout without second order: for each row, A, A_B^1 … A_B^d, B."""
    n, d = a.shape
    x = np.empty((n * (d + 2), d))
    step = d + 2
    x[0::step] = a
    x[step - 1 :: step] = b
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        x[i + 1 :: step] = ab
    return x


def jansen_first(y, d, n):
    # The same normalisation and split as SALib's analyze, then Jansen (1999):
    # 1 - mean((f(B) - f(A_B^i))^2) / (2 var).
    y = (y - y.mean()) / y.std()
    fa, fb, fab, _ = separate_output_values(y, d, n, False)
    var = np.var(np.r_[fa, fb], axis=0)
    return np.array([1.0 - 0.5 * np.mean((fb - fab[:, i]) ** 2) / var for i in range(d)])


def fixture(name, f, d, low, high, n, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(low, high, size=(n, d))
    b = rng.uniform(low, high, size=(n, d))
    y = f(radial(a, b))
    problem = {"num_vars": d, "names": [f"x{i + 1}" for i in range(d)], "bounds": [[low, high]] * d}
    si = sobol.analyze(problem, y, calc_second_order=False, print_to_console=False, seed=seed)
    line = lambda key, xs: key + " " + " ".join(repr(float(v)) for v in xs)
    path = os.path.join(OUT, f"{name}.txt")
    with open(path, "w") as out:
        out.write(f"# {name}: Sobol indices by SALib {importlib.metadata.version('SALib')} "
                  f"(numpy {np.__version__}) on the matrices A and B below.\n")
        out.write(f"# made by: {COMMAND}\n")
        out.write(f"n {n}\nd {d}\n")
        for key, m in (("A", a), ("B", b)):
            for row in m:
                out.write(line(key, row) + "\n")
        out.write(line("Y", y) + "\n")
        out.write(line("S1_saltelli2010", si["S1"]) + "\n")
        out.write(line("ST_jansen", si["ST"]) + "\n")
        out.write(line("S1_jansen", jansen_first(y, d, n)) + "\n")
    print(path)


fixture("ishigami-salib", ishigami, 3, -np.pi, np.pi, 512, 20261207)
fixture("gfunction-salib", g_function, 8, 0.0, 1.0, 256, 20261208)
