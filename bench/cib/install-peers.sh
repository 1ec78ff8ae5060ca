#!/usr/bin/env bash
# Installs the Python peers of the CIB benchmark into bench/.venv-cib (gitignored):
# prophesy-cib (PyPI) and NumPy for the plain exhaustive reference in compare.py.
# Usage: bash bench/cib/install-peers.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python3 -m venv "$here/.venv-cib"
"$here/.venv-cib/bin/pip" install --quiet --upgrade pip
"$here/.venv-cib/bin/pip" install --quiet "prophesy-cib==2.0.1" "numpy==2.4.6"
"$here/.venv-cib/bin/python" -c "import numpy; print('numpy', numpy.__version__)"
