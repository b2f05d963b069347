#!/usr/bin/env bash
# Makes .venv-feast, a Python virtualenv with Feast's SDK (feast 0.67.0 from PyPI, about half a
# minute to install): the tests use it as a client of `larder serve`, and
# Benchmarks/feast-comparison and Benchmarks/server run Feast itself from it. Installs Debian's
# python3-venv first when it is missing. Prints the virtualenv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-feast
version=0.67.0
bash scripts/ensure-python3-venv.sh
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import feast, sys; sys.exit(feast.__version__ != '$version')" >/dev/null 2>&1; then
    echo "installing feast==$version into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "feast==$version" >&2
fi
echo "$PWD/$venv/bin/python"
