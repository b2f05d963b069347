#!/usr/bin/env bash
# Prints the path of a release build of `larder` for the benchmark scripts: $LARDER when it is
# set, otherwise `swift build -c release --product larder` in its own scratch directory
# (.build-feast, out of the way of other builds), with the system packages it needs.
set -euo pipefail
if [ -n "${LARDER:-}" ]; then
    echo "$LARDER"
    exit 0
fi
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
echo "building larder (swift build -c release --product larder)" >&2
swift build -c release --product larder --scratch-path .build-feast >&2
echo "$PWD/.build-feast/release/larder"
