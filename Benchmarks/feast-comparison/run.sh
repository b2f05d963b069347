#!/usr/bin/env bash
# Larder and Feast's file offline store, side by side: see README.md beside this script.
#
#   bash Benchmarks/feast-comparison/run.sh [compare.py options: --seed N --entity-rows N]
#   bash Benchmarks/feast-comparison/run.sh materialize [materialize.py options: --rows N --order by-time|shuffled --runs N]
#
# Environment: LARDER=path/to/larder skips the build and uses that executable;
#              PYTHON=python3.X picks the interpreter the virtualenv is made from.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# 1. Python: the virtualenv with Feast 0.67.0 (it pulls in pandas, pyarrow and dask).
PYTHON_WITH_FEAST="$(bash "$ROOT/scripts/ensure-feast.sh")"

# 2. The larder executable, built in its own scratch directory.
LARDER="$(bash "$ROOT/scripts/release-larder.sh")"

# 3. Generate, run both, compare every row (or, with `materialize`, time both materializations).
if [ "${1:-}" = "materialize" ]; then
    shift
    exec "$PYTHON_WITH_FEAST" "$HERE/materialize.py" --larder "$LARDER" --work "$HERE/work-materialize" "$@"
fi
exec "$PYTHON_WITH_FEAST" "$HERE/compare.py" --larder "$LARDER" --work "$HERE/work" "$@"
