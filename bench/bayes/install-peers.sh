#!/usr/bin/env bash
# Creates bench/.venv-bayes with the pinned Python peers of the bayes lens: pgmpy (exact inference
# on Bayesian networks, and the BIF files it ships) and pyAgrum (LIMID inference on influence
# diagrams). Only the fixture and benchmark scripts use them; the Rust tests never do.
#
#   bench/bayes/install-peers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv bench/.venv-bayes
bench/.venv-bayes/bin/pip install --quiet --upgrade pip
bench/.venv-bayes/bin/pip install --quiet "pgmpy==${PGMPY_VERSION:-1.1.2}" "pyagrum==${PYAGRUM_VERSION:-3.3.1}"
bench/.venv-bayes/bin/python -c "import pgmpy, pyagrum; print('pgmpy', pgmpy.__version__, 'pyagrum', pyagrum.__version__)"
