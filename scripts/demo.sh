#!/usr/bin/env bash
# The README's demo command: set up LMDB if needed, build `larder` in release mode and run its
# demo (generated data → apply → materialize → point-in-time join → online lookups).
# Arguments go to `larder demo`, e.g. `bash scripts/demo.sh --drivers 10000 --days 7`.
# A clean release build takes about 1-2 minutes on two cores; later runs start at once.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
swift run -c release larder demo "$@"
