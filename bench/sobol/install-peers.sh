#!/usr/bin/env bash
# Creates bench/.venv-sobol with the pinned Python peer of the Sobol estimators: SALib (its
# `sobol.analyze`, run on sample matrices we give it), with pandas below 3, whose `unique` SALib
# 1.5.1 calls with a list. Only the fixture script uses them; the Rust
# tests never do.
#
#   bench/sobol/install-peers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv bench/.venv-sobol
bench/.venv-sobol/bin/pip install --quiet --upgrade pip
bench/.venv-sobol/bin/pip install --quiet "SALib==${SALIB_VERSION:-1.5.1}" "pandas==${PANDAS_VERSION:-2.2.3}"
bench/.venv-sobol/bin/python -c "import importlib.metadata as m; print('SALib', m.version('SALib'), 'numpy', m.version('numpy'))"
