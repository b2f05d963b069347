#!/usr/bin/env bash
# Makes .venv-feast, a Python virtualenv with Feast's SDK (feast 0.67.0 from PyPI, about half a
# minute to install): the tests use it as a client of `larder serve`, and
# Benchmarks/feast-comparison and Benchmarks/server run Feast itself from it. Installs Debian's
# python3-venv first when it is missing. Prints the virtualenv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-feast
version=0.67.0
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    echo "missing system packages: python3 python3-venv; installing them with apt-get" >&2
    run_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    export DEBIAN_FRONTEND=noninteractive
    run_as_root apt-get update -qq
    run_as_root apt-get install -y -qq python3 python3-venv >/dev/null
fi
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import feast, sys; sys.exit(feast.__version__ != '$version')" >/dev/null 2>&1; then
    echo "installing feast==$version into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "feast==$version" >&2
fi
echo "$PWD/$venv/bin/python"
