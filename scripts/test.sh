#!/usr/bin/env bash
# The README's test command: set up what is missing (Debian packages; Python virtualenvs with
# pyarrow and pandas, with Feast's SDK, and with Evidently), then build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
# pyarrow and pandas in .venv-readers: the tests read every Parquet and Arrow file Larder writes
# back with them.
LARDER_PYTHON="$(bash scripts/ensure-python-readers.sh)"
export LARDER_PYTHON
# Feast's SDK in .venv-feast: a test reads and writes through `larder serve` with it.
LARDER_FEAST_PYTHON="$(bash scripts/ensure-feast.sh)"
export LARDER_FEAST_PYTHON
# Evidently in .venv-evidently: a test compares `larder drift`'s scores with its scores.
LARDER_EVIDENTLY_PYTHON="$(bash scripts/ensure-evidently.sh)"
export LARDER_EVIDENTLY_PYTHON
# The crash test's short version (kills at the first and last commits of a run and at random
# moments); `bash scripts/crash-test.sh` runs the long one, at every commit.
bash scripts/crash-test.sh 4 --quick
swift test "$@"
# The DocC catalogs of Larder and LMDBKit: a broken symbol link or any other warning fails.
swift package generate-documentation --target Larder --target LMDBKit --warnings-as-errors
