#!/usr/bin/env bash
# Larder's drift scores beside Evidently's on the same data: see README.md beside this script.
#
#   bash Benchmarks/evidently-comparison/run.sh [compare.py options: --rows N --seed N --json FILE]
#
# Environment: LARDER=path/to/larder skips the build and uses that executable;
#              PYTHON=python3.X picks the interpreter the virtualenv is made from.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# 1. Python: the virtualenv with Evidently 0.7.23 (it pulls in pandas, numpy and scipy).
PYTHON_WITH_EVIDENTLY="$(bash "$ROOT/scripts/ensure-evidently.sh")"

# 2. The larder executable, built in its own scratch directory.
LARDER="$(bash "$ROOT/scripts/release-larder.sh")"

# 3. Generate, score with both, print the table.
exec "$PYTHON_WITH_EVIDENTLY" "$HERE/compare.py" --larder "$LARDER" --work "$HERE/work" "$@"
