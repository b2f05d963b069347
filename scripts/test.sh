#!/usr/bin/env bash
# The README's test command: set up LMDB if needed, then build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
# The crash test's short version (kills at the first and last commits of a run and at random
# moments); `bash scripts/crash-test.sh` runs the long one, at every commit.
bash scripts/crash-test.sh 4 --quick
swift test "$@"
# The DocC catalogs of Larder and LMDBKit: a broken symbol link or any other warning fails.
swift package generate-documentation --target Larder --target LMDBKit --warnings-as-errors
