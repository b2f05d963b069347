#!/usr/bin/env bash
# The feature server under load, side by side with Feast's (see README.md beside this script).
#
#   bash Benchmarks/server/run.sh                 # load figures: larder serve, feast serve, in-process
#   bash Benchmarks/server/run.sh two-replicas    # Docs/Scaling.md: two replicas, an export swapped under load
#
# Environment: SECONDS_PER_SCENARIO (default 10), DRIVERS and CUSTOMERS (default 10000 each),
#              FEAST_WORKERS (default 2, one per core).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# 1. Feast's SDK and server from .venv-feast.
PYTHON_WITH_FEAST="$(bash "$ROOT/scripts/ensure-feast.sh")"
bash "$ROOT/scripts/ensure-system-packages.sh"

# 2. Release builds: larder (in the scratch path the Feast comparison uses too), the load
#    generator and the in-process floor (in the benchmark package).
echo "building larder, LoadGenerator and ServiceLookupFloor in release mode" >&2
LARDER="$(LARDER= bash "$ROOT/scripts/release-larder.sh")"
# (The build plan is made again: SwiftPM misses source files added to Larder since it made it.)
(cd "$ROOT/Benchmarks" && rm -f .build/release.yaml && swift build -c release --product LoadGenerator >&2 && swift build -c release --product ServiceLookupFloor >&2)
BIN="$(cd "$ROOT/Benchmarks" && swift build -c release --show-bin-path)"

if [ "${1:-}" = "two-replicas" ]; then
    exec "$PYTHON_WITH_FEAST" "$HERE/two_replicas.py" --larder "$LARDER" --generator "$BIN/LoadGenerator" --work "$HERE/work-replicas"
fi

# 3. The data, once per size; then the load.
"$PYTHON_WITH_FEAST" "$HERE/setup.py" --larder "$LARDER" --work "$HERE/work" --drivers "${DRIVERS:-10000}" --customers "${CUSTOMERS:-10000}"
exec "$PYTHON_WITH_FEAST" "$HERE/load.py" --larder "$LARDER" --floor "$BIN/ServiceLookupFloor" --generator "$BIN/LoadGenerator" --work "$HERE/work" \
    --seconds "${SECONDS_PER_SCENARIO:-10}" --feast-workers "${FEAST_WORKERS:-2}"
