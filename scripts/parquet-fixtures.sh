#!/usr/bin/env bash
# Regenerates the committed Parquet fixtures (Tests/LarderTests/Fixtures/parquet) with the real
# writers from PyPI, in a virtualenv of their own (.venv-fixtures, made on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-fixtures
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import pyarrow, pandas, duckdb, polars" 2>/dev/null \
    || "$venv/bin/python" -m pip install --quiet pyarrow pandas duckdb polars
exec "$venv/bin/python" scripts/parquet-fixtures.py "$@"
