#!/usr/bin/env bash
# The README's test command: set up LMDB if needed, then build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-lmdb.sh
# The crash test's short version (kills at the first and last commits of a run and at random
# moments); `bash scripts/crash-test.sh` runs the long one, at every commit.
bash scripts/crash-test.sh 4 --quick
swift test "$@"
