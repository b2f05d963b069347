#!/usr/bin/env bash
# Makes .venv-evidently, a Python virtualenv with Evidently 0.7.23 from PyPI (about a minute to
# install): Benchmarks/evidently-comparison scores the same data with it, and a test compares
# its scores with `larder drift`'s. pandas stays below 3, which Evidently 0.7 does not import
# with. Installs Debian's python3-venv first when it is missing. Prints the virtualenv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-evidently
version=0.7.23
bash scripts/ensure-python3-venv.sh
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import evidently, sys; sys.exit(evidently.__version__ != '$version')" >/dev/null 2>&1; then
    echo "installing evidently==$version into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "evidently==$version" "pandas<3" >&2
fi
echo "$PWD/$venv/bin/python"
