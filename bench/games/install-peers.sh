#!/usr/bin/env bash
# Installs the peers that bench/games/ compares against and that bench/games/make_fixtures.py uses to
# produce reference fixtures: lrsnash (Debian package lrslib) and a Python venv with pygambit and nashpy.
# Usage: bash bench/games/install-peers.sh   (as root for apt-get; the venv goes to bench/.venv-games)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v lrsnash >/dev/null; then
    apt-get update
    apt-get install -y lrslib
fi
python3 -m venv bench/.venv-games
bench/.venv-games/bin/pip install --quiet pygambit==16.7.0 nashpy==0.0.43 numpy==2.2.6
