#!/usr/bin/env bash
# Runs every benchmark (online lookups, materialization, the point-in-time join) with their
# baselines in the same run. The first run generates the data sets under Benchmarks/.data/
# (a few minutes); later runs reuse them. Pass e.g. `--target OnlineLookup` to run one group.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
if ! pkg-config --exists sqlite3; then
    echo "libsqlite3-dev is missing (the SQLite baseline needs it): installing it with apt-get" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq libsqlite3-dev >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq libsqlite3-dev >/dev/null; fi
fi
cd Benchmarks
# SwiftPM keeps its build plan for the Larder package this one depends on by path, and misses
# source files added to Larder since it was made ("cannot find type ... in scope"): planning
# again costs a few seconds.
rm -f .build/release.yaml .build/debug.yaml
swift package benchmark "$@"
