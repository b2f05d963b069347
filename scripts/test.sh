#!/usr/bin/env bash
# The README's test command: set up LMDB if needed, then build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-lmdb.sh
swift test "$@"
