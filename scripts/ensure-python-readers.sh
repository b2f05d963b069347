#!/usr/bin/env bash
# Makes .venv-readers, a Python virtualenv with pyarrow and pandas from PyPI: the readers the
# tests check Larder's Parquet and Arrow outputs with. Installs Debian's python3-venv first
# when `python3 -m venv` is missing. Prints the virtualenv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-readers
bash scripts/ensure-python3-venv.sh
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import pyarrow, pandas" >/dev/null 2>&1; then
    echo "installing pyarrow and pandas into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pyarrow pandas >&2
fi
echo "$PWD/$venv/bin/python"
